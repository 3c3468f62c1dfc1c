"""The shipped narrative model: one calibrated linear classifier per weakness label.

The model is plain data (``data/model.json``): the two TF-IDF vocabularies with their idf weights, the
names of the dense features, and per label the coefficients, intercept, Platt calibration (a, b) and the
decision threshold chosen on the dev split. Nothing is unpickled; loading needs no network. A label's
probability is ``1 / (1 + exp(a·s + b))`` of the linear score ``s``, so every flag can be explained by
the terms of ``s``: the phrases (word and character features) and the specificity features with the
largest weight × value.

The model is applied without numpy (whose import costs a tenth of a second of every ``audit check``): a
passage's vector is sparse (the few hundred terms it has, as a dict), and a score is a sum over them. The
dense numpy matrices (:meth:`NarrativeModel.matrix`, :meth:`NarrativeModel.probability`) stay for ``audit
train`` and as the reference: ``tests/test_narrative_sparse.py`` checks that both give the same scores,
probabilities, terms and rankings (within 1e-12).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import math
from collections import Counter

from audit.narrative import model_path
from audit.narrative.features import DENSE, PassageAnalysis, Unit, tagged
from audit.narrative.tokens import char_text, lexicon

#: the weakness labels, one classifier each (``copied`` is cross-report: audit.batch)
LABELS = ("generic", "no_concrete_measures", "mismatch", "no_rectification", "empty", "off_topic")
SUBSTANTIVE = "substantive"
ALL_LABELS = LABELS + (SUBSTANTIVE,)


#: the character n-gram lengths of the chars block
CHAR_NGRAMS = (2, 3)


def char_ngrams(text: str) -> list[str]:
    """The character 2–3-grams of ``text``, lower-cased, as scikit-learn's ``analyzer="char"`` makes them
    (``audit train`` fits with it; tests/test_narrative_classify.py checks the two agree)."""
    text = text.lower()
    lo, hi = CHAR_NGRAMS
    return [text[i:i + n] for n in range(lo, min(hi, len(text)) + 1) for i in range(len(text) - n + 1)]


class Tfidf:
    """A fitted TF-IDF block: sublinear term frequency (1 + log tf) times idf, each row scaled to unit
    length — the transform of scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` with the vocabulary
    and idf ``audit train`` fitted. Running the model needs neither scikit-learn nor numpy (:meth:`row`)."""

    def __init__(self, vocabulary: list[str], idf: list[float]):
        self.index = {t: i for i, t in enumerate(vocabulary)}
        self.idf = [float(v) for v in idf]

    def row(self, terms: list[str], offset: int = 0) -> dict[int, float]:
        """One document's non-zero weights, column (plus ``offset``) → value: :meth:`transform`'s row."""
        out: dict[int, float] = {}
        for t, n in Counter(terms).items():
            j = self.index.get(t)
            if j is not None:
                out[j] = (1.0 + math.log(n)) * self.idf[j]
        norm = math.sqrt(math.fsum(v * v for v in out.values()))
        if norm > 0:
            out = {j: v / norm for j, v in out.items()}
        return {j + offset: v for j, v in sorted(out.items())} if offset else dict(sorted(out.items()))

    def transform(self, docs: list[list[str]]):
        """The dense numpy matrix of ``docs`` (``audit train``; the reference for :meth:`row`)."""
        import numpy as np

        X = np.zeros((len(docs), len(self.index)))
        for r, terms in enumerate(docs):
            for t, n in Counter(terms).items():
                j = self.index.get(t)
                if j is not None:
                    X[r, j] = (1.0 + math.log(n)) * self.idf[j]
            norm = np.sqrt(X[r] @ X[r])
            if norm > 0:
                X[r] /= norm
        return X


def resolve(flags: set[str], fmt: str | None) -> set[str]:
    """The labels a passage ends with (GUIDE.md): ``empty`` stands alone; an off-topic passage is judged
    on nothing else but last year's rectification; no_rectification is for the 2021 format only;
    no weakness is ``substantive``."""
    flags = set(flags)
    if fmt != "2021":
        flags.discard("no_rectification")
    if "empty" in flags:
        return {"empty"}
    if "off_topic" in flags:
        flags &= {"off_topic", "no_rectification"}
    return flags or {SUBSTANTIVE}


def supported(label: str, a: PassageAnalysis) -> bool:
    """Whether the passage holds the evidence a finding of ``label`` rests on, as readers judge it: generic
    only when no stated problem names anything checkable; no_concrete_measures only when measures are
    given and none is concrete; mismatch only when a problem has no measure on its subject, problems or
    measures stand alone, or most measures answer no stated problem. The model weighs how strongly; this
    keeps a finding from contradicting its own counts ("1/3 concrete" under "no concrete measures")."""
    P, M = a.of_role("problem"), a.of_role("measure")
    if label == "generic":
        return bool(P) and not any(f.specific for f in P)
    if label == "no_concrete_measures":
        return bool(P) and bool(M) and not any(f.concrete for f in M)
    if label == "mismatch":
        cov = a.coverage
        return (bool(P) != bool(M)) or bool(P and cov.uncovered) or len(cov.unanswering) * 2 > len(M) > 0
    if label == "empty":
        # a section that states a problem (a clause saying what is lacking: 不规范、不及时) has substance, however
        # short: it is judged on that, not called empty
        pred = lexicon().segment["problem_predicate"]
        return not any(pred.search(f.unit.body) for f in P)
    return True


@dataclass(frozen=True)
class Term:
    """One term of a linear score: a feature, its value in the passage and its contribution."""

    name: str
    kind: str  # "word" | "char" | "feature"
    value: float
    contribution: float

    @property
    def phrase(self) -> str:
        """The text a reader can find in the passage (a word without its part tag)."""
        return self.name.split(":", 1)[1] if self.kind == "word" else self.name


class NarrativeModel:
    """Vectorises passages and scores them with the shipped per-label parameters."""

    def __init__(self, params: dict):
        self.params = params
        self.version: str = params["version"]
        self.words = Tfidf(params["words"]["vocabulary"], params["words"]["idf"])
        self.chars = Tfidf(params["chars"]["vocabulary"], params["chars"]["idf"])
        self.dense_names: list[str] = params["dense"]
        if tuple(self.dense_names) != DENSE:
            raise ValueError("narrative model: its dense features are not this code's (run `audit train`)")
        self.names = ([("word", w) for w in params["words"]["vocabulary"]]
                      + [("char", c) for c in params["chars"]["vocabulary"]]
                      + [("feature", d) for d in self.dense_names])
        self.labels = {lb: p for lb, p in params["labels"].items()}
        #: per label, the coefficients in column order (words, chars, dense features): a list, or the numpy
        #: array ``audit train`` puts there while it fits
        self.coef = {lb: [float(c) for c in p["coef"]] for lb, p in self.labels.items()}

    @classmethod
    def from_file(cls, path: str | Path) -> "NarrativeModel":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    # ------------------------------------------------------------------------- sparse (run time)

    def vector(self, a: PassageAnalysis) -> dict[int, float]:
        """A passage's non-zero features, column → value (the row :meth:`matrix` gives, without its zeros)."""
        nw, nc = len(self.words.index), len(self.chars.index)
        x = self.words.row(a.tagged_words)
        x.update(self.chars.row(char_ngrams(a.chars), nw))
        for k, n in enumerate(self.dense_names):
            v = float(a.dense[n])
            if v != 0.0:
                x[nw + nc + k] = v
        return x

    def unit_vector(self, u: Unit) -> dict[int, float]:
        """A statement's word and character features (no dense block), as :meth:`unit_matrix`'s row."""
        x = self.words.row(tagged(u))
        x.update(self.chars.row(char_ngrams(char_text(u.text)), len(self.words.index)))
        return x

    def linear(self, x: dict[int, float], label: str) -> float:
        """The linear score of a sparse vector (:meth:`score`'s value)."""
        coef = self.coef[label]
        return math.fsum(v * coef[j] for j, v in x.items()) + self.labels[label]["intercept"]

    def calibrated(self, score: float, label: str) -> float:
        """The probability of a linear score (:meth:`probability`'s value)."""
        cal = self.labels[label]["calibration"]
        z = cal["a"] * score + cal["b"]
        return 1.0 / (1.0 + math.exp(min(max(z, -50.0), 50.0)))

    # --------------------------------------------------------------------- dense (numpy: training)

    def matrix(self, analyses: list[PassageAnalysis]):
        import numpy as np

        w = self.words.transform([a.tagged_words for a in analyses])
        c = self.chars.transform([char_ngrams(a.chars) for a in analyses])
        d = np.array([[a.dense[n] for n in self.dense_names] for a in analyses], dtype=float).reshape(len(analyses), -1)
        return np.hstack([w, c, d])

    def unit_matrix(self, units: list[Unit]):
        """Word and character blocks of single statements (dense block zero): for ranking sentences."""
        import numpy as np

        w = self.words.transform([tagged(u) for u in units])
        c = self.chars.transform([char_ngrams(char_text(u.text)) for u in units])
        return np.hstack([w, c, np.zeros((len(units), len(self.dense_names)))])

    # --------------------------------------------------------------------------------- scores

    def score(self, X, label: str):
        import numpy as np

        return X @ np.asarray(self.coef[label], dtype=float) + self.labels[label]["intercept"]

    def probability(self, X, label: str):
        import numpy as np

        cal = self.labels[label]["calibration"]
        z = cal["a"] * self.score(X, label) + cal["b"]
        return 1.0 / (1.0 + np.exp(np.clip(z, -50, 50)))

    def threshold(self, label: str) -> float:
        return float(self.labels[label]["threshold"])

    def predict(self, analyses: list[PassageAnalysis]) -> list[dict[str, float]]:
        """Per passage: label → calibrated probability."""
        out = []
        for a in analyses:
            x = self.vector(a)
            out.append({lb: self.calibrated(self.linear(x, lb), lb) for lb in LABELS})
        return out

    def decide(self, probs: dict[str, float], fmt: str | None, analysis: PassageAnalysis | None = None) -> set[str]:
        """The labels flagged: probability at or above the label's threshold and, given the passage's
        analysis, the evidence a reader would check present in it (:func:`supported`)."""
        flags = {lb for lb, p in probs.items() if p >= self.threshold(lb)}
        if analysis is not None:
            flags = {lb for lb in flags if supported(lb, analysis)}
        return resolve(flags, fmt)

    # ---------------------------------------------------------------------------- explanations

    def terms(self, analysis: PassageAnalysis, label: str, k: int = 8) -> tuple[list[Term], list[Term]]:
        """The phrases and the specificity features that pushed ``label`` up most (positive terms only)."""
        x = self.vector(analysis)
        coef = self.coef[label]
        terms = []
        for j in sorted(x):
            v = x[j]
            c = float(v * coef[j])
            if c > 0:
                kind, name = self.names[j]
                terms.append(Term(name, kind, float(v), c))
        terms.sort(key=lambda t: (-t.contribution, t.name))
        phrases, seen = [], set()
        for t in terms:
            if t.kind == "feature" or t.phrase in seen:
                continue
            seen.add(t.phrase)
            phrases.append(t)
        features = [t for t in terms if t.kind == "feature"]
        return phrases[:k], features[:k]

    def rank_units(self, units: list[Unit], label: str) -> list[tuple[Unit, float]]:
        """Statements by how much their own words push ``label`` up, strongest first."""
        if not units:
            return []
        coef = self.coef[label]
        s = [math.fsum(v * coef[j] for j, v in self.unit_vector(u).items()) for u in units]
        return sorted(zip(units, s), key=lambda p: (-p[1], p[0].start))


@lru_cache(maxsize=1)
def load_model() -> NarrativeModel:
    """The shipped model, loaded once per process."""
    path = model_path()
    if not path.is_file():
        raise FileNotFoundError(f"narrative model missing: {path} (run `audit train`)")
    return NarrativeModel.from_file(path)
