"""The Chinese-text vocabulary every stage shares: where a sentence ends, the Chinese numerals, what a
list enumerator looks like, what a blank or dash cell says.

One place, so a report is cut into sentences the same way by the document stage, the checks, the
narrative reading and the cross-report comparison. Where a stage cuts further on purpose (the narrative
reading also cuts after a colon), that is a named option of :func:`sentences`, not a second splitter;
``tests/test_architecture.py`` fails when a sentence-ending pattern appears outside this module.
"""
from __future__ import annotations

import re
from typing import Iterator

#: the marks that end a sentence proper (full-width and half-width)
FULL_STOPS = "。！？!?"
#: the marks that end a sentence as the stages cut them: the semicolon too (a report's list items are
#: joined by ；)
STOPS = FULL_STOPS + "；;"
#: closing quotes and brackets that stay with the sentence they close (a 。 inside quotes still ends it)
CLOSERS = "”’」』）)"
#: what besides a stop ends a line that ends a paragraph (normalize's join of wrapped lines)
LINE_END = STOPS + "…："
COLONS = "：:"

#: Chinese numerals of list and section numbers (一、 … 十、, （三）)
NUMERALS = "一二三四五六七八九十"
#: the digits of a year written in Chinese (二〇二一年): 〇, 零 and ○ all write 0
CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
CN_DIGITS = "〇零○一二三四五六七八九"
#: a list enumerator opening a sentence: （一） (1) 一、 1. 1．
ENUMERATOR = re.compile(rf"^[(（]?[{NUMERALS}\d]+[)）、.．]")

#: what a table cell says when it holds no figure on purpose: a dash or slash (a "no such item")
DASHES = frozenset("-—–－/／\\﹣−") | {"——", "--", "—/—"}
#: ... or a word for none
NONE_WORDS = frozenset({"无", "没有"})
#: the text of a blank-ish cell as the PDF text layer gives it (the borderless reader's test of a cell)
BLANKISH = frozenset({"—", "-", "－", "/", "／", "无", "——", "–"})

_STOP_CLASS = re.escape(STOPS)
_END = re.compile(rf"[{_STOP_CLASS}]+[{re.escape(CLOSERS)}]*|\n+")
_END_OR_COLON = re.compile(rf"[{_STOP_CLASS}]+[{re.escape(CLOSERS)}]*|[{COLONS}]|\n+")
_ENDS = re.compile(rf"[{_STOP_CLASS}][{re.escape(CLOSERS)}]*\s*$")


def sentence_ends(text: str, start: int = 0, end: int | None = None, *, colons: bool = False) -> Iterator[int]:
    """The offsets where a sentence of ``text[start:end]`` ends: after a run of stops and the closing
    quotes that follow it, and after a run of line breaks; with ``colons`` after a colon too (the narrative
    reading cuts a lead-in such as 主要措施如下： from what it leads into)."""
    rx = _END_OR_COLON if colons else _END
    for m in rx.finditer(text, start, len(text) if end is None else end):
        yield m.end()


def sentences(text: str, start: int = 0, end: int | None = None, *, colons: bool = False) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as (start, end) offsets into ``text``, stripped of surrounding
    whitespace; a sentence keeps its stop and closing quotes; empty pieces are dropped.
    ``colons`` cuts after a colon too (see :func:`sentence_ends`)."""
    end = len(text) if end is None else end
    spans, at = [], start
    rx = _END_OR_COLON if colons else _END
    for m in rx.finditer(text, start, end):
        spans.append((at, m.end() if m.group(0).strip() else m.start()))
        at = m.end()
    if at < end:
        spans.append((at, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def sentence_texts(text: str, *, colons: bool = False) -> list[str]:
    """The text of each of :func:`sentences`."""
    return [text[a:b] for a, b in sentences(text or "", colons=colons)]


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with a stop (closing quotes and trailing whitespace aside): a whole
    sentence, not a heading."""
    return bool(_ENDS.search(text))
