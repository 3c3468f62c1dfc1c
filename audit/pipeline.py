"""The pipeline, one way: file → Document → Fields → findings and checks → Result.

Each stage is a package named after what it makes; this module only wires them in order. The CLI,
the batch runner and the notebooks all call these functions, never the stages directly.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from audit.model import Document, Fields, Result


def read(path: str | Path, *, cache=None) -> Document:
    """Ingest a file and find its sections and metadata.

    ``cache``: None uses the parsed-document cache as the environment configures it (``audit.cache``);
    False parses the file whatever the cache holds and stores nothing; a ``DocumentCache`` uses that one.
    A cached document is the one a fresh parse gives (same blocks, spans, sections and metadata).
    """
    from audit import cache as _cache
    from audit import document, ingest

    path = Path(path)
    store = _cache.resolve(cache)
    sha = _cache.file_sha256(path) if store is not None else None
    if sha is not None:
        doc = store.get(sha, path)
        if doc is not None:
            return doc
    doc = document.annotate(ingest.load(path))
    if store is not None and doc.source.sha256 == sha:
        store.put(doc)
    return doc


def extract(doc: Document) -> Fields:
    """Map the document's tables to named fields, and settle the report's format from their labels."""
    from audit import tables

    fields = tables.extract(doc)
    meta = doc.meta
    meta.format_by_labels = fields.format_by_labels
    meta.format = fields.format or meta.format_by_labels or meta.format_by_year
    return fields


def audit(
    path: str | Path | None = None,
    *,
    doc: Document | None = None,
    rules=None,
    rubric=None,
    today: _dt.date | None = None,
    narrative: bool = True,
    cache=None,
) -> Result:
    """Audit one report: everything the memo needs, nothing rendered yet. ``cache`` as for :func:`read`."""
    from audit import checks, memo, versions

    if doc is None:
        if path is None:
            raise TypeError("audit() needs a path or a document")
        doc = read(path, cache=cache)
    fields = extract(doc)
    ruleset = rules if rules is not None else checks.load_rules()
    findings, evaluated = checks.run(doc, fields, ruleset)
    if narrative:
        from audit import narrative as narr

        nf, nc = narr.analyse(doc)
        findings += nf
        evaluated += nc
    result = Result(
        source=doc.source,
        document=doc,
        fields=fields,
        findings=findings,
        checks=evaluated,
        versions=versions.versions(ruleset),
        audited=today or _dt.date.today(),
    )
    result.score = memo.score(result, rubric)
    return result
