"""DOCX the way agencies write their reports in Word: python-docx, official table layouts with merged
cells, a CJK font on the Normal style, a running title in the page header and page numbers in the footer."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from .document import Block, build
from .layout import Layout
from .spec import ReportSpec
from .tables import Grid

CJK_FONT = "WenQuanYi Zen Hei"  # the CJK font the set-up installs; 宋体 is not on the machine
LATIN_FONT = "Times New Roman"

# label column widths (cm) of table 三: item/group, sub-group, sub-item; wrapped layouts squeeze them
T3_LABEL_WIDTHS = {False: (1.2, 1.9, 4.6), True: (0.9, 1.4, 2.6)}
# word_borderless: as narrow as agencies squeeze them, a long label over up to five lines
T3_NARROW_WIDTHS = (0.8, 1.3, 2.1)


def render_docx(spec: ReportSpec, layout: "str | Layout" = "plain") -> bytes:
    lay = spec.layout(layout)
    doc = Document()
    _styles(doc)
    _page(doc, spec)
    for block in build(spec, lay):
        _block(doc, block, lay)
    _core_properties(doc, spec)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_times(buf.getvalue(), spec.meta.published)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    pf = normal.paragraph_format
    pf.space_after = Pt(0)
    pf.space_before = Pt(0)
    pf.line_spacing = 1.25


def _page(doc, spec: ReportSpec) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin = sec.bottom_margin = Cm(2.5)
    sec.left_margin = sec.right_margin = Cm(2.2)
    head = sec.header.paragraphs[0]
    head.text = spec.meta.title
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in head.runs:
        r.font.size = Pt(9)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("— ")
    _page_field(foot)
    foot.add_run(" —")


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _block(doc, b: Block, lay: Layout) -> None:
    if b.kind == "title":
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(12)
        run = p.add_run(b.text)
        run.bold = True
        run.font.size = Pt(18)
    elif b.kind in ("heading", "subheading"):
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(24)
        p.paragraph_format.space_before = Pt(6 if b.kind == "heading" else 0)
        p.paragraph_format.keep_with_next = True
        p.add_run(b.text).bold = True
    elif b.kind in ("para", "preamble"):
        p = doc.add_paragraph(b.text)
        p.paragraph_format.first_line_indent = Pt(24)
    elif b.kind == "signature":
        p = doc.add_paragraph(b.text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif b.kind == "page_break":
        p = doc.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)
        p.paragraph_format.line_spacing = Pt(2)
    elif b.kind == "table":
        _table(doc, b.grid, lay)


def _widths(g: Grid, lay: Layout) -> list[float]:
    usable = 16.6
    if g.table == "t3":
        labels = T3_NARROW_WIDTHS if lay.word_borderless else T3_LABEL_WIDTHS[lay.wrapped_labels]
        rest = (usable - sum(labels)) / (g.n_cols - 3)
        return [*labels] + [rest] * (g.n_cols - 3)
    if g.table == "t2":
        first = 2.2 if lay.word_borderless else 3.0 if lay.wrapped_labels else 4.6
        return [first] + [(usable - first) / 3] * 3
    return [usable / g.n_cols] * g.n_cols


def _table(doc, g: Grid, lay: Layout) -> None:
    """Write the table as WordprocessingML: gridSpan for column spans, vMerge restart/continue for row
    spans (python-docx's cell.merge does the same, at a hundred times the cost)."""
    twips = [round(w * 567) for w in _widths(g, lay)]
    size = 15 if g.table == "t4" else 18  # half-points
    line = "nil" if lay.no_rules else 'single" w:sz="4" w:space="0" w:color="000000'
    borders = "".join(f'<w:{side} w:val="{line}"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
           '</w:tblPr><w:tblGrid>' + "".join(f'<w:gridCol w:w="{w}"/>' for w in twips) + "</w:tblGrid>"]
    owners = {}  # (row, col) → the cell whose row span covers it, for vMerge continuations
    for ri, row in enumerate(g.rows):
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        ci = 0
        while ci < g.n_cols:
            c = row[ci]
            merged = c is None and (ri, ci) in owners
            if c is None and not merged:
                ci += 1  # covered by a column span of a cell to the left
                continue
            cell = owners[(ri, ci)] if merged else c
            if not merged and c.rowspan > 1:
                for dr in range(1, c.rowspan):
                    owners[(ri + dr, ci)] = c
            width = sum(twips[ci: ci + cell.colspan])
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            vmerge = '<w:vMerge/>' if merged else ('<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else "")
            jc = "center" if cell.kind in ("num", "head", "group") else "left"
            text = "" if merged else escape(cell.text)
            run = f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{vmerge}<w:vAlign w:val="center"/>'
                       f'</w:tcPr><w:p><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="{jc}"/>'
                       f'</w:pPr>{run}</w:p></w:tc>')
            ci += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    body = doc.element.body
    body.sectPr.addprevious(parse_xml("".join(out)))


def _core_properties(doc, spec: ReportSpec) -> None:
    cp = doc.core_properties
    when = dt.datetime.combine(spec.meta.published, dt.time(9, 0))
    cp.author = spec.meta.office
    cp.last_modified_by = spec.meta.office
    cp.title = spec.meta.title
    cp.created = when
    cp.modified = when
    cp.revision = 1
    cp.comments = ""


def _fixed_zip_times(data: bytes, day: dt.date) -> bytes:
    """python-docx stamps zip members with the current time; rewrite them with the publication date."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(day.year, day.month, day.day, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
