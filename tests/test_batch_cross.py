"""Cross-report checks over a small invented series: carry-over break, in-force break, copied section 五,
near-duplicate across agencies, consolidated report against its declared members; and clean series pass."""
from __future__ import annotations

import json
import random

import pytest

from audit.batch import textsim
from audit.batch.store import Store
from tests._batch_helpers import fixture_text, prose, run_fixture_batch, series, write_fixtures


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("cross")
    files = series(6)  # 青山区: six departments, 2022 and 2023, carry-over holding
    # carry-over break: 财政局 2023 says 9 carried in, its 2022 report carried out something else
    key = "2023/青山区财政局.txt"
    files[key] = "\n".join(("t3.carried_in.natural: 9" if ln.startswith("t3.carried_in.natural") else ln)
                           for ln in files[key].splitlines()) + "\n"
    # in force: 民政局 (12 in force in 2022) says 14 in 2023 with nothing issued
    key = "2023/青山区民政局.txt"
    files[key] = "\n".join(("t2.norm.in_force: 14" if ln.startswith("t2.norm.in_force") else ln)
                           for ln in files[key].splitlines()) + "\n"
    # copied: 司法局 2023 section 五 is its 2022 one with the last sentence rewritten
    old5 = _section(files["2022/青山区司法局.txt"], 5)
    copied = "".join(textsim.sentences(old5)[:-1]) + prose(random.Random("new"), 1)
    files["2023/青山区司法局.txt"] = _with_section(files["2023/青山区司法局.txt"], 5, copied)
    # near-duplicate across agencies: 统计局 2023 section 一 is 教育局's with a figure changed
    one = _section(files["2023/青山区教育局.txt"], 1)
    files["2023/青山区统计局.txt"] = _with_section(files["2023/青山区统计局.txt"], 1, one.replace("项。", "件。", 1))
    # a consolidated report whose member sum is off by one in one field
    members = [f"青山区{d}" for d in ("教育局", "财政局", "民政局", "司法局", "统计局", "水利局")]
    sums = {"t3.carried_out.natural": 0, "t3.carried_out.total": 0}
    for m in members:
        text = files[f"2023/{m}.txt"]
        for fid in sums:
            sums[fid] += int(next(ln.split(":")[1] for ln in text.splitlines() if ln.startswith(fid + ":")))
    sums["t3.carried_out.total"] += 1
    files["2023/青山区人民政府.txt"] = fixture_text(agency="青山区人民政府", year=2023, level="government",
                                                 fields=sums, sections={5: prose(random.Random("gov"), 5)})
    src = write_fixtures(root / "in", files)
    amap = root / "agencies.csv"
    amap.write_text("name,agency,member_of\n" + "".join(f"{m},,青山区人民政府\n" for m in members), encoding="utf-8")
    out = root / "out"
    run_fixture_batch([str(src)], str(out), jobs=2, agency_map=amap)
    store = Store(out)
    yield store
    store.close()


def _section(text: str, n: int) -> str:
    return next(ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith(f"section{n}:"))


def _with_section(text: str, n: int, new: str) -> str:
    return "\n".join(f"section{n}: {new}" if ln.startswith(f"section{n}:") else ln for ln in text.splitlines()) + "\n"


def _findings(store, rule):
    return store.query("SELECT r.path, f.* FROM findings f JOIN reports r ON r.id = f.report_id"
                       " WHERE f.scope = 'run' AND f.rule_id = ? ORDER BY r.path, f.seq", (rule,))


def _outcomes(store, rule):
    return {r["path"]: r["outcome"] for r in store.query(
        "SELECT r.path, c.outcome FROM checks c JOIN reports r ON r.id = c.report_id"
        " WHERE c.scope = 'run' AND c.rule_id = ?", (rule,))}


def test_carry_over_break_found(run):
    rows = _findings(run, "XY-CARRY")
    assert [(r["path"], r["column_label"], r["found"], r["expected"]) for r in rows] == [
        ("in/2023/青山区财政局.txt", "natural", "9", "3")]
    assert "取自同一机关2022年度报告 in/2022/青山区财政局.txt" in rows[0]["message_zh"] and rows[0]["severity"] == "error"
    assert json.loads(rows[0]["details"])["previous"] == "in/2022/青山区财政局.txt"
    out = _outcomes(run, "XY-CARRY")
    assert out["in/2023/青山区教育局.txt"] == "pass" and out["in/2022/青山区教育局.txt"] == "not_applicable"


def test_in_force_break_found(run):
    rows = _findings(run, "XY-INFORCE")
    assert [(r["path"], r["found"], r["expected"]) for r in rows] == [("in/2023/青山区民政局.txt", "14", "12")]


def test_copied_section_found_with_share_and_sentences(run):
    rows = [r for r in _findings(run, "XY-COPY") if r["severity"] == "warning"]
    assert [r["path"] for r in rows] == ["in/2023/青山区司法局.txt"]
    import json

    details = json.loads(rows[0]["details"])
    assert 0.5 <= details["share"] < 1 and len(details["carried_over"]) >= 4
    assert details["previous"] == "in/2022/青山区司法局.txt"
    assert _outcomes(run, "XY-COPY")["in/2023/青山区教育局.txt"] == "pass"


def test_near_duplicate_across_agencies_found_on_both_sides(run):
    import json

    rows = _findings(run, "XA-DUP")
    assert sorted(r["path"] for r in rows) == ["in/2023/青山区教育局.txt", "in/2023/青山区统计局.txt"]
    d = json.loads(rows[0]["details"])
    assert d["similarity"] >= 0.8 and len(d["shared_passage"]) >= 20 and rows[0]["section"] == 1
    assert {json.loads(r["details"])["other"] for r in rows} == {r["path"] for r in rows}


def test_consolidated_report_against_declared_members(run):
    rows = _findings(run, "CONS-SUM")
    assert [(r["path"], r["field_ids"]) for r in rows] == [
        ("in/2023/青山区人民政府.txt", '["t3.carried_out.total", "members:t3.carried_out.total"]')]
    assert "为6个所属机关报告之和" in rows[0]["message_zh"] and len(json.loads(rows[0]["details"])["members"]) == 6
    out = _outcomes(run, "CONS-SUM")
    assert out["in/2023/青山区人民政府.txt"] == "fail" and out["in/2023/青山区教育局.txt"] == "not_applicable"


def test_cross_findings_in_the_summaries(run):
    text = (run.path.parent / "summary" / "findings.csv").read_text(encoding="utf-8-sig")
    for rule in ("XY-CARRY", "XY-INFORCE", "XY-COPY", "XA-DUP", "CONS-SUM"):
        assert f",run,{rule}," in text
    reports = (run.path.parent / "summary" / "reports.csv").read_text(encoding="utf-8-sig").splitlines()
    gov = next(ln for ln in reports if ln.startswith("in/2023/青山区人民政府.txt"))
    assert ",1,0,0,1," in gov  # one error, no warnings or infos, one cross finding


def test_clean_series_has_no_cross_findings(tmp_path):
    src = write_fixtures(tmp_path / "in", series(5))
    run_fixture_batch([str(src)], str(tmp_path / "out"))
    with Store(tmp_path / "out") as store:
        assert store.query("SELECT count(*) AS n FROM findings WHERE scope = 'run'")[0]["n"] == 0
        assert store.query("SELECT count(*) AS n FROM checks WHERE scope = 'run' AND outcome = 'pass'")[0]["n"] >= 15


def test_carried_over_sentences_are_whole_sentences_not_headings():
    last = "（一）上年度问题整改情况\n（1）门户网站栏目已全部完成归并整理，并建立了更新台账。（2）继续加强。"
    now = "（一）上年度问题整改情况\n（1）门户网站栏目已全部完成归并整理，并建立了更新台账。（2）继续加强。另有新措施三项。"
    assert textsim.carried_over(now, last, 12) == ["（1）门户网站栏目已全部完成归并整理，并建立了更新台账。"]
    assert textsim.containment(textsim.shingles(textsim.canon("2023年完成10项"), 3),
                               textsim.shingles(textsim.canon("2022年完成7项"), 3)) == 1.0  # digits folded


def test_a_rerun_renders_again_the_memos_whose_decisions_changed(tmp_path):
    """Decisions recorded between runs reach the memos on the next run, although nothing is audited again;
    the stored score counts the cross-report finding, the reviewed score leaves the dismissed one out."""
    import audit

    files = series(2)
    key = "2023/青山区财政局.txt"
    files[key] = "".join("t3.carried_in.natural: 9\n" if ln.startswith("t3.carried_in.natural:") else ln
                         for ln in files[key].splitlines(keepends=True))
    src = write_fixtures(tmp_path / "in", files)
    out = tmp_path / "out"
    run_fixture_batch([str(src)], str(out))
    memo = out / "memos" / "in" / f"{key}.json"
    first = json.loads(memo.read_text(encoding="utf-8"))
    carry = next(f for f in first["findings"] if f["rule_id"] == "XY-CARRY")
    assert first["score"]["total"] == 96 and carry["review"] is None  # continuity: one cross error, 4 points
    with Store(out) as store:
        assert store.query("SELECT score FROM reports WHERE path = ?", (f"in/{key}",))[0]["score"] == 96
    untouched = {p: p.read_bytes() for p in (out / "memos").rglob("*.*") if p != memo and p.suffix != ".md"}
    audit.record_decision(out, carry["fingerprint"], "dismiss", "王审核", "上年报告有误", at="2025-06-02T10:00:00")
    report = run_fixture_batch([str(src)], str(out))
    assert (report.audited, report.skipped) == (0, 4)
    again = json.loads(memo.read_text(encoding="utf-8"))
    assert again["findings"][-1]["review"]["decision"] == "dismiss" and again["score"]["total"] == 100
    assert again["summary"]["dismissed"] == 1
    assert {p: p.read_bytes() for p in untouched} == untouched  # the other reports' memos are left alone
    reports = (out / "summary" / "reports.csv").read_text(encoding="utf-8-sig").splitlines()
    row = dict(zip(reports[0].split(","), next(ln for ln in reports if ln.startswith(f"in/{key}")).split(",")))
    assert (row["score"], row["reviewed_score"], row["dismissed"], row["errors"]) == ("96", "100", "1", "0")
    written = memo.stat().st_mtime_ns
    run_fixture_batch([str(src)], str(out))
    assert memo.stat().st_mtime_ns == written  # nothing changed since: nothing rendered again


# ------------------------------------------------------------------ text rules' YAML cases (tests/rules)

def _text_cases():
    import yaml

    from audit.checks import load_rules
    from tests._checks_helpers import rule_case_files

    rules = load_rules()
    for path in rule_case_files():
        rule = rules.by_id.get(path.stem)
        if rule is None or rule.scope != "run" or rule.kind not in ("similarity", "near_duplicate", "recurring"):
            continue
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            yield pytest.param(rule, case, id=f"{rule.id}:{case['name']}")


def _rep(rid: str, agency: str, year: int, sections: dict, level: str | None = None):
    from audit.batch import cross
    from audit.model import Document, Fields, Meta, Source

    meta = Meta(agency=agency, year=year, format="2021", level=level)
    return cross.Rep(rid, f"in/{year}/{rid}.txt", agency, "", year, level,
                     Document(source=Source(f"in/{year}/{rid}.txt", "0" * 64, "txt", 0), blocks=[], meta=meta),
                     Fields(format="2021"), {int(k): v for k, v in sections.items()})


def _case_run(case):
    """The case's report (id ``this``), its previous year's, its history and following year, and other
    agencies' reports, as one run."""
    from audit.batch import cross
    from audit.batch.agencies import AgencyMap

    year = case.get("year", 2023)
    agency = case.get("meta", {}).get("agency", "江北市青山区财政局")
    reps = [_rep("this", agency, year, case["sections"])]
    if "previous" in case:
        prev = case["previous"]
        reps.append(_rep("previous", prev.get("meta", {}).get("agency", agency), year - 1, prev["sections"]))
    for i, other in enumerate(case.get("history", []) + ([case["following"]] if "following" in case else [])):
        reps.append(_rep(f"year{i}", other.get("meta", {}).get("agency", agency), other["year"], other["sections"]))
    for i, other in enumerate(case.get("others", [])):
        reps.append(_rep(f"other{i}", other["meta"]["agency"], other.get("year", year), other["sections"]))
    return cross.Run(reps, AgencyMap())


@pytest.mark.parametrize("rule,case", list(_text_cases()))
def test_text_rule_case(rule, case):
    """XY-COPY, XY-RECUR and XA-DUP cases, evaluated as the batch does on a run made of the case's reports."""
    from audit.batch import cross

    check, findings = cross.evaluate_rule(rule, _case_run(case))["this"]
    assert str(check.outcome) == case["expect"], (check.reason, [f.message_zh for f in findings])
    assert all(f.rule_id == rule.id and f.kind == "cross" and f.message_zh and f.message_en for f in findings)
    text = " ".join(f.message_zh + " " + f.message_en for f in findings)
    if case["expect"] != "fail":
        assert all(str(f.severity) == "info" for f in findings), text
        for piece in case.get("info_contains", []):
            assert piece in text, text
        return
    assert findings
    if "severity" in case:
        assert {str(f.severity) for f in findings} == {case["severity"]}
    for piece in case.get("message_contains", []):
        assert piece in text, text
