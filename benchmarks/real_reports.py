"""How the tool reads and judges real reports: sections, table cells and findings against what a reader
established by hand, per report, over every report in the given folders.

    .venv/bin/python benchmarks/real_reports.py                        # ../shared/reports and ../shared/reports/real
    .venv/bin/python benchmarks/real_reports.py some/folder --expected tests/real --json out.json

Expected data, per report file ``<name>``, in the ``--expected`` folder (default ``tests/real``):

``<name>.reading.yaml``: what a reader establishes from the report itself::

    sections: [1, 2, 3, 4, 5, 6]    # the sections the report has (those it lacks are a structure finding)
    section5: "2023年，"             # the first characters of section 五 (spaces ignored)
    cells:                          # every cell figure established; null = blank in the report;
      t3.new.natural: 21            #   declined = a cell nobody can read without guessing (a crawler's
      t2.norm.issued: declined      #   ambiguous digit run): the tool must not give a number

``<name>.findings.yaml``: the findings the memo should hold::

    findings:                       # must appear: matched by rule id and, when given, `where` appearing
      - {rule: T4-SUM, where: t4.review.total, severity: error}   # in the finding's JSON, and severity
    allowed:                        # may appear, counted neither way
      - {rule: TABLES-ASSESSABLE}

An entry with ``scope: run`` needs the other reports of a batch (XY-COPY, XA-DUP): it is counted only
with ``--batch``, which also runs ``audit batch`` over the folders (into a temporary folder) and adds each
report's cross-report findings to its own; without it such entries are listed as not evaluated. Each expected finding is matched by at
most one finding and each finding matches at most one entry: a second finding for one entry (a
duplicate of its cause) is false, an expected one not produced is missed.

Per report the table shows: sections found / expected (and extra), whether section 五 starts as
expected, cells right / wrong / declined (right: the figure, a blank read as blank, or no number where
``declined`` is expected; wrong: another figure, or a number where ``declined`` or a blank is expected;
declined: no number where a figure was expected), findings expected / found among them / false / missed.
Then a total line, and precision and recall of findings. Reports run in this process, one after another.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit import pipeline  # noqa: E402
from audit.model import Finding, Result, ValueKind  # noqa: E402

DEFAULT_FOLDERS = (ROOT.parent / "shared" / "reports", ROOT.parent / "shared" / "reports" / "real")
DEFAULT_EXPECTED = ROOT / "tests" / "real"
REPORT_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm", ".docx")
DECLINED = "declined"


# ------------------------------------------------------------------------------------ expected data


@dataclass
class Expected:
    rule: str
    where: str | None = None
    severity: str | None = None
    scope: str | None = None

    def matches(self, f: Finding, text: str | None = None) -> bool:
        if f.rule_id != self.rule or (self.severity and str(f.severity) != self.severity):
            return False
        if self.where is None:
            return True
        return str(self.where) in (text if text is not None else finding_text(f))


@dataclass
class FindingsSpec:
    findings: list[Expected] = field(default_factory=list)
    allowed: list[Expected] = field(default_factory=list)


def _entries(items) -> list[Expected]:
    out = []
    for it in items or []:
        if isinstance(it, str):
            it = {"rule": it}
        unknown = set(it) - {"rule", "where", "severity", "scope", "note"}
        if "rule" not in it or unknown:
            raise ValueError(f"findings entry {it!r}: needs `rule`; known keys rule, where, severity, scope, note")
        out.append(Expected(str(it["rule"]), None if it.get("where") is None else str(it["where"]),
                            it.get("severity"), it.get("scope")))
    return out


def load_findings(path: Path) -> FindingsSpec | None:
    """A ``<name>.findings.yaml`` (None when there is none)."""
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return FindingsSpec(_entries(data.get("findings")), _entries(data.get("allowed")))


def load_reading(path: Path) -> dict | None:
    """A ``<name>.reading.yaml`` (None when there is none)."""
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def finding_text(f: Finding) -> str:
    return json.dumps(f.to_json(), ensure_ascii=False, default=str)


# ------------------------------------------------------------------------------------------ compare


@dataclass
class Row:
    name: str
    seconds: float = 0.0
    sections_expected: list[int] | None = None
    sections_found: list[int] = field(default_factory=list)
    section5_ok: bool | None = None
    cells: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    declined: int = 0
    expected: int = 0
    matched: int = 0
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    not_evaluated: int = 0
    has_findings: bool = False
    error: str | None = None

    @property
    def sections_ok(self) -> bool | None:
        if self.sections_expected is None:
            return None
        return set(self.sections_expected) <= set(self.sections_found)


def _flat(s: str) -> str:
    """Spaces dropped, full-width forms folded (（一） and (一) alike)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def compare_cells(result: Result, cells: dict, row: Row) -> None:
    fields = result.fields
    for fid, want in (cells or {}).items():
        row.cells += 1
        v = fields.get(fid)
        got_number = v is not None and v.is_number
        if want == DECLINED:
            if got_number:
                row.wrong.append(f"{fid}: {v.raw or v.value} where no split can be told")
            else:
                row.right += 1
            continue
        if want is None:
            if v is not None and v.kind in (ValueKind.BLANK, ValueKind.DASH, ValueKind.NONE_WORD):
                row.right += 1
            elif got_number:
                row.wrong.append(f"{fid}: {v.value} for a blank cell")
            else:
                row.declined += 1
            continue
        if not got_number:
            row.declined += 1
        elif Decimal(str(v.value)) == Decimal(str(want)):
            row.right += 1
        else:
            row.wrong.append(f"{fid}: {v.value} ≠ {want}")


def compare_findings(findings: list[Finding], spec: FindingsSpec, row: Row, batch: bool = False,
                     cross: list[Finding] = ()) -> None:
    """Match the report's findings (and, with ``batch``, its cross-report ones) against ``spec``."""
    row.has_findings = True
    wanted = [e for e in spec.findings if batch or e.scope != "run"]
    row.not_evaluated = len(spec.findings) - len(wanted)
    row.expected = len(wanted)
    findings = list(findings) + list(cross)
    texts = [finding_text(f) for f in findings]
    used = [False] * len(findings)
    # the entries naming a place first, so a bare rule id does not take the finding they name
    order = sorted(range(len(wanted)), key=lambda i: wanted[i].where is None)
    hit = [False] * len(wanted)
    for i in order:
        e = wanted[i]
        for j, f in enumerate(findings):
            if not used[j] and e.matches(f, texts[j]):
                used[j] = hit[i] = True
                break
    row.matched = sum(hit)
    row.missed = [f"{wanted[i].rule}" + (f" @ {wanted[i].where}" if wanted[i].where else "")
                  for i in range(len(wanted)) if not hit[i]]
    for j, f in enumerate(findings):
        if used[j] or any(a.matches(f, texts[j]) for a in spec.allowed):
            continue
        where = ",".join(f.location.field_ids[:1]) or (f"§{f.location.section}" if f.location.section else "")
        row.false.append(f"{f.rule_id}" + (f" @ {where}" if where else ""))


def cross_findings(folders, paths: list[Path]) -> dict[str, list[Finding]]:
    """Run ``audit batch`` over ``folders`` into a temporary folder; the cross-report findings (scope run)
    of each report, by file name."""
    import math
    import tempfile

    from audit.api import load_run
    from audit.batch.run import BatchOptions, run_batch
    from audit.model import Location, Severity

    out: dict[str, list[Finding]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        run_batch([str(p) for p in paths], Path(tmp) / "run", BatchOptions(formats=("json",), progress=False))
        df = load_run(Path(tmp) / "run").findings
        for r in df[df["scope"] == "run"].to_dict("records"):
            def clean(v):
                return None if v is None or (isinstance(v, float) and math.isnan(v)) else v
            loc = Location(section=clean(r["section"]), table=clean(r["table"]), row_label=clean(r["row"]),
                           column_label=clean(r["column"]), field_ids=list(r["field_ids"] or []),
                           sentence=clean(r["sentence"]))
            out.setdefault(Path(r["path"]).name, []).append(Finding(
                r["rule_id"], Severity(r["severity"]), r["kind"], r["message"], r["message"], loc,
                expected=clean(r["expected"]), found=clean(r["found"])))
    return out


def evaluate(path: Path, expected_dir: Path, batch: bool = False, cross: list[Finding] = ()) -> Row:
    row = Row(path.name)
    reading = load_reading(expected_dir / f"{path.name}.reading.yaml")
    spec = load_findings(expected_dir / f"{path.name}.findings.yaml")
    t = time.perf_counter()
    try:
        result = pipeline.audit(path, cache=False)
    except Exception as exc:  # a report the tool refuses is a row of the table, not the end of the run
        row.error = f"{type(exc).__name__}: {exc}"
        row.seconds = time.perf_counter() - t
        if reading:
            row.sections_expected = list(reading.get("sections") or [])
            row.cells = len(reading.get("cells") or {})
            row.declined = row.cells
        if spec:
            row.has_findings, row.expected = True, len([e for e in spec.findings if e.scope != "run"])
            row.missed = [e.rule for e in spec.findings if e.scope != "run"]
        return row
    row.seconds = time.perf_counter() - t
    row.sections_found = sorted(s.number for s in result.document.sections)
    if reading:
        if reading.get("sections") is not None:
            row.sections_expected = [int(x) for x in reading["sections"]]
        if reading.get("section5"):
            s5 = result.document.section(5)
            row.section5_ok = s5 is not None and _flat(s5.text).startswith(_flat(str(reading["section5"])))
        compare_cells(result, reading.get("cells") or {}, row)
    if spec is not None:
        compare_findings(result.findings, spec, row, batch, cross)
    return row


def report_files(folders) -> list[Path]:
    out: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        out += sorted(p for p in folder.iterdir()
                      if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and p.name.lower() != "readme.md")
    return out


# -------------------------------------------------------------------------------------------- print


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✓" if ok else "✗")


def table(rows: list[Row]) -> str:
    head = ["report", "sections", "五", "cells", "right", "wrong", "declined", "findings exp.", "found", "false",
            "missed", "s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if r.sections_expected is None:
            sec = f"{len(r.sections_found)} found"
        else:
            got = len(set(r.sections_expected) & set(r.sections_found))
            extra = sorted(set(r.sections_found) - set(r.sections_expected))
            sec = f"{got}/{len(r.sections_expected)}" + (f" +{','.join(map(str, extra))}" if extra else "")
        f = (lambda x: str(x)) if r.has_findings else (lambda x: "—")
        name = r.name + (" (refused)" if r.error else "")
        lines.append("| " + " | ".join([
            name, sec, _mark(r.section5_ok), str(r.cells), str(r.right), str(len(r.wrong)), str(r.declined),
            f(r.expected), f(r.matched), f(len(r.false)), f(len(r.missed)), f"{r.seconds:.2f}"]) + " |")
    return "\n".join(lines)


def totals(rows: list[Row]) -> dict:
    exp = sum(r.expected for r in rows)
    matched = sum(r.matched for r in rows)
    false = sum(len(r.false) for r in rows)
    missed = sum(len(r.missed) for r in rows)
    with_sections = [r for r in rows if r.sections_expected is not None]
    return {
        "reports": len(rows),
        "refused": sum(1 for r in rows if r.error),
        "sections_ok": sum(1 for r in with_sections if r.sections_ok),
        "sections_checked": len(with_sections),
        "section5_ok": sum(1 for r in rows if r.section5_ok),
        "section5_checked": sum(1 for r in rows if r.section5_ok is not None),
        "cells": sum(r.cells for r in rows),
        "right": sum(r.right for r in rows),
        "wrong": sum(len(r.wrong) for r in rows),
        "declined": sum(r.declined for r in rows),
        "findings_expected": exp,
        "found": matched,
        "false": false,
        "missed": missed,
        "not_evaluated": sum(r.not_evaluated for r in rows),
        "precision": matched / (matched + false) if matched + false else None,
        "recall": matched / (matched + missed) if matched + missed else None,
        "seconds": sum(r.seconds for r in rows),
    }


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def total_line(t: dict) -> str:
    return (f"total: {t['reports']} reports ({t['refused']} refused); sections complete {t['sections_ok']}/"
            f"{t['sections_checked']}, section 五 right {t['section5_ok']}/{t['section5_checked']}; cells "
            f"{t['right']}/{t['cells']} right, {t['wrong']} wrong, {t['declined']} declined; findings "
            f"{t['found']}/{t['findings_expected']} found, {t['false']} false, {t['missed']} missed; precision "
            f"{_pct(t['precision'])}, recall {_pct(t['recall'])}"
            + (f" ({t['not_evaluated']} cross-report expectations not evaluated)" if t["not_evaluated"] else "")
            + f"; {t['seconds']:.1f} s")


def details(rows: list[Row]) -> str:
    out = []
    for r in rows:
        bits = []
        if r.error:
            bits.append(f"refused: {r.error}")
        if r.sections_expected is not None and not r.sections_ok:
            bits.append(f"sections missing: {sorted(set(r.sections_expected) - set(r.sections_found))}")
        if r.section5_ok is False:
            bits.append("section 五 does not start as expected")
        bits += [f"wrong {w}" for w in r.wrong[:8]] + ([f"… {len(r.wrong) - 8} more wrong"] if len(r.wrong) > 8 else [])
        bits += [f"false {x}" for x in r.false] + [f"missed {x}" for x in r.missed]
        if bits:
            out.append(f"{r.name}: " + "; ".join(bits))
    return "\n".join(out)


def run(folders=DEFAULT_FOLDERS, expected_dir: Path = DEFAULT_EXPECTED, batch: bool = False
        ) -> tuple[list[Row], dict]:
    paths = report_files(folders)
    cross = cross_findings(folders, paths) if batch else {}
    rows = [evaluate(p, Path(expected_dir), batch, cross.get(p.name, [])) for p in paths]
    return rows, totals(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, help="folders of real reports (default: ../shared/reports, "
                                                           "../shared/reports/real)")
    ap.add_argument("--expected", type=Path, default=DEFAULT_EXPECTED, help="folder of the expected data")
    ap.add_argument("--json", type=Path, help="also write the rows and totals as JSON here")
    ap.add_argument("--batch", action="store_true", help="also run `audit batch` over the folders and count "
                                                         "the cross-report findings and expectations")
    ap.add_argument("-q", "--quiet", action="store_true", help="no per-report details under the table")
    args = ap.parse_args(argv)
    folders = args.folders or list(DEFAULT_FOLDERS)
    rows, tot = run(folders, args.expected, args.batch)
    if not rows:
        print(f"no reports in {', '.join(map(str, folders))}", file=sys.stderr)
        return 2
    print(table(rows))
    print(total_line(tot))
    if not args.quiet and (d := details(rows)):
        print()
        print(d)
    if args.json:
        args.json.write_text(json.dumps({"rows": [r.__dict__ for r in rows], "totals": tot}, ensure_ascii=False,
                                        indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
