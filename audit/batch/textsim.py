"""Text likeness for the cross-report checks: character shingles, repeated share, sentences carried over,
and near-duplicate pairs found with MinHash LSH (datasketch) and confirmed by exact Jaccard.

Texts are compared after :func:`canon`: whitespace and punctuation dropped and every run of digits made
``#``, so a section copied with only its years and figures bumped still counts as copied. Sentences
"carried over word for word" are compared exactly (only whitespace dropped).

A section's statements (:func:`statements`: section 五's problems and measures, else its sentences) and which
of them a previous text repeats word for word or nearly (:func:`repeated`) are one implementation for the
batch's XY-COPY check (:mod:`audit.batch.cross`) and the side-by-side view (:mod:`audit.compare`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from audit.vocab import ENUMERATOR, ends_sentence, sentence_texts
from audit.vocab import sentences as sentence_spans

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\s\u3000·•・,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】<>《》〈〉{}—\-_/|…]+")
_DIGITS = re.compile(r"\d+")


def canon(text: str, fold_figures: bool = True) -> str:
    """Punctuation and whitespace dropped; every run of digits made ``#`` unless ``fold_figures`` is false."""
    s = _PUNCT.sub("", text or "")
    return _DIGITS.sub("#", s) if fold_figures else s


def shingles(text: str, k: int) -> set[str]:
    """The character k-grams of an already canonical text (the whole text when shorter than k)."""
    if len(text) <= k:
        return {text} if text else set()
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def containment(current: set[str], previous: set[str]) -> float:
    """The share of ``current``'s shingles that ``previous`` has too."""
    return len(current & previous) / len(current) if current else 0.0


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (:func:`audit.vocab.sentences`), whitespace dropped."""
    return [s for s in (_SPACE.sub("", t) for t in sentence_texts(text or "")) if s]




def carried_over(current: str, previous: str, min_chars: int) -> list[str]:
    """Sentences of ``current`` found word for word in ``previous``: whole sentences (ending in a stop, so
    not headings) of at least ``min_chars`` characters besides their enumerator (（一）, (1), 1.)."""
    prev = _SPACE.sub("", previous or "")
    seen, out = set(), []
    for s in sentences(current):
        body = ENUMERATOR.sub("", s)
        if ends_sentence(s) and len(body) >= min_chars and s in prev and s not in seen:
            seen.add(s)
            out.append(s)
    return out


@dataclass(frozen=True)
class Statement:
    """One statement of a section: a problem, measure or rectification of section 五 (role), or a plain
    sentence (role ""), with its offsets into the section's text."""

    role: str
    text: str
    body: str  # the text without its enumerator (一是, （一）, 1.)
    start: int = 0
    end: int = 0


#: a lead-in that promises what follows (“针对存在问题，2025年我们将切实抓好以下工作：”): its items are measures
#: even where it names the problems it answers
_PROMISE_LEAD = re.compile(r"(?:将|下一步|今后|措施|改进|打算|计划)[^。；]*(?:以下|如下)|(?:以下|如下)[^。；]*(?:措施|工作|改进)")


def statements(text: str, year: int | None = None, *, parts: bool = True) -> list[Statement]:
    """The statements of a section: its problems, measures and rectification as section 五's segmentation
    reads them (:func:`audit.narrative.segment.segment`; headings and lead-ins left out, the items after a
    lead-in that promises work are measures), or its sentences when it has no such parts or ``parts`` is
    false (a section other than 五, whose enumerated items are headings over several sentences)."""
    from audit.narrative.segment import FRAME, MEASURE, PROBLEM, segment

    text = text or ""
    units, promised = [], False
    for u in (segment(text, year).units if parts else ()):
        if u.role == FRAME:
            promised = bool(_PROMISE_LEAD.search(u.text))
            continue
        role = MEASURE if promised and u.role == PROBLEM else u.role
        units.append(Statement(role, u.text, u.body, u.start, u.end))
    if units:
        return units
    return [Statement("", text[a:b], text[a:b], a, b) for a, b in sentence_spans(text) if text[a:b].strip()]


@dataclass(frozen=True)
class Repeat:
    """A statement of the current report found in the previous one."""

    role: str  # the statement's part of section 五 (problem, measure, rectification), "" for a plain sentence
    text: str  # as the current report prints it (whitespace dropped)
    share: float  # 1.0: word for word (punctuation and figures aside); else the share of its shingles found
    same_figures: bool = False  # word for word with the previous report's figures too (punctuation aside)
    start: int = 0  # the statement's offsets into the current text
    end: int = 0

    @property
    def verbatim(self) -> bool:
        return self.share >= 1.0


def repeated(units: list[Statement], previous: str, *, min_chars: int, near: float, k: int = 5,
             unique: bool = True) -> list[Repeat]:
    """The statements (:func:`statements`) of the current report that the previous report's text holds word
    for word or nearly (``near``: the share of the body's k-shingles found there). Compared canonically
    (:func:`canon`: punctuation and whitespace dropped, figures folded), so a measure printed with a comma
    where last year had a full stop, or with the next year's date, still counts; a body (the statement
    without its enumerator 一是/（一）) shorter than ``min_chars`` is left out (headings, stock phrases).
    ``unique``: a statement the current text repeats itself is reported once."""
    prev = canon(previous)
    prev_exact = canon(previous, fold_figures=False)
    prev_sh = shingles(prev, k)
    out, seen = [], set()
    for u in units:
        body = ENUMERATOR.sub("", u.body or "")
        b = canon(body)
        if len(b) < min_chars or (unique and b in seen):
            continue
        seen.add(b)
        share = 1.0 if b in prev else containment(shingles(b, k), prev_sh)
        if share >= near:
            exact = share >= 1.0 and canon(body, fold_figures=False) in prev_exact
            out.append(Repeat(u.role, _SPACE.sub("", u.text), round(share, 3), exact, u.start, u.end))
    return out


def shared_passage(a: str, b: str, limit: int = 160) -> str:
    """The longest passage two texts share (whitespace dropped), cut to ``limit`` characters."""
    a, b = _SPACE.sub("", a or ""), _SPACE.sub("", b or "")
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    passage = a[m.a:m.a + m.size]
    return passage if len(passage) <= limit else passage[:limit] + "…"


def near_duplicates(texts: dict[str, str], *, threshold: float, k: int, num_perm: int,
                    allowed=lambda a, b: True, fold_figures: bool = True) -> list[tuple[str, str, float]]:
    """Pairs ``(a, b, jaccard)`` with ``a < b`` whose shingle sets have Jaccard ≥ threshold.

    Candidates come from MinHash LSH (seeded, so deterministic) and are confirmed on the exact sets;
    ``allowed(a, b)`` filters candidate pairs (e.g. only different agencies); ``fold_figures`` false keeps
    the figures (two agencies filling one template with their own figures are no copy).
    """
    from datasketch import MinHashLSH

    sets = {key: shingles(canon(t, fold_figures), k) for key, t in texts.items()}
    hashes = {key: _minhash(s, num_perm) for key, s in sorted(sets.items()) if s}
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for key, mh in hashes.items():
        lsh.insert(key, mh)
    pairs = []
    for a, mh in hashes.items():
        for b in sorted(lsh.query(mh)):
            if b <= a or not allowed(a, b):
                continue
            j = jaccard(sets[a], sets[b])
            if j >= threshold:
                pairs.append((a, b, j))
    return pairs


def _minhash(shingle_set: set[str], num_perm: int):
    from datasketch import MinHash

    mh = MinHash(num_perm=num_perm, seed=1)
    mh.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return mh
