"""The claims are matched without spaCy (audit.checks.claim_match over audit.nlp's jieba tokens): the
tokens are spaCy's blank zh tokens and the matches are exactly those of spaCy's Matcher over the token
patterns ``claims._compile`` spells out, on many sentences: the generator's narratives (which state the
claims in all their forms), the samples' texts, the labelled corpus, and fixtures with spaces, newlines
and Chinese numerals."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.checks import claims
from audit.nlp import get_nlp

spacy = pytest.importorskip("spacy")
ROOT = Path(__file__).resolve().parent.parent

FIXTURES = [
    "本年度新收政府信息公开申请 53 件，上年结转 2 件。",
    "全年共受理依申请公开五十三件，其中予以公开十二件、部分公开3件。",
    "本年度共收到申请\n120件，办结118件，结转至2025年 2 件。",
    "因政府信息公开被申请行政复议1件，被纠错0件；提起行政诉讼2起，维持1起。",
    "全年主动公开文件 1,234 条，同比增加100条。",
    "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
    "全年组织业务培训3场次，参训人员120人次。",
    "予以公开及部分公开共计 十五 件，不予公开两件。",
]


def _sentences() -> list[str]:
    from corpora.generator import random_report

    texts: list[str] = list(FIXTURES)
    for seed in range(12):
        spec = random_report("2019" if seed % 2 else "2021", seed=seed)
        texts += [p for s in spec.narrative.sections for p in s.paragraphs]
    passages = ROOT / "corpora" / "narratives" / "passages.jsonl"
    if passages.is_file():
        for line in passages.read_text(encoding="utf-8").splitlines()[:150]:
            row = json.loads(line)
            texts += [v for v in row.values() if isinstance(v, str) and len(v) > 8]
    for p in sorted((ROOT / "corpora" / "samples").glob("*.txt")):
        raw = p.read_bytes()
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(raw.decode("gb18030", errors="replace"))
    seen, out = set(), []
    for t in texts:
        for _, _, s in claims._sentences(t):
            norm = claims.arabic(s)[0]
            if norm not in seen:
                seen.add(norm)
                out.append(norm)
    return out


@pytest.fixture(scope="module")
def reference():
    get_nlp()  # jieba through our cache and user dictionary, then spaCy on the same jieba
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    from spacy.matcher import Matcher

    pats = claims.patterns()
    data = __import__("yaml").safe_load((Path(claims.__file__).parent / "claims.yaml").read_text(encoding="utf-8"))
    matcher = Matcher(nlp.vocab)
    keys = {}
    i = 0
    for c in data["claims"]:
        for items in c["patterns"]:
            key = f"p#{i}"
            keys[nlp.vocab.strings.add(key)] = i
            matcher.add(key, claims._compile(items, tuple(c["units"]), *pats._compile_args))
            i += 1
    assert i == len(pats.compiled)
    return nlp, matcher, keys, pats


def test_tokens_are_spacys(reference):
    nlp = reference[0]
    ours = get_nlp()
    for s in _sentences() + ["  两个空格\n\n换行 ", "+12,000.5 ±3 十二 三百五十 拾壹 1/2 一百零五"]:
        a = [(t.text, t.idx, t.is_space, t.like_num) for t in nlp.make_doc(s)]
        b = [(t.text, t.idx, t.is_space, t.like_num) for t in ours.make_doc(s)]
        assert a == b, s


def test_matches_are_the_matchers(reference):
    nlp, matcher, keys, pats = reference
    from audit.checks import claim_match

    ours = get_nlp()
    sents = _sentences()
    assert len(sents) > 300
    every = range(len(pats.compiled))
    matched = 0
    for s in sents:
        want = {(keys[k], a, b) for k, a, b in matcher(nlp.make_doc(s))}
        got = claim_match.find(pats.compiled, every, ours.make_doc(s))
        assert len(got) == len(set(got))
        assert set(got) == want, s
        # the prefilter never hides a match
        assert {m[0] for m in want} <= set(pats._possible(s)), s
        matched += bool(want)
    assert matched > 40  # the sentences do state claims
