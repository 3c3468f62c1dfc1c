"""benchmarks/real_reports.py: sections, cells and findings of real reports against hand-established
expectations (tests/real/*.yaml). On a small fixture folder always (our own text, pingtan-2022's figures);
on the shared real reports when ../shared is beside the project."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests._tables_helpers import REAL, SHARED
from tests.test_tables_runon import crawled_t3
from tests.test_tables_resolve import crawled_t2

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "real"


def _bench():
    spec = importlib.util.spec_from_file_location("real_reports", ROOT / "benchmarks" / "real_reports.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["real_reports"] = mod
    spec.loader.exec_module(mod)
    return mod


bench = _bench()

T3 = {"new": "713000074", "carried_in": "1000001", "open": "210000021", "partial": "8100009",
      "denied.internal": "1000001", "denied.process": "2000002", "denied.enforcement": "1000001",
      "unable.not_held": "370000037", "other.no_correction": "2000002", "other.other": "0200002",
      "result_total": "723000075"}


def fixture_report() -> str:
    """A county report as a crawler flattens its page: our sentences, pingtan-2022's figures."""
    t4 = ("四、政府信息公开行政复议、行政诉讼情况行政复议 行政诉讼 结果维持结果纠正其他结果尚未审结总计 未经复议直接起诉 复议后起诉 "
          "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计 0 1 1 0 2 1 0 0 0 1 0 0 0 0 0 ")
    return ("示范县人民政府2022年政府信息公开工作年度报告\n"
            "一、总体情况 本县今年依法推进政务公开。规范性文件库中现行有效的行政规范性文件共698件，本年新制发行政规范性文件88件。"
            + crawled_t2("8855698") + crawled_t3("2021", T3) + " " + t4
            + "五、存在的主要问题及改进情况 示范县今年的公开工作仍有差距：一是解读形式较少。下一步将按季度开展专项检查，逐条整改。"
            + "六、其他需要报告的事项 本年度未收取信息处理费。\n")


READING = """\
sections: [1, 2, 3, 4, 5, 6]
section5: "示范县今年的公开工作"
cells:
  t2.norm.issued: 88          # settled by the body's figures
  t2.norm.in_force: 698
  t3.new.natural: 71
  t3.new.total: 74
  t3.result_total.total: 75
  t4.review.total: 2
  t2.license.decisions: 5     # the page says 1069: counted wrong
  t3.open.natural: declined   # said to be ambiguous; read as 21: counted wrong
  t2.fee.amount: null         # said to be blank; read as 0: counted wrong
"""

FINDINGS = """\
findings:
  - {rule: NARR-NO-SUCH-RULE, note: "never produced, so missed"}
  - {rule: T3-ROW-SUM, where: t3.no.such.row}
allowed:
  - {rule: NARR-GENERIC}
  - {rule: NARR-NO-MEASURES}
  - {rule: NARR-NO-RECTIFICATION}
  - {rule: NARR-MISMATCH}
  - {rule: TEXT-CLAIM}
"""


@pytest.fixture()
def folder(tmp_path):
    reports, expected = tmp_path / "reports", tmp_path / "expected"
    reports.mkdir()
    expected.mkdir()
    (reports / "county-2022.txt").write_text(fixture_report(), encoding="utf-8")
    (reports / "README.md").write_text("# not a report\n", encoding="utf-8")
    (reports / "notes.docx").write_bytes(b"not a docx at all")
    (expected / "county-2022.txt.reading.yaml").write_text(READING, encoding="utf-8")
    (expected / "county-2022.txt.findings.yaml").write_text(FINDINGS, encoding="utf-8")
    return reports, expected


def test_fixture_folder_counts(folder):
    reports, expected = folder
    rows, tot = bench.run([reports], expected)
    assert [r.name for r in rows] == ["county-2022.txt", "notes.docx"]  # README.md is not a report
    county, bad = rows
    assert county.error is None and county.sections_ok and county.section5_ok
    assert county.cells == 9 and county.right == 6 and county.declined == 0
    assert sorted(w.split(":")[0] for w in county.wrong) == ["t2.fee.amount", "t2.license.decisions", "t3.open.natural"]
    assert county.expected == 2 and county.matched == 0 and len(county.missed) == 2
    assert bad.error and not bad.has_findings  # refused, a row of the table, not the end of the run
    assert tot["refused"] == 1 and tot["wrong"] == 3 and tot["missed"] == 2
    out = bench.table(rows)
    assert out.splitlines()[0].startswith("| report | sections | 五 | cells | right | wrong | declined")
    assert "| county-2022.txt | 6/6 | ✓ | 9 | 6 | 3 | 0 | 2 | 0 |" in out and "notes.docx (refused)" in out
    assert bench.total_line(tot).startswith("total: 2 reports (1 refused)")


def test_findings_matching_one_to_one():
    from audit.model import Finding, Location, Severity

    def f(rule, fid=None, sev=Severity.ERROR):
        return Finding(rule, sev, "numeric", "m", "m", Location(field_ids=[fid] if fid else []))

    spec = bench.FindingsSpec(
        findings=[bench.Expected("T4-SUM", "t4.review.total", "error"), bench.Expected("T4-SUM"),
                  bench.Expected("XY-COPY", scope="run")],
        allowed=[bench.Expected("TABLES-ASSESSABLE")])
    row = bench.Row("x")
    found = [f("T4-SUM", "t4.suit_after_review.total"), f("T4-SUM", "t4.review.total"),
             f("T4-SUM", "t4.direct_suit.total"), f("TABLES-ASSESSABLE"), f("NARR-EMPTY", sev=Severity.WARNING)]
    bench.compare_findings(found, spec, row)
    # the entry naming t4.review.total takes its finding; the bare T4-SUM takes one other; the third is a
    # duplicate of a cause already counted: false. XY-COPY needs a batch: not evaluated here.
    assert row.expected == 2 and row.matched == 2 and row.not_evaluated == 1 and not row.missed
    assert sorted(row.false) == ["NARR-EMPTY", "T4-SUM @ t4.direct_suit.total"]
    with pytest.raises(ValueError):
        bench._entries([{"where": "x"}])


def test_expected_files_load():
    for path in sorted(EXPECTED.glob("*.findings.yaml")):
        spec = bench.load_findings(path)
        assert spec.findings, path.name
    readings = sorted(EXPECTED.glob("*.reading.yaml"))
    assert len(readings) >= 12
    for path in readings:
        data = bench.load_reading(path)
        assert set(data) <= {"sections", "section5", "cells"} and data["cells"], path.name
        assert all(v is None or v == bench.DECLINED or isinstance(v, (int, float)) for v in data["cells"].values())


def test_shared_real_reports():
    if not REAL.is_dir():
        pytest.skip("../shared is not beside the project")
    rows, tot = bench.run([SHARED / "reports", REAL], EXPECTED)
    names = {r.name for r in rows}
    assert len(rows) >= 12 and "README.md" not in names
    for r in rows:
        assert (EXPECTED / f"{r.name}.reading.yaml").exists() and r.has_findings, r.name
    assert tot["refused"] == 0
    assert tot["wrong"] == 0, [w for r in rows for w in r.wrong]
    by = {r.name: r for r in rows}
    # the crawler's runs settled by the table's sums and the body's figures: every cell established is read
    for y in (2019, 2020, 2021, 2022, 2025):
        assert by[f"pingtan-{y}.txt"].declined == 0, y
    assert by["000_2a4738e891b759f6.txt"].right == 198
    assert tot["precision"] is not None and tot["recall"] is not None
    assert "T3-COL-SUM @ t3.result_total.natural" not in by["pingtan-2020.txt"].missed  # the real defect found


def test_batch_counts_cross_report_expectations(folder):
    reports, expected = folder
    (reports / "notes.docx").unlink()
    spec = FINDINGS.replace("allowed:\n", "  - {rule: XY-COPY, scope: run}\nallowed:\n")
    (expected / "county-2022.txt.findings.yaml").write_text(spec, encoding="utf-8")
    rows, tot = bench.run([reports], expected)
    assert rows[0].not_evaluated == 1 and rows[0].expected == 2
    assert "(1 cross-report expectations not evaluated)" in bench.total_line(tot)
    rows, tot = bench.run([reports], expected, batch=True)  # one report: no pair, so no XY-COPY
    assert rows[0].not_evaluated == 0 and rows[0].expected == 3 and "XY-COPY" in rows[0].missed
    assert "not evaluated" not in bench.total_line(tot)
