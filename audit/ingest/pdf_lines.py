"""Text lines of a PDF page, built from the page's characters (:class:`~audit.ingest.pdf_device.Glyph`).

A ``TextLine`` is a run of characters on one baseline, in left-to-right order, carrying its bounding
box and its *segments*: the pieces of the line separated by a gap wider than a character. Body text has
one segment per line; a line of a borderless table has one segment per cell, which is what the
borderless-table finder reads. The characters of one number sit edge to edge, so a number is never
split between segments.

Text is joined the way Chinese typesetting reads: no space between CJK characters (justified lines
widen the gaps between them), a space between Latin words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.ingest.pdf_device import Glyph

# A gap wider than this many character widths splits a line into segments (cells of a borderless table).
SEGMENT_GAP = 1.0
# A character whose top is this many character heights below a line's top starts a line of its own.
STAGGER = 0.5
# A gap wider than this (in character widths) between two non-CJK characters is a word space.
WORD_GAP = 0.25

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’、]")
_SPACES = re.compile(r"\s+")


def is_cjk(ch: str) -> bool:
    """A CJK ideograph or CJK/full-width punctuation (no space is ever set next to one)."""
    return bool(_CJK.match(ch))


@dataclass
class Segment:
    """Characters of a line that sit together (one cell of a borderless table, or the whole line)."""

    text: str
    x0: float
    x1: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class TextLine:
    """One line of text on one page, with its position (PDF points from the page's top-left)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # the font size that dominates the line
    page: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def join_chars(chars: list[Glyph]) -> str:
    """The text of characters already in reading order: spaces only between Latin words."""
    out: list[str] = []
    prev = None
    for ch in chars:
        t = ch.text
        if prev is not None and not t.isspace() and not prev.text.isspace():
            gap = ch.x0 - prev.x1
            size = max(ch.size, prev.size, 1.0)
            if gap > SEGMENT_GAP * size or (
                gap > WORD_GAP * size and not is_cjk(t[0]) and not is_cjk(prev.text[-1])
            ):
                out.append(" ")
        out.append(t)
        prev = ch
    return _SPACES.sub(" ", "".join(out)).strip()


def join_lines(texts: list[str]) -> str:
    """Lines of one cell or paragraph as one text: no space at a break next to a CJK character or a
    digit (a number wrapped in a narrow column stays one number), one space between Latin words."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and t[0].isascii() and t[0].isalpha():
            out += " "
        out += t
    return out


def _dedupe(chars: list[Glyph]) -> list[Glyph]:
    """Drop a character drawn twice at the same place (fake bold, shadowed text)."""
    out: list[Glyph] = []
    for ch in chars:
        if out:
            p = out[-1]
            if p.text == ch.text and abs(p.x0 - ch.x0) < 1 and abs(p.top - ch.top) < 1:
                continue
        out.append(ch)
    return out


def _segments(chars: list[Glyph]) -> list[Segment]:
    segs: list[Segment] = []
    run: list[Glyph] = []
    for ch in chars:
        if run:
            size = max(ch.size, run[-1].size, 1.0)
            if ch.x0 - run[-1].x1 > SEGMENT_GAP * size and not ch.text.isspace():
                segs.append(_segment(run))
                run = []
        run.append(ch)
    if run:
        segs.append(_segment(run))
    return [s for s in segs if s.text]


def _segment(run: list[Glyph]) -> Segment:
    ink = [c for c in run if not c.text.isspace()] or run
    return Segment(join_chars(run), ink[0].x0, max(c.x1 for c in ink))


def build_lines(chars: list[Glyph], page: int) -> list[TextLine]:
    """Group characters into lines (by vertical overlap), each sorted left to right, top to bottom.

    A character joins the current line when its vertical middle falls inside the line's band and its
    top is less than half a character below the line's top (cells of one table row whose texts are
    centred over different numbers of lines stand half a line apart: they are lines of their own, not
    one band chained down the row); the characters arrive sorted by their top edge, so one pass suffices.
    """
    lines: list[TextLine] = []
    band: list[Glyph] = []
    b_top = b_bottom = b_height = 0.0
    for ch in sorted(chars, key=lambda c: (c.top, c.x0)):
        if ch.text.isspace() and not band:
            continue
        mid = (ch.top + ch.bottom) / 2
        if band and b_top <= mid <= b_bottom and ch.top - b_top < STAGGER * max(b_height, ch.bottom - ch.top):
            band.append(ch)
            b_bottom = max(b_bottom, ch.bottom) if ch.text.strip() else b_bottom
            continue
        if band:
            lines.append(_line(band, page))
        band = [ch]
        b_top, b_bottom = ch.top, ch.bottom
        b_height = ch.bottom - ch.top
    if band:
        lines.append(_line(band, page))
    return [ln for ln in lines if ln.text]


def _line(band: list[Glyph], page: int) -> TextLine:
    chars = _dedupe(sorted(band, key=lambda c: c.x0))
    ink = [c for c in chars if not c.text.isspace()] or chars
    sizes = sorted(c.size for c in ink)
    return TextLine(
        text=join_chars(chars),
        x0=ink[0].x0,
        top=min(c.top for c in ink),
        x1=max(c.x1 for c in ink),
        bottom=max(c.bottom for c in ink),
        size=sizes[len(sizes) // 2],
        page=page,
        segments=_segments(chars),
    )
