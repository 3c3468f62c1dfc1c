"""Kinds over the report's own wording: table labels printed wrong, enumerations numbered wrong, and
another province's documents cited as the agency's own.

Each fires only on positive evidence:

- ``label_typo``: a printed row / column label that is a near miss of the official wording (a character
  dropped, added or swapped) and is no known wording of either format (the schemas' labels, variants and
  group labels). A converter's spacing, full/half-width forms and numbering are normalised away first; a
  label cut short (a crawler's or a page break's truncation) is a piece of the official wording and is not
  a typo; a cell holding digits (a crawler's run-together row) is not judged.
- ``enumeration``: 一是/二是…, （一）（二）… and 1. 2. … within a section, each run starting at its first
  number, must count up by one: a number repeated or skipped is quoted with the sequence found.
- ``foreign_region``: a provincial-level region named as the issuer of a document title 《…》 or as the
  actor of the agency's own work, when the report's own province (from the agency's name, else from the
  provincial names the text gives most) is another one. Silent when the own province is unknown, and
  for learning-from / cooperation mentions (`skip_words`).
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from audit.checks import explain
from audit.checks.engine import Ctx, Verdict, finding_kind, kind, severity
from audit.checks.ruleset import Rule
from audit.model import Finding, Location, Text
from audit.tables import schema as tschema
from audit.tables.labels import normalize, ratio_at_least
from audit.vocab import STOPS, sentences

_CJK_ONLY = re.compile(r"^[\u3400-\u9fff]+$")
_FOLD = str.maketrans({"它": "他"})  # 其它 / 其他: both in use, never a typo


def _finding(rule: Rule, zh: str, en: str, loc: Location, expected=None, found=None, default_kind="structure",
             **details) -> Finding:
    return Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, default_kind),
                   message_zh=zh, message_en=en, location=loc, expected=expected, found=found, details=details)


# ------------------------------------------------------------------------------------------ label_typo


@lru_cache(maxsize=4)
def _known(fmt: str) -> tuple[frozenset[str], tuple[tuple[str, str, str, str], ...]]:
    """Every known wording (both formats: labels, variants, groups, titles), and the official labels of
    ``fmt`` to compare with: (table, row id or "col:<id>", official label, its key)."""
    known: set[str] = set()
    targets: list[tuple[str, str, str, str]] = []
    for f in ("2019", "2021"):
        try:
            s = tschema.load(f)
        except Exception:  # noqa: BLE001 - a format without a schema file adds nothing
            continue
        for t in s.tables:
            known.update(normalize(g) for g in t.groups)
            known.add(normalize(t.title))
            for r in t.rows:
                known.update(r.keys)
                if r.group:
                    known.add(normalize(r.group))
                if f == fmt:
                    targets.append((t.id, r.id, r.label, normalize(r.label)))
            for c in t.columns:
                known.update(c.keys)
                if f == fmt:
                    targets.append((t.id, "col:" + c.id, c.label, normalize(c.label)))
    known = {k.translate(_FOLD) for k in known if k}
    return frozenset(known), tuple(x for x in targets if len(x[3]) >= 4)


def _edits(a: str, b: str) -> int:
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in
               SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op != "equal")


def near_miss(printed: str, fmt: str, spec: dict) -> tuple[str, str, str] | None:
    """(table, row id or "col:<id>", official label) when ``printed`` is a near miss of that official label
    and no known wording; else None."""
    key = normalize(printed).translate(_FOLD)
    if len(key) < 4 or not _CJK_ONLY.match(key):
        return None
    known, targets = _known(fmt)
    if key in known:
        return None
    best = None
    for table, rid, label, k in targets:
        k = k.translate(_FOLD)
        if key in k or k in key:  # cut short (truncation, a wrap) or the label inside a longer cell
            continue
        floor = spec.get("min_ratio", 0.8)
        ratio = ratio_at_least(key, k, floor)  # difflib's ratio, computed only when the floor is in reach
        if ratio < floor:
            continue
        edits = _edits(key, k)
        if not 1 <= edits <= min(spec.get("max_edits", 3), max(1, len(k) // 4)):
            continue
        if best is None or ratio > best[0]:
            best = (ratio, table, rid, label)
    return best[1:] if best else None


def _near_misses(ctx: Ctx, texts: list[str], fmt: str, spec: dict) -> dict[str, tuple[str, str, str]]:
    """printed text → :func:`near_miss` of it, for the texts that are near misses; taken from
    ``ctx.derived`` when it keeps them for the same texts, format and tolerances (and analysis code), else
    computed and kept there."""
    distinct = list(dict.fromkeys(texts))
    memo = ctx.derived
    key = None
    if memo is not None:
        import hashlib
        import json

        made_of = json.dumps([fmt, spec.get("min_ratio"), spec.get("max_edits"), distinct], ensure_ascii=False)
        key = "labels:" + hashlib.sha256(made_of.encode()).hexdigest()[:16]
        kept = memo.get(key)
        if isinstance(kept, dict) and all(isinstance(v, list) and len(v) == 3 and all(isinstance(x, str) for x in v)
                                          for v in kept.values()):
            return {k: tuple(v) for k, v in kept.items()}
    hits = {t: hit for t in distinct if (hit := near_miss(t, fmt, spec)) is not None}
    if key is not None:
        memo[key] = {k: list(v) for k, v in hits.items()}
    return hits


@kind("label_typo")
def _label_typo(rule: Rule, ctx: Ctx) -> Verdict:
    """Printed row and column labels against the official wording of the report's format."""
    v = Verdict()
    fmt = ctx.fields.format or ctx.fmt
    if fmt not in ("2019", "2021"):
        v.inapplicable = Text("无法确定报告使用的格式", "the report's format could not be determined")
        return v
    tables = set(rule.spec.get("tables", ["t2", "t3", "t4"]))
    printed: list[tuple[str, int | None]] = []
    for t in ctx.doc.tables:  # the grid cells as the input gives them
        if t.cell_stream:
            continue
        for row in t.rows:
            for c in row:
                if c is not None and c.text and c.text.strip():
                    printed.append((c.text.strip(), c.span.page if c.span is not None else None))
    for fid, val in ctx.fields.items():  # labels the tables stage carries (when it keeps the printed text)
        for lab in (val.row_label, val.column_label):
            if lab:  # the whole label (a spaced-out one), and its group and row parts
                parts = [lab, *lab.split()] if len(lab.split()) > 1 else [lab]
                printed.extend((part, val.page) for part in parts)
    if not printed:
        v.inapplicable = Text("没有可比对的表格标签", "no printed table labels to compare")
        return v
    seen: set[tuple[str, str]] = set()
    hits = _near_misses(ctx, [text for text, _ in printed], fmt, rule.spec)
    for text, page in printed:
        hit = hits.get(text)
        if hit is None:
            v.passed += 1
            continue
        table, rid, label = hit
        if table not in tables or (table, rid) in seen:
            continue
        seen.add((table, rid))
        if rid.startswith("col:"):
            col = rid[4:]
            ids = sorted(f for f in ctx.fields if f.startswith(table + ".") and f.endswith("." + col))
            what_zh, what_en = "列标题", "column label"
            where = f"{table}.*.{col}"
        else:
            ids = sorted(f for f in ctx.fields if f.startswith(f"{table}.{rid}.") and f.count(".") == rid.count(".") + 2)
            what_zh, what_en = "行标签", "row label"
            where = f"{table}.{rid}"
        tz, te = explain.table_name(table, "zh"), explain.table_name(table, "en")
        v.findings.append(_finding(
            rule, f"{tz}{what_zh}印为“{text}”，格式规定为“{label}”（文字有脱漏或错误）。",
            f"{te}: the {what_en} is printed “{text}”; the format has “{label}” (characters missing or wrong).",
            Location(table=table, page=page, field_ids=ids), expected=label, found=text, where=where))
    return v


# ----------------------------------------------------------------------------------------- enumeration

_CN = "一二三四五六七八九十"
_BOUND = r"(?:^|(?<=[" + re.escape(STOPS) + r"：:\s）)]))"  # after a stop, a colon, a space or a bracket
_STYLES = {
    "是": re.compile(_BOUND + r"(?P<n>[一二三四五六七八九十]{1,3})是(?!否)"),
    "（）": re.compile(_BOUND + r"[（(](?P<n>[一二三四五六七八九十]{1,3})[)）](?=\S)"),
    "1.": re.compile(_BOUND + r"(?P<n>[1-9][0-9]?)(?:[.．](?=[^\s0-9.．、%])|、(?=\S))"),
}


def _num(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if len(s) == 1:
        return _CN.index(s) + 1 if s in _CN else None
    if len(s) == 2 and s[0] == "十":
        return 10 + _CN.index(s[1]) + 1
    if len(s) == 2 and s[1] == "十":
        return (_CN.index(s[0]) + 1) * 10
    if len(s) == 3 and s[1] == "十":
        return (_CN.index(s[0]) + 1) * 10 + _CN.index(s[2]) + 1
    return None


def _shown(style: str, n: str) -> str:
    return f"{n}是" if style == "是" else f"（{n}）" if style == "（）" else f"{n}."


_FIRST_SHI = re.compile(r"(?<![之唯统第同划单专万逐一十二三四五六七八九])(?P<n>一)是(?!否)")
_HEAD_CN = re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]")
_HEAD_NUM = re.compile(r"[（(][0-9]{1,2}[)）]|(?<![0-9.])[0-9]{1,2}[.．、](?![0-9])(?=[\u4e00-\u9fff])")
_HEAD_TOP = re.compile(r"[一二三四五六七八九十]{1,3}、")
#: the headings of a higher level, which close a run of each style (a list under each sub-heading)
_BREAKERS = {"是": (_HEAD_CN, _HEAD_NUM, _HEAD_TOP), "（）": (_HEAD_TOP,), "1.": (_HEAD_CN, _HEAD_TOP)}


def runs(text: str) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """The enumerations of a text, per style: runs of (printed number, value, position), a run starting
    at each 1 and closed by a heading of a higher level (an item after it that is not a 1 starts no run)."""
    out = []
    for style, rx in _STYLES.items():
        breaks = sorted(m.start() for b in _BREAKERS[style] for m in b.finditer(text))
        run: list[tuple[str, int, int]] = []
        matches = list(rx.finditer(text))
        if style == "是":  # 一是 run into a heading (平台建设一是…) still starts a list: no false repeat after it
            at = {m.start() for m in matches}
            matches += [m for m in _FIRST_SHI.finditer(text) if m.start() not in at]
            matches.sort(key=lambda m: m.start())
        for m in matches:
            n = _num(m.group("n"))
            if n is None:
                continue
            if run and (n == 1 or any(run[-1][2] < b < m.start() for b in breaks)):
                out.append((style, run))
                run = []
            if run or n == 1:
                run.append((m.group("n"), n, m.start()))
        if run:
            out.append((style, run))
    return out


def departures(run: list[tuple[str, int, int]]) -> list[str]:
    """What is wrong in one run: a number repeated or skipped (zh words)."""
    bad = []
    for (_, a, _), (_, b, _) in zip(run, run[1:]):
        bad.append("repeat" if b == a else "skip" if b > a + 1 else "back" if b < a else "ok")
    return bad


def _runs(ctx: Ctx, text: str) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """:func:`runs` of ``text``, taken from ``ctx.derived`` when it keeps them for the same text (and
    analysis code), else computed and kept there."""
    memo = ctx.derived
    if memo is None:
        return runs(text)
    import hashlib

    key = "runs:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    kept = memo.get(key)
    if isinstance(kept, list):
        try:
            out = [(style, [(p, n, at) for p, n, at in run]) for style, run in kept]
            if all(isinstance(st, str) and all(isinstance(p, str) and type(n) is int and type(at) is int
                                               for p, n, at in run) for st, run in out):
                return out
        except (TypeError, ValueError):
            pass  # not what this code writes: computed again, and kept again
    out = runs(text)
    memo[key] = [[style, [list(item) for item in run]] for style, run in out]
    return out


@kind("enumeration")
def _enumeration(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    sections = [s for s in ctx.doc.sections if s.number in rule.spec.get("sections", range(1, 7))]
    min_items = rule.spec.get("min_items", 3)
    for s in sections:
        for style, run in _runs(ctx, s.text):
            if len(run) < 2:
                continue
            bad = departures(run)
            if set(bad) == {"ok"}:
                v.passed += 1
                continue
            # positive evidence: enough items, and the run is not two lists run together
            if len(run) < min_items or "back" in bad:
                continue
            seq = "/".join(_shown(style, p) for p, _, _ in run)
            want = "/".join(_shown(style, _CN[i] if style != "1." and i < 10 else str(i + 1))
                            for i in range(len(run)))
            kinds_zh = "、".join(dict.fromkeys({"repeat": "编号重复", "skip": "编号跳号"}[b] for b in bad if b != "ok"))
            kinds_en = ", ".join(dict.fromkeys({"repeat": "a number repeated", "skip": "a number skipped"}[b]
                                               for b in bad if b != "ok"))
            first_bad = next(i for i, b in enumerate(bad) if b != "ok") + 1
            pos = run[first_bad][2]
            sentence = s.text[max(0, pos - 10): pos + 40].strip()
            sz = explain.SECTIONS_ZH[s.number]
            v.findings.append(_finding(
                rule, f"第{sz}部分的列举编号为{seq}（{kinds_zh}），应为{want}。",
                f"Section {s.number} numbers its items {seq} ({kinds_en}); expected {want}.",
                Location(section=s.number, page=s.pages[0] if s.pages else None, sentence=sentence),
                expected=want, found=seq))
    if not v.findings and not v.passed:
        v.inapplicable = Text("正文中没有编号列举", "no numbered enumeration in the text")
    return v


# -------------------------------------------------------------------------------------- foreign_region

PROVINCES = {  # short name → the names that denote it in text
    "北京": ("北京市",), "天津": ("天津市",), "上海": ("上海市",), "重庆": ("重庆市",),
    "河北": ("河北省",), "山西": ("山西省",), "辽宁": ("辽宁省",), "吉林": ("吉林省",), "黑龙江": ("黑龙江省",),
    "江苏": ("江苏省",), "浙江": ("浙江省",), "安徽": ("安徽省",), "福建": ("福建省",), "江西": ("江西省",),
    "山东": ("山东省",), "河南": ("河南省",), "湖北": ("湖北省",), "湖南": ("湖南省",), "广东": ("广东省",),
    "海南": ("海南省",), "四川": ("四川省",), "贵州": ("贵州省",), "云南": ("云南省",), "陕西": ("陕西省",),
    "甘肃": ("甘肃省",), "青海": ("青海省",), "台湾": ("台湾省", "台湾地区"),
    "内蒙古": ("内蒙古自治区",), "广西": ("广西壮族自治区", "广西自治区"), "西藏": ("西藏自治区",),
    "宁夏": ("宁夏回族自治区", "宁夏自治区"), "新疆": ("新疆维吾尔自治区", "新疆自治区"),
    "香港": ("香港特别行政区",), "澳门": ("澳门特别行政区",),
}
_NAME = re.compile("|".join(sorted((re.escape(n) for ns in PROVINCES.values() for n in ns), key=len, reverse=True)))
_OF = {n: p for p, ns in PROVINCES.items() for n in ns}


def province_of_agency(agency: str) -> str | None:
    """The province an agency's name states by its full name at the start (上海市科学技术委员会 → 上海;
    福建省…厅 → 福建), else None. Short names are not read: 海南藏族自治州 is in 青海, 吉林市 a city."""
    m = _NAME.match(agency or "")
    return _OF[m.group(0)] if m else None


@kind("foreign_region")
def _foreign_region(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    text_secs = [s for s in ctx.doc.sections if s.number in rule.spec.get("sections", range(1, 7))]
    mentions = [(s, m) for s in text_secs for m in _NAME.finditer(s.text)]
    if not mentions:
        v.inapplicable = Text("正文未提及省级地区名称", "the text names no provincial-level region")
        return v
    own = province_of_agency(ctx.meta.agency or "")
    source_zh, source_en = "机关名称", "the agency's name"
    if own is None:
        counts: dict[str, int] = {}
        whole = ctx.doc.text if isinstance(getattr(ctx.doc, "text", None), str) else ""
        for m in (_NAME.finditer(whole) if whole else (m for _, m in mentions)):
            counts[_OF[m.group(0)]] = counts.get(_OF[m.group(0)], 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        top, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if n >= rule.spec.get("min_own_mentions", 2) and n > second:
            own = top
            source_zh, source_en = f"正文提及{top}{n}次", f"the text names {top} {n} times"
    if own is None:
        v.unassessable.append(Text("无法确定本机关所在省份", "the agency's own province is unknown"))
        return v
    skip = tuple(rule.spec.get("skip_words", []))
    actors = tuple(rule.spec.get("actor_words", []))
    ignore = set(rule.spec.get("ignore", []))
    for s, m in mentions:
        prov = _OF[m.group(0)]
        if prov == own or prov in ignore:
            v.passed += 1
            continue
        a, b = next(((a, b) for a, b in sentences(s.text) if a <= m.start() < b), (0, len(s.text)))
        sentence = s.text[a:b]
        if any(w in sentence for w in skip):
            v.passed += 1
            continue
        before = s.text[max(a, m.start() - 12): m.start()]
        after = s.text[m.end(): m.end() + 40]
        title = before.endswith(("《", "〈"))
        acting = bool(re.match(r"[^，。；《》]{0,12}(?:" + "|".join(map(re.escape, actors)) + ")", after)) if actors else False
        if not (title or acting):
            v.passed += 1
            continue
        quoted = ""
        if title:
            end = s.text.find("》", m.end())
            quoted = s.text[m.start() - 1: end + 1] if 0 < end - m.end() < 60 else m.group(0)
        found = quoted or sentence[:60]
        sz = explain.SECTIONS_ZH[s.number]
        v.findings.append(_finding(
            rule, f"第{sz}部分提及{m.group(0)}（“{found}”），而本机关属{own}（依据：{source_zh}）；"
                  f"请核实是否照搬了其他地区的材料。",
            f"Section {s.number} names {m.group(0)} (“{found}”) while the agency is in {own} (from {source_en}); "
            f"check whether another region's text was copied.",
            Location(section=s.number, page=s.pages[0] if s.pages else None, sentence=sentence,
                     char_span=(a, b)),
            expected=own, found=prov, default_kind="claim"))
    return v
