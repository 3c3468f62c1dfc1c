"""``audit batch``: audit every report under some paths into a run folder, resumably.

The steps, each one restartable:
0. take OUT for this run (a lock: a second run into it refuses with one line), remove what killed runs
   left (worker scratch, half-written memos), and check the store whole (a damaged one is set aside,
   renamed, and a new one rebuilt from the inputs);
1. find the inputs (folders, zip archives, files) and hash their content;
2. skip every input the store already holds with the same content hash and the same audit key (tool,
   parser, rules, model and rubric versions, memo options) — a failure recorded under the same key is
   skipped too, unless ``retry_failed``;
3. audit the rest on the executor; as each outcome arrives, write its memos (temp file + rename) and then
   its rows (one transaction), or its error row;
4. run the cross-report checks over the whole store;
5. render again, from the store, the memos whose cross-report findings or review decisions changed
   (:mod:`audit.batch.memos`), so memo and stored score count the cross-report findings;
6. write the summaries.
A run killed at any point loses only the files in flight; the same command picks up from there.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from audit.batch import corrections, cross, overview, summaries
from audit.batch.memos import clean_partial_memos, refresh, remove_memos, write_memos
from audit.batch.auditor import DEFAULT_AUDITOR, audit_key, load_auditor
from audit.batch import DEFAULT_EXECUTOR
from audit.batch.executors import executor_for
from audit.batch.messages import Done
from audit.batch.inputs import Input, discover, sha256
from audit.batch.sandbox import WorkerSpec
from audit.batch.lock import OutLock
from audit.batch.store import STORE_NAME, Store, read_damaged
from audit.batch.worker import clean_stale_scratch
from audit.errors import AuditError

@dataclass
class BatchOptions:
    jobs: int = 1
    executor: str = DEFAULT_EXECUTOR  # one of audit.batch.EXECUTORS
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster
    formats: tuple[str, ...] = ("md", "json")
    lang: str = "zh"
    timeout: float | None = 120.0  # seconds per file
    max_memory_mb: int | None = 1024  # resident memory per worker process
    agency_map: Path | None = None
    rules_file: Path | None = None
    extra_rules: tuple[Path, ...] = ()
    rubric_file: Path | None = None
    narrative: bool = True
    today: _dt.date | None = None
    retry_failed: bool = False
    progress: bool = True
    auditor: str = DEFAULT_AUDITOR  # "module:Class", see audit.batch.auditor
    cache: bool = True  # the parsed-document cache as configured (``audit.cache``); False: neither read nor written

    def auditor_options(self) -> dict:
        return {"formats": tuple(self.formats), "lang": self.lang, "rules_file": self.rules_file,
                "extra_rules": tuple(self.extra_rules), "rubric_file": self.rubric_file,
                "narrative": self.narrative, "today": self.today, "cache": self.cache}


@dataclass
class RunReport:
    """What a run did, for the CLI's closing lines."""

    run_id: int
    out: Path
    inputs: int = 0
    audited: int = 0
    skipped: int = 0
    ignored: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (key, reason) of every failing input
    rendered: int = 0  # reports whose memos were rendered again from the store (cross-report findings, decisions)
    seconds: float = 0.0
    summaries: list[Path] = field(default_factory=list)
    ignored_keys: list[str] = field(default_factory=list)  # listed in OUT/summary/ignored.txt
    notes: list[str] = field(default_factory=list)  # one line each: a damaged store set aside, …


def run_batch(paths: list[str | Path], out: str | Path, opts: BatchOptions | None = None,
              command: str = "") -> RunReport:
    opts = opts or BatchOptions()
    if opts.today is None:  # one audit date for every memo of the run
        opts = dataclasses.replace(opts, today=_dt.date.today())
    out = Path(out)
    t0 = time.perf_counter()
    prepare_out(out)
    executor = executor_for(opts.executor, _spec(opts), opts.jobs, opts.scheduler)
    executor.prestart()  # the workers start up while this process loads its auditor and plans the run
    try:
        options = opts.auditor_options()
        auditor = load_auditor(opts.auditor, options)  # the parent's copy: versions and the run rules
        versions = auditor.versions()
        key = audit_key(versions, options)
        with OutLock(out):  # one run per OUT: a second one refuses with one line (OutInUse)
            clean_stale_scratch()  # worker scratch a killed run left behind
            clean_partial_memos(out)
            store, note = open_store(out)
            report = RunReport(run_id=0, out=out)
            if note:
                report.notes.append(note)
                if opts.progress:
                    print(f"audit: {note}", file=sys.stderr, flush=True)
            try:
                report.run_id = store.start_run(command=command, executor=opts.executor, jobs=opts.jobs,
                                                versions=versions)
            except BaseException:
                store.close()
                raise
            _run(store, paths, out, opts, auditor, key, report, t0, executor)
    finally:
        executor.close()  # workers launched ahead and not needed (nothing to audit) stop here
    return report


def _spec(opts: BatchOptions) -> WorkerSpec:
    return WorkerSpec(auditor=opts.auditor, options=opts.auditor_options(), timeout=opts.timeout,
                      max_memory_mb=opts.max_memory_mb, sys_path=tuple(p for p in sys.path if p and os.path.isdir(p)))


def _run(store: Store, paths, out: Path, opts: BatchOptions, auditor, key: str, report: RunReport,
         t0: float, executor) -> None:
    run_id = report.run_id
    status = "failed"
    try:
        found = discover(list(paths), exclude=out)
        report.ignored = found.ignored
        report.ignored_keys = list(found.ignored_keys)
        report.inputs = len(found.inputs) + len(found.refused)
        for r in found.refused:
            store.put_error(r.key, sha256=None, audit_key=key, code=r.code, reason=r.reason)
        todo, hashes = _plan(store, found.inputs, key, opts.retry_failed, report)
        if not todo:
            executor.close()  # before the cross-report work: the workers launched ahead are not needed
        _audit(store, todo, hashes, key, opts, run_id, report, executor)
        made_from = store.inputs_digest(*_derived_options(auditor, opts))
        if store.get_state("derived") == made_from and summaries.present(out):
            report.summaries = summaries.paths(out)  # nothing new since they were made: they stand
        else:
            corrections.recheck(store, auditor.ruleset)  # reports whose corrections changed, on the corrected reading
            cross.run(store, auditor.ruleset, agency_map=opts.agency_map)
            report.rendered = len(refresh(store, out))
            report.summaries = summaries.write(store, out)
            overview.write(store, out, opts.lang)
            store.set_state("derived", made_from)
        if not (out / overview.INDEX_NAME).is_file():  # a run folder made before the overview existed
            overview.write(store, out, opts.lang)
        _write_ignored(out, report.ignored_keys)
        failing = store.failure_reasons()
        report.failures = sorted((k, failing[k]) for k in
                                 [i.key for i in found.inputs] + [r.key for r in found.refused] if k in failing)
        status = "complete"
    finally:
        report.seconds = time.perf_counter() - t0
        try:
            store.finish_run(run_id, status=status, seconds=report.seconds, inputs=report.inputs,
                             audited=report.audited, skipped=report.skipped, failed=len(report.failures),
                             ignored=report.ignored)
        except sqlite3.Error:
            if status == "complete":
                raise
            # the run failed already (a read-only or full disk): that error is the one to report
        finally:
            store.close()


IGNORED_LIST = "summary/ignored.txt"


def _write_ignored(out: Path, keys: list[str]) -> None:
    """The files and archive members of other types this run skipped, one key a line (none: no file)."""
    path = out / IGNORED_LIST
    if not keys:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text("".join(f"{k}\n" for k in keys), encoding="utf-8")
    os.replace(tmp, path)


class RunFolderError(AuditError):
    """OUT cannot be made or written (a file in its place, no permission, a read-only disk)."""

    code = "out"


def prepare_out(out: Path) -> None:
    """Make OUT, or raise :class:`RunFolderError` with one line naming it and why."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise RunFolderError(f"{out}: cannot be the run folder: a file of that name is in the way") from None
    except NotADirectoryError:
        raise RunFolderError(f"{out}: cannot be the run folder: a part of its path is a file, not a folder") from None
    except OSError as exc:
        raise RunFolderError(f"{out}: cannot make the run folder: {exc.strerror or exc}") from None
    if not _writable(out):
        raise RunFolderError(f"{out}: cannot write the run folder: permission denied or a read-only disk")


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


#: SQLite result codes of a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB
_DAMAGED = {11, 26}


def open_store(out: Path) -> tuple[Store, str | None]:
    """The run's store, checked whole (``PRAGMA integrity_check``). A damaged one is set aside (renamed,
    never deleted) and a new one made, to be rebuilt from the inputs; the second value then says so."""
    path = out / STORE_NAME
    try:
        store = Store(out)
    except sqlite3.DatabaseError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in _DAMAGED:
            raise
        problem = str(exc)
    else:
        try:
            problem = store.integrity_problem()
        except sqlite3.DatabaseError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in _DAMAGED:
                store.close()
                raise
            problem = str(exc)
        if problem is None:
            return store, None
        store.close()
    stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in ("-wal", "-shm", ""):  # the journal stays beside the file it belongs to
        part = path.with_name(path.name + suffix)
        if part.exists():
            os.replace(part, aside.with_name(aside.name + suffix))
    problem = " ".join(problem.split())
    store = Store(out)
    recovered = _recover_reviews(aside, store)
    kept = {None: "its review decisions could not be read back",
            0: "it held no review decisions"}.get(recovered, f"its {recovered} review decision(s) kept")
    corrected = _recover_corrections(aside, store)
    if corrected:
        kept += f", its {corrected} correction(s) kept"
    return store, (f"{path}: the store is damaged ({problem}); set aside as {aside.name} and rebuilt from the "
                   f"inputs of this run; {kept}")


def _recover_reviews(damaged: Path, store: Store) -> int | None:
    """Copy the review decisions (user data: no run can make them again) that can still be read from a
    damaged store into the new one; how many, or None when none could be read."""
    try:
        rows = read_damaged(damaged, "reviews")
    except sqlite3.Error:
        return None
    store.add_reviews(rows)
    return len(rows)


def _recover_corrections(damaged: Path, store: Store) -> int:
    """Copy the corrections of the reading (user data too) that can still be read from a damaged store."""
    try:
        rows = read_damaged(damaged, "corrections")
    except sqlite3.Error:
        return 0
    store.add_corrections(rows)
    return len(rows)


def _derived_options(auditor, opts: BatchOptions) -> tuple[str, ...]:
    """What besides the store's content decides the cross-report checks, the memos and the summaries."""
    agency_map = sha256(Path(opts.agency_map).read_bytes()) if opts.agency_map else ""
    return (str(auditor.ruleset.version), agency_map, ",".join(opts.formats), opts.lang)


def _plan(store: Store, inputs: list[Input], key: str, retry_failed: bool,
          report: RunReport) -> tuple[list[Input], dict[str, str]]:
    """The inputs left to audit, and every readable input's content hash."""
    done, failed = store.done(), store.failed()
    todo: list[Input] = []
    hashes: dict[str, str] = {}
    for inp in inputs:
        try:
            digest = sha256(inp.read())
        except AuditError as exc:
            store.put_error(inp.key, sha256=None, audit_key=key, code=exc.code, reason=exc.reason)
            continue
        hashes[inp.key] = digest
        if done.get(inp.key) == (digest, key) or (not retry_failed and failed.get(inp.key) == (digest, key)):
            report.skipped += 1
        else:
            todo.append(inp)
    return todo, hashes


def _audit(store: Store, todo: list[Input], hashes: dict[str, str], key: str, opts: BatchOptions, run_id: int,
           report: RunReport, executor) -> None:
    if not todo:
        return
    warm = threading.Thread(target=prepare_derived, args=(opts.formats, opts.lang), name="audit-prepare",
                            daemon=True)
    warm.start()  # while the workers audit, this process gets ready for the steps that follow
    from tqdm import tqdm

    failed = 0
    with tqdm(total=len(todo), unit="file", desc="audit", disable=not opts.progress, file=sys.stderr,
              dynamic_ncols=True) as bar:
        bar.set_postfix(ok=0, failed=0, skipped=report.skipped)
        for res in executor.run(todo):
            path = res.key
            if isinstance(res, Done):
                memos = write_memos(store.path.parent, path, res.memos)
                store.put_report(res.record, audit_key=key, memos=memos, run_id=run_id, work=res.work,
                                 lang=opts.lang)
                report.audited += 1
            else:
                remove_memos(store.path.parent, path)
                store.put_error(path, sha256=hashes.get(path), audit_key=key, code=res.code, reason=res.reason,
                                run_id=run_id, work=res.work)
                failed += 1
            bar.update(1)
            bar.set_postfix(ok=report.audited, failed=failed, skipped=report.skipped)
    warm.join()


def prepare_derived(formats, lang: str) -> None:
    """Load, while the workers audit, what the run's later steps (cross-report checks, memos rendered again,
    summaries) load on first use in this process: datasketch (and the scipy it imports), openpyxl, the memo
    templates and labels, the table schemas. Only imports and per-process caches: what those steps then
    compute is the same; a failure here is left for the step itself to report."""
    try:
        import datasketch  # noqa: F401 - the near-duplicate check's MinHash LSH
        import openpyxl  # noqa: F401 - summary.xlsx

        from audit.memo import context
        from audit.memo.render import template
        from audit.narrative.tokens import lexicon
        from audit.tables import schema

        for fmt in formats:
            if fmt in ("md", "html"):
                template(fmt)
        context.labels(lang)
        lexicon()
        for fmt in ("2019", "2021"):
            schema.load(fmt)
    except Exception:  # noqa: BLE001 - only a head start
        pass
