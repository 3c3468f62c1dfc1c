"""The run's memo files, ``OUT/memos/<key>.<format>``: written atomically, and rendered again from the store.

A worker renders a report's memos from its own audit. Two things it cannot know change what they show:
the findings the cross-report checks make about the report once the whole run is in, and the review
decisions recorded in the store. :func:`refresh` brings the memos up to date with both, without auditing
anything again: each report's ``memo_state`` in the store is a digest of the cross-report findings and
the decisions its memos show (NULL: none, as the worker rendered them); a report whose state differs is
rebuilt from the store (:func:`audit.batch.results.load_result`), scored again with its cross-report
findings (the stored score is then the memo's), and its memos are rendered in the formats and language
they were written in, with the rubric its score names. ``audit batch`` calls it after the cross-report
checks of every run; ``audit.api.Run.refresh()`` calls it after decisions were recorded.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from audit.batch import reviews as _reviews
from audit.batch.results import load, load_result, rubric_of
from audit.batch.store import Store
from audit.errors import AuditError
from audit.names import bounded_name, visible

MEMO_DIR = "memos"


def memo_path(out: Path, key: str, fmt: str) -> Path:
    """``OUT/memos/<key>.<fmt>``: the input's relative path mirrored, its own suffix kept; each part of the
    path within the file system's 255 bytes (a hash of the whole part when longer) and without control
    characters (:func:`audit.names.bounded_name`)."""
    root = (out / MEMO_DIR).resolve()
    parts = key.split("/")
    rel = [bounded_name(p) for p in parts[:-1]] + [bounded_name(parts[-1], f".{fmt}")]
    path = root.joinpath(*rel).resolve()
    if root not in path.parents:
        raise AuditError(f"refused to write a memo outside {root}: {visible(key, one_line=True)}")
    return path


def partial_path(path: Path) -> Path:
    """The temporary name a memo is written under before its rename: short whatever the memo's name."""
    digest = hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:16]
    return path.with_name(f".{digest}.partial")


def write_memos(out: Path, key: str, memos: dict[str, bytes]) -> list[str]:
    """Write each memo through a temp file and a rename; returns their paths relative to OUT."""
    written = []
    for fmt in sorted(memos):
        path = memo_path(out, key, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = partial_path(path)
        try:
            tmp.write_bytes(memos[fmt])
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(path.relative_to(out.resolve()).as_posix())
    return written


def remove_memos(out: Path, key: str) -> None:
    """Drop the memos an earlier audit wrote for ``key`` (its content now fails)."""
    from audit.memo import FORMATS

    for fmt in FORMATS:
        path = memo_path(out, key, fmt)
        if path.is_file():
            path.unlink()


def clean_partial_memos(out: Path) -> None:
    """Temp files a killed run left behind."""
    memos = out / MEMO_DIR
    if memos.is_dir():
        for p in memos.rglob(".*.partial"):
            p.unlink()


# ------------------------------------------------------------------------------ from the store


def memo_state(cross: list, decisions: dict) -> str | None:
    """The digest of what a report's memos show beyond its own audit; None when there is nothing."""
    if not cross and not decisions:
        return None
    data = json.dumps({"cross": cross, "reviews": decisions}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def refresh(store: Store, out: Path) -> list[str]:
    """Render again, from the store, the memos of every report whose cross-report findings or review
    decisions differ from those its memos show; returns the paths of those reports."""
    cross: dict[str, list] = {}
    for row in store.cross_findings():
        cross.setdefault(row[0], []).append(list(row[1:]))
    decided = _reviews.by_report(store)
    done = []
    for rid, path, old, memos, lang in store.memo_rows():
        new = memo_state(cross.get(rid, []), decided.get(path, {}))
        if new == old:
            continue
        formats = [Path(m).suffix[1:] for m in load(memos) or []]
        score, written = render_stored(store, out, path, formats, lang or "zh", decided.get(path, {}))
        store.put_memos(path, score=score, memos=written, state=new)
        done.append(path)
    return done


def render_stored(store: Store, out: Path, path: str, formats: list[str], lang: str,
                  decisions: dict) -> tuple[dict, list[str]]:
    """Score a stored report with its cross-report findings and write its memos in ``formats``, showing
    ``decisions``; returns the score and the memos' paths relative to OUT."""
    from audit import memo

    result = load_result(store, path)
    rubric = rubric_of(result)
    result.score = memo.score(result, rubric)
    return result.score, write_memos(out, path, memo.render_all(result, formats, lang, decisions, rubric))
