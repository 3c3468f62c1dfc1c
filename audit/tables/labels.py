"""Label text: normalisation and similarity.

Real reports space labels out (“总 计”), renumber them（三）/(三)/3./三、, wrap them over lines, cut them
at page breaks and misspell them (“其他法律行政止公开”). Labels are therefore compared after
normalisation (NFKC, no spaces, no numbering, no punctuation) and by similarity (difflib), with a bonus
when the official wording sits whole inside a longer cell text (a stray fragment of a group label).

Most comparisons only ask whether a similarity reaches a floor (a ``TableSettings`` tolerance): for them
:func:`similarity_at_least` first takes the bounds difflib's ratio cannot exceed (the shorter text's share
of both lengths, then the characters the two have in common) and runs the full comparison only when the
floor is still within reach. Its answer equals :func:`similarity` whenever that reaches the floor.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

from audit.vocab import NUMERALS

_NUMBERING = re.compile(
    rf"[(（]\s*[{NUMERALS}\d]{{1,3}}\s*[)）]"  # （三） (三) (3)
    rf"|[{NUMERALS}]{{1,3}}\s*[、.．]"  # 三、
    r"|(?<![\d.])\d{1,2}\s*[.．、](?!\d)"  # 3.  3、
)
_DROP = re.compile(r"[\s\u3000\xa0,，、:：;；.。·•“”\"'‘’《》()（）\[\]【】<>〈〉「」/／_\-—–－*|]")


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The comparable core of a label: no spaces, numbering or punctuation; full-width folded."""
    t = unicodedata.normalize("NFKC", text or "")
    t = _NUMBERING.sub("", t)
    return _DROP.sub("", t)


@lru_cache(maxsize=65536)
def similarity(found: str, official: str) -> float:
    """How well a found (normalised) label text matches an official (normalised) one, 0..1.

    Equal texts score 1. The official wording whole inside a longer text scores 0.6 plus the share of
    the text it covers (so “果保护第三方合法权益” still reads as 保护第三方合法权益, and the longest
    official label contained wins over a short one such as 其他); a piece of four or more characters
    of the official wording (a label cut by a wrap) scores 0.6 plus a share. Otherwise difflib's
    ratio, which tolerates a dropped or swapped character.
    """
    if not found or not official:
        return 0.0
    if found == official:
        return 1.0
    ratio = SequenceMatcher(None, found, official, autojunk=False).ratio()
    if official in found:
        ratio = max(ratio, 0.6 + 0.4 * len(official) / len(found))
    elif len(found) >= 4 and found in official:  # a piece of a label cut by a wrap or a page break
        ratio = max(ratio, 0.6 + 0.35 * len(found) / len(official))
    return ratio



@lru_cache(maxsize=16384)
def _counts(text: str) -> dict[str, int]:
    return dict(Counter(text))


def _common(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` have in common, as multisets (difflib's ``quick_ratio`` count)."""
    ca, cb = _counts(a), _counts(b)
    return sum(min(ca[ch], cb[ch]) for ch in ca.keys() & cb.keys())


def ratio_at_least(a: str, b: str, floor: float) -> float:
    """difflib's ``SequenceMatcher(None, a, b, autojunk=False).ratio()`` when it is at least ``floor``;
    else a number below ``floor`` (0.0) — without running the matcher when a bound already says it is.
    The bounds are difflib's own (``real_quick_ratio``, ``quick_ratio``), computed with the same
    arithmetic (2·M / total), so they hold exactly in floating point."""
    total = len(a) + len(b)
    if not total:
        return 1.0 if floor <= 1.0 else 0.0
    if 2.0 * min(len(a), len(b)) / total < floor or 2.0 * _common(a, b) / total < floor:
        return 0.0
    r = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return r if r >= floor else 0.0


@lru_cache(maxsize=65536)
def similarity_at_least(found: str, official: str, floor: float) -> float:
    """:func:`similarity` of the two texts when it is at least ``floor``; else a number below ``floor``
    (0.0), found without the full comparison when the floor cannot be reached."""
    if floor <= 0.0:
        return similarity(found, official)
    if not found or not official:
        return 0.0
    if found == official:
        return 1.0
    bonus = 0.0
    if official in found:
        bonus = 0.6 + 0.4 * len(official) / len(found)
    elif len(found) >= 4 and found in official:
        bonus = 0.6 + 0.35 * len(found) / len(official)
    if bonus >= floor:  # the score is at least the bonus: the floor is reached, so the exact score is needed
        return similarity(found, official)
    r = ratio_at_least(found, official, floor)  # below the floor: the bonus cannot lift it
    return r if r >= floor else 0.0


def best_at_least(found: str, officials, floor: float) -> float:
    """The best :func:`similarity` of ``found`` to any of ``officials`` when it reaches ``floor``, else 0.0."""
    if not found:
        return 0.0
    return max((similarity_at_least(found, k, floor) for k in officials), default=0.0)


def reaches(found: str, officials, floor: float) -> bool:
    """Whether ``found`` is at least ``floor`` similar to one of ``officials`` (stops at the first)."""
    return bool(found) and any(similarity_at_least(found, k, floor) >= floor for k in officials)
