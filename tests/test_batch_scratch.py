"""Worker scratch (copies of the reports) is removed when a worker is killed for time or memory, and a
run removes what a killed run left behind (``$TMPDIR/audit-worker-<pid>-*`` of a worker that is gone)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from audit.batch.worker import clean_stale_scratch
from tests._batch_helpers import AUDITOR, fixture_text, write_fixtures

ROOT = Path(__file__).resolve().parents[1]

_RUN = """
import sys, datetime
from audit.batch.run import BatchOptions, run_batch
r = run_batch([sys.argv[2]], sys.argv[1], BatchOptions(auditor=%r, progress=False, timeout=3, max_memory_mb=250,
              today=datetime.date(2025, 1, 1)))
print(len(r.failures))
""" % AUDITOR


def test_scratch_of_killed_workers_is_removed(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dead = tmp / "audit-worker-999999999-x1"  # no such pid: a worker killed by an earlier run
    (dead / "in").mkdir(parents=True)
    (dead / "in" / "report.txt").write_text("a copy of a report")
    live = tmp / f"audit-worker-{os.getpid()}-x2"  # this process is alive: left alone
    live.mkdir()
    other = tmp / "unrelated"
    other.mkdir()
    src = write_fixtures(tmp_path / "in", {
        "slow.txt": fixture_text(agency="慢局", year=2023, behave="sleep 60"),
        "hog.txt": fixture_text(agency="大局", year=2023, behave="allocate 600"),
        "ok.txt": fixture_text(agency="好局", year=2023),
    })
    env = dict(os.environ, TMPDIR=str(tmp),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    res = subprocess.run([sys.executable, "-c", _RUN, str(tmp_path / "out"), str(src)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.stdout.strip() == "2", res.stderr  # the slow and the greedy file failed
    left = sorted(p.name for p in tmp.iterdir())
    assert left == sorted([live.name, "unrelated"]), left
    assert clean_stale_scratch(tmp) == []
