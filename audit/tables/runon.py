"""Tables found only in body text: a crawler's page where a row's cells run together
(“本年新收政府信息公开申请数量230 000023”), or a row left as loose text by a conversion.

The table starts where its column labels stand together; each official row is looked for in order, and
is read from the digits that follow its label. Those digits are cut into the row's cells when the cut is
unique (no leading zeros but a lone 0, a decimal point only in an amount, the right number of cells).
A run that cuts several ways waits until the table is read: :mod:`audit.tables.resolve` then keeps the
splits that the figures the body text states and the table's identities (row sums, column sums, the
balance) allow, and takes a run's split only when exactly one is consistent. Such a value's ``origin``
says what settled it; the identities used are recorded (``identities_used``, ``identity_resolved``) so
the checks do not count them as confirmed; body figures are kept in ``stated``. Otherwise the run's cells
are unreadable, and the table's ``not_assessable`` reason says why, once.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from audit.model import Document, Span, Value, ValueKind
from audit.model import Text
from audit.tables import messages, resolve
from audit.tables.grid import TableRead, cell_value
from audit.tables.labels import normalize
from audit.tables.schema import ACROSS, AMOUNT, ColumnSchema, FormatSchema, RowSchema, TableSchema
from audit.tables.settings import TableSettings
from audit.tables.values import splits

_GAP = r"[\s“”\"'‘’（）()，,、.．:：;；《》\-—]*"
_VALUE_RUN = re.compile(r"[\s)）”\"’」】]*((?:-?\d+(?:\.\d+)?\s*)+)(万元|元)?")
_COUNTER_WORDS = frozenset("件条项个人次户份起宗余%％，,。；;、")


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


def _anchor(table: TableSchema, text: str, start: int, settings: TableSettings) -> int | None:
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
            if (p - pos <= settings.header_window and other != cid and not re.search(r"\d", between)
                    and _leftover(table, between) <= settings.leftover):
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


def _ways(pairs: list[tuple[RowSchema, ColumnSchema]], parts: list[str]) -> list[list[str]]:
    """The ways to cut ``parts`` into the cells ``pairs`` (a decimal point only in an amount)."""
    ways = splits(parts, len(pairs))
    return [w for w in ways if all("." not in cell or col.type == AMOUNT for cell, (_, col) in zip(w, pairs))]


@dataclass
class _Pending:
    """A run that splits several ways, left for :func:`resolve.settle` once the whole table is read."""

    table: TableSchema
    run: resolve.DigitRun
    parts: list[tuple[str, int]]
    text: str
    start: int
    unit: str | None
    what: Text


def _store_cells(table: TableSchema, pairs, run: str, start: int, unit: str | None, body: BodyText,
                 read: TableRead, what: Text, pending: list[_Pending]) -> None:
    parts = _runs_with_offsets(run, start)
    ways = _ways(pairs, [p for p, _ in parts])
    if len(ways) == 1:
        _put(table, pairs, ways[0], parts, unit, body, read)
        return
    fids = [table.field_id(r, c) for r, c in pairs]
    pending.append(_Pending(table, resolve.DigitRun(list(pairs), fids, " ".join(run.split()), ways, len(ways)),
                            parts, run, start, unit, what))


def _put(table: TableSchema, pairs, cells: list[str], parts, unit, body: BodyText, read: TableRead,
         origin: Text | None = None) -> None:
    for (row, col), cell, off in zip(pairs, cells, _cell_offsets(cells, parts)):
        text = cell + (unit or "") if unit and col.type == AMOUNT else cell
        span = body.span(off, off + len(cell))
        v = cell_value(table, row, col, text, span, span.page, read)
        read.values[table.field_id(row, col)] = replace(v, origin=origin) if origin is not None else v


def _unreadable(p: _Pending, body: BodyText, read: TableRead) -> None:
    read.unreadable.append(messages.run_together(p.what, p.text, p.run.total_ways, len(p.run.pairs)))
    for row, col in p.run.pairs:
        read.values[p.table.field_id(row, col)] = Value(
            None, ValueKind.UNREADABLE, " ".join(p.text.split()), p.table.id, row.full_label, col.label,
            body.span(p.start, p.start + len(p.text)).page, body.span(p.start, p.start + len(p.text)))


def _settle(table: TableSchema, pending: list[_Pending], body: BodyText, read: TableRead,
            region: tuple[int, int], settings: TableSettings) -> None:
    """Choose the pending runs' splits by the body's figures and the table's identities; store them."""
    if not pending:
        return
    ids = list(dict.fromkeys([*read.values, *(f for p in pending for f in p.run.fids)]))
    open_fids = {f for p in pending for f in p.run.fids}
    known = resolve.known_values(read.values, ids)
    idents = resolve.identities(table, ids, set(known) | open_fids)
    resolve.settle([p.run for p in pending], known, idents, body.text, region, body.span, table.rows, settings=settings)
    row_only: list[str] = []
    for p in pending:
        r = p.run
        read.stated.extend(r.stated)
        if not r.settled:
            _unreadable(p, body, read)
            continue
        origin = messages.split_resolved(table, r)
        _put(table, r.pairs, r.ways[0], p.parts, p.unit, body, read, origin)
        for i in r.identities:
            read.identities_used.setdefault(i.name, []).extend(r.fids)
        rows = list(dict.fromkeys(row.id for row, _ in r.pairs))
        if r.identities:
            local = all(i.fids <= set(r.fids) for i in r.identities) and not r.narrowed_by_text
            for rid in rows:
                read.identity_resolved[f"{table.id}.{rid}"] = (
                    _identity_text(table) if local else "; ".join(dict.fromkeys(i.name for i in r.identities)))
            if local:
                row_only.extend(rows)
                continue
        read.notes.append(messages.split_note(table, p.what, origin))
    if row_only:
        read.notes.append(messages.identity_chosen(table, row_only))


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


def _region(table: TableSchema, schema: FormatSchema, text: str, after: int,
            settings: TableSettings) -> tuple[int, int] | None:
    start = _anchor(table, text, after, settings)
    if start is None:
        return None
    ends = [a for t in schema.tables if t.id != table.id and (a := _anchor(t, text, start + 1, settings)) is not None]
    return start, min(ends, default=len(text))



def read_text(table: TableSchema, body: BodyText, schema: FormatSchema, settings: TableSettings,
              only: set[str] | None = None) -> TableRead:
    """The table's fields from running text. With ``only``, just those rows, each looked for anywhere
    (rows a conversion left as loose lines beside a grid that holds the others). Where the table's labels
    first stand together in a sentence with no cells after them (“行政复议结果维持3件”), the next such
    place is tried."""
    if only is not None:
        read, pending = TableRead(), []
        _read_rows(table, body, read, 0, len(body.text), [r for r in table.rows if r.id in only], pending,
                   sequential=False)
        _settle(table, pending, body, read, (0, 0), settings)
        return read
    region = _region(table, schema, body.text, 0, settings)
    for _ in range(settings.anchors_tried):
        if region is None:
            break
        read = _read_region(table, body, region, settings)
        if read.rows_found:
            return read
        region = _region(table, schema, body.text, region[0] + 1, settings)
    return TableRead()


def _read_region(table: TableSchema, body: BodyText, region: tuple[int, int], settings: TableSettings) -> TableRead:
    read = TableRead()
    text = body.text
    start, end = region
    pending: list[_Pending] = []
    if table.layout == ACROSS:
        first = re.search(r"\d", text[start:end])
        if not first:
            return read
        at = start + first.start()
        found = _run_at(text, at, end)
        if found is None or _leftover(table, text[start:at]) > settings.leftover:
            return read
        run, rs, _, unit = found
        read.rows_found = len(table.rows)
        _store_cells(table, table.cells(), run, rs, unit, body, read, messages.table(table), pending)
        read.notes.append(messages.from_running_text(table))
        _settle(table, pending, body, read, region, settings)
        return read
    found_ids = _read_rows(table, body, read, start, end, list(table.rows), pending, sequential=True)
    if read.rows_found:
        for row in table.rows:
            if row.id not in found_ids and not row.optional:
                for c in table.row_columns(row):
                    read.values[table.field_id(row, c)] = Value(None, ValueKind.MISSING, "", table.id, row.full_label, c.label)
                if not any(row.id in r.replaces for r in table.rows if r.id in found_ids):
                    read.missing_rows.append(row.id)
            elif row.id in found_ids and row.replaces:
                read.variants.append(messages.superseded(table, row))
        read.notes.append(messages.from_running_text(table))
        _settle(table, pending, body, read, region, settings)
    return read


def _read_rows(table: TableSchema, body: BodyText, read: TableRead, start: int, end: int,
               rows: list[RowSchema], pending: list[_Pending], sequential: bool) -> set[str]:
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
        _store_cells(table, pairs, run, rs, unit, body, read, messages.row(row), pending)
        if sequential:
            pos = re_end
    read.rows_found += len(found_ids)
    return found_ids
