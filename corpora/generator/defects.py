"""Defect injection: take a consistent spec, break one thing the way real reports break, and record the
truth (what kind, which fields or sentence, old and new) for the check and batch benchmarks.

    new_spec, record = inject(spec, "changed_cell", seed=3)
    record.field_ids, record.old, record.new

Every function leaves the input spec untouched and changes exactly what its record says.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from .formats import T3_APPLICANT_COLS, T3_COLS, T4_BLOCKS, T4_COLS
from .spec import ReportSpec, t3_row_ids

DEFECT_KINDS = ("changed_cell", "transposed_digits", "row_shift", "missing_row", "text_contradiction",
                "late_publication", "carry_over_break", "copied_section", "consolidation_break")
SINGLE_REPORT_KINDS = DEFECT_KINDS[:6]  # the kinds that need no other report


class NotApplicable(ValueError):
    """The spec offers nothing this defect could change (e.g. no number with two different digits)."""


@dataclass
class DefectRecord:
    """The truth about one injected defect."""

    kind: str
    field_ids: list[str] = field(default_factory=list)
    old: dict[str, Any] = field(default_factory=dict)  # field id (or "published") → value before
    new: dict[str, Any] = field(default_factory=dict)  # … and after (a dropped row: None)
    section: int | None = None
    sentence_old: str | None = None
    sentence_new: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        def plain(v):
            return v.isoformat() if isinstance(v, dt.date) else (str(v) if not isinstance(v, (int, type(None))) else v)
        return {"kind": self.kind, "field_ids": self.field_ids,
                "old": {k: plain(v) for k, v in self.old.items()}, "new": {k: plain(v) for k, v in self.new.items()},
                "section": self.section, "sentence_old": self.sentence_old, "sentence_new": self.sentence_new,
                "detail": {k: plain(v) for k, v in self.detail.items()}}


def inject(spec: ReportSpec, kind: str, seed: int = 0, *, previous: ReportSpec | None = None,
           source: ReportSpec | None = None, field_id: str | None = None) -> tuple[ReportSpec, DefectRecord]:
    """Inject one defect of ``kind``. ``carry_over_break`` may take ``previous`` (last year's spec, whose
    carried_out the new carried_in then contradicts); ``copied_section`` needs ``source`` (the agency's
    previous report, or another agency's); ``changed_cell`` may be told which ``field_id`` to change."""
    rng = random.Random(f"defect:{kind}:{seed}:{spec.meta.agency}:{spec.meta.year}:{spec.seed}")
    if kind == "changed_cell":
        return changed_cell(spec, rng, field_id)
    fn = {"transposed_digits": transposed_digits, "row_shift": row_shift,
          "missing_row": missing_row, "text_contradiction": text_contradiction,
          "late_publication": late_publication}.get(kind)
    if fn is not None:
        return fn(spec, rng)
    if kind == "carry_over_break":
        return carry_over_break(spec, rng, previous)
    if kind == "consolidation_break":
        return consolidation_break(spec, rng)
    if kind == "copied_section":
        if source is None:
            raise ValueError("copied_section needs the source report to copy from")
        return copied_section(spec, source)
    raise ValueError(f"unknown defect kind {kind!r}; known: {', '.join(DEFECT_KINDS)}")


def applicable(spec: ReportSpec, kind: str) -> bool:
    """Whether ``inject(spec, kind)`` can change something (the cross-report kinds need their partner)."""
    if kind == "transposed_digits":
        return any(_swaps(spec.values[f]) for f in _numeric_cells(spec))
    return kind in DEFECT_KINDS


def _swaps(value: int) -> list[int]:
    """Positions i where digits i and i+1 differ and swapping them leads with no zero (10 → 01)."""
    d = str(value)
    return [i for i in range(len(d) - 1) if d[i] != d[i + 1] and not (i == 0 and d[1] == "0")]


def _numeric_cells(spec: ReportSpec) -> list[str]:
    """Fields of tables 三 and 四 that take part in an identity."""
    rows = [r for r in t3_row_ids(spec)]
    t3 = [f"t3.{r}.{c}" for r in rows for c, _ in T3_COLS]
    return t3 + [f"t4.{b}.{c}" for b, _ in T4_BLOCKS for c, _ in T4_COLS]


def _set(spec: ReportSpec, changes: dict[str, int], kind: str, **extra) -> tuple[ReportSpec, DefectRecord]:
    new = spec.copy()
    old = {f: spec.values[f] for f in changes}
    new.values.update(changes)
    return new, DefectRecord(kind, sorted(changes), old, dict(changes), **extra)


def changed_cell(spec: ReportSpec, rng: random.Random, fid: str | None = None) -> tuple[ReportSpec, DefectRecord]:
    """One cell of table 三 or 四 gets another value (as a typo or a copy error would)."""
    fid = fid or rng.choice(_numeric_cells(spec))
    old = spec.values[fid]
    delta = rng.choice([1, 1, 2, 3, 5, 10])
    new = old - delta if old >= delta and rng.random() < 0.5 else old + delta
    return _set(spec, {fid: new}, "changed_cell")


def transposed_digits(spec: ReportSpec, rng: random.Random) -> tuple[ReportSpec, DefectRecord]:
    """Two neighbouring different digits of a number swapped (51 → 15, 102 → 120)."""
    cells = [f for f in _numeric_cells(spec) if _swaps(spec.values[f])]
    if not cells:
        raise NotApplicable("no cell of tables 三/四 has two different neighbouring digits")
    fid = rng.choice(cells)
    digits = list(str(spec.values[fid]))
    i = rng.choice(_swaps(spec.values[fid]))
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return _set(spec, {fid: int("".join(digits))}, "transposed_digits")


def row_shift(spec: ReportSpec, rng: random.Random) -> tuple[ReportSpec, DefectRecord]:
    """A table 三 row's numbers moved one column to the right (the first cell left 0, the total lost)."""
    cols = [c for c, _ in T3_COLS]
    rows = [r for r in t3_row_ids(spec) if spec.values[f"t3.{r}.total"] > 0] or t3_row_ids(spec)
    row = rng.choice(rows)
    vals = [spec.values[f"t3.{row}.{c}"] for c in cols]
    shifted = [0] + vals[:-1]
    changes = {f"t3.{row}.{c}": v for c, v, o in zip(cols, shifted, vals) if v != o}
    return _set(spec, changes, "row_shift", detail={"row": row})


def missing_row(spec: ReportSpec, rng: random.Random) -> tuple[ReportSpec, DefectRecord]:
    """An official row of table 三 left out of the report."""
    candidates = [r for r in t3_row_ids(spec) if r not in ("new", "result_total")]
    row = rng.choice(candidates)
    new = spec.copy(dropped_rows=tuple(spec.dropped_rows) + (row,))
    fids = [f"t3.{row}.{c}" for c, _ in T3_COLS]
    return new, DefectRecord("missing_row", fids, {f: spec.values[f] for f in fids}, dict.fromkeys(fids),
                             detail={"row": row})


def _replace_claim(spec: ReportSpec, index: int, value: int) -> tuple[str, str]:
    """Restate claim ``index`` of a (copied) spec with another value; returns (old, new) sentence."""
    claim = spec.narrative.claims[index]
    fig_new = claim.figure.replace(str(claim.value), str(value), 1)
    sent_new = claim.sentence.replace(claim.figure, fig_new, 1)
    for sec in spec.narrative.sections:
        sec.paragraphs = [p.replace(claim.sentence, sent_new, 1) if claim.sentence in p else p for p in sec.paragraphs]
    claims = spec.narrative.claims
    for i, c in enumerate(claims):
        if c.sentence == claim.sentence:
            claims[i] = dataclasses.replace(c, sentence=sent_new)
    claims[index] = dataclasses.replace(claims[index], value=value, figure=fig_new)
    return claim.sentence, sent_new


def text_contradiction(spec: ReportSpec, rng: random.Random) -> tuple[ReportSpec, DefectRecord]:
    """A figure in the text that contradicts its table (the table stays right)."""
    stated = [i for i, c in enumerate(spec.claims) if c.figure]
    i = rng.choice(stated)
    claim = spec.claims[i]
    value = claim.value + rng.choice([1, 2, 3, 5, 10]) if claim.value < 3 or rng.random() < 0.5 \
        else claim.value - rng.randint(1, min(claim.value - 1, 5))
    new = spec.copy()
    old_s, new_s = _replace_claim(new, i, value)
    return new, DefectRecord("text_contradiction", list(claim.field_ids), {"text": claim.value}, {"text": value},
                             section=claim.section, sentence_old=old_s, sentence_new=new_s,
                             detail={"label": claim.label, "table": claim.value})


def late_publication(spec: ReportSpec, rng: random.Random) -> tuple[ReportSpec, DefectRecord]:
    """Published after the deadline (31 January, or 31 March for a consolidated government report)."""
    late = spec.meta.deadline + dt.timedelta(days=rng.randint(1, 75))
    new = spec.copy(meta=dataclasses.replace(spec.meta, published=late))
    return new, DefectRecord("late_publication", [], {"published": spec.meta.published}, {"published": late},
                             detail={"deadline": spec.meta.deadline})


def carry_over_break(spec: ReportSpec, rng: random.Random, previous: ReportSpec | None = None
                     ) -> tuple[ReportSpec, DefectRecord]:
    """This year's 上年结转 no longer equals last year's 结转下年度 in one column, while the report itself
    stays consistent (carried_out moves with it, so new + carried_in = result_total + carried_out holds)."""
    col = rng.choice(T3_APPLICANT_COLS[:2]) if rng.random() < 0.8 else rng.choice(T3_APPLICANT_COLS)
    d = rng.choice([1, 1, 2, 3])
    changes = {f"t3.carried_in.{col}": spec.values[f"t3.carried_in.{col}"] + d,
               "t3.carried_in.total": spec.values["t3.carried_in.total"] + d,
               f"t3.carried_out.{col}": spec.values[f"t3.carried_out.{col}"] + d,
               "t3.carried_out.total": spec.values["t3.carried_out.total"] + d}
    new, rec = _set(spec, changes, "carry_over_break", detail={"column": col})
    for i, c in enumerate(new.claims):  # keep the text in step with the table: only the years disagree
        if c.figure and c.field_ids[0] in ("t3.carried_in.total", "t3.carried_out.total"):
            _replace_claim(new, i, changes[c.field_ids[0]])
    if previous is not None:
        rec.detail["previous_year"] = previous.meta.year
        rec.detail["previous_carried_out"] = previous.values[f"t3.carried_out.{col}"]
    return new, rec


def copied_section(spec: ReportSpec, source: ReportSpec, number: int = 5) -> tuple[ReportSpec, DefectRecord]:
    """Section 五 (or another) copied from ``source``: the agency's previous report (years moved on by
    one, as a hurried copy would), or another agency's (its name swapped for this agency's)."""
    new = spec.copy()
    src = next(s for s in source.narrative.sections if s.number == number)
    same_agency = source.meta.agency == spec.meta.agency
    shift = spec.meta.year - source.meta.year
    paragraphs = []
    for p in src.paragraphs:
        if shift:
            for y in sorted({source.meta.year - 1, source.meta.year, source.meta.year + 1}, reverse=True):
                p = p.replace(f"{y}年", f"{y + shift}年")
        if not same_agency:
            p = p.replace(source.agency.short, spec.agency.short).replace(source.meta.agency, spec.meta.agency)
        paragraphs.append(p)
    target = next(s for s in new.narrative.sections if s.number == number)
    old_text = target.text
    target.paragraphs = paragraphs
    return new, DefectRecord("copied_section", [], section=number, sentence_old=old_text, sentence_new=target.text,
                             detail={"source_agency": source.meta.agency, "source_year": source.meta.year,
                                     "same_agency": same_agency})


def consolidation_break(spec: ReportSpec, rng: random.Random) -> tuple[ReportSpec, DefectRecord]:
    """A consolidated report whose 行政许可 decisions no longer equal the sum over its members (the report
    itself stays consistent: table 二 has no identity and the text does not state the figure)."""
    fid = "t2.license.decisions"
    old = spec.values[fid]
    new = old + rng.choice([1, 2, 5, 10, 100]) if old < 10 or rng.random() < 0.5 else old - rng.randint(1, old // 2)
    return _set(spec, {fid: new}, "consolidation_break")
