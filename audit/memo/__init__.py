"""memo stage: the audit memo of one report (Markdown, HTML, JSON, DOCX) and its score.

    rubric = load_rubric(None)                  # the shipped rubric.yaml, or an evaluator's file
    result.score = score(result, rubric)        # points lost per rubric item, total, grade
    memo = to_json(result)                      # the machine interface (memo.schema.json)
    text = render(result, "html", lang="en")    # str for md/html/json, bytes for docx
    paths = write(result, out_dir, ["md", "json"])
    print(summary_line(result, paths))

Every function that shows findings takes ``reviews``: finding fingerprint → ``{"decision": "confirm" |
"dismiss" | "comment", "reviewer", "at", "comment"}`` (a row of the batch store's reviews). Dismissed
findings are shown apart and cost no points (the score is then recomputed with ``rubric``, the shipped
one when None).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from audit.memo import context, jsonmemo, render as _render
from audit.memo.jsonmemo import SCHEMA_PATH, SCHEMA_VERSION
from audit.memo.rubric import Rubric, load_rubric, score
from audit.model import Result
from audit.names import bounded_name

FORMATS = ("md", "html", "json", "docx")
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: memos get the permissions of any file the user creates (mkstemp's are 0600)

__all__ = ["FORMATS", "SCHEMA_PATH", "SCHEMA_VERSION", "Rubric", "load_rubric", "score", "to_json", "render",
           "render_all", "write", "summary_line", "memo_path"]


def to_json(result: Result, lang: str = "zh", reviews: Mapping | None = None, rubric: Rubric | None = None) -> dict:
    """The JSON memo as a dict (``schema_version``, ``meta``, ``summary``, ``score``, ``findings``,
    ``checks``, ``fields``, ``tables``, ``sections``)."""
    context.labels(lang)  # an unknown language fails here, as it does for the other formats
    return jsonmemo.to_json(result, lang, reviews, rubric)


def render(result: Result, fmt: str, lang: str = "zh", reviews: Mapping | None = None,
           rubric: Rubric | None = None) -> str | bytes:
    """One memo in one format: text for md, html and json; the .docx file's bytes for docx."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown memo format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "json":
        return jsonmemo.dumps(to_json(result, lang, reviews, rubric))
    ctx = context.build(result, lang, reviews, rubric)
    if fmt == "docx":
        from audit.memo.word import render_docx

        return render_docx(ctx, result.audited)
    return _render.render_text(ctx, fmt)


def render_all(result: Result, formats: Iterable[str], lang: str = "zh", reviews: Mapping | None = None,
               rubric: Rubric | None = None) -> dict[str, bytes]:
    """The memo in each format (once each, in order), as the bytes of its file; all render before any is used."""
    out = {}
    for fmt in dict.fromkeys(formats):
        data = render(result, fmt, lang, reviews, rubric)
        out[fmt] = data.encode("utf-8") if isinstance(data, str) else data
    return out


def memo_path(result: Result, out_dir: str | Path, fmt: str) -> Path:
    """``<out_dir>/<source file name>.<fmt>``: report.pdf → report.pdf.md, so report.pdf and
    report.html never write the same memo."""
    return Path(out_dir) / bounded_name(Path(result.source.path).name, f".{fmt}")


def _write_atomic(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".memo-", suffix=".tmp")  # short, whatever the name
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            os.fchmod(fh.fileno(), 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(result: Result, out_dir: str | Path, formats: Iterable[str] = ("md", "json"), lang: str = "zh",
          reviews: Mapping | None = None, rubric: Rubric | None = None) -> list[Path]:
    """Write one memo per format into ``out_dir`` (created if needed); each file appears whole or not at all."""
    rendered = render_all(result, formats, lang, reviews, rubric)  # all render before any is written
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, data in rendered.items():
        path = memo_path(result, out, fmt)
        _write_atomic(path, data)
        written.append(path)
    return written


def summary_line(result: Result, written: Iterable[Path] = (), lang: str = "zh",
                 reviews: Mapping | None = None, rubric: Rubric | None = None) -> str:
    """One line per report: file, agency, year, score and grade, findings per severity, memos written."""
    L = context.labels(lang)
    sc = context.memo_score(result, reviews, rubric)
    gone = context.dismissed(reviews)
    counts = {s: sum(1 for f in result.findings if str(f.severity) == s and f.fingerprint not in gone)
              for s in context.SEVERITIES}
    meta = result.meta
    name = Path(result.source.path).name
    total = f"{context.fmt(sc['total'])}/{context.fmt(sc['max'])}"
    paths = ", ".join(str(p) for p in written)
    if lang == "en":
        sev = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())
        line = f"{name}: {meta.agency or L['unknown']}, {meta.year or L['unknown']}; score {total} ({sc['grade']['en']}); {sev}"
        return line + (f" → {paths}" if paths else "")
    sev = "，".join(f"{L[s]} {n}" for s, n in counts.items())
    line = f"{name}：{meta.agency or L['unknown']}，{meta.year or L['unknown']} 年度；得分 {total}（{sc['grade']['zh']}）；{sev}"
    return line + (f" → {paths}" if paths else "")
