"""Ruled boxes that hold prose, not a table: a table needs cells in columns, not lines of a paragraph.

Some converters (and Word documents laid out on a grid) draw a box round every line of text: pdfplumber's
``lines`` strategy then finds a "table" of one column whose cells are the lines of a paragraph, or a real
table with the paragraphs and the section heading above it drawn into its first rows. A row of such a
table whose only cell spans the table's whole width (no other box beside it) is a *full-width row*; the other rows are the
table's *columnar* rows.

- A table with no columnar row is no table: all its boxes are released as text.
- Full-width rows above the first columnar row (or below the last) stay in the table only as the run
  right next to the columnar rows whose text is centred in the row (a title spanning the table, such
  as 第二十条第（一）项); the others (paragraph lines, a heading set at the paragraph indent) are text.
- Full-width rows between columnar rows stay (a table's group titles).

Released boxes give their characters back to the page's text, which is read as lines and paragraphs.
"""
from __future__ import annotations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.ingest.pdf_device import Glyph

Box = tuple[float, float, float, float]

# Boxes overlapping by less than this (points) are in different rows.
EDGE_TOL = 3.0
# A row's text is centred when its ink's middle is this close to the box's middle (in points, or as a
# share of the box width, whichever is larger).
CENTRE_TOL = 6.0
CENTRE_SHARE = 0.04


def _inside(ch: Glyph, box: Box) -> bool:
    mx, my = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    return box[0] <= mx <= box[2] and box[1] <= my <= box[3]


def _centred(box: Box, chars: list[Glyph]) -> bool:
    ink = [c for c in chars if c.text.strip() and _inside(c, box)]
    if not ink:
        return True  # an empty full-width row is part of the grid's drawing
    middle = (min(c.x0 for c in ink) + max(c.x1 for c in ink)) / 2
    return abs(middle - (box[0] + box[2]) / 2) <= max(CENTRE_TOL, CENTRE_SHARE * (box[2] - box[0]))


def split_prose(boxes: list[Box], chars: list[Glyph]) -> tuple[list[Box], list[Box]]:
    """The table's boxes as (kept, released): released boxes are lines of prose, not table cells."""
    if not boxes:
        return [], []
    ordered = sorted(boxes, key=lambda b: b[1])
    alone = set()
    for k, b in enumerate(ordered):
        if not any(o is not b and o[1] < b[3] - EDGE_TOL and o[3] > b[1] + EDGE_TOL for o in ordered):
            alone.add(id(b))

    def full(b: Box) -> bool:
        return id(b) in alone

    columnar = [b for b in boxes if not full(b)]
    if not columnar:
        return [], list(boxes)
    top = min(b[1] for b in columnar)
    bottom = max(b[3] for b in columnar)
    kept: list[Box] = []
    released: list[Box] = []
    above = sorted((b for b in boxes if full(b) and b[3] <= top + EDGE_TOL), key=lambda b: -b[1])
    below = sorted((b for b in boxes if full(b) and b[1] >= bottom - EDGE_TOL), key=lambda b: b[1])
    edge = {id(b) for b in above} | {id(b) for b in below}
    for run in (above, below):
        keep = True
        for b in run:  # from the columnar rows outwards
            keep = keep and _centred(b, chars)
            (kept if keep else released).append(b)
    kept.extend(b for b in boxes if id(b) not in edge)
    return kept, released
