"""The messages that cross the worker boundary, typed: what the parent sends a worker, what a worker
answers, and the outcome an executor yields for each file (told apart by type, never by a tag or by which
keys a dict holds).

Parent → worker: the :class:`~audit.batch.sandbox.WorkerSpec`, then one :class:`Task` per file.
Worker → parent: :class:`Ready` (or :class:`Fatal`) once, then :class:`Done` or :class:`Failed` per task.
Executors yield :class:`Done` or :class:`Failed` for every input (an unreadable input fails before any
worker sees it).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One file to audit: its key in the run, its name (for the suffix) and its bytes."""

    key: str
    name: str
    data: bytes


@dataclass(frozen=True)
class Ready:
    """A worker started: its process id and its private scratch folder."""

    pid: int
    scratch: str


@dataclass(frozen=True)
class Fatal:
    """A worker could not start (the auditor failed to load): why."""

    reason: str


@dataclass(frozen=True)
class Done:
    """A file audited: the store's record of the Result (:func:`audit.batch.auditor.to_record`), its memos
    by file name, and what the work took (seconds, peak_rss_mb, worker)."""

    key: str
    record: dict
    memos: dict
    work: dict | None = None


@dataclass(frozen=True)
class Failed:
    """A file not audited: an AuditError code (or timeout | memory | crash | internal) and the reason."""

    key: str
    code: str
    reason: str
    work: dict | None = None


Outcome = Done | Failed
