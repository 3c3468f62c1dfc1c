"""Every rule's YAML cases (tests/rules/<RULE-ID>.yaml): each case runs the one rule on a report made of a
base report plus the case's changes, and must end in the expected outcome with the expected findings."""
from __future__ import annotations

import datetime as _dt

import pytest
import yaml

from _checks_helpers import case_inputs, rule_case_files
from audit.checks import RuleSet, load_rules, run

RULES = load_rules()


def _cases():
    for path in rule_case_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(path.stem, data, case, id=f"{path.stem}:{case['name']}")


ALL = list(_cases())


def _report_cases():
    for p in ALL:
        rule_id, data, case = p.values
        if RULES.by_id[rule_id].scope == "report":
            yield p


@pytest.mark.parametrize("rule_id,data,case", list(_report_cases()))
def test_rule_case(rule_id, data, case):
    rule = RULES.by_id[rule_id]
    doc, fields = case_inputs(case)
    today = _dt.date.fromisoformat(case["today"]) if "today" in case else None
    findings, checks = run(doc, fields, RuleSet([rule], ["case"]), today=today)
    assert [c.rule_id for c in checks] == [rule_id]
    check = checks[0]
    assert str(check.outcome) == case["expect"], (check.reason, [f.message_zh for f in findings])
    assert all(f.rule_id == rule_id for f in findings)
    if case["expect"] != "fail":
        assert findings == []
        if "reason_contains" in case:  # {zh: …, en: …}: the reason in each language
            for lang, piece in case["reason_contains"].items():
                assert check.reason is not None and piece in check.reason.get(lang), (lang, check.reason)
        return
    assert findings and check.findings == len(findings)
    if "findings" in case:
        assert len(findings) == case["findings"], [f.message_zh for f in findings]
    if "severity" in case:
        assert {str(f.severity) for f in findings} == {case["severity"]}
    ids = {fid for f in findings for fid in f.location.field_ids}
    for fid in case.get("fields", []):
        assert fid in ids, f"{fid} not among {sorted(ids)}"
    text = " ".join(f.message_zh + " " + f.message_en for f in findings)
    for piece in case.get("message_contains", []):
        assert piece in text, text
    if "suggestion" in case:
        got = [[[c["field"], c["found"], c["consistent"]] for c in s["cells"]] for f in findings
               for s in (f.suggestion or [])]
        for want in case["suggestion"]:
            assert want in got, got
    if "suggestion_exact" in case:  # every correction offered, and no other
        got = sorted([[c["field"], c["found"], c["consistent"]] for c in s["cells"]] for f in findings
                     for s in (f.suggestion or []))
        assert got == sorted(case["suggestion_exact"]), got
    if "sentence_contains" in case:
        assert any(case["sentence_contains"] in (f.location.sentence or "") for f in findings)
    if "found" in case:
        assert [f.found for f in findings] == case["found"]
    if "expected" in case:
        assert [f.expected for f in findings] == case["expected"]
    for f in findings:
        assert f.message_zh and f.message_en and f.fingerprint


def test_every_rule_has_a_passing_and_a_failing_case():
    outcomes: dict[str, set] = {}
    for p in ALL:
        rule_id, _, case = p.values
        outcomes.setdefault(rule_id, set()).add(case["expect"])
    lacking = [r.id for r in RULES.rules if not {"pass", "fail"} <= outcomes.get(r.id, set())]
    assert lacking == []


def test_case_files_name_real_rules():
    unknown = [p.stem for p in rule_case_files() if p.stem not in RULES.by_id]
    assert unknown == []


def _run_cases():
    for p in ALL:
        rule_id, data, case = p.values
        rule = RULES.by_id[rule_id]
        if rule.scope == "run" and rule.kind in ("sum", "balance"):
            yield p


@pytest.mark.parametrize("rule_id,data,case", list(_run_cases()))
def test_cross_rule_case(rule_id, data, case):
    """Numeric cross-report rules, on a report and its previous year's report or its members."""
    from audit.checks import cross

    rule = RULES.by_id[rule_id]
    doc, fields = case_inputs(case)
    previous = case_inputs({"base": case.get("base", "clean-2021"), **case["previous"]})[1] if "previous" in case else None
    members = [case_inputs({"base": case.get("base", "clean-2021"), **m})[1] for m in case.get("members", [])] or None
    check, findings = cross.evaluate(rule, doc, fields, previous=previous, members=members)
    assert str(check.outcome) == case["expect"], (check.reason, [f.message_zh for f in findings])
    if case["expect"] != "fail":
        assert findings == []
        return
    assert findings and all(f.kind == "cross" and f.rule_id == rule_id for f in findings)
    ids = {fid for f in findings for fid in f.location.field_ids}
    for fid in case.get("fields", []):
        assert fid in ids, sorted(ids)
    if "severity" in case:
        assert {str(f.severity) for f in findings} == {case["severity"]}
