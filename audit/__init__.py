"""report-audit: audits 政府信息公开工作年度报告 and writes audit memos.

The public API (``audit.api``; the CLI and the notebooks call the same functions)::

    from audit import audit_file, load_run, record_decision, export_decisions, import_decisions, export_excel

It is imported on first use, so ``import audit`` (every CLI call and batch worker) stays light.
"""
from audit.versions import tool_version as _tool_version

__version__ = _tool_version()

_API = ("AuditResult", "Run", "audit_file", "load_run", "record_decision", "export_decisions", "import_decisions",
        "record_correction", "export_corrections", "import_corrections", "compare_reports", "export_excel",
        "CorrectionError", "ReviewError")
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from audit import api

        return getattr(api, name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
