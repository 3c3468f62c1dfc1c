"""The memo of the real seed report, end to end through the pipeline: its two table errors with the block
drawn and t3.denied.third_party.natural highlighted (2 → 0), in all four formats, in Chinese and English;
and the same bytes on a second run."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import docx
import jsonschema
import pytest

from _memo_helpers import Parsed
from audit import memo, pipeline

SEED = Path(__file__).resolve().parents[2] / "shared" / "reports" / "000_2a4738e891b759f6.txt"
pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the shared seed report is not here")
CELL = "t3.denied.third_party.natural"


@pytest.fixture(scope="module")
def result():
    return pipeline.audit(SEED, narrative=False, today=dt.date(2024, 5, 6))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_seed_memo_in_all_formats_highlights_the_wrong_cell(result, lang):
    schema = json.loads(memo.SCHEMA_PATH.read_text(encoding="utf-8"))
    data = json.loads(memo.render(result, "json", lang))
    jsonschema.validate(data, schema)
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert any(f["suggestion"] and f["suggestion"][0]["cells"][0]["field"] == CELL for f in errors)
    assert any(f["location"]["field_ids"] and all(i.startswith("t4.review.") for i in f["location"]["field_ids"])
               for f in data["findings"])

    page = memo.render(result, "html", lang)
    suspects = {(c[1], c[2]) for c in Parsed(page).cells if "suspect" in c[0].split()}
    assert suspects == {(CELL, "2 → 0")}

    assert "**〔2 → 0〕**" in memo.render(result, "md", lang)

    word = docx.Document(io.BytesIO(memo.render(result, "docx", lang)))
    shaded = [c for t in word.tables for row in t.rows for c in row.cells if c.text == "2 → 0"]
    assert shaded and all('w:fill="F6C9C4"' in c._tc.xml for c in shaded)


def test_seed_memo_is_the_same_on_a_second_run(result):
    again = pipeline.audit(SEED, narrative=False, today=dt.date(2024, 5, 6))
    for fmt in ("json", "md"):
        assert memo.render(result, fmt) == memo.render(again, fmt)
