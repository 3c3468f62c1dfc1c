"""Two reports side by side, usually one agency's two consecutive years: ``audit compare A B -o DIR``.

:func:`compare` takes two audited reports (``audit.model.Result``, as :func:`audit.pipeline.audit` or a
run's store gives them) and lines them up:

* **tables**: every cell of tables 二, 三 and 四 of both, row by row in the format's reading order, each
  marked ``same``, ``changed`` (with the difference when both are numbers), ``only_a`` or ``only_b`` (a
  cell the other report lacks or left unreadable);
* **carry-over**: the identities that tie a year to the one before: per column of table 三, 上年结转 of the
  later report against 结转下年度 of the earlier (identity 5), and for the 2021 format the documents in
  force of table 二 (identity 6: in force now = in force last year + issued − repealed); each ``holds``,
  ``breaks`` (with expected and found) or ``not_assessable`` (a blank or missing cell: a blank is never 0);
* **sections**: the text of sections 一, 五 and 六 (the others are tables) of both reports, sentence by
  sentence, with the statements one report repeats from the other marked, found by the same code and with
  the same parameters as the batch's XY-COPY check (:func:`audit.batch.textsim.statements` and
  :func:`audit.batch.textsim.repeated`, the rule's ``quote_min_chars``, ``near`` and ``shingle_chars``):
  section 五's problems and measures (一是…, 二是…), the other sections' sentences, each marked ``carried``
  (word for word, punctuation aside), ``figures`` (word for word but for its figures) or ``near`` (carried
  over with edits: ``share`` of its 5-shingles found in the other report, at least ``near``); and the share
  of each section's wording the later report repeats (character 5-shingles, as XY-COPY measures it).

The earlier report is ``a``: when A's year is later than B's the two are swapped (``swapped`` says so).
:func:`write` renders the comparison as a self-contained HTML page (:mod:`audit.compare.render`) and a DOCX
document (:mod:`audit.compare.word`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from audit.batch import textsim
from audit.vocab import sentences as sentence_spans
from audit.model import Result, Value, ValueKind

TABLES = {"t2": ("表二", "Table 2"), "t3": ("表三", "Table 3"), "t4": ("表四", "Table 4")}
SECTION_ZH = "一二三四五六"
COPY_RULE = "XY-COPY"  # the batch's carried-over-text check, whose parameters the marks use
TEXT_SECTIONS = (1, 5, 6)  # the narrative sections; 二, 三, 四 are tables, compared cell by cell
FORMATS = ("html", "docx")


@dataclass
class Cell:
    field_id: str
    column: str
    a: str | None  # the cell as shown (number or its kind), None when the report has no such cell
    b: str | None
    change: str  # same | changed | only_a | only_b
    delta: str | None = None


@dataclass
class Row:
    table: str
    label: str
    cells: list[Cell]

    @property
    def changed(self) -> int:
        return sum(c.change != "same" for c in self.cells)


@dataclass
class Identity:
    name: dict  # {"zh", "en"}
    expected: str | None
    found: str | None
    status: str  # holds | breaks | not_assessable
    terms: dict = field(default_factory=dict)  # which cells of which report


#: marks, strongest first: word for word; word for word but for the figures; carried over with edits
MARKS = ("carried", "figures", "near")


@dataclass
class Part:
    """A run of a sentence: plain, or (part of) a statement the other report repeats."""

    text: str
    mark: str | None = None  # carried | figures | near | None
    share: float | None = None  # of the statement's shingles found in the other report (1.0 for carried, figures)


@dataclass
class Sentence:
    text: str
    mark: str | None  # the strongest mark of its parts (carried | figures | near), None when none is marked
    share: float | None = None  # that part's share
    parts: list[Part] = field(default_factory=list)


@dataclass
class SectionPair:
    number: int
    title: str
    a: list[Sentence]
    b: list[Sentence]
    repeated: float | None  # share of b's shingles a has
    repeats: list[textsim.Repeat] = field(default_factory=list)  # b's statements a has, word for word or nearly


@dataclass
class Comparison:
    a: Result
    b: Result
    rows: list[Row]
    carry: list[Identity]
    sections: list[SectionPair]
    swapped: bool = False
    likeness: "Likeness" = None  # the XY-COPY parameters the sections were marked with

    def __post_init__(self) -> None:
        if self.likeness is None:
            self.likeness = Likeness()

    @property
    def changed_cells(self) -> int:
        return sum(r.changed for r in self.rows)

    def summary(self) -> dict:
        five = next((s for s in self.sections if s.number == 5), None)
        return {"cells": sum(len(r.cells) for r in self.rows), "changed": self.changed_cells,
                "carry_holds": sum(i.status == "holds" for i in self.carry),
                "carry_breaks": sum(i.status == "breaks" for i in self.carry),
                "carry_not_assessable": sum(i.status == "not_assessable" for i in self.carry),
                # statements of the later report carried over: word for word (figures aside), with edits
                "carried_sentences": sum(r.verbatim for s in self.sections for r in s.repeats),
                "near_sentences": sum(not r.verbatim for s in self.sections for r in s.repeats),
                "section5_measures_repeated": 0 if five is None else sum(r.role == "measure" for r in five.repeats),
                "section5_repeated": None if five is None else five.repeated}


# ---------------------------------------------------------------------------------------- cells


def shown(v: Value | None) -> str | None:
    if v is None or v.kind is ValueKind.MISSING:
        return None
    if v.is_number:
        return str(v.value)
    return {"blank": "（空白）", "dash": "—", "none_word": "无", "unreadable": "（无法读取）"}.get(str(v.kind), v.raw)


def _order(result: Result) -> dict[str, int]:
    from audit.batch.results import reading_order

    return reading_order(result.fields.format or result.meta.format)


def _rows(a: Result, b: Result) -> list[Row]:
    order = {**_order(b), **_order(a)}
    ids = sorted(set(a.fields) | set(b.fields), key=lambda f: (order.get(f, len(order)), f))
    rows: dict[tuple[str, str], Row] = {}
    for fid in ids:
        table = fid.split(".", 1)[0]
        if table not in TABLES:
            continue
        va, vb = a.fields.get(fid), b.fields.get(fid)
        ref = vb if vb is not None and vb.row_label else va
        label = (ref.row_label if ref is not None else None) or fid.split(".")[1]
        column = (ref.column_label if ref is not None else None) or fid.rsplit(".", 1)[-1]
        sa, sb = shown(va), shown(vb)
        if sa is None and sb is None:
            continue
        if sa is None:
            change, delta = "only_b", None
        elif sb is None:
            change, delta = "only_a", None
        elif sa == sb:
            change, delta = "same", None
        else:
            change = "changed"
            delta = None
            if va.is_number and vb.is_number:
                d = Decimal(vb.value) - Decimal(va.value)
                delta = f"{d:+}"
        key = (table, fid.split(".")[1])
        rows.setdefault(key, Row(table, label, [])).cells.append(Cell(fid, column, sa, sb, change, delta))
    return list(rows.values())


# ------------------------------------------------------------------------------------ carry-over


def _num(v: Value | None):
    return v.value if v is not None and v.is_number else None


def _carry(a: Result, b: Result) -> list[Identity]:
    out = []
    cols = [fid.rsplit(".", 1)[1] for fid in b.fields if fid.startswith("t3.carried_in.")]
    for col in dict.fromkeys(cols):
        va, vb = a.fields.get(f"t3.carried_out.{col}"), b.fields.get(f"t3.carried_in.{col}")
        label = (vb.column_label if vb is not None and vb.column_label else col)
        name = {"zh": f"表三“{label}”列：本年上年结转 = 上年结转下年度",
                "en": f"Table 3, column “{label}”: carried in = last year's carried out"}
        x, y = _num(va), _num(vb)
        if x is None or y is None:
            status = "not_assessable"
        else:
            status = "holds" if x == y else "breaks"
        out.append(Identity(name, shown(va), shown(vb), status,
                            {"a": f"t3.carried_out.{col}", "b": f"t3.carried_in.{col}"}))
    if (a.fields.format == "2021" or a.meta.format == "2021") and (b.fields.format == "2021" or b.meta.format == "2021"):
        for row in ("reg", "norm"):
            prev, now = a.fields.get(f"t2.{row}.in_force"), b.fields.get(f"t2.{row}.in_force")
            issued, repealed = b.fields.get(f"t2.{row}.issued"), b.fields.get(f"t2.{row}.repealed")
            if now is None and prev is None:
                continue
            label = now.row_label if now is not None and now.row_label else row
            name = {"zh": f"表二“{label}”：现行有效 = 上年现行有效 + 本年制发 − 本年废止",
                    "en": f"Table 2, “{label}”: in force = last year's in force + issued − repealed"}
            xs = [_num(prev), _num(issued), _num(repealed), _num(now)]
            if any(x is None for x in xs):
                out.append(Identity(name, None, shown(now), "not_assessable"))
                continue
            expected = xs[0] + xs[1] - xs[2]
            out.append(Identity(name, str(expected), str(xs[3]), "holds" if expected == xs[3] else "breaks",
                                {"a": f"t2.{row}.in_force", "b": f"t2.{row}.issued, t2.{row}.repealed, t2.{row}.in_force"}))
    return out


# ------------------------------------------------------------------------------------- sections

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Likeness:
    """How statements are matched: the XY-COPY rule's parameters (shortest body quoted, ``near`` share,
    shingle length), so the view marks what the batch's check finds."""

    min_chars: int = 12
    near: float = 0.9
    k: int = 5

    @classmethod
    def of(cls, rules=None) -> "Likeness":
        """From the ruleset's XY-COPY rule (the shipped ruleset unless given); the defaults without one."""
        if rules is None:
            from audit.checks.ruleset import load_rules

            rules = load_rules()
        rule = rules.by_id.get(COPY_RULE)
        if rule is None:
            return cls()
        return cls(int(rule.get("quote_min_chars", 12)), float(rule.get("near", 0.9)), int(rule.get("shingle_chars", 5)))


def _mark(r: textsim.Repeat) -> str:
    return "carried" if r.same_figures else "figures" if r.verbatim else "near"


def _sentences(text: str, repeats: list[textsim.Repeat]) -> list[Sentence]:
    """The sentences of ``text`` (whitespace dropped), each cut into parts where a repeated statement begins
    or ends inside it (a measure after a lead-in, a measure over two sentences)."""
    spans = sorted((r.start, r.end, _mark(r), r.share) for r in repeats)
    out = []
    for a, b in sentence_spans(text):
        parts, at = [], a
        for s, e, mark, share in spans:
            s, e = max(s, at), min(e, b)
            if s >= e:
                continue
            if at < s:
                parts.append(Part(text[at:s]))
            piece = text[s:e]
            parts.append(Part(piece, mark, share) if textsim.canon(piece) else Part(piece))
            at = e
        if at < b:
            parts.append(Part(text[at:b]))
        merged: list[Part] = []
        for p in parts:
            p.text = _SPACE.sub("", p.text)
            if not p.text:
                continue
            if merged and merged[-1].mark is None and p.mark is None:
                merged[-1].text += p.text
            else:
                merged.append(p)
        if not merged:
            continue
        marked = sorted((p for p in merged if p.mark), key=lambda p: MARKS.index(p.mark))
        top = marked[0] if marked else None
        out.append(Sentence("".join(p.text for p in merged), top.mark if top else None,
                            top.share if top else None, merged))
    return out


def _sources(repeats: list[textsim.Repeat], earlier: list[textsim.Statement], k: int) -> list[textsim.Repeat]:
    """Where in the earlier report each repeated statement comes from, marked as it is: the earlier
    statement sharing the most of its shingles, and any other made mostly of them (a sentence the later
    report ran together with the next)."""
    sets = [textsim.shingles(textsim.canon(st.text), k) for st in earlier]
    out = []
    for r in repeats:
        sh = textsim.shingles(textsim.canon(r.text), k)
        overlap = [len(sh & x) for x in sets]
        if not overlap or max(overlap) == 0:
            continue
        best = overlap.index(max(overlap))
        for i, st in enumerate(earlier):
            if i == best or (overlap[i] and textsim.containment(sets[i], sh) >= 0.5):
                out.append(textsim.Repeat(st.role, st.text, r.share, r.same_figures, st.start, st.end))
    return out


def _sections(a: Result, b: Result, like: Likeness) -> list[SectionPair]:
    sa = {s.number: s for s in a.document.sections}
    sb = {s.number: s for s in b.document.sections}
    out = []
    for n in TEXT_SECTIONS:
        x, y = sa.get(n), sb.get(n)
        ta, tb = (x.text if x else ""), (y.text if y else "")
        if not ta.strip() and not tb.strip():
            continue
        repeated = None
        if ta.strip() and tb.strip():
            ca, cb = textsim.canon(ta), textsim.canon(tb)
            repeated = round(textsim.containment(textsim.shingles(cb, like.k), textsim.shingles(ca, like.k)), 3)
        title = (y.title if y and y.title else None) or (x.title if x and x.title else "") or ""
        like_args = {"min_chars": like.min_chars, "near": like.near, "k": like.k}
        st_a = textsim.statements(ta, a.meta.year, parts=n == 5)
        st_b = textsim.statements(tb, b.meta.year, parts=n == 5)
        b_repeats = textsim.repeated(st_b, ta, unique=False, **like_args) if ta.strip() else []
        a_sentences = _sentences(ta, _sources(b_repeats, st_a, like.k))
        b_sentences = _sentences(tb, b_repeats)
        unique, seen = [], set()
        for r in b_repeats:  # a statement the later report prints twice counts once
            if textsim.canon(r.text) not in seen:
                seen.add(textsim.canon(r.text))
                unique.append(r)
        out.append(SectionPair(n, title, a_sentences, b_sentences, repeated, unique))
    return out


# ---------------------------------------------------------------------------------------- entry


def compare(a: Result, b: Result, *, rules=None) -> Comparison:
    """Line up two audited reports; the earlier year becomes ``a``. ``rules``: the ruleset whose XY-COPY
    parameters mark the carried-over statements (the shipped one by default)."""
    swapped = False
    if a.meta.year is not None and b.meta.year is not None and a.meta.year > b.meta.year:
        a, b, swapped = b, a, True
    like = Likeness.of(rules)
    return Comparison(a, b, _rows(a, b), _carry(a, b), _sections(a, b, like), swapped, like)


def compare_files(a: str | Path, b: str | Path, *, narrative: bool = True) -> Comparison:
    """Audit two files (parsed-document cache as configured) and compare them."""
    from audit import pipeline

    return compare(pipeline.audit(a, narrative=narrative), pipeline.audit(b, narrative=narrative))


def compare_stored(out: str | Path, a: str, b: str) -> Comparison:
    """Compare two reports of a run folder by their paths in the run, as the store holds them (with the
    reviewers' corrections applied), without reading the files again."""
    from audit.batch.results import load_result
    from audit.batch.store import STORE_NAME, Store
    from audit.errors import AuditError

    if not (Path(out) / STORE_NAME).is_file():
        raise AuditError(f"{out}: not a run folder (no {STORE_NAME})")
    with Store(out) as store:
        try:
            return compare(load_result(store, a), load_result(store, b))
        except KeyError as exc:
            raise AuditError(str(exc.args[0])) from None


def file_stem(cmp: Comparison) -> str:
    return f"compare-{Path(cmp.a.source.path).name}-{Path(cmp.b.source.path).name}"


def write(cmp: Comparison, out_dir: str | Path, formats: Iterable[str] = FORMATS, lang: str = "zh") -> list[Path]:
    """Write the comparison to ``out_dir/compare-<A>-<B>.<format>``; returns the paths."""
    from audit.compare import render, word

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out / f"{file_stem(cmp)}.{fmt}"
        if fmt == "html":
            path.write_text(render.html(cmp, lang), encoding="utf-8")
        elif fmt == "docx":
            path.write_bytes(word.to_docx(cmp, lang))
        else:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        written.append(path)
    return written
