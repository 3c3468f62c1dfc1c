"""Layout variants: how a rendering deviates from the plain official form.

A layout is a set of variant names joined by ``+`` ("page_break_t3+spaced_labels"). Variants that change
what a cell shows (``blank_cells``, ``org_total``, ``old_other_row``) change ``ReportSpec.expected_fields``
too; the others change only where and how the same values appear.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .formats import T4_BLOCKS, T4_COLS

if TYPE_CHECKING:
    from .spec import ReportSpec

VARIANTS = (
    "plain",            # the official tables, ruled, one page flow
    "page_break_t3",    # table 三 continues on the next page; a wrapped label is cut by the break
    "wrapped_labels",   # narrow label columns: long row labels wrap over 2–3 lines
    "blank_cells",      # some cells left blank / “—” / “/” / “无” (expected value None)
    "spaced_labels",    # “结 果 维 持”, “总 计”
    "repeated_header",  # table 三's header rows repeated on the next page
    "borderless",       # no ruling lines at all: cells known only from text positions
    "org_total",        # an eighth column 小计 for 法人或其他组织 in table 三
    "old_other_row",    # a 2021 report keeping the 2019 single （六）其他处理 row
    "word_borderless",  # a Word table with its borders removed, label columns so narrow that row labels
                        # wrap over up to five lines; its PDF is LibreOffice's export (not reportlab)
    "web_print",        # a portal page whose zero cells of tables 三 and 四 are left blank, without ruling
                        # lines; its PDF is the page printed by a browser (headless Chromium)
)
BLANK_MARKS = ("", "—", "/", "无")


@dataclass(frozen=True)
class Layout:
    page_break_t3: bool = False
    wrapped_labels: bool = False
    blank_cells: bool = False
    spaced_labels: bool = False
    repeated_header: bool = False
    borderless: bool = False
    org_total: bool = False
    old_other_row: bool = False
    word_borderless: bool = False
    web_print: bool = False

    @classmethod
    def parse(cls, text: str, fmt: str) -> "Layout":
        names = [n for n in text.replace(",", "+").split("+") if n and n != "plain"]
        unknown = [n for n in names if n not in VARIANTS]
        if unknown:
            raise ValueError(f"unknown layout variant(s) {unknown}; known: {', '.join(VARIANTS)}")
        if "old_other_row" in names and fmt != "2021":
            raise ValueError("old_other_row is a variant of the 2021 format only")
        return cls(**{n: True for n in names})

    @property
    def name(self) -> str:
        on = [n for n in VARIANTS[1:] if getattr(self, n)]
        return "+".join(on) or "plain"

    @property
    def no_rules(self) -> bool:
        """Tables drawn without a ruling line (whichever variant asks for it)."""
        return self.borderless or self.word_borderless or self.web_print

    @property
    def t3_split(self) -> bool:
        """Table 三 runs over a page break (explicitly, or to show its repeated header)."""
        return self.page_break_t3 or self.repeated_header


def blank_cells(spec: "ReportSpec", layout: Layout) -> dict[str, str]:
    """Cells the ``blank_cells`` layout leaves without a number: field id → the raw text shown.

    Drawn from the spec's seed, so a spec and a layout always give the same blanks. Blanks stand where
    the form wants a written 0, as agencies leave them: a whole all-zero block of table 四, a few zero
    cells of the rare rows of table 三 (“—”, “/”, “无”, or nothing), zero cells of table 二; now and then
    the 总计 column left empty on every result row while the applicant columns are filled. The
    ``web_print`` layout leaves every zero of tables 三 and 四 empty, as many portals publish them.
    """
    out: dict[str, str] = {}
    if layout.web_print:  # a portal's table: every zero of tables 三 and 四 an empty cell
        out.update((f, "") for f in spec.field_ids(layout)
                   if f.startswith(("t3.", "t4.")) and spec.value(f, layout) == 0)
    if not layout.blank_cells:
        return out
    rng = random.Random(f"blanks:{spec.format}:{spec.seed}:{spec.meta.agency}:{spec.meta.year}")
    fids = spec.field_ids(layout)
    mark = rng.choice(BLANK_MARKS)
    for block, _ in T4_BLOCKS:
        cells = [f"t4.{block}.{c}" for c, _ in T4_COLS]
        if all(spec.values[f] == 0 for f in cells) and rng.random() < 0.6:
            out.update(dict.fromkeys(cells, mark))
    t3_zero = [f for f in fids if f.startswith(("t3.denied.", "t3.rejected.", "t3.unable.unclear"))
               and spec.value(f, layout) == 0]
    for f in rng.sample(t3_zero, min(len(t3_zero), rng.randint(2, 8))):
        out[f] = rng.choice(BLANK_MARKS)
    t2_zero = [f for f in fids if f.startswith("t2.") and spec.value(f, layout) == 0]
    for f in rng.sample(t2_zero, min(len(t2_zero), rng.randint(0, 3))):
        out[f] = rng.choice(("/", "—", "无"))
    if rng.random() < 0.2:
        for f in fids:
            if f.startswith("t3.") and f.endswith(".total") and not f.startswith(("t3.new.", "t3.carried_")):
                out[f] = ""
    if not out:  # every report of this layout shows at least one blank
        out[fids[-1]] = ""
    return out
