"""Helpers for the checks tests: Fields and Documents from plain data (no ingest, no tables stage).

Cell values in case files: an integer or a decimal string is a number; ``null`` a blank cell; "—" or "/"
a dash; "无" the none-word; "?" an unreadable cell ("?77132470": the row's digits run together); "missing"
a row the report lacks.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path

import yaml

from audit.model import Document, Fields, Meta, Section, Source, Text, Value, ValueKind

HERE = Path(__file__).resolve().parent
SEED = HERE / "rules" / "bases" / "quangang-2020.yaml"

COLUMNS = {"natural": "自然人", "org_total": "小计", "commercial": "商业企业", "research": "科研机构",
           "social": "社会公益组织", "legal": "法律服务机构", "other": "其他", "total": "总计",
           "upheld": "结果维持", "corrected": "结果纠正", "pending": "尚未审结",
           "amount": "采购总金额（万元）"}
ROWS = {"t3.new": "一、本年新收政府信息公开申请数量", "t3.carried_in": "二、上年结转政府信息公开申请数量",
        "t3.open": "（一）予以公开", "t3.partial": "（二）部分公开", "t3.denied.third_party": "4.保护第三方合法权益",
        "t3.denied.internal": "5.属于三类内部事务信息", "t3.other": "（六）其他处理", "t3.result_total": "（七）总计",
        "t3.carried_out": "四、结转下年度继续办理", "t4.review": "行政复议", "t4.direct_suit": "未经复议直接起诉",
        "t4.suit_after_review": "复议后起诉", "t3.rejected.repeat": "2.重复申请"}


def value(fid: str, raw) -> Value:
    table = fid.split(".", 1)[0]
    row, col = fid.rsplit(".", 1)
    labels = dict(table=table, row_label=ROWS.get(row, row.split(".", 1)[1]), column_label=COLUMNS.get(col, col))
    if raw is None:
        return Value(None, ValueKind.BLANK, "", **labels)
    if isinstance(raw, bool):
        raise ValueError(f"{fid}: not a cell value: {raw!r}")
    if isinstance(raw, int):
        return Value(raw, ValueKind.NUMBER, str(raw), **labels)
    text = str(raw)
    if text in ("—", "-", "/"):
        return Value(None, ValueKind.DASH, text, **labels)
    if text == "无":
        return Value(None, ValueKind.NONE_WORD, text, **labels)
    if text == "?":
        return Value(None, ValueKind.UNREADABLE, "1 2 3", **labels)
    if text.startswith("?"):  # "?77132470": a row's run-together digits, unreadable (a crawler's text)
        return Value(None, ValueKind.UNREADABLE, text[1:], **labels)
    if text == "missing":
        return Value(None, ValueKind.MISSING, "", **labels)
    unit = None
    if text.endswith("元") and not text.endswith("万元"):
        text, unit = text[:-1], "元"
    d = Decimal(text)
    return Value(int(d) if d == d.to_integral_value() and "." not in text else d, ValueKind.NUMBER, str(raw),
                 unit=unit or ("万元" if fid.endswith(".amount") else None), **labels)


def make_fields(cells: dict, fmt: str | None = None, *, not_assessable: dict | None = None,
                missing_rows: dict | None = None, format_by_labels: str | None = None) -> Fields:
    f = Fields({k: value(k, v) for k, v in cells.items()}, format=fmt)
    f.format_by_labels = format_by_labels or fmt
    f.not_assessable.update({t: Text.from_json(why) for t, why in (not_assessable or {}).items()})
    f.missing_rows.update(missing_rows or {})
    return f


def make_doc(meta: dict | None = None, sections: dict | None = None) -> Document:
    meta = dict(meta or {})
    for k in ("published",):
        if isinstance(meta.get(k), str):
            meta[k] = _dt.date.fromisoformat(meta[k])
    if isinstance(meta.get("period"), (list, tuple)):
        meta["period"] = tuple(_dt.date.fromisoformat(str(d)) for d in meta["period"])
    secs = [Section(number=int(n), title=f"section {n}", pages=[1], text=text, first_block=0, last_block=0)
            for n, text in sorted((sections or {}).items(), key=lambda kv: int(kv[0]))]
    src = Source(path="case.txt", sha256="0" * 64, kind="txt", size=0)
    return Document(source=src, blocks=[], sections=secs, meta=Meta(**meta))


def seed() -> dict:
    """The seed report's cells (numbers from the real 2020 report; blank = null) and metadata."""
    return yaml.safe_load(SEED.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------- rule test cases

RULE_CASES = HERE / "rules"
BASES = RULE_CASES / "bases"

#: sections of a case unless it says otherwise: plain fixture sentences with no figures
DEFAULT_SECTIONS = {
    1: "本机关按照条例要求推进政务公开，各项工作有序开展。",
    2: "主动公开情况见下表。",
    3: "收到和处理申请情况见下表。",
    4: "行政复议和行政诉讼情况见下表。",
    5: "（一）存在的主要问题：栏目更新不够及时。（二）改进措施：明确专人每周检查栏目。",
    6: "本年度未收取信息处理费。",
}


def base(name: str) -> dict:
    return yaml.safe_load((BASES / f"{name}.yaml").read_text(encoding="utf-8"))


def case_inputs(case: dict) -> tuple[Document, Fields]:
    """The Document and Fields a YAML case describes: a base report, then the case's changes."""
    import fnmatch

    b = base(case.get("base", "clean-2021"))
    cells = dict(b["fields"])
    for pat in case.get("drop", []):
        cells = {k: v for k, v in cells.items() if not fnmatch.fnmatchcase(k, pat)}
    if case.get("zero"):
        cells = {k: 0 if isinstance(v, (int, str)) and str(v).replace(".", "").lstrip("-").isdigit() else v
                 for k, v in cells.items()}
    cells.update(case.get("set", {}))
    meta = {**b["meta"], **case.get("meta", {})}
    fmt = case.get("format", meta.get("format"))
    sections = {**DEFAULT_SECTIONS, **{int(k): v for k, v in case.get("sections", {}).items()}}
    for n in case.get("drop_sections", []):
        sections.pop(int(n), None)
    fields = make_fields(cells, fmt, not_assessable=case.get("not_assessable"), missing_rows=case.get("missing_rows"),
                         format_by_labels=case.get("format_by_labels", fmt))
    import dataclasses

    for fid, labels in case.get("labels", {}).items():  # a header or row label as a report prints it
        fields[fid] = dataclasses.replace(fields[fid], **labels)
    doc = make_doc(meta, sections)
    for n, marker in case.get("markers", {}).items():  # a heading's printed number; null: no heading
        doc.section(int(n)).marker = marker
    if "order" in case:  # the sections in the order the report prints them
        doc.sections = [doc.section(int(n)) for n in case["order"]]
    if case.get("table_text"):  # a table's text as the report prints it (headers, for the unit rule)
        from audit.model import Paragraph

        doc.blocks.append(Paragraph(case["table_text"]))
    return doc, fields


def rule_case_files() -> list[Path]:
    return sorted(RULE_CASES.glob("*.yaml"))
