"""PDFs for the PDF-ingest tests, made on the fly and cached for the session.

Two makers, as agencies make their files:
- ``word_pdf``: a python-docx document exported by LibreOffice (the Word-made PDF of most reports);
  the PDF is cached in a temp folder by a hash of the .docx, so one conversion serves the session.
- ``drawn_pdf``: pages drawn with reportlab's canvas and its built-in CID font STSong-Light (no font
  file needed), for layouts that must be exact: a table cut by a page break at a chosen row, borderless
  tables, running headers, page numbers. Tables are given as ``DrawnTable``: column widths, row heights
  and the cells with their spans.

The fixture text is written for these tests, in the register of real reports.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from audit.ingest.pdf import load_pdf
from audit.model import Document, Source, Table

CACHE = Path(tempfile.gettempdir()) / f"report-audit-pdf-tests-{os.getuid()}"
FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.0, 842.0  # A4, points


def load(data: bytes, name: str = "t.pdf") -> Document:
    return load_pdf(Path(name), data, Source.from_bytes(name, data, "pdf"))


def grids(doc: Document) -> list[list[list[str | None]]]:
    return [t.grid() for t in doc.tables]


def spans(table: Table) -> list[tuple[int, int, str, int, int]]:
    """(row, col, text, rowspan, colspan) of every merged cell."""
    return [
        (i, j, c.text, c.rowspan, c.colspan)
        for i, row in enumerate(table.rows)
        for j, c in enumerate(row)
        if c is not None and (c.rowspan > 1 or c.colspan > 1)
    ]


# ----------------------------------------------------------------------------------- Word-made PDF


def soffice_pdf(docx_bytes: bytes) -> bytes:
    """LibreOffice's PDF export of a .docx, cached by content; skips when LibreOffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    key = hashlib.sha256(docx_bytes).hexdigest()[:20]
    out = CACHE / f"{key}.pdf"
    if out.exists():
        return out.read_bytes()
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        src = Path(tmp) / f"{key}.docx"
        src.write_bytes(docx_bytes)
        profile = Path(tmp) / "profile"  # a private profile: parallel conversions do not collide
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=120,
        )
        produced = Path(tmp) / f"{key}.pdf"
        produced.replace(out)
    return out.read_bytes()


def docx_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def new_word_document(font: str = "WenQuanYi Zen Hei", size: float = 12):
    """A python-docx document with a CJK font on the Normal style, as agency templates set it."""
    from docx import Document as Docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = Docx()
    st = d.styles["Normal"]
    st.font.name = font
    st.font.size = Pt(size)
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    st.paragraph_format.space_after = Pt(0)
    st.paragraph_format.space_before = Pt(0)
    return d


def add_page_number_footer(section, before: str = "- ", after: str = " -") -> None:
    """A centred footer “- N -” with Word's PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(before)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    p.add_run(after)


def indented(d, text: str, chars: float = 2, size: float = 12):
    """A body paragraph with a first-line indent of ``chars`` characters."""
    from docx.shared import Pt

    p = d.add_paragraph(text)
    p.paragraph_format.first_line_indent = Pt(chars * size)
    return p


def repeat_header(row) -> None:
    """Mark a Word table row as a header row repeated on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


# ------------------------------------------------------------------------------------ drawn PDFs


@dataclass
class DrawnCell:
    row: int
    col: int
    text: str | list[str]  # a list: one entry per line (a wrapped label)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class DrawnTable:
    """A table drawn at ``top`` (points from the page top): cells on a grid of widths and heights."""

    x: float
    top: float
    widths: list[float]
    heights: list[float]
    cells: list[DrawnCell]
    ruled: bool = True
    size: float = 10.5


@dataclass
class DrawnPage:
    texts: list[tuple[float, float, str]] = field(default_factory=list)  # (x, top, text)
    tables: list[DrawnTable] = field(default_factory=list)
    size: float = 12


def _draw_table(c, t: DrawnTable, font: str) -> None:
    xs = [t.x]
    for w in t.widths:
        xs.append(xs[-1] + w)
    ys = [t.top]
    for h in t.heights:
        ys.append(ys[-1] + h)
    c.setFont(font, t.size)
    for cell in t.cells:
        x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
        y0, y1 = ys[cell.row], ys[cell.row + cell.rowspan]
        if t.ruled:
            c.rect(x0, PAGE_H - y1, x1 - x0, y1 - y0, stroke=1, fill=0)
        lines = cell.text if isinstance(cell.text, list) else [cell.text]
        lead = t.size * 1.25
        first = y0 + (y1 - y0 - lead * len(lines)) / 2 + t.size
        for k, line in enumerate(lines):
            baseline = PAGE_H - (first + k * lead)
            if line.strip(" -+.0123456789—/"):  # text: left-aligned
                c.drawString(x0 + 4, baseline, line)
            else:  # a number or a dash: centred
                c.drawCentredString((x0 + x1) / 2, baseline, line)


EMBEDDED_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _font(embedded: bool) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if not embedded:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        return FONT
    if not EMBEDDED_FONT.exists():
        pytest.skip(f"{EMBEDDED_FONT} is not installed (fonts-wqy-zenhei)")
    pdfmetrics.registerFont(TTFont("WQY", str(EMBEDDED_FONT), subfontIndex=0))
    return "WQY"


def drawn_pdf(pages: list[DrawnPage], *, user_password: str | None = None, embedded_font: bool | None = None) -> bytes:
    """A PDF drawn with reportlab; encrypted when a password is given.

    The font is the built-in CID font STSong-Light (no font file), or an embedded TrueType font
    (fonts-wqy-zenhei) -- the default for encrypted files: pdfminer does not decrypt the strings of the
    CID font's inline CIDSystemInfo, so an encrypted STSong-Light file reads as “(cid:N)” codes.
    """
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    font = _font(user_password is not None if embedded_font is None else embedded_font)
    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner-secret") if user_password is not None else None
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), encrypt=enc, invariant=1)
    for page in pages:
        c.setFont(font, page.size)
        for x, top, text in page.texts:
            c.drawString(x, PAGE_H - top - page.size, text)
        for t in page.tables:
            _draw_table(c, t, font)
        c.showPage()
    c.save()
    return buf.getvalue()


def image_only_pdf(n_pages: int = 2, text_on_first: str | None = None) -> bytes:
    """A 'scanned' PDF: each page one raster image, no text layer (but for ``text_on_first``, a line of
    text that makes page 1 a text page)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    if text_on_first is not None:
        c.setFont(FONT, 12)
        c.drawString(60, PAGE_H - 100, text_on_first)
        c.showPage()
        n_pages -= 1
    for k in range(n_pages):
        img = Image.new("L", (300, 420), 255)
        draw = ImageDraw.Draw(img)
        for y in range(40, 400, 20):
            draw.line((30, y, 270 - 7 * k, y), fill=0, width=3)
        c.drawImage(ImageReader(img), 36, 36, PAGE_W - 72, PAGE_H - 72)
        c.showPage()
    c.save()
    return buf.getvalue()
