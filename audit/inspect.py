"""What ``audit inspect`` prints: the document model as JSON (a public interface) or as text.

JSON keys (stable): ``source``, ``meta`` (agency, year, published, period, format, …), ``sections``
(number, title, pages, text, subsections), ``tables`` (page, pages, rows; ``cell_stream: true`` on a table
whose input gave no row boundaries, its cells then in one row), ``fields`` (field id →
value, kind, raw, page, table, row_label, column_label), ``table_notes`` (what the extraction noticed; its
``readings``: table id → the reader that read it, ``winner``, and ``tried``, each reader's ``outcome``
— won, declined, skipped, header_only, completed — and ``why``) and ``notes``.
"""
from __future__ import annotations

from audit.model import Document, Fields, TableReading, to_record


def inspect_json(doc: Document, fields: Fields | None = None) -> dict:
    out = {
        "source": doc.source.to_json(),
        "meta": doc.meta.to_json(),
        "page_count": doc.page_count,
        "sections": [s.to_json() for s in doc.sections],
        "tables": [t.to_json() for t in doc.tables],
        "notes": list(doc.notes),
    }
    if fields is not None:
        out["fields"] = fields.to_json()
        # texts in Chinese under not_assessable, variants, notes; in English under their _en siblings
        out["table_notes"] = {**fields.tables_json(), "identity_resolved": dict(fields.identity_resolved),
                              "identities_used": dict(fields.identities_used),
                              "stated_figures": [s.to_json() for s in fields.stated_figures],
                              "readings": {tid: to_record(r) for tid, r in fields.readings.items()}}
    return out


def inspect_text(doc: Document, fields: Fields | None = None) -> str:
    m = doc.meta
    lines = [
        f"== {doc.source.path}",
        f"kind {doc.source.kind}, {doc.page_count} page(s), sha256 {doc.source.sha256[:16]}…"
        + (f", encoding {doc.source.encoding}" if doc.source.encoding else ""),
        f"agency {m.agency or '?'} · year {m.year or '?'} · published {m.published or '?'} · format {m.format or '?'}"
        + (f" (year says {m.format_by_year}, labels say {m.format_by_labels})"
           if m.format_by_labels and m.format_by_year and m.format_by_labels != m.format_by_year else ""),
    ]
    for s in doc.sections:
        head = s.text.replace("\n", " ")[:40]
        lines.append(f"  {s.number}. {s.title}  [p. {','.join(map(str, s.pages)) or '?'}]  {len(s.text)} chars: {head}…")
    missing = sorted(set(range(1, 7)) - {s.number for s in doc.sections})
    if missing:
        lines.append(f"  sections not found: {', '.join(map(str, missing))}")
    for i, t in enumerate(doc.tables, 1):
        pages = ','.join(map(str, t.pages or [t.page]))
        if t.cell_stream:
            lines.append(f"  table {i}: {t.n_cols} cells without row boundaries on p. {pages}")
        else:
            lines.append(f"  table {i}: {len(t.rows)}×{t.n_cols} on p. {pages}")
    if fields is not None:
        counts: dict[str, int] = {}
        for v in fields.values():
            counts[str(v.kind)] = counts.get(str(v.kind), 0) + 1
        lines.append(f"  fields: {len(fields)} (" + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) + ")")
        settled: dict[str, list[str]] = {}
        for fid, v in fields.items():
            if v.origin is not None:
                settled.setdefault(v.origin.en, []).append(fid)
        for why, fids in settled.items():
            lines.append(f"  settled {fids[0]} … ({len(fids)} cells): {why}")
        for s in fields.stated_figures:
            lines.append(f"  stated {s.field} = {s.value} ({s.outcome}, run “{s.run}”): {s.sentence}")
        lines.extend(_reading_lines(r) for r in fields.readings.values())
    for n in doc.notes:
        lines.append(f"  note: {n}")
    return "\n".join(lines)


def _reading_lines(r: TableReading) -> str:
    """“t3 read by grid: why; cells skipped, runon skipped” (the winner first, then the others' outcomes)."""
    won = next((t for t in r.tried if t.outcome == "won"), None)
    head = f"  {r.table} read by {r.winner}: {won.why}" if won is not None else f"  {r.table} read by no reader"
    rest = [f"{t.reader} {t.outcome}" + ("" if t.outcome == "skipped" else f" ({t.why})")
            for t in r.tried if t is not won]
    return head + ("; " + ", ".join(rest) if rest else "")
