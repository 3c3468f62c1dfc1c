"""Accuracy of the checks on generated reports, through the full pipeline (render → ingest → tables → checks).

Clean reports must give no error; reports with one injected defect must be caught (recall per defect kind),
and for a single changed cell of table 三/四 the localisation must name that cell first.

    .venv/bin/python benchmarks/check_accuracy.py                  # 500 clean, 100 per defect kind
    .venv/bin/python benchmarks/check_accuracy.py --clean 60 --per-kind 20 --kinds txt   # a quick look

Targets (issue 4): ≥ 99 % recall for single-cell defects in tables 三/四 (changed_cell, transposed_digits),
zero false errors over ≥ 500 clean reports, ≥ 90 % first-place localisation for single changed cells.
"""
from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit import checks, pipeline  # noqa: E402
from corpora.generator import random_report, render  # noqa: E402
from corpora.generator.defects import SINGLE_REPORT_KINDS, NotApplicable, inject  # noqa: E402

LAYOUTS = ("plain", "plain", "page_break_t3", "wrapped_labels", "spaced_labels", "repeated_header", "org_total")


def audit_spec(spec, kind: str, layout: str, workdir: Path, ruleset):
    data = render(spec, kind, layout)
    path = workdir / f"r{spec.seed}_{layout}.{kind}"
    path.write_bytes(data)
    doc = pipeline.read(path)
    fields = pipeline.extract(doc)
    findings, _ = checks.run(doc, fields, ruleset)
    return findings


def detected(kind: str, record, findings) -> bool:
    errors = [f for f in findings if str(f.severity) == "error"]
    ids = set(record.field_ids)
    if kind in ("changed_cell", "transposed_digits", "row_shift"):
        return any(ids & set(f.location.field_ids) for f in errors)
    if kind == "missing_row":
        row = record.detail["row"]
        return any(f.rule_id == "STRUCT-ROWS" and row in str(f.found) for f in findings)
    if kind == "text_contradiction":
        return any(f.rule_id == "TEXT-CLAIM" and ids & set(f.location.field_ids) for f in errors)
    if kind == "late_publication":
        return any(f.rule_id == "DEADLINE" for f in errors)
    raise ValueError(kind)


def first_place(record, findings) -> bool:
    """The first correction suggested names exactly the changed cell and its original value."""
    fid = record.field_ids[0]
    for f in findings:
        if f.suggestion:
            cells = f.suggestion[0]["cells"]
            return len(cells) == 1 and cells[0]["field"] == fid and cells[0]["consistent"] == record.old[fid]
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clean", type=int, default=500, help="clean reports (default 500)")
    ap.add_argument("--per-kind", type=int, default=100, help="reports per defect kind (default 100)")
    ap.add_argument("--kinds", default="txt,docx,html", help="input kinds to render, cycled (txt,docx,html,pdf)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default=",".join(SINGLE_REPORT_KINDS), help="defect kinds to inject (default: all)")
    args = ap.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    ruleset = checks.load_rules()
    rng = random.Random(args.seed)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        false_errors = collections.Counter()
        false_warnings = collections.Counter()
        failed = 0
        for i in range(args.clean):
            spec = random_report(rng.choice(["2019", "2021"]), seed=args.seed * 100000 + i)
            layout = rng.choice(LAYOUTS)
            try:
                found = audit_spec(spec, kinds[i % len(kinds)], layout, work, ruleset)
            except Exception as exc:  # noqa: BLE001 - a stage failing is counted, the run goes on
                failed += 1
                print(f"  clean #{i} ({kinds[i % len(kinds)]}, {layout}): pipeline failed: {exc}", file=sys.stderr)
                continue
            for f in found:
                (false_errors if str(f.severity) == "error" else false_warnings)[f.rule_id] += 1
                if str(f.severity) == "error":
                    print(f"  clean #{i} ({kinds[i % len(kinds)]}, {layout}) false error: {f.message_zh[:160]}",
                          file=sys.stderr)
        n_clean = args.clean - failed
        print(f"clean reports: {n_clean} audited ({failed} failed in the pipeline)")
        print(f"  false errors per clean report: {sum(false_errors.values()) / max(n_clean, 1):.4f} "
              f"({sum(false_errors.values())} in all{': ' + dict(false_errors).__repr__() if false_errors else ''})")
        print(f"  warnings per clean report: {sum(false_warnings.values()) / max(n_clean, 1):.3f} "
              f"{dict(false_warnings) if false_warnings else ''}")

        print("defect kind          recall      localised first")
        for kind in [k for k in SINGLE_REPORT_KINDS if k in args.only.split(",")]:
            hits = total = firsts = 0
            j = 0
            while total < args.per_kind and j < args.per_kind * 3:
                j += 1
                spec = random_report(rng.choice(["2019", "2021"]), seed=args.seed * 100000 + 50000 + j)
                try:
                    bad, record = inject(spec, kind, seed=j)
                except NotApplicable:
                    continue
                if not record.field_ids and kind not in ("late_publication",):
                    continue  # nothing changed (a row of zeros shifted): no defect to find
                try:
                    found = audit_spec(bad, kinds[j % len(kinds)], "plain", work, ruleset)
                except Exception as exc:  # noqa: BLE001
                    print(f"  {kind} #{j}: pipeline failed: {exc}", file=sys.stderr)
                    continue
                total += 1
                ok = detected(kind, record, found)
                hits += ok
                if not ok:
                    print(f"  missed {kind} #{j}: {record.to_json()}", file=sys.stderr)
                if kind in ("changed_cell", "transposed_digits"):
                    firsts += first_place(record, found)
            loc = f"{firsts / total:8.1%}" if kind in ("changed_cell", "transposed_digits") and total else "       —"
            print(f"  {kind:18s} {hits / max(total, 1):7.1%} ({hits}/{total})  {loc}")
    print(f"time: {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
