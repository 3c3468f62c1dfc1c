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


def test_pingtan_2022_named_cases_and_named_methods(read):
    """Its problems name the step that is missing (key projects not disclosed over the whole process; a single
    form of comment collection on major decisions): no NARR-GENERIC. Its measures name the methods (座谈会、
    听证会、问卷调查 with the feedback published; 在线访谈、政策问答、图表图解), each on a stated problem: no
    NARR-NO-MEASURES or NARR-MISMATCH (the evaluators' reading). Only 2021's problems go unaccounted for."""
    doc, findings, checks, a = read("pingtan-2022.txt")
    problems = a.of_role("problem")
    assert len(problems) == 3 and sum(f.specific for f in problems) == 2
    assert "全流程" in problems[1].evidence and "预公开" in problems[0].evidence
    assert not problems[2].specific  # 解读形式单一: a degree word on a topic, nothing named
    assert sum(f.concrete for f in a.of_role("measure")) >= 2
    assert a.coverage.uncovered == []
    assert [f.rule_id for f in findings] == ["NARR-NO-RECTIFICATION"]


@pytest.mark.parametrize("name, method", [("pingtan-2020.txt", "抽查"), ("pingtan-2024.txt", "目录编制"),
                                          ("pingtan-2025.txt", "知识库")])
def test_stock_problems_with_one_named_method(read, name, method):
    """Stock problems stay generic (nothing named, nothing a reader could check); a measure that names a
    method or tool (季度检查抽查, 目录编制, 智能问答知识库) is concrete, so no NARR-NO-MEASURES."""
    _, findings, _, a = read(name)
    assert not any(f.specific for f in a.of_role("problem"))
    assert any(method in f.methods for f in a.of_role("measure") if f.concrete)
    got = by_rule(findings)
    assert "NARR-GENERIC" in got and "NARR-NO-MEASURES" not in got
    assert got["NARR-GENERIC"].details["specific_problems"] == []


def test_pingtan_2021_names_the_missing_method_but_promises_only(read):
    """解读 without 图表图解 names a method not used: a checkable problem, so not generic; the measures only
    promise (丰富形式、拓宽渠道): NARR-NO-MEASURES with 0 of 3 concrete."""
    _, findings, _, a = read("pingtan-2021.txt")
    assert any(f.specific for f in a.of_role("problem"))
    got = by_rule(findings)
    assert "NARR-GENERIC" not in got and "NARR-NO-MEASURES" in got
    assert got["NARR-NO-MEASURES"].details["counts"]["concrete"] == 0


def test_shanghai_office_2025_rectification_then_problems_without_measures(read):
    """Part (一) reports what was done about 2024's problems (近1400 policy documents linked to services),
    part (二) states three 2025 problems and proposes nothing for them: the segmentation says so, and the
    findings say it in those words instead of "0 measures answer no problem"."""
    _, findings, checks, a = read("shanghai-office-2025.md")
    assert len(a.of_role("rectification")) == 3 and len(a.of_role("problem")) == 3 and a.of_role("measure") == []
    assert any("1400" in f.figures[0] for f in a.of_role("rectification") if f.figures)
    assert outcomes(checks)["NARR-NO-RECTIFICATION"] == "pass"
    got = by_rule(findings)
    assert "NARR-NO-MEASURES" not in got  # no measure to judge: one finding, the mismatch, says so
    for rule in ("NARR-MISMATCH",):
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
