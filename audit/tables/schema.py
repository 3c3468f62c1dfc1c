"""The official table formats, loaded from ``schemas/<format>.yaml``.

The code knows no table, row or column by name: everything it needs (labels, variants, which columns a
row has, value types, the layout of a table, the identity a row satisfies) is in the schema files.

    >>> s = load("2019")
    >>> [t.id for t in s.tables]
    ['t2', 't3', 't4']
    >>> s.table("t3").field_id("denied.third_party", "natural")
    't3.denied.third_party.natural'
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from audit import yamlload

from audit.document.meta import format_for_year  # noqa: F401  (the year → format mapping lives there)
from audit.errors import RuleFileError
from audit.tables.labels import normalize

COUNT, SIGNED, AMOUNT = "count", "signed", "amount"
ROWS, ACROSS = "rows", "across"


@dataclass(frozen=True)
class ColumnSchema:
    id: str
    label: str
    variants: tuple[str, ...] = ()
    type: str = COUNT  # count | signed | amount
    unit: str | None = None  # for amounts: the unit the header prescribes (万元)
    optional: bool = False  # present only when a report has it (table 三's 小计)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """The normalised labels this column answers to."""
        return tuple(dict.fromkeys(k for k in (normalize(x) for x in (self.label, *self.variants)) if k))


@dataclass(frozen=True)
class RowSchema:
    id: str
    label: str
    columns: tuple[str, ...]
    group: str | None = None  # the group label printed beside it (（三）不予公开)
    variants: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()  # a superseded layout's row standing for these rows; read only when found

    @property
    def full_label(self) -> str:
        return f"{self.group} {self.label}" if self.group else self.label

    @property
    def optional(self) -> bool:
        return bool(self.replaces)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for k in (normalize(x) for x in (self.label, *self.variants)) if k))


@dataclass(frozen=True)
class TableSchema:
    id: str
    number: str
    title: str
    section: int | None
    layout: str
    columns: tuple[ColumnSchema, ...]
    rows: tuple[RowSchema, ...]
    groups: tuple[str, ...] = ()
    row_identity: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (sum column, its terms)

    def column(self, cid: str) -> ColumnSchema:
        return self._columns[cid]

    def row(self, rid: str) -> RowSchema:
        return self._rows[rid]

    @cached_property
    def _columns(self) -> dict[str, ColumnSchema]:
        return {c.id: c for c in self.columns}

    @cached_property
    def _rows(self) -> dict[str, RowSchema]:
        return {r.id: r for r in self.rows}

    def field_id(self, row: str | RowSchema, col: str | ColumnSchema) -> str:
        r = row.id if isinstance(row, RowSchema) else row
        c = col.id if isinstance(col, ColumnSchema) else col
        return f"{self.id}.{r}.{c}"

    def row_columns(self, row: RowSchema, optional: tuple[str, ...] = ()) -> list[ColumnSchema]:
        """The columns of a row in the table's order; optional columns only when named in ``optional``."""
        ids = set(row.columns)
        return [c for c in self.columns if c.id in ids and (not c.optional or c.id in optional)]

    def cells(self, optional: tuple[str, ...] = ()) -> list[tuple[RowSchema, ColumnSchema]]:
        """Every (row, column) pair the format has, in reading order (optional columns and rows that only
        stand in for a superseded layout left out unless named)."""
        return [(r, c) for r in self.rows if not r.optional for c in self.row_columns(r, optional)]

    @cached_property
    def group_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (normalize(g) for g in self.groups) if k)


@dataclass(frozen=True)
class FormatSchema:
    format: str
    first_year: int
    tables: tuple[TableSchema, ...]

    def table(self, tid: str) -> TableSchema:
        return next(t for t in self.tables if t.id == tid)

    def field_ids(self) -> list[str]:
        return [t.field_id(r, c) for t in self.tables for r, c in t.cells()]

    @cached_property
    def label_keys(self) -> dict[str, frozenset[str]]:
        """table id → every normalised row and column label of the table (for format detection)."""
        return {t.id: frozenset(k for x in (*t.rows, *t.columns) for k in x.keys) for t in self.tables}


FORMATS = ("2019", "2021")


@lru_cache(maxsize=None)
def load(format: str) -> FormatSchema:
    """The schema of a format ("2019" or "2021"), read once per process."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
    name = f"{format}.yaml"
    text = resources.files("audit.tables").joinpath("schemas", name).read_text(encoding="utf-8")
    try:
        data = yamlload.safe_load(text)
        return _build(data)
    except (yamlload.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise RuleFileError(f"schema {name}: {exc}") from exc


def _build(data: dict) -> FormatSchema:
    tables = []
    for t in data["tables"]:
        columns = tuple(
            ColumnSchema(
                id=c["id"], label=c["label"], variants=tuple(c.get("variants", ())), type=c.get("type", COUNT),
                unit=c.get("unit"), optional=bool(c.get("optional", False)),
            )
            for c in t["columns"]
        )
        all_cols = tuple(c.id for c in columns)
        rows = tuple(
            RowSchema(
                id=r["id"], label=r["label"], columns=tuple(r.get("columns", all_cols)), group=r.get("group"),
                variants=tuple(r.get("variants", ())), replaces=tuple(r.get("replaces", ())),
            )
            for r in t["rows"]
        )
        known = set(all_cols)
        for r in rows:
            if not set(r.columns) <= known:
                raise ValueError(f"table {t['id']} row {r.id}: unknown columns {sorted(set(r.columns) - known)}")
        for c in columns:
            if c.type not in (COUNT, SIGNED, AMOUNT):
                raise ValueError(f"table {t['id']} column {c.id}: unknown type {c.type!r}")
        identity = tuple((k, tuple(v)) for k, v in (t.get("row_identity") or {}).items())
        layout = t.get("layout", ROWS)
        if layout not in (ROWS, ACROSS):
            raise ValueError(f"table {t['id']}: unknown layout {layout!r}")
        tables.append(TableSchema(
            id=t["id"], number=str(t["number"]), title=t["title"], section=t.get("section"), layout=layout,
            columns=columns, rows=rows, groups=tuple(t.get("groups", ())), row_identity=identity,
        ))
    return FormatSchema(format=str(data["format"]), first_year=int(data["first_year"]), tables=tuple(tables))
