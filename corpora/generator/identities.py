"""The strict identities of report-format.md, evaluated on a spec's values (the generator's own check:
every clean spec passes, every numeric defect breaks what its record says)."""
from __future__ import annotations

from .formats import T3_APPLICANT_COLS, T3_COLS, T4_BLOCKS, t3_result_rows


def violations(values: dict, fmt: str) -> list[str]:
    """Identities 1–4 that fail, as short descriptions (empty when the tables are consistent)."""
    out = []
    rows = ["new", "carried_in", *(r.row for r in t3_result_rows(fmt)), "result_total", "carried_out"]
    for r in rows:
        parts = sum(values[f"t3.{r}.{c}"] for c in T3_APPLICANT_COLS)
        if parts != values[f"t3.{r}.total"]:
            out.append(f"row sum t3.{r}: {parts} != {values[f't3.{r}.total']}")
    for c, _ in T3_COLS:
        results = sum(values[f"t3.{r.row}.{c}"] for r in t3_result_rows(fmt))
        if results != values[f"t3.result_total.{c}"]:
            out.append(f"column sum t3.*.{c}: {results} != {values[f't3.result_total.{c}']}")
        lhs = values[f"t3.new.{c}"] + values[f"t3.carried_in.{c}"]
        rhs = values[f"t3.result_total.{c}"] + values[f"t3.carried_out.{c}"]
        if lhs != rhs:
            out.append(f"balance t3.{c}: new + carried_in {lhs} != result_total + carried_out {rhs}")
    for b, _ in T4_BLOCKS:
        parts = sum(values[f"t4.{b}.{c}"] for c in ("upheld", "corrected", "other", "pending"))
        if parts != values[f"t4.{b}.total"]:
            out.append(f"block sum t4.{b}: {parts} != {values[f't4.{b}.total']}")
    return out


def series_violations(prev, cur) -> list[str]:
    """Identities 5 and 6 between two consecutive reports (ReportSpecs) of one agency."""
    out = []
    for c, _ in T3_COLS:
        if cur.values[f"t3.carried_in.{c}"] != prev.values[f"t3.carried_out.{c}"]:
            out.append(f"carry-over t3.{c}: carried_in {cur.values[f't3.carried_in.{c}']} != "
                       f"last year's carried_out {prev.values[f't3.carried_out.{c}']}")
    if prev.format == cur.format == "2021":
        for r in ("reg", "norm"):
            want = prev.values[f"t2.{r}.in_force"] + cur.values[f"t2.{r}.issued"] - cur.values[f"t2.{r}.repealed"]
            if cur.values[f"t2.{r}.in_force"] != want:
                out.append(f"in_force t2.{r}: {cur.values[f't2.{r}.in_force']} != {want}")
    return out
