"""The fast character path (audit.ingest.pdf_chars) gives pdfplumber's own page objects, and so the same
Document, on Word-made, reportlab and defective sample PDFs."""
from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from audit.ingest import pdf_chars
from audit.ingest.pdf import load_pdf
from audit.model import Source

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"
PDFS = sorted(SAMPLES.glob("*.pdf"))


def _objects(data: bytes):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.objects, p.chars, p.edges) for p in pdf.pages]


@pytest.fixture
def original():
    was = pdfplumber.page.Page.process_object
    pdf_chars.uninstall()
    yield
    pdfplumber.page.Page.process_object = was


@pytest.mark.skipif(not pdf_chars.supported(), reason="pdfplumber version not checked for the fast path")
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_fast_chars_equal_pdfplumbers_own(path, original):
    data = path.read_bytes()
    source = Source.from_bytes(str(path), data, "pdf")
    slow_objects, slow_doc = _objects(data), load_pdf(path, data, source)
    assert pdf_chars.install()
    fast_objects, fast_doc = _objects(data), load_pdf(path, data, source)
    assert sum(len(chars) for _, chars, _ in fast_objects) > 500
    assert fast_objects == slow_objects
    assert fast_doc == slow_doc


def test_other_versions_are_left_alone(monkeypatch, original):
    monkeypatch.setattr(pdfplumber, "__version__", "0.12.0")
    assert not pdf_chars.install()
    assert pdfplumber.page.Page.process_object is pdf_chars._original
