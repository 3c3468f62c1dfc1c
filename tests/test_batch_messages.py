"""Results cross the worker boundary as typed messages (audit.batch.messages), told apart by type."""
from __future__ import annotations

import pickle
from pathlib import Path

from audit.batch.executors import task_of
from audit.batch.inputs import Input
from audit.batch.messages import Done, Failed, Task
from audit.batch.worker import run_task
from audit.errors import AuditError


class _Auditor:
    def __init__(self, fail: Exception | None = None):
        self.fail = fail

    def audit(self, path: Path):
        if self.fail:
            raise self.fail
        raise AssertionError("not reached")


def test_a_worker_answers_a_failure_as_a_typed_message(tmp_path):
    task = Task("root/a.pdf", "a.pdf", b"%PDF-")
    bad = run_task(_Auditor(AuditError("the file is damaged")), task, tmp_path)
    assert isinstance(bad, Failed) and (bad.key, bad.code, bad.reason) == ("root/a.pdf", AuditError.code,
                                                                           "the file is damaged")
    assert set(bad.work) == {"seconds", "peak_rss_mb", "worker"}
    internal = run_task(_Auditor(ZeroDivisionError("x")), task, tmp_path)
    assert isinstance(internal, Failed) and internal.code == "internal" and "ZeroDivisionError" in internal.reason
    assert pickle.loads(pickle.dumps(bad)) == bad  # what the pipe carries


def test_an_input_becomes_a_task_or_fails_before_any_worker(tmp_path):
    present = tmp_path / "b.txt"
    present.write_bytes(b"text")
    assert task_of(Input(key="root/b.txt", path=present)) == Task("root/b.txt", "b.txt", b"text")
    gone = task_of(Input(key="root/missing.txt", path=tmp_path / "missing.txt"))
    assert isinstance(gone, Failed) and gone.key == "root/missing.txt" and "cannot read" in gone.reason
    assert gone.work is None and not isinstance(Done("k", {}, {}), Failed)
