"""Find tables 二, 三 and 四 in a document: which grids (and which short row-like lines of body text)
belong to which table, in reading order.

A grid is given to the table whose row and column labels it matches best (a table split over several
grids, by a page break or by blank lines in a text file, gathers them all); a grid with no label of its
own (a bare row of numbers) follows the grid before it in the same section. A line of body text counts
as a row when it is short, starts with a label that matches a row well and ends in values (“行政许可 97”
in a markdown conversion). Labels of both formats are used: the format is settled afterwards.

A cell stream (a table whose input gave no row boundaries) goes whole to the table its cells' labels
match best; ``cells`` cuts it into rows.

A label left on text lines directly above a bare row of numbers (a conversion that put “（二）部分公开
（区分处理的，只计这一情 / 形，不计其他情形）” on two lines of text and “| 2 | 0 | … | 2 |” under them) is a hint
for that row's label (``RawRow.label_above``: ``grid`` places the row by order and the hint must agree) —
only when nothing else can claim those numbers: the lines run straight down to the grid
(no other grid, value or prose between), together they match one official row well, they hold at most one
numbered row label (1./2./…) and no two whole row labels, and no bare row of numbers stands right above
them (a label under its own numbers would be read as the next row's). Two labels stacked above one value
row (“5.属于三类内部事务信息” then “1.本机关不掌握相关政府信息”, a row of each table part) would be a guess:
the numbers stay unlabelled, and ``grid`` places them by row order only where ``order`` finds that
certain and confirmed, else reads the rows they may belong to as unreadable, never as absent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.model import Cell, Document, Paragraph, Table
from audit.tables.labels import best_at_least, normalize, reaches
from audit.tables.rows import RawRow, value_like
from audit.tables.schema import FormatSchema
from audit.tables.settings import TableSettings
_SPLIT = re.compile(r"\t|\|")
_ROW_NUMBER = re.compile(r"(?<![\d.])\d{1,2}\s*[.．](?!\d)")  # 1.属于国家秘密, 2.其他法律…
_CAPTION = re.compile(r"^(?:表|注|说明|第二十条)")
_LABEL_THEN_VALUES = re.compile(r"^(.*?[^\d\s.,，\-])\s+((?:[-+]?[\d.,]+|[—/／无-])(?:\s+(?:[-+]?[\d.,]+|[—/／无-]))*)$")


@dataclass
class Located:
    """What belongs to each table: grid rows and row-like lines, in reading order; and the cells of
    cell streams (``Table.cell_stream``: no row boundaries, read by ``cells``)."""

    rows: dict[str, list[RawRow]] = field(default_factory=dict)
    grids: dict[str, int] = field(default_factory=dict)  # table id → grids found
    streams: dict[str, list[Cell]] = field(default_factory=dict)  # table id → its streams' cells


def _keys(schemas: list[FormatSchema]) -> dict[str, tuple[set[str], set[str], set[str]]]:
    """table id → (row keys, column keys, group keys) over every format."""
    out: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for s in schemas:
        for t in s.tables:
            rows, cols, groups = out.setdefault(t.id, (set(), set(), set()))
            rows.update(k for r in t.rows for k in r.keys)
            cols.update(k for c in t.columns for k in c.keys)
            groups.update(t.group_keys)
    return out


def _best(key: str, keys: set[str], floor: float) -> float:
    """The best similarity of ``key`` to ``keys`` when it reaches ``floor``, else 0.0."""
    return best_at_least(key, keys, floor)


def _line_score(key: str, keys: tuple[set[str], set[str], set[str]], floor: float) -> float:
    """How well a row-like line's key reads as one of a table's rows, its group's label allowed before it
    (“三、本年度办理结果 | （一）予以公开 | …”, a grid row that starts its group, printed as one line): the
    score when it reaches ``floor``, else 0.0."""
    rows, _, groups = keys
    best = _best(key, rows, floor)
    for g in groups:
        if len(key) > len(g) and key.startswith(g):
            best = max(best, _best(key[len(g):], rows, floor))
    return best


def _grid_rows(table: Table, index: int) -> list[RawRow]:
    out = []
    for row in table.rows:
        texts = [None if c is None else c.text for c in row]
        spans = [None if c is None else c.span for c in row]
        page = next((s.page for s in spans if s is not None and s.page is not None), table.page)
        out.append(RawRow(texts, spans, index, page))
    return out


def _score(rows: list[RawRow], keys: tuple[set[str], set[str], set[str]], settings: TableSettings) -> float:
    row_keys, col_keys, _ = keys
    score = 0.0
    for r in rows:
        if reaches(r.key, row_keys, settings.row_match):
            score += 1.0
        for c in r.cells:
            if c and reaches(normalize(c), col_keys, settings.column_match):
                score += settings.column_weight
    return score


def _line_rows(par: Paragraph, index: int, settings: TableSettings) -> list[RawRow]:
    """Short lines of body text that read as a row: cells apart (tabs, pipes, or a label, a space and
    spaced values). A label with digits run on to it is left to the running-text reader."""
    out = []
    for ln in par.lines or []:
        text = ln.text.strip()
        if not text or len(text) > settings.max_line:
            continue
        if _SPLIT.search(text):
            cells = [c.strip() for c in _SPLIT.split(text)]
        else:
            m = _LABEL_THEN_VALUES.match(text)
            if not m:
                continue
            cells = [m.group(1), *m.group(2).split()]
        out.append(RawRow(cells, [ln.span] * len(cells), index, ln.span.page))
    return out


def _label_above(doc: Document, index: int, keys: tuple[set[str], set[str], set[str]],
                 settings: TableSettings) -> RawRow | None:
    """The text lines directly above grid ``index`` as one row label, when they are one (see the module's
    docstring); a ``RawRow`` holding just that label, else None."""
    lines = []
    j = index - 1
    while j >= 0 and isinstance(doc.blocks[j], Paragraph):
        text = doc.blocks[j].text.strip()
        if not text or len(text) > settings.max_line or value_like(text) or _SPLIT.search(text) or _CAPTION.match(text):
            break
        lines.insert(0, doc.blocks[j])
        j -= 1
    if not lines:
        return None
    if j >= 0 and isinstance(doc.blocks[j], Table) and _ends_bare(doc.blocks[j]):
        return None  # between two rows of bare numbers: the label may be either's (a label under its numbers)
    text = "".join(p.text.strip() for p in lines)
    if len(_ROW_NUMBER.findall(text)) > 1:
        return None  # two row labels above one row of numbers: which one is a guess
    row_keys, _, group_keys = keys
    key = normalize(text)
    if _labels_within(key, row_keys - group_keys) > 1:
        return None  # two whole labels (一、本年新收… 二、上年结转…), however numbered
    stripped = key
    for g in sorted(group_keys, key=len, reverse=True):
        stripped = stripped.replace(g, "")
    if not (reaches(key, row_keys, settings.row_match) or reaches(stripped, row_keys, settings.row_match)):
        return None
    span = lines[0].lines[0].span if lines[0].lines else None
    return RawRow([text], [span], index - len(lines), span.page if span else None)


def _ends_bare(table: Table) -> bool:
    """Whether the grid's last row with text is numbers without a label."""
    for row in reversed(table.rows):
        texts = [c.text for c in row if c is not None and c.text and c.text.strip()]
        if texts:
            return all(value_like(t) for t in texts)
    return False


def _labels_within(key: str, row_keys: set[str]) -> int:
    """How many official row labels (of four or more characters; a group's label is none: “其他处理” is a
    row of one format and a group of the other) stand whole and apart in ``key``."""
    spans = sorted(((m, m + len(k)) for k in row_keys if len(k) >= 4 for m in [key.find(k)] if m >= 0),
                   key=lambda s: s[0] - s[1])
    taken: list[tuple[int, int]] = []
    for a, b in spans:
        if all(b <= x or a >= y for x, y in taken):
            taken.append((a, b))
    return len(taken)


def _labelled(rows: list[RawRow], label: RawRow | None) -> list[RawRow]:
    """The grid's rows with ``label`` put in front of its first row when that row has no label."""
    if label is None or not rows or rows[0].key or not rows[0].has_values:
        return rows
    first = rows[0]
    joined = RawRow([label.cells[0], *first.cells], [label.spans[0], *first.spans], first.block, first.page,
                    label_above=True)
    return [joined, *rows[1:]]


def _in_section(section: int | None, table_section: int | None, settings: TableSettings) -> float:
    return settings.section_bonus if section is not None and section == table_section else 0.0


def locate(doc: Document, schemas: list[FormatSchema], settings: TableSettings) -> Located:
    keys = _keys(schemas)
    tids = list(keys)
    sections = {t.id: t.section for s in schemas for t in s.tables}
    found = Located(rows={t: [] for t in tids}, grids={t: 0 for t in tids})
    previous: tuple[str, int | None] | None = None  # (table id, section) of the last grid placed
    for i, block in enumerate(doc.blocks):
        section = doc.section_of_block(i)
        if isinstance(block, Table) and block.cell_stream:
            cells = [c for row in block.rows for c in row if c is not None]
            one_each = [RawRow([c.text], [c.span], i, c.span.page if c.span else block.page) for c in cells]
            scores = {t: _score(one_each, keys[t], settings) + _in_section(section, sections[t], settings)
                      for t in tids}
            tid = max(tids, key=lambda t: scores[t])
            if scores[tid] >= settings.table_score_min:
                found.streams.setdefault(tid, []).extend(cells)
                found.grids[tid] += 1
                previous = (tid, section)
        elif isinstance(block, Table):
            rows = _grid_rows(block, i)
            scores = {t: _score(rows, keys[t], settings) + _in_section(section, sections[t], settings)
                      for t in tids}
            tid = max(tids, key=lambda t: scores[t])
            if scores[tid] < settings.table_score_min:
                if previous is None or not any(r.has_values for r in rows) or previous[1] != section:
                    continue
                tid = previous[0]
                rows = _labelled(rows, _label_above(doc, i, keys[tid], settings))
            found.rows[tid].extend(rows)
            found.grids[tid] += 1
            previous = (tid, section)
        elif isinstance(block, Paragraph):
            for row in _line_rows(block, i, settings):
                if not row.has_values or not row.key:
                    continue
                best = {t: _line_score(row.key, keys[t], settings.line_match) for t in tids}
                tid = max(tids, key=lambda t: best[t])
                if best[tid] >= settings.line_match:
                    found.rows[tid].append(row)
    return found
