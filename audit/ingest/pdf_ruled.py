"""Ruled tables: pdfplumber's cells (found from the ruling lines) as a grid with merged cells.

pdfplumber's default ``lines`` strategy gives each drawn cell's box. The distinct box edges are the
grid's row and column boundaries; a box covering several of them is a merged cell. Characters go to the
cell their middle falls in (one bisection per character, not a scan per cell), and a cell's lines are
joined without spaces between CJK characters, so a label wrapped in a narrow column reads as one word.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.ingest.pdf_device import Glyph

from audit.ingest.pdf_grid import GridCell, TablePart
from audit.ingest.pdf_lines import build_lines, join_lines

# Box edges closer than this (points) are one grid boundary.
SNAP = 1.5


def _boundaries(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    """The boundary nearest to ``v``."""
    k = bisect_right(edges, v)
    if k == 0:
        return 0
    if k == len(edges) or v - edges[k - 1] <= edges[k] - v:
        return k - 1
    return k


def ruled_part(boxes: list[tuple[float, float, float, float]], chars: list[Glyph], page: int) -> TablePart:
    """The grid of one pdfplumber table (its cell ``boxes``) with the ``chars`` that fall inside it."""
    xs = _boundaries([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _boundaries([b[1] for b in boxes] + [b[3] for b in boxes])
    rows: list[list[GridCell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    cells: list[tuple[GridCell, list[Glyph]]] = []
    for box in boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        g = GridCell("", page, box)
        cells.append((g, []))
        for r in range(r0, r1):
            for c in range(c0, c1):
                rows[r][c] = g
    where = {id(g): chars_of for g, chars_of in cells}
    for ch in chars:
        r = bisect_right(ys, (ch.top + ch.bottom) / 2) - 1
        c = bisect_right(xs, (ch.x0 + ch.x1) / 2) - 1
        if 0 <= r < len(rows) and 0 <= c < len(xs) - 1 and rows[r][c] is not None:
            where[id(rows[r][c])].append(ch)
    for g, chars_of in cells:
        if chars_of:
            g.text = join_lines([ln.text for ln in build_lines(chars_of, page)])
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return TablePart(rows=rows, col_edges=xs, pages=[page], bbox=bbox, ruled=True)
