"""Kinds over table cells: sum, balance, compare, range, integer, unit, present, blanks, assessable."""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from audit.checks import explain
from audit.checks.engine import Ctx, Verdict, finding_kind, kind, severity
from audit.checks.localize import Equation
from audit.checks.ruleset import Rule
from audit.checks.select import bind, bindings, select, select_all, templates_of
from audit.model import Finding, Location, Severity, Text, Value, ValueKind

BLANKISH = (ValueKind.BLANK, ValueKind.DASH, ValueKind.NONE_WORD)
_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}


@dataclass
class Term:
    fid: str
    value: Value | None
    coef: int  # +1 on the side of the total / left, −1 on the side of the parts / right


def terms(ctx: Ctx, items: list, binding: dict, coef: int) -> list[Term]:
    """The cells a list of parts names (templates bound, globs expanded, one_of resolved), with a sign."""
    out: list[Term] = []
    for it in items:
        if isinstance(it, dict):  # one_of: the first alternative the report has
            chosen: list = []
            for alt in it["one_of"]:
                got = select(ctx.fields, bind(alt, binding))
                if any(v is not None and v.kind is not ValueKind.MISSING for _, v in got):
                    chosen = got
                    break
                chosen = chosen or got  # none has a number: the first named, to say what is missing
            out.extend(Term(f, v, coef) for f, v in chosen)
        else:
            out.extend(Term(f, v, coef) for f, v in select(ctx.fields, bind(it, binding)))
    return out


def _tolerance(terms: list[Term]) -> Decimal:
    tol = Decimal(0)
    for t in terms:
        if t.value is not None and isinstance(t.value.value, Decimal) and t.value.value.as_tuple().exponent < 0:
            tol += Decimal(5).scaleb(t.value.value.as_tuple().exponent - 1)
    return tol


def _num(t: Term, blanks_as_zero: bool):
    if t.value is not None and t.value.is_number:
        return t.value.value
    return 0 if blanks_as_zero else None


def _instance_name(rule: Rule, binding: dict) -> str:
    return f"{rule.id}[{','.join(f'{k}={v}' for k, v in binding.items())}]" if binding else rule.id


def _fallback_labels(loc, binding: dict) -> None:
    if loc.row_label is None and loc.column_label is None:
        for var, val in binding.items():
            if var == "col":
                loc.column_label = val
            else:
                loc.row_label = val


@dataclass
class _Instance:
    name: str  # the rule's id and binding: T3-COL-SUM[col=natural] (localisation, details)
    terms: list[Term]
    missing: list[str]
    unreadable: list[str]
    blanks: list[str]
    loc: Location  # where it sits, for a reader

    def where(self) -> Text:
        return explain.where_text(self.loc)

    def cells(self, ctx: Ctx, ids: list[str]) -> Text:
        return explain.cells_text(ctx.fields, ids, self.loc)


def _instance(rule: Rule, ctx: Ctx, binding: dict, terms: list[Term]) -> _Instance | None:
    if not any(t.value is not None for t in terms):
        return None  # the report has none of these cells (e.g. no 小计 column): no such instance
    return _Instance(
        name=_instance_name(rule, binding), terms=terms,
        missing=[t.fid for t in terms if t.value is None or t.value.kind is ValueKind.MISSING],
        unreadable=[t.fid for t in terms if t.value is not None and t.value.kind is ValueKind.UNREADABLE],
        blanks=[t.fid for t in terms if t.value is not None and t.value.kind in BLANKISH],
        loc=explain.binding_location(ctx.fields, [t.fid for t in terms], binding),
    )


def _cannot(ctx: Ctx, inst: _Instance) -> Text | None:
    where = inst.where()
    if inst.missing:
        cells = inst.cells(ctx, inst.missing)
        return Text(f"{where.zh}：报告中没有{cells.zh}", f"{where.en}: not in the report: {cells.en}")
    if inst.unreadable:
        cells = inst.cells(ctx, inst.unreadable)
        return Text(f"{where.zh}：{cells.zh}无法读取", f"{where.en}: unreadable: {cells.en}")
    return None


def _blank_reason(ctx: Ctx, inst: _Instance, note: Text | None = None) -> Text:
    where, cells = inst.where(), inst.cells(ctx, inst.blanks)
    return Text(f"{where.zh}：{cells.zh}为空白", f"{where.en}: blank {cells.en}") + (note or Text("", ""))


def _blanks_could_hold(inst: _Instance, residual) -> bool:
    """With the blank cells unknown counts (≥ 0): could some values of them make Σ(+) = Σ(−)?
    ``residual`` is Σ(+) − Σ(−) with the blanks left out."""
    signs = {t.coef > 0 for t in inst.terms if t.fid in inst.blanks}
    if signs == {True, False}:
        return True  # blanks on both sides: any difference can be made up
    tol = _tolerance(inst.terms)
    if signs == {True}:
        return residual <= tol  # blanks add to the + side: it must not already exceed the − side
    return residual >= -tol


def _sides(inst: _Instance, blanks_as_zero: bool):
    left = sum((_num(t, blanks_as_zero) for t in inst.terms if t.coef > 0), 0)
    right = sum((_num(t, blanks_as_zero) for t in inst.terms if t.coef < 0), 0)
    return left, right


def _equation(rule: Rule, inst: _Instance) -> Equation:
    coefs: dict[str, int] = {}
    for t in inst.terms:
        coefs[t.fid] = coefs.get(t.fid, 0) + t.coef
    residual = sum((Fraction(t.value.value) * t.coef for t in inst.terms), Fraction(0))
    return Equation(name=inst.name, rule_id=rule.id, coefs=coefs, residual=residual)


def _identity(rule: Rule, ctx: Ctx, spec_sides: tuple[tuple[str, int], ...]) -> Verdict:
    """sum and balance: Σ(+side) = Σ(−side) for every binding."""
    v = Verdict()
    spec = rule.spec
    tpls = templates_of(spec, tuple(k for k, _ in spec_sides))
    all_hold = spec.get("fire_when") == "all_hold"
    held: list[_Instance] = []
    for binding in bindings(ctx.fields, spec.get("for_each", {}), tpls):
        cells: list[Term] = []
        for key, coef in spec_sides:
            items = spec.get(key, [])
            cells += terms(ctx, items if isinstance(items, list) else [items], binding, coef)
        inst = _instance(rule, ctx, binding, cells)
        if inst is None:
            continue
        if inst.name in getattr(ctx.fields, "identities_used", {}):
            # the tables stage chose a crawler's digit split by this very identity: it holds by construction
            where = inst.where()
            v.unassessable.append(Text(f"{where.zh}：该关系已用于确定连写数字的拆分，不能独立核对",
                                       f"{where.en}: this identity chose the split of run-together digits; "
                                       "not independently assessable"))
            continue
        why = _cannot(ctx, inst)
        if why:
            v.unassessable.append(why)
            continue
        left, right = _sides(inst, blanks_as_zero=True)
        holds = abs(left - right) <= _tolerance(inst.terms)
        if all_hold:
            if inst.blanks:
                v.unassessable.append(_blank_reason(ctx, inst))
            elif not any(t.value.value for t in inst.terms if t.value is not None and t.value.is_number):
                pass  # a row of zeros (0 + 0 = 0) holds any pattern: no evidence either way
            elif holds:
                held.append(inst)
            else:
                v.passed += 1
            continue
        if inst.blanks:
            # a blank is 未填, not 0: the identity is checked only if no value of the blanks could make it
            # hold (they are counts, so ≥ 0); otherwise it is not assessable, and BLANK-CELLS names the cells
            if _blanks_could_hold(inst, left - right):
                v.unassessable.append(_blank_reason(ctx, inst, Text(
                    "（未填，无法核对）", " (left unfilled: cannot be checked)")))
                v.blocked.append((inst.name, inst.blanks))
            else:
                v.findings.append(_identity_finding(rule, ctx, inst, binding, left, right, blanks=True))
            continue
        if rule.get("strict"):
            v.equations.append(_equation(rule, inst))
        if holds:
            v.passed += 1
        else:
            v.findings.append(_identity_finding(rule, ctx, inst, binding, left, right, blanks=False))
    if all_hold:
        if held and v.passed == 0 and len(held) >= spec.get("min_instances", 1):
            v.findings.append(_pattern_finding(rule, ctx, held))
        else:
            v.passed += len(held)
    return v


@kind("sum")
def _sum(rule: Rule, ctx: Ctx) -> Verdict:
    return _identity(rule, ctx, (("total", 1), ("parts", -1), ("minus", 1)))


@kind("balance")
def _balance(rule: Rule, ctx: Ctx) -> Verdict:
    return _identity(rule, ctx, (("left", 1), ("right", -1)))


def _identity_finding(rule: Rule, ctx: Ctx, inst: _Instance, binding: dict, left, right, blanks: bool) -> Finding:
    ids = [t.fid for t in inst.terms]
    loc = explain.location(ctx.fields, ids, anchor=ids[0])
    _fallback_labels(loc, binding)
    where_zh, where_en = explain.where(loc, "zh"), explain.where(loc, "en")
    nonzero = [(t.fid, t.value) for t in inst.terms if t.coef < 0 and t.value is not None and t.value.is_number
               and t.value.value]
    listed_zh = "、".join(f"{explain.short_label(loc, f, v)} {explain.show(v.value)}" for f, v in nonzero[:8]) or "均为0"
    listed_en = ", ".join(f"{explain.short_label(loc, f, v)} {explain.show(v.value)}" for f, v in nonzero[:8]) or "all 0"
    diff = explain.show(abs(left - right))
    if rule.kind == "sum":
        head = inst.terms[0]
        lbl = explain.short_label(loc, head.fid, head.value)
        zh = (f"{where_zh}：{lbl}填报{explain.show(left)}，但各分项之和为{explain.show(right)}"
              f"（非零分项：{listed_zh}），相差{diff}。")
        en = (f"{where_en}: {lbl} says {explain.show(left)}, but its parts add up to {explain.show(right)} "
              f"(non-zero parts: {listed_en}), a difference of {diff}.")
        expected, found = right, left
    else:
        lt = "、".join(explain.short_label(loc, t.fid, t.value) for t in inst.terms if t.coef > 0)
        rt = "、".join(explain.short_label(loc, t.fid, t.value) for t in inst.terms if t.coef < 0)
        zh = f"{where_zh}：{lt}之和为{explain.show(left)}，{rt}之和为{explain.show(right)}，两者应相等。"
        en = f"{where_en}: {lt} add up to {explain.show(left)}, {rt} to {explain.show(right)}; they should be equal."
        expected, found = right, left
    sev = severity(rule)
    if blanks:
        shown = explain.cells_text(ctx.fields, inst.blanks, loc)
        zh += f"（{shown.zh}未填；无论填入什么数字，这一关系都不能成立。）"
        en += f" ({shown.en} left unfilled; no count written there could make this identity hold.)"
    return Finding(rule_id=rule.id, severity=sev, kind=finding_kind(rule, "numeric"), message_zh=zh, message_en=en,
                   location=loc, expected=expected, found=found,
                   details={"identity": inst.name, "reading": "blanks_unknown" if blanks else "as_reported",
                            "blank_fields": inst.blanks,
                            "cells": {t.fid: t.value.value if t.value else None for t in inst.terms}})


def _pattern_finding(rule: Rule, ctx: Ctx, held: list[_Instance]) -> Finding:
    """A pattern that holds in every row (e.g. decisions = prev + change): one finding naming the rows,
    each with its figures, so a reader sees the pattern without opening the table."""
    ids = [t.fid for inst in held for t in inst.terms]
    loc = explain.location(ctx.fields, ids, anchor=ids[0])
    shown = {}
    for inst in held:
        total = next(t for t in inst.terms if t.coef > 0)
        parts = ""
        for t in (t for t in inst.terms if t.coef < 0):
            x = t.value.value
            parts += explain.show(x) if not parts else (f" − {explain.show(-x)}" if x < 0 else f" + {explain.show(x)}")
        label = total.value.row_label or total.fid
        shown[label] = f"{parts} = {explain.show(total.value.value)}"
    zh = f"{rule.title_zh}（" + "；".join(f"{k} {v}" for k, v in shown.items()) + "），可能把各栏读错或填错。"
    en = f"{rule.title_en} (" + "; ".join(f"{k} {v}" for k, v in shown.items()) + \
        "); the columns may have been misread or misfilled."
    return Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "numeric"), message_zh=zh,
                   message_en=en, location=loc, expected=None, found=shown,
                   details={"instances": [i.name for i in held]})


@kind("compare")
def _compare(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    spec = rule.spec
    op = _OPS[spec["op"]]
    tpls = [spec["left"]] + ([spec["right"]] if isinstance(spec["right"], str) else [])
    for binding in bindings(ctx.fields, spec.get("for_each", {}), tpls):
        lid = bind(spec["left"], binding)
        rid = bind(spec["right"], binding) if isinstance(spec["right"], str) else None
        lv = ctx.fields.get(lid)
        rv = ctx.fields.get(rid) if rid else None
        if lv is None and (rid is None or rv is None):
            continue
        name = _instance_name(rule, binding)
        cells = [(lid, lv)] + ([(rid, rv)] if rid else [])
        bad = [f for f, x in cells if x is None or not x.is_number]
        if bad:
            loc = explain.binding_location(ctx.fields, [f for f, _ in cells], binding)
            shown = explain.cells_text(ctx.fields, bad, loc)
            v.unassessable.append(Text(f"{explain.where(loc, 'zh')}：{shown.zh}没有数字",
                                       f"{explain.where(loc, 'en')}: no number in {shown.en}"))
            continue
        right = rv.value if rid else spec["right"]
        if op(lv.value, right):
            v.passed += 1
            continue
        ids = [lid] + ([rid] if rid else [])
        loc = explain.location(ctx.fields, ids, anchor=lid)
        _fallback_labels(loc, binding)
        ll = explain.cell_label(lid, lv)
        rl = explain.cell_label(rid, rv) if rid else explain.show(right)
        zh = f"{explain.where(loc, 'zh')}：{ll}为{explain.show(lv.value)}，应{spec['op']} {rl}（{explain.show(right)}）。"
        en = f"{explain.where(loc, 'en')}: {ll} is {explain.show(lv.value)}; it should be {spec['op']} {rl} ({explain.show(right)})."
        v.findings.append(Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "numeric"),
                                  message_zh=zh, message_en=en, location=loc,
                                  expected=f"{spec['op']} {explain.show(right)}", found=lv.value,
                                  details={"identity": name}))
    return v


def _cells(rule: Rule, ctx: Ctx) -> list[tuple[str, Value | None]]:
    return select_all(ctx.fields, rule.spec["fields"], rule.spec.get("exclude", []))


def _per_table(rule: Rule, ctx: Ctx, bad: list[tuple[str, Value]], zh: str, en: str, found) -> list[Finding]:
    """One finding per table listing the offending cells."""
    out = []
    tables: dict[str | None, list[tuple[str, Value]]] = {}
    for f, x in bad:
        tables.setdefault(explain.table_of(f), []).append((f, x))
    for table, cells in tables.items():
        ids = [f for f, _ in cells]
        loc = explain.location(ctx.fields, ids)
        listed_zh = "、".join(f"{explain.cell_label(f, x)}（{x.raw or explain.show(x.value)}）" for f, x in cells)
        listed_en = ", ".join(f"{explain.cell_label(f, x)} ({x.raw or explain.show(x.value)})" for f, x in cells)
        out.append(Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "numeric"),
                           message_zh=f"{explain.table_name(table, 'zh')}：{zh}：{listed_zh}。",
                           message_en=f"{explain.table_name(table, 'en')}: {en}: {listed_en}.",
                           location=loc, expected=None, found=[found(x) for _, x in cells]))
    return out


@kind("range")
def _range(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    lo, hi = rule.get("min"), rule.get("max")
    bad = []
    for f, x in _cells(rule, ctx):
        if x is None or not x.is_number:
            continue
        if (lo is not None and x.value < lo) or (hi is not None and x.value > hi):
            bad.append((f, x))
        else:
            v.passed += 1
    if bad:
        bounds_zh = "、".join(s for s in (f"不应小于{lo}" if lo is not None else "", f"不应大于{hi}" if hi is not None else "") if s)
        bounds_en = " and ".join(s for s in (f"at least {lo}" if lo is not None else "", f"at most {hi}" if hi is not None else "") if s)
        v.findings += _per_table(rule, ctx, bad, f"{rule.title_zh}，以下单元格{bounds_zh}",
                                 f"{rule.title_en}; these cells should be {bounds_en}", lambda x: x.value)
    return v


@kind("integer")
def _integer(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    bad = []
    for f, x in _cells(rule, ctx):
        if x is None or not x.is_number:
            continue
        if isinstance(x.value, Decimal) and x.value != x.value.to_integral_value():
            bad.append((f, x))
        else:
            v.passed += 1
    if bad:
        v.findings += _per_table(rule, ctx, bad, "件数出现小数", "counts with decimals", lambda x: x.value)
    return v


_AMOUNT_HEADER = re.compile(r"(采购总?金额|金额)\s*[（(]?\s*(万元|元)?[）)]?")


def _printed_header(ctx: Ctx, unit: str) -> str | None:
    """The amount header as the report prints it, when it states ``unit`` (采购总金额（万元）); None when the
    report's text never puts the unit beside the header. The tables stage names columns by the official
    format, so only the report's own text is evidence of what its header says."""
    text = ctx.doc.text + "\n" + "\n".join(s.text for s in ctx.doc.sections)
    flat = "".join(text.split())
    for m in _AMOUNT_HEADER.finditer(flat):
        if m.group(2) == unit:
            return m.group(0)
    return None


@kind("unit")
def _unit(rule: Rule, ctx: Ctx) -> Verdict:
    """An amount written in another unit than the one its header prints. Evidence on both sides: the header
    as the report prints it must state the unit, and the cell its own; a header with no unit and a cell
    saying “251000元” contradict nothing."""
    v = Verdict()
    want = rule.spec["unit"]
    bad = []
    printed = _printed_header(ctx, want)
    for f, x in _cells(rule, ctx):
        if x is None or not x.is_number:
            continue
        header = printed or ""
        if x.unit and x.unit != want:
            if printed:
                bad.append((f, x))
            else:
                v.unassessable.append(Text(
                    f"{explain.cell_label(f, x)}：单元格写明单位{x.unit}，表头“{header or '（无）'}”未注明{want}，两者不矛盾",
                    f"{explain.cell_label(f, x)}: the cell gives its unit ({x.unit}); the header “{header or '(none)'}” "
                    f"states no {want}, so nothing is contradicted"))
        else:
            v.passed += 1
    if bad:
        for f, x in bad:
            loc = explain.location(ctx.fields, [f])
            zh = (f"{explain.table_name(loc.table, 'zh')}：表头“{printed}”以{want}为单位，但“{x.row_label or f}”"
                  f"的金额写作“{x.raw}”（单位{x.unit}，未换算）。")
            en = (f"{explain.table_name(loc.table, 'en')}: the header “{printed}” is in {want}, but the amount of "
                  f"“{x.row_label or f}” is written “{x.raw}” (in {x.unit}; not converted).")
            v.findings.append(Finding(rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "numeric"),
                                      message_zh=zh, message_en=en, location=loc, expected=want,
                                      found=f"{explain.show(x.value)} {x.unit}",
                                      details={"header": printed, "raw": x.raw}))
    return v


@kind("present")
def _present(rule: Rule, ctx: Ctx) -> Verdict:
    v = Verdict()
    cells = [(f, x) for f, x in _cells(rule, ctx) if x is not None and x.kind is not ValueKind.MISSING]
    if not cells:
        v.passed = 1
        return v
    ids = [f for f, _ in cells]
    loc = explain.location(ctx.fields, ids)
    rows = list(dict.fromkeys(x.row_label or f for f, x in cells))
    v.findings.append(Finding(
        rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "structure"),
        message_zh=f"{explain.table_name(loc.table, 'zh')}：仍使用已被取代的行（{'、'.join(f'“{r}”' for r in rows)}）；{rule.title_zh}。",
        message_en=f"{explain.table_name(loc.table, 'en')}: a superseded row is still used ({', '.join(f'“{r}”' for r in rows)}); {rule.title_en}.",
        location=loc, expected=None, found=ids))
    return v


NO_CELL_READ = Text("表中没有一个单元格能读出数字（文本层中没有，或以图片形式发布）",
                    "no cell of the table could be read (missing from the text layer, or published as an image)")


def unassessable_tables(ctx: Ctx, tables: list[str]) -> dict[str, Text]:
    """Tables whose cells cannot be checked at all, with the reason."""
    out: dict[str, Text] = {}
    for t in tables:
        if t in ctx.fields.not_assessable:
            out[t] = ctx.fields.not_assessable[t]
            continue
        cells = [x for f, x in ctx.fields.items() if f.startswith(t + ".")]
        if not any(x.is_number for x in cells):
            out[t] = NO_CELL_READ
    return out


@kind("blanks")
def _blanks(rule: Rule, ctx: Ctx) -> Verdict:
    """One finding for the report: every block's blank cells, a column blank in most of its rows named as
    a column (表三“总计”列 left unfilled in 11 rows is one omission, not 11)."""
    v = Verdict()
    # a table none of whose cells was read (an image, not found) is TABLES-ASSESSABLE's; a partly read
    # table's blank cells are still blank cells
    skip = set()
    for t in ("t2", "t3", "t4"):
        cells = [x for f, x in ctx.fields.items() if f.startswith(t + ".")]
        partly = any(x.is_number for x in cells) and any(
            x.kind in (ValueKind.MISSING, ValueKind.UNREADABLE) for x in cells)
        if (t in ctx.fields.not_assessable and not partly) or not any(x.is_number for x in cells):
            skip.add(t)
    blank: list[tuple[str, Value]] = []
    for block in rule.spec["blocks"]:
        cells = [(f, x) for f, x in select(ctx.fields, block) if x is not None]
        if not cells or explain.table_of(cells[0][0]) in skip:
            continue
        here = [(f, x) for f, x in cells if x.kind in BLANKISH]
        if not here:
            v.passed += 1
        blank += [c for c in here if c[0] not in {f for f, _ in blank}]
    if not blank:
        return v
    ids = [f for f, _ in blank]
    loc = explain.location(ctx.fields, ids)
    groups = blank_groups(ctx, blank)
    zh = "；".join(g.zh for g in groups)
    en = "; ".join(g.en for g in groups)
    v.findings.append(Finding(
        rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "structure"),
        message_zh=f"{len(blank)}个单元格未填数字（无则应填0；未填不按0计算）：{zh}。",
        message_en=f"{len(blank)} cell(s) hold no number (0 is expected when there is none; an unfilled cell is "
                   f"not read as 0): {en}.",
        location=loc, expected=0, found={f: x.raw.strip() or str(x.kind) for f, x in blank},
        details={"blocks": sorted({_block_of(f) for f in ids}), "tables": sorted({explain.table_of(f) or "" for f in ids})}))
    return v


def _block_of(fid: str) -> str:
    return fid.rsplit(".", 1)[0]


def blank_groups(ctx: Ctx, blank: list[tuple[str, Value]]) -> list[Text]:
    """The blank cells for a reader, per table: a column blank in three rows or more as the column with its
    row count, a row's blank cells as the row, the rest cell by cell."""
    out: list[Text] = []
    by_table: dict[str | None, list[tuple[str, Value]]] = {}
    for f, x in blank:
        by_table.setdefault(explain.table_of(f), []).append((f, x))
    for table, cells in by_table.items():
        tname = explain.table_text(table)
        cols: dict[str, list[tuple[str, Value]]] = {}
        for f, x in cells:
            cols.setdefault(f.rsplit(".", 1)[1], []).append((f, x))
        done: set[str] = set()
        parts: list[Text] = []
        for col, got in cols.items():
            if len(got) >= 3:
                label = got[0][1].column_label or col
                rows = "、".join(f"“{x.row_label or f}”" for f, x in got[:6]) + ("等" if len(got) > 6 else "")
                rows_en = ", ".join(f"“{x.row_label or f}”" for f, x in got[:6]) + (" …" if len(got) > 6 else "")
                parts.append(Text(f"“{label}”列{len(got)}行未填（{rows}）",
                                  f"column “{label}” unfilled in {len(got)} rows ({rows_en})"))
                done |= {f for f, _ in got}
        rows: dict[str, list[tuple[str, Value]]] = {}
        for f, x in cells:
            if f not in done:
                rows.setdefault(_block_of(f), []).append((f, x))
        for row, got in rows.items():
            label = got[0][1].row_label or row
            if len(got) >= 3:
                cols_zh = "、".join(f"“{x.column_label or f}”" for f, x in got)
                parts.append(Text(f"“{label}”行{len(got)}格（{cols_zh}）", f"row “{label}”, {len(got)} cells ({cols_zh})"))
            else:
                parts += [Text(f"{explain.cell_label(f, x)}（{x.raw.strip() or '空白'}）",
                               f"{explain.cell_label(f, x)} ({x.raw.strip() or 'blank'})") for f, x in got]
        out.append(Text(f"{tname.zh}：", f"{tname.en}: ") + Text.join(parts, "、", ", "))
    return out


@kind("assessable")
def _assessable(rule: Rule, ctx: Ctx) -> Verdict:
    from audit.checks.causes import CAUSE_TEXT, table_cause

    v = Verdict()
    tables = rule.spec["tables"]
    bad = unassessable_tables(ctx, tables)
    v.passed = len(tables) - len(bad)
    absent = _absent_with_section(ctx, bad)
    for t in absent:  # a part the report lacks is said once, by STRUCT-SECTIONS
        v.unassessable.append(in_table(t, bad.pop(t)))
    if bad:
        causes = {t: table_cause(ctx.doc, ctx.fields, t) for t in bad}
        names = Text.join((explain.table_text(t) for t in bad), "、", ", ")
        reasons = Text.join(in_table(t, r) for t, r in bad.items())
        why = Text.join((CAUSE_TEXT[c] for c in dict.fromkeys(causes.values())), "；", "; ")
        v.findings.append(Finding(
            rule_id=rule.id, severity=severity(rule), kind=finding_kind(rule, "structure"),
            message_zh=f"{names.zh}的数字无法可靠读取（全部或部分单元格），相关勾稽关系无法核对（{reasons.zh}）。"
                       f"原因：{why.zh}。",
            message_en=f"The figures of {names.en} cannot be read reliably (all or some of their cells), so the "
                       f"identities they enter cannot be checked ({reasons.en}). Cause: {why.en}.",
            location=Location(table=next(iter(bad))), expected=None, found=list(bad),
            details={"tables": bad, "causes": causes}))
    return v


def _absent_with_section(ctx: Ctx, tables: dict[str, Text]) -> list[str]:
    """Tables of ``tables`` with not one cell in the report whose section (表二 → 二 …) is missing too:
    a partial report (section 一 alone) lacks them, which STRUCT-SECTIONS reports."""
    have = {s.number for s in ctx.doc.sections}
    out = []
    for t in tables:
        number = {"t2": 2, "t3": 3, "t4": 4}.get(t)
        cells = [x for f, x in ctx.fields.items() if f.startswith(t + ".")]
        if number not in have and all(x.kind == ValueKind.MISSING for x in cells):
            out.append(t)
    return out


def in_table(table: str, reason: Text) -> Text:
    """A table's reason prefixed by its name: “表二：…” / “Table 2: …”."""
    name = explain.table_text(table)
    return Text(f"{name.zh}：{reason.zh}", f"{name.en}: {reason.en}")
