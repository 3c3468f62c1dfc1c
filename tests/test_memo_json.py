"""The JSON memo: valid against memo.schema.json, carrying what the acceptance script reads; and every
text format reproducible byte for byte."""
from __future__ import annotations

import json

import jsonschema
import pytest

from _memo_helpers import hostile, make_result, seed_like
from audit import memo
from audit.model import Text


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(memo.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_memo_of_the_seed_like_report_is_valid(validator):
    data = json.loads(memo.render(seed_like(), "json"))
    validator.validate(data)
    assert data["schema_version"] == memo.SCHEMA_VERSION
    meta = data["meta"]
    assert meta["agency"] == "示例区人民政府" and meta["year"] == 2020 and meta["format"] == "2019"
    assert meta["published"] == "2021-01-08" and meta["audited"] == "2024-05-06"
    assert meta["source"]["name"] == "seed-like.pdf" and len(meta["source"]["sha256"]) == 64
    assert meta["versions"] == {"tool": "0.1.0", "parser": "1", "rules": "rules-test", "model": "model-test",
                                "rubric": "2026.1"}
    assert data["summary"]["error"] == 3 and data["summary"]["warning"] == 2
    assert data["summary"]["checks"] == {"pass": 2, "fail": 4, "not_assessable": 1, "not_applicable": 1}
    assert data["score"]["total"] == 81 and data["score"]["grade"]["zh"] == "良好"
    assert data["fields"]["t4.review.total"]["kind"] == "blank"
    assert data["fields"]["t2.procurement.amount"]["value"] == 18228.47584
    assert [s["number"] for s in data["sections"]] == [1, 2, 3, 4, 5, 6]


def test_json_findings_carry_what_the_acceptance_script_reads():
    data = memo.to_json(seed_like())
    errors = [json.dumps(f, ensure_ascii=False) for f in data["findings"] if f["severity"] == "error"]
    assert any("t3.denied.third_party" in t for t in errors)
    assert any("natural" in t and "result_total" in t for t in errors)
    loc = data["findings"][0]["suggestion"][0]["cells"][0]
    assert loc == {"field": "t3.denied.third_party.natural", "found": 2, "consistent": 0}
    assert any("t4.review" in json.dumps(f) for f in data["findings"])
    assert len(data["checks"]) == 8 and {c["outcome"] for c in data["checks"]} == {
        "pass", "fail", "not_assessable", "not_applicable"}


def test_json_shows_review_decisions_and_rescored(validator):
    result = seed_like()
    fp = result.findings[4].fingerprint
    reviews = {fp: {"decision": "dismiss", "reviewer": "李四", "at": "2024-05-07T09:00:00", "comment": "属实表述"}}
    data = memo.to_json(result, reviews=reviews)
    validator.validate(data)
    reviewed = next(f for f in data["findings"] if f["fingerprint"] == fp)
    assert reviewed["review"]["decision"] == "dismiss" and reviewed["review"]["reviewer"] == "李四"
    assert data["summary"]["dismissed"] == 1 and data["summary"]["warning"] == 1
    assert data["score"]["total"] == 84 and data["score"]["dismissed"] == [fp]


def test_result_score_from_the_pipeline_is_kept():
    result = seed_like()
    result.score = memo.score(result, memo.load_rubric())
    result.score["total"] = 42  # whatever the pipeline's rubric gave, the memo reports it, never rescores
    assert memo.to_json(result)["score"]["total"] == 42


def test_a_report_without_tables_or_meta_is_still_valid(validator):
    result = make_result(findings=[], checks=[], sections=[])
    result.fields.clear()
    result.fields.not_assessable["t3"] = Text("表三以图片形式发布", "table published as an image")
    result.document.meta.agency = result.document.meta.year = result.document.meta.published = None
    data = memo.to_json(result, lang="en")
    validator.validate(data)
    assert data["tables"]["not_assessable"] == {"t3": "表三以图片形式发布"}
    assert data["tables"]["not_assessable_en"] == {"t3": "table published as an image"}
    assert data["score"]["total"] == 90


@pytest.mark.parametrize("fmt", ["json", "md", "html", "docx"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_renders_are_byte_identical(fmt, lang):
    first = memo.render(seed_like(), fmt, lang)
    second = memo.render(seed_like(), fmt, lang)
    assert first == second and len(first) > 1000


def test_memo_changes_only_with_the_audit_date():
    import datetime as dt

    a = memo.render(make_result(audited=dt.date(2024, 5, 6)), "md")
    b = memo.render(make_result(audited=dt.date(2024, 6, 1)), "md")
    diff = [(x, y) for x, y in zip(a.splitlines(), b.splitlines()) if x != y]
    assert diff and all("2024-05-06" in x and "2024-06-01" in y for x, y in diff)


def test_hostile_text_is_kept_verbatim_in_json(validator):
    data = memo.to_json(hostile())
    validator.validate(data)
    assert data["meta"]["agency"].startswith("示例局<script>")


def test_json_texts_are_chinese_with_english_siblings(validator):
    """Schema 1.1: a check's reason and the tables stage's texts are strings in Chinese (the default
    language) with ``_en`` siblings in English, whatever the memo's language; the schema types them."""
    result = seed_like()
    result.fields.not_assessable["t3"] = Text("表三以图片形式发布", "table 3 published as an image")
    result.fields.notes.append(Text("表二从正文读取", "Table 2 read from running text"))
    for lang in ("zh", "en"):
        data = memo.to_json(result, lang=lang)
        validator.validate(data)
        blind = next(c for c in data["checks"] if c["rule_id"] == "T4-BLOCK-SUM")
        assert (blind["reason"], blind["reason_en"]) == ("表四“行政复议”栏：各单元格为空白",
                                                         "Table 4, block “行政复议”: every cell blank")
        assert "reason" not in next(c for c in data["checks"] if c["outcome"] == "pass")
        tables = data["tables"]
        assert (tables["not_assessable"], tables["not_assessable_en"]) == (
            {"t3": "表三以图片形式发布"}, {"t3": "table 3 published as an image"})
        assert (tables["notes"], tables["notes_en"]) == (["表二从正文读取"], ["Table 2 read from running text"])
    assert data["schema_version"] == "1.2"
    bad = json.loads(json.dumps(data))
    bad["checks"][3]["reason_en"] = 5
    bad["tables"]["not_assessable_en"] = {"t3": ["not a string"]}
    assert len(list(validator.iter_errors(bad))) == 2
