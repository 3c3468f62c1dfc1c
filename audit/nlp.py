"""The one Chinese language object of the process: spaCy's blank ``zh`` pipeline with the jieba
segmenter and the domain user dictionary. No model is downloaded; it is built once per process.

Checks (claims) and narrative analysis both tokenise through :func:`get_nlp`, so a report's text is
segmented the same way everywhere.
"""
from __future__ import annotations

import logging
import threading
from functools import lru_cache
from importlib import resources

_lock = threading.Lock()


def userdict_path():
    """The domain dictionary (one ``word [freq] [tag]`` a line), shipped in the package."""
    return resources.files("audit") / "data" / "userdict.txt"


@lru_cache(maxsize=1)
def get_nlp():
    """spaCy ``zh`` with jieba and our user dictionary; built on first use, then shared."""
    with _lock:
        import warnings

        with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
            warnings.simplefilter("ignore")
            import jieba
        import spacy

        jieba.setLogLevel(logging.WARNING)
        from audit.cache import init_jieba

        init_jieba(jieba.dt)  # our cache folder, checked, never $TMPDIR/jieba.cache
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        path = userdict_path()
        if path.is_file():
            with resources.as_file(path) as p:
                jieba.load_userdict(str(p))
        return nlp


def tokens(text: str) -> list[str]:
    """The jieba tokens of a text, as the pipeline segments them (whitespace dropped)."""
    return [t.text for t in get_nlp().make_doc(text) if not t.is_space]
