"""Ruled tables in PDFs: merged cells, and a table cut by a page break joined back into one."""
from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from tests._pdf_helpers import DrawnCell, DrawnPage, DrawnTable, drawn_pdf, grids, load, spans  # noqa: E402

ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
WRAPPED = {"社会公益组织": ["社会公益", "组织"], "法律服务机构": ["法律服务", "机构"]}
WIDTHS = [180.0] + [48.0] * 7
X = 40.0
HEADER = "某某县人民政府办公室"


def header_cells() -> list[DrawnCell]:
    cells = [
        DrawnCell(0, 0, "申请情况", rowspan=2),
        DrawnCell(0, 1, "自然人", rowspan=2),
        DrawnCell(0, 2, "法人或其他组织", colspan=5),
        DrawnCell(0, 7, "总计", rowspan=2),
    ]
    cells += [DrawnCell(1, 2 + k, WRAPPED.get(name, name)) for k, name in enumerate(ORGS)]
    return cells


def data_row(r: int, label, numbers) -> list[DrawnCell]:
    return [DrawnCell(r, 0, label)] + [DrawnCell(r, 1 + k, str(n)) for k, n in enumerate(numbers)]


def furniture(page_no: int) -> list[tuple[float, float, str]]:
    return [(40, 30, HEADER), (285, 800, f"- {page_no} -")]


def split_row_pdf(repeat_header: bool = True) -> bytes:
    """Table 三 cut inside the row 部分公开: its label's last line lands on page 2 with blank numbers."""
    p1 = DrawnPage(texts=furniture(1) + [(40, 80, "三、收到和处理政府信息公开申请情况")])
    cells = header_cells()
    cells += data_row(2, "一、本年新收政府信息公开申请数量", [51, 2, 0, 0, 0, 0, 53])
    cells += data_row(3, "二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0])
    cells += data_row(4, "（一）予以公开", [11, 2, 0, 0, 0, 0, 13])
    cells += data_row(5, "（二）部分公开（区分处理的，", [3, 0, 0, 0, 0, 0, 3])
    p1.tables.append(DrawnTable(X, 620, WIDTHS, [20, 30, 22, 22, 22, 22], cells))
    p2 = DrawnPage(texts=furniture(2))
    top = 60.0
    cells = []
    heights = []
    if repeat_header:
        cells += header_cells()
        heights += [20, 30]
    r = len(heights)
    cells += data_row(r, "只计这一情形，不计其他情形）", [""] * 7)
    cells += data_row(r + 1, "（三）不予公开", [1, 0, 0, 0, 0, 0, 1])
    cells += data_row(r + 2, "（七）总计", [51, 2, 0, 0, 0, 0, 53])
    heights += [22, 22, 22]
    p2.tables.append(DrawnTable(X, top, WIDTHS, heights, cells))
    p2.texts.append((40, top + sum(heights) + 30, "四、政府信息公开行政复议、行政诉讼情况"))
    return drawn_pdf([p1, p2])


HEAD = [
    ["申请情况", "自然人", "法人或其他组织", None, None, None, None, "总计"],
    [None, None, *ORGS, None],
]
JOINED_BODY = [
    ["一、本年新收政府信息公开申请数量", "51", "2", "0", "0", "0", "0", "53"],
    ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
    ["(一)予以公开", "11", "2", "0", "0", "0", "0", "13"],
    ["(二)部分公开（区分处理的，只计这一情形，不计其他情形）", "3", "0", "0", "0", "0", "0", "3"],
    ["(三)不予公开", "1", "0", "0", "0", "0", "0", "1"],
    ["(七)总计", "51", "2", "0", "0", "0", "0", "53"],
]


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_cut_by_a_page_break_is_one_table(repeat_header):
    doc = load(split_row_pdf(repeat_header))
    assert grids(doc) == [HEAD + JOINED_BODY]
    table = doc.tables[0]
    assert table.pages == [1, 2] and table.page == 1
    assert spans(table) == [(0, 0, "申请情况", 2, 1), (0, 1, "自然人", 2, 1), (0, 2, "法人或其他组织", 1, 5), (0, 7, "总计", 2, 1)]
    assert "joined table over pages 1–2" in doc.notes
    assert any("只计这一情形，不计其他情形）" in n and "merged label fragment" in n for n in doc.notes)
    assert any("repeated header" in n for n in doc.notes) is repeat_header


def test_page_furniture_between_table_parts_is_dropped():
    doc = load(split_row_pdf())
    texts = [p.text for p in doc.paragraphs]
    assert texts == ["三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    assert f"dropped running header '{HEADER}' on 2 pages" in doc.notes
    assert "dropped page numbers on 2 page(s)" in doc.notes
    assert doc.page_count == 2


def test_cells_keep_their_page_and_box():
    doc = load(split_row_pdf())
    table = doc.tables[0]
    first, last = table.rows[2][1], table.rows[-1][1]
    assert (first.text, first.span.page, last.text, last.span.page) == ("51", 1, "51", 2)
    x0, top, x1, bottom = first.span.bbox
    assert x0 == pytest.approx(X + 180) and x1 == pytest.approx(X + 228)
    assert top < bottom


def merged_group_pdf() -> bytes:
    """A vertical group label (三、本年度办理结果, one character a line) cut by the break: “果” and the
    rest of the merged cell go on on page 2."""
    widths = [40.0, 200.0, 60.0, 60.0]
    p1 = DrawnPage(texts=furniture(1))
    cells = [
        DrawnCell(0, 0, "项目", colspan=2), DrawnCell(0, 2, "自然人"), DrawnCell(0, 3, "总计"),
        DrawnCell(1, 0, "一、本年新收政府信息公开申请数量", colspan=2), DrawnCell(1, 2, "8"), DrawnCell(1, 3, "9"),
        DrawnCell(2, 0, ["三、", "本", "年", "度", "办", "理", "结"], rowspan=3),
        DrawnCell(2, 1, "（一）予以公开"), DrawnCell(2, 2, "5"), DrawnCell(2, 3, "6"),
        DrawnCell(3, 1, "（二）部分公开"), DrawnCell(3, 2, "1"), DrawnCell(3, 3, "1"),
        DrawnCell(4, 1, "（三）不予公开"), DrawnCell(4, 2, "0"), DrawnCell(4, 3, "0"),
    ]
    p1.tables.append(DrawnTable(X, 600, widths, [20, 22, 50, 50, 50], cells))
    p2 = DrawnPage(texts=furniture(2))
    cells = [
        DrawnCell(0, 0, "果", rowspan=2),
        DrawnCell(0, 1, "（四）无法提供"), DrawnCell(0, 2, "2"), DrawnCell(0, 3, "2"),
        DrawnCell(1, 1, "（五）不予处理"), DrawnCell(1, 2, "0"), DrawnCell(1, 3, "0"),
        DrawnCell(2, 0, "四、结转下年度继续办理", colspan=2), DrawnCell(2, 2, "0"), DrawnCell(2, 3, "0"),
    ]
    p2.tables.append(DrawnTable(X, 60, widths, [22, 22, 22], cells))
    return drawn_pdf([p1, p2])


def test_merged_label_cut_by_a_page_break_is_one_cell():
    doc = load(merged_group_pdf())
    assert grids(doc) == [[
        ["项目", None, "自然人", "总计"],
        ["一、本年新收政府信息公开申请数量", None, "8", "9"],
        ["三、本年度办理结果", "(一)予以公开", "5", "6"],
        [None, "(二)部分公开", "1", "1"],
        [None, "(三)不予公开", "0", "0"],
        [None, "(四)无法提供", "2", "2"],
        [None, "(五)不予处理", "0", "0"],
        ["四、结转下年度继续办理", None, "0", "0"],
    ]]
    assert (2, 0, "三、本年度办理结果", 5, 1) in spans(doc.tables[0])


def test_new_group_after_the_break_is_not_merged_into_the_group_above():
    """A merged cell that ends at the break and a new one-row label opening page 2 stay apart."""
    widths = [120.0, 120.0, 60.0]
    p1 = DrawnPage(texts=furniture(1))
    cells = [
        DrawnCell(0, 0, "信息内容"), DrawnCell(0, 1, "项目"), DrawnCell(0, 2, "数量"),
        DrawnCell(1, 0, "规章", rowspan=2), DrawnCell(1, 1, "本年制发件数"), DrawnCell(1, 2, "4"),
        DrawnCell(2, 1, "现行有效件数"), DrawnCell(2, 2, "12"),
    ]
    p1.tables.append(DrawnTable(X, 700, widths, [22, 22, 22], cells))
    p2 = DrawnPage(texts=furniture(2))
    cells = [DrawnCell(0, 0, "行政规范性文件"), DrawnCell(0, 1, "本年制发件数"), DrawnCell(0, 2, "7")]
    p2.tables.append(DrawnTable(X, 60, widths, [22], cells))
    doc = load(drawn_pdf([p1, p2]))
    assert grids(doc) == [[
        ["信息内容", "项目", "数量"],
        ["规章", "本年制发件数", "4"],
        [None, "现行有效件数", "12"],
        ["行政规范性文件", "本年制发件数", "7"],
    ]]


def test_different_tables_on_consecutive_pages_stay_apart():
    p1 = DrawnPage(tables=[DrawnTable(X, 700, [150, 60, 60], [22, 22], [
        DrawnCell(0, 0, "信息内容"), DrawnCell(0, 1, "本年制发件数"), DrawnCell(0, 2, "现行有效件数"),
        DrawnCell(1, 0, "规章"), DrawnCell(1, 1, "0"), DrawnCell(1, 2, "0"),
    ])])
    p2 = DrawnPage(tables=[DrawnTable(X, 60, [100, 50, 50, 50], [22, 22], [
        DrawnCell(0, 0, "行政复议"), DrawnCell(0, 1, "结果维持"), DrawnCell(0, 2, "结果纠正"), DrawnCell(0, 3, "总计"),
        DrawnCell(1, 0, "件数"), DrawnCell(1, 1, "1"), DrawnCell(1, 2, "0"), DrawnCell(1, 3, "1"),
    ])])
    doc = load(drawn_pdf([p1, p2]))
    assert [t.pages for t in doc.tables] == [[1], [2]]
    assert not any(n.startswith("joined table") for n in doc.notes)
