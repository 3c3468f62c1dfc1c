"""Text against tables: the figures the narrative states about fields (Matcher patterns in claims.yaml),
and 其中-lists whose parts add up to more than their total.

The patterns compile once per process (:func:`patterns`) against the shared pipeline of
:func:`audit.nlp.get_nlp`. Sentences are matched one by one; every finding quotes its sentence with the
sentence's character span in the section's text.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from audit.checks import explain
from audit.checks.engine import Ctx, TextFigure, Verdict, finding_kind, kind, severity
from audit.checks.numeric import BLANKISH, terms
from audit.checks.ruleset import Rule
from audit.model import Finding, Location, Section, Text, ValueKind
from audit.nlp import get_nlp

_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")
_CN_NUM = re.compile(r"(?<![第])[零〇一二两三四五六七八九十百千万]+(?=\s*[件起条项个])")
MAX_PIECES = 3


# ------------------------------------------------------------------------------------------- numerals


def arabic(text: str) -> tuple[str, list[int]]:
    """``text`` with Chinese numerals before a unit turned into digits, and for each character of the
    result the offset of the character it came from in ``text``."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _CN_NUM.finditer(text):
        import cn2an  # here, not at import: most sentences have no Chinese numeral (cn2an costs 0.1–0.4 s)

        try:
            digits = str(int(cn2an.cn2an(m.group(0), "smart")))
        except (ValueError, KeyError, TypeError):
            continue
        out.append(text[pos:m.start()])
        where.extend(range(pos, m.start()))
        out.append(digits)
        where.extend([m.start()] * (len(digits) - 1) + [m.end() - 1])  # the last digit ends where the numeral ends
        pos = m.end()
    out.append(text[pos:])
    where.extend(range(pos, len(text)))
    return "".join(out), where


def number_of(text: str) -> int | None:
    try:
        return int(text.replace(",", "").replace("，", ""))
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------- patterns


@dataclass(frozen=True)
class ClaimDef:
    id: str
    label_zh: str
    label_en: str
    units: tuple[str, ...]
    fields: tuple
    accept: tuple
    subject: dict
    formats: tuple[str, ...]
    zero_value: int | None
    priority: int = 0  # matched first; a lower-priority match inside its words is dropped
    context: tuple[str, ...] = ()  # one of these words must be in the sentence …
    context_sections: tuple[int, ...] = ()  # … unless it is in one of these sections
    also_years: tuple[int, ...] = ()  # offsets from the report year its clause may name (结转至2026年)


@dataclass(frozen=True)
class PatternInfo:
    claim: ClaimDef
    number_first: bool  # the figure comes before the trigger words
    has_number: bool


class Patterns:
    def __init__(self, data: dict):
        from audit.checks import claim_match

        self.columns: dict[str, str] = data["columns"]
        self.info: list[PatternInfo] = []
        # per claim pattern, its phrase items' words (and its units when it has a NUMBER): a sentence can
        # match the pattern only if it holds one word of every phrase item (the tokens a phrase matches are
        # adjacent, so their texts join to it) and one of the units
        self.needs: list[tuple[tuple[str, ...], ...]] = []
        # each claim pattern as steps over the sentence's tokens (audit.checks.claim_match): what spaCy's
        # Matcher found with the token patterns ``_compile`` spells out, with nothing to compile
        self.compiled: list = []
        stops, hard = data["stops"], data["hard_stops"]
        change = tuple(data.get("change_words", ()))
        gaps = {False: _gap_regex(stops, change), True: _gap_regex(hard, change)}
        self._compile_args = (stops, hard, change)
        self.other_period = re.compile(data["other_period"]) if data.get("other_period") else None
        for c in data["claims"]:
            ctx = c.get("context", {})
            cd = ClaimDef(id=c["id"], label_zh=c["label"]["zh"], label_en=c["label"]["en"], units=tuple(c["units"]),
                          fields=tuple(c["fields"]), accept=tuple(tuple(a) for a in c.get("accept", [])),
                          subject=dict(c.get("subject", {})), formats=tuple(c.get("formats", ("2019", "2021"))),
                          zero_value=c.get("value_without_number"), priority=int(c.get("priority", 0)),
                          context=tuple(ctx.get("words", ())), context_sections=tuple(ctx.get("sections", ())),
                          also_years=tuple(c.get("also_years", ())))
            for i, items in enumerate(c["patterns"]):
                need = [tuple("".join(w.split()) for w in it["phrase"])
                        for it in items if isinstance(it, dict) and "phrase" in it]
                if "NUMBER" in items:  # a figure is followed by a token that begins with one of the units
                    need.append(cd.units)
                self.needs.append(tuple(need))
                bad = [it for it in items if it != "NUMBER" and not (isinstance(it, dict) and it.keys() & _ITEMS)]
                if bad:
                    raise ValueError(f"claims.yaml: claim {cd.id}: unknown pattern item {bad[0]!r}")
                self.compiled.append(claim_match.compile_pattern(items, cd.units, gaps.__getitem__, MAX_PIECES))
                has_number = "NUMBER" in items
                if not has_number and cd.zero_value is None:
                    raise ValueError(f"claims.yaml: claim {cd.id}: a pattern without NUMBER needs value_without_number")
                self.info.append(PatternInfo(cd, number_first=items[0] == "NUMBER", has_number=has_number))

    def _possible(self, text: str) -> list[int]:
        """The patterns that can match ``text``: those whose every phrase (and unit) occurs in it."""
        flat = "".join(text.split())
        return [i for i, need in enumerate(self.needs) if all(any(w in flat for w in words) for words in need)]

    def may_match(self, text: str) -> bool:
        """False when no pattern can match ``text`` (one of its phrases is absent): the sentence need not
        be tokenised and matched. Never False for a sentence the Matcher would find a claim in."""
        return bool(self._possible(text))

    def match(self, doc, text: str) -> list[tuple[int, int, int]]:
        """The matches (pattern index, first token, end) of the patterns ``text`` could match, in
        ``doc`` (the tokens of ``text``)."""
        from audit.checks import claim_match

        return claim_match.find(self.compiled, self._possible(text), doc)


_ITEMS = {"phrase", "gap", "token"}


def _segmentations(word: str) -> list[list[str]]:
    out = []
    n = len(word)
    for k in range(0, min(MAX_PIECES, n)):
        for cuts in itertools.combinations(range(1, n), k):
            bounds = (0, *cuts, n)
            out.append([word[a:b] for a, b in zip(bounds, bounds[1:])])
    return out


def _phrase_tokens(pieces: list[str]) -> list[dict]:
    if len(pieces) == 1:
        return [{"TEXT": {"REGEX": re.escape(pieces[0])}}]
    return ([{"TEXT": {"REGEX": re.escape(pieces[0]) + "$"}}] + [{"TEXT": p} for p in pieces[1:-1]]
            + [{"TEXT": {"REGEX": "^" + re.escape(pieces[-1])}}])


def _gap_regex(stops: list[str], change: tuple[str, ...]) -> str:
    """A filler token: not one of ``stops``, and holding no word of ``change`` (同比增加, 较上年多)."""
    rx = "^(?!(?:" + "|".join(map(re.escape, stops)) + ")$)"
    if change:
        rx += "(?!.*(?:" + "|".join(map(re.escape, change)) + "))"
    return rx


def _compile(items: list, units: tuple[str, ...], stops: list[str], hard: list[str],
             change: tuple[str, ...] = ()) -> list[list[dict]]:
    """One claim pattern → the Matcher patterns of every way its phrases may be split into tokens."""
    options: list[list[list[dict]]] = []
    for it in items:
        if it == "NUMBER":
            unit = "^(" + "|".join(map(re.escape, units)) + ")"
            options.append([[{"LIKE_NUM": True}, {"TEXT": {"REGEX": unit}}]])
        elif "phrase" in it:
            options.append([_phrase_tokens(seg) for w in it["phrase"] for seg in _segmentations(w)])
        elif "gap" in it:
            regex = _gap_regex(hard if it.get("cross") else stops, change)
            options.append([[{"LIKE_NUM": False, "TEXT": {"REGEX": regex}, "OP": f"{{0,{int(it['gap'])}}}"}]])
        elif "token" in it:
            options.append([[dict(it["token"])]])
        else:
            raise ValueError(f"claims.yaml: unknown pattern item {it!r}")
    return [sum(combo, []) for combo in itertools.product(*options)]


@lru_cache(maxsize=None)
def patterns(name: str = "claims.yaml") -> Patterns:
    text = (Path(__file__).resolve().parent / name).read_text(encoding="utf-8")
    return Patterns(yaml.safe_load(text))


# --------------------------------------------------------------------------------------------- claims


@dataclass
class Claim:
    """A figure stated in a sentence: which claim, its value, where."""

    claim: ClaimDef
    value: int
    section: Section
    sentence: str
    sent_span: tuple[int, int]  # in the section's text
    number_span: tuple[int, int] | None  # in the section's text
    subject: str | None = None


def _sentences(text: str):
    for m in _SENT.finditer(text):
        if m.group(0).strip():
            yield m.start(), m.end(), m.group(0)


_CLAUSE_STOP = re.compile(r"[，,；;：:。！？]")


def _other_period(pats: Patterns, claim: ClaimDef, clause: str, year: int | None) -> bool:
    """Does the clause of a figure put it in another period (another year named, or 以来)?"""
    if pats.other_period is None:
        return False
    for m in pats.other_period.finditer(clause):
        if not m.group(0).isdigit():
            return True
        if year is not None and int(m.group(0)) - year not in (0, *claim.also_years):
            return True
    return False


def _in_context(claim: ClaimDef, section: Section, text: str) -> bool:
    """Does ``text`` (the sentence and the one before it) hold one of the claim's context words?"""
    if not claim.context or section.number in claim.context_sections:
        return True
    flat = "".join(text.split())
    return any(w in flat for w in claim.context)


def find_claims(section: Section, pats: Patterns, fmt: str | None, year: int | None = None) -> list[Claim]:
    """The figures ``section`` states about table fields, sentence by sentence, in the order said.
    ``year``: the report year (a figure whose clause names another year is not this report's)."""
    nlp = get_nlp()
    out: list[Claim] = []
    before = ""
    for s0, s1, sent in _sentences(section.text):
        context, before = before + sent, sent
        norm, where = arabic(sent)
        if not pats.may_match(norm):
            continue
        doc = nlp.make_doc(norm)
        cands = []
        for match_id, start, end in pats.match(doc, norm):
            info = pats.info[match_id]
            if fmt and fmt not in info.claim.formats:
                continue
            if not _in_context(info.claim, section, context):
                continue
            if not info.has_number:
                cands.append((-info.claim.priority, 2, end - start, start, end, None, info))
                continue
            num_i = start if info.number_first else end - 2
            cands.append((-info.claim.priority, 1 if info.number_first else 0, end - start, start, end, num_i, info))
        found: list[tuple[int, Claim]] = []
        used_numbers: set[int] = set()
        used_triggers: list[tuple[str, int, int]] = []  # (claim, first token, end): a trigger states one figure
        specific: list[tuple[int, int, int]] = []  # (priority, start, end) of the prioritised matches taken
        for neg_priority, prio, length, start, end, num_i, info in sorted(cands, key=lambda c: c[:4]):
            trig = (num_i + 2, end) if info.number_first else (start, (num_i if num_i is not None else end))
            cid = info.claim.id
            if num_i in used_numbers or any(c == cid and a < trig[1] and trig[0] < b for c, a, b in used_triggers):
                continue
            if num_i is None and any(c.claim.id == info.claim.id for _, c in found):
                continue  # a sentence that states the figure says more than its 未发生
            if any(p > info.claim.priority and a <= start and end <= b for p, a, b in specific):
                continue  # words of a more specific statement (予以公开及部分公开…, …被行政复议纠错)
            first = doc[start].idx
            last = doc[end - 1].idx + len(doc[end - 1].text)
            clause_start = max((m.end() for m in _CLAUSE_STOP.finditer(norm, 0, first)), default=0)
            if _other_period(pats, info.claim, norm[clause_start:last], year):
                continue
            value, nspan = info.claim.zero_value, None
            if num_i is not None:
                tok = doc[num_i]
                value = number_of(tok.text)
                if value is None:
                    continue
                a = where[tok.idx]
                b = where[tok.idx + len(tok.text) - 1] + 1
                nspan = (s0 + a, s0 + b)
                used_numbers.add(num_i)
            used_triggers.append((cid, *trig))
            if info.claim.priority:
                specific.append((info.claim.priority, start, end))
            subject = None
            if info.claim.subject:
                upto = sent[: (nspan[0] - s0) if nspan else len(sent)]
                hits = [(upto.rfind(w), key) for w, key in info.claim.subject.items() if w in upto]
                if not hits:
                    continue
                subject = max(hits)[1]
            found.append((num_i if num_i is not None else start, Claim(info.claim, value, section, sent.strip(),
                                                                        (s0, s1), nspan, subject)))
        out.extend(c for _, c in sorted(found, key=lambda x: x[0]))  # in the order the sentence says them
    return out


def _sections(rule: Rule, ctx: Ctx) -> list[Section]:
    want = rule.spec.get("sections", [1, 2, 3, 4, 5, 6])
    return [s for s in ctx.doc.sections if s.number in want]


@kind("claim")
def _claim(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    pats = patterns(rule.spec["patterns"])
    sections = _sections(rule, ctx)
    if not sections:
        v.unassessable.append(Text("没有可读取数字的章节正文", "no section text to read figures from"))
        return v
    for section in sections:
        found = find_claims(section, pats, ctx.fmt, ctx.meta.year)
        for c in found:
            stated = {f for o in found if o is not c and o.sent_span == c.sent_span and not _part_of(c, o)
                      for f in o.claim.fields if isinstance(f, str)}
            _judge(rule, ctx, pats, c, v, stated)
    if not v.findings and not v.passed and not v.unassessable:
        v.inapplicable = Text("正文中没有与统计表单元格对应的数字", "the text states no figure about a table field")
    return v


_PART_OF = re.compile(r"其中|含|包括")


def _part_of(c: Claim, o: Claim) -> bool:
    """Is ``o``'s figure one of ``c``'s parts (受理申请200件，其中上年结转20件; 收到56件（含上年结转2件）)?"""
    if c.number_span is None or o.number_span is None or o.number_span[0] < c.number_span[1]:
        return False
    between = c.section.text[c.number_span[1]:o.number_span[0]]
    return bool(_PART_OF.search(between))


def _total(ctx: Ctx, items, binding: dict):
    """(sum with blanks as 0, field ids, blank ids, missing-or-unreadable ids)."""
    cells = terms(ctx, list(items), binding, 1)
    total, blanks, bad = 0, [], []
    for t in cells:
        if t.value is None or t.value.kind in (ValueKind.MISSING, ValueKind.UNREADABLE):
            bad.append(t.fid)
        elif t.value.kind in BLANKISH:
            blanks.append(t.fid)
        else:
            total += t.value.value
    return total, [t.fid for t in cells], blanks, bad


def _judge(rule: Rule, ctx: Ctx, pats: Patterns, c: Claim, v: Verdict, stated: set[str]) -> None:
    """Compare one figure with its cells. ``stated``: the fields the same sentence gives figures for
    elsewhere (收到53件，另有上年结转3件: the 53 does not include the carried-in ones)."""
    binding = {"subject": c.subject} if c.subject else {}
    table_value, ids, blanks, bad = _total(ctx, c.claim.fields, binding)
    quote = f"“{c.sentence}”"
    if not ids or bad:
        cells = explain.cells_text(ctx.fields, bad) if bad else Text(c.claim.label_zh, c.claim.label_en)
        v.unassessable.append(Text(f"{quote}：统计表中没有{cells.zh}的数值", f"{quote}: no table value for {cells.en}"))
        return
    figure = None if blanks else TextFigure(tuple(ids), c.value, c.sentence)
    if table_value == c.value:
        v.passed += 1
        if figure:
            v.claims.append(figure)
        else:
            cells = explain.cells_text(ctx.fields, blanks)
            v.unassessable.append(Text(f"{quote}：仅当空白单元格{cells.zh}按0计算时相符",
                                       f"{quote}: matches only when blank cells {cells.en} are read as 0"))
        return
    for alt in c.claim.accept:
        if stated & (set(alt) - set(c.claim.fields)):
            continue
        alt_value, _, alt_blanks, alt_bad = _total(ctx, alt, binding)
        if not alt_bad and not alt_blanks and alt_value == c.value:
            v.passed += 1
            v.claims.append(TextFigure(tuple(alt), c.value, c.sentence))  # the reading the text means
            return
    if figure is None:
        cells = explain.cells_text(ctx.fields, blanks)
        v.unassessable.append(Text(f"{quote}：统计表单元格为空白：{cells.zh}", f"{quote}: table cells blank: {cells.en}"))
        return
    figure.finding = _claim_finding(rule, ctx, pats, c, table_value, ids, binding)
    v.findings.append(figure.finding)
    v.claims.append(figure)


def _only_matches(ctx: Ctx, pats: Patterns, c: Claim, ids: list[str], binding: dict) -> tuple[str, str] | None:
    """Does the figure match one sub-row of the claim's fields, or one applicant column instead of 总计?"""
    if len(ids) > 1:
        for f in ids:
            x = ctx.fields.get(f)
            if x is not None and x.is_number and x.value == c.value:
                lbl = explain.cell_label(f, x)
                return f"该数字仅与其中一行（{lbl}）相符", f"the figure matches only one of its rows ({lbl})"
    for col, label in pats.columns.items():
        items = [it.replace(".total", f".{col}") if isinstance(it, str) else
                 {"one_of": [a.replace(".total", f".{col}") for a in it["one_of"]]} for it in c.claim.fields]
        if items == list(c.claim.fields):
            return None
        value, _, blanks, bad = _total(ctx, items, binding)
        if not bad and not blanks and value == c.value:
            return f"该数字仅与“{label}”一列相符，而非总计", f"the figure matches only the “{label}” column, not the total"
    return None


def _claim_finding(rule: Rule, ctx: Ctx, pats: Patterns, c: Claim, table_value, ids: list[str],
                   binding: dict) -> Finding:
    sec = c.section
    loc = explain.location(ctx.fields, ids)
    loc.section = sec.number
    loc.page = sec.pages[0] if sec.pages else loc.page
    loc.sentence = c.sentence
    loc.char_span = c.sent_span
    unit = c.claim.units[0]
    cells_zh = "、".join(f"{explain.cell_label(f, ctx.fields.get(f))} {explain.show(ctx.fields[f].value)}" for f in ids)
    tname_zh = explain.table_name(loc.table, "zh")
    tname_en = explain.table_name(loc.table, "en")
    zh = (f"第{explain.SECTIONS_ZH[sec.number]}部分称{c.claim.label_zh}{c.value}{unit}，但{tname_zh}为"
          f"{explain.show(table_value)}{unit}（{cells_zh}）：“{c.sentence}”")
    en = (f"Section {sec.number} says {c.value} {c.claim.label_en}, but {tname_en} gives {explain.show(table_value)} "
          f"({', '.join(f'{explain.cell_label(f, ctx.fields.get(f))} {explain.show(ctx.fields[f].value)}' for f in ids)}): “{c.sentence}”")
    only = _only_matches(ctx, pats, c, ids, binding)
    if only:
        zh += f"（{only[0]}。）"
        en += f" ({only[1]}.)"
    return Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "claim"), message_zh=zh,
                   message_en=en, location=loc, expected=table_value, found=c.value,
                   details={"claim": c.claim.id, "number_span": list(c.number_span) if c.number_span else None,
                            "matches_only": only[1] if only else None})


# ------------------------------------------------------------------------------------------ 其中-lists

_QIZHONG = "其中"


def _parts_regex(units: list[str]) -> re.Pattern:
    u = "|".join(map(re.escape, units))
    return re.compile(rf"(?<![0-9.])([0-9][0-9,]*)\s*({u})(?![0-9])")


@kind("claim_parts")
def _claim_parts(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    rx = _parts_regex(rule.spec["units"])
    for section in _sections(rule, ctx):
        for s0, s1, sent in _sentences(section.text):
            if _QIZHONG not in sent:
                continue
            norm, _ = arabic(sent)
            cut = norm.find(_QIZHONG)
            before = list(rx.finditer(norm[:cut]))
            if not before:
                continue
            total_m = before[-1]
            total, unit = number_of(total_m.group(1)), total_m.group(2)
            listing = re.sub(r"（[^）]*）|\([^)]*\)", "", norm[cut:])
            parts = [number_of(m.group(1)) for m in rx.finditer(listing) if m.group(2) == unit]
            parts = [p for p in parts if p is not None]
            if len(parts) < 1 or total is None:
                continue
            if sum(parts) <= total:
                v.passed += 1
                continue
            zh = (f"第{explain.SECTIONS_ZH[section.number]}部分所列“其中”各项之和为{sum(parts)}{unit}，"
                  f"超过总数{total}{unit}：“{sent.strip()}”")
            en = (f"Section {section.number}: the parts listed after “其中” (of which) add up to {sum(parts)}, more than the "
                  f"total of {total}: “{sent.strip()}”")
            v.findings.append(Finding(
                rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "claim"), message_zh=zh,
                message_en=en, location=Location(section=section.number, page=section.pages[0] if section.pages else None,
                                                 sentence=sent.strip(), char_span=(s0, s1)),
                expected=f"≤ {total}", found=sum(parts), details={"parts": parts, "total": total, "unit": unit}))
    if not v.findings and not v.passed:
        v.inapplicable = Text("正文中没有带总数的“其中”分项列举", "the text has no list of parts after “其中” (of which) with a total")
    return v
