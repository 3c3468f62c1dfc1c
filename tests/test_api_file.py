"""audit_file: one generated report (a text figure contradicting its table) through the public API:
metadata, fields, findings and checks as DataFrames, the score, memos in every format, the notebook view,
the evidence with the sentence marked, rules switched by an extra file, decisions in a single memo."""
from __future__ import annotations

from decimal import Decimal

import datetime as _dt
import html
import json

import pytest

import audit
from audit.errors import AuditError

TODAY = _dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from corpora.generator import random_report, render
    from corpora.generator.defects import inject

    spec = random_report("2021", seed=5, agency="青山区教育局", year=2023)
    bad, truth = inject(spec, "text_contradiction", seed=3)
    path = tmp_path_factory.mktemp("file") / "edu-2023.txt"
    path.write_bytes(render(bad, "txt"))
    return path, bad, truth


@pytest.fixture(scope="module")
def result(report):
    return audit.audit_file(report[0], today=TODAY, narrative=False)


def test_meta_fields_and_score(result, report):
    _, spec, _ = report
    assert (result.meta.agency, result.meta.year, result.meta.format) == ("青山区教育局", 2023, "2021")
    df = result.fields
    assert list(df.columns) == ["field_id", "table", "row", "column", "value", "kind", "raw", "page", "unit"]
    assert len(df) == len(result.result.fields) > 50
    expected = spec.expected_fields()
    for fid in ("t3.new.total", "t3.open.natural", "t2.norm.in_force"):
        row = df.set_index("field_id").loc[fid]
        assert row["value"] == Decimal(str(expected[fid])) and row["kind"] == "number" and row["table"] == fid[:2]
        assert isinstance(row["value"], (int, Decimal)) and not isinstance(row["value"], float)  # exact
    assert result.score == result.result.score and result.score["total"] < result.score["max"]


def test_findings_and_checks(result, report):
    _, _, truth = report
    assert [f.rule_id for f in result.findings] == ["TEXT-CLAIM"]
    df = result.findings_df
    row = df.iloc[0]
    assert (row["rule_id"], row["severity"], row["kind"], row["section"]) == ("TEXT-CLAIM", "error", "claim", 1)
    assert row["sentence"] == truth.sentence_new and row["fingerprint"] == result.findings[0].fingerprint
    assert row["message"] == result.findings[0].message_zh and row["decision"] is None
    checks = result.checks.set_index("rule_id")
    assert checks.loc["TEXT-CLAIM", "outcome"] == "fail" and checks.loc["TEXT-CLAIM", "findings"] == 1
    assert checks.loc["T3-ROW-SUM", "outcome"] == "pass"
    assert len(checks) == len(result.result.checks)


def test_memos_in_every_format_and_the_notebook_view(result, tmp_path):
    md = result.memo("md")
    assert "青山区教育局" in md and "TEXT-CLAIM" in md
    memo = json.loads(result.memo("json"))
    assert memo["meta"]["agency"] == "青山区教育局" and memo["summary"]["error"] == 1
    assert result.memo("html").startswith("<!DOCTYPE html>")
    assert "Section 1 says" in result.memo("md", lang="en")
    assert result.memo("docx")[:2] == b"PK"
    view = result._repr_html_()
    assert view.startswith('<iframe class="audit-memo" srcdoc="&lt;!DOCTYPE html&gt;')
    assert html.unescape(view.split('srcdoc="', 1)[1].split('" style=', 1)[0]) == result.memo("html")
    written = result.write(tmp_path, ["md", "json"])
    assert [p.name for p in written] == ["edu-2023.txt.md", "edu-2023.txt.json"]


def test_evidence_marks_the_sentence_and_the_cells(result, report):
    _, _, truth = report
    ev = str(result.evidence(result.findings[0].fingerprint))
    assert f"<mark>{html.escape(truth.sentence_new)}</mark>" in ev
    assert "报告原文（第1部分）" in ev
    for fid in result.findings[0].location.field_ids:
        assert f'class="identity" title="{fid}"' in ev
    with pytest.raises(KeyError):
        result.evidence("0000000000000000")


def test_english_tables(report):
    r = audit.audit_file(report[0], today=TODAY, narrative=False, lang="en")
    assert r.findings_df.iloc[0]["message"].startswith("Section 1 says")
    assert r.checks.set_index("rule_id").loc["TEXT-CLAIM", "title"] == "Figures in the text match the tables"


def test_rules_switched_by_an_extra_file(report, tmp_path):
    from audit.checks import load_rules

    extra = tmp_path / "mine.yaml"
    extra.write_text("disable: [TEXT-CLAIM]\n", encoding="utf-8")
    r = audit.audit_file(report[0], rules=load_rules(extra=[extra]), today=TODAY, narrative=False)
    assert "TEXT-CLAIM" not in set(r.checks["rule_id"]) and r.findings == []
    assert r.score["total"] == r.score["max"]
    with pytest.raises(TypeError, match="RuleSet"):
        audit.audit_file(report[0], rules=["not", "rules"])


def test_a_dismissed_finding_leaves_the_memo_score(result):
    fp = result.findings[0].fingerprint
    reviewed = audit.AuditResult(result.result, rubric=result.rubric,
                                 reviews={fp: {"decision": "dismiss", "reviewer": "王审核", "at": "2025-06-02T09:00:00",
                                               "comment": "正文已更正"}})
    assert reviewed.score["total"] == reviewed.score["max"] and reviewed.score["dismissed"] == [fp]
    md = reviewed.memo("md")
    assert "经复核排除的问题" in md and "已由 王审核 于 2025-06-02T09:00:00 排除" in md
    assert reviewed.findings_df.iloc[0]["decision"] == "dismiss"


def test_a_file_that_is_no_report(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    with pytest.raises(AuditError) as err:
        audit.audit_file(path)
    assert err.value.reason


def test_the_tables_keep_exact_decimals():
    from audit.api import fields_frame, findings_frame
    from audit.model import Fields, Finding, Severity, Value, ValueKind

    fields = Fields({"t2.fee.amount": Value(Decimal("2.50"), ValueKind.NUMBER, "2.50", "t2", "行政事业性收费", "金额"),
                     "t3.new.total": Value(7, ValueKind.NUMBER, "7", "t3", "新收", "总计"),
                     "t3.open.total": Value(None, ValueKind.BLANK, "", "t3", "予以公开", "总计")})
    values = fields_frame(fields).set_index("field_id")["value"]
    assert values["t2.fee.amount"] == Decimal("2.50") and str(values["t2.fee.amount"]) == "2.50"
    assert type(values["t3.new.total"]) is int and values["t3.open.total"] is None
    f = Finding("T2-FEE", Severity.ERROR, "numeric", "甲", "a", expected=Decimal("0.10"), found=Decimal("0.3"))
    row = findings_frame([({}, f, {"decision": "confirm"})], "en").iloc[0]
    assert (row["expected"], row["found"], row["decision"], row["message"]) == ("0.10", "0.3", "confirm", "a")
