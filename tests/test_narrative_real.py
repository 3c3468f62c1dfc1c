"""Section 五 of the real reports in ../shared/reports/real, read as an evaluator would (facts and figures
from those reports only; no sentence of theirs is in this file)."""
import pytest

from tests._narrative_helpers import SHARED, by_rule, outcomes

REAL = SHARED / "real"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="shared reports not present")


@pytest.fixture(scope="module")
def read():
    from audit import narrative, pipeline
    from audit.narrative.features import analyse_passage
    from audit.narrative.findings import report_format

    cache = {}

    def get(name):
        if name not in cache:
            doc = pipeline.read(REAL / name)
            findings, checks = narrative.analyse(doc)
            a = analyse_passage(doc.section(5).text, report_format(doc.meta), doc.meta.year)
            cache[name] = doc, findings, checks, a
        return cache[name]

    return get


def test_pingtan_2022_named_cases_are_not_generic(read):
    """Its problems name the step that is missing (key projects not disclosed over the whole process; a single
    form of comment collection on major decisions): two of three are specific, so no NARR-GENERIC; its
    measures still name no deadline, unit or figure, and 2021's problems are not accounted for."""
    doc, findings, checks, a = read("pingtan-2022.txt")
    problems = a.of_role("problem")
    assert len(problems) == 3 and sum(f.specific for f in problems) == 2
    assert "全流程" in problems[1].evidence and "预公开" in problems[0].evidence
    assert not problems[2].specific  # 解读形式单一: a degree word on a topic, nothing named
    assert outcomes(checks)["NARR-GENERIC"] == "pass"
    assert {"NARR-NO-MEASURES", "NARR-NO-RECTIFICATION"} <= set(by_rule(findings))


@pytest.mark.parametrize("name", ["pingtan-2020.txt", "pingtan-2021.txt", "pingtan-2024.txt", "pingtan-2025.txt"])
def test_stock_sections_stay_generic(read, name):
    """Named cases must not excuse stock phrases: these sections state no fact and name nothing."""
    _, findings, _, a = read(name)
    assert not any(f.specific for f in a.of_role("problem"))
    got = by_rule(findings)
    assert "NARR-GENERIC" in got and "NARR-NO-MEASURES" in got
    assert got["NARR-GENERIC"].details["specific_problems"] == []


def test_shanghai_office_2025_rectification_then_problems_without_measures(read):
    """Part (一) reports what was done about 2024's problems (近1400 policy documents linked to services),
    part (二) states three 2025 problems and proposes nothing for them: the segmentation says so, and the
    findings say it in those words instead of "0 measures answer no problem"."""
    _, findings, checks, a = read("shanghai-office-2025.md")
    assert len(a.of_role("rectification")) == 3 and len(a.of_role("problem")) == 3 and a.of_role("measure") == []
    assert any("1400" in f.figures[0] for f in a.of_role("rectification") if f.figures)
    assert outcomes(checks)["NARR-NO-RECTIFICATION"] == "pass"
    got = by_rule(findings)
    for rule in ("NARR-NO-MEASURES", "NARR-MISMATCH"):
        assert rule in got
        assert "3" in got[rule].message_zh and "0/0" not in got[rule].message_zh and "没有" in got[rule].message_zh
        assert "problem(s)" in got[rule].message_en
    assert got["NARR-MISMATCH"].details["closest"] == []
    assert len(got["NARR-MISMATCH"].details["uncovered_problems"]) == 3


def test_shanghai_kewei_2024_named_column_is_concrete(read):
    """The measure that opens the named column (张江高新区) is concrete; the single problem (the 2024
    reorganisation outgrew the site's columns and catalogue) is specific; only last year's rectification
    is missing."""
    _, findings, checks, a = read("shanghai-kewei-2024.md")
    opening = [f for f in a.of_role("measure") if "张江高新区" in f.unit.text][0]
    assert opening.concrete and any("张江高新区" in n for n in opening.named)
    assert all(f.specific for f in a.of_role("problem"))
    assert [f.rule_id for f in findings] == ["NARR-NO-RECTIFICATION"]


def test_every_real_report_gets_one_reading(read):
    """No real section 五 is read as empty or off topic."""
    for name in sorted(p.name for p in REAL.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md"):
        _, _, checks, _ = read(name)
        assert outcomes(checks)["NARR-EMPTY"] == "pass" and outcomes(checks)["NARR-OFF-TOPIC"] == "pass", name
