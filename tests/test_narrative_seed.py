"""The seed report: section 五 is generic with no concrete measures, quoted, with the phrases that drove it."""
import pytest

from tests._narrative_helpers import SEED, by_rule, outcomes

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="shared reports not present")


@pytest.fixture(scope="module")
def seed():
    from audit import narrative, pipeline

    doc = pipeline.read(SEED)
    return doc, *narrative.analyse(doc)


def test_seed_section_five_flags(seed):
    doc, findings, checks = seed
    got = by_rule(findings)
    assert {"NARR-GENERIC", "NARR-NO-MEASURES"} <= set(got)
    assert "NARR-EMPTY" not in got and "NARR-OFF-TOPIC" not in got
    assert outcomes(checks)["NARR-EMPTY"] == "pass" and outcomes(checks)["NARR-OFF-TOPIC"] == "pass"
    assert outcomes(checks)["NARR-NO-RECTIFICATION"] == "not_applicable"  # a 2020 report


def test_seed_quotes_and_phrases(seed):
    doc, findings, _ = seed
    text = doc.section(5).text
    problems, measures = text.split("工作改进情况")
    for rule, part in (("NARR-GENERIC", problems), ("NARR-NO-MEASURES", measures)):
        d = by_rule(findings)[rule].details
        assert d["sentences"] and all(s in part for s in d["sentences"])
        assert d["phrases"] and all(any(p in s for s in d["sentences"]) for p in d["phrases"])
        for (a, b), s in zip(d["spans"], d["sentences"]):
            assert text[a:b] == s
    generic = by_rule(findings)["NARR-GENERIC"].details
    assert {"不够到位", "一些单位"} & set(generic["phrases"])
    assert generic["counts"]["problems"] == 4 and generic["counts"]["factual"] == 0


def test_seed_sections_one_and_six(seed):
    _, _, checks = seed
    assert outcomes(checks)["NARR-S1-NO-FIGURES"] == "pass"  # 3152条, 1545条 …
    assert outcomes(checks)["NARR-S6-FEE"] == "not_applicable"
