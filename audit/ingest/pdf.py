"""PDF ingest: one pass of pdfminer.six's interpreter per page → a Document of paragraphs and tables in
reading order.

Each page's content streams are interpreted once, into a light device (:mod:`pdf_device`) that keeps
the characters with their boxes and sizes, the drawn lines and rectangles, and the image count: no
layout analysis, no per-character objects beyond a slotted :class:`~audit.ingest.pdf_device.Glyph`.
Tables are looked for only on a page whose ruling lines cross. What follows works on positions:

1. ruled tables (pdfplumber's table finder with its default ``lines`` settings, as :mod:`pdf_device`
   reproduces it on the page's edges) take the characters inside them (:mod:`pdf_ruled`), except boxes
   drawn round lines of prose (:mod:`pdf_prose`); the other characters become lines (:mod:`pdf_lines`);
2. borderless tables are found among those lines from aligned number columns (:mod:`pdf_borderless`);
3. running headers, footers and page numbers are dropped (:mod:`pdf_furniture`);
4. lines become paragraphs, and a paragraph or a table that goes on over a page break is joined back
   (:mod:`pdf_paragraphs`, :mod:`pdf_grid`). ``Document.notes`` says what was dropped and joined.

Errors are one line each: an encrypted file (a PDF with an empty user password opens normally), a
scanned file with no text layer, a corrupt or truncated file, an empty one.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from audit.errors import CorruptFile, EmptyFile, EncryptedFile, NoTextLayer, TooLarge
from audit.ingest.normalize import is_traditional, normalize_text
from audit.ingest.pdf_borderless import find_borderless
from audit.ingest.pdf_device import PageBox, PageDevice, PageInterpreter, quiet_tokenizer, ruling_grid, table_cells
from audit.ingest.pdf_furniture import find_furniture
from audit.ingest.pdf_grid import TablePart, join, to_table
from audit.ingest.pdf_limits import MAX_CHARS, MAX_PAGES, MAX_RULING_GRID, StreamTooLarge, install
from audit.ingest.pdf_lines import TextLine, build_lines
from audit.ingest.pdf_paragraphs import Geometry, paragraph
from audit.ingest.pdf_prose import split_prose
from audit.ingest.pdf_ruled import ruled_part
from audit.model import Block, Document, Source

_Item = Union[list[TextLine], TablePart]  # a paragraph's lines, or a table

install()  # bounded stream decoders in pdfminer (decompression bombs are TooLarge)
# pdfminer warns once per glyph run of a font without a FontBBox (Chromium's subset fonts): harmless to
# the text layer, and dozens of lines on the terminal of a user who only asked to audit a report
logging.getLogger("pdfminer.pdffont").setLevel(logging.ERROR)


@dataclass
class PageScan:
    """What one page gave: its body lines (outside tables) and its tables, and whether it has images."""

    number: int
    height: float
    lines: list[TextLine] = field(default_factory=list)
    tables: list[TablePart] = field(default_factory=list)
    n_chars: int = 0
    n_unmapped: int = 0  # characters whose font gives no Unicode: pdfminer writes them “(cid:N)”
    n_images: int = 0
    ruling_grid: int = 0  # distinct rows × columns of the page's ruling lines (see MAX_RULING_GRID)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _too_large(exc: BaseException) -> TooLarge | None:
    return TooLarge(f"PDF refused: {exc}") if isinstance(exc, StreamTooLarge) else None


class _Pdf:
    """An opened PDF: pdfminer's document, its resource manager (fonts kept across pages) and the device
    and interpreter every page goes through."""

    def __init__(self, data: bytes):
        quiet_tokenizer()
        self.doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        meta: dict = {}
        for info in self.doc.info:  # a broken Info dictionary is a corrupt file, as it always was
            meta.update(info)
        self.rsrcmgr = PDFResourceManager()
        self.device = PageDevice(self.rsrcmgr)
        self.interpreter = PageInterpreter(self.rsrcmgr, self.device)

    def pages(self) -> list[tuple[PDFPage, PageBox]]:
        return [(page, PageBox(page)) for page in PDFPage.create_pages(self.doc)]


def _open(data: bytes) -> _Pdf:
    try:
        return _Pdf(data)
    except RecursionError:
        raise CorruptFile("corrupt PDF: its objects are nested too deeply (or refer to themselves)") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on broken input
        if _too_large(exc):
            raise _too_large(exc) from None
        if isinstance(exc, PDFPasswordIncorrect):
            raise EncryptedFile("encrypted PDF: it needs a password to open; decrypt it first") from None
        if isinstance(exc, PDFEncryptionError):
            raise EncryptedFile(f"encrypted PDF: {_one_line(exc)}; decrypt it first") from None
        raise CorruptFile(f"corrupt PDF: {_one_line(exc)}") from None


def _scan(pdf: _Pdf, page: PDFPage, box: PageBox, number: int) -> PageScan:
    """Characters, drawn tables and images of one page: the page's only parse."""
    device = pdf.device
    device.start(box)
    try:
        pdf.interpreter.process_page(page)
        edges = device.edges() if device.lines or device.rects or device.curves else []
        grid = ruling_grid(edges)
        boxes = table_cells(edges) if edges and grid <= MAX_RULING_GRID else []
    except RecursionError:
        raise CorruptFile(f"corrupt PDF: page {number} has objects nested too deeply "
                          "(or referring to themselves)") from None
    except Exception as exc:  # noqa: BLE001 - a broken content stream, truncated object, bad filter
        if _too_large(exc):
            raise _too_large(exc) from None
        raise CorruptFile(f"corrupt PDF: page {number} cannot be read ({_one_line(exc)})") from None
    chars = device.glyphs
    scan = PageScan(number, float(box.height), n_images=device.n_images, ruling_grid=grid)
    device.start(None)  # the page's glyphs and paths are the scan's now
    free = []
    for ch in chars:
        if ch.text.startswith("(cid:"):
            scan.n_unmapped += 1
        elif ch.text.strip():
            scan.n_chars += 1
            free.append(ch)
        else:
            free.append(ch)
    for found in boxes:
        cells, _ = split_prose(found, free)
        if not cells:
            continue
        x0 = min(b[0] for b in cells)
        top = min(b[1] for b in cells)
        x1 = max(b[2] for b in cells)
        bottom = max(b[3] for b in cells)
        inside, outside = [], []
        for ch in free:
            mx, my = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
            (inside if x0 <= mx <= x1 and top <= my <= bottom else outside).append(ch)
        free = outside
        scan.tables.append(ruled_part(cells, inside, number))
    lines = build_lines(free, number)
    borderless, taken = find_borderless(lines)
    scan.tables.extend(borderless)
    scan.lines = [ln for ln in lines if id(ln) not in taken]
    return scan


def _normalize(scans: list[PageScan]) -> bool:
    """Every line and cell text in normal form (half-width digits, no spaces inside Chinese, simplified
    characters when the document is traditional, decided once for the whole document)."""
    cells = {id(g): g for s in scans for t in s.tables for row in t.rows for g in row if g is not None}
    sample = "".join(ln.text for s in scans for ln in s.lines) + "".join(g.text for g in cells.values())
    t2s = is_traditional(sample)
    for s in scans:
        for ln in s.lines:
            ln.text = normalize_text(ln.text, t2s=t2s)
        s.lines = [ln for ln in s.lines if ln.text]
    for g in cells.values():
        g.text = normalize_text(g.text, t2s=t2s)
    return t2s


def _page_items(scan: PageScan, geo: Geometry) -> list[_Item]:
    """A page's paragraphs (as line lists) and tables, top to bottom."""
    flow: list[tuple[float, int, TextLine | TablePart]] = [(ln.top, 1, ln) for ln in scan.lines]
    flow += [(t.bbox[1], 0, t) for t in scan.tables]
    flow.sort(key=lambda x: (x[0], x[1]))
    items: list[_Item] = []
    for _, _, thing in flow:
        if isinstance(thing, TablePart):
            items.append(thing)
        elif items and isinstance(items[-1], list) and geo.continues(items[-1][-1], thing):
            items[-1].append(thing)
        else:
            items.append([thing])
    return items


def _assemble(scans: list[PageScan], geo: Geometry, notes: list[str]) -> list[Block]:
    """Items of all pages in order, joining a paragraph or table that runs over a page break."""
    items: list[_Item] = []
    for scan in scans:
        page_items = _page_items(scan, geo)
        if items and page_items:
            last, first = items[-1], page_items[0]
            if isinstance(last, list) and isinstance(first, list) and geo.continues_on_next_page(last[-1], first[0]):
                last.extend(page_items.pop(0))
                notes.append(f"joined paragraph over pages {last[0].page}–{scan.number}")
            elif isinstance(last, TablePart) and isinstance(first, TablePart):
                joined = join(last, first)
                if joined is not None:
                    items[-1] = joined
                    page_items.pop(0)
        items.extend(page_items)
    blocks: list[Block] = []
    for it in items:
        if isinstance(it, TablePart):
            notes.extend(it.notes)
            blocks.append(to_table(it))
        else:
            blocks.append(paragraph(it))
    return blocks


def _check_page_count(pdf: _Pdf) -> None:
    """Refuse a file whose page tree declares more than ``MAX_PAGES`` pages before walking it (the
    count is checked again on the pages found: a declared count may lie)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 - a missing or broken page tree: walking it will say so
        return
    if isinstance(count, int) and count > MAX_PAGES:
        raise TooLarge(f"the PDF declares {count} pages, more than the {MAX_PAGES}-page limit for a report")


def load_pdf(path: Path, data: bytes, source: Source) -> Document:
    """Read a PDF's text layer into a Document (paragraphs and tables in reading order)."""
    if not data:
        raise EmptyFile("empty file")
    pdf = _open(data)
    _check_page_count(pdf)
    try:
        pages = pdf.pages()
    except RecursionError:
        raise CorruptFile("corrupt PDF: its page tree is nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - a broken page tree
        if _too_large(exc):
            raise _too_large(exc) from None
        raise CorruptFile(f"corrupt PDF: {_one_line(exc)}") from None
    if len(pages) > MAX_PAGES:
        raise TooLarge(f"the PDF has {len(pages)} pages, more than the {MAX_PAGES}-page limit for a report")
    if not pages:
        raise EmptyFile("the PDF has no pages")
    scans = []
    total = 0
    for number, (page, box) in enumerate(pages, start=1):
        scans.append(_scan(pdf, page, box, number))
        total += scans[-1].n_chars + scans[-1].n_unmapped
        if total > MAX_CHARS:
            raise TooLarge(f"the PDF holds more than {MAX_CHARS:,} characters by page {number} "
                           "(pages repeating one content stream?); reports hold far fewer")
    del pdf
    notes: list[str] = []
    n_chars, n_unmapped = sum(s.n_chars for s in scans), sum(s.n_unmapped for s in scans)
    if n_unmapped > n_chars:
        raise NoTextLayer(
            "no text layer: the PDF's fonts map their glyphs to no characters (text reads as (cid:N) codes); run OCR first"
        )
    if not n_chars:
        if any(s.n_images for s in scans):
            raise NoTextLayer("no text layer: the PDF is scanned; run OCR first")
        raise EmptyFile(f"the PDF has no text: its {len(scans)} page(s) are blank")
    if n_unmapped:
        notes.append(f"dropped {n_unmapped} character(s) whose font maps them to no Unicode text")
    if _normalize(scans):
        notes.append("converted traditional characters to simplified")
    for s in scans:
        if not s.n_chars and s.n_images:
            notes.append(f"page {s.number} has no text layer (an image only)")
        if s.ruling_grid > MAX_RULING_GRID:
            notes.append(f"page {s.number}: ruling lines for {s.ruling_grid} cells (a drawing, not a table); "
                         "its text is read without ruled tables")
    drop, furniture_notes = find_furniture([s.lines for s in scans], [s.height for s in scans])
    notes.extend(furniture_notes)
    for s in scans:
        s.lines = [ln for ln in s.lines if id(ln) not in drop]
    geo = Geometry.of([ln for s in scans for ln in s.lines])
    blocks = _assemble(scans, geo, notes)
    return Document(source=source, blocks=blocks, page_count=len(scans), notes=notes)
