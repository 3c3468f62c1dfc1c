"""A table as found on one page, and the joining of a table continued over a page break.

``TablePart`` holds a grid of positions, each pointing to the ``GridCell`` that covers it (the same
object at every position of a merged cell, ``None`` for a hole no cell covers). That makes the repairs
at a page break simple: a repeated header row is a row dropped; a label cut by the break is text
appended to the cell above; a merged cell that goes on over the break is the same object put in the
positions below. ``to_table`` turns the positions back into the model's grid of ``Cell`` with row and
column spans, ``None`` where a merged cell covers the position.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.ingest.pdf_lines import join_lines
from audit.ingest.normalize import starts_item
from audit.model import Cell, Span, Table
from audit.vocab import NUMBERISH

# Column edges of two parts closer than this (points) are the same edge.
EDGE_TOL = 3.0


def is_number(text: str) -> bool:
    return bool(NUMBERISH.match(text.strip()))


@dataclass(eq=False)
class GridCell:
    """One cell's text and where it was found (its first part, when it runs over a page break)."""

    text: str
    page: int
    bbox: tuple[float, float, float, float] | None = None


@dataclass(eq=False)
class TablePart:
    """A table's grid as found on one page (or several, once joined)."""

    rows: list[list[GridCell | None]]
    col_edges: list[float]  # x-positions of the column boundaries, len = columns + 1
    pages: list[int]
    bbox: tuple[float, float, float, float]
    ruled: bool  # drawn with ruling lines (pdfplumber cells) or found from text positions
    notes: list[str] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return len(self.col_edges) - 1

    def numeric_columns(self) -> set[int]:
        """Columns where most filled cells hold a number."""
        out = set()
        for j in range(self.n_cols):
            texts = [r[j].text for r in self.rows if r[j] is not None and r[j].text]
            if texts and sum(map(is_number, texts)) * 2 >= len(texts):
                out.add(j)
        return out


def to_table(part: TablePart) -> Table:
    """The model's Table: each cell at its top-left position with its spans, ``None`` under a merge."""
    n_rows = len(part.rows)
    width = part.n_cols
    seen: set[int] = set()
    rows: list[list[Cell | None]] = []
    for i in range(n_rows):
        row: list[Cell | None] = []
        for j in range(width):
            g = part.rows[i][j]
            if g is None:
                row.append(Cell(""))
                continue
            if id(g) in seen:
                row.append(None)
                continue
            seen.add(id(g))
            colspan = 1
            while j + colspan < width and part.rows[i][j + colspan] is g:
                colspan += 1
            rowspan = 1
            while i + rowspan < n_rows and part.rows[i + rowspan][j] is g:
                rowspan += 1
            row.append(Cell(g.text, Span(page=g.page, bbox=g.bbox), rowspan=rowspan, colspan=colspan))
        rows.append(row)
    return Table(rows=rows, page=part.pages[0], pages=list(part.pages), bbox=part.bbox)


# ------------------------------------------------------------------------------------ page breaks


def _merged_edges(a: list[float], b: list[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(a + b):
        if out and x - out[-1] <= EDGE_TOL:
            continue
        out.append(x)
    return out


def _regrid(part: TablePart, edges: list[float]) -> list[list[GridCell | None]]:
    """The part's positions on a finer set of column edges (a column split in two repeats its cell)."""
    mapping: list[int] = []  # new column → old column
    for j in range(len(edges) - 1):
        mid = (edges[j] + edges[j + 1]) / 2
        old = next((k for k in range(part.n_cols) if part.col_edges[k] <= mid <= part.col_edges[k + 1]), None)
        mapping.append(part.n_cols - 1 if old is None else old)
    return [[row[k] for k in mapping] for row in part.rows]


def aligned(a: TablePart, b: TablePart) -> tuple[list[list[GridCell | None]], list[list[GridCell | None]], list[float]] | None:
    """Both parts' rows on shared columns, or None when they are not parts of one table.

    Ruled parts must share their outer edges (Word keeps the column widths over a break); their inner
    edges are merged. Borderless parts must have the same number of columns.
    """
    if a.ruled != b.ruled:
        return None
    if not a.ruled:
        if a.n_cols != b.n_cols:
            return None
        return a.rows, b.rows, a.col_edges
    if abs(a.col_edges[0] - b.col_edges[0]) > EDGE_TOL or abs(a.col_edges[-1] - b.col_edges[-1]) > EDGE_TOL:
        return None
    edges = _merged_edges(a.col_edges, b.col_edges)
    if len(edges) - 1 > max(a.n_cols, b.n_cols) + 2:
        return None
    return _regrid(a, edges), _regrid(b, edges), edges


def join(a: TablePart, b: TablePart) -> TablePart | None:
    """``a`` continued by ``b`` on the next page as one part, or None when ``b`` is another table.

    On the continuation: header rows repeating ``a``'s first rows are dropped; a first row holding only
    a label fragment with every number cell blank (a wrapped label cut by the break) goes into the cell
    above; a merged label cell that runs on over the break (its text cut by the break, or empty on the
    new page) becomes one cell with the part above.
    """
    got = aligned(a, b)
    if got is None:
        return None
    top, bottom, edges = got
    page = b.pages[0]
    notes = list(a.notes) + list(b.notes)

    repeated = 0
    while (
        repeated < min(len(bottom), len(top)) - 1
        and _texts(bottom[repeated]) == _texts(top[repeated])
        and any(_texts(bottom[repeated]))
    ):
        repeated += 1
    if repeated:
        bottom = bottom[repeated:]
        notes.append(f"dropped {repeated} repeated header row(s) on page {page}")

    joined = TablePart(rows=top + bottom, col_edges=edges, pages=a.pages + [p for p in b.pages if p not in a.pages], bbox=a.bbox, ruled=a.ruled)
    numeric = joined.numeric_columns()
    first = len(top)
    if first < len(joined.rows):
        _merge_fragment_row(joined, first, numeric, notes, page)
        if first < len(joined.rows):
            _continue_merged_cells(joined, first, numeric, notes, page)
    notes.append(f"joined table over pages {joined.pages[0]}–{joined.pages[-1]}")
    joined.notes = notes
    return joined


def _texts(row: list[GridCell | None]) -> tuple[str, ...]:
    return tuple("" if c is None else c.text for c in row)


def _owners_above(rows: list[list[GridCell | None]], i: int, j: int) -> GridCell | None:
    for k in range(i - 1, -1, -1):
        if rows[k][j] is not None:
            return rows[k][j]
    return None


def _cells(row: list[GridCell | None]) -> list[tuple[GridCell, list[int]]]:
    """The distinct cells of a row, each with the columns it covers there."""
    out: dict[int, tuple[GridCell, list[int]]] = {}
    for j, g in enumerate(row):
        if g is not None:
            out.setdefault(id(g), (g, []))[1].append(j)
    return list(out.values())


def _merge_fragment_row(t: TablePart, i: int, numeric: set[int], notes: list[str], page: int) -> None:
    """Row ``i`` (the first on a new page) holds only label text, every number cell blank: it is the end
    of the label above, cut by the break.

    A row's number cells are the cells holding a number, wherever they stand: in a table with merged
    label cells the numbers of one row can sit in a column that holds labels in another. Text that
    opens an item (“3.”, “（四）”) is a row of its own, left blank, not a fragment."""
    row = t.rows[i]
    below = t.rows[i + 1] if i + 1 < len(t.rows) else []
    if not numeric:
        return
    filled = [(g, cols) for g, cols in _cells(row) if g.text]
    if not filled or any(is_number(g.text) or starts_item(g.text) for g, _ in filled):
        return
    if any(below and below[cols[0]] is g for g, cols in filled):
        return  # a label cell that spans the rows below is a merged cell, not a cut-off fragment
    targets = [(g, _owners_above(t.rows, i, cols[0])) for g, cols in filled]
    if any(above is None for _, above in targets):
        return
    for g, above in targets:
        above.text = join_lines([above.text, g.text])
        notes.append(f"merged label fragment '{g.text}' on page {page} into the row above")
    del t.rows[i]


def _height(rows: list[list[GridCell | None]], i: int, g: GridCell) -> int:
    """How many rows from row ``i`` down a cell covers."""
    j = rows[i].index(g)
    n = 0
    while i + n < len(rows) and rows[i + n][j] is g:
        n += 1
    return n


def _continue_merged_cells(t: TablePart, i: int, numeric: set[int], notes: list[str], page: int) -> None:
    """A label column's merged cell cut by the break: its part on the new page (empty, or a text
    fragment that opens no new item and spans rows as the cell above does) is the same cell."""
    if i < 2:
        return
    above_cells = {id(g): cols for g, cols in _cells(t.rows[i - 1])}
    for g, cols in _cells(t.rows[i]):
        if any(j in numeric for j in cols):
            continue
        above = t.rows[i - 1][cols[0]]
        if above is None or above_cells.get(id(above)) != cols or t.rows[i - 2][cols[0]] is not above:
            continue  # only a cell of the same columns that already spans rows goes on over the break
        if g.text and (starts_item(g.text) or is_number(g.text) or _height(t.rows, i, g) < 2):
            continue  # a one-row cell with text of its own starts a new group
        if g.text:
            above.text = join_lines([above.text, g.text])
            notes.append(f"merged cell text '{g.text}' on page {page} into the merged cell above")
        for row in t.rows[i:]:
            for k, c in enumerate(row):
                if c is g:
                    row[k] = above
