"""The synthetic report generator: consistent specs, truthful expected fields, series, defects (no rendering)."""
import re
from decimal import Decimal

import pytest

from corpora.generator import VARIANTS, random_report, render, report_series
from corpora.generator.defects import SINGLE_REPORT_KINDS, NotApplicable, applicable, inject
from corpora.generator.formats import T3_COLS, field_ids
from corpora.generator.identities import series_violations, violations
from corpora.generator.layout import BLANK_MARKS

FORMATS = ("2019", "2021")


@pytest.mark.parametrize("fmt", FORMATS)
def test_identities_hold_on_many_seeds(fmt):
    for seed in range(150):
        spec = random_report(fmt, seed)
        assert violations(spec.values, fmt) == [], (fmt, seed)
        assert set(spec.values) == set(field_ids(fmt)), "every cell of tables 二/三/四 has a value"
        assert all(v >= 0 for f, v in spec.values.items() if not f.endswith(".change")), (fmt, seed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_field_ids_and_value_types(fmt):
    spec = random_report(fmt, 5)
    amounts = {"t2.fee.amount"} if fmt == "2021" else {"t2.procurement.amount"}
    for fid, v in spec.values.items():
        assert isinstance(v, Decimal) if fid in amounts else type(v) is int, fid
    if fmt == "2021":
        assert {"t3.other.no_correction.total", "t3.other.no_fee.total", "t3.other.other.total"} <= set(spec.values)
        assert "t3.other.total" not in spec.values
    else:
        assert {"t2.license.prev", "t2.license.change", "t3.other.total", "t3.denied.third_party.natural"} <= set(spec.values)
    for seed in range(60):
        amount = random_report(fmt, seed).values[next(iter(amounts))]
        assert -amount.as_tuple().exponent <= 5


def test_spec_follows_arguments_and_deadlines():
    spec = random_report("2019", 3, agency="青山区人民政府", year=2019)
    assert (spec.meta.agency, spec.meta.year, spec.meta.level) == ("青山区人民政府", 2019, "government")
    assert spec.meta.published <= spec.meta.deadline == spec.meta.deadline.replace(2020, 3, 31)
    dept = random_report("2021", 3, level="department")
    assert dept.meta.level == "department" and dept.meta.deadline.month == 1
    assert str(dept.meta.year) in dept.meta.title and dept.meta.agency in dept.meta.title
    for seed in range(40):
        s = random_report("2021", seed)
        assert s.meta.year < s.meta.published.year and s.meta.published <= s.meta.deadline
        if not s.agency.may_issue_regulations:
            assert s.values["t2.reg.issued"] == s.values["t2.reg.in_force"] == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_figures_agree_with_tables(fmt):
    for seed in range(80):
        spec = random_report(fmt, seed)
        labels = {c.label for c in spec.claims}
        assert {"收到申请", "行政复议", "行政诉讼"} <= labels
        section1 = spec.narrative.sections[0].text
        for c in spec.claims:
            assert c.value == sum(spec.values[f] for f in c.field_ids), (seed, c)
            assert c.sentence in section1 and c.figure in c.sentence
            if c.figure:
                assert str(c.value) in c.figure


def test_narrative_sections_and_format_specific_content():
    s21 = random_report("2021", 8)
    titles = [s.heading for s in s21.narrative.sections]
    assert [t[0] for t in titles] == list("一二三四五六")
    five = s21.narrative.sections[4].text
    assert "整改" in five and f"{s21.meta.year - 1}年度" in five
    assert "信息处理费" in s21.narrative.sections[5].text
    assert "〔2021〕30号" in "".join(s21.narrative.preamble)
    s19 = random_report("2019", 8)
    assert "〔2019〕60号" in "".join(s19.narrative.preamble)
    openings = {random_report("2021", k).narrative.preamble[0][:8] for k in range(30)}
    assert len(openings) >= 3, "several openings"


def test_expected_fields_plain_and_value_variants():
    spec = random_report("2021", 12)
    plain = spec.expected_fields()
    assert plain == spec.values
    org = spec.expected_fields("org_total")
    for row in ("new", "open", "result_total", "other.other"):
        assert org[f"t3.{row}.org_total"] == sum(spec.values[f"t3.{row}.{c}"] for c, _ in T3_COLS[1:6])
    old = spec.expected_fields("old_other_row")
    assert "t3.other.no_fee.natural" not in old
    assert old["t3.other.total"] == sum(spec.values[f"t3.other.{s}.total"] for s in ("no_correction", "no_fee", "other"))
    with pytest.raises(ValueError):
        random_report("2019", 1).expected_fields("old_other_row")
    with pytest.raises(ValueError):
        spec.expected_fields("no_such_layout")
    for name in VARIANTS:
        if name != "old_other_row":
            assert spec.expected_fields(name)


def test_blank_cells_are_none_with_their_raw_kind():
    seen_marks = set()
    for seed in range(40):
        spec = random_report("2019" if seed % 2 else "2021", seed)
        exp = spec.expected_fields("blank_cells")
        raw = spec.expected_raw("blank_cells")
        blanks = {f for f, v in exp.items() if v is None}
        assert blanks, "the layout leaves at least one cell blank"
        for f in blanks:
            assert raw[f] in BLANK_MARKS
            seen_marks.add(raw[f])
        for f, v in exp.items():
            if v is not None:
                assert raw[f] == str(v) and v == spec.value(f)
        assert spec.expected_fields("blank_cells") == exp, "same spec, same blanks"
    assert seen_marks == set(BLANK_MARKS)


def test_series_carry_over_and_in_force_continuity():
    series = report_series("临江县教育局", range(2019, 2025), seed=4)
    assert [s.meta.year for s in series] == list(range(2019, 2025))
    assert [s.format for s in series] == ["2019", "2019"] + ["2021"] * 4
    assert {s.meta.agency for s in series} == {"临江县教育局"}
    for prev, cur in zip(series, series[1:]):
        assert series_violations(prev, cur) == []
        assert violations(cur.values, cur.format) == []
        assert prev.narrative.sections[4].text != cur.narrative.sections[4].text
    gov = report_series(None, [2021, 2022, 2023], seed=9)
    assert any(s.values["t3.carried_in.total"] for s in gov[1:]) or all(
        s.values["t3.carried_out.total"] == 0 for s in gov[:-1])


def _diff(a, b):
    return {f for f in a.values if a.values[f] != b.values[f]}


@pytest.mark.parametrize("kind", ["changed_cell", "transposed_digits", "row_shift"])
def test_numeric_defects_change_exactly_the_recorded_cells(kind):
    done = 0
    for seed in range(40):
        spec = random_report("2021" if seed % 2 else "2019", seed)
        if not applicable(spec, kind):
            with pytest.raises(NotApplicable):
                inject(spec, kind, seed)
            continue
        new, rec = inject(spec, kind, seed)
        assert rec.kind == kind
        assert _diff(spec, new) == set(rec.field_ids) == set(rec.old) == set(rec.new)
        for f in rec.field_ids:
            assert spec.values[f] == rec.old[f] and new.values[f] == rec.new[f]
        assert violations(new.values, new.format), "the defect breaks an identity"
        assert violations(spec.values, spec.format) == [], "the input spec is untouched"
        if kind == "transposed_digits":
            (f,) = rec.field_ids
            assert sorted(str(rec.old[f])) == sorted(str(rec.new[f]))
        done += 1
    assert done >= 20


def test_missing_row_and_late_publication():
    spec = random_report("2021", 30)
    new, rec = inject(spec, "missing_row", 2)
    row = rec.detail["row"]
    assert new.dropped_rows == (row,) and spec.dropped_rows == ()
    exp = new.expected_fields()
    assert not set(rec.field_ids) & set(exp) and set(rec.field_ids) <= set(spec.expected_fields())
    assert len(exp) == len(spec.expected_fields()) - len(T3_COLS)
    late, rec = inject(spec, "late_publication", 1)
    assert late.meta.published > late.meta.deadline and rec.new["published"] == late.meta.published
    assert late.values == spec.values and rec.old["published"] == spec.meta.published


def test_text_contradiction_changes_one_sentence_only():
    for seed in range(30):
        spec = random_report("2021" if seed % 2 else "2019", seed)
        new, rec = inject(spec, "text_contradiction", seed)
        assert new.values == spec.values
        old_text = [p for s in spec.narrative.sections for p in s.paragraphs]
        new_text = [p for s in new.narrative.sections for p in s.paragraphs]
        changed = [(a, b) for a, b in zip(old_text, new_text) if a != b]
        assert len(changed) == 1
        a, b = changed[0]
        assert a.replace(rec.sentence_old, rec.sentence_new) == b
        stated = rec.new["text"]
        assert stated != sum(spec.values[f] for f in rec.field_ids) == rec.old["text"]
        assert str(stated) in rec.sentence_new


def test_carry_over_break_and_copied_section():
    prev, cur = report_series(None, [2021, 2022], seed=5)
    new, rec = inject(cur, "carry_over_break", 3, previous=prev)
    assert violations(new.values, new.format) == [], "the report itself stays consistent"
    broken = series_violations(prev, new)
    assert broken and any(rec.detail["column"] in b for b in broken)
    assert _diff(cur, new) == set(rec.field_ids)
    for c in new.claims:
        assert c.value == sum(new.values[f] for f in c.field_ids), "text follows the changed table"
    copied, rec = inject(cur, "copied_section", source=prev)
    assert rec.detail["same_agency"] and rec.section == 5
    five, source = copied.narrative.sections[4].text, prev.narrative.sections[4].text
    assert five != cur.narrative.sections[4].text and rec.sentence_new == five
    assert re.sub(r"\d{4}年", "Y年", five) == re.sub(r"\d{4}年", "Y年", source), "copied word for word but the years"
    assert "针对2021年度" in five or "对2021年度" in five, "last year's rectification moved on by a year"
    assert copied.narrative.sections[:4] == cur.narrative.sections[:4] and copied.values == cur.values
    other = random_report("2021", 77, year=2022)
    copied, rec = inject(cur, "copied_section", source=other)
    assert not rec.detail["same_agency"] and other.meta.agency not in copied.narrative.sections[4].text


def test_single_report_kinds_all_inject():
    spec = random_report("2021", 41, level="government")
    for kind in SINGLE_REPORT_KINDS:
        assert applicable(spec, kind)
        new, rec = inject(spec, kind, 1)
        assert rec.kind == kind and rec.to_json()["kind"] == kind
        assert new is not spec


def test_determinism_of_specs():
    a, b = random_report("2021", 99), random_report("2021", 99)
    assert a.values == b.values and a.meta == b.meta and a.narrative == b.narrative
    assert random_report("2021", 100).values != a.values
    assert inject(a, "changed_cell", 4)[1] == inject(b, "changed_cell", 4)[1]


def test_consolidated_report_sums_its_members_and_can_break():
    import random

    from corpora.generator.agencies import agency_from_name, random_agency
    from corpora.generator.spec import consolidated_report

    gov = random_agency(random.Random(2), "county")
    members = [random_report("2021", i, agency=agency_from_name(gov.place + d), year=2022)
               for i, d in enumerate(("教育局", "公安局", "财政局"))]
    spec = consolidated_report(gov, members, seed=1)
    assert spec.meta.level == "government" and spec.meta.deadline.month == 3
    assert violations(spec.values, "2021") == []
    for f, v in spec.values.items():
        assert v == sum(m.values[f] for m in members), f
    for c in spec.claims:
        assert c.value == sum(spec.values[f] for f in c.field_ids)
    broken, rec = inject(spec, "consolidation_break", 1)
    assert _diff(spec, broken) == set(rec.field_ids) == {"t2.license.decisions"}
    assert violations(broken.values, "2021") == []
    with pytest.raises(ValueError):
        consolidated_report(members[0].agency, members)


def test_bad_files_fail_the_way_their_reason_says():
    import io
    import random
    import zipfile

    import pdfplumber

    from corpora.generator.bad_files import bad_files

    spec = random_report("2021", 3)
    good = render(spec, "pdf", "borderless")
    files = {name: (data, reason) for name, data, reason in bad_files(spec, good, random.Random(1))}
    assert len(files) == 6 and files["empty.txt"][0] == b""
    for name in ("encrypted.pdf", "truncated.pdf"):
        with pytest.raises(Exception):
            with pdfplumber.open(io.BytesIO(files[name][0])) as pdf:
                pdf.pages[0].extract_text()
    with pdfplumber.open(io.BytesIO(files["scanned.pdf"][0])) as pdf:
        assert all(not (p.extract_text() or "").strip() and p.images for p in pdf.pages)
    assert not zipfile.is_zipfile(io.BytesIO(files["not_a_zip.docx"][0]))
    assert "年度报告" not in files["not_a_report.html"][0].decode()
