"""Store schema and migrations, summaries (byte-stable CSV and Excel, reviews shown), agency matching."""
from __future__ import annotations

import sqlite3

import pytest

from audit.batch import summaries
from audit.batch.agencies import AgencyMap, normalise, place_of
from audit.batch.inputs import discover
from audit.batch.store import SCHEMA_VERSION, Store, StoreError


def _record(path: str, agency: str, year: int, total: float, findings: list[tuple[str, str]]) -> dict:
    return {
        "path": path,
        "source": {"sha256": "ab" * 32, "kind": "pdf", "size": 10, "encoding": None},
        "meta": {"agency": agency, "year": year, "format": "2021", "level": "department"},
        "page_count": 3,
        "sections": [{"number": 5, "title": "五", "text": "问题与改进"}],
        "fields": [{"field_id": "t3.new.total", "value": "12", "kind": "number", "raw": "12", "table": "t3",
                    "row_label": "一、本年新收", "column_label": "总计", "page": 2},
                   {"field_id": "t2.fee.amount", "value": "18228.47584", "kind": "number", "raw": "18228.47584",
                    "table": "t2"}],
        "findings": [{"rule_id": r, "severity": s, "kind": "numeric", "message": {"zh": f"{r}，数据不符", "en": r},
                      "location": {"table": "t3", "field_ids": ["t3.new.total"]}, "expected": 1, "found": 2,
                      "fingerprint": f"{r}-{path}"} for r, s in findings],
        "checks": [{"rule_id": "T3-ROW-SUM", "title": {"zh": "行", "en": "row"}, "outcome": "pass",
                    "severity": "error", "findings": 0}],
        "score": {"total": total, "grade": {"id": "good"}},
        "versions": {"tool": "0.1.0", "rules": "r1", "model": "m1"},
        "audited": "2025-06-01",
    }


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path)
    s.put_report(_record("a/乙局.pdf", "乙局", 2023, 82.5, [("T3-ROW-SUM", "error"), ("BLANKS", "warning")]),
                 audit_key="k", memos=["memos/a/乙局.pdf.md"])
    s.put_report(_record("a/甲局.pdf", "甲局", 2023, 95, []), audit_key="k", memos=[])
    s.put_report(_record("a/丙局.pdf", "丙局", 2023, 95, [("BLANKS", "warning")]), audit_key="k", memos=[])
    s.put_error("a/坏.pdf", sha256=None, audit_key="k", code="corrupt", reason="truncated PDF")
    yield s
    s.close()


def test_schema_version_and_newer_store_refused(tmp_path, store):
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {n for (n,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables >= {"reports", "sections", "fields", "findings", "checks", "runs", "errors", "work", "reviews"}
    (tmp_path / "newer").mkdir()
    db = sqlite3.connect(tmp_path / "newer" / "audit.sqlite")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(tmp_path / "newer")


def test_values_kept_exact_and_reaudit_replaces_rows(store):
    assert store.query("SELECT value FROM fields WHERE field_id = 't2.fee.amount'")[0]["value"] == "18228.47584"
    store.put_report(_record("a/乙局.pdf", "乙局", 2023, 100, []), audit_key="k2", memos=[])
    assert store.query("SELECT count(*) AS n FROM findings")[0]["n"] == 1  # only 丙局's is left
    assert store.done()["a/乙局.pdf"] == ("ab" * 32, "k2")


def test_summaries_rank_count_and_are_byte_stable(tmp_path, store):
    out = tmp_path / "run"
    first = {p.name: p.read_bytes() for p in summaries.write(store, out)}
    again = {p.name: p.read_bytes() for p in summaries.write(store, out)}
    assert first == again
    ranking = first["ranking.csv"].decode("utf-8-sig").splitlines()
    assert ranking[1:] == ["1,丙局,2023,95,good,0,1,a/丙局.pdf", "1,甲局,2023,95,good,0,0,a/甲局.pdf",
                           "3,乙局,2023,82.5,good,1,1,a/乙局.pdf"]
    reports = first["reports.csv"].decode("utf-8-sig").splitlines()
    assert reports[0].startswith("path,agency,agency_key,year,format")
    assert first["failures.csv"].decode("utf-8-sig").splitlines()[1] == "a/坏.pdf,corrupt,truncated PDF"
    from openpyxl import load_workbook

    wb = load_workbook(out / "summary" / "summary.xlsx")
    assert wb.sheetnames == ["reports", "findings", "ranking", "failures"]
    assert [c.value for c in wb["ranking"][4]] == [3, "乙局", 2023, 82.5, "good", 1, 1, "a/乙局.pdf"]


def test_reviews_survive_reaudit_and_show_in_summaries(tmp_path, store):
    fp = "T3-ROW-SUM-a/乙局.pdf"
    store.add_review("a/乙局.pdf", fp, "comment", "王审核", "看一下", at="2025-06-02T10:00:00")
    store.add_review("a/乙局.pdf", fp, "confirm", "王审核", at="2025-06-02T10:01:00")
    store.put_report(_record("a/乙局.pdf", "乙局", 2023, 82.5, [("T3-ROW-SUM", "error"), ("BLANKS", "warning")]),
                     audit_key="k3", memos=[])
    cur = store.query("SELECT decision, reviewer FROM current_reviews")
    assert [(r["decision"], r["reviewer"]) for r in cur] == [("confirm", "王审核")]
    data = summaries.tables(store)
    cols, rows = data["findings"]
    row = next(r for r in rows if r[cols.index("fingerprint")] == fp)
    assert row[cols.index("review")] == "confirm"
    cols, rows = data["reports"]
    row = next(r for r in rows if r[0] == "a/乙局.pdf")
    assert (row[cols.index("confirmed")], row[cols.index("dismissed")]) == (1, 0)


def test_agency_names_normalised_and_mapped(tmp_path):
    assert normalise(" 平潭綜合實驗區管委會 ") == "平潭综合实验区管理委员会"
    assert normalise("青山区政府办") == normalise("青山区人民政府办公室") == "青山区人民政府办公室"
    assert normalise("2023年度青山区财政局政府信息公开工作年度报告") == "青山区财政局"
    assert normalise("（青山区）财政局") == "青山区财政局"
    assert place_of("青山区人民政府") == "青山区" and place_of("青山区财政局") is None
    csv = tmp_path / "map.csv"
    csv.write_text("name,agency,member_of\n青山区财金局,青山区财政局,青山区人民政府\n青山区教育局,,青山区政府\n",
                   encoding="utf-8")
    m = AgencyMap.load(csv)
    assert m.key("青山区财金局") == "青山区财政局" == m.key("青山区财政局")
    assert m.members["青山区人民政府"] == {"青山区财政局", "青山区教育局"}


def test_discovery_keys_are_stable_and_unique(tmp_path):
    for rel in ("x/reports/a.pdf", "x/reports/sub/a.html", "y/reports/b.txt", "x/reports/.hidden/c.pdf"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    found = discover([tmp_path / "x" / "reports", tmp_path / "y" / "reports"])
    assert [i.key for i in found.inputs] == ["reports/a.pdf", "reports/sub/a.html", "reports~2/b.txt"]
