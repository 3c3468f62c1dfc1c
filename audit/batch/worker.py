"""The worker process: ``python -m audit.batch.worker``, driven by a :class:`~audit.batch.sandbox.Sandbox`.

Protocol over stdin/stdout: length-prefixed pickles. The first message is the WorkerSpec; the worker builds
its auditor (start-up cost paid once per process), caps its address space, answers ``Ready(pid, scratch)``
(or ``Fatal(reason)``), then answers each ``Task`` with ``Done(key, record, memos, work)`` or
``Failed(key, code, reason, work)`` (:mod:`audit.batch.messages`). It exits on end of input (its parent
went away) and after running out of memory.

Only the parent sends pickles here, over a private pipe; report content never arrives as a pickle of its
own making (a task holds the file's bytes).
"""
from __future__ import annotations

import os
import pickle
import resource
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

from audit.batch.messages import Done, Failed, Fatal, Ready, Task

HEADER = struct.Struct("!Q")


def send(fh, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(HEADER.pack(len(data)) + data)
    fh.flush()


def recv(fh):
    head = fh.read(HEADER.size)
    if len(head) < HEADER.size:
        raise EOFError
    n = HEADER.unpack(head)[0]
    data = fh.read(n)
    if len(data) < n:
        raise EOFError
    return pickle.loads(data)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def run_task(auditor, task: Task, scratch: Path) -> Done | Failed:
    """Audit one file in ``scratch``; always returns a reply, never raises (but for MemoryError)."""
    from audit.batch.auditor import relabel, to_record
    from audit.errors import AuditError
    from audit.names import bounded_name

    t0 = time.perf_counter()
    folder = Path(tempfile.mkdtemp(dir=scratch))
    try:
        name = PurePosixPath(task.name)  # a zip member's name may pass the file system's 255 bytes
        src = folder / "in" / bounded_name(name.stem, name.suffix)
        src.parent.mkdir()
        src.write_bytes(task.data)
        try:
            result = relabel(auditor.audit(src), task.key)
            memos = auditor.render_memos(result)
            record = to_record(result, task.key)
        except AuditError as exc:
            return Failed(task.key, exc.code, exc.reason, _work(t0))
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug of ours on one file; the batch goes on
            msg = " ".join(str(exc).split())[:300]
            return Failed(task.key, "internal", f"internal error ({type(exc).__name__}): {msg}", _work(t0))
        return Done(task.key, record, memos, _work(t0))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


SCRATCH_PREFIX = "audit-worker-"


def make_scratch() -> Path:
    """This process's private scratch folder, ``$TMPDIR/audit-worker-<pid>-<random>``: the pid lets a
    later run tell the scratch of a dead worker from that of a live one."""
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))


def clean_stale_scratch(tmp: str | Path | None = None) -> list[Path]:
    """Remove the scratch folders of workers that are gone (killed for time or memory, ``kill -9``):
    ``$TMPDIR/audit-worker-<pid>-*`` of this user whose process no longer runs, or runs a newer program
    under a reused pid. Returns what was removed."""
    import psutil

    root = Path(tmp or tempfile.gettempdir())
    removed = []
    try:
        candidates = list(root.glob(f"{SCRATCH_PREFIX}*"))
    except OSError:
        return removed
    for folder in candidates:
        try:
            st = folder.lstat()
            if not folder.is_dir() or folder.is_symlink() or st.st_uid != os.getuid():
                continue
            pid = int(folder.name[len(SCRATCH_PREFIX):].split("-", 1)[0])
        except (OSError, ValueError):
            continue  # not ours (an older version's name: no pid to tell; it is left alone)
        try:
            alive = psutil.Process(pid).create_time() <= st.st_mtime + 1 and pid != os.getpid()
        except psutil.Error:
            alive = False
        if pid == os.getpid():
            alive = True
        if not alive:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _work(t0: float) -> dict:
    return {"seconds": round(time.perf_counter() - t0, 3), "peak_rss_mb": peak_rss_mb(), "worker": str(os.getpid())}


def _cap_address_space(max_memory_mb: int | None) -> None:
    """A hard stop for runaway allocations: the address space now plus the memory limit."""
    if not max_memory_mb:
        return
    import psutil

    vms = psutil.Process().memory_info().vms
    cap = vms + max_memory_mb * 2**20
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def main() -> int:
    out = os.fdopen(os.dup(1), "wb")  # the protocol's channel; stray prints of libraries go to stderr
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    try:
        spec = recv(inp)
    except EOFError:
        return 0
    from audit.batch.auditor import load_auditor
    from audit.errors import AuditError

    try:
        auditor = load_auditor(spec.auditor, spec.options)
        getattr(auditor, "warm_up", lambda: None)()
    except AuditError as exc:
        send(out, Fatal(exc.reason))
        return 1
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops the run
        send(out, Fatal(f"the auditor could not start ({type(exc).__name__}): {exc}"))
        return 1
    _cap_address_space(spec.max_memory_mb)
    clean_stale_scratch()
    scratch = make_scratch()
    send(out, Ready(os.getpid(), str(scratch)))  # the parent removes it too, should this process be killed
    try:
        while True:
            try:
                task = recv(inp)
            except EOFError:
                return 0
            t0 = time.perf_counter()
            try:
                reply = run_task(auditor, task, scratch)
            except MemoryError:
                send(out, Failed(task.key, "memory",
                                 f"memory limit: the file needed more than {spec.max_memory_mb} MB", _work(t0)))
                return 3  # a fresh process for the next file
            send(out, reply)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
