"""document: a ``Document`` fresh from ingest → the same document with its sections and metadata.

:func:`annotate` finds the six sections 一…六 (``sections.find_sections``) and what the report says about
itself (``meta.find_meta``), and raises ``NotAReport`` when the text has none of the six sections (or
one heading that happens to match, in a text that never speaks of 政府信息公开).
"""
from __future__ import annotations

from audit.document.meta import find_meta
from audit.document.sections import TITLES, find_sections
from audit.errors import NotAReport
from audit.model import Document

__all__ = ["annotate", "find_sections", "find_meta", "TITLES"]


def annotate(doc: Document) -> Document:
    """Fill ``doc.sections`` and ``doc.meta`` (in place) and return ``doc``."""
    sections = find_sections(doc)
    if not sections:
        raise NotAReport("no report: none of the six sections of a 政府信息公开工作年度报告 found")
    if len(sections) == 1 and "政府信息公开" not in doc.text:
        raise NotAReport(f"no report: only a heading like section {sections[0].number} "
                         "and no word of 政府信息公开 (another kind of document?)")
    doc.sections = sections
    meta, notes = find_meta(doc, sections)
    doc.meta = meta
    missing = [str(n) for n in range(1, 7) if doc.section(n) is None]
    if missing:
        notes.append("sections not found: " + ", ".join(missing))
    doc.notes.extend(notes)
    return doc
