"""A worker process under per-file limits: the parent side of ``audit.batch.worker``.

A :class:`Sandbox` owns one worker process and runs one file at a time in it. While it waits for the
answer it enforces the limits: past ``timeout`` seconds, or past ``max_memory_mb`` of resident memory
(polled every 0.1 s; the worker also caps its own address space), the worker is killed, the file is
recorded with the reason, and the next file gets a fresh worker. A worker that dies on its own (a crash
in a C library) is recorded the same way. Start-up (imports, rules, dictionaries, model) is paid once per
worker process, not per file.

Both executors use sandboxes: the local one from its threads, the Dask one inside each Dask worker, so
the limits hold on a cluster too.
"""
from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import psutil

from audit.batch.messages import Done, Failed, Fatal, Ready, Task
from audit.batch.worker import HEADER, send

POLL = 0.1


class BatchError(Exception):
    """The batch cannot go on (the auditor does not start, the store cannot be written …)."""


@dataclass(frozen=True)
class WorkerSpec:
    """How to start a worker: the auditor, its options, the per-file limits."""

    auditor: str
    options: dict
    timeout: float | None = 120.0
    max_memory_mb: int | None = 1024
    startup_timeout: float = 300.0
    sys_path: tuple[str, ...] = field(default_factory=tuple)


class Sandbox:
    def __init__(self, spec: WorkerSpec):
        self.spec = spec
        self.proc: subprocess.Popen | None = None
        self._stderr = None
        self._buf = b""
        self._scratch: str | None = None  # the worker's scratch folder, removed when it has gone
        self._ready = False  # the worker answered Ready

    # ------------------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.launch()
        self._await_ready()

    def launch(self) -> None:
        """Start the worker process and send it its spec, without waiting for it to be ready: it builds
        its auditor while this process goes on (:meth:`SandboxPool.prestart`)."""
        env = dict(os.environ)
        path = [p for p in self.spec.sys_path if p]
        if path:
            env["PYTHONPATH"] = os.pathsep.join(path + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        self._stderr = tempfile.TemporaryFile()
        self._buf = b""
        self._ready = False
        self.proc = subprocess.Popen([sys.executable, "-m", "audit.batch.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr, env=env, close_fds=True)
        send(self.proc.stdin, self.spec)

    def _await_ready(self) -> None:
        reply = self._receive(time.monotonic() + self.spec.startup_timeout, memory=False)
        if isinstance(reply, Ready):
            self._scratch = reply.scratch
            self._ready = True
        else:
            why = reply.reason if isinstance(reply, Fatal) else self._why_dead() or "no answer"
            self.close()
            raise BatchError(f"the worker process could not start: {why}")

    def close(self) -> None:
        try:
            if self.proc is not None:
                try:
                    self.proc.stdin.close()
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._kill()
                self.proc.stdout.close()
                self.proc = None
            if self._stderr is not None:
                self._stderr.close()
                self._stderr = None
        finally:
            # a worker killed for time or memory could not remove its copies of the reports: do it here
            if self._scratch is not None and (self.proc is None or self.proc.poll() is not None):
                shutil.rmtree(self._scratch, ignore_errors=True)
                self._scratch = None

    def discard(self) -> None:
        """Stop a worker that was launched ahead and is not needed (nothing to audit, the run refused):
        killed at once rather than waited for through its start-up."""
        self._kill()
        self.close()

    def _kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    # ------------------------------------------------------------------------------------ work

    def run(self, task: Task) -> Done | Failed:
        """Audit one task (``key``, ``name``, ``data``) and return its outcome; never raises for the file."""
        if self.proc is not None and not self._ready:  # launched ahead of its first file
            self._await_ready()
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self.start()
        t0 = time.monotonic()
        try:
            send(self.proc.stdin, task)
        except (BrokenPipeError, OSError):
            return self._lost(task.key, t0)
        deadline = t0 + self.spec.timeout if self.spec.timeout else None
        try:
            reply = self._receive(deadline, memory=True)
        except _MemoryExceeded as exc:
            self._kill()
            self.close()
            return Failed(task.key, "memory", f"memory limit: the worker passed {self.spec.max_memory_mb} MB "
                                              f"({exc.rss_mb:.0f} MB resident) and was stopped",
                          self._work(t0, exc.rss_mb))
        if reply is None:
            if self.proc is not None and self.proc.poll() is None:  # alive: the time ran out
                self._kill()
                self.close()
                return Failed(task.key, "timeout",
                              f"time limit: no result within {self.spec.timeout:g} s; the worker was stopped",
                              self._work(t0))
            return self._lost(task.key, t0)
        if isinstance(reply, Failed) and reply.code == "memory":  # the worker exits after a MemoryError
            self.close()
        return reply

    def _lost(self, key: str, t0: float) -> Failed:
        why = self._why_dead()
        self.close()
        return Failed(key, "crash", f"the worker process died on this file ({why})", self._work(t0))

    def _work(self, t0: float, rss_mb: float | None = None) -> dict:
        return {"seconds": round(time.monotonic() - t0, 3), "peak_rss_mb": rss_mb, "worker": None}

    def _why_dead(self) -> str:
        if self.proc is None:
            return "not running"
        rc = self.proc.poll()
        if rc is None:
            return "still running"
        what = f"killed by signal {-rc}" if rc < 0 else f"exit status {rc}"
        last = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            lines = [ln.strip() for ln in self._stderr.read()[-4000:].decode("utf-8", "replace").splitlines()]
            last = next((ln for ln in reversed(lines) if ln), "")
        return f"{what}: {last[:200]}" if last else what

    # -------------------------------------------------------------------------------- receive

    def _receive(self, deadline: float | None, *, memory: bool):
        """The next message, or None when the deadline passed or the worker died."""
        fd = self.proc.stdout.fileno()
        ps = psutil.Process(self.proc.pid)
        limit = self.spec.max_memory_mb
        while True:
            msg = self._message()
            if msg is not None:
                return msg
            wait = POLL if deadline is None else min(POLL, deadline - time.monotonic())
            if wait <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], wait)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:  # end of file: the worker is gone
                    self.proc.wait()
                    return None
                self._buf += chunk
            elif memory and limit:
                try:
                    rss = ps.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                if rss > limit:
                    raise _MemoryExceeded(rss)

    def _message(self):
        import pickle

        if len(self._buf) < HEADER.size:
            return None
        n = HEADER.unpack_from(self._buf)[0]
        if len(self._buf) < HEADER.size + n:
            return None
        data = self._buf[HEADER.size:HEADER.size + n]
        self._buf = self._buf[HEADER.size + n:]
        return pickle.loads(data)


class _MemoryExceeded(Exception):
    def __init__(self, rss_mb: float):
        super().__init__(rss_mb)
        self.rss_mb = rss_mb


class SandboxPool:
    """One sandbox per thread, all closed together. :meth:`prestart` launches workers ahead of the first
    file, so that their start-up runs while this process still prepares the run."""

    def __init__(self, spec: WorkerSpec):
        self.spec = spec
        self._local = threading.local()
        self._all: list[Sandbox] = []
        self._spare: list[Sandbox] = []  # launched ahead, not yet taken by a thread
        self._lock = threading.Lock()

    def prestart(self, n: int) -> None:
        """Launch ``n`` workers now; the first threads to ask for a sandbox get them."""
        for _ in range(n):
            box = Sandbox(self.spec)
            try:
                box.launch()
            except OSError:
                box.close()
                return  # the threads start their own, and report what fails
            with self._lock:
                self._spare.append(box)

    def get(self) -> Sandbox:
        box = getattr(self._local, "box", None)
        if box is None:
            with self._lock:
                box = self._spare.pop() if self._spare else Sandbox(self.spec)
                self._all.append(box)
            self._local.box = box
        return box

    def close(self) -> None:
        with self._lock:
            boxes, self._all = self._all, []
            spare, self._spare = self._spare, []
        for box in spare:
            box.discard()
        for box in boxes:
            box.close()
