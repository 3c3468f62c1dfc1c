"""The Word memo (python-docx): the same sections as the other formats, a findings table, each finding's
table block with the suspect cell shaded, and a sign-off block an office fills in and signs.

The file is reproducible: document properties and the ZIP entries carry the audit date, not the clock.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from audit.names import visible_deep

FILL = {"suspect": "F6C9C4", "candidate": "FDE3CC", "identity": "FFF1C2", "head": "EEF2F6"}
SEVERITY_COLOUR = {"error": RGBColor(0xB0, 0x3A, 0x2E), "warning": RGBColor(0xB0, 0x70, 0x0E),
                   "info": RGBColor(0x2F, 0x6F, 0xA8)}
MARK = {"pass": "✓", "fail": "✗", "not_assessable": "?", "not_applicable": "–"}
BODY_FONT, HEADING_FONT = "SimSun", "SimHei"


def _east_asian(style_or_run, font: str) -> None:
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _setup(doc: docx.document.Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    _east_asian(normal, BODY_FONT)
    for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        _east_asian(style, HEADING_FONT)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _cell(cell, text: str, *, bold: bool = False, size: float | None = None, right: bool = False,
          colour: RGBColor | None = None) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc, header: list[str] | None, rows: list[list[str]], *, right: set[int] = frozenset(), size: float = 9):
    table = doc.add_table(rows=0, cols=len(header or rows[0]))
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for i, text in enumerate(header):
            _cell(cells[i], text, bold=True, size=size, right=i in right)
            _shade(cells[i], FILL["head"])
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            _cell(cells[i], text, size=size, right=i in right)
    return table


def _widths(table, mm: list[float]) -> None:
    """Fixed column widths, in the grid (LibreOffice reads these) and on every cell (Word reads these)."""
    table.autofit = False
    for column, w in zip(table.columns, mm):
        column.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, mm):
            cell.width = Mm(w)


def _labelled(doc, label: str, text: str, L: dict, *, italic: bool = False) -> None:
    p = doc.add_paragraph()
    p.add_run(f"{label}{L['colon']}").bold = True
    p.add_run(text).italic = italic


def _block(doc, b: dict, L: dict) -> None:
    doc.add_paragraph().add_run(f"{L['block']}{L['colon']}{b['title']}").italic = True
    table = doc.add_table(rows=1, cols=len(b["columns"]) + 1)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for i, text in enumerate(b["columns"], 1):
        _cell(table.rows[0].cells[i], text, bold=True, size=8, right=True)
        _shade(table.rows[0].cells[i], FILL["head"])
    for r in b["rows"]:
        cells = table.add_row().cells
        _cell(cells[0], r["label"], size=8)
        for cell, c in zip(cells[1:], r["cells"]):
            strong = c["role"] in ("suspect", "candidate")
            _cell(cell, c["text"], size=8, right=True, bold=strong,
                  colour=SEVERITY_COLOUR["error"] if strong else None)
            if c["role"] in FILL:
                _shade(cell, FILL[c["role"]])
    first = min(60.0, 170.0 - 16 * len(b["columns"]))
    _widths(table, [max(first, 30.0)] + [16.0] * len(b["columns"]))
    if b["legend"]:
        p = doc.add_paragraph()
        for role, text in b["legend"]:
            run = p.add_run("■ ")
            run.font.color.rgb = RGBColor.from_string(FILL[role])
            p.add_run(f"{text}   ").font.size = Pt(8)


def _finding(doc, f: dict, L: dict) -> None:
    head = doc.add_heading(level=2)
    head.add_run(f"{f['n']}. ")
    sev = head.add_run(f"[{f['severity_label']}] ")
    sev.font.color.rgb = SEVERITY_COLOUR.get(f["severity"], RGBColor(0x33, 0x41, 0x4F))
    head.add_run(f["rule_id"])
    doc.add_paragraph().add_run(f["message"]).bold = True
    if f["review"]:
        doc.add_paragraph(f["review"]["text"] + (L["colon"] + f["review"]["comment"] if f["review"]["comment"] else ""))
    if f["where"]:
        _labelled(doc, L["where"], f["where"], L)
    if f["expected"] is not None or f["found"] is not None:
        _labelled(doc, L["expected"], f"{f['expected'] or '—'}{L['sep']}{L['found']}{L['colon']}{f['found'] or '—'}", L)
    if f["sentence"]:
        _labelled(doc, L["quoted"], f["sentence"], L, italic=True)
    if f["narrative"]:
        n = f["narrative"]
        prob = f"{L['lp']}{L['probability']} {n['probability']}{L['rp']}" if n["probability"] else ""
        _labelled(doc, L["narrative_label"], f"{n['label'] or '—'}{prob}", L)
        if n["phrases"]:
            _labelled(doc, L["phrases"], "、".join(n["phrases"]), L)
        for key in ("unmatched", "unanswering"):
            if n.get(key):
                _labelled(doc, L[key], L["semi"].join(n[key]), L)
        for s in n["sentences"]:
            _labelled(doc, L["quoted"], s, L, italic=True)
    for b in f["blocks"]:
        _block(doc, b, L)
    for i, s in enumerate(f["suggestions"], 1):
        prefix = L["alternative"].format(i) + " " if len(f["suggestions"]) > 1 else ""
        text = prefix + L["semi"].join(s["cells"]) + (f" {L['repairs']} {L['sep'].join(s['repairs'])}" if s["repairs"] else "")
        _labelled(doc, L["suggestion"], text, L)


def render_docx(ctx: dict, audited: _dt.date | None) -> bytes:
    ctx = visible_deep(ctx)  # control characters (ESC, BEL) shown as pictures: Word's XML allows none
    L = ctx["L"]
    doc = docx.Document()
    _setup(doc)
    when = _dt.datetime.combine(audited or _dt.date(2000, 1, 1), _dt.time())
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = f"{ctx['title']} · {ctx['agency']}", "report-audit", "report-audit"
    props.created = props.modified = when
    props.revision = 1

    doc.add_heading(ctx["title"], level=0)
    doc.add_paragraph().add_run(f"{ctx['agency']} · {ctx['year'] or L['unknown']}").bold = True

    doc.add_heading(ctx["h"]["identity"], level=1)
    identity = _table(doc, None, [[k, v] for k, v in ctx["identity"]])
    for row in identity.rows:
        _shade(row.cells[0], FILL["head"])
    _widths(identity, [35, 135])

    sc = ctx["score"]
    doc.add_heading(ctx["h"]["score"], level=1)
    doc.add_paragraph().add_run(sc["line"]).bold = True
    items = _table(doc, [L["item"], L["cap"], L["deductions"], L["lost"]],
                   [[i["title"], i["cap"], str(i["count"]), i["lost"]] for i in sc["items"]], right={1, 2, 3})
    _widths(items, [95, 25, 25, 25])

    doc.add_heading(ctx["h"]["summary"], level=1)
    counts = _table(doc, [L["severity"], L["count"]],
                    [[label, str(n)] for _, label, n in ctx["counts"]] + [[L["findings_total"], str(ctx["total_findings"])]],
                    right={1})
    _widths(counts, [60, 25])
    for t, reason in ctx["unreadable"]:
        _labelled(doc, L["unreadable_tables"], f"{t}{L['lp']}{reason}{L['rp']}", L)
    if ctx.get("corrections"):
        _labelled(doc, L["corrections"], L["corrections_note"], L)
        for c in ctx["corrections"]:
            doc.add_paragraph(c, style="List Bullet")
    if ctx["findings"]:
        doc.add_heading(L["findings_list"], level=2)
        listing = _table(doc, [L["no"], L["severity"], L["kind"], L["rule"], L["where"], L["message"]],
                         [[str(f["n"]), f["severity_label"], f["kind_label"], f["rule_id"], f["where"], f["message"]]
                          for f in ctx["findings"]], right={0}, size=8)
        _widths(listing, [9, 14, 18, 30, 42, 57])

    for g in ctx["groups"]:
        doc.add_heading(g["heading"], level=1)
        if not g["findings"]:
            doc.add_paragraph(L["no_findings"]).runs[0].italic = True
        for f in g["findings"]:
            _finding(doc, f, L)
    if ctx["dismissed"]:
        doc.add_heading(ctx["h"]["dismissed"], level=1)
        doc.add_paragraph(L["dismissed_note"])
        for f in ctx["dismissed"]:
            _finding(doc, f, L)

    doc.add_heading(ctx["h"]["checks"], level=1)
    doc.add_paragraph(L["checks_note"]).runs[0].italic = True
    for group, label, items in ctx["checks"]:
        if not items:
            continue
        doc.add_heading(f"{label}{L['lp']}{len(items)}{L['rp']}", level=2)
        for c in items:
            reason = f"{L['lp']}{L['reason']}{L['colon']}{c['reason']}{L['rp']}" if c["reason"] else ""
            doc.add_paragraph(f"{MARK[group]} {c['rule_id']} {c['title']}{reason}")

    doc.add_heading(L["signature"], level=1)
    sign = doc.add_table(rows=2, cols=3)
    sign.style = "Table Grid"
    for i, key in enumerate(("reviewer", "approver", "reviewed_on")):
        _cell(sign.rows[0].cells[i], L[key], bold=True)
        _shade(sign.rows[0].cells[i], FILL["head"])
        sign.rows[1].cells[i].paragraphs[0].add_run("\n\n")
    foot = doc.add_paragraph()
    run = foot.add_run(f"{L['footer']} · {L['audited']} {ctx['audited']}")
    run.italic, run.font.size = True, Pt(8)

    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue(), when)


def _stable_zip(data: bytes, when: _dt.datetime) -> bytes:
    """The same .docx bytes for the same memo: every ZIP entry dated with the audit date."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
