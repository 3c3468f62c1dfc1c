"""Text against tables: the figures the narrative states about fields (Matcher patterns in claims.yaml),
and 其中-lists whose parts add up to more than their total.

The patterns compile once per process (:func:`patterns`) against the shared pipeline of
:func:`audit.nlp.get_nlp`. Sentences are matched one by one; every finding quotes its sentence with the
sentence's character span in the section's text.
"""
from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from audit import yamlload

from audit.checks import explain
from audit.checks.engine import Ctx, TextFigure, Verdict, finding_kind, kind, severity
from audit.checks.numeric import BLANKISH, terms
from audit.checks.ruleset import Rule
from audit.model import Finding, Location, Section, Text, ValueKind
from audit.nlp import get_nlp
from audit.vocab import COUNT_NUMERALS, sentences

_CN_NUM = re.compile(rf"(?<![第])[{COUNT_NUMERALS}]+(?=\s*[件起条项个])")
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
    readings: tuple = ()  # other readings that are no contradiction: (fields, minus, label_zh, label_en)
    any_cell: bool = False  # a "none / all" statement: every cell of `fields` must be 0 (one nonzero contradicts)
    blocks: tuple = ()  # (word, field prefixes): only the blocks the sentence names (复议 → t4.review)
    unless: tuple[str, ...] = ()  # words in the figure's clause that make it about a part (上年结转的申请均已办结)


def _reading(r) -> tuple:
    """An `accept` list of fields, or a `readings` entry {fields, minus, label}: (fields, minus, zh, en)."""
    if isinstance(r, dict):
        label = r.get("label") or {}
        return tuple(r["fields"]), tuple(r.get("minus", ())), label.get("zh"), label.get("en")
    return tuple(r), (), None, None


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
        self.scope_words: tuple[str, ...] = tuple(data.get("scope_words", ()))
        for c in data["claims"]:
            ctx = c.get("context", {})
            cd = ClaimDef(id=c["id"], label_zh=c["label"]["zh"], label_en=c["label"]["en"], units=tuple(c["units"]),
                          fields=tuple(c["fields"]), accept=tuple(tuple(a) for a in c.get("accept", [])),
                          subject=dict(c.get("subject", {})), formats=tuple(c.get("formats", ("2019", "2021"))),
                          zero_value=c.get("value_without_number"), priority=int(c.get("priority", 0)),
                          context=tuple(ctx.get("words", ())), context_sections=tuple(ctx.get("sections", ())),
                          also_years=tuple(c.get("also_years", ())),
                          readings=tuple(_reading(r) for r in c.get("accept", []) + c.get("readings", [])),
                          any_cell=bool(c.get("any_cell", False)), unless=tuple(c.get("unless", ())),
                          blocks=tuple((w, tuple(p)) for w, p in (c.get("blocks") or {}).items()))
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
    return Patterns(yamlload.safe_load(text))


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
    for a, b in sentences(text):
        yield a, b, text[a:b]


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
            if info.claim.unless and any(w in norm[clause_start:last] for w in info.claim.unless):
                continue  # said of a part only (上年结转的申请均已办结)
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


def _found(ctx: Ctx, section: Section, name: str, pats: Patterns) -> list[Claim]:
    """:func:`find_claims` of ``section``, or, when ``ctx.derived`` keeps them for the same section text,
    patterns file, format and year (and analysis code: ``audit.cache``), the claims found then."""
    memo = ctx.derived
    if memo is None:
        return find_claims(section, pats, ctx.fmt, ctx.meta.year)
    import hashlib
    import json

    made_of = json.dumps([name, section.number, section.text, ctx.fmt, ctx.meta.year], ensure_ascii=False)
    key = "claims:" + hashlib.sha256(made_of.encode()).hexdigest()[:16]
    defs = _claim_defs(pats)
    kept = memo.get(key)
    if kept is not None and defs is not None:
        try:
            return [_claim_back(x, defs, section) for x in kept]
        except (TypeError, ValueError, KeyError):
            pass  # not what this code writes: found again, and kept again
    found = find_claims(section, pats, ctx.fmt, ctx.meta.year)
    if defs is not None:
        memo[key] = [[c.claim.id, c.value, c.sentence, *c.sent_span, *(c.number_span or (None, None)), c.subject]
                     for c in found]
    return found


def _claim_defs(pats: Patterns) -> dict[str, ClaimDef] | None:
    """claim id → its definition; None when two definitions share an id (a claim is then not kept by id)."""
    defs: dict[str, ClaimDef] = {}
    for info in pats.info:
        if defs.setdefault(info.claim.id, info.claim) is not info.claim:
            return None
    return defs


def _claim_back(x, defs: dict[str, ClaimDef], section: Section) -> Claim:
    cid, value, sentence, s0, s1, n0, n1, subject = x
    ints = (s0, s1) + ((n0, n1) if n0 is not None else ())
    if not (isinstance(sentence, str) and (subject is None or isinstance(subject, str))
            and all(type(i) is int for i in ints) and (value is None or type(value) is int)
            and (n0 is None) == (n1 is None)):
        raise TypeError("not a kept claim")
    return Claim(defs[cid], value, section, sentence, (s0, s1), None if n0 is None else (n0, n1), subject)


def _sections(rule: Rule, ctx: Ctx) -> list[Section]:
    want = rule.spec.get("sections", [1, 2, 3, 4, 5, 6])
    return [s for s in ctx.doc.sections if s.number in want]


@dataclass
class Judged:
    """One stated figure compared with the table: how, and what came of it.

    ``status``: ``match`` (the claim's own reading), ``other_reading`` (a named other reading, e.g. 新收 +
    上年结转), ``contradiction``, ``scope`` (a contradiction whose clause names a part of the reporting
    body, 区政府办代表区政府…: a difference of scope), ``blank`` / ``unassessable``."""

    claim: Claim
    status: str
    reading: Text  # the table reading compared, with its value
    table_value: object = None
    ids: list = field(default_factory=list)
    why: Text | None = None
    figure: TextFigure | None = None
    binding: dict = field(default_factory=dict)


def judged(ctx: Ctx, rule: Rule) -> list[Judged]:
    """Every figure the text states, compared with the tables; computed once per report for the rules
    that share the patterns and sections (TEXT-CLAIM, TEXT-SCOPE, TEXT-SHARE)."""
    key = (rule.spec["patterns"], tuple(rule.spec.get("sections", ())))
    cache = ctx.__dict__.setdefault("_claims_judged", {})
    if key in cache:
        return cache[key]
    pats = patterns(rule.spec["patterns"])
    out: list[Judged] = []
    for section in _sections(rule, ctx):
        found = _found(ctx, section, rule.spec["patterns"], pats)
        for c in found:
            stated = {f for o in found if o is not c and o.sent_span == c.sent_span and not _part_of(c, o)
                      for f in o.claim.fields if isinstance(f, str)}
            out.append(_assess(ctx, pats, c, stated))
    cache[key] = out
    return out


@kind("claim")
def _claim(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    pats = patterns(rule.spec["patterns"])
    if not _sections(rule, ctx):
        v.unassessable.append(Text("没有可读取数字的章节正文", "no section text to read figures from"))
        return v
    for j in judged(ctx, rule):
        quote = f"“{j.claim.sentence}”"
        if j.status in ("match", "other_reading"):
            v.passed += 1
            said = j.claim.claim.label_en + (f" {j.claim.value}" if j.claim.number_span else "")
            v.notes.append(Text(f"{quote}：{j.why.zh}", f"the text's {said}: {j.why.en}"))
            if j.figure:
                v.claims.append(j.figure)
        elif j.status == "contradiction":
            j.figure.finding = _claim_finding(rule, ctx, pats, j)
            v.findings.append(j.figure.finding)
            v.claims.append(j.figure)
        elif j.status == "scope":
            v.unassessable.append(Text(f"{quote}：{j.why.zh}（见TEXT-SCOPE）", f"{quote}: {j.why.en} (see TEXT-SCOPE)"))
        else:
            v.unassessable.append(Text(f"{quote}：{j.why.zh}", f"{quote}: {j.why.en}"))
    if not v.findings and not v.passed and not v.unassessable:
        v.inapplicable = Text("正文中没有与统计表单元格对应的数字", "the text states no figure about a table field")
    return v


@kind("claim_scope")
def _claim_scope(rule: Rule, ctx: Ctx) -> Verdict:
    """A figure that holds only under another reading than the claim's own (收到75件 = 新收74 + 上年结转1),
    or that counts a part of the reporting body (区政府办…受理17件 beside the district's 95): said, at
    info level, with the reading."""
    v = Verdict()
    for j in judged(ctx, rule):
        if j.status == "match":
            v.passed += 1
        elif j.status in ("other_reading", "scope"):
            v.findings.append(_scope_finding(rule, ctx, j))
    if not v.findings and not v.passed:
        v.inapplicable = Text("正文中没有与统计表单元格对应的数字", "the text states no figure about a table field")
    return v


_SHARE = re.compile(r"^\s*[件起条项个]?\s*[，,（(]?\s*(?:占[^0-9%％，。；]{0,10})?([0-9]+(?:\.[0-9]+)?)\s*[%％]")
_FIGURE = re.compile(r"(?<![0-9.])([0-9]+)\s*[件起条项个]")


@kind("claim_share")
def _claim_share(rule: Rule, ctx: Ctx) -> Verdict:
    """A share stated beside a figure (予以公开及部分公开34件，占33.9%): the figure over some reasonable
    denominator (the results total, the new requests, new plus carried in, or a total the text states
    before it) must give the share, to the decimals written."""
    v = Verdict()
    for j in judged(ctx, rule):
        c = j.claim
        if c.number_span is None:
            continue
        after = arabic(c.section.text[c.number_span[1]:c.number_span[1] + 24])[0]
        m = _SHARE.match(after)
        if not m:
            continue
        share = Decimal(m.group(1))
        places = max(0, -share.as_tuple().exponent)
        tol = Decimal(5).scaleb(-places - 1) + Decimal("0.0001")
        cands = _denominators(ctx, c)
        if not cands:
            v.unassessable.append(Text(f"“{c.sentence}”：没有可作分母的总数", f"“{c.sentence}”: no total to divide by"))
            continue
        ok = [(lbl, d) for lbl, d in cands if d and abs(Decimal(c.value) * 100 / d - share) <= tol]
        if ok:
            v.passed += 1
            lbl, d = ok[0]
            v.notes.append(Text(f"“{c.sentence}”：{c.value}/{d}={share}%（分母：{lbl.zh}）",
                                f"“{c.sentence}”: {c.value}/{d} = {share}% (denominator: {lbl.en})"))
            continue
        tried_zh = "、".join(f"{lbl.zh}{d}（{_pct(c.value, d, places)}%）" for lbl, d in cands if d)
        tried_en = ", ".join(f"{lbl.en} {d} ({_pct(c.value, d, places)}%)" for lbl, d in cands if d)
        sec = c.section
        loc = Location(section=sec.number, page=sec.pages[0] if sec.pages else None, sentence=c.sentence,
                       char_span=c.sent_span)
        v.findings.append(Finding(
            rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "claim"),
            message_zh=f"第{explain.SECTIONS_ZH[sec.number]}部分称{c.claim.label_zh}{c.value}件占{share}%，但以任何合理总数为分母"
                       f"都得不到这一比例（{tried_zh}）：“{c.sentence}”",
            message_en=f"Section {sec.number} gives {c.value} {c.claim.label_en} as {share}%, but no reasonable total gives "
                       f"that share ({tried_en}): “{c.sentence}”",
            location=loc, expected=[str(_pct(c.value, d, places)) for _, d in cands if d], found=f"{share}%",
            details={"claim": c.claim.id, "share": str(share), "denominators": {l.en: d for l, d in cands}}))
    if not v.findings and not v.passed and not v.unassessable:
        v.inapplicable = Text("正文中没有带比例的数字", "the text gives no figure with a share")
    return v


def _pct(n, d, places: int) -> Decimal:
    return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal(1).scaleb(-places))


def _denominators(ctx: Ctx, c: Claim) -> list[tuple[Text, int]]:
    f = ctx.fields
    out: list[tuple[Text, int]] = []

    def add(label: Text, *ids: str) -> None:
        vals = [f.number(i) for i in ids]
        if all(x is not None for x in vals):
            out.append((label, int(sum(vals))))

    add(Text("办理结果总计", "the results total"), "t3.result_total.total")
    add(Text("本年新收", "new requests"), "t3.new.total")
    add(Text("本年新收加上年结转", "new plus carried in"), "t3.new.total", "t3.carried_in.total")
    # totals the text states before the figure, in its sentence or the one before
    start = c.sent_span[0]
    before = arabic(c.section.text[max(0, start - 120):c.number_span[0]])[0]
    for m in _FIGURE.finditer(before):
        n = int(m.group(1))
        if n > c.value:
            out.append((Text(f"正文所称总数{n}", f"the text's total {n}"), n))
    seen, uniq = set(), []
    for lbl, d in out:
        if d not in seen:
            seen.add(d)
            uniq.append((lbl, d))
    return uniq


_PART_OF = re.compile(r"其中|含|包括")


def _part_of(c: Claim, o: Claim) -> bool:
    """Is ``o``'s figure one of ``c``'s parts (受理申请200件，其中上年结转20件; 收到56件（含上年结转2件）)?"""
    if c.number_span is None or o.number_span is None or o.number_span[0] < c.number_span[1]:
        return False
    between = c.section.text[c.number_span[1]:o.number_span[0]]
    return bool(_PART_OF.search(between))


def _total(ctx: Ctx, items, binding: dict, minus=()):
    """(sum with blanks as 0, field ids, blank ids, missing-or-unreadable ids)."""
    cells = terms(ctx, list(items), binding, 1) + terms(ctx, list(minus), binding, -1)
    total, blanks, bad = 0, [], []
    for t in cells:
        if t.value is None or t.value.kind in (ValueKind.MISSING, ValueKind.UNREADABLE):
            bad.append(t.fid)
        elif t.value.kind in BLANKISH:
            blanks.append(t.fid)
        else:
            total += t.value.value * t.coef
    return total, [t.fid for t in cells if t.coef > 0], blanks, bad


def _reading_text(ctx: Ctx, ids: list[str], minus: list[str], value, label: tuple[str | None, str | None] = (None, None)
                  ) -> Text:
    """“本年新收 74 + 上年结转 1 = 75” as a reader reads it (the report's own labels)."""
    def lbl(f):
        return explain.cell_label(f, ctx.fields.get(f))

    def num(f):
        x = ctx.fields.number(f)
        return explain.show(x) if x is not None else "?"

    expr = " + ".join(f"{lbl(f)} {num(f)}" for f in ids) + "".join(f" − {lbl(f)} {num(f)}" for f in minus)
    shown = f"{expr} = {explain.show(value)}" if len(ids) + len(minus) > 1 else expr
    zh = f"{label[0]}：{shown}" if label[0] else shown
    en = f"{label[1]}: {shown}" if label[1] else shown
    return Text(zh, en)


def _scoped(pats: Patterns, c: Claim) -> str | None:
    """A word in the figure's clause that narrows its subject to part of the reporting body."""
    if not pats.scope_words:
        return None
    upto = c.sentence[: max(0, (c.number_span[0] - c.sent_span[0])) if c.number_span else len(c.sentence)]
    return next((w for w in pats.scope_words if w in upto), None)


def _assess(ctx: Ctx, pats: Patterns, c: Claim, stated: set[str]) -> Judged:
    """Compare one figure with its cells. ``stated``: the fields the same sentence gives figures for
    elsewhere (收到53件，另有上年结转3件: the 53 does not include the carried-in ones)."""
    binding = {"subject": c.subject} if c.subject else {}
    fields_ = _narrowed(c)
    if c.claim.any_cell:
        return _assess_all_zero(ctx, c, fields_, binding)
    table_value, ids, blanks, bad = _total(ctx, fields_, binding)
    own = (c.claim.label_zh, c.claim.label_en)
    if not ids or bad:
        run = _run_excludes(ctx, ids, bad, c.value)
        if run is not None:
            return run_contradiction(ctx, c, ids, run)
        cells = explain.cells_text(ctx.fields, bad) if bad else Text(c.claim.label_zh, c.claim.label_en)
        return Judged(c, "unassessable", Text("", ""), why=Text(f"统计表中没有{cells.zh}的数值", f"no table value for {cells.en}"))
    reading = _reading_text(ctx, ids, [], table_value, own)
    figure = None if blanks else TextFigure(tuple(ids), c.value, c.sentence)
    if table_value == c.value:
        if figure:
            return Judged(c, "match", reading, table_value, ids, figure=figure, binding=binding,
                          why=Text(f"与表格相符（{reading.zh}）", f"agrees with the table ({reading.en})"))
        cells = explain.cells_text(ctx.fields, blanks)
        return Judged(c, "blank", reading, table_value, ids, why=Text(
            f"仅当空白单元格{cells.zh}按0计算时相符", f"matches only when blank cells {cells.en} are read as 0"))
    for alt, minus, zh, en in c.claim.readings:
        if stated & (set(alt) - set(fields_)):
            continue
        alt_value, alt_ids, alt_blanks, alt_bad = _total(ctx, alt, binding, minus)
        if not alt_bad and not alt_blanks and alt_value == c.value:
            other = _reading_text(ctx, alt_ids, [t.fid for t in terms(ctx, list(minus), binding, -1)], alt_value, (zh, en))
            return Judged(c, "other_reading", other, alt_value, alt_ids,
                          figure=TextFigure(tuple(alt), c.value, c.sentence) if not minus else None, binding=binding,
                          why=Text(f"与{reading.zh}不符，但与另一读法相符：{other.zh}",
                                   f"differs from {reading.en}, but agrees with another reading: {other.en}"))
    if figure is None:
        cells = explain.cells_text(ctx.fields, blanks)
        return Judged(c, "blank", reading, table_value, ids,
                      why=Text(f"统计表单元格为空白：{cells.zh}", f"table cells blank: {cells.en}"))
    word = _scoped(pats, c)
    if word:
        return Judged(c, "scope", reading, table_value, ids, figure=figure, binding=binding, why=Text(
            f"所称{c.value}件的主体为“{word}”，只是本报告统计范围的一部分",
            f"the {c.value} is counted for “{word}”, a part of what the report covers"))
    return Judged(c, "contradiction", reading, table_value, ids, figure=figure, binding=binding,
                  why=Text(f"与表格不符（{reading.zh}）", f"contradicts the table ({reading.en})"))


def _splits(run: str, k: int):
    """Every way ``run`` splits into ``k`` counts (no leading zero but a lone 0)."""
    n = len(run)
    if k < 1 or k > n or n > 24:
        return
    for cuts in itertools.combinations(range(1, n), k - 1):
        parts = [run[a:b] for a, b in zip((0, *cuts), (*cuts, n))]
        if all(p == "0" or not p.startswith("0") for p in parts):
            yield parts


def _run_excludes(ctx: Ctx, ids: list[str], bad: list[str], value: int) -> tuple[str, list[str]] | None:
    """A figure about one cell of a row whose digits ran together (a crawler's text): when no split of the
    run gives that cell the figure, the text contradicts the table whichever split is right. The run and
    the row's cells in table order; None when some split agrees, or this is no such case."""
    if len(ids) != 1 or bad != ids:
        return None
    x = ctx.fields.get(ids[0])
    if x is None or x.kind is not ValueKind.UNREADABLE:
        return None
    run = "".join(ch for ch in x.raw if ch.isdigit())
    if not run or run != x.raw.strip():
        return None
    from audit.tables.schema import load

    fmt = ctx.fields.format or ctx.fmt
    try:
        order = {f: i for i, f in enumerate(load(fmt).field_ids())} if fmt else {}
    except Exception:  # noqa: BLE001 - no schema for the format: cannot tell the cells' order
        return None
    row = ids[0].rsplit(".", 1)[0] + "."
    cells = sorted((f for f, v in ctx.fields.items() if f.startswith(row) and f.count(".") == ids[0].count(".")
                    and v.kind is ValueKind.UNREADABLE and v.raw == x.raw), key=lambda f: order.get(f, 1 << 30))
    if ids[0] not in cells or any(f not in order for f in cells):
        return None
    i = cells.index(ids[0])
    ways = list(_splits(run, len(cells)))
    if not ways or any(int(parts[i]) == value for parts in ways):
        return None
    return run, cells


def run_contradiction(ctx: Ctx, c: Claim, ids: list[str], run: tuple[str, list[str]]) -> Judged:
    digits, cells = run
    cell = explain.cell_label(ids[0], ctx.fields.get(ids[0]))
    options = sorted({int(p[cells.index(ids[0])]) for p in _splits(digits, len(cells))})
    shown = "、".join(map(str, options[:8])) + ("等" if len(options) > 8 else "")
    reading = Text(f"{cell}：该行连写的数字“{digits}”拆成{len(cells)}格，此格可能为{shown}，无一为{c.value}",
                   f"{cell}: the row's run-together digits “{digits}” split into {len(cells)} cells give this cell "
                   f"{', '.join(map(str, options[:8]))}, never {c.value}")
    return Judged(c, "contradiction", reading, options, ids,
                  figure=TextFigure(tuple(ids), c.value, c.sentence), why=Text(
                      f"与表格任何拆法都不符（{reading.zh}）", f"contradicts every split of the table's digits ({reading.en})"))


def _narrowed(c: Claim) -> tuple:
    """The claim's fields, only the blocks its sentence names when the claim has `blocks`."""
    if not c.claim.blocks:
        return c.claim.fields
    named = [p for w, prefixes in c.claim.blocks if w in c.sentence for p in prefixes]
    if not named:
        return c.claim.fields
    out = []
    for f in c.claim.fields:
        for p in named:
            out.append(f.replace("t4.*.", p + "."))
    return tuple(dict.fromkeys(out))


def _assess_all_zero(ctx: Ctx, c: Claim, items, binding: dict) -> Judged:
    """"All handled" / "all upheld" / "none": every cell of the fields must be 0; one nonzero cell
    contradicts it whatever the blanks beside it hold."""
    cells = terms(ctx, list(items), binding, 1)
    nonzero = [t.fid for t in cells if t.value is not None and t.value.is_number and t.value.value]
    ids = [t.fid for t in cells]
    if nonzero:
        totals = [f for f in nonzero if f.endswith(".total")]
        nonzero = totals or nonzero  # a row's 总计 says it all; its applicant cells only when it is blank
        value = sum(ctx.fields.number(f) for f in nonzero)
        shown = _reading_text(ctx, nonzero, [], value, (c.claim.label_zh, c.claim.label_en))
        return Judged(c, "contradiction", shown, value, nonzero, figure=TextFigure(tuple(nonzero), 0, c.sentence),
                      why=Text(f"与表格不符（{shown.zh}）", f"contradicts the table ({shown.en})"))
    unread = [t.fid for t in cells if t.value is None or not t.value.is_number]
    if not cells or unread:
        what = explain.cells_text(ctx.fields, unread) if unread else Text(c.claim.label_zh, c.claim.label_en)
        return Judged(c, "unassessable", Text("", ""), why=Text(f"统计表中{what.zh}没有数字", f"no number in {what.en}"))
    reading = Text(f"{c.claim.label_zh}：各单元格均为0", f"{c.claim.label_en}: every cell 0")
    return Judged(c, "match", reading, 0, ids, binding=binding,
                  why=Text(f"与表格相符（{reading.zh}）", f"agrees with the table ({reading.en})"))


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


def _claim_location(ctx: Ctx, c: Claim, ids: list[str]) -> Location:
    sec = c.section
    loc = explain.location(ctx.fields, ids)
    loc.section = sec.number
    loc.page = sec.pages[0] if sec.pages else loc.page
    loc.sentence = c.sentence
    loc.char_span = c.sent_span
    return loc


def _claim_finding(rule: Rule, ctx: Ctx, pats: Patterns, j: Judged) -> Finding:
    c, table_value, ids = j.claim, j.table_value, j.ids
    sec = c.section
    loc = _claim_location(ctx, c, ids)
    unit = c.claim.units[0]
    tname_zh = explain.table_name(loc.table, "zh")
    tname_en = explain.table_name(loc.table, "en")
    if isinstance(table_value, list):
        zh = (f"第{explain.SECTIONS_ZH[sec.number]}部分称{c.claim.label_zh}{c.value}{unit}，但{tname_zh}{j.reading.zh}："
              f"“{c.sentence}”")
        en = (f"Section {sec.number} says {c.value} {c.claim.label_en}, but in {tname_en}, {j.reading.en}: “{c.sentence}”")
    elif c.claim.any_cell:
        zh = (f"第{explain.SECTIONS_ZH[sec.number]}部分称“{_said(c)}”，但{tname_zh}的{j.reading.zh}"
              f"（应均为0）：“{c.sentence}”")
        en = (f"Section {sec.number} says “{_said(c)}”, but {tname_en} has {j.reading.en} (all should be 0): "
              f"“{c.sentence}”")
    else:
        zh = (f"第{explain.SECTIONS_ZH[sec.number]}部分称{c.claim.label_zh}{c.value}{unit}，但{tname_zh}为"
              f"{explain.show(table_value)}{unit}（{j.reading.zh}）：“{c.sentence}”")
        en = (f"Section {sec.number} says {c.value} {c.claim.label_en}, but {tname_en} gives {explain.show(table_value)} "
              f"({j.reading.en}): “{c.sentence}”")
    tried = [r for r in c.claim.readings if r[2]]
    if tried:
        zh += "（其他读法也不相符：" + "、".join(r[2] for r in tried) + "）"
        en += " (no other reading agrees either: " + ", ".join(r[3] or "" for r in tried) + ")"
    only = None if c.claim.any_cell or isinstance(table_value, list) else _only_matches(ctx, pats, c, ids, j.binding)
    if only:
        zh += f"（{only[0]}。）"
        en += f" ({only[1]}.)"
    return Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "claim"), message_zh=zh,
                   message_en=en, location=loc, expected=table_value, found=c.value,
                   details={"claim": c.claim.id, "number_span": list(c.number_span) if c.number_span else None,
                            "reading": j.reading.to_json(), "matches_only": only[1] if only else None})


def _said(c: Claim) -> str:
    """The words of a statement without a figure, as the sentence says them (均已按要求办理完成)."""
    return c.sentence if len(c.sentence) <= 40 else c.sentence[:40] + "…"


def _scope_finding(rule: Rule, ctx: Ctx, j: Judged) -> Finding:
    c = j.claim
    sec = c.section
    loc = _claim_location(ctx, c, j.ids)
    unit = c.claim.units[0]
    if j.status == "other_reading":
        zh = (f"第{explain.SECTIONS_ZH[sec.number]}部分称{c.claim.label_zh}{c.value}{unit}：与{c.claim.label_zh}本身"
              f"（{explain.show(_own_value(ctx, j))}）不同，按另一读法相符（{j.reading.zh}）；正文宜写明口径：“{c.sentence}”")
        en = (f"Section {sec.number} says {c.value} {c.claim.label_en}: not the table's own figure "
              f"({explain.show(_own_value(ctx, j))}), but it agrees with another reading ({j.reading.en}); the text "
              f"should say which: “{c.sentence}”")
    else:
        zh = (f"第{explain.SECTIONS_ZH[sec.number]}部分所称{c.claim.label_zh}{c.value}{unit}与表格"
              f"（{j.reading.zh}）口径不同：{j.why.zh}。这不是计算错误，但正文宜同时说明全部数字：“{c.sentence}”")
        en = (f"Section {sec.number}: {c.value} {c.claim.label_en} is counted on another scope than the table "
              f"({j.reading.en}): {j.why.en}. Not an arithmetic error, but the text should give the whole figure too: "
              f"“{c.sentence}”")
    return Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "claim"), message_zh=zh,
                   message_en=en, location=loc, expected=j.table_value, found=c.value,
                   details={"claim": c.claim.id, "status": j.status, "reading": j.reading.to_json()})


def _own_value(ctx: Ctx, j: Judged):
    return _total(ctx, _narrowed(j.claim), j.binding)[0]


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
