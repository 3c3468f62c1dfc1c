"""One ``audit batch`` at a time per run folder: an exclusive lock on ``OUT/.audit.lock``.

Two runs writing one store interleave their cross-report checks and summaries (a report's agency key
cleared by one while the other reads it); so the second run into an OUT refuses, with one line naming the
run that holds it. The lock is ``flock(2)`` on an open file: the kernel drops it when its process ends, by
any means (``kill -9`` included), so there is no stale lock to remove by hand. The file itself is left in
place (removing it would race a third run); it holds the holder's pid and start time, for the message.
"""
from __future__ import annotations

import datetime as _dt
import errno
import fcntl
import os
from pathlib import Path

from audit.errors import AuditError

LOCK_NAME = ".audit.lock"


class OutInUse(AuditError):
    code = "busy"


class OutLock:
    """``with OutLock(out):`` holds the run folder for this process, or raises :class:`OutInUse`."""

    def __init__(self, out: str | Path):
        self.path = Path(out) / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutInUse(f"{self.path.parent}: another audit batch is writing this run folder"
                               f"{' (' + holder + ')' if holder else ''}; wait for it to finish or use another -o")
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, started {_dt.datetime.now().isoformat(timespec='seconds')}\n".encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "OutLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
