"""Running text of a PDF: which lines belong to one paragraph, also across a page break.

Word-made reports wrap a paragraph's lines at the right margin and mark a new paragraph by a first-line
indent, a short last line, a heading or item number (一、 （一） 1.), a change of font size, or extra
space (the item and sentence tests are the ones every ingester shares, from :mod:`normalize`).
The same rules decide whether the last paragraph of a page continues on the next page: it does
when it fills its last line, ends with no sentence-final punctuation, and the next page opens with
neither an indent nor a heading or item.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median

from audit.ingest.normalize import ends_sentence, starts_item
from audit.ingest.pdf_lines import TextLine, join_lines
from audit.model import Line, Paragraph, Span

# How far a line may stop short of the right margin and still count as full, in character widths
# (line-breaking rules push a character or two to the next line).
FULL_SLACK = 2.5
# An indent of more than this many character widths starts a paragraph.
INDENT = 0.8


@dataclass(frozen=True)
class Geometry:
    """The body text's margins and normal line gap, measured over the whole document."""

    left: float
    right: float
    line_gap: float

    @classmethod
    def of(cls, lines: list[TextLine]) -> "Geometry":
        if not lines:
            return cls(0.0, 0.0, 0.0)
        left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
        ends = Counter(round(ln.x1) for ln in lines if ln.x1 - ln.x0 > 10 * ln.size)
        right = max(ends, key=lambda x: (ends[x], x)) if ends else max(round(ln.x1) for ln in lines)
        gaps = [
            b.top - a.bottom
            for a, b in zip(lines, lines[1:])
            if a.page == b.page and 0 <= b.top - a.bottom < 3 * a.size
        ]
        return cls(float(left), float(right), median(gaps) if gaps else 0.0)

    def is_full(self, line: TextLine) -> bool:
        return line.x1 >= self.right - FULL_SLACK * line.size

    def is_indented(self, line: TextLine, than: float) -> bool:
        return line.x0 > than + INDENT * line.size

    def continues(self, prev: TextLine, line: TextLine) -> bool:
        """Does ``line`` continue the paragraph whose last line so far is ``prev`` (same page)?"""
        if starts_item(line.text) or not self.is_full(prev) or self.is_indented(line, prev.x0):
            return False
        if abs(line.size - prev.size) > 1.5:
            return False
        gap = line.top - prev.bottom
        return gap <= max(1.6 * self.line_gap, self.line_gap + 0.5 * line.size)

    def continues_on_next_page(self, last: TextLine, first: TextLine) -> bool:
        """Does the paragraph ending a page with ``last`` go on with ``first``, the next page's first line?"""
        return (
            self.is_full(last)
            and not ends_sentence(last.text)
            and not starts_item(first.text)
            and not self.is_indented(first, self.left)
            and abs(first.size - last.size) <= 1.5
        )


def paragraph(lines: list[TextLine]) -> Paragraph:
    """A model Paragraph of lines in reading order (they may come from more than one page)."""
    model_lines = [Line(ln.text, Span(page=ln.page, bbox=ln.bbox)) for ln in lines]
    return Paragraph(text=join_lines([ln.text for ln in lines]), lines=model_lines)
