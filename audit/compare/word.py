"""The comparison as a DOCX document (python-docx): the same parts as the HTML page, changed cells shaded and
carried-over statements highlighted (word for word, other figures, with edits and their similarity)."""
from __future__ import annotations

import io

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from audit.compare.render import LABELS, context

#: carried over word for word; but for the figures; with edits (as the HTML page's marks)
HIGHLIGHT = {"carried": WD_COLOR_INDEX.PINK, "figures": WD_COLOR_INDEX.YELLOW, "near": WD_COLOR_INDEX.TURQUOISE}
FILLS = {"changed": "FFF1C2", "only_a": "E8EEF5", "only_b": "E8EEF5", "breaks": "F6C9C4"}


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(doc, header: list[str], rows: list[list[str]], fills: list[list[str | None]] | None = None):
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for c, text in zip(t.rows[0].cells, header):
        c.text = text
        for r in c.paragraphs[0].runs:
            r.bold = True
    for i, row in enumerate(rows):
        cells = t.add_row().cells
        for j, text in enumerate(row):
            cells[j].text = text
            fill = fills[i][j] if fills else None
            if fill:
                _shade(cells[j], fill)
    for row in t.rows:
        for c in row.cells:
            for p in c.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(8)
    return t


def to_docx(cmp, lang: str = "zh") -> bytes:
    ctx = context(cmp, lang)
    L = LABELS[lang]
    doc = docx_document()
    doc.add_heading(L["title"], level=0)
    a, b = ctx["a"], ctx["b"]
    _table(doc, ["", L["agency"], L["year"], L["file"], L["score"]],
           [[L["earlier"], str(a["agency"]), str(a["year"]), a["file"], str(a["score"])],
            [L["later"], str(b["agency"]), str(b["year"]), b["file"], str(b["score"])]])
    if ctx["swapped"]:
        doc.add_paragraph(L["swapped"])
    s = ctx["summary"]
    doc.add_heading(L["summary"], level=1)
    for line in (f"{L['cells']}：{s['cells']}，{L['changed']} {s['changed']}",
                 f"{L['carry']}：{L['holds']} {s['carry_holds']}，{L['breaks']} {s['carry_breaks']}，"
                 f"{L['not_assessable']} {s['carry_not_assessable']}",
                 f"{L['carried_sentences']}：{s['carried_sentences']}",
                 f"{L['near_sentences']}：{s['near_sentences']}",
                 f"{L['measures_repeated']}：{s['section5_measures_repeated']}",
                 f"{L['repeated5']}：{ctx['pct'](s['section5_repeated'])}"):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(L["carry"], level=1)
    _table(doc, [L["identity"], L["expected"], L["found"], L["status"]],
           [[i.name[lang], i.expected or "—", i.found or "—", L[i.status]] for i in ctx["carry"]],
           [[None, None, None, FILLS.get(i.status)] for i in ctx["carry"]])
    doc.add_heading(L["tables"], level=1)
    doc.add_paragraph(L["only_changed"])
    for t in ctx["tables"]:
        doc.add_heading(t["name"], level=2)
        if t["rows"]:
            rows, fills = [], []
            for r in t["rows"]:
                by_col = {c.column: c for c in r.cells}
                row, fill = [r.label], [None]
                for col in t["columns"]:
                    c = by_col.get(col)
                    if c is None:
                        row.append(""), fill.append(None)
                    elif c.change == "same":
                        row.append(c.b or ""), fill.append(None)
                    else:
                        row.append(f"{c.a or '—'} → {c.b or '—'}" + (f" ({c.delta})" if c.delta else ""))
                        fill.append(FILLS[c.change])
                rows.append(row)
                fills.append(fill)
            _table(doc, [L["row"], *t["columns"]], rows, fills)
        if t["unchanged"]:
            doc.add_paragraph(L["unchanged_rows"].format(t["unchanged"]))
    doc.add_heading(L["sections"], level=1)
    for sec in ctx["sections"]:
        title = f"{ctx['section_name'](sec.number)} {sec.title}"
        if sec.repeated is not None:
            title += f"（{L['repeated'].format(ctx['pct'](sec.repeated))}）"
        doc.add_heading(title, level=2)
        legend = doc.add_paragraph()
        for mark, label in (("carried", L["legend_carried"]), ("figures", L["legend_figures"]),
                            ("near", L["legend_near"].format(ctx["pct"](ctx["near"])))):
            run = legend.add_run(label)
            run.font.size = Pt(8)
            run.font.highlight_color = HIGHLIGHT[mark]
            legend.add_run("  ")
        t = doc.add_table(rows=1, cols=2)
        t.style = "Table Grid"
        for cell, year, sentences in ((t.rows[0].cells[0], a["year"], sec.a), (t.rows[0].cells[1], b["year"], sec.b)):
            cell.paragraphs[0].add_run(str(year)).bold = True
            for x in sentences:
                para = cell.add_paragraph()
                for part in x.parts:
                    run = para.add_run(part.text)
                    run.font.size = Pt(9)
                    if part.mark:
                        run.font.highlight_color = HIGHLIGHT[part.mark]
                    if part.mark == "near":
                        share = para.add_run(f"［≈{ctx['pct'](part.share)}］")
                        share.font.size = Pt(7)
                        share.font.color.rgb = RGBColor(0x2B, 0x5C, 0x8A)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_document():
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), "SimSun")
    return doc
