"""Every layout variant of the generator, both formats: every cell's value and meaning exact."""
from __future__ import annotations

from decimal import Decimal

import pytest

from audit import pipeline
from audit.tables.values import clean
from audit.vocab import DASHES, NONE_WORDS

generator = pytest.importorskip("corpora.generator")

LAYOUTS = [(fmt, lay) for fmt in ("2019", "2021") for lay in generator.VARIANTS
           if not (lay == "old_other_row" and fmt != "2021")]
PDF_CASES = [("2019", "page_break_t3"), ("2021", "repeated_header"), ("2021", "borderless"), ("2019", "wrapped_labels")]


def meaning(value, raw: str) -> str:
    t = clean(raw)
    if value is not None:
        return "number"
    return "blank" if not t else "none_word" if t in NONE_WORDS else "dash" if t in DASHES else "unreadable"


def wrong_cells(spec, layout, path) -> list[str]:
    fields = pipeline.extract(pipeline.read(path))
    raw = spec.expected_raw(layout)
    out = []
    for fid, want in spec.expected_fields(layout).items():
        got = fields[fid]
        value_ok = (got.value is None) if want is None else (
            got.value is not None and Decimal(str(got.value)) == Decimal(str(want)))
        if not value_ok or str(got.kind) != meaning(want, raw.get(fid, "")):
            out.append(f"{fid}: want {want!r}, got {got.value!r} ({got.kind})")
    return out


@pytest.mark.parametrize("fmt,layout", LAYOUTS)
@pytest.mark.parametrize("kind", ["txt", "html", "docx"])
def test_layout_exact(tmp_path, fmt, layout, kind):
    spec = generator.random_report(fmt, seed=31)
    path = tmp_path / f"r.{kind}"
    path.write_bytes(generator.render(spec, kind, layout))
    assert wrong_cells(spec, layout, path) == []


@pytest.mark.parametrize("fmt,layout", LAYOUTS)
@pytest.mark.parametrize("rendering", ["txt-cells", "txt-cellrows"])
def test_crawler_cell_list_layout_exact(tmp_path, fmt, layout, rendering):
    kind, options = generator.RENDERINGS[rendering]
    spec = generator.random_report(fmt, seed=31)
    path = tmp_path / "r.txt"
    path.write_bytes(generator.render(spec, kind, layout, **options))
    assert wrong_cells(spec, layout, path) == []


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    specs = [generator.random_report(fmt, seed=17) for fmt, _ in PDF_CASES]
    paths = generator.render_many([(s, "pdf", lay) for s, (_, lay) in zip(specs, PDF_CASES)], out)
    return dict(zip(PDF_CASES, zip(specs, paths)))


@pytest.mark.parametrize("case", PDF_CASES)
def test_pdf_layout_exact(pdfs, case):
    spec, path = pdfs[case]
    assert wrong_cells(spec, case[1], path) == []
