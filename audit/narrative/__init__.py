"""Narrative analysis: the weaknesses of section 五 (problems and improvements), and sections 一 and 六.

    findings, checks = audit.narrative.analyse(doc)

Modules, in the order data flows: ``tokens`` (jieba tokens through :func:`audit.nlp.get_nlp`, the
lexicon), ``segment`` (section 五 → problems, measures, rectification), ``features`` (TF-IDF inputs and
specificity features, problem-to-measure coverage), ``classify`` (the shipped per-label calibrated
linear model and its explanations), ``findings`` (rules → findings and checks), ``train`` (``audit
train``: rebuild the model from ``corpora/narratives``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["analyse", "model_version", "rules", "train"]

#: the shipped model, parameters as JSON (no pickle), under audit/narrative/data/
MODEL_FILE = "model.json"


def __getattr__(name: str):
    """``analyse`` and ``rules`` load the stage (scikit-learn, the model) on first use, not on import."""
    if name in ("analyse", "rules"):
        from audit.narrative import findings

        return getattr(findings, name)
    raise AttributeError(f"module 'audit.narrative' has no attribute {name!r}")


def model_path() -> Path:
    with resources.as_file(resources.files("audit.narrative") / "data" / MODEL_FILE) as p:
        return Path(p)


@lru_cache(maxsize=1)
def model_version() -> str:
    """The shipped model's version: format, feature version and a hash of corpus and lexicon. Read from the
    model file alone, without building the model (a batch plans its work by versions before any audit); from
    the model itself when this process has loaded it already (the file is not parsed twice)."""
    import sys

    classify = sys.modules.get("audit.narrative.classify")
    if classify is not None and classify.load_model.cache_info().currsize:
        return classify.load_model().version
    return json.loads(model_path().read_text(encoding="utf-8"))["version"]


def train(corpus=None, out=None) -> dict:
    """Rebuild the model file from the labelled corpus (see :mod:`audit.narrative.train`)."""
    from audit.narrative.train import train as _train

    return _train(corpus, out)
