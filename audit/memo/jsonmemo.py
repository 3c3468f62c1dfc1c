"""The JSON memo: the machine interface, described by ``memo.schema.json`` (``schema_version``)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from audit.memo.context import SEVERITIES, memo_score, ordered
from audit.memo.rubric import Rubric, dismissed
from audit.model import Fields, Result

#: bump the major part when a key changes meaning or goes away, the minor part when keys are added
SCHEMA_VERSION = "1.2"
SCHEMA_PATH = Path(__file__).resolve().parent / "memo.schema.json"


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _meta(result: Result, score: dict) -> dict:
    meta = result.meta.to_json()
    source = result.source.to_json()
    source["name"] = Path(result.source.path).name
    versions = {k: (result.versions or {}).get(k) for k in ("tool", "parser", "rules", "model")}
    versions["rubric"] = (result.versions or {}).get("rubric") or score["rubric"]["version"]
    return {
        **meta,
        "source": source,
        "versions": versions,
        "audited": result.audited.isoformat() if result.audited else None,
    }


def _review(r: Mapping | None) -> dict | None:
    if not r:
        return None
    return {k: r.get(k) for k in ("decision", "reviewer", "at", "comment")}


def tables(fields) -> dict:
    """What the tables stage noticed beside the values: the memo's ``tables`` object."""
    if fields is None:
        return Fields().tables_json()
    return fields.tables_json()


def to_json(result: Result, lang: str = "zh", reviews: Mapping | None = None, rubric: Rubric | None = None) -> dict:
    reviews = reviews or {}
    score = memo_score(result, reviews, rubric)
    gone = dismissed(reviews)
    findings = []
    for f in ordered(result.findings):
        out = f.to_json()
        out["review"] = _review(reviews.get(f.fingerprint))
        findings.append(out)
    active = [f for f in result.findings if f.fingerprint not in gone]
    extra = {"corrections": list(result.corrections)} if getattr(result, "corrections", None) else {}
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "meta": _meta(result, score),
        "summary": {
            **{s: sum(1 for f in active if str(f.severity) == s) for s in SEVERITIES},
            "findings": len(active),
            "dismissed": len(result.findings) - len(active),
            "checks": {o: sum(1 for c in result.checks if str(c.outcome) == o)
                       for o in ("pass", "fail", "not_assessable", "not_applicable")},
        },
        "score": score,
        "findings": findings,
        "checks": [c.to_json() for c in result.checks],
        "fields": result.fields.to_json() if result.fields is not None else {},
        "tables": tables(result.fields),
        "sections": [
            {"number": s.number, "title": s.title, "pages": list(s.pages), "chars": len(s.text)}
            for s in result.document.sections
        ],
        **extra,
    }


def dumps(memo: dict) -> str:
    return json.dumps(memo, ensure_ascii=False, indent=1) + "\n"
