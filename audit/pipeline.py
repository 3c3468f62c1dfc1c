"""The pipeline, one way: file → Document → Fields → findings and checks → Result.

Each stage is a package named after what it makes; this module only wires them in order. The CLI,
the batch runner and the notebooks all call these functions, never the stages directly.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from audit.model import Document, Fields, Result


def read(path: str | Path, *, cache=None) -> Document:
    """Ingest a file and find its sections and metadata.

    ``cache``: None uses the parsed-document cache as the environment configures it (``audit.cache``);
    False parses the file whatever the cache holds and stores nothing; a ``DocumentCache`` uses that one.
    A cached document is the one a fresh parse gives (same blocks, spans, sections and metadata).
    """
    return _read(path, cache).doc


@dataclass
class _Read:
    doc: Document
    store: object = None  # the DocumentCache, when the cache is on and the file could be hashed
    hit: object = None  # the cache's entry (``audit.cache.Cached``) when it had one
    stored: bool = False  # the document was stored already
    document_json: dict | None = None  # the document as the cache writes it, taken before any analysis


def _read(path: str | Path, cache, defer: bool = False) -> _Read:
    """:func:`read`, telling where the document came from. ``defer``: a fresh parse is not stored yet (the
    caller stores it once, with the results of its analysis)."""
    from audit import cache as _cache
    from audit import document, ingest

    path = Path(path)
    store = _cache.resolve(cache)
    sha = _cache.file_sha256(path) if store is not None else None
    if sha is not None:
        hit = store.lookup(sha, path)
        if hit is not None:
            return _Read(hit.doc, store, hit, True)
    doc = document.annotate(ingest.load(path))
    if store is None or doc.source.sha256 != sha:
        return _Read(doc)
    if not defer:
        store.put(doc)
        return _Read(doc, store, None, True)
    # taken now: the analysis settles the format in the metadata, and the cache keeps the parse as parsed
    return _Read(doc, store, None, False, _cache.document_to_json(doc))


def extract(doc: Document, derived: dict | None = None) -> Fields:
    """Map the document's tables to named fields, and settle the report's format from their labels.
    ``derived``: the results kept beside a cached document (see :func:`audit`)."""
    from audit import tables

    fields = _fields(doc, derived) if derived is not None else tables.extract(doc)
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

    got = None
    derived: dict | None = None
    if doc is None:
        if path is None:
            raise TypeError("audit() needs a path or a document")
        got = _read(path, cache, defer=True)
        doc = got.doc
        if got.store is not None:
            derived = dict(got.hit.derived) if got.hit is not None else {}
    kept = dict(derived or {})
    try:
        fields = extract(doc, derived)
        ruleset = rules if rules is not None else checks.load_rules()
        findings, evaluated = checks.run(doc, fields, ruleset, derived=derived)
        if narrative:
            nf, nc = _narrative(doc, derived)
            findings += nf
            evaluated += nc
    finally:
        if got is not None and got.store is not None:
            changed = derived.keys() != kept.keys() or any(derived[k] is not kept[k] for k in kept)
            if not got.stored or changed:  # the document with what its analysis found, in one entry
                got.store.put(doc, derived, got.hit.document_json if got.hit is not None else got.document_json)
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


def _fields(doc: Document, derived: dict) -> Fields:
    """``tables.extract(doc)``, or, when ``derived`` holds its fields for the same document (tables, text,
    metadata) and analysis code, those."""
    from audit import tables
    from audit.model import fields_from_record, fields_to_record, to_record

    # what the tables stage reads of the document: its blocks (the cached document's, as stored) and metadata
    key = "fields:" + _digest([to_record(doc.meta), doc.page_count, len(doc.blocks)])
    kept = derived.get(key)
    if kept is not None:
        try:
            return fields_from_record(kept)
        except (TypeError, ValueError, KeyError, AttributeError):
            pass  # not what this code writes: extracted again, and kept again
    fields = tables.extract(doc)
    rec = fields_to_record(fields)
    if rec is not None:
        derived[key] = rec
    return fields


def _narrative(doc: Document, derived: dict | None):
    """The narrative analysis of the document (``audit.narrative.analyse``), or, when ``derived`` holds
    it for the same sections, metadata and analysis code, what it found then."""
    from audit import narrative as narr

    if derived is None:
        return narr.analyse(doc)
    from audit.model import Check, Finding, from_records, to_record, to_records

    key = "narrative:" + _digest([to_record(doc.meta), [[s.number, s.title, s.pages, s.text] for s in doc.sections]])
    kept = derived.get(key)
    if kept is not None:
        try:
            return from_records(Finding, kept[0]), from_records(Check, kept[1])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            pass  # not what this code writes: analysed again, and written again
    nf, nc = narr.analyse(doc)
    rec = [to_records(nf), to_records(nc)]
    if rec[0] is not None and rec[1] is not None:
        derived[key] = rec
    return nf, nc


def _digest(x) -> str:
    """A short digest of JSON-ready ``x``: what a result kept beside a document was made from."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(x, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]
