"""Narrative analysis: the weaknesses of section 五 (problems and improvements), and sections 一 and 六.

    findings, checks = audit.narrative.analyse(doc)

Modules, in the order data flows: ``tokens`` (jieba tokens through :func:`audit.nlp.get_nlp`, the
lexicon), ``segment`` (section 五 → problems, measures, rectification), ``features`` (TF-IDF inputs and
specificity features, problem-to-measure coverage), ``classify`` (the shipped per-label calibrated
linear model and its explanations), ``findings`` (rules → findings and checks), ``train`` (``audit
train``: rebuild the model from ``corpora/narratives``).
"""
from __future__ import annotations

from audit.narrative.findings import analyse, rules

__all__ = ["analyse", "model_version", "rules", "train"]


def model_version() -> str:
    """The shipped model's version: format, feature version and a hash of corpus and lexicon."""
    from audit.narrative.classify import load_model

    return load_model().version


def train(corpus=None, out=None) -> dict:
    """Rebuild the model file from the labelled corpus (see :mod:`audit.narrative.train`)."""
    from audit.narrative.train import train as _train

    return _train(corpus, out)
