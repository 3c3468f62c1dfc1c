"""Word (.docx) reports → ``Document``, through python-docx.

The body's paragraphs and tables are read in document order. Merged cells are read from the table XML
(``w:gridSpan`` across, ``w:vMerge`` down) so the grid has the origin ``Cell`` with its ``rowspan`` and
``colspan`` and ``None`` at every covered position, the same shape the HTML and PDF readers give.
Explicit page breaks (``w:br w:type="page"``, a paragraph's ``pageBreakBefore``, a next-page section
break) advance ``Span.page``; Word's own pagination is not in the file. ``Span.line`` is the block index
in the body.
"""
from __future__ import annotations

import io
from pathlib import Path

from audit.errors import CorruptFile, EmptyFile, NoTextLayer
from audit.ingest.normalize import is_traditional, join_wrapped, normalize_cell, normalize_text
from audit.model import Cell, Document, Line, Paragraph, Source, Span

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(data: bytes):
    import docx

    from audit.ingest.zip_limits import check_parts

    check_parts(data)  # measured sizes, before python-docx inflates anything
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - lxml's XMLSyntaxError, python-docx's package errors, zip errors
        detail = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise CorruptFile(f"damaged Word file: {detail}") from None


def _paragraph_text(p) -> str:
    """A ``w:p``'s text: runs, tabs and line breaks (as newlines), fields' results."""
    out = []
    for el in p.iter():
        tag = el.tag
        if tag == _W + "t":
            out.append(el.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag in (_W + "br", _W + "cr") and el.get(_W + "type") != "page":
            out.append("\n")
    return "".join(out)


def _page_breaks(p) -> tuple[int, int]:
    """(breaks before the paragraph's text, breaks after it)."""
    before = after = 0
    ppr = p.find(_W + "pPr")
    if ppr is not None:
        pb = ppr.find(_W + "pageBreakBefore")
        if pb is not None and pb.get(_W + "val") not in ("0", "false"):
            before += 1
        sect = ppr.find(_W + "sectPr")
        if sect is not None:
            kind = sect.find(_W + "type")
            if kind is None or kind.get(_W + "val") in ("nextPage", "oddPage", "evenPage"):
                after += 1
    seen_text = False
    for el in p.iter():
        if el.tag == _W + "t" and (el.text or "").strip():
            seen_text = True
        elif el.tag == _W + "br" and el.get(_W + "type") == "page":
            if seen_text:
                after += 1
            else:
                before += 1
    return before, after


def _grid(tbl, page: int, index: int, t2s: bool) -> list[list[Cell | None]]:
    """A ``w:tbl`` → rows of cells; merged cells as origin + ``None``."""
    rows: list[list[Cell | None]] = []
    origin_at: dict[int, Cell] = {}  # column → the cell a vertical merge continues
    for tr in tbl.iterchildren(_W + "tr"):
        row: list[Cell | None] = []
        trpr = tr.find(_W + "trPr")
        before = trpr.find(_W + "gridBefore") if trpr is not None else None
        for _ in range(int(before.get(_W + "val", "0")) if before is not None else 0):
            row.append(Cell("", Span(page=page, line=index)))
        for tc in tr.iterchildren(_W + "tc"):
            tcpr = tc.find(_W + "tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(_W + "gridSpan")
                if gs is not None:
                    span = max(1, int(gs.get(_W + "val", "1")))
                vm = tcpr.find(_W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(_W + "val", "continue")
            col = len(row)
            if vmerge == "continue" and col in origin_at:
                origin_at[col].rowspan += 1
                row.extend([None] * span)
                continue
            text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(_W + "p"))
            nested = [normalize_cell(" ".join(_paragraph_text(p) for p in t.iter(_W + "p")), t2s=t2s)
                      for t in tc.iterchildren(_W + "tbl")]
            cell = Cell(normalize_cell("\n".join([text] + nested), t2s=t2s), Span(page=page, line=index), colspan=span)
            row.append(cell)
            row.extend([None] * (span - 1))
            for k in range(span):
                origin_at.pop(col + k, None)
            if vmerge == "restart":
                origin_at[col] = cell
        rows.append(row)
    return rows


def parse_docx(data: bytes, source: Source) -> Document:
    """The bytes of a .docx → ``Document``."""
    document = _open(data)
    body = document.element.body
    texts = [_paragraph_text(p) for p in body.iter(_W + "p")]
    t2s = is_traditional("".join(texts))
    blocks: list = []
    page = last_page = 1
    for index, el in enumerate(body.iterchildren()):
        if el.tag == _W + "p":
            before, after = _page_breaks(el)
            page += before
            span = Span(page=page, line=index)
            lines = [normalize_text(x, t2s=t2s) for x in _paragraph_text(el).split("\n")]
            lines = [x for x in lines if x]
            if lines:
                blocks.append(Paragraph(join_wrapped(lines), [Line(x, span) for x in lines]))
                last_page = page
            page += after
        elif el.tag == _W + "tbl":
            from audit.ingest import make_table

            rows = _grid(el, page, index, t2s)
            if rows:
                blocks.append(make_table(rows))
                last_page = page
    from audit.ingest import join_continued_tables

    if not blocks:
        if body.find(".//" + _W + "drawing") is not None or body.find(".//" + _W + "pict") is not None:
            raise NoTextLayer("no text: the Word file shows the report as images; run OCR first")
        raise EmptyFile("the Word file holds no text")

    notes = ["traditional characters converted to simplified"] if t2s else []
    return Document(source=source, blocks=join_continued_tables(blocks), page_count=last_page, notes=notes)


def load_docx(path: Path, data: bytes, source: Source) -> Document:
    """Entry point of the dispatcher: the bytes of ``path`` → ``Document``."""
    return parse_docx(data, source)
