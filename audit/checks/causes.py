"""One cause, one finding.

The rules are evaluated one by one, so one defect of a report can break several of them: one wrong cell
breaks its row and its column (T3-ROW-SUM and T3-COL-SUM), one over-counted row breaks two columns, one
unfilled 总计 column leaves a dozen identities unchecked. :func:`merge` turns the findings of one cause
into one finding that lists every rule and cell it touches (``details.rules``, ``details.merged``,
``location.field_ids``), so a reader reads the cause once and the score charges it once.

What makes two identity findings one cause is evidence, not likeness: the localisation found the same
smallest corrections for both, and each correction is one cell, or cells of one row (the row's applicant
cell and its total counted wrong together, its own row sum holding). Two separate wrong cells stay two
findings.
"""
from __future__ import annotations

from collections import Counter

from audit.checks import explain
from audit.model import Document, Fields, Finding, Severity, Text, ValueKind

#: who made a table unreadable: the agency (an image-only or absent table in the file it published), whoever
#: converted the file (a crawler's or converter's text: digits run together, labels cut from their
#: numbers), or this tool's reading of the agency's own file
CAUSES = ("agency", "conversion", "reading")
CAUSE_TEXT = {
    "agency": Text("报告本身如此（以图片发布或缺少该表）", "as published (an image, or the table is absent)"),
    "conversion": Text("文件经第三方转换（网页抓取或格式转换）后表格受损，并非机关所为", "damaged when a third party "
                       "converted the file (a crawler's or converter's text), not the agency's doing"),
    "reading": Text("本工具未能可靠读取原文件中的单元格", "this tool could not place the cells of the original file"),
}


def is_conversion(doc: Document | None) -> bool:
    """Is the file a third party's text of the published report (a crawler's text, a markdown conversion)?
    Agencies publish PDF, Word and web pages; a plain-text or markdown file is someone's conversion."""
    return doc is not None and doc.source is not None and doc.source.kind == "txt"


def table_cause(doc: Document | None, fields: Fields, table: str) -> str:
    """Why ``table`` could not be read: one of :data:`CAUSES`."""
    if is_conversion(doc):
        return "conversion"
    cells = [x for f, x in fields.items() if f.startswith(table + ".")]
    if not any(x.is_number for x in cells) or all(x.kind is ValueKind.MISSING for x in cells):
        return "agency"
    return "reading"

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _key(f: Finding):
    if not f.suggestion or f.kind != "numeric":
        return None
    fixes = tuple(tuple((c["field"], c["found"], c["consistent"]) for c in s["cells"]) for s in f.suggestion)
    if not all(len({_row(c[0]) for c in fix}) == 1 for fix in fixes):
        return None  # corrections of two separate cells: two causes
    return fixes


def _row(fid: str) -> str:
    return fid.rsplit(".", 1)[0]


def _core(f: Finding) -> tuple[str, str]:
    """The finding's message without the localisation appended to it."""
    zh, en = f.message_zh, f.message_en
    extra = getattr(f, "_appended", None)
    if extra:
        if zh.endswith(extra[0]):
            zh = zh[: len(zh) - len(extra[0])]
        if en.endswith(extra[1]):
            en = en[: len(en) - len(extra[1])]
    return zh, en


def merge(fields: Fields, findings: list[Finding], blocked: list[tuple[str, list[str]]] = ()) -> list[Finding]:
    """``findings`` with the findings of one cause made one (in the order of their first finding), and the
    blank-cell finding told which identities its cells left unchecked."""
    groups: dict[object, list[Finding]] = {}
    for f in findings:
        k = _key(f)
        if k is not None:
            groups.setdefault(k, []).append(f)
    out: list[Finding] = []
    gone: set[int] = set()
    for f in findings:
        if id(f) in gone:
            continue
        k = _key(f)
        group = groups.get(k, [f]) if k is not None else [f]
        if len(group) > 1:
            gone |= {id(g) for g in group}
            out.append(_merged(group))
        else:
            out.append(f)
    out = _misread_tables(out)
    if blocked:
        for f in out:
            if f.rule_id == "BLANK-CELLS":
                _blocked(fields, f, blocked)
    return out


#: identity findings of one table, none located to a few cells, that make one "the table is broken" finding
MISREAD_MIN = 3


def _misread_tables(findings: list[Finding]) -> list[Finding]:
    """Many identities of one table broken and no small correction explaining them: the table's columns
    or rows are shifted or misread (by the agency or the reader), one cause. One finding for the table."""
    by_table: dict[str, list[Finding]] = {}
    for f in findings:
        if f.kind == "numeric" and not f.suggestion and f.details.get("identity") and not f.details.get("merged") \
                and f.details.get("reading") == "as_reported":
            by_table.setdefault(f.location.table or "", []).append(f)
    out: list[Finding] = []
    done: set[int] = set()
    for f in findings:
        if id(f) in done:
            continue
        group = by_table.get(f.location.table or "", [])
        if f in group and len(group) >= MISREAD_MIN:
            done |= {id(g) for g in group}
            head = _merged(group)
            t = explain.table_text(head.location.table)
            head.message_zh = (f"{t.zh}有{len(group)}项勾稽关系不成立，且无法归结为一两个单元格的错误：整表可能错行、错列"
                               f"或填报混乱，应整体核对。" + head.message_zh)
            head.message_en = (f"{len(group)} identities of {t.en} fail and no correction of one or two cells explains "
                               f"them: rows or columns may be shifted or the table filled wrongly; check it as a whole. "
                               + head.message_en)
            head.details["misread_table"] = True
            out.append(head)
        elif id(f) not in done:
            out.append(f)
    return out


def _merged(group: list[Finding]) -> Finding:
    head = min(group, key=lambda g: _RANK.get(g.severity, 3))
    head = group[0] if group[0].severity == head.severity else head
    others = [g for g in group if g is not head]
    zh, en = _core(head)
    also_zh = "；".join(f"{o.rule_id}：{_core(o)[0].rstrip('。')}" for o in others)
    also_en = "; ".join(f"{o.rule_id}: {_core(o)[1].rstrip('.')}" for o in others)
    extra = getattr(head, "_appended", ("", ""))
    head.message_zh = f"{zh}同一处错误也使另{len(others)}项关系不成立（{also_zh}）。{extra[0]}"
    head.message_en = f"{en} The same error also breaks {len(others)} more identit{'y' if len(others) == 1 else 'ies'} ({also_en}).{extra[1]}"
    ids = list(head.location.field_ids)
    for o in others:
        ids += [x for x in o.location.field_ids if x not in ids]
    head.location.field_ids = ids
    head.details = {**head.details,
                    "rules": list(dict.fromkeys(g.rule_id for g in group)),
                    "identities": [g.details.get("identity") for g in group],
                    "merged": [{"rule_id": o.rule_id, "where": explain.where(o.location, "zh"),
                                "where_en": explain.where(o.location, "en"), "expected": o.expected,
                                "found": o.found, "identity": o.details.get("identity"),
                                "fingerprint": o.fingerprint} for o in others]}
    return head


def _blocked(fields: Fields, f: Finding, blocked: list[tuple[str, list[str]]]) -> None:
    mine = set(f.location.field_ids)
    names = [name for name, cells in blocked if mine & set(cells)]
    if not names:
        return
    per_rule = Counter(n.split("[", 1)[0] for n in names)
    listed_zh = "、".join(f"{r}（{n}处）" for r, n in per_rule.items())
    listed_en = ", ".join(f"{r} ({n})" for r, n in per_rule.items())
    f.message_zh += f"这些未填单元格使{len(names)}项勾稽关系无法核对：{listed_zh}。"
    f.message_en += f" These unfilled cells leave {len(names)} identities unchecked: {listed_en}."
    f.details = {**f.details, "rules": ["BLANK-CELLS", *per_rule], "not_assessable": names}
