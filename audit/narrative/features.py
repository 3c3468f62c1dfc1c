"""What the classifier sees in a section-五 passage.

Three blocks, side by side in one sparse row:

- words: TF-IDF over jieba tokens, each tagged with the part it was found in (``P:`` problems,
  ``M:`` measures, ``R:`` rectification, ``F:`` frames), so 有待加强 in a problem and in a measure are
  different evidence;
- chars: TF-IDF over character 2–3-grams of the whole text (digits folded to 0);
- specificity: named, dense features (figures, dates, deadlines, named units, concrete acts, stock
  phrases, off-topic words, the parts found, problem-to-measure coverage) — see :data:`DENSE`.

:func:`analyse_passage` computes everything once; the classifier and the explanations read from it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from audit.narrative.segment import FRAME, MEASURE, PROBLEM, RECTIFICATION, Segmentation, Unit, segment
from audit.narrative.tokens import char_text, content_words, find_phrases, lexicon, words

#: bump when a feature's definition changes (part of the model version)
FEATURE_VERSION = "8"
ROLE_TAG = {PROBLEM: "P", MEASURE: "M", RECTIFICATION: "R", FRAME: "F"}
#: a problem and a measure answer each other at this similarity of their content words
COVER_SIM = 0.15
#: …or when they share a topic of the lexicon and are at least this similar
COVER_TOPIC_SIM = 0.05
#: topics of the work as a whole: a stock problem on them alone is answered by any measure
GENERAL_TOPICS = frozenset({"mechanism"})
#: topics of the stock reply to any problem (training, publicity): a measure on them alone answers only a problem
#: on them
STOCK_REPLIES = frozenset({"staff", "publicity"})
#: topics of how the work is regarded and staffed (认识不到位, 意识不强, 人员业务能力): a general promise on
#: disclosure work answers a stock problem on them
AWARENESS_TOPICS = frozenset({"mechanism", "staff", "staffing"})

DENSE = (
    "n_problems", "n_measures", "n_rectification", "has_problems", "has_measures", "has_rectification",
    "format_2021", "format_2021_no_rectification", "format_2021_rectification_without_fact",
    "problem_fact_share", "problem_named_share", "problem_specific_share", "problem_stock_share", "problem_stock_per_item",
    "measure_concrete_share", "measure_vague_share", "measure_deadline_share", "measure_unit_share",
    "measure_figure_share", "measure_actions_per_item", "rectification_fact_share",
    "problem_covered_share", "problem_min_similarity", "measure_answering_share", "uncovered_problems",
    "problem_any_specific", "problem_none_specific", "measure_any_concrete", "measure_none_concrete",
    "problems_without_measures", "any_uncovered", "specific_uncovered",
    "off_topic_share", "disclosure_share", "empty_pattern", "short_text", "log_length", "n_statements",
)


@dataclass(frozen=True)
class Facts:
    """The specificity of one statement."""

    unit: Unit
    figures: tuple[str, ...]
    dates: tuple[str, ...]
    deadlines: tuple[str, ...]
    units: tuple[str, ...]
    actions: tuple[str, ...]
    stock: tuple[str, ...]
    vague: tuple[str, ...]
    disclosure: tuple[str, ...]
    off_topic: tuple[str, ...]
    topics: frozenset[str]
    content: frozenset[str]
    named: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    process: tuple[str, ...] = ()
    deficiency: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    clauses: tuple[frozenset[str], ...] = ()  # the content words of each clause (…，…；…)

    @property
    def factual(self) -> bool:
        """States something checkable: a figure, a date or deadline, a named unit."""
        return bool(self.figures or self.dates or self.deadlines or self.units)

    @property
    def named_case(self) -> bool:
        """Names what it is about so a reader can look it up: a named column, platform, system or document,
        a quoted case, an example given as such, or a named step of the work with what is missing about it
        (重点项目建设未进行全流程公开 — not 意见征集的广泛性不够, a degree word alone)."""
        return bool(self.named or self.examples or (self.process and self.deficiency))

    @property
    def specific(self) -> bool:
        """A problem an evaluator can check: a figure, a date or a named case. A unit's name alone is not a
        fact about a problem: the reporting agency names itself (2024年，县医疗保障局…仍有差距), and a named
        unit is evidence of responsibility in a measure (:attr:`concrete`), not of a checkable problem."""
        return bool(self.figures or self.dates or self.deadlines) or self.named_case

    @property
    def evidence(self) -> tuple[str, ...]:
        """What makes the statement specific, as found in its text (for explanations)."""
        steps = self.process if self.deficiency else ()
        return tuple(dict.fromkeys(self.figures + self.dates + self.deadlines + self.units + self.named
                                   + self.examples + steps))

    @property
    def concrete(self) -> bool:
        """A measure someone can be held to: an act with a figure, time or unit, or several named acts, or an
        act on a named column, platform, system or document, or a named method or tool (跟班学习制度,
        答复书模板, 座谈会、听证会, 季度抽查, 智能问答知识库)."""
        return (bool(self.figures or self.deadlines or self.units) or len(set(self.actions)) >= 2
                or bool(self.named and self.actions) or bool(self.methods))

    @property
    def off(self) -> bool:
        return len(self.off_topic) > len(self.disclosure)


def facts(unit: Unit) -> Facts:
    lx = lexicon()
    body = unit.body
    return Facts(
        unit=unit,
        figures=tuple(m.group(0) for m in lx.figure.finditer(body)),
        dates=tuple(m.group(0) for m in lx.date.finditer(body)),
        deadlines=tuple(m.group(0) for m in lx.deadline.finditer(body)),
        units=tuple(m.group(0) for m in lx.unit.finditer(body)),
        actions=tuple(find_phrases(body, lx.actions)),
        stock=tuple(find_phrases(body, lx.stock)),
        vague=tuple(find_phrases(body, lx.vague)),
        disclosure=tuple(find_phrases(body, lx.disclosure)),
        off_topic=tuple(find_phrases(body, lx.off_topic)),
        topics=frozenset(t for t, kws in lx.topics.items() if any(k in body for k in kws)),
        content=frozenset(content_words(body)),
        named=tuple(m.group(0) for m in lx.named.finditer(body)),
        examples=tuple(m.group(0) for m in lx.example.finditer(body)),
        process=tuple(find_phrases(body, lx.process)),
        deficiency=tuple(m.group(0) for m in lx.deficiency.finditer(body)),
        methods=tuple(find_phrases(body, lx.methods)),
        clauses=tuple(c for c in (frozenset(content_words(x)) for x in _CLAUSES.split(body)) if c),
    )


_CLAUSES = re.compile(r"[，,；;。]")
#: a clause of a measure answers a problem on its own when it shares this many content words with it…
CLAUSE_SHARED = 2
#: …at this similarity (a long measure sentence answers several problems, one per clause)
CLAUSE_SIM = 0.3


def clause_answers(problem: "Facts", measure: "Facts") -> bool:
    """One clause of the measure says what the problem lacks (…增设查阅场所，满足群众查阅需求 answers
    公开内容不能满足群众需求): readers pair a problem with the clause that answers it, however long the sentence."""
    if not problem.content:
        return False
    for c in measure.clauses:
        shared = len(problem.content & c)
        if shared >= CLAUSE_SHARED and shared / math.sqrt(len(problem.content) * len(c)) >= CLAUSE_SIM:
            return True
    return False


def similarity(a: Facts, b: Facts) -> float:
    """Cosine of the two statements' content-word sets."""
    if not a.content or not b.content:
        return 0.0
    return len(a.content & b.content) / math.sqrt(len(a.content) * len(b.content))


def answers(problem: Facts, measure: Facts) -> bool:
    """A measure answers a problem when their content words overlap enough (:data:`COVER_SIM`); or when they
    share a topic of the lexicon and one of them is general (a stock problem, a vague measure) — a general
    statement is on its topic, not on a particular thing; two checkable statements on a shared topic must
    also share some words (:data:`COVER_TOPIC_SIM`): a measure on site search does not answer broken links."""
    sim = similarity(problem, measure)
    if sim >= COVER_SIM or clause_answers(problem, measure):
        return True
    if not problem.specific and problem.topics <= GENERAL_TOPICS:
        return True  # a stock problem with the working mechanism as a whole (工作机制有待完善): every measure is on it
    if (not problem.specific and problem.topics <= AWARENESS_TOPICS and measure.topics <= AWARENESS_TOPICS | STOCK_REPLIES
            and not measure.concrete and measure.disclosure):
        return True  # a general promise on disclosure work (…提高站位…再上新台阶) answers stock awareness problems
    if not problem.topics and not measure.topics:
        return not problem.specific and not measure.concrete  # two general statements on the work as a whole
    if not problem.topics & measure.topics:
        return False
    return not (problem.specific and measure.concrete) or sim >= COVER_TOPIC_SIM

def shared_words(problem: Facts, measure: Facts) -> list[str]:
    """The content words two statements share (sorted), to show why they were paired."""
    return sorted(problem.content & measure.content)


@dataclass
class Coverage:
    """Which problems have a measure that answers them, and which measures answer a stated problem."""

    best: list[float] = field(default_factory=list)  # per problem: its best similarity to any measure
    uncovered: list[Unit] = field(default_factory=list)
    unanswering: list[Unit] = field(default_factory=list)
    covered_share: float = 1.0
    answering_share: float = 1.0


_ANAPHORA = re.compile(r"^\s*(?:对此|为此|针对(?:这一|该|此|上述)(?:问题|情况)|对(?:这一|该|此)问题)")


def pairs(problems: list[Facts], measures: list[Facts]) -> set[tuple[int, int]]:
    """(problem index, measure index) of each measure that answers a problem: by :func:`answers`; a measure
    that opens by pointing back (对此，… / 针对这一问题…) answers the problem just before it; a lone measure
    on no topic of its own answers a lone problem (问题：公开栏2处损坏。措施：4月前修复。)."""
    out = {(i, j) for i, p in enumerate(problems) for j, m in enumerate(measures) if answers(p, m)}
    for j, m in enumerate(measures):
        if _ANAPHORA.search(m.unit.body):
            before = [i for i, p in enumerate(problems) if p.unit.start < m.unit.start]
            if before:
                out.add((before[-1], j))
    if len(problems) == 1 and len(measures) == 1 and (
            not measures[0].topics
            or (measures[0].disclosure and not measures[0].concrete and not measures[0].topics & STOCK_REPLIES)):
        # one problem, one general measure on disclosure work: the measure is its answer — unless it is training
        # and publicity, the stock reply to any problem (readers call that unanswered)
        out.add((0, 0))
    return out


def coverage(problems: list[Facts], measures: list[Facts]) -> Coverage:
    cov = Coverage()
    matched = pairs(problems, measures)
    for i, p in enumerate(problems):
        cov.best.append(max((similarity(p, m) for m in measures), default=0.0))
        if not any((i, j) in matched for j in range(len(measures))):
            cov.uncovered.append(p.unit)
    for j, m in enumerate(measures):
        if not any((i, j) in matched for i in range(len(problems))):
            cov.unanswering.append(m.unit)
    if problems:
        cov.covered_share = 1 - len(cov.uncovered) / len(problems)
    if measures:
        cov.answering_share = 1 - len(cov.unanswering) / len(measures)
    return cov


@dataclass
class PassageAnalysis:
    """One passage, read once: its parts, the facts of each statement, coverage, and the features."""

    text: str
    format: str | None
    year: int | None
    seg: Segmentation
    facts: list[Facts]
    coverage: Coverage
    dense: dict[str, float]
    tagged_words: list[str]
    chars: str

    def of_role(self, role: str) -> list[Facts]:
        return [f for f in self.facts if f.unit.role == role]


def _share(items: list[Facts], pred) -> float:
    return sum(1 for f in items if pred(f)) / len(items) if items else 0.0


def tagged(unit: Unit) -> list[str]:
    tag = ROLE_TAG[unit.role]
    return [f"{tag}:{w}" for w in words(unit.body)]


def analyse_passage(text: str, fmt: str | None = None, year: int | None = None) -> PassageAnalysis:
    lx = lexicon()
    seg = segment(text, year)
    fs = [facts(u) for u in seg.statements]
    P = [f for f in fs if f.unit.role == PROBLEM and not f.off]
    M = [f for f in fs if f.unit.role == MEASURE and not f.off]
    R = [f for f in fs if f.unit.role == RECTIFICATION]
    cov = coverage(P, M)
    is2021 = fmt == "2021"
    log1 = lambda n: math.log1p(n) / 2  # noqa: E731
    dense = {
        "n_problems": log1(len(P)),
        "n_measures": log1(len(M)),
        "n_rectification": log1(len(R)),
        "has_problems": float(bool(P)),
        "has_measures": float(bool(M)),
        "has_rectification": float(bool(R)),
        "format_2021": float(is2021),
        "format_2021_no_rectification": float(is2021 and not R),
        "format_2021_rectification_without_fact": float(is2021 and bool(R) and not any(f.factual for f in R)),
        "problem_fact_share": _share(P, lambda f: f.factual),
        "problem_named_share": _share(P, lambda f: f.named_case),
        "problem_specific_share": _share(P, lambda f: f.specific),
        "problem_stock_share": _share(P, lambda f: f.stock and not f.specific),
        "problem_stock_per_item": min(3.0, sum(len(f.stock) for f in P) / len(P)) / 3 if P else 0.0,
        "measure_concrete_share": _share(M, lambda f: f.concrete),
        "measure_vague_share": _share(M, lambda f: f.vague and not f.concrete),
        "measure_deadline_share": _share(M, lambda f: f.deadlines),
        "measure_unit_share": _share(M, lambda f: f.units),
        "measure_figure_share": _share(M, lambda f: f.figures),
        "measure_actions_per_item": min(3.0, sum(len(f.actions) for f in M) / len(M)) / 3 if M else 0.0,
        "rectification_fact_share": _share(R, lambda f: f.factual),
        "problem_covered_share": cov.covered_share if P and M else 0.0,
        "problem_min_similarity": min(cov.best) if P and M else 0.0,
        "measure_answering_share": cov.answering_share if P and M else 0.0,
        "uncovered_problems": min(3, len(cov.uncovered)) / 3 if M else 0.0,
        "problem_any_specific": float(any(f.specific for f in P)),
        "problem_none_specific": float(bool(P) and not any(f.specific for f in P)),
        "measure_any_concrete": float(any(f.concrete for f in M)),
        "measure_none_concrete": float(bool(P) and bool(M) and not any(f.concrete for f in M)),
        "problems_without_measures": float(bool(P) and not M),
        "any_uncovered": float(bool(M) and bool(cov.uncovered)),
        # a checkable problem left without a measure on its subject: what readers call a mismatch first
        "specific_uncovered": float(bool(M) and any(f.specific and f.unit in cov.uncovered for f in P)),
        "off_topic_share": _share([f for f in fs if f.unit.role in (PROBLEM, MEASURE)], lambda f: f.off),
        "disclosure_share": _share(fs, lambda f: f.disclosure),
        "empty_pattern": float(all(lx.empty.search(f.unit.body) for f in fs)),
        "short_text": float(len(text.strip()) < 40),
        "log_length": math.log1p(len(text)) / 8,
        "n_statements": log1(len(fs)),
    }
    tw = [w for u in seg.units for w in tagged(u)]
    return PassageAnalysis(text, fmt, year, seg, fs, cov, dense, tw, char_text(text))
