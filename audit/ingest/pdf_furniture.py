"""Page furniture: running headers and footers, and page numbers.

A running header or footer is a line near the top or bottom edge whose text (digits aside) comes back
at the same height on most pages. A page number is a line near an edge that is nothing but a number
in one of the usual dresses: “4”, “-4-”, “— 4 —”, “第4页”, “第4页 共12页”, “4/12”, “Page 4 of 12”.
Both are dropped before paragraphs and tables are assembled, so a page number between two parts of a
table or of a sentence does not separate them.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict

from audit.ingest import normalize
from audit.ingest.pdf_lines import TextLine

# Lines within this fraction of the page height from the top or bottom edge may be furniture …
EDGE_BAND = 0.15
# … if they are among the first or last few lines of the page.
EDGE_LINES = 3
# A running line sits at the same height (points) on at least this share of the pages.
SAME_HEIGHT = 3.0
MOST_PAGES = 0.5

# Beside the dressed page numbers every ingester knows (normalize.is_page_number), a PDF has bare ones:
# a number alone on a line by the page edge.
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


def is_page_number(text: str) -> bool:
    """A page number in any dress, bare numbers included (only asked of lines by the page edge)."""
    return bool(_BARE_NUMBER.match(text)) or normalize.is_page_number(text)


def _edge_lines(lines: list[TextLine], height: float) -> list[TextLine]:
    """The lines of one page that sit where headers and footers go."""
    ordered = sorted(lines, key=lambda ln: ln.top)
    head = [ln for ln in ordered[:EDGE_LINES] if ln.bottom <= height * EDGE_BAND]
    foot = [ln for ln in ordered[-EDGE_LINES:] if ln.top >= height * (1 - EDGE_BAND)]
    seen = {id(ln) for ln in head}
    return head + [ln for ln in foot if id(ln) not in seen]


def _key(text: str) -> str:
    return _SPACE.sub("", _DIGITS.sub("#", text))


def find_furniture(pages: list[list[TextLine]], heights: list[float]) -> tuple[set[int], list[str]]:
    """The ids (``id(line)``) of the furniture lines over all pages, and notes saying what was dropped."""
    drop: set[int] = set()
    notes: list[str] = []
    numbered: list[int] = []
    candidates: dict[str, list[TextLine]] = defaultdict(list)
    for lines, height in zip(pages, heights):
        for ln in _edge_lines(lines, height):
            if is_page_number(ln.text):
                drop.add(id(ln))
                numbered.append(ln.page)
            else:
                candidates[_key(ln.text)].append(ln)
    if numbered:
        notes.append(f"dropped page numbers on {len(set(numbered))} page(s)")
    need = max(2, math.ceil(MOST_PAGES * len(pages)))
    for group in candidates.values():
        tops = sorted(ln.top for ln in group)
        mid = tops[len(tops) // 2]
        same = [ln for ln in group if abs(ln.top - mid) <= SAME_HEIGHT]
        if len({ln.page for ln in same}) >= need:
            drop.update(id(ln) for ln in same)
            where = "header" if mid < min(heights) / 2 else "footer"
            notes.append(f"dropped running {where} '{same[0].text}' on {len({ln.page for ln in same})} pages")
    return drop, notes
