"""One record format for the shared types: every one goes to a plain record and back equal, with the
dataclass's own field names (derived from its fields, never a list written by hand), exact numbers as
text, enums by value, dates in ISO form."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

from audit.model import (Check, Finding, Location, Meta, Outcome, Severity, Source, Span, Text, Value, ValueKind,
                         from_record, to_record)

SPAN = Span(page=3, bbox=(56.7, 120.25, 300.0, 133.125), line=None, start=4, end=19)
META = Meta(agency="某市某局", year=2021, published=dt.date(2022, 1, 20),
            period=(dt.date(2021, 1, 1), dt.date(2021, 12, 31)), format="2021", format_by_year="2021",
            format_by_labels="2021", title="2021年政府信息公开工作年度报告", level="department",
            cited_notice="〔2021〕30号", agency_printed="某局", agency_full="某市某局", published_from="公开日期")
SAMPLES = [
    Source(path="a/b.pdf", sha256="0" * 64, kind="pdf", size=1234, encoding=None),
    Source(path="a/b.txt", sha256="1" * 64, kind="txt", size=12, encoding="gb18030"),
    SPAN, Span(), META, Meta(),
    Value(Decimal("12.50"), ValueKind.NUMBER, "12.50", "t4", "行政复议", "结果纠正", 5, SPAN, "万元",
          Text("由本表恒等式拆分", "split by the table's identities")),
    Value(-3, ValueKind.NUMBER, "-3", "t2", "本年增/减", None, 2),
    Value(0, ValueKind.NUMBER, "0"), Value(Decimal("1E+2"), ValueKind.NUMBER, "100"),
    Value(None, ValueKind.DASH, "—", "t3", "其他", "总计", 4),
    Location(section=2, page=3, table="t3", row_label="a", column_label="b", field_ids=["t3.x", "t3.y"],
             sentence="共受理申请12件。", char_span=(5, 14)),
    Check("T3-BALANCE", "标题", "title", Outcome.NOT_ASSESSABLE, Severity.WARNING, Text("原因", "why"), 2),
    Finding("T3-ROW-SUM", Severity.ERROR, "numeric", "不相等", "not equal",
            Location(table="t3", field_ids=["t3.a"]), expected=12, found=11, details={"k": [1, 2]}),
]


@pytest.mark.parametrize("obj", SAMPLES, ids=lambda o: type(o).__name__)
def test_every_shared_type_goes_to_a_record_and_back(obj):
    rec = to_record(obj)
    assert list(rec) == [f.name for f in dataclasses.fields(obj)]  # the dataclass's own names, in its order
    assert json.loads(json.dumps(rec, ensure_ascii=False)) == rec  # plain data
    back = from_record(type(obj), json.loads(json.dumps(rec)))
    assert back == obj
    assert to_record(back) == rec


def test_exact_numbers_as_text_enums_by_value_dates_iso():
    v = to_record(SAMPLES[6])
    assert v["value"] == "12.50" and v["kind"] == "number" and v["span"]["bbox"] == [56.7, 120.25, 300.0, 133.125]
    assert to_record(SAMPLES[7])["value"] == "-3"  # a count, in a field that may hold a Decimal: text too
    assert type(from_record(Value, to_record(SAMPLES[7])).value) is int
    assert from_record(Value, to_record(SAMPLES[6])).value.as_tuple() == Decimal("12.50").as_tuple()
    m = to_record(META)
    assert m["published"] == "2022-01-20" and m["period"] == ["2021-01-01", "2021-12-31"]


def test_the_public_json_of_meta_and_source_is_their_record():
    assert META.to_json() == to_record(META) and Meta.from_json(META.to_json()) == META
    assert SAMPLES[0].to_json() == to_record(SAMPLES[0])
    assert Span.from_json(SPAN.to_json()) == dataclasses.replace(SPAN, bbox=(56.7, 120.25, 300.0, 133.12))  # rounded
    assert Span.from_json({}) is None


def test_a_field_added_to_a_type_is_in_its_record_without_another_change():
    """The encoders read the dataclass, not a list of names: a type with one more field round-trips."""
    @dataclasses.dataclass(frozen=True)
    class Wider(Value):
        note: str | None = None
        when: dt.date | None = None

    w = Wider(Decimal("7.5"), ValueKind.NUMBER, "7.5", note="added", when=dt.date(2024, 5, 6))
    rec = to_record(w)
    assert rec["note"] == "added" and rec["when"] == "2024-05-06" and rec["value"] == "7.5"
    assert from_record(Wider, rec) == w


def test_a_record_of_the_wrong_shape_is_refused():
    with pytest.raises((TypeError, ValueError)):
        from_record(Meta, {"year": "2021"})
    with pytest.raises((TypeError, ValueError)):
        from_record(Span, {"bbox": [1, 2]})
    with pytest.raises(TypeError):
        from_record(Source, ["a", "b"])


def test_a_field_added_to_value_shows_in_its_public_json():
    @dataclasses.dataclass(frozen=True)
    class Wider(Value):
        note: str | None = None

    plain = Value(Decimal("7.5"), ValueKind.NUMBER, "7.5", "t3", "r", "c", 2)
    assert plain.to_json() == {"value": 7.5, "kind": "number", "raw": "7.5", "page": 2, "table": "t3",
                               "row_label": "r", "column_label": "c"}  # the public form, unchanged
    assert Wider(Decimal("7.5"), ValueKind.NUMBER, "7.5", "t3", "r", "c", 2, note="n").to_json() == {
        **plain.to_json(), "note": "n"}
