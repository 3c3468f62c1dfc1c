"""Cross-report checks: the ``scope: run`` rules of the ruleset, evaluated over everything in the store.

Run once all reports are in (and again after every run: the results depend only on the store's content, so
a resumed or re-run batch gets the same rows). What each rule kind does here:

- ``sum`` / ``balance`` with ``pair: previous_year`` (XY-CARRY, XY-INFORCE): each binding of ``for_each``
  compares this report's fields with ``prev:`` fields of the same agency's report for the year before;
- ``sum`` with ``pair: members`` (CONS-SUM): a consolidated report's fields (``{field}``: every field it
  has) against the sum over its member agencies' reports (``members:``), when the agency map declares the
  members and all of them are in the run, see :mod:`audit.batch.agencies`;
- ``similarity`` with ``pair: previous_year`` (XY-COPY): the share of the section's shingles found in the
  previous report's section, and the sentences carried over word for word;
- ``near_duplicate`` with ``pair: other_agency`` (XA-DUP): MinHash LSH over the sections of every report,
  pairs of different agencies at or above ``threshold`` (Jaccard), each report of the pair getting a finding
  that names the other and quotes the longest shared passage.

An instance exists when this report has its first field; a missing or non-numeric field elsewhere makes it
not assessable (a blank is never 0); amounts compare within half a unit of each term's last decimal.
Several reports of one agency and year (the same report as PDF and HTML): the one with the smallest path
stands for that year as the ``prev`` of the next.
"""
from __future__ import annotations

import fnmatch
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from audit.batch import textsim
from audit.batch.agencies import AgencyMap, place_of
from audit.batch.store import Store
from audit.model import Check, Finding, Location, Outcome, Severity

SECTION_ZH = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}
MIN_SECTION_CHARS = 30  # canonical characters a section needs before it can be a near-duplicate


@dataclass
class Cell:
    value: str | None
    kind: str
    table: str | None
    row_label: str | None
    column_label: str | None

    def number(self) -> int | Decimal | None:
        if self.kind != "number" or self.value is None:
            return None
        try:
            return int(self.value) if re.fullmatch(r"-?\d+", self.value) else Decimal(self.value)
        except (ValueError, InvalidOperation):
            return None


@dataclass
class Rep:
    id: str
    path: str
    agency: str | None
    key: str
    year: int | None
    level: str | None
    format: str | None
    fields: dict[str, Cell] = field(default_factory=dict)
    sections: dict[int, str] = field(default_factory=dict)


class Run:
    """The store's reports, matched by agency and year."""

    def __init__(self, store: Store, amap: AgencyMap):
        self.amap = amap
        self.reps: dict[str, Rep] = {}
        for rid, path, agency, year, level, fmt in store.db.execute(
                "SELECT id, path, agency, year, level, format FROM reports ORDER BY path"):
            self.reps[rid] = Rep(rid, path, agency, amap.key(agency), year, level, fmt)
        for rid, fid, value, kind, table, row, col in store.db.execute(
                "SELECT report_id, field_id, value, kind, table_id, row_label, column_label FROM fields"):
            self.reps[rid].fields[fid] = Cell(value, kind, table, row, col)
        for rid, number, text in store.db.execute("SELECT report_id, number, text FROM sections"):
            self.reps[rid].sections[number] = text or ""
        self.by_key_year: dict[tuple[str, int], Rep] = {}
        for rep in self.reps.values():  # in path order: the first one stands for its agency and year
            if rep.key and rep.year is not None:
                self.by_key_year.setdefault((rep.key, rep.year), rep)

    def ordered(self) -> list[Rep]:
        return sorted(self.reps.values(), key=lambda r: r.path)

    def previous(self, rep: Rep) -> Rep | None:
        if not rep.key or rep.year is None:
            return None
        return self.by_key_year.get((rep.key, rep.year - 1))

    def members(self, gov: Rep) -> tuple[list[Rep], list[str], list[Rep]]:
        """(declared members' reports present, declared members missing, reports that look like members
        by name). Only a declaration (the agency map) makes a membership, see :mod:`audit.batch.agencies`."""
        same_year = [r for r in self.ordered() if r.year == gov.year and r.key != gov.key]
        declared = self.amap.members.get(gov.key, set())
        present: dict[str, Rep] = {}
        for r in same_year:
            if r.key in declared:
                present.setdefault(r.key, r)
        place = place_of(gov.key)
        by_name = [r for r in same_year if place and r.level != "government" and r.key.startswith(place)]
        return list(present.values()), sorted(declared - set(present)), by_name


def run(store: Store, ruleset, agency_map: str | Path | None = None) -> None:
    """Evaluate every run rule and replace the store's cross-report rows."""
    amap = AgencyMap.load(agency_map)
    data = Run(store, amap)
    findings: dict[str, list[dict]] = {rid: [] for rid in data.reps}
    checks: dict[str, list[dict]] = {rid: [] for rid in data.reps}
    for rule in getattr(ruleset, "run_rules", []):
        if rule.kind == "near_duplicate":
            results = near_duplicate(rule, data)
        else:
            results = {rep.id: evaluate(rule, rep, data) for rep in data.ordered()}
        for rid, (check, found) in results.items():
            check.findings = len(found)
            checks[rid].append(check.to_json())
            findings[rid].extend(f.to_json() for f in found)
    store.replace_cross({rid: rep.key for rid, rep in data.reps.items()}, findings, checks)


def _check(rule, outcome: Outcome, reason: str | None = None) -> Check:
    return Check(rule.id, rule.title_zh, rule.title_en, outcome, Severity(rule.severity), reason)


def _applies(rule, rep: Rep) -> str | None:
    """Why the rule is not applicable to this report, or None."""
    if rep.format is not None and rep.format not in rule.formats:
        return f"for the {'/'.join(rule.formats)} format; this report is in the {rep.format} format"
    level = rep.level or "department"
    if level not in rule.levels:
        return f"for {'/'.join(rule.levels)} reports; this one is {level}"
    when = rule.get("when") or {}
    name = rep.agency or ""
    if "agency_regex" in when and not re.search(when["agency_regex"], name):
        return "not for this agency"
    if "agency_not_regex" in when and re.search(when["agency_not_regex"], name):
        return "not for this agency"
    return None


def evaluate(rule, rep: Rep, data: Run) -> tuple[Check, list[Finding]]:
    why = _applies(rule, rep)
    if why:
        return _check(rule, Outcome.NOT_APPLICABLE, why), []
    pair = rule.get("pair")
    if pair == "previous_year":
        prev = data.previous(rep)
        if prev is None:
            return _check(rule, Outcome.NOT_APPLICABLE,
                          f"no report of this agency for {rep.year - 1 if rep.year else 'the year before'} in the run"), []
        why = _applies(rule, prev)
        if why:
            return _check(rule, Outcome.NOT_APPLICABLE, f"the previous report: {why}"), []
        if rule.kind == "similarity":
            return similarity(rule, rep, prev)
        return identity(rule, rep, {"prev": [prev]})
    if pair == "members":
        if rep.level != "government":
            return _check(rule, Outcome.NOT_APPLICABLE, "not a consolidated (government) report"), []
        members, missing, by_name = data.members(rep)
        if missing:
            return _check(rule, Outcome.NOT_ASSESSABLE,
                          f"members missing from the run: {', '.join(missing[:10])}"), []
        if not members:
            looks = ", ".join(r.path for r in by_name[:10]) or "none"
            return _check(rule, Outcome.NOT_ASSESSABLE,
                          "no member list declared for this government (--agency-map member_of); "
                          f"reports that look like members by name: {looks}"), []
        return identity(rule, rep, {"members": members})
    return _check(rule, Outcome.NOT_ASSESSABLE, f"{rule.kind} rules with pair {pair!r} are not evaluated by the batch"), []


# ------------------------------------------------------------------------------------- identities

_VAR = re.compile(r"\{([a-z_]+)\}")
_PREFIX = re.compile(r"^(prev|members):")


def _bindings(rule, rep: Rep) -> list[dict[str, str]]:
    """Every binding of the rule's variables for this report (``{field}``: every field it has)."""
    for_each: dict = dict(rule.get("for_each") or {})
    first = _templates(rule)[0]
    if "field" in _VAR.findall(first) and "field" not in for_each:
        for_each["field"] = ["*"]
    out: list[dict[str, str]] = [{}]
    for var, values in for_each.items():
        nxt = []
        for b in out:
            for v in values:
                if any(ch in str(v) for ch in "*?["):
                    nxt.extend({**b, var: x} for x in _glob_values(first, b, var, str(v), rep))
                else:
                    nxt.append({**b, var: str(v)})
        out = nxt
    return out


def _glob_values(template: str, bound: dict, var: str, pattern: str, rep: Rep) -> list[str]:
    """Values of ``var`` matching ``pattern`` for which ``template`` names a field of the report."""
    t = _PREFIX.sub("", template)
    regex = re.escape(t)
    for name in _VAR.findall(t):
        token = re.escape("{" + name + "}")
        repl = re.escape(bound[name]) if name in bound else ("(?P<v>.+)" if name == var else ".+")
        regex = regex.replace(token, repl, 1)
    found = set()
    for fid in rep.fields:
        m = re.fullmatch(regex, fid)
        if m and fnmatch.fnmatchcase(m.group("v"), pattern):
            found.add(m.group("v"))
    return sorted(found)


def _templates(rule) -> list:
    lhs = rule.get("left") or [rule.get("total")]
    return [t for t in lhs + list(rule.get("right") or rule.get("parts") or []) + list(rule.get("minus") or [])]


@dataclass
class Term:
    rep: Rep
    fid: str
    role: str  # self | prev | members
    cell: Cell | None


def _resolve(template, b: dict, rep: Rep, others: dict[str, list[Rep]]) -> list[Term]:
    if isinstance(template, dict):  # {one_of: [...]}: the first alternative this report has
        alts = template.get("one_of", [])
        chosen = next((a for a in alts if _PREFIX.sub("", _fill(a, b)) in rep.fields), alts[0] if alts else None)
        return _resolve(chosen, b, rep, others) if chosen else []
    fid = _fill(template, b)
    m = _PREFIX.match(fid)
    if not m:
        return [Term(rep, fid, "self", rep.fields.get(fid))]
    fid = fid[m.end():]
    return [Term(r, fid, m.group(1), r.fields.get(fid)) for r in others.get(m.group(1), [])]


def _fill(template: str, b: dict) -> str:
    return _VAR.sub(lambda m: b.get(m.group(1), m.group(0)), template)


def _total(terms: list[Term]) -> tuple[int | Decimal, Decimal]:
    """The sum of the terms and its rounding tolerance (half a unit of each decimal's last digit)."""
    total: int | Decimal = 0
    tol = Decimal(0)
    for t in terms:
        n = t.cell.number()
        total += n
        if isinstance(n, Decimal) and n.as_tuple().exponent < 0:
            tol += Decimal(1).scaleb(n.as_tuple().exponent) / 2
    return total, tol


def identity(rule, rep: Rep, others: dict[str, list[Rep]]) -> tuple[Check, list[Finding]]:
    lhs_t = rule.get("left") or [rule.get("total")]
    rhs_t = list(rule.get("right") or rule.get("parts") or [])
    minus_t = list(rule.get("minus") or [])
    findings: list[Finding] = []
    passed = 0
    unassessable: list[str] = []
    for b in _bindings(rule, rep):
        lhs = [t for x in lhs_t for t in _resolve(x, b, rep, others)]
        rhs = [t for x in rhs_t for t in _resolve(x, b, rep, others)]
        minus = [t for x in minus_t for t in _resolve(x, b, rep, others)]
        subject = next((t for t in lhs + rhs if t.role == "self"), None)
        if subject is None or subject.cell is None:
            continue  # the report has no such field: no instance
        bad = [t for t in lhs + rhs + minus if t.cell is None or t.cell.number() is None]
        if bad or not rhs:
            t = bad[0] if bad else subject
            what = "missing" if t.cell is None else f"not a number ({t.cell.kind})"
            unassessable.append(f"{t.fid} of {t.rep.path} is {what}")
            continue
        left, ltol = _total(lhs)
        right, rtol = _total(rhs)
        sub, mtol = _total(minus)
        right -= sub
        if abs(left - right) <= ltol + rtol + mtol:
            passed += 1
            continue
        findings.append(_identity_finding(rule, subject, lhs, rhs, minus, left, right))
    if findings:
        return _check(rule, Outcome.FAIL), findings
    if passed:
        return _check(rule, Outcome.PASS), []
    if unassessable:
        more = f" (and {len(unassessable) - 3} more)" if len(unassessable) > 3 else ""
        return _check(rule, Outcome.NOT_ASSESSABLE, "; ".join(unassessable[:3]) + more), []
    return _check(rule, Outcome.NOT_APPLICABLE, "none of the rule's fields is in this report"), []


def _label(t: Term) -> str:
    c = t.cell
    return "·".join(x for x in (c.row_label, c.column_label) if x) if c and (c.row_label or c.column_label) else t.fid


def _describe(terms: list[Term], minus: list[Term], lang: str) -> str:
    parts: list[str] = []
    groups = itertools.groupby(terms, key=lambda t: (t.role, t.fid))
    for (role, fid), grp in groups:
        grp = list(grp)
        label = _label(grp[0])
        if role == "self":
            parts.append(f"本报告“{label}”" if lang == "zh" else f"this report's {fid}")
        elif role == "prev":
            y = grp[0].rep.year
            parts.append(f"{y}年度报告“{label}”" if lang == "zh" else f"the {y} report's {fid}")
        else:
            parts.append(f"{len(grp)}个所属机关报告“{label}”之和" if lang == "zh"
                         else f"the sum of {fid} over {len(grp)} member reports")
    text = " + ".join(parts)
    for t in minus:
        text += f" − {_describe([t], [], lang)}"
    return text


def _plain_number(n) -> int | float:
    return n if isinstance(n, int) else float(n)


def _identity_finding(rule, subject: Term, lhs, rhs, minus, left, right) -> Finding:
    l_zh, r_zh = _describe(lhs, [], "zh"), _describe(rhs, minus, "zh")
    l_en, r_en = _describe(lhs, [], "en"), _describe(rhs, minus, "en")
    others = sorted({t.rep.path for t in rhs + minus + lhs if t.role != "self"})
    details = {
        "terms": [{"report": t.rep.path, "year": t.rep.year, "field": t.fid, "role": t.role,
                   "value": _plain_number(t.cell.number()), "sign": -1 if any(t is m for m in minus) else 1}
                  for t in lhs + rhs + minus],
        "reports": others,
        "difference": _plain_number(left - right),
    }
    return Finding(
        rule_id=rule.id,
        severity=Severity(rule.severity),
        kind="cross",
        message_zh=f"{rule.title_zh}：{l_zh} 为 {left}，而 {r_zh} 为 {right}（相差 {left - right}）。",
        message_en=f"{rule.title_en}: {l_en} is {left}, but {r_en} is {right} (a difference of {left - right}).",
        location=Location(table=subject.cell.table, row_label=subject.cell.row_label,
                          column_label=subject.cell.column_label,
                          field_ids=sorted({t.fid for t in lhs + rhs + minus if t.role == "self"})),
        expected=_plain_number(right),
        found=_plain_number(left),
        details=details,
    )


# ------------------------------------------------------------------------------------ copied text


def similarity(rule, rep: Rep, prev: Rep) -> tuple[Check, list[Finding]]:
    threshold = float(rule.get("threshold"))
    k = int(rule.get("shingle_chars", 5))
    min_chars = int(rule.get("quote_min_chars", 12))
    findings: list[Finding] = []
    assessed = 0
    for number in rule.get("sections", [5]):
        cur, old = rep.sections.get(number), prev.sections.get(number)
        if not cur or not old or not textsim.canon(cur) or not textsim.canon(old):
            continue
        assessed += 1
        share = textsim.containment(textsim.shingles(textsim.canon(cur), k), textsim.shingles(textsim.canon(old), k))
        carried = textsim.carried_over(cur, old, min_chars)
        if share < threshold and not carried:
            continue
        copied = share >= threshold
        sec = SECTION_ZH.get(number, str(number))
        quote = "；".join(f"“{s}”" for s in carried[:5])
        zh = (f"第{sec}部分有 {share:.0%} 与 {prev.year} 年度报告相同" + ("（超过一半，视为照搬）" if copied else "")
              + (f"；逐字沿用的句子 {len(carried)} 句：{quote}" if carried else "") + "。")
        en = (f"Section {number}: {share:.0%} repeats the {prev.year} report" + (" (copied)" if copied else "")
              + (f"; {len(carried)} sentence(s) carried over word for word" if carried else "") + ".")
        findings.append(Finding(
            rule_id=rule.id,
            severity=Severity(rule.severity) if copied else Severity.INFO,
            kind="cross",
            message_zh=f"{rule.title_zh}：{zh}",
            message_en=f"{rule.title_en}: {en}",
            location=Location(section=number),
            expected=f"< {threshold:.0%}",
            found=round(share, 3),
            details={"share": round(share, 3), "threshold": threshold, "previous": prev.path,
                     "previous_year": prev.year, "carried_over": carried},
        ))
    if not assessed:
        return _check(rule, Outcome.NOT_ASSESSABLE, "the section is missing or empty in this or the previous report"), []
    failed = any(f.severity is not Severity.INFO for f in findings)
    return _check(rule, Outcome.FAIL if failed else Outcome.PASS), findings


def near_duplicate(rule, data: Run) -> dict[str, tuple[Check, list[Finding]]]:
    threshold = float(rule.get("threshold"))
    k = int(rule.get("shingle_chars", 5))
    num_perm = int(rule.get("num_perm", 128))
    reps = data.ordered()
    found: dict[str, list[Finding]] = {r.id: [] for r in reps}
    compared: set[str] = set()
    for number in rule.get("sections", [1, 5]):
        texts = {}
        for r in reps:
            if _applies(rule, r) is None and len(textsim.canon(r.sections.get(number, ""))) >= MIN_SECTION_CHARS:
                texts[r.path] = r.sections[number]
        compared.update(texts)
        by_path = {r.path: r for r in reps}
        pairs = textsim.near_duplicates(texts, threshold=threshold, k=k, num_perm=num_perm,
                                        allowed=lambda a, b: by_path[a].key != by_path[b].key)
        for a, b, j in pairs:
            ra, rb = by_path[a], by_path[b]
            passage = textsim.shared_passage(texts[a], texts[b])
            found[ra.id].append(_dup_finding(rule, number, rb, j, passage))
            found[rb.id].append(_dup_finding(rule, number, ra, j, passage))
    out = {}
    for r in reps:
        why = _applies(rule, r)
        if why:
            out[r.id] = (_check(rule, Outcome.NOT_APPLICABLE, why), [])
        elif r.path not in compared:
            out[r.id] = (_check(rule, Outcome.NOT_ASSESSABLE, "the sections are missing or too short to compare"), [])
        else:
            fs = sorted(found[r.id], key=lambda f: (f.location.section, f.details["other"]))
            out[r.id] = (_check(rule, Outcome.FAIL if fs else Outcome.PASS), fs)
    return out


def _dup_finding(rule, number: int, other: Rep, j: float, passage: str) -> Finding:
    sec = SECTION_ZH.get(number, str(number))
    who = other.agency or other.path
    return Finding(
        rule_id=rule.id,
        severity=Severity(rule.severity),
        kind="cross",
        message_zh=f"{rule.title_zh}：第{sec}部分与{who}（{other.year}年度，{other.path}）高度雷同"
                   f"（相似度 {j:.0%}）；共同段落：“{passage}”",
        message_en=f"{rule.title_en}: section {number} is a near-duplicate of {who}'s ({other.year}, {other.path}),"
                   f" similarity {j:.0%}; shared passage: “{passage}”",
        location=Location(section=number),
        expected=f"< {rule.get('threshold'):.0%}",
        found={"other": other.path, "similarity": round(j, 3)},
        details={"other": other.path, "other_agency": other.agency, "other_year": other.year,
                 "similarity": round(j, 3), "shared_passage": passage},
    )
