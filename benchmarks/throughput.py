"""Throughput of ``audit check`` against the bare text layer, on long Word-made PDF reports.

    .venv/bin/python benchmarks/throughput.py [--rounds 3] [--corpus DIR] [--no-cli] [--json]

What it measures, all in ONE worker process (a fresh interpreter started by this script), after warm-up:

  (a) pdfminer.six ``extract_text`` of each file alone;
  (b) the ``audit check`` path end to end with the cache off: ingest, sections and metadata, tables,
      checks (rules.yaml, claims through spaCy), the narrative analysis (when ``audit.narrative.analyse``
      exists in the tree) and the JSON memo;

each file ``--rounds`` times, interleaved (a then b, then b then a), the median per file taken. It prints
pages per second for (a) and (b), the ratio b/a (time per page), the worker's peak resident memory, and
the one-off start-up cost, phase by phase (imports, jieba dictionary, spaCy pipeline and user dictionary,
rules, claim patterns, rubric, narrative model, the first report's extra cost).

Then the parsed-document cache: the same worker audits every file with a cold cache (parse and store)
and again with changed rules (an ``--extra-rules`` file that switches a rule off); it prints both times and
their ratio, and checks that the cached run's JSON memos equal fresh ones. Unless ``--no-cli``, the same is
done with two ``audit check`` commands (start-up included).

Targets (issue 10): b/a ≤ 1.5; peak memory per worker < 400 MB; cached re-run with changed rules ≥ 5×
faster than the first run.

The corpus is generated once (``corpora.generator``, one LibreOffice run) into ``--corpus`` (default
``$AUDIT_BENCH_DIR/throughput-v1`` or ``/tmp/report-audit-bench/throughput-v1``) and reused: eight
reports of both formats, 10–30 pages, their section 一 lengthened with more of the generator's own
paragraphs (the generator has no length option of its own).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_VERSION = "throughput-v1"
# (format, seed, layout, extra characters of section 一): about 3 pages of tables plus ~1,100 characters a page
CORPUS = [
    ("2019", 11, "plain", 8000),
    ("2021", 12, "page_break_t3", 10000),
    ("2019", 13, "wrapped_labels", 14000),
    ("2021", 14, "repeated_header", 18000),
    ("2019", 15, "blank_cells", 22000),
    ("2021", 16, "spaced_labels", 26000),
    ("2021", 17, "plain", 30000),
    ("2019", 18, "page_break_t3+wrapped_labels", 12000),
]
CHANGED_RULES = "disable: [TEXT-PARTS]\n"
TARGET_RATIO, TARGET_RSS_MB, TARGET_SPEEDUP = 1.5, 400, 5.0


# ------------------------------------------------------------------------------------------- corpus


def _lengthen(spec, extra_chars: int, seed: int):
    """The spec with section 一's management, platform and oversight parts grown by ``extra_chars``
    characters of the generator's own sentences (new figures each time)."""
    import random

    from corpora.generator import narrative as nar

    spec = spec.copy()
    rng = random.Random(f"throughput:{seed}")
    makers = [lambda: nar._management(rng, spec.agency, spec.meta.year),
              lambda: nar._platform(rng, spec.agency),
              lambda: nar._oversight(rng, spec.agency)]
    extra: list[list[str]] = [[], [], []]
    added = k = 0
    while added < extra_chars:
        para = "".join(makers[k % 3]() for _ in range(rng.randint(4, 8)))
        extra[k % 3].append(para)
        added += len(para)
        k += 1
    s1 = spec.narrative.sections[0]
    heads = [i for i, p in enumerate(s1.paragraphs) if p.startswith("（") and len(p) <= 24 and not p.endswith("。")]
    out = []
    for i, p in enumerate(s1.paragraphs):
        out.append(p)
        # the paragraph right after the 3rd, 4th and 5th sub-heading: management, platform, oversight
        for part, h in enumerate(heads[-3:]):
            if i == h + 1:
                out.extend(extra[part])
    s1.paragraphs[:] = out
    return spec


def extra_specs(n: int) -> list[tuple]:
    """``n`` more reports for the command-line comparison (both formats, 10–20 pages)."""
    layouts = ("plain", "page_break_t3", "wrapped_labels", "blank_cells")
    return [("2019" if i % 2 else "2021", 100 + i, layouts[i % len(layouts)], 8000 + (i * 1500) % 10000)
            for i in range(n)]


def build_corpus(folder: Path, specs: list[tuple] = CORPUS) -> list[dict]:
    manifest = folder / "manifest.json"
    if manifest.is_file():
        items = json.loads(manifest.read_text())
        if len(items) == len(specs) and all((folder / it["file"]).is_file() for it in items):
            return items
    sys.path.insert(0, str(ROOT))
    import pdfplumber

    from corpora.generator import RenderJob, random_report, render_many

    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for fmt, seed, layout, chars in specs:
        spec = _lengthen(random_report(fmt, seed=seed), chars, seed)
        jobs.append(RenderJob(spec, "pdf", layout, name=f"{fmt}_{seed}_{layout.replace('+', '-')}"))
    print(f"building the corpus in {folder} (one LibreOffice run) …", file=sys.stderr)
    paths = render_many(jobs, folder)
    items = []
    for (fmt, seed, layout, chars), p in zip(specs, paths):
        with pdfplumber.open(p) as pdf:
            pages = len(pdf.pages)
        items.append({"file": p.name, "format": fmt, "seed": seed, "layout": layout, "pages": pages,
                      "bytes": p.stat().st_size})
    manifest.write_text(json.dumps(items, indent=1))
    return items


# ------------------------------------------------------------------------------------------- worker


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(corpus: Path, rounds: int) -> dict:
    """Runs in a fresh interpreter: start-up phases, then (a) and (b), then the cached re-run."""
    out: dict = {"startup": {}}
    st = out["startup"]

    def phase(name, fn):
        t = time.perf_counter()
        r = fn()
        st[name] = time.perf_counter() - t
        return r

    def import_nlp():
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import jieba  # noqa: F401

    def import_audit():
        import audit.checks  # noqa: F401
        import audit.checks.claims  # noqa: F401
        import audit.document  # noqa: F401
        import audit.memo  # noqa: F401
        import audit.pipeline  # noqa: F401
        import audit.tables  # noqa: F401
        import audit.narrative.findings  # noqa: F401  (scikit-learn, scipy)

    phase("imports: pdfminer.six (the PDF ingest)", lambda: __import__("audit.ingest.pdf"))
    phase("imports: jieba, spaCy", import_nlp)
    phase("imports: audit stages, scikit-learn", import_audit)
    import jieba

    phase("jieba dictionary", jieba.initialize)
    from audit.nlp import get_nlp

    phase("spaCy zh + user dictionary", get_nlp)
    from audit import checks, memo, pipeline, versions

    ruleset = phase("rules", checks.load_rules)
    from audit.checks import claims

    phase("claim patterns (Matcher)", claims.patterns)
    rubric = phase("rubric", lambda: memo.load_rubric(None))
    import audit.narrative as narr

    narrative = hasattr(narr, "analyse")
    out["narrative"] = narrative
    phase("narrative model", lambda: versions.versions(ruleset))
    items = json.loads((corpus / "manifest.json").read_text())
    files = [corpus / it["file"] for it in items]
    pages = {str(corpus / it["file"]): it["pages"] for it in items}

    from pdfminer.high_level import extract_text

    def run_a(f):
        t = time.perf_counter()
        extract_text(str(f))
        return time.perf_counter() - t

    def run_b(f, **kw):
        t = time.perf_counter()
        result = pipeline.audit(f, rules=kw.get("rules", ruleset), rubric=rubric, today=DAY, narrative=narrative,
                                cache=kw.get("cache", False))
        text = memo.render(result, "json", "zh", rubric=rubric)
        return time.perf_counter() - t, text

    # warm-up: the first report pays lazy loads (templates, schemas, first jieba cuts); counted apart
    t = time.perf_counter()
    run_b(files[0])
    first = time.perf_counter() - t
    t = time.perf_counter()
    run_b(files[0])
    st["first report's extra"] = max(0.0, first - (time.perf_counter() - t))
    out["rss_after_warmup_mb"] = _rss_mb()

    times_a: dict[str, list[float]] = {str(f): [] for f in files}
    times_b: dict[str, list[float]] = {str(f): [] for f in files}
    fresh_memo: dict[str, str] = {}
    for r in range(rounds):
        for f in files:
            order = ("a", "b") if r % 2 == 0 else ("b", "a")
            for which in order:
                if which == "a":
                    times_a[str(f)].append(run_a(f))
                else:
                    dt_, text = run_b(f)
                    times_b[str(f)].append(dt_)
                    fresh_memo[str(f)] = text
    out["files"] = [{"file": Path(f).name, "pages": pages[f], "a": statistics.median(times_a[f]),
                     "b": statistics.median(times_b[f])} for f in times_a]

    # the cache: a cold first run, then a re-run with changed rules
    from audit.cache import DocumentCache

    with tempfile.TemporaryDirectory(prefix="throughput-cache-") as tmp:
        store = DocumentCache(Path(tmp) / "cache")
        extra = Path(tmp) / "changed.yaml"
        extra.write_text(CHANGED_RULES, encoding="utf-8")
        changed = checks.load_rules(None, extra=[extra])
        t = time.perf_counter()
        same = True
        for f in files:
            _, text = run_b(f, cache=store)
            same &= text == fresh_memo[str(f)]
        cold = time.perf_counter() - t
        t = time.perf_counter()
        rerun_memos = {}
        for f in files:
            _, rerun_memos[str(f)] = run_b(f, cache=store, rules=changed)
        warm = time.perf_counter() - t
        # the cached re-run's memos are those of a fresh parse under the changed rules
        for f in files:
            _, text = run_b(f, cache=False, rules=changed)
            same &= text == rerun_memos[str(f)]
        out["cache"] = {"first_run": cold, "rerun_changed_rules": warm, "hits": store.hits, "writes": store.writes,
                        "same_memos": same, "bytes": store.info().bytes}
    out["peak_rss_mb"] = _rss_mb()
    return out


def cli_runs(files: list[str]) -> dict:
    """Two ``audit check`` commands, start-up included: cold cache, then changed rules."""
    exe = str(Path(sys.executable).with_name("audit"))
    with tempfile.TemporaryDirectory(prefix="throughput-cli-") as tmp:
        env = dict(os.environ, AUDIT_CACHE_DIR=str(Path(tmp) / "cache"))
        env.pop("AUDIT_CACHE", None)
        extra = Path(tmp) / "changed.yaml"
        extra.write_text(CHANGED_RULES, encoding="utf-8")
        base = [exe, "check", "--format", "json", "--date", DAY.isoformat(), *files]
        out = {}
        for name, args in (("first_run", ["-o", str(Path(tmp) / "m1")]),
                           ("rerun_changed_rules", ["-o", str(Path(tmp) / "m2"), "--extra-rules", str(extra)])):
            t = time.perf_counter()
            subprocess.run(base + args, env=env, check=True, stdout=subprocess.DEVNULL)
            out[name] = time.perf_counter() - t
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        out["files"] = len(files)
    return out


# ------------------------------------------------------------------ fresh processes and archives (issue 17)

REAL = ROOT.parent / "shared" / "reports" / "real"
TARGET_FRESH, TARGET_ARCHIVE, TARGET_RATE, TARGET_WORKER_MB = 2.0, 1.0, 10_000, 300


def copies(sources: list[Path], n: int, folder: Path) -> list[Path]:
    """``n`` distinct files made from ``sources`` in turn: each a copy with a PDF comment appended after its
    end (``%copy k``), so that every file has its own hash and is read and audited afresh."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(n):
        src = sources[k % len(sources)]
        dst = folder / f"{src.stem}-{k:04d}.pdf"
        if not dst.is_file():
            dst.write_bytes(src.read_bytes() + f"\n%copy {k}\n".encode())
        out.append(dst)
    return out


def _run(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall, CPU of the process tree) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


_EXTRACT = ("import sys\nfrom pdfminer.high_level import extract_text\n"
            "for f in sys.argv[1:]:\n    extract_text(f)\n")
_PDFIUM = ("import sys, pypdfium2 as p\n"
           "for f in sys.argv[1:]:\n    d = p.PdfDocument(f)\n"
           "    [d[i].get_textpage().get_text_range() for i in range(len(d))]\n    d.close()\n")


def _peak_rss_mb(cmd: list[str], env: dict) -> float:
    """The largest resident set of any process of the command's tree (``/usr/bin/time``-style, through a
    child that waits for it and reports its RUSAGE_CHILDREN)."""
    code = ("import resource, subprocess, sys\n"
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, *cmd], env=env, check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def archive_bench(name: str, sources: list[Path], n: int, rounds: int, folder: Path) -> list[str]:
    """On ``n`` distinct copies of ``sources``: a fresh ``audit check`` of one report against a fresh
    process running extract_text on it; ``audit batch --jobs 1`` and ``--jobs 2`` over all of them against
    one process running extract_text over them; pypdfium2's text as the floor; peak RSS."""
    files = copies(sources, n, folder / name)
    exe = str(Path(sys.executable).with_name("audit"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    py = sys.executable
    lines = [f"{name}: {n} distinct files made from {len(sources)} ({', '.join(p.name for p in sources)}); "
             f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"]
    with tempfile.TemporaryDirectory(prefix="throughput-archive-") as tmp:
        # fresh processes, one report each, interleaved: median over rounds × sources
        fresh = {"check": [], "extract": []}
        for r in range(rounds):
            for src in files[: len(sources)]:
                pair = [("check", [exe, "check", str(src), "-o", f"{tmp}/m", "--format", "json", "--no-cache"]),
                        ("extract", [py, "-c", _EXTRACT, str(src)])]
                for key, cmd in (pair if r % 2 == 0 else pair[::-1]):
                    fresh[key].append(_run(cmd, env))
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in fresh.items()}
        rw, rc = med["check"][0] / med["extract"][0], med["check"][1] / med["extract"][1]
        lines.append(f"  fresh process, one report: audit check {med['check'][0]:.2f} s wall / {med['check'][1]:.2f} s CPU; "
                     f"extract_text {med['extract'][0]:.2f} s / {med['extract'][1]:.2f} s → {rw:.2f}× wall, {rc:.2f}× CPU; "
                     f"target ≤ {TARGET_FRESH}× {'OK' if max(rw, rc) <= TARGET_FRESH else 'MISSED'}")
        # archives
        paths = [str(f) for f in files]
        ex = _run([py, "-c", _EXTRACT, *paths], env)
        pdfium = _run([py, "-c", _PDFIUM, *paths], env)
        b1 = _run([exe, "batch", "--jobs", "1", "--no-cache", "-o", f"{tmp}/run1", *paths], env)
        b2 = _run([exe, "batch", "--jobs", "2", "--no-cache", "-o", f"{tmp}/run2", *paths], env)
        rss = _peak_rss_mb([exe, "batch", "--jobs", "2", "--no-cache", "-o", f"{tmp}/run3", *paths[: max(4, n // 4)]], env)
        ratio = b1[0] / ex[0]
        rate = n / b2[0] * 3600
        lines.append(f"  one process, {n} files: extract_text {ex[0]:.1f} s ({ex[1]:.1f} s CPU); pypdfium2 text (floor) "
                     f"{pdfium[0]:.1f} s")
        lines.append(f"  audit batch --jobs 1 --no-cache: {b1[0]:.1f} s ({b1[1]:.1f} s CPU) → {ratio:.2f}× extract_text "
                     f"(CPU {b1[1] / ex[1]:.2f}×); target ≤ {TARGET_ARCHIVE}× {'OK' if ratio <= TARGET_ARCHIVE else 'MISSED'}")
        lines.append(f"  audit batch --jobs 2 --no-cache: {b2[0]:.1f} s → {rate:,.0f} reports/hour; "
                     f"target ≥ {TARGET_RATE:,} {'OK' if rate >= TARGET_RATE else 'MISSED'}")
        lines.append(f"  peak RSS of the largest process (batch --jobs 2): {rss:.0f} MB; target < {TARGET_WORKER_MB} MB "
                     f"{'OK' if rss < TARGET_WORKER_MB else 'MISSED'}")
    return lines


# ------------------------------------------------------------------------------------------ report


def _import_day():
    import datetime as dt

    return dt.date(2024, 3, 1)


DAY = _import_day()


def report(res: dict, items: list[dict]) -> list[str]:
    lines = []
    n_pages = sum(f["pages"] for f in res["files"])
    ta, tb = sum(f["a"] for f in res["files"]), sum(f["b"] for f in res["files"])
    lines.append(f"corpus: {len(items)} Word-made PDFs, {n_pages} pages "
                 f"({min(i['pages'] for i in items)}–{max(i['pages'] for i in items)} a file), "
                 f"formats {sorted({i['format'] for i in items})}; median of {res['rounds']} rounds per file")
    lines.append(f"narrative analysis in (b): {'yes' if res['narrative'] else 'NO (audit.narrative.analyse is not in this tree)'}")
    lines.append("")
    lines.append(f"{'file':40s} {'pages':>5s} {'a s':>7s} {'b s':>7s} {'b/a':>6s}")
    for f in res["files"]:
        lines.append(f"{f['file']:40s} {f['pages']:5d} {f['a']:7.2f} {f['b']:7.2f} {f['b'] / f['a']:6.2f}")
    lines.append("")
    lines.append(f"(a) pdfminer.six extract_text: {n_pages / ta:6.1f} pages/s")
    lines.append(f"(b) audit check end to end:    {n_pages / tb:6.1f} pages/s")
    ratio = tb / ta
    lines.append(f"ratio b/a (time per page):     {ratio:6.2f}   target ≤ {TARGET_RATIO}  "
                 f"{'OK' if ratio <= TARGET_RATIO else 'MISSED'}")
    rss = res["peak_rss_mb"]
    lines.append(f"peak RSS of the worker:        {rss:6.0f} MB  target < {TARGET_RSS_MB} MB  "
                 f"{'OK' if rss < TARGET_RSS_MB else 'MISSED'} (after warm-up {res['rss_after_warmup_mb']:.0f} MB)")
    lines.append("start-up, once per worker process:")
    for k, v in res["startup"].items():
        lines.append(f"  {k:38s} {v:6.2f} s")
    lines.append(f"  {'total':38s} {sum(res['startup'].values()):6.2f} s")
    c = res["cache"]
    sp = c["first_run"] / c["rerun_changed_rules"]
    lines.append(f"cache, same worker: first run (parse + store) {c['first_run']:.2f} s; re-run with changed rules "
                 f"{c['rerun_changed_rules']:.2f} s ({c['hits']} hits) → {sp:.1f}× faster, target ≥ {TARGET_SPEEDUP}× "
                 f"{'OK' if sp >= TARGET_SPEEDUP else 'MISSED'}; memos equal to fresh parses: {c['same_memos']}; "
                 f"{c['bytes'] / 2**10:.0f} KB on disk")
    if "cli" in res:
        k = res["cli"]
        lines.append(f"cache, two `audit check` commands over {k['files']} files (start-up included): "
                     f"first {k['first_run']:.2f} s, "
                     f"re-run with changed rules {k['rerun_changed_rules']:.2f} s → "
                     f"{k['first_run'] / k['rerun_changed_rules']:.1f}× faster; peak RSS {k['peak_rss_mb']:.0f} MB")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path,
                    default=Path(os.environ.get("AUDIT_BENCH_DIR", "/tmp/report-audit-bench")) / CORPUS_VERSION)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-cli", action="store_true", help="skip the two `audit check` command runs")
    ap.add_argument("--cli-extra", type=int, default=0, metavar="N",
                    help="add N more generated reports to the `audit check` comparison (start-up weighs less)")
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--archive", type=int, default=0, metavar="N",
                    help="fresh-process and archive figures on N distinct copies of the real PDFs in ../shared and "
                         "of the sample Word-made PDFs")
    ap.add_argument("--archive-only", action="store_true", help="only the --archive figures")
    args = ap.parse_args(argv)
    if args.archive:
        base = Path(os.environ.get("AUDIT_BENCH_DIR", "/tmp/report-audit-bench")) / "archive-v1"
        real = sorted(REAL.glob("*.pdf"))
        word = sorted((ROOT / "corpora" / "samples").glob("*.pdf"))
        for name, src in (("real PDFs", real), ("generated Word-made PDFs", word)):
            if src:
                print("\n".join(archive_bench(name, src, args.archive, args.rounds, base)), flush=True)
        if args.archive_only:
            return 0
    if args.worker:
        res = worker(args.corpus, args.rounds)
        res["rounds"] = args.rounds
        print(json.dumps(res))
        return 0
    items = build_corpus(args.corpus)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, __file__, "--worker", "--corpus", str(args.corpus),
                           "--rounds", str(args.rounds)], env=env, check=True, stdout=subprocess.PIPE, text=True)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    if not args.no_cli:
        files = [str(args.corpus / it["file"]) for it in items]
        if args.cli_extra:
            folder = args.corpus.with_name(f"{CORPUS_VERSION}-cli-extra-{args.cli_extra}")
            files += [str(folder / it["file"]) for it in build_corpus(folder, extra_specs(args.cli_extra))]
        res["cli"] = cli_runs(files)
    print("\n".join(report(res, items)))
    if args.json:
        print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
