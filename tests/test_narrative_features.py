"""Tokens, lexicon patterns, specificity and coverage (fixture text written for the tests)."""
import pytest

from audit.narrative.features import analyse_passage, answers, facts
from audit.narrative.segment import MEASURE, PROBLEM, Unit
from audit.narrative.tokens import find_phrases, lexicon, sentences, words
from tests._narrative_helpers import GENERIC_VAGUE, NO_RECTIFICATION_2021, SUBSTANTIVE_2021


def unit(text, role=MEASURE):
    return Unit(role, 0, len(text), text)


def test_tokens_use_the_domain_dictionary():
    w = words("依申请公开答复质量有待提高，6月底前完成政府信息公开指南修订。")
    assert {"依申请公开", "有待提高", "政府信息公开指南", "月底前"} <= set(w)
    assert "<NUM>" in w and "，" not in w


def test_sentences_are_offsets():
    text = "一是甲；二是乙。\n三是丙"
    assert [text[a:b] for a, b in sentences(text)] == ["一是甲；", "二是乙。", "三是丙"]


@pytest.mark.parametrize("group, hit, miss", [
    ("stock", "解读质量有待提高，工作不够到位", "全年有3件申请超期答复"),
    ("vague", "进一步加强政务公开，不断提升水平", "6月底前修订指南"),
    ("actions", "开设专栏并印发办法", "重视政务公开"),
    ("disclosure", "政府网站栏目更新", "招商引资项目"),
    ("off_topic", "加大招商引资力度", "修订公开指南"),
])
def test_phrase_lists(group, hit, miss):
    phrases = getattr(lexicon(), group)
    assert find_phrases(hit, phrases) and not find_phrases(miss, phrases)


@pytest.mark.parametrize("pattern, hit, miss", [
    ("figure", "错误链接12个、错别字3处", "2023年按照《条例》第三十三条"),
    ("figure", "回复率提高到98%", "围绕“十四五”规划"),
    ("deadline", "6月底前完成", "2024年将继续推进"),
    ("date", "于2023年4月完成修订", "2023年度"),
    ("unit", "由区司法局牵头", "以人民为中心，形成新格局"),
    ("unit", "送法制科审核", "各科室、责任科室"),
    ("empty", "（无）", "网站3个栏目未更新"),
    ("fee", "本年度未收取信息处理费", "无其他需要报告的事项"),
])
def test_patterns(pattern, hit, miss):
    rx = getattr(lexicon(), pattern)
    assert rx.search(hit) and not rx.search(miss)


def test_concrete_and_vague_measures():
    assert facts(unit("11月底前由审批科补齐14件许可决定的期限信息。")).concrete
    assert not facts(unit("进一步提高思想认识，切实增强主动公开意识，不断提升政务公开水平。")).concrete
    assert not facts(unit("2024年，本局将继续以《条例》为遵循，全面提升政务公开工作水平。")).concrete  # a year is no deadline
    assert facts(unit("全年有3件申请超期答复。", PROBLEM)).factual


def test_coverage_finds_the_unanswered_problem():
    p1 = facts(unit("政策解读形式单一，图解解读偏少。", PROBLEM))
    p2 = facts(unit("政务微博长期停更。", PROBLEM))
    m1 = facts(unit("每件政策文件配发图解解读。"))
    assert answers(p1, m1) and not answers(p2, m1)
    a = analyse_passage("存在问题：政策解读形式单一，图解解读偏少；政务微博长期停更。改进措施：每件政策文件配发图解解读。")
    assert [u.text for u in a.coverage.uncovered] == ["政务微博长期停更。"]
    assert a.dense["problem_covered_share"] == 0.5


def test_dense_features_tell_the_passages_apart():
    vague = analyse_passage(GENERIC_VAGUE, "2019", 2020).dense
    concrete = analyse_passage(SUBSTANTIVE_2021, "2021", 2023).dense
    assert vague["problem_stock_share"] == 1.0 and concrete["problem_fact_share"] == 1.0
    assert vague["measure_concrete_share"] == 0.0 and concrete["measure_concrete_share"] == 1.0
    assert concrete["format_2021_no_rectification"] == 0.0
    assert analyse_passage(NO_RECTIFICATION_2021, "2021", 2023).dense["format_2021_no_rectification"] == 1.0
    assert analyse_passage("无。", "2021", 2023).dense["empty_pattern"] == 1.0


@pytest.mark.parametrize("text, specific", [
    ("区政府网站“惠企政策”专栏只发布了文件标题，正文需另行索取。", True),   # a named column
    ("《镇政务公开工作规程》仍是新条例施行前的版本。", True),                 # a named document
    ("例如，教育收费标准调整后未在网站更新。", True),                        # an example given as such
    ("学校建设项目只公开了立项，竣工信息没有公开。", True),                   # a named step, and what is missing
    ("意见征集的广泛性不够，预公开工作有待加强。", False),                   # a named step, degree words only
    ("按照《条例》第三十三条，答复的规范化程度有待提高。", False),            # the 条例 itself names nothing
    ("部分单位存在“重发布、轻解读”的现象。", False),                         # a quoted slogan is no case
])
def test_named_cases_make_a_problem_specific(text, specific):
    f = facts(unit(text, PROBLEM))
    assert f.specific is specific and not f.factual
    assert bool(f.evidence) is specific


def test_a_named_column_with_an_act_is_a_concrete_measure():
    assert facts(unit("在局网站开设“惠企政策”专栏，集中发布涉企政策。")).concrete
    assert not facts(unit("持续优化网站栏目，提升服务水平。")).concrete


def test_coverage_matches_words_inside_longer_words_and_pointing_back():
    p = facts(Unit(PROBLEM, 0, 20, "政府信息查阅点设在办公楼五楼，群众需要登记才能进入。"))
    m = facts(Unit(MEASURE, 30, 50, "把查阅点搬到一楼大厅，取消登记。"))
    assert answers(p, m)  # 政府信息查阅点 ⊃ 查阅点
    a = analyse_passage("一是网站“通知公告”栏目半年没有更新。对此，已由办公室负责每周更新。"
                        "二是解读材料没有图解。下一步，对每件规范性文件配发图解。", "2019", 2020)
    assert len(a.of_role(PROBLEM)) == 2 and len(a.of_role(MEASURE)) == 2
    assert a.coverage.uncovered == [] and a.coverage.unanswering == []


def test_specific_problem_and_concrete_measure_must_share_words():
    """Both on the website, but a search function does not answer broken links."""
    p = facts(unit("季度检查发现网站错误链接21个。", PROBLEM))
    m = facts(unit("9月底前上线按文号检索政策文件的功能。"))
    assert p.specific and m.concrete and not answers(p, m)
    assert answers(facts(unit("网站栏目更新不够及时。", PROBLEM)), m)  # a general problem: the topic is enough


def test_on_topic_features_are_not_used_for_specificity_labels():
    """Being about disclosure is no evidence of stock phrases: the shipped model gives those features no
    weight for generic, no_concrete_measures and mismatch, which are learnt on on-topic passages only."""
    from audit.narrative.classify import load_model
    from audit.narrative.features import DENSE

    model = load_model()
    n = len(model.names) - len(DENSE)
    for lb in ("generic", "no_concrete_measures", "mismatch"):
        coef = model.coef[lb]
        assert coef[n + DENSE.index("disclosure_share")] == 0 and coef[n + DENSE.index("off_topic_share")] == 0
        assert set(model.labels[lb]["scope"]["excludes"]) == {"empty", "off_topic"}


def test_the_reporting_agency_named_is_no_fact_about_a_problem():
    # the agency names itself at the opening; a responsible unit in a measure is still concrete
    assert not facts(unit("2024年，县医疗保障局政府信息公开工作与群众期望相比还有一定差距。", PROBLEM)).specific
    assert facts(unit("由县司法局牵头，逐件核对文件有效性。")).concrete


@pytest.mark.parametrize("text", [
    "继续加强日常管理，强化信息更新的时效性，及时发布政策信息和工作动态。",
    "着力完善突发事件信息发布机制，提升信息发布的权威性。",  # one verb twice is not two acts
    "推动办事指南动态更新、同源发布，提升便利度。",
])
def test_everyday_verbs_are_no_concrete_act(text):
    assert not facts(unit(text)).concrete


@pytest.mark.parametrize("text, specific", [
    ("镇政府微信公众号“清溪发布”7月至9月没有推送信息。", True),  # the kind first, then its name; a month range
    ("少数政务新媒体账号“重发布、轻互动”，服务功能不够突出。", False),  # a quoted slogan is no name
    ("三个社区的公开栏仍是上年内容。", True),  # a count in words
    ("政务公开工作人员多为兼职，专业能力有待提升。", False),  # part-time staff alone: a stock complaint
    ("信息公开多由临时借调人员兼职经办，工作移交不畅。", True),  # who does the work, and how: checkable
])
def test_what_makes_a_problem_checkable(text, specific):
    assert facts(unit(text, PROBLEM)).specific is specific


def test_a_general_promise_answers_stock_awareness_problems_only():
    promise = facts(unit("下一步将提高政治站位，推动政务公开工作再上新台阶。"))
    assert answers(facts(unit("部分工作人员对政务公开工作认识不到位，主动公开意识不强。", PROBLEM)), promise)
    assert not answers(facts(unit("部门预决算公开的细化程度不够。", PROBLEM)), promise)
    # one problem and one general measure on disclosure: the measure is its answer
    a = analyse_passage("存在问题：捐赠物资分配信息晚于7天公开。改进措施：进一步增强公开意识，及时准确公开社会关注的信息。",
                        "2019", 2020)
    assert not a.coverage.uncovered


def test_training_and_publicity_do_not_answer_a_named_problem():
    a = analyse_passage("（一）主要问题\n申请有网站和市平台两个入口，两处受理记录没有合并。\n"
                        "（二）改进措施\n进一步加强政府信息公开宣传，加强工作人员培训。", "2019", 2019)
    assert len(a.coverage.uncovered) == 1


def test_a_month_of_this_year_is_a_date():
    assert facts(unit("已于今年3月补充公开“三公”经费明细。", PROBLEM)).dates


def test_a_platform_lacking_a_section_is_checkable():
    # 版块 is the same thing as 栏目: a named platform lacking one is something a reader can look up
    p = analyse_passage("存在的主要问题及改进情况\n一是镇信息网缺少群众留言互动版块。二是宣传力度有待加强。", "2019", 2019)
    assert p.of_role(PROBLEM)[0].specific
    p = analyse_passage("存在的主要问题及改进情况\n一是镇信息网的互动性有待加强。二是宣传力度有待加强。", "2019", 2019)
    assert not any(f.specific for f in p.of_role(PROBLEM))


def test_lack_of_technical_staff_is_a_staffing_problem():
    p = analyse_passage("存在问题：缺乏信息专业技术人员。改进措施：加强业务培训。", "2019", 2019)
    assert "staffing" in p.of_role(PROBLEM)[0].topics
    p = analyse_passage("存在问题：工作人员业务不熟。改进措施：加强业务培训。", "2019", 2019)
    assert "staffing" not in p.of_role(PROBLEM)[0].topics
