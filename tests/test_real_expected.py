"""The expected findings of the shared real reports (tests/real/<file>.findings.yaml): well-formed, and the
table and text-against-table findings of each report exactly as expected (the reading, narrative and
cross-report findings are measured by benchmarks/real_reports.py). Skipped without ../shared."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from audit.checks import load_rules

HERE = Path(__file__).resolve().parent
EXPECTED = sorted((HERE / "real").glob("*.findings.yaml"))
SHARED = HERE.parents[1] / "shared" / "reports"
#: the rules of the checks stage whose findings these tests hold exactly (others: the benchmark)
MINE = re.compile(r"^(T[234]-|TEXT-|BLANK-CELLS|TABLES-ASSESSABLE|AMOUNT-UNIT|NEGATIVE-|INTEGER-)")


def _report(path: Path) -> Path:
    name = path.name.replace(".findings.yaml", "")
    return SHARED / name if (SHARED / name).exists() else SHARED / "real" / name


def test_expected_files_are_well_formed():
    assert EXPECTED, "no tests/real/*.findings.yaml"
    known = {r.id for r in load_rules().rules}
    for path in EXPECTED:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= {"findings", "allowed"} and isinstance(data["findings"], list), path.name
        for e in data["findings"] + (data.get("allowed") or []):
            assert set(e) <= {"rule", "where", "severity", "scope", "note"}, (path.name, e)
            assert e.get("scope") in (None, "run"), (path.name, e)
            # a problem the review found that no rule finds yet is expected (and counted missed) under a proposed id
            assert (e["rule"] in known or e["rule"].startswith(("NARR-", "STRUCT-", "XY-", "XA-"))
                    or "no rule yet" in e.get("note", "")), (path.name, e)
            assert e.get("severity") in (None, "error", "warning", "info"), (path.name, e)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reports is not on this machine")
def test_every_shared_report_has_an_expected_list():
    reports = [p.name for p in SHARED.glob("000_*.txt")] + [
        p.name for p in (SHARED / "real").iterdir() if p.suffix in (".txt", ".md", ".pdf") and p.stem != "README"]
    have = {p.name.replace(".findings.yaml", "") for p in EXPECTED}
    assert sorted(set(reports) - have) == []


def _matches(e: dict, f: dict) -> bool:
    return (f["rule_id"] == e["rule"] and (not e.get("where") or str(e["where"]) in json.dumps(f, ensure_ascii=False))
            and (not e.get("severity") or f["severity"] == e["severity"]))


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/reports is not on this machine")
@pytest.mark.parametrize("path", [p for p in EXPECTED if not p.name.startswith("hongze")], ids=lambda p: p.name)
def test_table_and_text_findings_of_a_real_report(path):
    """hongze-*.pdf wait for the reading issue (their sections are misread), so their text is not checked."""
    from audit import memo, pipeline

    report = _report(path)
    if not report.exists():
        pytest.skip(f"{report} not here")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = pipeline.audit(report, narrative=False)
    found = [f for f in memo.to_json(result)["findings"] if MINE.match(f["rule_id"])]
    want = [e for e in data["findings"] if MINE.match(e["rule"])]
    allowed = data.get("allowed") or []
    left = list(found)
    for e in want:
        hit = next((f for f in left if _matches(e, f)), None)
        assert hit is not None, (e, [f["rule_id"] for f in found])
        left.remove(hit)
    false = [f["rule_id"] + ": " + f["message"]["zh"][:80] for f in left if not any(_matches(a, f) for a in allowed)]
    assert false == []
