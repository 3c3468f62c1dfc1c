"""Tables given as a cell stream: the cells in reading order with no row boundaries (``Table.cell_stream``,
a crawler's one-cell-per-line text of a web page with nothing between rows).

Ingest leaves such a list uncut, since only the tables tell where a row ends; this module cuts it with
what the schema knows, and guesses nothing:

- The stream falls into *segments*: a run of label cells, then the run of value cells after it (numbers,
  dashes, 无 and blank cells alike). The label run holds whatever header cells and group labels precede
  the row's own label; the row's label is the one, two or three last cells of the run that match an
  official row best (“（三）不予公开” + “1.属于国家秘密”). Segments whose label matches no row (headers,
  the “第二十条第（一）项” lines and their empty cells) are skipped.
- Segments are tied to the official rows in order (the alignment of ``grid``). A row's values are the
  cells of its segment, in the schema's column order, blank cells counted as cells; an optional column
  (表三's 小计) counts only when its label stands in the header. A segment with another number of cells
  than its row has columns is unreadable, said once for the table, and never cut by guess. The one
  exception is a page's padding column: when every row read ends in the same number k ≥ 1 of blank cells
  beyond its columns (a web table laid out one column wider than the form, its last cell always empty),
  those k trailing blanks are dropped and noted.
- A table printed block after block in one value row (表四) takes the cells after its last header label,
  exactly as many as it has fields, or is unreadable.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.model import Cell, Value, ValueKind
from audit.tables import messages
from audit.tables.grid import Candidate, TableRead, align, best_row_score, cell_value, read_matched
from audit.tables.labels import normalize, reaches
from audit.tables.rows import RawRow, blank, value_like
from audit.tables.schema import ACROSS, TableSchema
from audit.tables.settings import TableSettings


@dataclass
class Segment:
    labels: list[Cell] = field(default_factory=list)
    values: list[Cell] = field(default_factory=list)


def segments(cells: list[Cell | None]) -> list[Segment]:
    """The stream as runs of label cells each followed by the run of value cells after it."""
    out: list[Segment] = []
    for c in cells:
        if c is None:
            continue
        if value_like(c.text):
            if not out:
                out.append(Segment())
            out[-1].values.append(c)
        elif not out or out[-1].values:
            out.append(Segment([c]))
        else:
            out[-1].labels.append(c)
    return out


def segment_rows(cells: list[Cell | None], block: int = -1) -> list[RawRow]:
    """Each segment as a row of its last label cell and its values (for format detection)."""
    return [RawRow([s.labels[-1].text, *(v.text for v in s.values)], [s.labels[-1].span, *(v.span for v in s.values)],
                   block, s.labels[-1].span.page if s.labels[-1].span else None)
            for s in segments(cells) if s.labels]


def _row_key(seg: Segment, table: TableSchema, settings: TableSettings) -> str:
    """The normalised label of a segment: the suffix of its label cells that matches a row best (the
    shortest one of equal score)."""
    best, score = "", -1.0
    for n in range(1, min(settings.max_label_cells, len(seg.labels)) + 1):
        key = "".join(normalize(c.text) for c in seg.labels[-n:])
        s = best_row_score(key, table)
        if s > score + 1e-9:
            best, score = key, s
    return best


def read_stream(table: TableSchema, cells: list[Cell | None], settings: TableSettings) -> TableRead:
    """The fields of one table from its cell stream."""
    segs = segments(cells)
    read = TableRead()
    if table.layout == ACROSS and not any(
            s.labels and any(not blank(v.text) for v in s.values)
            and best_row_score(_row_key(s, table, settings), table, settings.header_match) >= settings.header_match
            for s in segs):
        return _read_across(table, segs, read)
    optional = tuple(dict.fromkeys(
        col.id for s in segs for c in s.labels for col in table.columns
        if col.optional and reaches(normalize(c.text), col.keys, settings.optional_match)))
    cands, of = [], {}
    for s in segs:
        if s.labels:
            cand = Candidate(_row_key(s, table, settings), None, False, {}, [])
            cands.append(cand)
            of[id(cand)] = s
    matched = align(cands, table, settings)
    read.rows_found = len(matched)
    if optional:
        read.variants.append(messages.extra_columns([table.column(c) for c in optional]))
    wrong: list = []
    pad = _padding(table, matched, of, optional)
    if pad:
        read.notes.append(messages.padding_column(table, pad))

    def read_one(row, cand) -> None:
        seg = of[id(cand)]
        columns = table.row_columns(row, optional)
        values = seg.values[:len(seg.values) - pad] if pad else seg.values
        if len(values) != len(columns):
            wrong.append((row, len(seg.values), len(columns)))
            raw = _raw(values)
            span = seg.labels[-1].span
            for c in columns:
                read.values[table.field_id(row, c)] = Value(None, ValueKind.UNREADABLE, raw, table.id, row.full_label,
                                                            c.label, span.page if span else None, span)
            return
        for c, v in zip(columns, values):
            read.values[table.field_id(row, c)] = cell_value(table, row, c, v.text, v.span,
                                                             v.span.page if v.span else None, read)

    read_matched(table, matched, read, read_one)
    if wrong:
        read.unreadable.append(messages.cell_counts(table, wrong))
    if read.rows_found:
        read.notes.append(messages.from_cell_stream(table))
    return read


def _padding(table: TableSchema, matched: dict, of: dict, optional: tuple) -> int:
    """k ≥ 1 when every matched row's segment has exactly k cells more than its columns, all blank and all
    at its end (a padding column of the page's layout); else 0. One row that differs, or a non-blank
    extra cell, and nothing is dropped."""
    extra = set()
    for j, cand in matched.items():
        seg = of[id(cand)]
        k = len(seg.values) - len(table.row_columns(table.rows[j], optional))
        if k < 1 or not all(blank(v.text) for v in seg.values[-k:]):
            return 0
        extra.add(k)
    return extra.pop() if len(extra) == 1 and len(matched) >= 2 else 0


def _raw(cells: list[Cell]) -> str:
    """Cells as the list gave them, each closed by “|” (a blank cell shows as a bare “|”)."""
    return " ".join(f"{c.text.strip()} |".lstrip() for c in cells)


def _read_across(table: TableSchema, segs: list[Segment], read: TableRead) -> TableRead:
    """Every field in one run of values after the header (表四)."""
    pairs = table.cells()
    values = segs[-1].values if segs else []
    if not values:
        read.header_only = any(s.labels for s in segs)
        for row, col in pairs:
            read.values[table.field_id(row, col)] = Value(None, ValueKind.MISSING, "", table.id, row.full_label,
                                                          col.label)
        read.missing_rows.extend(r.id for r in table.rows if not r.optional)
        return read
    read.rows_found = len({r.id for r, _ in pairs})
    if len(values) != len(pairs):
        read.unreadable.append(messages.cells_for_fields(len(values), len(pairs)))
        raw = _raw(values)
        for row, col in pairs:
            read.values[table.field_id(row, col)] = Value(None, ValueKind.UNREADABLE, raw, table.id, row.full_label,
                                                          col.label, values[0].span.page if values[0].span else None)
        return read
    for (row, col), v in zip(pairs, values):
        read.values[table.field_id(row, col)] = cell_value(table, row, col, v.text, v.span,
                                                           v.span.page if v.span else None, read)
    read.notes.append(messages.from_cell_stream(table))
    return read
