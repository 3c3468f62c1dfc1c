"""The narrative model applied without numpy (sparse vectors, sums over a passage's own terms) gives what
the dense numpy path (``audit train``'s, the reference) gives: scores and probabilities within 1e-12,
the same flags, the same explaining terms in the same order, the same sentence ranking."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from _fresh import modules_after_audit
from audit.narrative.classify import LABELS, load_model
from audit.narrative.features import analyse_passage

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def analyses():
    rows = [json.loads(x) for x in (ROOT / "corpora" / "narratives" / "passages.jsonl")
            .read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = rows[::max(1, len(rows) // 150)]  # every kind of passage, both formats
    return [analyse_passage(r["text"], r["format"], int(r["year"])) for r in rows] + [
        analyse_passage("", "2021", 2022),
        analyse_passage("一是公开不够及时。下一步，我们将于6月底前完成栏目整改，每季度开展一次自查。", "2021", 2023)]


def test_scores_and_probabilities_agree_with_numpy(analyses):
    model = load_model()
    X = model.matrix(analyses)
    for lb in LABELS:
        dense_scores, dense_probs = model.score(X, lb), model.probability(X, lb)
        for i, a in enumerate(analyses):
            x = model.vector(a)
            assert sorted(x) == [int(j) for j in np.flatnonzero(X[i])]
            assert all(abs(v - X[i, j]) <= 1e-12 for j, v in x.items())
            assert abs(model.linear(x, lb) - dense_scores[i]) <= 1e-12
            assert abs(model.calibrated(model.linear(x, lb), lb) - dense_probs[i]) <= 1e-12
    probs = model.predict(analyses)
    for i, a in enumerate(analyses):
        dense = {lb: float(model.probability(X[i:i + 1], lb)[0]) for lb in LABELS}
        assert all(abs(probs[i][lb] - dense[lb]) <= 1e-12 for lb in LABELS)
        assert model.decide(probs[i], a.format, a) == model.decide(dense, a.format, a)


def _dense_terms(model, a, label, k):
    """``terms`` as it was computed with numpy (the dense row, its non-zero columns in order)."""
    x = model.matrix([a])[0]
    coef = np.asarray(model.coef[label])
    terms = []
    for j in np.flatnonzero(x):
        c = float(x[j] * coef[j])
        if c > 0:
            kind, name = model.names[j]
            terms.append((name, kind, float(x[j]), c))
    terms.sort(key=lambda t: (-t[3], t[0]))
    phrases, seen = [], set()
    for t in terms:
        phrase = t[0].split(":", 1)[1] if t[1] == "word" else t[0]
        if t[1] == "feature" or phrase in seen:
            continue
        seen.add(phrase)
        phrases.append(t)
    return phrases[:k], [t for t in terms if t[1] == "feature"][:k]


def test_terms_and_ranking_agree_with_numpy(analyses):
    model = load_model()
    compared = 0
    for a in analyses[:80]:
        for lb in LABELS:
            for got, ref in zip(model.terms(a, lb, k=12), _dense_terms(model, a, lb, 12)):
                assert [(t.name, t.kind) for t in got] == [r[:2] for r in ref]
                assert all(abs(t.value - r[2]) <= 1e-12 and abs(t.contribution - r[3]) <= 1e-12 for t, r in zip(got, ref))
                compared += len(ref)
            units = [f.unit for f in a.facts]
            if units:
                dense = model.unit_matrix(units) @ np.asarray(model.coef[lb])
                ranked = model.rank_units(units, lb)
                ref_rank = sorted(zip(units, dense), key=lambda p: (-p[1], p[0].start))
                assert [u for u, _ in ranked] == [u for u, _ in ref_rank]
                assert all(abs(s - float(r)) <= 1e-12 for (_, s), (_, r) in zip(ranked, ref_rank))
    assert compared > 500


def test_an_audit_imports_no_numpy(tmp_path):
    sample = ROOT / "corpora" / "samples" / "2020_district_plain.pdf"
    assert modules_after_audit(sample, tmp_path, ("numpy", "scipy", "sklearn"))[-1] == "[]"
