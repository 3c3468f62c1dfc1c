"""Helpers for the tables tests: documents built from grids and lines, the official label texts, and
the shared real reports (skipped cleanly when ../shared is absent)."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from audit.model import Cell, Document, Line, Meta, Paragraph, Source, Span, Table, ValueKind
from audit.tables import schema

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "reports" / "000_2a4738e891b759f6.txt"
REAL = SHARED / "reports" / "real"


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def assert_seed_fields(fields) -> None:
    """Every one of the seed report's 198 cells as ``acceptance/seed-fields.json`` has it (null: blank)."""
    expected = json.loads((SHARED / "acceptance" / "seed-fields.json").read_text(encoding="utf-8"))["fields"]
    assert len(expected) == 198
    for fid, want in expected.items():
        got = fields[fid]
        if want is None:
            assert got.kind is ValueKind.BLANK, fid
        else:
            assert got.kind is ValueKind.NUMBER and Decimal(str(got.value)) == Decimal(str(want)), fid


def grid(rows: list[list[str | None]], page: int = 1) -> Table:
    cells = [[None if t is None else Cell(t, Span(page=page, line=i)) for t in row] for i, row in enumerate(rows)]
    return Table(cells, page=page, pages=[page])


def para(*lines: str, page: int = 1) -> Paragraph:
    return Paragraph("\n".join(lines), [Line(t, Span(page=page, line=i)) for i, t in enumerate(lines)])


def document(*blocks, year: int | None = None) -> Document:
    meta = Meta(year=year, format_by_year=schema.format_for_year(year))
    return Document(Source("test.txt", "0" * 64, "txt", 0), list(blocks), meta=meta)


def tab_grid(text: str) -> Table:
    """A grid from tab-separated lines, as a flattened text file gives it (labels in varying columns)."""
    return grid([line.split("\t") for line in text.strip("\n").split("\n")])


def t3_header(org_total: bool = False) -> list[list[str]]:
    cols = ["自然人"] + (["小计"] if org_total else []) + ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    return [["", "申请人情况"], ["", *cols]]


def t3_rows(fmt: str, values: dict[str, list], *, label_of=None) -> list[list[str]]:
    """Table 三's rows of a format with the official labels (or ``label_of(row)``) and given values."""
    table = schema.load(fmt).table("t3")
    out = []
    for row in table.rows:
        if row.id in values:
            label = label_of(row) if label_of else row.full_label
            out.append([label, *[str(v) for v in values[row.id]]])
    return out


def t3_values(fmt: str, overrides: dict[str, list] | None = None, n: int = 7) -> dict[str, list]:
    """Every non-optional row of table 三 zero, except the rows in ``overrides``."""
    table = schema.load(fmt).table("t3")
    return {r.id: (overrides or {}).get(r.id, [0] * n) for r in table.rows if not r.optional}
