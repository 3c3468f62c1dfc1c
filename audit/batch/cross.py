"""Cross-report checks: the ``scope: run`` rules of the ruleset, evaluated over everything in the store.

Run once all reports are in (and again after every run: the results depend only on the store's content, so
a resumed or re-run batch gets the same rows). This module pairs the reports; what each rule kind does:

- ``sum`` / ``balance`` with ``pair: previous_year`` (XY-CARRY, XY-INFORCE) and ``sum`` with
  ``pair: members`` (CONS-SUM): evaluated by the checks engine (:func:`audit.checks.cross.evaluate`, as a
  per-report rule is, with the rule's YAML cases), on the report's fields with the same agency's report
  for the year before as ``prev:`` fields, or the sum over the consolidated report's member agencies'
  reports as ``members:`` fields (when the agency map declares the members and all of them are in the run,
  see :mod:`audit.batch.agencies`); each finding names the other reports in its message and details;
- ``similarity`` with ``pair: previous_year`` (XY-COPY): the share of the section's shingles found in the
  previous report's section, and the sentences carried over word for word;
- ``near_duplicate`` with ``pair: other_agency`` (XA-DUP): MinHash LSH over the sections of every report,
  pairs of different agencies at or above ``threshold`` (Jaccard), each report of the pair getting a finding
  that names the other and quotes the longest shared passage.

Several reports of one agency and year (the same report as PDF and HTML): the one with the smallest path
stands for that year as the ``prev`` of the next.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from audit.batch import textsim
from audit.batch.agencies import AgencyMap, place_of
from audit.batch.results import load, load_fields, meta_of
from audit.batch.store import Store
from audit.checks import cross as numeric_cross
from audit.checks import explain
from audit.model import Check, Document, Fields, Finding, Location, Outcome, Severity, Source, Text

SECTION_ZH = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}
MIN_SECTION_CHARS = 30  # canonical characters a section needs before it can be a near-duplicate


@dataclass
class Rep:
    id: str
    path: str
    agency: str | None
    key: str
    year: int | None
    level: str | None
    doc: Document
    fields: Fields
    sections: dict[int, str] = field(default_factory=dict)


class Run:
    """The store's reports, matched by agency and year."""

    def __init__(self, store: Store, amap: AgencyMap):
        self.amap = amap
        self.reps: dict[str, Rep] = {}
        for rid, path, sha, agency, year, level, meta, tables in store.db.execute(
                "SELECT id, path, sha256, agency, year, level, meta, tables FROM reports ORDER BY path").fetchall():
            m = meta_of(load(meta) or {})
            doc = Document(source=Source(path, sha, "", 0), blocks=[], meta=m)
            self.reps[rid] = Rep(rid, path, agency, amap.key(agency), year, level, doc,
                                 load_fields(store, rid, load(tables) or {}, m))
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


def _check(rule, outcome: Outcome, reason: Text | None = None) -> Check:
    return Check(rule.id, rule.title_zh, rule.title_en, outcome, Severity(rule.severity), reason)


def _applies(rule, rep: Rep) -> Text | None:
    """Why the rule is not applicable to this report (its format, level, agency), or None."""
    why = numeric_cross.applicable(rule, rep.doc, rep.fields)
    return why[1] if why else None


def evaluate(rule, rep: Rep, data: Run) -> tuple[Check, list[Finding]]:
    why = _applies(rule, rep)
    if why:
        return _check(rule, Outcome.NOT_APPLICABLE, why), []
    pair = rule.get("pair")
    if pair == "previous_year":
        prev = data.previous(rep)
        if prev is None:
            year = Text(f"{rep.year - 1}年度", str(rep.year - 1)) if rep.year else Text("上一年度", "the year before")
            return _check(rule, Outcome.NOT_APPLICABLE, Text(f"本次运行中没有本机关{year.zh}的报告",
                                                             f"no report of this agency for {year.en} in the run")), []
        why = _applies(rule, prev)
        if why:
            return _check(rule, Outcome.NOT_APPLICABLE, Text("上一年度报告：", "the previous report: ") + why), []
        if rule.kind == "similarity":
            return similarity(rule, rep, prev)
        return identity(rule, rep, previous=prev)
    if pair == "members":
        if rep.level != "government":
            return _check(rule, Outcome.NOT_APPLICABLE, Text("不是本级政府汇总报告", "not a consolidated (government) report")), []
        members, missing, by_name = data.members(rep)
        if missing:
            return _check(rule, Outcome.NOT_ASSESSABLE,
                          Text(f"本次运行中缺少所属机关的报告：{'、'.join(missing[:10])}",
                               f"members missing from the run: {', '.join(missing[:10])}")), []
        if not members:
            looks = [r.path for r in by_name[:10]]
            return _check(rule, Outcome.NOT_ASSESSABLE, Text(
                "未声明本级政府的所属机关名单（--agency-map member_of）；按名称看似所属机关的报告："
                + ("、".join(looks) or "无"),
                "no member list declared for this government (--agency-map member_of); "
                f"reports that look like members by name: {', '.join(looks) or 'none'}")), []
        return identity(rule, rep, members=members)
    return _check(rule, Outcome.NOT_ASSESSABLE, Text(f"批量运行不评估 pair 为 {pair!r} 的 {rule.kind} 规则",
                                                     f"{rule.kind} rules with pair {pair!r} are not evaluated by the batch")), []


def identity(rule, rep: Rep, previous: Rep | None = None, members: list[Rep] = ()) -> tuple[Check, list[Finding]]:
    """A numeric rule by the checks engine; each finding then names the reports it compared this one with."""
    check, findings = numeric_cross.evaluate(rule, rep.doc, rep.fields, previous=previous and previous.fields,
                                             members=[m.fields for m in members] or None)
    for f in findings:
        if previous is not None:
            cells = "、".join(f"“{x}”" for x in _labels(f, "prev:", previous.fields))
            f.details.update(previous=previous.path, previous_year=previous.year)
            f.message_zh += f"（{cells}取自同一机关{previous.year}年度报告 {previous.path}）"
            f.message_en += f" ({cells} from the agency's {previous.year} report, {previous.path})"
        else:
            cells = "、".join(f"“{x}”" for x in _labels(f, "members:", rep.fields))
            paths = [m.path for m in members]
            more = f" … ({len(paths)})" if len(paths) > 3 else ""
            f.details.update(members=paths)
            f.message_zh += f"（{cells}为{len(paths)}个所属机关报告之和：{', '.join(paths[:3])}{more}）"
            f.message_en += f" ({cells}: the sum over {len(paths)} member reports: {', '.join(paths[:3])}{more})"
    return check, findings


def _labels(f: Finding, prefix: str, fields: Fields) -> list[str]:
    """The finding's cells that come from other reports, as the report labels them."""
    return [explain.cell_label(fid[len(prefix):], fields.get(fid[len(prefix):]))
            for fid in f.location.field_ids if fid.startswith(prefix)]


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
        return _check(rule, Outcome.NOT_ASSESSABLE, Text("本报告或上一年度报告中该部分缺失或为空",
                                                         "the section is missing or empty in this or the previous report")), []
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
            out[r.id] = (_check(rule, Outcome.NOT_ASSESSABLE, Text("相关部分缺失或过短，无法比对",
                                                                   "the sections are missing or too short to compare")), [])
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
