"""Doing less per run without checking less: workers launched ahead of the run's own start-up serve its
files (and are stopped at once when there is nothing to audit); the parent's head start on the later
steps (``prepare_derived``) only loads; a worker's memos rendered with its cached templates are the bytes
a fresh process renders."""
from __future__ import annotations

import datetime as _dt
import os
import sys
import time

import psutil

from audit.batch.messages import Done, Task
from audit.batch.sandbox import SandboxPool, WorkerSpec
from tests._batch_helpers import AUDITOR, fixture_text, run_fixture_batch, write_fixtures


def _spec() -> WorkerSpec:
    return WorkerSpec(auditor=AUDITOR, options={"formats": ("json",), "lang": "zh", "today": _dt.date(2025, 1, 1)},
                      sys_path=tuple(p for p in sys.path if p and os.path.isdir(p)))


def test_a_worker_launched_ahead_audits_the_first_file():
    pool = SandboxPool(_spec())
    pool.prestart(1)
    launched = pool._spare[0].proc.pid
    try:
        box = pool.get()
        assert box.proc.pid == launched and not pool._spare
        text = fixture_text(agency="青山区教育局", year=2023)
        reply = box.run(Task("a.txt", "a.txt", text.encode("utf-8")))
        assert isinstance(reply, Done) and reply.work["worker"] == str(launched)
    finally:
        pool.close()
    assert not psutil.pid_exists(launched) or psutil.Process(launched).status() == psutil.STATUS_ZOMBIE


def test_workers_launched_ahead_and_not_needed_are_stopped_at_once():
    pool = SandboxPool(_spec())
    pool.prestart(2)
    pids = [b.proc.pid for b in pool._spare]
    t0 = time.monotonic()
    pool.close()
    assert time.monotonic() - t0 < 3  # killed, not waited for through their start-up
    for pid in pids:
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_resumed_run_with_nothing_to_audit_leaves_no_worker_behind(tmp_path):
    src = write_fixtures(tmp_path / "in", {"a.txt": fixture_text(agency="青山区教育局", year=2023)})
    out = tmp_path / "out"
    assert run_fixture_batch([str(src)], str(out)).audited == 1
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    again = run_fixture_batch([str(src)], str(out))
    assert again.audited == 0 and again.skipped == 1
    left = {p.pid for p in psutil.Process().children(recursive=True)
            if p.status() != psutil.STATUS_ZOMBIE} - before
    assert not left


def test_the_head_start_only_loads():
    from audit.batch.run import prepare_derived

    prepare_derived(("md", "json"), "zh")
    render = sys.modules["audit.memo.render"]
    assert render.template.cache_info().currsize >= 1
    import datasketch  # noqa: F401 - imported by the head start
    assert "openpyxl" in sys.modules


_RENDER = """
import hashlib, sys, datetime as dt
from pathlib import Path
from audit.batch.auditor import PipelineAuditor
a = PipelineAuditor({"formats": ("md", "html", "json"), "lang": "zh", "today": dt.date(2025, 1, 1), "cache": False})
memos = a.render_memos(a.audit(Path(sys.argv[1])))
print(" ".join(f"{k}:{hashlib.sha256(v).hexdigest()}" for k, v in sorted(memos.items())))
"""


def test_a_worker_renders_with_its_cached_templates_the_bytes_a_fresh_process_renders():
    import hashlib
    import subprocess
    from pathlib import Path

    from audit.batch.auditor import PipelineAuditor

    sample = Path(__file__).resolve().parent.parent / "corpora" / "samples" / "2024_county_old_other_row.txt"
    a = PipelineAuditor({"formats": ("md", "html", "json"), "lang": "zh", "today": _dt.date(2025, 1, 1),
                         "cache": False})
    other = sample.with_name("2020_department_page_break.txt")
    a.render_memos(a.audit(other))  # the templates are compiled and cached on another report first
    memos = a.render_memos(a.audit(sample))
    again = a.render_memos(a.audit(sample))
    assert memos == again and set(memos) == {"md", "html", "json"}
    fresh = subprocess.run([sys.executable, "-c", _RENDER, str(sample)], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))
    assert fresh.stdout.split() == [f"{k}:{hashlib.sha256(v).hexdigest()}" for k, v in sorted(memos.items())]
