"""Text against tables: the figures found in fixture sentences, Chinese numerals, spans, and the verdicts."""
from __future__ import annotations

from _checks_helpers import case_inputs
from audit.checks import load_rules, run
from audit.checks.claims import arabic, find_claims, patterns
from audit.model import Section

RULES = load_rules()


def claims_in(text: str, fmt: str = "2021"):
    sec = Section(number=1, title="一、总体情况", pages=[2], text=text, first_block=0, last_block=0)
    return [(c.claim.id, c.value, c.subject) for c in find_claims(sec, patterns(), fmt)], sec


def test_arabic_keeps_offsets():
    text, where = arabic("新收申请五十三件，两起")
    assert text == "新收申请53件，2起"
    assert where[text.index("53")] == 4 and where[text.index("件")] == 7


def test_figures_found_in_varied_wording():
    found, _ = claims_in(
        "全年共新收政府信息公开申请一百零五件，另有上年结转3件。从办理结果看，“予以公开”的40件，部分公开6件，"
        "不予公开2件，无法提供50件，不予处理1件，其他处理4件；另有2件尚在答复期内，结转下年度继续办理。"
        "因政府信息公开被申请行政复议1起、被提起行政诉讼2起。本年度制发规章1件，制发行政规范性文件9件，废止3件，"
        "现行有效38件。")
    assert found == [("new", 105, None), ("carried_in", 3, None), ("open", 40, None), ("partial", 6, None),
                     ("denied", 2, None), ("unable", 50, None), ("rejected", 1, None), ("other", 4, None),
                     ("carried_out", 2, None), ("review", 1, None), ("suits", 2, None), ("issued", 1, "reg"),
                     ("issued", 9, "norm"), ("repealed", 3, "norm"), ("in_force", 38, "norm")]


def test_no_claims_from_unrelated_figures():
    found, _ = claims_in("2022年，本局收到人大代表建议12件，开展培训3次，共发布信息300条，受理投诉5件。")
    assert found == []


def test_stated_zero_without_a_number():
    found, _ = claims_in("本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。")
    assert found == [("review", 0, None), ("suits", 0, None)]


def test_format_specific_claims():
    found, _ = claims_in("本年度新制作规范性文件7件。", fmt="2019")
    assert found == [("made", 7, "norm")]
    found, _ = claims_in("本年度新制作规范性文件7件。", fmt="2021")
    assert found == []


def _run(case):
    doc, fields = case_inputs(case)
    findings, checks = run(doc, fields, RULES)
    return doc, [f for f in findings if f.rule_id == "TEXT-CLAIM"], {c.rule_id: c for c in checks}


def test_the_seed_tables_agree_with_its_text_figures():
    """The seed's text states 53, 13, 3, 1, 28 and 8 and 0 reviews; none contradicts its tables."""
    text = ("全年共受理公民、法人提出的政府信息公开申请53件。其中“予以公开”的13件、“部分公开”的3件、"
            "“不予公开”的1件、“无法提供”的28件、“其他处理”的8件。全年因信息公开引起的行政复议0起。")
    _, claims, checks = _run({"base": "quangang-2020", "sections": {1: text}})
    assert claims == []
    assert str(checks["TEXT-CLAIM"].outcome) == "pass"


def test_contradiction_quotes_sentence_with_its_span():
    text = "本局认真办理申请。全年共新收政府信息公开申请60件，均按时答复。"
    doc, claims, checks = _run({"sections": {3: text}})
    (f,) = claims
    assert str(checks["TEXT-CLAIM"].outcome) == "fail"
    assert (f.found, f.expected) == (60, 54)
    assert f.location.section == 3 and f.location.field_ids == ["t3.new.total"]
    a, b = f.location.char_span
    assert doc.section(3).text[a:b] == "全年共新收政府信息公开申请60件，均按时答复。" == f.location.sentence
    assert f.details["number_span"] == [a + text[a:].index("60"), a + text[a:].index("60") + 2]
    assert "60" in f.message_zh and "54" in f.message_zh and "60" in f.message_en


def test_received_counted_with_carried_in_is_not_a_contradiction():
    _, claims, _ = _run({"sections": {1: "全年共收到政府信息公开申请56件。"}})  # 54 new + 2 carried in
    assert claims == []


def test_figure_matching_only_one_column_is_said_so():
    _, claims, _ = _run({"sections": {1: "全年予以公开20件。"}})
    (f,) = claims
    assert "自然人" in f.message_zh and "“自然人” column" in f.message_en
    assert f.details["matches_only"].startswith("the figure matches only the")


def test_qizhong_parts_exceeding_total():
    text = "全年主动公开政府信息二百条，其中政策文件一百五十条、机构信息八十条（其中新增十条）。"
    doc, fields = case_inputs({"sections": {1: text}})
    findings, _ = run(doc, fields, RULES)
    (f,) = [x for x in findings if x.rule_id == "TEXT-PARTS"]
    assert (f.found, f.details["total"], f.details["parts"]) == (230, 200, [150, 80])


def test_received_with_carried_in_stated_apart_is_a_contradiction():
    """56 = 54 new + 2 carried in, but the sentence gives the carried-in ones separately."""
    _, claims, _ = _run({"sections": {1: "全年共收到政府信息公开申请56件，另有上年结转2件。"}})
    (f,) = claims
    assert (f.found, f.expected) == (56, 54)


def test_outcome_statement_is_no_count_of_cases():
    """未发生…被行政复议纠错或行政诉讼败诉: the 纠正 column, never the number of reviews or suits."""
    found, _ = claims_in("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。")
    assert found == [("review_corrected", 0, None), ("suits_corrected", 0, None)]
    found, _ = claims_in("因政府信息公开被申请行政复议3起，行政复议被纠错0件。")
    assert found == [("review", 3, None), ("review_corrected", 0, None)]


def test_open_and_partial_together_are_one_figure():
    found, _ = claims_in("其中，予以公开及部分公开208件，不予公开20件。")
    assert found == [("open_partial", 208, None), ("denied", 20, None)]
    found, _ = claims_in("全部或部分公开81件。")
    assert found == [("open_partial", 81, None)]


def test_changes_other_years_and_other_business_state_no_field():
    assert claims_in("收到政府信息公开申请同比增加100件。")[0] == []
    assert claims_in("2024年收到政府信息公开申请100件。", fmt="2021")[0] == [("new", 100, None)]  # year unknown
    sec = claims_in("2024年收到政府信息公开申请100件。")[1]
    assert find_claims(sec, patterns(), "2021", year=2025) == []
    assert [c.value for c in find_claims(sec, patterns(), "2021", year=2024)] == [100]
    assert claims_in("自2008年以来累计受理政府信息公开申请5000件。")[0] == []
    assert claims_in("全年受理行政许可申请1200件，公开行政复议决定书56件。")[0] == []
    # a figure whose context is the sentence before (科委 2024: 涉及政府信息公开工作的行政复议…涉及的行政诉讼数为0件)
    assert claims_in("本委有1件涉及政府信息公开工作的行政复议。涉及的行政诉讼数为0件。")[0] == [("suits", 0, None)]


def test_carried_over_to_next_year_named_by_its_year():
    sec = claims_in("结转至2026年继续办理6件。")[1]
    assert [(c.claim.id, c.value) for c in find_claims(sec, patterns(), "2021", year=2025)] == [("carried_out", 6)]


def test_real_office_report_states_no_contradiction():
    """shanghai-office-2025: 未发生…被行政复议纠错或行政诉讼败诉 against reviews 55 and suits 12 + 22 (all 纠正 0);
    予以公开及部分公开208件 = 206 + 2."""
    from pathlib import Path

    import pytest

    from audit import pipeline

    path = Path(__file__).resolve().parents[2] / "shared" / "reports" / "real" / "shanghai-office-2025.md"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    doc = pipeline.read(path)
    fields = pipeline.extract(doc)
    findings, checks = run(doc, fields, RULES)
    assert [f.message_en for f in findings if f.rule_id == "TEXT-CLAIM"] == []
    assert str({c.rule_id: c for c in checks}["TEXT-CLAIM"].outcome) == "pass"
    said = {c.claim.id: c.value for c in find_claims(doc.section(1), patterns(), "2021", 2025)}
    assert said["review_corrected"] == 0 and said["suits_corrected"] == 0 and said["open_partial"] == 208
    assert "review" not in said and "suits" not in said and "partial" not in said


def test_a_paragraph_read_as_an_evaluator_reads_it():
    """Combined categories with shares, a category as a whole, 复议/诉讼 均获维持 while 表四 has a review
    pending (the layout of a provincial office's web report): each figure compared, each contradiction
    found, each passing figure saying which reading it agreed with."""
    from _checks_helpers import case_inputs

    text = ("本年度共办结政府信息公开申请52件，其中予以公开及部分公开30件，占33.9%；因本机关不掌握等原因无法提供9件；"
            "不予公开3件。因政府信息公开引起行政复议2件、行政诉讼1件，均获维持。")
    doc, fields = case_inputs({"sections": {3: text}})
    findings, checks = run(doc, fields, RULES)
    text_findings = sorted((f.rule_id, f.details.get("claim")) for f in findings if f.rule_id.startswith("TEXT"))
    assert text_findings == [("TEXT-CLAIM", "all_upheld"), ("TEXT-CLAIM", "unable"), ("TEXT-SHARE", "open_partial")]
    share = next(f for f in findings if f.rule_id == "TEXT-SHARE")
    assert "57.7%" in share.message_zh  # 30 of the 52 handled
    reason = {c.rule_id: c for c in checks}["TEXT-CLAIM"].reason
    assert "（七）总计" in reason.zh and "予以公开及部分公开" in reason.zh  # what the passing figures agreed with


def test_handled_and_open_in_other_wordings():
    found, _ = claims_in("全年依申请公开答复27件，其中同意公开11件。")
    assert found == [("handled", 27, None), ("open", 11, None)]


def test_decisions_figures_only_of_decisions():
    found, _ = claims_in("本年度共作出行政许可决定1520件，行政处罚决定36件，行政强制决定4件。")
    assert found == [("license_decisions", 1520, None), ("penalty_decisions", 36, None),
                     ("coercion_decisions", 4, None)]
    found, _ = claims_in("全年受理行政许可申请1600件，办理行政处罚案件40件，行政许可事项较上年增加12项。")
    assert found == []
