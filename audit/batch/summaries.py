"""The run's summaries, from the store: ``OUT/summary/{reports,findings,ranking,failures}.csv`` and
``OUT/summary/summary.xlsx`` (one sheet each).

Byte-stable: rows in a fixed order (by path, then scope and sequence), numbers in one format, CSV in
UTF-8 with a BOM (so Excel shows the Chinese), and the workbook's timestamps fixed to the latest audit date
in the store, so the same store gives the same files.

Counts per severity cover every finding of a report: its own audit's and the cross-report checks'
(``cross`` counts the latter alone). The score is the report's own audit score (the memo's).
Review decisions (``reviews``) show in ``findings`` as ``review`` (confirm / dismiss) and in ``reports``
as the counts of confirmed and dismissed findings.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from pathlib import Path

from audit.batch.store import Store

SUMMARY_DIR = "summary"

REPORT_COLUMNS = ["path", "agency", "agency_key", "year", "format", "level", "file_type", "published", "score", "grade",
                  "errors", "warnings", "infos", "cross", "confirmed", "dismissed", "sha256"]
FINDING_COLUMNS = ["path", "agency", "year", "scope", "rule_id", "severity", "kind", "message_zh", "message_en",
                   "section", "page", "table", "row_label", "column_label", "field_ids", "sentence", "expected",
                   "found", "fingerprint", "review", "reviewer"]
RANKING_COLUMNS = ["rank", "agency", "year", "score", "grade", "errors", "warnings", "path"]
FAILURE_COLUMNS = ["path", "code", "reason"]


def tables(store: Store) -> dict[str, tuple[list[str], list[list]]]:
    """name → (columns, rows), in their stable order."""
    reports = _reports(store)
    return {
        "reports": (REPORT_COLUMNS, reports),
        "findings": (FINDING_COLUMNS, _findings(store)),
        "ranking": (RANKING_COLUMNS, _ranking(reports)),
        "failures": (FAILURE_COLUMNS, [list(r) for r in store.db.execute(
            "SELECT path, code, reason FROM errors ORDER BY path")]),
    }


def write(store: Store, out: Path) -> list[Path]:
    folder = Path(out) / SUMMARY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    data = tables(store)
    written = []
    for name, (cols, rows) in data.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        w.writerows([_cell(v) for v in row] for row in rows)
        written.append(_atomic(folder / f"{name}.csv", buf.getvalue().encode("utf-8-sig")))
    stamp = store.db.execute("SELECT max(audited) FROM reports").fetchone()[0] or "2000-01-01"
    written.append(_atomic(folder / "summary.xlsx", _xlsx(data, stamp)))
    return written


# ------------------------------------------------------------------------------------------- rows


def _reports(store: Store) -> list[list]:
    counts: dict[str, dict[str, int]] = {}
    for rid, scope, sev, n in store.db.execute(
            "SELECT report_id, scope, severity, count(*) FROM findings GROUP BY report_id, scope, severity"):
        c = counts.setdefault(rid, {})
        c[sev] = c.get(sev, 0) + n
        if scope == "run":
            c["cross"] = c.get("cross", 0) + n
    reviews = {}
    for path, decision, n in store.db.execute(
            "SELECT f.path, c.decision, count(*) FROM current_reviews c JOIN"
            " (SELECT DISTINCT r.path, x.fingerprint FROM findings x JOIN reports r ON r.id = x.report_id) f"
            " ON f.path = c.report_path AND f.fingerprint = c.fingerprint GROUP BY f.path, c.decision"):
        reviews.setdefault(path, {})[decision] = n
    rows = []
    for (rid, path, agency, key, year, fmt, level, kind, published, score, grade, sha) in store.db.execute(
            "SELECT id, path, agency, agency_key, year, format, level, kind, published, score, grade, sha256"
            " FROM reports ORDER BY path"):
        c = counts.get(rid, {})
        rv = reviews.get(path, {})
        rows.append([path, agency, key, year, fmt, level, kind, published, score, grade, c.get("error", 0),
                     c.get("warning", 0), c.get("info", 0), c.get("cross", 0), rv.get("confirm", 0),
                     rv.get("dismiss", 0), sha])
    return rows


def _findings(store: Store) -> list[list]:
    rows = []
    for row in store.db.execute(
            "SELECT r.path, r.agency, r.year, f.scope, f.rule_id, f.severity, f.kind, f.message_zh, f.message_en,"
            " f.section, f.page, f.table_id, f.row_label, f.column_label, f.field_ids, f.sentence, f.expected,"
            " f.found, f.fingerprint, c.decision, c.reviewer"
            " FROM findings f JOIN reports r ON r.id = f.report_id"
            " LEFT JOIN current_reviews c ON c.report_path = r.path AND c.fingerprint = f.fingerprint"
            " ORDER BY r.path, f.scope, f.seq"):
        row = list(row)
        row[14] = ", ".join(json.loads(row[14] or "[]"))
        rows.append(row)
    return rows


def _ranking(reports: list[list]) -> list[list]:
    i = {c: n for n, c in enumerate(REPORT_COLUMNS)}
    scored = sorted((r for r in reports if r[i["score"]] is not None),
                    key=lambda r: (-r[i["score"]], r[i["path"]]))
    rows, rank, last = [], 0, None
    for n, r in enumerate(scored, 1):
        if r[i["score"]] != last:
            rank, last = n, r[i["score"]]
        rows.append([rank, r[i["agency"]], r[i["year"]], r[i["score"]], r[i["grade"]], r[i["errors"]],
                     r[i["warnings"]], r[i["path"]]])
    return rows


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    if isinstance(v, str) and _FORMULA.match(v):
        return "'" + v  # report text read as a formula by a spreadsheet (CSV injection): kept as text
    return v


#: Text a spreadsheet opening the CSV would take for a formula (=…, +…, @…, -… that is no number).
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d.]+$).)", re.DOTALL)


# ------------------------------------------------------------------------------------------ excel


def _xlsx(data: dict[str, tuple[list[str], list[list]]], stamp: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, (cols, rows) in data.items():
        ws = wb.create_sheet(name)
        ws.append(cols)
        for row in rows:
            ws.append([_excel_value(v) for v in row])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # openpyxl takes text starting with = for a formula: report text never is one
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        for n, col in enumerate(cols, 1):
            ws.column_dimensions[get_column_letter(n)].width = 40 if col in ("message_zh", "message_en",
                                                                            "sentence", "reason", "path") else 14
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip(buf.getvalue(), stamp)


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _excel_value(v):
    if isinstance(v, str):
        return _ILLEGAL.sub("", v)
    return v


def _fix_zip(data: bytes, stamp: str) -> bytes:
    """The same workbook bytes on every save: fixed entry times and document timestamps."""
    when = f"{stamp}T00:00:00Z"
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + when.encode() + m.group(3), body)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def _atomic(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path
