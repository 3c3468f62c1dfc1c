"""The ``audit`` command. Thin: it parses arguments and calls ``audit.pipeline`` and the stages' APIs.

Exit codes: 0 when every file was processed (whatever was found), 1 when any file could not be read or
audited (each such file gets one line on stderr: ``audit: FILE: reason``), 2 for usage errors.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

import click

from audit.batch import DEFAULT_EXECUTOR, EXECUTORS
from audit.errors import AuditError
from audit.names import visible


class _TimeLimit(BaseException):
    """A file's time is up. A BaseException, so no reader's ``except Exception`` turns it into another error."""


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Stop the work in the block after ``seconds`` (SIGALRM; main thread on POSIX, else no limit)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _fail(path: str, exc: BaseException) -> None:
    if isinstance(exc, AuditError):
        reason = exc.reason
    elif isinstance(exc, OSError) and exc.filename:  # writing its memo: a full or read-only disk
        reason = f"cannot write {exc.filename}: {exc.strerror or exc}"
    else:  # a bug of ours: still one line, and the batch goes on
        reason = f"internal error ({type(exc).__name__}): {' '.join(str(exc).split())[:300]}"
    click.echo(f"audit: {visible(str(path), one_line=True)}: {visible(reason, one_line=True)}", err=True)


def _out_problem(out_dir: Path) -> str | None:
    """Why memos cannot be written into ``out_dir`` (made if missing), or None: asked before any file is
    audited, so a read-only or misplaced folder is one line, not one failure per file."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "cannot be the memo folder: a file of that name is in the way"
    except NotADirectoryError:
        return "cannot be the memo folder: a part of its path is a file, not a folder"
    except OSError as exc:
        return f"cannot make the memo folder: {exc.strerror or exc}"
    try:
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        return f"cannot write the memo folder: {exc.strerror or exc}"
    return None


def _memo_clashes(files) -> list[tuple[str, str | None]]:
    """Each file with the earlier file whose memos it would overwrite (the same base name: memos are
    ``OUT/<file name>.<format>``), or None. A file named twice is audited once."""
    from audit.names import bounded_name

    seen: dict[str, str] = {}
    resolved: set[Path] = set()
    out = []
    for f in files:
        real = Path(f).resolve()
        if real in resolved:
            continue
        resolved.add(real)
        name = bounded_name(Path(f).name).casefold()  # one file on a case-insensitive disk too
        out.append((f, seen.get(name)))
        seen.setdefault(name, f)
    return out


def _jieba_cache_read_only_for_this_command() -> None:
    """``--no-cache``'s part that is no argument: jieba's prepared dictionary is read, not written
    (``AUDIT_JIEBA_CACHE=read``) while this command runs, since jieba's tokenizer is built once per process
    (the workers' too) before any file; the caller's environment back afterwards (a program or test that
    calls the CLI in-process keeps its own). The parsed documents' cache is switched off by argument:
    ``pipeline.audit(cache=False)``, ``BatchOptions(cache=False)``."""
    from audit.cache import enabled_by_default

    old = {k: os.environ.get(k) for k in ("AUDIT_JIEBA_CACHE",)}
    if old["AUDIT_JIEBA_CACHE"] is None and enabled_by_default():
        os.environ["AUDIT_JIEBA_CACHE"] = "read"

    def restore() -> None:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    click.get_current_context().call_on_close(restore)


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD")


def _audit_options(command):
    """The options ``check`` and ``batch`` share: memo formats and language, rules, rubric, date, stages."""
    options = [
        click.option("--format", "formats", default="md,json", show_default=True,
                     help="Comma-separated memo formats: md, html, json, docx."),
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True),
        click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A rules file that replaces the shipped rules.yaml."),
        click.option("--extra-rules", "extra_rules", multiple=True,
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A rules file that adds rules or switches shipped ones off by id (repeatable)."),
        click.option("--rubric", "rubric_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A scoring rubric that replaces the shipped one."),
        click.option("--date", "today", callback=_date, help="The audit date written into memos (default: today)."),
        click.option("--no-narrative", is_flag=True, help="Skip the narrative analysis."),
        click.option("--no-cache", is_flag=True,
                     help="Parse every file afresh; neither read nor write the parsed-document cache."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="report-audit")
def cli() -> None:
    """Audit government information-disclosure annual reports (政府信息公开工作年度报告)."""
    _quiet_libraries()


#: libraries that log or warn about what they read (a font without a bounding box, a damaged xref …):
#: what matters of it reaches the user as the file's one line, never as extra lines of its own
_LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "PIL", "jieba", "charset_normalizer", "docx", "fontTools")


def _quiet_libraries() -> None:
    import logging
    import os
    import warnings

    if os.environ.get("AUDIT_DEBUG"):  # a developer's switch: everything the libraries say
        return
    for name in _LIBRARY_LOGGERS:
        log = logging.getLogger(name)
        log.addHandler(logging.NullHandler())
        log.propagate = False
    warnings.filterwarnings("ignore", module=r"(pdfminer|pdfplumber|jieba|docx|bs4|openpyxl)(\.|$)")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (a list when several).")
def inspect(files: tuple[str, ...], as_json: bool) -> None:
    """Print the document model: metadata, sections, tables and fields."""
    from audit import pipeline
    from audit.inspect import inspect_json, inspect_text

    failed = 0
    out = []
    for f in files:
        try:
            doc = pipeline.read(f)
            fields = pipeline.extract(doc)
        except Exception as exc:  # noqa: BLE001 - one line per failed file, the others go on
            _fail(f, exc)
            failed += 1
            continue
        if as_json:
            out.append(inspect_json(doc, fields))
        else:
            click.echo(visible(inspect_text(doc, fields)))
    if as_json and out:
        click.echo(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=1))
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("memos"),
              show_default=True, help="Folder for the memos.")
@_audit_options
@click.option("--timeout", type=click.FloatRange(min=0), default=300.0, show_default=True,
              help="Seconds one file may take (0: no limit); past that the file fails and the next one starts. "
                   "audit batch also bounds memory.")
def check(files, out_dir, formats, lang, rules_file, extra_rules, rubric_file, today, no_narrative, no_cache,
          timeout) -> None:
    """Audit reports and write one memo per report and format."""
    with _collector_paused():  # the start-up's long-lived objects, made without the cyclic collector scanning them
        from audit import checks, memo, pipeline

    if no_cache:  # the parsed documents: neither read nor written (below); jieba's prepared dictionary: read only
        _jieba_cache_read_only_for_this_command()
    fmts = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in memo.FORMATS]
    if bad:
        raise click.BadParameter(f"unknown format(s): {', '.join(bad)}; choose from {', '.join(memo.FORMATS)}",
                                 param_hint="--format")
    try:
        ruleset = checks.load_rules(rules_file, extra=list(extra_rules))
        rubric = memo.load_rubric(rubric_file)
    except AuditError as exc:
        click.echo(f"audit: {exc.reason}", err=True)
        sys.exit(2)
    problem = _out_problem(out_dir)
    if problem:
        click.echo(f"audit: {visible(str(out_dir), one_line=True)}: {problem}", err=True)
        sys.exit(2)
    failed = 0
    for f, clash in _memo_clashes(files):
        if clash is not None:
            click.echo(f"audit: {visible(f, one_line=True)}: not audited: its memos would overwrite those of "
                       f"{visible(clash, one_line=True)} (the same file name); audit it with its own -o", err=True)
            failed += 1
            continue
        try:
            with _time_limit(timeout):
                result = pipeline.audit(f, rules=ruleset, rubric=rubric, today=today, narrative=not no_narrative,
                                        cache=False if no_cache else None)
                written = memo.write(result, out_dir, fmts, lang=lang)
        except _TimeLimit:
            click.echo(f"audit: {visible(f, one_line=True)}: time limit: no result within {timeout:g} s; "
                       "the file was skipped", err=True)
            failed += 1
            continue
        except Exception as exc:  # noqa: BLE001
            _fail(f, exc)
            failed += 1
            continue
        click.echo(visible(memo.summary_line(result, written, lang=lang), one_line=True))
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(path_type=Path),
              help="The run folder: store (audit.sqlite), memos/ and summary/. The same command resumes a run.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option("--executor", type=click.Choice(EXECUTORS), default=DEFAULT_EXECUTOR, show_default=True)
@click.option("--scheduler", help="A Dask scheduler address (tcp://host:8786); without it --executor dask starts "
                                  "a LocalCluster of --jobs workers.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=120.0, show_default=True,
              help="Seconds one file may take; past that its worker is stopped and the file recorded as failed.")
@click.option("--max-memory", "max_memory", type=click.IntRange(min=64), default=1024, show_default=True,
              help="MB of resident memory a worker may use; past that it is stopped and the file recorded as failed.")
@click.option("--agency-map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV (name, agency, member_of) overriding how agencies are matched across reports.")
@_audit_options
@click.option("--retry-failed", is_flag=True, help="Audit again the files an earlier run recorded as failed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def batch(paths, out_dir, jobs, executor, scheduler, timeout, max_memory, agency_map, retry_failed, quiet, formats,
          lang, rules_file, extra_rules, rubric_file, today, no_narrative, no_cache) -> None:
    """Audit folders, .zip archives and files into a resumable run folder, with summaries and cross-report checks."""
    from audit.batch.cli import run_command

    if no_cache:  # the parsed documents: BatchOptions(cache=False), passed to the workers; jieba's: read only
        _jieba_cache_read_only_for_this_command()

    sys.exit(run_command(paths, out_dir, jobs=jobs, executor=executor, scheduler=scheduler, formats=formats,
                         lang=lang, timeout=timeout, max_memory=max_memory, agency_map=agency_map,
                         rules_file=rules_file, extra_rules=extra_rules, rubric_file=rubric_file, today=today,
                         narrative=not no_narrative, retry_failed=retry_failed, progress=not quiet,
                         cache=not no_cache))


@cli.command()
@click.argument("a", type=click.Path(dir_okay=False, path_type=str))
@click.argument("b", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("compare"),
              show_default=True, help="Folder for the comparison.")
@click.option("--format", "formats", default="html,docx", show_default=True, help="Comma-separated: html, docx.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--run", "run_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A and B are reports of this run folder (their paths in the run), compared as stored, with corrections.")
def compare(a, b, out_dir, formats, lang, run_dir) -> None:
    """Two reports side by side (an agency's two years): tables cell by cell, carry-over, carried-over text."""
    from audit import compare as _compare

    fmts = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in _compare.FORMATS]
    if bad or not fmts:
        raise click.BadParameter(f"choose from {', '.join(_compare.FORMATS)}", param_hint="--format")
    from audit import pipeline

    if run_dir is not None:
        try:
            cmp = _compare.compare_stored(run_dir, a, b)
        except AuditError as exc:
            click.echo(f"audit: {exc.reason}", err=True)
            sys.exit(1)
        a = b = None
    results = []
    for f in (a, b) if run_dir is None else ():
        try:
            results.append(pipeline.audit(f))
        except Exception as exc:  # noqa: BLE001 - one line per file that cannot be read, exit 1
            _fail(f, exc)
    if run_dir is None:
        if len(results) < 2:
            sys.exit(1)
        cmp = _compare.compare(*results)
    s = cmp.summary()
    for path in _compare.write(cmp, out_dir, fmts, lang):
        click.echo(str(path))
    click.echo(f"{s['changed']} of {s['cells']} cells changed; carry-over: {s['carry_holds']} hold, "
               f"{s['carry_breaks']} break, {s['carry_not_assessable']} not assessable; "
               f"{s['carried_sentences']} statement(s) carried over word for word, {s['near_sentences']} with edits "
               f"({s['section5_measures_repeated']} improvement measure(s) of section 5 promised again)")


@cli.command()
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The labelled passages (default: corpora/narratives/passages.jsonl).")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the model (default: the shipped audit/narrative/data/model.json).")
def train(corpus, out) -> None:
    """Rebuild the narrative model from the labelled corpus (deterministic: same corpus, same bytes)."""
    from audit.narrative.train import default_output, train as _train

    params = _train(corpus, out)
    click.echo(f"{out or default_output()}: {params['version']} (corpus {params['corpus_sha256'][:12]}, "
               + ", ".join(f"{lb} dev F1 {p['dev_f1']:.2f}" for lb, p in params["labels"].items()) + ")")


@cli.group()
def cache() -> None:
    """The parsed-document cache ($AUDIT_CACHE_DIR, else ~/.cache/report-audit; bound $AUDIT_CACHE_MAX_BYTES)."""


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


@cache.command("info")
def cache_info() -> None:
    """Where the cache is, how many parsed documents it holds and how many bytes of its bound they use."""
    from audit.cache import DocumentCache, enabled_by_default

    info = DocumentCache().info()
    click.echo(f"location: {info.path}")
    click.echo(f"entries: {info.entries}")
    click.echo(f"size: {_mb(info.bytes)} of {_mb(info.max_bytes)} ({info.bytes} of {info.max_bytes} bytes)")
    if not enabled_by_default():
        click.echo("switched off for this environment (AUDIT_CACHE)")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached parsed document."""
    from audit.cache import DocumentCache

    store = DocumentCache()
    removed, freed = store.clear()
    click.echo(f"removed {removed} cached document(s), {_mb(freed)}, from {store.root}")


@contextlib.contextmanager
def _collector_paused():
    """Import the stages with Python's cyclic garbage collector paused, then freeze what was made.

    The modules, compiled patterns and classes a command imports live until it exits; made with the
    collector on, they are scanned by every collection that their own allocation triggers (about 40 ms
    of a fresh ``audit check``). ``gc.freeze()`` then moves them out of the collector's generations for
    good, and collection resumes for the reports themselves. Only in the command's own process
    (:func:`main`, the ``audit`` entry point): a program that invokes the CLI in its own process (tests through
    click's runner, a notebook) keeps its collector as it is. Nothing is paused when the collector was
    already off — then it is left off."""
    import gc

    if not _OWN_PROCESS:
        yield
        return
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.enable()


#: set by :func:`main`: this process is the ``audit`` command's own
_OWN_PROCESS = False


def main(argv: list[str] | None = None) -> int:
    global _OWN_PROCESS
    _OWN_PROCESS = True
    try:
        cli.main(args=argv, prog_name="audit", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
