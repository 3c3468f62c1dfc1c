"""The table block a finding is drawn with: the rows and columns of its cells, small.

A finding names the cells of its identity (``location.field_ids``) and, when localisation found them,
the cells most likely wrong (``suggestion[i]["cells"]``). The block is every row × every column those
cells span, in the table's order, each cell marked as the suspect (the one correction localisation found),
a candidate (one of several equally small corrections), a member of the identity, or context.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audit.model import Fields, Finding, Value, ValueKind
from audit.tables import schema
from audit.tables.schema import TableSchema

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


def _official(fields: Fields, table: str) -> TableSchema | None:
    """The format's schema of ``table``, when the fields were read with a known format."""
    fmt = getattr(fields, "format", None)
    if fmt not in schema.FORMATS:
        return None
    return next((t for t in schema.load(fmt).tables if t.id == table), None)


def _seen_order(fields: Fields, table: str) -> tuple[dict[str, int], dict[str, int]]:
    """Row and column positions as the fields were read (the report's own order)."""
    rows: dict[str, int] = {}
    cols: dict[str, int] = {}
    for fid in fields:
        parts = split_id(fid)
        if parts and parts[0] == table:
            rows.setdefault(parts[1], len(rows))
            cols.setdefault(parts[2], len(cols))
    return rows, cols


def _report_label(fields: Fields, ids: list[str], attr: str, default: str) -> str:
    for fid in ids:
        text = getattr(fields.get(fid), attr, None)
        if text:
            return " ".join(text.split())
    return default


def _axes(fields: Fields, table: str, rows: list[str], cols: list[str]):
    """Rows and columns in the table's order with their labels: the official order and wording when the
    format is known (a row's group shown where it starts), else as the report has them."""
    official = _official(fields, table)
    seen_rows, seen_cols = _seen_order(fields, table)
    known_rows = {r.id: (i, r) for i, r in enumerate(official.rows)} if official else {}
    known_cols = {c.id: (i, c) for i, c in enumerate(official.columns)} if official else {}
    far = len(seen_rows) + len(seen_cols) + len(known_rows) + len(known_cols)
    rows = sorted(rows, key=lambda r: (known_rows.get(r, (far,))[0], seen_rows.get(r, far), r))
    cols = sorted(cols, key=lambda c: (known_cols.get(c, (far,))[0], seen_cols.get(c, far), c))
    row_labels, group = [], None
    for r in rows:
        if r in known_rows:
            spec = known_rows[r][1]
            row_labels.append(spec.full_label if spec.group and spec.group != group else spec.label)
            group = spec.group
        else:
            row_labels.append(_report_label(fields, [f"{table}.{r}.{c}" for c in cols], "row_label", r))
            group = None
    col_labels = [known_cols[c][1].label if c in known_cols
                  else _report_label(fields, [f"{table}.{r}.{c}" for r in rows], "column_label", c) for c in cols]
    return list(zip(rows, row_labels)), list(zip(cols, col_labels))


def blocks(finding: Finding, fields: Fields) -> list[Block]:
    """One block per table the finding's cells lie in (usually one); none when it names no table cell."""
    marked, role = suspects(finding)
    ids = list(dict.fromkeys([*finding.location.field_ids, *marked]))
    by_table: dict[str, list[tuple[str, str, str]]] = {}
    for fid in ids:
        parts = split_id(fid)
        if parts:
            by_table.setdefault(parts[0], []).append(parts)
    out = []
    for table, parts in by_table.items():
        rows, columns = _axes(fields, table, list(dict.fromkeys(r for _, r, _ in parts)),
                              list(dict.fromkeys(c for _, _, c in parts)))
        block = Block(table=table, columns=columns)
        for r, label in rows:
            cells = []
            for c, _ in columns:
                fid = f"{table}.{r}.{c}"
                if fid in marked:
                    cells.append(BlockCell(fid, fields.get(fid), role, marked[fid]))
                else:
                    cells.append(BlockCell(fid, fields.get(fid),
                                           IDENTITY if fid in finding.location.field_ids else CONTEXT))
            block.rows.append((r, label, cells))
        out.append(block)
    return out
