"""Are the findings the same before and after a speed change? JSON memos of the shared real reports,
the seed report, the samples and (when built) the throughput corpus, written by one tree and compared
with those of another.

    .venv/bin/python benchmarks/same_findings.py save DIR      # on the old tree
    .venv/bin/python benchmarks/same_findings.py compare DIR   # on the new tree: exit 1 on any difference

Each file is audited with the cache off, a fixed date, narrative analysis on, and its JSON memo is kept
without the fields that name code versions (``versions``). A difference prints the file and the first
differing keys.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "reports"
TODAY = dt.date(2026, 6, 1)
VOLATILE = ("versions", "generated", "generated_at")


def files() -> list[Path]:
    out: list[Path] = []
    if SHARED.is_dir():
        out += sorted(p for p in SHARED.glob("*") if p.is_file() and p.suffix in (".txt", ".md", ".pdf"))
        out += sorted(p for p in (SHARED / "real").glob("*") if p.suffix in (".txt", ".md", ".pdf"))
    out += sorted(p for p in (ROOT / "corpora" / "samples").glob("*") if p.suffix != ".json")
    bench = Path(os.environ.get("AUDIT_BENCH_DIR", "/tmp/report-audit-bench")) / "throughput-v1"
    out += sorted(bench.glob("*.pdf"))
    return out


def _strip(x):
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k not in VOLATILE}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


def memos() -> dict[str, dict]:
    sys.path.insert(0, str(ROOT))
    from audit import memo, pipeline
    from audit.errors import AuditError

    out = {}
    for p in files():
        try:
            r = pipeline.audit(p, today=TODAY, cache=False)
            m = _strip(memo.to_json(r))
            source = m.get("meta", {}).get("source", {})
            if isinstance(source.get("path"), str) and p.is_relative_to(ROOT):
                source["path"] = str(p.relative_to(ROOT))  # two checkouts: the same file, not the same path
            out[str(p.relative_to(p.parent.parent))] = m
        except AuditError as exc:
            out[str(p.relative_to(p.parent.parent))] = {"error": exc.reason}
    return out


def _diff(a, b, path="") -> list[str]:
    if type(a) is not type(b):
        return [path or "/"]
    if isinstance(a, dict):
        keys = sorted(set(a) | set(b))
        return [d for k in keys for d in (_diff(a.get(k), b.get(k), f"{path}/{k}") if k in a and k in b else [f"{path}/{k}"])]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}[len {len(a)}≠{len(b)}]"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [path]


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "compare"):
        print(__doc__)
        return 2
    folder = Path(argv[1])
    got = memos()
    if argv[0] == "save":
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "memos.json").write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True))
        print(f"{len(got)} memos saved in {folder / 'memos.json'}")
        return 0
    old = json.loads((folder / "memos.json").read_text())
    bad = 0
    for name in sorted(set(old) | set(got)):
        if name not in old or name not in got:
            print(f"{name}: only {'before' if name in old else 'after'}")
            bad += 1
            continue
        d = _diff(old[name], json.loads(json.dumps(got[name])))
        if d:
            bad += 1
            print(f"{name}: {len(d)} differences, e.g. {d[:5]}")
    n_find = sum(len(m.get("findings", [])) for m in got.values())
    print(f"{len(got)} memos, {n_find} findings; {'all the same' if not bad else f'{bad} differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
