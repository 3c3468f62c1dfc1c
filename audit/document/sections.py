"""The six sections 一…六 of an annual report, found by their headings.

Reports word and number their headings freely: 四、因政府信息公开工作被申请行政复议和提起行政诉讼情况,
五、政府信息公开工作存在的主要问题及改进情况, a body numbered on its own with the tables numbered
separately (a Shanghai commission's 一…六 body, then 一、二、三 for the tables), section 五 with no
heading at all, only its （一）主要问题. So a heading is recognised by its **wording**, its number is
evidence, and the six are chosen together: the strongest chain of candidates in reading order whose
section numbers rise (a dynamic programme over the candidates), so table 三's row “三、本年度办理结果”
or a body heading “三、主动公开工作情况” never displaces a real section.

Headings come numbered 一、, 1、, 1., （一）, 第一部分, or not at all; a converter's ``##`` or bold markers and
indentation are stripped first. ``Section.marker`` keeps the number as printed (None when the section has
no heading of its own: it starts at its sub-item, （一）主要问题 or （二）依申请公开, or at its table, told by
the format's labels), so the checks can say where the numbering departs from the format (STRUCT-NUMBERING)
instead of the reader guessing silently. A heading whose number and wording agree but which the rising
chain cannot hold (a section printed out of order) is kept where it stands.

A section runs from its heading to the block before the next section's heading; the last one stops
before the closing matter (抄送, the issuing office, the date line). ``Section.text`` is its running
text without the heading and without tables; sub-items （一）（二）… become ``subsections``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from audit.ingest.normalize import is_heading_like
from audit.model import Document, Paragraph, Section, Table
from audit.vocab import AGENCY_ENDINGS, NUMERALS

#: The official titles, for a section found without a heading of its own.
TITLES = {
    1: "总体情况",
    2: "主动公开政府信息情况",
    3: "收到和处理政府信息公开申请情况",
    4: "政府信息公开行政复议、行政诉讼情况",
    5: "存在的主要问题及改进情况",
    6: "其他需要报告的事项",
}

#: What a heading of each section says, whatever its number (official wording and the variants seen).
WORDING = {
    1: re.compile(r"^(?:总体情况|工作概况|基本情况|概述|总体概况)"
                  r"|^(?:政府信息公开|政务公开)(?:工作)?(?:的)?(?:总体|基本|整体)(?:工作)?情况"
                  r"|^(?:政府信息公开|政务公开)(?:工作)?(?:概况|概述)"),
    2: re.compile(r"主动公开政府信息"),
    3: re.compile(r"收到和处理.{0,8}申请|依申请公开政府信息"),
    4: re.compile(r"复议.{0,16}诉讼"),
    5: re.compile(r"(?:存在的?)?主要问题|问题(?:及|和|与)改进|存在.{0,4}问题"),
    6: re.compile(r"其他需要?报告的?事项|^其他事项"),
}
#: A section 五 that has no heading begins at its first sub-item about problems.
#: A section 一 that has no heading (an excerpt copied from a portal) begins at its first sub-item, one of
#: the 2021 format's （一）主动公开 （二）依申请公开 （三）政府信息管理 （四）平台建设 （五）监督保障, under its own number.
SUBITEM_WORDING = {5: re.compile(r"问题")}
SECTION_ONE_ITEMS = {
    1: re.compile(r"^主动公开(?!政府信息情况)"),
    2: re.compile(r"^依申请公开(?!政府信息情况)"),
    3: re.compile(r"^政府信息(?:管理|资源管理)"),
    4: re.compile(r"^(?:政府信息公开|政务公开)?平台建设"),
    5: re.compile(r"^监督保障"),
}

_NUMERALS = NUMERALS
_TOP_MARKER = re.compile(rf"^\s*(?:第([{_NUMERALS}])部分[、.．：:\s]*|([{_NUMERALS}])\s*[、.．,，]\s*|([1-9])\s*(?:[、．]|[.,，](?!\d))\s*)")
_SUB_MARKER = re.compile(rf"^\s*[（(]\s*([{_NUMERALS}]{{1,2}})\s*[）)]\s*")
_TITLE_END = re.compile(r"^[^。；;，,：:]{2,40}?(?:情况|事项|方面)")
_TITLE_STOP = re.compile(r"^(?!\d)[^。：:；;，,（(]{2,40}")
_NOT_HEADING = re.compile(r"^(?:表|附表|注|说明)")

# closing matter after section 六
_CLOSING = re.compile(
    r"^(?:抄送|主送|抄报|附件|附：|联系人|联系电话|（此件|\(此件|打印|校对)"
    r"|^(?:[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭|分享到|收藏|返回顶部|附件下载)\s*[】\]]?\s*)+$"
)
_DATE_LINE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
    r"\s*(?:印发|发布|公布)?\s*$"
)
_SIGNATURE = re.compile(rf"^.{{2,30}}(?:{'|'.join(AGENCY_ENDINGS + ('办', '院'))})$")  # a closing signature: 办, 院 too


@dataclass(frozen=True)
class Candidate:
    """A block that may open a section."""

    block: int
    number: int
    strength: float  # 3 number and wording agree · 2 wording under another number · 1 wording alone · 0.5 sub-item
    title: str  # the heading's title, without its number
    rest: str  # text of the heading block after the title (a crawler's heading glued to its text)
    own_heading: bool = True  # False when the section starts at a sub-item and keeps it in its text
    marker: str | None = ""  # the number as printed ("五", "1", "（一）", "第一部分"; "" none); None: no heading


def heading_title(text: str) -> tuple[str, str] | None:
    """Split a block that opens with a heading into (title, the text after it); None when the block's
    opening is no heading (a sentence)."""
    text = text.strip()
    m = _TITLE_END.match(text)
    if not m and is_heading_like(text, max_len=45):
        return text, ""
    m = m or _TITLE_STOP.match(text)
    if not m:
        return None
    return m.group(0).strip(), text[m.end():].lstrip(" 。：:；;，,")


#: what a converter or an editor puts before a heading: markdown's #, bold, a bullet
_DECORATION = re.compile(r"^\s*(?:#{1,6}\s*|\*\*|__|[●■◆▲•]\s*)+")


def strip_decoration(text: str) -> str:
    """A heading line without markdown's ``##``, bold markers or a bullet, and without indentation."""
    text = _DECORATION.sub("", text.strip())
    return re.sub(r"(?:\*\*|__)\s*$", "", text).replace("**", "").strip()


def printed_number(marker: str | None) -> int | None:
    """The section number a printed marker says: "五" → 5, "1" → 1, "（一）" → 1, "第六部分" → 6."""
    if not marker:
        return None
    m = re.search(rf"[{_NUMERALS}1-9]", marker)
    return _numeral(m.group(0)) if m else None


#: the official tables 二…四 told by row and column labels only they carry (a report's tables without
#: their headings); a table is one of them when at least two of its short cells carry such labels
TABLE_LABELS = {
    2: re.compile(r"规范性文件|行政许可|行政处罚|行政强制|行政事业性收费|第二十条|本年新制作|对外公开总数量|采购总金额"),
    3: re.compile(r"本年新收|上年结转|予以公开|部分公开|不予公开|无法提供|不予处理|结转下年度|自然人|法律服务机构"),
    4: re.compile(r"行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|复议后起诉|直接起诉"),
}
_NUMBER_CELL = re.compile(r"^\s*-?\d[\d,.]*\s*$")


def table_kind(table: Table) -> int | None:
    """Which of the tables 二, 三, 四 of the format ``table`` is, by its labels (two or more short cells
    with a label of that table, and figures); None for another table (a list, a table of words)."""
    cells = [c.text.strip() for row in table.rows for c in row if c is not None and c.text.strip()]
    if sum(bool(_NUMBER_CELL.match(c)) for c in cells) < 2:
        return None
    short = [c for c in cells if len(c) <= 30]
    best, kind = 1, None
    for k, pat in TABLE_LABELS.items():
        hits = len({pat.search(c).group(0) for c in short if pat.search(c)})
        if hits > best:
            best, kind = hits, k
    return kind


def candidates(doc: Document) -> list[Candidate]:
    """Every block that may open a section."""
    out = []
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Table):
            k = table_kind(block)
            if k is not None:  # a table of the format opens its section when no heading does
                out.append(Candidate(i, k, 0.4, TITLES[k], "", own_heading=False, marker=None))
            continue
        if not isinstance(block, Paragraph):
            continue
        text = strip_decoration(block.text)
        top = _TOP_MARKER.match(text)
        sub = _SUB_MARKER.match(text) if not top else None
        body = text[(top or sub).end():] if (top or sub) else text
        split = heading_title(body)
        if split is None:
            continue
        title, rest = split
        if top:
            raw = top.group(1) or top.group(2) or top.group(3)
            number = _numeral(raw)
            marker = f"第{raw}部分" if top.group(1) else raw
            for k, pat in WORDING.items():
                if pat.search(title):
                    out.append(Candidate(i, k, 3.0 if k == number else 2.0, title, rest, marker=marker))
        elif sub:
            number = _numeral(sub.group(1)) if len(sub.group(1)) == 1 else None
            for k, pat in WORDING.items():  # a report that numbers its six sections （一）…（六）
                if k == number and pat.search(title) and len(title) <= 30:
                    out.append(Candidate(i, k, 2.5, title, rest, marker=f"（{sub.group(1)}）"))
            for k, pat in SUBITEM_WORDING.items():
                if pat.search(title):
                    out.append(Candidate(i, k, 0.5, TITLES[k], "", own_heading=False, marker=None))
            if number in SECTION_ONE_ITEMS and SECTION_ONE_ITEMS[number].search(title):
                out.append(Candidate(i, 1, 0.5, TITLES[1], "", own_heading=False, marker=None))
        elif not rest and not _NOT_HEADING.match(title) and len(title) <= 30:
            for k, pat in WORDING.items():
                if pat.search(title):
                    out.append(Candidate(i, k, 1.0, title, ""))
    return _discount_contents_lists(out)


def _discount_contents_lists(cands: list[Candidate]) -> list[Candidate]:
    """A heading followed at once by the numbered heading of another section opens nothing: a table of
    contents (目录) or the preamble's list of parts. Keep such candidates, at a quarter of their
    strength, so the body's headings win whenever the body has them."""
    numbered = {c.block: c.number for c in cands if c.own_heading and c.strength >= 2}
    return [replace(c, strength=c.strength / 4)
            if c.own_heading and numbered.get(c.block + 1, c.number) != c.number and not c.rest else c
            for c in cands]


def _numeral(s: str) -> int:
    return int(s) if s.isdigit() else _NUMERALS.index(s) + 1


def choose(cands: list[Candidate]) -> list[Candidate]:
    """The strongest chain of candidates rising in both block order and section number."""
    if not cands:
        return []
    cands = sorted(cands, key=lambda c: (c.block, c.number))
    best = [c.strength for c in cands]
    prev: list[int | None] = [None] * len(cands)
    for j, cj in enumerate(cands):
        for i in range(j):
            ci = cands[i]
            if ci.block < cj.block and ci.number < cj.number and best[i] + cj.strength > best[j]:
                best[j], prev[j] = best[i] + cj.strength, i
    j = max(range(len(cands)), key=lambda k: (best[k], -cands[k].block))
    chain = []
    while j is not None:
        chain.append(cands[j])
        j = prev[j]
    return chain[::-1]


def _closing_start(doc: Document, after: int) -> int:
    """Index of the first block of the closing matter (抄送, signature, date line) after ``after``."""
    start = len(doc.blocks)
    for i in range(len(doc.blocks) - 1, after, -1):
        b = doc.blocks[i]
        if not isinstance(b, Paragraph):
            break
        lines = [ln.text.strip() for ln in b.lines if ln.text.strip()] if len(b.lines) > 1 else [b.text.strip()]
        if lines and all(_closing_line(t) for t in lines):  # a PDF may join the office and the date below it
            start = i
        else:
            break
    return start


def _closing_line(t: str) -> bool:
    return bool(_CLOSING.match(t) or _DATE_LINE.match(t) or (_SIGNATURE.match(t) and len(t) <= 30))


#: Sections written as narrative (the others are tables 二–四, whose row labels carry the same markers).
NARRATIVE = (1, 5, 6)


def subsections(paragraphs: list[str]) -> list[tuple[str, str]]:
    """Sub-items of a section's paragraphs, (heading, text): （一）（二）…, or 一、二、… where a body
    numbers its parts on its own inside a section (a Shanghai commission's section 一)."""
    out: list[tuple[str, list[str]]] = []
    for p in paragraphs:
        m = _SUB_MARKER.match(p) or _TOP_MARKER.match(p)
        split = heading_title(p[m.end():]) if m else None
        if split:
            title, rest = split
            out.append((p[:m.end()].strip() + title, [rest] if rest else []))
        elif out:
            out[-1][1].append(p)
    return [(h, "\n".join(t)) for h, t in out]


def out_of_order(cands: list[Candidate], chain: list[Candidate]) -> list[Candidate]:
    """Headings whose number and wording agree, of sections the chain lacks: a section printed out of
    order (一、二、四、三…), which a chain rising in number cannot hold. Each is kept (the checks say the
    order is wrong); a heading inside a table-of-contents list was already discounted below 3."""
    have = {c.number for c in chain}
    taken = {c.block for c in chain}
    out: dict[int, Candidate] = {}
    for c in cands:
        if c.strength >= 3 and c.number not in have and c.block not in taken and c.number not in out:
            out[c.number] = c
    return list(out.values())


def find_sections(doc: Document) -> list[Section]:
    """The sections of ``doc`` in reading order (missing ones are simply absent; one printed out of
    order stays where it is printed)."""
    cands = candidates(doc)
    chain = choose(cands)
    chain = sorted(chain + out_of_order(cands, chain), key=lambda c: c.block)
    sections = []
    for n, c in enumerate(chain):
        if n + 1 < len(chain):
            last = chain[n + 1].block - 1
        else:
            last = _closing_start(doc, c.block) - 1
        first_body = c.block + 1 if c.own_heading else c.block
        blocks = doc.blocks[c.block:last + 1]
        paras = [b.text for b in doc.blocks[first_body:last + 1] if isinstance(b, Paragraph)]
        if c.rest:
            paras.insert(0, c.rest)
        pages: set[int] = set()
        for b in blocks:
            pages.update(b.pages if isinstance(b, (Paragraph, Table)) else [])
        sections.append(Section(
            number=c.number,
            title=c.title,
            pages=sorted(p for p in pages if p),
            text="\n".join(paras),
            first_block=c.block,
            last_block=last,
            subsections=subsections(paras) if c.number in NARRATIVE else [],
            marker=c.marker,
        ))
    return sections
