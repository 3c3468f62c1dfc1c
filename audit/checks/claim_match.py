"""Claim patterns matched over a sentence's jieba tokens directly, without spaCy's Matcher.

A claim pattern (claims.yaml) is a sequence of items: ``NUMBER``, ``{phrase: [...]}``, ``{gap: N}``
and ``{token: {...}}``. spaCy's Matcher needed every way jieba may split each phrase spelled out as its
own token pattern (about 7,800 for the shipped claims, seconds of compiling per process); here each item
is a predicate that, from a token position, yields the positions where the item can end, so a pattern is
matched by following those positions through its items. What matches is exactly what the Matcher found
for the patterns :func:`audit.checks.claims._compile` builds (``tests/test_perf_claim_match.py`` checks
both on every sentence of the samples, the seed report and the labelled corpus):

- a phrase word is one token holding it, or two or three adjacent tokens (at most ``MAX_PIECES``) of which
  the first ends with its first piece, the middle one is its middle piece and the last begins with its
  last piece (the pieces non-empty);
- ``NUMBER``: a token like a number followed by one beginning with one of the claim's units;
- ``{gap: N}``: zero to N tokens, none like a number, each passing the gap's regular expression;
- ``{token: {...}}``: one token with the given attributes (``TEXT``, ``LOWER``, ``LIKE_NUM``,
  ``IS_DIGIT``, ``IS_SPACE``, ``LENGTH``; a value or ``{REGEX|IN|NOT_IN: …}``).

Matches are (pattern index, start, end), each once, ordered by end, then start, then pattern.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

MAX_PIECES = 3

Step = Callable[[Sequence, int], Iterable[int]]


def _endswith(text: str, piece: str) -> bool:
    # ``re.search(re.escape(piece) + "$", text)``: ``$`` also matches before a final newline
    return text.endswith(piece) or text.endswith(piece + "\n")


def phrase_step(words: Sequence[str], max_pieces: int = MAX_PIECES) -> Step:
    words = tuple(words)

    def ends(toks, p):
        n = len(toks)
        if p >= n:
            return ()
        t0 = toks[p].text
        out = set()
        for w in words:
            if w in t0:
                out.add(p + 1)
            if max_pieces >= 2 and p + 1 < n and len(w) >= 2:
                t1 = toks[p + 1].text
                for i in range(1, len(w)):
                    if _endswith(t0, w[:i]) and t1.startswith(w[i:]):
                        out.add(p + 2)
                        break
            if max_pieces >= 3 and p + 2 < n and len(w) >= 3:
                mid = toks[p + 1].text
                if mid:
                    t2 = toks[p + 2].text
                    i = w.find(mid, 1)
                    while i != -1 and i + len(mid) <= len(w) - 1:
                        if _endswith(t0, w[:i]) and t2.startswith(w[i + len(mid):]):
                            out.add(p + 3)
                            break
                        i = w.find(mid, i + 1)
        return out

    return ends


def number_step(units: Sequence[str]) -> Step:
    unit = re.compile("^(" + "|".join(map(re.escape, units)) + ")")

    def ends(toks, p):
        if p + 1 < len(toks) and toks[p].like_num and unit.search(toks[p + 1].text):
            return (p + 2,)
        return ()

    return ends


def gap_step(regex: str, most: int) -> Step:
    rx = re.compile(regex)

    def ends(toks, p):
        out = [p]
        q = p
        while q - p < most and q < len(toks) and not toks[q].like_num and rx.search(toks[q].text):
            q += 1
            out.append(q)
        return out

    return ends


_ATTRS = {
    "TEXT": lambda t: t.text,
    "ORTH": lambda t: t.text,
    "LOWER": lambda t: t.text.lower(),
    "LIKE_NUM": lambda t: t.like_num,
    "IS_DIGIT": lambda t: t.text.isdigit(),
    "IS_SPACE": lambda t: t.is_space,
    "LENGTH": lambda t: len(t.text),
}


def _value_test(spec) -> Callable[[object], bool]:
    if isinstance(spec, dict):
        tests = []
        for op, arg in spec.items():
            if op == "REGEX":
                rx = re.compile(arg)
                tests.append(lambda v, rx=rx: rx.search(str(v)) is not None)
            elif op == "IN":
                s = set(arg)
                tests.append(lambda v, s=s: v in s)
            elif op == "NOT_IN":
                s = set(arg)
                tests.append(lambda v, s=s: v not in s)
            else:
                raise ValueError(f"claims.yaml: token attribute test {op!r} is not supported")
        return lambda v: all(t(v) for t in tests)
    return lambda v: v == spec


def token_step(spec: dict) -> Step:
    if "OP" in spec:
        raise ValueError("claims.yaml: a {token: …} item takes no OP (use gap)")
    tests = []
    for attr, value in spec.items():
        get = _ATTRS.get(attr.upper())
        if get is None:
            raise ValueError(f"claims.yaml: token attribute {attr!r} is not supported")
        tests.append((get, _value_test(value)))

    def ends(toks, p):
        if p < len(toks) and all(test(get(toks[p])) for get, test in tests):
            return (p + 1,)
        return ()

    return ends


class CompiledPattern:
    """One claim pattern as a chain of steps."""

    __slots__ = ("steps",)

    def __init__(self, steps: list[Step]):
        self.steps = steps

    def ends(self, toks, start: int) -> set[int]:
        here = {start}
        for step in self.steps:
            nxt: set[int] = set()
            for p in here:
                nxt.update(step(toks, p))
            if not nxt:
                return nxt
            here = nxt
        return here


def compile_pattern(items: list, units: Sequence[str], gap_regex: Callable[[bool], str],
                    max_pieces: int = MAX_PIECES) -> CompiledPattern:
    """``gap_regex(cross)``: the filler token's regular expression for a gap (crossing commas or not)."""
    steps: list[Step] = []
    for it in items:
        if it == "NUMBER":
            steps.append(number_step(units))
        elif isinstance(it, dict) and "phrase" in it:
            steps.append(phrase_step(it["phrase"], max_pieces))
        elif isinstance(it, dict) and "gap" in it:
            steps.append(gap_step(gap_regex(bool(it.get("cross"))), int(it["gap"])))
        elif isinstance(it, dict) and "token" in it:
            steps.append(token_step(dict(it["token"])))
        else:
            raise ValueError(f"claims.yaml: unknown pattern item {it!r}")
    return CompiledPattern(steps)


def find(compiled: Sequence[CompiledPattern], which: Iterable[int], toks) -> list[tuple[int, int, int]]:
    """Every (pattern index, start, end) of the patterns ``which`` in the tokens ``toks``."""
    out = []
    n = len(toks)
    for i in which:
        pat = compiled[i]
        for start in range(n):
            for end in pat.ends(toks, start):
                if end > start:  # spaCy never returns an empty match
                    out.append((i, start, end))
    out.sort(key=lambda m: (m[2], m[1], m[0]))
    return out
