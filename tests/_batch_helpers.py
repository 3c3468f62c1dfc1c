"""Helpers for the batch tests: a fixture auditor for the runner's mechanics, fixture writers, and a
``python -m tests._batch_helpers`` entry point that runs a batch with it (for the kill -9 test).

:class:`FixtureAuditor` reads our own small ``key: value`` fixture files (never real report text) into a
real :class:`audit.model.Result` and renders JSON and Markdown memos from it, so the runner, store,
summaries and cross-report checks are exercised on known content. Fixture lines:

    agency: 青山区教育局          year: 2022          format: 2021          level: department
    t3.carried_in.natural: 3      (a field; an empty value is a blank cell)
    section5: …                   (a section's text)
    finding: T3-ROW-SUM error     (a finding of the report's own audit)
    behave: sleep 30 | allocate 900 | crash | fail corrupt text

Every audit appends ``agency/year`` to ``$BATCH_TEST_LOG`` when set; ``$BATCH_TEST_DELAY`` seconds are
spent on each file (so a run can be killed half-way).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import random
import signal
import sys
import time
from decimal import Decimal
from pathlib import Path

from audit.errors import CorruptFile
from audit.model import (Check, Document, Fields, Finding, Location, Meta, Outcome, Result, Section, Severity, Source,
                         Value, ValueKind)

AUDITOR = "tests._batch_helpers:FixtureAuditor"


def fixture_text(*, agency: str, year: int, fmt: str = "2021", level: str = "department",
                 fields: dict[str, object] | None = None, sections: dict[int, str] | None = None,
                 findings: list[str] = (), behave: str | None = None) -> str:
    lines = [f"agency: {agency}", f"year: {year}", f"format: {fmt}", f"level: {level}"]
    lines += [f"{k}: {'' if v is None else v}" for k, v in (fields or {}).items()]
    lines += [f"section{n}: {t}" for n, t in (sections or {}).items()]
    lines += [f"finding: {f}" for f in findings]
    if behave:
        lines.append(f"behave: {behave}")
    return "\n".join(lines) + "\n"


def parse_fixture(text: str) -> dict:
    out: dict = {"fields": {}, "sections": {}, "findings": [], "behave": None}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key.startswith(("t2.", "t3.", "t4.")):
            out["fields"][key] = value
        elif key.startswith("section"):
            out["sections"][int(key[len("section"):])] = value
        elif key == "finding":
            out["findings"].append(value.split())
        elif key:
            out[key] = value
    return out


class FixtureAuditor:
    def __init__(self, options: dict):
        from audit.checks.ruleset import load_rules

        self.options = options
        self.ruleset = load_rules(options.get("rules_file"))

    def versions(self) -> dict:
        return {"tool": "fixture", "parser": "1", "rules": self.ruleset.version, "model": "fixture-1"}

    def audit(self, path: Path) -> Result:
        data = path.read_bytes()
        fx = parse_fixture(data.decode("utf-8"))
        log = os.environ.get("BATCH_TEST_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"{fx.get('agency')}/{fx.get('year')}\n")
        time.sleep(float(os.environ.get("BATCH_TEST_DELAY", "0")))
        _behave(fx.get("behave"))
        source = Source.from_bytes(str(path), data, "txt", "utf-8")
        meta = Meta(agency=fx.get("agency"), year=int(fx["year"]) if fx.get("year") else None,
                    format=fx.get("format"), level=fx.get("level"))
        sections = [Section(n, f"section {n}", [1], t, 0, 0) for n, t in sorted(fx["sections"].items())]
        doc = Document(source=source, blocks=[], sections=sections, meta=meta)
        fields = Fields(format=meta.format)
        for fid, raw in fx["fields"].items():
            table, row, col = fid.split(".")[0], ".".join(fid.split(".")[1:-1]), fid.split(".")[-1]
            if raw == "":
                fields[fid] = Value(None, ValueKind.BLANK, raw, table, row, col, 1)
            else:
                num = Decimal(raw) if "." in raw else int(raw)
                fields[fid] = Value(num, ValueKind.NUMBER, raw, table, row, col, 1)
        findings = [Finding(rule, Severity(sev), "numeric", f"{rule} 不成立", f"{rule} fails",
                            Location(table="t3", field_ids=[f"t3.{rule.lower()}"]), expected=1, found=2)
                    for rule, sev in fx["findings"]]
        checks = [Check(rule, rule, rule, Outcome.FAIL, Severity(sev), findings=1) for rule, sev in fx["findings"]]
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        score = {"total": 100 - 5 * errors, "grade": {"id": "A" if errors == 0 else "B"}}
        return Result(source, doc, fields, findings, checks, score, self.versions(),
                      self.options.get("today") or _dt.date(2025, 1, 1))

    def render_memos(self, result: Result) -> dict[str, bytes]:
        body = {"source": result.source.to_json(), "meta": result.meta.to_json(),
                "findings": [f.to_json() for f in result.findings], "score": result.score}
        out = {}
        for fmt in self.options["formats"]:
            if fmt == "json":
                out[fmt] = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
            else:
                out[fmt] = (f"# {result.meta.agency} {result.meta.year}\n\n{result.source.path}\n"
                            + "".join(f"- {f.rule_id}\n" for f in result.findings)).encode()
        return out


def _behave(what: str | None) -> None:
    if not what:
        return
    verb, _, arg = what.partition(" ")
    if verb == "sleep":
        time.sleep(float(arg))
    elif verb == "allocate":
        hog = bytearray(int(arg) * 2**20)
        for i in range(0, len(hog), 4096):  # touch every page: resident, not just reserved
            hog[i] = 1
        time.sleep(5)
    elif verb == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif verb == "fail":
        raise CorruptFile(arg or "corrupt")


def write_fixtures(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return folder


def series(n_agencies: int, years=(2022, 2023), place: str = "青山区") -> dict[str, str]:
    """A clean archive: ``n_agencies`` departments over ``years`` whose carry-over holds year to year."""
    files = {}
    depts = ["教育局", "财政局", "民政局", "司法局", "统计局", "水利局", "商务局", "公安局", "交通运输局", "农业农村局",
             "应急管理局", "医疗保障局"]
    for a in range(n_agencies):
        name = f"{place}{depts[a % len(depts)]}" + ("" if a < len(depts) else f"第{a // len(depts)}分局")
        carried = a % 3
        for y in years:
            out = (a + y) % 4
            rng = random.Random(f"{name}-{y}")
            sec5, sec1 = prose(rng, 6), prose(rng, 4)
            files[f"{y}/{name}.txt"] = fixture_text(
                agency=name, year=y,
                fields={"t3.carried_in.natural": carried, "t3.carried_out.natural": out,
                        "t3.carried_in.total": carried, "t3.carried_out.total": out,
                        "t2.norm.in_force": 10 + a, "t2.norm.issued": 0, "t2.norm.repealed": 0},
                sections={1: sec1, 5: sec5})
            carried = out
    return files


_POOL = ("工作机制平台栏目政策解读回应关切依申请公开办理答复规范流程培训人员督查考核网站更新质量时效数据开放"
         "基层政务标准目录清单制度建设会议公开决策参与意见征集反馈统计报表审核发布保密审查档案管理服务窗口"
         "热线咨询群众企业诉求渠道宣传解读图解视频新闻发布会专题重点领域财政预算决算项目信息环境保护教育卫生")


def prose(rng: random.Random, sentences: int) -> str:
    """Invented section text: sentences of words drawn from a pool, different for every seed."""
    out = []
    for _ in range(sentences):
        words = ["".join(rng.sample(_POOL, 2)) for _ in range(rng.randint(6, 10))]
        out.append("".join(words) + f"{rng.randint(2, 99)}项。")
    return "".join(out)


def run_fixture_batch(inputs: list[str], out: str, **kw):
    from audit.batch.run import BatchOptions, run_batch

    opts = BatchOptions(auditor=AUDITOR, progress=False, today=_dt.date(2025, 1, 1), **kw)
    return run_batch(inputs, out, opts)


if __name__ == "__main__":  # python -m tests._batch_helpers OUT INPUT... [--jobs N]
    args = sys.argv[1:]
    jobs = 1
    if "--jobs" in args:
        i = args.index("--jobs")
        jobs = int(args[i + 1])
        del args[i:i + 2]
    run_fixture_batch(args[1:], args[0], jobs=jobs)
