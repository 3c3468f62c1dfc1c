"""Rows of numbers without a label, placed by the order of the official rows — only where that order is certain.

A machine conversion of a PDF (to markdown, to text) can keep a row's numbers as a bare row
(“| 0 | 0 | … | 0 |”) and put its label elsewhere, among loose lines of text, often beside another
row's numbers. The numbers keep the table's order; the labels do not. Such rows are placed, one to one,
when all of this holds:

1. *The count is certain.* Between two labelled rows (matched to official rows A and B; or the table's
   start or end) the bare rows are exactly as many as the official rows between A and B that no labelled
   row took (a superseded layout's row and an optional row are never among them). Then the k-th bare row
   is the k-th such row: there is no other way to put them in order.
2. *The rows read.* Each placed row's cells fit its columns (the usual reading of a row's values).
3. *The table's identities confirm it.* Every strict identity across rows (表三's column sums, its balance:
   ``rules.yaml``) that takes a placed cell and can be evaluated holds, and every placed row enters at
   least one that holds. Identities within one row (a row's 总计) say nothing of where the row stands and
   are left to the checks.

Otherwise nothing is placed: the rows the bare numbers may stand for are unreadable, said once for the
table with the reason, never absent from the report and never a guessed value. A placed value's origin
says “placed by row order, confirmed by …”; the identities that confirmed the placement hold there by
construction and are recorded in ``identities_used`` (as ``resolve`` records the identities that settle a
crawler's digit run), so they are no independent evidence for those cells.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as _replace
from decimal import Decimal
from typing import Callable, Sequence

from audit.model import Text
from audit.tables import messages, resolve
from audit.tables.schema import RowSchema, TableSchema


@dataclass
class Gap:
    """The bare rows (in reading order) between two labelled rows, and the official rows (schema indices,
    in order) that no labelled row took between them."""

    bare: list = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    @property
    def certain(self) -> bool:
        return bool(self.bare) and len(self.bare) == len(self.rows)


def gaps(every: Sequence, matched: dict[int, object], table: TableSchema, is_bare: Callable[[object], bool],
         is_open: Callable[[object], bool] = lambda c: False) -> list[Gap]:
    """The gaps of a table's rows (``every``: its rows in reading order; ``matched``: schema index → the
    labelled row matched to it, monotonic) that hold bare rows. A matched row ``is_open`` (a label with no
    cell for a value: its numbers stand elsewhere, “| 1.属于国家秘密 |” above a fragment of bare rows)
    bounds no gap and is one of the rows its gap's bare rows may stand for."""
    where = {id(c): i for i, c in enumerate(every)}
    anchors = sorted((where[id(c)], j) for j, c in matched.items() if id(c) in where and not is_open(c))
    out: dict[tuple[int, int], Gap] = {}
    for i, c in enumerate(every):
        if not is_bare(c):
            continue
        before = max((j for p, j in anchors if p < i), default=-1)
        after = min((j for p, j in anchors if p > i), default=len(table.rows))
        gap = out.get((before, after))
        if gap is None:
            gap = out[(before, after)] = Gap(rows=[
                j for j in range(before + 1, after)
                if (j not in matched or is_open(matched[j])) and not table.rows[j].optional])
        gap.bare.append(c)
    return list(out.values())


@dataclass
class Verdict:
    confirmed: bool
    used: list[resolve.Identity] = field(default_factory=list)  # the identities across rows that confirm it
    reason: Text | None = None  # why not, when not


def _row_of(fid: str) -> str:
    return fid.rsplit(".", 1)[0]


def confirm(table: TableSchema, values: dict, placed: list[RowSchema]) -> Verdict:
    """Whether the table's identities confirm rows placed by order (``values``: every field of the table
    as read with them placed)."""
    ids = list(values)
    known: dict[str, Decimal] = resolve.known_values(values, ids)
    idents = resolve.identities(table, ids, set(known))
    mine = {f"{table.id}.{r.id}" for r in placed}
    used: list[resolve.Identity] = []
    failed: list[resolve.Identity] = []
    for ident in idents:
        rows = {_row_of(f) for f in ident.fids}
        if len(rows) < 2 or not rows & mine or not ident.fids <= set(known):
            continue  # within one row, away from the placed rows, or a term blank or unread: says nothing
        total = sum((coef * known[f] for f, coef in ident.terms), Decimal(0))
        (used if total == 0 else failed).append(ident)
    if failed:
        return Verdict(False, used, messages.order_refuted(table, failed))
    entered = {_row_of(f) for i in used for f in i.fids}
    alone = [r.id for r in placed if f"{table.id}.{r.id}" not in entered]
    if alone:
        return Verdict(False, used, messages.order_unconfirmed(table, alone))
    return Verdict(True, used)


def mark(table: TableSchema, read, placed: list[RowSchema], verdict: Verdict) -> None:
    """Record on ``read`` (a ``grid.TableRead``) how the placed rows' values came: their origin, a note,
    and the identities used."""
    origin = messages.placed_by_order(table, verdict.used)
    mine = {f"{table.id}.{r.id}" for r in placed}
    for fid, v in list(read.values.items()):
        if _row_of(fid) in mine:
            read.values[fid] = _replace(v, origin=origin)
    for ident in verdict.used:
        got = read.identities_used.setdefault(ident.name, [])
        got.extend(f for f, _ in ident.terms if _row_of(f) in mine and f not in got)
    read.notes.append(messages.placed_rows(table, [r.id for r in placed], origin))
