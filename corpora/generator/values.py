"""Field values for tables 二, 三 and 四 that satisfy every identity of the format.

Counts are small and realistic for the agency's scale: most applications come from natural persons,
the rare refusal grounds are mostly zero, and nearly every application is answered within the year.
"""
from __future__ import annotations

import random
from decimal import Decimal

from .agencies import Agency
from .formats import T3_APPLICANT_COLS, T3_ORG_COLS, T4_BLOCKS, t3_result_rows

# How an application is typically resolved (relative weights per result row).
_RESULT_WEIGHTS = {
    "open": 34, "partial": 6,
    "denied.state_secret": 0.2, "denied.law_forbidden": 0.5, "denied.three_safety": 0.3,
    "denied.third_party": 1.5, "denied.internal": 1.2, "denied.process": 1.5,
    "denied.enforcement": 0.8, "denied.query": 1.0,
    "unable.not_held": 26, "unable.need_create": 3, "unable.unclear": 2,
    "rejected.complaint": 4, "rejected.repeat": 3, "rejected.publication": 0.4,
    "rejected.mass_repeat": 0.8, "rejected.confirm": 0.6,
    "other": 7, "other.no_correction": 4, "other.no_fee": 0.2, "other.other": 3,
}
# Share of new applications from each applicant column (natural dominates).
_APPLICANT_SHARE = {"natural": 0.86, "commercial": 0.08, "research": 0.004, "social": 0.006, "legal": 0.03, "other": 0.02}

Values = dict[str, "int | Decimal"]


def _count(rng: random.Random, mean: float) -> int:
    """A non-negative count around ``mean`` (geometric-like spread, often zero when mean is small)."""
    if mean <= 0:
        return 0
    return int(rng.expovariate(1 / mean) + rng.random())


def _distribute(rng: random.Random, n: int, weights: dict[str, float]) -> dict[str, int]:
    keys = list(weights)
    out = dict.fromkeys(keys, 0)
    for k in rng.choices(keys, weights=[weights[k] for k in keys], k=n):
        out[k] += 1
    return out


def _amount(rng: random.Random, mean: float) -> Decimal:
    """An amount in 万元 with 0–5 decimals, as agencies report them."""
    if mean <= 0 or rng.random() < 0.15:
        return Decimal(0)
    places = rng.choice([0, 1, 2, 2, 2, 4, 5])
    value = Decimal(str(round(rng.uniform(0.05, 2.0) * mean, places)))
    return value.quantize(Decimal(1).scaleb(-places)) if places else Decimal(int(value))


def table3(rng: random.Random, agency: Agency, fmt: str, carried_in: dict[str, int] | None = None) -> Values:
    """Table 三: new + carried_in = result_total + carried_out in every column, row totals summed."""
    mean_new = 60 * agency.scale
    total_new = _count(rng, mean_new) if agency.scale < 0.5 else max(1, int(rng.uniform(0.4, 1.6) * mean_new))
    new = _distribute(rng, total_new, _APPLICANT_SHARE)
    rows = [r.row for r in t3_result_rows(fmt)]
    weights = {r: _RESULT_WEIGHTS[r] for r in rows}
    out: Values = {}
    for col in T3_APPLICANT_COLS:
        cin = carried_in[col] if carried_in is not None else (
            _count(rng, 0.04 * new[col]) if rng.random() < 0.35 else 0)
        available = new[col] + cin
        carried_out = min(available, _count(rng, 0.05 * available)) if rng.random() < 0.4 else 0
        results = _distribute(rng, available - carried_out, weights)
        out[f"t3.new.{col}"] = new[col]
        out[f"t3.carried_in.{col}"] = cin
        for r in rows:
            out[f"t3.{r}.{col}"] = results[r]
        out[f"t3.result_total.{col}"] = available - carried_out
        out[f"t3.carried_out.{col}"] = carried_out
    for r in ["new", "carried_in", *rows, "result_total", "carried_out"]:
        out[f"t3.{r}.total"] = sum(out[f"t3.{r}.{c}"] for c in T3_APPLICANT_COLS)
    return out


def org_total(values: Values, row: str) -> int:
    """The 法人或其他组织 小计 of a table 三 row (the eighth column some agencies add)."""
    return sum(values[f"t3.{row}.{c}"] for c in T3_ORG_COLS)


def table4(rng: random.Random, agency: Agency) -> Values:
    """Table 四: each block's total is the sum of its four results."""
    out: Values = {}
    means = {"review": 1.2 * agency.scale, "direct_suit": 0.6 * agency.scale, "suit_after_review": 0.3 * agency.scale}
    for block, _ in T4_BLOCKS:
        n = _count(rng, means[block]) if rng.random() < min(0.9, 0.3 + agency.scale) else 0
        parts = _distribute(rng, n, {"upheld": 6, "corrected": 1.2, "other": 1.5, "pending": 1.5})
        for col, v in parts.items():
            out[f"t4.{block}.{col}"] = v
        out[f"t4.{block}.total"] = n
    return out


def table2(rng: random.Random, agency: Agency, fmt: str, prev: Values | None = None) -> Values:
    """Table 二. 2021 format: in_force(N) = in_force(N−1) + issued − repealed when ``prev`` is given."""
    s = agency.scale
    out: Values = {}
    if fmt == "2021":
        for row, mean_issued in (("reg", 4 * s if agency.may_issue_regulations else 0), ("norm", 8 * s)):
            issued = _count(rng, mean_issued)
            before = prev.get(f"t2.{row}.in_force") if prev else None
            if before is None:
                before = _count(rng, 12 * mean_issued) if mean_issued else 0
            repealed = min(before, _count(rng, 0.25 * mean_issued))
            out[f"t2.{row}.issued"] = issued
            out[f"t2.{row}.repealed"] = repealed
            out[f"t2.{row}.in_force"] = before + issued - repealed
        out["t2.license.decisions"] = _count(rng, 2500 * s)
        out["t2.penalty.decisions"] = _count(rng, 400 * s)
        out["t2.coercion.decisions"] = _count(rng, 25 * s)
        out["t2.fee.amount"] = _amount(rng, 300 * s)
        return out
    for row, mean_made in (("reg", 4 * s if agency.may_issue_regulations else 0), ("norm", 8 * s)):
        made = _count(rng, mean_made)
        published = made if rng.random() < 0.8 else max(0, made - _count(rng, 1))
        out[f"t2.{row}.made"] = made
        out[f"t2.{row}.published"] = published
        out[f"t2.{row}.total"] = published + (_count(rng, 10 * mean_made) if mean_made else 0)
    for row, mean in (("license", 300 * s), ("other_service", 120 * s), ("penalty", 150 * s), ("coercion", 10 * s)):
        items = _count(rng, mean)
        out[f"t2.{row}.prev"] = items
        out[f"t2.{row}.change"] = rng.randint(-items // 4, items // 4 + 2) if items else rng.randint(0, 2)
        # decisions count cases, not items: independent of prev + change
        out[f"t2.{row}.decisions"] = _count(rng, mean * rng.choice([0.5, 2, 6]))
    items = _count(rng, 30 * s)
    out["t2.fee.prev"] = items
    out["t2.fee.change"] = rng.randint(-items // 3, 2) if items else 0
    out["t2.procurement.count"] = _count(rng, 60 * s)
    out["t2.procurement.amount"] = _amount(rng, 6000 * s) if out["t2.procurement.count"] else Decimal(0)
    return out
