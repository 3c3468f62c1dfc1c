"""The truth about rendered reports, as JSON: what each file is and what a perfect reader finds in it."""
from __future__ import annotations

import json
from decimal import Decimal

from .spec import ReportSpec


def json_value(v):
    """Counts stay ints; amounts become strings so their digits survive exactly (“18228.47584”)."""
    return str(v) if isinstance(v, Decimal) else v


def entry(spec: ReportSpec, file: str, kind: str, layout: str, options: dict | None = None,
          defects: list | None = None, fields: bool = True) -> dict:
    lay = spec.layout(layout)
    out = {
        "file": file,
        "kind": kind,
        "format": spec.format,
        "layout": lay.name,
        "options": options or {},
        "seed": spec.seed,
        "meta": {"agency": spec.meta.agency, "agency_kind": spec.meta.agency_kind, "level": spec.meta.level,
                 "year": spec.meta.year, "published": spec.meta.published.isoformat(), "title": spec.meta.title,
                 "deadline": spec.meta.deadline.isoformat()},
        "claims": [{"section": c.section, "sentence": c.sentence, "field_ids": list(c.field_ids), "value": c.value,
                    "label": c.label} for c in spec.claims],
        "defects": [d.to_json() for d in defects or []],
    }
    if fields:
        out["expected_fields"] = {k: json_value(v) for k, v in spec.expected_fields(lay).items()}
        raw = spec.expected_raw(lay)
        out["blank_cells"] = {k: raw[k] for k, v in out["expected_fields"].items() if v is None}
        out["missing_rows"] = list(spec.dropped_rows)
    return out


def dumps(manifest: dict) -> str:
    """The manifest as JSON text, one line per report (small, and diffs stay readable)."""
    head = {k: v for k, v in manifest.items() if k != "reports"}
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in manifest["reports"])
    text = json.dumps(head, ensure_ascii=False, indent=1)
    return text[:-2] + ',\n "reports": [\n' + lines + "\n ]\n}\n"
