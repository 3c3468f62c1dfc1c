"""The run's summaries, from the store: ``OUT/summary/{reports,findings,ranking,failures}.csv`` and
``OUT/summary/summary.xlsx`` (one sheet each).

Byte-stable: rows in a fixed order (by path, then scope and sequence), numbers in one format, CSV in
UTF-8 with a BOM (so Excel shows the Chinese), and the workbook's timestamps fixed to the latest audit date
in the store, so the same store gives the same files.

Scores: ``score`` is the report's audit score counting its cross-report findings (the stored score, the
memo's before review); ``reviewed_score`` is that score without the findings a reviewer dismissed (the
memo's after review). The ranking ranks by ``reviewed_score`` and names it so.

Review decisions (``audit.batch.reviews``): ``findings`` shows each finding's current ``review`` (confirm,
dismiss, or comment when it only has comments), ``reviewer`` and ``comment``; ``reports`` counts the
confirmed, dismissed, commented-only and open findings. The counts per severity cover every finding of a
report that is not dismissed (as its memo shows them): its own audit's and the cross-report checks' (``cross``
counts the latter alone).

Report text (agency names, sentences, comments) never reaches a spreadsheet as a formula: CSV cells that
start with ``=``, ``+``, ``@`` or a ``-`` that is no number get a leading ``'``, and workbook cells are
written as strings.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from pathlib import Path

from audit.batch import reviews as _reviews
from audit.batch import spreadsheet
from audit.batch.store import Store

SUMMARY_DIR = "summary"
SUMMARY_TABLES = ("reports", "findings", "ranking", "failures")  # one CSV each, and a sheet each in summary.xlsx

REPORT_COLUMNS = ["path", "agency", "agency_key", "year", "format", "level", "file_type", "published", "score", "grade",
                  "reviewed_score", "reviewed_grade", "errors", "warnings", "infos", "cross", "confirmed", "dismissed",
                  "commented", "open", "sha256"]
FINDING_COLUMNS = ["path", "agency", "year", "scope", "rule_id", "severity", "kind", "message_zh", "message_en",
                   "section", "page", "table", "row_label", "column_label", "field_ids", "sentence", "expected",
                   "found", "fingerprint", "review", "reviewer", "comment"]
RANKING_COLUMNS = ["rank", "agency", "year", "reviewed_score", "reviewed_grade", "score", "errors", "warnings",
                   "dismissed", "path"]
FAILURE_COLUMNS = ["path", "code", "reason"]


def tables(store: Store) -> dict[str, tuple[list[str], list[list]]]:
    """name → (columns, rows), in their stable order."""
    decided = _reviews.by_report(store)
    reports = _reports(store, decided)
    return {
        "reports": (REPORT_COLUMNS, reports),
        "findings": (FINDING_COLUMNS, _findings(store, decided)),
        "ranking": (RANKING_COLUMNS, _ranking(reports)),
        "failures": (FAILURE_COLUMNS, [list(r) for r in store.failures()]),
    }


def paths(out: Path) -> list[Path]:
    """The summary files of a run folder, in the order :func:`write` writes them."""
    folder = Path(out) / SUMMARY_DIR
    return [folder / f"{name}.csv" for name in SUMMARY_TABLES] + [folder / "summary.xlsx"]


def present(out: Path) -> bool:
    return all(p.is_file() for p in paths(out))


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
    stamp = store.last_audited() or "2000-01-01"
    written.append(_atomic(folder / "summary.xlsx", _xlsx(data, stamp)))
    return written


# ------------------------------------------------------------------------------------------- rows


def _reports(store: Store, decided: dict) -> list[list]:
    counts = _reviews.tally(store, decided)
    reviewed = _reviews.reviewed_scores(store, decided)
    rows = []
    for (path, agency, key, year, fmt, level, kind, published, score, grade, sha) in store.summary_reports():
        c = counts.get(path, {})
        rows.append([path, agency, key, year, fmt, level, kind, published, score, grade, *reviewed[path],
                     *(c.get(k, 0) for k in ("error", "warning", "info", "cross", "confirm", "dismiss", "comment",
                                              "open")), sha])
    return rows


def _findings(store: Store, decided: dict) -> list[list]:
    rows = []
    for row in store.summary_findings():
        row = list(row)
        row[14] = ", ".join(json.loads(row[14] or "[]"))
        state = decided.get(row[0], {}).get(row[18], {})
        rows.append(row + [state.get("decision"), state.get("reviewer"), state.get("comment")])
    return rows


def _ranking(reports: list[list]) -> list[list]:
    """Reports by reviewed score, best first (equal scores share a rank)."""
    i = {c: n for n, c in enumerate(REPORT_COLUMNS)}
    scored = sorted((r for r in reports if r[i["reviewed_score"]] is not None),
                    key=lambda r: (-r[i["reviewed_score"]], r[i["path"]]))
    rows, rank, last = [], 0, None
    for n, r in enumerate(scored, 1):
        if r[i["reviewed_score"]] != last:
            rank, last = n, r[i["reviewed_score"]]
        rows.append([rank] + [r[i[c]] for c in RANKING_COLUMNS[1:]])
    return rows


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    if isinstance(v, str):
        return spreadsheet.to_csv(v)
    return v


# ------------------------------------------------------------------------------------------ excel


def _xlsx(data: dict[str, tuple[list[str], list[list]]], stamp: str) -> bytes:
    return _fix_zip(spreadsheet.xlsx_bytes(data, wide=("message_zh", "message_en", "sentence", "reason", "path")),
                    stamp)


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
