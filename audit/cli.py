"""The ``audit`` command. Thin: it parses arguments and calls ``audit.pipeline`` and the stages' APIs.

Exit codes: 0 when every file was processed (whatever was found), 1 when any file could not be read or
audited (each such file gets one line on stderr: ``audit: FILE: reason``), 2 for usage errors.
"""
from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path

import click

from audit.errors import AuditError


def _fail(path: str, exc: BaseException) -> None:
    if isinstance(exc, AuditError):
        reason = exc.reason
    else:  # a bug of ours: still one line, and the batch goes on
        reason = f"internal error ({type(exc).__name__}): {' '.join(str(exc).split())[:300]}"
    click.echo(f"audit: {path}: {reason}", err=True)


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="report-audit")
def cli() -> None:
    """Audit government information-disclosure annual reports (政府信息公开工作年度报告)."""


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
            click.echo(inspect_text(doc, fields))
    if as_json and out:
        click.echo(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=1))
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("memos"),
              show_default=True, help="Folder for the memos.")
@click.option("--format", "formats", default="md,json", show_default=True,
              help="Comma-separated memo formats: md, html, json, docx.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A rules file that replaces the shipped rules.yaml.")
@click.option("--extra-rules", "extra_rules", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A rules file that adds rules or switches shipped ones off by id (repeatable).")
@click.option("--rubric", "rubric_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A scoring rubric that replaces the shipped one.")
@click.option("--date", "today", callback=_date, help="The audit date written into memos (default: today).")
@click.option("--no-narrative", is_flag=True, help="Skip the narrative analysis.")
def check(files, out_dir, formats, lang, rules_file, extra_rules, rubric_file, today, no_narrative) -> None:
    """Audit reports and write one memo per report and format."""
    from audit import checks, memo, pipeline

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
    failed = 0
    for f in files:
        try:
            result = pipeline.audit(f, rules=ruleset, rubric=rubric, today=today, narrative=not no_narrative)
            written = memo.write(result, out_dir, fmts, lang=lang)
        except Exception as exc:  # noqa: BLE001
            _fail(f, exc)
            failed += 1
            continue
        click.echo(memo.summary_line(result, written, lang=lang))
    sys.exit(1 if failed else 0)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="audit", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
