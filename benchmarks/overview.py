"""How fast the run overview (``OUT/index.html``) opens with a large run.

Makes a store of N reports (default 10,000; agencies in regions over five years, both levels, findings of
a dozen rules, scores with their rubric detail) through ``Store.put_report``, writes the overview, and opens
it in headless Chromium from its ``file://`` URL. Printed figures:

* the page's own time to its first full render (``performance.now()`` when the ranking, the charts and the
  rules table are drawn, counted from the start of navigation: parsing the embedded data included);
* the wall time of the Chromium process for the page against the same for an empty page (start-up
  cancels out);
* the page's size.

Target: under 2 s at 10,000 reports.

    .venv/bin/python benchmarks/overview.py [-n 10000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.batch import overview  # noqa: E402
from audit.batch.store import Store  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RULES = [("T3-ROW-SUM", "error"), ("T3-COL-SUM", "error"), ("T4-SUM", "error"), ("T2-TOTAL", "error"),
         ("CLAIM-T3-TOTAL", "error"), ("DEADLINE", "warning"), ("BLANK-CELLS", "warning"), ("NARR-GENERIC", "warning"),
         ("NARR-NO-MEASURES", "warning"), ("XY-CARRY", "error"), ("XY-COPY", "warning"), ("STRUCT-SECTIONS", "info")]
ITEMS = [("tables", "统计表勾稽关系", 40), ("claims", "正文数据与统计表一致", 15), ("continuity", "跨年度与汇总衔接", 10),
         ("structure", "格式、结构与发布时限", 20), ("narrative", "问题与改进情况的质量", 15)]
PLACES = ["青山区", "白河县", "金山县", "乐台区", "明川县", "华河市", "福源县", "嘉阳区", "金丰县", "白安区"]
UNITS = ["人民政府", "教育局", "财政局", "卫生健康委员会", "民政局", "自然资源局", "交通运输局", "市场监督管理局",
         "生态环境局", "住房和城乡建设局", "农业农村局", "文化和旅游局", "人力资源和社会保障局", "司法局", "应急管理局",
         "医疗保障局", "统计局", "审计局", "水利局", "商务局"]
GRADES = [(90, "excellent", "优秀", "Excellent"), (75, "good", "良好", "Good"), (60, "pass", "合格", "Pass"),
          (0, "fail", "不合格", "Fail")]


def record(i: int, rng: random.Random) -> dict:
    place = PLACES[i // 1000 % len(PLACES)] if i >= 1000 else PLACES[i % len(PLACES)]
    agency = f"{place}{UNITS[i % len(UNITS)]}{'' if i < 200 else i // 200}"
    year = 2020 + (i % 5)
    findings, items = [], {k: 0 for k, _, _ in ITEMS}
    for n in range(rng.randint(0, 8)):
        rule, sev = rng.choice(RULES)
        findings.append({"fingerprint": f"{i:08x}{n:08x}", "rule_id": rule, "severity": sev, "kind": "numeric",
                         "message": {"zh": f"{rule} 不符", "en": f"{rule} fails"}, "location": {"page": 1}})
        item = ITEMS[n % len(ITEMS)][0]
        items[item] += {"error": 5, "warning": 2, "info": 0}[sev]
    for k, _, cap in ITEMS:
        items[k] = min(items[k], cap)
    total = 100 - sum(items.values())
    g = next(g for g in GRADES if total >= g[0])
    score = {"max": 100, "total": total, "lost": 100 - total, "grade": {"id": g[1], "zh": g[2], "en": g[3]},
             "items": [{"id": k, "title": {"zh": zh, "en": k}, "cap": cap, "lost": items[k]} for k, zh, cap in ITEMS]}
    level = "government" if UNITS[i % len(UNITS)] == "人民政府" else "department"
    return {"path": f"archive/{year}/{i:05d}.pdf", "source": {"sha256": f"{i:064x}", "kind": "pdf", "size": 1000},
            "meta": {"agency": agency, "year": year, "level": level, "format": "2021"}, "score": score,
            "findings": findings, "checks": [{"rule_id": r, "title": {"zh": r, "en": r}, "outcome": "pass"}
                                             for r, _ in RULES] if i < 50 else [],
            "versions": {"tool": "bench"}, "audited": "2025-06-01"}


def make_store(out: Path, n: int) -> float:
    rng = random.Random(20)
    t = time.perf_counter()
    with Store(out) as store:
        for i in range(n):
            rec = record(i, rng)
            store.put_report(rec, audit_key="bench", memos=[f"memos/{rec['path']}.md"])
    return time.perf_counter() - t


def chromium(page: str, profile: Path) -> tuple[float, str]:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", page]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return time.perf_counter() - t, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="reports in the store")
    ap.add_argument("--keep", type=Path, help="make the run folder here and keep it")
    ap.add_argument("--repeat", type=int, default=3, help="page openings to take the median of")
    args = ap.parse_args()
    out = args.keep or Path(tempfile.mkdtemp(prefix="overview-bench-"))
    try:
        made = make_store(out, args.n)
        t = time.perf_counter()
        with Store(out) as store:
            page = overview.write(store, out)
        wrote = time.perf_counter() - t
        blank = out / "blank.html"
        blank.write_text("<!DOCTYPE html><body data-ready=1></body>", encoding="utf-8")
        runs, walls, blanks = [], [], []
        for k in range(args.repeat):
            w0, _ = chromium(blank.as_uri(), out / f"profile-b{k}")
            w1, dom = chromium(page.as_uri(), out / f"profile-{k}")
            m = re.search(r'data-open-ms="([\d.]+)"', dom)
            rows = len(re.findall(r"<tr data-key=", dom))
            if not m or not rows:
                sys.exit(f"the page did not render: {dom[:500]}")
            runs.append(float(m.group(1)))
            walls.append(w1)
            blanks.append(w0)
        med = sorted(runs)[len(runs) // 2]
        wall = sorted(walls)[len(walls) // 2] - sorted(blanks)[len(blanks) // 2]
        print(f"reports: {args.n}  store made in {made:.1f} s  index.html written in {wrote:.2f} s "
              f"({page.stat().st_size / 1e6:.2f} MB)")
        print(f"first render (navigation start → ranking, charts, rules drawn): median {med:.0f} ms "
              f"of {', '.join(f'{x:.0f}' for x in runs)} ms; rows shown: {rows}")
        print(f"Chromium wall time, page minus empty page: {wall * 1000:.0f} ms")
        print(f"target < 2000 ms: {'met' if max(med, wall * 1000) < 2000 else 'NOT met'}")
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
