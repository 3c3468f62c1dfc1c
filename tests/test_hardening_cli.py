"""Every error path of the CLI is one line naming the file and the reason: a memo folder or run folder
that cannot be made or written, two inputs that would write one memo, a library's own warnings."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import cli
from tests.badinput.corpus import font_without_bbox_pdf

ROOT = Path(__file__).resolve().parents[1]
GOOD = ROOT / "corpora" / "samples" / "2024_county_old_other_row.txt"


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


def test_two_inputs_with_one_base_name(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "report.txt").write_bytes(GOOD.read_bytes())
    (b / "report.txt").write_bytes(GOOD.read_bytes())
    out = tmp_path / "memos"
    res = CliRunner().invoke(cli, ["check", str(a / "report.txt"), str(b / "report.txt"), str(a / "report.txt"),
                                   "-o", str(out), "--no-narrative", "--no-cache"])
    assert res.exit_code == 1
    err = [ln for ln in _lines(res.output) if ln.startswith("audit:")]
    assert err == [f"audit: {b / 'report.txt'}: not audited: its memos would overwrite those of {a / 'report.txt'} "
                   "(the same file name); audit it with its own -o"]
    assert sorted(p.name for p in out.iterdir()) == ["report.txt.json", "report.txt.md"]
    assert str(a / "report.txt") in (out / "report.txt.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["check", "batch"])
def test_out_that_is_a_file_or_under_one(tmp_path, command):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out, why in ((blocker, "a file of that name is in the way"),
                     (blocker / "sub" / "out", "a part of its path is a file, not a folder")):
        res = CliRunner().invoke(cli, [command, str(GOOD), "-o", str(out)])
        assert res.exit_code == 2, res.output
        assert _lines(res.output) == [f"audit: {out}: cannot be the {'memo' if command == 'check' else 'run'} "
                                      f"folder: {why}"]


@pytest.mark.skipif(os.getuid() == 0, reason="root writes through file modes")
def test_check_into_a_read_only_folder(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        res = CliRunner().invoke(cli, ["check", str(GOOD), str(GOOD), "-o", str(out)])
    finally:
        out.chmod(0o755)
    assert res.exit_code == 2
    assert _lines(res.output) == [f"audit: {out}: cannot write the memo folder: Permission denied"]


def test_a_library_warning_adds_no_line(tmp_path):
    pdf = tmp_path / "font_without_bbox.pdf"
    pdf.write_bytes(font_without_bbox_pdf())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.pop("AUDIT_DEBUG", None)
    res = subprocess.run([sys.executable, "-m", "audit", "check", str(pdf), "-o", str(tmp_path / "m"),
                          "--no-narrative", "--no-cache"], capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert len(_lines(res.stdout)) == 1
