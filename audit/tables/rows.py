"""Rows as the input gives them: a grid row (PDF, DOCX, HTML, tab- or pipe-separated text) or a short
line of body text, split into its label part and its value part.

A cell is *value-like* when it is blank, a number, a dash, 无, or digits mixed with other marks (an
unreadable value); anything else with text is *label-like*. A row's label is every cell up to its last
label-like cell; its values are the cells after it (``None`` cells right after the label are the label's
merged span, not values).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.model import Span, ValueKind
from audit.tables.labels import normalize
from audit.vocab import PAGE_NUMBER_CELL
from audit.tables.values import clean, parse

_CJK = re.compile(r"[\u3400-\u9fff]")


def value_like(text: str | None) -> bool:
    t = clean(text)
    if not t:
        return True
    kind = parse(t, "amount").kind
    if kind is not ValueKind.UNREADABLE:
        return True
    return bool(re.search(r"\d", t)) and not _CJK.search(t.replace("元", ""))


def blank(text: str | None) -> bool:
    return not clean(text)


@dataclass
class RawRow:
    """One row of cells with where each came from; ``block`` is the index of its block in the document."""

    cells: list[str | None]
    spans: list[Span | None]
    block: int
    page: int | None = None
    label_above: bool = False  # its label came from text lines above a bare row of numbers (``locate``): a hint
    label_cells: list[str] = field(init=False)
    values: list[str | None] = field(init=False)
    value_spans: list[Span | None] = field(init=False)
    first_value_index: int = field(init=False)

    def __post_init__(self) -> None:
        last_label = -1
        for i, c in enumerate(self.cells):
            if c is not None and not value_like(c):
                last_label = i
        self.label_cells = [c for c in self.cells[: last_label + 1] if c and c.strip()]
        start = last_label + 1
        while start < len(self.cells) and self.cells[start] is None and last_label >= 0:
            start += 1
        self.first_value_index = start
        self.values = list(self.cells[start:])
        self.value_spans = list(self.spans[start:])

    @property
    def label(self) -> str:
        return " ".join(" ".join(c.split()) for c in self.label_cells)

    @property
    def key(self) -> str:
        """The normalised label."""
        return "".join(normalize(c) for c in self.label_cells)

    @property
    def has_values(self) -> bool:
        return any(not blank(v) for v in self.values)

    @property
    def is_page_number(self) -> bool:
        texts = [clean(c) for c in self.cells if not blank(c)]
        return len(texts) == 1 and bool(PAGE_NUMBER_CELL.match(texts[0]))

    @property
    def is_empty(self) -> bool:
        return all(blank(c) for c in self.cells)
