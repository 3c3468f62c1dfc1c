"""``audit batch`` end to end with the real pipeline, over generated reports with injected cross-report
defects: every one is found, the corrupt file is reported and the run goes on."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audit.batch.store import Store

generator = pytest.importorskip("corpora.generator")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from corpora.generator import render, report_series
    from corpora.generator.agencies import agency_from_name
    from corpora.generator.defects import inject
    from corpora.generator.spec import consolidated_report

    root = tmp_path_factory.mktemp("pipeline")
    src = root / "archive"
    edu = report_series("青山区教育局", [2022, 2023], seed=11)
    edu[1], _ = inject(edu[1], "carry_over_break", 3, previous=edu[0])
    fin = report_series("青山区财政局", [2022, 2023], seed=12)
    fin[1], _ = inject(fin[1], "copied_section", source=fin[0])
    civ = report_series("临江县民政局", [2023], seed=13)
    civ[0], _ = inject(civ[0], "copied_section", source=edu[1])
    gov = consolidated_report(agency_from_name("青山区人民政府"), [edu[1], fin[1]], seed=14)
    gov, _ = inject(gov, "consolidation_break", 5)
    files = {
        "2022/edu.txt": render(edu[0], "txt"), "2023/edu.html": render(edu[1], "html"),
        "2022/fin.docx": render(fin[0], "docx"), "2023/fin.txt": render(fin[1], "txt"),
        "2023/fin.html": render(fin[1], "html"),  # the same report twice: two memos, one agency-year
        "2023/civ.txt": render(civ[0], "txt"), "2023/gov.txt": render(gov, "txt"),
        "2023/broken.pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\n",
    }
    for rel, data in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    amap = root / "members.csv"
    amap.write_text("name,agency,member_of\n青山区教育局,,青山区人民政府\n青山区财政局,,青山区人民政府\n", encoding="utf-8")
    out = root / "out"
    cmd = [sys.executable, "-m", "audit", "batch", str(src), "-o", str(out), "--jobs", "2", "--no-narrative",
           "--agency-map", str(amap), "--date", "2025-06-01", "--quiet", "--format", "md,json"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    store = Store(out)
    yield proc, out, store
    store.close()


def _cross(store, rule):
    return {(r["path"], r["outcome"]) for r in store.query(
        "SELECT r.path, c.outcome FROM checks c JOIN reports r ON r.id = c.report_id"
        " WHERE c.scope = 'run' AND c.rule_id = ?", (rule,))}


def test_run_completes_and_reports_the_corrupt_file(run):
    proc, out, store = run
    assert proc.returncode == 1, proc.stderr
    assert "audit: archive/2023/broken.pdf: " in proc.stderr
    assert "8 input(s): 7 audited, 0 already done, 1 failed" in proc.stdout
    assert str(out / "summary") in proc.stdout
    assert store.query("SELECT count(*) AS n FROM reports")[0]["n"] == 7


def test_every_injected_cross_report_defect_is_found(run):
    _, _, store = run
    assert ("archive/2023/edu.html", "fail") in _cross(store, "XY-CARRY")
    assert ("archive/2023/fin.txt", "pass") in _cross(store, "XY-CARRY")
    assert {("archive/2023/fin.txt", "fail"), ("archive/2023/fin.html", "fail")} <= _cross(store, "XY-COPY")
    assert ("archive/2023/edu.html", "pass") in _cross(store, "XY-COPY")
    dup = store.query("SELECT r.path, f.details FROM findings f JOIN reports r ON r.id = f.report_id"
                      " WHERE f.rule_id = 'XA-DUP' AND r.path = 'archive/2023/civ.txt'")
    assert {json.loads(d["details"])["other"] for d in dup} >= {"archive/2023/edu.html"}
    assert ("archive/2023/gov.txt", "fail") in _cross(store, "CONS-SUM")


def test_same_report_in_two_formats_gets_two_memos(run):
    _, out, _ = run
    for name in ("fin.txt", "fin.html"):
        memo = json.loads((out / "memos" / "archive" / "2023" / f"{name}.json").read_text(encoding="utf-8"))
        assert memo["meta"]["agency"] == "青山区财政局"
    assert (out / "summary" / "summary.xlsx").is_file()
