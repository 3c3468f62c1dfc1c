"""Section 五 as its parts: the problems stated, the improvement measures, and (2021 format) how last
year's problems were rectified.

A section is cut into pieces (sentences, run-in list items, colon-ended lead-ins, lines), and read in
order. Headings and lead-ins (（一）存在的主要问题, 下一步…以下措施：, 上年度问题整改情况, …) switch the
part being read; enumerated items (一是…, 1., （一）, ①) run on over the sentences that follow them until
the next marker or line; everything else is one item per sentence. The cue patterns live in
``data/lexicon.yaml`` (``segment``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.narrative.tokens import lexicon
from audit.vocab import FULL_STOPS, ends_sentence, sentence_ends

PROBLEM, MEASURE, RECTIFICATION, FRAME = "problem", "measure", "rectification", "frame"
#: a sentence that opens on next year (or the year after the report's) and says what will be done
_NEXT_YEAR = re.compile(r"^\s*(?:(?:(?P<y>(?:19|20)[0-9]{2})\s*年度?|明年|来年|新的一年)[^。；]{0,14}将"
                        r"|(?P<y2>(?:19|20)[0-9]{2})\s*年(?:(?:[0-9０-９一二三四五六七八九十]{1,2}月)?(?:底|末)?(?:起|前|以前|开始)"
                        r"|[上下]半年|(?:第?[一二三四1-4])季度|底前|内)"
                        r"|(?P<y3>(?:19|20)[0-9]{2})\s*年\s*[，,])")
#: the section's own title (五、…存在的主要问题及改进情况), run into the text by crawlers: a frame that opens no part
_TITLE = re.compile(r"^\s*(?:[五5]\s*[、.．]\s*)?(?:政府信息公开工作)?存在的?主要问题(?:及|和)改进情况\s*[：:]?")
#: an item without a cue that reads as a promise rather than a finding
_PROMISE = re.compile(r"^(?:\S{0,12}将|要|进一步|持续|加强|加大|推进|推动|完善|健全|建立|强化|深化|提升|提高|开展|组织|落实|做好"
                      r"|围绕|聚焦|严格|坚持|加快|丰富|拓宽|创新|优化|深入|积极|定期|拓展|扩大|增强|注重|着力|切实|继续"
                      r"|不断|努力|充分|广泛|全力|认真|抓好|抓实|用好|发挥|探索|畅通|细化|明确|压实|确保|大力|力争|争取)")


@dataclass(frozen=True)
class Unit:
    """One problem, measure or rectification statement (or a frame: a heading or lead-in)."""

    role: str
    start: int
    end: int
    text: str
    marker: str = ""  # the enumeration marker it began with ("一是", "1.", "（一）"), if any

    @property
    def body(self) -> str:
        """The text without its enumeration marker."""
        return self.text[len(self.marker):].strip()


@dataclass
class Segmentation:
    text: str
    units: list[Unit] = field(default_factory=list)

    def role(self, role: str) -> list[Unit]:
        return [u for u in self.units if u.role == role]

    @property
    def problems(self) -> list[Unit]:
        return self.role(PROBLEM)

    @property
    def measures(self) -> list[Unit]:
        return self.role(MEASURE)

    @property
    def rectification(self) -> list[Unit]:
        return self.role(RECTIFICATION)

    @property
    def frames(self) -> list[Unit]:
        return self.role(FRAME)

    @property
    def statements(self) -> list[Unit]:
        """Every unit that is not a frame, in text order."""
        return [u for u in self.units if u.role != FRAME]


def _pieces(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, starts_line) of each piece: split after sentence ends and colons, at line breaks and
    after a run-in list opening (…不足，如…)."""
    cuts = {0, len(text)}
    title = _TITLE.match(text)
    if title:
        cuts.add(title.end())
    cuts.update(sentence_ends(text, colons=True))
    for m in lexicon().segment["list_open"].finditer(text):
        cuts.add(m.end())
    cuts.update(_mid_sentence_measures(text))
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        s, e = a, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and not re.search(r"\w", text[s:e]) and out:
            out[-1] = (out[-1][0], e, out[-1][2])  # a stray 。 after a cut (…主要表现在。) joins the piece before
        elif e > s:
            out.append((s, e, a == 0 or text[a - 1] == "\n" or "\n" in text[a:s]))
    return out


#: a promise that follows the problem inside one sentence (…内容公开不够全面，下步打算将进一步扩大公开内容…)
_MID_MEASURE = re.compile(r"[，,]\s*(?=(?:下一步|下步|今后|下一年度?|明年)[^，,。；;]{0,6}?(?:将|打算|计划|要))")


def _mid_sentence_measures(text: str) -> list[int]:
    """Where a measure opens inside the sentence of the problem it follows: after the comma before 下一步/下步/
    今后…将 when what comes before it in the sentence says what is lacking and is no lead-in itself (not
    "针对上述问题，下一步…", a lead-in that points back)."""
    seg = lexicon().segment
    out = []
    for m in _MID_MEASURE.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in f"{FULL_STOPS}；;\n") + 1
        before = text[start:m.start()]
        if (seg["problem_predicate"].search(before) and not seg["measure"].search(before)
                and not _POINTING.search(before)):
            out.append(m.end())
    return out


#: a lead word followed by the first item of a list (下一步，一是…)
_LIST_AFTER_LEAD = re.compile(r"^\s*[^，,。；]{1,10}[，,]\s*(?:一是|[（(]一[)）]|1\s*[.、．])")
#: words that turn a mention of the problems into the lead-in of the measures (针对存在的不足，…将采取以下措施)
_POINTING = re.compile(r"针对|对照|对于|根据|为此|对此|就|结合|围绕|鉴于")


def _cue(piece: str, year: int | None) -> str | None:
    seg = lexicon().segment
    if seg["rect"].search(piece):
        return RECTIFICATION
    for m in seg["rect_year"].finditer(piece):
        y = int(m.group("year") or m.group("year2"))
        if year is not None and y < year:
            return RECTIFICATION
    m, p = seg["measure"].search(piece), seg["problem"].search(piece)
    if m and p and p.start() < m.start() and not _POINTING.search(piece[:p.start()]):
        return PROBLEM  # “存在的问题及改进措施”: the problems come first, a promise then opens the measures
    if m:
        return MEASURE
    if p:
        return PROBLEM
    return None


def _is_frame(piece: str, body: str, cue: str | None, own_line: bool) -> bool:
    """A heading or lead-in: it opens a part and states nothing itself."""
    seg = lexicon().segment
    stripped = piece.rstrip()
    if stripped.endswith(("：", ":")):
        return True
    if cue is None:
        return False
    lead_in = seg["list_open"].search(stripped)
    if re.search(r"以下|如下", piece) or (lead_in and lead_in.end() == len(stripped)):
        return True
    if own_line and len(body) <= 24 and not ends_sentence(stripped) and not stripped.endswith(("，", ",")):
        return True  # a heading line (not a clause cut before a promise in its sentence)
    openings = list(seg["opening"].finditer(piece)) if cue == PROBLEM else []
    if openings:
        rest = piece[openings[-1].end():]
        clause = re.split(r"[，,]", rest, maxsplit=1)[1] if re.search(r"[，,]", rest) else ""
        # the problems are in the sentence: “…取得一定成效，但仍存在公开不够及时、形式较为单一等问题。”,
        # “…仍有一些薄弱环节，政务公开与政务服务融合的深度还不够。” — not “…，仍存在一定差距。” nor
        # “…但也存在一些问题和不足。” (lead-ins)
        return not (seg["problem_predicate"].search(seg["problem"].sub("", clause))
                    or (_LIST_END.search(rest) and seg["problem_predicate"].search(rest)))
    if cue == MEASURE and any(m.end() >= len(stripped) - 1 for m in seg["measure"].finditer(stripped)):
        return True  # “…逐项抓好改进。”: the cue closes the sentence
    if cue == PROBLEM and any(m.end() >= len(stripped) - 1 and "问题" in m.group(0)
                              and not seg["problem_predicate"].search(m.group(0))
                              for m in seg["problem"].finditer(stripped)):
        return True  # “2019年度政府信息公开工作中存在的主要问题。” (not “…仍存在…不及时等问题。”)
    if cue == RECTIFICATION or len(body) > 12:
        return False
    residue = re.sub(r"[\W_]", "", seg[cue].sub("", body))
    return len(residue) <= 4  # “存在问题。” “改进措施。”


def segment(text: str, year: int | None = None) -> Segmentation:
    """Cut a section-五 text into problem, measure, rectification and frame units (offsets into ``text``)."""
    marker_re = lexicon().segment["marker"]
    seg = Segmentation(text)
    mode: str | None = None
    cur: list | None = None  # [role, start, end, marker, enumerated]
    interleaved = False  # items that carry their own measure (一是<problem>。对此，<measure>。二是…)

    def close() -> None:
        nonlocal cur
        if cur is not None:
            role, s, e, marker, _ = cur
            seg.units.append(Unit(role, s, e, text[s:e], marker))
        cur = None

    for s, e, own_line in _pieces(text):
        piece = text[s:e]
        m = marker_re.match(piece)
        marker = m.group(0).strip() if m else ""
        body = piece[m.end():] if m else piece
        if s == 0 and _TITLE.match(piece) and _TITLE.match(piece).end() >= len(piece.rstrip()):
            seg.units.append(Unit(FRAME, s, e, piece, marker))  # the section title: no part opened
            continue
        cue = _cue(piece, year)
        if _is_frame(piece, body, cue, own_line or bool(m)):
            close()
            mode = cue
            interleaved = False
            seg.units.append(Unit(FRAME, s, e, piece, marker))
            continue
        opening = lexicon().segment["measure"].search(body)
        opens_measure = cue == MEASURE and not marker and opening is not None and opening.start() <= 6
        nxt = _NEXT_YEAR.search(body)
        ny = nxt and (nxt.group("y") or nxt.group("y2"))
        if nxt and nxt.group("y3"):  # “2025年，各站所明确1名信息员…”: a later year than the report's opens the plan
            nxt = nxt if year is not None and int(nxt.group("y3")) > year else None
        if nxt and not marker and cue is None and (ny is None or year is None or int(ny) > year):
            opens_measure, cue = True, MEASURE  # “2026年，本厅将…” after the problems
        continuing = cur is not None and cur[4] and not marker and not own_line
        if continuing and not (opens_measure and cur[0] == PROBLEM):
            cur[2] = e
            continue
        if continuing and _LIST_AFTER_LEAD.match(body):  # “下一步，一是…”: the measures' own list begins
            close()
            mode = MEASURE
            cur = [MEASURE, s, e, "", True]
            continue
        if continuing:  # a problem item goes on with its own measure (一是…未更新。对此，…): interleaved
            close()
            interleaved = True
            cur = [MEASURE, s, e, "", True]
            continue
        close()
        if interleaved and marker and mode in (None, PROBLEM):
            role = MEASURE if _PROMISE.search(body) else PROBLEM  # the next item of an interleaved list
            cur = [role, s, e, marker, True]
            continue
        if cue == RECTIFICATION or opens_measure:
            mode = cue
        elif cue == PROBLEM and mode == RECTIFICATION:
            mode = PROBLEM  # after last year's account, this year's problems (“2024年，…仍存在…等问题。”)
        role = mode or (MEASURE if _PROMISE.search(body) else PROBLEM)
        cur = [role, s, e, marker, bool(marker)]
    close()
    seg.units = [v for u in seg.units for v in (split_list(u) if u.role == PROBLEM else [u])]
    return seg


_CLAUSE_END = re.compile(r"[，,、；;]")
#: a clause that adds a further point to a problem (…，同时…；此外…)
_ALSO = re.compile(r"[，,；;。]\s*(?:同时|此外|另外)(?=[^，,])")
#: a run-in list of problems closed inside a sentence (…不够及时、…较为单一等问题)
_LIST_END = re.compile(r"等(?:问题|不足|方面)")


def _topics(text: str) -> set[str]:
    return {t for t, kws in lexicon().topics.items() if any(k in text for k in kws)}


def _distinct_topics(a: str, b: str) -> bool:
    """Two clauses on different subjects of the work (业务能力不强，政策解读的形式较为单一): two problems."""
    ta, tb = _topics(a), _topics(b)
    return bool(ta) and bool(tb) and not ta & tb


#: a subject that is a list of aspects before one predicate (在公开内容、方式创新、政府开放日活动等方面仍有不足)
_ASPECTS = re.compile(r"(?:^|[，,])(?P<lead>[^、，,。；]*?(?:在|如|对)?)(?P<items>[^、，,。；]{2,16}(?:、[^、，,。；]{2,16}){2,5})等?方面"
                      r"(?P<rest>[^。；]*)$")


def _split_aspects(unit: Unit) -> list[Unit] | None:
    """One problem per aspect when a single statement lists three or more aspects before one predicate
    (…公开内容、方式创新、政府开放日活动方面有待提升): each aspect is a subject a measure must answer."""
    body = unit.text.rstrip("。；; ")
    m = _ASPECTS.search(body)
    if not m or not lexicon().segment["problem_predicate"].search(m.group("rest")):
        return None
    out, at = [], m.start("items")
    items = m.group("items").split("、")
    for i, item in enumerate(items):
        a, b = at, at + len(item)
        if i == 0:
            a = 0
        if i == len(items) - 1:
            b = len(unit.text.rstrip())
        out.append(Unit(unit.role, unit.start + a, unit.start + b, unit.text[a:b], unit.marker if i == 0 else ""))
        at = b + 1
    return out


def split_list(unit: Unit) -> list[Unit]:
    """A problem statement that runs several problems together (…规范性有待提高、…深度和广度有待提升、
    …队伍建设有待加强等): one unit per problem when three or more of its clauses each say what is lacking
    (``problem_predicate`` of the lexicon) — only for one unnumbered sentence; a clause without such a word belongs to the problem after it
    (its subject) or, at the end, to the one before. Two such clauses are one problem and its elaboration,
    unless they are on different subjects of the work (two problems)."""
    pred = lexicon().segment["problem_predicate"]
    text, base = unit.text, unit.start
    also = _ALSO.search(text)
    if also and pred.search(text[:also.start()]) and pred.search(text[also.end():]) \
            and _distinct_topics(text[:also.start()], text[also.end():]):
        # “…调度不及时导致发布滞后，同时从事信息公开工作的人员非专职…工作力量不足”: one item that adds a second
        # problem on another subject is two problems, each wanting its own measure
        a, b = also.start(), also.start() + len(also.group(0)) - len(also.group(0).lstrip("，,；;。 "))
        return [Unit(unit.role, base, base + a, text[:a], unit.marker),
                Unit(unit.role, base + b, unit.end, text[b:], "")]
    if unit.marker or re.search(rf"[{FULL_STOPS}]\s*\S", text):
        return [unit]  # an enumerated item, or several sentences: one problem told at length
    cuts, at = [], len(unit.marker)
    for m in _CLAUSE_END.finditer(text):
        cuts.append((at, m.start(), m.end()))
        at = m.end()
    if at < len(text):
        cuts.append((at, len(text), len(text)))
    groups: list[list[int]] = []  # [start, end] offsets within text
    open_start = None
    for a, b, after in cuts:
        if open_start is None:
            open_start = a
        if pred.search(text[a:b]):
            groups.append([open_start, after])
            open_start = None
    if open_start is not None and groups:
        groups[-1][1] = len(text)
    if len(groups) == 2 and not _distinct_topics(text[groups[0][0]:groups[0][1]], text[groups[1][0]:]):
        return [unit]  # a problem and its elaboration
    if len(groups) < 2:
        return _split_aspects(unit) or [unit]
    groups[0][0] = 0
    out = []
    for i, (a, b) in enumerate(groups):
        while b > a and (text[b - 1].isspace() or text[b - 1] in "，,、；;"):
            b -= 1
        out.append(Unit(unit.role, base + a, base + b, text[a:b], unit.marker if i == 0 else ""))
    return out
