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
        self._load_stages()

    def _load_stages(self) -> None:
        """What the first report would load on first use — the stages' modules (the PDF reader, checks,
        narrative analysis and its model, memos) and their data (table schemas, claim patterns, lexicon,
        labels, templates) — loaded now: a worker is launched ahead of the run (``SandboxPool.prestart``),
        so this happens while the parent still prepares. Only imports and per-process caches; a failure
        is left for the first report to meet and report."""
        try:
            import audit.ingest.pdf  # noqa: F401 - pdfminer; most reports are PDFs
            from audit import pipeline  # noqa: F401
            from audit.checks import claims
            from audit.memo import context
            from audit.memo.render import template
            from audit.narrative import findings
            from audit.narrative.tokens import lexicon
            from audit.tables import schema

            for fmt in ("2019", "2021"):
                schema.load(fmt)
            claims.patterns()
            findings.rules()
            lexicon()
            context.labels(self.options.get("lang") or "zh")
            for fmt in self.options.get("formats") or ():
                if fmt in ("md", "html"):
                    template(fmt)
            if self.options.get("narrative", True):
                from audit.narrative import classify

                classify.load_model()
        except Exception:  # noqa: BLE001 - only a head start
            pass

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
