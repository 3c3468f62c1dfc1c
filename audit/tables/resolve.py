"""Settling a crawler's run-together digits: the one split that the table's identities and the body text allow.

A run of digits (“8855698”) that cuts into its cells several ways is settled, in this order, by

1. figures the body text states for its cells (“现行有效…698件”, “制发…88件”): splits that give another
   value are dropped; a figure no split gives is kept aside as a contradiction between text and table
   (``StatedFigure(outcome="no_split")``) and settles nothing;
2. the identities that lie within the run (a row's 总计 = the sum of its columns; 表四's blocks);
3. the identities across runs (表三's column sums, its balance), over every combination of the runs still
   open: a run is settled when every consistent combination cuts it the same way.

The identities are the strict ``sum`` and ``balance`` rules of ``rules.yaml`` bound as the checks bind them,
each named as the checks name it (``T3-COL-SUM[col=natural]``). One that settled a run holds there by
construction: it is recorded in ``identities_used`` so the checks report it as not independently
assessable. Identities within a run are tried before those across runs, so a run its own row settles
leaves the column sums free to find a real error. None or several consistent splits: the run stays
unreadable (the caller says why, once per table). The search is bounded (``TableSettings.solutions``,
``TableSettings.nodes``).
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from audit import yamlload

from audit.model import StatedFigure, Text, ValueKind
from audit.tables.labels import normalize
from audit.tables.schema import ColumnSchema, RowSchema, TableSchema
from audit.tables.settings import TableSettings
_SIDES = {"sum": (("total", 1), ("parts", -1), ("minus", 1)), "balance": (("left", 1), ("right", -1))}
_VAR = re.compile(r"\{([a-z_]+)\}")
_CLAUSE = re.compile(r"[^。；;，,！？!?\n]+")
_STATED = re.compile(r"(?<![\d.])(\d+)\s*件")
_CORE_HEAD = ("本年度", "本年")
_CORE_TAIL = ("件数", "数量", "数")


@dataclass(frozen=True)
class Identity:
    """One bound instance of a strict identity rule: Σ coef·cell = 0."""

    name: str  # as the checks name it: T3-COL-SUM[col=natural]
    rule: str
    title: Text
    binding: tuple[tuple[str, str], ...]
    terms: tuple[tuple[str, int], ...]

    @property
    def fids(self) -> set[str]:
        return {f for f, _ in self.terms}


@dataclass
class DigitRun:
    """One run of digits and the cells it must fill, with the splits still possible."""

    pairs: list[tuple[RowSchema, ColumnSchema]]
    fids: list[str]
    run: str
    ways: list[list[str]]
    total_ways: int
    stated: list[StatedFigure] = field(default_factory=list)
    narrowed_by_text: bool = False
    identities: list[Identity] = field(default_factory=list)  # the identities that chose its split

    @property
    def settled(self) -> bool:
        return len(self.ways) == 1


# ------------------------------------------------------------------------------------------ identities


@lru_cache(maxsize=1)
def _rules() -> tuple[dict, ...]:
    text = resources.files("audit").joinpath("rules.yaml").read_text(encoding="utf-8")
    data = yamlload.safe_load(text) or {}
    return tuple(r for r in data.get("rules", []) if r.get("strict") and r.get("kind") in _SIDES)


def _templates(rule: dict) -> list[str]:
    out: list[str] = []
    for key, _ in _SIDES[rule["kind"]]:
        v = rule.get(key)
        for it in v if isinstance(v, list) else ([v] if v else []):
            out.extend(it["one_of"] if isinstance(it, dict) else [it])
    return out


def _bindings(ids: list[str], for_each: dict, templates: list[str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = [{}]
    for var, values in for_each.items():
        found: list[str] = []
        for v in values:
            if not re.search(r"[*?\[]", v):
                found.append(v)
                continue
            tpl = next(t for t in templates if "{" + var + "}" in t)
            pieces = []
            for piece in re.split(r"(\{[a-z_]+\})", tpl):
                m = _VAR.fullmatch(piece)
                if m:
                    pieces.append(f"(?P<{var}>.+?)" if m.group(1) == var else r"[^.]+")
                else:
                    pieces.append(re.escape(piece).replace(r"\*", ".*").replace(r"\?", "."))
            rx = re.compile("".join(pieces) + r"\Z")
            for k in ids:
                m = rx.match(k)
                if m and fnmatch.fnmatchcase(m.group(var), v) and m.group(var) not in found:
                    found.append(m.group(var))
        out = [{**b, var: x} for b in out for x in found]
    return out


def _select(ids: list[str], present: set[str], pattern: str) -> list[str]:
    if not re.search(r"[*?\[]", pattern):
        return [pattern]
    return [k for k in ids if fnmatch.fnmatchcase(k, pattern)]


def identities(table: TableSchema, ids: list[str], present: set[str]) -> list[Identity]:
    """The strict identities over ``table``'s cells, bound over the field ids ``ids`` (``present``: those
    with a value or a split to choose), as the checks bind them."""
    out: list[Identity] = []
    for rule in _rules():
        tpls = _templates(rule)
        if not tpls or not all(t.startswith(f"{table.id}.") for t in tpls):
            continue
        for binding in _bindings(ids, rule.get("for_each") or {}, tpls):
            terms: list[tuple[str, int]] = []
            for key, coef in _SIDES[rule["kind"]]:
                items = rule.get(key) or []
                for it in items if isinstance(items, list) else [items]:
                    if isinstance(it, dict):  # one_of: the first alternative the report has
                        alts = [_select(ids, present, _bind(a, binding)) for a in it["one_of"]]
                        chosen = next((a for a in alts if any(f in present for f in a)), alts[0])
                    else:
                        chosen = _select(ids, present, _bind(it, binding))
                    terms.extend((f, coef) for f in chosen)
            if not any(f in present for f, _ in terms):
                continue
            name = f"{rule['id']}[{','.join(f'{k}={v}' for k, v in binding.items())}]" if binding else rule["id"]
            title = rule.get("title") or {}
            out.append(Identity(name, rule["id"], Text(str(title.get("zh", rule["id"])), str(title.get("en", rule["id"]))),
                                tuple(binding.items()), tuple(terms)))
    return out


def _bind(template: str, binding: dict[str, str]) -> str:
    return _VAR.sub(lambda m: binding[m.group(1)], template)


# ---------------------------------------------------------------------------------------- body figures


def _core(col: ColumnSchema) -> list[str]:
    """The words of a column label a sentence uses for it (本年制发件数 → 制发, 现行有效件数 → 现行有效)."""
    out = []
    for k in col.keys:
        k = re.sub(r"（.*?）|\(.*?\)", "", k)
        for h in _CORE_HEAD:
            if k.startswith(h):
                k = k[len(h):]
                break
        for t in _CORE_TAIL:
            if k.endswith(t):
                k = k[: -len(t)]
                break
        if len(k) >= 2:
            out.append(k)
    return list(dict.fromkeys(out))


def _names(row: RowSchema, clause: str) -> bool:
    from audit.tables.runon import label_pattern

    return any(len(k) >= 2 and label_pattern(k).search(clause) for k in row.keys)


def stated_figures(text: str, region: tuple[int, int], run: DigitRun, rows: tuple[RowSchema, ...] = ()
                   ) -> dict[str, list[tuple[int, str, int]]]:
    """field id → (figure, clause, offset) for each clause of the body outside the table's ``region`` that
    names the cell's row (and no other row of ``rows``) and its column's word, and states one figure in 件
    (“…现行有效…文件698件”)."""
    out: dict[str, list[tuple[int, str, int]]] = {}
    for m in _CLAUSE.finditer(text):
        if m.start() < region[1] and m.end() > region[0]:
            continue
        clause = m.group(0)
        figures = _STATED.findall(clause)
        if len(figures) != 1:
            continue
        flat = normalize(clause)
        for (row, col), fid in zip(run.pairs, run.fids):
            if not _names(row, clause) or any(o.id != row.id and _names(o, clause) for o in rows):
                continue
            mine = _core(col)
            others = {c for r, oc in run.pairs if r.id == row.id and oc.id != col.id for c in _core(oc)}
            if mine and any(c in flat for c in mine) and not any(c in flat for c in others if c not in mine):
                out.setdefault(fid, []).append((int(figures[0]), clause.strip(), m.start()))
    return out


# ---------------------------------------------------------------------------------------------- settle


def _num(cell: str) -> Decimal | None:
    try:
        return Decimal(cell)
    except (InvalidOperation, ValueError):
        return None


def _holds(ident: Identity, value) -> bool:
    total = Decimal(0)
    for f, coef in ident.terms:
        v = value(f)
        if v is None:
            return False
        total += coef * v
    return total == 0


def settle(runs: list[DigitRun], known: dict[str, Decimal], idents: list[Identity], text: str,
           region: tuple[int, int], span_of, rows: tuple[RowSchema, ...] = (), *,
           settings: TableSettings) -> None:
    """Narrow each run's ``ways`` by the body's figures, then the identities (see the module doc).
    ``rows``: every row of the table (a clause naming two of them states no one cell's figure)."""
    every = {id(r): list(r.ways) for r in runs}
    for r in runs:
        _by_text(r, text, region, span_of, rows)
    open_fids = {f for r in runs for f in r.fids}
    usable = [i for i in idents if all(f in known or f in open_fids for f in i.fids)]
    for r in runs:  # identities within one run
        local = [i for i in usable if i.fids <= set(r.fids)]
        if not local or len(r.ways) < 2 and not r.narrowed_by_text:
            continue
        before = r.ways
        kept = _keeping(before, local, known, r)
        if not kept and r.narrowed_by_text:
            # the body's figures fit only splits the run's own sums rule out: the text is at odds with the table
            before = every[id(r)]
            kept = _keeping(before, local, known, r)
            r.narrowed_by_text = False
            r.stated = [StatedFigure(s.field, s.value, s.sentence, s.run, "no_split", s.span) for s in r.stated]
        if len(kept) < len(before):
            r.identities.extend(local)
        r.ways = kept
    _joint(runs, known, usable, settings)
    for r in runs:
        for i, s in enumerate(r.stated):
            if s.outcome == "consistent" and r.settled and r.narrowed_by_text and not r.identities:
                r.stated[i] = StatedFigure(s.field, s.value, s.sentence, s.run, "resolved", s.span)


def _keeping(ways: list[list[str]], idents: list[Identity], known: dict[str, Decimal], r: DigitRun) -> list[list[str]]:
    """The ways of ``r`` that keep every identity (each over the run's cells and cells already known)."""
    at = {f: i for i, f in enumerate(r.fids)}
    compiled = []
    for ident in idents:
        const, terms = Decimal(0), []
        for f, coef in ident.terms:
            if f in at:
                terms.append((at[f], coef))
            elif f in known:
                const += coef * known[f]
            else:
                return []
        compiled.append((const, terms))
    out = []
    for w in ways:
        nums = [_num(c) for c in w]
        if any(n is None for n in nums):
            continue
        if all(const + sum(coef * nums[i] for i, coef in terms) == 0 for const, terms in compiled):
            out.append(w)
    return out


def _by_text(r: DigitRun, text: str, region: tuple[int, int], span_of, rows: tuple[RowSchema, ...]) -> None:
    if len(r.ways) < 2:
        return
    for fid, found in stated_figures(text, region, r, rows).items():
        values = {v for v, _, _ in found}
        if len(values) != 1:
            continue  # the text gives two figures for the cell: it settles nothing
        value, clause, at = found[0]
        i = r.fids.index(fid)
        kept = [w for w in r.ways if _num(w[i]) == value]
        outcome = "consistent" if kept else "no_split"
        r.stated.append(StatedFigure(fid, value, clause, r.run, outcome, span_of(at, at + len(clause))))
        if kept and len(kept) < len(r.ways):
            r.ways, r.narrowed_by_text = kept, True


def _joint(runs: list[DigitRun], known: dict[str, Decimal], usable: list[Identity], settings: TableSettings) -> None:
    """Every combination of the open runs' splits that keeps the identities across them: a run cut the
    same way in all of them is settled."""
    open_runs = [r for r in runs if len(r.ways) > 1]
    if not open_runs:
        return
    known = dict(known)
    for r in runs:
        if r.settled:
            known.update({f: v for f, v in zip(r.fids, map(_num, r.ways[0])) if v is not None})
    where = {f: n for n, r in enumerate(open_runs) for f in r.fids}
    eqs = [i for i in usable if any(f in where for f in i.fids) and all(f in where or f in known for f in i.fids)]
    eqs = [i for i in eqs if len({where[f] for f in i.fids if f in where}) > 1
           or not i.fids <= set(open_runs[where[next(f for f in i.fids if f in where)]].fids)]
    if not eqs:
        return
    linked = sorted({where[f] for i in eqs for f in i.fids if f in where})
    order = [open_runs[n] for n in linked]
    pos = {id(r): k for k, r in enumerate(order)}
    check_at: dict[int, list[Identity]] = {}
    for i in eqs:
        last = max(pos[id(open_runs[where[f]])] for f in i.fids if f in where)
        check_at.setdefault(last, []).append(i)
    vals = [[[_num(c) for c in w] for w in r.ways] for r in order]
    solutions: list[list[int]] = []
    nodes = 0
    assign: list[int] = []

    def value(f: str) -> Decimal | None:
        if f in where:
            k = pos[id(open_runs[where[f]])]
            if k >= len(assign):
                return None
            return vals[k][assign[k]][order[k].fids.index(f)]
        return known.get(f)

    def go(k: int) -> None:
        nonlocal nodes
        if len(solutions) > settings.solutions or nodes > settings.nodes:
            return
        if k == len(order):
            solutions.append(list(assign))
            return
        for w in range(len(order[k].ways)):
            nodes += 1
            assign.append(w)
            if all(_holds(i, value) for i in check_at.get(k, [])):
                go(k + 1)
            assign.pop()

    go(0)
    if not solutions or len(solutions) > settings.solutions or nodes > settings.nodes:
        if not solutions:
            for r in order:
                r.ways = []  # no combination keeps the identities: nothing is settled
        return
    for k, r in enumerate(order):
        chosen = {s[k] for s in solutions}
        if len(chosen) == 1:
            way = r.ways[chosen.pop()]
            if len(r.ways) > 1:
                r.identities.extend(i for i in eqs if i.fids & set(r.fids))
            r.ways = [way]


def known_values(values: dict, fids) -> dict[str, Decimal]:
    """The numbers already read for ``fids`` (cells read straight off their cells or settled)."""
    out: dict[str, Decimal] = {}
    for f in fids:
        v = values.get(f)
        if v is not None and v.kind is ValueKind.NUMBER and v.value is not None:
            out[f] = Decimal(v.value)
    return out
