"""Where the files are audited: worker processes on this machine, or a Dask distributed cluster.

An executor turns inputs into outcomes, in any order (the run's results do not depend on the order):
``run(inputs) -> Iterator[Done | Failed]`` (:mod:`audit.batch.messages`), one per input. Both keep at
most ``2 × jobs`` files in flight, so memory stays bounded on archives of any size.

- :class:`LocalExecutor`: ``jobs`` threads, each driving its own worker process (a Sandbox).
- :class:`DaskExecutor`: one task per file on a Dask cluster (``Client(scheduler)``, or a LocalCluster of
  ``jobs`` single-threaded workers when no address is given). Each Dask worker runs its files in its own
  Sandbox, so the per-file limits hold there too. The client reads the files and writes OUT: the cluster
  needs the ``report-audit`` package, not the files or the output folder.
"""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Iterable, Iterator

from audit.batch import DASK, LOCAL
from audit.batch.inputs import Input
from audit.batch.messages import Done, Failed, Task
from audit.batch.sandbox import SandboxPool, WorkerSpec
from audit.errors import AuditError


def executor_for(name: str, spec: WorkerSpec, jobs: int = 1, scheduler: str | None = None):
    """The executor called ``name`` (``audit.batch.EXECUTORS``)."""
    if name == DASK:
        return DaskExecutor(spec, jobs, scheduler)
    if name == LOCAL:
        return LocalExecutor(spec, jobs)
    raise ValueError(f"no executor {name!r}: choose from {', '.join((LOCAL, DASK))}")


def task_of(inp: Input) -> Task | Failed:
    """The task for one input, or its failure when its bytes cannot be read."""
    try:
        data = inp.read()
    except AuditError as exc:
        return Failed(inp.key, exc.code, exc.reason)
    return Task(inp.key, inp.name, data)


class LocalExecutor:
    name = LOCAL

    def __init__(self, spec: WorkerSpec, jobs: int = 1):
        self.spec = spec
        self.jobs = max(1, jobs)
        self.pool = SandboxPool(spec)

    def prestart(self) -> None:
        """Launch the worker processes now, ahead of the first file (their start-up overlaps the run's)."""
        self.pool.prestart(self.jobs)

    def close(self) -> None:
        """Stop the workers (those launched ahead and never used at once)."""
        self.pool.close()

    def _one(self, inp: Input) -> Done | Failed:
        task = task_of(inp)
        if isinstance(task, Failed):
            return task
        return self.pool.get().run(task)

    def run(self, inputs: Iterable[Input]) -> Iterator[Done | Failed]:
        it = iter(inputs)
        threads = ThreadPoolExecutor(self.jobs, thread_name_prefix="audit")
        pending: set = set()

        def submit() -> None:
            inp = next(it, None)
            if inp is not None:
                pending.add(threads.submit(self._one, inp))

        try:
            for _ in range(2 * self.jobs):
                submit()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    pending.discard(fut)
                    yield fut.result()
                    submit()
        finally:
            for fut in pending:
                fut.cancel()
            threads.shutdown(wait=True)
            self.pool.close()


# ------------------------------------------------------------------------------------------- dask

_process_pools: dict[str, SandboxPool] = {}  # by repr(spec): every task brings its own copy of the spec
_process_lock = threading.Lock()


def dask_task(spec: WorkerSpec, task: Task) -> Done | Failed:
    """Runs on a Dask worker: the file in this worker's sandbox (one per worker thread)."""
    with _process_lock:
        pool = _process_pools.get(repr(spec))
        if pool is None:
            pool = _process_pools[repr(spec)] = SandboxPool(spec)
    return pool.get().run(task)


def close_dask_sandboxes() -> int:
    """Runs on each Dask worker at the end of a batch: stop its worker processes."""
    with _process_lock:
        pools = list(_process_pools.values())
        _process_pools.clear()
    for pool in pools:
        pool.close()
    return len(pools)


class DaskExecutor:
    name = DASK

    def __init__(self, spec: WorkerSpec, jobs: int = 1, scheduler: str | None = None):
        self.spec = spec
        self.jobs = max(1, jobs)
        self.scheduler = scheduler

    def prestart(self) -> None:
        """Nothing to launch ahead: the cluster starts its workers."""

    def close(self) -> None:
        pass

    def run(self, inputs: Iterable[Input]) -> Iterator[Done | Failed]:
        from distributed import Client, LocalCluster, as_completed

        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            slots = 2 * max(self.jobs, sum(client.nthreads().values()))
            it = iter(inputs)
            futures = as_completed()
            in_flight: dict[str, str] = {}  # Dask key → input key
            token = uuid.uuid4().hex[:8]

            def fill() -> Iterator[Done | Failed]:
                """Submit files until the slots are full; unreadable files give their outcome at once."""
                while len(in_flight) < slots:
                    inp = next(it, None)
                    if inp is None:
                        return
                    task = task_of(inp)
                    if isinstance(task, Failed):
                        yield task
                        continue
                    fut = client.submit(dask_task, self.spec, task, key=f"audit-{token}-{inp.key}", pure=False)
                    in_flight[fut.key] = inp.key
                    futures.add(fut)

            yield from fill()
            for fut in futures:
                key = in_flight.pop(fut.key)
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - a lost Dask worker; the batch goes on
                    result = Failed(key, "crash", f"the Dask task failed ({type(exc).__name__}): {exc}")
                fut.release()
                yield result
                yield from fill()
        finally:
            try:
                client.run(close_dask_sandboxes)
            except Exception:  # noqa: BLE001 - workers already gone
                pass
            client.close()
            if cluster is not None:
                cluster.close()

