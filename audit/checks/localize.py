"""Error localisation: the fewest cells whose correction makes every strict identity of a table hold.

Each evaluated identity is a linear equation over cells, ``Σ coef·value = 0``. When some fail, look for
one cell whose change repairs all failing equations without breaking a passing one; failing that, two
cells. Every equally small correction is returned (never a guess among them). A correction must give
whole, non-negative counts (``t2.*.change`` may be negative).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

#: the most two-cell corrections listed; beyond that the table is too broken to point at cells
MAX_PAIRS = 8


@dataclass(frozen=True)
class Equation:
    name: str  # "T3-ROW-SUM[row=denied.third_party]"
    rule_id: str
    coefs: dict  # field id → integer coefficient
    residual: Fraction  # Σ coef·value with the reported values

    @property
    def holds(self) -> bool:
        return self.residual == 0


@dataclass(frozen=True)
class Correction:
    cells: tuple  # ((field, found, consistent), ...)
    repairs: tuple  # equation names made to hold

    def to_json(self) -> dict:
        return {"cells": [{"field": f, "found": a, "consistent": b} for f, a, b in self.cells],
                "repairs": list(self.repairs)}


def _signed_ok(fid: str, value: Fraction) -> bool:
    if value.denominator != 1:
        return False
    return value >= 0 or fid.endswith(".change")


def corrections_for(equations: list[Equation], values: dict) -> list[Correction]:
    """Corrections of one cell, else of two cells, that make all ``equations`` hold."""
    failing = [e for e in equations if not e.holds]
    if not failing:
        return []
    by_cell: dict[str, list[Equation]] = {}
    for e in equations:
        for f in e.coefs:
            by_cell.setdefault(f, []).append(e)
    cand = sorted({f for e in failing for f in e.coefs})
    names = tuple(e.name for e in failing)
    singles = []
    for c in cand:
        eqs = by_cell[c]
        if any(e.holds for e in eqs) or len(eqs) < len(failing) or not all(c in e.coefs for e in failing):
            continue
        deltas = {-e.residual / e.coefs[c] for e in eqs}
        if len(deltas) != 1:
            continue
        new = Fraction(values[c]) + deltas.pop()
        if _signed_ok(c, new):
            singles.append(Correction(((c, values[c], int(new)),), names))
    if singles:
        return singles
    pairs = []
    for a, b in itertools.combinations(cand, 2):
        eqs = list({id(e): e for e in by_cell[a] + by_cell[b]}.values())
        if any(e not in eqs for e in failing):
            continue
        sol = _solve2([(e.coefs.get(a, 0), e.coefs.get(b, 0), -e.residual) for e in eqs])
        if sol is None or 0 in sol:
            continue
        na, nb = Fraction(values[a]) + sol[0], Fraction(values[b]) + sol[1]
        if _signed_ok(a, na) and _signed_ok(b, nb):
            pairs.append(Correction(((a, values[a], int(na)), (b, values[b], int(nb))), names))
            if len(pairs) > MAX_PAIRS:
                return []
    return pairs


def _solve2(rows: list[tuple[int, int, Fraction]]) -> tuple[Fraction, Fraction] | None:
    """The unique solution of ``x·p + y·q = r`` over all rows, or None (none, or not unique)."""
    for (p1, q1, r1), (p2, q2, r2) in itertools.combinations(rows, 2):
        det = p1 * q2 - p2 * q1
        if det:
            x = Fraction(r1 * q2 - r2 * q1, 1) / det
            y = Fraction(p1 * r2 - p2 * r1, 1) / det
            if all(p * x + q * y == r for p, q, r in rows):
                return x, y
            return None
    return None
