"""Cell meanings and digit-run splitting."""
from __future__ import annotations

from decimal import Decimal

from audit.model import ValueKind
from audit.tables.labels import normalize, similarity
from audit.tables.values import parse, runs, splits


def test_numbers_keep_type_and_sign():
    assert parse("51").value == 51 and parse("51").kind is ValueKind.NUMBER
    assert parse("-310", "signed").value == -310
    assert parse("－19", "signed").value == -19  # full-width minus
    assert parse("1,234").value == 1234
    amount = parse("18228.47584", "amount", "万元")
    assert amount.value == Decimal("18228.47584") and isinstance(amount.value, Decimal) and amount.unit == "万元"
    assert parse("2.5").value == Decimal("2.5")  # a fraction in a count is kept for the plausibility checks


def test_amount_keeps_the_unit_written():
    p = parse("73802895.90元", "amount", "万元")
    assert p.value == Decimal("73802895.90") and p.unit == "元"


def test_blank_dash_none_word_unreadable_are_never_zero():
    for text in ("", "  ", "\xa0", None):
        assert parse(text).kind is ValueKind.BLANK and parse(text).value is None
    for text in ("—", "-", "/", "／", "——", "－"):
        assert parse(text).kind is ValueKind.DASH and parse(text).value is None
    assert parse("无").kind is ValueKind.NONE_WORD
    for text in ("l0", "1O", "12a", "见附件"):
        assert parse(text).kind is ValueKind.UNREADABLE and parse(text).value is None


def test_digit_runs_split_only_without_leading_zeros():
    assert splits(runs("0000000"), 7) == [["0"] * 7]
    assert splits(runs("1000001"), 7) == [["1", "0", "0", "0", "0", "0", "1"]]
    assert splits(runs("23 0 00 0 023"), 7) == [["23", "0", "0", "0", "0", "0", "23"]]
    assert splits(runs("35-15"), 2) == [["35", "-15"]]
    three = splits(runs("230 000023"), 7)
    assert ["23", "0", "0", "0", "0", "0", "23"] in three and len(three) == 3
    assert splits(runs("12"), 7) == []


def test_labels_normalise_numbering_spacing_and_typos():
    assert normalize("三、 本 年 度 办 理 结 果") == "本年度办理结果"
    assert normalize("（三）不予公开") == normalize("(三)不予公开") == normalize("3.不予公开") == "不予公开"
    assert normalize("总 计") == "总计"
    assert similarity(normalize("其他法律行政止公开"), normalize("2.其他法律行政法规禁止公开")) > 0.8
    assert similarity(normalize("果 4.保护第三方合法权益"), normalize("4.保护第三方合法权益")) > 0.9
    assert similarity(normalize("其他法律行政法规禁止公开"), "其他") < similarity(normalize("其他法律行政法规禁止公开"), "其他法律行政法规禁止公开")
