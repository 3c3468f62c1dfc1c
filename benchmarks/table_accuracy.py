"""Table accuracy: synthetic reports per format × layout × kind, extracted, compared cell by cell.

    .venv/bin/python benchmarks/table_accuracy.py              # N = 50 per format × layout × kind
    .venv/bin/python benchmarks/table_accuracy.py -n 10 --kinds txt,html --layouts plain,blank_cells

Kinds are the generator's renderings (``corpora.generator.RENDERINGS``): pdf, docx, html, txt, and a
crawler's one-cell-per-line text of the web page without row markers (txt-cells) and with them
(txt-cellrows).

A cell is right when both its value (exactly: ints, Decimals) and its meaning (number, blank, dash, 无)
match what the generator rendered. Prints the accuracy per format × layout (and per kind), the worst
cells, and the slowest layout's seconds per report (ingest + tables, rendering not counted).
Target: ≥ 99.5 % on every format × layout.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import pipeline  # noqa: E402
from audit.tables.values import DASHES, NONE_WORDS, clean  # noqa: E402
from corpora.generator import RENDERINGS, VARIANTS, random_report, render_many  # noqa: E402

TARGET = 99.5


def expected_kind(value, raw: str) -> str:
    if value is not None:
        return "number"
    t = clean(raw)
    if not t:
        return "blank"
    if t in NONE_WORDS:
        return "none_word"
    if t in DASHES or set(t) <= set("-—–/\\"):
        return "dash"
    return "unreadable"


def same(want, got) -> bool:
    if want is None or got is None:
        return want is None and got is None
    return Decimal(str(want)) == Decimal(str(got)) and isinstance(got, Decimal) == isinstance(want, Decimal)


def layouts_for(fmt: str, wanted: list[str]) -> list[str]:
    return [v for v in wanted if not (v == "old_other_row" and fmt != "2021")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=50, help="reports per format × layout × kind (default 50)")
    ap.add_argument("--formats", default="2019,2021")
    ap.add_argument("--layouts", default=",".join(VARIANTS))
    ap.add_argument("--kinds", default=",".join(RENDERINGS))
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--show", type=int, default=5, help="wrong cells to list per format × layout")
    args = ap.parse_args(argv)
    formats, kinds = args.formats.split(","), args.kinds.split(",")
    jobs = []
    for fmt in formats:
        for layout in layouts_for(fmt, args.layouts.split(",")):
            for kind in kinds:
                for i in range(args.n):
                    spec = random_report(fmt, seed=args.seed + i)
                    jobs.append((fmt, layout, kind, spec))
    right: dict[tuple, Counter] = defaultdict(Counter)
    wrong_examples: dict[tuple, list[str]] = defaultdict(list)
    seconds: dict[str, list[float]] = defaultdict(list)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="table-accuracy-") as tmp:
        t0 = time.perf_counter()
        paths = render_many([(s, {"kind": RENDERINGS[k][0], "layout": lay, "name": f"{f}-{lay}-{k}-{n:04d}",
                                  "options": RENDERINGS[k][1]}) for n, (f, lay, k, s) in enumerate(jobs)], tmp)
        print(f"rendered {len(paths)} reports in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        for (fmt, layout, kind, spec), path in zip(jobs, paths):
            want = spec.expected_fields(layout)
            raw = spec.expected_raw(layout)
            start = time.perf_counter()
            try:
                fields = pipeline.extract(pipeline.read(path))
            except Exception as exc:  # noqa: BLE001 - a failed file counts every cell wrong
                failures += 1
                fields = {}
                wrong_examples[(fmt, layout)].append(f"{path.name}: {type(exc).__name__}: {exc}"[:160])
            seconds[layout].append(time.perf_counter() - start)
            for fid, value in want.items():
                got = fields.get(fid)
                ok = got is not None and same(value, got.value) and str(got.kind) == expected_kind(value, raw.get(fid, ""))
                for key in ((fmt, layout, "*"), (fmt, layout, kind)):
                    right[key]["cells"] += 1
                    right[key]["right"] += ok
                if not ok and len(wrong_examples[(fmt, layout)]) < args.show:
                    shown = "absent" if got is None else f"{got.value!r} ({got.kind}, raw {got.raw!r})"
                    wrong_examples[(fmt, layout)].append(
                        f"{kind} seed {spec.seed} {fid}: want {value!r} ({expected_kind(value, raw.get(fid, ''))}), got {shown}")
    print(f"\nexact cells (value and meaning), N = {args.n} per format × layout × kind ({', '.join(kinds)})")
    print(f"{'format':7} {'layout':16} {'cells':>8} {'accuracy':>9}  " + "  ".join(f"{k:>12}" for k in kinds))
    below = 0
    for fmt in formats:
        for layout in layouts_for(fmt, args.layouts.split(",")):
            c = right[(fmt, layout, "*")]
            acc = 100.0 * c["right"] / c["cells"] if c["cells"] else 0.0
            below += acc < TARGET
            per = "  ".join(
                f"{100.0 * right[(fmt, layout, k)]['right'] / max(1, right[(fmt, layout, k)]['cells']):11.2f}%" for k in kinds)
            print(f"{fmt:7} {layout:16} {c['cells']:8d} {acc:8.2f}%  {per}")
    slowest = max(seconds, key=lambda lay: sum(seconds[lay]) / len(seconds[lay]))
    print(f"\nslowest layout: {slowest}, {sum(seconds[slowest]) / len(seconds[slowest]):.3f} s per report "
          f"(read + tables); files that failed: {failures}")
    for key, examples in sorted(wrong_examples.items()):
        print(f"\nwrong in {key[0]} {key[1]}:")
        for e in examples:
            print("  " + e)
    print(f"\n{below} format × layout below the {TARGET} % target" if below
          else f"\nevery format × layout at or above the {TARGET} % target")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
