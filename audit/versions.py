"""Versions that go into every memo and into the batch store's cache key."""
from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import lru_cache

#: bump when ingest or document output changes, so cached parses are not reused
PARSER_VERSION = "1"


DISTRIBUTION = "report-audit"


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _version_field(path: str) -> str | None:
    """The ``Version:`` header of a METADATA / PKG-INFO file (the headers end at the first blank line)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    break
                if line.startswith("Version:"):
                    return line[len("Version:"):].strip() or None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def installed_version(name: str = DISTRIBUTION, path: list[str] | None = None) -> str | None:
    """``importlib.metadata.version(name)`` without importing importlib.metadata (and the email parser it
    brings, 25 ms of every start): the first ``<name>-*.dist-info/METADATA`` or ``<name>*.egg-info/PKG-INFO``
    along ``sys.path``, in its order, as importlib.metadata finds it; None when there is none."""
    want = _normalized(name)
    for entry in sys.path if path is None else path:
        folder = entry or "."
        try:
            names = sorted(os.listdir(folder))
        except OSError:  # not a folder (a zip, a missing entry)
            continue
        for n in names:
            stem, dot, suffix = n.rpartition(".")
            if suffix not in ("dist-info", "egg-info") or _normalized(stem.split("-")[0]) != want:
                continue
            meta = os.path.join(folder, n, "METADATA" if suffix == "dist-info" else "PKG-INFO")
            if suffix == "egg-info" and not os.path.isdir(os.path.join(folder, n)):
                meta = os.path.join(folder, n)  # an egg-info file is the PKG-INFO itself
            version = _version_field(meta)
            if version:
                return version
    return None


@lru_cache(maxsize=1)
def tool_version() -> str:
    return installed_version() or "0+unknown"  # none: running from a source tree


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def versions(ruleset=None, model_version: str | None = None, rubric_version: str | None = None) -> dict:
    out = {"tool": tool_version(), "parser": PARSER_VERSION}
    if ruleset is not None:
        out["rules"] = getattr(ruleset, "version", None)
    if model_version is None:
        try:
            from audit.narrative import model_version as mv

            model_version = mv()
        except Exception:  # the narrative stage is optional for versions
            model_version = None
    out["model"] = model_version
    if rubric_version is not None:
        out["rubric"] = rubric_version
    return out
