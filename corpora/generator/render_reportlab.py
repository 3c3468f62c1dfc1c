"""A PDF typeset with reportlab and its built-in CID font STSong-Light (no font file needed).

Used for the borderless layout: tables without a single ruling line, so a reader knows the cells only
from the positions of their text. ``invariant`` mode makes the bytes depend on the content alone.
"""
from __future__ import annotations

import io

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .document import build
from .layout import Layout
from .spec import ReportSpec
from .tables import Grid

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    f = _font()
    base = ParagraphStyle("body", fontName=f, fontSize=11, leading=17, wordWrap="CJK", firstLineIndent=22)
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, alignment=TA_CENTER, firstLineIndent=0,
                                spaceAfter=12),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, spaceBefore=6),
        "subheading": ParagraphStyle("subheading", parent=base),
        "para": base,
        "preamble": base,
        "signature": ParagraphStyle("signature", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
        "cell": ParagraphStyle("cell", fontName=f, fontSize=8.5, leading=11, wordWrap="CJK"),
        "cellc": ParagraphStyle("cellc", fontName=f, fontSize=8.5, leading=11, wordWrap="CJK", alignment=TA_CENTER),
        "t4": ParagraphStyle("t4", fontName=f, fontSize=7, leading=9, wordWrap="CJK", alignment=TA_CENTER),
    }


def render_reportlab(spec: ReportSpec, layout: "str | Layout" = "plain", encrypt: str | None = None) -> bytes:
    """The report typeset by reportlab; ``encrypt`` a user password to lock it with."""
    lay = spec.layout(layout)
    st = _styles()
    story = []
    for b in build(spec, lay):
        if b.kind == "page_break":
            story.append(PageBreak())
        elif b.kind == "table":
            story += [_table(b.grid, lay, st), Spacer(1, 6)]
        else:
            story.append(Paragraph(_esc(b.text), st[b.kind]))
    buf = io.BytesIO()
    title = spec.meta.title

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 1.4 * cm, title)
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 1.3 * cm, f"— {doc.page} —")
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2.4 * cm,
                            bottomMargin=2.4 * cm, title=title, author=spec.meta.office, creator="Microsoft Word",
                            invariant=1, encrypt=encrypt)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _widths(g: Grid, lay: Layout) -> list[float]:
    usable = 16.6 * cm
    if g.table == "t3":
        labels = [0.9 * cm, 1.5 * cm, (2.6 if lay.wrapped_labels else 4.4) * cm]
        return labels + [(usable - sum(labels)) / (g.n_cols - 3)] * (g.n_cols - 3)
    if g.table == "t2":
        first = (3.0 if lay.wrapped_labels else 4.6) * cm
        return [first] + [(usable - first) / 3] * 3
    return [usable / g.n_cols] * g.n_cols


def _table(g: Grid, lay: Layout, st: dict[str, ParagraphStyle]) -> Table:
    data = []
    cmds = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONT", (0, 0), (-1, -1), FONT, 8.5),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for ri, row in enumerate(g.rows):
        line = []
        for ci, c in enumerate(row):
            if c is None:
                line.append("")
                continue
            if c.rowspan > 1 or c.colspan > 1:
                cmds.append(("SPAN", (ci, ri), (ci + c.colspan - 1, ri + c.rowspan - 1)))
            if c.kind == "num":
                line.append(c.text)
            else:
                style = st["t4"] if g.table == "t4" else st["cell" if c.kind == "label" else "cellc"]
                line.append(Paragraph(_esc(c.text), style))
        data.append(line)
    return Table(data, colWidths=_widths(g, lay), style=TableStyle(cmds))
