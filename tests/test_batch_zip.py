"""Archive members keyed by their exact names and read by their own directory entry: names that read as one
are all refused and listed, drive-relative names refused, every skipped member counted and listed."""
from __future__ import annotations

import sqlite3
import warnings
import zipfile
from pathlib import Path

from audit.batch.inputs import Input, discover
from tests._batch_helpers import fixture_text, run_fixture_batch


def _zip(path: Path, members: list[tuple[str, str | bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the test
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return path


def test_names_that_read_as_one_are_all_refused_and_listed(tmp_path):
    arch = _zip(tmp_path / "arch.zip", [
        ("a/report.txt", fixture_text(agency="甲局", year=2023)),
        ("a/report.txt", fixture_text(agency="乙局", year=2023)),
        ("a//report.txt", fixture_text(agency="丙局", year=2023)),
        ("A/REPORT.TXT", fixture_text(agency="丁局", year=2023)),
        ("C:evil.txt", fixture_text(agency="恶局", year=2023)),
        ("b/ok.txt", fixture_text(agency="好局", year=2023)),
        ("b/logo.png", b"\x89PNG"),
        ("b/odd.pdf.", b"%PDF-1.4"),
    ])
    found = discover([arch])
    assert [i.key for i in found.inputs] == ["arch.zip/b/ok.txt"]
    refused = {r.key: r for r in found.refused}
    assert set(refused) == {"arch.zip/a/report.txt", "arch.zip/a/report.txt~2", "arch.zip/a//report.txt",
                            "arch.zip/A/REPORT.TXT", "arch.zip/C:evil.txt"}
    for key in ("arch.zip/a/report.txt", "arch.zip/a/report.txt~2", "arch.zip/A/REPORT.TXT"):
        assert refused[key].code == "unsafe"
        assert "4 members whose names read as one" in refused[key].reason
        assert "'a//report.txt' (entry 3)" in refused[key].reason
    assert "drive letter" in refused["arch.zip/C:evil.txt"].reason
    assert found.ignored_keys == ["arch.zip/b/logo.png", "arch.zip/b/odd.pdf."] and found.ignored == 2

    out = tmp_path / "out"
    report = run_fixture_batch([str(arch)], str(out))
    assert report.audited == 1 and report.inputs == 6 and report.ignored == 2
    assert (out / "summary" / "ignored.txt").read_text().splitlines() == found.ignored_keys
    db = sqlite3.connect(out / "audit.sqlite")
    assert [r[0] for r in db.execute("SELECT agency FROM reports")] == ["好局"]
    errors = dict(db.execute("SELECT path, code FROM errors"))
    assert set(errors) == set(refused)  # every refusal stays recorded; none is replaced by an audit
    assert {k for k, _ in report.failures} == set(refused)
    again = run_fixture_batch([str(arch)], str(out))  # and a rerun keeps them
    assert again.audited == 0 and set(dict(sqlite3.connect(out / "audit.sqlite").execute(
        "SELECT path, code FROM errors"))) == set(refused)


def test_each_member_is_read_by_its_own_entry(tmp_path):
    arch = _zip(tmp_path / "dup.zip", [("r.txt", "first"), ("r.txt", "second")])
    assert Input("k", arch, "r.txt", 0).read() == b"first"
    assert Input("k", arch, "r.txt", 1).read() == b"second"
    try:
        Input("k", arch, "r.txt").read()  # by name alone it is ambiguous: refused, not the last one
    except Exception as exc:  # noqa: BLE001
        assert "2 entries named" in str(exc)
    else:
        raise AssertionError("an ambiguous name was read")
