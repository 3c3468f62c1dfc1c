"""kill -9 half-way, then the same command: the same store and summaries as an uninterrupted run, and no
report that was finished before the kill is audited again."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from audit.batch.store import Store
from tests._batch_helpers import run_fixture_batch, series, write_fixtures

ROOT = Path(__file__).resolve().parents[1]


def _committed(out: Path) -> set[str]:
    try:
        db = sqlite3.connect(f"file:{out / 'audit.sqlite'}?mode=ro", uri=True, timeout=1)
        return {f"{a}/{y}" for a, y in db.execute("SELECT agency, year FROM reports")}
    except sqlite3.Error:
        return set()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_kill_9_then_resume_matches_an_uninterrupted_run(tmp_path):
    files = series(8)  # 16 reports; one carry-over break, so a memo is rendered again after the cross checks
    key = "2023/青山区财政局.txt"
    files[key] = "".join("t3.carried_in.natural: 9\n" if ln.startswith("t3.carried_in.natural:") else ln
                         for ln in files[key].splitlines(keepends=True))
    src = write_fixtures(tmp_path / "in", files)
    n = 16
    reference = tmp_path / "reference"
    run_fixture_batch([str(src)], str(reference), jobs=2)

    out = tmp_path / "out"
    log = tmp_path / "audits.log"
    env = dict(os.environ, BATCH_TEST_LOG=str(log), BATCH_TEST_DELAY="0.4",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "tests._batch_helpers", str(out), str(src), "--jobs", "2"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 240
    while len(_committed(out)) < n // 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its workers, at once
    proc.wait()
    finished = _committed(out)
    assert 0 < len(finished) < n, "the kill should land half-way"
    audited_before = log.read_text().splitlines()

    env["BATCH_TEST_DELAY"] = "0"
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=300)

    audited = log.read_text().splitlines()
    resumed = audited[len(audited_before):]
    assert not finished & set(resumed), "a report finished before the kill was audited again"
    assert set(resumed) == _committed(out) - finished and len(resumed) == n - len(finished)
    with Store(reference) as a, Store(out) as b:
        assert a.dump() == b.dump()
        runs = b.query("SELECT status FROM runs ORDER BY id")
        assert [r["status"] for r in runs] == ["running", "complete"]  # the killed run stays 'running'
    assert _tree(reference / "summary") == _tree(out / "summary")
    assert _tree(reference / "memos") == _tree(out / "memos")
    assert "XY-CARRY" in (out / "memos" / "in" / f"{key}.md").read_text(encoding="utf-8")
