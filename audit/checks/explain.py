"""Plain-language pieces of findings: table names, cell labels, where a group of cells sits."""
from __future__ import annotations

from decimal import Decimal

from audit.model import Fields, Location, Value

TABLES = {"t2": ("表二", "Table 2"), "t3": ("表三", "Table 3"), "t4": ("表四", "Table 4")}
SECTIONS_ZH = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六"}


def table_of(fid: str) -> str | None:
    head = fid.split(".", 1)[0]
    return head if head in TABLES else None


def table_name(table: str | None, lang: str) -> str:
    zh, en = TABLES.get(table or "", ("表格", "The table"))
    return zh if lang == "zh" else en


def show(x) -> str:
    if isinstance(x, Decimal):
        return format(x.normalize(), "f") if x == x.to_integral_value() else format(x, "f")
    return str(x)


def cell_label(fid: str, value: Value | None) -> str:
    """“row / column” as the report labels them, else the field id."""
    if value is not None and (value.row_label or value.column_label):
        return " / ".join(x for x in (value.row_label, value.column_label) if x)
    return fid


def short_label(loc: Location, fid: str, value: Value | None) -> str:
    """A cell's label inside a finding whose cells share a row or a column: only the part that differs."""
    if value is None:
        return fid
    if loc.row_label and value.row_label == loc.row_label and value.column_label:
        return value.column_label
    if loc.column_label and value.column_label == loc.column_label and value.row_label:
        return value.row_label
    return cell_label(fid, value)


def shared_labels(fields: Fields, ids: list[str]) -> tuple[str | None, str | None]:
    """The row label all cells share, and the column label all cells share (None when they differ)."""
    vals = [fields.get(f) for f in ids]
    rows = {v.row_label for v in vals if v is not None}
    cols = {v.column_label for v in vals if v is not None}
    row = rows.pop() if len(rows) == 1 else None
    col = cols.pop() if len(cols) == 1 else None
    return row, col


def location(fields: Fields, ids: list[str], anchor: str | None = None) -> Location:
    """Where a group of cells sits: table, the row or column they share, the anchor cell's page."""
    ids = list(dict.fromkeys(ids))
    row, col = shared_labels(fields, ids)
    first = fields.get(anchor or (ids[0] if ids else ""))
    table = table_of(ids[0]) if ids else None
    return Location(section={"t2": 2, "t3": 3, "t4": 4}.get(table or ""), page=first.page if first else None,
                    table=table, row_label=row, column_label=col, field_ids=ids)


def where(loc: Location, lang: str) -> str:
    t = table_name(loc.table, lang)
    if lang == "zh":
        if loc.row_label and not loc.column_label:
            return f"{t}“{loc.row_label}”行"
        if loc.column_label and not loc.row_label:
            return f"{t}“{loc.column_label}”列"
        if loc.row_label and loc.column_label:
            return f"{t}“{loc.row_label}”行“{loc.column_label}”列"
        return t
    if loc.row_label and not loc.column_label:
        return f"{t}, row “{loc.row_label}”"
    if loc.column_label and not loc.row_label:
        return f"{t}, column “{loc.column_label}”"
    if loc.row_label and loc.column_label:
        return f"{t}, row “{loc.row_label}”, column “{loc.column_label}”"
    return t
