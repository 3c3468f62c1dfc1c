"""The memo as plain data: what every format (Markdown, HTML, DOCX) shows, in one language.

The templates and the Word writer only lay this out; nothing here is format-specific. Report text stays
raw here: each format escapes it on output.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from audit import yamlload

from audit.memo import blocks as _blocks
from audit.memo.rubric import Rubric, dismissed, score
from audit.model import Finding, Result
from audit.vocab import NUMERALS

HERE = Path(__file__).resolve().parent
SEVERITIES = ("error", "warning", "info")
KINDS = ("numeric", "claim", "structure", "cross", "narrative")
ALWAYS_SHOWN = ("numeric", "claim", "structure", "narrative")
CHECK_GROUPS = ("fail", "pass", "not_assessable", "not_applicable")
ZH_NUMERALS = NUMERALS


class Labels(dict):
    """The memo's words in one language; ``L.f(key, ...)`` formats one."""

    def f(self, key: str, *args: Any, **kw: Any) -> str:
        return self[key].format(*args, **kw)


@lru_cache(maxsize=None)
def labels(lang: str) -> Labels:
    data = yamlload.safe_load((HERE / "labels.yaml").read_text(encoding="utf-8"))
    if lang not in data:
        raise ValueError(f"unknown memo language {lang!r}; choose from {', '.join(sorted(data))}")
    return Labels(data[lang])


def zh_numeral(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 19 → 十九 (enough for section and heading numbers)."""
    return ZH_NUMERALS[n - 1] if n <= 10 else "十" + ZH_NUMERALS[n - 11]


def heading(n: int, text: str, lang: str) -> str:
    return f"{zh_numeral(n)}、{text}" if lang == "zh" else f"{n}. {text}"


def fmt(x: Any, lang: str = "zh") -> str:
    """An expected/found value as text."""
    if x is None:
        return "—"
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, (int, Decimal)):
        return str(x)
    if isinstance(x, float):
        return f"{x:g}" if abs(x) < 1e15 else str(x)
    if isinstance(x, str):
        return x
    sep = labels(lang)["sep"]
    if isinstance(x, dict):
        return sep.join(f"{k}: {fmt(v, lang)}" for k, v in x.items())
    if isinstance(x, (list, tuple, set)):
        return sep.join(fmt(v, lang) for v in x)
    return json.dumps(x, ensure_ascii=False, default=str)


def _repair(x: Any, lang: str) -> str:
    if isinstance(x, dict):
        head = x.get("rule_id") or x.get("rule")
        rest = {k: v for k, v in x.items() if k not in ("rule_id", "rule")}
        if head and rest:
            return f"{head} ({fmt(rest, lang)})"
        return str(head) if head else fmt(rest, lang)
    return fmt(x, lang)


def _text(x: Any, lang: str) -> str | None:
    """A ``{"zh", "en"}`` object (a Text in JSON) in ``lang``, else None."""
    if isinstance(x, dict) and set(x) == {"zh", "en"} and all(isinstance(v, str) for v in x.values()):
        return x[lang if lang in x else "zh"]
    return None


def _name(x: str, f: Finding, result: Result, lang: str) -> str:
    """A string a finding found or expected, as a reader names it: a field by its labels (its id in
    brackets), a table by its name, a row id of the finding's table by the row's label, a narrative label
    by its wording; anything else (report text, figures) as it is."""
    L = labels(lang)
    fields = result.fields if result.fields is not None else {}
    if x in fields:
        return cell_name(x, result, lang)
    if f"{x}_short" in L:  # a table id
        return L[f"{x}_short"]
    table = f.location.table
    if table:
        row = next((v.row_label for k, v in fields.items() if k.startswith(f"{table}.{x}.") and v.row_label), None)
        if row:
            return " ".join(row.split())
    if f.kind == "narrative":
        return L.get(f"label_{x}") or L.get(f"found_{x}") or x
    return x


def shown(x: Any, f: Finding, result: Result, lang: str) -> str:
    """What a finding expected or found, for a reader of ``lang`` (ids named by labels, kinds of cells by
    their words, texts in both languages in ``lang``)."""
    L = labels(lang)
    text = _text(x, lang)
    if text is not None:
        return text
    if isinstance(x, str):
        return _name(x, f, result, lang)
    if isinstance(x, dict):
        return L["sep"].join(f"{L.get(f'key_{k}') or _name(str(k), f, result, lang)}{L['colon']}"
                             f"{L.get(f'cell_{v}', v) if isinstance(v, str) else shown(v, f, result, lang)}"
                             for k, v in x.items())
    if isinstance(x, (list, tuple)):
        return L["sep"].join(shown(v, f, result, lang) for v in x)
    return fmt(x, lang)


def cell_name(fid: str, result: Result, lang: str) -> str:
    """A cell as a reader names it: ``表三 4.保护第三方合法权益 × 自然人 (t3.denied.third_party.natural)``."""
    v = result.fields.get(fid) if result.fields is not None else None
    parts = _blocks.split_id(fid)
    if v is None or parts is None:
        return fid
    L = labels(lang)
    row = " ".join((v.row_label or parts[1]).split())
    col = " ".join((v.column_label or parts[2]).split())
    return f"{L.get(parts[0] + '_short', parts[0])} {row} × {col} ({fid})"


def where(f: Finding, result: Result, lang: str) -> str:
    L = labels(lang)
    loc = f.location
    out = []
    if loc.page is not None:
        out.append(L.f("page", loc.page))
    if loc.section is not None:
        out.append(L.f("section", zh_numeral(loc.section) if lang == "zh" else loc.section))
    if loc.table:
        out.append(L.get(loc.table + "_short", loc.table))
    for text in (loc.row_label, loc.column_label):
        if text:
            out.append(" ".join(text.split()))
    if not (loc.row_label or loc.column_label) and len(loc.field_ids) == 1:
        out.append(cell_name(loc.field_ids[0], result, lang))
    return " · ".join(out)


def _block_view(block: _blocks.Block, kind: str, lang: str) -> dict:
    L = labels(lang)
    rows = []
    for _, label, cells in block.rows:
        out = []
        for c in cells:
            if c.value is None and c.role == _blocks.CONTEXT:  # no such cell in this row of the form
                out.append({"text": "", "role": "void", "blank": False, "field": c.field})
                continue
            text = c.text or L["blank"]
            if c.role in (_blocks.SUSPECT, _blocks.CANDIDATE) and c.fix is not None:
                text = f"{c.text or L['blank']} → {fmt(c.fix, lang)}"
            out.append({"text": text, "role": c.role, "blank": c.blank, "field": c.field})
        rows.append({"label": label, "cells": out})
    roles = {c.role for c in block.cells}
    words = {_blocks.SUSPECT: L["legend_suspect"], _blocks.CANDIDATE: L["legend_candidate"],
             _blocks.IDENTITY: L.get(f"legend_{kind}", L["legend_identity"])}
    legend = [(r, words[r]) for r in (_blocks.SUSPECT, _blocks.CANDIDATE, _blocks.IDENTITY) if r in roles]
    return {
        "title": L.get(block.table, block.table),
        "columns": [label for _, label in block.columns],
        "rows": rows,
        "legend": legend,
    }


def _suggestions(f: Finding, result: Result, lang: str) -> list[dict]:
    L = labels(lang)
    out = []
    for alt in f.suggestion or []:
        if not isinstance(alt, dict):
            continue
        cells = [
            L.f("most_likely", cell=cell_name(c.get("field", ""), result, lang), found=fmt(c.get("found"), lang),
                consistent=fmt(c.get("consistent"), lang))
            for c in alt.get("cells", []) if isinstance(c, dict)
        ]
        where = [_text(w, lang) for w in alt.get("repairs_where") or []]
        repairs = [w for w in where if w] or [_repair(r, lang) for r in alt.get("repairs", [])]
        out.append({"cells": cells, "repairs": repairs})
    return out


def _texts(items: Any) -> list[str]:
    """Quoted sentences or phrases: strings, or mappings with a ``text`` (or a phrase's ``phrase``)."""
    if isinstance(items, (str, dict)):
        items = [items]
    out = []
    for x in items or []:
        text = (x.get("text") or x.get("phrase")) if isinstance(x, dict) else x
        if text:
            out.append(str(text))
    return out


def segments(sentence: str, phrases: list[str]) -> list[tuple[str, bool]]:
    """A sentence cut into (text, is_driving_phrase) runs, so a memo can mark the phrases in place."""
    if not phrases:
        return [(sentence, False)]
    pattern = re.compile("|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)))
    out, at = [], 0
    for m in pattern.finditer(sentence):
        if m.start() > at:
            out.append((sentence[at:m.start()], False))
        out.append((m.group(0), True))
        at = m.end()
    if at < len(sentence):
        out.append((sentence[at:], False))
    return out


def _narrative(f: Finding, lang: str) -> dict | None:
    if f.kind != "narrative":
        return None
    L = labels(lang)
    d = f.details or {}
    label = d.get("label")
    p = d.get("probability")
    sentences = _texts(d.get("sentences")) or _texts(f.location.sentence)
    phrases = _texts(d.get("phrases"))
    return {
        "label": L.get(f"label_{label}", label) if label else None,
        "probability": f"{float(p):.0%}" if isinstance(p, (int, float, Decimal)) else None,
        "sentences": sentences,
        "phrases": phrases,
        "quotes": [segments(s, phrases) for s in sentences],
        "unmatched": _unmatched(_texts(d.get("uncovered_problems")), _texts(d.get("uncovered_aspects")), sentences),
        "unanswering": _unmatched(_texts(d.get("unanswering_measures")), [], sentences),
    }


def _unmatched(units: list[str], aspects: list[str], quoted: list[str]) -> list[str]:
    """The problems (or measures) a mismatch finding names as unanswered, when they are not simply every
    sentence it quotes: the aspects of a run-in list where the problem is one of them (…能力不足，…还不够丰富，
    …还需加强等), else the whole sentence."""
    if not aspects and set(units) >= set(quoted):
        return []  # the quotes are these sentences already
    out: list[str] = []
    for s in units:
        inside = [a for a in aspects if a and a in s]
        out += [x.rstrip("。；;，,、 ").removesuffix("等") for x in inside or [s]]
    return out


def _review(r: Mapping | None, lang: str) -> dict | None:
    if not r or r.get("decision") not in ("confirm", "dismiss", "comment"):
        return None
    L = labels(lang)
    text = L.f(f"review_{r['decision']}", reviewer=r.get("reviewer") or "—", time=r.get("at") or "—")
    return {"decision": r["decision"], "text": text, "comment": r.get("comment") or None}


def finding_view(f: Finding, n: int, result: Result, lang: str, review: Mapping | None = None) -> dict:
    L = labels(lang)
    sev = str(f.severity)
    merged = (f.details or {}).get("rules") if (f.details or {}).get("merged") else None
    return {
        "n": n,
        # a finding of one cause breaking several rules shows them all (T3-ROW-SUM + T3-COL-SUM)
        "rule_id": " + ".join(merged) if merged else f.rule_id,
        "severity": sev,
        "severity_label": L.get(sev, sev),
        "kind": f.kind,
        "kind_label": L.get(f"kind_table_{f.kind}", L["kind_table_other"]),
        "message": f.message(lang),
        "where": where(f, result, lang),
        "expected": None if f.expected is None else shown(f.expected, f, result, lang),
        "found": None if f.found is None else shown(f.found, f, result, lang),
        "blocks": [_block_view(b, f.kind, lang) for b in _blocks.blocks(f, result.fields)] if result.fields is not None else [],
        "suggestions": _suggestions(f, result, lang),
        "sentence": f.location.sentence if f.kind != "narrative" else None,
        "narrative": _narrative(f, lang),
        "review": _review(review, lang),
        "fingerprint": f.fingerprint,
    }


def memo_score(result: Result, reviews: Mapping | None = None, rubric: Rubric | None = None) -> dict:
    """The score the memo shows: the Result's own, unless a reviewer dismissed findings it counted
    (then scored again with ``rubric``, the shipped one when None)."""
    gone = dismissed(reviews) & {f.fingerprint for f in result.findings}
    if result.score is not None and not gone:
        return result.score
    return score(result, rubric, reviews)


def ordered(findings: list[Finding]) -> list[Finding]:
    """Memo order: by kind section, then severity, then as the checks reported them."""
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    sev_rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (kind_rank.get(f.kind, len(KINDS)), sev_rank.get(str(f.severity), 9)))


def _identity(result: Result, sc: dict, L: Labels, lang: str) -> list[tuple[str, str]]:
    meta = result.meta
    versions = dict(result.versions or {})
    rows = [
        (L["agency"], meta.agency or L["unknown"]),
        (L["year"], str(meta.year) if meta.year else L["unknown"]),
        (L["format"], L.f("format_value", meta.format) if meta.format else L["unknown"]),
    ]
    if meta.format_by_year and meta.format and meta.format_by_year != meta.format:
        rows.append((L["format_by_year"], L.f("format_value", meta.format_by_year)))
    if meta.level in ("department", "government"):
        rows.append((L["level"], L[f"level_{meta.level}"]))
    return rows + [
        (L["published"], meta.published.isoformat() if meta.published else L["unknown"]),
        (L["source"], result.source.path),
        (L["sha256"], result.source.sha256),
        (L["tool"], versions.get("tool") or "—"),
        (L["rules"], versions.get("rules") or "—"),
        (L["model"], versions.get("model") or "—"),
        (L["rubric"], f"{sc['rubric']['name'][lang]} {versions.get('rubric') or sc['rubric']['version']}"),
        (L["audited"], result.audited.isoformat() if result.audited else "—"),
    ]


def _score_view(sc: dict, L: Labels, lang: str) -> dict:
    total, top, grade = fmt(sc["total"]), fmt(sc["max"]), sc["grade"][lang]
    return {
        "total": total,
        "max": top,
        "grade": grade,
        "grade_id": sc["grade"]["id"],
        "line": L.f("score_line", total=total, max=top, grade=grade),
        "items": [
            {"title": i["title"][lang], "cap": "—" if i["cap"] is None else fmt(i["cap"]), "lost": fmt(i["lost"]),
             "count": len(i["deductions"]), "lost_any": i["lost"] > 0}
            for i in sc["items"]
        ],
    }


def _checks(result: Result, L: Labels, lang: str) -> list[tuple[str, str, list[dict]]]:
    """Every rule evaluated, by outcome: failed, passed, not assessable, not applicable (kept apart, so a
    reader tells "checked and fine" from "could not check")."""
    groups: dict[str, list[dict]] = {g: [] for g in CHECK_GROUPS}
    for c in result.checks:
        groups[str(c.outcome)].append({
            "rule_id": c.rule_id,
            "title": c.title_en if lang == "en" else c.title_zh,
            "severity": L.get(str(c.severity), str(c.severity)),
            "reason": c.reason.get(lang) if c.reason else None,
            "findings": c.findings,
        })
    return [(g, L[f"checks_{g}"], groups[g]) for g in CHECK_GROUPS]


def build(result: Result, lang: str = "zh", reviews: Mapping | None = None, rubric: Rubric | None = None) -> dict:
    """Everything a memo shows, in display order, in ``lang``."""
    L = labels(lang)
    reviews = reviews or {}
    sc = memo_score(result, reviews, rubric)
    gone = dismissed(reviews)
    active = [f for f in ordered(result.findings) if f.fingerprint not in gone]
    views = [finding_view(f, i, result, lang, reviews.get(f.fingerprint)) for i, f in enumerate(active, 1)]
    dropped = [finding_view(f, len(views) + i, result, lang, reviews.get(f.fingerprint))
               for i, f in enumerate((f for f in ordered(result.findings) if f.fingerprint in gone), 1)]

    n = 0

    def next_heading(key: str) -> str:
        nonlocal n
        n += 1
        return heading(n, L[key], lang)

    h = {k: next_heading(k) for k in ("identity", "score", "summary")}
    groups = []
    for kind in (*KINDS, "other"):
        members = [v for v in views if (v["kind"] == kind if kind != "other" else v["kind"] not in KINDS)]
        if members or kind in ALWAYS_SHOWN:
            groups.append({"kind": kind, "heading": next_heading(f"kind_{kind}"), "findings": members})
    if dropped:
        h["dismissed"] = next_heading("dismissed")
    h["checks"] = next_heading("checks")

    unreadable = sorted((result.fields.not_assessable if result.fields is not None else {}).items())
    return {
        "lang": lang,
        "L": L,
        "h": h,
        "title": L["title"],
        "agency": result.meta.agency or L["unknown"],
        "year": result.meta.year,
        "identity": _identity(result, sc, L, lang),
        "audited": result.audited.isoformat() if result.audited else "—",
        "score": _score_view(sc, L, lang),
        "counts": [(s, L[s], sum(1 for f in active if str(f.severity) == s)) for s in SEVERITIES],
        "total_findings": len(active),
        "findings": views,
        "groups": groups,
        "dismissed": dropped,
        "checks": _checks(result, L, lang),
        "unreadable": [(L.get(t, t), reason.get(lang)) for t, reason in unreadable],
        "corrections": [L["correction_line"].format(where=c["where"][lang], original=c["original"] or L["unknown"],
                                                    value=c["value"], reason=c["reason"], reviewer=c["reviewer"],
                                                    at=c["at"]) for c in getattr(result, "corrections", None) or []],
    }
