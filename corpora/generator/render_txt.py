"""Plain text as reports reach a reviewer after copy-paste or a crawler: paragraphs with blank lines
between, tables flattened to tab-separated lines (as a PDF's text layer gives them) or pipe-separated
lines (a web scrape), in UTF-8, UTF-8 with BOM or GB18030."""
from __future__ import annotations

import random

from .document import build
from .layout import Layout
from .render_html import wrap
from .spec import ReportSpec
from .tables import Grid

ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")
STYLES = ("tab", "pipe")


def render_txt(spec: ReportSpec, layout: "str | Layout" = "plain", encoding: str | None = None,
               style: str | None = None) -> bytes:
    lay = spec.layout(layout)
    rng = random.Random(f"txt:{spec.seed}:{spec.meta.agency}:{spec.meta.year}")
    encoding = encoding or rng.choice(ENCODINGS)
    style = style or rng.choice(STYLES)
    if encoding not in ENCODINGS or style not in STYLES:
        raise ValueError(f"txt encoding must be one of {ENCODINGS}, style one of {STYLES}")
    lines: list[str] = []
    page = 3
    for b in build(spec, lay):
        if b.kind == "table":
            lines += _table(b.grid, lay, style)
            lines.append("")
        elif b.kind == "page_break":
            if lines and lines[-1] == "":
                lines.pop()
            lines += ["", f"- {page} -", ""]
            page += 1
        else:
            lines += [b.text, ""]
    text = "\n".join(lines).rstrip("\n") + "\n"
    return text.encode(encoding)


def _table(g: Grid, lay: Layout, style: str) -> list[str]:
    sep = "\t" if style == "tab" else "|"
    out = []
    for row in g.rows:
        texts = ["" if c is None else c.text for c in row]
        extra: list[list[str]] = []
        if lay.wrapped_labels:
            for i in range(g.label_cols if g.table != "t4" else 0):
                c = row[i]
                if c is not None and c.kind == "label" and len(c.text) > 10:
                    parts = wrap(c.text, 10)
                    texts[i] = parts[0]
                    for j, part in enumerate(parts[1:]):
                        if len(extra) <= j:
                            extra.append([""] * g.n_cols)
                        extra[j][i] = part
        out.append(_join(texts, sep, style))
        out += [_join(e, sep, style).rstrip(sep + " ") for e in extra]
    return out


def _join(texts: list[str], sep: str, style: str) -> str:
    if style == "pipe":
        return "| " + " | ".join(texts) + " |"
    return sep.join(texts)
