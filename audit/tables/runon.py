"""Tables found only in body text: a crawler's page where a row's cells run together
(“本年新收政府信息公开申请数量230 000023”), or a row left as loose text by a conversion.

The table starts where its column labels stand together; each official row is looked for in order, and
is read from the digits that follow its label. Those digits are cut into the row's cells only when the
cut is unique (no leading zeros but a lone 0, a decimal point only in an amount, the right number of
cells). When several cuts remain and the table declares a row identity (总计 = the sum of the applicant
columns), the one cut that satisfies it is taken, and the row is recorded in ``identity_resolved``
so the checks do not count that identity as confirmed. Otherwise the row's cells are unreadable, and
the table's ``not_assessable`` reason says why, once.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from audit.model import Document, Span, Value, ValueKind
from audit.model import Text
from audit.tables import messages
from audit.tables.grid import TableRead, cell_value
from audit.tables.labels import normalize
from audit.tables.schema import ACROSS, AMOUNT, ColumnSchema, FormatSchema, RowSchema, TableSchema
from audit.tables.values import splits

_GAP = r"[\s“”\"'‘’（）()，,、.．:：;；《》\-—]*"
_VALUE_RUN = re.compile(r"[\s)）”\"’」】]*((?:-?\d+(?:\.\d+)?\s*)+)(万元|元)?")
_COUNTER_WORDS = frozenset("件条项个人次户份起宗余%％，,。；;、")
HEADER_WINDOW = 60  # column labels this close together mark the start of a table
LEFTOVER = 4  # characters of other text tolerated between a table's labels and its values


@dataclass
class BodyText:
    """The document's running text, and where each offset came from."""

    text: str
    starts: list[int]
    pages: list[int | None]
    lines: list[int | None]

    def span(self, start: int, end: int) -> Span:
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        base = self.starts[i] if self.starts else 0
        return Span(page=self.pages[i] if self.pages else None, line=self.lines[i] if self.lines else None,
                    start=start - base, end=end - base)


def body_text(doc: Document) -> BodyText:
    parts, starts, pages, lines = [], [], [], []
    pos = 0
    for p in doc.paragraphs:
        starts.append(pos)
        pages.append(p.page)
        lines.append(p.lines[0].span.line if p.lines else None)
        parts.append(p.text)
        pos += len(p.text) + 1
    return BodyText("\n".join(parts), starts, pages, lines)


@lru_cache(maxsize=4096)
def label_pattern(key: str) -> re.Pattern:
    """A label's normalised text, allowing spaces and punctuation between its characters."""
    return re.compile(_GAP.join(re.escape(ch) for ch in key))


def _anchor(table: TableSchema, text: str, start: int = 0) -> int | None:
    """Where the table's header starts: the first place two of its column labels (for a table printed
    block after block, its block labels too) stand close together, with no figure between them."""
    headers = (*table.columns, *table.rows) if table.layout == ACROSS else table.columns
    hits = sorted(
        (m.start(), c.id)
        for c in headers
        for k in c.keys
        if len(k) >= 3
        for m in label_pattern(k).finditer(text, start)
    )
    for i, (pos, cid) in enumerate(hits):
        for p, other in hits[i + 1:i + 8]:
            between = text[pos:p]
            if (p - pos <= HEADER_WINDOW and other != cid and not re.search(r"\d", between)
                    and _leftover(table, between) <= LEFTOVER):
                return pos
    return None


def _leftover(table: TableSchema, between: str) -> int:
    """Characters of ``between`` that occur in none of the table's labels (a header cut into pieces
    by a narrow column leaves only label characters; prose leaves many others)."""
    return sum(ch not in _label_chars(table) for ch in normalize(between))


@lru_cache(maxsize=16)
def _label_chars(table: TableSchema) -> frozenset[str]:
    return frozenset("".join(k for x in (*table.rows, *table.columns) for k in x.keys) + "".join(table.group_keys))


def _run_at(text: str, pos: int, end: int) -> tuple[str, int, int, str | None] | None:
    """The value run right at ``pos``: (its text, start, end, unit). A digit run straight before “.”
    ends in the next row's numbering (…00000002.其他法律…): that digit is cut off."""
    m = _VALUE_RUN.match(text, pos, end)
    if not m:
        return None
    run, unit, stop = m.group(1), m.group(2), m.end()
    if unit is None and text[m.end(1):m.end(1) + 1] in ".．、":
        run = re.sub(r"\s*\d$", "", run.rstrip())
        stop = m.start(1) + len(run)
    if not run.strip() or (unit is None and text[stop:stop + 1] in _COUNTER_WORDS):
        return None  # “…97件”: a figure in a sentence, not a cell
    return run, m.start(1), stop, unit


def _runs_with_offsets(run: str, start: int) -> list[tuple[str, int]]:
    return [(m.group(0), start + m.start()) for m in re.finditer(r"-?\d+(?:\.\d+)?", run)]


def _satisfies(table: TableSchema, cells: dict[tuple[str, str], str]) -> bool:
    for total, terms in table.row_identity:
        for row in {r for r, _ in cells}:
            if (row, total) in cells and all((row, t) in cells for t in terms):
                if Decimal(cells[(row, total)]) != sum(Decimal(cells[(row, t)]) for t in terms):
                    return False
    return True


def _resolve(table: TableSchema, pairs: list[tuple[RowSchema, ColumnSchema]], parts: list[str]
             ) -> tuple[list[str] | None, bool, int]:
    """The one way to cut ``parts`` into the cells ``pairs``: (cells, by identity?, ways found)."""
    ways = splits(parts, len(pairs))
    ways = [w for w in ways if all("." not in cell or col.type == AMOUNT for cell, (_, col) in zip(w, pairs))]
    if len(ways) == 1:
        return ways[0], False, 1
    if len(ways) > 1 and table.row_identity:
        fitting = [w for w in ways if _satisfies(table, {(r.id, c.id): x for x, (r, c) in zip(w, pairs)})]
        if len(fitting) == 1:
            return fitting[0], True, len(ways)
    return None, False, len(ways)


def _store_cells(table: TableSchema, pairs, run: str, start: int, unit: str | None, body: BodyText,
                 read: TableRead, what: Text) -> None:
    parts = _runs_with_offsets(run, start)
    cells, by_identity, ways = _resolve(table, pairs, [p for p, _ in parts])
    if cells is None:
        read.unreadable.append(messages.run_together(what, run, ways, len(pairs)))
        for row, col in pairs:
            read.values[table.field_id(row, col)] = Value(
                None, ValueKind.UNREADABLE, " ".join(run.split()), table.id, row.full_label, col.label,
                body.span(start, start + len(run)).page, body.span(start, start + len(run)))
        return
    if by_identity:
        for row in dict.fromkeys(r for r, _ in pairs):
            read.identity_resolved[f"{table.id}.{row.id}"] = _identity_text(table)
    for (row, col), cell, off in zip(pairs, cells, _cell_offsets(cells, parts)):
        text = cell + (unit or "") if unit and col.type == AMOUNT else cell
        span = body.span(off, off + len(cell))
        read.values[table.field_id(row, col)] = cell_value(table, row, col, text, span, span.page, read)


def _cell_offsets(cells: list[str], parts: list[tuple[str, int]]) -> list[int]:
    out, i, used = [], 0, 0
    for cell in cells:
        while used >= len(parts[i][0]):
            i, used = i + 1, 0
        out.append(parts[i][1] + used)
        used += len(cell)
    return out


def _identity_text(table: TableSchema) -> str:
    return "; ".join(f"{total} = {' + '.join(terms)}" for total, terms in table.row_identity)


def _region(table: TableSchema, schema: FormatSchema, text: str) -> tuple[int, int] | None:
    start = _anchor(table, text)
    if start is None:
        return None
    ends = [a for t in schema.tables if t.id != table.id and (a := _anchor(t, text, start + 1)) is not None]
    return start, min(ends, default=len(text))


def read_text(table: TableSchema, body: BodyText, schema: FormatSchema, only: set[str] | None = None) -> TableRead:
    """The table's fields from running text. With ``only``, just those rows, each looked for anywhere
    (rows a conversion left as loose lines beside a grid that holds the others)."""
    read = TableRead()
    text = body.text
    region = _region(table, schema, text) if only is None else (0, len(text))
    if region is None:
        return read
    start, end = region
    if only is not None:
        _read_rows(table, body, read, start, end, [r for r in table.rows if r.id in only], sequential=False)
        return read
    if table.layout == ACROSS:
        first = re.search(r"\d", text[start:end])
        if not first:
            return read
        at = start + first.start()
        found = _run_at(text, at, end)
        if found is None or _leftover(table, text[start:at]) > LEFTOVER:
            return read
        run, rs, _, unit = found
        read.rows_found = len(table.rows)
        _store_cells(table, table.cells(), run, rs, unit, body, read, messages.table(table))
        _note(table, read)
        return read
    found_ids = _read_rows(table, body, read, start, end, list(table.rows), sequential=True)
    if read.rows_found:
        for row in table.rows:
            if row.id not in found_ids and not row.optional:
                for c in table.row_columns(row):
                    read.values[table.field_id(row, c)] = Value(None, ValueKind.MISSING, "", table.id, row.full_label, c.label)
                if not any(row.id in r.replaces for r in table.rows if r.id in found_ids):
                    read.missing_rows.append(row.id)
            elif row.id in found_ids and row.replaces:
                read.variants.append(messages.superseded(table, row))
        _note(table, read)
    return read


def _read_rows(table: TableSchema, body: BodyText, read: TableRead, start: int, end: int,
               rows: list[RowSchema], sequential: bool) -> set[str]:
    """Each row's label followed by its digits; in order from ``start`` when ``sequential``."""
    text = body.text
    pos = start
    header_end = None
    found_ids: set[str] = set()
    for row in rows:
        if row.replaces and any(r in found_ids for r in row.replaces):
            continue
        hit = None
        for key in row.keys:
            for m in label_pattern(key).finditer(text, pos if sequential else start, end):
                run = _run_at(text, m.end(), end)
                if run is not None:
                    hit = (m, run)
                    break
            if hit:
                break
        if hit is None:
            continue
        m, (run, rs, re_end, unit) = hit
        if header_end is None:
            header_end = m.start()
        found_ids.add(row.id)
        optional = tuple(c.id for c in table.columns
                         if c.optional and any(label_pattern(k).search(text, start, header_end) for k in c.keys))
        pairs = [(row, c) for c in table.row_columns(row, optional)]
        _store_cells(table, pairs, run, rs, unit, body, read, messages.row(row))
        if sequential:
            pos = re_end
    read.rows_found += len(found_ids)
    return found_ids


def _note(table: TableSchema, read: TableRead) -> None:
    read.notes.append(messages.from_running_text(table))
    if read.identity_resolved:
        rows = sorted(r.split(".", 1)[1] for r in read.identity_resolved)
        read.notes.append(messages.identity_chosen(table, rows))
