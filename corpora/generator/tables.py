"""Tables 二, 三 and 四 as cell grids in the official layouts, shared by every renderer.

A ``Grid`` is a list of rows; each row holds a ``GCell`` at the position where a cell starts and ``None``
where a merged cell covers the position (as python-docx, HTML rowspan/colspan and pdfplumber see them).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from .formats import (T3_COLS, T3_GROUP_LABEL, T3_NOTE, T3_ORG_COLS, T4_BLOCKS, T4_COLS, T3Row, t2_rows,
                      t3_result_rows, T3_HEAD_ROWS, T3_TAIL_ROWS)
from .layout import Layout


@dataclass
class GCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # "label" | "head" | "num" | "note" | "group" (the vertical 三、本年度办理结果)
    fid: str | None = None


@dataclass
class Grid:
    table: str  # "t2" | "t3" | "t4"
    n_cols: int
    rows: list[list[GCell | None]] = field(default_factory=list)
    header_rows: int = 0  # how many leading rows are column headers
    label_cols: int = 1  # how many leading columns hold row labels

    def add(self, cells: list[GCell | None]) -> None:
        assert len(cells) == self.n_cols, (self.table, len(cells), self.n_cols)
        self.rows.append(cells)


def spaced(text: str) -> str:
    """“结果维持” → “结 果 维 持” (short labels only, as agencies space them to fill a cell)."""
    return " ".join(text) if 2 <= len(text) <= 6 else text


def _head(text: str, lay: Layout, **kw) -> GCell:
    return GCell(spaced(text) if lay.spaced_labels else text, kind="head", **kw)


def _span(cell: GCell) -> list[GCell | None]:
    return [cell] + [None] * (cell.colspan - 1)


# ------------------------------------------------------------------------------------------- table 二

def table2(fmt: str, cells: dict[str, str], lay: Layout) -> Grid:
    g = Grid("t2", 4, label_cols=1)
    clause = None
    header = None
    for row in t2_rows(fmt):
        hdr = tuple(h for _, h in row.cols)
        if row.clause != clause:
            g.add(_span(GCell(row.clause, colspan=4, kind="head")))
            clause = row.clause
            header = None
        if hdr != header:
            heads = [_head("信息内容", lay)]
            heads += _fill_cols([_head(h, lay) for h in hdr])
            g.add(heads)
            header = hdr
        line: list[GCell | None] = [GCell(row.label)]
        line += _fill_cols([GCell(cells[f"t2.{row.row}.{c}"], kind="num", fid=f"t2.{row.row}.{c}") for c, _ in row.cols])
        g.add(line)
    return g


def _fill_cols(cells: list[GCell]) -> list[GCell | None]:
    """Spread 1–3 cells over the three value columns; the last one spans what is left."""
    out: list[GCell | None] = []
    for i, c in enumerate(cells):
        if i == len(cells) - 1:
            c.colspan = 3 - len(out)
        out += _span(c)
    return out


# ------------------------------------------------------------------------------------------- table 三

def t3_columns(lay: Layout) -> list[tuple[str, str]]:
    cols = list(T3_COLS)
    if lay.org_total:
        cols.insert(1, ("org_total", "小计"))
    return cols


def t3_header(lay: Layout) -> list[list[GCell | None]]:
    cols = t3_columns(lay)
    n_num = len(cols)
    n_org = len(T3_ORG_COLS) + (1 if lay.org_total else 0)
    r0 = [GCell(T3_NOTE, rowspan=3, colspan=3, kind="note"), None, None] + _span(_head("申请人情况", lay, colspan=n_num))
    r1 = [None, None, None, _head("自然人", lay, rowspan=2)]
    r1 += _span(_head("法人或其他组织", lay, colspan=n_org)) + [_head("总计", lay, rowspan=2)]
    r2: list[GCell | None] = [None, None, None, None]
    r2 += [_head(label, lay) for cid, label in cols if cid not in ("natural", "total")] + [None]
    return [r0, r1, r2]


def _row_label(row: T3Row, lay: Layout) -> str:
    if lay.spaced_labels and row.row == "result_total":
        return "（七）总 计"
    return row.label


def table3(fmt: str, cells: dict[str, str], lay: Layout, dropped: tuple[str, ...] = ()) -> Grid:
    """Table 三 with its three label columns: item, group （三）…（六）, sub-item; ``dropped`` rows left out."""
    cols = t3_columns(lay)
    g = Grid("t3", 3 + len(cols), header_rows=3, label_cols=3)
    for r in t3_header(lay):
        g.add(r)

    def nums(row_id: str) -> list[GCell | None]:
        return [GCell(cells[f"t3.{row_id}.{c}"], kind="num", fid=f"t3.{row_id}.{c}") for c, _ in cols]

    for row in T3_HEAD_ROWS:
        if row.row not in dropped:
            g.add(_span(GCell(row.label, colspan=3)) + nums(row.row))
    results = [r for r in (*t3_result_rows(fmt, old_other_row=lay.old_other_row), T3_TAIL_ROWS[0]) if r.row not in dropped]
    group_label = "三、本 年 度 办 理 结 果" if lay.spaced_labels else T3_GROUP_LABEL
    for i, row in enumerate(results):
        first = GCell(group_label, rowspan=len(results), kind="group") if i == 0 else None
        if row.group is None:
            g.add([first] + _span(GCell(_row_label(row, lay), colspan=2)) + nums(row.row))
            continue
        members = [r for r in results if r.group == row.group]
        grp = GCell(row.group, rowspan=len(members)) if members[0] is row else None
        g.add([first, grp, GCell(row.label)] + nums(row.row))
    row = T3_TAIL_ROWS[1]
    if row.row not in dropped:
        g.add(_span(GCell(row.label, colspan=3)) + nums(row.row))
    return g


def split_table3(g: Grid, lay: Layout, rng: random.Random) -> tuple[Grid, Grid]:
    """Cut table 三 at a page break inside its result rows.

    Label cells that span the cut are shortened on the first page and restarted on the next; the rest
    of the vertical “三、本年度办理结果” lands on the next page (the stray “果” of real text layers). With
    ``page_break_t3`` the label of the last row on the first page wraps and its last characters open the
    next page in a row of their own with empty number cells. With ``repeated_header`` the next page
    starts with the header rows again.
    """
    first_result = g.header_rows + 2
    cut = rng.randint(first_result + 3, first_result + 10)  # last row on the first page
    part1 = [list(r) for r in g.rows[: cut + 1]]
    rest = [list(r) for r in g.rows[cut + 1:]]
    owners = _owners(g.rows)
    crossing = []  # (col, cell) of label cells that run past the cut
    seen = set()
    for col in range(g.label_cols):
        ri, ci = owners[(cut, col)]
        cell = g.rows[ri][ci]
        if ri + cell.rowspan - 1 > cut and (ri, ci) not in seen:
            seen.add((ri, ci))
            text1, text2 = cell.text, ""
            if cell.kind == "group":
                k = max(1, len(cell.text) - rng.randint(1, 2))
                text1, text2 = cell.text[:k], cell.text[k:].strip()
            part1[ri][ci] = GCell(text1, cut - ri + 1, cell.colspan, cell.kind)
            crossing.append((ci, GCell(text2, ri + cell.rowspan - 1 - cut, cell.colspan, cell.kind)))
    if lay.page_break_t3:
        ri, ci = owners[(cut, g.label_cols - 1)]
        label = part1[ri][ci]
        k = max(2, len(label.text) - rng.randint(1, 3))
        part1[ri][ci] = GCell(label.text[:k], label.rowspan, label.colspan, label.kind)
        cont: list[GCell | None] = [None] * g.n_cols
        cont[ci] = GCell(label.text[k:], colspan=label.colspan)
        for j in range(ci + 1, ci + label.colspan):
            cont[j] = None
        for j in range(g.label_cols, g.n_cols):
            cont[j] = GCell("", kind="num")
        for col, cell in crossing:
            cell.rowspan += 1
            cont[col] = cell
        for col in range(g.label_cols):  # label columns not covered yet get an empty cell
            if not any(c is not None and j <= col < j + c.colspan for j, c in enumerate(cont[:col + 1])):
                cont[col] = GCell("")
        rest.insert(0, cont)
    else:
        for col, cell in crossing:
            rest[0][col] = cell
    header = [list(r) for r in g.rows[: g.header_rows]] if lay.repeated_header else []
    return (Grid("t3", g.n_cols, part1, g.header_rows, g.label_cols),
            Grid("t3", g.n_cols, header + rest, len(header), g.label_cols))


def _owners(rows: list[list[GCell | None]]) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) → (row, col) of the cell that covers it."""
    out = {}
    for ri, row in enumerate(rows):
        for ci, c in enumerate(row):
            if c is not None:
                for dr in range(c.rowspan):
                    for dc in range(c.colspan):
                        out[(ri + dr, ci + dc)] = (ri, ci)
    return out


# ------------------------------------------------------------------------------------------- table 四

def table4(cells: dict[str, str], lay: Layout) -> Grid:
    g = Grid("t4", 15, header_rows=3, label_cols=0)
    g.add(_span(_head("行政复议", lay, colspan=5)) + _span(_head("行政诉讼", lay, colspan=10)))
    r1: list[GCell | None] = [_head(label, lay, rowspan=2) for _, label in T4_COLS]
    r1 += _span(_head(T4_BLOCKS[1][1], lay, colspan=5)) + _span(_head(T4_BLOCKS[2][1], lay, colspan=5))
    g.add(r1)
    g.add([None] * 5 + [_head(label, lay) for _, label in T4_COLS] * 2)
    g.add([GCell(cells[f"t4.{b}.{c}"], kind="num", fid=f"t4.{b}.{c}") for b, _ in T4_BLOCKS for c, _ in T4_COLS])
    return g
