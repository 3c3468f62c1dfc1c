"""Real-report variants on hand-built grids: column order, an eighth column, the old （六） row, missing
and extra rows, typos and numbering, page breaks, units, format detection, absent tables."""
from __future__ import annotations

from decimal import Decimal

from audit.model import ValueKind
from audit.tables import extract
from tests._tables_helpers import document, grid, para, t3_header, t3_rows, t3_values

COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")
T2_2021 = [
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"], ["行政规范性文件", "5", "1", "40"],
    ["信息内容", "本年处理决定数量"], ["行政许可", "120"], ["行政处罚", "7"], ["行政强制", "0"],
    ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "12.50"],
]


def t3_doc(fmt: str, rows, year: int, header=None):
    return document(para("二、主动公开政府信息情况"), grid(T2_2021 if fmt == "2021" else []),
                    para("三、收到和处理政府信息公开申请情况"), grid((header or t3_header()) + rows), year=year)


def test_shuffled_columns_are_mapped_by_label():
    header = [["", "总计", "其他", "法律服务机构", "社会公益组织", "科研机构", "商业企业", "自然人"]]
    values = t3_values("2021", {"new": [9, 1, 2, 3, 4, 5, 24]})
    rows = [[r[0], *reversed(r[1:])] for r in t3_rows("2021", values)]
    fields = extract(t3_doc("2021", rows, 2022, header))
    assert [fields.number(f"t3.new.{c}") for c in COLS] == [9, 1, 2, 3, 4, 5, 24]


def test_org_total_column():
    values = t3_values("2021", {"new": [10, 6, 2, 1, 1, 1, 1, 16]}, n=8)
    fields = extract(t3_doc("2021", t3_rows("2021", values), 2022, t3_header(org_total=True)))
    assert fields.number("t3.new.org_total") == 6 and fields.number("t3.new.total") == 16
    assert fields.number("t3.new.commercial") == 2
    assert any("小计" in v.en and "多出的列" in v.zh for v in fields.variants["t3"])


def test_old_one_row_other_in_a_2021_report():
    values = t3_values("2019", {"other": [3, 0, 0, 0, 0, 0, 3]})
    fields = extract(t3_doc("2021", t3_rows("2019", values), 2023))
    assert fields.format == "2021"
    assert fields.number("t3.other.total") == 3
    assert fields["t3.other.no_fee.total"].kind is ValueKind.MISSING
    assert "other.no_fee" not in fields.missing_rows.get("t3", [])
    assert any("superseded" in v.en and "旧格式" in v.zh for v in fields.variants["t3"])


def test_missing_and_extra_rows_typos_and_numbering():
    values = t3_values("2021", {"denied.law_forbidden": [1, 0, 0, 0, 0, 0, 1], "unable.unclear": [4, 0, 0, 0, 0, 0, 4]})
    del values["rejected.repeat"]
    rows = t3_rows("2021", values)
    for r in rows:
        r[0] = r[0].replace("其他法律行政法规禁止公开", "其他法律行政止公开").replace("（四）无法提供 3.", "(四) 无法提供 3、")
    rows.insert(3, ["其中：电子邮件申请", "1", "0", "0", "0", "0", "0", "1"])  # an extra row of the agency's own
    fields = extract(t3_doc("2021", rows, 2022))
    assert fields.number("t3.denied.law_forbidden.natural") == 1
    assert fields.number("t3.unable.unclear.total") == 4
    assert fields.missing_rows["t3"] == ["rejected.repeat"]
    assert fields["t3.rejected.repeat.natural"].kind is ValueKind.MISSING and fields["t3.rejected.repeat.natural"].value is None


def test_page_break_page_number_repeated_header_and_cut_label():
    values = t3_values("2021", {"partial": [6, 0, 0, 0, 0, 0, 6], "unable.not_held": [2, 1, 0, 0, 0, 0, 3]})
    rows = t3_rows("2021", values)
    i = next(k for k, r in enumerate(rows) if "部分公开" in r[0])
    cut = rows[i][0]
    rows[i][0] = cut[:12]
    page2 = [["-3-"], *t3_header(), [cut[12:], "", "", "", "", "", "", ""]]
    doc = document(para("三、收到和处理政府信息公开申请情况"),
                   grid(t3_header() + rows[: i + 1]), grid(page2 + rows[i + 1:], page=2), year=2022)
    fields = extract(doc)
    assert [fields.number(f"t3.partial.{c}") for c in COLS] == [6, 0, 0, 0, 0, 0, 6]
    assert fields.number("t3.unable.not_held.total") == 3 and fields["t3.unable.not_held.total"].page == 2
    assert not fields.missing_rows.get("t3")


def test_blank_dash_none_word_cells_keep_their_meaning():
    values = t3_values("2021", {"denied.query": ["", "—", "/", "无", "0", "0", "x1"]})
    fields = extract(t3_doc("2021", t3_rows("2021", values), 2022))
    kinds = [fields[f"t3.denied.query.{c}"].kind for c in COLS]
    assert kinds == [ValueKind.BLANK, ValueKind.DASH, ValueKind.DASH, ValueKind.NONE_WORD,
                     ValueKind.NUMBER, ValueKind.NUMBER, ValueKind.UNREADABLE]
    assert fields["t3.denied.query.natural"].value is None


def test_amount_in_yuan_under_a_wan_yuan_header_is_kept():
    t2 = [["信息内容", "采购项目数量", "采购总金额（万元）"], ["政府集中采购", "395", "73802895.90元"]]
    fields = extract(document(para("二、主动公开政府信息情况"), grid(t2), year=2020))
    v = fields["t2.procurement.amount"]
    assert v.value == Decimal("73802895.90") and v.unit == "元"
    assert any("元" in n.en and "按原样保留" in n.zh for n in fields.variants["t2"])


def test_format_from_labels_wins_over_the_year():
    t2_2019 = [["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "0", "0", "0"]]
    fields = extract(document(para("二、主动公开政府信息情况"), grid(t2_2019), year=2023))
    assert fields.format == fields.format_by_labels == "2019"
    assert any("2019" in v.en and "2021" in v.en and "2021年版格式" in v.zh for v in fields.variants["t2"])
    none = extract(document(para("一、总体情况"), year=2022))
    assert none.format == "2021" and none.format_by_labels is None


def test_tables_absent_are_not_assessable_once():
    fields = extract(document(para("一、总体情况"), para("本年度未收到申请。"), year=2022))
    assert set(fields.not_assessable) == {"t2", "t3", "t4"}
    assert len(fields) == 200 and all(v.kind is ValueKind.MISSING for v in fields.values())
    assert not fields.missing_rows


def test_old_other_row_alone_keeps_the_years_format():
    values = t3_values("2019", {"other": [2, 0, 0, 0, 0, 0, 2]})
    doc = document(para("三、收到和处理政府信息公开申请情况"), grid(t3_header() + t3_rows("2019", values)), year=2024)
    fields = extract(doc)
    assert fields.format == "2021" and fields.format_by_labels == "2019"
    assert fields.number("t3.other.natural") == 2
    assert any("2019" in v.en and "2019" in v.zh for v in fields.variants["t3"])


def test_table_four_with_every_cell_blank():
    head = [["行政复议", "", "", "", "", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]]
    fields = extract(document(para("四、政府信息公开行政复议、行政诉讼情况"), grid(head), year=2022))
    assert all(fields[f"t4.{b}.total"].kind is ValueKind.BLANK for b in ("review", "direct_suit", "suit_after_review"))
    assert "t4" not in fields.not_assessable
    empty_row = head + [[""] * 15]
    fields = extract(document(grid(empty_row), year=2022))
    assert fields["t4.review.upheld"].kind is ValueKind.BLANK and fields["t4.review.upheld"].value is None


def _split_at(rows, label_start):
    """Rows before the one whose label starts with ``label_start``, that row's values, the rows after."""
    i = next(k for k, r in enumerate(rows) if r[0].startswith(label_start))
    return rows[:i], rows[i][1:], rows[i + 1:]


def test_label_on_text_lines_directly_above_a_bare_value_row():
    """A conversion left （二）部分公开's label as two lines of text and its numbers as a bare grid row. The
    label is a hint (a conversion may put the next row's label there): the numbers are placed by row
    order, confirmed by the column sums, and the hint names the same row."""
    values = t3_values("2021", {"partial": [3, 1, 0, 0, 0, 0, 4], "open": [5, 0, 0, 0, 0, 0, 5],
                                "new": [8, 1, 0, 0, 0, 0, 9], "result_total": [8, 1, 0, 0, 0, 0, 9]})
    before, partial, after = _split_at(t3_rows("2021", values), "（二）部分公开")
    doc = document(para("三、收到和处理政府信息公开申请情况"), grid(t3_header() + before),
                   para("（二）部分公开（区分处理的，只"), para("计这一情形，不计其他情形）"),
                   grid([partial]), grid(after), year=2022)
    fields = extract(doc)
    assert [fields.number(f"t3.partial.{c}") for c in COLS] == [3, 1, 0, 0, 0, 0, 4]
    assert "placed by row order" in fields["t3.partial.total"].origin.en
    assert "t3" not in fields.missing_rows and "t3" not in fields.not_assessable
    # the next row's label above the numbers instead: the hint and the order disagree, nothing is read
    doc = document(para("三、收到和处理政府信息公开申请情况"), grid(t3_header() + before),
                   para("（三）不予公开 1.属于国家秘密"), grid([partial]), grid(after), year=2022)
    fields = extract(doc)
    assert fields["t3.partial.total"].kind is ValueKind.UNREADABLE
    assert fields.number("t3.denied.state_secret.total") == 0  # its own labelled row


def test_two_labels_above_one_bare_row_tie_it_to_neither():
    """Two row labels stacked above one row of numbers: which row the numbers are is a guess. They stay
    unread (said once), and neither row is reported absent from the report."""
    values = t3_values("2021", {"partial": [3, 1, 0, 0, 0, 0, 4]})
    before, partial, after = _split_at(t3_rows("2021", values), "（二）部分公开")
    after = after[1:]  # 1.属于国家秘密's own grid row is gone too: its label is among the loose lines
    doc = document(para("三、收到和处理政府信息公开申请情况"), grid(t3_header() + before),
                   para("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), para("（三）不予公开"),
                   para("1.属于国家秘密"), para("2.其他法律行政法规禁止公开"),
                   grid([partial]), grid(after), year=2022)
    fields = extract(doc)
    assert fields["t3.partial.total"].kind is ValueKind.UNREADABLE
    assert fields["t3.denied.state_secret.natural"].kind is ValueKind.UNREADABLE
    assert fields.number("t3.denied.law_forbidden.total") == 0  # its own labelled row, after the bare one
    assert "t3" not in fields.missing_rows
    assert fields.not_assessable["t3"].en.count("without a label") == 1
