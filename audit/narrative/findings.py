"""Findings and checks of the narrative rules (``rules.yaml`` of this package) for one report.

Section 五 is read by the trained model (one finding per weakness label flagged, quoting the sentences
and naming the phrases and features that drove it; a ``substantive`` pass when none is flagged);
section 一 must state at least one figure; section 六 of a 2021-format report must state the 信息处理费.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from audit import yamlload

from audit.document.meta import format_for_year
from audit.model import Check, Document, Finding, Location, Meta, Outcome, Section, Severity, Text
from audit.narrative.classify import LABELS, SUBSTANTIVE, NarrativeModel, Term, load_model
from audit.narrative.features import PassageAnalysis, analyse_passage, shared_words, similarity
from audit.narrative.segment import MEASURE, PROBLEM, RECTIFICATION, Unit
from audit.narrative.tokens import find_phrases, lexicon, sentences

MAX_QUOTES = 4
#: the confidence a finding of these labels shows: the share of the real-passage annotators' votes that agree
#: with the model's flags of that label, smoothed as (agree + 1) / (votes + 2) because the real set is small
#: (``benchmarks/narrative_eval.py --real`` prints both; the table is in docs/narrative.md). The corpus-calibrated
#: probability says how sure the model is on its own corpus, not how often people agree with a flag on real text:
#: a flag of a label shows that label's agreement on real text (the probability stays in the details). Three
#: annotators agree with nearly every no_rectification and generic flag, with two in three of the
#: no_concrete_measures and mismatch flags.
REAL_CEILINGS = {"generic": 0.88, "no_concrete_measures": 0.62, "mismatch": 0.64, "no_rectification": 0.96}
#: labels without real-passage figures (empty, off_topic): their probability, at most this
REAL_CEILING = 0.9


def ceiling(label: str) -> float:
    """The most confidence a finding of ``label`` may show (calibrated on real passages)."""
    return REAL_CEILINGS.get(label, REAL_CEILING)


def confidence(label: str, probability: float) -> float:
    """The confidence a finding of ``label`` shows: its label's agreement with people on real text where that
    was measured, else the model's probability up to :data:`REAL_CEILING`."""
    return REAL_CEILINGS[label] if label in REAL_CEILINGS else min(probability, REAL_CEILING)


MAX_PHRASES = 8


@dataclass(frozen=True)
class Rule:
    id: str
    section: int
    title_zh: str
    title_en: str
    severity: Severity
    formats: tuple[str, ...]
    label: str | None = None
    message_zh: str = ""
    message_en: str = ""
    none_zh: str = ""  # the message when problems are stated and no measure is
    none_en: str = ""

    def check(self, outcome: Outcome, reason: Text | None = None, findings: int = 0) -> Check:
        return Check(self.id, self.title_zh, self.title_en, outcome, self.severity, reason, findings)


NO_SECTIONS = Text("报告中未找到任何章节", "no sections found in the report")
FORMAT_UNKNOWN = Text("无法确定报告使用的格式", "the report's format is unknown")


def _no_section(number: int) -> Text:
    return Text(f"未找到第{'一二三四五六'[number - 1]}部分", f"section {number} not found")


def _formats_only(formats: tuple[str, ...]) -> Text:
    return Text(f"仅适用于{'/'.join(formats)}年版格式", f"{'/'.join(formats)} format only")


def _weaknesses(labels: list[str]) -> Text:
    """The weaknesses flagged, by the titles (and ids) of the rules that stand for them."""
    by_label = {r.label: r for r in rules().values() if r.label}
    named = [by_label[x] for x in labels if x in by_label]
    return Text("未达到：" + "；".join(f"{r.title_zh}（{r.id}）" for r in named),
                "weaknesses: " + "; ".join(f"{r.title_en} ({r.id})" for r in named))


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    data = yamlload.safe_load((resources.files("audit.narrative") / "rules.yaml").read_text(encoding="utf-8"))
    out = {}
    for r in data["rules"]:
        msg, none = r.get("message", {}), r.get("message_no_measures", {})
        out[r["id"]] = Rule(r["id"], int(r["section"]), r["title"]["zh"], r["title"]["en"], Severity(r["severity"]),
                            tuple(r["formats"]), r.get("label"), msg.get("zh", ""), msg.get("en", ""),
                            none.get("zh", ""), none.get("en", ""))
    return out


def report_format(meta: Meta) -> str | None:
    """The format whose requirements apply: the one the report's year calls for, else the layout's."""
    return meta.format_by_year or meta.format or format_for_year(meta.year, clamp=True)


# ------------------------------------------------------------------------------------- section 五


def _sentence_units(units: list[Unit], text: str, frames: list[Unit] = ()) -> list[Unit]:
    """The whole sentences the given statements stand in, as units of the same role (for quoting): a
    statement that is a clause of a longer sentence (one problem of a run-in list) is quoted with its
    sentence, never as a fragment; each sentence once."""
    spans = sentences(text)
    out, seen = [], set()
    for u in units:
        for a, b in spans:
            # a heading or lead-in run into the sentence before the statement (（二）改进措施：一是…) is no part of it
            a = max([a] + [f.end for f in frames if a <= f.start and f.end <= u.start])
            while a < b and text[a].isspace():
                a += 1
            if a < u.end and b > u.start and (a, b) not in seen:
                seen.add((a, b))
                out.append(Unit(u.role, a, b, text[a:b]))
    return out


def _candidates(label: str, a: PassageAnalysis) -> list[Unit]:
    """The statements a flag of ``label`` is about."""
    if label == "generic":
        units = [f.unit for f in a.of_role(PROBLEM) if not f.specific] or [f.unit for f in a.of_role(PROBLEM)]
    elif label == "no_concrete_measures":
        units = [f.unit for f in a.of_role(MEASURE) if not f.concrete] or [f.unit for f in a.of_role(MEASURE)]
    elif label == "mismatch":
        units = a.coverage.uncovered + a.coverage.unanswering
        if not units:
            units = [f.unit for f in a.of_role(PROBLEM)] or [f.unit for f in a.of_role(MEASURE)]
    elif label == "no_rectification":
        units = [f.unit for f in a.of_role(RECTIFICATION)]
    elif label == "off_topic":
        units = [f.unit for f in a.facts if f.off] or [f.unit for f in a.facts]
    else:  # empty
        units = [f.unit for f in a.facts]
    return sorted(units, key=lambda u: u.start)


def _quotes(model: NarrativeModel, label: str, a: PassageAnalysis) -> list[Unit]:
    units = _sentence_units(_candidates(label, a), a.text, a.seg.frames)
    if len(units) <= MAX_QUOTES:
        return units  # every sentence the finding is about
    ranked = model.rank_units(units, label)
    chosen = [u for u, s in ranked if s > 0][:MAX_QUOTES] or [u for u, _ in ranked[:2]]
    return sorted(chosen, key=lambda u: u.start)


def _phrases(label: str, terms: list[Term], quotes: list[Unit]) -> list[str]:
    """Phrases that drove the flag, as they stand in the quoted sentences: the lexicon's stock (generic) or
    vague (no_concrete_measures) phrases first, then the model's top-weighted words."""
    quoted = "".join(u.text for u in quotes)
    lx = lexicon()
    lexicon_phrases = lx.stock if label == "generic" else lx.vague if label == "no_concrete_measures" else ()
    out = list(dict.fromkeys(find_phrases(quoted, lexicon_phrases)))
    for t in terms:
        if len(out) >= MAX_PHRASES:
            break
        # whole words only: a character n-gram (对政, 作人) is a piece of a word, no phrase a reader can find
        if t.kind == "word" and len(t.phrase) > 1 and t.phrase in quoted and not any(t.phrase in p for p in out):
            out.append(t.phrase)
    return out[:MAX_PHRASES]


def _closest(a: PassageAnalysis) -> list[dict]:
    """For each problem without a measure: the nearest measure, their similarity and the words they share."""
    M = a.of_role(MEASURE)
    out = []
    for f in a.of_role(PROBLEM):
        if f.unit not in a.coverage.uncovered or not M:
            continue
        best = max(M, key=lambda m: (similarity(f, m), -m.unit.start))
        problem = _sentence_units([f.unit], a.text, a.seg.frames)
        out.append({"problem": problem[0].text if problem else f.unit.text, "measure": best.unit.text,
                    "similarity": round(similarity(f, best), 3),
                    "shared_words": shared_words(f, best)})
    return out


def _counts(a: PassageAnalysis) -> dict[str, int]:
    P, M = a.of_role(PROBLEM), a.of_role(MEASURE)
    return {"problems": len(P), "measures": len(M), "rectification": len(a.of_role(RECTIFICATION)),
            "factual": sum(f.specific for f in P), "concrete": sum(f.concrete for f in M),
            "uncovered": len(a.coverage.uncovered), "unanswering": len(a.coverage.unanswering)}


def _finding(rule: Rule, model: NarrativeModel, a: PassageAnalysis, prob: float, section: Section) -> Finding:
    label = rule.label
    quotes = _quotes(model, label, a)
    phrase_terms, feature_terms = model.terms(a, label, k=12)
    counts = _counts(a)
    fill = dict(counts, label=label, probability=f"{confidence(label, prob):.0%}")
    details = {
        "label": label,
        "probability": round(confidence(label, prob), 3),
        "model_probability": round(prob, 3),
        "threshold": model.threshold(label),
        "sentences": [u.text for u in quotes],
        "spans": [[u.start, u.end] for u in quotes],
        "phrases": _phrases(label, phrase_terms, quotes),
        "terms": [{"phrase": t.phrase, "kind": t.kind, "contribution": round(t.contribution, 3)}
                  for t in phrase_terms[:MAX_PHRASES]],
        "features": [{"name": t.name, "value": round(t.value, 3), "contribution": round(t.contribution, 3)}
                     for t in feature_terms[:6]],
        "counts": counts,
        "model": model.version,
    }
    if label == "mismatch":
        # whole sentences: a problem that is one aspect of a run-in list (…内容、方式创新、开放日活动等方面…) is
        # quoted with its sentence; the aspects themselves are listed beside it
        whole = lambda units: [u.text for u in _sentence_units(units, a.text, a.seg.frames)]  # noqa: E731
        details["uncovered_problems"] = whole(a.coverage.uncovered)
        details["unanswering_measures"] = whole(a.coverage.unanswering)
        fragments = [u.text for u in a.coverage.uncovered if u.text not in details["uncovered_problems"]]
        if fragments:
            details["uncovered_aspects"] = fragments
        details["closest"] = _closest(a)
    if label == "generic":
        details["specific_problems"] = [{"sentence": f.unit.text, "evidence": list(f.evidence)}
                                        for f in a.of_role(PROBLEM) if f.specific]
    no_measures = counts["problems"] > 0 and counts["measures"] == 0 and bool(rule.none_zh)
    zh, en = (rule.none_zh, rule.none_en) if no_measures else (rule.message_zh, rule.message_en)
    first = quotes[0] if quotes else None
    return Finding(
        rule.id, rule.severity, "narrative", zh.format(**fill), en.format(**fill),
        Location(section=5, page=section.pages[0] if section.pages else None,
                 sentence=first.text if first else None, char_span=(first.start, first.end) if first else None),
        found=label, details=details,
    )


FEE_UNDER_FIVE = Text("第五部分的文字是信息处理费说明（属第六部分），分节有误，无法评价",
                      "section 5's text is the information-processing-fee statement of section 6: the sections "
                      "were misread, not assessable")


def is_fee_statement(text: str) -> bool:
    """A short text about the information-processing fee alone (收取信息处理费0元), with no problem, measure or
    stock wording: section 六's statement, not a section 五 — judging it as 五 would make false findings."""
    lx = lexicon()
    seg = lx.segment
    return (len(text.strip()) < 160 and bool(lx.fee.search(text))
            and not any(seg[k].search(text) for k in ("problem", "measure", "rect"))
            and not find_phrases(text, lx.stock) and not find_phrases(text, lx.vague))


def section_five(doc: Document, fmt: str | None) -> tuple[list[Finding], list[Check]]:
    rs = [r for r in rules().values() if r.label]
    if not doc.sections:
        return [], [r.check(Outcome.NOT_ASSESSABLE, NO_SECTIONS) for r in rs]
    section = doc.section(5)
    if section is None:  # STRUCT-SECTIONS says once that it is missing; nothing here can be judged
        return [], [r.check(Outcome.NOT_ASSESSABLE, _no_section(5)) for r in rs]
    if is_fee_statement(section.text):  # section 六's sentence found under 五: the sections were misread
        return [], [r.check(Outcome.NOT_ASSESSABLE, FEE_UNDER_FIVE) for r in rs]
    model = load_model()
    a = analyse_passage(section.text, fmt, doc.meta.year)
    probs = model.predict([a])[0]
    flags = model.decide(probs, fmt, a)
    findings, checks = [], []
    for r in rs:
        if r.label == SUBSTANTIVE:
            weak = sorted(flags - {SUBSTANTIVE}, key=LABELS.index)
            checks.append(r.check(Outcome.PASS) if not weak else r.check(Outcome.FAIL, _weaknesses(weak)))
        elif fmt is None and r.formats != ("2019", "2021"):
            checks.append(r.check(Outcome.NOT_ASSESSABLE, FORMAT_UNKNOWN))
        elif fmt is not None and fmt not in r.formats:
            checks.append(r.check(Outcome.NOT_APPLICABLE, _formats_only(r.formats)))
        elif r.label in flags:
            findings.append(_finding(r, model, a, probs[r.label], section))
            checks.append(r.check(Outcome.FAIL, findings=1))
        else:
            checks.append(r.check(Outcome.PASS))
    return findings, checks


# ---------------------------------------------------------------------------------- sections 一, 六


def _first_sentence(text: str) -> tuple[str, tuple[int, int]] | None:
    spans = sentences(text)
    return (text[spans[0][0]:spans[0][1]], spans[0]) if spans else None


def section_one(doc: Document) -> tuple[list[Finding], list[Check]]:
    rule = rules()["NARR-S1-NO-FIGURES"]
    section = doc.section(1)
    if section is None:
        return [], [rule.check(Outcome.NOT_ASSESSABLE, _no_section(1))]
    if lexicon().figure.search(section.text):
        return [], [rule.check(Outcome.PASS)]
    first = _first_sentence(section.text)
    loc = Location(section=1, page=section.pages[0] if section.pages else None,
                   sentence=first[0] if first else None, char_span=first[1] if first else None)
    f = Finding(rule.id, rule.severity, "narrative", rule.message_zh, rule.message_en, loc,
                expected=Text("至少一个数字", "at least one figure"), found="none",
                details={"label": "no_figures", "sentences": [first[0]] if first else []})
    return [f], [rule.check(Outcome.FAIL, findings=1)]


def section_six(doc: Document, fmt: str | None) -> tuple[list[Finding], list[Check]]:
    rule = rules()["NARR-S6-FEE"]
    if fmt is None:
        return [], [rule.check(Outcome.NOT_ASSESSABLE, FORMAT_UNKNOWN)]
    if fmt not in rule.formats:
        return [], [rule.check(Outcome.NOT_APPLICABLE, _formats_only(rule.formats))]
    section = doc.section(6)
    if section is None:
        return [], [rule.check(Outcome.NOT_ASSESSABLE, _no_section(6))]
    if lexicon().fee.search(section.text):
        return [], [rule.check(Outcome.PASS)]
    first = _first_sentence(section.text)
    loc = Location(section=6, page=section.pages[0] if section.pages else None,
                   sentence=first[0] if first else None, char_span=first[1] if first else None)
    f = Finding(rule.id, rule.severity, "narrative", rule.message_zh, rule.message_en, loc,
                expected=Text("说明信息处理费收取情况", "a statement of the “信息处理费” (information processing fees)"),
                found=section.text.strip()[:60] or "empty",
                details={"label": "no_fee_statement", "sentences": [first[0]] if first else []})
    return [f], [rule.check(Outcome.FAIL, findings=1)]


def analyse(doc: Document) -> tuple[list[Finding], list[Check]]:
    fmt = report_format(doc.meta)
    findings: list[Finding] = []
    checks: list[Check] = []
    for f, c in (section_one(doc), section_five(doc, fmt), section_six(doc, fmt)):
        findings += f
        checks += c
    return findings, checks
