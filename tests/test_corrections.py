"""Corrections of the reading (audit.batch.corrections): a misread cell, a metadata field or a section start
corrected by a reviewer; the checks run again on the corrected reading; memos, summaries and the overview
show it; the correction survives re-runs and re-audits; CSV in and out; the memo in a real browser."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import audit
from _api_helpers import build_run, run_batch
from audit.batch.store import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EDU = "reports/2022/edu.txt"  # table 三's carried-over research cell was changed from 0 to 2 (T3-ROW-SUM + T3-BALANCE:
# one cause, one finding)
CIV = "reports/2023/civ.html"  # published late (DEADLINE)
CELL = "t3.carried_out.research"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return build_run(tmp_path_factory.mktemp("corrections"))


@pytest.fixture
def out(pristine, tmp_path) -> Path:
    dst = tmp_path / "run"
    shutil.copytree(pristine, dst)
    shutil.copytree(pristine.parent / "reports", tmp_path / "reports")
    return dst


def rules_of(run, path):
    return sorted(run.findings.query("path == @path")["rule_id"])


def test_a_corrected_cell_rechecks_the_report(out):
    run = audit.load_run(out)
    assert rules_of(run, EDU) == ["T3-ROW-SUM"]  # the row and the balance broken by one cell: one finding
    before = run.reports.set_index("path").loc[EDU, "score"]
    c = audit.record_correction(out, EDU, CELL, "0", "纸质件此格为0", "王审核", at="2025-06-02T09:00:00")
    assert c["original"] == "2" and c["value"] == "0" and c["score"] > before
    # the findings and the score in the store are those of the corrected reading, at once
    assert rules_of(run, EDU) == []
    rep = run.report(EDU)
    assert rep.score["total"] == c["score"] == 100
    assert rep.fields.set_index("field_id").loc[CELL, "value"] == 0
    # the reading stays as read beside the correction
    with Store(out) as store:
        assert store.report_field(EDU, CELL)["value"] == "2"
    assert run.corrections[["key", "value", "original"]].values.tolist() == [[CELL, "0", "2"]]
    # the memo shows both, in both languages and every format
    md = rep.memo("md")
    assert "原读数 2，复核更正为 0（理由：纸质件此格为0；王审核，2025-06-02T09:00:00）" in md
    assert "read 2, corrected to 0 in review (reason: 纸质件此格为0" in rep.memo("md", lang="en")
    memo = json.loads(rep.memo("json"))
    assert memo["corrections"][0]["original"] == "2" and memo["corrections"][0]["value"] == "0"
    from docx import Document
    import io

    doc = Document(io.BytesIO(rep.memo("docx")))
    assert any("复核更正为 0" in p.text for p in doc.paragraphs)
    # the run folder's memos, summaries and overview show it: record_correction brought them up to date
    assert "复核更正为 0" in (out / "memos" / f"{EDU}.md").read_text(encoding="utf-8")
    with open(out / "summary" / "reports.csv", encoding="utf-8-sig") as fh:
        row = next(r for r in csv.DictReader(fh) if r["path"] == EDU)
    assert row["score"] == "100" and row["reviewed_score"] == "100" and row["errors"] == "0"
    assert '"reports/2022/edu.txt"' in (out / "index.html").read_text(encoding="utf-8")


def test_corrections_survive_reruns_and_reaudits_and_reach_the_cross_checks(out):
    audit.record_correction(out, EDU, CELL, "0", "纸质件此格为0", "王审核")
    run = audit.load_run(out)
    carry_before = len(run.filter(rule="XY-CARRY"))
    # the same run again (nothing to audit): the cross-report checks use the corrected cell of 2022
    proc = run_batch(out.parent / "reports", out)
    assert proc.returncode == 0, proc.stderr
    assert len(run.filter(rule="XY-CARRY")) == carry_before - 1
    assert rules_of(run, EDU) == []
    # audited again under another audit key (memo formats): the corrections are applied to the new reading
    proc = run_batch(out.parent / "reports", out, "--format", "md,json")
    assert proc.returncode == 0 and "6 audited" in proc.stdout, proc.stdout + proc.stderr
    assert rules_of(run, EDU) == []
    assert "复核更正为 0" in (out / "memos" / f"{EDU}.md").read_text(encoding="utf-8")
    assert run.reports.set_index("path").loc[EDU, "score"] == 100


def test_withdrawing_gives_back_the_audit(out):
    run = audit.load_run(out)
    before = run.findings.query("path == @EDU")["fingerprint"].tolist()
    score = run.reports.set_index("path").loc[EDU, "score"]
    audit.record_correction(out, EDU, CELL, "0", "笔误", "王审核")
    audit.record_correction(out, EDU, CELL, None, "复核有误，撤回", "李复核")
    assert run.findings.query("path == @EDU")["fingerprint"].tolist() == before
    assert run.reports.set_index("path").loc[EDU, "score"] == score
    assert "复核更正" not in run.report(EDU).memo("md")
    assert len(run.corrections) == 2


def test_a_corrected_publication_date_and_section_start(out):
    run = audit.load_run(out)
    assert "DEADLINE" in rules_of(run, CIV)
    audit.record_correction(out, CIV, "published", "2024-01-20", "网站发布记录为1月20日", "王审核", target="meta")
    assert "DEADLINE" not in rules_of(run, CIV)
    memo = run.report(CIV).memo("md")
    assert "发布日期：原读数 2024-02-22，复核更正为 2024-01-20" in memo
    # a section that starts earlier than read: section 六 begins at the last sentence of what was read as 五
    rep = run.report(EDU)
    five = next(s for s in rep.result.document.sections if s.number == 5).text
    words = five.rstrip("。").rsplit("；", 1)[1][:10]
    audit.record_correction(out, EDU, 6, words, "第六部分起于此句", "王审核", target="section")
    sections = {s.number: s.text for s in run.report(EDU).result.document.sections}
    assert sections[6].startswith(words) and sections[6].endswith("信息处理费。")
    assert words not in sections[5] and sections[5] == five[:five.index(words)].strip()
    assert "第六部分的起点：原读数 本年度未向申请人收取信息处理费。，复核更正为 " + words in run.report(EDU).memo("md")
    with pytest.raises(audit.CorrectionError, match="not in the report's text"):
        audit.record_correction(out, EDU, 5, "报告里没有这句话的", "x", "王审核", target="section")


@pytest.mark.parametrize("args, message", [
    ((EDU, "t9.nothing", "1"), "has no table cell"),
    ((EDU, CELL, "二"), "must be a number"),
    (("reports/none.txt", CELL, "1"), "no report"),
])
def test_bad_corrections_are_refused(out, args, message):
    with pytest.raises(audit.CorrectionError, match=message):
        audit.record_correction(out, *args, "理由", "王审核")
    with pytest.raises(audit.CorrectionError, match="reason"):
        audit.record_correction(out, EDU, CELL, "0", " ", "王审核")
    with pytest.raises(audit.CorrectionError, match="metadata"):
        audit.record_correction(out, EDU, "title", "x", "r", "王审核", target="meta")


def test_corrections_as_csv(out, pristine, tmp_path):
    audit.record_correction(out, EDU, CELL, "0", "=纸质件为准", "王审核", at="2025-06-02T09:00:00")
    path = tmp_path / "corrections.csv"
    assert audit.export_corrections(out, path) == 1
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "report_path,target,key,value,reason,reviewer,at"
    assert "'=纸质件为准" in text  # never a formula in a spreadsheet
    other = tmp_path / "other"
    shutil.copytree(pristine, other)
    done = audit.import_corrections(other, path)
    assert done["added"] == 1 and done["rechecked"] == [EDU]
    assert audit.import_corrections(other, path)["added"] == 0
    assert audit.load_run(other).corrections["reason"].tolist() == ["=纸质件为准"]
    bad = tmp_path / "bad.csv"
    bad.write_text(text + "reports/2022/edu.txt,field,t3.new.total,abc,r,王审核,2025-06-02\n", encoding="utf-8")
    with pytest.raises(audit.CorrectionError, match=r"bad.csv:3: .*must be a number"):
        audit.import_corrections(other, bad)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_the_html_memo_in_a_browser_shows_the_correction_and_the_new_score(out, tmp_path):
    def shown():
        page = out / "memos" / f"{EDU}.html"
        proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               f"--user-data-dir={tmp_path / f'p{len(list(tmp_path.iterdir()))}'}", "--dump-dom",
                               page.as_uri()], capture_output=True, text=True, timeout=180)
        text = re.sub(r"<[^>]+>", "", proc.stdout)
        return text, re.search(r"得分 (\d+) / 100", text).group(1)

    text, score = shown()
    assert "复核更正" not in text and score == "95"
    run = audit.load_run(out)
    run.correct(EDU, CELL, "0", "纸质件此格为0", "王审核")
    run.refresh()
    text, score = shown()
    assert "原读数 2，复核更正为 0" in text and score == "100"


def test_compare_within_a_run_uses_the_corrected_reading(out, tmp_path):
    """`audit compare --run OUT A B`: the two years of an agency as stored, with the corrections."""
    import subprocess as sp
    import sys

    from audit import compare

    def breaks():
        cmp = compare.compare_stored(out, EDU, "reports/2023/edu.html")
        return sorted(i.terms["b"] for i in cmp.carry if i.status == "breaks")

    before = breaks()
    assert "t3.carried_in.research" in before
    audit.record_correction(out, EDU, CELL, "0", "纸质件此格为0", "王审核")
    assert breaks() == [b for b in before if b != "t3.carried_in.research"]
    proc = sp.run([sys.executable, "-m", "audit", "compare", "--run", str(out), EDU, "reports/2023/edu.html",
                   "-o", str(tmp_path / "cmp")], capture_output=True, text=True, timeout=300,
                  cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0 and f"{len(before) - 1} break" in proc.stdout, proc.stderr
