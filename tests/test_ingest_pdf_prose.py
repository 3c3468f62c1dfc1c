"""Prose is never a table: lines of a paragraph drawn in boxes, or letter-spaced by justification.

The layout of some converted government PDFs: every line of text sits in a ruled box of its own (a
one-column "table" to pdfplumber), the boxes of the paragraphs above a table touch the table's own
rules, headings are indented like a first line, a heading can be the last line of a page, pages are
numbered "- N -", and justified lines holding few characters spread them more than a character
apart, so that the lines of a paragraph align in columns. The fixture text is written for these
tests; the figures are those of a real district report.
"""
from __future__ import annotations

import io

import pytest

pytest.importorskip("reportlab")

from audit.document import annotate  # noqa: E402
from tests._pdf_helpers import FONT, PAGE_H, PAGE_W, load  # noqa: E402

LEFT, RIGHT, SIZE, PITCH = 74.0, 518.0, 16.0, 27.0


def _units(text: str) -> list[str]:
    """Justification spreads the space between characters, but never inside a run of digits/Latin."""
    out: list[str] = []
    for ch in text:
        if out and ch.isascii() and ch not in " " and out[-1][-1].isascii():
            out[-1] += ch
        else:
            out.append(ch)
    return out


class Page:
    """One page drawn line by line: every line in a box of its own (as the converter draws them)."""

    def __init__(self, c, font):
        self.c, self.font, self.top = c, font, 80.0

    def line(self, text: str, indent: bool = False, justify: bool = True, centred: bool = False, box: bool = True):
        c = self.c
        if box:
            c.rect(LEFT, PAGE_H - self.top - PITCH, RIGHT - LEFT, PITCH, stroke=1, fill=0)
        c.setFont(self.font, SIZE)
        base = PAGE_H - self.top - (PITCH + SIZE) / 2 - 2
        x0 = LEFT + (2 * SIZE if indent else 0)
        units = _units(text)
        widths = [c.stringWidth(u, self.font, SIZE) for u in units]
        if centred:
            c.drawString((LEFT + RIGHT - sum(widths)) / 2, base, text)
        elif justify and len(units) > 1:
            gap = (RIGHT - x0 - sum(widths)) / (len(units) - 1)
            x = x0
            for u, w in zip(units, widths):
                c.drawString(x, base, u)
                x += w + gap
        else:
            c.drawString(x0, base, text)
        self.top += PITCH

    def paragraph(self, lines: list[str]):
        for k, text in enumerate(lines):
            self.line(text, indent=k == 0, justify=k < len(lines) - 1)

    def row(self, widths: list[float], texts: list[str]):
        c, x = self.c, LEFT
        c.setFont(self.font, 10.5)
        for w, t in zip(widths, texts):
            c.rect(x, PAGE_H - self.top - PITCH, w, PITCH, stroke=1, fill=0)
            c.drawCentredString(x + w / 2, PAGE_H - self.top - PITCH / 2 - 4, t)
            x += w
        self.top += PITCH

    def number(self, n: int):
        self.c.setFont(self.font, 13)
        self.c.drawCentredString(PAGE_W / 2, PAGE_H - 805, f"- {n} -")
        self.c.showPage()


P1 = ["本报告依据《中华人民共和国政府信息公开条例》的规定，由", "本区人民政府办公室编制。报告统计期限为上一年一月一日至", "十二月三十一日。"]
# justified lines left with few characters (a long number or address went to the next line): their
# characters stand more than a character apart, as cells of a borderless table would
CONTACT = ["如对本报告有疑问，请与区政府办公室联系（电话：", "87222589，邮箱：", "annual-report-office@example.gov.cn）。"]
ADDRESS = ["办公地址：某某区湖滨大道东侧政务服务中心大楼", "90号，邮编：223100，", "传真：87222590）。"]
S1 = ["本年度，区政府坚持把政务公开作为建设法治政府的重要抓手，", "健全公开制度，完善审核机制，各项工作规范有序推进，取得", "了较好成效。"]
S1_1 = ["（一）主动公开情况。全年通过门户网站公开各类信息1136条，", "涉及政策文件、项目审批、通知公告等内容。"]
S5 = ["2023年，本区公开工作取得一定进展，但依申请公开的规范性", "仍需提高，队伍建设有待加强。下一步将梳理工作流程，健全", "工作机制，加强业务培训。"]
S6 = ["本年度未收取政府信息公开信息处理费，收费金额为0元。"]
WIDTHS = [130, 105, 105, 104]


def boxed_report() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    p = Page(c, FONT)
    p.line("某某区人民政府2023年政府信息公开工作年度报告", centred=True, box=False)
    p.top += 20
    p.paragraph(P1)
    p.paragraph(CONTACT)
    p.paragraph(ADDRESS)
    p.line("一、总体情况", indent=True, justify=False)
    p.paragraph(S1)
    p.paragraph(S1_1)
    p.top = 740.0
    p.line("二、主动公开政府信息情况", indent=True, justify=False)  # the page's last line
    p.number(1)
    p = Page(c, FONT)
    p.paragraph(["（二）其他情况。本区门户网站开设政务公开专栏，做到应公开", "尽公开。"])
    p.line("第二十条第（一）项", centred=True)  # a title row spanning the table
    p.row(WIDTHS, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    p.row(WIDTHS, ["规章", "0", "0", "0"])
    p.row(WIDTHS, ["行政规范性文件", "0", "5", "5"])
    p.top += 40
    p.line("五、存在的主要问题及改进情况", indent=True, justify=False)
    p.paragraph(S5)
    p.line("六、其他需要报告的事项", indent=True, justify=False)
    p.paragraph(S6)
    p.number(2)
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc():
    return load(boxed_report())


def test_lines_in_boxes_are_paragraphs_not_tables(doc):
    assert len(doc.tables) == 1
    assert doc.tables[0].grid() == [
        ["第二十条第(一)项", None, None, None],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "0", "5", "5"],
    ]
    texts = [p.text for p in doc.paragraphs]
    assert "".join(S1) in texts and "".join(S5) in texts and "".join(S6) in texts
    assert "一、总体情况" in texts and "六、其他需要报告的事项" in texts


def test_letter_spaced_justified_lines_are_prose(doc):
    texts = [p.text for p in doc.paragraphs]
    assert "".join(CONTACT) in texts and "".join(ADDRESS) in texts


def test_paragraph_and_heading_over_a_page_break(doc):
    texts = [p.text for p in doc.paragraphs]
    assert "二、主动公开政府信息情况" in texts  # the last line of page 1, a heading of its own
    assert not any("- 1 -" in t or t == "-1-" for t in texts)  # the page number is dropped


def test_sections_of_the_boxed_report(doc):
    annotated = annotate(doc)
    secs = {s.number: s for s in annotated.sections}
    assert sorted(secs) == [1, 2, 5, 6]
    assert "".join(secs[5].text.split()).startswith("2023年，本区公开工作") and "0元" not in secs[5].text
    assert "".join(secs[6].text.split()) == "".join(S6)
