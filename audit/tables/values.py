"""Cell text → value and meaning; digit runs → cells.

A cell means one of: a number (an ``int`` for counts, signed for 本年增/减; a ``Decimal`` for amounts,
exactly as written), a blank, a dash (—, -, /), the word 无, or something unreadable. A blank is never 0.

Crawled web text runs a row's cells together (“230 000023”). ``splits`` lists every way such runs can
be cut into a given number of cells without inventing leading zeros; a row is read only when exactly
one way remains.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Iterator

from audit.model import ValueKind
from audit.tables.schema import AMOUNT
from audit.vocab import DASHES, FIGURE, NONE_WORDS

_UNIT = re.compile(r"(万元|元)$")


@dataclass(frozen=True)
class Parsed:
    kind: ValueKind
    value: int | Decimal | None = None
    unit: str | None = None


def clean(text: str | None) -> str:
    """The cell text folded to half-width, spaces dropped (&nbsp; and ideographic spaces too)."""
    t = unicodedata.normalize("NFKC", text or "")
    t = t.replace("−", "-").replace("﹣", "-")
    return re.sub(r"\s+", "", t)


def parse(text: str | None, type: str = "count", unit: str | None = None) -> Parsed:
    """The meaning of one cell under a column of ``type`` (count, signed, amount in ``unit``)."""
    t = clean(text)
    if not t:
        return Parsed(ValueKind.BLANK)
    if t in DASHES or set(t) <= set("-—–/\\"):
        return Parsed(ValueKind.DASH)
    if t in NONE_WORDS:
        return Parsed(ValueKind.NONE_WORD)
    written_unit = None
    if type == AMOUNT:
        m = _UNIT.search(t)
        if m:
            written_unit, t = m.group(1), t[: m.start()]
    m = FIGURE.match(t)
    if not m:
        return Parsed(ValueKind.UNREADABLE)
    sign, digits, frac = m.group(1), m.group(2).replace(",", ""), m.group(3)
    if type == AMOUNT:
        try:
            return Parsed(ValueKind.NUMBER, Decimal(sign + digits + (frac or "")), written_unit or unit)
        except InvalidOperation:
            return Parsed(ValueKind.UNREADABLE)
    if frac:  # a fraction in a count: kept as written, for the plausibility checks to flag
        return Parsed(ValueKind.NUMBER, Decimal(sign + digits + frac))
    n = int(digits)
    return Parsed(ValueKind.NUMBER, -n if sign == "-" else n)


# --------------------------------------------------------------------------------- run-together cells

_RUN = re.compile(r"-?\d+(?:\.\d+)?")


def runs(text: str) -> list[str]:
    """The digit runs of a stretch of crawled text, in order (“230 000023” → ["230", "000023"])."""
    return _RUN.findall(unicodedata.normalize("NFKC", text))


def _valid(cell: str) -> bool:
    body = cell.lstrip("-")
    if not body or body.startswith("."):
        return False
    whole = body.split(".")[0]
    return whole == "0" or not whole.startswith("0")


#: The longest text one cell of a crawled row can be (a count, or an amount with its decimals): a longer
#: run is no table figure, and the bound keeps the search below linear in a run's length.
MAX_CELL_CHARS = 24


def _head_ok(run: str, i: int) -> bool:
    head = run[:i]
    return run[i] not in ".-" and _valid(head) and not head.endswith(".")


def _single(run: str) -> bool:
    return (len(run) <= MAX_CELL_CHARS and _valid(run) and run.count("-") <= (1 if run.startswith("-") else 0)
            and run.count(".") <= 1)


def _cut(run: str, k: int, can=None) -> Iterator[list[str]]:
    """Every way to cut one run into k valid cells (a sign or a decimal point stays inside its cell).
    ``can(rest, k)`` prunes the heads after which the rest cannot be cut into the cells left."""
    if k == 1:
        if _single(run):
            yield [run]
        return
    for i in range(1, min(len(run), MAX_CELL_CHARS + 1)):
        if not _head_ok(run, i) or (can is not None and not can(run[i:], k - 1)):
            continue
        for rest in _cut(run[i:], k - 1, can):
            yield [run[:i], *rest]


def splits(parts: list[str], n: int, limit: int = 5000) -> list[list[str]]:
    """Every way to cut the runs ``parts`` into ``n`` cells in all (each run gives at least one cell).

    Stops after ``limit`` ways: a row with that many readings is unreadable anyway. The search only
    enters branches that can still be completed (memoised feasibility of each run's rest and of the
    runs left), so its work is bounded by ``limit`` ways, not by the number of partial cuts (which grows
    exponentially with a long run of digits).
    """
    from functools import lru_cache

    out: list[list[str]] = []

    @lru_cache(maxsize=None)
    def can(run: str, k: int) -> bool:
        if k == 1:
            return _single(run)
        if k > len(run):
            return False
        return any(_head_ok(run, i) and can(run[i:], k - 1) for i in range(1, min(len(run), MAX_CELL_CHARS + 1)))

    def most(i: int) -> int:
        return len(parts[i].lstrip("-").replace(".", ""))

    @lru_cache(maxsize=None)
    def feasible(i: int, left: int) -> bool:
        if i == len(parts):
            return left == 0
        remaining = len(parts) - i - 1
        return any(can(parts[i], k) and feasible(i + 1, left - k)
                   for k in range(1, min(most(i), left - remaining) + 1))

    def go(i: int, left: int, acc: list[str]) -> None:
        if i == len(parts):
            if left == 0:
                out.append(list(acc))
            return
        remaining = len(parts) - i - 1
        for k in range(1, min(most(i), left - remaining) + 1):
            if not (can(parts[i], k) and feasible(i + 1, left - k)):
                continue
            for cut in _cut(parts[i], k, can):
                go(i + 1, left - k, acc + cut)
                if len(out) >= limit:
                    return

    go(0, n, [])
    return out
