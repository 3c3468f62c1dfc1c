"""A rendering-neutral document: the blocks every renderer lays out in order."""
from __future__ import annotations

import random
from dataclasses import dataclass

from .layout import Layout
from .spec import ReportSpec
from .tables import Grid, split_table3, table2, table3, table4


@dataclass
class Block:
    kind: str  # "title" | "preamble" | "heading" | "subheading" | "para" | "table" | "page_break" | "signature"
    text: str = ""
    grid: Grid | None = None
    continued: bool = False  # a table part that continues the table before it (after a page break)


TABLE_SECTIONS = {2: "t2", 3: "t3", 4: "t4"}


def build(spec: ReportSpec, layout: "str | Layout" = "plain") -> list[Block]:
    lay = spec.layout(layout)
    cells = spec.cell_text(lay)
    nar = spec.narrative
    rng = random.Random(f"doc:{spec.seed}:{spec.meta.agency}:{spec.meta.year}:{lay.name}")
    out = [Block("title", spec.meta.title)]
    out += [Block("preamble", p) for p in nar.preamble]
    for sec in nar.sections:
        table = TABLE_SECTIONS.get(sec.number)
        if table == "t3" and lay.t3_split:
            out.append(Block("page_break"))
        out.append(Block("heading", sec.heading))
        for p in sec.paragraphs:
            out.append(Block("subheading" if _is_subheading(p) else "para", p))
        if table == "t2":
            out.append(Block("table", grid=table2(spec.format, cells, lay)))
        elif table == "t3":
            grid = table3(spec.format, cells, lay, spec.dropped_rows)
            if lay.t3_split:
                first, second = split_table3(grid, lay, rng)
                out += [Block("table", grid=first), Block("page_break"), Block("table", grid=second, continued=True)]
            else:
                out.append(Block("table", grid=grid))
        elif table == "t4":
            out.append(Block("table", grid=table4(cells, lay)))
    out.append(Block("signature", spec.meta.office))
    out.append(Block("signature", _cn_date(spec.meta.published)))
    return out


def _is_subheading(p: str) -> bool:
    return p.startswith("（") and len(p) <= 24 and not p.endswith("。")


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
