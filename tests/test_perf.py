"""What the speed-ups must not change, and the start-up paid once per process (no timing here: the figures
are in benchmarks/throughput.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audit import checks, memo, pipeline
from audit.checks import claims

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
REAL = ROOT.parent / "shared" / "reports"
DAY = dt.date(2024, 3, 1)


def _documents():
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".html", ".txt"))
    paths += sorted(REAL.glob("*.txt")) + sorted((REAL / "real").glob("*.txt"))
    return [pipeline.read(p, cache=False) for p in paths]


@pytest.fixture(scope="module")
def documents():
    return _documents()


def _key(found):
    return [(c.claim.id, c.value, c.sent_span, c.number_span, c.subject) for c in found]


def test_claim_prefilter_finds_every_claim_the_matcher_finds(documents, monkeypatch):
    pats = claims.patterns("claims.yaml")
    total = 0
    for doc in documents:
        for fmt in ("2019", "2021", None):
            for section in doc.sections:
                filtered = claims.find_claims(section, pats, fmt)
                with monkeypatch.context() as m:
                    m.setattr(pats, "may_match", lambda text: True)
                    everything = claims.find_claims(section, pats, fmt)
                assert _key(filtered) == _key(everything), (doc.source.path, section.number, fmt)
                total += len(filtered)
    assert total > 50  # the reports state figures: the comparison is not vacuous


def test_claim_prefilter_needs_a_phrase_and_a_unit():
    pats = claims.patterns("claims.yaml")
    assert pats.may_match("全年共予以公开12件。")
    assert pats.may_match("本年度新收政府信息公开申请 53 件")  # spaces do not hide a phrase
    assert not pats.may_match("全年组织业务培训3场次，参训人员120人次。")
    assert not pats.may_match("全年印发通报4期，督促整改问题12个。")  # 印发 without 件


def test_start_up_is_paid_once_per_process(monkeypatch):
    """After one report, a second needs no dictionary, pipeline, rules, rubric, lexicon, model, schema or
    template loaded again: every loader raises, and the second report's memos are still written."""
    import jieba
    import jinja2
    import spacy
    import yaml

    path = SAMPLES / "2022_department_defects.pdf"
    first = pipeline.audit(path, today=DAY, cache=False)
    memos = {fmt: memo.render(first, fmt, "zh") for fmt in ("json", "md", "html")}
    memo.render(first, "docx", "zh")

    def loaded_again(*a, **k):
        raise AssertionError("loaded again for a second report")

    monkeypatch.setattr(yaml, "safe_load", loaded_again)
    monkeypatch.setattr(yaml, "load", loaded_again)
    monkeypatch.setattr(spacy, "blank", loaded_again)
    monkeypatch.setattr(spacy, "load", loaded_again)
    monkeypatch.setattr(jieba, "load_userdict", loaded_again)
    monkeypatch.setattr(jieba.Tokenizer, "initialize", loaded_again)
    monkeypatch.setattr(jieba.Tokenizer, "gen_pfdict", loaded_again)
    from audit import prefixdict

    monkeypatch.setattr(prefixdict, "open_table", loaded_again)
    monkeypatch.setattr(jinja2.Environment, "__init__", loaded_again)
    monkeypatch.setattr(Path, "read_text", loaded_again)
    second = pipeline.audit(path, today=DAY, cache=False)
    assert {fmt: memo.render(second, fmt, "zh") for fmt in ("json", "md", "html")} == memos
    assert memo.render(second, "docx", "zh")
    assert checks.load_rules() is checks.load_rules()


def test_batch_auditor_loads_once_per_worker():
    """The batch worker builds its auditor once (rules, rubric) and warms up the Chinese pipeline and the
    model before the first file; every file then goes through pipeline.audit (and so the cache)."""
    from audit.batch.auditor import PipelineAuditor
    from audit.nlp import get_nlp

    auditor = PipelineAuditor({"formats": ["json"], "lang": "zh", "narrative": True, "today": DAY})
    auditor.warm_up()
    assert auditor.ruleset is checks.load_rules()
    assert get_nlp.cache_info().currsize == 1
