"""``python -m corpora.generator samples | archive OUT [--n N] [--seed S] | render …``"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpora.generator", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("samples", help="rewrite corpora/samples and its manifest.json")
    s.add_argument("--out", type=Path, default=None)
    a = sub.add_parser("archive", help="write a generated archive with a manifest of the truth")
    a.add_argument("out", type=Path)
    a.add_argument("--n", type=int, default=500)
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--corrupt", type=int, default=3, help="how many bad files to add (0–6: truncated, empty, not a zip, encrypted, scanned, not a report)")
    a.add_argument("--groups", type=int, default=2, help="consolidated governments with their members")
    a.add_argument("--no-fields", action="store_true", help="leave expected_fields out of the manifest")
    r = sub.add_parser("render", help="render one random report")
    r.add_argument("--format", choices=["2019", "2021"], default="2021")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--kind", choices=["pdf", "docx", "html", "txt"], default="pdf")
    r.add_argument("--layout", default="plain")
    r.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args(argv)

    if args.cmd == "samples":
        from .samples import SAMPLES_DIR, write_samples
        t = time.perf_counter()
        paths = write_samples(args.out or SAMPLES_DIR)
        print(f"wrote {len(paths)} samples and manifest.json to {paths[0].parent} in {time.perf_counter() - t:.1f} s")
    elif args.cmd == "archive":
        from .archive import write_archive
        t = time.perf_counter()
        m = write_archive(args.out, args.n, args.seed, args.corrupt, args.groups, fields=not args.no_fields)
        took = time.perf_counter() - t
        print(f"wrote {m['n']} reports ({m['timings']['n_pdf']} PDF) and {len(m['corrupt'])} corrupt files to "
              f"{args.out} in {took:.1f} s ({took / max(1, m['n']):.2f} s per report)")
    else:
        from .render import render
        from .spec import random_report
        args.output.write_bytes(render(random_report(args.format, args.seed), args.kind, args.layout))
        print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
