"""The same batch on a Dask LocalCluster gives the local run's store, summaries and memos."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.batch.store import Store
from tests._batch_helpers import fixture_text, run_fixture_batch, series, write_fixtures

distributed = pytest.importorskip("distributed")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dask_local_cluster_matches_local_run(tmp_path):
    files = series(3)
    key = "2023/青山区财政局.txt"  # a carry-over break: its memo is rendered again after the cross checks
    files[key] = "".join("t3.carried_in.natural: 9\n" if ln.startswith("t3.carried_in.natural:") else ln
                         for ln in files[key].splitlines(keepends=True))
    files["bad/corrupt.txt"] = fixture_text(agency="坏局", year=2023, behave="fail broken cross-reference table")
    src = write_fixtures(tmp_path / "in", files)
    run_fixture_batch([str(src)], str(tmp_path / "local"), jobs=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        report = run_fixture_batch([str(src)], str(tmp_path / "dask"), jobs=2, executor="dask",
                                   scheduler=cluster.scheduler_address)
    assert report.audited == 6 and [k for k, _ in report.failures] == ["in/bad/corrupt.txt"]
    with Store(tmp_path / "local") as a, Store(tmp_path / "dask") as b:
        assert a.dump() == b.dump()
        assert b.query("SELECT executor FROM runs")[0]["executor"] == "dask"
    assert _tree(tmp_path / "local" / "summary") == _tree(tmp_path / "dask" / "summary")
    assert _tree(tmp_path / "local" / "memos") == _tree(tmp_path / "dask" / "memos")
    assert "XY-CARRY" in (tmp_path / "dask" / "memos" / "in" / f"{key}.md").read_text(encoding="utf-8")
