"""Plain-language pieces of findings: table names, cell labels, where a group of cells sits."""
from __future__ import annotations

from decimal import Decimal

from audit.model import Fields, Location, Text, Value

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


def named(fid: str, value: Value | None, lang: str) -> str:
    """A cell by its label with its field id in brackets: “（四）无法提供 1.本机关不掌握相关政府信息 / 自然人（t3.unable.not_held.natural）”."""
    label = cell_label(fid, value)
    if label == fid:
        return fid
    return f"{label}（{fid}）" if lang == "zh" else f"{label} ({fid})"


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


def where_text(loc: Location) -> Text:
    return Text(where(loc, "zh"), where(loc, "en"))


def table_text(table: str | None) -> Text:
    return Text(table_name(table, "zh"), table_name(table, "en"))


def cells_text(fields: Fields, ids: list[str], loc: Location | None = None, limit: int = 12) -> Text:
    """Cells as a reader names them (within ``loc``: only the part of the label that differs), a long
    list cut after ``limit``."""
    names = [f"“{short_label(loc, f, fields.get(f)) if loc is not None else cell_label(f, fields.get(f))}”" for f in ids]
    more = len(names) - limit
    zh, en = "、".join(names[:limit]), ", ".join(names[:limit])
    if more > 0:
        zh, en = zh + f"等{len(names)}个单元格", en + f" and {more} more"
    return Text(zh, en)


def binding_location(fields: Fields, ids: list[str], binding: dict) -> Location:
    """Where one instance of a rule sits (its cells' shared row or column), for a reader: when its cells
    share no label, the bound row or column is named by its label as the report prints it."""
    loc = location(fields, ids)
    if loc.row_label is None and loc.column_label is None:
        for var, val in binding.items():
            for fid, v in fields.items():
                parts = fid.split(".")
                if v is None or (loc.table and parts[0] != loc.table):
                    continue
                if var == "col" and parts[-1] == val and v.column_label:
                    loc.column_label = v.column_label
                    break
                if var != "col" and fid.startswith(f"{parts[0]}.{val}.") and v.row_label:
                    loc.row_label = v.row_label
                    break
    return loc
