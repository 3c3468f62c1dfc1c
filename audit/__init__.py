"""report-audit: audits 政府信息公开工作年度报告 and writes audit memos.

The public API (the CLI and the notebooks call the same functions) lives in ``audit.pipeline``.
"""
from audit.versions import tool_version as _tool_version

__version__ = _tool_version()
