"""Synthetic 政府信息公开工作年度报告: consistent field values, narrative, renderings, injected defects.

    from corpora.generator import random_report, report_series, render, render_many
    spec = random_report("2021", seed=7)
    spec.expected_fields("blank_cells")        # field id → int | Decimal | None, as rendered
    pdf = render(spec, "pdf", layout="page_break_t3")
    render_many([(s, "pdf", "plain") for s in specs], "out/")   # one LibreOffice run
    new_spec, truth = inject(spec, "changed_cell", seed=1)

``python -m corpora.generator samples`` rewrites ``corpora/samples``; ``python -m corpora.generator
archive OUT --n 500 --seed 1`` writes a batch archive with a manifest of the truth.
"""
from .layout import VARIANTS, Layout
from .render import KINDS, RENDERINGS, RenderJob, render, render_many
from .spec import ReportMeta, ReportSpec, random_report, report_series

__all__ = ["KINDS", "RENDERINGS", "VARIANTS", "Layout", "RenderJob", "ReportMeta", "ReportSpec", "random_report", "render",
           "render_many", "report_series"]
