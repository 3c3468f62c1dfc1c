"""Borderless tables as real PDFs have them, read cell by cell.

- ``word_borderless``: a Word table whose borders were removed, exported by LibreOffice, its label
  columns so narrow that a row label wraps over up to five lines beside numbers centred in the row.
  Rows are told apart by the item numbers that open official labels and by the centring, never by a
  gap (a table without borders has none between rows).
- ``web_print``: a portal page printed to PDF by a browser (headless Chromium), every zero of tables
  三 and 四 left blank: values go to the column whose header stands over them, a blank stays blank.
- The seed report (../shared/reports, its 198 cells in ../shared/acceptance/seed-fields.json) laid out
  as ``word_borderless``: every cell (skipped when ../shared is not beside the project).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
generator = pytest.importorskip("corpora.generator")

from audit import tables  # noqa: E402
from audit.model import ValueKind  # noqa: E402
from tests._pdf_helpers import DrawnCell, DrawnPage, DrawnTable, drawn_pdf, load  # noqa: E402

SEED_FIELDS = Path(__file__).resolve().parents[2] / "shared" / "acceptance" / "seed-fields.json"


def _need(*tools: str) -> None:
    if not any(shutil.which(t) for t in tools):
        pytest.skip(f"{tools[0]} is not installed")


def wrong_cells(spec, layout, data: bytes) -> dict:
    doc = load(data)
    fields = tables.extract(doc)
    out = {}
    for fid, want in spec.expected_fields(layout).items():
        got = fields.get(fid)
        if want is None:
            if got is None or got.value is not None or got.kind is not ValueKind.BLANK:
                out[fid] = (None, None if got is None else (got.value, str(got.kind)))
        elif got is None or got.value != want:
            out[fid] = (want, None if got is None else got.value)
    return out


@pytest.mark.parametrize("fmt,seed", [("2019", 41), ("2021", 42)])
def test_word_table_without_borders_labels_over_five_lines(fmt, seed):
    _need("soffice", "libreoffice")
    spec = generator.random_report(fmt, seed=seed)
    assert wrong_cells(spec, "word_borderless", generator.render(spec, "pdf", "word_borderless")) == {}


@pytest.mark.parametrize("fmt,seed", [("2019", 43), ("2021", 44)])
def test_browser_printed_page_with_blank_zero_cells(fmt, seed):
    _need("chromium", "chromium-browser", "google-chrome")
    spec = generator.random_report(fmt, seed=seed)
    blanks = [f for f, v in spec.expected_fields("web_print").items() if v is None]
    assert blanks, "the layout leaves the zeros blank"
    assert wrong_cells(spec, "web_print", generator.render(spec, "pdf", "web_print")) == {}


def test_seed_report_without_borders_reads_all_198_cells():
    if not SEED_FIELDS.is_file():
        pytest.skip("../shared/acceptance/seed-fields.json is not here")
    _need("soffice", "libreoffice")
    want = json.loads(SEED_FIELDS.read_text(encoding="utf-8"))["fields"]
    from decimal import Decimal

    values = {f: (Decimal(v) if isinstance(v, str) else 0 if v is None else v) for f, v in want.items()}
    spec = generator.random_report("2019", seed=7).copy(values=values)
    blank = {f for f, v in want.items() if v is None}
    plain_text = spec.cell_text
    spec.cell_text = lambda layout="plain": {**plain_text(layout), **dict.fromkeys(blank, "")}
    fields = tables.extract(load(generator.render(spec, "pdf", "word_borderless")))
    wrong = {}
    for fid, v in want.items():
        got = fields.get(fid)
        ok = got is not None and (got.value is None and got.kind is ValueKind.BLANK if v is None
                                  else got.value == values[fid])
        if not ok:
            wrong[fid] = (v, None if got is None else got.value)
    assert len(want) == 198 and wrong == {}


def test_values_under_their_headers_with_whole_columns_blank():
    """Drawn directly (no browser needed): a table 四 whose rows hold a few numbers, most cells blank
    and two columns blank from top to bottom; each number belongs to the header above it."""
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    cells = [DrawnCell(0, 0, "行政复议", colspan=5)] + [DrawnCell(1, j, h) for j, h in enumerate(heads)]
    cells += [DrawnCell(2, 0, "3"), DrawnCell(2, 4, "3"), DrawnCell(3, 1, "2"), DrawnCell(3, 4, "2")]
    widths = [70] * 5
    table = DrawnTable(60, 120, widths, [22, 22, 22, 22], cells, ruled=False)
    doc = load(drawn_pdf([DrawnPage(texts=[(60, 80, "四、行政复议情况")], tables=[table])]))
    assert len(doc.tables) == 1
    grid = doc.tables[0].grid()
    assert grid[-3][:5] == heads
    assert [row[:5] for row in grid[-2:]] == [["3", "", "", "", "3"], ["", "2", "", "", "2"]]
