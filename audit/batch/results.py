"""A report of the store as an ``audit.model.Result``: what its memo needs, without auditing it again.

:func:`load_result` is the one way to rebuild a report from the store (the batch renders memos again with
it, ``audit.api`` opens a run's reports with it). The Result holds the report's metadata, sections,
fields, its own audit's findings and checks, and, after them, the findings the cross-report checks made
about it (``kind`` "cross"); its score is the stored one, which counts those too. The document has no
blocks (the store keeps the sections' text, not the page layout).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from decimal import Decimal

from audit.batch.store import Store
from audit.model import (Check, Document, Fields, Finding, Location, Meta, Outcome, Result, Section, Severity,
                         Source, Span, Text, Value, ValueKind, from_record)


def load_result(store: Store, path: str) -> Result:
    """The report ``path`` of the store as a Result; raises KeyError when the store has no such report."""
    r = store.report_by_path(path)
    if r is None:
        raise KeyError(f"no report {path!r} in the run {store.path.parent}")
    rid = r["id"]
    meta = meta_of(load(r["meta"]) or {})
    source = Source(path=path, sha256=r["sha256"], kind=r["kind"], size=r["size"], encoding=r["encoding"])
    sections = [Section(number=s["number"], title=s["title"], pages=load(s["pages"]) or [], text=s["text"] or "",
                        first_block=0, last_block=0)
                for s in store.sections_of(rid)]
    doc = Document(source=source, blocks=[], page_count=r["page_count"] or 1, sections=sections, meta=meta)
    findings = [finding(f) for f in store.findings_of(rid)]
    checks = [Check(rule_id=c["rule_id"], title_zh=c["title_zh"], title_en=c["title_en"], outcome=Outcome(c["outcome"]),
                    severity=Severity(c["severity"]) if c["severity"] else Severity.ERROR,
                    reason=Text.from_json(c["reason"], c["reason_en"]),
                    findings=c["findings"] or 0)
              for c in store.checks_of(rid)]
    versions = load(r["versions"]) or {"tool": r["tool_version"], "rules": r["rules_version"],
                                       "model": r["model_version"]}
    from audit.batch import corrections  # a reviewer's corrections of the reading, applied and listed

    corrected = corrections.current(store, path).get(path, {})
    corrections.apply_meta(meta, corrected)
    doc.sections = corrections.recut(sections, {int(k): c.value for (t, k), c in corrected.items() if t == "section"})
    fields = load_fields(store, rid, load(r["tables"]) or {}, meta)
    return Result(source=source, document=doc, fields=fields,
                  findings=findings, checks=checks, score=load(r["score_detail"]) or None, versions=versions,
                  audited=_dt.date.fromisoformat(r["audited"]) if r["audited"] else None,
                  corrections=corrections.views(corrected, fields))


def load_fields(store: Store, report_id: str, tables: dict, meta: Meta) -> Fields:
    """A report's fields, with what the tables stage noticed (``tables``: the JSON memo's object)."""
    fields = Fields(format=tables.get("format", meta.format))
    fields.format_by_labels = meta.format_by_labels
    fields.read_tables_json(tables)
    rows = store.fields_of(report_id)
    order = reading_order(fields.format)
    rows.sort(key=lambda f: (order.get(f["field_id"], len(order)), f["field_id"]))
    for f in rows:  # in the tables' reading order, as the audit made them (checks list cells in this order)
        rec = {k: f[k] for k in f.keys() if k != "field_id"}
        rec.update(raw=f["raw"] or "", span=None)
        fields[f["field_id"]] = dataclasses.replace(from_record(Value, rec), span=Span.from_json(load(f["span"])))
    path = store.report_path(report_id)
    if path is not None:  # a reviewer's corrected cells (audit.batch.corrections)
        from audit.batch import corrections

        corrections.apply_fields(fields, corrections.current(store, path).get(path, {}))
    return fields


def reading_order(fmt: str | None) -> dict[str, int]:
    """field id → its place in the format's tables (rows and columns in reading order, optional ones too)."""
    from audit.tables import schema

    try:
        sch = schema.load(fmt or "2021")
    except ValueError:
        return {}
    ids = [t.field_id(r, c) for t in sch.tables for r in t.rows for c in t.columns if c.id in set(r.columns)]
    return {fid: i for i, fid in enumerate(dict.fromkeys(ids))}


def rubric_of(result: Result):
    """The rubric a stored report was scored with: the shipped one, or the evaluator's file its score names."""
    from audit import memo

    file = ((result.score or {}).get("rubric") or {}).get("file")
    shipped = memo.load_rubric(None)
    if not file or file == shipped.file:
        return shipped
    return memo.load_rubric(file)


def finding(row) -> Finding:
    """A findings row as a Finding (its fingerprint as stored)."""
    span = load(row["char_span"])
    return Finding(
        rule_id=row["rule_id"], severity=Severity(row["severity"]), kind=row["kind"], message_zh=row["message_zh"],
        message_en=row["message_en"],
        location=Location(section=row["section"], page=row["page"], table=row["table_id"], row_label=row["row_label"],
                          column_label=row["column_label"], field_ids=load(row["field_ids"]) or [],
                          sentence=row["sentence"], char_span=tuple(span) if span else None),
        expected=load(row["expected"]), found=load(row["found"]), suggestion=load(row["suggestion"]),
        details=load(row["details"]) or {}, fingerprint=row["fingerprint"])


def number(text: str | None) -> int | Decimal | None:
    """A stored value (exact text) as the int or Decimal the report wrote."""
    if text is None:
        return None
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() and "." not in text else d


def load(text: str | None):
    return None if text is None else json.loads(text)


def meta_of(data: dict) -> Meta:
    """A stored ``Meta.to_json()`` as a Meta."""
    return Meta.from_json(data)
