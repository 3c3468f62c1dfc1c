"""Plain-text ingest: encodings, paragraphs, page-break joins, flattened tables, crawler and markdown text."""
import pytest

from _ingest_helpers import BROKEN, T3_ROWS, report_txt, write
from audit import ingest
from audit.ingest.text import decode, parse_text
from audit.model import Paragraph, Source, Table


def _doc(text: str):
    return parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8"))


@pytest.mark.parametrize("encoding, found", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),  # read with its superset
    ("utf-16", "utf-16"),  # with BOM
])
def test_each_encoding_reads_the_same(tmp_path, encoding, found):
    doc = ingest.load(write(tmp_path, "r.txt", report_txt(), encoding))
    assert doc.source.encoding == found
    reference = ingest.load(write(tmp_path, "ref.txt", report_txt()))
    assert [b.text for b in doc.blocks] == [b.text for b in reference.blocks]
    assert doc.paragraphs[0].text == "青石县人民政府2020年政府信息公开工作年度报告"


def test_short_gbk_text_without_declaration_decodes():
    data = "二、主动公开政府信息情况\n规章\t0\t0\t0\n".encode("gbk")
    text, enc = decode(data)
    assert enc == "gb18030" and text.startswith("二、主动公开政府信息情况")


def test_utf16_without_bom_decodes():
    data = "一、总体情况\n本年度共收到申请53件。\n".encode("utf-16-le")
    text, enc = decode(data)
    assert enc == "utf-16-le" and "53件" in text


def test_big5_is_detected_and_converted(tmp_path):
    text = "泉港區人民政府2020年政府信息公開工作年度報告\n\n一、總體情況\n\n本年度共受理政府信息公開申請53件，均在法定期限內辦結。\n"
    doc = ingest.load(write(tmp_path, "big5.txt", text, "big5"))
    assert doc.source.encoding.replace("_", "").replace("-", "") in ("big5", "cp950", "big5hkscs")
    assert doc.paragraphs[0].text == "泉港区人民政府2020年政府信息公开工作年度报告"
    assert "traditional characters converted to simplified" in doc.notes


def test_paragraphs_carry_source_lines():
    doc = _doc(report_txt())
    first = doc.paragraphs[0]
    assert first.lines[0].span.line == 1 and first.lines[0].span.page == 1
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert heading.lines[0].span.line == 5  # title, blank, preamble, blank, heading


def test_sentence_cut_by_a_blank_line_is_joined():
    doc = _doc(report_txt())
    joined = BROKEN[0] + BROKEN[1]
    assert any(p.text == joined for p in doc.paragraphs)
    assert any("joined" in n for n in doc.notes)


def test_sentence_cut_by_a_form_feed_is_joined_and_paged():
    doc = _doc(report_txt(page_break="\n\f\n"))
    p = next(p for p in doc.paragraphs if p.text.startswith(BROKEN[0]))
    assert p.text == BROKEN[0] + BROKEN[1]
    assert p.pages == [1, 2]
    assert doc.page_count == 2
    assert doc.tables[0].page == 2


def test_running_page_number_is_dropped_and_joins():
    doc = _doc(report_txt(page_break="\n\n- 2 -\n\n"))
    assert not any("- 2 -" in p.text for p in doc.paragraphs)
    assert any(p.text == BROKEN[0] + BROKEN[1] for p in doc.paragraphs)
    assert doc.page_count == 2 and any("page number" in n for n in doc.notes)


@pytest.mark.parametrize("after", ["2. 第二项工作。", "(四)平台建设情况", "二、主动公开政府信息情况"])
def test_no_join_before_a_new_item_or_heading(after):
    doc = _doc(f"一、总体情况\n\n1. 一些单位公开的内容仍停留在表层\n\n{after}\n")
    assert [p.text for p in doc.paragraphs][1:] == ["1. 一些单位公开的内容仍停留在表层", after]


def test_no_join_after_a_sentence_end_or_a_heading():
    doc = _doc("一、总体情况\n\n2020年，全区共制作政府信息3152条。\n\n生命周期管理进一步加强。\n")
    assert len(doc.paragraphs) == 3


def test_tab_table_is_one_grid_with_positions_kept():
    doc = _doc(report_txt())
    t3 = doc.tables[1]
    assert len(t3.rows) == len(T3_ROWS)
    assert t3.grid()[0][:3] == ["", "", "自然人"]  # leading tabs are merged-cell positions
    assert t3.grid()[1] == T3_ROWS[1]
    assert {len(r) for r in t3.rows} == {9}


def test_spaced_labels_in_cells_are_normalised():
    t4 = _doc(report_txt()).tables[2]
    assert t4.grid()[1][:2] == ["结果维持", "结果纠正"]


def test_blank_line_and_page_number_inside_a_table_do_not_split_it():
    text = ("三、收到和处理政府信息公开申请情况\n\n一、\t本年新收政府信息公开申请数量\t51\t2\t53\n\n-4-\n\n"
            "果\t\t4. 保护第三方合法权益\t2\t0\t0\n(七) 总计\t51\t2\t53\n\n四、政府信息公开行政复议、行政诉讼情况\n")
    doc = _doc(text)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert [r[0].text for r in t.rows] == ["一、", "果", "(七)总计"]
    assert t.pages == [1, 2]
    assert doc.paragraphs[-1].text == "四、政府信息公开行政复议、行政诉讼情况"


def test_label_fragment_on_its_own_line_stays_in_the_table():
    text = "一、本年新收政府信息\t\t\t7\t0\t7\n公开申请数量\n二、上年结转政府信息\t\t\t0\t0\t0\n\n五、存在的主要问题及改进情况\n"
    doc = _doc(text)
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == 3
    assert doc.tables[0].rows[1][0].text == "公开申请数量"


def test_pipe_tables():
    doc = _doc(report_txt(tables="pipe"))
    assert len(doc.tables) == 3
    assert doc.tables[1].grid()[1] == T3_ROWS[1]
    assert not any("---" in p.text for p in doc.paragraphs)


def test_markdown_fragments_are_separate_tables():
    text = "| 规章 | 0 | 0 | 0 |\n|---|---|---|---|\n| 规范性文件 | 13 | 0 | 55 |\n| 0 | 0 | 0 | 0 |\n|---|---|---|---|\n"
    doc = _doc(text)
    assert [t.grid() for t in doc.tables] == [[["规章", "0", "0", "0"], ["规范性文件", "13", "0", "55"]],
                                              [["0", "0", "0", "0"]]]


def test_numbers_separated_by_spaces_are_a_grid():
    text = "（一）予以公开    11    2    0    13\n（二）部分公开    3    0    0    3\n"
    t = _doc(text).tables[0]
    assert t.grid() == [["(一)予以公开", "11", "2", "0", "13"], ["(二)部分公开", "3", "0", "0", "3"]]


def test_prose_with_a_tab_is_not_a_table():
    doc = _doc("一、总体情况\n\n\t2020年，我区全面推进政务公开。\n")
    assert not doc.tables and doc.paragraphs[1].text == "2020年，我区全面推进政务公开。"


def test_crawler_text_is_split_at_headings():
    body = ("青石县2021年度政府信息公开工作年度报告 本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。"
            "一、总体情况2021年，我县持续推进政务公开工作，全年主动公开信息3208条，统一、规范发布各类信息。"
            "（一）主动公开方面。全县各单位发布政策文件96件。（二）依申请公开方面。全年收到申请18件。"
            "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数规章000"
            "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量18000018"
            "四、政府信息公开行政复议、行政诉讼情况行政复议000000"
            "五、存在的主要问题及改进情况存在的问题主要是解读形式单一。"
            "六、其他需要报告的事项 本年度未收取信息处理费。")
    text = "标题: 青石县2021年度政府信息公开工作年度报告\n发布时间: 2022-01-20 09:30\n=== 正文 ===\n" + body + "\n"
    doc = _doc(text)
    texts = [p.text for p in doc.paragraphs]
    for head in ("一、总体情况", "(一)主动公开", "(二)依申请", "二、主动公开", "三、收到和处", "一、本年新收",
                 "四、政府信息", "五、存在的主", "六、其他需要"):
        assert sum(t.startswith(head) for t in texts) == 1, head
    assert not any(t.startswith("规范发布") for t in texts)  # 统一、 is no heading
    assert not any(t.startswith("(一)项") for t in texts)  # 第（一）项 is no heading
    line4 = [p for p in doc.paragraphs if p.lines[0].span.line == 4]
    assert line4[1].lines[0].span.start == body.index("一、总体情况")


def test_hard_wrapped_lines_join_into_paragraphs():
    text = ("2024 年上海市某某委政府信息公开工作\n年度报告\n"
            "根据《中华人民共和国政府信息公开条例》的要求，本委编制了本\n"
            "年度报告，全文包括总体情况、主动公开政府信息情况等六部分。\n"
            "一、总体情况\n"
            "本委 2024 年深入贯彻《条例》，扎实推进本部门政务公开工作，\n"
            "不断提升服务水平。\n"
            "二、工作机制保障\n"
            "本委设立政务公开工作协调小组，统筹协调信息公开工作部门、\n"
            "法制部门和业务处室共同推进政务公开任务，形成了接收申请、\n"
            "形式审查、会商答复、签发的一整套办理流程。\n")
    doc = _doc(text)
    assert [p.text for p in doc.paragraphs] == [
        "2024年上海市某某委政府信息公开工作",
        "年度报告",
        "根据《中华人民共和国政府信息公开条例》的要求，本委编制了本年度报告，全文包括总体情况、主动公开政府信息情况等六部分。",
        "一、总体情况",
        "本委2024年深入贯彻《条例》，扎实推进本部门政务公开工作，不断提升服务水平。",
        "二、工作机制保障",
        "本委设立政务公开工作协调小组，统筹协调信息公开工作部门、法制部门和业务处室共同推进政务公开任务，"
        "形成了接收申请、形式审查、会商答复、签发的一整套办理流程。",
    ]


def test_header_fields_stay_separate_lines():
    doc = _doc("标题: 青石县2021年度政府信息公开工作年度报告\n发布时间: 2022-01-20 09:30\n文号:\n")
    assert len(doc.paragraphs) == 3


def test_traditional_text_is_simplified(tmp_path):
    doc = _doc("一、總體情況\n\n本機關全年主動公開政府資訊1200條。\n")
    assert doc.paragraphs[1].text == "本机关全年主动公开政府资讯1200条。"
    assert isinstance(doc.blocks[0], Paragraph) and not any(isinstance(b, Table) for b in doc.blocks)


# a crawler's one-cell-per-line list: table 二's first rows, with an empty cell in the 规章 row
# (cells come normalised: full-width brackets folded)
CELL_ROWS = [["第二十条第(一)项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             ["规章", "0", "", "3"], ["行政规范性文件", "12", "4", "57"]]
WITH_MARKERS = ("二、主动公开政府信息情况\n|\n第二十条第（一）项 | |||\n|\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n"
                "现行有效件数 |\n|\n规章 |\n0 | |\n3 |\n|\n行政规范性文件 |\n12 |\n4 |\n57 |\n三、收到和处理政府信息公开申请情况\n")
WITHOUT_MARKERS = ("二、主动公开政府信息情况\n第二十条第（一）项 |\n|||\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n"
                   "现行有效件数 |\n规章 |\n0 |\n|\n3 |\n行政规范性文件 |\n12 |\n4 |\n57 |\n三、收到和处理政府信息公开申请情况\n")


def test_cell_list_with_row_markers_is_a_grid():
    doc = _doc(WITH_MARKERS)
    assert len(doc.tables) == 1 and not doc.tables[0].cell_stream
    assert doc.tables[0].grid() == CELL_ROWS  # “ |||” after a cell: three blank cells; “0 | |”: 0 and a blank
    assert doc.tables[0].rows[2][1].span.line == 11
    assert [p.text for p in doc.paragraphs] == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    assert any("rows opened by a lone |" in n for n in doc.notes)


def test_cell_list_without_markers_is_a_cell_stream():
    doc = _doc(WITHOUT_MARKERS)
    (t,) = doc.tables
    assert t.cell_stream and len(t.rows) == 1
    assert t.grid() == [[c for row in CELL_ROWS for c in row]]  # “|||” is three blank cells, “|” one
    assert t.to_json()["cell_stream"] is True
    assert any("no row boundaries" in n and "16 cells" in n for n in doc.notes)


def test_empty_cells_opening_a_row_after_its_marker():
    text = "|\n结果维持 |\n结果纠正 |\n总计 |\n|\n||\n5 |\n|\n|||\n|\n1 |\n2 |\n3 |\n"
    assert _doc(text).tables[0].grid() == [["结果维持", "结果纠正", "总计"], ["", "", "5"], ["", "", ""],
                                           ["1", "2", "3"]]


def test_lone_pipe_right_after_a_marker_is_an_empty_row_said_in_the_notes():
    text = "|\n信息内容 |\n本年处理决定数量 |\n|\n|\n行政许可 |\n97 |\n|\n行政处罚 |\n5 |\n"
    doc = _doc(text)
    assert doc.tables[0].grid() == [["信息内容", "本年处理决定数量"], ["行政许可", "97"], ["行政处罚", "5"]]
    assert any("cannot be told" in n and "line(s) 5" in n for n in doc.notes)


def test_list_opening_with_an_empty_cell_but_rows_running_on_is_a_stream():
    # a label right after a value: no marker between rows, so the opening “|” is an empty corner cell
    text = "|\n自然人 |\n总计 |\n一、本年新收政府信息公开申请数量 |\n4 |\n4 |\n二、上年结转政府信息公开申请数量 |\n|\n0 |\n"
    (t,) = _doc(text).tables
    assert t.cell_stream and t.grid()[0][:4] == ["", "自然人", "总计", "一、本年新收政府信息公开申请数量"]


def test_a_few_lines_ending_in_a_pipe_stay_text():
    doc = _doc("一、总体情况\n\n首页 |\n政务公开 |\n年度报告 |\n\n本年度共收到申请5件。\n")
    assert not doc.tables and [p.text for p in doc.paragraphs][1:3] == ["首页 |", "政务公开 |"]
