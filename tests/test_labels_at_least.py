"""labels.similarity_at_least / ratio_at_least: the floor-bounded comparisons give the full similarity (or
difflib's ratio) whenever that reaches the floor, and a number below the floor whenever it does not."""
from __future__ import annotations

import random
from difflib import SequenceMatcher

from audit.tables import schema as tschema
from audit.tables.labels import (best_at_least, normalize, ratio_at_least, reaches, similarity,
                                 similarity_at_least)
from audit.tables.settings import DEFAULT

FLOORS = sorted({0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, DEFAULT.row_match, DEFAULT.column_match,
                 DEFAULT.line_match, DEFAULT.format_match, DEFAULT.header_match, DEFAULT.optional_match,
                 DEFAULT.pair_min, DEFAULT.fragment_alone})


def _texts() -> list[str]:
    """The official labels of both formats, and variants a report prints: cut, wrapped, with a character
    dropped, doubled, swapped or replaced, run together with a neighbour, with a group label in front."""
    keys: set[str] = set()
    for f in ("2019", "2021"):
        s = tschema.load(f)
        for t in s.tables:
            keys.update(k for r in t.rows for k in r.keys)
            keys.update(k for c in t.columns for k in c.keys)
            keys.update(t.group_keys)
    keys = sorted(k for k in keys if k)
    rng = random.Random(17)
    out = set(keys)
    for k in keys:
        n = len(k)
        out.add(k[: max(1, n // 2)])
        out.add(k[n // 3:])
        if n > 2:
            i = rng.randrange(n)
            out.add(k[:i] + k[i + 1:])
            out.add(k[:i] + k[i] + k[i:])
            out.add(k[:i] + rng.choice("政府信息公开申请其他止") + k[i + 1:])
            j = rng.randrange(n - 1)
            out.add(k[:j] + k[j + 1] + k[j] + k[j + 2:])
        out.add(k + rng.choice(keys))
        out.add(rng.choice(keys)[:3] + k)
    out.update(["", "1", "合计", "总计", "其他", normalize("（三）其他法律行政止公开")])
    return sorted(out)


def test_agrees_with_the_full_similarity():
    texts = _texts()
    rng = random.Random(18)
    officials = [t for t in texts if len(t) >= 2]
    pairs = [(a, b) for a in rng.sample(texts, 300) for b in rng.sample(officials, 60)]
    pairs += [(a, a) for a in texts[:50]]
    reached = below = 0
    for a, b in pairs:
        full = similarity(a, b)
        for floor in FLOORS:
            got = similarity_at_least(a, b, floor)
            if full >= floor:
                assert got == full, (a, b, floor)
                reached += 1
            else:
                assert got < floor, (a, b, floor)
                below += 1
    assert reached > 1000 and below > 1000  # both sides of the floor tried, many times


def test_ratio_agrees_with_difflib():
    texts = _texts()
    rng = random.Random(19)
    for a in rng.sample(texts, 200):
        for b in rng.sample(texts, 40):
            full = SequenceMatcher(None, a, b, autojunk=False).ratio()
            for floor in FLOORS:
                got = ratio_at_least(a, b, floor)
                assert got == full if full >= floor else got < floor, (a, b, floor)


def test_best_and_reaches():
    texts = _texts()
    rng = random.Random(20)
    for a in rng.sample(texts, 300):
        group = rng.sample(texts, 8)
        full = max((similarity(a, k) for k in group), default=0.0) if a else 0.0
        for floor in (0.8, 0.85, 0.9):
            assert reaches(a, group, floor) == (full >= floor)
            assert best_at_least(a, group, floor) == (full if full >= floor else 0.0)
    assert best_at_least("公开", [], 0.8) == 0.0 and not reaches("", ["公开"], 0.1)


def test_row_scores_with_a_floor_agree_with_the_full_ones():
    from audit.tables.grid import _row_score, best_row_score

    texts = _texts()
    rng = random.Random(21)
    checked = 0
    for f in ("2019", "2021"):
        for t in tschema.load(f).tables:
            for key in rng.sample(texts, 150) + [g + k for g in t.group_keys for k in rng.sample(texts, 5)]:
                for floor in (DEFAULT.pair_min, DEFAULT.header_match, DEFAULT.fragment_alone):
                    full = best_row_score(key, t)
                    got = best_row_score(key, t, floor)
                    assert got == full if full >= floor else got < floor, (key, floor)
                    for r in t.rows[:4]:
                        one = _row_score(key, r, t)
                        assert _row_score(key, r, t, floor) == one if one >= floor else _row_score(key, r, t, floor) < floor
                    checked += 1
    assert checked > 500
