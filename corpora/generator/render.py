"""Render a ReportSpec to bytes of one input kind, or many specs to files with one LibreOffice run."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .layout import Layout
from .render_docx import render_docx
from .render_html import render_html
from .render_pdf import docx_to_pdf, html_to_pdf, normalise_pdf, soffice_convert
from .render_reportlab import render_reportlab
from .render_txt import render_txt
from .spec import ReportSpec

KINDS = ("pdf", "docx", "html", "txt")
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "txt": ".txt"}
#: The renderings benchmarks and tests name: an input kind and the options it is rendered with. Beside the
#: four kinds (options drawn from the seed), a crawler's one-cell-per-line text of the web page without
#: and with row markers (render_txt's ``cells`` and ``cell_rows`` styles).
RENDERINGS = {
    "pdf": ("pdf", {}),
    "docx": ("docx", {}),
    "html": ("html", {}),
    "txt": ("txt", {}),
    "txt-cells": ("txt", {"style": "cells"}),
    "txt-cellrows": ("txt", {"style": "cell_rows"}),
}


def pdf_engine(layout: Layout, engine: str | None) -> str:
    """"soffice" (a Word document exported to PDF, as agencies make them) unless asked otherwise; the
    borderless layout defaults to reportlab (STSong-Light, no ruling lines), the web_print layout to
    chromium (the portal page printed by a browser)."""
    if engine is None:
        if layout.web_print:
            return "chromium"
        return "reportlab" if layout.borderless and not layout.word_borderless else "soffice"
    if engine not in ("soffice", "reportlab", "chromium"):
        raise ValueError(f"pdf engine must be soffice, reportlab or chromium, not {engine!r}")
    return engine


def render(spec: ReportSpec, kind: str, layout: "str | Layout" = "plain", **options) -> bytes:
    """The report as a file's bytes. Options: html ``encoding`` (utf-8 | gbk | gbk-undeclared);
    txt ``encoding`` (utf-8 | utf-8-sig | gb18030) and ``style`` (tab | pipe | cells | cell_rows); pdf ``engine``
    (soffice | reportlab | chromium). Unset options are drawn from the spec's seed."""
    lay = spec.layout(layout)
    if kind == "docx":
        return render_docx(spec, lay)
    if kind == "html":
        return render_html(spec, lay, **options)
    if kind == "txt":
        return render_txt(spec, lay, **options)
    if kind == "pdf":
        engine = pdf_engine(lay, options.get("engine"))
        if engine == "reportlab":
            return render_reportlab(spec, lay)
        if engine == "chromium":
            return html_to_pdf(render_html(spec, lay, encoding="utf-8"))
        return docx_to_pdf(render_docx(spec, lay), spec.meta.published)
    raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")


@dataclass
class RenderJob:
    spec: ReportSpec
    kind: str
    layout: str = "plain"
    name: str | None = None  # file name without extension; default from agency, year, seed and layout
    options: dict = field(default_factory=dict)

    @property
    def filename(self) -> str:
        lay = self.spec.layout(self.layout).name
        stem = self.name or f"{self.spec.meta.year}_{self.spec.meta.agency}_{self.spec.seed}_{lay}"
        return stem + EXTENSIONS[self.kind]


def _job(item) -> RenderJob:
    if isinstance(item, RenderJob):
        return item
    spec, *rest = item
    if len(rest) == 1 and isinstance(rest[0], dict):
        return RenderJob(spec, **rest[0])
    return RenderJob(spec, *rest)


def render_many(specs_and_options: Iterable, out_dir: "str | Path", *, chunk: int = 200) -> list[Path]:
    """Write many renderings into ``out_dir``; Word-made PDFs are converted by ONE soffice run per
    ``chunk`` files (LibreOffice start-up, not conversion, is what a per-file call pays for).

    Items are ``RenderJob``s or tuples ``(spec, kind[, layout[, name]])`` / ``(spec, {kind, layout, name,
    options})``. Returns the written paths in input order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [_job(i) for i in specs_and_options]
    paths: list[Path | None] = [None] * len(jobs)
    via_soffice: list[int] = []
    for i, job in enumerate(jobs):
        lay = job.spec.layout(job.layout)
        if job.kind == "pdf" and pdf_engine(lay, job.options.get("engine")) == "soffice":
            via_soffice.append(i)
            continue
        path = out / job.filename
        path.write_bytes(render(job.spec, job.kind, lay, **job.options))
        paths[i] = path
    with tempfile.TemporaryDirectory(prefix="report-gen-") as tmp:
        for start in range(0, len(via_soffice), chunk):
            batch = via_soffice[start: start + chunk]
            docx = []
            for n, i in enumerate(batch):
                src = Path(tmp) / f"{start + n:06d}.docx"
                src.write_bytes(render_docx(jobs[i].spec, jobs[i].layout))
                docx.append(src)
            for i, pdf in zip(batch, soffice_convert(docx, Path(tmp) / "pdf")):
                path = out / jobs[i].filename
                path.write_bytes(normalise_pdf(pdf.read_bytes(), jobs[i].spec.meta.published))
                pdf.unlink()
                paths[i] = path
    return [p for p in paths if p is not None]
