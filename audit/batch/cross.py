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
  previous report's section, and its statements (problems, improvement measures) carried over word for word
  or nearly, named by part and quoted, with the two years;
- ``recurring`` with ``pair: previous_years`` (XY-RECUR): a problem stated in ``min_years`` consecutive
  reports of the agency, reported once on the last year of the streak, quoting each year's statement;
- ``near_duplicate`` with ``pair: other_agency`` (XA-DUP): MinHash LSH over the sections of every report,
  pairs of different agencies at or above ``threshold`` (Jaccard), each report of the pair getting a finding
  that names the other and quotes the longest shared passage.

"The same agency" is :class:`audit.batch.agencies.Agencies`' decision over the names the reports print
(洪泽区人民政府 in 2023 and 淮安市洪泽区人民政府 in 2024 are one agency: compared year to year, never as two
agencies); a finding that rests on such a link says so.

Several reports of one agency and year (the same report as PDF and HTML): the one with the smallest path
stands for that year as the ``prev`` of the next.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from audit.batch import textsim
from audit.batch.agencies import Agencies, AgencyMap, place_of, printed
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


class Reports:
    """The store's reports, matched by agency (:class:`audit.batch.agencies.Agencies`) and year."""

    def __init__(self, reps: list[Rep], amap: AgencyMap, metas: dict[str, dict] | None = None):
        """``reps`` with their sections; ``metas`` each report's stored metadata (the names it prints; default
        its ``agency``)."""
        self.amap = amap
        self.reps: dict[str, Rep] = {r.id: r for r in reps}
        metas = metas or {}
        self.agencies = Agencies(amap, printed(
            (r.id, metas.get(r.id) or {"agency": r.agency}, "\n".join(r.sections.values())) for r in reps))
        for rid, rep in self.reps.items():
            rep.key = self.agencies.keys[rid]
        self.by_key_year: dict[tuple[str, int], Rep] = {}
        for rep in self.ordered():  # in path order: the first one stands for its agency and year
            if rep.key and rep.year is not None:
                self.by_key_year.setdefault((rep.key, rep.year), rep)

    @classmethod
    def from_store(cls, store: Store, amap: AgencyMap) -> "Reports":
        reps: dict[str, Rep] = {}
        metas: dict[str, dict] = {}
        for rid, path, sha, agency, year, level, meta, tables in store.cross_inputs():
            metas[rid] = load(meta) or {}
            metas[rid].setdefault("agency", agency)
            m = meta_of(metas[rid])
            doc = Document(source=Source(path, sha, "", 0), blocks=[], meta=m)
            reps[rid] = Rep(rid, path, agency, "", year, level, doc, load_fields(store, rid, load(tables) or {}, m))
        for rid, number, text in store.section_texts():
            reps[rid].sections[number] = text or ""
        return cls(list(reps.values()), amap, metas)

    def ordered(self) -> list[Rep]:
        return sorted(self.reps.values(), key=lambda r: r.path)

    def previous(self, rep: Rep) -> Rep | None:
        if not rep.key or rep.year is None:
            return None
        return self.by_key_year.get((rep.key, rep.year - 1))

    def following(self, rep: Rep) -> Rep | None:
        if not rep.key or rep.year is None:
            return None
        return self.by_key_year.get((rep.key, rep.year + 1))

    def link_note(self, rep: Rep) -> Text | None:
        """How the report's printed name was linked to its agency (淮安市洪泽区人民政府 ← 洪泽区人民政府)."""
        return self.agencies.notes.get(rep.id)

    def members(self, gov: Rep) -> tuple[list[Rep], list[str], list[Rep]]:
        """(declared members' reports present, declared members missing, reports that look like members
        by name). Only a declaration (the agency map) makes a membership, see :mod:`audit.batch.agencies`."""
        same_year = [r for r in self.ordered() if r.year == gov.year and r.key != gov.key]
        declared = {self.agencies.key_of_name(m) for g, ms in self.amap.members.items()
                    if self.agencies.key_of_name(g) == gov.key for m in ms}
        present: dict[str, Rep] = {}
        for r in same_year:
            if r.key in declared:
                present.setdefault(r.key, r)
        place = place_of(self.agencies.identities[gov.id].core)
        by_name = [r for r in same_year if place and r.level != "government"
                   and self.agencies.identities[r.id].core.startswith(place)]
        return list(present.values()), sorted(declared - set(present)), by_name


def run(store: Store, ruleset, agency_map: str | Path | None = None) -> None:
    """Evaluate every run rule and replace the store's cross-report rows."""
    amap = AgencyMap.load(agency_map)
    data = Reports.from_store(store, amap)
    findings: dict[str, list[dict]] = {rid: [] for rid in data.reps}
    checks: dict[str, list[dict]] = {rid: [] for rid in data.reps}
    for rule in getattr(ruleset, "run_rules", []):
        for rid, (check, found) in evaluate_rule(rule, data).items():
            check.findings = len(found)
            checks[rid].append(check.to_json())
            findings[rid].extend(f.to_json() for f in found)
    store.replace_cross({rid: rep.key for rid, rep in data.reps.items()}, findings, checks)


def evaluate_rule(rule, data: Reports) -> dict[str, tuple[Check, list[Finding]]]:
    """One run rule over the run: each report's check and findings."""
    if rule.kind == "near_duplicate":
        return near_duplicate(rule, data)
    if rule.kind == "recurring":
        cache: dict = {}
        return {rep.id: _recurring(rule, rep, data, cache) for rep in data.ordered()}
    return {rep.id: evaluate(rule, rep, data) for rep in data.ordered()}


def _check(rule, outcome: Outcome, reason: Text | None = None) -> Check:
    return Check(rule.id, rule.title_zh, rule.title_en, outcome, Severity(rule.severity), reason)


def _applies(rule, rep: Rep) -> Text | None:
    """Why the rule is not applicable to this report (its format, level, agency), or None."""
    why = numeric_cross.applicable(rule, rep.doc, rep.fields)
    return why[1] if why else None


def _recurring(rule, rep: Rep, data: Reports, cache: dict) -> tuple[Check, list[Finding]]:
    why = _applies(rule, rep)
    if why:
        return _check(rule, Outcome.NOT_APPLICABLE, why), []
    return recurring(rule, rep, data, cache)


def evaluate(rule, rep: Rep, data: Reports) -> tuple[Check, list[Finding]]:
    why = _applies(rule, rep)
    if why:
        return _check(rule, Outcome.NOT_APPLICABLE, why), []
    pair = rule.get("pair")
    if pair == "previous_year":
        prev = data.previous(rep)
        if prev is None:
            year = Text(f"{rep.year - 1}年度", str(rep.year - 1)) if rep.year else Text("上一年度", "the year before")
            why = Text(f"本次运行中没有本机关{year.zh}的报告", f"no report of this agency for {year.en} in the run")
            note = data.link_note(rep)
            if note is not None and "未与其关联" in note.zh:
                why = why + Text(f"（{note.zh}）", f" ({note.en})")
            return _check(rule, Outcome.NOT_APPLICABLE, why), []
        why = _applies(rule, prev)
        if why:
            return _check(rule, Outcome.NOT_APPLICABLE, Text("上一年度报告：", "the previous report: ") + why), []
        if rule.kind == "similarity":
            return similarity(rule, rep, prev, data.link_note(rep) or data.link_note(prev))
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


ROLE = {"measure": ("改进措施", "measure"), "problem": ("存在的问题", "problem"),
        "rectification": ("整改情况", "rectification"), "": ("句子", "sentence")}


def _quote(text: str, limit: int = 90) -> str:
    return f"“{text if len(text) <= limit else text[:limit - 20] + '…' + text[-19:]}”"


def _repeats_text(repeats: list[textsim.Repeat], prev_year) -> Text:
    """“改进措施2条（…；…）与2023年度报告逐字相同” in both languages, by part."""
    zh, en = [], []
    for role in ("measure", "problem", "rectification", ""):
        got = [r for r in repeats if r.role == role]
        if not got:
            continue
        how_zh = "逐字相同" if all(r.verbatim for r in got) else "逐字或几乎逐字相同"
        how_en = "word for word" if all(r.verbatim for r in got) else "word for word or nearly"
        zh.append(f"{ROLE[role][0]}{len(got)}条与{prev_year}年度报告{how_zh}（沿用）：" + "；".join(_quote(r.text) for r in got))
        en.append(f"{len(got)} {ROLE[role][1]}(s) repeat the {prev_year} report {how_en}: "
                  + "; ".join(_quote(r.text) for r in got))
    return Text("；".join(zh), "; ".join(en))


def similarity(rule, rep: Rep, prev: Rep, link: Text | None = None) -> tuple[Check, list[Finding]]:
    """XY-COPY: the share of the section found in the agency's previous report, and its statements (problems,
    measures) carried over word for word or nearly. A warning when the share reaches ``threshold``, or when
    ``min_measures`` improvement measures or more repeat last year's (the same promises again); else an
    info listing what repeats."""
    threshold = float(rule.get("threshold"))
    k = int(rule.get("shingle_chars", 5))
    min_chars = int(rule.get("quote_min_chars", 12))
    near = float(rule.get("near", 0.9))
    min_measures = int(rule.get("min_measures", 2))
    findings: list[Finding] = []
    assessed = 0
    for number in rule.get("sections", [5]):
        cur, old = rep.sections.get(number), prev.sections.get(number)
        if not cur or not old or not textsim.canon(cur) or not textsim.canon(old):
            continue
        assessed += 1
        share = textsim.containment(textsim.shingles(textsim.canon(cur), k), textsim.shingles(textsim.canon(old), k))
        repeats = textsim.repeated(textsim.statements(cur, rep.year), old, min_chars=min_chars, near=near, k=k)
        measures = [r for r in repeats if r.role == "measure"]
        copied = share >= threshold
        kept = len(measures) >= min_measures
        if not copied and not repeats:
            continue
        sec = SECTION_ZH.get(number, str(number))
        what = _repeats_text(repeats, prev.year)
        zh = (f"第{sec}部分有 {share:.0%} 与同一机关{prev.year}年度报告（{prev.path}）相同"
              + ("（超过一半，视为照搬）" if copied else "") + (f"；{what.zh}" if repeats else "") + "。")
        en = (f"Section {number}: {share:.0%} repeats the agency's {prev.year} report ({prev.path})"
              + (" (copied)" if copied else "") + (f"; {what.en}" if repeats else "") + ".")
        if link:
            zh += f"（{link.zh}）"
            en += f" ({link.en})"
        findings.append(Finding(
            rule_id=rule.id,
            severity=Severity(rule.severity) if copied or kept else Severity.INFO,
            kind="cross",
            message_zh=f"{rule.title_zh}：{zh}",
            message_en=f"{rule.title_en}: {en}",
            location=Location(section=number, sentence=repeats[0].text if repeats else None),
            expected={"share": f"< {threshold:.0%}", "repeated_measures": f"< {min_measures}"},
            found={"share": round(share, 3), "repeated_measures": len(measures)},
            details={"share": round(share, 3), "threshold": threshold, "previous": prev.path,
                     "previous_year": prev.year, "years": [prev.year, rep.year],
                     "carried_over": [r.text for r in repeats],
                     "repeated": [{"role": r.role, "text": r.text, "share": r.share} for r in repeats],
                     "agency_link": link.zh if link else None},
        ))
    if not assessed:
        return _check(rule, Outcome.NOT_ASSESSABLE, Text("本报告或上一年度报告中该部分缺失或为空",
                                                         "the section is missing or empty in this or the previous report")), []
    failed = any(f.severity is not Severity.INFO for f in findings)
    return _check(rule, Outcome.FAIL if failed else Outcome.PASS), findings


# --------------------------------------------------------------------------------- recurring problems


@dataclass
class _Problem:
    rep: Rep
    text: str
    words: frozenset[str]


def _problems(rule, rep: Rep, cache: dict) -> list[_Problem]:
    """The problems section 五 of a report states, each with its content words (generic words left out)."""
    if rep.id not in cache:
        from audit.narrative.tokens import content_words

        generic = set(rule.get("generic_terms", []))
        out = []
        for number in rule.get("sections", [5]):
            for st in textsim.statements(rep.sections.get(number, ""), rep.year):
                if st.role == "problem":
                    words = frozenset(w for w in content_words(st.body) if w not in generic)
                    out.append(_Problem(rep, textsim._SPACE.sub("", st.text), words))
        cache[rep.id] = out
    return cache[rep.id]


def _same_problem(a: _Problem, b: _Problem, min_term: int) -> list[str]:
    """The words two problems share when they state the same problem (longest first), else []. The words
    count apart from those inside another shared word (政策 and 解读 inside 政策解读): a distinctive term
    (``min_term`` characters or more: 政策解读) and one more word (形式), or three words (学校, 收费, 标准).
    A shared area alone (依申请公开) is not the same problem."""
    shared = a.words & b.words
    own = sorted((w for w in shared if not any(w != o and w in o for o in shared)), key=lambda w: (-len(w), w))
    if len(own) >= 3 or (len(own) >= 2 and len(own[0]) >= min_term):
        return own
    return []


def recurring(rule, rep: Rep, data: Reports, cache: dict) -> tuple[Check, list[Finding]]:
    """XY-RECUR: a problem that this report and the reports of the years just before it (``min_years`` in a
    row or more) all state, i.e. was never rectified. Reported once, on the last year of the streak in the
    run (the following year's report, when in the run, no longer states it)."""
    min_years = int(rule.get("min_years", 3))
    min_term = int(rule.get("min_term_chars", 3))
    chain = [rep]
    while (prev := data.previous(chain[0])) is not None and _applies(rule, prev) is None:
        chain.insert(0, prev)
    if len(chain) < min_years:
        return _check(rule, Outcome.NOT_APPLICABLE, Text(
            f"本次运行中本机关连续年度的报告不足{min_years}份（{len(chain)}份）",
            f"fewer than {min_years} consecutive years of this agency's reports in the run ({len(chain)})")), []
    # streaks: for each problem, the longest run of linked problems in the years before, ending with it
    best: dict[int, tuple[int, list[_Problem], list[str]]] = {}
    for r in chain:
        for p in _problems(rule, r, cache):
            length, path, terms = 1, [p], []
            for q in (_problems(rule, data.previous(r), cache) if r is not chain[0] else []):
                shared = _same_problem(p, q, min_term)
                if shared and id(q) in best and best[id(q)][0] + 1 > length:
                    length, path, terms = best[id(q)][0] + 1, best[id(q)][1] + [p], shared
            best[id(p)] = (length, path, terms)
    nxt = data.following(rep)
    later = _problems(rule, nxt, cache) if nxt is not None and _applies(rule, nxt) is None else []
    findings = []
    reported: set[int] = set()  # earlier years' statements already in a finding: one cause, one finding
    for p in sorted(_problems(rule, rep, cache), key=lambda p: -best[id(p)][0]):
        length, path, terms = best[id(p)]
        if (length < min_years or any(_same_problem(p, q, min_term) for q in later)
                or reported & {id(x) for x in path[:-1]}):
            continue
        reported |= {id(x) for x in path[:-1]}
        years = [x.rep.year for x in path]
        common = frozenset.intersection(*(x.words for x in path))
        named = [w for w in terms if w in common] or terms
        span = f"{years[0]}—{years[-1]}"
        quotes_zh = "；".join(f"{x.rep.year}年{_quote(x.text, 60)}" for x in path)
        quotes_en = "; ".join(f"{x.rep.year}: {_quote(x.text, 60)}" for x in path)
        findings.append(Finding(
            rule_id=rule.id,
            severity=Severity(rule.severity),
            kind="cross",
            message_zh=f"{rule.title_zh}：“{'、'.join(named[:3])}”方面的问题在{span}年连续{length}年的报告中都列为存在的问题，"
                       f"未见整改（重复出现）：{quotes_zh}",
            message_en=f"{rule.title_en}: the problem of “{', '.join(named[:3])}” is stated in each report of "
                       f"{span} ({length} years in a row), never shown as rectified (it repeats): {quotes_en}",
            location=Location(section=5, sentence=p.text),
            expected=f"< {min_years}",
            found=length,
            details={"years": years, "terms": named, "statements": [
                {"year": x.rep.year, "path": x.rep.path, "text": x.text} for x in path]},
        ))
    return _check(rule, Outcome.FAIL if findings else Outcome.PASS), findings


def near_duplicate(rule, data: Reports) -> dict[str, tuple[Check, list[Finding]]]:
    threshold = float(rule.get("threshold"))
    k = int(rule.get("shingle_chars", 5))
    num_perm = int(rule.get("num_perm", 128))
    min_chars = int(rule.get("min_chars", MIN_SECTION_CHARS))
    reps = data.ordered()
    found: dict[str, list[Finding]] = {r.id: [] for r in reps}
    compared: set[str] = set()
    for number in rule.get("sections", [1, 5]):
        texts = {}
        for r in reps:
            if _applies(rule, r) is None and len(textsim.canon(r.sections.get(number, ""))) >= min_chars:
                texts[r.path] = r.sections[number]
        compared.update(texts)
        by_path = {r.path: r for r in reps}
        pairs = textsim.near_duplicates(texts, threshold=threshold, k=k, num_perm=num_perm,
                                        allowed=lambda a, b: by_path[a].key != by_path[b].key,
                                        fold_figures=bool(rule.get("fold_figures", True)))
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
