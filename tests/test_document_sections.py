"""Sections 一…六: headings by wording and number, variants, renumbered bodies, a missing heading."""
import pytest

from _ingest_helpers import BROKEN, report_txt
from audit.document import annotate
from audit.document.sections import candidates, choose, heading_title
from audit.errors import NotAReport
from audit.ingest.text import parse_text
from audit.model import Source


def _doc(text: str):
    return annotate(parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8")))


def test_six_sections_of_the_fixture():
    doc = _doc(report_txt())
    assert [(s.number, s.title) for s in doc.sections] == [
        (1, "总体情况"),
        (2, "主动公开政府信息情况"),
        (3, "收到和处理政府信息公开申请情况"),
        (4, "因政府信息公开工作被申请行政复议和提起行政诉讼情况"),
        (5, "政府信息公开工作存在的主要问题及改进情况"),
        (6, "其他需要报告的事项"),
    ]


def test_section_text_has_no_heading_no_tables_no_closing():
    doc = _doc(report_txt())
    one = doc.section(1)
    assert not one.text.startswith("一、") and BROKEN[0] + BROKEN[1] in one.text
    assert doc.section(2).text == ""  # only a table
    assert doc.section(6).text == "本年度未收取信息处理费。"  # 抄送, office and date line are not section 六
    assert doc.section(6).last_block == len(doc.blocks) - 4


def test_blocks_belong_to_their_section():
    doc = _doc(report_txt())
    t3_index = doc.blocks.index(doc.tables[1])
    assert doc.section_of_block(t3_index) == 3
    assert doc.section(3).first_block < t3_index <= doc.section(3).last_block


def test_subsections():
    doc = _doc(report_txt())
    assert [t for t, _ in doc.section(1).subsections] == ["(一)主动公开情况", "(二)依申请公开情况", "(三)政府信息管理情况"]
    assert doc.section(1).subsections[2][1] == BROKEN[0] + BROKEN[1]
    assert [t for t, _ in doc.section(5).subsections] == ["(一)存在的主要问题", "(二)改进措施"]
    assert doc.section(3).subsections == []  # table sections: row labels are not sub-items


def test_pages_from_form_feeds():
    doc = _doc(report_txt(page_break="\n\f\n"))
    assert doc.section(1).pages == [1, 2]
    assert doc.section(6).pages == [2]


@pytest.mark.parametrize("heading, number", [
    ("一、总体情况", 1),
    ("二、主动公开政府信息情况", 2),
    ("三、收到和处理政府信息公开申请情况", 3),
    ("四、政府信息公开行政复议、行政诉讼情况", 4),
    ("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", 4),
    ("四、政府信息公开行政法复议、行政诉讼情况", 4),  # a typo seen in a real report
    ("五、存在的主要问题及改进情况", 5),
    ("五、政府信息公开工作存在的主要问题及改进情况", 5),
    ("六、其他需要报告的事项", 6),
    ("第六部分 其他需要报告的事项", 6),
    ("政府信息公开工作存在的主要问题及改进情况", 5),  # no number at all
    ("一、政府信息公开总体工作情况", 1),
    ("一、政务公开工作总体情况", 1),
    ("1、总体情况", 1),
    ("1. 总体情况", 1),
    ("第一部分：总体情况", 1),
    ("## 一、总体情况", 1),  # a converter's markdown heading
    ("**二、主动公开政府信息情况**", 2),  # bold
    ("　　三、收到和处理政府信息公开申请情况", 3),  # indented
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 4),
    ("五、存在的主要问题和改进措施", 5),
    ("六、其他需报告的事项", 6),
    ("（六）其他需要报告的事项", 6),  # sections numbered （一）…（六）
])
def test_heading_variants(heading, number):
    doc = parse_text(f"{heading}\n\n正文一句。\n", Source.from_bytes("x", b"x", "txt"))
    assert [c.number for c in candidates(doc)] == [number]


@pytest.mark.parametrize("not_heading", [
    "三、本年度办理结果", "四、结转下年度继续办理", "一、本年新收政府信息公开申请数量", "三、主动公开工作情况",
    "四、政府信息公开申请情况", "（一）主动公开情况", "表二：主动公开政府信息情况",
    "本报告包括总体情况、主动公开政府信息情况等六个部分。",
])
def test_not_section_headings(not_heading):
    doc = parse_text(f"{not_heading}\n", Source.from_bytes("x", b"x", "txt"))
    # （一）主动公开情况 may open a section 一 whose heading is missing, as a sub-item kept in its text
    assert [c for c in candidates(doc) if c.own_heading] == []
    assert all(c.number == 1 and c.strength < 1 for c in candidates(doc))


def test_section_one_without_its_heading_starts_at_its_first_sub_item():
    text = ("青石县交通运输局2023年政府信息公开工作年度报告\n\n（一）主动公开\n\n全年主动公开信息312条。\n\n"
            "（二）依申请公开\n\n全年收到申请12件。\n\n二、主动公开政府信息情况\n\n规章\t0\t0\t0\n")
    doc = annotate(parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8")))
    assert [(s.number, s.marker) for s in doc.sections] == [(1, None), (2, "二")]
    assert doc.section(1).text.startswith("(一)主动公开") and "12件" in doc.section(1).text
    assert [t for t, _ in doc.section(1).subsections] == ["(一)主动公开", "(二)依申请公开"]


def test_heading_glued_to_its_text():
    assert heading_title("总体情况2021年，我区持续推进政务公开。") == ("总体情况", "2021年，我区持续推进政务公开。")
    assert heading_title("其他需要报告的事项无其他需要报告的事项") == ("其他需要报告的事项", "无其他需要报告的事项")
    assert heading_title("2020年，全区共制作政府信息3152条，主动公开1545条，其中规章0条。") is None


def test_renumbered_body_and_tables_numbered_apart():
    """A body numbered 一…六 of its own, then the tables numbered 一、二、三, section 五 without heading."""
    text = "\n".join([
        "2024年某某市某某委政府信息公开工作年度报告",
        "一、总体情况", "本委全年持续推进政务公开工作。",
        "二、工作机制保障", "本委设立政务公开工作协调小组。",
        "三、主动公开工作情况", "本委通过部门网站当年发布政府信息393件。",
        "四、政府信息公开申请情况", "全年收到政府信息公开申请34件。",
        "五、政府信息管理", "本委及时发布政府信息公开指南。",
        "六、政府信息公开平台建设", "本委累计推送集成式发布政策121条。",
        "一、主动公开政府信息情况", "规章\t0\t0\t0",
        "二、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量\t32\t2\t34",
        "三、本年度办理结果", "(七)总计\t33\t2\t35",
        "三、政府信息公开行政复议、行政诉讼情况", "1\t0\t0\t0\t1",
        "（一）主要问题", "原有栏目结构无法满足机构改革后的发布需要。",
        "（二）改进情况", "本委开设专栏集中发布相关信息。",
        "五、其他需要报告的事项", "本年度未发生信息处理费收费事项。",
    ]) + "\n"
    doc = _doc(text)
    assert [s.number for s in doc.sections] == [1, 2, 3, 4, 5, 6]
    one = doc.section(1)
    assert "累计推送集成式发布政策121条" in one.text  # the body's 二…六 belong to section 一
    assert [t for t, _ in one.subsections][0] == "二、工作机制保障"
    five = doc.section(5)
    assert five.title == "存在的主要问题及改进情况"
    assert five.text.startswith("(一)主要问题\n原有栏目结构")
    assert [t for t, _ in five.subsections] == ["(一)主要问题", "(二)改进情况"]
    assert doc.section(6).text == "本年度未发生信息处理费收费事项。"


def test_choose_prefers_number_and_wording_agreeing_and_keeps_order():
    from audit.document.sections import Candidate

    cands = [Candidate(0, 1, 3.0, "总体情况", ""), Candidate(5, 2, 1.0, "x", ""), Candidate(6, 2, 3.0, "y", ""),
             Candidate(4, 3, 2.0, "z", ""), Candidate(9, 3, 3.0, "w", "")]
    assert [(c.block, c.number) for c in choose(cands)] == [(0, 1), (6, 2), (9, 3)]


def test_missing_sections_are_noted():
    doc = _doc("一、总体情况\n\n本局持续推进政务公开。\n\n五、存在的主要问题及改进情况\n\n解读形式单一。\n")
    assert [s.number for s in doc.sections] == [1, 5]
    assert "sections not found: 2, 3, 4, 6" in doc.notes


@pytest.mark.parametrize("text", [
    "关于做好2021年春节期间值班工作的通知\n\n各乡镇人民政府，县直各单位：\n\n现将有关事项通知如下。\n",
    "The quarterly report of a company.\n\nRevenue grew 5%.\n",
])
def test_not_a_report(text):
    with pytest.raises(NotAReport) as exc:
        _doc(text)
    assert exc.value.reason == ("no report: no report title, none of the six sections and no table of a "
                                "政府信息公开工作年度报告 found")


def test_table_of_contents_does_not_take_the_sections():
    contents = "\n".join(["目录", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                          "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"])
    doc = _doc(contents + "\n\n" + report_txt())
    assert [s.number for s in doc.sections] == [1, 2, 3, 4, 5, 6]
    assert doc.section(1).first_block > 7 and BROKEN[0] + BROKEN[1] in doc.section(1).text
    assert doc.section(6).text == "本年度未收取信息处理费。"


def test_an_empty_section_still_counts():
    doc = _doc("一、总体情况\n\n本局持续推进政务公开。\n\n二、主动公开政府信息情况\n\n三、收到和处理政府信息公开申请情况\n\n"
               "全年收到申请3件。\n")
    assert [s.number for s in doc.sections] == [1, 2, 3]
    assert doc.section(2).text == ""


def test_one_matching_heading_in_another_kind_of_document_is_not_a_report():
    with pytest.raises(NotAReport):
        _doc("青石县2021年水利工作要点\n\n一、总体情况\n\n全年完成水利投资3.2亿元。\n\n二、重点任务\n\n加快灌区改造。\n")


def test_an_excerpt_of_section_one_from_its_second_sub_item():
    text = ("（二）依申请公开\n\n全年收到政府信息公开申请12件，均按期答复。\n\n（三）政府信息管理\n\n"
            "开展规范性文件清理，废止3件。\n")
    doc = annotate(parse_text(text, Source.from_bytes("x.txt", text.encode(), "txt", "utf-8")))
    assert [(s.number, s.marker) for s in doc.sections] == [(1, None)]
    assert doc.section(1).text.startswith("(二)依申请公开") and "废止3件" in doc.section(1).text


def test_section_one_items_under_another_number_open_nothing():
    doc = parse_text("（三）依申请公开\n\n正文一句。\n", Source.from_bytes("x", b"x", "txt"))
    assert candidates(doc) == []
