"""Hand-built Results for the memo tests (fixture text written for the tests, figures from the seed report).

``seed_like()`` has the seed report's real defects: the row 4.保护第三方合法权益 reads 2,0,0,0,0,0 with
总计 0; the 自然人 column's results add to 53 against （七）总计 51; localisation names
t3.denied.third_party.natural (2 → 0); table 四's 行政复议 cells are blank.
"""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

from audit.model import (
    Check, Document, Fields, Finding, Location, Meta, Outcome, Paragraph, Result, Section, Severity, Source,
    Text, Value, ValueKind,
)

T3_COLUMNS = [("natural", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"), ("social", "社会公益组织"),
              ("legal", "法律服务机构"), ("other", "其他"), ("total", "总计")]
T3_ROWS = [
    ("new", "一、本年新收政府信息公开申请数量", [51, 2, 0, 0, 0, 0, 53]),
    ("carried_in", "二、上年结转政府信息公开申请数量", [0] * 7),
    ("open", "（一）予以公开", [11, 2, 0, 0, 0, 0, 13]),
    ("partial", "（二）部分公开", [3, 0, 0, 0, 0, 0, 3]),
    ("denied.state_secret", "1.属于国家秘密", [0] * 7),
    ("denied.law_forbidden", "2.其他法律行政法规禁止公开", [0] * 7),
    ("denied.three_safety", "3.危及“三安全一稳定”", [0] * 7),
    ("denied.third_party", "4.保护第三方合法权益", [2, 0, 0, 0, 0, 0, 0]),
    ("denied.internal", "5.属于三类内部事务信息", [1, 0, 0, 0, 0, 0, 1]),
    ("denied.process", "6.属于四类过程性信息", [0] * 7),
    ("denied.enforcement", "7.属于行政执法案卷", [0] * 7),
    ("denied.query", "8.属于行政查询事项", [0] * 7),
    ("unable.not_held", "1.本机关不掌握相关政府信息", [27, 0, 0, 0, 0, 0, 27]),
    ("unable.need_create", "2.没有现成信息需要另行制作", [1, 0, 0, 0, 0, 0, 1]),
    ("unable.unclear", "3.补正后申请内容仍不明确", [0] * 7),
    ("rejected.complaint", "1.信访举报投诉类申请", [0] * 7),
    ("rejected.repeat", "2.重复申请", [0] * 7),
    ("rejected.publication", "3.要求提供公开出版物", [0] * 7),
    ("rejected.mass_repeat", "4.无正当理由大量反复申请", [0] * 7),
    ("rejected.confirm", "5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("other", "（六）其他处理", [8, 0, 0, 0, 0, 0, 8]),
    ("result_total", "（七）总计", [51, 2, 0, 0, 0, 0, 53]),
    ("carried_out", "四、结转下年度继续办理", [0] * 7),
]
T4_COLUMNS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计")]
T4_ROWS = [
    ("review", "行政复议", [None] * 5),
    ("direct_suit", "未经复议直接起诉", [0, 0, 0, 0, 0]),
    ("suit_after_review", "复议后起诉", [0, 1, 1, 0, 2]),
]
T2 = {"t2.reg.made": (0, "规章", "本年新制作数量"), "t2.norm.made": (22, "规范性文件", "本年新制作数量"),
      "t2.procurement.amount": ("18228.47584", "政府集中采购", "采购总金额（万元）")}
RESULT_ROWS = [r for r, _, _ in T3_ROWS if r not in ("new", "carried_in", "result_total", "carried_out")]


def value(v, table: str, row: str, col: str, page: int) -> Value:
    if v is None:
        return Value(None, ValueKind.BLANK, "", table=table, row_label=row, column_label=col, page=page)
    if isinstance(v, str):
        from decimal import Decimal

        return Value(Decimal(v), ValueKind.NUMBER, v, table=table, row_label=row, column_label=col, page=page, unit="万元")
    return Value(v, ValueKind.NUMBER, str(v), table=table, row_label=row, column_label=col, page=page)


def seed_fields() -> Fields:
    fields = Fields(format="2019")
    for fid, (v, row, col) in T2.items():
        fields[fid] = value(v, "t2", row, col, 3)
    for rid, label, values in T3_ROWS:
        for (cid, clabel), v in zip(T3_COLUMNS, values):
            fields[f"t3.{rid}.{cid}"] = value(v, "t3", label, clabel, 4)
    for rid, label, values in T4_ROWS:
        for (cid, clabel), v in zip(T4_COLUMNS, values):
            fields[f"t4.{rid}.{cid}"] = value(v, "t4", label, clabel, 5)
    return fields


SECTIONS = [
    (1, "一、总体情况", "本年度本区持续推进政务公开，共受理申请五十五件，办理均在法定期限内完成。"),
    (2, "二、主动公开政府信息情况", "见下表。"),
    (3, "三、收到和处理政府信息公开申请情况", "见下表。"),
    (4, "四、政府信息公开行政复议、行政诉讼情况", "见下表。"),
    (5, "五、存在的主要问题及改进情况", "公开意识有待加强，工作落实不够到位。下一步将进一步提高认识。"),
    (6, "六、其他需要报告的事项", "无。"),
]

LOCALISATION = [{"cells": [{"field": "t3.denied.third_party.natural", "found": 2, "consistent": 0}],
                 "repairs": ["T3-ROW-SUM", "T3-COL-RESULTS"]}]


def seed_findings() -> list[Finding]:
    row = [f"t3.denied.third_party.{c}" for c, _ in T3_COLUMNS]
    col = [f"t3.{r}.natural" for r in RESULT_ROWS] + ["t3.result_total.natural"]
    return [
        Finding("T3-ROW-SUM", Severity.ERROR, "numeric",
                "表三“4.保护第三方合法权益”行各申请人类型之和为 2，总计栏填报 0。",
                "Table 3, row 4 (third-party rights): the applicant columns add to 2, the total column says 0.",
                Location(section=3, page=4, table="t3", row_label="4.保护第三方合法权益", field_ids=row),
                expected=2, found=0, suggestion=LOCALISATION),
        Finding("T3-COL-RESULTS", Severity.ERROR, "numeric",
                "表三“自然人”列各办理结果之和为 53，（七）总计填报 51。",
                "Table 3, natural persons: the results add to 53, the (7) total says 51.",
                Location(section=3, page=4, table="t3", column_label="自然人", field_ids=col),
                expected=53, found=51, suggestion=LOCALISATION),
        Finding("T3-BLANK", Severity.WARNING, "structure",
                "表四“行政复议”栏目全部空白，应填写 0。",
                "Table 4, administrative review: every cell is blank; the format asks for 0.",
                Location(section=4, page=5, table="t4", row_label="行政复议",
                         field_ids=[f"t4.review.{c}" for c, _ in T4_COLUMNS]),
                expected=0, found="blank"),
        Finding("CLAIM-NEW", Severity.ERROR, "claim",
                "正文称共受理申请 55 件，表三新收申请总计为 53 件。",
                "The text says 55 requests were received; table 3 says 53.",
                Location(section=1, page=1, field_ids=["t3.new.total"],
                         sentence="本年度本区持续推进政务公开，共受理申请五十五件，办理均在法定期限内完成。", char_span=(0, 37)),
                expected=53, found=55),
        Finding("NARR-GENERIC", Severity.WARNING, "narrative",
                "存在的主要问题表述空泛，未列出具体事实或数据。",
                "The problems are stated in stock phrases, without facts or figures.",
                Location(section=5, page=6),
                details={"label": "generic", "probability": 0.87,
                         "sentences": ["公开意识有待加强，工作落实不够到位。"], "phrases": ["有待加强", "不够到位"]}),
    ]


def seed_checks() -> list[Check]:
    return [
        Check("T3-ROW-SUM", "表三各行合计", "Table 3 row totals", Outcome.FAIL, findings=1),
        Check("T3-COL-RESULTS", "表三办理结果合计", "Table 3 result totals", Outcome.FAIL, findings=1),
        Check("T3-COL-BALANCE", "表三收支平衡", "Table 3 balance", Outcome.PASS),
        Check("T4-BLOCK-SUM", "表四各栏合计", "Table 4 block totals", Outcome.NOT_ASSESSABLE,
              reason=Text("表四“行政复议”栏：各单元格为空白", "Table 4, block “行政复议”: every cell blank")),
        Check("T2-IN-FORCE", "现行有效件数衔接", "Documents in force carry over", Outcome.NOT_APPLICABLE,
              severity=Severity.WARNING, reason=Text("仅适用于2021年版格式", "2021 format only")),
        Check("CLAIM-NEW", "正文新收申请数与表三一致", "Requests received: text against table 3", Outcome.FAIL, findings=1),
        Check("DEADLINE", "按时发布", "Published on time", Outcome.PASS),
        Check("NARR-GENERIC", "问题表述具体", "Problems stated concretely", Outcome.FAIL, Severity.WARNING, findings=1),
    ]


def make_result(*, agency: str = "示例区人民政府", findings: list[Finding] | None = None,
                checks: list[Check] | None = None, fields: Fields | None = None, sections=SECTIONS,
                path: str = "reports/seed-like.pdf", audited: dt.date = dt.date(2024, 5, 6)) -> Result:
    source = Source.from_bytes(path, b"fixture bytes of a report", "pdf")
    meta = Meta(agency=agency, year=2020, published=dt.date(2021, 1, 8), format="2019", format_by_year="2019",
                title=f"{agency}2020年政府信息公开工作年度报告", level="government")
    blocks = [Paragraph(text) for _, _, text in sections]
    doc = Document(source=source, blocks=blocks, page_count=6, meta=meta,
                   sections=[Section(n, title, [n], text, i, i) for i, (n, title, text) in enumerate(sections)])
    return Result(
        source=source,
        document=doc,
        fields=fields if fields is not None else seed_fields(),
        findings=seed_findings() if findings is None else findings,
        checks=seed_checks() if checks is None else checks,
        versions={"tool": "0.1.0", "parser": "1", "rules": "rules-test", "model": "model-test"},
        audited=audited,
    )


def seed_like() -> Result:
    return make_result()


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">点此</a>'


def hostile() -> Result:
    """Report text that tries to inject markup: in the agency name, a quoted sentence and a cell label."""
    findings = seed_findings()
    findings[3] = Finding("CLAIM-NEW", Severity.ERROR, "claim", "正文数字与表格不一致。", "Text and table disagree.",
                          Location(section=1, field_ids=["t3.new.total"], sentence=f"共收到申请{HOSTILE}55件。"),
                          expected=53, found=55)
    fields = seed_fields()
    v = fields["t3.denied.third_party.natural"]
    fields["t3.denied.third_party.natural"] = Value(v.value, v.kind, v.raw, table="t3",
                                                     row_label=f"4.保护第三方{HOSTILE}", column_label=v.column_label, page=4)
    return make_result(agency=f"示例局{HOSTILE}", findings=findings, fields=fields)


class Parsed(HTMLParser):
    """Every start tag with its attributes, and every <td> with its class and text."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.cells: list[tuple[str, str, str]] = []  # (class, title, text)
        self._cell: list | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            a = dict(attrs)
            self._cell = [a.get("class", ""), a.get("title", ""), ""]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append(tuple(self._cell))
            self._cell = None


SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "samples" / "2020_department_page_break.txt"


def unreadable_tables_report(folder: Path) -> Path:
    """The bundled sample report with table 二's row 规范性文件 given four figures for three columns and
    table 三 replaced by a line saying it is an image: two tables no check can assess, for two reasons."""
    text = SAMPLE.read_bytes().decode("gb18030").replace("规范性文件\t5\t5\t31", "规范性文件\t5\t5\t31\t7")
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("三、收到和处理"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("四、政府信息公开行政复议"))
    lines[start + 1:end] = ["（本表以图片形式发布）"]
    path = folder / "unreadable-tables.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
