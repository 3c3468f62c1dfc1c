"""Batch throughput: reports per minute at --jobs 1 and --jobs 2 over a generated archive, peak memory
per worker, the time of a resumed run with nothing left to do, and what the run found against the archive's
truth (corrupt files failed, injected cross-report defects found).

    .venv/bin/python benchmarks/batch_throughput.py [--n 500] [--seed 1] [--work DIR] [--no-narrative]

Targets (issue 7): jobs 2 ≥ 1.7 × jobs 1; a resumed no-op run < 5 % of the full run.
The archive is written once under --work and reused by later runs of the script. Each full run starts with
an empty parsed-document cache of its own (as a first run over a new archive does), so neither run is
helped by the other's parsing.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit.batch.run import BatchOptions, run_batch  # noqa: E402


def archive(work: Path, n: int, seed: int) -> Path:
    folder = work / f"archive-{n}-{seed}"
    if not (folder / "manifest.json").is_file():
        from corpora.generator.archive import write_archive

        t0 = time.perf_counter()
        write_archive(folder, n=n, seed=seed, corrupt=3)
        print(f"generated {folder} in {time.perf_counter() - t0:.0f} s")
    return folder


def timed_run(src: Path, out: Path, jobs: int, narrative: bool) -> tuple[float, object]:
    opts = BatchOptions(jobs=jobs, narrative=narrative, progress=False, timeout=300)
    t0 = time.perf_counter()
    report = run_batch([str(src)], out, opts)
    return time.perf_counter() - t0, report


def peak_memory(out: Path) -> dict[str, float]:
    db = sqlite3.connect(out / "audit.sqlite")
    return {w: m for w, m in db.execute("SELECT worker, max(peak_rss_mb) FROM work WHERE worker IS NOT NULL"
                                        " GROUP BY worker ORDER BY worker")}


def work_seconds(out: Path) -> float:
    db = sqlite3.connect(out / "audit.sqlite")
    return db.execute("SELECT coalesce(sum(seconds), 0) FROM work").fetchone()[0]


def truth(src: Path, out: Path) -> dict[str, tuple[int, int]]:
    """Per kind of injected defect: (found, injected)."""
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    root = src.name
    db = sqlite3.connect(out / "audit.sqlite")
    failed = {p for (p,) in db.execute("SELECT path FROM errors")}
    fails = {(p, rule) for p, rule in db.execute(
        "SELECT r.path, c.rule_id FROM checks c JOIN reports r ON r.id = c.report_id"
        " WHERE c.scope = 'run' AND c.outcome = 'fail'")}
    dups: dict[str, set[str]] = {}
    for p, details in db.execute("SELECT r.path, f.details FROM findings f JOIN reports r ON r.id = f.report_id"
                                 " WHERE f.rule_id = 'XA-DUP'"):
        dups.setdefault(p, set()).add(json.loads(details)["other_agency"] or "")
    score: dict[str, list[int]] = {}

    def count(kind: str, ok: bool) -> None:
        s = score.setdefault(kind, [0, 0])
        s[0] += ok
        s[1] += 1

    for c in manifest["corrupt"]:
        count("corrupt file failed", f"{root}/{c['file']}" in failed)
    for r in manifest["reports"]:
        path = f"{root}/{r['file']}"
        for d in r["defects"]:
            if d["kind"] == "carry_over_break":
                count("carry-over break (XY-CARRY)", (path, "XY-CARRY") in fails)
            elif d["kind"] == "copied_section" and d["detail"].get("source_agency") == r["meta"]["agency"]:
                count("copied from last year (XY-COPY)", (path, "XY-COPY") in fails)
            elif d["kind"] == "copied_section":
                count("copied from another agency (XA-DUP)", d["detail"].get("source_agency") in dups.get(path, set()))
    return {k: (v[0], v[1]) for k, v in score.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".work")
    ap.add_argument("--no-narrative", action="store_true")
    args = ap.parse_args()
    src = archive(args.work, args.n, args.seed)
    results = {}
    for jobs in (1, 2):
        out = args.work / f"run-jobs{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        cache = args.work / f"cache-jobs{jobs}"
        shutil.rmtree(cache, ignore_errors=True)
        os.environ["AUDIT_CACHE_DIR"] = str(cache)  # the workers, started by the run, inherit it
        seconds, report = timed_run(src, out, jobs, not args.no_narrative)
        results[jobs] = (seconds, report, out)
        print(f"jobs {jobs}: {report.audited} audited, {len(report.failures)} failed in {seconds:.1f} s "
              f"= {60 * report.audited / seconds:.1f} reports/min")
        busy = work_seconds(out)
        print(f"  time in workers {busy:.1f} s ({busy / max(report.audited, 1):.2f} s per file); start-up, "
              f"planning, cross checks and summaries {seconds - busy / jobs:.1f} s")
        for worker, mb in peak_memory(out).items():
            print(f"  worker {worker}: peak {mb:.0f} MB resident")
    resumed, report = timed_run(src, results[2][2], 2, not args.no_narrative)
    full = results[2][0]
    speedup = results[1][0] / results[2][0]
    print(f"speed-up jobs 2 / jobs 1: {speedup:.2f}x (target ≥ 1.7; the machine's load average now: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"resumed no-op run: {resumed:.2f} s, {100 * resumed / full:.1f} % of the full run "
          f"(target < 5 %; {report.audited} audited, {report.skipped} skipped)")
    for key, reason in results[2][1].failures:
        print(f"  failed: {key}: {reason}")
    for kind, (found, injected) in truth(src, results[2][2]).items():
        print(f"{kind}: {found}/{injected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
