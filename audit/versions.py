"""Versions that go into every memo and into the batch store's cache key."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata

#: bump when ingest or document output changes, so cached parses are not reused
PARSER_VERSION = "1"


@lru_cache(maxsize=1)
def tool_version() -> str:
    try:
        return metadata.version("report-audit")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0+unknown"


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
