"""Plain text as reports reach a reviewer after copy-paste or a crawler: paragraphs with blank lines
between, tables flattened to tab-separated lines (as a PDF's text layer gives them) or pipe-separated
lines (a web scrape), in UTF-8, UTF-8 with BOM or GB18030.

Two more styles, asked for by name (never drawn from the seed), are a crawler's text of the portal page
(``render_html``'s tables walked cell by cell; paragraphs one a line, no page breaks):

- ``cells``: every table cell on a line of its own followed by “ |”, an empty cell a lone “|”, and no
  row boundaries; a run of empty cells sometimes stands on one line (“||”, “|||”);
- ``cell_rows``: the same with a lone “|” line opening each row, and a row's empty cells written after
  the cell before them (“第二十条第（一）项 | |||”, “0 | |”), or, opening a row, on one line of pipes.

In both, a heading cell spanning the whole table (表二's “第二十条第（一）项”) comes with empty cells for
the columns it spans, as many portals' tables have them; other merged cells give one cell (a DOM walk).
"""
from __future__ import annotations

import random

from .document import build
from .layout import Layout
from .render_html import wrap
from .spec import ReportSpec
from .tables import Grid

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
DRAWN_STYLES = ("tab", "pipe")  # the styles an unset ``style`` is drawn from
CRAWL_STYLES = ("cells", "cell_rows")  # a crawler's cell-per-line text, without and with row markers
STYLES = DRAWN_STYLES + CRAWL_STYLES
MERGE_EMPTY = 0.5  # chance that a run of empty cells in a ``cells`` list stands on one line


def render_txt(spec: ReportSpec, layout: "str | Layout" = "plain", encoding: str | None = None,
               style: str | None = None) -> bytes:
    lay = spec.layout(layout)
    rng = random.Random(f"txt:{spec.seed}:{spec.meta.agency}:{spec.meta.year}")
    encoding = encoding or rng.choice(ENCODINGS)
    style = style or rng.choice(DRAWN_STYLES)
    if encoding not in ENCODINGS or style not in STYLES:
        raise ValueError(f"txt encoding must be one of {ENCODINGS}, style one of {STYLES}")
    if style in CRAWL_STYLES:
        return _crawl(spec, lay, style).encode(encoding)
    lines: list[str] = []
    page = 3
    for b in build(spec, lay):
        if b.kind == "table":
            lines += _table(b.grid, lay, style)
            lines.append("")
        elif b.kind == "page_break":
            if lines and lines[-1] == "":
                lines.pop()
            lines += ["", f"- {page} -", ""]
            page += 1
        else:
            lines += [b.text, ""]
    text = "\n".join(lines).rstrip("\n") + "\n"
    return text.encode(encoding)


def _table(g: Grid, lay: Layout, style: str) -> list[str]:
    sep = "\t" if style == "tab" else "|"
    out = []
    for row in g.rows:
        texts = ["" if c is None else c.text for c in row]
        extra: list[list[str]] = []
        if lay.wrapped_labels:
            for i in range(g.label_cols if g.table != "t4" else 0):
                c = row[i]
                if c is not None and c.kind == "label" and len(c.text) > 10:
                    parts = wrap(c.text, 10)
                    texts[i] = parts[0]
                    for j, part in enumerate(parts[1:]):
                        if len(extra) <= j:
                            extra.append([""] * g.n_cols)
                        extra[j][i] = part
        out.append(_join(texts, sep, style))
        out += [_join(e, sep, style).rstrip(sep + " ") for e in extra]
    return out


def _join(texts: list[str], sep: str, style: str) -> str:
    if style == "pipe":
        return "| " + " | ".join(texts) + " |"
    return sep.join(texts)


def _crawl(spec: ReportSpec, lay: Layout, style: str) -> str:
    """The report as a crawler's text of its web page: paragraphs one a line, tables cell by cell."""
    rng = random.Random(f"crawl:{spec.seed}:{spec.meta.agency}:{spec.meta.year}:{lay.name}")
    lines: list[str] = []
    for b in build(spec, lay):
        if b.kind == "table":
            lines += cell_lines([_row_cells(b.grid, row) for row in b.grid.rows], markers=style == "cell_rows", rng=rng)
        elif b.kind != "page_break":
            lines.append(b.text)
    return "\n".join(lines) + "\n"


def _row_cells(g: Grid, row: list) -> list[str]:
    """A row's cells as a walk of the page's table finds them: one per cell (``None`` is a position a
    merged cell covers); a heading cell across the whole table followed by an empty cell per column
    it spans."""
    out = []
    for c in row:
        if c is None:
            continue
        out.append(c.text)
        if c.kind == "head" and c.colspan == g.n_cols:
            out += [""] * (c.colspan - 1)
    return out


def cell_lines(rows: list[list[str]], markers: bool, rng: random.Random | None = None) -> list[str]:
    """Rows of cell texts as a crawler's cell list: “text |” per cell.

    Without ``markers`` the rows run on with nothing between them, an empty cell is a lone “|”, and a run
    of empty cells stands on one line (“|||”) when ``rng`` draws it so (never without ``rng``). With
    ``markers`` a lone “|” opens each row, and a row's empty cells follow the cell before them on its
    line (“0 | |”) or, opening the row, stand on one line of pipes (one empty cell alone there would read
    as another marker)."""
    out: list[str] = []
    groups = [[t for row in rows for t in row]] if not markers else rows
    for texts in groups:
        if markers:
            out.append("|")
        i = 0
        while i < len(texts):
            if texts[i]:
                out.append(f"{texts[i]} |")
                i += 1
                continue
            j = i
            while j < len(texts) and not texts[j]:
                j += 1
            run = j - i
            if not markers:
                out += ["|" * run] if run > 1 and rng is not None and rng.random() < MERGE_EMPTY else ["|"] * run
            elif i == 0:
                out.append("|" * run)
            else:
                out[-1] += " " + "|" * run
            i = j
    return out
