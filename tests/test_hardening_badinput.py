"""The bad-input corpus (tests/badinput): every file ends in its one-line error or its clear finding,
alone (``pipeline.audit``), through ``audit check``, and in a batch beside the good samples, which are all
audited; nothing is written outside OUT.

The corpus is built once per module in a temporary folder: about 60 MB on disk, most of it the 50 MB web
page (written in a fraction of a second from a repeated block); the bombs are about 1 MB each.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import pipeline
from audit.errors import AuditError
from tests.badinput import CORPUS, ZIPS, build
from tests.badinput.corpus import SAMPLES

pytest.importorskip("reportlab")

BY_NAME = {b.name: b for b in CORPUS + ZIPS}


@pytest.fixture(autouse=True)
def _no_document_cache(monkeypatch):
    """Parse every file afresh (a cached parse would hide what ingest does) and write no cache entries
    outside the test's folders; batch workers inherit the setting."""
    monkeypatch.setenv("AUDIT_CACHE", "off")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return build(tmp_path_factory.mktemp("badinput") / "bad")


def _tree(root: Path, skip: Path | None = None) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if skip is None or not (p == skip or skip in p.parents)}


@pytest.mark.parametrize("name", [b.name for b in CORPUS])
def test_each_bad_file_ends_in_one_line_error_or_clear_finding(corpus, name):
    bad = BY_NAME[name]
    try:
        result = pipeline.audit(corpus[name], narrative=False)
    except AuditError as exc:
        assert exc.code in bad.codes, f"{name} ({bad.why}): {exc.code}: {exc.reason}"
        assert exc.reason and "\n" not in exc.reason and len(exc.reason) < 400
        assert "Traceback" not in exc.reason
        return
    assert "ok" in bad.codes, f"{name} ({bad.why}) was audited; expected {sorted(bad.codes)}"
    if bad.check is not None:
        bad.check(result)


def test_zip_archives_are_not_reports_for_audit_check(corpus):
    for b in ZIPS:
        with pytest.raises(AuditError) as err:
            pipeline.read(corpus[b.name])
        assert err.value.code == "unsupported" and "unpack it" in err.value.reason


def test_audit_check_lists_every_bad_file_on_one_line_and_audits_the_good_one(corpus, tmp_path, monkeypatch):
    from audit.cli import cli

    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    out = tmp_path / "memos"
    failing = [b.name for b in CORPUS + ZIPS if "ok" not in b.codes]
    good = SAMPLES / "2024_county_old_other_row.txt"
    args = ["check", "--no-narrative", "-o", str(out), "--format", "md,json,html", "--date", "2025-03-01",
            str(good), *[str(corpus[n]) for n in failing]]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 1
    lines = [ln for ln in res.stderr.splitlines() if ln]
    assert len(lines) == len(failing), res.stderr
    for name, line in zip(failing, lines):
        assert line.startswith(f"audit: {corpus[name]}: "), line
        assert "internal error" not in line, line
    assert sorted(p.name for p in out.iterdir()) == [f"{good.name}.{f}" for f in ("html", "json", "md")]
    assert not any(work.iterdir()), "audit check wrote into the working folder"


def test_batch_over_the_bad_corpus_and_the_good_samples(corpus, tmp_path, monkeypatch):
    """Every good sample and every good archive member is audited; every bad file and member has its
    error row with a one-line reason and the expected code; zip members never land outside OUT."""
    from audit.batch.store import Store

    root = tmp_path / "run"
    bad_dir = corpus["truncated.pdf"].parent
    samples = [p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".html", ".txt")]
    out = root / "out"
    cwd = root / "cwd"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    before = _tree(tmp_path, skip=out), _tree(bad_dir.parent)
    escaped = Path("/tmp/report-audit-escaped.txt")
    escaped.unlink(missing_ok=True)

    from audit.cli import cli

    res = CliRunner().invoke(cli, ["batch", str(bad_dir), str(SAMPLES), "-o", str(out), "--no-narrative", "-q",
                                   "--format", "json", "--jobs", "1", "--timeout", "120", "--max-memory", "1024"],
                             catch_exceptions=False)
    assert res.exit_code == 1, res.output

    with Store(out) as store:
        done = {r["path"] for r in store.query("SELECT path FROM reports")}
        errors = {r["path"]: (r["code"], r["reason"]) for r in store.query("SELECT path, code, reason FROM errors")}
    # the good samples, the bad files that only look bad, and the good members of the archives
    expected_ok = {f"samples/{p.name}" for p in samples}
    expected_ok |= {f"bad/{b.name}" for b in CORPUS if b.codes == {"ok"}}
    expected_ok |= {"bad/traversal.zip/reports/good.txt", "bad/bomb.zip/good.txt"}
    assert expected_ok <= done, sorted(expected_ok - done)
    for b in CORPUS:
        key = f"bad/{b.name}"
        if key in errors:
            code, reason = errors[key]
            assert code in b.codes, (key, code, reason)
        else:
            assert key in done and "ok" in b.codes, key
    for key, (code, reason) in errors.items():
        assert reason and "\n" not in reason and "internal error" not in reason, (key, reason)
        assert code not in ("crash", "timeout", "memory", "internal"), (key, code, reason)
    unsafe = {k for k, (code, _) in errors.items() if k.startswith("bad/traversal.zip/") and code == "unsafe"}
    assert unsafe == {"bad/traversal.zip/../escaped.txt", "bad/traversal.zip/../../../../tmp/report-audit-escaped.txt",
                      "bad/traversal.zip//tmp/report-audit-escaped.txt", "bad/traversal.zip/../windows/escaped.txt"}
    assert errors["bad/bomb.zip/bomb.txt"][0] == "too_large"
    # every failing file is listed on one line of its own with its reason
    assert sorted(res.stderr.splitlines()) == sorted(f"audit: {k}: {reason}" for k, (_, reason) in errors.items())
    # nothing written outside OUT: not beside the inputs, not in the working folder, not in /tmp
    assert (_tree(tmp_path, skip=out), _tree(bad_dir.parent)) == before
    assert not escaped.exists()
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
    memos = {p.relative_to(out / "memos").as_posix() for p in (out / "memos").rglob("*.json")}
    assert memos == {f"{k}.json" for k in done}
    assert all(json.loads((out / "memos" / m).read_text())["meta"] for m in memos)
    assert not [p for p in (out / "memos").rglob("*") if p.name.startswith(".")]
    assert os.listdir(cwd) == []
    # the summaries quote the formula-like sentence as text, never as a formula
    from openpyxl import load_workbook

    from tests.badinput.corpus import FORMULA

    csv_text = (out / "summary" / "findings.csv").read_text(encoding="utf-8-sig")
    assert FORMULA.replace('"', '""') in csv_text
    assert not [ln for ln in csv_text.splitlines() if ",=" in ln or ln.startswith("=")]
    book = load_workbook(out / "summary" / "summary.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(c.value, str) and c.value.startswith(FORMULA) for c in cells)
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_audit_check_stops_a_file_past_its_time_and_goes_on(tmp_path, monkeypatch):
    """A file whose audit never ends (here: a stand-in that sleeps forever) fails with a one-line time
    limit, and the next file is audited."""
    import time

    from audit import pipeline as pl
    from audit.cli import cli

    real = pl.audit

    def audit(path, **kw):
        if Path(path).name == "hang.txt":
            while True:
                time.sleep(0.05)
        return real(path, **kw)

    good = SAMPLES / "2024_county_old_other_row.txt"
    real(good, narrative=False)  # imports, rules and rubric loaded: the good file then takes well under a second
    monkeypatch.setattr(pl, "audit", audit)
    hang = tmp_path / "hang.txt"
    hang.write_text("一、总体情况\n", encoding="utf-8")
    out = tmp_path / "memos"
    res = CliRunner().invoke(cli, ["check", "--no-narrative", "--timeout", "5", "-o", str(out), "--format", "json",
                                   str(hang), str(good)], catch_exceptions=False)
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [f"audit: {hang}: time limit: no result within 5 s; the file was skipped"]
    assert [p.name for p in out.iterdir()] == [f"{good.name}.json"]


def test_pages_repeating_one_content_stream_stop_at_the_character_bound(tmp_path, monkeypatch):
    """A small file whose pages all show one long content stream: reading stops at ``MAX_CHARS`` with
    TooLarge (lowered here to 20,000 so the test reads 21 pages, not 100)."""
    from audit.errors import TooLarge
    from audit.ingest import pdf as pdf_ingest
    from tests.badinput.corpus import repeated_stream

    monkeypatch.setattr(pdf_ingest, "MAX_CHARS", 20_000)
    path = tmp_path / "repeated.pdf"
    path.write_bytes(repeated_stream(pages=60, per_page=1_000))
    with pytest.raises(TooLarge) as err:
        pipeline.read(path)
    assert err.value.reason == ("the PDF holds more than 20,000 characters by page 21 (pages repeating one content "
                                "stream?); reports hold far fewer")
