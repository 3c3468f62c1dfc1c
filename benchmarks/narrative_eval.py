"""Narrative model against a keyword-rule baseline on the corpus's test split, and its time per report.

    .venv/bin/python benchmarks/narrative_eval.py [--split test|dev] [--reports DIR]
    .venv/bin/python benchmarks/narrative_eval.py --real ../shared/narratives/real-dev.jsonl

With ``--real FILE`` (real section-五 passages, one JSON object a line with ``text``, ``year`` and
``labels_<annotator>`` for two or more annotators) it prints instead, per label, the model's F1 against
each annotator, their mean, and the annotators' mean pairwise F1 (human parity: model mean ≥ pairwise mean),
the labels per passage, the model's flags against the annotators' votes (from which the per-label ceilings of
a finding's confidence, ``audit.narrative.findings.REAL_CEILINGS``, are set), and two reliability tables: the
model's probabilities against the annotators' majority, and the confidence shown against their votes.

Prints per-label precision, recall and F1 of the shipped model (``audit/narrative/data/model.json``)
and of the baseline below, on the same passages and with the same label resolution (GUIDE.md), the
macro-F1 of each, whether the targets hold (model macro-F1 ≥ 0.85 and above the baseline on every
label), and the time ``audit.narrative.analyse`` takes per report on the real reports in --reports
(after the one-off load of the pipeline and the model, which is timed separately).
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit.narrative.classify import ALL_LABELS, load_model, resolve  # noqa: E402
from audit.narrative.features import analyse_passage  # noqa: E402
from audit.narrative.tokens import find_phrases, lexicon  # noqa: E402
from audit.narrative.train import Row, load_corpus  # noqa: E402

TARGET_MACRO_F1 = 0.85
_PROBLEM_WORDS = re.compile(r"问题|不足|短板|差距|薄弱")
_MEASURE_WORDS = re.compile(r"措施|下一步|改进|今后|将")
_RECT_WORDS = re.compile(r"整改|上年|上一年|去年")


def baseline(row: Row) -> set[str]:
    """Keyword rules an evaluator might write without a model, over the same lexicon."""
    lx = lexicon()
    text = row.text.strip()
    flags = set()
    if len(text) < 30 or lx.empty.search(text):
        flags.add("empty")
    if len(find_phrases(text, lx.off_topic)) > len(find_phrases(text, lx.disclosure)) / 2:
        flags.add("off_topic")
    figures = len(lx.figure.findall(text))
    if find_phrases(text, lx.stock) and figures < 2:
        flags.add("generic")
    if len(find_phrases(text, lx.vague)) >= 2 and not lx.deadline.search(text):
        flags.add("no_concrete_measures")
    if not _PROBLEM_WORDS.search(text) or not _MEASURE_WORDS.search(text):
        flags.add("mismatch")
    if row.format == "2021" and not _RECT_WORDS.search(text):
        flags.add("no_rectification")
    return resolve(flags, row.format)


def scores(truth: list[set[str]], pred: list[set[str]]) -> dict[str, tuple[float, float, float, int]]:
    out = {}
    for lb in ALL_LABELS:
        tp = sum(lb in t and lb in p for t, p in zip(truth, pred))
        fp = sum(lb not in t and lb in p for t, p in zip(truth, pred))
        fn = sum(lb in t and lb not in p for t, p in zip(truth, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lb] = (prec, rec, f1, tp + fn)
    return out


def time_reports(folder: Path) -> tuple[float, list[float]]:
    from audit import narrative, pipeline

    files = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md") and p.name != "README.md")
    if not files:
        return 0.0, []
    docs = [pipeline.read(f) for f in files]
    load_model.cache_clear()
    t0 = time.perf_counter()
    narrative.analyse(docs[0])  # the one-off load: model, lexicon, jieba dictionary
    cold = time.perf_counter() - t0
    times = []
    for d in docs:
        t = time.perf_counter()
        narrative.analyse(d)
        times.append(time.perf_counter() - t)
    return cold, times


PARITY_LABELS = ("generic", "no_concrete_measures", "mismatch", "no_rectification")


def f1(a: list[bool], b: list[bool]) -> float:
    """F1 of one labelling against another (symmetric): 2·both / (2·both + only one). When neither ever gives
    the label (two all-negative vectors) they agree on every passage and the F1 is 1.0 (not 0/0 read as 0);
    when one gives it and the other never does, it is 0.0. Both cases enter the means as they are: an
    annotator who never uses a label pulls the pairwise mean down exactly as far as it pulls the model's."""
    tp = sum(x and y for x, y in zip(a, b))
    fp = sum(y and not x for x, y in zip(a, b))
    fn = sum(x and not y for x, y in zip(a, b))
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def real_format(year: int) -> str:
    return "2021" if year >= 2021 else "2019"


def real_agreement(path: Path) -> int:
    """Model against each annotator, beside the annotators' pairwise agreement, on real passages."""
    import itertools
    import json

    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    names = sorted(k.removeprefix("labels_") for k in rows[0] if k.startswith("labels_"))
    model = load_model()
    analyses = [analyse_passage(r["text"], real_format(int(r["year"])), int(r["year"])) for r in rows]
    probs = model.predict(analyses)
    pred = [model.decide(p, real_format(int(r["year"])), a) for p, r, a in zip(probs, rows, analyses)]
    print(f"narrative model {model.version} on {len(rows)} real passages ({path.name}), "
          f"annotators {', '.join(names)}\n")
    head = " | ".join(f"model vs {n}" for n in names)
    print(f"| label | n ({'/'.join(names)}) | {head} | model mean | annotators pairwise mean | parity |")
    print("|---|---:|" + "---:|" * len(names) + "---:|---:|---|")
    ok = True
    for lb in PARITY_LABELS:
        ann = {n: [lb in r[f"labels_{n}"] for r in rows] for n in names}
        mine = [lb in p for p in pred]
        vs = [f1(ann[n], mine) for n in names]
        pair = [f1(ann[a], ann[b]) for a, b in itertools.combinations(names, 2)]
        mean = statistics.mean(vs)
        pmean = statistics.mean(pair) if pair else None  # one reader: no pairwise agreement to reach
        met = pmean is None or mean >= pmean - 1e-9
        ok &= met
        counts = "/".join(str(sum(ann[n])) for n in names)
        print(f"| {lb} | {counts} | " + " | ".join(f"{v:.2f}" for v in vs)
              + f" | **{mean:.2f}** | {'–' if pmean is None else f'{pmean:.2f}'} | "
              + f"{'n/a' if pmean is None else 'yes' if met else 'no'} |")
    if len(names) < 2:
        print("\none annotator: the model's F1 against that reader only (no pairwise agreement to compare with)\n")
    else:
        print(f"\nhuman parity on every label: {'met' if ok else 'NOT met'}\n")
    print("per passage (model | " + " | ".join(names) + "):")
    for r, p in zip(rows, pred):
        short = lambda labels: ",".join(sorted(x for x in labels if x in PARITY_LABELS)) or "-"  # noqa: E731
        print(f"  {r.get('id', '?')}: {short(p)} | " + " | ".join(short(r[f'labels_{n}']) for n in names))
    from audit.narrative.findings import ceiling, confidence

    print("\nthe model's flags against the annotators' votes (the ceiling of a finding's confidence):")
    print("| label | flags | annotators' votes agreeing | share | smoothed (agree+1)/(votes+2) | shipped ceiling |")
    print("|---|---:|---:|---:|---:|---:|")
    for lb in PARITY_LABELS:
        flagged = [r for r, p in zip(rows, pred) if lb in p]
        agree = sum(lb in r[f"labels_{n}"] for r in flagged for n in names)
        votes = len(flagged) * len(names)
        share = f"{agree / votes:.0%}" if votes else "–"
        print(f"| {lb} | {len(flagged)} | {agree}/{votes} | {share} | {(agree + 1) / (votes + 2):.2f} | {ceiling(lb):.2f} |")
    print("\nreliability (the model's probability against the annotators' majority, all four labels):")
    print("| probability | passage×label | flagged | annotators' majority gives the label |")
    print("|---|---:|---:|---:|")
    bins = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]
    for lo, hi in bins:
        cell = [((sum(lb in r[f"labels_{n}"] for n in names) * 2 > len(names)), lb in p)
                for r, pr, p in zip(rows, probs, pred) for lb in PARITY_LABELS
                if lo <= pr[lb] < hi and not (lb == "no_rectification" and real_format(int(r["year"])) != "2021")]
        share = f"{sum(m for m, _ in cell) / len(cell):.0%}" if cell else "–"
        print(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {len(cell)} | {sum(f for _, f in cell)} | {share} |")
    print("\nconfidence shown (a flag's label's agreement on real text, findings.confidence; none when not flagged) against "
          "the share of the annotators' votes that give the label:")
    print("| confidence shown | passage×label | annotators' votes giving the label |")
    print("|---|---:|---:|")
    shown_bins = [("not flagged", None, None), ("below 50 %", 0.0, 0.5), ("50–70 %", 0.5, 0.7), ("70–90 %", 0.7, 0.9),
                  ("90 % and more", 0.9, 1.01)]
    for name, lo, hi in shown_bins:
        cell = [sum(lb in r[f"labels_{n}"] for n in names)
                for r, pr, p in zip(rows, probs, pred) for lb in PARITY_LABELS
                if not (lb == "no_rectification" and real_format(int(r["year"])) != "2021")
                and ((lo is None and lb not in p)
                     or (lo is not None and lb in p and lo <= confidence(lb, pr[lb]) < hi))]
        share = f"{sum(cell)}/{len(cell) * len(names)} ({sum(cell) / (len(cell) * len(names)):.0%})" if cell else "–"
        print(f"| {name} | {len(cell)} | {share} |")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "dev"])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "narratives" / "passages.jsonl")
    ap.add_argument("--reports", type=Path, default=ROOT.parent / "shared" / "reports")
    ap.add_argument("--real", type=Path, help="real passages labelled by annotators (JSON lines): human parity")
    args = ap.parse_args(argv)
    if args.real:
        return real_agreement(args.real)

    model = load_model()
    rows = [r for r in load_corpus(args.corpus) if r.split == args.split]
    truth = [set(r.labels) for r in rows]
    t = time.perf_counter()
    analyses = [analyse_passage(r.text, r.format, r.year) for r in rows]
    model_pred = [model.decide(p, r.format, a) for p, r, a in zip(model.predict(analyses), rows, analyses)]
    per_passage = (time.perf_counter() - t) / max(1, len(rows))
    base_pred = [baseline(r) for r in rows]
    m, b = scores(truth, model_pred), scores(truth, base_pred)

    print(f"narrative model {model.version} on the {args.split} split: {len(rows)} passages "
          f"({sum(r.id.startswith('h-') for r in rows)} hand-written whole sections)\n")
    print("| label | n | model P | model R | model F1 | baseline P | baseline R | baseline F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for lb in ALL_LABELS:
        print(f"| {lb} | {m[lb][3]} | {m[lb][0]:.2f} | {m[lb][1]:.2f} | **{m[lb][2]:.2f}** | "
              f"{b[lb][0]:.2f} | {b[lb][1]:.2f} | {b[lb][2]:.2f} |")
    macro_m = statistics.mean(v[2] for v in m.values())
    macro_b = statistics.mean(v[2] for v in b.values())
    print(f"| macro | {len(rows)} | | | **{macro_m:.3f}** | | | {macro_b:.3f} |\n")
    exact = sum(t == p for t, p in zip(truth, model_pred)) / max(1, len(rows))
    print(f"exact label set: model {exact:.1%}, baseline "
          f"{sum(t == p for t, p in zip(truth, base_pred)) / max(1, len(rows)):.1%}")
    below = [lb for lb in ALL_LABELS if m[lb][2] <= b[lb][2]]
    ok = macro_m >= TARGET_MACRO_F1 and not below
    print(f"target macro-F1 ≥ {TARGET_MACRO_F1} and above the baseline on every label: "
          f"{'met' if ok else 'NOT met'}" + (f" (not above on: {', '.join(below)})" if below else ""))
    print(f"model time per passage (features + scoring): {per_passage * 1000:.1f} ms")

    if args.reports.is_dir():
        cold, times = time_reports(args.reports)
        if times:
            print(f"audit.narrative.analyse on {len(times)} real reports: first call {cold:.2f} s (loads), "
                  f"then median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms per report")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
