"""The ``audit batch`` command's body: options in, a run, and its closing lines out.

Exit status: 0 when every input was audited (whatever was found), 1 when any input failed (each gets one
line ``audit: KEY: reason`` on stderr), 2 for usage errors (an unknown format, a broken rules file).
"""
from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

import click

from audit.batch.run import IGNORED_LIST, BatchOptions, run_batch
from audit.batch.sandbox import BatchError
from audit.batch.store import STORE_NAME, StoreError
from audit.errors import AuditError
from audit.names import visible


def one_line(x) -> str:
    return visible(" ".join(str(x).split())[:300], one_line=True)


def run_command(paths, out_dir: Path, *, formats: str, **kw) -> int:
    from audit import memo

    fmts = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    bad = [f for f in fmts if f not in memo.FORMATS]
    if bad or not fmts:
        click.echo(f"audit: --format: unknown format(s) {', '.join(bad) or '(none)'}; "
                   f"choose from {', '.join(memo.FORMATS)}", err=True)
        return 2
    opts = BatchOptions(formats=fmts, max_memory_mb=kw.pop("max_memory"), extra_rules=tuple(kw.pop("extra_rules")),
                        **kw)
    command = shlex.join(["audit", "batch", *map(str, paths), "-o", str(out_dir)])
    try:
        report = run_batch(list(paths), out_dir, opts, command=command)
    except (AuditError, StoreError, BatchError) as exc:
        click.echo(f"audit: {one_line(getattr(exc, 'reason', exc))}", err=True)
        return 2
    except sqlite3.Error as exc:  # a read-only or full disk under the store, a store another program holds
        click.echo(f"audit: {Path(out_dir) / STORE_NAME}: cannot use the store: {one_line(exc)}", err=True)
        return 2
    except OSError as exc:  # writing memos or summaries: a read-only or full disk
        where = exc.filename or out_dir
        click.echo(f"audit: {where}: cannot write: {one_line(exc.strerror or exc)}", err=True)
        return 2
    if opts.progress is False:
        for note in report.notes:  # shown as they happened when the progress is on
            click.echo(f"audit: {note}", err=True)
    for key, reason in report.failures:
        click.echo(f"audit: {visible(key, one_line=True)}: {visible(reason, one_line=True)}", err=True)
    ignored = f", {report.ignored} other file(s) ignored (listed in {report.out / IGNORED_LIST})" if report.ignored else ""
    click.echo(f"{report.inputs} input(s): {report.audited} audited, {report.skipped} already done, "
               f"{len(report.failures)} failed{ignored} in {report.seconds:.1f} s")
    click.echo(f"store: {report.out / 'audit.sqlite'}")
    click.echo(f"memos: {report.out / 'memos'}/" + (f" ({report.rendered} rendered again with cross-report findings "
                                                    "or review decisions)" if report.rendered else ""))
    click.echo(f"summaries: {report.out / 'summary'}/ (reports, findings, ranking, failures: CSV and summary.xlsx)")
    from audit.batch.overview import INDEX_NAME

    if (report.out / INDEX_NAME).is_file():
        click.echo(f"overview: {report.out / INDEX_NAME} (open it in a browser: ranking, charts, links to the memos)")
    return 1 if report.failures else 0

