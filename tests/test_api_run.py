"""load_run over a real ``audit batch`` run of generated reports (tests/_api_helpers.py): the store as
DataFrames, filters, rankings, a report's memo and evidence with the run's decisions, the review panel's
buttons, summaries and CSV. (Decisions surviving a re-run of the batch: tests/test_notebooks.py, through the
triage notebook's buttons, and tests/test_reviews_store.py.)"""
from __future__ import annotations

from decimal import Decimal

import csv
import html
import shutil

import pytest

import audit
from audit.errors import AuditError
from tests._api_helpers import build_run

EDU22, EDU23, FIN22, FIN23, CIV23 = ("reports/2022/edu.txt", "reports/2023/edu.html", "reports/2022/fin.html",
                                     "reports/2023/fin.txt", "reports/2023/civ.html")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return build_run(tmp_path_factory.mktemp("apirun"))


@pytest.fixture
def out(pristine, tmp_path):
    shutil.copytree(pristine, tmp_path / "run")
    return tmp_path / "run"


def _fp(run, path, rule):
    df = run.findings
    return df[(df.path == path) & (df.rule_id == rule)].iloc[0]["fingerprint"]


def test_the_store_as_dataframes(pristine):
    run = audit.load_run(pristine)
    reports = run.reports
    assert list(reports["path"]) == sorted(reports["path"]) and len(reports) == 6
    assert set(reports["region"]) == {"青山区", "临江县"}
    assert set(reports["year"]) == {2022, 2023}
    assert (reports["reviewed_score"] == reports["score"]).all() and (reports["confirmed"] == 0).all()
    findings = run.findings
    got = {(p, r) for p, r in zip(findings["path"], findings["rule_id"])}
    assert {(EDU22, "T3-ROW-SUM"), (FIN22, "TEXT-CLAIM"), (CIV23, "DEADLINE"), (EDU23, "XY-CARRY"),
            (FIN23, "XY-COPY")} <= got
    assert set(findings[findings.rule_id == "XY-CARRY"]["scope"]) == {"run"}
    assert findings["decision"].isna().all()
    per_report = findings.groupby("path").size()
    for _, r in reports.iterrows():
        assert r["errors"] + r["warnings"] + r["infos"] == per_report.get(r["path"], 0) == r["open"]
    fields = run.fields
    row = fields[(fields.path == EDU22) & (fields.field_id == "t3.new.total")].iloc[0]
    assert row["value"] == Decimal(row["raw"]) and type(row["value"]) is int and row["kind"] == "number"  # exact
    checks = run.checks
    assert set(checks[checks.path == CIV23].query("rule_id == 'DEADLINE'")["outcome"]) == {"fail"}
    # one findings table: a report of the run gives the run's rows for it, column for column
    one = run.report(EDU23).findings_df.set_index("fingerprint")
    mine = findings[findings.path == EDU23].set_index("fingerprint")[list(one.columns)]
    plain = lambda df: df.sort_index().astype(object).where(df.sort_index().notna(), None).to_dict("index")  # noqa: E731
    assert len(one) and plain(one) == plain(mine)
    assert run.reviews.empty and run.errors.empty


def test_filters(pristine):
    run = audit.load_run(pristine)
    assert set(run.filter(rule="XY-CARRY")["path"]) == {EDU23}
    assert set(run.filter(agency="青山区财政局", year=2022)["rule_id"]) == {"TEXT-CLAIM"}
    assert set(run.filter(region="临江县", severity="error")["rule_id"]) == {"DEADLINE"}
    assert set(run.filter(severity=["warning", "info"])["severity"]) <= {"warning", "info"}
    assert len(run.filter(decision="open")) == len(run.findings)
    assert run.filter(decision="confirm").empty


def test_rankings_and_year_over_year(pristine):
    run = audit.load_run(pristine)
    reports = run.reports
    by_agency = run.ranking()
    assert list(by_agency["rank"]) == sorted(by_agency["rank"]) and by_agency["rank"].iloc[0] == 1
    edu = by_agency.set_index("agency").loc["青山区教育局"]
    assert edu["score"] == round(reports[reports.agency == "青山区教育局"]["score"].mean(), 2)
    assert edu["reports"] == 2 and edu["region"] == "青山区"
    regions = run.ranking("region", year=2023)
    assert set(regions["region"]) == {"青山区", "临江县"} and regions["reports"].sum() == 3
    yoy = run.year_over_year()
    s = reports.set_index(["agency", "year"])["score"]
    assert yoy.loc["临江县民政局", "Δ2023"] == s[("临江县民政局", 2023)] - s[("临江县民政局", 2022)]
    counts = run.rule_counts()
    assert counts.iloc[0]["findings"] == counts["findings"].max()
    assert counts.set_index("rule_id").loc["XY-CARRY", "reports"] == 1
    with pytest.raises(ValueError):
        run.ranking("province")


def test_a_reports_memo_shows_its_decisions(out):
    # the changed cell breaks its row and its column's balance: one finding (T3-ROW-SUM + T3-BALANCE)
    run = audit.load_run(out)
    row_sum, claim = _fp(run, EDU22, "T3-ROW-SUM"), _fp(run, FIN22, "TEXT-CLAIM")
    before = run.report(EDU22)
    assert before.score["total"] == run.reports.set_index("path").loc[EDU22, "score"]
    audit.record_decision(out, row_sum, "dismiss", "王审核", "表内笔误", at="2025-06-02T10:00:00")
    run.record(claim, "confirm", "王审核", at="2025-06-02T10:05:00")
    assert "已由 王审核 于 2025-06-02T10:05:00 确认" in run.memo(FIN22, "md")
    md = run.memo(EDU22, "md")
    kept, dropped = md.split("经复核排除的问题", 1)
    assert "T3-ROW-SUM" in dropped and "已由 王审核 于 2025-06-02T10:00:00 排除：表内笔误" in dropped
    rep = run.reports.set_index("path").loc[EDU22]
    assert (rep["confirmed"], rep["dismissed"], rep["open"]) == (0, 1, 0)
    assert rep["reviewed_score"] > rep["score"]
    assert run.report(EDU22).score["total"] == rep["reviewed_score"]
    assert run.filter(decision="open").query("path == @EDU22").empty
    assert set(run.filter(decision="dismiss")["fingerprint"]) == {row_sum}
    reviews = run.reviews
    assert list(reviews["decision"]) == ["dismiss", "confirm"] and reviews["in_run"].all()


def test_cross_report_findings_count_in_the_stored_score_and_the_memo(pristine):
    import json

    from audit.batch.store import Store

    with Store(pristine) as store:
        rows = {r["path"]: r for r in store.query("SELECT path, score, score_detail, memo_state FROM reports")}
    findings = audit.load_run(pristine).findings
    carry = list(findings.query("path == @EDU23 and rule_id == 'XY-CARRY'")["fingerprint"])
    detail = json.loads(rows[EDU23]["score_detail"])
    items = {i["id"]: i for i in detail["items"]}
    assert len(carry) == 3 and [d["fingerprint"] for d in items["continuity"]["deductions"]] == carry
    assert items["continuity"]["lost"] == 10 and rows[EDU23]["score"] == detail["total"]  # 3 × 4 points, cap 10
    copy = _fp(audit.load_run(pristine), FIN23, "XY-COPY")
    narrative = {i["id"]: i for i in json.loads(rows[FIN23]["score_detail"])["items"]}["narrative"]
    assert [(d["fingerprint"], d["points"]) for d in narrative["deductions"]] == [(copy, 5)]
    memo = json.loads((pristine / "memos" / f"{EDU23}.json").read_text(encoding="utf-8"))
    assert memo["score"] == detail and set(carry) <= {f["fingerprint"] for f in memo["findings"]}
    assert "XY-CARRY" in (pristine / "memos" / f"{EDU23}.md").read_text(encoding="utf-8")
    assert rows[EDU23]["memo_state"] and rows[EDU22]["memo_state"] is None  # EDU22: no cross-report finding
    assert audit.load_run(pristine).report(EDU23).score == detail


def test_a_memo_rendered_again_from_the_store_is_the_one_the_audit_wrote(out):
    from audit.batch.memos import render_stored
    from audit.batch.store import Store

    with Store(out) as store:
        own = [r["path"] for r in store.query("SELECT path FROM reports WHERE memo_state IS NULL ORDER BY path")]
        assert EDU22 in own and FIN22 in own
        for path in own:
            before = {fmt: (out / "memos" / f"{path}.{fmt}").read_bytes() for fmt in ("md", "html", "json")}
            render_stored(store, out, path, ["md", "html", "json"], "zh", {})
            assert {fmt: (out / "memos" / f"{path}.{fmt}").read_bytes() for fmt in before} == before, path


def test_evidence_of_cross_report_findings(pristine):
    run = audit.load_run(pristine)
    rep = run.report(FIN23)
    copy = next(f for f in rep.cross_findings if f.rule_id == "XY-COPY")
    ev = str(rep.evidence(copy.fingerprint))
    assert "报告原文（第5部分）" in ev and ev.count("<mark>") >= 1
    for sentence in copy.details["carried_over"][:3]:
        assert html.escape(sentence) in ev
    carry = next(f for f in run.report(EDU23).cross_findings if f.rule_id == "XY-CARRY")
    ev = str(run.report(EDU23).evidence(carry.fingerprint))
    assert f'title="{carry.location.field_ids[0]}"' in ev and "<mark>" not in ev


def test_review_panel_buttons_record_decisions(out):
    run = audit.load_run(out)
    panel = run.review_panel(EDU23)
    fps = list(panel.buttons)
    assert set(fps) == set(run.findings.query("path == @EDU23")["fingerprint"])
    panel.buttons[fps[0]]["confirm"].click()  # no reviewer yet: nothing recorded, the row says why
    assert "审核人" in panel.status[fps[0]].value and run.reviews.empty
    panel.reviewer.value = "王审核"
    panel.comments[fps[0]].value = "结转数与上年不符"
    panel.buttons[fps[0]]["confirm"].click()
    panel.buttons[fps[1]]["dismiss"].click()
    state = run.findings.set_index("fingerprint")
    assert state.loc[fps[0], "decision"] == "confirm" and state.loc[fps[0], "comment"] == "结转数与上年不符"
    assert state.loc[fps[1], "decision"] == "dismiss" and state.loc[fps[1], "reviewer"] == "王审核"
    assert "已确认（王审核" in panel.status[fps[0]].value and panel.comments[fps[0]].value == ""


def test_refresh_renders_changed_memos_and_summaries_with_the_decisions(out):
    run = audit.load_run(out)
    deadline, row_sum = _fp(run, CIV23, "DEADLINE"), _fp(run, EDU22, "T3-ROW-SUM")
    before = {p: p.read_bytes() for p in (out / "memos").rglob("*.*")}
    run.record(deadline, "confirm", "王审核", at="2025-06-02T09:00:00")
    run.record(row_sum, "dismiss", "王审核", "=HYPERLINK(\"x\")", at="2025-06-02T09:10:00")
    comment = _fp(run, FIN22, "TEXT-CLAIM")  # EDU22's changed cell is one finding (T3-ROW-SUM + T3-BALANCE)
    run.record(comment, "comment", "李复核", "待核实", at="2025-06-02T09:20:00")
    done = run.refresh()
    assert done["memos"] == [EDU22, FIN22, CIV23] and out / "summary" / "reports.csv" in done["summaries"]
    changed = sorted(p.relative_to(out / "memos").as_posix() for p, data in before.items() if p.read_bytes() != data)
    assert changed == [f"{k}.{fmt}" for k in (EDU22, FIN22, CIV23) for fmt in ("html", "json", "md")]
    md = (out / "memos" / f"{EDU22}.md").read_text(encoding="utf-8")
    assert md == run.memo(EDU22, "md")  # the file is the memo the API renders, decisions included
    kept, dropped = md.split("经复核排除的问题", 1)
    assert "T3-ROW-SUM" in dropped
    assert "待核实" in (out / "memos" / f"{FIN22}.md").read_text(encoding="utf-8")
    assert "已由 王审核 于 2025-06-02T09:00:00 确认" in (out / "memos" / f"{CIV23}.md").read_text(encoding="utf-8")
    with open(out / "summary" / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {r["path"]: r for r in csv.DictReader(fh)}
    edu = rows[EDU22]
    assert (edu["confirmed"], edu["dismissed"], edu["commented"]) == ("0", "1", "0")
    assert rows[FIN22]["commented"] == "1"
    assert float(edu["reviewed_score"]) > float(edu["score"])
    assert rows[CIV23]["confirmed"] == "1" and rows[CIV23]["reviewed_score"] == rows[CIV23]["score"]
    with open(out / "summary" / "findings.csv", encoding="utf-8-sig", newline="") as fh:
        found = {r["fingerprint"]: r for r in csv.DictReader(fh)}
    assert found[comment]["review"] == "comment" and found[comment]["comment"] == "待核实"
    assert found[row_sum]["review"] == "dismiss" and found[row_sum]["comment"] == "'=HYPERLINK(\"x\")"
    with open(out / "summary" / "ranking.csv", encoding="utf-8-sig", newline="") as fh:
        ranking = list(csv.DictReader(fh))
    assert list(ranking[0])[:4] == ["rank", "agency", "year", "reviewed_score"]
    scores = [float(r["reviewed_score"]) for r in ranking]
    assert scores == sorted(scores, reverse=True)
    assert run.refresh()["memos"] == []  # nothing changed since


def test_export_and_import_between_runs(out, pristine, tmp_path):
    run = audit.load_run(out)
    fp = _fp(run, CIV23, "DEADLINE")
    audit.record_decision(out, fp, "dismiss", "王审核", "延期已报备", at="2025-06-03T09:00:00")
    assert audit.export_decisions(out, tmp_path / "d.csv") == 1
    other = tmp_path / "other"
    shutil.copytree(pristine, other)
    assert audit.import_decisions(other, tmp_path / "d.csv") == {"added": 1, "skipped": 0}
    assert audit.load_run(other).findings.set_index("fingerprint").loc[fp, "comment"] == "延期已报备"
    (tmp_path / "bad.csv").write_text("report_path,fingerprint,decision,reviewer,comment,at\n"
                                      f"{CIV23},{fp},maybe,王审核,,2025-06-03T09:00:00\n", encoding="utf-8")
    with pytest.raises(audit.api.ReviewError, match=r"bad.csv:2: decision must be one of"):
        audit.import_decisions(other, tmp_path / "bad.csv")


def test_what_is_not_there(tmp_path, pristine):
    with pytest.raises(AuditError, match="not a run folder"):
        audit.load_run(tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()  # opening did not create a store
    with pytest.raises(AuditError, match="not a run folder"):
        audit.record_decision(tmp_path, "0123456789abcdef", "confirm", "王审核")
    with pytest.raises(KeyError, match="no report"):
        audit.load_run(pristine).report("reports/2030/none.txt")


def test_refresh_refuses_while_a_batch_writes_the_folder(out):
    """Run.refresh() takes the run folder's lock as `audit batch` does: a batch writing it is not raced."""
    from audit.batch.lock import OutInUse, OutLock

    run = audit.load_run(out)
    with OutLock(out):
        with pytest.raises(OutInUse):
            run.refresh()
    assert run.refresh()["overview"]  # the lock released, it runs
