"""Text normalisation shared by every ingester: one spelling for the same characters.

Government reports arrive with full-width digits (２０２０), ideographic and no-break spaces, labels
spaced out to fill a table cell (“结 果 维 持”), numbers set apart from their units by a space
(“2024 年”, “34 件”), and now and then a mirror site's traditional characters. Downstream stages match
labels and read figures, so they should see one form: half-width digits and letters, single spaces,
no space inside Chinese text, simplified characters.

Everything here is a pure function of its input. Tabs and newlines are structure (table cells, lines)
and are never touched by :func:`normalize_text`. The line-level helpers at the end answer the
questions every ingester asks of a line: is it blank, a running page number, a heading or a new item;
does it end a sentence; how do two wrapped pieces join.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from audit.names import CONTROL_TABLE
from audit.vocab import LINE_END, NUMERALS, PAGE_NUMBER, STOPS

# ------------------------------------------------------------------------------ character classes

#: CJK ideographs (with extension A and the compatibility block) and the CJK punctuation a label or a
#: sentence uses around them; spaces between two of these carry no meaning in Chinese text.
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u2018\u2019\u201c\u201d\u2026\u2014"
_CJKISH = _CJK + _CJK_PUNCT

#: Horizontal spaces other than the plain space (no-break, ideographic, the en/em family, narrow NBSP).
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_SPACE_TABLE = {ord(c): " " for c in _SPACES} | {ord(c): None for c in _ZERO_WIDTH}

#: Full-width forms that always mean their ASCII twin in a report: digits, Latin letters, ％ ＋ ＝ ／.
_ALWAYS_HALF = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９％＋＝／"}
_ALWAYS_HALF |= {c: c - 0xFEE0 for c in range(ord("Ａ"), ord("Ｚ") + 1)}
_ALWAYS_HALF |= {c: c - 0xFEE0 for c in range(ord("ａ"), ord("ｚ") + 1)}

_NUMERAL = NUMERALS
# ，．：；－ are sentence punctuation in Chinese text, but inside a number (1，234．5 · 10：30 · 2020－2021)
# they are the ASCII separators.
_NUMBER_PUNCT = re.compile(r"(?<=\d)([，．：；－])(?=\d)")
# （一） （12） around a numbering token: the label's number, written (一) by half the reports.
_NUMBERING_PARENS = re.compile(rf"[（(] *([{_NUMERAL}]{{1,3}}|\d{{1,3}}) *[）)]")
# A space after such a numbering token, before the label: “(一) 予以公开” → “(一)予以公开”.
_SPACE_AFTER_NUMBERING = re.compile(rf"(\([{_NUMERAL}\d]{{1,3}}\)) +(?=[{_CJKISH}])")
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJKISH}]) +(?=[{_CJKISH}])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJKISH}]) +(?=\d)|(?<=\d) +(?=[{_CJKISH}])")
_MULTI_SPACE = re.compile(r" {2,}")


# ------------------------------------------------------------------------------- traditional → simplified


@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's traditional → simplified converter (its dictionaries load on first use)."""
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters that only traditional text uses: OpenCC's one-to-one character table, less the few
    characters that are also ordinary simplified characters (著, 乾, 瞭, …)."""
    from importlib import resources

    table = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and parts[0] not in parts[1:]:
            chars.add(parts[0])
    return frozenset(chars - set("著乾瞭藉覆夥於餘麽儘噹囉剋甦蘇"))


def traditional_share(text: str) -> float:
    """The share of CJK characters in ``text`` that only traditional Chinese writes."""
    trad = _traditional_chars()
    cjk = n = 0
    for ch in text:
        if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff":
            cjk += 1
            n += ch in trad
    return n / cjk if cjk else 0.0


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in traditional characters (a mirror site, a Hong Kong copy).

    Simplified text contains none of these characters; a traditional page has them in every sentence.
    The 2 % floor keeps a stray variant in a simplified report from converting the whole document.
    """
    return traditional_share(text) >= 0.02


def to_simplified(text: str) -> str:
    """Traditional → simplified with OpenCC (phrase-aware: 乾淨 → 干净, but 乾隆 stays)."""
    return _t2s().convert(text)


# ---------------------------------------------------------------------------------------- normalise


def normalize_text(s: str, *, t2s: bool | None = None) -> str:
    """One line or cell of report text in its normal form.

    - exotic spaces (NBSP, ideographic space, …) → plain space; zero-width characters and BOMs removed;
    - full-width digits, Latin letters and ％＋＝／ → ASCII; ，．：；－ between two digits → ASCII;
      （一）/（3）-style numbering → (一)/(3);
    - spaces inside Chinese text removed (“结 果 维 持” → 结果维持), and between Chinese and a number
      (“2024 年” → 2024年, “近 100 人” → 近100人); spaces between Latin words and numbers are kept;
    - control characters (ESC, BEL, DEL, C1) → their control pictures (␛, ␇, ␡; U+FFFD), shown as such;
    - runs of spaces → one space; leading and trailing spaces stripped; tabs and newlines kept;
    - traditional → simplified when ``t2s`` is True, or when it is None and the text is traditional.
      Ingesters decide once per document (:func:`is_traditional`) and pass the answer.
    """
    if not s:
        return s
    s = unicodedata.normalize("NFC", s).translate(_SPACE_TABLE).translate(_ALWAYS_HALF).translate(CONTROL_TABLE)
    s = _SPACE_IN_CJK.sub("", s)
    s = _SPACE_CJK_DIGIT.sub("", s)
    s = _NUMBER_PUNCT.sub(lambda m: chr(ord(m.group(1)) - 0xFEE0), s)
    s = _NUMBERING_PARENS.sub(r"(\1)", s)
    s = _SPACE_AFTER_NUMBERING.sub(r"\1", s)
    s = _MULTI_SPACE.sub(" ", s)
    s = "\n".join("\t".join(part.strip(" ") for part in line.split("\t")) for line in s.split("\n"))
    if t2s is None:
        t2s = is_traditional(s)
    if t2s:
        s = to_simplified(s)
    return s


def normalize_cell(s: str | None, *, t2s: bool = False) -> str:
    """A table cell's text: normalised, its inner line breaks and tabs joined as wrapped text."""
    if not s:
        return ""
    lines = [normalize_text(x, t2s=t2s) for x in re.split(r"[\t\r\n]+", s)]
    # normalised again once joined: a break may have cut a form that only reads whole (“（0” + “)”)
    return normalize_text(join_wrapped([x for x in lines if x]), t2s=t2s)


# ------------------------------------------------------------------------------------ line helpers

SENTENCE_END = LINE_END
_CLOSERS = "”’」』）)》】"
#: A numbered heading or list item at the start of a line: 一、 (一) 1. 1、 (1) ① 第一 一是 …
ITEM_START = re.compile(
    rf"^\s*(?:[{_NUMERAL}]{{1,3}}[、.．]|[（(]\s*[{_NUMERAL}\d]{{1,3}}\s*[）)]|\d{{1,2}}\s*[.．、](?!\d)"
    rf"|[①-⑳]|第[{_NUMERAL}\d]{{1,3}}[部章节条]|[{_NUMERAL}]是)"
)


def is_blank(line: str) -> bool:
    """Nothing but spaces of any kind."""
    return not line.translate(_SPACE_TABLE).strip()


def is_page_number(line: str) -> bool:
    """A running page number on a line of its own: “-4-”, “— 1 —”, “第 3 页”, “3/7”, “Page 2”."""
    return bool(PAGE_NUMBER.match(line.translate(_SPACE_TABLE).translate(_ALWAYS_HALF)))


def ends_sentence(line: str) -> bool:
    """True when the line ends a sentence (。！？；… or a colon, possibly inside closing quotes)."""
    s = line.rstrip().rstrip(_CLOSERS)
    return not s or s[-1] in SENTENCE_END


def starts_item(line: str) -> bool:
    """True when the line opens a numbered heading or list item (一、 （一） 1. ① 一是 …)."""
    return bool(ITEM_START.match(line))


def is_heading_like(line: str, max_len: int = 40) -> bool:
    """A short line with no sentence punctuation inside: a title, a heading, a signature, a date."""
    s = line.strip()
    return 0 < len(s) <= max_len and not any(ch in s for ch in STOPS) and not re.search(r"[，,].{8,}", s)


def join_wrapped(pieces: list[str]) -> str:
    """Join pieces of one sentence that a line or page break cut apart: no space inside Chinese text,
    one space between two Latin words or numbers (“Page\\nlayer” → “Page layer”)."""
    out = ""
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        if out and re.match(r"[A-Za-z0-9]", p) and re.search(r"[A-Za-z0-9,.;:]$", out):
            out += " " + p
        else:
            out += p
    return out
