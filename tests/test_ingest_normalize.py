"""The normaliser: one spelling for the same characters, and the line helpers every ingester uses."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.ingest.normalize import (
    ends_sentence,
    is_blank,
    is_heading_like,
    is_page_number,
    is_traditional,
    join_wrapped,
    normalize_cell,
    normalize_text,
    starts_item,
)


@pytest.mark.parametrize("raw, want", [
    ("结 果 维 持", "结果维持"),
    ("总 计", "总计"),
    ("三、 本 年 度 办 理 结 果", "三、本年度办理结果"),
    ("2024 年 12 月 31 日", "2024年12月31日"),
    ("对全区近 100 人进行培训", "对全区近100人进行培训"),
    ("国办公开办函〔2021〕30 号", "国办公开办函〔2021〕30号"),
    ("主动公开１５４５条", "主动公开1545条"),
    ("增长５０％", "增长50%"),
    ("采购总金额１８，２２８．４７万元", "采购总金额18,228.47万元"),
    ("ＡＰＰ和ｗｅｂ", "APP和web"),
    ("（一）予以公开", "(一)予以公开"),
    ("(二) 部分公开", "(二)部分公开"),
    ("第二十条第（五）项", "第二十条第(五)项"),
    ("（以下简称《条例》）", "（以下简称《条例》）"),  # parentheses of a sentence stay as written
    ("理顺 APP、微信公众号", "理顺 APP、微信公众号"),  # a space next to a Latin word stays
    ("0 0 0 2", "0 0 0 2"),  # numbers set apart stay apart
    ("\u3000\u30002020年，我区", "2020年，我区"),
    ("政务\u00a0公开", "政务公开"),
    ("a\u00a0\u00a0b", "a b"),
    ("零\u200b宽", "零宽"),
])
def test_normalize_text(raw, want):
    assert normalize_text(raw) == want


def test_tabs_and_newlines_are_structure_and_kept():
    assert normalize_text("结 果\t维 持 \t\n 总 计") == "结果\t维持\t\n总计"


def test_traditional_text_is_converted_to_simplified():
    assert normalize_text("政府資訊公開工作年度報告") == "政府资讯公开工作年度报告"
    assert is_traditional("本機關收到申請數量與處理結果")


def test_simplified_text_is_not_converted():
    text = "显著提升政务公开质量，乾隆年间的档案著录完成。"
    assert not is_traditional(text)
    assert normalize_text(text) == text


def test_t2s_flag_forces_or_prevents_conversion():
    assert normalize_text("總計", t2s=False) == "總計"
    assert normalize_text("總計", t2s=True) == "总计"


def test_normalize_cell_joins_wrapped_lines():
    assert normalize_cell("本年新收政府信息\n公开申请数量") == "本年新收政府信息公开申请数量"
    assert normalize_cell("\u00a0") == ""
    assert normalize_cell(None) == ""


@pytest.mark.parametrize("line", ["-4-", "— 1 —", "－ 12 －", "第 3 页", "第3页 共7页", "3/7", "Page 2 of 5"])
def test_page_numbers(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["22", "2020年", "行政许可 97", "-310", "（无）"])
def test_not_page_numbers(line):
    assert not is_page_number(line)


@pytest.mark.parametrize("line", ["一、总体情况", "（一）主动公开情况", "(三)政府信息管理", "1. 严格按照", "2、落实",
                                  "①加强", "一是加强组织领导", "第一部分 总体情况"])
def test_items(line):
    assert starts_item(line)


@pytest.mark.parametrize("line", ["生命周期的规范管理", "2020年，我区", "12月31日", "统一、规范"])
def test_not_items(line):
    assert not starts_item(line)


def test_sentence_ends():
    assert ends_sentence("全年共办理53件。")
    assert ends_sentence("主要问题如下：")
    assert ends_sentence("称为“最后一公里。”")
    assert not ends_sentence("高度重视行政规范性文件等重要政府信息全")
    assert not ends_sentence("（无）")


def test_heading_like():
    assert is_heading_like("五、存在的主要问题及改进情况")
    assert is_heading_like("泉港区人民政府办公室")
    assert not is_heading_like("2020年，全区共制作政府信息总数3152条，主动公开1545条。")


def test_join_wrapped():
    assert join_wrapped(["对各栏目信息实施动态更新。高度重视全", "生命周期的规范管理"]) == \
        "对各栏目信息实施动态更新。高度重视全生命周期的规范管理"
    assert join_wrapped(["text layer", "of a PDF"]) == "text layer of a PDF"
    assert join_wrapped(["12 月", "31 日"]) == "12 月31 日"  # pieces are joined, not re-normalised


def test_blank():
    assert is_blank(" \u3000\u00a0\t")
    assert not is_blank(" 无 ")


_report_chars = st.text(
    alphabet=st.sampled_from(list("政府信息公开年度报告总计结果维持一二（）()、，．：；－。０１２３４５6789ＡａBb ％　\u00a0\t")),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(_report_chars)
def test_normalize_is_idempotent(s):
    once = normalize_text(s, t2s=False)
    assert normalize_text(once, t2s=False) == once


@settings(max_examples=400, deadline=None)
@given(_report_chars)
def test_normalize_leaves_no_full_width_digits_or_odd_spaces_and_keeps_cells(s):
    out = normalize_text(s, t2s=False)
    assert not any(ch in out for ch in "０１２３４５６７８９Ａａ％\u3000\u00a0")
    assert out.count("\t") == s.count("\t")
    assert "  " not in out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=99999), min_size=1, max_size=6))
def test_numbers_survive_spacing_and_width(numbers):
    full = "　".join("".join(chr(ord(d) + 0xFEE0) for d in str(n)) + "件" for n in numbers)
    assert normalize_text(full) == "".join(f"{n}件" for n in numbers)
