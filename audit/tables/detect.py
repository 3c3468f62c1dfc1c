"""Which format a report's tables are laid out in, from their labels.

Every label one format has and the other lacks is evidence (table 二: 本年制发件数/现行有效件数 against
本年新制作数量/上一年项目数量; table 三: the three （六） sub-rows of the 2021 table). A one-row
（六）其他处理 with values is the 2019 table 三 (but when it is the only evidence, the year's format is used:
the 2021 schema reads that row too). Labels win; the report year (``meta.format_by_year``, or the year
itself) decides only when no label tells. A mismatch between the two is recorded as a variant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.model import Meta, Text
from audit.tables import messages
from audit.tables.cells import segment_rows
from audit.tables.labels import normalize, reaches
from audit.tables.locate import Located
from audit.tables.rows import RawRow
from audit.tables.runon import BodyText, label_pattern
from audit.document.meta import format_for_year
from audit.tables.schema import FormatSchema
from audit.tables.settings import TableSettings


@dataclass
class Verdict:
    format: str
    by_labels: str | None
    variants: dict[str, list[Text]] = field(default_factory=dict)


def _distinctive(schemas: list[FormatSchema], tid: str) -> dict[str, frozenset[str]]:
    keys = {s.format: s.label_keys.get(tid, frozenset()) for s in schemas}
    return {f: k - frozenset().union(*(v for g, v in keys.items() if g != f)) for f, k in keys.items()}


def _seen(key: str, cell_keys: set[str], text: str, settings: TableSettings) -> bool:
    if any(reaches(c, (key,), settings.format_match) for c in cell_keys):
        return True
    return bool(text) and label_pattern(key).search(text) is not None


def _rows(found: Located, tid: str) -> list[RawRow]:
    """The table's grid rows and the rows of its cell streams (label and values, for their labels)."""
    return found.rows.get(tid, []) + segment_rows(found.streams.get(tid, []))


def _evidence(found: Located, body: BodyText, schemas: list[FormatSchema], tid: str,
              settings: TableSettings) -> dict[str, int]:
    rows = _rows(found, tid)
    cell_keys = {normalize(c) for r in rows for c in r.cells if c} | {r.key for r in rows if r.key}
    text = body.text if not any(r.has_values for r in rows) else ""
    return {f: sum(_seen(k, cell_keys, text, settings) for k in keys) for f, keys in _distinctive(schemas, tid).items()}


def _one_row_other(found: Located, body: BodyText, schemas: list[FormatSchema], tid: str,
                   settings: TableSettings) -> str | None:
    """The format whose table has a row standing in for a superseded layout, when that row has values."""
    for s in schemas:
        table = next((t for t in s.tables if t.id == tid), None)
        for row in (r for r in (table.rows if table else ()) if r.replaces):
            rows = [r for r in _rows(found, tid) if r.has_values]
            if any(reaches(r.key, row.keys, settings.format_match) for r in rows):
                return next(o.format for o in schemas if o.format != s.format)
            if not rows and any(re.match(r"\s*\d", body.text[m.end():m.end() + 3] or "x")
                                for k in row.keys for m in label_pattern(k).finditer(body.text)):
                return next(o.format for o in schemas if o.format != s.format)
    return None


def detect(found: Located, body: BodyText, schemas: list[FormatSchema], meta: Meta,
           settings: TableSettings) -> Verdict:
    tids = [t.id for t in schemas[0].tables]
    by_table: dict[str, str] = {}
    superseded_only = True  # the only evidence is a superseded row, which the newer schema also reads
    for tid in tids:
        ev = _evidence(found, body, schemas, tid, settings)
        best = max(ev, key=lambda f: ev[f])
        if ev[best] and list(ev.values()).count(ev[best]) == 1:
            by_table[tid] = best
            superseded_only = False
        elif (old := _one_row_other(found, body, schemas, tid, settings)) is not None:
            by_table[tid] = old
    by_labels = next((by_table[t] for t in tids if t in by_table), None)
    by_year = meta.format_by_year or format_for_year(meta.year)
    if by_labels and superseded_only and by_year:
        chosen = by_year
    else:
        chosen = by_labels or by_year or max(schemas, key=lambda s: s.first_year).format
    verdict = Verdict(format=chosen, by_labels=by_labels)
    if by_labels and by_year and by_labels != by_year:
        for tid, f in by_table.items():
            if f == by_labels:
                verdict.variants.setdefault(tid, []).append(messages.other_format(by_labels, by_year, meta.year))
    return verdict
