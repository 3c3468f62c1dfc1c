"""What a worker does with one file: audit it, render its memos, and turn the Result into a plain record.

The batch runs an *auditor*, named ``"module:Class"`` in the :class:`~audit.batch.sandbox.WorkerSpec` so a
worker process can build it by import. :class:`PipelineAuditor` is the real one (``audit.pipeline`` and
``audit.memo``); tests name their own to exercise the runner's mechanics.

An auditor class takes the options dict and offers ``versions()``, ``ruleset`` (for the cross-report
rules), ``audit(path) -> Result`` and ``render_memos(result) -> {format: bytes}``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
from pathlib import Path

from audit.model import Result, plain
from audit.model import to_record as record_of

DEFAULT_AUDITOR = "audit.batch.auditor:PipelineAuditor"


class PipelineAuditor:
    """The real audit: rules, rubric and narrative model loaded once per process."""

    def __init__(self, options: dict):
        from audit import checks, memo

        self.options = options
        self.ruleset = checks.load_rules(options.get("rules_file"), extra=list(options.get("extra_rules") or []))
        self.rubric = memo.load_rubric(options.get("rubric_file"))

    def versions(self) -> dict:
        from audit import versions

        rubric_version = self.rubric.get("version") if isinstance(self.rubric, dict) else getattr(
            self.rubric, "version", None)
        return versions.versions(self.ruleset, rubric_version=rubric_version)

    def warm_up(self) -> None:
        """Load what every report needs (the Chinese pipeline, the model's version) before the first file."""
        from audit.nlp import get_nlp

        get_nlp()
        self.versions()

    def audit(self, path: Path) -> Result:
        from audit import pipeline

        return pipeline.audit(path, rules=self.ruleset, rubric=self.rubric, today=self.options.get("today"),
                              narrative=self.options.get("narrative", True),
                              cache=None if self.options.get("cache", True) else False)

    def render_memos(self, result: Result) -> dict[str, bytes]:
        from audit import memo

        return memo.render_all(result, self.options["formats"], self.options["lang"], rubric=self.rubric)


def load_auditor(spec: str, options: dict):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)(options)


def audit_key(versions: dict, options: dict) -> str:
    """What must match for a stored report to count as done: versions and the memo options (not the audit
    date: a run resumed the next day does not audit everything again)."""
    from audit.batch.store import SCHEMA_VERSION

    # the store's schema too: a report recorded under an older one lacks rows its memos are rendered from
    key = {"versions": versions, "formats": sorted(options.get("formats") or []), "lang": options.get("lang"),
           "narrative": options.get("narrative", True), "store": SCHEMA_VERSION}
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()[:16]


def relabel(result: Result, key: str) -> Result:
    """The Result as if read from ``key``: memos and store name the input, never a worker's temp file."""
    source = dataclasses.replace(result.source, path=key)
    result.document.source = source
    result.source = source
    return result


def to_record(result: Result, key: str) -> dict:
    """A Result as plain data for the store (JSON-ready but for nothing; exact values as strings)."""
    from audit.memo import jsonmemo

    doc = result.document
    src = result.source.to_json()
    src.pop("path", None)
    fields = []
    for fid in sorted(result.fields):
        v = result.fields[fid]
        # the Value's record (exact numbers as text), its span in the public JSON form
        fields.append({"field_id": fid, **record_of(v), "span": v.span.to_json() if v.span is not None else None})
    return {
        "path": key,
        "source": src,
        "meta": result.meta.to_json(),
        "page_count": doc.page_count,
        "sections": [{"number": s.number, "title": s.title, "text": s.text, "pages": list(s.pages)}
                     for s in doc.sections],
        "fields": fields,
        "tables": jsonmemo.tables(result.fields),
        "findings": [f.to_json() for f in result.findings],
        "checks": [c.to_json() for c in result.checks],
        "score": plain(result.score),
        "versions": plain(result.versions),
        "audited": result.audited.isoformat() if result.audited else None,
    }
