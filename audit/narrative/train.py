"""``audit train``: rebuild the shipped narrative model from the labelled corpus, deterministically.

The corpus is ``corpora/narratives/passages.jsonl`` (see its GUIDE.md). Vectorisers are fitted on the
train split; each label gets a logistic regression calibrated by Platt scaling on 5-fold
cross-validated scores of the train split (scikit-learn's ``CalibratedClassifierCV`` with
``ensemble=False``), and a decision threshold chosen on the dev split. The test split is never read
here: ``benchmarks/narrative_eval.py`` reports on it.

The written model is JSON with sorted keys and rounded floats, so the same corpus and code give the
same bytes; it records the corpus hash, the lexicon hash and the feature version, from which
:func:`model_version` is derived.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from audit.narrative import MODEL_FILE
from audit.narrative.classify import CHAR_NGRAMS, LABELS, NarrativeModel
from audit.narrative.features import DENSE, FEATURE_VERSION, PassageAnalysis, analyse_passage
from audit.narrative.tokens import lexicon

MODEL_FORMAT = 1
#: regularisation of every label's logistic regression (inverse strength)
C = 4.0
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(13)]  # 0.20 … 0.80
#: a label is learnt only on the passages where it can be decided (GUIDE.md): generic, no_concrete_measures
#: and mismatch on passages that are neither empty nor off topic (an off-topic passage is not "specific"
#: for being off topic, and being on topic is no evidence of stock phrases); no_rectification on every
#: passage that is not empty
SCOPE = {"generic": ("empty", "off_topic"), "no_concrete_measures": ("empty", "off_topic"),
         "mismatch": ("empty", "off_topic"), "no_rectification": ("empty",)}
#: specificity features a label may not use: whether a passage is on topic says nothing about how
#: specific its problems or measures are, or whether they match
#: and a share (of problems covered, of measures concrete) stands in for what readers judge on any one item:
#: one problem left without a measure is a mismatch, one concrete measure makes the measures concrete
_ON_TOPIC = ("disclosure_share", "off_topic_share")
EXCLUDED_FEATURES = {
    "generic": _ON_TOPIC,
    "no_concrete_measures": _ON_TOPIC + ("measure_concrete_share", "measure_vague_share", "specific_uncovered"),
    "mismatch": _ON_TOPIC + ("problem_covered_share", "problem_min_similarity", "uncovered_problems"),
    "no_rectification": _ON_TOPIC,
}
DIGITS = 6


@dataclass(frozen=True)
class Row:
    id: str
    split: str
    format: str
    year: int
    labels: tuple[str, ...]
    text: str


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def word_vectorizer(**kw) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=True, **kw)


def char_vectorizer(**kw) -> TfidfVectorizer:
    """The chars block as fitted (the runtime applies it with :func:`audit.narrative.classify.char_ngrams`)."""
    return TfidfVectorizer(analyzer="char", ngram_range=CHAR_NGRAMS, sublinear_tf=True, **kw)


def default_corpus() -> Path:
    """The corpus of the source tree this package runs from (or of the current directory)."""
    for base in (Path(__file__).resolve().parents[2], Path.cwd()):
        path = base / "corpora" / "narratives" / "passages.jsonl"
        if path.is_file():
            return path
    raise FileNotFoundError("corpora/narratives/passages.jsonl not found: pass the corpus explicitly (--corpus)")


def default_output() -> Path:
    return Path(__file__).resolve().parent / "data" / MODEL_FILE


def load_corpus(path: str | Path) -> list[Row]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rows.append(Row(r["id"], r["split"], r["format"], int(r["year"]), tuple(r["labels"]), r["text"]))
    return rows


def analyse_rows(rows: list[Row]) -> list[PassageAnalysis]:
    return [analyse_passage(r.text, r.format, r.year) for r in rows]


def _round(a) -> list[float]:
    return [round(float(x), DIGITS) for x in a]


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int(np.sum(y & pred))
    fp = int(np.sum(~y & pred))
    fn = int(np.sum(y & ~pred))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def fit_block(make, docs: list, min_df: int, max_features: int) -> TfidfVectorizer:
    """A TF-IDF block fitted on ``docs`` with the ``max_features`` most frequent terms (in at least ``min_df``
    documents). scikit-learn picks them with an unstable sort, so terms of equal frequency at the cut can
    fall either way on another machine (its numpy may sort with other instructions); here ties are broken
    by the term itself, and the vectoriser is refitted on that fixed vocabulary (in sorted order)."""
    from collections import Counter

    analyse = make().build_analyzer()
    total, df = Counter(), Counter()
    for d in docs:
        terms = analyse(d)
        total.update(terms)
        df.update(set(terms))
    kept = sorted((t for t in total if df[t] >= min_df), key=lambda t: (-total[t], t))[:max_features]
    return make(vocabulary=sorted(kept), dtype=np.float64).fit(docs)


def fit(rows: list[Row], corpus_sha256: str) -> dict:
    """Model parameters (JSON-ready) from the corpus rows."""
    train = [r for r in rows if r.split == "train"]
    dev = [r for r in rows if r.split == "dev"]
    a_train, a_dev = analyse_rows(train), analyse_rows(dev)
    wv = fit_block(word_vectorizer, [a.tagged_words for a in a_train], min_df=2, max_features=6000)
    cv = fit_block(char_vectorizer, [a.chars for a in a_train], min_df=3, max_features=6000)
    vocab = lambda v: [t for t, _ in sorted(v.vocabulary_.items(), key=lambda kv: kv[1])]  # noqa: E731
    params = {
        "model_format": MODEL_FORMAT,
        "feature_version": FEATURE_VERSION,
        "lexicon_sha256": lexicon().version,
        "corpus_sha256": corpus_sha256,
        "training_sha256": training_sha256(),
        "corpus_counts": {s: sum(r.split == s for r in rows) for s in ("train", "dev", "test")},
        "words": {"vocabulary": vocab(wv), "idf": _round(wv.idf_)},
        "chars": {"vocabulary": vocab(cv), "idf": _round(cv.idf_)},
        "dense": list(DENSE),
        "labels": {},
        "version": "",
    }
    # vectorise through the runtime model's own code, with the rounded idf it will ship with
    shell = NarrativeModel({**params, "version": "fitting",
                            "labels": {lb: {"coef": [], "intercept": 0.0, "calibration": {"a": -1.0, "b": 0.0},
                                            "threshold": 0.5} for lb in LABELS}})
    X_train_all, X_dev_all = sp.csr_matrix(shell.matrix(a_train)), sp.csr_matrix(shell.matrix(a_dev))
    n_words = len(params["words"]["vocabulary"]) + len(params["chars"]["vocabulary"])
    for lb in LABELS:
        in_train = np.array([not set(SCOPE.get(lb, ())) & set(r.labels) for r in train])
        in_dev = np.array([not set(SCOPE.get(lb, ())) & set(r.labels) for r in dev])
        keep = np.ones(X_train_all.shape[1])
        for name in EXCLUDED_FEATURES.get(lb, ()):
            keep[n_words + DENSE.index(name)] = 0.0
        mask = sp.diags(keep)
        X_train, X_dev = (X_train_all[in_train] @ mask).tocsr(), (X_dev_all[in_dev] @ mask).tocsr()
        y = np.array([lb in r.labels for r, k in zip(train, in_train) if k])
        base = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=0, max_iter=1000)
        clf = CalibratedClassifierCV(base, method="sigmoid", cv=StratifiedKFold(5), ensemble=False).fit(X_train, y)
        fitted = clf.calibrated_classifiers_[0]
        est, cal = fitted.estimator, fitted.calibrators[0]
        entry = {"coef": _round(est.coef_[0] * keep), "intercept": round(float(est.intercept_[0]), DIGITS),
                 "calibration": {"a": round(float(cal.a_), DIGITS), "b": round(float(cal.b_), DIGITS)},
                 "threshold": 0.5, "train_positives": int(y.sum()), "train_rows": int(in_train.sum()),
                 "scope": {"excludes": list(SCOPE.get(lb, ())), "features_unused": list(EXCLUDED_FEATURES.get(lb, ()))}}
        shell.coef[lb] = np.asarray(entry["coef"])
        shell.labels[lb] = entry
        y_dev = np.array([lb in r.labels for r, k in zip(dev, in_dev) if k])
        p_dev = shell.probability(X_dev.toarray(), lb)
        best = max(THRESHOLDS, key=lambda t: (_f1(y_dev, p_dev >= t), -abs(t - 0.5)))
        entry["threshold"] = best
        entry["dev_f1"] = round(_f1(y_dev, p_dev >= best), 4)
        params["labels"][lb] = entry
    params["version"] = version_of(params)
    return params


def training_sha256() -> str:
    """The training settings (regularisation, thresholds tried, each label's scope and unused features): part of
    the model's version, so a model refitted under other settings never shares a version (and a cache key)."""
    settings = {"C": C, "thresholds": THRESHOLDS, "scope": {k: list(v) for k, v in SCOPE.items()},
                "excluded": {k: list(v) for k, v in EXCLUDED_FEATURES.items()}}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def version_of(params: dict) -> str:
    keys = ("model_format", "feature_version", "lexicon_sha256", "corpus_sha256", "training_sha256")
    key = json.dumps({k: params[k] for k in keys if k in params}, sort_keys=True)
    return f"narrative-{MODEL_FORMAT}.{FEATURE_VERSION}+{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def dumps(params: dict) -> str:
    return json.dumps(params, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def train(corpus: str | Path | None = None, out: str | Path | None = None) -> dict:
    """Fit on the corpus and write the model file; returns the parameters."""
    corpus = Path(corpus) if corpus else default_corpus()
    out = Path(out) if out else default_output()
    data = corpus.read_bytes()
    params = fit(load_corpus(corpus), hashlib.sha256(data).hexdigest())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dumps(params), encoding="utf-8")
    return params
