"""The formats as data: both schemas load once, list their cells, and know the field ids of the spec."""
from __future__ import annotations

from audit.tables import schema


def test_both_formats_load_once_with_three_tables():
    for fmt in schema.FORMATS:
        s = schema.load(fmt)
        assert s is schema.load(fmt)  # cached
        assert [t.id for t in s.tables] == ["t2", "t3", "t4"]
        assert [t.number for t in s.tables] == ["二", "三", "四"]


def test_cell_counts_and_field_ids():
    s19, s21 = schema.load("2019"), schema.load("2021")
    assert len(s19.field_ids()) == 22 + 23 * 7 + 15 == 198
    assert len(s21.field_ids()) == 10 + 25 * 7 + 15 == 200
    t3 = s19.table("t3")
    assert t3.field_id("denied.third_party", "natural") == "t3.denied.third_party.natural"
    assert ("t2.license.change" in s19.field_ids()) and ("t2.norm.in_force" in s21.field_ids())
    assert "t3.other.total" in s19.field_ids() and "t3.other.total" not in s21.field_ids()
    assert "t3.other.no_fee.total" in s21.field_ids()
    # the optional 小计 column appears only when asked for
    assert not any(c.id == "org_total" for _, c in t3.cells())
    assert sum(c.id == "org_total" for _, c in t3.cells(optional=("org_total",))) == 23


def test_rows_have_only_their_columns_and_types():
    t2 = schema.load("2019").table("t2")
    assert [c.id for c in t2.row_columns(t2.row("fee"))] == ["prev", "change"]
    assert [c.id for c in t2.row_columns(t2.row("procurement"))] == ["count", "amount"]
    assert t2.column("change").type == schema.SIGNED
    assert t2.column("amount").type == schema.AMOUNT and t2.column("amount").unit == "万元"
    assert schema.load("2021").table("t2").column("amount").type == schema.AMOUNT


def test_layouts_and_row_identity_are_data():
    s = schema.load("2021")
    assert s.table("t4").layout == schema.ACROSS and s.table("t3").layout == schema.ROWS
    total, terms = s.table("t3").row_identity[0]
    assert total == "total" and terms == ("natural", "commercial", "research", "social", "legal", "other")
    assert s.table("t3").row("other").replaces == ("other.no_correction", "other.no_fee", "other.other")


def test_format_for_year():
    assert schema.format_for_year(2019) == schema.format_for_year(2020) == "2019"
    assert schema.format_for_year(2021) == schema.format_for_year(2025) == "2021"
    assert schema.format_for_year(2015) is None and schema.format_for_year(None) is None


def test_unknown_format_is_refused():
    import pytest

    with pytest.raises(ValueError):
        schema.load("2030")


def test_the_year_decides_the_format_in_one_place_that_agrees_with_the_schemas():
    from audit.document import meta

    assert schema.format_for_year is meta.format_for_year
    for year in range(2010, 2031):
        fitting = [s for s in map(schema.load, schema.FORMATS) if s.first_year <= year]
        newest = max(fitting, key=lambda s: s.first_year).format if fitting else None
        assert meta.format_for_year(year) == newest, year  # a new schemas/<year>.yaml needs the mapping too
        assert meta.format_for_year(year, clamp=True) == (newest or "2019")
