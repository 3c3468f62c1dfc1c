"""Numeric cross-report rules (``scope: run``, kinds sum / balance) evaluated on a report and its pair.

``audit.batch`` pairs the reports (the same agency's previous year; a consolidated report's members) and
calls :func:`evaluate`; this module only evaluates the rule's logic, the same way as a per-report rule:
the previous report's cells are visible as ``prev:<field>``, the members' sums as ``members:<field>``
(blank or missing when any member's cell is). Text rules (similarity, near_duplicate) are the batch's.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from audit.checks.engine import Ctx, check_of, why_not_applicable
from audit.checks.engine import evaluate as engine_evaluate
from audit.checks.ruleset import Rule
from audit.model import Check, Document, Fields, Finding, Outcome, Text, Value, ValueKind

NUMERIC = ("sum", "balance")


def _members_sum(fid: str, members: list[Fields]) -> Value:
    vals = [m.get(fid) for m in members]
    if any(v is None or v.kind is ValueKind.MISSING for v in vals):
        return Value(None, ValueKind.MISSING, "")
    if not all(v.is_number for v in vals):
        return Value(None, ValueKind.BLANK, "")
    total = sum(v.value for v in vals)
    first = vals[0]
    return Value(total, ValueKind.NUMBER, str(total), table=first.table, row_label=first.row_label,
                 column_label=first.column_label)


def combined(fields: Fields, previous: Fields | None = None, members: list[Fields] | None = None) -> Fields:
    out = Fields(fields, format=fields.format)
    out.format_by_labels = fields.format_by_labels
    for k, v in (previous or {}).items():
        out[f"prev:{k}"] = v
    if members:
        for k in fields:
            out[f"members:{k}"] = _members_sum(k, members)
    return out


def applicable(rule: Rule, doc: Document, fields: Fields) -> tuple[Outcome, Text] | None:
    """None when the rule applies to the report (its format, level and agency), else the outcome and why."""
    return why_not_applicable(rule, Ctx(doc=doc, fields=fields, fmt=fields.format or doc.meta.format))


def evaluate(rule: Rule, doc: Document, fields: Fields, *, previous: Fields | None = None,
             members: list[Fields] | None = None, today: _dt.date | None = None) -> tuple[Check, list[Finding]]:
    """One numeric ``scope: run`` rule on a report and its previous year's report or its members."""
    if rule.scope != "run" or rule.kind not in NUMERIC:
        raise ValueError(f"{rule.id}: not a numeric cross-report rule")
    pair = rule.get("pair")
    if (pair == "previous_year" and previous is None) or (pair == "members" and not members):
        other = Text("上一年度", "previous year") if pair == "previous_year" else Text("所属机关", "members")
        return check_of(rule, Outcome.NOT_ASSESSABLE, Text(f"本次运行中没有{other.zh}的报告", f"no {other.en} report in the run")), []
    spec = dict(rule.spec)
    if "{field}" in str(spec.get("total", "")):
        spec["for_each"] = {"field": [k for k in fields if fields[k].kind is not ValueKind.MISSING]}
    ctx = Ctx(doc=doc, fields=combined(fields, previous, members), fmt=fields.format or doc.meta.format, today=today)
    check, verdict = engine_evaluate(replace(rule, spec=spec), ctx)
    for f in verdict.findings:
        f.kind = "cross"
    return check, verdict.findings
