"""YAML in, one way, for every data file the tool reads (rules, claims, schemas, rubric, lexicon, labels).

PyYAML's pure-Python parser spends a quarter of a second of every ``audit check`` on the shipped files;
libyaml's C parser (``yaml.CSafeLoader``, in PyYAML's wheels) reads the same files in a few milliseconds
and builds the same objects (same resolver and constructors: ``tests/test_yamlload.py`` checks every shipped
file). A file the C parser refuses is read again with the pure-Python parser, so an error names the same
line and says the same words as before; without libyaml, the pure-Python parser is used throughout.
"""
from __future__ import annotations

from typing import Any

import yaml

#: the safe loader to subclass (PyYAML's pure-Python one); :data:`FastSafeLoader` is its C twin
SafeLoader = yaml.SafeLoader
try:
    FastSafeLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    FastSafeLoader = yaml.SafeLoader

YAMLError = yaml.YAMLError


def load(text: str | bytes, fast: type = FastSafeLoader, slow: type = SafeLoader) -> Any:
    """``text`` parsed with ``fast`` (a C loader); when it raises a YAML error, parsed again with ``slow``
    (the same loader in pure Python), whose error — or result, should the two ever disagree — is returned."""
    try:
        return yaml.load(text, Loader=fast)  # noqa: S506 - both loaders are safe loaders
    except yaml.YAMLError:
        if fast is slow:
            raise
        return yaml.load(text, Loader=slow)  # noqa: S506


def safe_load(text: str | bytes) -> Any:
    """``yaml.safe_load``, through libyaml when it is there."""
    return load(text)
