"""Review decisions over the batch store (audit.batch.reviews): recording, the current state folded from the
history, fingerprints shared by reports, survival across a re-audit, and CSV export / import with errors
that name the line. Runs use the batch tests' fixture auditor (our own key: value files)."""
from __future__ import annotations

import csv
import shutil

import pytest

from audit.batch import reviews
from audit.batch.store import Store
from tests._batch_helpers import fixture_text, run_fixture_batch, write_fixtures

FILES = {
    "2023/甲局.txt": fixture_text(agency="青山区甲局", year=2023, findings=["T3-ROW-SUM error", "BLANK-CELLS warning"]),
    "2023/乙局.txt": fixture_text(agency="青山区乙局", year=2023, findings=["T3-ROW-SUM error"]),
    "2023/丙局.txt": fixture_text(agency="临江县丙局", year=2023, findings=["T4-SUM error"]),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    root = tmp_path_factory.mktemp("reviews")
    src = write_fixtures(root / "src", FILES)
    run_fixture_batch([str(src)], str(root / "run"))
    return root


@pytest.fixture
def run(pristine, tmp_path):
    """A fresh copy of the run for each test (decisions are written into it)."""
    shutil.copytree(pristine / "run", tmp_path / "run")
    return tmp_path / "run"


def _fp(store: Store, path: str, rule: str) -> str:
    return store.query("SELECT f.fingerprint FROM findings f JOIN reports r ON r.id = f.report_id"
                       " WHERE r.path = ? AND f.rule_id = ?", (path, rule))[0]["fingerprint"]


def test_current_state_folds_the_history(run):
    with Store(run) as store:
        fp = _fp(store, "src/2023/丙局.txt", "T4-SUM")
        reviews.record(store, fp, "comment", "李复核", "先看表四", at="2025-06-01T09:00:00")
        assert reviews.for_report(store, "src/2023/丙局.txt") == {
            fp: {"decision": "comment", "reviewer": "李复核", "at": "2025-06-01T09:00:00", "comment": "先看表四"}}
        reviews.record(store, fp, "confirm", "王审核", "表四总计不符", at="2025-06-01T10:00:00")
        reviews.record(store, fp, "comment", "李复核", "同意", at="2025-06-01T11:00:00")
        state = reviews.for_report(store, "src/2023/丙局.txt")[fp]
        assert state == {"decision": "confirm", "reviewer": "王审核", "at": "2025-06-01T10:00:00",
                         "comment": "表四总计不符; 李复核: 同意"}
        reviews.record(store, fp, "dismiss", "赵组长", at="2025-06-02T08:00:00")
        state = reviews.for_report(store, "src/2023/丙局.txt")[fp]
        assert (state["decision"], state["reviewer"], state["comment"]) == ("dismiss", "赵组长", None)
        assert [d.decision for d in reviews.history(store)] == ["comment", "confirm", "comment", "dismiss"]
        # the batch's own view agrees: the latest confirm / dismiss is the decision
        assert [tuple(r) for r in store.db.execute("SELECT fingerprint, decision FROM current_reviews")] == [
            (fp, "dismiss")]


def test_bad_decisions_are_refused_with_the_reason(run):
    with Store(run) as store:
        fp = _fp(store, "src/2023/丙局.txt", "T4-SUM")
        cases = [
            ((fp, "approve", "王审核"), "decision must be one of confirm, dismiss, comment"),
            ((fp, "confirm", "  "), "reviewer's name"),
            ((fp, "comment", "王审核"), "a comment needs its text"),
            (("0123456789abcdef", "confirm", "王审核"), "no finding 0123456789abcdef in this run"),
            (("T4-SUM", "confirm", "王审核"), "16 hex digits"),
        ]
        for args, message in cases:
            with pytest.raises(reviews.ReviewError, match=message):
                reviews.record(store, *args)
        with pytest.raises(reviews.ReviewError, match="ISO 8601"):
            reviews.record(store, fp, "confirm", "王审核", at="yesterday")
        assert reviews.history(store) == []


def test_a_fingerprint_in_two_reports_needs_the_report(run):
    with Store(run) as store:
        fp = _fp(store, "src/2023/甲局.txt", "T3-ROW-SUM")
        assert fp == _fp(store, "src/2023/乙局.txt", "T3-ROW-SUM")  # same rule, same cells, same values
        with pytest.raises(reviews.ReviewError, match=r"in 2 reports \(src/2023/乙局.txt, src/2023/甲局.txt\)"):
            reviews.record(store, fp, "dismiss", "王审核")
        with pytest.raises(reviews.ReviewError, match="has no finding"):
            reviews.record(store, fp, "dismiss", "王审核", report="src/2023/丙局.txt")
        d = reviews.record(store, fp, "dismiss", "王审核", report="src/2023/乙局.txt")
        assert d.report_path == "src/2023/乙局.txt"
        assert reviews.for_report(store, "src/2023/甲局.txt") == {}
        assert fp in reviews.for_report(store, "src/2023/乙局.txt")


def test_decisions_survive_a_reaudit_and_show_in_the_summaries(run, pristine):
    with Store(run) as store:
        fp = _fp(store, "src/2023/丙局.txt", "T4-SUM")
        reviews.record(store, fp, "dismiss", "王审核", "表四为转载口径", at="2025-06-01T10:00:00")
    # other memo formats: a new audit key, so every report is audited again and its rows replaced
    report = run_fixture_batch([str(pristine / "src")], str(run), formats=("json",))
    assert report.audited == 3
    with Store(run) as store:
        assert reviews.for_report(store, "src/2023/丙局.txt")[fp]["decision"] == "dismiss"
    with open(run / "summary" / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = next(r for r in rows if r["fingerprint"] == fp)
    assert (row["review"], row["reviewer"]) == ("dismiss", "王审核")
    with open(run / "summary" / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        rep = next(r for r in csv.DictReader(fh) if r["path"] == "src/2023/丙局.txt")
    assert (rep["confirmed"], rep["dismissed"]) == ("0", "1")


def test_csv_round_trip_into_another_run(run, pristine, tmp_path):
    with Store(run) as store:
        fp = _fp(store, "src/2023/丙局.txt", "T4-SUM")
        shared = _fp(store, "src/2023/甲局.txt", "T3-ROW-SUM")
        reviews.record(store, fp, "confirm", "王审核", "表四总计, 含逗号", at="2025-06-01T10:00:00")
        reviews.record(store, fp, "comment", "李复核", "=HYPERLINK(\"x\")", at="2025-06-01T10:30:00")
        reviews.record(store, shared, "dismiss", "李复核", at="2025-06-01T11:00:00", report="src/2023/甲局.txt")
        assert reviews.export_csv(store, tmp_path / "out" / "decisions.csv") == 3
        before = reviews.current(reviews.history(store))
    text = (tmp_path / "out" / "decisions.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # Excel opens it with the Chinese intact
    assert ',"\'=HYPERLINK(""x"")",' in text.decode("utf-8-sig")  # a spreadsheet shows it as text
    other = tmp_path / "other"
    shutil.copytree(pristine / "run", other)
    with Store(other) as store:
        done = reviews.import_csv(store, tmp_path / "out" / "decisions.csv")
        assert (done.added, done.skipped) == (3, 0)
        assert reviews.current(reviews.history(store)) == before
        assert before[("src/2023/丙局.txt", fp)]["comment"] == '表四总计, 含逗号; 李复核: =HYPERLINK("x")'
        again = reviews.import_csv(store, tmp_path / "out" / "decisions.csv")
        assert (again.added, again.skipped) == (0, 3)
        assert len(reviews.history(store)) == 3


def test_csv_import_checks_every_line_and_writes_nothing_on_error(run, tmp_path):
    with Store(run) as store:
        fp = _fp(store, "src/2023/丙局.txt", "T4-SUM")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "report_path,fingerprint,decision,reviewer,comment,at\n"
        f"src/2023/丙局.txt,{fp},confirm,王审核,,2025-06-01T10:00:00\n"
        f"src/2023/丙局.txt,{fp},approve,王审核,,2025-06-01T10:00:00\n"
        f"src/2023/甲局.txt,{fp},confirm,王审核,,2025-06-01T10:00:00\n"
        f"src/2023/丙局.txt,{fp},dismiss,王审核,,\n"
        f"src/2023/丙局.txt,{fp},dismiss,,,2025-06-01T10:00:00\n"
        f"src/2023/丙局.txt,{fp},dismiss,王审核\n"
        "src/2023/丙局.txt,1.23457E+15,dismiss,王审核,,2025-06-01T10:00:00\n", encoding="utf-8")
    with Store(run) as store:
        with pytest.raises(reviews.ReviewError) as err:
            reviews.import_csv(store, bad)
        lines = err.value.args[0].splitlines()
        assert [ln.split(": ", 1)[0] for ln in lines] == [f"{bad}:{n}" for n in (3, 4, 5, 6, 7, 8)]
        assert "not 'approve'" in lines[0]
        assert "src/2023/甲局.txt" in lines[1] and "has no finding" in lines[1]
        assert "no time" in lines[2]
        assert "reviewer's name" in lines[3]
        assert "4 cells, the header has 6" in lines[4]
        assert "16 hex digits" in lines[5]
        assert reviews.history(store) == []  # the good first row was not written either


def test_csv_header_and_file_errors(run, tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("path,fingerprint,decision\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with Store(run) as store:
        with pytest.raises(reviews.ReviewError, match=r"wrong.csv:1: missing column\(s\) report_path, reviewer"):
            reviews.import_csv(store, wrong)
        with pytest.raises(reviews.ReviewError, match="empty file"):
            reviews.import_csv(store, empty)
        with pytest.raises(reviews.ReviewError, match="cannot read"):
            reviews.import_csv(store, tmp_path / "missing.csv")
