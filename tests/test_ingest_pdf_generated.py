"""Generated reports (corpora.generator) read through the PDF ingest: every cell of tables 二–四 lands
where the table mapping finds the value the generator wrote, for the layouts that stress the ingest:
a table over a page break with a wrapped label cut and a repeated header (Word-made), and borderless
tables with stacked group labels (reportlab)."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("reportlab")
generator = pytest.importorskip("corpora.generator")

from audit import tables  # noqa: E402
from tests._pdf_helpers import load  # noqa: E402

LAYOUTS = [
    ("2021", "borderless", 11),
    ("2019", "borderless+wrapped_labels", 12),
    ("2021", "page_break_t3+repeated_header", 13),
    ("2019", "page_break_t3+wrapped_labels", 14),
]


@pytest.mark.parametrize("fmt,layout,seed", LAYOUTS, ids=[f"{f}-{lay}" for f, lay, _ in LAYOUTS])
def test_every_cell_of_a_generated_pdf(fmt, layout, seed):
    if "borderless" not in layout and not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    spec = generator.random_report(fmt, seed=seed)
    doc = load(generator.render(spec, "pdf", layout=layout))
    fields = tables.extract(doc)
    expected = spec.expected_fields(layout)
    wrong = {fid: (v, fields.number(fid)) for fid, v in expected.items() if fields.number(fid) != v}
    assert wrong == {}
    if "page_break_t3" in layout:
        assert any(n.startswith("joined table over pages") for n in doc.notes)
    assert doc.page_count >= 2 and not any(p.text.startswith("— ") for p in doc.paragraphs)
