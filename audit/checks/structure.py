"""Kinds over the document's structure and metadata: sections, rows, format, deadline, years and dates."""
from __future__ import annotations

import datetime as _dt
import re

from audit.checks import explain
from audit.checks.engine import Ctx, Verdict, finding_kind, kind, severity
from audit.checks.numeric import in_table, unassessable_tables
from audit.checks.ruleset import Rule
from audit.document.meta import format_for_year
from audit.document.sections import printed_number
from audit.model import Finding, Location, Text
from audit.vocab import sentences

YEAR_UNKNOWN = Text("无法确定报告年度", "the report year is unknown")

_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])")


def _finding(rule: Rule, zh: str, en: str, loc: Location | None = None, expected=None, found=None,
             default_kind: str = "structure", **details) -> Finding:
    return Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, default_kind),
                   message_zh=zh, message_en=en, location=loc or Location(), expected=expected, found=found,
                   details=details)


@kind("required")
def _required(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    have = {s.number for s in ctx.doc.sections}
    want = rule.spec["sections"]
    missing = [n for n in want if n not in have]
    v.passed = len(want) - len(missing)
    if missing:
        zh = "、".join(explain.SECTIONS_ZH[n] for n in missing)
        bare = [s.number for s in ctx.doc.sections if s.marker is None]
        more_zh = more_en = ""
        if bare:
            more_zh = "；" + "、".join(f"第{explain.SECTIONS_ZH[n]}部分" for n in bare) + "没有标题（仅见其统计表或分项）"
            more_en = "; " + ", ".join(f"section {n}" for n in bare) + " has no heading (only its table or sub-items)"
        v.findings.append(_finding(rule, f"报告缺少第{zh}部分（应有一至六共六个部分）{more_zh}。",
                                   f"The report lacks section(s) {', '.join(map(str, missing))} (six are required)"
                                   f"{more_en}.", expected=want, found=sorted(have)))
    return v


def _shown(marker: str) -> str:
    return marker if marker.startswith(("（", "第")) else f"{marker}、"


@kind("numbering")
def _numbering(rule: Rule, ctx: Ctx) -> Verdict:
    """The sections' order and printed numbers against the format's 一、…六、 (one finding naming each
    departure). A heading with no number at all (marker "") is not judged: nothing is printed wrong."""
    v = Verdict()
    secs = ctx.doc.sections
    if not secs:
        v.inapplicable = Text("报告中没有章节", "the report has no sections")
        return v
    zh: list[str] = []
    en: list[str] = []
    found: dict[str, object] = {}
    order = [s.number for s in secs]
    late = [(a, b) for i, a in enumerate(order) for b in order[i + 1:] if b < a]
    if late:
        zh.append("章节顺序有误：" + "、".join(f"第{explain.SECTIONS_ZH[b]}部分排在第{explain.SECTIONS_ZH[a]}部分之后"
                                       for a, b in late))
        en.append("sections out of order: " + ", ".join(f"section {b} after section {a}" for a, b in late))
        found["order"] = order
    partial = any(ctx.doc.section(n) is None for n in range(1, 7))
    # in a partial report STRUCT-SECTIONS names, once, the sections present only as a table or sub-item
    nohead = [] if partial else [s.number for s in secs if s.marker is None]
    if nohead:
        zh.append("、".join(f"第{explain.SECTIONS_ZH[n]}部分" for n in nohead) + "没有标题（按其内容或统计表识别）")
        en.append(", ".join(f"section {n}" for n in nohead) + " has no heading of its own (found by its content or table)")
        found["no_heading"] = nohead
    printed = [(s.number, s.marker, printed_number(s.marker)) for s in secs if s.marker]
    wrong = [(n, m) for n, m, p in printed if p is not None and p != n]
    if wrong:
        zh.append("；".join(f"第{explain.SECTIONS_ZH[n]}部分编号为“{_shown(m)}”" for n, m in wrong))
        en.append("; ".join(f"section {n} is numbered “{_shown(m)}”" for n, m in wrong))
        found["numbered"] = {str(n): m for n, m in wrong}
    counts: dict[int, int] = {}
    for _, _, p in printed:
        if p is not None:
            counts[p] = counts.get(p, 0) + 1
    twice = sorted(p for p, c in counts.items() if c > 1)
    if twice:
        zh.append("编号" + "、".join(f"“{explain.SECTIONS_ZH.get(p, str(p))}”" for p in twice) + "重复使用")
        en.append("number(s) " + ", ".join(str(p) for p in twice) + " used twice")
    style = re.compile(rule.spec["style"])
    other = list(dict.fromkeys(_shown(m) for _, m, p in sorted(printed, key=lambda x: x[2] or 0)
                               if not style.match(m)))
    if other:
        zh.append("章节以" + "、".join(f"“{m}”" for m in other[:3]) + "等编号，格式规定为“一、”…“六、”")
        en.append("sections numbered " + ", ".join(f"“{m}”" for m in other[:3]) + " where the format has 一、…六、")
        found["style"] = other
    if not zh:
        v.passed = len(secs)
        return v
    first = next((s for s in secs if s.marker is None or (s.number, s.marker) in wrong), secs[0])
    loc = Location(section=first.number, page=first.pages[0] if first.pages else None)
    v.findings.append(_finding(rule, "章节编号与格式不符：" + "；".join(zh) + "。",
                               "The section numbering departs from the format: " + "; ".join(en) + ".",
                               loc, expected=[1, 2, 3, 4, 5, 6], found=found or None))
    return v


@kind("missing_rows")
def _missing_rows(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    unreadable = unassessable_tables(ctx, rule.spec["tables"])
    for table in rule.spec["tables"]:
        rows = ctx.fields.missing_rows.get(table, [])
        if table in unreadable:
            v.unassessable.append(in_table(table, unreadable[table]))  # said once by TABLES-ASSESSABLE
            continue
        if not rows:
            v.passed += 1
            continue
        ids = [f for f in ctx.fields if f.startswith(table + ".") and any(f.startswith(f"{table}.{r}.") for r in rows)]
        labels = [next((ctx.fields[f].row_label for f in ids if f.startswith(f"{table}.{r}.")
                        and ctx.fields[f].row_label), r) for r in rows]
        v.findings.append(_finding(
            rule, f"{explain.table_name(table, 'zh')}缺少格式规定的行：{'、'.join(f'“{x}”' for x in labels)}（未按0计算）。",
            f"{explain.table_name(table, 'en')} lacks official row(s): {', '.join(f'“{x}”' for x in labels)} (not read as 0).",
            Location(table=table, field_ids=ids), expected=None, found=rows))
    return v


@kind("format_year")
def _format_year(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    want = ctx.meta.format_by_year or format_for_year(ctx.meta.year, clamp=True)
    got = ctx.fields.format_by_labels or ctx.meta.format_by_labels or ctx.meta.format
    if not want or not got:
        v.unassessable.append(Text("报告年度或表格所用格式无法确定", "the report's year or its layout's format is unknown"))
    elif want == got:
        v.passed = 1
    else:
        v.findings.append(_finding(
            rule, f"{ctx.meta.year}年度报告应使用{want}年格式，但表格按{got}年格式编制。",
            f"A report for {ctx.meta.year} should use the {want} format, but its tables follow the {got} format.",
            expected=want, found=got))
    return v


@kind("deadline")
def _deadline(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    year, published, level = ctx.meta.year, ctx.meta.published, ctx.meta.level
    if year is None:
        v.unassessable.append(YEAR_UNKNOWN)
        return v
    by_level = {k: _dt.date(year + 1, *map(int, md.split("-"))) for k, md in rule.spec["by_level"].items()}
    if published is None:
        if ctx.today is not None and ctx.today <= min(by_level.values()):
            v.inapplicable = Text("尚未到公布期限", "not due yet")
        else:
            v.unassessable.append(Text("无法确定发布日期", "the publication date is unknown"))
        return v
    if level in by_level:
        due = by_level[level]
    elif published <= min(by_level.values()):
        v.passed = 1
        return v
    elif published > max(by_level.values()):
        due = max(by_level.values())
    else:
        v.unassessable.append(Text(
            f"发布于{published}：对本级政府汇总报告按期，对部门报告逾期；无法确定报告类别",
            f"published {published}: on time for a consolidated government report, late for a "
            "department; the agency level is unknown"))
        return v
    if published <= due:
        v.passed = 1
        return v
    days = (published - due).days
    kind_zh = "本级政府汇总报告" if level == "government" else "部门报告"
    kind_en = "a government's consolidated report" if level == "government" else "a department's report"
    v.findings.append(_finding(
        rule, f"报告于{published.isoformat()}公布，晚于{kind_zh}的法定期限{due.isoformat()}（逾期{days}天）。",
        f"Published {published.isoformat()}, {days} day(s) after the deadline for {kind_en} ({due.isoformat()}).",
        expected=due.isoformat(), found=published.isoformat(), days_late=days))
    return v


@kind("notice")
def _notice(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    cited = ctx.meta.cited_notice
    want_fmt = ctx.meta.format_by_year or format_for_year(ctx.meta.year, clamp=True)
    if not cited:
        v.inapplicable = Text("正文未引用格式通知", "the text cites no format notice")
        return v
    if want_fmt is None:
        v.unassessable.append(YEAR_UNKNOWN)
        return v
    want = rule.spec["notices"][want_fmt]
    if want in cited:
        v.passed = 1
        return v
    v.findings.append(_finding(
        rule, f"{ctx.meta.year}年度报告引用了{cited}，应依据{want}（{want_fmt}年格式）。",
        f"The {ctx.meta.year} report cites {cited}; the notice for its year is {want} (the {want_fmt} format).",
        expected=want, found=cited))
    return v


@kind("period")
def _period(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    period, year = ctx.meta.period, ctx.meta.year
    if period is None:
        v.inapplicable = Text("报告未写明统计期限", "the report states no statistical period")
        return v
    if year is None:
        v.unassessable.append(YEAR_UNKNOWN)
        return v
    want = (_dt.date(year, 1, 1), _dt.date(year, 12, 31))
    if tuple(period) == want:
        v.passed = 1
        return v
    v.findings.append(_finding(
        rule, f"统计期限为{period[0].isoformat()}至{period[1].isoformat()}，应为{year}年1月1日至12月31日。",
        f"The statistical period is {period[0].isoformat()} to {period[1].isoformat()}; it should be 1 January to "
        f"31 December {year}.", expected=[d.isoformat() for d in want], found=[d.isoformat() for d in period]))
    return v


@kind("title_year")
def _title_year(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    title = ctx.meta.title or ""
    m = _YEAR.search(title)
    data_year = ctx.meta.period[0].year if ctx.meta.period else ctx.meta.year
    if not m:
        v.inapplicable = Text("标题中没有年份", "no year in the title")
        return v
    if data_year is None:
        v.unassessable.append(Text("无法确定数据年度", "the data year is unknown"))
        return v
    if int(m.group(1)) == data_year:
        v.passed = 1
        return v
    v.findings.append(_finding(
        rule, f"标题年度为{m.group(1)}年，数据年度为{data_year}年。",
        f"The title says {m.group(1)}, the data are for {data_year}.", Location(sentence=title),
        expected=data_year, found=int(m.group(1))))
    return v


@kind("text_year")
def _text_year(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    year = ctx.meta.year
    if year is None:
        v.unassessable.append(YEAR_UNKNOWN)
        return v
    rx = re.compile(rule.spec["pattern"])
    sections = [s for s in ctx.doc.sections if s.number in rule.spec.get("sections", range(1, 7))]
    if not sections:
        v.unassessable.append(Text("没有可读的章节正文", "no section text"))
        return v
    for s in sections:
        for a, b in sentences(s.text):
            sentence = s.text[a:b]
            for m in rx.finditer(sentence):
                said = int(m.group("year"))
                if said == year:
                    v.passed += 1
                    continue
                v.findings.append(_finding(
                    rule, f"第{explain.SECTIONS_ZH[s.number]}部分以{said}年引出数字，而报告年度为{year}年：“{sentence.strip()}”",
                    f"Section {s.number} introduces a figure with {said}, but the report is for {year}: “{sentence.strip()}”",
                    Location(section=s.number, page=s.pages[0] if s.pages else None, sentence=sentence.strip(),
                             char_span=(a, b)),
                    expected=year, found=said, default_kind="claim"))
    if not v.findings and not v.passed:
        v.inapplicable = Text("正文中没有以年份引出的数字", "no figure introduced with a year")
    return v
