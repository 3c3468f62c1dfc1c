"""A small annual report of our own (青石县人民政府, 2020, 2019 format) and its renderings as plain text,
HTML and DOCX, for the ingest and document tests. The wording is ours, in the register of real reports;
the figures are consistent (table 三: 41 new + 3 carried = 40 answered + 4 carried over)."""
from __future__ import annotations

import io
from pathlib import Path

AGENCY = "青石县人民政府"
YEAR = 2020
TITLE = f"{AGENCY}{YEAR}年政府信息公开工作年度报告"

PREAMBLE = (
    "本报告依据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于政府信息公开"
    "工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）编制，由总体情况、主动公开政府信息情况、"
    "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
    "其他需要报告的事项六部分组成。报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
)
SECTION1 = [
    "一、总体情况",
    "2020年，青石县围绕政务公开年度要点，持续完善公开机制，全县主动公开各类政府信息2416条。",
    "（一）主动公开情况",
    "全县各单位通过政府门户网站发布政策文件138件，其中规范性文件17件，均同步开展解读。",
    "（二）依申请公开情况",
    "全年新收政府信息公开申请41件，上年结转3件，均在法定期限内答复。",
    "（三）政府信息管理情况",
]
# one sentence cut in two by a page break
BROKEN = ("建立公文公开属性源头认定机制，对拟公开文件实行保密审查和发布审核双", "签制度，全年审核文件312份。")
SECTION2_HEAD = "二、主动公开政府信息情况"
T2_ROWS = [
    ["第二十条第（一）项", "", "", ""],
    ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
    ["规章", "0", "0", "0"],
    ["规范性文件", "17", "17", "95"],
]
SECTION3_HEAD = "三、收到和处理政府信息公开申请情况"
T3_ROWS = [
    ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["一、", "本年新收政府信息公开申请数量", "39", "2", "0", "0", "0", "0", "41"],
    ["二、", "上年结转政府信息公开申请数量", "3", "0", "0", "0", "0", "0", "3"],
    ["三、本年度办理结果", "（一）予以公开", "20", "1", "0", "0", "0", "0", "21"],
    ["", "（七）总计", "38", "2", "0", "0", "0", "0", "40"],
    ["四、结转下年度继续办理", "", "4", "0", "0", "0", "0", "0", "4"],
]
SECTION4_HEAD = "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况"
T4_ROWS = [
    ["行政复议", "", "", "", "", "行政诉讼"],
    ["结 果 维 持", "结 果 纠 正", "其 他 结 果", "尚 未 审 结", "总 计", "总 计"],
    ["1", "0", "0", "0", "1", "0"],
]
SECTION5 = [
    "五、政府信息公开工作存在的主要问题及改进情况",
    "（一）存在的主要问题",
    "一是部分乡镇公开栏目更新不及时，6个栏目超过三个月未更新；二是政策解读形式较为单一。",
    "（二）改进措施",
    "下一步，县政府办公室将于6月底前完成栏目清理，每季度通报一次更新情况。",
]
SECTION6 = ["六、其他需要报告的事项", "本年度未收取信息处理费。"]
CLOSING = ["抄送：市政府办公室", "青石县人民政府办公室", "2021年1月15日印发"]


def report_txt(*, sep: str = "\n\n", tables: str = "tab", page_break: str = "\n\n") -> str:
    """The report as a text file saved from Word: one paragraph a line, blank lines between, tables as
    tab-separated lines (or ``tables="pipe"``: markdown), the broken sentence across ``page_break``."""
    def grid(rows):
        if tables == "pipe":
            head = "| " + " | ".join(rows[0]) + " |"
            sep_row = "|" + "---|" * len(rows[0])
            return "\n".join([head, sep_row] + ["| " + " | ".join(r) + " |" for r in rows[1:]])
        return "\n".join("\t".join(r) for r in rows)

    body = sep.join([TITLE, PREAMBLE, *SECTION1]) + sep + BROKEN[0] + page_break + BROKEN[1]
    body += sep + SECTION2_HEAD + sep + grid(T2_ROWS)
    body += sep + SECTION3_HEAD + sep + grid(T3_ROWS)
    body += sep + SECTION4_HEAD + sep + grid(T4_ROWS)
    body += sep + sep.join(SECTION5 + SECTION6 + CLOSING) + "\n"
    return body


def _html_table(rows, *, t3=False) -> str:
    if t3:  # table 三's header with merged cells, as sites publish it
        return (
            "<table border='1'><tr><td rowspan='2' colspan='2'>（本列数据的勾稽关系为：第一项加第二项之和，"
            "等于第三项加第四项之和）</td><td colspan='7'>申请人情况</td></tr>"
            "<tr><td>自然人</td><td colspan='5'>法人或其他组织</td><td>总计</td></tr>"
            + "".join("<tr>" + "".join(f"<td>{c or '&nbsp;'}</td>" for c in r) + "</tr>" for r in T3_ROWS[1:])
            + "</table>"
        )
    return "<table border='1'>" + "".join(
        "<tr>" + "".join(f"<td>{c or '&nbsp;'}</td>" for c in r) + "</tr>" for r in rows) + "</table>"


def report_html(*, charset: str | None = "utf-8", meta: str = "charset") -> str:
    """The report as a government site's page: navigation, breadcrumbs, the article in a content div
    (title and date line just outside it), share tools and a footer."""
    decl = ""
    if charset and meta == "charset":
        decl = f'<meta charset="{charset}">'
    elif charset:
        decl = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    p = lambda t: f"<p style='text-indent:2em'>{t}</p>"  # noqa: E731
    body = "".join([
        p(PREAMBLE), f"<h3>{SECTION1[0]}</h3>", *[p(t) for t in SECTION1[1:]],
        p(BROKEN[0] + BROKEN[1]),
        f"<h3>{SECTION2_HEAD}</h3>", _html_table(T2_ROWS),
        f"<h3>{SECTION3_HEAD}</h3>", _html_table(T3_ROWS, t3=True),
        f"<h3>{SECTION4_HEAD}</h3>", _html_table(T4_ROWS),
        *[p(t) for t in SECTION5 + SECTION6], *[f"<p style='text-align:right'>{t}</p>" for t in CLOSING],
    ])
    return (
        f"<!DOCTYPE html><html><head>{decl}<title>{TITLE}_青石县人民政府门户网站</title>"
        "<style>.nav{color:red}</style><script>var 总体情况 = 1;</script></head><body>"
        "<div class='header'><div class='logo'>青石县人民政府门户网站</div></div>"
        "<ul class='nav'><li>首页</li><li>政务公开</li><li>其他需要报告的事项</li></ul>"
        "<div class='location'>当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>"
        f"<div class='article'><h1 class='title'>{TITLE}</h1>"
        "<div class='info'>发布时间：2021-01-15　来源：县政府办公室</div>"
        f"<div class='content'>{body}</div>"
        "<div class='share'>分享到：微信 微博</div></div>"
        "<div class='footer'><p>主办：青石县人民政府办公室 总体情况 主动公开政府信息 行政复议</p></div>"
        "</body></html>"
    )


def report_docx() -> bytes:
    """The report as a Word file: headings, paragraphs, tables 二/四 plain, table 三's header merged
    (a 2×2 block and horizontal spans), and a page break inside section 一's broken sentence."""
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.add_paragraph(TITLE)
    d.add_paragraph(PREAMBLE)
    for t in SECTION1:
        d.add_paragraph(t)
    para = d.add_paragraph(BROKEN[0])
    para.add_run().add_break(WD_BREAK.PAGE)
    para.add_run(BROKEN[1])
    d.add_paragraph(SECTION2_HEAD)
    _docx_table(d, T2_ROWS)
    d.add_paragraph(SECTION3_HEAD)
    t = _docx_table(d, [["", "", "", "", "", "", "", "", ""], ["", "", "", "", "", "", "", "", ""]] + T3_ROWS[1:])
    t.cell(0, 0).merge(t.cell(1, 1)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 2).merge(t.cell(0, 8)).text = "申请人情况"
    t.cell(1, 2).text = "自然人"
    t.cell(1, 3).merge(t.cell(1, 7)).text = "法人或其他组织"
    t.cell(1, 8).text = "总计"
    d.add_paragraph(SECTION4_HEAD)
    _docx_table(d, T4_ROWS)
    for x in SECTION5 + SECTION6 + CLOSING:
        d.add_paragraph(x)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _docx_table(d, rows):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    return t


def write(tmp_path: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text encoded with ``encoding``) to ``tmp_path/name``."""
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return p
