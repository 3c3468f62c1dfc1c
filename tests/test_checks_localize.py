"""Localisation: the fewest cells whose correction satisfies every strict identity."""
from __future__ import annotations

from fractions import Fraction

from _checks_helpers import base, case_inputs
from audit.checks import load_rules, run
from audit.checks.localize import Equation, corrections_for


def eq(name, coefs, values):
    return Equation(name, name.split("[")[0], coefs, sum(Fraction(values[f]) * c for f, c in coefs.items()))


def grid(values):
    """A 2×2 table with row totals, column totals and a grand total: 5 identities."""
    rows = [eq(f"ROW[{r}]", {f"{r}.t": 1, f"{r}.a": -1, f"{r}.b": -1}, values) for r in ("x", "y", "s")]
    cols = [eq(f"COL[{c}]", {f"s.{c}": 1, f"x.{c}": -1, f"y.{c}": -1}, values) for c in ("a", "b", "t")]
    return rows + cols


CLEAN = {"x.a": 1, "x.b": 2, "x.t": 3, "y.a": 4, "y.b": 0, "y.t": 4, "s.a": 5, "s.b": 2, "s.t": 7}


def test_nothing_to_correct_when_all_hold():
    assert corrections_for(grid(CLEAN), CLEAN) == []


def test_one_cell_found_with_its_consistent_value():
    v = {**CLEAN, "x.b": 5}
    fixes = corrections_for(grid(v), v)
    assert [c.cells for c in fixes] == [(("x.b", 5, 2),)]
    assert set(fixes[0].repairs) == {"ROW[x]", "COL[b]"}


def test_equally_small_corrections_are_all_listed():
    v = {"t": 3, "a": 1, "b": 1}
    fixes = corrections_for([eq("SUM", {"t": 1, "a": -1, "b": -1}, v)], v)
    assert sorted(c.cells for c in fixes) == [(("a", 1, 2),), (("b", 1, 2),), (("t", 3, 2),)]


def test_two_cells_when_no_single_cell_will_do():
    v = {**CLEAN, "x.b": 5, "y.a": 6}
    fixes = corrections_for(grid(v), v)
    assert [sorted(c.cells) for c in fixes] == [[("x.b", 5, 2), ("y.a", 6, 4)]]


def test_corrections_keep_counts_whole_and_non_negative():
    v = {"t": 1, "a": 3}
    fixes = corrections_for([eq("S", {"t": 1, "a": -1}, v)], v)
    assert [c.cells for c in fixes] == [(("a", 3, 1),), (("t", 1, 3),)]
    v = {"t": 0, "a": 3, "b": 0}
    assert all(b >= 0 for c in corrections_for([eq("S", {"t": 1, "a": -1, "b": -1}, v)], v) for _, _, b in c.cells)


def test_seed_single_cell_repairs_row_and_column():
    doc, fields = case_inputs({"base": "quangang-2020"})
    findings, _ = run(doc, fields, load_rules())
    identity = [f for f in findings if f.rule_id in ("T3-ROW-SUM", "T3-COL-SUM")]
    assert len(identity) == 1  # one cause: the row's and the column's findings are one
    assert identity[0].details["rules"] == ["T3-ROW-SUM", "T3-COL-SUM"]
    for f in identity:
        assert [s["cells"] for s in f.suggestion] == [[{"field": "t3.denied.third_party.natural", "found": 2,
                                                       "consistent": 0}]]
        assert set(f.suggestion[0]["repairs"]) == {"T3-ROW-SUM[row=denied.third_party]", "T3-COL-SUM[col=natural]"}
        assert "t3.denied.third_party.natural" in f.message_zh and "一致值0" in f.message_zh
        assert "consistent value 0" in f.message_en


def test_text_figure_puts_the_cell_it_names_first():
    """Table 四's review total changed: five cells could repair the block; the text's 行政复议 figure names one."""
    doc, fields = case_inputs({"set": {"t4.review.total": 5},
                               "sections": {4: "本年度被申请行政复议2起。"}})
    findings, _ = run(doc, fields, load_rules())
    t4 = next(f for f in findings if f.rule_id == "T4-SUM")
    assert len(t4.suggestion) == 5
    assert t4.suggestion[0]["cells"] == [{"field": "t4.review.total", "found": 5, "consistent": 2}]
    assert t4.suggestion[0]["text_agrees"] == ["本年度被申请行政复议2起。"]
    claim = next(f for f in findings if f.rule_id == "TEXT-CLAIM")
    assert claim.suggestion[0]["cells"][0]["field"] == "t4.review.total"


def test_bases_are_consistent():
    for name in ("clean-2019", "clean-2021"):
        doc, fields = case_inputs({"base": name})
        findings, _ = run(doc, fields, load_rules())
        assert [f for f in findings if str(f.severity) == "error"] == [], name
    assert base("quangang-2020")["fields"]["t3.result_total.natural"] == 51
