"""The batch runner's mechanics with the fixture auditor: limits, failures, zip safety, memo names, resume."""
from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from audit.batch.store import Store
from tests._batch_helpers import fixture_text, run_fixture_batch, series, write_fixtures


def _errors(out: Path) -> dict[str, tuple[str, str]]:
    db = sqlite3.connect(out / "audit.sqlite")
    return {p: (c, r) for p, c, r in db.execute("SELECT path, code, reason FROM errors")}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    src = root / "in"
    files = {f"good/{k}": v for k, v in list(series(2).items())}
    files.update({
        "same/report.txt": fixture_text(agency="甲局", year=2023, sections={5: "甲"}),
        "same/report.md": fixture_text(agency="乙局", year=2023, sections={5: "乙"}),
        "bad/slow.txt": fixture_text(agency="慢局", year=2023, behave="sleep 60"),
        "bad/hog.txt": fixture_text(agency="大局", year=2023, behave="allocate 3000"),
        "bad/grow.txt": fixture_text(agency="涨局", year=2023, behave="allocate 280"),
        "bad/crash.txt": fixture_text(agency="崩局", year=2023, behave="crash"),
        "bad/corrupt.txt": fixture_text(agency="坏局", year=2023, behave="fail the file is truncated"),
    })
    write_fixtures(src, files)
    (src / "bad" / "legacy.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (src / "logo.png").write_bytes(b"\x89PNG")
    with zipfile.ZipFile(src / "arch.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok/one.txt", fixture_text(agency="丙局", year=2023, sections={5: "丙"}))
        zf.writestr("../evil.txt", fixture_text(agency="恶局", year=2023))
        zf.writestr("/abs.txt", fixture_text(agency="恶局", year=2023))
        zf.writestr("ok/bomb.txt", b"0" * (20 * 2**20))
    out = root / "out"
    log = root / "audits.log"
    import os

    os.environ["BATCH_TEST_LOG"] = str(log)
    try:
        report = run_fixture_batch([str(src)], str(out), jobs=2, timeout=4, max_memory_mb=250)
        first_log = log.read_text().splitlines()
        again = run_fixture_batch([str(src)], str(out), jobs=2, timeout=4, max_memory_mb=250)
        second_log = log.read_text().splitlines()
    finally:
        del os.environ["BATCH_TEST_LOG"]
    return root, out, report, again, first_log, second_log


def test_every_failure_is_recorded_with_its_reason(mixed):
    root, out, report, *_ = mixed
    errs = _errors(out)
    assert errs["in/bad/slow.txt"][0] == "timeout" and "time limit" in errs["in/bad/slow.txt"][1]
    assert errs["in/bad/hog.txt"][0] == "memory"
    assert errs["in/bad/grow.txt"][0] == "memory" and "250 MB" in errs["in/bad/grow.txt"][1]
    assert errs["in/bad/crash.txt"][0] == "crash" and "signal 11" in errs["in/bad/crash.txt"][1]
    assert errs["in/bad/corrupt.txt"] == ("corrupt", "the file is truncated")
    assert errs["in/bad/legacy.doc"][0] == "unsupported"
    assert errs["in/arch.zip/ok/bomb.txt"][0] == "too_large" and "bomb" in errs["in/arch.zip/ok/bomb.txt"][1]
    assert "in/logo.png" not in errs and report.ignored == 1
    assert sorted(k for k, _ in report.failures) == sorted(errs)
    # the run went on: every good file is in
    db = sqlite3.connect(out / "audit.sqlite")
    paths = {p for (p,) in db.execute("SELECT path FROM reports")}
    assert paths == {f"in/good/{k}" for k in series(2)} | {"in/same/report.txt", "in/same/report.md",
                                                          "in/arch.zip/ok/one.txt"}


def test_zip_escape_refused_and_nothing_written_outside_out(mixed):
    root, out, *_ = mixed
    errs = _errors(out)
    unsafe = {k: v for k, v in errs.items() if v[0] == "unsafe"}
    assert len(unsafe) == 2
    assert any("'..'" in r for _, r in unsafe.values()) and any("absolute" in r for _, r in unsafe.values())
    assert not list(root.rglob("evil.txt")) and not Path("/abs.txt").exists()
    assert all(out.resolve() in p.resolve().parents for p in (out / "memos").rglob("*"))


def test_memos_mirror_paths_and_never_collide(mixed):
    _, out, *_ = mixed
    txt = (out / "memos/in/same/report.txt.json").read_text()
    md = (out / "memos/in/same/report.md.json").read_text()
    assert "甲局" in txt and "乙局" in md
    assert (out / "memos/in/arch.zip/ok/one.txt.md").is_file()
    assert not list(out.rglob("*.partial"))


def test_resume_skips_everything_already_done(mixed):
    _, out, report, again, first_log, second_log = mixed
    assert report.audited == 7 and again.audited == 0
    assert again.skipped == 7 + 5  # the reports and the recorded failures of the same content
    assert first_log == second_log[: len(first_log)] and len(second_log) == len(first_log)
    runs = sqlite3.connect(out / "audit.sqlite").execute("SELECT status, audited FROM runs ORDER BY id").fetchall()
    assert runs == [("complete", 7), ("complete", 0)]


def test_changed_content_is_audited_again(tmp_path):
    src = write_fixtures(tmp_path / "in", series(1))
    out = tmp_path / "out"
    run_fixture_batch([str(src)], str(out))
    f = next(src.rglob("*.txt"))
    f.write_text(f.read_text() + "finding: T3-ROW-SUM error\n", encoding="utf-8")
    again = run_fixture_batch([str(src)], str(out))
    assert (again.audited, again.skipped) == (1, 1)
    with Store(out) as store:
        rows = store.query("SELECT r.path, f.rule_id FROM findings f JOIN reports r ON r.id = f.report_id"
                           " WHERE f.scope = 'report'")
    assert [(r["path"], r["rule_id"]) for r in rows] == [(f"in/{f.relative_to(src).as_posix()}", "T3-ROW-SUM")]



def test_a_resumed_run_with_nothing_new_leaves_the_derived_outputs_alone(tmp_path):
    """Cross-report checks, memos and summaries are made again only when something they are made from
    changed (a new or re-audited report, a failure, a review decision, the rules, the memo options)."""
    import datetime as dt

    from audit.batch import summaries
    from audit.batch.run import BatchOptions, run_batch
    from corpora.generator import random_report, render
    from corpora.generator.defects import inject

    src = tmp_path / "in"
    src.mkdir()
    (src / "clean.txt").write_bytes(render(random_report("2021", 1), "txt"))
    wrong, _ = inject(random_report("2021", 2), "changed_cell", 2)
    (src / "wrong.txt").write_bytes(render(wrong, "txt"))
    out = tmp_path / "out"
    opts = BatchOptions(progress=False, narrative=False, today=dt.date(2026, 1, 1))
    run_batch([src], out, opts)
    stamps = {p: p.stat().st_mtime_ns for p in summaries.paths(out)}

    again = run_batch([src], out, opts)
    assert again.audited == 0 and again.summaries == summaries.paths(out)
    assert {p: p.stat().st_mtime_ns for p in summaries.paths(out)} == stamps

    with Store(out) as store:
        path, fp = store.db.execute("SELECT r.path, f.fingerprint FROM findings f JOIN reports r ON r.id = f.report_id"
                                    " ORDER BY r.path LIMIT 1").fetchone()
        store.add_review(path, fp, "dismiss", "审核员")
    run_batch([src], out, opts)
    assert {p: p.stat().st_mtime_ns for p in summaries.paths(out)} != stamps
    assert "dismiss" in (out / "summary" / "findings.csv").read_text(encoding="utf-8-sig")
