"""Helpers for the API, review and notebook tests: a small real run folder built with ``audit batch``.

:func:`write_archive` writes generated reports (never real report text): three agencies of two places over
two years, in text and HTML, each with one injected defect the checks find (a changed table cell, a text
figure that contradicts its table, a carry-over break, a copied section 五, a late publication).
:func:`run_batch` runs the ``audit batch`` command over it, as a user would, in a subprocess.

``python -m tests._api_helpers OUT`` builds such a run in ``OUT`` (the README's notebook screenshots
are taken from one).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDIT_DATE = "2025-06-01"


def write_archive(folder: Path) -> Path:
    """Generated reports under ``folder/reports``; returns that folder."""
    from corpora.generator import render, report_series
    from corpora.generator.defects import inject

    src = Path(folder) / "reports"
    edu = report_series("青山区教育局", [2022, 2023], seed=21)
    edu[0], _ = inject(edu[0], "changed_cell", seed=1)
    edu[1], _ = inject(edu[1], "carry_over_break", seed=2, previous=edu[0])
    fin = report_series("青山区财政局", [2022, 2023], seed=22)
    fin[0], _ = inject(fin[0], "text_contradiction", seed=3)
    fin[1], _ = inject(fin[1], "copied_section", source=fin[0])
    civ = report_series("临江县民政局", [2022, 2023], seed=23)
    civ[1], _ = inject(civ[1], "late_publication", seed=4)
    files = {
        "2022/edu.txt": render(edu[0], "txt"), "2023/edu.html": render(edu[1], "html"),
        "2022/fin.html": render(fin[0], "html"), "2023/fin.txt": render(fin[1], "txt"),
        "2022/civ.txt": render(civ[0], "txt"), "2023/civ.html": render(civ[1], "html"),
    }
    for rel, data in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    return src


def run_batch(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """``audit batch SRC -o OUT`` (memos in md, html and json, a fixed audit date, no narrative analysis), as a subprocess."""
    cmd = [sys.executable, "-m", "audit", "batch", str(src), "-o", str(out), "--date", AUDIT_DATE, "--quiet",
           "--format", "md,html,json", "--no-narrative", *extra]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)


def build_run(folder: Path) -> Path:
    """A run folder ``folder/run`` over :func:`write_archive`'s reports; raises if the batch fails."""
    src = write_archive(folder)
    out = Path(folder) / "run"
    proc = run_batch(src, out)
    if proc.returncode != 0:
        raise RuntimeError(f"audit batch failed ({proc.returncode}): {proc.stderr}")
    return out


if __name__ == "__main__":
    print(build_run(Path(sys.argv[1])))
