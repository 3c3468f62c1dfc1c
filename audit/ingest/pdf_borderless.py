"""Borderless tables: grids found from text positions alone (no ruling lines to follow).

A region of consecutive lines that split into several segments (cells set apart by a wide gap), with
numbers among them, is a table; a line of another font size, or a section's numbered heading (四、…)
over a header, ends it, and a short header line centred over its number columns (申请人情况) opens it.
Label lines left of the numbers stay in the region however many stand between two data rows (labels
wrapped over five lines, rows whose cells are all blank). A header standing alone over blank rows, or
followed by the next section, is a table whose cells are all blank.

Columns are the x-ranges the data rows' segments occupy, merged where they overlap (a number is one
segment because its digits sit edge to edge), fitted to the column headers: the column nearest to a
header takes its extent, and a header over no number is a column of its own (a column a portal left
blank). Header lines packed under each other (a header cell wrapped: 商业/企业) are one header row;
a group header (over two header cells side by side) stays a row of its own and spans its columns.
The label column is cut at its indent levels and at its stacks into sub-columns.

Prose is not a table: a justified line left with few characters spreads them wider than a cell gap,
and its segments are single characters (:func:`_is_letter_spaced`); such a line is one segment, never
a table row, unless its characters stand in columns with the lines around it (a header written a
character a line in narrow columns).

Row labels: a label-only line packed closer to a data row than rows are to each other is a wrapped
label and joins that row. Between two data rows whose label lines all stand equally far apart (a Word
table without borders has no row gap), the lines are split by the item numbers that open official labels
and by centring each row's label on its numbers (:func:`_assign_wraps`). A group label set in a narrow
column, a few characters a line (三、/本/年/度… or （三）/不予公/开), is a *stack*: it becomes one cell
of its own label sub-column, spanning the rows beside it and the rows above and below that leave that
sub-column empty, as the merged cell it draws.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from statistics import median

from audit.ingest.normalize import starts_item
from audit.ingest.pdf_grid import GridCell, TablePart, is_number
from audit.ingest.pdf_lines import Segment, TextLine, join_lines
from audit.vocab import BLANKISH, NUMERALS

_SECTION = re.compile(rf"^[{NUMERALS}]+、")  # a section's number (一、 … 六、)
# A single-segment line may sit inside a table region when it is this close (in character heights) to
# the tabular lines on both sides and set in their font size (within SAME_SIZE points).
SANDWICH_GAP = 2.0
# A run of lines without a number is a table (its header, every cell blank) when two of its lines hold
# this many cells or more.
HEADER_CELLS = 4
# ... if text follows it within this many character heights (else it is a header cut off at the page foot).
HEADER_FOLLOW = 4.0
# Lines whose tops are at most this many character heights apart are looked at for characters in columns.
COLUMN_REACH = 2.5
# Label segments starting at one x-position this many times make an indent level of the label column.
INDENT_MIN = 2
SAME_SIZE = 1.0
# A label-only line this close to a row (as a share of the usual gap between rows, and of the font
# size) is part of that row's label.
WRAP_SHARE = 0.6
WRAP_SIZE = 0.5
# A stack: segments of at most STACK_CHARS characters one above the other (overlapping x-ranges), on
# lines whose middles are at most STACK_PITCH character heights apart.
STACK_CHARS = 3
STACK_PITCH = 1.7
# A stack's merged cell is the widest run of rows whose middle is this close to the text's middle (in
# character heights, and as a share of the row pitch: adding a row moves the middle half a pitch).
CENTRED_SIZE = 0.5
CENTRED_PITCH = 0.3
X_TOL = 2.5
# A line with at least this many one-character segments, half of its segments or more, is letter-spaced
# prose (a justified line), not a table row.
LETTERS_MIN = 3


def _is_value(text: str) -> bool:
    return is_number(text) or text.strip() in BLANKISH


def _n_values(line: TextLine) -> int:
    return sum(_is_value(s.text) for s in line.segments)


def _is_data(line: TextLine) -> bool:
    """A row with numbers: cells in columns with a value among them, or a number standing alone (a row
    whose label wrapped above and below it)."""
    if len(line.segments) == 1:
        return is_number(line.segments[0].text)
    return _is_tabular(line) and _n_values(line) >= 1


def _is_letter_spaced(line: TextLine) -> bool:
    """A justified line of prose holding few characters spreads them more than a character apart: its
    segments are single characters (a word cut between its characters), not cells. A table row has
    one label and numbers; a header row, labels of several characters."""
    singles = sum(len(s.text.strip()) == 1 and not _is_value(s.text) for s in line.segments)
    return singles >= LETTERS_MIN and 2 * singles >= len(line.segments)


def _is_tabular(line: TextLine) -> bool:
    return len(line.segments) >= 2


def _column_chars(line: TextLine, other: TextLine) -> int:
    """How many of the line's one-character segments start, or are centred, where one of ``other``'s
    segments does (cells of one column, left-aligned or centred)."""
    starts = [s.x0 for s in other.segments]
    centres = [s.center for s in other.segments]
    return sum(1 for s in line.segments if len(s.text.strip()) == 1
               and (any(abs(s.x0 - x) <= X_TOL for x in starts) or any(abs(s.center - x) <= X_TOL for x in centres)))


def _prose_as_one(lines: list[TextLine]) -> None:
    """A letter-spaced justified line of prose becomes the one segment it is. A line of one-character
    cells whose characters stand over or under those of a line close above or below (a header written a character a
    line in narrow columns: 结/果/维/持) stays cells."""
    for i, ln in enumerate(lines):
        if not _is_letter_spaced(ln):
            continue
        singles = sum(len(s.text.strip()) == 1 for s in ln.segments)
        near = [o for o in lines[max(0, i - 4): i + 5] if o is not ln and abs(o.top - ln.top) <= COLUMN_REACH * ln.size]
        if any(2 * _column_chars(ln, o) >= singles for o in near):
            continue
        ln.segments = [Segment(ln.text, ln.x0, ln.x1)]


# ------------------------------------------------------------------------------------------ regions


def _near(a: TextLine, b: TextLine) -> bool:
    return a.page == b.page and b.top - a.bottom <= SANDWICH_GAP * max(a.size, b.size)


def _same_size(a: TextLine, b: TextLine) -> bool:
    return abs(a.size - b.size) <= SAME_SIZE


def _first_value_x(line: TextLine) -> float | None:
    return next((s.x0 for s in line.segments if _is_value(s.text)), None)


def _in_label_area(line: TextLine, right: float | None) -> bool:
    return right is not None and line.x1 <= right + X_TOL


def _heading_between(line: TextLine, right: float | None) -> bool:
    """A numbered line running into the number columns (三、收到和处理…情况): the next section's heading
    between two tables, not a row of the one above."""
    return right is not None and not _in_label_area(line, right) and bool(_SECTION.match(_text(line)))


def _opens_table(lines: list[TextLine], k: int) -> bool:
    """A section's numbered heading followed by a header line: the next table's title, not a row."""
    return (bool(_SECTION.match(_text(lines[k]))) and not _is_data(lines[k]) and k + 1 < len(lines)
            and _is_tabular(lines[k + 1]) and not _is_data(lines[k + 1]))


def _regions(lines: list[TextLine]) -> list[list[TextLine]]:
    """Runs of tabular lines (with label-only lines packed between them) that hold a table.

    Between two tabular lines, up to 3 single-segment lines of the same size may stand (a wrapped
    header, a title); any number, packed one under the other, when all sit in the label column left of
    the numbers (long row labels wrapped over five lines, group labels set a few characters a line,
    rows whose cells are all blank). Label lines
    packed just above the first data line (a wrapped label's first lines, at the top of a page part)
    and just below the last one belong to the table too."""
    n = len(lines)
    inside = [_is_tabular(ln) or _is_data(ln) for ln in lines]
    right: float | None = None  # where the numbers of the last data line start
    for i in range(1, n - 1):
        if _is_data(lines[i - 1]):
            right = _first_value_x(lines[i - 1])
        elif inside[i - 1] and right is None and len(lines[i - 1].segments) >= 2:
            right = lines[i - 1].segments[1].x0  # a header line: its column headers stand right of the labels
        elif not inside[i - 1] and not _near(lines[i - 1], lines[i]):
            right = None
        if inside[i] or not inside[i - 1]:
            continue
        k = i
        while k < n and not inside[k] and _near(lines[k - 1], lines[k]) and _same_size(lines[i - 1], lines[k]) \
                and not _heading_between(lines[k], right) and not _opens_table(lines, k):
            if k - i >= 3 and not all(_in_label_area(lines[m], right) for m in range(i, k + 1)):
                break
            k += 1
        if k < n and inside[k] and _near(lines[k - 1], lines[k]):
            for m in range(i, k):
                inside[m] = True
    for i in range(n):  # label lines just above a data line, and below one (past header-like label lines)
        if not _is_data(lines[i]):
            continue
        right = _first_value_x(lines[i])
        for step in (-1, 1):
            k = i + step
            while 0 <= k < n and not _is_data(lines[k]) and ((inside[k] and step > 0) or (not inside[k] and _in_label_area(lines[k], right))) \
                    and not _opens_table(lines, k) and not (_SECTION.match(_text(lines[k])) and lines[k].x0 > lines[i].x0 + X_TOL) \
                    and _near(*sorted((lines[k - step], lines[k]), key=lambda ln: ln.top)) and _same_size(lines[i], lines[k]):
                inside[k] = True
                k += step
    out: list[list[TextLine]] = []
    run: list[TextLine] = []
    start = 0
    for i, (ln, ok) in enumerate(zip(lines, inside)):
        if ok and (not run or _near(run[-1], ln)):
            if not run:
                start = i
            run.append(ln)
            continue
        if run:
            out.append(_with_header(lines, start, run))
        run, start = ([ln], i) if ok else ([], i)
    if run:
        out.append(_with_header(lines, start, run))
    return [r for r in out if _holds_table(r)]


def _with_header(lines: list[TextLine], start: int, run: list[TextLine]) -> list[TextLine]:
    """The run, with the short header lines just above it that sit over its number columns."""
    values = [s.x0 for ln in run if _is_data(ln) for s in ln.segments if _is_value(s.text)]
    if not values:
        return run
    left = min(values) - 2 * run[0].size
    k = start
    while k > 0 and len(lines[k - 1].segments) == 1 and lines[k - 1].x0 >= left and not _SECTION.match(_text(lines[k - 1])) and _near(lines[k - 1], lines[k]) and _same_size(lines[k - 1], run[0]):
        k -= 1
    return lines[k:start] + run


def _holds_table(run: list[TextLine]) -> bool:
    data = [ln for ln in run if _is_data(ln)]
    if not data:  # a header standing alone (a table whose cells are all blank): lines of many cells
        return sum(len(ln.segments) >= HEADER_CELLS for ln in run) >= 2
    if len(data) >= 2:
        return True
    return len(data) == 1 and _n_values(data[0]) >= 2 and any(_is_tabular(ln) and not _is_data(ln) for ln in run)


# ------------------------------------------------------------------------------------------- stacks


@dataclass(eq=False)
class _Stack:
    """A label written a few characters a line in a narrow column (a merged cell's text)."""

    parts: list[tuple[TextLine, Segment]]
    column: int = -1

    @property
    def x0(self) -> float:
        return min(s.x0 for _, s in self.parts)

    @property
    def x1(self) -> float:
        return max(s.x1 for _, s in self.parts)

    @property
    def top(self) -> float:
        return self.parts[0][0].top

    @property
    def bottom(self) -> float:
        return self.parts[-1][0].bottom

    @property
    def text(self) -> str:
        return join_lines([s.text for _, s in self.parts])


def _stacks(region: list[TextLine], label_x1: float) -> list[_Stack]:
    """Stacks among the label segments (those left of ``label_x1``, where the numbers begin)."""
    short: list[tuple[TextLine, Segment]] = [
        (ln, s) for ln in region for s in ln.segments if s.x1 <= label_x1 and len(s.text) <= STACK_CHARS and not _is_value(s.text)
    ]
    columns: list[list[tuple[TextLine, Segment]]] = []  # segments whose x-ranges overlap
    right = 0.0
    for ln, s in sorted(short, key=lambda p: p[1].x0):
        if columns and s.x0 <= right:
            columns[-1].append((ln, s))
            right = max(right, s.x1)
        else:
            columns.append([(ln, s)])
            right = s.x1
    out: list[_Stack] = []
    for col in columns:
        col.sort(key=lambda p: p[0].top)
        run = [col[0]]
        for prev, cur in zip(col, col[1:]):
            if _middle(cur[0]) - _middle(prev[0]) <= STACK_PITCH * cur[0].size:
                run.append(cur)
                continue
            out.extend(_stack_of(run))
            run = [cur]
        out.extend(_stack_of(run))
    return out


def _middle(line: TextLine) -> float:
    return (line.top + line.bottom) / 2


def _stack_of(run: list[tuple[TextLine, Segment]]) -> list[_Stack]:
    if len(run) >= 3 or (len(run) == 2 and any(not _is_data(ln) for ln, _ in run)):
        return [_Stack(run)]
    return []


# --------------------------------------------------------------------------------------------- rows


@dataclass
class _Row:
    lines: list[TextLine]
    data: bool
    cells: list[GridCell | None] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)

    @property
    def bottom(self) -> float:
        return max(ln.bottom for ln in self.lines)


def _rows(region: list[TextLine]) -> list[_Row]:
    """Lines to rows: a label-only line in the label column is part of a data row's label.

    Where a label-only line touches a row (closer than rows are to each other), it joins that row.
    Where labels wrap over more lines than fit beside the numbers, every line is as close to the row
    above as to the row below (a table without borders has no row gap), and the lines between two data
    rows are split between them: a line opening a numbered item (1. （三） 四、) opens the next row's
    label; a data row whose label opens an item takes no line from above; otherwise each row's label is
    centred on its numbers, as Word sets a cell's text (:func:`_assign_wraps`)."""
    rows = [_Row([ln], _is_data(ln)) for ln in region]
    data = [r for r in rows if r.data]
    gaps = [b.top - a.bottom for a, b in zip(data, data[1:])]
    row_gap = median(gaps) if gaps else 0.0
    values = [s.x0 for r in data for s in r.lines[0].segments if _is_value(s.text)]
    label_right = min(values) if values else float("inf")
    wrap = [not r.data and not _is_tabular(r.lines[0]) and r.lines[0].x1 <= label_right + X_TOL for r in rows]
    owner = _assign_wraps(rows, wrap)
    out: list[_Row] = []
    for i, row in enumerate(rows):
        if row.data or not wrap[i]:
            out.append(row)
            continue
        if i in owner:
            target = rows[owner[i]]
            if owner[i] > i:
                target.lines.insert(sum(1 for ln in target.lines if ln.top < row.lines[0].top), row.lines[0])
            else:
                target.lines.append(row.lines[0])
            continue
        ln = row.lines[0]
        limit = min(WRAP_SHARE * row_gap, WRAP_SIZE * ln.size) if row_gap > 0 else WRAP_SIZE * ln.size
        up = ln.top - out[-1].bottom if out else None
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        down = nxt.top - ln.bottom if nxt is not None else None
        opens = starts_item(_text(ln))
        if down is not None and down < limit and nxt.data and (up is None or down <= up) \
                and not (opens and starts_item(_label_text(nxt.lines[0]))):  # two items are two rows
            nxt.lines.insert(0, ln)
        elif up is not None and up < limit and not opens:
            out[-1].lines.append(ln)
        else:
            out.append(row)
    return out


def _text(line: TextLine) -> str:
    """The line's text as its segments give it (a stack's characters taken out)."""
    return "".join(s.text for s in line.segments)


def _label_text(line: TextLine) -> str:
    return "".join(s.text for s in line.segments if not _is_value(s.text))


def _centre_error(row: _Row, head: list[TextLine], tail: list[TextLine]) -> float:
    ln = row.lines[0]
    top = head[0].top if head else ln.top
    bottom = tail[-1].bottom if tail else ln.bottom
    return abs((top + bottom) / 2 - (ln.top + ln.bottom) / 2)


def _chain(rows: list[_Row], idx: list[int], start: _Row) -> int:
    """How many of the lines ``idx`` (in order, going away from ``start``) hang together with it: each
    packed against the one before, closer than rows of a table with a row gap stand."""
    n, prev = 0, start.lines[0]
    for i in idx:
        ln = rows[i].lines[0]
        gap = ln.top - prev.bottom if ln.top >= prev.top else prev.top - ln.bottom
        if gap >= WRAP_SIZE * ln.size:
            break
        n, prev = n + 1, ln
    return n


def _assign_wraps(rows: list[_Row], wrap: list[bool]) -> dict[int, int]:
    """Row index of a wrapped label line → the data row it belongs to, for the lines between two data
    rows (only wrapped label lines between them); the others are left to the closeness rule.

    Lines opening an item open the next row: those before the first belong to the row above; when the
    next data row's own label opens an item, the lines from the first item on are label rows of their
    own (a row whose cells are all blank); otherwise the lines from the last item on are the next row's.
    Without an item, the split centres the row above's label on its numbers. A line joins a row only
    when it hangs together with it (no row gap between them)."""
    owner: dict[int, int] = {}
    data = [i for i, r in enumerate(rows) if r.data]
    heads: dict[int, list[int]] = {}
    for a, b in zip(data, data[1:]):
        between = list(range(a + 1, b))
        if not between or not all(wrap[i] for i in between):
            continue
        starts = [k for k, i in enumerate(between) if starts_item(_text(rows[i].lines[0]))]
        b_opens = starts_item(_label_text(rows[b].lines[0]))
        if starts:
            tail_end, head_start = starts[0], len(between) if b_opens else starts[-1]
        elif b_opens:
            tail_end = head_start = len(between)
        else:
            head = [rows[i].lines[0] for i in heads.get(a, [])]
            tail_end = head_start = min(range(len(between) + 1), key=lambda s: (
                _centre_error(rows[a], head, [rows[i].lines[0] for i in between[:s]]), -s))
        tail_end = min(tail_end, _chain(rows, between, rows[a]))
        head_start = max(head_start, len(between) - _chain(rows, between[::-1], rows[b]))
        for i in between[:tail_end]:
            owner[i] = a
        for i in between[head_start:]:
            owner[i] = b
        heads[b] = between[head_start:]
    return owner


# ------------------------------------------------------------------------------------------ columns


def _columns(data: list[TextLine]) -> list[tuple[float, float]]:
    """Column x-ranges: the data rows' segment extents, merged where they overlap."""
    spans = sorted((s.x0, s.x1) for ln in data for s in ln.segments)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def _header_segments(rows: list[_Row], values_x: float) -> list[tuple[TextLine, Segment]]:
    """The segments over the number columns of the lines above the first data row."""
    out = []
    for r in rows:
        if r.data:
            break
        out.extend((ln, s) for ln in r.lines for s in ln.segments if s.x0 >= values_x - X_TOL and not _is_value(s.text))
    return out


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _is_group(line: TextLine, seg: Segment, segs: list[tuple[TextLine, Segment]]) -> bool:
    """A group header: over two or more header cells side by side (法人或其他组织 over 商业企业 and
    科研机构). The cells are told by their lowest pieces (a wrapped cell's last line), so the pieces of
    one wrapped cell, stacked under each other, count once, whatever line they fall on."""
    def lowest(ln: TextLine, s: Segment) -> bool:
        return not any(ln2.top > ln.top and _overlap((s.x0, s.x1), (s2.x0, s2.x1)) for ln2, s2 in segs)

    under = sorted((s.x0, s.x1) for ln, s in segs
                   if ln.top > line.top and _overlap((seg.x0, seg.x1), (s.x0, s.x1)) and lowest(ln, s))
    apart, right = 0, float("-inf")
    for x0, x1 in under:
        if x0 >= right:
            apart += 1
        right = max(right, x1)
    return apart >= 2


def _with_header_columns(cols: list[tuple[float, float]], rows: list[_Row], values_x: float | None) -> list[tuple[float, float]]:
    """The data columns, fitted to the column headers: a header stands over the numbers of its column
    (the column nearest to it takes its extent, however the two are aligned), and a header over no
    number is a column of its own (a column whose cells are all blank, as portals leave zeros). A group
    header (over two or more headers below it) makes no column."""
    if values_x is None:
        return cols
    segs = _header_segments(rows, values_x)
    leaves: list[list[float]] = []
    for x0, x1 in sorted((s.x0, s.x1) for ln, s in segs if not _is_group(ln, s, segs)):
        if leaves and x0 <= leaves[-1][1]:  # pieces of one wrapped header
            leaves[-1][1] = max(leaves[-1][1], x1)
        else:
            leaves.append([x0, x1])
    if not leaves:
        return cols
    out = [list(c) for c in cols]
    value_cols = [k for k, c in enumerate(cols) if c[1] >= values_x - X_TOL]
    mine: dict[int, list[int]] = {}
    for k in value_cols:
        centre = (cols[k][0] + cols[k][1]) / 2
        nearest = min(range(len(leaves)), key=lambda i: abs((leaves[i][0] + leaves[i][1]) / 2 - centre))
        mine.setdefault(nearest, []).append(k)
    for i, (x0, x1) in enumerate(leaves):
        taken = mine.get(i, [])
        if len(taken) == 1:
            k = taken[0]
            grown = [min(out[k][0], x0), max(out[k][1], x1)]
            if not any(_overlap(tuple(grown), tuple(c)) for j, c in enumerate(out) if j != k):
                out[k] = grown
        elif not taken and not any(_overlap((x0, x1), tuple(c)) for c in out):
            out.append([x0, x1])
    return sorted((a, b) for a, b in out)


def _merge_header_lines(rows: list[_Row], cols: list[tuple[float, float]], n_label: int) -> list[_Row]:
    """Header lines packed one under the other (a header cell's text wrapped: 商业/企业, 自然/人) are one
    header row, its texts joined column by column. A group header over several columns stays a row."""
    out: list[_Row] = []
    value_x = cols[n_label][0] - X_TOL if len(cols) > n_label else float("inf")
    # the header: the rows above the first data row, up to the first one with nothing over the numbers
    # (a row label whose cells are all blank)
    first_data = next((i for i, r in enumerate(rows)
                       if r.data or not any(s.x1 > value_x for ln in r.lines for s in ln.segments)), len(rows))
    head = [(ln, s) for r in rows[:first_data] for ln in r.lines for s in ln.segments]

    def spanning(r: _Row) -> bool:
        return any(len([j for j in _place(s, cols, n_label, False) if j >= n_label]) > 1 or _is_group(ln, s, head)
                   for ln in r.lines for s in ln.segments)

    for i, r in enumerate(rows):
        if i < first_data and out and not out[-1].data and not spanning(r) and not spanning(out[-1]) \
                and r.top - out[-1].bottom < WRAP_SIZE * r.lines[0].size:
            out[-1].lines.extend(r.lines)
            continue
        out.append(r)
    return out


def _indents(xs: list[float]) -> list[float]:
    """The x-positions at which two or more label segments start (the label column's indent levels)."""
    groups: list[list[float]] = []
    for x in sorted(xs):
        if groups and x - groups[-1][-1] <= X_TOL:
            groups[-1].append(x)
        else:
            groups.append([x])
    return [g[0] for g in groups if len(g) >= INDENT_MIN]


def _split_labels(cols: list[tuple[float, float]], stacks: list[_Stack], region: list[TextLine]) -> list[tuple[float, float]]:
    """The label column cut into sub-columns: one per stack, and one for what starts right of it."""
    first = cols[0]
    bound = cols[1][0] if len(cols) > 1 else float("inf")
    label = [s for ln in region for s in ln.segments if not _is_value(s.text) and s.x1 <= bound]
    if label:  # the label column reaches as far as any label (a label-only row set further out or longer)
        first = (min(first[0], min(s.x0 for s in label)), max(first[1], max(s.x1 for s in label)))
        cols = [first] + cols[1:]
    indents = _indents([s.x0 for s in label])
    if not stacks and len(indents) < 2:
        return cols
    starts = {round(st.x0, 1) for st in stacks} | {round(x, 1) for x in indents[1:]}
    for st in stacks:
        after = [s.x0 for s in label if s.x0 > st.x1 and s.x1 <= cols[0][1] + X_TOL]
        if after:
            starts.add(round(min(after), 1))
    cuts = sorted(x for x in starts if first[0] - X_TOL <= x <= first[1])
    merged: list[float] = []
    for x in [first[0]] + cuts:
        if not merged or x - merged[-1] > X_TOL:
            merged.append(x)
    subs = [(merged[k], merged[k + 1]) for k in range(len(merged) - 1)] + [(merged[-1], first[1])]
    return subs + cols[1:]


# --------------------------------------------------------------------------------------------- grid


def _nearest(centers: list[float], x: float) -> int:
    return min(range(len(centers)), key=lambda j: abs(centers[j] - x))


def _place(seg: Segment, cols: list[tuple[float, float]], n_label: int, data: bool) -> list[int]:
    """The columns a segment fills. In the label sub-columns: the one it starts in, and those it runs
    into. Elsewhere: the one nearest its middle for data, the ones whose centres a header covers."""
    if n_label > 1 and seg.x0 < cols[n_label - 1][1]:
        first = max((k for k in range(n_label) if cols[k][0] <= seg.x0 + X_TOL), default=0)
        last = max((k for k in range(first, n_label) if cols[k][0] < seg.x1 - X_TOL), default=first)
        return list(range(first, last + 1))
    centers = [(a + b) / 2 for a, b in cols]
    if not data:
        covered = [j for j, c in enumerate(centers) if j >= n_label - 1 and seg.x0 - 1 <= c <= seg.x1 + 1]
        if covered:
            return covered
    return [_nearest(centers, seg.center)]


def _fill(row: _Row, cols: list[tuple[float, float]], n_label: int, page: int) -> None:
    texts: dict[int, list[str]] = {}
    boxes: dict[int, list[float]] = {}
    spans: dict[int, list[int]] = {}
    for ln in row.lines:
        for seg in ln.segments:
            where = _place(seg, cols, n_label, row.data)
            j = where[0]
            texts.setdefault(j, []).append(seg.text)
            spans[j] = sorted(set(spans.get(j, [])) | set(where))
            b = boxes.setdefault(j, [seg.x0, ln.top, seg.x1, ln.bottom])
            b[:] = [min(b[0], seg.x0), min(b[1], ln.top), max(b[2], seg.x1), max(b[3], ln.bottom)]
    row.cells = [None] * len(cols)
    for j in sorted(texts):
        g = GridCell(join_lines(texts[j]), page, tuple(boxes[j]))
        for k in range(spans[j][0], spans[j][-1] + 1):
            if row.cells[k] is None:
                row.cells[k] = g


def _place_stacks(stacks: list[_Stack], rows: list[_Row], page: int) -> None:
    """Each stack becomes the merged cell it draws. Its text is centred in the cell, so the cell spans
    the rows beside the text and as many empty rows above and below as put the cell's middle closest
    to the text's middle."""
    if not rows:
        return
    bounds = [rows[0].top] + [(a.bottom + b.top) / 2 for a, b in zip(rows, rows[1:])] + [rows[-1].bottom]
    pitch = median([b - a for a, b in zip(bounds, bounds[1:])])
    cores: list[tuple[_Stack, int, int]] = []
    core_rows: set[tuple[int, int]] = set()
    for st in stacks:
        beside = [i for i, r in enumerate(rows) if st.top - 1 <= (r.top + r.bottom) / 2 <= st.bottom + 1 and r.cells[st.column] is None]
        if beside:
            cores.append((st, beside[0], beside[-1]))
            core_rows.update((st.column, i) for i in range(beside[0], beside[-1] + 1))
    for st, lo, hi in cores:
        j = st.column
        tol = min(CENTRED_SIZE * st.parts[0][0].size, CENTRED_PITCH * pitch)

        def free(i: int) -> bool:
            return rows[i].data and rows[i].cells[j] is None and (j, i) not in core_rows

        first = lo
        while first > 0 and free(first - 1):
            first -= 1
        last = hi
        while last + 1 < len(rows) and free(last + 1):
            last += 1
        middle = (st.top + st.bottom) / 2
        spans = [(abs((bounds[a] + bounds[b + 1]) / 2 - middle), a, b) for a in range(first, lo + 1) for b in range(hi, last + 1)]
        centred = [sp for sp in spans if sp[0] <= tol]
        _, a, b = max(centred, key=lambda sp: (sp[2] - sp[1], -sp[0])) if centred else min(spans)
        g = GridCell(st.text, page, (st.x0, st.top, st.x1, st.bottom))
        for i in range(a, b + 1):
            if rows[i].cells[j] is None:
                rows[i].cells[j] = g


def _part(region: list[TextLine]) -> TablePart:
    data = [ln for ln in region if _is_data(ln)]
    values = [s.x0 for ln in data for s in ln.segments if _is_value(s.text)]
    # stacks are row labels; a table whose data rows carry no label (表四) has none, only its header
    labelled = any(not _is_value(s.text) for ln in data for s in ln.segments)
    stacks = _stacks(region, min(values)) if values and labelled else []
    taken = {id(s) for st in stacks for _, s in st.parts}
    lines = [replace(ln, segments=[s for s in ln.segments if id(s) not in taken]) for ln in region]
    lines = [ln for ln in lines if ln.segments]
    rows = _rows(lines)
    # columns from the data rows with their wrapped label lines: a label may wrap around its numbers
    # and share no line with them; and a column header over no number (a column left blank) its own
    base = _columns([ln for r in rows if r.data for ln in r.lines])
    head_x = min((s.x0 for ln in lines for s in ln.segments), default=None)
    labelled = labelled or any(not _is_value(s.text) for r in rows if r.data for ln in r.lines for s in ln.segments)
    # without row labels (table 四), the numbers may start right of blank columns: the headers say where
    base = _with_header_columns(base, rows, min(values) if values and labelled else head_x)
    if values and labelled:  # label columns (left of every number) are one, cut again by indents and stacks
        labels = [c for c in base if c[1] < min(values) - X_TOL]
        if len(labels) > 1:
            base = [(labels[0][0], max(c[1] for c in labels))] + [c for c in base if c not in labels]
    cols = _split_labels(base, stacks, lines)
    n_label = len(cols) - len(base) + 1
    for st in stacks:
        st.column = max((k for k in range(n_label) if cols[k][0] <= st.x0 + X_TOL), default=0)
    page = region[0].page
    rows = _merge_header_lines(rows, cols, n_label)
    for row in rows:
        _fill(row, cols, n_label, page)
    _place_stacks(stacks, rows, page)
    grid = [[c if c is not None else GridCell("", page, None) for c in r.cells] for r in rows]
    edges = [cols[0][0]] + [(cols[j][1] + cols[j + 1][0]) / 2 for j in range(len(cols) - 1)] + [cols[-1][1]]
    bbox = (min(ln.x0 for ln in region), region[0].top, max(ln.x1 for ln in region), region[-1].bottom)
    return TablePart(rows=grid, col_edges=edges, pages=[page], bbox=bbox, ruled=False)


def _blank_rows_under(region: list[TextLine], lines: list[TextLine]) -> list[TextLine]:
    """Row labels packed under a header that has no number under it (rows whose cells are all blank):
    lines left of where the header's column headers start, each close under the one before."""
    right = min((s.x0 for ln in region for s in ln.segments[1:]), default=None)
    out: list[TextLine] = []
    prev = region[-1]
    for ln in lines:
        if ln.top <= region[-1].top:
            continue
        if right is None or not _in_label_area(ln, right) or not _near(prev, ln) or not _same_size(prev, ln) \
                or _SECTION.match(_text(ln)) and ln.x0 > region[0].x0 + X_TOL:
            break
        out.append(ln)
        prev = ln
    return out


def _followed(region: list[TextLine], lines: list[TextLine]) -> bool:
    """Does text follow the region on its page, close below it (the next section after a table whose
    cells are all blank)?"""
    bottom, size = region[-1].bottom, region[-1].size
    return any(ln.top > bottom and ln.top - bottom <= HEADER_FOLLOW * max(size, ln.size) for ln in lines)


def find_borderless(lines: list[TextLine]) -> tuple[list[TablePart], set[int]]:
    """Tables among a page's lines (top to bottom), and the ids of the lines they took."""
    parts: list[TablePart] = []
    taken: set[int] = set()
    _prose_as_one(lines)
    for region in _regions(lines):
        if not any(_is_data(ln) for ln in region):
            region = region + _blank_rows_under(region, lines)
            if _is_tabular(region[-1]) and not _followed(region, lines):
                continue  # a header at a page's foot: its rows are on the next page, read with them
        parts.append(_part(region))
        taken.update(id(ln) for ln in region)
    return parts, taken
