"""Corrections of the reading: a reviewer says what a misread cell, metadata field or section start should
be, and the checks run again on the corrected reading, without reading the file again.

A correction names a report of the run (its path), a target and a key, the corrected value, the reason and
the reviewer:

===========  ====================================  ==================================================
target       key                                   value
===========  ====================================  ==================================================
``field``    a field id (``t3.new.natural``)       a number (``1,234``, ``12.5``), or a blank (empty), ``—``, ``无``
``meta``     ``agency``, ``year``, ``published``,  the name; the year; the date (YYYY-MM-DD);
             ``level``                             ``department`` or ``government``
``section``  a section number, 1 … 6               the words the section starts with, as the report's
                                                   text has them: the section begins there, the one
                                                   before it ends there
===========  ====================================  ==================================================

They go into the store's ``corrections`` table beside the audit's reading (the ``fields``, ``sections``
and ``reports`` rows stay as read; each correction keeps the reading it corrects in ``original``), and a
run never touches them, so they survive re-runs as review decisions do. The history is kept; a key's
current correction is its latest; a correction with no value (``value=None``) withdraws the one before.

:func:`load_result <audit.batch.results.load_result>` applies the current corrections to the report it
rebuilds (so memos, reviewed scores and the cross-report checks see the corrected reading), and lists
them in ``Result.corrections`` for the memo ("原读数 x，复核更正为 y"). :func:`recheck` evaluates the
report's own rules (and its narrative analysis, when the run made one) again on the corrected reading and
replaces its findings, checks and score in the store; ``reports.corrected`` records the digest of the
corrections (and rules version) it was re-checked with, so each report is re-checked once per change, also
after a re-audit (which drops the re-checked rows). ``audit batch`` re-checks before its cross-report checks;
:func:`audit.record_correction` re-checks the one report at once.

CSV (UTF-8, BOM accepted; header ``report_path,target,key,value,reason,reviewer,at``) moves corrections
between runs and people, checked whole before anything is written, as review decisions are.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from audit.batch import spreadsheet
from audit.batch.reviews import ReviewError, timestamp
from audit.batch.store import Store
from audit.model import Fields, Meta, Section, Value, ValueKind

TARGETS = ("field", "meta", "section")
META_KEYS = ("agency", "year", "published", "level")
LEVELS = ("department", "government")
CSV_COLUMNS = ("report_path", "target", "key", "value", "reason", "reviewer", "at")
SECTION_NAMES = "一二三四五六"
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


class CorrectionError(ReviewError):
    """A correction that cannot be recorded, or a corrections file that cannot be imported."""

    code = "bad_correction"


@dataclass(frozen=True)
class Correction:
    """One entry of the corrections history."""

    report_path: str
    target: str
    key: str
    value: str | None
    original: str | None
    reason: str
    reviewer: str
    at: str

    def row(self) -> tuple:
        return (self.report_path, self.target, self.key, self.value, self.reason, self.reviewer, self.at)

    def to_json(self) -> dict:
        return {"report_path": self.report_path, "target": self.target, "key": self.key, "value": self.value,
                "original": self.original, "reason": self.reason, "reviewer": self.reviewer, "at": self.at}


# ------------------------------------------------------------------------------------ values


def cell_value(text: str | None) -> tuple[ValueKind, int | Decimal | None]:
    """A corrected cell as typed: a number (thousands separators allowed), or blank, dash, 无."""
    t = (text or "").strip().replace(",", "").replace("，", "")
    if t == "":
        return ValueKind.BLANK, None
    if t in ("—", "-", "－", "--", "——", "/"):
        return ValueKind.DASH, None
    if t in ("无", "没有"):
        return ValueKind.NONE_WORD, None
    if not _NUMBER.match(t):
        raise CorrectionError(f"a cell's value must be a number, empty, “—” or “无”, not {text!r}")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise CorrectionError(f"not a number: {text!r}") from None
    return ValueKind.NUMBER, int(d) if "." not in t else d


def _shown(v: Value | None) -> str:
    """A cell's reading as the memo names it."""
    if v is None:
        return "（缺失）"
    if v.is_number:
        return str(v.value)
    return v.raw or {"blank": "（空白）", "dash": "—", "none_word": "无"}.get(str(v.kind), str(v.kind))


def _meta_value(key: str, text: str | None) -> object:
    t = (text or "").strip()
    if not t:
        raise CorrectionError(f"a corrected {key} needs a value")
    if key == "year":
        if not re.fullmatch(r"(19|20)\d\d", t):
            raise CorrectionError(f"year must be four digits, not {text!r}")
        return int(t)
    if key == "published":
        try:
            return _dt.date.fromisoformat(t)
        except ValueError:
            raise CorrectionError(f"published must be a date YYYY-MM-DD, not {text!r}") from None
    if key == "level" and t not in LEVELS:
        raise CorrectionError(f"level must be one of {', '.join(LEVELS)}, not {text!r}")
    return t


# ------------------------------------------------------------------------------ record, read


def check(store: Store, report_path: str, target: str, key: str, value: str | None, reason: str, reviewer: str,
          at=None) -> Correction:
    """A correction checked against the run (the report, the field, the section text) and tidied; raises
    CorrectionError saying what is wrong."""
    if target not in TARGETS:
        raise CorrectionError(f"target must be one of {', '.join(TARGETS)}, not {target!r}")
    row = store.report_row(report_path)
    if row is None:
        raise CorrectionError(f"no report {report_path!r} in this run")
    reviewer = " ".join((reviewer or "").split())
    if not reviewer:
        raise CorrectionError("a correction needs the reviewer's name")
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionError("a correction needs its reason")
    try:
        when = timestamp(at)
    except ValueError:
        raise CorrectionError(f"time must be ISO 8601 (2025-06-01T09:30:00), not {at!r}") from None
    key = str(key).strip()
    if value is not None:
        value = str(value).strip()
    if target == "field":
        f = store.report_field(report_path, key)
        if f is None:
            raise CorrectionError(f"report {report_path!r} has no table cell {key!r}")
        if value is not None:
            kind, number = cell_value(value)
            value = str(number) if kind is ValueKind.NUMBER else value
        original = _shown(Value(None if f["value"] is None else Decimal(f["value"]), ValueKind(f["kind"]),
                                f["raw"] or ""))
    elif target == "meta":
        if key not in META_KEYS:
            raise CorrectionError(f"a metadata correction is for {', '.join(META_KEYS)}, not {key!r}")
        if value is not None:
            v = _meta_value(key, value)
            value = v.isoformat() if isinstance(v, _dt.date) else str(v)
        meta = json.loads(row["meta"] or "{}")
        original = None if meta.get(key) is None else str(meta.get(key))
    else:
        if key not in [str(n) for n in range(1, 7)]:
            raise CorrectionError(f"a section is numbered 1 to 6, not {key!r}")
        sections = store.report_sections(report_path)
        old = next((s for s in sections if str(s["number"]) == key), None)
        original = (old["text"] or "")[:40] if old is not None else None
        if value is not None:
            if len(value) < 4:
                raise CorrectionError("give at least four characters the section starts with")
            corrected = dict(current(store, report_path).get(report_path, {}))
            corrected[("section", key)] = Correction(report_path, "section", key, value, original, reason,
                                                     reviewer, when)
            recut([Section(number=s["number"], title=s["title"], pages=[], text=s["text"] or "", first_block=0,
                           last_block=0) for s in sections],
                  {int(k): c.value for (t, k), c in corrected.items() if t == "section"})  # raises if it cannot
    return Correction(report_path, target, key, value, original, reason, reviewer, when)


def record(store: Store, report_path: str, target: str, key: str, value: str | None, reason: str, reviewer: str,
           at=None) -> Correction:
    """Check and store one correction; returns it as stored (re-check with :func:`recheck`)."""
    c = check(store, report_path, target, key, value, reason, reviewer, at)
    store.add_correction(c.report_path, c.target, c.key, c.value, c.original, c.reason, c.reviewer, c.at)
    return c


def history(store: Store, report_path: str | None = None) -> list[Correction]:
    return [Correction(*row) for row in store.correction_history(report_path)]


def current(store: Store, report_path: str | None = None) -> dict[str, dict[tuple[str, str], Correction]]:
    """report path → (target, key) → its current correction (withdrawn ones left out)."""
    latest: dict[tuple[str, str, str], Correction] = {}
    for c in history(store, report_path):
        latest[(c.report_path, c.target, c.key)] = c
    out: dict[str, dict[tuple[str, str], Correction]] = {}
    for (path, target, key), c in latest.items():
        if c.value is not None:
            out.setdefault(path, {})[(target, key)] = c
    return out


def digest(corrections: dict[tuple[str, str], Correction] | None, rules_version: str = "") -> str | None:
    """What a report's re-checked rows were made from; None when it has no corrections."""
    if not corrections:
        return None
    data = json.dumps([rules_version] + [[t, k, c.value] for (t, k), c in sorted(corrections.items())],
                      ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------- applying


def apply_fields(fields: Fields, corrections: dict[tuple[str, str], Correction]) -> None:
    """Put the corrected cells into ``fields`` (labels, page and span kept from the reading)."""
    for (target, key), c in sorted(corrections.items()):
        if target != "field" or key not in fields:
            continue
        old = fields[key]
        kind, number = cell_value(c.value)
        fields[key] = Value(number, kind, c.value or "", old.table, old.row_label, old.column_label, old.page,
                            old.span, old.unit)


def apply_meta(meta: Meta, corrections: dict[tuple[str, str], Correction]) -> None:
    for (target, key), c in sorted(corrections.items()):
        if target == "meta":
            setattr(meta, key, _meta_value(key, c.value))


def recut(sections: list[Section], starts: dict[int, str]) -> list[Section]:
    """The sections with some starting at the words given (``starts``: number → the words): the report's
    text (the sections in order) is cut again at every section's start. Raises CorrectionError when the
    words are not in the text or would put the sections out of order."""
    if not starts:
        return sections
    parts, offsets, pos = [], {}, 0
    for s in sorted(sections, key=lambda s: s.number):
        offsets[s.number] = pos
        parts.append(s.text)
        pos += len(s.text) + 1
    full = "\n".join(parts)
    titles = {s.number: s.title for s in sections}
    for n, words in starts.items():
        at = full.find(words)
        if at < 0:
            squeezed = re.sub(r"\s+", "", words)
            m = re.search(r"\s*".join(map(re.escape, squeezed)), full) if squeezed else None
            if m is None:
                raise CorrectionError(f"section {SECTION_NAMES[n - 1]}: the words {words!r} are not in the report's "
                                      "text")
            at = m.start()
        offsets[n] = at
        titles.setdefault(n, None)
    order = sorted(offsets)
    for a, b in zip(order, order[1:]):
        if offsets[a] > offsets[b]:
            raise CorrectionError(f"section {SECTION_NAMES[b - 1]} would start before section {SECTION_NAMES[a - 1]}")
    out = []
    for i, n in enumerate(order):
        end = offsets[order[i + 1]] if i + 1 < len(order) else len(full)
        text = full[offsets[n]:end].strip()
        title = titles.get(n) if n not in starts else text.split("\n", 1)[0][:40]
        out.append(Section(number=n, title=title, pages=[], text=text, first_block=0, last_block=0))
    return out


def views(corrections: dict[tuple[str, str], Correction], fields: Fields | None) -> list[dict]:
    """The corrections as the memo lists them: where (both languages), the reading, the correction, why,
    who and when."""
    from audit.checks import explain

    out = []
    for (target, key), c in sorted(corrections.items()):
        if target == "field":
            v = fields.get(key) if fields is not None else None
            where = explain.cell_label(key, v) if v is not None else key
            where_zh = where_en = f"{where}（{key}）"
        elif target == "meta":
            names = {"agency": ("机关名称", "agency"), "year": ("报告年度", "year"), "published": ("发布日期", "published"),
                     "level": ("报告类别", "level")}[key]
            where_zh, where_en = names
        else:
            where_zh, where_en = f"第{SECTION_NAMES[int(key) - 1]}部分的起点", f"start of section {key}"
        out.append({"target": target, "key": key, "where": {"zh": where_zh, "en": where_en},
                    "original": c.original, "value": c.value, "reason": c.reason, "reviewer": c.reviewer,
                    "at": c.at})
    return out


# ----------------------------------------------------------------------------------- re-check


def recheck(store: Store, ruleset=None, paths: list[str] | None = None) -> list[str]:
    """Evaluate again the own rules (and the narrative analysis, when the run made one) of every report
    whose corrections changed since its rows were made, on its corrected reading; store the new findings,
    checks and score. Returns the paths of the reports re-checked."""
    from audit import checks as _checks
    from audit import memo
    from audit.batch.results import load_result, rubric_of

    ruleset = ruleset if ruleset is not None else _checks.load_rules()
    version = str(ruleset.version)
    states = store.corrected_states()
    corr = current(store)
    done = []
    for path in sorted(paths if paths is not None else states):
        if path not in states:
            continue
        want = digest(corr.get(path), version)
        if states[path] == want:
            continue
        result = load_result(store, path)
        narrative = any(c.rule_id.startswith("NARR") for c in result.checks)
        own, evaluated = _checks.run(result.document, result.fields, ruleset, today=result.audited)
        if narrative:
            from audit import narrative as narr

            nf, nc = narr.analyse(result.document)
            own, evaluated = own + nf, evaluated + nc
        cross = [f for f in result.findings if f.kind == "cross"]
        result.findings, result.checks = own + cross, evaluated
        score = memo.score(result, rubric_of(result))
        store.put_rechecked(path, findings=[f.to_json() for f in own], checks=[c.to_json() for c in evaluated],
                            score=score, corrected=want)
        done.append(path)
    return done


# ------------------------------------------------------------------------------------------- CSV


def export_csv(store: Store, path: str | Path) -> int:
    rows = history(store)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        w.writerows([["" if v is None else spreadsheet.to_csv(str(v)) for v in c.row()] for c in rows])
    return len(rows)


def import_csv(store: Store, path: str | Path) -> dict:
    """Add a CSV file's corrections (all or none; every line checked first); rows already held are skipped.
    An empty ``value`` of a field is a blank cell; to withdraw a correction write ``(withdrawn)``."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CorrectionError(f"{path}: cannot read the corrections file: {exc}") from None
    if not rows:
        raise CorrectionError(f"{path}: empty file; expected the header {','.join(CSV_COLUMNS)}")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise CorrectionError(f"{path}:1: missing column(s) {', '.join(missing)}")
    col = {c: header.index(c) for c in CSV_COLUMNS}
    problems, good = [], []
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{path}:{line}: {len(row)} cells, the header has {len(header)}")
            continue
        get = {c: spreadsheet.from_csv(row[i].strip()) for c, i in col.items()}
        value = None if get["value"] == "(withdrawn)" else get["value"]
        try:
            good.append(check(store, get["report_path"], get["target"], get["key"], value, get["reason"],
                              get["reviewer"], get["at"] or None))
        except CorrectionError as exc:
            problems.append(f"{path}:{line}: {exc.reason}")
    if problems:
        raise CorrectionError("\n".join(problems))
    have = {c.row() for c in history(store)}
    added = 0
    for c in good:
        if c.row() not in have:
            store.add_correction(c.report_path, c.target, c.key, c.value, c.original, c.reason, c.reviewer, c.at)
            have.add(c.row())
            added += 1
    return {"added": added, "skipped": len(good) - added}
