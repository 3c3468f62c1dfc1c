"""ingest: any report file → one ``Document`` (paragraphs and table grids, every piece with its ``Span``).

:func:`load` reads the bytes once, decides what they are from their content (never the extension:
agencies publish ``.doc`` files that are HTML and ``.pdf`` links that serve Word files), records the
``Source`` (SHA-256, kind, text encoding) and hands the bytes to the loader of that kind:
``pdf.load_pdf``, ``docx.load_docx``, ``html.load_html`` or ``text.load_text``. Loaders are imported on
use, so reading a text file never imports pdfminer.

Bad input ends in one of ``audit.errors``' errors with a one-line reason: ``MissingFile``,
``EmptyFile``, ``TooLarge``, ``UnsupportedType`` (an image, a spreadsheet, an old binary .doc, binary
junk) and ``CorruptFile`` (a damaged Word file); the PDF loader adds its own (encrypted, scanned).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from audit.errors import CorruptFile, EmptyFile, MissingFile, TooLarge, UnsupportedType
from audit.model import Cell, Document, Source, Table

#: The largest file read (bytes). Real reports are 0.1–20 MB; past this a file is an archive or a
#: scan that would exhaust memory in a batch.
MAX_BYTES = 200 * 1024 * 1024

#: The largest web page or text file read (bytes). A report's page, even Word's HTML export with its
#: styles, is under 5 MB; reading markup costs about 0.5 s and 10 bytes of memory per byte, so a bigger
#: file is refused at once rather than spending a batch's time and memory on it.
MAX_MARKUP_BYTES = 16 * 1024 * 1024
#: The most bytes a .docx's parts may hold uncompressed, as its zip directory declares them (the
#: declared sizes bound what is read). A report's Word file with its fonts and images is under 50 MB.
MAX_DOCX_BYTES = 128 * 1024 * 1024

KINDS = ("pdf", "docx", "html", "txt")

# magic numbers of what agencies post next to their reports, and what to tell the user
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office file (.doc/.xls/.wps); save it as .docx or PDF"),
    (b"{\\rtf", "an RTF document; save it as .docx or PDF"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf'\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%!PS", "a PostScript file"),
)
_HTML_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|table|p|span|h[1-6]|br)\b", re.IGNORECASE
)
_HTML_ROOT = re.compile(rb"<\s*(?:!doctype\s+html|html|body)\b", re.IGNORECASE)


def sniff(data: bytes) -> str:
    """The kind of a file from its first bytes: ``pdf``, ``docx``, ``html`` or ``txt``.

    Raises ``UnsupportedType`` for images, archives, spreadsheets and other Office files, and
    ``CorruptFile`` for a damaged zip container.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise UnsupportedType("a WEBP image, not a report text; run OCR first")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            hint = "; run OCR first" if "image" in what else ""
            raise UnsupportedType(f"{what}, not a PDF, Word, HTML or text report{hint}")
    probe = _ascii_view(data[:8192])
    if _HTML_ROOT.search(probe) or (probe.lstrip().startswith(b"<") and _HTML_MARKUP.search(probe)):
        return "html"
    return "txt"


def _ascii_view(head: bytes) -> bytes:
    """The first bytes with any BOM and UTF-16 NULs removed, so markup can be found in every encoding."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if head.count(0) > len(head) // 4:
        head = head.replace(b"\x00", b"")
    return head


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise CorruptFile(f"damaged zip container (a truncated Word file?): {exc}") from None
    if "word/document.xml" in names:
        total = sum(i.file_size for i in infos)
        if total > MAX_DOCX_BYTES:
            raise TooLarge(f"the Word file's parts hold {total / 2**20:.0f} MB uncompressed, more than the "
                           f"{MAX_DOCX_BYTES // 2**20} MB limit (a zip bomb?)")
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedType("an Excel workbook (.xlsx), not a report; export the report as PDF or .docx")
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedType("a PowerPoint file (.pptx), not a report")
    if "content.xml" in names:
        raise UnsupportedType("an OpenDocument file; save it as .docx or PDF")
    raise UnsupportedType("a zip archive, not a report; unpack it and audit the files inside")


def load(path: Path | str) -> Document:
    """Read one report file into a ``Document`` (no sections or metadata yet: see ``audit.document``)."""
    path = Path(path)
    if not path.exists():
        raise MissingFile("no such file")
    if not path.is_file():
        raise UnsupportedType("not a regular file (a directory?)")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise TooLarge(f"file is {size / 2**20:.0f} MB, larger than the {MAX_BYTES // 2**20} MB limit")
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFile("empty file" if not data else "the file holds only whitespace")
    kind = sniff(data)
    if kind in ("html", "txt") and len(data) > MAX_MARKUP_BYTES:
        what = "web page" if kind == "html" else "text file"
        raise TooLarge(f"a {what} of {len(data) / 2**20:.0f} MB, larger than the {MAX_MARKUP_BYTES // 2**20} MB "
                       f"limit for {what}s (a report's is under 5 MB)")
    if kind == "pdf":
        from audit.ingest.pdf import load_pdf

        return load_pdf(path, data, Source.from_bytes(str(path), data, "pdf"))
    if kind == "docx":
        from audit.ingest.docx import load_docx

        return load_docx(path, data, Source.from_bytes(str(path), data, "docx"))
    if kind == "html":
        from audit.ingest.html import decode_html, load_html

        text, encoding = decode_html(data)
        _not_blank(text)
        return load_html(path, text, Source.from_bytes(str(path), data, "html", encoding))
    from audit.ingest.text import decode, load_text

    text, encoding = decode(data)
    _not_blank(text)
    return load_text(path, text, Source.from_bytes(str(path), data, "txt", encoding))


def _not_blank(text: str) -> None:
    from audit.ingest.normalize import is_blank

    if is_blank(text.replace("\n", " ").replace("\r", " ").replace("\t", " ").replace("\f", " ")):
        raise EmptyFile("the file holds only whitespace")


def join_continued_tables(blocks: list) -> list:
    """Join a table continued over a page break: two tables with nothing between them (a page break
    is all that separates them in a Word file or a web page that mimics one) and the same number of
    columns are one table."""
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Table) and isinstance(prev, Table) and prev.n_cols == b.n_cols:
            out[-1] = Table(rows=prev.rows + b.rows, page=prev.page or b.page,
                            pages=sorted(set(prev.pages) | set(b.pages)), bbox=prev.bbox)
        else:
            out.append(b)
    return out


def make_table(rows: list[list[Cell | None]], pad: bool = True) -> Table:
    """A ``Table`` from grid rows: short rows padded with empty cells so the grid is rectangular,
    page and pages taken from the cells' spans. ``pad=False`` keeps every row as long as the input made
    it (a crawler's cell list closes each cell it has: padding would add blank cells it never had)."""
    width = max((len(r) for r in rows), default=0) if pad else 0
    padded = []
    for r in rows:
        span = next((c.span for c in r if c is not None and c.span is not None), None)
        padded.append(list(r) + [Cell("", span) for _ in range(width - len(r))])
    pages = sorted({c.span.page for r in padded for c in r if c is not None and c.span and c.span.page})
    return Table(rows=padded, page=pages[0] if pages else None, pages=pages)
