"""Review decisions on a run's findings: record them, read them back for memos and tables, move them as CSV.

A decision (``confirm``, ``dismiss`` or ``comment``) names a finding by its fingerprint and the report it
belongs to, with the reviewer and the time; it goes into the store's ``reviews`` table, which a re-run of
the batch never touches, and keeps matching the finding as long as the re-audit finds the same defect (the
fingerprint is the rule, the place and what was found, not the wording). Every decision is kept: the
history is the table, and the current state of a finding is folded from it by :func:`current`:

* its decision is the latest ``confirm`` or ``dismiss`` (``comment`` when it has only comments);
* its reviewer and time are that entry's;
* its comment is that entry's comment followed by the comments made after it (``reviewer: text``).

:func:`for_report` gives one report's state as the mapping ``audit.memo`` renders (fingerprint →
``{"decision", "reviewer", "at", "comment"}``): confirmed findings are marked, dismissed ones set apart
and left out of the score.

CSV (UTF-8, a BOM is accepted; header ``report_path,fingerprint,decision,reviewer,comment,at``) carries
decisions between runs and people. An import is checked whole before anything is written, and each problem
names its line; a row already in the store is skipped, so importing the same file twice changes nothing.
Text a spreadsheet would take for a formula (``=…``, ``+…``, ``@…``, ``-…`` that is no number) is written
with a leading ``'`` (CSV injection), which the import takes off again.
"""
from __future__ import annotations

import csv
import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from audit.batch import spreadsheet
from audit.batch.store import Store
from audit.errors import AuditError

DECISIONS = ("confirm", "dismiss", "comment")
CSV_COLUMNS = ("report_path", "fingerprint", "decision", "reviewer", "comment", "at")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


class ReviewError(AuditError):
    """A decision that cannot be recorded, or a decisions file that cannot be imported."""

    code = "bad_review"


@dataclass(frozen=True)
class Decision:
    """One entry of the review history."""

    report_path: str
    fingerprint: str
    decision: str
    reviewer: str
    comment: str | None
    at: str

    def row(self) -> tuple:
        return (self.report_path, self.fingerprint, self.decision, self.reviewer, self.comment, self.at)


def timestamp(at: str | _dt.datetime | _dt.date | None) -> str:
    """A decision's time as ISO text (seconds); now when None. Raises ValueError for text that is no time."""
    if at is None:
        return _dt.datetime.now().isoformat(timespec="seconds")
    if isinstance(at, _dt.datetime):
        return at.isoformat(timespec="seconds")
    if isinstance(at, _dt.date):
        return at.isoformat()
    text = str(at).strip()
    parsed = _dt.datetime.fromisoformat(text)  # raises ValueError
    return parsed.isoformat(timespec="seconds") if "T" in text or " " in text else parsed.date().isoformat()


def check(report_path: str, fingerprint: str, decision: str, reviewer: str, comment: str | None = None,
          at: str | _dt.datetime | None = None) -> Decision:
    """A decision with its fields checked and tidied (reviewer's spaces, empty comment, time as ISO text);
    raises ReviewError saying what is wrong."""
    if decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if not _FINGERPRINT.match(fingerprint or ""):
        raise ReviewError(f"fingerprint must be 16 hex digits, not {fingerprint!r}")
    reviewer = " ".join((reviewer or "").split())
    if not reviewer:
        raise ReviewError("a decision needs the reviewer's name")
    comment = (comment or "").strip() or None
    if decision == "comment" and not comment:
        raise ReviewError("a comment needs its text")
    try:
        when = timestamp(at)
    except ValueError:
        raise ReviewError(f"time must be ISO 8601 (2025-06-01T09:30:00), not {at!r}") from None
    if not report_path:
        raise ReviewError("a decision needs the report's path in the run")
    return Decision(report_path, fingerprint, decision, reviewer, comment, when)


def reports_with(store: Store, fingerprint: str) -> list[str]:
    """The paths of the run's reports that have a finding with this fingerprint."""
    return store.reports_with(fingerprint)


def resolve_report(store: Store, fingerprint: str, report: str | None = None) -> str:
    """The report a fingerprint belongs to: ``report`` when given (and it has that finding), else the only
    report that has it. Raises ReviewError when there is none, or several and ``report`` was not said."""
    paths = reports_with(store, fingerprint)
    if report is not None:
        if report not in paths:
            raise ReviewError(f"report {report!r} has no finding {fingerprint} in this run")
        return report
    if not paths:
        raise ReviewError(f"no finding {fingerprint} in this run")
    if len(paths) > 1:
        raise ReviewError(f"finding {fingerprint} is in {len(paths)} reports ({', '.join(paths)}); say which "
                          "with report=")
    return paths[0]


def record(store: Store, fingerprint: str, decision: str, reviewer: str, comment: str | None = None,
           at: str | _dt.datetime | None = None, report: str | None = None) -> Decision:
    """Check and store one decision on a finding of the run; returns it as stored."""
    if not _FINGERPRINT.match(fingerprint or ""):
        raise ReviewError(f"fingerprint must be 16 hex digits, not {fingerprint!r}")
    d = check(resolve_report(store, fingerprint, report), fingerprint, decision, reviewer, comment, at)
    store.add_review(*d.row())
    return d


def history(store: Store, report_path: str | None = None) -> list[Decision]:
    """Every decision, oldest first (of one report when ``report_path`` is given)."""
    return [Decision(*row) for row in store.review_history(report_path)]


def current(decisions: Iterable[Decision]) -> dict[tuple[str, str], dict]:
    """(report path, fingerprint) → the finding's current state, folded from its history (oldest first)."""
    grouped: dict[tuple[str, str], list[Decision]] = {}
    for d in decisions:
        grouped.setdefault((d.report_path, d.fingerprint), []).append(d)
    out = {}
    for key, entries in grouped.items():
        verdicts = [i for i, d in enumerate(entries) if d.decision != "comment"]
        base = entries[verdicts[-1]] if verdicts else entries[-1]
        notes = entries[verdicts[-1]:] if verdicts else entries
        texts = [n.comment if n.reviewer == base.reviewer else f"{n.reviewer}: {n.comment}"
                 for n in notes if n.comment]
        out[key] = {"decision": base.decision, "reviewer": base.reviewer, "at": base.at,
                    "comment": "; ".join(texts) or None}
    return out


def for_report(store: Store, report_path: str) -> dict[str, dict]:
    """One report's decisions as ``audit.memo`` takes them: fingerprint → {decision, reviewer, at, comment}."""
    return {fp: state for (_, fp), state in current(history(store, report_path)).items()}


def by_report(store: Store) -> dict[str, dict[str, dict]]:
    """Every report's decisions: report path → :func:`for_report`'s mapping (reports with decisions only)."""
    out: dict[str, dict[str, dict]] = {}
    for (path, fp), state in current(history(store)).items():
        out.setdefault(path, {})[fp] = state
    return out


def tally(store: Store, decided: dict[str, dict[str, dict]] | None = None) -> dict[str, dict[str, int]]:
    """Report path → counts of its findings (its own and the cross-report ones): per severity (``error``,
    ``warning``, ``info``) and ``cross`` (of the cross-report checks), dismissed findings left out as the memo
    leaves them out; and per review state: ``confirm``, ``dismiss``, ``comment`` (commented only) and
    ``open`` (neither confirmed nor dismissed)."""
    decided = by_report(store) if decided is None else decided
    out: dict[str, dict[str, int]] = {}
    for path, fp, scope, severity in store.finding_states():
        c = out.setdefault(path, dict.fromkeys(("error", "warning", "info", "cross", *DECISIONS, "open"), 0))
        state = decided.get(path, {}).get(fp, {}).get("decision")
        if state in DECISIONS:
            c[state] += 1
        if state == "dismiss":
            continue
        c["open"] += state != "confirm"
        c[severity] = c.get(severity, 0) + 1
        c["cross"] += scope == "run"
    return out


def reviewed_scores(store: Store, decided: dict[str, dict[str, dict]] | None = None) -> dict[str, tuple]:
    """Report path → (score, grade id) after review: the stored score (the audit's, with its cross-report
    findings), scored again without the dismissed findings where a reviewer dismissed any (with the rubric
    the report was scored with)."""
    from audit.batch.results import load_result, rubric_of
    from audit.memo.context import memo_score

    decided = by_report(store) if decided is None else decided
    out = store.scores()
    for path, decisions in decided.items():
        if path in out and any(d["decision"] == "dismiss" for d in decisions.values()):
            result = load_result(store, path)
            sc = memo_score(result, decisions, rubric_of(result))
            out[path] = (float(sc["total"]), sc["grade"]["id"])
    return out


def record_many(store: Store, findings: Iterable[tuple[str, str]], decision: str, reviewer: str,
                comment: str | None = None, at: str | _dt.datetime | None = None) -> list[Decision]:
    """One decision on many findings, given as (report path, fingerprint), each checked against the run, all
    stored in one transaction (none when any is wrong). Findings already in that state (same decision, same
    reviewer) are left as they are. Returns the decisions stored."""
    findings = list(dict.fromkeys(findings))
    state = by_report(store)
    out = []
    for path, fp in findings:
        d = check(resolve_report(store, fp, path), fp, decision, reviewer, comment, at)
        now = state.get(path, {}).get(fp, {})
        if decision != "comment" and now.get("decision") == decision and now.get("reviewer") == d.reviewer \
                and not d.comment:
            continue
        out.append(d)
    if out:
        store.add_reviews([d.row() for d in out])
    return out


# ----------------------------------------------------------------------------------- root causes


@dataclass
class Cause:
    """Findings that one thing explains: a table cell whose correction makes all of them go away (the
    localisation's suggestion), or, for the findings no cell explains, one rule firing in the run."""

    id: str
    kind: str  # cell | rule
    key: str  # the field id (cell) or the rule id (rule)
    path: str | None  # the report (cell); None for a rule across the run
    description: dict  # {"zh", "en"}
    members: list  # [(path, fingerprint, rule_id, severity)]


def causes(store: Store) -> list[Cause]:
    """The run's findings grouped by their likely root cause, the largest groups first: every finding of a
    report that the same suggested cell correction explains is one cause (a misread or mistyped cell that
    breaks several identities), and the remaining findings are grouped by rule (a rule that fires the same
    way across many reports, e.g. a layout it does not read)."""
    import hashlib
    import json

    groups: dict[tuple, list] = {}
    labels: dict[tuple, tuple] = {}
    for r in store.cause_rows():
        cell = None
        for alt in json.loads(r["suggestion"] or "null") or []:
            cells = [c.get("field") for c in alt.get("cells", []) if c.get("field")]
            if cells:
                cell = cells[0]
                break
        key = ("cell", r["path"], cell) if cell else ("rule", None, r["rule_id"])
        groups.setdefault(key, []).append((r["path"], r["fingerprint"], r["rule_id"], r["severity"]))
        if key not in labels:
            labels[key] = (r["agency"], r["year"])
    out = []
    for (kind, path, k), members in groups.items():
        if kind == "cell":
            agency, year = labels[(kind, path, k)]
            rules = "、".join(dict.fromkeys(m[2] for m in members))
            zh = f"{agency or path} {year or ''}：单元格 {k} 一处更正即可消除 {len(members)} 个问题（{rules}）"
            en = f"{agency or path} {year or ''}: one correction of cell {k} explains {len(members)} finding(s) ({rules})"
        else:
            n = len({m[0] for m in members})
            zh = f"规则 {k}：{n} 份报告中的 {len(members)} 个问题"
            en = f"Rule {k}: {len(members)} finding(s) in {n} report(s)"
        cid = hashlib.sha256(json.dumps([kind, path, k]).encode("utf-8")).hexdigest()[:12]
        out.append(Cause(cid, kind, k, path, {"zh": zh, "en": en}, members))
    out.sort(key=lambda c: (-len(c.members), c.kind, c.key, c.path or ""))
    return out


# ------------------------------------------------------------------------------------------- CSV


def export_csv(store: Store, path: str | Path) -> int:
    """Write the whole history to ``path`` (UTF-8 with a BOM, so Excel shows the Chinese); returns the rows."""
    rows = history(store)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        w.writerows([["" if v is None else spreadsheet.to_csv(v) for v in d.row()] for d in rows])
    return len(rows)


@dataclass(frozen=True)
class Imported:
    added: int
    skipped: int  # already in the store


def read_csv(store: Store, path: str | Path) -> list[Decision]:
    """The decisions of a CSV file, every row checked against the run; raises ReviewError naming the
    file and line of each problem (all of them, one per line of the message)."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReviewError(f"{path}: cannot read the decisions file: {exc}") from None
    if not rows:
        raise ReviewError(f"{path}: empty file; expected the header {','.join(CSV_COLUMNS)}")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ReviewError(f"{path}:1: missing column(s) {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}")
    col = {c: header.index(c) for c in CSV_COLUMNS}
    known: dict[str, list[str]] = {}
    problems, out = [], []
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{path}:{line}: {len(row)} cells, the header has {len(header)}")
            continue
        get = {c: spreadsheet.from_csv(row[i].strip()) for c, i in col.items()}
        if not get["at"]:
            problems.append(f"{path}:{line}: no time in column at")
            continue
        try:
            d = check(get["report_path"], get["fingerprint"], get["decision"], get["reviewer"], get["comment"],
                      get["at"])
        except ReviewError as exc:
            problems.append(f"{path}:{line}: {exc.reason}")
            continue
        paths = known.setdefault(d.fingerprint, reports_with(store, d.fingerprint))
        if d.report_path not in paths:
            problems.append(f"{path}:{line}: report {d.report_path!r} has no finding {d.fingerprint} in this run")
            continue
        out.append(d)
    if problems:
        raise ReviewError("\n".join(problems))
    return out


def import_csv(store: Store, path: str | Path) -> Imported:
    """Add a CSV file's decisions to the store in one transaction (all or none); rows the store already
    holds are skipped."""
    decisions = read_csv(store, path)
    have = {d.row() for d in history(store)}
    new = []
    for d in decisions:
        if d.row() not in have:
            new.append(d)
            have.add(d.row())
    with store.transaction():
        store.import_reviews([d.row() for d in new])
    return Imported(added=len(new), skipped=len(decisions) - len(new))
