"""The public Python API: what the ``audit`` command does, as objects a notebook or a script can hold.

    from audit import audit_file, load_run, record_decision

    r = audit_file("report.pdf")                 # one report: audit check, without writing anything
    r.meta.agency, r.score["total"]
    r.findings_df[["rule_id", "severity", "message"]]
    r.fields.query("table == 't3'")              # one row per table cell
    print(r.memo("md"))                          # the memo, as `audit check` writes it
    r                                            # in a notebook: the HTML memo

    run = load_run("out/run")                    # a run folder of `audit batch`
    run.findings.query("severity == 'error'")    # every finding of every report, with its review state
    run.report("reports/2023/edu.html").memo("html")   # the memo, with the decisions recorded so far
    record_decision("out/run", "be49352a77ff60c5", "dismiss", "王审核", comment="表内已更正")
    export_decisions("out/run", "decisions.csv"); import_decisions("other/run", "decisions.csv")

The tables are pandas DataFrames read from the run's store each time they are asked for, so they always
show the decisions recorded so far. Figures stay exact: a field's ``value`` is the int or ``Decimal`` the
report wrote (never a float), a finding's ``expected`` and ``found`` are in the record format
(``audit.model.to_record``: a decimal as its exact text). The findings table is built by one function
(``findings_frame``) for one file and for a run. Review decisions live in the store (``audit.batch.reviews``); a re-run
of the batch keeps them, and they follow a finding by its fingerprint.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from audit.batch import corrections as _corrections
from audit.batch import reviews as _reviews
from audit.batch.agencies import region_of
from audit.batch.results import finding as _finding
from audit.batch.results import load_result, number, rubric_of
from audit.batch.store import open_run as _open
from audit.errors import AuditError
from audit.model import Check, Fields, Finding, Meta, Result, Source, to_record

__all__ = ["AuditResult", "Run", "audit_file", "load_run", "record_decision", "export_decisions",
           "import_decisions", "record_correction", "export_corrections", "import_corrections", "compare_reports",
           "export_excel", "region_of", "ReviewError", "CorrectionError"]

ReviewError = _reviews.ReviewError
CorrectionError = _corrections.CorrectionError
SEVERITY_ORDER = ("error", "warning", "info")
# ----------------------------------------------------------------------------------------- one file


def _ruleset(rules):
    from audit import checks

    if rules is None or isinstance(rules, checks.RuleSet):
        return rules
    if isinstance(rules, (str, Path)):
        return checks.load_rules(rules)
    raise TypeError("rules must be a RuleSet (audit.checks.load_rules(...)) or a rules file's path")


def _rubric(rubric):
    from audit import memo

    if rubric is None or isinstance(rubric, memo.Rubric):
        return memo.load_rubric(None) if rubric is None else rubric
    if isinstance(rubric, (str, Path)):
        return memo.load_rubric(rubric)
    raise TypeError("rubric must be a Rubric (audit.memo.load_rubric(...)) or a rubric file's path")


def audit_file(path: str | Path, *, rules=None, rubric=None, lang: str = "zh", today: _dt.date | None = None,
               narrative: bool = True) -> "AuditResult":
    """Audit one report, as ``audit check`` does, and keep everything in memory.

    ``rules``: a RuleSet (``audit.checks.load_rules(path, extra=[...])``) or a rules file that replaces the
    shipped one; ``rubric``: a Rubric or a rubric file; ``lang``: the language of messages and memos
    ("zh" or "en"); ``today``: the audit date the memo shows. Raises ``audit.errors.AuditError`` (with a
    one-line ``reason``) for a file that cannot be audited."""
    from audit import pipeline

    rb = _rubric(rubric)
    result = pipeline.audit(path, rules=_ruleset(rules), rubric=rb, today=today, narrative=narrative)
    return AuditResult(result, lang=lang, rubric=rb)


@dataclass(repr=False)
class AuditResult:
    """One report's audit: the pipeline's ``Result`` with tables and memos for a notebook.

    ``reviews`` (fingerprint → {decision, reviewer, at, comment}) are the decisions the memo shows; a
    report opened from a run (``Run.report``) carries the run's, and its findings include those the run's
    cross-report checks made about it (``cross_findings``), which its memo and score count too."""

    result: Result
    lang: str = "zh"
    rubric: object = None
    reviews: dict = field(default_factory=dict)

    @property
    def meta(self) -> Meta:
        return self.result.meta

    @property
    def source(self) -> Source:
        return self.result.source

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    @property
    def cross_findings(self) -> list[Finding]:
        """The findings of the run's cross-report checks (a report opened from a run; none for audit_file)."""
        return [f for f in self.findings if f.kind == "cross"]

    @property
    def score(self) -> dict:
        """The memo's score: the audit's own, or scored again without the dismissed findings."""
        from audit.memo.context import memo_score

        return memo_score(self.result, self.reviews, self.rubric)

    @property
    def fields(self) -> pd.DataFrame:
        """One row per table cell: field_id, table, row, column, value (a number, else missing), kind, raw,
        page, unit."""
        return fields_frame(self.result.fields)

    @property
    def findings_df(self) -> pd.DataFrame:
        """One row per finding (the report's own, then the cross-report ones), with its review state."""
        return findings_frame((({}, f, self.reviews.get(f.fingerprint) or {}) for f in self.findings), self.lang)

    @property
    def checks(self) -> pd.DataFrame:
        """One row per rule evaluated: rule_id, title, outcome, severity, reason, findings."""
        return checks_frame(self.result.checks, self.lang)

    def finding(self, fingerprint: str) -> Finding:
        for f in self.findings:
            if f.fingerprint == fingerprint:
                return f
        raise KeyError(f"no finding {fingerprint} in {self.source.path}")

    def memo(self, fmt: str = "md", lang: str | None = None) -> str | bytes:
        """The memo as ``audit check`` writes it: text for md, html and json; the .docx file's bytes for docx."""
        from audit import memo

        return memo.render(self.result, fmt, lang or self.lang, reviews=self.reviews, rubric=self.rubric)

    def write(self, out_dir: str | Path, formats: Iterable[str] = ("md", "json"), lang: str | None = None) -> list[Path]:
        """Write the memos to ``out_dir/<file name>.<format>``; returns their paths."""
        from audit import memo

        return memo.write(self.result, out_dir, formats, lang or self.lang, reviews=self.reviews, rubric=self.rubric)

    def evidence(self, fingerprint: str, lang: str | None = None):
        """One finding's evidence: the report text around its sentences, marked, and its table block with
        the cells of the identity and the suspect cell highlighted."""
        from audit.notebook import HTML, evidence_html

        return HTML(evidence_html(self.result, self.finding(fingerprint), lang or self.lang))

    def _repr_html_(self) -> str:
        from audit.notebook import memo_frame

        return memo_frame(self.memo("html"))

    def __repr__(self) -> str:
        sc = self.score
        cross = f" ({len(self.cross_findings)} cross-report)" if self.cross_findings else ""
        return (f"<AuditResult {self.source.path}: {self.meta.agency or '?'} {self.meta.year or '?'}, "
                f"score {sc['total']}/{sc['max']}, {len(self.findings)} finding(s){cross}>")


def _number(text) -> int | Decimal | None:
    """A stored value (the record format's exact text) as the int or Decimal the report wrote."""
    return None if text is None or text == "" else number(str(text))


def fields_frame(fields: Fields) -> pd.DataFrame:
    rows = [{"field_id": fid, "table": v.table, "row": v.row_label, "column": v.column_label,
             "value": v.value if v.is_number else None, "kind": str(v.kind), "raw": v.raw, "page": v.page,
             "unit": v.unit} for fid, v in sorted(fields.items())]
    return _typed(pd.DataFrame(rows, columns=["field_id", "table", "row", "column", "value", "kind", "raw", "page",
                                              "unit"]))


def findings_frame(rows: Iterable[tuple[Mapping, Finding, Mapping]], lang: str, context: tuple[str, ...] = ()
                   ) -> pd.DataFrame:
    """The findings table, for one file and for a run alike: one row per (context, finding, review), the
    ``context`` columns (a run's path, agency, region, year, scope) first, then the finding's, then its
    review state. ``expected`` and ``found`` in the record format (exact decimals as text)."""
    out = []
    for where, f, review in rows:
        loc = f.location
        out.append({**where, "fingerprint": f.fingerprint, "rule_id": f.rule_id, "severity": str(f.severity),
                    "kind": f.kind, "message": f.message(lang), "section": loc.section, "page": loc.page,
                    "table": loc.table, "row": loc.row_label, "column": loc.column_label,
                    "field_ids": list(loc.field_ids), "sentence": loc.sentence, "expected": to_record(f.expected),
                    "found": to_record(f.found), "decision": review.get("decision"), "reviewer": review.get("reviewer"),
                    "reviewed_at": review.get("at"), "comment": review.get("comment")})
    return _typed(pd.DataFrame(out, columns=[*context, *FINDING_COLUMNS[FINDING_COLUMNS.index("fingerprint"):]]))


def checks_frame(checks: list[Check], lang: str) -> pd.DataFrame:
    return pd.DataFrame([{"rule_id": c.rule_id, "title": c.title_en if lang == "en" else c.title_zh,
                          "outcome": str(c.outcome), "severity": str(c.severity),
                          "reason": c.reason.get(lang) if c.reason else None,
                          "findings": c.findings} for c in checks],
                        columns=["rule_id", "title", "outcome", "severity", "reason", "findings"])


_INTS = ("year", "page", "section", "findings", "errors", "warnings", "infos", "cross", "confirmed", "dismissed",
         "commented", "open", "page_count")


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer columns (a page may be unknown) and scores as floats with missing cells; a field's
    ``value`` stays the exact int or Decimal (an object column, None where the cell holds no number)."""
    for col in df.columns:
        if col in _INTS:
            df[col] = df[col].astype("Int64")
        elif col in ("score", "reviewed_score"):
            df[col] = df[col].astype("Float64")
    return df


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    """A store table (columns, rows) as a DataFrame, typed as pandas' ``read_sql_query`` types it."""
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


# --------------------------------------------------------------------------------------------- runs


def _finding_context(r) -> dict:
    """A run's columns of a stored finding: its report's path, agency, region, year, and its scope."""
    return {"path": r["path"], "agency": r["agency"], "region": region_of(r["agency_key"] or r["agency"]),
            "year": r["year"], "scope": r["scope"]}

RUN_CONTEXT = ("path", "agency", "region", "year", "scope")  # a run's findings table's columns before the finding's
FINDING_COLUMNS = [*RUN_CONTEXT, "fingerprint", "rule_id", "severity", "kind",
                   "message", "section", "page", "table", "row", "column", "field_ids", "sentence", "expected",
                   "found", "decision", "reviewer", "reviewed_at", "comment"]


def load_run(out_dir: str | Path, lang: str = "zh") -> "Run":
    """Open the run folder of ``audit batch -o OUT``; raises AuditError when it holds no store."""
    run = Run(Path(out_dir), lang)
    with _open(run.out):
        pass
    return run


def record_decision(out_dir: str | Path, fingerprint: str, decision: str, reviewer: str,
                    comment: str | None = None, at: str | _dt.datetime | None = None, *,
                    report: str | None = None) -> dict:
    """Record a review decision ("confirm", "dismiss" or "comment") on a finding of the run, with the
    reviewer's name and the time (now when ``at`` is None). ``report`` (the report's path in the run) is
    needed only when the same fingerprint is in several reports. Returns the decision as stored; raises
    ReviewError saying what is wrong (unknown finding, empty reviewer, a comment without text, …)."""
    with _open(Path(out_dir)) as store:
        d = _reviews.record(store, fingerprint, decision, reviewer, comment, at, report)
    return dict(zip(_reviews.CSV_COLUMNS, d.row()))


def export_decisions(out_dir: str | Path, csv_path: str | Path) -> int:
    """Write every decision of the run (the whole history) to a CSV file; returns the number of rows."""
    with _open(Path(out_dir)) as store:
        return _reviews.export_csv(store, csv_path)


def import_decisions(out_dir: str | Path, csv_path: str | Path) -> dict:
    """Add the decisions of a CSV file (as ``export_decisions`` writes it) to the run, all or none: every
    row is checked first and a ReviewError names the line of each problem. Rows the run already holds are
    skipped. Returns {"added": n, "skipped": m}."""
    with _open(Path(out_dir)) as store:
        done = _reviews.import_csv(store, csv_path)
    return {"added": done.added, "skipped": done.skipped}


def record_correction(out_dir: str | Path, report: str, key: str, value, reason: str, reviewer: str, *,
                      target: str = "field", at: str | _dt.datetime | None = None, rules=None,
                      refresh: bool = True) -> dict:
    """Record a reviewer's correction of the reading of one report of the run, and check the report again on
    the corrected reading: its findings, checks and score in the store change at once, and (``refresh``, the
    default) the run folder's memos, summaries and overview are brought up to date (:meth:`Run.refresh`);
    ``refresh=False`` when recording many in a row, then one :meth:`Run.refresh` (or the next ``audit batch``).

    ``target``: "field" (``key`` a field id such as ``t3.new.natural``, ``value`` a number, "" for a blank
    cell, "—" or "无"), "meta" (``key`` agency, year, published or level) or "section" (``key`` 1 … 6,
    ``value`` the words the section starts with in the report's text). ``value=None`` withdraws the key's
    correction. ``rules``: the RuleSet or rules file the run used, when not the shipped rules. Returns the
    correction as stored, with the report's score after it; raises CorrectionError saying what is wrong."""
    ruleset = _ruleset(rules)
    with _open(Path(out_dir)) as store:
        c = _corrections.record(store, report, target, str(key), None if value is None else str(value), reason,
                                reviewer, at)
        _corrections.recheck(store, ruleset, paths=[report])
        score = store.report_row(report)["score"]
    if refresh:
        load_run(out_dir).refresh(ruleset)
    return {**c.to_json(), "score": score}


def export_corrections(out_dir: str | Path, csv_path: str | Path) -> int:
    """Write every correction of the run (the whole history) to a CSV file; returns the number of rows."""
    with _open(Path(out_dir)) as store:
        return _corrections.export_csv(store, csv_path)


def import_corrections(out_dir: str | Path, csv_path: str | Path, rules=None, refresh: bool = True) -> dict:
    """Add the corrections of a CSV file (header ``report_path,target,key,value,reason,reviewer,at``) to the
    run, all or none, check the reports again and (``refresh``) bring the run folder's memos, summaries and
    overview up to date; returns {"added": n, "skipped": m, "rechecked": [paths]}."""
    ruleset = _ruleset(rules)
    with _open(Path(out_dir)) as store:
        done = _corrections.import_csv(store, csv_path)
        done["rechecked"] = _corrections.recheck(store, ruleset)
    if refresh and done["rechecked"]:
        load_run(out_dir).refresh(ruleset)
    return done


def compare_reports(a: str | Path, b: str | Path, out_dir: str | Path | None = None, *, lang: str = "zh",
                    formats: Iterable[str] = ("html", "docx"), run: str | Path | None = None):
    """Two reports side by side (an agency's two years): the tables cell by cell, the carry-over identities,
    the sections' text with the sentences carried over marked (``audit.compare``). Writes the comparison to
    ``out_dir`` in ``formats`` when given; returns the ``Comparison``. With ``run`` (a run folder), ``a`` and
    ``b`` are reports of the run, compared as the store holds them (with corrections), nothing read again."""
    from audit import compare as _compare

    cmp = _compare.compare_stored(run, str(a), str(b)) if run is not None else _compare.compare_files(a, b)
    if out_dir is not None:
        _compare.write(cmp, out_dir, formats, lang)
    return cmp


def export_excel(path: str | Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write DataFrames to an Excel workbook, one sheet per name (a named index becomes the first column).
    Text is written as text: an agency name or a sentence starting with ``=`` never becomes a formula
    (``pandas.DataFrame.to_excel`` would write it as one)."""
    from audit.batch import spreadsheet

    data = {}
    for name, df in sheets.items():
        if any(n is not None for n in df.index.names):
            df = df.reset_index()
        rows = [[None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row]
                for row in df.itertuples(index=False, name=None)]
        data[name] = ([str(c) for c in df.columns], rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    spreadsheet.workbook(data, wide=("agency", "region", "path", "title")).save(path)
    return path


@dataclass
class Run:
    """A run folder of ``audit batch``: its store as DataFrames, its reports' memos, and review decisions."""

    out: Path
    lang: str = "zh"

    # ----------------------------------------------------------------------------------- tables

    @property
    def reports(self) -> pd.DataFrame:
        """One row per audited report: path, agency, region, year, format, level, kind, published, score and
        grade (the audit's, counting the cross-report findings), reviewed_score and reviewed_grade (without
        the dismissed findings), counts of the findings not dismissed per severity (cross: of the
        cross-report checks), and of confirmed, dismissed, commented (comments only) and open ones."""
        with _open(self.out) as store:
            rows = store.api_reports()
            decided = _reviews.by_report(store)
            counts = _reviews.tally(store, decided)
            reviewed = _reviews.reviewed_scores(store, decided)
        out = []
        for r in rows:
            c = counts.get(r["path"], {})
            score, grade = reviewed[r["path"]]
            out.append({"path": r["path"], "agency": r["agency"], "agency_key": r["agency_key"],
                        "region": region_of(r["agency_key"] or r["agency"]), "year": r["year"], "format": r["format"],
                        "level": r["level"], "kind": r["kind"], "published": r["published"],
                        "page_count": r["page_count"], "score": r["score"], "grade": r["grade"],
                        "reviewed_score": score, "reviewed_grade": grade, "errors": c.get("error", 0),
                        "warnings": c.get("warning", 0), "infos": c.get("info", 0), "cross": c.get("cross", 0),
                        "confirmed": c.get("confirm", 0), "dismissed": c.get("dismiss", 0),
                        "commented": c.get("comment", 0), "open": c.get("open", 0), "audited": r["audited"]})
        return _typed(pd.DataFrame(out, columns=REPORT_COLUMNS))

    @property
    def findings(self) -> pd.DataFrame:
        """One row per finding (the reports' own audits, scope "report", and the cross-report checks, scope
        "run"), with its current review state (decision, reviewer, reviewed_at, comment)."""
        with _open(self.out) as store:
            rows = store.api_findings()
            decided = _reviews.by_report(store)
        return findings_frame(((_finding_context(r), _finding(r), decided.get(r["path"], {}).get(r["fingerprint"], {}))
                               for r in rows), self.lang, RUN_CONTEXT)

    @property
    def fields(self) -> pd.DataFrame:
        """One row per table cell of every report: path, agency, year, field_id, table, row, column, value,
        kind, raw, page, unit."""
        with _open(self.out) as store:
            df = _frame(*store.field_table())
        df["value"] = [_number(v) for v in df["value"]]
        return _typed(df)

    @property
    def checks(self) -> pd.DataFrame:
        """One row per rule evaluated on each report: path, agency, year, scope, rule_id, title, outcome,
        severity, reason, findings."""
        with _open(self.out) as store:
            df = _frame(*store.check_table(self.lang))
        return _typed(df)

    @property
    def reviews(self) -> pd.DataFrame:
        """Every decision recorded, oldest first: report_path, fingerprint, decision, reviewer, comment, at,
        with the finding's rule_id and in_run (False once a re-audit no longer finds it)."""
        with _open(self.out) as store:
            history = _reviews.history(store)
            rules = store.finding_rules()
        rows = [{**dict(zip(_reviews.CSV_COLUMNS, d.row())), "rule_id": rules.get((d.report_path, d.fingerprint)),
                 "in_run": (d.report_path, d.fingerprint) in rules} for d in history]
        return pd.DataFrame(rows, columns=[*_reviews.CSV_COLUMNS, "rule_id", "in_run"])

    @property
    def corrections(self) -> pd.DataFrame:
        """Every correction recorded, oldest first: report_path, target, key, value (None: withdrawn),
        original (the reading it corrects), reason, reviewer, at."""
        with _open(self.out) as store:
            rows = [c.to_json() for c in _corrections.history(store)]
        return pd.DataFrame(rows, columns=["report_path", "target", "key", "value", "original", "reason", "reviewer",
                                           "at"])

    @property
    def errors(self) -> pd.DataFrame:
        """The inputs that could not be audited: path, code, reason."""
        with _open(self.out) as store:
            return _frame(*store.failure_table())

    # ------------------------------------------------------------------------------ selections

    def filter(self, *, severity=None, rule=None, agency=None, year=None, region=None, decision=None,
               scope=None) -> pd.DataFrame:
        """The findings whose columns take one of the values given (a value or a list; None: any).
        ``decision="open"`` selects the findings nobody confirmed or dismissed yet."""
        df = self.findings
        wanted = {"severity": severity, "rule_id": rule, "agency": agency, "year": year, "region": region,
                  "scope": scope}
        for col, value in wanted.items():
            if value is None:
                continue
            values = list(value) if isinstance(value, (list, tuple, set)) else [value]
            df = df[df[col].isin(values)]
        if decision is not None:
            values = list(decision) if isinstance(decision, (list, tuple, set)) else [decision]
            open_ = ~df["decision"].isin(["confirm", "dismiss"])
            mask = df["decision"].isin([v for v in values if v != "open"])
            df = df[mask | (open_ if "open" in values else False)]
        return df

    def ranking(self, by: str = "agency", year: int | None = None) -> pd.DataFrame:
        """Agencies (``by="agency"``) or regions (``by="region"``) ranked by their reviewed score: the mean
        over their reports of ``year`` (every year when None), with reports, errors and warnings counted;
        rank 1 is the best, equal scores share a rank."""
        if by not in ("agency", "region"):
            raise ValueError("by must be 'agency' or 'region'")
        df = self.reports
        if year is not None:
            df = df[df["year"] == year]
        key = "agency_key" if by == "agency" else "region"
        df = df[df[key].notna() & df["reviewed_score"].notna()]
        g = df.groupby(key, sort=True)
        out = pd.DataFrame({
            "score": g["reviewed_score"].mean().round(2),
            "reports": g.size(),
            "errors": g["errors"].sum(),
            "warnings": g["warnings"].sum(),
            "dismissed": g["dismissed"].sum(),
        })
        if by == "agency":
            out.insert(0, "region", g["region"].first())
        out = out.reset_index().rename(columns={key: by})
        out = out.sort_values(["score", by], ascending=[False, True], kind="stable").reset_index(drop=True)
        out.insert(0, "rank", out["score"].rank(method="min", ascending=False).astype(int))
        return out

    def year_over_year(self) -> pd.DataFrame:
        """Reviewed score per agency (rows) and year (columns; NaN where an agency has no report), and the
        change from each year to the next (columns ``Δ2023`` = 2023 − 2022)."""
        df = self.reports
        df = df[df["year"].notna() & df["reviewed_score"].notna()]
        pivot = df.pivot_table(index="agency_key", columns="year", values="reviewed_score", aggfunc="mean").astype(float)
        pivot.columns = [int(c) for c in pivot.columns]
        years = sorted(pivot.columns)
        for a, b in zip(years, years[1:]):
            pivot[f"Δ{b}"] = pivot[b] - pivot[a]
        pivot.index.name = "agency"
        return pivot

    def rule_counts(self, scope: str | None = None) -> pd.DataFrame:
        """How often each rule fired: findings, reports, confirmed and dismissed, most frequent first."""
        df = self.findings if scope is None else self.filter(scope=scope)
        g = df.groupby("rule_id")
        out = pd.DataFrame({
            "findings": g.size(),
            "reports": g["path"].nunique(),
            "severity": g["severity"].agg(lambda s: min(s, key=SEVERITY_ORDER.index)),
            "confirmed": g["decision"].agg(lambda s: int((s == "confirm").sum())),
            "dismissed": g["decision"].agg(lambda s: int((s == "dismiss").sum())),
        }).reset_index()
        return out.sort_values(["findings", "rule_id"], ascending=[False, True], kind="stable").reset_index(drop=True)

    # --------------------------------------------------------------------------- one report

    def report(self, path: str) -> AuditResult:
        """One report of the run, rebuilt from the store (``audit.batch.results.load_result``: its own audit
        and its cross-report findings), with the run's decisions: ``.memo()`` renders the memo the batch
        writes, confirmed findings marked and dismissed ones set apart."""
        with _open(self.out) as store:
            result = load_result(store, path)
            decided = _reviews.for_report(store, path)
        return AuditResult(result, lang=self.lang, rubric=rubric_of(result), reviews=decided)

    def memo(self, path: str, fmt: str = "md", lang: str | None = None) -> str | bytes:
        """One report's memo with the run's decisions (see :meth:`report`)."""
        return self.report(path).memo(fmt, lang)

    # ------------------------------------------------------------------------------ decisions

    def record(self, fingerprint: str, decision: str, reviewer: str, comment: str | None = None,
               at: str | _dt.datetime | None = None, *, report: str | None = None) -> dict:
        """:func:`record_decision` on this run."""
        return record_decision(self.out, fingerprint, decision, reviewer, comment, at, report=report)

    def causes(self) -> pd.DataFrame:
        """The findings grouped by their likely root cause (``audit.batch.reviews.causes``), largest first:
        cause (an id), kind (``cell``: one suggested cell correction explains them all; ``rule``: the other
        findings of one rule across the run), key (the cell's field id or the rule id), path (the report of a
        cell cause), description (in ``lang``), rules, findings, reports, open (neither confirmed nor
        dismissed), and members (the (path, fingerprint) pairs)."""
        with _open(self.out) as store:
            found = _reviews.causes(store)
            decided = _reviews.by_report(store)
        rows = []
        for c in found:
            states = [decided.get(p, {}).get(fp, {}).get("decision") for p, fp, _, _ in c.members]
            rows.append({"cause": c.id, "kind": c.kind, "key": c.key, "path": c.path,
                         "description": c.description["en" if self.lang == "en" else "zh"],
                         "rules": ", ".join(dict.fromkeys(m[2] for m in c.members)), "findings": len(c.members),
                         "reports": len({m[0] for m in c.members}),
                         "open": sum(s not in ("confirm", "dismiss") for s in states),
                         "members": [(p, fp) for p, fp, _, _ in c.members]})
        return pd.DataFrame(rows, columns=["cause", "kind", "key", "path", "description", "rules", "findings",
                                           "reports", "open", "members"])

    def decide(self, findings, decision: str, reviewer: str, comment: str | None = None,
               at: str | _dt.datetime | None = None) -> int:
        """One decision on many findings at once: ``findings`` is a DataFrame with ``path`` and
        ``fingerprint`` columns (e.g. ``run.filter(rule="TABLES-ASSESSABLE")``) or (path, fingerprint)
        pairs. All are checked first and stored together; returns how many decisions were stored."""
        if isinstance(findings, pd.DataFrame):
            pairs = list(zip(findings["path"], findings["fingerprint"]))
        else:
            pairs = [tuple(x) for x in findings]
        with _open(self.out) as store:
            return len(_reviews.record_many(store, pairs, decision, reviewer, comment, at))

    def decide_cause(self, cause: str, decision: str, reviewer: str, comment: str | None = None,
                     at: str | _dt.datetime | None = None) -> int:
        """Confirm or dismiss a root cause (an id of :meth:`causes`) and every finding it groups."""
        causes = self.causes().set_index("cause")
        if cause not in causes.index:
            raise ReviewError(f"no cause {cause!r} in this run (see run.causes())")
        return self.decide(causes.loc[cause, "members"], decision, reviewer, comment, at)

    def correct(self, report: str, key: str, value, reason: str, reviewer: str, *, target: str = "field",
                at: str | _dt.datetime | None = None, rules=None) -> dict:
        """:func:`record_correction` on this run."""
        return record_correction(self.out, report, key, value, reason, reviewer, target=target, at=at, rules=rules)

    def refresh(self, rules=None) -> dict:
        """Bring the run folder's files up to date with the decisions recorded since the last ``audit batch``
        (which does the same at its end): the memos of the reports whose decisions changed are rendered
        again from the store, and the summaries and the overview (``OUT/index.html``) written again. Reports
        with corrections not yet checked are checked again first, with ``rules`` (the RuleSet or rules file
        the run used, when not the shipped rules). Returns {"memos": [report paths], "summaries": [files],
        "overview": file}."""
        from audit.batch import memos, overview, summaries
        from audit.batch.lock import OutLock

        with OutLock(self.out), _open(self.out) as store:  # an `audit batch` writing the folder: OutInUse
            _corrections.recheck(store, None if rules is None else _ruleset(rules))
            done = {"memos": memos.refresh(store, self.out), "summaries": summaries.write(store, self.out)}
            done["overview"] = overview.write(store, self.out, self.lang)
            return done

    def review_panel(self, path: str, reviewer: str = "", lang: str | None = None):
        """ipywidgets to triage one report: each finding with its evidence and Confirm / Dismiss buttons
        (which call :func:`record_decision`), a comment box and the reviewer's name."""
        from audit.notebook import ReviewPanel

        return ReviewPanel(self, path, reviewer, lang or self.lang)

REPORT_COLUMNS = ["path", "agency", "agency_key", "region", "year", "format", "level", "kind", "published",
                  "page_count", "score", "grade", "reviewed_score", "reviewed_grade", "errors", "warnings", "infos",
                  "cross", "confirmed", "dismissed", "commented", "open", "audited"]
