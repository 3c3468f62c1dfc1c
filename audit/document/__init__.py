"""document: a ``Document`` fresh from ingest → the same document with its sections and metadata.

:func:`annotate` finds the six sections 一…六 (``sections.find_sections``) and what the report says about
itself (``meta.find_meta``). A partial or irregular report (section 一 alone, the tables alone, sections
numbered 1、/（一）, a heading lost) is read for what it has: the checks report what is missing, once.
Only a text that is no report at all raises ``NotAReport``: no report title, no section of the format
(or a single heading that happens to match, in a text that never speaks of 政府信息公开/政务公开) and no
table of the format.
"""
from __future__ import annotations

import re

from audit.document.meta import find_meta, find_title
from audit.document.sections import TITLES, find_sections
from audit.errors import NotAReport
from audit.model import Document, Paragraph

__all__ = ["annotate", "find_sections", "find_meta", "TITLES", "is_report"]

_ABOUT_DISCLOSURE = re.compile(r"政府信息公开|政务公开|信息公开|主动公开|依申请公开")
#: a report's title line, however its agency and year are written (or left out)
_REPORT_TITLE = re.compile(r"(?:政府信息公开|政务公开|信息公开)\s*(?:工作)?\s*(?:年度)?\s*(?:报告|年报)")


def is_report(doc: Document, sections) -> bool:
    """Whether ``doc`` is (part of) an annual report: a report title near the top, a table of the format,
    or a section heading in a text about information disclosure (two headings of the format suffice)."""
    if any(s.marker is None and s.number in (2, 3, 4) for s in sections):
        return True  # a table of the format (found by its labels)
    front = [b.text for b in doc.blocks[:12] if isinstance(b, Paragraph)]
    if find_title(doc, sections) or any(len(t) <= 80 and _REPORT_TITLE.search(t) for t in front):
        return True
    headed = [s for s in sections if s.marker is not None]
    if len(headed) >= 2:
        return True
    return bool(sections) and bool(_ABOUT_DISCLOSURE.search(doc.text))


def annotate(doc: Document) -> Document:
    """Fill ``doc.sections`` and ``doc.meta`` (in place) and return ``doc``."""
    sections = find_sections(doc)
    if not is_report(doc, sections):
        if len(sections) == 1:
            raise NotAReport(f"no report: only a heading like section {sections[0].number} "
                             "and no word of 政府信息公开 (another kind of document?)")
        raise NotAReport("no report: no report title, none of the six sections and no table of a "
                         "政府信息公开工作年度报告 found")
    doc.sections = sections
    meta, notes = find_meta(doc, sections)
    doc.meta = meta
    missing = [str(n) for n in range(1, 7) if doc.section(n) is None]
    if missing:
        notes.append("sections not found: " + ", ".join(missing))
    doc.notes.extend(notes)
    return doc
