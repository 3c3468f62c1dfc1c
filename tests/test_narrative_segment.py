"""Section 五 → problems, measures, last year's rectification (fixture text written for the tests)."""
import json
from collections import Counter
from pathlib import Path

import pytest

from audit.narrative.segment import FRAME, MEASURE, PROBLEM, RECTIFICATION, segment
from tests._narrative_helpers import GENERIC_VAGUE, SEED, SUBSTANTIVE_2021

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "narratives" / "passages.jsonl"


def roles(text, year=None):
    return [(u.role, u.marker) for u in segment(text, year).units]


def test_headings_and_numbered_items():
    seg = segment(GENERIC_VAGUE)
    assert [u.role for u in seg.units] == [FRAME, PROBLEM, PROBLEM, FRAME, MEASURE, MEASURE]
    assert [u.marker for u in seg.problems] == ["1.", "2."]
    assert seg.problems[0].body.startswith("部分科室")
    for u in seg.units:  # offsets point into the text
        assert GENERIC_VAGUE[u.start:u.end] == u.text


def test_rectification_heading_then_problems_and_measures():
    seg = segment(SUBSTANTIVE_2021, 2023)
    assert len(seg.rectification) == 1 and "错链" in seg.rectification[0].text
    assert len(seg.problems) == 2 and len(seg.measures) == 2


def test_inline_lists_with_lead_ins():
    text = ("2023年，本局政务公开工作取得一定成效，但仍存在一些不足：一是解读材料缺少图解；二是公开指南未及时修订。"
            "下一步，本局将采取以下措施：一是每件规范性文件配发图解；二是3月底前修订公开指南。")
    seg = segment(text, 2023)
    assert len(seg.frames) == 2
    assert [u.marker for u in seg.problems] == ["一是", "二是"]
    assert [u.marker for u in seg.measures] == ["一是", "二是"]


def test_run_in_list_after_such_as():
    text = "本年度工作仍有不足，如政务新媒体更新慢；网站检索不便等。明年将从以下方面做好改进：一是每周更新公众号。"
    seg = segment(text, 2023)
    assert [u.text for u in seg.problems] == ["政务新媒体更新慢；", "网站检索不便等。"]
    assert len(seg.measures) == 1


def test_previous_year_by_number_is_rectification():
    text = ("（一）2022年工作中存在问题的改进情况\n一是补齐了失效文件标注。\n"
            "（二）2023年工作中存在的主要问题\n一是政策文件分散在多个平台。")
    seg = segment(text, 2023)
    assert [u.role for u in seg.statements] == [RECTIFICATION, PROBLEM]
    # the same text in a 2022 report: 2022 is the report year, not last year
    assert segment(text, 2022).statements[0].role != RECTIFICATION


def test_a_continued_item_keeps_its_sentences():
    text = "（二）改进措施\n一是修订公开指南。由办公室负责，6月底前完成。\n二是开设专栏。"
    seg = segment(text)
    assert [u.text for u in seg.measures] == ["一是修订公开指南。由办公室负责，6月底前完成。", "二是开设专栏。"]


def test_corpus_parts_are_recovered():
    """On the composed corpus, the parts found match the parts written in nearly every passage."""
    rows = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["parts"]]
    right = 0
    for r in rows:
        truth = Counter(p[0] for p in r["parts"] if p[0] != "closing")
        units = segment(r["text"], r["year"]).statements
        if any(p[0] == "closing" for p in r["parts"]):
            units = units[:-1]
        right += Counter(u.role for u in units) == truth
    assert right / len(rows) >= 0.9


@pytest.mark.skipif(not SEED.is_file(), reason="shared reports not present")
def test_seed_report_parts():
    from audit import pipeline

    doc = pipeline.read(SEED)
    seg = segment(doc.section(5).text, doc.meta.year)
    assert [u.marker for u in seg.problems] == ["1.", "2.", "3.", "4."]
    assert [u.marker for u in seg.measures] == ["", "1.", "2."]  # 下一步… then the two numbered measures
    assert not seg.rectification


def test_interleaved_items_carry_their_own_measures():
    text = ("一是公众号留言平均5天才回复。对此，已规定留言2个工作日内回复。"
            "二是指南未写明邮寄地址。下一步，3月底前修订指南。三是专区电脑有2台损坏。")
    seg = segment(text, 2023)
    assert [u.role for u in seg.units] == [PROBLEM, MEASURE, PROBLEM, MEASURE, PROBLEM]
    assert seg.problems[2].text == "三是专区电脑有2台损坏。"


def test_topic_headings_reopen_the_problems():
    text = ("（一）关于解读滞后的问题\n有4件解读晚于文件一周发布。下一步，解读与文件同步送审。\n"
            "（二）关于查阅点的问题\n查阅点全年只接待3人次。改进措施：在网站公布查阅点地址。")
    seg = segment(text, 2020)
    assert [u.role for u in seg.statements] == [PROBLEM, MEASURE, PROBLEM, MEASURE]
    assert [u.text for u in seg.frames][0].startswith("（一）关于")


def test_lead_in_without_colon_and_heading_sentences_are_frames():
    text = ("工作中还有一些不足，主要表现在。政务微博停更半年。\n"
            "2022年度政府信息公开工作中存在的主要问题。网站有2个空白栏目。")
    seg = segment(text, 2022)
    assert [u.text for u in seg.problems] == ["政务微博停更半年。", "网站有2个空白栏目。"]
    assert all(u.text.strip("。") for u in seg.units)


def test_a_sentence_on_next_year_after_the_problems_is_a_measure():
    text = "一是栏目更新慢；二是解读形式少。2024年，本局将加快栏目更新，丰富解读形式。"
    seg = segment(text, 2023)
    assert [u.role for u in seg.statements] == [PROBLEM, PROBLEM, MEASURE]
    past = "存在的问题：栏目更新慢。2022年本局将网站交外包公司维护，至今未收回。"  # the report's past: a finding
    assert [u.role for u in segment(past, 2023).statements] == [PROBLEM, PROBLEM]


def test_problems_run_into_the_opening_sentence():
    text = ("2023年，本镇政务公开工作虽然取得一定成效，但仍存在公开内容不够全面、解读形式较为单一、互动回应不够及时等问题。"
            "下一步，本镇将每月更新一次公开栏。")
    seg = segment(text, 2023)
    assert len(seg.problems) == 3 and len(seg.measures) == 1
    # a bare opening stays a frame
    seg = segment("本年度工作取得一定成效，但仍存在一些不足：一是公开栏更新慢。", 2023)
    assert [u.role for u in seg.units] == [FRAME, PROBLEM]


def test_this_years_problems_after_last_years_account():
    text = ("上年度报告中提出的问题，已基本整改到位。2024年，本局仍存在个别股室公开意识不强、信息报送不及时等问题。"
            "下一步，本局将规范信息报送流程。")
    seg = segment(text, 2024)
    assert [u.role for u in seg.statements] == [RECTIFICATION, PROBLEM, MEASURE]


def test_a_measure_may_open_on_its_date():
    text = "本局所属2个单位未公开采购意向。2025年起，采购意向由财务股统一汇总，在采购活动开始前30日公开。"
    assert [u.role for u in segment(text, 2024).statements] == [PROBLEM, MEASURE]
    text = "有2个项目未公示工资专户。2023年6月底前，由监察大队逐一督促整改。"
    assert [u.role for u in segment(text, 2022).statements] == [PROBLEM, MEASURE]


def test_a_heading_of_problems_and_measures_opens_the_problems():
    text = "二、存在的问题及改进措施\n公开内容的实用性仍需增强。\n下一步，本局将坚持需求导向，提升公开内容的实用性。"
    assert [u.role for u in segment(text, 2024).statements] == [PROBLEM, MEASURE]


def test_two_clauses_on_different_subjects_are_two_problems():
    seg = segment("本局存在的不足是：工作人员业务能力不强，政策解读的形式较为单一。", 2024)
    assert len(seg.problems) == 2
    seg = segment("本局存在的不足是：政策解读的形式较为单一，解读材料的通俗性不够。", 2024)
    assert len(seg.problems) == 1  # one subject told twice


def test_lead_ins_that_name_the_problems_stay_frames():
    text = ("2023年，本区政务公开工作取得了一定成效，但也存在一些问题和不足。公开栏更新慢。"
            "针对存在的不足，本区将采取以下措施。每月更新一次公开栏。")
    assert [u.role for u in segment(text, 2023).units] == [FRAME, PROBLEM, FRAME, MEASURE]
    # …but a problem stated after the opening, in the same sentence, is a problem
    seg = segment("本县政务公开工作仍有一些薄弱环节，政务公开与政务服务融合的深度还不够。下一步将推进融合。", 2023)
    assert [u.role for u in seg.units] == [PROBLEM, MEASURE]


def test_a_lead_word_then_a_list_opens_the_measures():
    text = "存在的主要问题是：一是公开时效不够；二是解读针对性不强。下一步，一是落实发布时限；二是围绕企业关切做好解读。"
    assert [u.role for u in segment(text, 2023).statements] == [PROBLEM, PROBLEM, MEASURE, MEASURE]


def test_a_measure_may_open_on_a_half_year():
    text = "本市惠企政策公开的精准度还不够高。2026年上半年，由市数据局牵头梳理政策清单并集中公开。"
    assert [u.role for u in segment(text, 2025).statements] == [PROBLEM, MEASURE]


def test_promise_inside_the_problem_sentence_opens_the_measures():
    # the problem and the promise in one sentence: the promise after "，下步…将" is a measure
    text = "七、存在的主要问题和改进措施\n主要问题是便民服务栏目更新不够及时,下步我们将安排专人每周维护该栏目。"
    seg = segment(text, 2018)
    assert [u.role for u in seg.statements] == [PROBLEM, MEASURE]
    assert seg.problems[0].text.startswith("主要问题是") and seg.measures[0].text.startswith("下步")
    for u in seg.units:
        assert text[u.start:u.end] == u.text


def test_lead_in_that_points_back_is_not_cut_before_next_step():
    # "针对…，下一步…将" is one lead-in sentence of the measures, not a problem and a measure
    seg = segment("一、存在问题\n网站栏目更新不够及时。\n二、改进措施\n针对上述问题，下一步我局将每周检查栏目。", 2018)
    assert [u.role for u in seg.statements] == [PROBLEM, MEASURE]
    assert seg.measures[0].text.startswith("针对上述问题")
    # nor is a sentence that only promises: nothing lacking before the lead word
    seg = segment("存在的主要问题及改进情况\n本年度工作平稳开展，今后将继续做好公开工作。", 2018)
    assert not any(u.text.startswith("今后") for u in seg.units)


def test_item_that_adds_a_problem_on_another_subject_is_two_problems():
    text = ("存在的主要问题及改进情况\n一是信息发布不够及时，部分村的公示调度滞后，同时信息员均为兼职，工作力量不足。"
            "二是政策解读形式单一。")
    seg = segment(text, 2020)
    assert len(seg.problems) == 3
    assert seg.problems[1].text.startswith("同时信息员") and seg.problems[1].marker == ""
    # 同时 on the same subject: one problem told at length
    seg = segment("存在的主要问题及改进情况\n一是栏目更新不够及时，同时部分动态信息发布滞后。", 2020)
    assert len(seg.problems) == 1
