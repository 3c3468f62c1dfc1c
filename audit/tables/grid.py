"""Map the rows found for one table (grid rows, row-like lines) to its fields.

1. Header rows (cells that are column labels) give the column order, by label: shuffled columns, a
   小计 column, a repeated header on the next page. Without a header the official order holds.
2. A row with a label and no values is a fragment of a neighbour's label (a label wrapped over lines, or
   cut by a page break) when joining it makes that neighbour's label match better; otherwise it stands
   for itself (a row whose cells are all blank).
3. Rows are aligned to the schema's rows in order (dynamic programming over label similarity), so a
   numbering variant, a typo, a missing or an extra row, or a label that occurs twice (“其他”) lands right.
4. Each matched row's values are read by header position when the grid is aligned, else as the cells
   that follow the label (a flattened text grid puts the label in varying columns).
5. A row of numbers with no label (its label lost by a conversion; a label on the text lines right above
   it, see ``locate``, is only a hint that must agree) is placed by the order of the official rows only
   where ``order`` finds that certain (as many such rows between two labelled rows as official rows left
   between them) and the table's identities confirm it; otherwise the official rows it may stand for
   (those unmatched between its labelled neighbours) are unreadable, said once for the table, not absent
   from the report.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.model import Span, Text, Value, ValueKind
from audit.tables import messages, order
from audit.tables.labels import normalize, similarity_at_least
from audit.tables.rows import RawRow, blank
from audit.tables.schema import ACROSS, ColumnSchema, RowSchema, TableSchema
from audit.tables.settings import TableSettings
from audit.tables.values import parse


@dataclass
class TableRead:
    """One table's fields and what was noticed on the way."""

    values: dict[str, Value] = field(default_factory=dict)
    missing_rows: list[str] = field(default_factory=list)
    variants: list[Text] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    unreadable: list[Text] = field(default_factory=list)  # why cells could not be read
    identity_resolved: dict[str, str] = field(default_factory=dict)  # row → identity that chose its split
    identities_used: dict[str, list[str]] = field(default_factory=dict)  # check instance → fields it settled
    stated: list = field(default_factory=list)  # model.StatedFigure: body figures for cells of a digit run
    rows_found: int = 0
    header_only: bool = False  # the table's header stands there with no value row under it
    reader: str | None = None  # the reader that read it (``readers``): grid, cells or runon
    tried: list = field(default_factory=list)  # model.ReaderTry: each reader's outcome and why, in order


def _column_of(text: str | None, table: TableSchema, settings: TableSettings) -> ColumnSchema | None:
    key = normalize(text or "")
    if not key:
        return None
    best, score = None, 0.0
    for c in table.columns:
        s = max(similarity_at_least(key, k, settings.header_match) for k in c.keys)  # below the floor: 0.0
        if s > score or (s == score and best is not None and len(c.keys[0]) > len(best.keys[0])):
            best, score = c, s
    return best if score >= settings.header_match else None


def _header(row: RawRow, table: TableSchema, settings: TableSettings) -> dict[int, ColumnSchema]:
    """Cell index → column, when the row is a header row (no numbers, column labels in its cells)."""
    if row.has_values:
        return {}
    out = {i: c for i, c in ((i, _column_of(t, table, settings)) for i, t in enumerate(row.cells)) if c is not None}
    return out


def _row_score(key: str, row: RowSchema, table: TableSchema, floor: float = 0.0) -> float:
    """How well ``key`` reads as ``row``'s label (its group's label allowed in it); with a ``floor``, the
    score when it reaches the floor and 0.0 otherwise (``labels.similarity_at_least``)."""
    if not key:
        return 0.0
    stripped = key
    for g in table.group_keys:
        stripped = stripped.replace(g, "")
    best = max(similarity_at_least(key, k, floor) for k in row.keys)
    if stripped != key and stripped:
        best = max(best, max(similarity_at_least(stripped, k, floor) for k in row.keys))
    return best


def best_row_score(key: str, table: TableSchema, floor: float = 0.0) -> float:
    """The best :func:`_row_score` over the table's rows (with a ``floor``, as there)."""
    return max((_row_score(key, r, table, floor) for r in table.rows), default=0.0)


@dataclass
class Candidate:
    key: str
    row: RawRow | None  # the row whose values are read (None for a label alone)
    label_only: bool
    header: dict[int, ColumnSchema]
    rows: list[RawRow]


def _candidates(rows: list[RawRow], table: TableSchema, settings: TableSettings) -> list[Candidate]:
    """Data rows and label-only rows, with fragments joined to the neighbour they complete."""
    items: list[Candidate] = []
    header: dict[int, ColumnSchema] = {}
    last_was_header = False
    for r in rows:
        if r.is_empty or r.is_page_number:
            continue
        h = _header(r, table, settings)
        if h and best_row_score(r.key, table, settings.header_match) < settings.header_match:
            header = {**header, **h} if last_was_header else h
            last_was_header = True
            continue
        last_was_header = False
        if not r.key and not r.has_values:
            continue
        items.append(Candidate(r.key, r, not r.has_values, header, [r]))
    # join fragments (a label alone that matches no row well) to the neighbour they improve most
    out: list[Candidate] = []
    i = 0
    while i < len(items):
        it = items[i]
        if it.label_only and best_row_score(it.key, table, settings.fragment_alone) < settings.fragment_alone:
            prev = out[-1] if out and not out[-1].label_only else None
            nxt = items[i + 1] if i + 1 < len(items) and not items[i + 1].label_only else None
            # a row of numbers without a label takes a fragment beside it only when that reads as a row
            # label (a repeated header's caption “申请人情况” is no row's label)
            label_like = best_row_score(it.key, table, settings.pair_min) >= settings.pair_min
            if prev is not None and not prev.key and not label_like:
                prev = None
            gain_prev = (best_row_score(prev.key + it.key, table) - best_row_score(prev.key, table)) if prev else -1
            gain_next = (best_row_score(it.key + nxt.key, table) - best_row_score(nxt.key, table)) if nxt else -1
            lone = nxt is not None and not nxt.key and label_like
            if max(gain_prev, gain_next) > settings.fragment_gain and (nxt is None or nxt.key or lone) or lone:
                if nxt is not None and (gain_next >= gain_prev and nxt.key or lone):
                    nxt.key = it.key + nxt.key
                    nxt.rows.insert(0, it.row)
                else:
                    prev.key = prev.key + it.key
                    prev.rows.append(it.row)
                i += 1
                continue
        out.append(it)
        i += 1
    return out


def align(cands: list[Candidate], table: TableSchema, settings: TableSettings) -> dict[int, Candidate]:
    """Schema row index → candidate, monotonic, maximising total label similarity."""
    rows = table.rows
    m, n = len(cands), len(rows)
    score = [[0.0] * n for _ in range(m)]
    for i, c in enumerate(cands):
        for j, r in enumerate(rows):
            if c.label_only and r.optional:
                continue
            s = _row_score(c.key, r, table, settings.pair_min)
            if s >= settings.pair_min:
                score[i][j] = s * (settings.label_only_weight if c.label_only else 1.0)
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            take = score[i][j] + best[i + 1][j + 1] if score[i][j] else 0.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out: dict[int, Candidate] = {}
    i = j = 0
    while i < m and j < n:
        if score[i][j] and abs(best[i][j] - (score[i][j] + best[i + 1][j + 1])) < 1e-9:
            out[j] = cands[i]
            i += 1
            j += 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def cell_value(table: TableSchema, row: RowSchema, col: ColumnSchema, text: str | None, span: Span | None,
           page: int | None, read: TableRead) -> Value:
    p = parse(text, col.type, col.unit)
    fid = table.field_id(row, col)
    if p.unit and col.unit and p.unit != col.unit:
        read.variants.append(messages.amount_unit(table, row, col, p.unit))
    return Value(
        value=p.value, kind=p.kind, raw=(text or "").strip(), table=table.id, row_label=row.full_label,
        column_label=col.label, page=(span.page if span is not None and span.page is not None else page),
        span=span, unit=p.unit if col.type == "amount" else None,
    )


def _fit(cells: list, spans: list, n: int) -> tuple[list, list] | None:
    """Exactly n value cells: drop blank cells at the ends (a flattened grid's spacers) until they fit,
    or every blank cell when exactly n cells have text (spacer columns inside a borderless grid)."""
    cells, spans = list(cells), list(spans)
    while len(cells) > n and blank(cells[-1]):
        cells.pop()
        spans.pop()
    while len(cells) > n and blank(cells[0]):
        cells.pop(0)
        spans.pop(0)
    if len(cells) > n and sum(not blank(c) for c in cells) == n:  # spacer columns of a text-positioned grid
        kept = [(c, s) for c, s in zip(cells, spans) if not blank(c)]
        cells, spans = [c for c, _ in kept], [s for _, s in kept]
    return (cells, spans) if len(cells) == n else None


def _row_columns(table: TableSchema, row: RowSchema, header: dict[int, ColumnSchema]) -> tuple[list[ColumnSchema], bool]:
    """The row's columns in the order the header shows them (official order without one), and whether
    the header placed every one of them."""
    optional = tuple(c.id for c in header.values() if c.optional)
    official = table.row_columns(row, optional)
    placed = {c.id: i for i, c in sorted(header.items(), reverse=True)}  # first index per column
    if all(c.id in placed for c in official):
        return sorted(official, key=lambda c: placed[c.id]), True
    return official, False


def _read_row(table: TableSchema, row: RowSchema, cand: Candidate, read: TableRead) -> None:
    raw = cand.row
    columns, by_header = _row_columns(table, row, cand.header)
    if cand.label_only:
        for c in columns:
            read.values[table.field_id(row, c)] = cell_value(table, row, c, "", None, raw.page, read)
        return
    if by_header:
        index = {c.id: i for i, c in sorted(cand.header.items(), reverse=True)}
        positions = [index[c.id] for c in columns]
        outside = [i for i in range(raw.first_value_index, len(raw.cells)) if i not in positions and not blank(raw.cells[i])]
        if min(positions) >= raw.first_value_index and max(positions) < len(raw.cells) and not outside:
            for c, i in zip(columns, positions):
                text, span = raw.cells[i], raw.spans[i]
                read.values[table.field_id(row, c)] = cell_value(table, row, c, text, span, raw.page, read)
            return
    fitted = _fit(raw.values, raw.value_spans, len(columns))
    if fitted is None and not by_header:
        optional = [c for c in table.columns if c.optional and c.id in row.columns]
        if optional:
            wider = table.row_columns(row, tuple(c.id for c in optional))
            fitted = _fit(raw.values, raw.value_spans, len(wider))
            if fitted is not None:
                columns = wider
                note = messages.column_from_count(optional)
                if note not in read.variants:
                    read.variants.append(note)
    if fitted is None:
        text = " ".join((v or "").strip() for v in raw.values).strip()
        read.unreadable.append(messages.values_for_columns(row, len([v for v in raw.values if not blank(v)]),
                                                           len(columns)))
        for c in columns:
            read.values[table.field_id(row, c)] = Value(
                None, ValueKind.UNREADABLE, text, table.id, row.full_label, c.label, raw.page, None)
        return
    for c, text, span in zip(columns, *fitted):
        read.values[table.field_id(row, c)] = cell_value(table, row, c, text, span, raw.page, read)


def _unreadable(table: TableSchema, row: RowSchema, read: TableRead, raw: str) -> None:
    for c in table.row_columns(row):
        read.values[table.field_id(row, c)] = Value(None, ValueKind.UNREADABLE, raw, table.id, row.full_label, c.label)


def _missing(table: TableSchema, row: RowSchema, read: TableRead) -> None:
    for c in table.row_columns(row):
        read.values[table.field_id(row, c)] = Value(None, ValueKind.MISSING, "", table.id, row.full_label, c.label)


def _bare(c: Candidate) -> bool:
    """A row of numbers without a label."""
    return not c.key and c.row is not None and c.row.has_values


def _open(c: Candidate) -> bool:
    """A label with no cell for a value (not a row of blank cells): its numbers stand elsewhere."""
    return c.label_only and all(r is None or len(r.cells) <= r.first_value_index for r in c.rows)


def _hinted(c: Candidate) -> bool:
    """A row of numbers whose label came from text lines above it (``locate``): a hint, not a label (a
    conversion may put the next row's label there), so it is placed by order like a bare row and the
    hint must name the row the order gives."""
    return c.row is not None and c.row.label_above and c.row.has_values


def _agrees(c: Candidate, j: int, table: TableSchema) -> bool:
    if not _hinted(c):
        return True
    return _row_score(c.key, table.rows[j], table) >= best_row_score(c.key, table) - 1e-9


def read_rows(table: TableSchema, rows: list[RawRow], settings: TableSettings) -> TableRead:
    """The fields of a table laid out one grid row per official row; rows of numbers without a label
    placed by row order where ``order`` finds that certain and confirmed, else unreadable."""
    every = _candidates(rows, table, settings)
    matched = align([c for c in every if c.key and not _hinted(c)], table, settings)
    gaps = order.gaps(every, matched, table, lambda c: _bare(c) or _hinted(c), _open)
    placed = {j: c for g in gaps if g.certain and all(_agrees(c, j, table) for j, c in zip(g.rows, g.bare))
              for j, c in zip(g.rows, g.bare)}
    why = None
    if placed:
        read = _read_rows(table, every, matched, gaps, placed)
        placed_rows = [table.rows[j] for j in sorted(placed)]
        verdict = order.confirm(table, read.values, placed_rows)
        if verdict.confirmed:
            order.mark(table, read, placed_rows, verdict)
            return read
        why = verdict.reason
    return _read_rows(table, every, matched, gaps, {}, why)


def _read_rows(table: TableSchema, every: list[Candidate], matched: dict[int, Candidate], gaps: list,
               placed: dict[int, Candidate], why=None) -> TableRead:
    read = TableRead()
    unread = {j for g in gaps for j in g.rows if j not in placed}
    rows = {**{j: c for j, c in matched.items() if j not in unread}, **placed}
    read.rows_found = len(rows)
    covered = list(dict.fromkeys(table.rows[j].id for j in sorted(unread)))
    if covered:
        left = sum(len(g.bare) for g in gaps) - len(placed)
        read.unreadable.append(messages.unlabelled_rows(table, left, covered, why))
    optional_cols = sorted({c.id for cand in rows.values() for c in cand.header.values() if c.optional})
    if optional_cols:
        read.variants.append(messages.extra_columns([table.column(c) for c in optional_cols]))
    read_matched(table, rows, read, lambda row, cand: _read_row(table, row, cand, read), covered)
    return read


def read_matched(table: TableSchema, matched: dict, read: TableRead, read_one, covered=()) -> None:
    """Every official row in order: a matched one read by ``read_one(row, what matched it)`` (a row of a
    superseded layout noted), one a row of numbers without a label may stand for unreadable, any other
    MISSING and listed in ``missing_rows`` (unless a superseded layout's row found stands for it)."""
    found = {table.rows[j].id for j in matched}
    for j, row in enumerate(table.rows):
        cand = matched.get(j)
        if cand is not None:
            read_one(row, cand)
            if row.replaces:
                read.variants.append(messages.superseded(table, row))
        elif not row.optional and row.id in covered:
            _unreadable(table, row, read, "")
        elif not row.optional:
            _missing(table, row, read)
            replaced = any(table.row(o).replaces and o in found and row.id in table.row(o).replaces
                           for o in (r.id for r in table.rows if r.replaces))
            if not replaced:
                read.missing_rows.append(row.id)


def read_across(table: TableSchema, rows: list[RawRow], settings: TableSettings) -> TableRead:
    """The fields of a table printed as one value row holding every block side by side (table 四);
    a report that prints the blocks as rows with their labels is read row by row instead. A last row
    of exactly as many empty cells as fields is the value row left blank throughout."""
    labelled = [r for r in rows if r.has_values and r.key
                and best_row_score(r.key, table, settings.header_match) >= settings.header_match]
    if labelled:
        return read_rows(table, rows, settings)
    read = TableRead()
    cells: list = []
    spans: list = []
    pages: list = []
    for r in rows:
        if r.key or r.is_page_number or not r.has_values:
            continue
        cells += r.values
        spans += r.value_spans
        pages += [r.page] * len(r.values)
    pairs = table.cells()
    last = rows[-1] if rows else None
    if not cells and last is not None and last.is_empty and not last.key and len(last.cells) == len(pairs):
        cells, spans, pages = list(last.cells), list(last.spans), [last.page] * len(last.cells)  # every cell blank
    fitted = _fit(cells, list(zip(spans, pages)), len(pairs))
    if fitted is None:
        for row in table.rows:
            _missing(table, row, read)
        read.header_only = not cells and any(_header(r, table, settings) for r in rows)
        if cells:
            read.unreadable.append(messages.cells_for_fields(len(cells), len(pairs)))
            for (row, col) in pairs:
                read.values[table.field_id(row, col)] = Value(
                    None, ValueKind.UNREADABLE, " ".join(c or "" for c in cells), table.id, row.full_label, col.label)
        else:
            read.missing_rows.extend(r.id for r in table.rows)
        return read
    read.rows_found = len(table.rows)
    for (row, col), text, (span, page) in zip(pairs, *fitted):
        read.values[table.field_id(row, col)] = cell_value(table, row, col, text, span, page, read)
    return read


def read_table(table: TableSchema, rows: list[RawRow], settings: TableSettings) -> TableRead:
    return read_across(table, rows, settings) if table.layout == ACROSS else read_rows(table, rows, settings)
