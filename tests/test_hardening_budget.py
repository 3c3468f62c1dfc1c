"""A per-document budget for `audit check` (which runs in the user's process, without the batch's
limits): the bytes all of a PDF's streams decode to, the content its pages interpret, the bytes a Word
file's parts really inflate to (not what they declare); each ends in one line, early."""
from __future__ import annotations

import resource

import pytest
from click.testing import CliRunner

from audit import pipeline
from audit.cli import cli
from audit.errors import CorruptFile, TooLarge
from audit.ingest import pdf_limits, zip_limits
from tests.badinput.corpus import (MB, docx_lying_size, docx_wrong_size, many_streams_pdf,
                                   one_stream_many_times_pdf)


def _refused(path, exc=TooLarge) -> str:
    with pytest.raises(exc) as err:
        pipeline.read(path)
    return err.value.reason


def test_distinct_streams_together_past_the_document_budget(tmp_path, monkeypatch):
    # 40 streams of 60 MB (2.4 GB) in the issue; here 12 of 2 MB against a budget lowered to 8 MB
    monkeypatch.setattr(pdf_limits, "MAX_DOCUMENT_DECODED", 8 * MB)
    path = tmp_path / "many.pdf"
    path.write_bytes(many_streams_pdf(streams=12, size=2 * MB))
    assert _refused(path) == ("PDF refused: the document's streams decode to more than 8 MB together "
                              "(a decompression bomb?)")


def test_one_stream_shown_again_and_again(tmp_path, monkeypatch):
    # one whitespace stream listed 1,000 times on a page: no character to count; refused by the bytes
    # of content interpreted (60 MB × 1,000 in the issue; 1 MB × 1,000 against 16 MB here)
    monkeypatch.setattr(pdf_limits, "MAX_CONTENT_BYTES", 16 * MB)
    path = tmp_path / "once.pdf"
    path.write_bytes(one_stream_many_times_pdf(times=1000, size=MB))
    assert _refused(path) == ("PDF refused: the pages show more than 16 MB of content streams together "
                              "(one stream repeated on page after page?)")


def test_the_shipped_bounds_at_full_size(tmp_path):
    """The issue's file at full size: one 60 MB whitespace stream 1,000 times, refused in seconds."""
    path = tmp_path / "once.pdf"
    path.write_bytes(one_stream_many_times_pdf())
    res = CliRunner().invoke(cli, ["check", str(path), "-o", str(tmp_path / "m"), "--no-narrative", "--no-cache"])
    assert res.exit_code == 1
    assert res.output.strip().splitlines() == [
        f"audit: {path}: PDF refused: the pages show more than {pdf_limits.MAX_CONTENT_BYTES // MB} MB of content "
        "streams together (one stream repeated on page after page?)"]


def test_a_word_part_that_inflates_past_what_it_declares(tmp_path):
    path = tmp_path / "lying.docx"
    path.write_bytes(docx_lying_size())  # 2 GB behind a declared 100 KB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reason = _refused(path)
    assert reason == (f"the Word file's XML parts inflate to more than {zip_limits.MAX_XML_BYTES // MB} MB "
                      "(at word/document.xml; a zip bomb?)")
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown < 200, f"peak grew {grown:.0f} MB"  # refused early, not after inflating
    wrong = tmp_path / "wrong.docx"
    wrong.write_bytes(docx_wrong_size())
    assert _refused(wrong, CorruptFile) == ("damaged Word file: the part word/document.xml declares 100,000 bytes "
                                            "but holds 2,097,152")
