"""Borderless tables: grids found from text positions alone (no ruling lines to follow).

A region of consecutive lines that split into several segments (cells set apart by a wide gap), with
numbers among them, is a table. Its columns are the x-ranges the data rows' segments occupy, merged
where they overlap (a column's numbers, right-aligned or centred, overlap each other and nothing else);
segments are whole numbers because a number's digits sit edge to edge. Header lines above the data
take the columns whose centres they cover (a group label over several columns spans them). A line with
only label text, packed closer to a data row than rows are to each other, is a wrapped label and joins
that row's cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from audit.ingest.pdf_grid import GridCell, TablePart, is_number
from audit.ingest.pdf_lines import Segment, TextLine, join_lines

_BLANKISH = {"—", "-", "－", "/", "／", "无", "——", "–"}
# A single-segment line may sit inside a table region when it is this close (in character heights) to
# the tabular lines on both sides.
SANDWICH_GAP = 2.0
# A label-only line this close to a row (as a share of the usual gap between rows, and of the font
# size) is part of that row's label.
WRAP_SHARE = 0.6
WRAP_SIZE = 0.5


def _is_value(text: str) -> bool:
    return is_number(text) or text.strip() in _BLANKISH


def _n_values(line: TextLine) -> int:
    return sum(_is_value(s.text) for s in line.segments)


def _is_data(line: TextLine) -> bool:
    return len(line.segments) >= 2 and _n_values(line) >= 1


def _is_tabular(line: TextLine) -> bool:
    return len(line.segments) >= 2


@dataclass
class _Row:
    lines: list[TextLine]
    data: bool

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.bottom for ln in self.lines)


def _regions(lines: list[TextLine]) -> list[list[TextLine]]:
    """Runs of tabular lines (with label-only lines packed between them) that hold a table."""
    n = len(lines)
    inside = [_is_tabular(ln) for ln in lines]
    for i in range(1, n - 1):
        if not inside[i] and inside[i - 1] and _near(lines[i - 1], lines[i]):
            k = i
            while k < n and not inside[k] and _near(lines[k - 1], lines[k]) and k - i < 3:
                k += 1
            if k < n and inside[k] and _near(lines[k - 1], lines[k]):
                for m in range(i, k):
                    inside[m] = True
    out: list[list[TextLine]] = []
    run: list[TextLine] = []
    for ln, ok in zip(lines, inside):
        if ok and (not run or _near(run[-1], ln)):
            run.append(ln)
            continue
        if run:
            out.append(run)
        run = [ln] if ok else []
    if run:
        out.append(run)
    return [r for r in out if _holds_table(r)]


def _near(a: TextLine, b: TextLine) -> bool:
    return a.page == b.page and b.top - a.bottom <= SANDWICH_GAP * max(a.size, b.size)


def _holds_table(run: list[TextLine]) -> bool:
    data = [ln for ln in run if _is_data(ln)]
    if len(data) >= 2:
        return True
    return len(data) == 1 and _n_values(data[0]) >= 2 and any(_is_tabular(ln) and not _is_data(ln) for ln in run)


def _columns(data: list[TextLine]) -> list[tuple[float, float]]:
    """Column x-ranges: the data rows' segment extents, merged where they overlap."""
    spans = sorted((s.x0, s.x1) for ln in data for s in ln.segments)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def _rows(region: list[TextLine]) -> list[_Row]:
    """Lines to rows: a label-only line packed against a neighbouring row joins it."""
    rows = [_Row([ln], _is_data(ln)) for ln in region]
    data = [r for r in rows if r.data]
    gaps = [b.top - a.bottom for a, b in zip(data, data[1:])]
    row_gap = median(gaps) if gaps else 0.0
    out: list[_Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.data or _is_tabular(row.lines[0]):
            out.append(row)
            i += 1
            continue
        ln = row.lines[0]
        limit = min(WRAP_SHARE * row_gap, WRAP_SIZE * ln.size) if row_gap else WRAP_SIZE * ln.size
        up = ln.top - out[-1].bottom if out else None
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        down = nxt.top - ln.bottom if nxt is not None else None
        if down is not None and down < limit and nxt.data and (up is None or down <= up):
            nxt.lines.insert(0, ln)
        elif up is not None and up < limit:
            out[-1].lines.append(ln)
        else:
            out.append(row)
        i += 1
    return out


def _nearest(centers: list[float], x: float) -> int:
    return min(range(len(centers)), key=lambda j: abs(centers[j] - x))


def _place(seg: Segment, centers: list[float], data: bool) -> list[int]:
    """The columns a segment fills: the one nearest its middle for data, the ones whose centres it
    covers for a header label (at least the nearest)."""
    if not data:
        covered = [j for j, c in enumerate(centers) if seg.x0 - 1 <= c <= seg.x1 + 1]
        if covered:
            return covered
    return [_nearest(centers, seg.center)]


def _part(region: list[TextLine]) -> TablePart:
    data = [ln for ln in region if _is_data(ln)]
    cols = _columns(data)
    centers = [(a + b) / 2 for a, b in cols]
    edges = [cols[0][0]] + [(cols[j][1] + cols[j + 1][0]) / 2 for j in range(len(cols) - 1)] + [cols[-1][1]]
    page = region[0].page
    grid: list[list[GridCell | None]] = []
    for row in _rows(region):
        texts: dict[int, list[str]] = {}
        boxes: dict[int, list[float]] = {}
        spans: dict[int, list[int]] = {}
        for ln in row.lines:
            for seg in ln.segments:
                where = _place(seg, centers, row.data)
                j = where[0]
                texts.setdefault(j, []).append(seg.text)
                spans[j] = sorted(set(spans.get(j, [])) | set(where))
                b = boxes.setdefault(j, [seg.x0, ln.top, seg.x1, ln.bottom])
                b[:] = [min(b[0], seg.x0), min(b[1], ln.top), max(b[2], seg.x1), max(b[3], ln.bottom)]
        cells: list[GridCell | None] = [None] * len(cols)
        for j in sorted(texts):
            g = GridCell(join_lines(texts[j]), page, tuple(boxes[j]))
            for k in range(spans[j][0], spans[j][-1] + 1):
                if cells[k] is None:
                    cells[k] = g
        grid.append([c if c is not None else GridCell("", page, None) for c in cells])
    bbox = (min(ln.x0 for ln in region), region[0].top, max(ln.x1 for ln in region), region[-1].bottom)
    return TablePart(rows=grid, col_edges=edges, pages=[page], bbox=bbox, ruled=False)


def find_borderless(lines: list[TextLine]) -> tuple[list[TablePart], set[int]]:
    """Tables among a page's lines (top to bottom), and the ids of the lines they took."""
    parts: list[TablePart] = []
    taken: set[int] = set()
    for region in _regions(lines):
        parts.append(_part(region))
        taken.update(id(ln) for ln in region)
    return parts, taken
