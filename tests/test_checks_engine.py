"""The checks stage as a whole: one Check per rule, outcomes, findings on the seed's cells, stability."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from _checks_helpers import case_inputs
from audit.checks import load_rules, run
from audit.model import Outcome

RULES = load_rules()
SEED_TEXT = Path(__file__).resolve().parents[2] / "shared" / "reports" / "000_2a4738e891b759f6.txt"


def test_every_report_rule_gets_one_check_and_run_rules_are_left_to_the_batch():
    doc, fields = case_inputs({})
    findings, checks = run(doc, fields, RULES)
    assert [c.rule_id for c in checks] == [r.id for r in RULES.report_rules]
    assert not {c.rule_id for c in checks} & {r.id for r in RULES.run_rules}
    assert findings == []
    outcomes = {c.rule_id: c.outcome for c in checks}
    assert outcomes["T3-ROW-SUM"] is Outcome.PASS
    assert outcomes["T2-PUBLISHED-LE-TOTAL"] is Outcome.NOT_APPLICABLE  # a 2019 rule, a 2021 report


def test_seed_cells_give_exactly_the_real_defects():
    doc, fields = case_inputs({"base": "quangang-2020"})
    findings, checks = run(doc, fields, RULES)
    errors = [f for f in findings if str(f.severity) == "error"]
    # one wrong cell (自然人 of row 4.保护第三方合法权益) breaks its row and its column: one finding, both rules
    assert [f.rule_id for f in errors] == ["T3-ROW-SUM"]
    one = errors[0]
    assert one.details["rules"] == ["T3-ROW-SUM", "T3-COL-SUM"]
    assert "t3.result_total.natural" in one.location.field_ids
    col = one.details["merged"][0]
    assert (col["rule_id"], col["found"], col["expected"]) == ("T3-COL-SUM", 51, 53) and "自然人" in col["where"]
    blank = [f for f in findings if f.rule_id == "BLANK-CELLS"]
    assert len(blank) == 1 and sorted(blank[0].location.field_ids) == sorted(
        f"t4.review.{c}" for c in ("upheld", "corrected", "other", "pending", "total"))
    by_id = {c.rule_id: c for c in checks}
    reason = by_id["T4-SUM"].reason
    assert by_id["T4-SUM"].outcome is Outcome.PASS and reason.zh.startswith("其中无法核查的部分：表四“行政复议”行：")
    assert reason.en.startswith("not assessable: Table 4, row “行政复议”: blank “总计”, “结果维持”")
    assert by_id["T3-BALANCE"].outcome is Outcome.PASS


def test_findings_are_stable_and_serialisable():
    doc, fields = case_inputs({"base": "quangang-2020"})
    a, _ = run(doc, fields, RULES)
    doc, fields = case_inputs({"base": "quangang-2020"})
    b, _ = run(doc, fields, RULES)
    assert [f.fingerprint for f in a] == [f.fingerprint for f in b]
    assert len({f.fingerprint for f in a}) == len(a)
    json.dumps([f.to_json() for f in a], ensure_ascii=False)


def test_unknown_format_makes_format_rules_not_assessable():
    doc, fields = case_inputs({"format": None, "meta": {"format": None, "format_by_year": None}})
    _, checks = run(doc, fields, RULES)
    by_id = {c.rule_id: c for c in checks}
    assert by_id["T2-PUBLISHED-LE-TOTAL"].outcome is Outcome.NOT_ASSESSABLE
    assert by_id["T3-ROW-SUM"].outcome is Outcome.PASS


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="the shared seed report is not on this machine")
def test_seed_report_through_the_pipeline():
    from audit import pipeline

    doc = pipeline.read(SEED_TEXT)
    fields = pipeline.extract(doc)
    findings, checks = run(doc, fields, RULES)
    errors = [f for f in findings if str(f.severity) == "error"]
    assert [f.rule_id for f in errors] == ["T3-ROW-SUM"] and errors[0].details["rules"] == ["T3-ROW-SUM", "T3-COL-SUM"]
    for f in errors:
        assert f.suggestion[0]["cells"] == [{"field": "t3.denied.third_party.natural", "found": 2, "consistent": 0}]
    assert any(f.rule_id == "BLANK-CELLS" and "t4.review.total" in f.location.field_ids for f in findings)
    by_id = {c.rule_id: c for c in checks}
    assert by_id["TEXT-CLAIM"].outcome is Outcome.PASS
