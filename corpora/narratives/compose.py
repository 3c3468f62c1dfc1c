"""Build the labelled narrative corpus (``passages.jsonl``) from the hand-written sentence banks.

Every sentence in ``bank_*.yaml`` and every passage in ``handwritten.yaml`` was written for this corpus.
Section-五 passages are composed from bank sentences: problems, measures and (2021 format) last year's
rectification, in the layouts real reports use (numbered headings, 一是…二是…, inline lists, plain
paragraphs). Labels are not chosen but derived from what went in, by the rules of ``GUIDE.md``
(:func:`derive_labels`).

The split is by group: each bank sentence belongs to exactly one of train/dev/test (a stable hash of its
id, stratified per bank), and a passage of split S is composed only of sentences of split S, so no test
passage shares a source sentence with a training passage. Hand-written passages are their own group.

    python -m corpora.narratives.compose          # rewrites corpora/narratives/passages.jsonl

The output is deterministic (fixed seeds, sorted keys); ``tests/test_narrative_corpus.py`` checks that
the committed file is what this script writes.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE / "passages.jsonl"
SPLITS = ("train", "dev", "test")
LABELS = ("generic", "no_concrete_measures", "mismatch", "no_rectification", "empty", "off_topic", "substantive")
#: composed passages per split (the hand-written ones come on top)
COUNTS = {"train": 660, "dev": 220, "test": 220}
CN = "一二三四五六七八九十"

AGENCIES = {
    "county_government": dict(self=["我区", "我县", "区政府", "县政府", "我市"], area=["全区", "全县", "全市"],
                              office=["区政务公开办", "县政府办公室", "区大数据中心", "市政府办公室"]),
    "city_department": dict(self=["我局", "我委", "市生态环境局", "市卫生健康委", "市住建局"],
                            area=["全市系统", "本系统", "局属各单位"], office=["局办公室", "法规科", "委办公室", "信息中心"]),
    "county_department": dict(self=["我局", "区教育局", "县人社局", "区市场监管局"], area=["本系统", "全系统"],
                              office=["办公室", "综合股", "政策法规股"]),
    "provincial_department": dict(self=["本厅", "我厅", "省交通运输厅", "省自然资源厅"], area=["全省系统", "厅属各单位"],
                                  office=["厅办公室", "政务公开处", "信息中心"]),
    "town": dict(self=["我镇", "本街道", "我街道", "镇政府"], area=["全镇", "辖区", "全街道"],
                 office=["党政办", "综合办", "党政综合办公室"]),
    "development_zone": dict(self=["管委会", "本园区管委会", "高新区管委会"], area=["园区", "全区"],
                             office=["党政办公室", "综合管理部"]),
}


# ------------------------------------------------------------------------------------------- banks


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # generic / specific / vague / concrete / rect_concrete / rect_vague / off_problem / off_measure
    topic: str
    text: str
    hard: bool = False
    #: the finer subjects of a specific problem or a concrete measure (``subject`` in the banks): two
    #: checkable statements answer each other only on a shared subject, not merely a shared topic
    subjects: tuple[str, ...] = ()


def answers(problem: Item, measure: Item) -> bool:
    """Does ``measure`` answer ``problem``? A specific problem and a concrete measure must share a subject
    (a measure on search does not answer broken links, although both are about the website); a generic
    problem or a vague measure is answered on its topic."""
    if problem.topic == "outside" or measure.topic == "outside":
        return False
    if problem.subjects and measure.subjects:
        return bool(set(problem.subjects) & set(measure.subjects))
    return problem.topic == measure.topic


def _stable(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def split_of_list(ids: list[str]) -> dict[str, str]:
    """Stratified, stable split of one bank list: 60% train, 20% dev, 20% test by hash order."""
    out = {}
    for i, item_id in enumerate(sorted(ids, key=_stable)):
        r = i % 5
        out[item_id] = "train" if r < 3 else ("dev" if r == 3 else "test")
    return out


def load_banks() -> tuple[dict[str, dict[str, list[Item]]], dict]:
    """kind → split → items, and the frames (each frame list split the same way)."""
    prob = yaml.safe_load((HERE / "bank_problems.yaml").read_text(encoding="utf-8"))
    meas = yaml.safe_load((HERE / "bank_measures.yaml").read_text(encoding="utf-8"))
    frames = yaml.safe_load((HERE / "bank_frames.yaml").read_text(encoding="utf-8"))
    lists = {
        "generic": prob["generic"], "specific": prob["specific"], "off_problem": prob["off_topic"],
        "vague": meas["vague"], "concrete": meas["concrete"], "rect_concrete": meas["rect_concrete"],
        "rect_vague": meas["rect_vague"], "off_measure": meas["off_topic"],
    }
    # a specific problem and the concrete measures that answer it go to one split: sentences with a subject
    # are dealt by their first subject (shared by both banks), the others by their own id
    subject_split = split_of_list(sorted({e["subject"][0] for v in lists.values() for e in v if e.get("subject")}))
    banks: dict[str, dict[str, list[Item]]] = {}
    for kind, entries in lists.items():
        splits = split_of_list([e["id"] for e in entries if not e.get("subject")])
        splits.update({e["id"]: subject_split[e["subject"][0]] for e in entries if e.get("subject")})
        banks[kind] = {s: [] for s in SPLITS}
        for e in entries:
            banks[kind][splits[e["id"]]].append(Item(e["id"], kind, e["topic"], e["text"], bool(e.get("hard")),
                                                      tuple(e.get("subject", ()))))
    fr: dict = {}
    for key, entries in frames.items():
        if entries and isinstance(entries[0], dict):
            splits = split_of_list([e["id"] for e in entries])
            fr[key] = {s: [e for e in entries if splits[e["id"]] == s] for s in SPLITS}
        else:  # headings: short and formulaic, shared by all splits
            fr[key] = {s: list(entries) for s in SPLITS}
    return banks, fr


# ------------------------------------------------------------------------------------------ labels


def derive_labels(problems: list[Item], measures: list[Item], rect: list[Item], fmt: str, empty: bool) -> list[str]:
    """The labels of a section 五, by the rules of GUIDE.md."""
    if empty:
        return ["empty"]
    labels = []
    if fmt == "2021" and not any(r.kind == "rect_concrete" for r in rect):
        labels.append("no_rectification")
    items = problems + measures
    off = [i for i in items if i.topic == "outside"]
    if items and len(off) * 2 > len(items):
        return sorted(["off_topic", *labels], key=LABELS.index)
    p_on = [p for p in problems if p.topic != "outside"]
    m_on = [m for m in measures if m.topic != "outside"]
    if p_on and not any(p.kind == "specific" for p in p_on):
        labels.append("generic")
    if p_on and m_on and not any(m.kind == "concrete" for m in m_on):
        labels.append("no_concrete_measures")
    uncovered = [p for p in p_on if not any(answers(p, m) for m in m_on)]
    unanswering = [m for m in m_on if not any(answers(p, m) for p in p_on)]
    if (p_on and not m_on) or (m_on and not p_on) or uncovered or len(unanswering) * 2 > len(m_on):
        labels.append("mismatch")
    return sorted(labels, key=LABELS.index) or ["substantive"]


# --------------------------------------------------------------------------------------- rendering


class Filler:
    """Fills a sentence's placeholders for one passage (agency, years, numbers)."""

    def __init__(self, rng: random.Random, agency_type: str, year: int):
        a = AGENCIES[agency_type]
        self.rng = rng
        self.base = {"self": rng.choice(a["self"]), "area": rng.choice(a["area"]), "office": rng.choice(a["office"]),
                     "y": str(year), "py": str(year - 1), "ny": str(year + 1)}

    def __call__(self, text: str) -> str:
        r = self.rng
        n = r.randint(12, 260)
        vals = dict(self.base, n=str(n), m=str(r.randint(2, min(15, n - 1))), k=str(r.randint(2, 6)),
                    p=str(r.randint(8, 65)), mo=str(r.randint(3, 11)), s=str(r.randint(70, 92)))
        return text.format(**vals)


def _strip_end(s: str) -> str:
    return s.rstrip("。；;:：")


def _enum(style: str, i: int, text: str) -> str:
    return {
        "shi": f"{CN[i]}是{text}",
        "dot": f"{i + 1}. {text}",
        "dun": f"{i + 1}、{text}",
        "paren": f"（{i + 1}）{text}",
        "cnparen": f"（{CN[i]}）{text}",
    }[style]


def _inline(style: str, texts: list[str], sep: str) -> str:
    if style == "none":
        return sep.join(_strip_end(t) for t in texts) + "。"
    return sep.join(_enum(style, i, _strip_end(t)) for i, t in enumerate(texts)) + "。"


def _heading(i: int, text: str, bracket: str) -> str:
    return f"（{CN[i]}）{text}" if bracket == "full" else f"({CN[i]}){text}"


def render(rng: random.Random, fill: Filler, fr: dict, split: str, problems: list[Item], measures: list[Item],
           rect: list[Item]) -> tuple[str, str, list[list[str]]]:
    """The passage text, its layout name and its parts as [role, text] (the segmentation truth)."""
    P = [fill(p.text) for p in problems]
    M = [fill(m.text) for m in measures]
    R = [fill(r.text) for r in rect]
    parts: list[list[str]] = [["problem", t] for t in P] + [["measure", t] for t in M] + [["rectification", t] for t in R]
    layout = rng.choice(["headings", "inline", "colon", "paragraphs"] if P else ["measures_only", "measures_heading"])
    bracket = rng.choice(["full", "half"])
    lines: list[str] = []
    sec = 0
    rect_first = bool(R) and rng.random() < 0.7

    def rect_block() -> None:
        nonlocal sec
        if layout == "headings" or rng.random() < 0.4:
            lines.append(_heading(sec, fill(rng.choice(fr["rect_heading"][split])), bracket))
            sec += 1
            lines.append("".join(R) if rng.random() < 0.5 else _inline(rng.choice(["shi", "none"]), R, "；"))
        else:
            lines.append(fill(rng.choice(fr["rect_intro"][split])["text"]) + _inline(rng.choice(["shi", "none"]), R, "；"))

    if R and rect_first:
        rect_block()
    if layout == "headings":
        style = rng.choice(["dot", "dun", "paren", "shi"])
        lines.append(_heading(sec, fill(rng.choice(fr["problem_heading"][split])), bracket))
        sec += 1
        lines += [_enum(style, i, t) for i, t in enumerate(P)]
        if M:
            lines.append(_heading(sec, fill(rng.choice(fr["measure_heading"][split])), bracket))
            sec += 1
            if rng.random() < 0.4:
                lines.append(fill(rng.choice(fr["measure_intro"][split])["text"]).rstrip("：:") + "。")
            lines += [_enum(style, i, t) for i, t in enumerate(M)]
    elif layout == "inline":
        text = fill(rng.choice(fr["problem_intro"][split])["text"]) + _inline("shi", P, rng.choice(["；", "。"]))
        if M:
            text += fill(rng.choice(fr["measure_intro"][split])["text"]) + _inline(rng.choice(["shi", "cnparen"]), M, "。")
        lines.append(text)
    elif layout == "colon":
        lines.append(_heading(sec, fill(rng.choice(fr["problem_heading"][split])), bracket) + "："
                     + _inline(rng.choice(["none", "shi"]), P, "；"))
        sec += 1
        if M:
            lines.append(_heading(sec, fill(rng.choice(fr["measure_heading"][split])), bracket) + "："
                         + _inline("shi", M, "。"))
            sec += 1
    elif layout == "paragraphs":
        lines.append(fill(rng.choice(fr["problem_intro"][split])["text"]).rstrip("：:。") + "。" + "".join(P))
        if M:
            lines.append(fill(rng.choice(fr["measure_intro"][split])["text"]).rstrip("：:。") + "。" + "".join(M))
    elif layout == "measures_only":
        lines.append(fill(rng.choice(fr["measure_intro"][split])["text"]) + _inline(rng.choice(["shi", "none"]), M, "。"))
    else:  # measures_heading
        lines.append(_heading(sec, fill(rng.choice(fr["measure_heading"][split])), bracket))
        sec += 1
        lines += [_enum("dot", i, t) for i, t in enumerate(M)]
    if R and not rect_first:
        rect_block()
    if rng.random() < 0.15:
        lines.append(fill(rng.choice(fr["closing"][split])["text"]))
        parts.append(["closing", lines[-1]])
    return "\n".join(lines), layout, parts


# ------------------------------------------------------------------------------------------ recipes


def _pick_topics(rng: random.Random, a: list[Item], b: list[Item], k: int) -> list[str]:
    common = sorted({i.topic for i in a} & {i.topic for i in b})
    rng.shuffle(common)
    return common[:k]


def _one(rng: random.Random, items: list[Item], topic: str | None = None, avoid: set[str] = frozenset()) -> Item | None:
    pool = [i for i in items if (topic is None or i.topic == topic) and i.id not in avoid]
    return rng.choice(pool) if pool else None


def _pair(rng: random.Random, problems: list[Item], measures: list[Item], topic: str,
          avoid: set[str]) -> tuple[Item, Item] | None:
    """A problem on ``topic`` and a measure that answers it (:func:`answers`), neither in ``avoid``."""
    pairs = [(p, m) for p in problems if p.topic == topic and p.id not in avoid
             for m in measures if m.id not in avoid and answers(p, m)]
    return rng.choice(pairs) if pairs else None


RECIPES = [  # (name, weight)
    ("substantive", 20), ("generic", 11), ("vague", 11), ("generic_vague", 13), ("mixed", 9),
    ("mismatch", 10), ("partial_mismatch", 5), ("problems_only", 4), ("measures_only", 4),
    ("off_topic", 8), ("empty", 10),
]


def compose_one(rng: random.Random, banks: dict, fr: dict, split: str, recipe: str) -> dict | None:
    b = {k: v[split] for k, v in banks.items()}
    k = rng.choice([2, 3, 3, 4])
    P: list[Item] = []
    M: list[Item] = []
    if recipe == "empty":
        pass
    elif recipe in ("substantive", "generic", "vague", "generic_vague", "mixed"):
        pkind = "specific" if recipe in ("substantive", "vague") else "generic"
        mkind = "concrete" if recipe in ("substantive", "generic") else "vague"
        if recipe == "mixed":
            pkind, mkind = rng.choice(["specific", "generic"]), rng.choice(["concrete", "vague"])
            k = max(k, 3)
        topics = _pick_topics(rng, b[pkind], b[mkind], k)
        if len(topics) < 2:
            return None
        used: set[str] = set()
        for t in topics:  # a problem, and a measure that answers it
            pair = _pair(rng, b[pkind], b[mkind], t, used)
            if pair is None:
                continue
            P.append(pair[0]); M.append(pair[1]); used.update((pair[0].id, pair[1].id))
        if len(P) < 2:
            return None
        if recipe == "mixed":  # one item of the other kind: a minority that must not flip the label
            i = rng.randrange(len(P))
            if rng.random() < 0.5:
                pool = [x for x in b["generic" if pkind == "specific" else "specific"]
                        if x.topic == P[i].topic and x.id not in used and answers(x, M[i])]
                if pool: P[i] = rng.choice(pool)
            else:
                pool = [x for x in b["vague" if mkind == "concrete" else "concrete"]
                        if x.topic == M[i].topic and x.id not in used and answers(P[i], x)]
                if pool: M[i] = rng.choice(pool)
        if rng.random() < 0.25:  # an extra measure answering a stated problem
            target = rng.choice(P)
            pool = [x for x in b[mkind] if x.id not in used and answers(target, x)]
            if pool: M.append(rng.choice(pool))
    elif recipe in ("mismatch", "partial_mismatch"):
        pk, mk = rng.choice(["specific", "generic"]), rng.choice(["concrete", "vague"])
        ptopics = sorted({i.topic for i in b[pk]})
        rng.shuffle(ptopics)
        ptopics = ptopics[:k]
        if recipe == "mismatch":
            mtopics = sorted({i.topic for i in b[mk]} - set(ptopics))
            rng.shuffle(mtopics)
            mtopics = mtopics[:rng.choice([2, 3])]
        else:  # the last stated problem goes unanswered
            mtopics = [t for t in ptopics[:-1] if any(i.topic == t for i in b[mk])]
            if not mtopics or len(ptopics) < 3:
                return None
        P = [_one(rng, b[pk], t) for t in ptopics]
        if recipe == "mismatch":
            M = [_one(rng, b[mk], t) for t in mtopics]
        else:  # measures that answer the problems before the last one
            M = []
            for prob in P[:-1]:
                pool = [x for x in b[mk] if answers(prob, x) and x not in M]
                if pool:
                    M.append(rng.choice(pool))
        if not M:
            return None
    elif recipe == "problems_only":
        pk = rng.choice(["specific", "generic"])
        P = rng.sample(b[pk], min(k, len(b[pk])))
    elif recipe == "measures_only":
        mk = rng.choice(["concrete", "vague"])
        M = rng.sample(b[mk], min(k, len(b[mk])))
    elif recipe == "off_topic":
        P = rng.sample(b["off_problem"], min(k, len(b["off_problem"])))
        M = rng.sample(b["off_measure"], min(k, len(b["off_measure"])))
        if rng.random() < 0.3:  # one disclosure sentence among them: still off topic
            P[0] = rng.choice(b[rng.choice(["generic", "specific"])])
    agency_type = rng.choice(sorted(AGENCIES))
    fmt = rng.choice(["2019", "2021"])
    year = rng.choice([2019, 2020] if fmt == "2019" else [2021, 2022, 2023, 2024, 2025])
    fill = Filler(rng, agency_type, year)
    R: list[Item] = []
    if recipe != "empty":
        r = rng.random()
        if fmt == "2021" and r < 0.55:
            R = rng.sample(b["rect_concrete"], rng.choice([1, 2, 2, 3]))
        elif fmt == "2021" and r < 0.7:
            R = [rng.choice(b["rect_vague"])]
        elif fmt == "2019" and r < 0.08:
            R = rng.sample(b["rect_concrete"], 1)
    if recipe == "empty":
        e = rng.choice(fr["empty"][split])
        text, layout, parts, sources = fill(e["text"]), "empty", [], [e["id"]]
        if rng.random() < 0.25:  # headings with nothing under them
            w = rng.choice(["无", "暂无", "无。"])
            text = f"（一）存在的主要问题\n{w}\n（二）改进情况\n{w}"
            sources = []
    else:
        text, layout, parts = render(rng, fill, fr, split, P, M, R)
        sources = [i.id for i in P + M + R]
    return {
        "split": split,
        "recipe": recipe,
        "format": fmt,
        "year": year,
        "agency_type": agency_type,
        "layout": layout,
        "labels": derive_labels(P, M, R, fmt, recipe == "empty"),
        "text": text,
        "parts": parts,
        "sources": sources,
        "hard": any(i.hard for i in P + M + R),
    }


def compose(banks: dict, fr: dict) -> list[dict]:
    out = []
    names = [n for n, _ in RECIPES]
    weights = [w for _, w in RECIPES]
    for split in SPLITS:
        rng = random.Random(f"narratives/{split}")
        seen: set[str] = set()
        n = 0
        while n < COUNTS[split]:
            p = compose_one(rng, banks, fr, split, rng.choices(names, weights)[0])
            if p is None or p["text"] in seen:
                continue
            seen.add(p["text"])
            n += 1
            p["id"] = f"c-{split}-{n:04d}"
            out.append(p)
    return out


def handwritten() -> list[dict]:
    entries = yaml.safe_load((HERE / "handwritten.yaml").read_text(encoding="utf-8"))["passages"]
    # one case told several ways (the same `group`) goes to one split; a passage without a group is its own
    groups = {e["id"]: e.get("group", e["id"]) for e in entries}
    by_group = split_of_list(sorted(set(groups.values())))
    splits = {i: by_group[g] for i, g in groups.items()}
    out = []
    for e in entries:
        labels = sorted(e["labels"], key=LABELS.index)
        assert all(lb in LABELS for lb in labels), e["id"]
        out.append({"id": e["id"], "split": splits[e["id"]], "recipe": "handwritten", "format": e["format"],
                    "year": e["year"], "agency_type": e["agency_type"], "layout": "handwritten", "labels": labels,
                    "text": e["text"].strip(), "parts": [], "sources": [groups[e["id"]]], "hard": bool(e.get("hard"))})
    return out + handwritten_real()


def handwritten_real() -> list[dict]:
    """The whole sections of ``handwritten_real.yaml`` (the register and label priors of real reports), dealt
    3:1:1 to train/dev/test in the order of their label set, then of the hash of their id, so each split
    holds the label combinations in about the same shares (each passage is its own group)."""
    entries = yaml.safe_load((HERE / "handwritten_real.yaml").read_text(encoding="utf-8"))["passages"]
    key = lambda e: (tuple(sorted(e["labels"], key=LABELS.index)), _stable(e["id"]))  # noqa: E731
    out = []
    for i, e in enumerate(sorted(entries, key=key)):
        labels = sorted(e["labels"], key=LABELS.index)
        assert all(lb in LABELS for lb in labels), e["id"]
        split = "train" if i % 5 < 3 else ("dev" if i % 5 == 3 else "test")
        out.append({"id": e["id"], "split": split, "recipe": "handwritten", "format": e["format"],
                    "year": e["year"], "agency_type": e["agency_type"], "layout": "handwritten", "labels": labels,
                    "text": e["text"].strip(), "parts": [], "sources": [e["id"]], "hard": bool(e.get("hard"))})
    return out


def build() -> str:
    banks, fr = load_banks()
    rows = sorted(compose(banks, fr) + handwritten(), key=lambda r: r["id"])
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def main() -> int:
    OUT.write_text(build(), encoding="utf-8")
    rows = [json.loads(x) for x in OUT.read_text(encoding="utf-8").splitlines()]
    print(f"{OUT}: {len(rows)} passages", file=sys.stderr)
    for s in SPLITS:
        counts = {lb: sum(lb in r["labels"] for r in rows if r["split"] == s) for lb in LABELS}
        print(s, sum(r["split"] == s for r in rows), counts, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
