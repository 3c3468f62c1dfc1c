"""The rubric (data, validated with file and line in its errors) and the score it gives."""
from __future__ import annotations

import textwrap

import pytest

from _memo_helpers import make_result, seed_findings, seed_like
from audit import memo
from audit.errors import RuleFileError
from audit.model import Check, Finding, Location, Outcome, Severity, Text


def items(sc: dict) -> dict:
    return {i["id"]: i for i in sc["items"]}


def numeric_error(n: int) -> Finding:
    return Finding("T3-ROW-SUM", Severity.ERROR, "numeric", f"第{n}行不平", f"row {n} does not add up",
                   Location(table="t3", field_ids=[f"t3.row{n}.natural", f"t3.row{n}.total"]), expected=n, found=0)


def test_shipped_rubric_loads_with_bands_highest_first():
    rubric = memo.load_rubric(None)
    assert rubric.max == 100
    assert [b.zh for b in rubric.bands] == ["优秀", "良好", "合格", "不合格"]
    assert [b.en for b in rubric.bands] == ["Excellent", "Good", "Pass", "Fail"]
    assert {"tables", "claims", "structure", "narrative", "assessability"} <= {i.id for i in rubric.items}


def test_seed_like_report_loses_points_per_item():
    sc = memo.score(seed_like())
    lost = {k: v["lost"] for k, v in items(sc).items()}
    # two identity errors (5 each), one text-vs-table error (4), one blank-cells warning (2),
    # one generic narrative (3); the not-assessable check costs nothing (its cause, the blank cells, is
    # charged once by its finding)
    assert lost == {"tables": 10, "claims": 4, "continuity": 0, "structure": 2, "narrative": 3, "assessability": 0}
    assert sc["total"] == 81 and sc["lost"] == 19
    assert sc["grade"] == {"id": "good", "zh": "良好", "en": "Good"}
    fps = [d["fingerprint"] for d in items(sc)["tables"]["deductions"]]
    assert fps == [f.fingerprint for f in seed_findings()[:2]]


def test_caps_bound_what_an_item_can_lose():
    sc = memo.score(make_result(findings=[numeric_error(n) for n in range(12)], checks=[]))
    tables = items(sc)["tables"]
    assert tables["raw"] == 60 and tables["lost"] == 40 and tables["cap"] == 40
    assert sc["total"] == 60 and sc["grade"]["id"] == "pass"


def image_tables(result, tables=("t3", "t4")):
    """The agency published ``tables`` as images: none of their cells is in the file."""
    from audit.model import Value, ValueKind

    for fid, v in list(result.fields.items()):
        if fid.split(".", 1)[0] in tables:
            result.fields[fid] = Value(None, ValueKind.MISSING, "", v.table, v.row_label, v.column_label)
    image = Text("以图片形式发布", "published as an image")
    result.fields.not_assessable.update({t: image for t in tables})
    return result


def test_unreadable_tables_cost_points():
    result = image_tables(make_result(findings=[], checks=[Check("T3-ROW-SUM", "t", "t", Outcome.NOT_ASSESSABLE,
                                                                 reason=Text("表三为图片", "t3 image"))]))
    sc = memo.score(result)
    ded = items(sc)["assessability"]["deductions"]
    # the not-assessable check is not charged again: its cause is the image tables
    assert [(d.get("table"), d.get("cause"), d["points"]) for d in ded] == [("t3", "agency", 10), ("t4", "agency", 10)]
    assert items(sc)["assessability"]["lost"] == 20 and sc["total"] == 80


def test_conversion_damage_costs_nothing_unless_an_evaluator_charges_it(tmp_path):
    """A crawler's text or a markdown conversion whose tables lost their layout: not the agency's doing."""
    from audit.model import Source

    result = make_result(findings=[], checks=[], path="reports/crawled.txt")
    result.document.source = result.source = Source.from_bytes("reports/crawled.txt", b"text", "txt")
    result.fields.not_assessable["t3"] = Text("连写的数字拆法不唯一", "digits run together")
    sc = memo.score(result)
    assert items(sc)["assessability"]["deductions"] == [{"table": "t3", "cause": "conversion", "points": 0}]
    assert sc["total"] == 100
    strict = EVALUATOR.replace("    bands:", "      - id: readable\n        title: {zh: 可读, en: Readable}\n"
                                           "        not_assessable: {table: {conversion: 10, agency: 10}, check: 1}\n    bands:")
    sc = memo.score(result, memo.load_rubric(write(tmp_path, strict)))
    assert items(sc)["readable"]["lost"] == 10


def test_clean_report_is_excellent_and_unscored_findings_are_listed():
    info = Finding("NOTE", Severity.INFO, "structure", "提示", "note")
    sc = memo.score(make_result(findings=[info], checks=[Check("X", "x", "x", Outcome.PASS)]))
    assert sc["total"] == 100 and sc["grade"]["zh"] == "优秀"
    assert sc["unscored"] == [info.fingerprint]


def test_dismissed_findings_cost_nothing():
    result = seed_like()
    first = result.findings[0].fingerprint
    sc = memo.score(result, reviews={first: {"decision": "dismiss", "reviewer": "王审核"},
                                     result.findings[1].fingerprint: {"decision": "confirm"}})
    assert items(sc)["tables"]["lost"] == 5 and sc["total"] == 86
    assert sc["dismissed"] == [first]


def test_score_is_deterministic():
    assert memo.score(seed_like()) == memo.score(seed_like())


def write(tmp_path, text: str):
    path = tmp_path / "my-rubric.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


EVALUATOR = """\
    version: city-2024
    name: {zh: 某市评估细则, en: City evaluation}
    max: 50
    items:
      - id: identities
        title: {zh: 勾稽, en: Identities}
        findings:
          - {rule: "T3-COL-*", points: 10}
          - {kind: [numeric, claim], severity: error, points: 2}
    bands:
      - {min: 40, id: a, zh: 好, en: Good}
      - {min: 0, id: b, zh: 差, en: Poor}
"""


def test_an_evaluators_rubric_by_rule_id_without_cap(tmp_path):
    rubric = memo.load_rubric(write(tmp_path, EVALUATOR))
    sc = memo.score(seed_like(), rubric)
    # T3-COL-RESULTS matches the rule clause (10), T3-ROW-SUM and CLAIM-NEW the kind clause (2 each)
    assert items(sc)["identities"]["lost"] == 14 and items(sc)["identities"]["cap"] is None
    assert sc["total"] == 36 and sc["grade"]["id"] == "b" and sc["rubric"]["version"] == "city-2024"
    assert len(sc["unscored"]) == 2  # the blank-cells and narrative findings match no clause


@pytest.mark.parametrize("text, line, words", [
    (EVALUATOR.replace("points: 10}", "points: ten}"), 8, "items.0.findings.0.points"),
    (EVALUATOR.replace("kind: [numeric, claim]", "kind: [numeric, sums]"), 9, "kind"),
    (EVALUATOR.replace("      - {min: 0, id: b", "      - {min: 5, id: b"), 12, "lowest band"),
    (EVALUATOR.replace("    max: 50\n", "    max: 50\n    maximum: 60\n"), 1, "maximum"),
    (EVALUATOR.replace("title: {zh: 勾稽, en: Identities}", "title: {zh: 勾稽, en: Identities"), 7, "rubric"),
])
def test_broken_rubric_names_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(RuleFileError) as err:
        memo.load_rubric(path)
    assert f"{path}:{line}" in err.value.reason, err.value.reason
    assert words in err.value.reason


def test_duplicate_item_id_is_named(tmp_path):
    dup = EVALUATOR.replace("    bands:", "      - id: identities\n        title: {zh: 再, en: Again}\n"
                                         "        not_assessable: {table: 5}\n    bands:")
    with pytest.raises(RuleFileError, match=r"my-rubric.yaml:10: item id 'identities' appears twice"):
        memo.load_rubric(write(tmp_path, dup))


def test_missing_rubric_file_is_a_rule_file_error(tmp_path):
    with pytest.raises(RuleFileError, match="cannot read"):
        memo.load_rubric(tmp_path / "absent.yaml")


def test_an_edited_rubric_is_read_again(tmp_path):
    path = write(tmp_path, EVALUATOR)
    assert memo.load_rubric(path).version == "city-2024"
    write(tmp_path, EVALUATOR.replace("city-2024", "city-2025-revised"))
    assert memo.load_rubric(path).version == "city-2025-revised"


def test_a_clause_naming_the_rule_wins_over_a_kind_clause():
    late = Finding("DEADLINE", Severity.ERROR, "structure", "逾期发布", "published late")
    unreadable = Finding("TABLES-ASSESSABLE", Severity.WARNING, "structure", "表三无法读取", "table 3 unreadable",
                         Location(table="t3"))
    result = image_tables(make_result(findings=[late, unreadable], checks=[]), ("t3",))
    sc = memo.score(result)
    assert items(sc)["structure"]["deductions"] == [{"fingerprint": late.fingerprint, "rule_id": "DEADLINE", "points": 5}]
    # the unreadable table costs its table points once, not again as a structure finding
    assert [d["points"] for d in items(sc)["assessability"]["deductions"]] == [0, 10]
    assert sc["total"] == 85


def test_the_example_rubric_in_the_docs_loads_and_scores(tmp_path):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "rubric.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "city.yaml"
    path.write_text(example, encoding="utf-8")
    sc = memo.score(seed_like(), memo.load_rubric(path))
    # T3-ROW-SUM and T3-COL-RESULTS 6 each (rule clause), CLAIM-NEW 3, the narrative 2, no not-assessable table
    assert {i["id"]: i["lost"] for i in sc["items"]} == {"tables": 15, "narrative": 2, "readable": 0}
    assert sc["total"] == 83 and sc["grade"]["en"] == "Fair"


def test_the_shipped_rubric_passes_its_json_schema():
    """At run time the shipped rubric skips the JSON Schema check (it is for rubrics evaluators bring)."""
    from audit.memo.rubric import DEFAULT, _parse

    assert _parse(DEFAULT.read_text(encoding="utf-8"), "rubric.yaml", schema_check=True).items
