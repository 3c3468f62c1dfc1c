"""One cause, one finding (audit/checks/causes.py): a wrong cell that breaks its row and its column, one
over-counted row that breaks two columns, and an unfilled 总计 column are each one finding; two separate
wrong cells stay two."""
from __future__ import annotations

import json

import pytest

from _checks_helpers import case_inputs
from audit.checks import load_rules, run

RULES = load_rules()


def _numeric(findings):
    return [f for f in findings if f.kind == "numeric"]


def test_one_over_counted_row_breaks_two_columns_one_finding():
    """The pingtan-2020 layout: one result row counted 6 too many in 自然人 and in 总计 (its own row sum
    holds), so the 自然人 and 总计 column sums both fail: one finding naming both columns."""
    doc, fields = case_inputs({"set": {"t3.open.natural": 26, "t3.open.total": 31}})
    base = case_inputs({})[1]
    assert base.number("t3.open.natural") == 20 and base.number("t3.open.total") == 25
    findings, _ = run(doc, fields, RULES)
    num = _numeric(findings)
    assert len(num) == 1, [f.message_zh for f in num]
    f = num[0]
    assert f.details["rules"] == ["T3-COL-SUM"]
    assert {m["identity"] for m in f.details["merged"]} | {f.details["identity"]} == {
        "T3-COL-SUM[col=natural]", "T3-COL-SUM[col=total]"}
    assert "t3.result_total.natural" in f.location.field_ids and "t3.result_total.total" in f.location.field_ids
    assert "同一处错误也使另1项关系不成立" in f.message_zh and "also breaks 1 more identity" in f.message_en


def test_two_separate_wrong_cells_stay_two_findings():
    doc, fields = case_inputs({"set": {"t3.open.social": 9, "t4.review.total": 7}})
    findings, _ = run(doc, fields, RULES)
    t3 = [f for f in _numeric(findings) if f.location.table == "t3"]
    t4 = [f for f in _numeric(findings) if f.location.table == "t4"]
    assert len(t3) == 1 and len(t4) == 1  # the t3 cell's row and column are one; the t4 block another


def test_merged_finding_is_charged_once():
    from audit.memo.rubric import score
    from audit.model import Result

    doc, fields = case_inputs({"base": "quangang-2020"})
    findings, checks = run(doc, fields, RULES)
    result = Result(source=doc.source, document=doc, fields=fields, findings=findings, checks=checks)
    tables = next(i for i in score(result)["items"] if i["id"] == "tables")
    assert [d["rule_id"] for d in tables["deductions"] if d["rule_id"].startswith("T3")] == ["T3-ROW-SUM"]


def test_blank_is_never_reported_as_zero():
    """A blank total is 未填: no identity finding says it "填报0"; BLANK-CELLS names it and the identities
    it leaves unchecked (the shanghai-kewei-2024 结转 row and its balance)."""
    doc, fields = case_inputs({"base": "clean-2021", "set": {"t3.carried_out.total": None}})
    findings, checks = run(doc, fields, RULES)
    assert [f.rule_id for f in findings] == ["BLANK-CELLS"], [f.message_zh for f in findings]
    blank = findings[0]
    assert "填报0" not in blank.message_zh
    assert set(blank.details["rules"]) >= {"BLANK-CELLS", "T3-ROW-SUM", "T3-BALANCE"}
    assert "T3-ROW-SUM[row=carried_out]" in blank.details["not_assessable"]


@pytest.fixture(scope="module")
def blank_total_column(tmp_path_factory):
    """A consolidated government report published as a web page whose 表三 leaves the 总计 cell of every
    result row blank (and 表四's all-zero blocks blank): the generator's blank_cells layout, seed 12."""
    gen = pytest.importorskip("corpora.generator")
    spec = gen.random_report("2021", seed=12, level="government")
    expected = spec.expected_fields("blank_cells")
    assert expected["t3.open.total"] is None and expected["t3.result_total.total"] is None
    path = tmp_path_factory.mktemp("blank") / "blank-total-column.html"
    path.write_bytes(gen.render(spec, "html", layout="blank_cells"))
    from audit import memo, pipeline

    result = pipeline.audit(path, narrative=False)
    return result, memo.to_json(result)


def test_blank_total_column_memo_shows_one_finding(blank_total_column):
    result, js = blank_total_column
    rules = [f["rule_id"] for f in js["findings"]]
    assert rules == ["BLANK-CELLS"], [f["message"]["zh"][:120] for f in js["findings"]]
    f = js["findings"][0]
    assert "“总计”列" in f["message"]["zh"] and "column “总计”" in f["message"]["en"]
    assert "填报0" not in json.dumps(js["findings"], ensure_ascii=False)
    blocked = f["details"]["not_assessable"]
    assert sum(n.startswith("T3-ROW-SUM[") for n in blocked) >= 11
    assert "T3-COL-SUM[col=total]" in blocked
    structure = next(i for i in js["score"]["items"] if i["id"] == "structure")
    assert [d["rule_id"] for d in structure["deductions"]] == ["BLANK-CELLS"]


def test_memo_of_merged_and_blank_findings_follows_the_schema(blank_total_column):
    import jsonschema

    from audit import memo
    from audit.memo.jsonmemo import SCHEMA_VERSION  # noqa: F401 - the version the schema describes
    from audit.model import Result

    schema = json.loads((__import__("pathlib").Path(memo.__file__).parent / "memo.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    _, js = blank_total_column
    assert list(validator.iter_errors(js)) == []
    doc, fields = case_inputs({"base": "quangang-2020"})
    findings, checks = run(doc, fields, RULES)
    seed = memo.to_json(Result(source=doc.source, document=doc, fields=fields, findings=findings, checks=checks))
    merged = next(f for f in seed["findings"] if f["details"].get("merged"))
    assert merged["details"]["rules"] == ["T3-ROW-SUM", "T3-COL-SUM"]
    assert list(validator.iter_errors(seed)) == []


def test_a_table_broken_beyond_a_few_cells_is_one_finding():
    """表三's rows shifted by one (every result row holding its neighbour's figures): many identities fail
    and no one- or two-cell correction explains them: one finding for the table."""
    doc, fields = case_inputs({"set": {"t3.open.natural": 5, "t3.open.total": 7, "t3.partial.natural": 20,
                                       "t3.partial.total": 1, "t3.unable.not_held.natural": 1,
                                       "t3.unable.not_held.total": 30}})
    findings, _ = run(doc, fields, RULES)
    t3 = [f for f in _numeric(findings) if f.location.table == "t3"]
    assert len(t3) == 1, [f.message_zh[:60] for f in t3]
    assert t3[0].details.get("misread_table") and len(t3[0].details["rules"]) >= 2
    assert "整表可能错行" in t3[0].message_zh
