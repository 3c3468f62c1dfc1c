"""The scoring rubric: data (``rubric.yaml``), validated against ``rubric.schema.json``, and the score.

A report starts at ``max`` points. Each finding is charged to one clause: a clause naming its rule id if
any matches, else the first matching clause of the first item that has one; unreadable tables and not-assessable checks are charged to the
items that have ``not_assessable``; an item never loses more than its cap. The grade is the first band
(highest ``min`` first) the total reaches. Findings a reviewer dismissed cost nothing.
"""
from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from audit import yamlload
from audit.errors import RuleFileError
from audit.checks.causes import table_cause
from audit.model import Finding, Outcome, Result

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "rubric.yaml"


def _tuple(x: Any) -> tuple[str, ...] | None:
    if x is None:
        return None
    return (x,) if isinstance(x, str) else tuple(x)


def _num(x: float) -> int | float:
    """Points as plain JSON numbers: ints when whole, else rounded to two decimals."""
    r = round(float(x), 2)
    return int(r) if r == int(r) else r


@dataclass(frozen=True)
class Clause:
    points: float
    kind: tuple[str, ...] | None = None
    severity: tuple[str, ...] | None = None
    rule: tuple[str, ...] | None = None
    label: tuple[str, ...] | None = None

    def matches(self, f: Finding) -> bool:
        if self.kind is not None and f.kind not in self.kind:
            return False
        if self.severity is not None and str(f.severity) not in self.severity:
            return False
        if self.rule is not None and not any(fnmatch.fnmatchcase(f.rule_id, p) for p in self.rule):
            return False
        if self.label is not None and (f.details or {}).get("label") not in self.label:
            return False
        return True


@dataclass(frozen=True)
class Item:
    id: str
    title_zh: str
    title_en: str
    cap: float | None
    clauses: tuple[Clause, ...]
    table_points: dict | float = 0  # per cause (agency, conversion, reading), or one figure for every cause
    check_points: float = 0


@dataclass(frozen=True)
class Band:
    min: float
    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Rubric:
    version: str
    name_zh: str
    name_en: str
    max: float
    items: tuple[Item, ...]
    bands: tuple[Band, ...]  # highest ``min`` first
    file: str  # where it was read from, for messages and the memo

    def charge(self, f: Finding) -> tuple[Item, Clause] | None:
        """The item and clause a finding is charged to: clauses naming its rule id first (the more
        specific), then the others; within each, the first item in order and its first matching clause."""
        for by_rule in (True, False):
            for item in self.items:
                clause = next((c for c in item.clauses if (c.rule is not None) == by_rule and c.matches(f)), None)
                if clause is not None:
                    return item, clause
        return None

    def band(self, total: float) -> Band:
        return next((b for b in self.bands if total >= b.min), self.bands[-1])


# ------------------------------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def _validator():
    """The rubric's JSON Schema validator; jsonschema is imported only for rubric files evaluators bring
    (with its optional format checkers installed, the import costs seconds; the shipped rubric is checked
    against the schema by the test suite)."""
    import jsonschema

    schema = json.loads((HERE / "rubric.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


class _Nodes:
    """The YAML node tree of a text, composed on first use (only an error needs its lines)."""

    def __init__(self, text: str):
        self.text = text

    @property
    def node(self) -> yaml.Node:
        return yaml.compose(self.text, Loader=yamlload.FastSafeLoader)


def _line(root: "_Nodes | yaml.Node", path: Iterable[Any]) -> int:
    """The 1-based line of the YAML node at ``path`` (keys and indices), or of its deepest existing parent."""
    node = root.node if isinstance(root, _Nodes) else root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        else:
            child = None
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _error(name: str, line: int | None, what: str) -> RuleFileError:
    where = f"{name}:{line}" if line else name
    return RuleFileError(f"rubric {where}: {what}")


def _parse(text: str, name: str, schema_check: bool = True) -> Rubric:
    try:
        data = yamlload.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _error(name, mark.line + 1 if mark else None, getattr(exc, "problem", None) or str(exc)) from None
    root = _Nodes(text)  # composed only to name the line of an error
    if not isinstance(data, dict):
        raise _error(name, 1, "expected a mapping with version, name, max, items and bands")
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))) if schema_check else []
    if errors:
        e = errors[0]
        path = ".".join(map(str, e.absolute_path)) or "top level"
        raise _error(name, _line(root, e.absolute_path), f"{path}: {e.message}")
    ids = [it["id"] for it in data["items"]]
    for i, item_id in enumerate(ids):
        if item_id in ids[:i]:
            raise _error(name, _line(root, ["items", i, "id"]), f"item id {item_id!r} appears twice")
    bands = sorted(data["bands"], key=lambda b: -b["min"])
    if bands[-1]["min"] > 0:
        i = data["bands"].index(bands[-1])
        raise _error(name, _line(root, ["bands", i, "min"]), "the lowest band must start at 0 or below")
    items = tuple(
        Item(
            id=it["id"],
            title_zh=it["title"]["zh"],
            title_en=it["title"]["en"],
            cap=it.get("cap"),
            clauses=tuple(
                Clause(points=c["points"], kind=_tuple(c.get("kind")), severity=_tuple(c.get("severity")),
                       rule=_tuple(c.get("rule")), label=_tuple(c.get("label")))
                for c in it.get("findings", [])
            ),
            table_points=it.get("not_assessable", {}).get("table", 0),
            check_points=it.get("not_assessable", {}).get("check", 0),
        )
        for it in data["items"]
    )
    return Rubric(
        version=str(data["version"]),
        name_zh=data["name"]["zh"],
        name_en=data["name"]["en"],
        max=data["max"],
        items=items,
        bands=tuple(Band(min=b["min"], id=b["id"], zh=b["zh"], en=b["en"]) for b in bands),
        file=name,
    )


@lru_cache(maxsize=8)
def _load(path: Path, stamp: tuple[int, int]) -> Rubric:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"rubric {path}: cannot read it ({exc.__class__.__name__})") from None
    shipped = path == DEFAULT
    return _parse(text, "rubric.yaml (shipped)" if shipped else str(path), schema_check=not shipped)


def load_rubric(path: str | Path | None = None) -> Rubric:
    """The shipped rubric, or an evaluator's own from ``path``. Raises ``RuleFileError`` naming file and line."""
    path = Path(path).resolve() if path is not None else DEFAULT
    try:
        stat = path.stat()
    except OSError as exc:
        raise RuleFileError(f"rubric {path}: cannot read it ({exc.__class__.__name__})") from None
    return _load(path, (stat.st_mtime_ns, stat.st_size))  # an edited file is read again


# ------------------------------------------------------------------------------------------- scoring


def dismissed(reviews: Mapping[str, Mapping] | None) -> set[str]:
    """Fingerprints of the findings a reviewer dismissed."""
    return {fp for fp, r in (reviews or {}).items() if r.get("decision") == "dismiss"}


def score(result: Result, rubric: Rubric | None = None, reviews: Mapping[str, Mapping] | None = None) -> dict:
    """Points lost per rubric item, the total and the grade band. Deterministic: follows the order of
    ``result.findings`` and ``result.checks``; tables are taken in id order."""
    rubric = rubric or load_rubric()
    skip = dismissed(reviews)
    charged: dict[str, list[dict]] = {it.id: [] for it in rubric.items}
    unscored: list[str] = []
    for f in result.findings:
        if f.fingerprint in skip:
            continue
        hit = rubric.charge(f)
        if hit is None:
            unscored.append(f.fingerprint)
            continue
        item, clause = hit
        charged[item.id].append({"fingerprint": f.fingerprint, "rule_id": f.rule_id, "points": _num(clause.points)})
    unreadable = result.fields.not_assessable if result.fields is not None else {}
    blind = [c for c in result.checks if c.outcome is Outcome.NOT_ASSESSABLE]
    causes = {t: table_cause(result.document, result.fields, t) for t in unreadable}
    for item in rubric.items:
        if item.table_points:
            for t in sorted(unreadable):
                pts = item.table_points
                pts = pts.get(causes[t], 0) if isinstance(pts, dict) else pts
                charged[item.id].append({"table": t, "cause": causes[t], "points": _num(pts)})
        if item.check_points:
            charged[item.id] += [{"rule_id": c.rule_id, "points": _num(item.check_points)} for c in blind]
    items = []
    for item in rubric.items:
        raw = sum(d["points"] for d in charged[item.id])
        lost = raw if item.cap is None else min(raw, item.cap)
        items.append({
            "id": item.id,
            "title": {"zh": item.title_zh, "en": item.title_en},
            "cap": None if item.cap is None else _num(item.cap),
            "lost": _num(lost),
            "raw": _num(raw),
            "deductions": charged[item.id],
        })
    total = max(0.0, rubric.max - sum(i["lost"] for i in items))
    band = rubric.band(total)
    return {
        "rubric": {"version": rubric.version, "name": {"zh": rubric.name_zh, "en": rubric.name_en}, "file": rubric.file},
        "max": _num(rubric.max),
        "total": _num(total),
        "lost": _num(rubric.max - total),
        "grade": {"id": band.id, "zh": band.zh, "en": band.en},
        "items": items,
        "unscored": unscored,
        "dismissed": sorted(skip & {f.fingerprint for f in result.findings}),
    }
