"""Two runs into one OUT, migrations raced, a damaged store, an OUT that cannot be written: each ends in one
line, and the store ends as one uninterrupted run leaves it."""
from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audit.batch.store import MIGRATIONS, SCHEMA_VERSION, Store, _statements
from tests._batch_helpers import AUDITOR, run_fixture_batch, series, write_fixtures

ROOT = Path(__file__).resolve().parents[1]

_CLI = """
import sys, datetime
from pathlib import Path
from audit.batch.cli import run_command
sys.exit(run_command(sys.argv[2:], Path(sys.argv[1]), formats="md,json", auditor=%r, jobs=1, progress=False, max_memory=1024, extra_rules=(),
                     today=datetime.date(2025, 1, 1)))
""" % AUDITOR


def _cli(out: Path, *inputs: str, env: dict | None = None, wait: bool = True):
    env = dict(env or os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    args = [sys.executable, "-c", _CLI, str(out), *inputs]
    if not wait:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("conc")
    src = write_fixtures(root / "in", series(3))  # 6 reports over two years: cross-report checks pair them
    reference = root / "reference"
    run_fixture_batch([str(src)], str(reference))
    with Store(reference) as store:
        dump = store.dump()
    return root, src, dump


def _dump(out: Path) -> str:
    with Store(out) as store:
        return store.dump()


def test_two_runs_into_one_out_one_refuses_and_the_store_is_one_runs(archive, tmp_path):
    root, src, reference = archive
    out = tmp_path / "out"
    env = dict(os.environ, BATCH_TEST_DELAY="1.5")  # the first run holds OUT for 9 s or more
    first = _cli(out, str(src), env=env, wait=False)
    deadline = time.monotonic() + 60
    while not (out / ".audit.lock").exists() and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)
    second = _cli(out, str(src), env=env)  # started while the first holds OUT
    out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "another audit batch is writing this run folder" in lines[0], second.stderr
    assert str(out) in lines[0] and "pid" in lines[0]
    assert _dump(out) == reference
    third = _cli(out, str(src))  # the run that follows sees a finished, whole store
    assert third.returncode == 0, third.stderr
    assert "6 already done" in third.stdout
    assert _dump(out) == reference


def test_two_runs_started_together_end_as_one(archive, tmp_path):
    root, src, reference = archive
    out = tmp_path / "out"
    procs = [_cli(out, str(src), wait=False) for _ in range(2)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    codes = sorted(rc for _, _, rc in results)
    assert codes in ([0, 0], [0, 2]), results  # the second either refused or came after the first
    for _, err, rc in results:
        if rc == 2:
            assert len(err.strip().splitlines()) == 1 and "another audit batch" in err
    assert _dump(out) == reference


def _open(out: str) -> int:
    with Store(out) as store:
        return store.db.execute("PRAGMA user_version").fetchone()[0]


def test_migrations_are_safe_to_race(tmp_path):
    # a store of schema version 1, as an old tool left it: four processes open (and migrate) it at once
    out = tmp_path / "old"
    out.mkdir()
    db = sqlite3.connect(out / "audit.sqlite")
    for stmt in _statements(MIGRATIONS[0]):
        db.execute(stmt)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        versions = pool.map(_open, [str(out)] * 4)
    assert versions == [SCHEMA_VERSION] * 4
    cols = {r[1] for r in sqlite3.connect(out / "audit.sqlite").execute("PRAGMA table_info(reports)")}
    assert {"versions", "memo_state"} <= cols
    # and a new store made by four at once
    fresh = tmp_path / "fresh"
    with ctx.Pool(4) as pool:
        assert pool.map(_open, [str(fresh)] * 4) == [SCHEMA_VERSION] * 4


def _truncate(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[:len(data) // 2])


def _random(p: Path) -> None:
    p.write_bytes(random.Random(7).randbytes(p.stat().st_size))


def _scramble(p: Path) -> None:
    data = bytearray(p.read_bytes())
    page = 4096
    pages = [bytes(data[i:i + page]) for i in range(page, len(data), page)]  # keep the header page
    random.Random(3).shuffle(pages)
    p.write_bytes(bytes(data[:page]) + b"".join(pages))


@pytest.mark.parametrize("damage", [_truncate, _random, _scramble], ids=["truncated", "random", "scrambled"])
def test_a_damaged_store_is_set_aside_and_rebuilt(archive, tmp_path, damage):
    root, src, reference = archive
    out = tmp_path / "out"
    run_fixture_batch([str(src)], str(out))
    with Store(out) as store:  # everything in the main file, so the damage hits the data
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(out / "audit.sqlite")
    before = (out / "audit.sqlite").read_bytes()
    res = _cli(out, str(src))
    assert res.returncode == 0, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "the store is damaged" in lines[0] and "set aside as audit.sqlite.damaged-" in lines[0]
    assert "rebuilt from the inputs" in lines[0]
    aside = list(out.glob("audit.sqlite.damaged-*"))
    assert [p for p in aside if not p.name.endswith(("-wal", "-shm"))][0].read_bytes() == before  # never deleted
    assert _dump(out) == reference
    again = _cli(out, str(src))  # whole now: no line, nothing to do
    assert again.returncode == 0 and again.stderr == "", again.stderr
    assert "6 already done" in again.stdout


def test_review_decisions_survive_a_damaged_store(archive, tmp_path):
    """Decisions are user data no run can make again: those still readable in a damaged store are kept."""
    root, src, reference = archive
    out = tmp_path / "out"
    run_fixture_batch([str(src)], str(out))
    with Store(out) as store:
        store.add_review("in/2023/青山区教育局.txt", "f" * 16, "dismiss", "王审核", "模板措辞", at="2025-01-02T03:04:05")
        store.add_review("in/2022/青山区财政局.txt", "e" * 16, "confirm", "李审核", at="2025-01-02T03:04:06")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = [p for (p,) in store.db.execute("SELECT pageno FROM dbstat WHERE name = 'findings_rule'")]
        page_size = store.db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray((out / "audit.sqlite").read_bytes())
    for p in pages:  # an index's pages overwritten: the store fails its check, the reviews table reads
        data[(p - 1) * page_size:p * page_size] = bytes(range(256)) * (page_size // 256)
    (out / "audit.sqlite").write_bytes(bytes(data))
    res = _cli(out, str(src))
    assert res.returncode == 0, res.stderr
    [line] = res.stderr.strip().splitlines()
    assert line.endswith("; its 2 review decision(s) kept"), line
    with Store(out) as store:
        rows = store.db.execute("SELECT report_path, fingerprint, decision, reviewer, comment, at FROM reviews"
                                " ORDER BY id").fetchall()
        paths = [p for (p,) in store.db.execute("SELECT path FROM reports ORDER BY path")]
    assert rows == [("in/2023/青山区教育局.txt", "f" * 16, "dismiss", "王审核", "模板措辞", "2025-01-02T03:04:05"),
                    ("in/2022/青山区财政局.txt", "e" * 16, "confirm", "李审核", None, "2025-01-02T03:04:06")]
    assert len(paths) == 6  # every report audited again (their memos now show the decisions)


def test_out_under_a_file_is_one_line(archive, tmp_path):
    root, src, _ = archive
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out in (blocker / "out", blocker):
        res = _cli(out, str(src))
        assert res.returncode == 2
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"audit: {out}: cannot"), res.stderr
        assert "Traceback" not in res.stderr


def test_a_read_only_out_is_one_line(archive, tmp_path, monkeypatch):
    root, src, _ = archive
    out = tmp_path / "ro"
    run_fixture_batch([str(src)], str(out))
    if os.getuid() == 0:  # root writes through file modes: stand in for a read-only disk
        monkeypatch.setattr("audit.batch.run._writable", lambda folder: False)
    else:
        for p in [out, *out.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
    from click.testing import CliRunner

    from audit.cli import cli
    try:
        res = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "-q"])
    finally:
        for p in [out, *out.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"audit: {out}: cannot write"), res.output
