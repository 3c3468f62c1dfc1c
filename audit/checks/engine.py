"""Rule evaluation: which rules apply to a report, each rule's kind run over its instances, one ``Check``
per rule, and the localisation of wrong cells attached to the identity findings it explains.

A kind is a function ``(rule, ctx) -> Verdict`` registered with :func:`kind`; the modules ``numeric``,
``structure`` and ``claims`` hold them. The outcome of a rule follows from its verdict: a finding → fail;
otherwise at least one instance checked → pass (the reason lists what could not be checked); only
unassessable instances → not assessable; nothing to check → not applicable.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Callable

from audit.checks import causes, explain
from audit.checks.localize import Equation, corrections_for
from audit.checks.ruleset import Rule, RuleSet
from audit.model import Check, Document, Fields, Finding, Outcome, Severity, Text


@dataclass
class Ctx:
    """What a rule may look at: the document (sections, meta), its fields, the format, the audit date."""

    doc: Document
    fields: Fields
    fmt: str | None
    today: _dt.date | None = None
    #: results that depend on the document and the analysis code but on no rule (the figures a section
    #: states, the labels' near misses), kept beside a cached document (``pipeline.audit``): a kind may
    #: take one from here instead of computing it, and puts there what it computes (JSON, under a key that
    #: names what it was made from); None when nothing is kept
    derived: dict | None = None

    @property
    def meta(self):
        return self.doc.meta


@dataclass
class Verdict:
    findings: list[Finding] = field(default_factory=list)
    passed: int = 0  # instances checked and fine
    unassessable: list[Text] = field(default_factory=list)  # one reason per instance that could not be checked
    equations: list[Equation] = field(default_factory=list)  # strict identities evaluated (for localisation)
    inapplicable: Text | None = None  # why there was nothing to check
    claims: list[TextFigure] = field(default_factory=list)  # figures the text states (evidence for localisation)
    blocked: list[tuple[str, list[str]]] = field(default_factory=list)  # (instance, its blank cells): not assessable
    notes: list[Text] = field(default_factory=list)  # what was compared and why it passed (a passing check's reason)


@dataclass
class TextFigure:
    """A figure the text states about a sum of cells, and the finding when it contradicts the table."""

    field_ids: tuple[str, ...]
    value: int
    sentence: str
    finding: Finding | None = None


KINDS: dict[str, Callable[[Rule, Ctx], Verdict]] = {}


def kind(name: str):
    def register(fn):
        KINDS[name] = fn
        return fn
    return register


def finding_kind(rule: Rule, default: str) -> str:
    return rule.get("finding_kind", default)


def severity(rule: Rule) -> Severity:
    return Severity(rule.severity)


def report_format(doc: Document, fields: Fields) -> str | None:
    return fields.format or doc.meta.format or doc.meta.format_by_year


LEVELS = {"department": Text("部门报告", "department"), "government": Text("本级政府汇总报告", "government")}
NOTHING_TO_CHECK = Text("本报告中没有可核查的内容", "nothing in this report to check")
FORMAT_UNKNOWN = Text("无法确定报告使用的格式", "the report's format could not be determined")


def formats_only(formats: tuple[str, ...], fmt: str | None = None) -> Text:
    """“for the 2021 format only[; this report uses the 2019 format]”."""
    zh, en = f"仅适用于{'/'.join(formats)}年版格式", f"for the {'/'.join(formats)} format only"
    if fmt:
        zh, en = zh + f"；本报告使用{fmt}年版格式", en + f"; this report uses the {fmt} format"
    return Text(zh, en)


def why_not_applicable(rule: Rule, ctx: Ctx) -> tuple[Outcome, Text] | None:
    """None when the rule applies to the report, else the outcome (not applicable / not assessable) and why."""
    if rule.formats != ("2019", "2021"):
        if ctx.fmt is None:
            return Outcome.NOT_ASSESSABLE, FORMAT_UNKNOWN
        if ctx.fmt not in rule.formats:
            return Outcome.NOT_APPLICABLE, formats_only(rule.formats, ctx.fmt)
    if rule.levels != ("department", "government") and ctx.meta.level not in rule.levels:
        wanted = Text.join((LEVELS[x] for x in rule.levels), "、", "/")
        this = LEVELS.get(ctx.meta.level or "", Text("类别不明的报告", "unknown-level"))
        return Outcome.NOT_APPLICABLE, Text(f"仅适用于{wanted.zh}；本报告为{this.zh}",
                                            f"for {wanted.en} reports only; this is a {this.en} report")
    when = rule.get("when") or {}
    agency = ctx.meta.agency or ""
    if "agency_regex" in when and not re.search(when["agency_regex"], agency):
        return Outcome.NOT_APPLICABLE, Text(
            f"仅适用于名称符合“{when['agency_regex']}”的机关；本机关为{agency or '（未识别）'}",
            f"only for agencies whose name matches “{when['agency_regex']}”; agency is {agency or 'unknown'}")
    if "agency_not_regex" in when and re.search(when["agency_not_regex"], agency):
        return Outcome.NOT_APPLICABLE, Text(
            f"不适用于名称符合“{when['agency_not_regex']}”的机关；本机关为{agency}",
            f"not for agencies whose name matches “{when['agency_not_regex']}”; agency is {agency}")
    return None


def _import_kinds() -> None:
    from audit.checks import claims, numeric, structure, wording  # noqa: F401 - they register their kinds


def evaluate(rule: Rule, ctx: Ctx) -> tuple[Check, Verdict]:
    _import_kinds()
    why_not = why_not_applicable(rule, ctx)
    if why_not:
        return check_of(rule, *why_not), Verdict()
    v = KINDS[rule.kind](rule, ctx)
    unassessable = Text.join(v.unassessable) if v.unassessable else None
    if v.findings:
        if v.notes:  # what else was compared and agreed
            compared = Text("其余已核对：", "compared and agreed: ") + Text.join(v.notes)
            unassessable = compared if unassessable is None else Text.join([compared, unassessable])
        return check_of(rule, Outcome.FAIL, unassessable, len(v.findings)), v
    if v.passed:
        partly = Text("其中无法核查的部分：", "not assessable: ") + unassessable if unassessable else None
        if v.notes:
            compared = Text("已核对：", "compared: ") + Text.join(v.notes)
            partly = compared if partly is None else Text.join([compared, partly])
        return check_of(rule, Outcome.PASS, partly), v
    if unassessable:
        return check_of(rule, Outcome.NOT_ASSESSABLE, unassessable), v
    return check_of(rule, Outcome.NOT_APPLICABLE, v.inapplicable or NOTHING_TO_CHECK), v


def check_of(rule: Rule, outcome: Outcome, reason: Text | None = None, n: int = 0) -> Check:
    return Check(rule_id=rule.id, title_zh=rule.title_zh, title_en=rule.title_en, outcome=outcome,
                 severity=Severity(rule.severity), reason=reason, findings=n)


def run(doc: Document, fields: Fields, ruleset: RuleSet, today: _dt.date | None = None,
        derived: dict | None = None) -> tuple[list[Finding], list[Check]]:
    """Evaluate every per-report rule of ``ruleset`` on one report: findings, and one Check per rule.
    ``derived``: see ``Ctx.derived``."""
    ctx = Ctx(doc=doc, fields=fields, fmt=report_format(doc, fields), today=today, derived=derived)
    findings: list[Finding] = []
    checks: list[Check] = []
    equations: list[Equation] = []
    figures: list[TextFigure] = []
    blocked: list[tuple[str, list[str]]] = []
    for rule in ruleset.report_rules:
        check, verdict = evaluate(rule, ctx)
        checks.append(check)
        findings.extend(verdict.findings)
        equations.extend(verdict.equations)
        figures.extend(verdict.claims)
        blocked.extend(verdict.blocked)
    _localise(fields, equations, findings, figures)
    findings = causes.merge(fields, findings, blocked)
    return findings, checks


def _components(eqs: list[Equation]) -> list[list[Equation]]:
    """The identities of one table in groups that share no cell (表四's three blocks): a wrong cell in one
    group is located without the others, so two separate errors are never offered as one correction."""
    groups: list[tuple[set, list[Equation]]] = []
    for e in eqs:
        cells = set(e.coefs)
        joined = [g for g in groups if g[0] & cells]
        for g in joined:
            groups.remove(g)
            cells |= g[0]
        groups.append((cells, [x for g in joined for x in g[1]] + [e]))
    return [g[1] for g in groups]


def _unsummed(eqs: list[Equation], fields: Fields) -> set[str]:
    """Totals printed 0 beside filled parts, in the identities of one table."""
    out = set()
    for e in eqs:
        if e.holds or e.rule_id.startswith("XY"):
            continue
        totals = [f for f, c in e.coefs.items() if c > 0]
        parts = [f for f, c in e.coefs.items() if c < 0]
        if len(totals) == 1 and not fields.number(totals[0]) and any(fields.number(f) for f in parts):
            out.add(totals[0])
    return out


def plausible(eqs: list[Equation], fixes: list, values: dict, unsummed: set[str] = frozenset()) -> list:
    """Drop corrections with no evidence for them when another has some. When two or more sums of a table
    print a total of 0 beside filled parts (hongze-2023's 行政复议 and 复议后起诉), the totals were left
    unsummed: that is a pattern, and zeroing the filled parts of one of them is not offered beside it. One
    such sum alone is no pattern: its total and its parts stay equally likely."""
    if len(fixes) < 2 or len(unsummed) < 2:
        return fixes
    keep = [c for c in fixes if any(f in unsummed for f, _, _ in c.cells)
            and not any(b == 0 and a for f, a, b in c.cells if f not in unsummed)]
    return keep or fixes


def _agrees(fix, fig: TextFigure, values: dict) -> bool:
    """Does the text's figure hold once the correction is made?"""
    new = {f: b for f, _, b in fix.cells}
    return sum(new.get(f, values.get(f) or 0) for f in fig.field_ids) == fig.value


def _localise(fields: Fields, equations: list[Equation], findings: list[Finding], figures: list[TextFigure]) -> None:
    """Per table, find the smallest corrections and attach them to the findings they explain. Among equally
    small corrections, those the text's own figures agree with come first (the text names the cell)."""
    tables: dict[str, list[Equation]] = {}
    for e in equations:
        tables.setdefault(explain.table_of(next(iter(e.coefs))) or "", []).append(e)
    for table_eqs, eqs in ((t, c) for t in tables.values() for c in _components(t)):
        values = {f: fields.number(f) for e in eqs for f in e.coefs}
        fixes = plausible(eqs, corrections_for(eqs, values), values, _unsummed(table_eqs, fields))
        if not fixes:
            continue
        touched = {f for c in fixes for f, _, _ in c.cells}
        relevant = [g for g in figures if touched & set(g.field_ids)]
        all_values = {f: fields.number(f) for g in relevant for f in g.field_ids}
        support = {c: [g.sentence for g in relevant if _agrees(c, g, all_values)] for c in fixes}
        fixes.sort(key=lambda c: -len(support[c]))
        where = {e.name: explain.where_text(explain.location(fields, list(e.coefs))) for e in eqs}
        for f in findings:
            eq = f.details.get("identity")
            explained = [c for c in fixes if eq in c.repairs]
            if explained:
                _attach(fields, f, explained, support, where)
        for g in relevant:
            if g.finding is not None:
                resolving = [c for c in fixes if _agrees(c, g, all_values)]
                if resolving:
                    _attach(fields, g.finding, resolving, support, where)


def _attach(fields: Fields, finding: Finding, fixes, support, where: dict[str, Text]) -> None:
    """The corrections as the finding's suggestion; ``repairs_where`` names the identities each makes hold
    by where they sit (``{zh, en}``), beside their ids in ``repairs``."""
    finding.suggestion = [{**c.to_json(), "text_agrees": support[c],
                           "repairs_where": [where[r].to_json() for r in c.repairs if r in where]} for c in fixes]
    zh, en = _suggestion_text(fields, fixes)
    finding.message_zh += zh
    finding.message_en += en
    finding._appended = (zh, en)  # causes.merge puts the localisation after the merged message


def _suggestion_text(fields: Fields, fixes) -> tuple[str, str]:
    zh, en = [], []
    for c in fixes:
        cells_zh = "，".join(f"{explain.named(fid, fields.get(fid), 'zh')}填报{explain.show(a)}，一致值{b}"
                            for fid, a, b in c.cells)
        cells_en = "; ".join(f"{explain.named(fid, fields.get(fid), 'en')} found {explain.show(a)}, "
                             f"consistent value {b}" for fid, a, b in c.cells)
        zh.append(cells_zh)
        en.append(cells_en)
    if len(fixes) == 1:
        return f"最可能出错：{zh[0]}。", f" Most likely wrong: {en[0]}."
    return ("可能出错（以下更正同样最小，任一即可使各项关系成立）：" + "；或".join(zh) + "。",
            " Equally small corrections (any one makes every identity hold): " + "; or ".join(en) + ".")
