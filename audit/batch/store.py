"""The run's store: one SQLite file, ``OUT/audit.sqlite``, with a schema migrated by ``PRAGMA user_version``.

Content tables (identical whatever the executor, the job count or an interruption):
``reports``, ``sections``, ``fields``, ``findings``, ``checks``, ``errors``. Provenance tables (what happened
when): ``runs`` and ``work``. User data: ``reviews`` (decisions on findings, kept across re-runs). Bookkeeping: ``state`` (what the
derived outputs were last made from).
The schema is documented column by column in ``docs/batch.md``.

One writer, the process that runs the batch (``audit batch`` holds a lock on OUT, :mod:`audit.batch.lock`):
every report goes in with one transaction (:meth:`Store.put_report`), so a run killed at any moment leaves
each report either fully in or not at all. Migrations are safe to race (each reads the version inside its
own write transaction).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

STORE_NAME = "audit.sqlite"
#: seconds a connection waits for another one's write lock before giving up
BUSY_TIMEOUT = 60.0

# Migrations by version: MIGRATIONS[i] takes a store from user_version i to i + 1. Append, never edit.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL,             -- running | complete | failed (a run killed stays 'running')
        command TEXT,
        executor TEXT,
        jobs INTEGER,
        tool_version TEXT,
        rules_version TEXT,
        model_version TEXT,
        inputs INTEGER,
        audited INTEGER,
        skipped INTEGER,
        failed INTEGER,
        ignored INTEGER,
        seconds REAL
    );
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,              -- first 16 hex digits of sha256(path)
        path TEXT NOT NULL UNIQUE,        -- the input's key in the run: <root name>/<relative path>
        sha256 TEXT NOT NULL,
        kind TEXT,
        size INTEGER,
        encoding TEXT,
        agency TEXT,
        agency_key TEXT,                  -- the normalised (or mapped) name agencies are matched by
        year INTEGER,
        published TEXT,
        format TEXT,
        level TEXT,
        title TEXT,
        meta TEXT,                        -- Meta.to_json()
        page_count INTEGER,
        score REAL,
        grade TEXT,
        score_detail TEXT,                -- the memo's score object, JSON
        tool_version TEXT,
        rules_version TEXT,
        model_version TEXT,
        audit_key TEXT NOT NULL,          -- hash of tool/parser/rules/model/rubric versions and memo options
        audited TEXT,                     -- the audit date written into the memos
        memos TEXT                        -- JSON list of memo paths relative to OUT
    );
    CREATE TABLE sections (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        title TEXT,
        text TEXT,
        PRIMARY KEY (report_id, number)
    ) WITHOUT ROWID;
    CREATE TABLE fields (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        field_id TEXT NOT NULL,
        value TEXT,                       -- exact: an integer or a decimal as written; NULL unless kind = number
        kind TEXT NOT NULL,
        raw TEXT,
        table_id TEXT,
        row_label TEXT,
        column_label TEXT,
        page INTEGER,
        unit TEXT,
        PRIMARY KEY (report_id, field_id)
    ) WITHOUT ROWID;
    CREATE TABLE findings (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        scope TEXT NOT NULL,              -- report (one report's audit) | run (cross-report checks)
        seq INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        kind TEXT,
        message_zh TEXT,
        message_en TEXT,
        section INTEGER,
        page INTEGER,
        table_id TEXT,
        row_label TEXT,
        column_label TEXT,
        field_ids TEXT,                   -- JSON list
        sentence TEXT,
        expected TEXT,                    -- JSON
        found TEXT,                       -- JSON
        suggestion TEXT,                  -- JSON
        details TEXT,                     -- JSON
        PRIMARY KEY (report_id, scope, seq)
    ) WITHOUT ROWID;
    CREATE INDEX findings_fingerprint ON findings(fingerprint);
    CREATE INDEX findings_rule ON findings(rule_id);
    CREATE TABLE checks (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        seq INTEGER NOT NULL,
        rule_id TEXT NOT NULL,
        title_zh TEXT,
        title_en TEXT,
        outcome TEXT NOT NULL,            -- pass | fail | not_applicable | not_assessable
        severity TEXT,
        reason TEXT,
        findings INTEGER,
        PRIMARY KEY (report_id, scope, seq)
    ) WITHOUT ROWID;
    CREATE TABLE errors (
        path TEXT PRIMARY KEY,
        sha256 TEXT,                      -- NULL when the file could not even be read
        audit_key TEXT,
        code TEXT NOT NULL,               -- an AuditError code, or timeout | memory | crash | unsafe | internal
        reason TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE work (
        path TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        seconds REAL,
        peak_rss_mb REAL,                 -- the worker process's peak resident memory so far
        worker TEXT,
        PRIMARY KEY (path, run_id)
    ) WITHOUT ROWID;
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        report_path TEXT NOT NULL,        -- reports.path (kept as text: a review outlives a re-audit)
        fingerprint TEXT NOT NULL,        -- findings.fingerprint
        decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss', 'comment')),
        reviewer TEXT NOT NULL,
        comment TEXT,
        at TEXT NOT NULL                  -- ISO timestamp
    );
    CREATE INDEX reviews_finding ON reviews(report_path, fingerprint);
    CREATE VIEW current_reviews AS
        SELECT r.report_path, r.fingerprint, r.decision, r.reviewer, r.comment, r.at
        FROM reviews r
        WHERE r.decision IN ('confirm', 'dismiss')
          AND r.id = (SELECT max(id) FROM reviews x WHERE x.report_path = r.report_path
                      AND x.fingerprint = r.fingerprint AND x.decision IN ('confirm', 'dismiss'));
    """,
    # 2: what a memo needs beyond version 1's rows, so memos can be rendered again from the store
    """
    ALTER TABLE reports ADD COLUMN versions TEXT;      -- the audit's versions, JSON (tool, parser, rules, model, rubric)
    ALTER TABLE reports ADD COLUMN tables TEXT;        -- the JSON memo's tables object (format, unreadable tables, …)
    ALTER TABLE reports ADD COLUMN memo_lang TEXT;     -- the language the memos are written in
    ALTER TABLE reports ADD COLUMN memo_state TEXT;    -- digest of the cross-report findings and decisions the memos show
    ALTER TABLE sections ADD COLUMN pages TEXT;        -- JSON list
    ALTER TABLE fields ADD COLUMN span TEXT;           -- JSON: page, line, bbox, …
    ALTER TABLE findings ADD COLUMN char_span TEXT;    -- JSON [start, end] of the sentence in its section
    """,
    # 3: a check's reason in both memo languages: `reason` Chinese, `reason_en` English. Reasons stored before
    # were English only: they stay readable in both columns until the report is audited again (a new schema
    # changes every audit key, so the next run does that).
    """
    ALTER TABLE checks ADD COLUMN reason_en TEXT;      -- the reason in English (reason: in Chinese)
    UPDATE checks SET reason_en = reason WHERE reason IS NOT NULL;
    """,
    # 4: what the run's derived outputs (cross-report checks, memos rendered again, summaries) were last made
    # from, so a resumed run with nothing new skips making them again
    """
    CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 5: corrections a reviewer made to the reading (a cell, a metadata field, where a section starts), kept
    # beside the audit's reading (never touched by a run, like reviews), and which corrections a report's
    # findings and checks were last re-checked with
    """
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        report_path TEXT NOT NULL,        -- reports.path (kept as text: a correction outlives a re-audit)
        target TEXT NOT NULL CHECK (target IN ('field', 'meta', 'section')),
        key TEXT NOT NULL,                -- a field id, a metadata name, or a section number
        value TEXT,                       -- the corrected value as typed; NULL: the correction is withdrawn
        original TEXT,                    -- the reading it corrects, when it was made
        reason TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL                  -- ISO timestamp
    );
    CREATE INDEX corrections_report ON corrections(report_path, target, key);
    ALTER TABLE reports ADD COLUMN corrected TEXT;     -- digest of the corrections its findings were re-checked with
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

#: tables whose content a run determines; ``dump()`` covers these, in this order
CONTENT_TABLES: dict[str, str] = {
    "reports": "path",
    "sections": "report_id, number",
    "fields": "report_id, field_id",
    "findings": "report_id, scope, seq",
    "checks": "report_id, scope, seq",
    "errors": "path",
}


class StoreError(Exception):
    """The store cannot be opened (made by a newer version, not a store, …)."""


def report_id(path: str) -> str:
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


def _j(x: Any) -> str | None:
    """JSON for a column; keys in the order the audit made them (deterministic), so a memo rendered again
    from the store lists them as the first one did."""
    return None if x is None else json.dumps(x, ensure_ascii=False)


class Store:
    """The SQLite store of one run folder."""

    def __init__(self, out: str | Path):
        self.path = Path(out) / STORE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # another process (a reader, a notebook recording decisions) may hold the file for a moment
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)  # explicit transactions
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        except BaseException:
            self.db.close()
            raise

    # ---------------------------------------------------------------------------------- plumbing

    def migrate(self) -> None:
        """Bring the schema to :data:`SCHEMA_VERSION`. Safe to race: each step reads the version again
        inside its own write transaction, so two processes opening an old store apply each migration once."""
        while True:
            with self.transaction():
                version = self.db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StoreError(f"{self.path}: store schema {version} is newer than this tool's "
                                     f"({SCHEMA_VERSION})")
                if version == SCHEMA_VERSION:
                    return
                for stmt in _statements(MIGRATIONS[version]):
                    self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version = {version + 1}")

    def integrity_problem(self) -> str | None:
        """None when SQLite finds the store whole (``PRAGMA integrity_check``), else its first complaint."""
        rows = [r[0] for r in self.db.execute("PRAGMA integrity_check(5)")]
        return None if rows == ["ok"] else "; ".join(str(r) for r in rows)[:200]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------------------------- runs

    def start_run(self, *, command: str, executor: str, jobs: int, versions: dict) -> int:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO runs (started, status, command, executor, jobs, tool_version, rules_version,"
                " model_version) VALUES (?, 'running', ?, ?, ?, ?, ?, ?)",
                (_now(), command, executor, jobs, versions.get("tool"), versions.get("rules"), versions.get("model")),
            )
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, *, status: str, seconds: float, **counts: int) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, status = ?, seconds = ?, inputs = ?, audited = ?, skipped = ?,"
                " failed = ?, ignored = ? WHERE id = ?",
                (_now(), status, round(seconds, 3), counts.get("inputs"), counts.get("audited"),
                 counts.get("skipped"), counts.get("failed"), counts.get("ignored"), run_id),
            )

    def get_state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    def inputs_digest(self, *extra: str) -> str:
        """A digest of everything the derived outputs are made from: each report's content and audit key,
        each failure, each review decision, and ``extra`` (rules, agency map, memo formats and language)."""
        h = hashlib.sha256("\x1f".join(extra).encode("utf-8"))
        for sql in ("SELECT path, sha256, audit_key FROM reports ORDER BY path",
                    "SELECT path, code, reason FROM errors ORDER BY path",
                    "SELECT id, report_path, fingerprint, decision, reviewer, comment, at FROM reviews ORDER BY id",
                    "SELECT id, report_path, target, key, value, reason, reviewer, at FROM corrections ORDER BY id"):
            for row in self.db.execute(sql):
                h.update(json.dumps(list(row), ensure_ascii=False).encode("utf-8"))
        return h.hexdigest()

    # ---------------------------------------------------------------------------- resume lookups

    def done(self) -> dict[str, tuple[str, str]]:
        """path → (sha256, audit_key) of every report in the store."""
        return {p: (h, k) for p, h, k in self.db.execute("SELECT path, sha256, audit_key FROM reports")}

    def failed(self) -> dict[str, tuple[str | None, str | None]]:
        """path → (sha256, audit_key) of every recorded failure."""
        return {p: (h, k) for p, h, k in self.db.execute("SELECT path, sha256, audit_key FROM errors")}

    # ------------------------------------------------------------------------------------ writes

    def put_report(self, record: dict, *, audit_key: str, memos: list[str], run_id: int | None = None,
                   work: dict | None = None, lang: str | None = None) -> None:
        """Replace everything the store holds for ``record['path']`` by this record, in one transaction
        (``lang``: the language its memos are written in)."""
        path = record["path"]
        rid = report_id(path)
        src, meta, score = record["source"], record["meta"], record.get("score") or {}
        versions = record.get("versions") or {}
        with self.transaction():
            self.db.execute("DELETE FROM reports WHERE id = ?", (rid,))  # cascades to the report's rows
            self.db.execute("DELETE FROM errors WHERE path = ?", (path,))
            self.db.execute(
                "INSERT INTO reports (id, path, sha256, kind, size, encoding, agency, year, published, format,"
                " level, title, meta, page_count, score, grade, score_detail, tool_version, rules_version,"
                " model_version, audit_key, audited, memos, versions, tables, memo_lang)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (rid, path, src["sha256"], src.get("kind"), src.get("size"), src.get("encoding"),
                 meta.get("agency"), meta.get("year"), meta.get("published"), meta.get("format"),
                 meta.get("level"), meta.get("title"), _j(meta), record.get("page_count"),
                 score.get("total"), _grade(score), _j(record.get("score")), versions.get("tool"),
                 versions.get("rules"), versions.get("model"), audit_key, record.get("audited"), _j(memos),
                 _j(versions), _j(record.get("tables")), lang),
            )
            self.db.executemany(
                "INSERT INTO sections (report_id, number, title, text, pages) VALUES (?, ?, ?, ?, ?)",
                [(rid, s["number"], s.get("title"), s.get("text"), _j(s.get("pages")))
                 for s in record.get("sections", [])],
            )
            self.db.executemany(
                "INSERT INTO fields (report_id, field_id, value, kind, raw, table_id, row_label, column_label,"
                " page, unit, span) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(rid, f["field_id"], f.get("value"), f["kind"], f.get("raw"), f.get("table"), f.get("row_label"),
                  f.get("column_label"), f.get("page"), f.get("unit"), _j(f.get("span")))
                 for f in record.get("fields", [])],
            )
            self._insert_findings(rid, "report", record.get("findings", []))
            self._insert_checks(rid, "report", record.get("checks", []))
            if work is not None and run_id is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO work (path, run_id, seconds, peak_rss_mb, worker) VALUES (?, ?, ?, ?, ?)",
                    (path, run_id, work.get("seconds"), work.get("peak_rss_mb"), work.get("worker")),
                )

    def put_memos(self, path: str, *, score: dict, memos: list[str], state: str | None) -> None:
        """After a report's memos were rendered again from the store: its score (the audit's with the
        cross-report findings), its memos and the state they show (:mod:`audit.batch.memos`)."""
        with self.transaction():
            self.db.execute(
                "UPDATE reports SET score = ?, grade = ?, score_detail = ?, memos = ?, memo_state = ? WHERE id = ?",
                (score.get("total"), _grade(score), _j(score), _j(memos), state, report_id(path)))

    def put_error(self, path: str, *, sha256: str | None, audit_key: str | None, code: str, reason: str,
                  run_id: int | None = None, work: dict | None = None) -> None:
        """Record that ``path`` failed; rows of an earlier audit of other content are dropped."""
        with self.transaction():
            self.db.execute("DELETE FROM reports WHERE id = ?", (report_id(path),))
            self.db.execute(
                "INSERT OR REPLACE INTO errors (path, sha256, audit_key, code, reason) VALUES (?, ?, ?, ?, ?)",
                (path, sha256, audit_key, code, reason),
            )
            if work is not None and run_id is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO work (path, run_id, seconds, peak_rss_mb, worker) VALUES (?, ?, ?, ?, ?)",
                    (path, run_id, work.get("seconds"), work.get("peak_rss_mb"), work.get("worker")),
                )

    def replace_cross(self, agency_keys: dict[str, str], findings: dict[str, list[dict]],
                      checks: dict[str, list[dict]]) -> None:
        """Replace every cross-report (scope 'run') row, and the agency keys, in one transaction."""
        with self.transaction():
            self.db.execute("DELETE FROM findings WHERE scope = 'run'")
            self.db.execute("DELETE FROM checks WHERE scope = 'run'")
            self.db.executemany("UPDATE reports SET agency_key = ? WHERE id = ?",
                                [(k, rid) for rid, k in sorted(agency_keys.items())])
            for rid in sorted(findings):
                self._insert_findings(rid, "run", findings[rid])
            for rid in sorted(checks):
                self._insert_checks(rid, "run", checks[rid])

    def _insert_findings(self, rid: str, scope: str, findings: list[dict]) -> None:
        rows = []
        for seq, f in enumerate(findings):
            loc = f.get("location") or {}
            msg = f.get("message") or {}
            rows.append((rid, scope, seq, f["fingerprint"], f["rule_id"], f["severity"], f.get("kind"),
                         msg.get("zh"), msg.get("en"), loc.get("section"), loc.get("page"), loc.get("table"),
                         loc.get("row_label"), loc.get("column_label"), _j(loc.get("field_ids", [])),
                         loc.get("sentence"), _j(f.get("expected")), _j(f.get("found")), _j(f.get("suggestion")),
                         _j(f.get("details")), _j(loc.get("char_span"))))
        self.db.executemany(
            "INSERT INTO findings (report_id, scope, seq, fingerprint, rule_id, severity, kind, message_zh,"
            " message_en, section, page, table_id, row_label, column_label, field_ids, sentence, expected, found,"
            " suggestion, details, char_span) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _insert_checks(self, rid: str, scope: str, checks: list[dict]) -> None:
        self.db.executemany(
            "INSERT INTO checks (report_id, scope, seq, rule_id, title_zh, title_en, outcome, severity, reason,"
            " findings, reason_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(rid, scope, seq, c["rule_id"], (c.get("title") or {}).get("zh"), (c.get("title") or {}).get("en"),
              c["outcome"], c.get("severity"), c.get("reason"), c.get("findings", 0), c.get("reason_en"))
             for seq, c in enumerate(checks)],
        )

    # ----------------------------------------------------------------------------------- reviews

    def add_review(self, report_path: str, fingerprint: str, decision: str, reviewer: str,
                   comment: str | None = None, at: str | None = None) -> None:
        """Record a review decision (confirm / dismiss / comment) on a finding; history is kept."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO reviews (report_path, fingerprint, decision, reviewer, comment, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (report_path, fingerprint, decision, reviewer, comment, at or _now()),
            )

    # ------------------------------------------------------------------------------------- reads

    def query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    def dump(self) -> str:
        """The content tables as canonical text: equal dumps mean equal stores, whatever the row order."""
        lines = [f"schema {SCHEMA_VERSION}"]
        for table, order in CONTENT_TABLES.items():
            cur = self.db.execute(f"SELECT * FROM {table} ORDER BY {order}")
            cols = [d[0] for d in cur.description]
            lines.append(f"== {table} ({', '.join(cols)})")
            lines.extend(json.dumps(list(row), ensure_ascii=False) for row in cur)
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------ overview, corrections, compare

    def overview_reports(self) -> list[sqlite3.Row]:
        """Every audited report with what the run overview shows: identity, score and its detail, memos."""
        return self.query("SELECT path, agency, agency_key, year, level, format, kind, score, grade, score_detail,"
                          " memos FROM reports ORDER BY path")

    def overview_findings(self) -> list[tuple]:
        """(rule_id, severity, report path, fingerprint) of every finding, by rule and report."""
        return self.db.execute(
            "SELECT f.rule_id, f.severity, r.path, f.fingerprint FROM findings f JOIN reports r ON r.id = f.report_id"
            " ORDER BY f.rule_id, r.path, f.scope, f.seq").fetchall()

    def rule_titles(self) -> dict[str, tuple[str | None, str | None]]:
        """rule id → (title in Chinese, in English), from the checks the run evaluated."""
        return {r: (zh, en) for r, zh, en in self.db.execute(
            "SELECT rule_id, max(title_zh), max(title_en) FROM checks GROUP BY rule_id")}

    def failure_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM errors").fetchone()[0]

    def add_correction(self, report_path: str, target: str, key: str, value: str | None, original: str | None,
                       reason: str, reviewer: str, at: str | None = None) -> None:
        """Record a correction of the reading (``value`` None withdraws the one before); history is kept."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO corrections (report_path, target, key, value, original, reason, reviewer, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (report_path, target, key, value, original, reason, reviewer, at or _now()))

    def correction_history(self, report_path: str | None = None) -> list[tuple]:
        """(report_path, target, key, value, original, reason, reviewer, at) of every correction, oldest first."""
        sql = "SELECT report_path, target, key, value, original, reason, reviewer, at FROM corrections"
        if report_path is None:
            return self.db.execute(sql + " ORDER BY id").fetchall()
        return self.db.execute(sql + " WHERE report_path = ? ORDER BY id", (report_path,)).fetchall()

    def corrected_states(self) -> dict[str, str | None]:
        """report path → the digest of the corrections its findings and checks were re-checked with."""
        return dict(self.db.execute("SELECT path, corrected FROM reports"))

    def put_rechecked(self, path: str, *, findings: list[dict], checks: list[dict], score: dict,
                      corrected: str | None) -> None:
        """A report's own findings and checks evaluated again on its corrected reading, with the score; its
        memos are marked for rendering again (``memo_state``)."""
        rid = report_id(path)
        with self.transaction():
            self.db.execute("DELETE FROM findings WHERE report_id = ? AND scope = 'report'", (rid,))
            self.db.execute("DELETE FROM checks WHERE report_id = ? AND scope = 'report'", (rid,))
            self._insert_findings(rid, "report", findings)
            self._insert_checks(rid, "report", checks)
            self.db.execute("UPDATE reports SET score = ?, grade = ?, score_detail = ?, corrected = ?,"
                            " memo_state = 'rechecked' WHERE id = ?",
                            (score.get("total"), _grade(score), _j(score), corrected, rid))

    def report_field(self, path: str, field_id: str) -> sqlite3.Row | None:
        rows = self.query("SELECT f.* FROM fields f JOIN reports r ON r.id = f.report_id WHERE r.path = ?"
                          " AND f.field_id = ?", (path, field_id))
        return rows[0] if rows else None

    def add_reviews(self, rows: list[tuple]) -> None:
        """Record many decisions (report_path, fingerprint, decision, reviewer, comment, at) in one transaction."""
        with self.transaction():
            self.db.executemany("INSERT INTO reviews (report_path, fingerprint, decision, reviewer, comment, at)"
                                " VALUES (?, ?, ?, ?, ?, ?)", rows)

    def cause_rows(self) -> list[sqlite3.Row]:
        """What grouping findings by their likely cause needs: each finding's report, rule, message,
        cells and suggested correction."""
        return self.query("SELECT r.path, r.agency, r.year, f.scope, f.fingerprint, f.rule_id, f.severity,"
                          " f.message_zh, f.message_en, f.table_id, f.field_ids, f.suggestion FROM findings f"
                          " JOIN reports r ON r.id = f.report_id ORDER BY r.path, f.scope, f.seq")

    def report_path(self, rid: str) -> str | None:
        row = self.db.execute("SELECT path FROM reports WHERE id = ?", (rid,)).fetchone()
        return row[0] if row else None

    def report_row(self, path: str) -> sqlite3.Row | None:
        rows = self.query("SELECT * FROM reports WHERE path = ?", (path,))
        return rows[0] if rows else None

    def report_sections(self, path: str) -> list[sqlite3.Row]:
        return self.query("SELECT s.number, s.title, s.text FROM sections s JOIN reports r ON r.id = s.report_id"
                          " WHERE r.path = ? ORDER BY s.number", (path,))

    def report_by_path(self, path: str) -> sqlite3.Row | None:
        """Every column of the report ``path`` (its id, source, reading, score, memos), or None."""
        return self.report_row(path)

    def sections_of(self, rid: str) -> list[sqlite3.Row]:
        """number, title, text, pages of a report's sections, in order."""
        return self.query("SELECT number, title, text, pages FROM sections WHERE report_id = ? ORDER BY number",
                          (rid,))

    def findings_of(self, rid: str) -> list[sqlite3.Row]:
        """Every column of a report's findings: its own (scope 'report') first, then the cross-report ones."""
        return self.query("SELECT * FROM findings WHERE report_id = ? ORDER BY scope = 'run', seq", (rid,))

    def checks_of(self, rid: str) -> list[sqlite3.Row]:
        """Every column of the checks of a report's own audit (scope 'report'), in order."""
        return self.query("SELECT * FROM checks WHERE report_id = ? AND scope = 'report' ORDER BY seq", (rid,))

    def fields_of(self, rid: str) -> list[sqlite3.Row]:
        """A report's fields (table cells), by the names of ``Value``'s record (``field_id`` beside them;
        ``span`` as JSON text), in no particular order."""
        return self.query("SELECT field_id, value, kind, raw, table_id AS \"table\", row_label, column_label, page,"
                          " span, unit FROM fields WHERE report_id = ?", (rid,))

    def cross_findings(self) -> list[tuple]:
        """Every column of every cross-report finding (scope 'run'), by report id and sequence."""
        return self.db.execute("SELECT * FROM findings WHERE scope = 'run' ORDER BY report_id, seq").fetchall()

    def memo_rows(self) -> list[tuple]:
        """(id, path, memo_state, memos, memo_lang) of every report, by path."""
        return self.db.execute("SELECT id, path, memo_state, memos, memo_lang FROM reports ORDER BY path").fetchall()

    def cross_inputs(self) -> list[tuple]:
        """(id, path, sha256, agency, year, level, meta, tables) of every report, by path: what the
        cross-report checks read."""
        return self.db.execute(
            "SELECT id, path, sha256, agency, year, level, meta, tables FROM reports ORDER BY path").fetchall()

    def section_texts(self) -> list[tuple]:
        """(report id, number, text) of every section of every report."""
        return self.db.execute("SELECT report_id, number, text FROM sections").fetchall()

    def last_audited(self) -> str | None:
        """The latest audit date written into the run's memos, or None when it has no report."""
        return self.db.execute("SELECT max(audited) FROM reports").fetchone()[0]

    def failures(self) -> list[tuple]:
        """(path, code, reason) of every input that could not be audited, by path."""
        return self.db.execute("SELECT path, code, reason FROM errors ORDER BY path").fetchall()

    def failure_reasons(self) -> dict[str, str]:
        """path → reason of every input that could not be audited."""
        return {k: reason for k, reason in self.db.execute("SELECT path, reason FROM errors")}

    def scores(self) -> dict[str, tuple]:
        """path → (score, grade id) of every report, as stored."""
        return {path: (score, grade) for path, score, grade in self.db.execute("SELECT path, score, grade FROM reports")}

    def reports_with(self, fingerprint: str) -> list[str]:
        """The paths of the reports that have a finding with this fingerprint."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT r.path FROM findings f JOIN reports r ON r.id = f.report_id WHERE f.fingerprint = ?"
            " ORDER BY r.path", (fingerprint,))]

    def review_history(self, report_path: str | None = None) -> list[tuple]:
        """(report_path, fingerprint, decision, reviewer, comment, at) of every decision, oldest first."""
        sql = "SELECT report_path, fingerprint, decision, reviewer, comment, at FROM reviews"
        params: tuple = ()
        if report_path is not None:
            sql += " WHERE report_path = ?"
            params = (report_path,)
        return self.db.execute(sql + " ORDER BY id", params).fetchall()

    def finding_states(self) -> list[tuple]:
        """(report path, fingerprint, scope, severity) of every finding."""
        return self.db.execute(
            "SELECT r.path, f.fingerprint, f.scope, f.severity FROM findings f JOIN reports r ON r.id = f.report_id"
        ).fetchall()

    def finding_rules(self) -> dict[tuple[str, str], str]:
        """(report path, fingerprint) → rule id of every finding of the run."""
        return {(p, fp): rule for p, fp, rule in self.db.execute(
            "SELECT DISTINCT r.path, f.fingerprint, f.rule_id FROM findings f JOIN reports r ON r.id = f.report_id")}

    def summary_reports(self) -> list[tuple]:
        """(path, agency, agency_key, year, format, level, kind, published, score, grade, sha256) of every
        report, by path."""
        return self.db.execute(
            "SELECT path, agency, agency_key, year, format, level, kind, published, score, grade, sha256"
            " FROM reports ORDER BY path").fetchall()

    def summary_findings(self) -> list[tuple]:
        """(path, agency, year, scope, rule_id, severity, kind, message_zh, message_en, section, page,
        table_id, row_label, column_label, field_ids, sentence, expected, found, fingerprint) of every
        finding, by report, scope and sequence."""
        return self.db.execute(
            "SELECT r.path, r.agency, r.year, f.scope, f.rule_id, f.severity, f.kind, f.message_zh, f.message_en,"
            " f.section, f.page, f.table_id, f.row_label, f.column_label, f.field_ids, f.sentence, f.expected,"
            " f.found, f.fingerprint FROM findings f JOIN reports r ON r.id = f.report_id"
            " ORDER BY r.path, f.scope, f.seq").fetchall()

    def api_reports(self) -> list[sqlite3.Row]:
        """What the API's reports table shows of every report, by path."""
        return self.query("SELECT path, agency, agency_key, year, format, level, kind, published, page_count, score,"
                          " grade, audited FROM reports ORDER BY path")

    def api_findings(self) -> list[sqlite3.Row]:
        """Every column of every finding with its report's path, agency, agency_key and year, by report,
        scope and sequence."""
        return self.query("SELECT r.path, r.agency, r.agency_key, r.year, f.* FROM findings f"
                          " JOIN reports r ON r.id = f.report_id ORDER BY r.path, f.scope, f.seq")

    def field_table(self) -> tuple[list[str], list[tuple]]:
        """(columns, rows) of every table cell of every report: path, agency, year, field_id, table, row,
        column, value, kind, raw, page, unit; by path and field id."""
        return _columns_rows(self.db.execute(
            "SELECT r.path, r.agency, r.year, f.field_id, f.table_id AS \"table\", f.row_label AS \"row\","
            " f.column_label AS \"column\", f.value, f.kind, f.raw, f.page, f.unit"
            " FROM fields f JOIN reports r ON r.id = f.report_id ORDER BY r.path, f.field_id"))

    def check_table(self, lang: str = "zh") -> tuple[list[str], list[tuple]]:
        """(columns, rows) of every rule evaluated on each report: path, agency, year, scope, rule_id, title,
        outcome, severity, reason, findings (title and reason in ``lang``)."""
        title = "title_en" if lang == "en" else "title_zh"
        reason = "reason_en" if lang == "en" else "reason"
        return _columns_rows(self.db.execute(
            f"SELECT r.path, r.agency, r.year, c.scope, c.rule_id, c.{title} AS title, c.outcome, c.severity,"
            f" c.{reason} AS reason, c.findings FROM checks c JOIN reports r ON r.id = c.report_id"
            " ORDER BY r.path, c.scope, c.seq"))

    def failure_table(self) -> tuple[list[str], list[tuple]]:
        """(columns, rows) of the inputs that could not be audited: path, code, reason; by path."""
        return _columns_rows(self.db.execute("SELECT path, code, reason FROM errors ORDER BY path"))

    def import_reviews(self, rows: list[tuple]) -> None:
        """Record decisions (report_path, fingerprint, decision, reviewer, comment, at) inside the caller's
        transaction."""
        self.db.executemany("INSERT INTO reviews (report_path, fingerprint, decision, reviewer, comment, at)"
                            " VALUES (?, ?, ?, ?, ?, ?)", rows)

    def add_corrections(self, rows: list[tuple]) -> None:
        """Record many corrections (report_path, target, key, value, original, reason, reviewer, at) in one
        transaction."""
        with self.transaction():
            self.db.executemany(f"INSERT INTO corrections ({_CORRECTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                rows)


_CORRECTION_COLUMNS = "report_path, target, key, value, original, reason, reviewer, at"


def read_damaged(path: Path, table: str) -> list[tuple]:
    """The user data (``table``: 'reviews' or 'corrections') that can still be read from a damaged store
    file, oldest first; raises sqlite3.Error when it cannot."""
    cols = {"reviews": "report_path, fingerprint, decision, reviewer, comment, at",
            "corrections": _CORRECTION_COLUMNS}[table]
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()
    finally:
        db.close()


def _columns_rows(cur: sqlite3.Cursor) -> tuple[list[str], list[tuple]]:
    rows = cur.fetchall()
    return [d[0] for d in cur.description], rows


def _grade(score: dict) -> str | None:
    grade = score.get("grade")
    return grade.get("id") if isinstance(grade, dict) else grade


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (sqlite3's executescript would commit on its own)."""
    out, buf = [], []
    for line in script.splitlines():
        code = line.split("--", 1)[0]
        buf.append(code)
        if sqlite3.complete_statement("\n".join(buf)):
            stmt = "\n".join(buf).strip()
            if stmt.strip(";").strip():
                out.append(stmt)
            buf = []
    return out


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


@contextmanager
def open_run(out: Path) -> Iterator["Store"]:
    """The store of the run folder ``out`` (of ``audit batch -o OUT``), closed on leaving; an AuditError
    when the folder holds none."""
    from audit.errors import AuditError

    if not (out / STORE_NAME).is_file():
        raise AuditError(f"{out}: not a run folder (no {STORE_NAME}); run `audit batch … -o {out}` first")
    store = Store(out)
    try:
        yield store
    finally:
        store.close()
