"""The two original government PDFs in ../shared/reports/real (skipped when absent): six sections, every
table cell right (the figures of the folder's README), section 五 its own text."""
from pathlib import Path

import pytest

from audit import pipeline

REAL = Path(__file__).resolve().parents[2] / "shared" / "reports" / "real"

pytestmark = pytest.mark.skipif(not (REAL / "hongze-2023.pdf").is_file(), reason="../shared/reports/real is not here")

T3_COLS = ["natural", "commercial", "research", "social", "legal", "other", "total"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T3_ROWS = [
    "new", "carried_in", "open", "partial", "denied.state_secret", "denied.law_forbidden", "denied.three_safety",
    "denied.third_party", "denied.internal", "denied.process", "denied.enforcement", "denied.query",
    "unable.not_held", "unable.need_create", "unable.unclear", "rejected.complaint", "rejected.repeat",
    "rejected.publication", "rejected.mass_repeat", "rejected.confirm", "other", "result_total", "carried_out",
]
# the README's figures: every 表三 value is in the 自然人 column and the 总计 column (others 0)
T3 = {
    2023: {"new": 21, "partial": 4, "denied.state_secret": 1, "denied.process": 1, "denied.enforcement": 1,
           "unable.not_held": 10, "unable.need_create": 3, "rejected.complaint": 1, "result_total": 21},
    2024: {"new": 95, "open": 50, "partial": 9, "denied.three_safety": 1, "denied.process": 1,
           "denied.enforcement": 1, "unable.not_held": 31, "unable.need_create": 1, "rejected.complaint": 1,
           "result_total": 95},
}
T4 = {
    2023: {"review": [10, 1, 0, 0, 0], "direct_suit": [0, 0, 0, 0, 0], "suit_after_review": [5, 0, 0, 0, 0]},
    2024: {"review": [1, 1, 0, 0, 2], "direct_suit": [1, 0, 0, 0, 1], "suit_after_review": [2, 0, 1, 0, 3]},
}


@pytest.fixture(scope="module", params=[2023, 2024])
def report(request):
    doc = pipeline.read(REAL / f"hongze-{request.param}.pdf", cache=False)
    return request.param, doc, pipeline.extract(doc)


def test_six_sections_and_section_five_its_own(report):
    year, doc, _ = report
    secs = {s.number: "".join(s.text.split()) for s in doc.sections}
    assert sorted(secs) == [1, 2, 3, 4, 5, 6]
    assert secs[5].startswith(f"{year}年，") and "跟班学习" in secs[5] and "信息处理费" not in secs[5]
    assert "信息处理费" in secs[6] and "跟班学习" not in secs[6]
    assert len(doc.tables) == 3  # 表二 (over two pages), 表三 (over two pages), 表四: no prose among them


def test_every_table_cell(report):
    year, _, fields = report
    wrong = []
    for row in T3_ROWS:
        n = T3[year].get(row, 0)
        for col in T3_COLS:
            want = n if col in ("natural", "total") else 0
            if fields.number(f"t3.{row}.{col}") != want:
                wrong.append((f"t3.{row}.{col}", want, fields.number(f"t3.{row}.{col}")))
    for row, values in T4[year].items():
        for col, want in zip(T4_COLS, values):
            if fields.number(f"t4.{row}.{col}") != want:
                wrong.append((f"t4.{row}.{col}", want, fields.number(f"t4.{row}.{col}")))
    assert wrong == []
