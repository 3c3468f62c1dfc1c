"""Long names and control characters: memo and temporary names stay within 255 bytes (a hash when longer),
control characters (ESC, BEL) never reach a file name, the terminal or any memo format."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import cli
from audit.names import bounded_name, visible
from tests._batch_helpers import fixture_text, run_fixture_batch

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
LONG = "政" * 80  # 240 bytes: a legal name, 244 with .pdf
CONTROLS = (b"\x1b", b"\x07")


def _memo_bytes(path: Path) -> bytes:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as zf:
            return b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    return path.read_bytes()


def test_bounded_name():
    assert bounded_name("report.pdf", ".md") == "report.pdf.md"
    long = bounded_name(LONG + ".pdf", ".docx")
    assert long == LONG + ".pdf.docx"  # 250 bytes: it fits, unchanged
    longer = bounded_name("政" * 90 + ".pdf", ".json")
    assert len(longer.encode()) <= 255 and longer.endswith(".json") and "~" in longer
    assert longer != bounded_name("政" * 90 + ".txt", ".json")  # the hash keeps them apart
    assert bounded_name("a\x1bb\x07", ".md") == "a␛b␇.md"
    assert visible("x\x1b[2Jy\x07\x7f\x85", one_line=True) == "x␛[2Jy␇␡\ufffd"


@pytest.fixture(scope="module")
def controlled(tmp_path_factory):
    """A text report whose title and file name carry ESC and BEL, and a PDF under an 80-character name."""
    root = tmp_path_factory.mktemp("names")
    src = root / "in"
    src.mkdir()
    raw = (SAMPLES / "2024_county_old_other_row.txt").read_bytes()
    from charset_normalizer import from_bytes

    text = str(from_bytes(raw).best())
    first, rest = text.split("\n", 1)
    (src / "bad\x1b[2J\x07name.txt").write_text(first[:6] + "\x1b[31m\x07" + first[6:] + "\n" + rest, encoding="utf-8")
    shutil.copy(SAMPLES / "2020_district_plain.pdf", src / f"{LONG}.pdf")
    return root, src


def test_check_writes_every_format_without_control_characters(controlled):
    root, src = controlled
    out = root / "memos"
    res = CliRunner().invoke(cli, ["check", *map(str, sorted(src.iterdir())), "-o", str(out),
                                   "--format", "md,html,json,docx", "--no-narrative", "--no-cache"])
    assert res.exit_code == 0, res.output
    assert not any(c.decode() in res.output for c in CONTROLS)
    assert "bad␛[2J␇name.txt" in res.output
    memos = sorted(out.iterdir())
    assert len(memos) == 8, [p.name for p in memos]
    for p in memos:
        assert len(p.name.encode()) <= 255
        assert not any(c.decode() in p.name for c in CONTROLS)
        data = _memo_bytes(p)
        assert not any(c in data for c in CONTROLS), p.name
    md = next(p for p in memos if p.name.startswith("bad") and p.suffix == ".md").read_text()
    assert "␛" in md  # shown as such


def test_batch_with_long_and_controlled_names(tmp_path):
    arch = tmp_path / "arch.zip"
    with zipfile.ZipFile(arch, "w") as zf:
        zf.writestr(f"{LONG}.pdf", fixture_text(agency="长局", year=2023))
        zf.writestr("政" * 100 + ".txt", fixture_text(agency="更长局", year=2023))  # 304 bytes: over a file name
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"{LONG}.pdf").write_text(fixture_text(agency="长局", year=2022))
    (folder / "ctl\x1b\x07.txt").write_text(fixture_text(agency="控局", year=2022))
    out = tmp_path / "out"
    for _ in range(2):  # and a rerun
        report = run_fixture_batch([str(arch), str(folder)], str(out), formats=("md", "json"))
        assert report.failures == []
    assert report.skipped == 4
    names = [p.name for p in (out / "memos").rglob("*") if p.is_file()]
    assert len(names) == 8
    assert all(len(n.encode()) <= 255 and "\x1b" not in n and "\x07" not in n for n in names), names
    assert not list((out / "memos").rglob("*.partial"))
