"""Words and sentences of a narrative, and the lexicon they are matched against.

Tokens come from the process's one Chinese pipeline (:func:`audit.nlp.get_nlp`: spaCy's blank ``zh``
with jieba and the domain user dictionary); the lexicon (``data/lexicon.yaml``) is loaded once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from audit import yamlload

from audit.nlp import get_nlp
from audit.vocab import sentences  # noqa: F401  (the narrative reads sentences as every stage cuts them)

_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_PUNCT = re.compile(r"^[\W_]+$")
#: tokens that carry no topic of their own (for problem/measure similarity)
_FUNCTION = frozenset("的 了 和 与 及 等 在 对 将 是 为 中 有 把 被 从 以 于 并 或 其 各 这 该 也 还 仍 再 要 能 可 已 由 向 按 到".split())
NUM = "<NUM>"


@dataclass(frozen=True)
class Lexicon:
    """``data/lexicon.yaml``: phrase lists, compiled patterns and the topic keywords."""

    stock: tuple[str, ...]
    vague: tuple[str, ...]
    actions: tuple[str, ...]
    methods: tuple[str, ...]
    disclosure: tuple[str, ...]
    off_topic: tuple[str, ...]
    topics: dict[str, tuple[str, ...]]
    deadline: re.Pattern
    date: re.Pattern
    figure: re.Pattern
    unit: re.Pattern
    empty: re.Pattern
    fee: re.Pattern
    named: re.Pattern
    example: re.Pattern
    process: tuple[str, ...]
    deficiency: re.Pattern
    segment: dict[str, re.Pattern]
    coverage_stopwords: frozenset[str]
    version: str

    @staticmethod
    def _phrases(words) -> tuple[str, ...]:
        return tuple(sorted(set(words), key=lambda w: (-len(w), w)))

    @classmethod
    def from_yaml(cls, text: str) -> "Lexicon":
        import hashlib

        d = yamlload.safe_load(text)
        alt = lambda pats: re.compile("|".join(f"(?:{p})" for p in pats))  # noqa: E731
        return cls(
            stock=cls._phrases(d["stock_phrases"]),
            vague=cls._phrases(d["vague_measure_phrases"]),
            actions=cls._phrases(d["concrete_actions"]),
            methods=cls._phrases(d["concrete_methods"]),
            disclosure=cls._phrases(d["disclosure_terms"]),
            off_topic=cls._phrases(d["off_topic_terms"]),
            topics={k: cls._phrases(v) for k, v in sorted(d["topics"].items())},
            deadline=alt(d["deadline_re"]),
            date=alt(d["date_re"]),
            figure=alt(d["figure_re"]),
            unit=alt(d["unit_re"]),
            empty=alt(d["empty_re"]),
            fee=alt(d["fee_re"]),
            named=alt(d["named_re"]),
            example=alt(d["example_re"]),
            process=cls._phrases(d["process_terms"]),
            deficiency=alt(d["deficiency_re"]),
            segment={k.removesuffix("_re"): re.compile(v) for k, v in sorted(d["segment"].items())},
            coverage_stopwords=frozenset(d["coverage_stopwords"]),
            version=hashlib.sha256(text.encode("utf-8")).hexdigest()[:12],
        )


def lexicon_text() -> str:
    return (resources.files("audit.narrative") / "data" / "lexicon.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, parsed once per process."""
    return Lexicon.from_yaml(lexicon_text())


def find_phrases(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The phrases found in ``text``, longest first and without overlaps, in text order."""
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for p in phrases:  # longest first
        start = text.find(p)
        while start != -1:
            end = start + len(p)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(p)
                found.append((start, p))
            start = text.find(p, end)
    return [p for _, p in sorted(found)]


def words(text: str) -> list[str]:
    """The jieba tokens of ``text`` as features: punctuation and spaces dropped, numbers as ``<NUM>``."""
    out = []
    for t in get_nlp().make_doc(text):
        w = t.text.strip()
        if not w or _PUNCT.match(w):
            continue
        out.append(NUM if _DIGITS.fullmatch(w) else w)
    return out


def search_words(text: str) -> list[str]:
    """jieba's search-mode cut: each token, and the dictionary words inside a long one (政府信息查阅点 →
    查阅, 政府信息查阅点), so that two statements naming the same thing in longer or shorter words meet."""
    import jieba

    get_nlp()  # jieba with the user dictionary
    return [w.strip() for w in jieba.cut_for_search(text) if w.strip()]


def content_words(text: str) -> set[str]:
    """Words that say what a sentence is about (for problem-to-measure similarity): search-mode jieba
    words without numbers, punctuation, function words and the lexicon's coverage stopwords."""
    stop = lexicon().coverage_stopwords
    return {w for w in search_words(text)
            if len(w) > 1 and not _PUNCT.match(w) and not _DIGITS.search(w) and w not in _FUNCTION and w not in stop}


def char_text(text: str) -> str:
    """The text the character n-grams are taken from: digits folded to 0, whitespace dropped."""
    return re.sub(r"\s+", "", _DIGITS.sub("0", text))
