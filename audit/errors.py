"""The errors a file can end in. Each carries a one-line reason a user can act on.

The CLI prints ``audit: <file>: <reason>`` on stderr and exits 1 when any file failed; a batch
records the reason in its store and goes on with the rest.
"""
from __future__ import annotations


class AuditError(Exception):
    """A file could not be read or audited. ``reason`` is one line, no traceback."""

    code = "error"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = " ".join(str(reason).split())


class MissingFile(AuditError):
    code = "missing"


class EmptyFile(AuditError):
    code = "empty"


class UnsupportedType(AuditError):
    code = "unsupported"


class CorruptFile(AuditError):
    code = "corrupt"


class EncryptedFile(AuditError):
    code = "encrypted"


class NoTextLayer(AuditError):
    code = "no_text_layer"


class NotAReport(AuditError):
    code = "not_a_report"


class TooLarge(AuditError):
    code = "too_large"


class RuleFileError(AuditError):
    """A rules, rubric or schema file is malformed; the reason names the file and line."""

    code = "bad_rules"
