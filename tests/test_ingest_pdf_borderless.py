"""Borderless tables (no ruling lines): grids from text positions alone."""
from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from tests._pdf_helpers import DrawnCell, DrawnPage, DrawnTable, drawn_pdf, grids, load, spans  # noqa: E402

INTRO = "本机关主动公开政府信息的情况统计如下"


def t2_page() -> DrawnPage:
    """Table 二 (2019 format) without rules, between a heading and a paragraph; a wide amount and a
    signed change must come out whole."""
    cells = [
        DrawnCell(0, 0, "信息内容"), DrawnCell(0, 1, "上一年项目数量"), DrawnCell(0, 2, "本年增/减"), DrawnCell(0, 3, "处理决定数量"),
        DrawnCell(1, 0, "行政许可"), DrawnCell(1, 1, "899"), DrawnCell(1, 2, "-310"), DrawnCell(1, 3, "589"),
        DrawnCell(2, 0, "其他对外管理服务事项"), DrawnCell(2, 1, "162"), DrawnCell(2, 2, "241"), DrawnCell(2, 3, "403"),
        DrawnCell(3, 0, "政府集中采购"), DrawnCell(3, 1, "85"), DrawnCell(3, 2, "18228.47584"), DrawnCell(3, 3, "—"),
    ]
    table = DrawnTable(60, 140, [150, 110, 110, 110], [24, 24, 24, 24], cells, ruled=False)
    return DrawnPage(texts=[(60, 80, "二、主动公开政府信息情况"), (60, 110, INTRO)], tables=[table])


def test_borderless_table_between_paragraphs():
    page = t2_page()
    page.texts.append((60, 260, "三、收到和处理政府信息公开申请情况"))
    doc = load(drawn_pdf([page]))
    assert grids(doc) == [[
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "899", "-310", "589"],
        ["其他对外管理服务事项", "162", "241", "403"],
        ["政府集中采购", "85", "18228.47584", "—"],
    ]]
    assert [p.text for p in doc.paragraphs] == ["二、主动公开政府信息情况", INTRO, "三、收到和处理政府信息公开申请情况"]
    cell = doc.tables[0].rows[3][2]
    assert cell.span.page == 1 and cell.span.bbox[0] > 60 + 260


def test_body_text_with_numbers_is_not_a_table():
    texts = [(60, 80 + 20 * k, t) for k, t in enumerate([
        "一、总体情况",
        "本年度共主动公开政府信息1545条，其中机构职能类213条。",
        "全年受理政府信息公开申请53件，均在法定期限内答复。",
        "联系电话：0595-87995800",
    ])]
    doc = load(drawn_pdf([DrawnPage(texts=texts)]))
    assert doc.tables == []
    assert "".join(p.text for p in doc.paragraphs) == "".join(t for _, _, t in texts)


def t3_page() -> DrawnPage:
    """Table 三's result rows without rules: a group label set one character a line in a narrow column,
    a wrapped row label, a header over the applicant columns."""
    widths = [24.0, 190.0, 50.0, 50.0, 50.0]
    cells = [
        DrawnCell(0, 2, "申请人情况", colspan=3),
        DrawnCell(1, 0, "项目", colspan=2), DrawnCell(1, 2, "自然人"), DrawnCell(1, 3, "法人"), DrawnCell(1, 4, "总计"),
        DrawnCell(2, 0, "一、本年新收政府信息公开申请数量", colspan=2), DrawnCell(2, 2, "51"), DrawnCell(2, 3, "2"), DrawnCell(2, 4, "53"),
        DrawnCell(3, 0, ["三", "、", "办", "理", "结", "果"], rowspan=4),
        DrawnCell(3, 1, "（一）予以公开"), DrawnCell(3, 2, "11"), DrawnCell(3, 3, "2"), DrawnCell(3, 4, "13"),
        DrawnCell(4, 1, ["（二）部分公开（区分处理的，只计", "这一情形，不计其他情形）"]), DrawnCell(4, 2, "3"), DrawnCell(4, 3, "0"), DrawnCell(4, 4, "3"),
        DrawnCell(5, 1, "（三）不予公开"), DrawnCell(5, 2, "1"), DrawnCell(5, 3, "0"), DrawnCell(5, 4, "1"),
        DrawnCell(6, 1, "（七）总计"), DrawnCell(6, 2, "51"), DrawnCell(6, 3, "2"), DrawnCell(6, 4, "53"),
        DrawnCell(7, 0, "四、结转下年度继续办理", colspan=2), DrawnCell(7, 2, "0"), DrawnCell(7, 3, "0"), DrawnCell(7, 4, "0"),
    ]
    table = DrawnTable(60, 120, widths, [22, 22, 22, 22, 34, 22, 22, 22], cells, ruled=False)
    return DrawnPage(texts=[(60, 80, "三、收到和处理政府信息公开申请情况")], tables=[table])


def test_stacked_group_label_and_wrapped_label():
    doc = load(drawn_pdf([t3_page()]))
    assert grids(doc) == [[
        ["", "", "申请人情况", "", ""],  # a header over several columns takes those its text covers
        ["项目", "", "自然人", "法人", "总计"],
        ["一、本年新收政府信息公开申请数量", None, "51", "2", "53"],
        ["三、办理结果", "(一)予以公开", "11", "2", "13"],
        [None, "(二)部分公开（区分处理的，只计这一情形，不计其他情形）", "3", "0", "3"],
        [None, "(三)不予公开", "1", "0", "1"],
        [None, "(七)总计", "51", "2", "53"],
        ["四、结转下年度继续办理", None, "0", "0", "0"],
    ]]
    assert (3, 0, "三、办理结果", 4, 1) in spans(doc.tables[0])
    assert [p.text for p in doc.paragraphs] == ["三、收到和处理政府信息公开申请情况"]


def test_borderless_table_continued_on_the_next_page():
    first = t2_page()
    first.tables[0].top = 700
    second = DrawnPage(tables=[DrawnTable(60, 60, [150, 110, 110, 110], [24, 24], [
        DrawnCell(0, 0, "行政处罚"), DrawnCell(0, 1, "297"), DrawnCell(0, 2, "10"), DrawnCell(0, 3, "307"),
        DrawnCell(1, 0, "行政强制"), DrawnCell(1, 1, "12"), DrawnCell(1, 2, "7"), DrawnCell(1, 3, "19"),
    ], ruled=False)])
    doc = load(drawn_pdf([first, second]))
    assert [t.pages for t in doc.tables] == [[1, 2]]
    assert grids(doc)[0][-3:] == [
        ["政府集中采购", "85", "18228.47584", "—"],
        ["行政处罚", "297", "10", "307"],
        ["行政强制", "12", "7", "19"],
    ]
