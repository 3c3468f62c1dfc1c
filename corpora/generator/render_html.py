"""HTML as a government portal publishes a report: navigation, breadcrumbs and footer around the
article, tables with rowspan/colspan, and a charset that is UTF-8, GBK declared, or GBK undeclared."""
from __future__ import annotations

import html
import random

from .document import build
from .layout import Layout
from .spec import ReportSpec
from .tables import Grid

ENCODINGS = ("utf-8", "gbk", "gbk-undeclared")


def wrap(text: str, width: int) -> list[str]:
    """Cut a label into lines of ``width`` characters (how a narrow cell wraps it)."""
    return [text[i: i + width] for i in range(0, len(text), width)] or [""]


def render_html(spec: ReportSpec, layout: "str | Layout" = "plain", encoding: str | None = None) -> bytes:
    lay = spec.layout(layout)
    rng = random.Random(f"html:{spec.seed}:{spec.meta.agency}:{spec.meta.year}")
    encoding = encoding or rng.choice(ENCODINGS)
    if encoding not in ENCODINGS:
        raise ValueError(f"html encoding must be one of {ENCODINGS}")
    place = spec.agency.place
    charset = {"utf-8": '<meta charset="utf-8">',
               "gbk": '<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
               "gbk-undeclared": ""}[encoding]
    body: list[str] = []
    for b in build(spec, lay):
        if b.kind == "title":
            continue
        if b.kind == "heading":
            body.append(f'<p style="text-indent:2em"><strong>{html.escape(b.text)}</strong></p>')
        elif b.kind == "subheading":
            body.append(f'<p style="text-indent:2em"><strong>{html.escape(b.text)}</strong></p>')
        elif b.kind in ("para", "preamble"):
            body.append(f'<p style="text-indent:2em">{html.escape(b.text)}</p>')
        elif b.kind == "signature":
            body.append(f'<p style="text-align:right">{html.escape(b.text)}</p>')
        elif b.kind == "table":
            body.append(_table(b.grid, lay))
    site_name = f"{place}人民政府"
    nav = "".join(f'<li><a href="/{k}/">{t}</a></li>' for k, t in
                  (("", "首页"), ("zwgk", "政务公开"), ("zwfw", "政务服务"), ("hdjl", "互动交流"), ("zj", f"走进{place}")))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset}
<title>{html.escape(spec.meta.title)}_{site_name}</title>
<link rel="stylesheet" href="/css/article.css">
</head>
<body>
<div class="top"><div class="logo"><a href="/">{site_name}门户网站</a></div>
<ul class="nav">{nav}</ul></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
<h1 class="title">{html.escape(spec.meta.title)}</h1>
<div class="info">发布时间：{spec.meta.published:%Y-%m-%d} 来源：{html.escape(spec.meta.office)} 【字体：大 中 小】</div>
<div class="content" id="zoom">
{chr(10).join(body)}
</div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="footer"><p>主办单位：{html.escape(spec.meta.office)} 联系电话：{spec.meta.phone}</p>
<p>网站标识码：{rng.randint(3300000000, 3599999999)} ICP备{rng.randint(10000000, 99999999)}号</p></div>
</body>
</html>
"""
    if encoding == "utf-8":
        return page.encode("utf-8")
    return page.encode("gbk", errors="xmlcharrefreplace")


def _table(g: Grid, lay: Layout) -> str:
    border = ' border="0" cellspacing="0" cellpadding="0"' if lay.web_print else ' border="0"' if lay.no_rules else ' border="1" cellspacing="0" cellpadding="2"'
    rows = []
    for row in g.rows:
        tds = []
        for c in row:
            if c is None:
                continue
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            if c.text == "":
                text = "&nbsp;"
            elif lay.wrapped_labels and c.kind == "label" and len(c.text) > 8:
                text = "<br>".join(html.escape(part) for part in wrap(c.text, 8))
            else:
                text = html.escape(c.text)
            tds.append(f"<td{attrs}>{text}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    style = "width:100%;border-collapse:collapse"
    if lay.web_print:  # the portal's stylesheet pads its cells and draws no rules; its column headers are a
        # <thead>, which a browser repeats on every printed page the table runs over
        rows = [r.replace("<td", '<td style="padding:4px 10px"') for r in rows]
        n = g.header_rows if g.table != "t2" else 0
        head = f"<thead>{''.join(rows[:n])}</thead>" if n else ""
        return (f'<table{border} style="{style}">\n{head}<tbody style="break-inside:auto">\n'
                + "\n".join(r.replace("<tr>", '<tr style="break-inside:avoid">') for r in rows[n:]) + "\n</tbody></table>")
    return f'<table{border} style="{style}">\n' + "\n".join(rows) + "\n</table>"
