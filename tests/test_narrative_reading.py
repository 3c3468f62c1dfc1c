"""How section 五 is read where real sections of other agencies put things (fixture text written for the tests):
measure lead-ins that point back, a run-in list of aspects, staffing against training, the content and the
timeliness of disclosure as subjects, one clause of a long measure answering a problem, a checkable problem
left without a measure. Each rule has a case it holds for and one it does not."""
import pytest

from audit.narrative.features import analyse_passage, answers, clause_answers, facts
from audit.narrative.segment import FRAME, MEASURE, PROBLEM, Unit, segment


def roles(text, year=2024):
    return [(u.role, u.text) for u in segment(text, year).units]


def parts(text, year=2024):
    seg = segment(text, year)
    return [u.text for u in seg.problems], [u.text for u in seg.measures]


@pytest.mark.parametrize("lead", [
    "针对以上不足，2025年本局将在服务大厅增设1个查阅点。",
    "针对上述问题，本局将在服务大厅增设1个查阅点。",
    "针对这些短板，本局将在服务大厅增设1个查阅点。",
])
def test_a_lead_that_points_back_opens_the_measures(lead):
    problems, measures = parts("2024年，本局政务公开工作还有不足：查阅场所偏少。" + lead)
    assert problems == ["查阅场所偏少。"] and measures == [lead]


def test_a_problem_that_names_a_shortfall_is_no_lead():
    problems, measures = parts("2024年，本局政务公开工作还有不足：查阅场所偏少。针对企业的政策推送覆盖面窄。")
    assert measures == [] and len(problems) == 2


@pytest.mark.parametrize("lead", ["结合存在的问题，我们将从以下三个方面改进：", "结合工作中存在的问题和不足，本镇将从以下两个方面改进。"])
def test_a_lead_naming_the_problems_and_the_number_of_measures_is_a_frame(lead):
    text = "存在问题：一是信息更新慢；二是解读形式少。" + lead + "一是每周更新一次；二是增加图解。"
    seg = segment(text, 2024)
    assert any(u.role == FRAME and u.text.startswith("结合") for u in seg.units)
    assert [u.marker for u in seg.measures] == ["一是", "二是"]


def test_a_sentence_that_only_mentions_the_problems_opens_nothing():
    text = "存在问题：一是信息更新慢；二是解读形式少。结合存在的问题，有关科室认识还不到位。"
    seg = segment(text, 2024)
    assert seg.measures == [] and seg.problems[-1].text.endswith("有关科室认识还不到位。")  # item 二 runs on


def test_a_heading_of_further_rectification_opens_the_measures():
    text = "（一）存在问题：一是政策解读形式单一；二是查阅渠道少。（二）进一步整改：一是提升解读能力；二是深入调研群众需要。"
    problems, measures = parts(text, 2023)
    assert len(problems) == 2 and len(measures) == 2 and measures[1].startswith("二是深入调研")


def test_an_item_opening_on_a_promise_is_a_measure_and_a_shortfall_a_problem():
    text = "（一）情况：一是深入调研群众需要；二是政务公开专栏内容较少。"
    problems, measures = parts(text, 2023)
    assert measures == ["一是深入调研群众需要；"] and problems == ["二是政务公开专栏内容较少。"]


def test_an_opening_before_a_run_in_list_is_a_frame():
    text = "2024年，本街道政务公开工作按时完成，但仍存在一些不足，主要体现在：信息发布不够及时，专栏更新较慢。"
    seg = segment(text, 2024)
    assert seg.units[0].role == FRAME and seg.units[0].text.endswith("主要体现在：")
    assert all(u.role == PROBLEM for u in seg.units[1:])


def test_three_aspects_before_one_predicate_are_three_problems():
    problems, _ = parts("2024年，本局工作在公开内容、解读方式、政府开放日活动等方面仍有不足。下一步本局将加大力度。")
    assert len(problems) == 3 and problems[2].startswith("政府开放日活动")


@pytest.mark.parametrize("text", [
    "2024年，本局工作在公开内容、解读方式等方面仍有不足。下一步本局将加大力度。",  # two aspects: one problem
    "一是公开内容、解读方式、开放日活动等方面仍有不足。二是更新慢。下一步本局将加大力度。",  # an enumerated item
])
def test_two_aspects_or_an_enumerated_item_stay_one_problem(text):
    problems, _ = parts(text)
    assert not any(p.startswith(("解读方式", "开放日")) for p in problems)


def unit(text, role):
    return facts(Unit(role, 0, len(text), text))


STAFFING = unit("本局政务公开只有1名兼职人员，借调人员年内调离2人。", PROBLEM)


def test_training_does_not_answer_a_staffing_problem():
    assert not answers(STAFFING, unit("组织工作人员参加县里的业务培训，提升业务能力。", MEASURE))


def test_a_measure_on_staffing_answers_it():
    assert answers(STAFFING, unit("明确办公室1名专职人员负责政务公开，做好交接。", MEASURE))


def test_training_answers_a_skills_problem():
    assert answers(unit("工作人员业务能力有待提高。", PROBLEM), unit("加强业务培训。", MEASURE))


def test_the_content_of_disclosure_is_a_subject():
    problem = unit("公开内容的深度和广度还不够。", PROBLEM)
    assert answers(problem, unit("围绕重点领域充实公开内容。", MEASURE))
    assert not answers(problem, unit("严格落实信息发布审核制度。", MEASURE))


def test_timeliness_is_a_subject():
    problem = unit("部分信息更新不够及时。", PROBLEM)
    assert answers(problem, unit("加强栏目日常维护，及时发布信息。", MEASURE))
    assert not answers(problem, unit("组织开展业务培训。", MEASURE))


def test_one_clause_of_a_long_measure_answers_a_problem():
    problem = unit("公开内容不能满足群众查阅需求。", PROBLEM)
    long_measure = unit("坚持以群众利益为导向，发挥新媒体作用拓宽渠道，并增设两处查阅场所，满足群众查阅需求。", MEASURE)
    assert clause_answers(problem, long_measure)
    assert not clause_answers(problem, unit("坚持以群众利益为导向，发挥新媒体作用拓宽渠道，满足企业办事需要。", MEASURE))


def test_a_checkable_problem_left_without_a_measure_is_a_feature():
    unanswered = analyse_passage("存在问题：本局只有1名兼职人员，借调人员年内调离2人。下一步，本局将加强业务培训。", "2021", 2024)
    answered = analyse_passage("存在问题：本局只有1名兼职人员，借调人员年内调离2人。下一步，本局将配备1名专职人员。", "2021", 2024)
    assert unanswered.dense["specific_uncovered"] == 1.0
    assert answered.dense["specific_uncovered"] == 0.0


def test_a_mismatch_quotes_the_whole_sentence_of_an_unanswered_aspect():
    from audit import narrative
    from tests._narrative_helpers import by_rule, make_doc

    text = ("五、存在的主要问题及改进情况\n2020年，本局政务公开工作取得了一些成绩，但在公开内容、解读方式、政府开放日活动等方面"
            "仍有不足。\n2021年，本局将进一步提高认识，查找工作中的薄弱环节，加大工作力度。")
    findings, _ = narrative.analyse(make_doc(text, year=2020))
    f = by_rule(findings).get("NARR-MISMATCH")
    assert f is not None
    sentence = "2020年，本局政务公开工作取得了一些成绩，但在公开内容、解读方式、政府开放日活动等方面仍有不足。"
    assert f.details["uncovered_problems"] == [sentence]  # the sentence, once, not its fragments
    assert any(x.startswith("政府开放日活动") for x in f.details["uncovered_aspects"])
    assert all(s in text for s in f.details["sentences"]) and "，全年" not in f.details["sentences"]
    assert f.details["counts"]["problems"] == 3 and f.details["counts"]["measures"] == 1  # no lead-in counted


def test_the_memo_names_the_unanswered_aspects_and_not_sentences_it_quotes_already():
    from audit.memo.context import finding_view
    from audit.model import Finding, Location, Result, Severity
    from tests._narrative_helpers import make_doc

    doc = make_doc("五、存在的主要问题及改进情况\n本局窗口人员业务不熟。", year=2023)
    sentence = "2023年，本局窗口人员业务不熟，答复文书格式不统一，政务新媒体更新不及时等。"

    def view(details):
        f = Finding("NARR-MISMATCH", Severity.WARNING, "narrative", "问题与改进措施不对应", "mismatch",
                    Location(section=5), details=dict(details, label="mismatch", probability=0.64))
        return finding_view(f, 1, Result(source=doc.source, document=doc, fields=None, findings=[f]), "zh")["narrative"]

    # one sentence of three aspects, two of them answered: the third is named, its 等 and stop dropped
    v = view({"sentences": [sentence], "uncovered_problems": [sentence], "uncovered_aspects": ["政务新媒体更新不及时等。"]})
    assert v["unmatched"] == ["政务新媒体更新不及时"] and v["unanswering"] == []
    # problems that are the very sentences quoted: nothing listed twice
    two = ["一是网站栏目更新不及时；", "二是答复文书格式不统一。"]
    assert view({"sentences": two, "uncovered_problems": two})["unmatched"] == []
    # two sentences quoted, one of them unanswered, and a measure answering neither: each named, without its stop
    v = view({"sentences": two, "uncovered_problems": two[:1], "unanswering_measures": ["开展档案数字化工作。"]})
    assert v["unmatched"] == ["一是网站栏目更新不及时"] and v["unanswering"] == ["开展档案数字化工作"]
