"""Tables in running text (a crawler's page: cells run together) and loose lines beside a grid."""
from __future__ import annotations

from decimal import Decimal

from audit import pipeline
from audit.model import ValueKind
from audit.tables import extract, schema
from tests._tables_helpers import REAL, document, para, shared_file

T3_COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")


def row(fields, rid):
    return [fields.number(f"t3.{rid}.{c}") for c in T3_COLS]


def crawled_t3(fmt: str, digits: dict[str, str]) -> str:
    """Table 三 as a crawler flattens it: header words, then each official label with its digits."""
    t3 = schema.load(fmt).table("t3")
    head = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    body = "".join(r.full_label.replace(" ", "") + digits.get(r.id, "0000000") for r in t3.rows if not r.optional)
    return "三、收到和处理政府信息公开申请情况" + head + body


def test_unique_splits_are_read_and_ambiguous_rows_are_unreadable():
    text = crawled_t3("2021", {"new": "1000001", "open": "220000022", "result_total": "1000001", "carried_out": "0000000"})
    fields = extract(document(para(text), year=2023))
    assert row(fields, "new") == [1, 0, 0, 0, 0, 0, 1]
    # 22,0,0,0,0,0,22 and 2,20,0,0,0,0,22 both satisfy the row identity: never a guessed value
    assert all(fields[f"t3.open.{c}"].kind is ValueKind.UNREADABLE for c in T3_COLS)
    why = fields.not_assessable["t3"]
    assert why.zh.startswith("“三、本年度办理结果 （一）予以公开”行：连写的数字“220000022”拆成7个单元格有4种拆法，无法确定；")
    assert why.en.startswith("row “三、本年度办理结果 （一）予以公开”: the run-together digits “220000022” split 4 ways "
                             "into 7 cells; ")
    assert why.zh.endswith("“四、结转下年度继续办理”行：连写的数字“000000”无法拆成7个单元格")
    assert fields.number("t3.other.other.natural") == 0
    assert not fields.missing_rows.get("t3")


def test_identity_resolved_rows_are_recorded():
    # “230 000023” splits three ways; only 23,0,0,0,0,0,23 satisfies 总计 = the sum (pingtan-2019's figures)
    text = crawled_t3("2019", {"new": "230 000023", "open": "7000007", "result_total": "23 0 00 0 023"})
    fields = extract(document(para(text), year=2019))
    assert row(fields, "new") == [23, 0, 0, 0, 0, 0, 23]
    assert row(fields, "result_total") == [23, 0, 0, 0, 0, 0, 23]  # spaces leave one split
    assert "t3.new" in fields.identity_resolved and "t3.result_total" not in fields.identity_resolved
    assert any("row identity" in n.en and "按行内关系" in n.zh and "“一、本年新收政府信息公开申请数量”" in n.zh
               for n in fields.notes)


def test_next_rows_numbering_is_not_a_value():
    text = crawled_t3("2019", {"denied.state_secret": "0000000", "denied.law_forbidden": "1000001"})
    fields = extract(document(para(text), year=2020))
    assert row(fields, "denied.state_secret") == [0] * 7
    assert row(fields, "denied.law_forbidden") == [1, 0, 0, 0, 0, 0, 1]


def test_pingtan_2021_figures():
    fields = pipeline.extract(pipeline.read(shared_file(REAL / "pingtan-2021.txt")))
    assert fields.format == "2021" and fields.format_by_labels == "2021"
    assert row(fields, "new") == [64, 0, 0, 2, 0, 4, 70]
    assert row(fields, "carried_out") == [1, 0, 0, 0, 0, 0, 1]
    assert fields.number("t2.license.decisions") == 2293
    assert fields["t2.fee.amount"].value == Decimal("24252.311082")
    assert [fields.number(f"t4.review.{c}") for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 2, 0, 3]
    assert fields["t2.norm.issued"].kind is ValueKind.UNREADABLE and "t2" in fields.not_assessable


def test_pingtan_2020_defect_figures_and_carry_over():
    f20 = pipeline.extract(pipeline.read(shared_file(REAL / "pingtan-2020.txt")))
    assert f20.format == "2019"
    assert f20.number("t3.result_total.natural") == 20 and f20.number("t3.result_total.total") == 21
    results = [k for k, v in f20.matching("t3.*.natural")
               if k.split(".")[1] not in ("new", "carried_in", "result_total", "carried_out")]
    assert sum(f20.number(k) for k in results) == 26
    assert f20["t2.procurement.amount"].kind is ValueKind.UNREADABLE  # “39573802895.90元” splits many ways
    f21 = pipeline.extract(pipeline.read(shared_file(REAL / "pingtan-2021.txt")))
    f22 = pipeline.extract(pipeline.read(shared_file(REAL / "pingtan-2022.txt")))
    assert row(f22, "carried_in") == row(f21, "carried_out")


def test_markdown_conversion_reads_what_is_there():
    fields = pipeline.extract(pipeline.read(shared_file(REAL / "shanghai-office-2025.md")))
    assert fields.format == "2021"
    assert row(fields, "new") == [1259, 36, 0, 0, 0, 0, 1295]
    assert row(fields, "result_total") == [1139, 48, 0, 0, 4, 0, 1191]
    assert row(fields, "other.no_correction") == [40, 1, 0, 0, 2, 0, 43]
    assert fields.number("t4.suit_after_review.total") == 22
    # 本年废止件数 left the table: two figures for three columns are not guessed
    assert fields["t2.reg.issued"].kind is ValueKind.UNREADABLE
    kewei = pipeline.extract(pipeline.read(shared_file(REAL / "shanghai-kewei-2024.md")))
    assert kewei.number("t2.license.decisions") == 97  # a loose line beside the grid
    assert kewei["t3.carried_out.total"].kind is ValueKind.BLANK
    # its bare rows of numbers, their labels scattered over loose lines (two stacked above one row): as many
    # between each two labelled rows as official rows left there, the column sums hold: placed by row order
    assert row(kewei, "partial") == [0] * 7 and row(kewei, "denied.internal") == [1, 0, 0, 0, 0, 0, 1]
    assert row(kewei, "other.no_correction") == [8, 2, 0, 0, 0, 0, 10]
    assert "placed by row order" in kewei["t3.denied.internal.total"].origin.en
    assert "t3" not in kewei.missing_rows and "t3" not in kewei.not_assessable


def test_markdown_label_on_the_lines_above_a_bare_value_row():
    """shanghai-office-2025: “（二）部分公开（区分处理的，只计这一情 / 形，不计其他情形）” on two text lines,
    “| 2 | 0 | 0 | 0 | 0 | 0 | 2 |” right under them; the bare “| 0 | … | 0 |” row between 4.无正当理由大量反复申请
    and （六）1. has its label (5.要求行政机关确认…) far away among other loose lines: the one official row
    left between its labelled neighbours, placed by row order and confirmed by the column sums."""
    fields = pipeline.extract(pipeline.read(shared_file(REAL / "shanghai-office-2025.md")))
    assert row(fields, "partial") == [2, 0, 0, 0, 0, 0, 2]
    assert row(fields, "open") == [201, 5, 0, 0, 0, 0, 206]
    assert row(fields, "rejected.mass_repeat") == [1, 0, 0, 0, 0, 0, 1]
    assert row(fields, "rejected.confirm") == [0] * 7
    origin = fields["t3.rejected.confirm.total"].origin
    assert "placed by row order" in origin.en and "按行序" in origin.zh
    assert "t3" not in fields.missing_rows and "t3" not in fields.not_assessable
    assert any("“（五）不予处理 5.要求行政机关确认或重新出具已获取信息”" in n.zh for n in fields.notes)
