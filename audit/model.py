"""The types every stage shares.

Data flows one way: ``Source`` → ``Document`` (blocks, sections, meta) → ``Fields`` → ``Finding``/``Check``
→ ``Result``. Every piece of text and every value carries a ``Span`` so it can point back to where it came
from (page and bounding box for PDFs, element or line index for the other kinds).

These types are deliberately small and plain: dataclasses with ``to_json()`` helpers that produce the
public JSON interface (``audit inspect --json`` and the JSON memo). Keep their JSON keys stable.

One record format for all of them (:func:`to_record` / :func:`from_record`): a plain dict with the
dataclass's own field names, derived from its fields and their annotations (never a list of names written
by hand), exact numbers as strings (a Decimal, and an int in a field that may hold a Decimal), enums by
value, dates in ISO form, tuples as lists, nested dataclasses as records. The cache, the store, the
worker's reply and the JSON memo read and write through it, so a field added to a type is a change here.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Iterable, Iterator, Union

# ---------------------------------------------------------------------------------------------- text


@dataclass(frozen=True)
class Text:
    """Text a reader sees, in both memo languages: ``Text(zh, en)``.

    A stage that hands over reader-facing text (why a table cannot be assessed, why a rule could not be
    checked, what the tables stage noticed) hands over a ``Text``, never a string in one language; the
    memo picks one with :meth:`get`. Report text inside it (row labels as printed, quoted sentences,
    agency names) is the same in both. Compose with ``+`` and :meth:`join`; :meth:`same` is text that
    reads the same in both languages (a figure, an id, report text).

    In JSON a Text is ``{"zh": …, "en": …}`` (:meth:`to_json`), or, where a key held a plain string, the
    Chinese string under the key and the English one under the key with ``_en`` appended
    (``reason`` / ``reason_en``): see docs/api.md.
    """

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __add__(self, other: "Text") -> "Text":
        if not isinstance(other, Text):
            return NotImplemented
        return Text(self.zh + other.zh, self.en + other.en)

    @classmethod
    def same(cls, text: str) -> "Text":
        return cls(text, text)

    @classmethod
    def join(cls, items: "Iterable[Text]", zh: str = "；", en: str = "; ") -> "Text":
        items = list(items)
        return cls(zh.join(t.zh for t in items), en.join(t.en for t in items))

    def to_json(self) -> dict:
        return {"zh": self.zh, "en": self.en}

    @classmethod
    def from_json(cls, data: "dict | str | Text | None", en: str | None = None) -> "Text | None":
        """A Text back from JSON: ``{"zh", "en"}``, or a string with its ``_en`` sibling (``en``); a string
        without one (written before texts were kept in both languages, in English) stands for both."""
        if data is None or isinstance(data, Text):
            return data
        if isinstance(data, dict):
            return cls(str(data.get("zh") or data.get("en") or ""), str(data.get("en") or data.get("zh") or ""))
        return cls(str(data), str(en if en is not None else data))


def split_texts(texts: "dict[str, Any] | list[Any]") -> tuple[Any, Any]:
    """A mapping or list of Texts (lists of Texts as values allowed) as two plain JSON values: the Chinese
    one and the English one (for a key and its ``_en`` sibling)."""
    def one(x: Any, lang: str) -> Any:
        if isinstance(x, Text):
            return x.get(lang)
        if isinstance(x, dict):
            return {k: one(v, lang) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [one(v, lang) for v in x]
        return x

    return one(texts, "zh"), one(texts, "en")


def join_texts(zh: Any, en: Any) -> Any:
    """The inverse of :func:`split_texts`: a key's Chinese value and its ``_en`` sibling (None for a
    value written before the sibling existed) as Texts, in the same shape."""
    if isinstance(zh, dict):
        en = en if isinstance(en, dict) else {}
        return {k: join_texts(v, en.get(k)) for k, v in zh.items()}
    if isinstance(zh, list):
        en = en if isinstance(en, list) and len(en) == len(zh) else [None] * len(zh)
        return [join_texts(a, b) for a, b in zip(zh, en)]
    return Text.from_json(zh, en)


# --------------------------------------------------------------------------------------------- where


@dataclass(frozen=True)
class Source:
    """The input file: where it is, what it is, and its content hash."""

    path: str
    sha256: str
    kind: str  # "pdf" | "docx" | "html" | "txt"
    size: int
    encoding: str | None = None  # the text encoding found (txt/html), None for binary formats

    @classmethod
    def from_bytes(cls, path: str, data: bytes, kind: str, encoding: str | None = None) -> "Source":
        return cls(path=str(path), sha256=hashlib.sha256(data).hexdigest(), kind=kind, size=len(data), encoding=encoding)

    def to_json(self) -> dict:
        return to_record(self)


@dataclass(frozen=True)
class Span:
    """Where a piece of text came from.

    ``page`` is 1-based (for non-paginated inputs, 1); ``bbox`` is (x0, top, x1, bottom) in PDF points
    from the page's top-left corner; ``line`` is the source line (txt) or element index (html/docx);
    ``start``/``end`` are character offsets into the containing text (a section's text for sentences).
    """

    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    line: int | None = None
    start: int | None = None
    end: int | None = None

    def to_json(self) -> dict:
        """The public JSON form: the record without its empty fields, the box rounded to 0.01 pt."""
        out: dict[str, Any] = {k: v for k, exact in _record_fields(type(self)) if k != "bbox"
                               and (v := _encode_value(getattr(self, k), exact)) is not None}
        if self.bbox is not None:
            out["bbox"] = [round(x, 2) for x in self.bbox]
        return out

    @classmethod
    def from_json(cls, data: dict | None) -> "Span | None":
        """A Span back from :meth:`to_json` (or a record); None for nothing or an empty span."""
        return from_record(cls, data) if data else None


# ------------------------------------------------------------------------------------------ document


@dataclass
class Line:
    text: str
    span: Span


@dataclass
class Paragraph:
    """Running text: one or more source lines joined (also across a page break)."""

    text: str
    lines: list[Line] = field(default_factory=list)

    @property
    def page(self) -> int | None:
        return self.lines[0].span.page if self.lines else None

    @property
    def pages(self) -> list[int]:
        return sorted({ln.span.page for ln in self.lines if ln.span.page is not None})


@dataclass
class Cell:
    """One grid cell. A cell covered by another cell's row/column span is ``None`` in the grid."""

    text: str
    span: Span | None = None
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    """A cell grid as the input gives it (after joining a table continued over a page break).

    ``cell_stream``: the input gave the cells in reading order with no row boundaries (a crawler's text
    of a web page with one cell per line and nothing between rows); ``rows`` then holds them as one row,
    and only the tables stage, which knows the tables, can cut them into rows.
    """

    rows: list[list[Cell | None]]
    page: int | None = None
    pages: list[int] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    cell_stream: bool = False

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def grid(self) -> list[list[str | None]]:
        """The texts, ``None`` where a merged cell covers the position."""
        return [[None if c is None else c.text for c in row] for row in self.rows]

    @property
    def text(self) -> str:
        return "\n".join("\t".join("" if c is None else c.text for c in row) for row in self.rows)

    def to_json(self) -> dict:
        out = {"page": self.page, "pages": self.pages or ([self.page] if self.page else []), "rows": self.grid()}
        if self.cell_stream:
            out["cell_stream"] = True
        return out


Block = Union[Paragraph, Table]


@dataclass
class Section:
    """One of the six numbered sections 一…六."""

    number: int  # 1..6
    title: str
    pages: list[int]
    text: str
    first_block: int  # index into Document.blocks of the heading
    last_block: int  # index of the last block that belongs to the section (inclusive)
    subsections: list[tuple[str, str]] = field(default_factory=list)  # (heading, text) for （一）（二）…
    #: the heading's number as printed (“五、” → "五", “1、” → "1", “（一）” → "（一）", “第一部分” → "第一部分",
    #: "" for a heading with no number); None when the section has no heading of its own (found by a
    #: sub-item such as （一）主要问题, or by its table)
    marker: str | None = ""

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "pages": self.pages,
            "text": self.text,
            "subsections": [{"title": t, "text": x} for t, x in self.subsections],
            "marker": self.marker,
        }


@dataclass
class Meta:
    agency: str | None = None
    year: int | None = None
    published: _dt.date | None = None
    period: tuple[_dt.date, _dt.date] | None = None
    format: str | None = None  # "2019" | "2021": the format the report is laid out in
    format_by_year: str | None = None  # the format the year calls for
    format_by_labels: str | None = None  # the format the table labels show
    title: str | None = None
    level: str | None = None  # "department" | "government" (consolidated, 31 March deadline) | None
    cited_notice: str | None = None  # 〔2019〕60号 / 〔2021〕30号 if the text cites one
    agency_printed: str | None = None  # the agency's name exactly as the title (or signature) prints it
    agency_full: str | None = None  # normalised full name: abbreviation written out, region prefix from the signature
    published_from: str | None = None  # where ``published`` was read: a field label (公开日期…), 印发, signature, …

    def to_json(self) -> dict:
        return to_record(self)

    @classmethod
    def from_json(cls, data: dict) -> "Meta":
        """A Meta back from :meth:`to_json`; a name missing from ``data`` takes its default."""
        return from_record(cls, data)


@dataclass
class Document:
    source: Source
    blocks: list[Block]
    page_count: int = 1
    sections: list[Section] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    notes: list[str] = field(default_factory=list)  # what ingest noticed (dropped headers, joins, …)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def text(self) -> str:
        """Body text in reading order, tables as tab-separated lines."""
        return "\n".join(b.text for b in self.blocks)

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def section_of_block(self, index: int) -> int | None:
        for s in self.sections:
            if s.first_block <= index <= s.last_block:
                return s.number
        return None


# -------------------------------------------------------------------------------------------- fields


class ValueKind(str, Enum):
    NUMBER = "number"
    BLANK = "blank"  # an empty cell
    DASH = "dash"  # “—”, “-”, “/”
    NONE_WORD = "none_word"  # “无”
    UNREADABLE = "unreadable"  # text that is no number (letters, a run of digits that splits many ways)
    MISSING = "missing"  # the row or table is not in the report at all

    def __str__(self) -> str:  # so f-strings and JSON show the plain value
        return self.value


@dataclass(frozen=True)
class Value:
    """One table cell as a named field.

    ``value`` is an ``int`` for counts (signed for 本年增/减), a ``Decimal`` for amounts, and ``None``
    for every kind but NUMBER: a blank is never silently 0.
    """

    value: int | Decimal | None
    kind: ValueKind
    raw: str
    table: str | None = None  # "t2" | "t3" | "t4"
    row_label: str | None = None
    column_label: str | None = None
    page: int | None = None
    span: Span | None = None
    unit: str | None = None  # for amounts: the unit written (万元, or 元 when the cell says so)
    # how a value not read straight off its cell was settled (a crawler's run-together digits split by
    # the table's identities or by a figure the body text states): “resolved by …”
    origin: Text | None = None

    @property
    def is_number(self) -> bool:
        return self.kind is ValueKind.NUMBER

    def to_json(self) -> dict:
        v = _decimal_json(self.value) if isinstance(self.value, Decimal) else self.value
        out = {
            "value": v,
            "kind": str(self.kind),
            "raw": self.raw,
            "page": self.page,
            "table": self.table,
            "row_label": self.row_label,
            "column_label": self.column_label,
        }
        if self.unit:
            out["unit"] = self.unit
        if self.origin is not None:
            out["origin"], out["origin_en"] = self.origin.zh, self.origin.en
        if self.span is not None:
            out["span"] = self.span.to_json()
        for k, exact in _record_fields(type(self)):  # a field added to Value shows in its JSON with no other change
            if k not in out and k not in ("unit", "origin", "span"):
                v = _encode_value(getattr(self, k), exact)  # as its record has it
                if v is not None:
                    out[k] = v
        return out


def _decimal_json(d: Decimal) -> float | int:
    """A Decimal for JSON: a float whose shortest repr gives back the reported digits (≤ 15 significant
    digits, which every amount in a report has); ``raw`` keeps the exact text beside it."""
    if d.as_tuple().exponent >= 0:
        return int(d)
    return float(d)


@dataclass(frozen=True)
class StatedFigure:
    """A figure the body text states for one cell of a run-together digit run (“现行有效…698件” for
    ``t2.norm.in_force`` beside the run “8855698”).

    ``outcome``: ``resolved`` (it settled the run's split), ``consistent`` (some split gives it; the run
    stays or was settled otherwise), ``no_split`` (no split of the run gives it: the text and the table
    cannot both be right).
    """

    field: str
    value: int | Decimal
    sentence: str  # the clause of the body text that states it
    run: str  # the table's run-together digits
    outcome: str
    span: Span | None = None

    def to_json(self) -> dict:
        out = {"field": self.field, "value": _decimal_json(Decimal(self.value)), "sentence": self.sentence,
               "run": self.run, "outcome": self.outcome}
        if self.span is not None:
            out["span"] = self.span.to_json()
        return out


@dataclass(frozen=True)
class ReaderTry:
    """What one table reader made of one table: ``outcome`` is ``won`` (its reading is the table's),
    ``declined`` (nothing for it: no grid, no cell stream, no labels in the text, or no official row
    matched), ``skipped`` (a reader before it won), ``header_only`` (the header with no value row under
    it: the table is read as blank) or ``completed`` (it read rows the winner lacked); ``why`` in words."""

    reader: str  # grid, cells, runon (``audit.tables.readers``)
    outcome: str
    why: str


@dataclass(frozen=True)
class TableReading:
    """Which reader read a table and why the others did not (``audit inspect`` shows it)."""

    table: str
    winner: str | None  # None: no reader found the table's values
    tried: tuple[ReaderTry, ...] = ()


class Fields(dict):
    """field id (``t3.denied.third_party.natural``) → ``Value``; plus what the extraction noticed."""

    def __init__(self, *args: Any, format: str | None = None, notes: list[Text] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.format = format  # the format whose schema the fields were read with
        self.format_by_labels: str | None = None  # the format the table labels show, None when no labels
        self.notes: list[Text] = notes or []
        # table id → why its cells cannot be assessed (image-only table, ambiguous digit runs, …)
        self.not_assessable: dict[str, Text] = {}
        # table id → official row ids absent from the report (a structure finding, never zero)
        self.missing_rows: dict[str, list[str]] = {}
        # table id → layout deviations noticed (e.g. "2019 other-row in a 2021 report", "org_total column")
        self.variants: dict[str, list[Text]] = {}
        # row ("t3.new") → the row identity used to choose between the ways a crawled row's run-together
        # digits split; that identity holds for the row by construction, so the checks skip it there
        self.identity_resolved: dict[str, str] = {}
        # a check instance whose identity chose a split (“T3-COL-SUM[col=natural]”, named as the checks
        # name it) → the fields it settled: it holds for them by construction, so it is not independent
        self.identities_used: dict[str, list[str]] = {}
        # figures the body text states for cells of a crawler's digit run: those that settled a split,
        # agreed with one, or match no split of the run (a text-vs-table contradiction to report)
        self.stated_figures: list[StatedFigure] = []
        # table id → which reader read it and why the others did not (shown by ``audit inspect``; kept
        # out of the memo and the store)
        self.readings: dict[str, TableReading] = {}

    def number(self, fid: str) -> int | Decimal | None:
        v = self.get(fid)
        return v.value if v is not None and v.is_number else None

    def matching(self, pattern: str) -> Iterator[tuple[str, Value]]:
        """Fields whose id matches a glob pattern (``t3.denied.*.natural``)."""
        import fnmatch

        for k in sorted(self):
            if fnmatch.fnmatchcase(k, pattern):
                yield k, self[k]

    def to_json(self) -> dict:
        return {k: self[k].to_json() for k in sorted(self)}

    def tables_json(self) -> dict:
        """What the extraction noticed beside the values (the JSON memo's ``tables`` object): texts in
        Chinese under ``not_assessable``, ``variants``, ``notes``, in English under the ``_en`` siblings."""
        out: dict[str, Any] = {"format": self.format, "format_by_labels": self.format_by_labels}
        for key, value in (("not_assessable", dict(sorted(self.not_assessable.items()))),
                           ("missing_rows", dict(sorted(self.missing_rows.items()))),
                           ("variants", dict(sorted(self.variants.items()))),
                           ("notes", list(self.notes))):
            if key == "missing_rows":
                out[key] = value
                continue
            out[key], out[key + "_en"] = split_texts(value)
        return out

    def read_tables_json(self, data: dict) -> None:
        """Take back what :meth:`tables_json` wrote (the batch store keeps that object)."""
        self.format_by_labels = data.get("format_by_labels", self.format_by_labels)
        self.not_assessable = join_texts(dict(data.get("not_assessable") or {}), data.get("not_assessable_en"))
        self.missing_rows = dict(data.get("missing_rows") or {})
        self.variants = join_texts(dict(data.get("variants") or {}), data.get("variants_en"))
        self.notes = join_texts(list(data.get("notes") or []), data.get("notes_en"))


# ----------------------------------------------------------------------------------- findings/checks


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


class Outcome(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSABLE = "not_assessable"

    def __str__(self) -> str:
        return self.value


@dataclass
class Location:
    section: int | None = None
    page: int | None = None
    table: str | None = None
    row_label: str | None = None
    column_label: str | None = None
    field_ids: list[str] = field(default_factory=list)
    sentence: str | None = None
    char_span: tuple[int, int] | None = None  # offsets of the sentence within its section's text

    def to_json(self) -> dict:
        out: dict[str, Any] = {}
        for k in ("section", "page", "table", "row_label", "column_label", "sentence"):
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        out["field_ids"] = list(self.field_ids)
        if self.char_span is not None:
            out["char_span"] = list(self.char_span)
        return out


@dataclass
class Finding:
    rule_id: str
    severity: Severity
    kind: str  # "numeric" | "claim" | "structure" | "narrative" | "cross"
    message_zh: str
    message_en: str
    location: Location = field(default_factory=Location)
    expected: Any = None
    found: Any = None
    suggestion: list[dict] | None = None  # localisation: [{"cells": [{"field", "found", "consistent"}], "repairs": [...]}]
    details: dict = field(default_factory=dict)
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if not self.fingerprint:
            self.fingerprint = self.compute_fingerprint()

    def compute_fingerprint(self) -> str:
        """Same defect, same fingerprint: rule, where, and what was found (not the wording)."""
        key = {
            "rule": self.rule_id,
            "fields": sorted(self.location.field_ids),
            "table": self.location.table,
            "row": self.location.row_label,
            "col": self.location.column_label,
            "section": self.location.section,
            "sentence": self.location.sentence,
            "found": plain(self.found),
        }
        return hashlib.sha256(json.dumps(key, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def to_json(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "kind": self.kind,
            "message": {"zh": self.message_zh, "en": self.message_en},
            "location": self.location.to_json(),
            "expected": plain(self.expected),
            "found": plain(self.found),
            "suggestion": plain(self.suggestion),
            "details": plain(self.details),
            "fingerprint": self.fingerprint,
        }


@dataclass
class Check:
    """One rule evaluated on one report (every rule gets one, whatever its outcome)."""

    rule_id: str
    title_zh: str
    title_en: str
    outcome: Outcome
    severity: Severity = Severity.ERROR
    reason: Text | None = None  # for not applicable / not assessable: which inputs, and why
    findings: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.reason, (str, dict)):  # a reason from outside the stages: the same in both languages
            self.reason = Text.from_json(self.reason)

    def to_json(self) -> dict:
        out = {
            "rule_id": self.rule_id,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "outcome": str(self.outcome),
            "severity": str(self.severity),
            "findings": self.findings,
        }
        if self.reason:
            out["reason"], out["reason_en"] = self.reason.zh, self.reason.en
        return out


@dataclass
class Result:
    """Everything one audit of one report produced; serialises to the JSON memo."""

    source: Source
    document: Document
    fields: Fields
    findings: list[Finding] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    score: dict | None = None
    versions: dict = field(default_factory=dict)  # tool, rules, model, rubric
    audited: _dt.date | None = None
    corrections: list[dict] = field(default_factory=list)  # a reviewer's corrections of the reading (audit.batch.corrections)

    @property
    def meta(self) -> Meta:
        return self.document.meta


def plain(x: Any) -> Any:
    """Make a value JSON-ready: Decimals, enums, dates, tuples."""
    if isinstance(x, Decimal):
        return _decimal_json(x)
    if isinstance(x, Enum):
        return x.value
    if isinstance(x, (_dt.date, _dt.datetime)):
        return x.isoformat()
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set)):
        return [plain(v) for v in x]
    if hasattr(x, "to_json"):
        return x.to_json()
    return x


# ------------------------------------------------------------------------------------------- records


def to_record(obj: Any) -> Any:
    """A shared type (any dataclass of this module, or a value inside one) as a plain record: the fields
    of the dataclass by their own names, exact numbers as strings, enums by value, dates in ISO form,
    tuples as lists. :func:`from_record` gives it back, equal (``==``) to ``obj``."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {name: _encode_value(getattr(obj, name), exact) for name, exact in _record_fields(type(obj))}
    return _encode(obj, Any)


@functools.lru_cache(maxsize=None)
def _record_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """The dataclass's fields, each with whether it may hold a Decimal (an int in it is then written as
    exact text), looked up once per class."""
    hints = _hints(cls)
    return tuple((f.name, Decimal in (_union_args(hints[f.name]) or ())) for f in dataclasses.fields(cls))


def from_record(cls: type, data: Any) -> Any:
    """The ``cls`` a record of :func:`to_record` stands for; a field missing from the record takes its
    default. Raises TypeError or ValueError for a record of another shape."""
    return _record_decoder(cls)(data)


@functools.lru_cache(maxsize=None)
def _record_decoder(cls: type) -> Any:
    """The function that rebuilds a ``cls`` from its record, its fields' decoders (:func:`_decoder`)
    looked up once per class."""
    cls_name = cls.__name__
    decoders: tuple = ()

    def decode(data: Any) -> Any:
        nonlocal decoders
        if not isinstance(data, dict):
            raise TypeError(f"a {cls_name} record is a dict, not {type(data).__name__}")
        if not decoders:  # made on first use, so that a type naming itself is no endless recursion
            hints = _hints(cls)
            decoders = tuple((name, _decoder_of(hints[name]), _kept_as_is(hints[name])) for name in _init_fields(cls))
        # a value of a type its decoder gives back unchanged is taken as it is, without the call
        return cls(**{name: x if type(x := data[name]) in same else dec(x) for name, dec, same in decoders
                      if name in data})

    return decode


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@functools.lru_cache(maxsize=None)
def _init_fields(cls: type) -> tuple[str, ...]:
    """The names of the dataclass's fields ``__init__`` takes, in order (looked up once per class)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def _union_args(hint: Any) -> tuple | None:
    try:
        return _union_args_of(hint)
    except TypeError:  # a hint that cannot be a cache key
        return _union_args_of.__wrapped__(hint)


@functools.lru_cache(maxsize=None)
def _union_args_of(hint: Any) -> tuple | None:
    if typing.get_origin(hint) in (Union, types.UnionType):
        return typing.get_args(hint)
    return None


def _encode(x: Any, hint: Any) -> Any:
    return _encode_value(x, hint is not Any and Decimal in (_union_args(hint) or ()))


_PLAIN = frozenset((str, float, bool))


def _encode_value(x: Any, exact: bool) -> Any:
    """``x`` as a record's value; ``exact``: its field may hold a Decimal."""
    if x is None or type(x) in _PLAIN:
        return x
    if isinstance(x, Enum):
        return x.value
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, int) and not isinstance(x, bool) and exact:
        return str(x)  # a number that may be a Decimal: exact text both ways
    if isinstance(x, (_dt.date, _dt.datetime)):
        return x.isoformat()
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return to_record(x)
    if isinstance(x, (list, tuple)):
        return [_encode(v, Any) for v in x]
    if isinstance(x, dict):
        return {k: _encode(v, Any) for k, v in x.items()}
    return x


def _decode(x: Any, hint: Any) -> Any:
    """``x`` (a record's value) as the type ``hint`` names (:func:`_decoder`)."""
    return _decoder_of(hint)(x)


def _decoder_of(hint: Any) -> Any:
    try:
        return _decoder(hint)
    except TypeError:  # a hint that cannot be a cache key
        return functools.partial(_decode_slow_of, hint)


def _same(x: Any) -> Any:
    return x


@functools.lru_cache(maxsize=None)
def _decoder(hint: Any) -> Any:
    """A function doing what :func:`_decode_slow` does for ``hint``, with every question about the hint
    (a union? of what? a list of what?) answered once, when it is made, rather than for every value."""
    if hint is Any:
        return _same
    args = _union_args(hint)
    if args is not None:
        allows_none = type(None) in args
        exact = Decimal in args
        options = [a for a in args if a is not type(None)]
        first = _decoder_of(options[0])
        plains = () if len(options) == 1 else tuple(p for a in options if (p := _plain_type(a)) is not None)

        def union(x: Any) -> Any:
            if x is None:
                if allows_none:
                    return None
                raise TypeError("None where a value is required")
            if exact and isinstance(x, str):
                return _exact_number(x)
            for p in plains:
                if _is(x, p):
                    return x
            return first(x)

        return union
    origin, hint_args = _origin(hint)
    if origin is tuple:
        items = hint_args
        if len(items) == 2 and items[1] is Ellipsis:
            item = _decoder_of(items[0])

            def var_tuple(x: Any) -> Any:
                if not isinstance(x, list):
                    raise TypeError(f"a list, not {type(x).__name__}")
                return tuple(item(v) for v in x)

            return var_tuple
        decs = tuple(_decoder_of(t) for t in items)
        sames = {_kept_as_is(t) for t in items}
        same = sames.pop() if len(sames) == 1 else frozenset()  # every item kept as it is for these types

        def fixed_tuple(x: Any) -> Any:
            if not isinstance(x, list):
                raise TypeError(f"a list, not {type(x).__name__}")
            if len(decs) != len(x):
                raise ValueError(f"{len(decs)} items, not {len(x)}")
            if same and set(map(type, x)) <= same:
                return tuple(x)
            return tuple(d(v) for d, v in zip(decs, x))

        return fixed_tuple
    if origin is list:
        (item_hint,) = hint_args or (Any,)
        item = _decoder_of(item_hint)

        def a_list(x: Any) -> Any:
            if not isinstance(x, list):
                raise TypeError(f"a list, not {type(x).__name__}")
            return [item(v) for v in x]

        return a_list
    if origin is dict or hint is dict:
        def a_dict(x: Any) -> Any:
            if not isinstance(x, dict):
                raise TypeError(f"a dict, not {type(x).__name__}")
            return x

        return a_dict
    if isinstance(hint, type) and not issubclass(hint, Enum) and not dataclasses.is_dataclass(hint) \
            and hint not in (_dt.date, Decimal, float):
        name = hint.__name__

        def plain_value(x: Any) -> Any:
            if not _is(x, hint):
                raise TypeError(f"a {name}, not {type(x).__name__}")
            return x

        return plain_value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and not issubclass(hint, Enum):
        return _record_decoder(hint)
    if hint is float:
        def a_float(x: Any) -> Any:
            if _is(x, int):
                return float(x)
            if not _is(x, float):
                raise TypeError(f"a float, not {type(x).__name__}")
            return x

        return a_float
    return functools.partial(_decode_slow_of, hint)


def _kept_as_is(hint: Any) -> frozenset:
    """The types whose values the decoder of ``hint`` gives back unchanged (some of them: a value of
    another type goes through the decoder, which gives it back or converts or refuses it)."""
    try:
        return _kept_as_is_of(hint)
    except TypeError:  # a hint that cannot be a cache key
        return frozenset()


@functools.lru_cache(maxsize=None)
def _kept_as_is_of(hint: Any) -> frozenset:
    args = _union_args(hint)
    if args is not None:
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            out = set(_kept_as_is(options[0]))
        else:
            out = {p for a in options if (p := _plain_type(a)) is not None}
        if Decimal in args:
            out.discard(str)  # exact text: made a number
        if type(None) in args:
            out.add(type(None))
        return frozenset(out)
    if hint is float:
        return frozenset((float,))
    if (isinstance(hint, type) and _origin(hint)[0] is None and not issubclass(hint, Enum)
            and not dataclasses.is_dataclass(hint) and hint not in (_dt.date, Decimal, dict)):
        return frozenset((hint,))  # str, int, bool, …: checked with isinstance and given back
    return frozenset()


def _decode_slow_of(hint: Any, x: Any) -> Any:
    return _decode_slow(x, hint)


def _decode_slow(x: Any, hint: Any) -> Any:
    if hint is Any:
        return x
    args = _union_args(hint)
    if args is not None:
        if x is None:
            if type(None) in args:
                return None
            raise TypeError("None where a value is required")
        if Decimal in args and isinstance(x, str):
            return _exact_number(x)
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _decode(x, options[0])
        for a in options:
            if _plain_type(a) is not None and _is(x, _plain_type(a)):
                return x
        return _decode(x, options[0])
    origin, hint_args = _origin(hint)
    if origin is tuple:
        items = hint_args
        if not isinstance(x, list):
            raise TypeError(f"a list, not {type(x).__name__}")
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(_decode(v, items[0]) for v in x)
        if len(items) != len(x):
            raise ValueError(f"{len(items)} items, not {len(x)}")
        return tuple(_decode(v, t) for v, t in zip(x, items))
    if origin is list:
        (item,) = hint_args or (Any,)
        if not isinstance(x, list):
            raise TypeError(f"a list, not {type(x).__name__}")
        return [_decode(v, item) for v in x]
    if origin is dict or hint is dict:
        if not isinstance(x, dict):
            raise TypeError(f"a dict, not {type(x).__name__}")
        return x
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return hint(x)
        if hint is _dt.date:
            if not isinstance(x, str):
                raise TypeError(f"a date is a string, not {type(x).__name__}")
            return _dt.date.fromisoformat(x)
        if dataclasses.is_dataclass(hint):
            return from_record(hint, x)
        if hint is Decimal:
            return Decimal(x)
        if hint is float and _is(x, int):
            return float(x)
        if not _is(x, hint):
            raise TypeError(f"a {hint.__name__}, not {type(x).__name__}")
    return x


def _origin(hint: Any) -> tuple:
    """``typing.get_origin`` and ``typing.get_args`` of a hint (once per hint)."""
    try:
        return _origin_of(hint)
    except TypeError:  # a hint that cannot be a cache key
        return _origin_of.__wrapped__(hint)


@functools.lru_cache(maxsize=None)
def _origin_of(hint: Any) -> tuple:
    return typing.get_origin(hint), typing.get_args(hint)


def _plain_type(hint: Any) -> type | None:
    return hint if isinstance(hint, type) and hint in (str, int, float, bool) else None


def _is(x: Any, typ: type) -> bool:
    return isinstance(x, typ) and not (isinstance(x, bool) and typ is not bool)


def _exact_number(text: str) -> int | Decimal:
    """A number written as exact text: an int when written without a point, else the Decimal as written."""
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() and "." not in text and "E" not in text.upper() else d


# ------------------------------------------------------------------------------- records, kept exactly

_TAGS = ("\0text", "\0decimal", "\0tuple")


def to_records(items: list) -> list | None:
    """Dataclasses of this module (findings, checks) as records that :func:`from_records` gives back equal
    (``==``), unlike :func:`to_record`, which keeps the values of a field typed ``Any`` or ``dict`` as plain
    JSON: here such a value is tagged by type (a Text, a Decimal, a tuple). None when one of them holds a
    value no record keeps exactly (an enum, a date, a set, a number of another type, …), or the records do not
    give the items back."""
    try:
        out = []
        for obj in items:
            hints = _hints(type(obj))
            out.append({f.name: (_tag(getattr(obj, f.name)) if _loose(hints[f.name])
                                 else _encode(getattr(obj, f.name), hints[f.name])) for f in dataclasses.fields(obj)})
        if not items or from_records(type(items[0]), json.loads(json.dumps(out))) == list(items):
            return out  # given back equal after a trip through JSON, as the cache stores them
    except (TypeError, ValueError):
        pass
    return None


def from_records(cls: type, data: Any) -> list:
    """The list of ``cls`` that :func:`to_records` wrote. Raises TypeError or ValueError for another shape."""
    if not isinstance(data, list):
        raise TypeError(f"records are a list, not {type(data).__name__}")
    hints = _hints(cls)
    out = []
    for rec in data:
        if not isinstance(rec, dict):
            raise TypeError(f"a {cls.__name__} record is a dict, not {type(rec).__name__}")
        out.append(cls(**{name: (_untag(rec[name]) if _loose(hints[name]) else _decode(rec[name], hints[name]))
                          for name in _init_fields(cls) if name in rec}))
    return out


@functools.lru_cache(maxsize=None)
def _loose(hint: Any) -> bool:
    """A field whose values carry no type of their own (``Any``, ``dict``, ``list[dict]``)."""
    args = _union_args(hint) or (hint,)
    return any(a is Any or a is dict or typing.get_origin(a) in (dict, list) for a in args)


def _tag(x: Any) -> Any:
    if x is None or type(x) in (str, int, float, bool):
        return x
    if type(x) is Text:
        return {"\0text": [x.zh, x.en]}
    if type(x) is Decimal:
        return {"\0decimal": str(x)}
    if type(x) is tuple:
        return {"\0tuple": [_tag(v) for v in x]}
    if type(x) is list:
        return [_tag(v) for v in x]
    if type(x) is dict and all(type(k) is str and k not in _TAGS for k in x):
        return {k: _tag(v) for k, v in x.items()}
    raise TypeError(f"no exact record for a {type(x).__name__}")


def _untag(x: Any) -> Any:
    if isinstance(x, list):
        return [_untag(v) for v in x]
    if not isinstance(x, dict):
        return x
    if len(x) == 1:
        (k, v), = x.items()
        if k == "\0text":
            zh, en = v
            return Text(str(zh), str(en))
        if k == "\0decimal":
            return Decimal(str(v))
        if k == "\0tuple":
            return tuple(_untag(i) for i in v)
    return {k: _untag(v) for k, v in x.items()}


def fields_to_record(fields: Fields) -> dict | None:
    """Fields with everything the extraction noticed beside the values, as a record that
    :func:`fields_from_record` gives back equal (values and every attribute); None when it would not."""
    try:
        rec = {
            "values": {k: to_record(v) for k, v in fields.items()},
            "format": fields.format, "format_by_labels": fields.format_by_labels,
            "notes": [to_record(t) for t in fields.notes],
            "not_assessable": {k: to_record(t) for k, t in fields.not_assessable.items()},
            "missing_rows": {k: list(v) for k, v in fields.missing_rows.items()},
            "variants": {k: [to_record(t) for t in v] for k, v in fields.variants.items()},
            "identity_resolved": dict(fields.identity_resolved),
            "identities_used": {k: list(v) for k, v in fields.identities_used.items()},
            "stated_figures": [to_record(s) for s in fields.stated_figures],
            "readings": {k: to_record(r) for k, r in fields.readings.items()},
        }
        back = fields_from_record(json.loads(json.dumps(rec)))
    except (TypeError, ValueError, KeyError):
        return None
    same = back == fields and type(back) is type(fields) and vars(back) == vars(fields)
    return rec if same else None


def fields_from_record(data: Any) -> Fields:
    """The Fields that :func:`fields_to_record` wrote. Raises TypeError, ValueError or KeyError for another shape."""
    if not isinstance(data, dict):
        raise TypeError(f"a Fields record is a dict, not {type(data).__name__}")

    def strs(x: Any) -> list[str]:
        if not isinstance(x, list) or not all(isinstance(i, str) for i in x):
            raise TypeError("a list of strings")
        return list(x)

    def opt_str(x: Any) -> str | None:
        if x is not None and not isinstance(x, str):
            raise TypeError("a string")
        return x

    def mapping(x: Any) -> dict:
        if not isinstance(x, dict):
            raise TypeError("a mapping")
        return x

    values = mapping(data["values"])
    fields = Fields({k: from_record(Value, v) for k, v in values.items()}, format=opt_str(data["format"]),
                    notes=[from_record(Text, t) for t in data["notes"]])
    fields.format_by_labels = opt_str(data["format_by_labels"])
    fields.not_assessable = {k: from_record(Text, t) for k, t in mapping(data["not_assessable"]).items()}
    fields.missing_rows = {k: strs(v) for k, v in mapping(data["missing_rows"]).items()}
    fields.variants = {k: [from_record(Text, t) for t in v] for k, v in mapping(data["variants"]).items()}
    fields.identity_resolved = {k: opt_str(v) for k, v in mapping(data["identity_resolved"]).items()}
    fields.identities_used = {k: strs(v) for k, v in mapping(data["identities_used"]).items()}
    fields.stated_figures = [from_record(StatedFigure, s) for s in data["stated_figures"]]
    fields.readings = {k: from_record(TableReading, r) for k, r in mapping(data["readings"]).items()}
    return fields
