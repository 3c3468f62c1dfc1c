"""The Chinese-text vocabulary every stage shares: where a sentence ends, the Chinese numerals, what a
list enumerator looks like, what a blank or dash cell says, what a page number looks like, how agencies
shorten their names.

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
#: the Chinese numerals a count is written in (三件, 十二条, 两百余件)
COUNT_NUMERALS = "零〇一二两三四五六七八九十百千万"
#: a list enumerator opening a sentence: （一） (1) 一、 1. 1．
ENUMERATOR = re.compile(rf"^[(（]?[{NUMERALS}\d]+[)）、.．]")

#: what a table cell says when it holds no figure on purpose: a dash or slash (a "no such item")
DASHES = frozenset("-—–－/／\\﹣−") | {"——", "--", "—/—"}
#: ... or a word for none
NONE_WORDS = frozenset({"无", "没有"})
#: the text of a blank-ish cell as the PDF text layer gives it (the borderless reader's test of a cell)
BLANKISH = frozenset({"—", "-", "－", "/", "／", "无", "——", "–"})

#: a table cell's figure once folded to half-width without spaces (``tables.values.clean``): sign, digits
#: with or without thousands commas, decimals
FIGURE = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
#: text a PDF line holds that reads as a figure before any folding (full-width digits and commas, a unit
#: after it): the PDF readers' test of a number cell
NUMBERISH = re.compile(r"^[-+−–－]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?\s*(?:万元|元|件|条|个|%|％)?$")

#: a running page number on a line of its own: “-4-”, “— 1 —”, “第 3 页”, “第3页 共7页”, “3/7”, “Page 2”
#: (matched after the line's spaces and full-width forms are folded: ``ingest.normalize.is_page_number``)
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－~·]+\s*\d{1,4}\s*[-—–－~·]+|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
#: a table row whose one text is a page number (“3”, “-3-”, “第3页”, “3页”): the row stream of a table split
#: over pages, where a bare number on its own is a page number too
PAGE_NUMBER_CELL = re.compile(r"^(?:第?[-—–－]*\d{1,3}[-—–－]*页?(?:共\d+页)?|[-—–－]+\d{1,3}[-—–－]+)$")

#: what agencies shorten at the end of their own names → the name the register uses (上海市科委)
AGENCY_ABBREVIATIONS = {
    "科委": "科学技术委员会",
    "发改委": "发展和改革委员会",
    "经信委": "经济和信息化委员会",
    "教委": "教育委员会",
    "卫健委": "卫生健康委员会",
    "住建委": "住房和城乡建设委员会",
    "交通委": "交通委员会",
    "商务委": "商务委员会",
    "国资委": "国有资产监督管理委员会",
    "民宗委": "民族和宗教事务委员会",
    "农委": "农业委员会",
    "侨办": "侨务办公室",
    "人社局": "人力资源和社会保障局",
    "市监局": "市场监督管理局",
}

#: how an agency's name (or a signature line) ends
AGENCY_ENDINGS = ("人民政府", "政府", "办公室", "办公厅", "委员会", "管委会", "局", "厅", "委", "署", "中心")

#: abbreviations of departments' names at the end of a name, which the batch folds when it matches one
#: agency across reports (besides AGENCY_ABBREVIATIONS, which the document stage writes out too)
DEPARTMENT_ABBREVIATIONS = {
    "发改局": "发展和改革局", "住建局": "住房和城乡建设局", "卫健局": "卫生健康局", "教体局": "教育体育局",
    "市场监管局": "市场监督管理局", "医保局": "医疗保障局", "退役军人局": "退役军人事务局", "应急局": "应急管理局",
    "城管局": "城市管理局", "交通局": "交通运输局", "资规局": "自然资源和规划局", "文旅局": "文化和旅游局",
}

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
