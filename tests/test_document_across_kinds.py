"""The same report as DOCX, HTML and text (rendered by the project's generator) gives the same metadata
and the same sections. The Word-made PDF is the PDF engineer's: tests/test_ingest_pdf_*."""
import pytest

generator = pytest.importorskip("corpora.generator")

from audit import pipeline  # noqa: E402

CASES = [
    ("2019", 3, "plain"),
    ("2019", 5, "page_break_t3+spaced_labels"),
    ("2021", 7, "wrapped_labels"),
    ("2021", 11, "repeated_header+blank_cells"),
]
RENDERINGS = [
    ("docx", {}),
    ("html", {"encoding": "utf-8"}),
    ("html", {"encoding": "gbk-undeclared"}),
    ("txt", {"encoding": "gb18030", "style": "tab"}),
    ("txt", {"encoding": "utf-8-sig", "style": "pipe"}),
]


@pytest.mark.parametrize("fmt, seed, layout", CASES)
def test_same_meta_and_sections_in_every_kind(tmp_path, fmt, seed, layout):
    spec = generator.random_report(fmt, seed=seed)
    reference = None
    for n, (kind, options) in enumerate(RENDERINGS):
        path = tmp_path / f"r{n}.{kind}"
        path.write_bytes(generator.render(spec, kind, layout, **options))
        doc = pipeline.read(path)
        m = doc.meta
        assert (m.agency, m.year, m.published, m.level) == (
            spec.meta.agency, spec.meta.year, spec.meta.published, spec.meta.level), (kind, options)
        assert m.format_by_year == fmt
        assert [s.number for s in doc.sections] == [1, 2, 3, 4, 5, 6], (kind, options)
        sections = {s.number: (s.title, s.text) for s in doc.sections}
        if reference is None:
            reference = sections
        else:
            assert sections == reference, (kind, options)
