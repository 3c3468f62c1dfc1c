"""A Word-made report PDF (python-docx → LibreOffice), read end to end: running header and page numbers
dropped, a paragraph cut by a page break joined, headings kept apart, and table 三 over a page break with
its repeated header row read as one grid."""
from __future__ import annotations

import pytest

pytest.importorskip("docx")

from tests._pdf_helpers import (  # noqa: E402
    add_page_number_footer,
    docx_bytes,
    indented,
    load,
    new_word_document,
    repeat_header,
    soffice_pdf,
)

RUNNING_HEADER = "某某市自然资源局政府信息公开专栏"
LONG = (
    "本年度我局坚持以公开为常态、不公开为例外，围绕自然资源管理中群众关注的用地审批、矿产资源开发、"
    "不动产登记等事项，及时通过门户网站、政务新媒体和政务服务大厅公开栏发布相关信息，"
    "对涉及群众切身利益的征收补偿方案在作出决定前公开征求意见，并在规定时限内公布处理结果，"
    "同时建立信息发布前的保密审查和内容校核机制，由业务科室初审、办公室复核、分管领导审定，"
    "确保发布内容准确规范，全年未发生因信息公开引发的泄密事件，"
    "在此基础上我们还对历年发布的规范性文件进行了全面梳理，对已废止和失效的文件逐一标注，"
    "方便公众查询使用，进一步提升了政府信息公开的规范化和便利化水平。"
)
FILLER = "我局按照年度政务公开工作要点，细化任务分工，明确责任科室和完成时限，定期调度推进情况。"
T3_ROWS = [
    ("一、本年新收政府信息公开申请数量", [14, 3, 0, 1, 0, 0, 18]),
    ("二、上年结转政府信息公开申请数量", [2, 0, 0, 0, 0, 0, 2]),
    ("（一）予以公开", [6, 1, 0, 1, 0, 0, 8]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("（三）不予公开　3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0, 0]),
    ("（四）无法提供　1.本机关不掌握相关政府信息", [5, 1, 0, 0, 0, 0, 6]),
    ("（五）不予处理　2.重复申请", [1, 0, 0, 0, 0, 0, 1]),
    ("（六）其他处理", [2, 1, 0, 0, 0, 0, 3]),
    ("（七）总计", [15, 3, 0, 1, 0, 0, 19]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]
ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def build_report():
    d = new_word_document()
    section = d.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEADER
    add_page_number_footer(section)
    d.add_paragraph("某某市自然资源局2022年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    for _ in range(8):
        indented(d, FILLER * 2)
    d.add_paragraph("（一）主动公开情况")
    indented(d, LONG)
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=2, cols=8)
    t.style = "Table Grid"
    head0, head1 = t.rows[0].cells, t.rows[1].cells
    head0[0].merge(head1[0]).text = "申请情况"
    head0[1].merge(head1[1]).text = "自然人"
    head0[2].merge(head0[6]).text = "法人或其他组织"
    head0[7].merge(head1[7]).text = "总计"
    for k, name in enumerate(ORGS):
        head1[2 + k].text = name
    repeat_header(t.rows[0])
    repeat_header(t.rows[1])
    for _ in range(3):  # the table runs over the page break
        for label, numbers in T3_ROWS:
            cells = t.add_row().cells
            cells[0].text = label
            for c, n in zip(cells[1:], numbers):
                c.text = str(n)
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    indented(d, "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。")
    return soffice_pdf(docx_bytes(d))


@pytest.fixture(scope="module")
def doc():
    return load(build_report())


def test_paragraph_cut_by_the_page_break_is_joined(doc):
    para = next(p for p in doc.paragraphs if p.text.startswith("本年度我局坚持"))
    assert para.text == LONG
    assert para.pages == [1, 2]
    assert any(n == "joined paragraph over pages 1–2" for n in doc.notes)


def test_headings_and_paragraphs_in_reading_order(doc):
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["某某市自然资源局2022年政府信息公开工作年度报告", "一、总体情况", FILLER * 2]
    assert texts.count(FILLER * 2) == 8
    assert texts[10:] == [
        "(一)主动公开情况",
        LONG,
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。",
    ]


def test_running_header_and_page_numbers_are_dropped(doc):
    assert doc.page_count >= 3
    assert not any(RUNNING_HEADER in p.text or p.text.startswith("- ") for p in doc.paragraphs)
    assert f"dropped running header '{RUNNING_HEADER}' on {doc.page_count} pages" in doc.notes
    assert f"dropped page numbers on {doc.page_count} page(s)" in doc.notes


def test_table_over_the_page_break_with_repeated_header_is_one_grid(doc):
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert len(table.pages) >= 2 and table.pages == list(range(table.page, table.page + len(table.pages)))
    body = [
        [label.replace("（", "(", 1).replace("）", ")", 1).replace("　", ""), *map(str, numbers)]
        for label, numbers in T3_ROWS
    ] * 3
    assert table.grid() == [
        ["申请情况", "自然人", "法人或其他组织", None, None, None, None, "总计"],
        [None, None, *ORGS, None],
        *body,
    ]
    breaks = len(table.pages) - 1
    assert sum(n.startswith("dropped 2 repeated header row(s)") for n in doc.notes) == breaks
    # the narrow label column wraps; Word cuts such rows at the break and the tail goes back above
    assert any(n.startswith("merged label fragment") for n in doc.notes)
    assert not any(c.text in ("申请情况", "自然人") for row in table.rows[2:] for c in row if c is not None)
