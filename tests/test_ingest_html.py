"""HTML ingest: the report's container without the site around it, tables with merged cells, charsets."""
import pytest

from _ingest_helpers import SECTION1, T2_ROWS, TITLE, report_html, write
from audit import ingest
from audit.ingest.html import decode_html, parse_html
from audit.model import Source


def _doc(html: str):
    return parse_html(html, Source.from_bytes("x.html", html.encode(), "html", "utf-8"))


def test_site_furniture_is_dropped_and_title_kept():
    doc = _doc(report_html())
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == TITLE  # the title sits outside the content div, and is kept
    assert texts[1].startswith("发布时间：2021-01-15")
    joined = "\n".join(texts)
    for furniture in ("首页", "当前位置", "分享到", "主办：", "青石县人民政府门户网站", "var "):
        assert furniture not in joined, furniture
    assert "一、总体情况" in texts and SECTION1[1] in texts


def test_tables_in_order_with_rowspan_and_colspan():
    doc = _doc(report_html())
    assert len(doc.tables) == 3
    assert doc.tables[0].grid()[1] == T2_ROWS[1]
    t3 = doc.tables[1]
    grid = t3.grid()
    assert grid[0][0].startswith("（本列数据的勾稽关系为") and grid[0][1] is None  # colspan 2
    assert grid[1][0] is None and grid[1][1] is None  # rowspan 2 covers the row below
    assert grid[0][2] == "申请人情况" and grid[0][3:] == [None] * 6
    assert grid[1][2:4] == ["自然人", "法人或其他组织"] and grid[1][4:8] == [None] * 4 and grid[1][8] == "总计"
    origin = t3.rows[0][0]
    assert (origin.rowspan, origin.colspan) == (2, 2)
    assert t3.rows[0][2].colspan == 7
    assert {len(r) for r in t3.rows} == {9}


def test_nbsp_cells_are_blank():
    t2 = _doc(report_html()).tables[0]
    assert t2.grid()[0] == ["第二十条第(一)项", "", "", ""]


def test_spans_are_element_indexes_in_page_order():
    doc = _doc(report_html())
    lines = [b.lines[0].span.line for b in doc.paragraphs]
    assert all(isinstance(n, int) for n in lines) and lines == sorted(lines)
    t = doc.tables[0]
    assert t.rows[0][0].span.line > lines[0]


def test_rowspan_in_the_middle_of_a_row():
    html = ("<html><body><div><p>二、主动公开政府信息情况</p><table>"
            "<tr><td>a</td><td rowspan='3'>b</td><td>c</td></tr>"
            "<tr><td>d</td><td>e</td></tr>"
            "<tr><td>f</td><td>g</td></tr></table></div></body></html>")
    t = _doc(html).tables[0]
    assert t.grid() == [["a", "b", "c"], ["d", None, "e"], ["f", None, "g"]]
    assert t.rows[0][1].rowspan == 3


def test_layout_table_is_read_as_text_not_a_grid():
    html = ("<html><body><table><tr><td>站点导航</td></tr><tr><td>"
            "<p>一、总体情况</p><p>2020年，本局持续推进政务公开工作。</p>"
            "<table><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>3</td></tr></table>"
            "</td></tr></table></body></html>")
    doc = _doc(html)
    assert [p.text for p in doc.paragraphs][-2:] == ["一、总体情况", "2020年，本局持续推进政务公开工作。"]
    assert [t.grid() for t in doc.tables] == [[["规章", "0"], ["规范性文件", "3"]]]


def test_br_breaks_lines():
    doc = _doc("<html><body><div>六、其他需要报告的事项<br>本年度未收取信息处理费。<br/>青石县人民政府办公室</div></body></html>")
    assert [p.text for p in doc.paragraphs] == ["六、其他需要报告的事项", "本年度未收取信息处理费。", "青石县人民政府办公室"]


@pytest.mark.parametrize("charset, meta, encoding", [
    ("gbk", "charset", "gb18030"),
    ("gb2312", "http-equiv", "gb18030"),
    ("utf-8", "charset", "utf-8"),
])
def test_declared_charsets(tmp_path, charset, meta, encoding):
    page = report_html(charset=charset, meta=meta)
    doc = ingest.load(write(tmp_path, "p.html", page, "gb18030" if charset != "utf-8" else "utf-8"))
    assert doc.source.encoding == encoding
    assert doc.paragraphs[0].text == TITLE


def test_undeclared_gbk_page_decodes(tmp_path):
    doc = ingest.load(write(tmp_path, "p.htm", report_html(charset=None), "gbk"))
    assert doc.source.encoding == "gb18030" and doc.paragraphs[0].text == TITLE


def test_wrong_declaration_falls_back_to_detection():
    data = report_html(charset="utf-8").encode("gb18030")
    text, enc = decode_html(data)
    assert enc == "gb18030" and TITLE in text


def test_bom_wins_over_declaration():
    data = b"\xef\xbb\xbf" + report_html(charset="gbk").encode("utf-8")
    text, enc = decode_html(data)
    assert enc == "utf-8-sig" and TITLE in text


def test_traditional_mirror_is_simplified():
    page = report_html().replace("总体情况", "總體情況").replace("政府信息公开", "政府資訊公開").replace("报告", "報告")
    doc = _doc(page)
    assert "一、总体情况" in [p.text for p in doc.paragraphs]
    assert "traditional characters converted to simplified" in doc.notes


def test_word_exported_cells_join_their_paragraphs():
    html = ("<html><body><div class='TRS_Editor'><p class='MsoNormal'><span>四、政府信息公开行政复议、行政诉讼情况</span></p>"
            "<table class='MsoNormalTable'><tr><td><p align='center'><span>结果</span></p><p><span>维持</span><o:p></o:p></p></td>"
            "<td><p><span>总&nbsp;计</span></p></td></tr><tr><td><p><span>0</span></p></td>"
            "<td><p><span>&nbsp;</span></p></td></tr></table></div></body></html>")
    t = _doc(html).tables[0]
    assert t.grid() == [["结果维持", "总计"], ["0", ""]]


def test_page_of_images_only():
    from audit.errors import EmptyFile, NoTextLayer

    with pytest.raises(NoTextLayer) as exc:
        _doc("<html><body><div class='content'><img src='p1.jpg'><img src='p2.jpg'></div></body></html>")
    assert "run OCR first" in exc.value.reason
    with pytest.raises(EmptyFile):
        _doc("<html><body><div class='nav'>首页</div></body></html>")
