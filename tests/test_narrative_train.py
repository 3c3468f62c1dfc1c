"""The corpus (size, labels, honest split, reproducible composition) and `audit train` (same bytes)."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from audit.cli import cli
from audit.narrative import model_version
from audit.narrative import model_path
from audit.narrative.classify import ALL_LABELS, load_model

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "narratives" / "passages.jsonl"


def rows():
    return [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()]


def test_corpus_size_labels_and_formats():
    rs = rows()
    assert len(rs) >= 800
    for split in ("train", "dev", "test"):
        part = [r for r in rs if r["split"] == split]
        assert {lb for r in part for lb in r["labels"]} == set(ALL_LABELS)
        assert {r["format"] for r in part} == {"2019", "2021"}
    assert len({r["agency_type"] for r in rs}) >= 5
    assert sum(r["hard"] for r in rs) >= 100


def test_split_shares_no_source_sentence():
    rs = rows()
    train = {s for r in rs if r["split"] == "train" for s in r["sources"]}
    for r in rs:
        if r["split"] != "train":
            assert not set(r["sources"]) & train, r["id"]


def test_corpus_file_is_what_the_composer_writes():
    from corpora.narratives.compose import build

    assert build() == CORPUS.read_text(encoding="utf-8")


def test_shipped_model_is_current_and_versioned():
    params = json.loads(model_path().read_text(encoding="utf-8"))
    assert params["corpus_sha256"] == hashlib.sha256(CORPUS.read_bytes()).hexdigest()
    assert model_version() == load_model().version == params["version"]
    assert params["version"].startswith("narrative-")


def _same_model(a, b, path="model"):
    """Equal JSON, numbers to 1e-5 (a BLAS of another machine may move the last rounded digit)."""
    if isinstance(a, dict):
        assert sorted(a) == sorted(b), path
        for k in a:
            _same_model(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same_model(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert abs(a - b) <= 1e-5 * max(1.0, abs(a)), (path, a, b)
    else:
        assert a == b, (path, a, b)


def test_audit_train_gives_the_shipped_bytes(tmp_path):
    """Retraining in a fresh process, under another hash seed and with jieba's dictionary cache rebuilt in an
    empty temp folder (what differs on a fresh machine), gives the shipped model: the same vocabularies,
    thresholds and versions, the same weights to 1e-5 (here: the same bytes)."""
    out = tmp_path / "model.json"
    env = {**os.environ, "PYTHONHASHSEED": "4711", "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "audit", "train", "--corpus", str(CORPUS), "-o", str(out)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    shipped = json.loads(model_path().read_text(encoding="utf-8"))
    _same_model(json.loads(out.read_text(encoding="utf-8")), shipped)


def test_vocabulary_cut_breaks_ties_by_term():
    """Terms of equal frequency at the max_features cut are chosen by the term, not by sort order."""
    from audit.narrative.train import fit_block, word_vectorizer

    docs = [["P:b", "P:a", "P:c"], ["P:c", "P:a", "P:b"], ["P:c"]]
    assert fit_block(word_vectorizer, docs, min_df=1, max_features=2).vocabulary_ == {"P:a": 0, "P:c": 1}
    assert fit_block(word_vectorizer, docs[::-1], min_df=1, max_features=2).vocabulary_ == {"P:a": 0, "P:c": 1}


def test_runtime_transform_is_scikit_learns(tmp_path):
    """The numpy TF-IDF the model runs with gives scikit-learn's vectors (the ones it was trained on)."""
    import numpy as np

    from audit.narrative.classify import Tfidf, char_ngrams
    from audit.narrative.train import char_vectorizer, word_vectorizer

    texts = [r["text"] for r in rows()[:40]]
    toks = [list(t.replace("\n", "")) for t in texts]
    wv = word_vectorizer(min_df=2).fit(toks)
    cv = char_vectorizer(min_df=2).fit(texts + ["APP上线，App下架"])
    for vec, docs, ours in ((wv, toks, toks), (cv, texts, [char_ngrams(t) for t in texts])):
        vocab = [t for t, _ in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])]
        mine = Tfidf(vocab, list(vec.idf_)).transform(ours)
        assert np.allclose(mine, vec.transform(docs).toarray(), atol=1e-12)


def test_audit_check_runs_without_scikit_learn(tmp_path):
    """The model is linear: applying it needs numpy only; scikit-learn (and scipy) stay unimported."""
    code = ("import sys; from audit.narrative import analyse; from tests._narrative_helpers import *; "
            "from audit.narrative.features import analyse_passage; from audit.narrative.classify import load_model; "
            "m = load_model(); a = analyse_passage(GENERIC_VAGUE, '2019', 2023); m.decide(m.predict([a])[0], '2019', a); "
            "m.terms(a, 'generic'); print(sorted(x for x in sys.modules if x.split('.')[0] in ('sklearn', 'scipy')))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == "[]"
