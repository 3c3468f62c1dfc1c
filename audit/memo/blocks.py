"""The table block a finding is drawn with: the rows and columns of its cells, small.

A finding names the cells of its identity (``location.field_ids``) and, when localisation found them,
the cells most likely wrong (``suggestion[i]["cells"]``). The block is every row × every column those
cells span, in the table's order, each cell marked as the suspect (the one correction localisation found),
a candidate (one of several equally small corrections), a member of the identity, or context.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.model import Fields, Finding, Value, ValueKind

SUSPECT, CANDIDATE, IDENTITY, CONTEXT = "suspect", "candidate", "identity", "context"


def split_id(fid: str) -> tuple[str, str, str] | None:
    """``t3.denied.third_party.natural`` → (``t3``, ``denied.third_party``, ``natural``)."""
    parts = fid.split(".")
    if len(parts) < 3 or not parts[0].startswith("t"):
        return None
    return parts[0], ".".join(parts[1:-1]), parts[-1]


@dataclass
class BlockCell:
    field: str
    value: Value | None
    role: str
    fix: object = None  # the consistent value localisation proposes, for suspects and candidates

    @property
    def blank(self) -> bool:
        return self.value is None or (self.value.kind is not ValueKind.NUMBER and not self.value.raw.strip())

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        return self.value.raw.strip() or ("" if self.value.value is None else str(self.value.value))


@dataclass
class Block:
    table: str
    columns: list[tuple[str, str]]  # (column id, label)
    rows: list[tuple[str, str, list[BlockCell]]] = field(default_factory=list)  # (row id, label, cells)

    @property
    def cells(self) -> list[BlockCell]:
        return [c for _, _, cells in self.rows for c in cells]


def suspects(finding: Finding) -> tuple[dict[str, object], str]:
    """The localised cells (field → consistent value) and their role: one alternative makes a suspect,
    several equally small ones make candidates."""
    alternatives = [a for a in (finding.suggestion or []) if isinstance(a, dict) and a.get("cells")]
    role = SUSPECT if len(alternatives) == 1 else CANDIDATE
    out: dict[str, object] = {}
    for alt in alternatives:
        for cell in alt["cells"]:
            if isinstance(cell, dict) and cell.get("field"):
                out.setdefault(cell["field"], cell.get("consistent"))
    return out, role


def _order(fields: Fields) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Row and column positions per table, as the fields were read (the table's own order)."""
    rows: dict[tuple[str, str], int] = {}
    cols: dict[tuple[str, str], int] = {}
    for fid in fields:
        parts = split_id(fid)
        if parts:
            t, r, c = parts
            rows.setdefault((t, r), len(rows))
            cols.setdefault((t, c), len(cols))
    return rows, cols


def _label(fields: Fields, ids: list[str], attr: str, default: str) -> str:
    for fid in ids:
        v = fields.get(fid)
        text = getattr(v, attr, None) if v is not None else None
        if text:
            return " ".join(text.split())
    return default


def blocks(finding: Finding, fields: Fields) -> list[Block]:
    """One block per table the finding's cells lie in (usually one); none when it names no table cell."""
    marked, role = suspects(finding)
    ids = list(dict.fromkeys([*finding.location.field_ids, *marked]))
    by_table: dict[str, list[tuple[str, str, str]]] = {}
    for fid in ids:
        parts = split_id(fid)
        if parts:
            by_table.setdefault(parts[0], []).append(parts)
    row_pos, col_pos = _order(fields)
    out = []
    for table, parts in by_table.items():
        rows = sorted(dict.fromkeys(r for _, r, _ in parts), key=lambda r: row_pos.get((table, r), len(row_pos)))
        cols = sorted(dict.fromkeys(c for _, _, c in parts), key=lambda c: col_pos.get((table, c), len(col_pos)))
        columns = [(c, _label(fields, [f"{table}.{r}.{c}" for r in rows], "column_label", c)) for c in cols]
        block = Block(table=table, columns=columns)
        for r in rows:
            cells = []
            for c in cols:
                fid = f"{table}.{r}.{c}"
                if fid in marked:
                    cell = BlockCell(fid, fields.get(fid), role, marked[fid])
                else:
                    cell = BlockCell(fid, fields.get(fid), IDENTITY if fid in finding.location.field_ids else CONTEXT)
                cells.append(cell)
            label = _label(fields, [f"{table}.{r}.{c}" for c in cols], "row_label", r)
            block.rows.append((r, label, cells))
        out.append(block)
    return out
