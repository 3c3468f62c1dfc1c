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
    return cross.Reports(reps, AgencyMap())


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
    if "findings" in case:
        assert len(findings) == case["findings"], [f.message_zh for f in findings]
    if "severity" in case:
        assert {str(f.severity) for f in findings} == {case["severity"]}
    for piece in case.get("message_contains", []):
        assert piece in text, text


# ------------------------------------------------------- whole generated reports through the real pipeline

MEASURE_ONE = "一是完善依申请公开办理流程，统一答复文书格式并逐件复核，提升答复的规范化水平。"
MEASURE_THREE = "三是坚持业务骨干轮岗学习，每年安排各科室联络员到区政府办公室跟班学习两周，提高业务能力。"


def _five(year: int, problems: str, measures: str, rectified: str = "所列问题已逐项整改，整改清单已在门户网站公开。") -> list[str]:
    return ["（一）上年度问题整改情况", f"{year - 1}年度报告{rectified}",
            "（二）存在的主要问题", problems, "（三）改进措施", f"针对存在问题，{year + 1}年将抓好以下工作：{measures}"]


def _with_five(spec, paragraphs):
    new = spec.copy()
    next(s for s in new.narrative.sections if s.number == 5).paragraphs = paragraphs
    return new


@pytest.fixture(scope="module")
def agencies_run(tmp_path_factory):
    """青山区人民政府 printed without its city in 2022 and with it (江北市) in 2023, its 2023 measures those of
    2022; 白沙县教育局 stating one problem three years running; 青山区财政局 (another agency) copying the
    district's 2023 section 五."""
    generator = pytest.importorskip("corpora.generator")
    gov = generator.report_series("江北市青山区人民政府", [2022, 2023], seed=21)
    gov[0] = _with_five(gov[0], _five(2022, "一是档案查阅场所开放时间偏短，群众反映较多；二是依申请答复文书格式不统一。",
                                      MEASURE_ONE + "二是建立网站栏目周检查制度，检查结果每月通报。" + MEASURE_THREE))
    gov[1] = _with_five(gov[1], _five(2023, "一是政策问答更新不及时，部分问答仍是旧政策；二是公开指南未随机构改革修订。",
                                      MEASURE_ONE.replace("，提升", "。提升") + "二是政策问答每季度更新一次，由起草科室负责。"
                                      + MEASURE_THREE))
    edu = generator.report_series("江北市白沙县教育局", [2021, 2022, 2023], seed=22)
    recurring = ["学校收费信息公开不及时，部分学校秋季学期收费标准开学后才公开。",
                 "学校收费信息公开仍不及时，个别学校未在开学前公开收费标准。",
                 "部分学校收费信息公开不够及时，收费标准公开时间晚于缴费时间。"]
    others = ["教育局门户网站栏目设置不合理，办事指南栏目层级过深，家长查找入学材料要点击五次以上。",
              "招生政策解读材料过于简略，只有文件原文的摘要，没有图解和问答，家长咨询电话明显增多。",
              "督导报告未按时公开，上半年三份督导报告在督导结束两个月后才上网，时效性差。"]
    measures = ["一是调整门户网站栏目，把入学材料放到首页专栏。二是每月抽查学校公开栏。",
                "一是招生政策同步发布图解和十问十答。二是开通招生咨询专线并公开接听时间。",
                "一是督导结束后十个工作日内公开督导报告。二是建立公开情况月报制度。"]
    rectified = ["提出的办事指南问题已完成整改。", "提出的栏目层级问题已全部整改到位。", "提出的招生解读问题已整改。"]
    edu = [_with_five(s, _five(s.meta.year, f"一是{recurring[i]}二是{others[i]}", measures[i], rectified[i]))
           for i, s in enumerate(edu)]
    fin = generator.report_series("江北市青山区财政局", [2023], seed=23)
    fin[0] = _with_five(fin[0], next(s for s in gov[1].narrative.sections if s.number == 5).paragraphs)
    root = tmp_path_factory.mktemp("agencies")
    src = root / "in"
    src.mkdir()
    for spec in gov + edu + fin:
        text = generator.render(spec, "txt", style="tab", encoding="utf-8").decode("utf-8")
        if spec is gov[0]:
            text = text.replace("江北市青山区", "青山区")  # the 2022 report prints its name without its city
        (src / f"{spec.agency.name if hasattr(spec.agency, 'name') else spec.meta.agency}-{spec.meta.year}.txt").write_text(
            text, encoding="utf-8")
    out = root / "out"
    from audit.batch.run import BatchOptions, run_batch

    run_batch([str(src)], str(out), BatchOptions(progress=False, jobs=1, formats=("json",)))
    store = Store(out)
    yield store
    store.close()


def _by_path(store, rule, severity=("error", "warning")):
    out = {}
    for r in _findings(store, rule):
        if r["severity"] not in severity:
            continue
        out.setdefault(r["path"].split("/")[-1], []).append(r)
    return out


def test_one_agency_with_and_without_its_city(agencies_run):
    keys = {r["path"].split("/")[-1]: (r["agency"], r["agency_key"])
            for r in agencies_run.query("SELECT path, agency, agency_key FROM reports")}
    gov = {k: v for k, v in keys.items() if "青山区人民政府" in k}
    assert sorted(v[0] for v in gov.values()) == ["江北市青山区人民政府", "青山区人民政府"]
    assert {v[1] for v in gov.values()} == {"江北市青山区人民政府"}
    assert len({v[1] for v in keys.values()}) == 3  # 青山区人民政府, 白沙县教育局, 青山区财政局


def test_repeated_measures_found_with_their_years(agencies_run):
    rows = _by_path(agencies_run, "XY-COPY")
    assert list(rows) == ["江北市青山区人民政府-2023.txt"]
    (row,) = rows["江北市青山区人民政府-2023.txt"]
    details = json.loads(row["details"])
    assert row["severity"] == "warning" and details["years"] == [2022, 2023]
    measures = [r["text"] for r in details["repeated"] if r["role"] == "measure"]
    assert len(measures) == 2 and any("跟班学习" in m for m in measures) and any("统一答复文书格式" in m for m in measures)
    assert "改进措施2条与2022年度报告" in row["message_zh"] and "视为同一机关" in row["message_zh"]
    assert "整改情况1条" in row["message_zh"]  # the stock rectification line, repeated too


def test_copy_only_between_two_agencies(agencies_run):
    rows = _by_path(agencies_run, "XA-DUP")
    assert set(rows) == {"江北市青山区人民政府-2023.txt", "江北市青山区财政局-2023.txt"}
    others = {json.loads(r["details"])["other"].split("/")[-1] for r in rows["江北市青山区财政局-2023.txt"]}
    assert others == {"江北市青山区人民政府-2023.txt"}


def test_problem_repeated_three_years(agencies_run):
    rows = _by_path(agencies_run, "XY-RECUR")
    assert list(rows) == ["江北市白沙县教育局-2023.txt"]
    details = json.loads(rows["江北市白沙县教育局-2023.txt"][0]["details"])
    assert details["years"] == [2021, 2022, 2023] and any("收费" in t for t in details["terms"])


# ----------------------------------------------------------------------------------- agency identity

@pytest.mark.parametrize("name,prefixes,core", [
    ("江北市青山区人民政府", ("江北市",), "青山区人民政府"),
    ("江南省江北市青山区政府", ("江南省", "江北市"), "青山区人民政府"),
    ("江北市青山区人民政府2023年政府信息公开工作年度报告", ("江北市",), "青山区人民政府"),
    ("江北市青山区人民政府办公室\n2024年1月20日", ("江北市",), "青山区人民政府办公室"),  # a signature
    ("青山区政府办", (), "青山区人民政府办公室"),
    ("青山区发改局", (), "青山区发展和改革局"),
    ("江北市人民政府", (), "江北市人民政府"),
    ("江北市发展和改革委员会", (), "江北市发展和改革委员会"),
    ("江北市城市管理局", (), "江北市城市管理局"),
    ("江北市住房和城乡建设局", (), "江北市住房和城乡建设局"),
    ("江北市经济技术开发区管理委员会", (), "江北市经济技术开发区管理委员会"),  # a zone of no place of its own
    ("江北市市场监督管理局", (), "江北市市场监督管理局"),
    ("江南省白沙县", ("江南省",), "白沙县人民政府"),
    ("东海综合实验区", (), "东海综合实验区管理委员会"),
    ("北疆自治区和平市红旗区人民政府", ("北疆自治区", "和平市"), "红旗区人民政府"),
    ("江苏淮安市洪泽区人民政府", ("江苏省", "淮安市"), "洪泽区人民政府"),  # a province without its 省
    ("广西南宁市青秀区政府", ("广西壮族自治区", "南宁市"), "青秀区人民政府"),
    ("吉林市人民政府", (), "吉林市人民政府"),  # a city named as its province
    ("海南藏族自治州人民政府", (), "海南藏族自治州人民政府"),  # not 海南 (the province) + 藏族自治州
    ("江西市红旗区人民政府", ("江西市",), "红旗区人民政府"),
])
def test_identity_of_a_printed_name(name, prefixes, core):
    from audit.batch.agencies import identify

    assert identify(name) == (identify(name).__class__(prefixes, core))


def test_agencies_linked_only_when_their_prefixes_agree():
    from audit.batch.agencies import Agencies, AgencyMap, Printed

    run = Agencies(AgencyMap(), {
        "a": Printed(["江北市青山区人民政府"]), "b": Printed(["青山区人民政府"]),
        "c": Printed(["江南省江北市青山区人民政府"]), "d": Printed(["青山区人民政府办公室"]),
        "e": Printed(["江东市红旗区人民政府"]), "f": Printed(["江西市红旗区人民政府"]),
        "g": Printed(["红旗区人民政府"], "本区地处江西市东部"), "h": Printed(["红旗区人民政府"], "本区概况"),
    })
    assert run.keys["a"] == run.keys["b"] == run.keys["c"] == "江南省江北市青山区人民政府"
    assert run.keys["d"] == "青山区人民政府办公室"
    assert run.keys["e"] != run.keys["f"] and run.keys["g"] == run.keys["f"] == "江西市红旗区人民政府"
    assert run.keys["h"] == "红旗区人民政府" and "未与其关联" in run.notes["h"].zh  # either city: not linked
    assert "视为同一机关" in run.notes["b"].zh and "one agency" in run.notes["b"].en
    assert run.key_of_name("青山区政府") == "江南省江北市青山区人民政府"


def test_agency_map_still_decides():
    from audit.batch.agencies import Agencies, AgencyMap, Printed

    amap = AgencyMap(aliases={"青山区财金局": "青山区财政局", "青山区财政局": "青山区财政局"})
    run = Agencies(amap, {"a": Printed(["青山区财金局"]), "b": Printed(["江北市青山区财政局"])})
    assert run.keys["a"] == run.keys["b"] == "江北市青山区财政局"


def test_real_reports_one_agency_each():
    """The names the shared real reports print: hongze's two one agency; pingtan's years one; the two
    Shanghai reports two agencies."""
    from audit.batch.agencies import Agencies, AgencyMap, Printed

    names = {"hongze-2023": "洪泽区人民政府", "hongze-2024": "淮安市洪泽区人民政府", "pingtan-2021": "平潭综合实验区",
             "pingtan-2022": "平潭综合实验区", "kewei": "上海市科学技术委员会", "office": "上海市人民政府办公厅"}
    keys = Agencies(AgencyMap(), {k: Printed([v]) for k, v in names.items()}).keys
    assert keys["hongze-2023"] == keys["hongze-2024"] == "淮安市洪泽区人民政府"
    assert keys["pingtan-2021"] == keys["pingtan-2022"] and keys["kewei"] != keys["office"]


def test_pingtan_seven_years(tmp_path):
    """A batch over the seven pingtan years (one agency): the 政策解读 problem 2021–2024 reported once, on
    2024; no copy finding between the years, no section 五 copied (skipped without ../shared)."""
    from pathlib import Path

    from audit.batch.run import BatchOptions, run_batch

    real = Path(__file__).resolve().parents[1].parent / "shared" / "reports" / "real"
    files = sorted(real.glob("pingtan-*.txt"))
    if len(files) < 7:
        pytest.skip("../shared/reports/real/pingtan-*.txt not here")
    run_batch([str(f) for f in files], str(tmp_path / "out"), BatchOptions(progress=False, jobs=1, formats=("json",)))
    with Store(tmp_path / "out") as store:
        assert len({r["agency_key"] for r in store.query("SELECT agency_key FROM reports")}) == 1
        recur = _by_path(store, "XY-RECUR")
        assert list(recur) == ["pingtan-2024.txt"] and len(recur["pingtan-2024.txt"]) == 1
        details = json.loads(recur["pingtan-2024.txt"][0]["details"])
        assert details["years"] == [2021, 2022, 2023, 2024] and "政策解读" in details["terms"]
        assert _by_path(store, "XA-DUP", ("error", "warning", "info")) == {} and _by_path(store, "XY-COPY") == {}


def test_a_name_two_agencies_share_is_not_linked_and_the_check_says_why():
    from audit.batch import cross
    from audit.batch.agencies import AgencyMap
    from audit.checks import load_rules

    five = {5: "（一）存在的问题：网站栏目更新滞后。（二）改进措施：建立周检查制度，由信息中心负责。"}
    data = cross.Reports([_rep("this", "红旗区人民政府", 2023, five), _rep("east", "江东市红旗区人民政府", 2022, five),
                      _rep("west", "江西市红旗区人民政府", 2022, five)], AgencyMap())
    check, findings = cross.evaluate_rule(load_rules().by_id["XY-COPY"], data)["this"]
    assert str(check.outcome) == "not_applicable" and findings == []
    assert "未与其关联" in check.reason.zh and "--agency-map" in check.reason.en


def test_a_fuller_name_completes_the_titles_only_when_they_agree():
    from audit.batch.agencies import Agencies, AgencyMap, printed

    run = Agencies(AgencyMap(), printed([
        ("a", {"agency": "青山区人民政府", "agency_full": "江北市青山区人民政府"}, ""),
        ("b", {"agency": "青山区人民政府", "agency_full": "江北市青山区人民政府办公室"}, ""),  # the signing office
        ("c", {"agency": None, "title": "江北市白沙县教育局2023年政府信息公开工作年度报告"}, ""),
    ]))
    assert run.keys == {"a": "江北市青山区人民政府", "b": "江北市青山区人民政府", "c": "江北市白沙县教育局"}
