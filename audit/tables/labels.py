"""Label text: normalisation and similarity.

Real reports space labels out (“总 计”), renumber them（三）/(三)/3./三、, wrap them over lines, cut them
at page breaks and misspell them (“其他法律行政止公开”). Labels are therefore compared after
normalisation (NFKC, no spaces, no numbering, no punctuation) and by similarity (difflib), with a bonus
when the official wording sits whole inside a longer cell text (a stray fragment of a group label).
"""
from __future__ import annotations

import re
import unicodedata
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

