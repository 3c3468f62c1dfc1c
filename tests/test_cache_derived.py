"""What the cache keeps beside a document: the results of its analysis that depend on no rule (the fields,
the figures each section states, the labels' near misses, the enumerations, the narrative analysis).

A re-run with other rules takes them from the entry and gives the memo a fresh audit gives; other analysis
code (schemas, claim patterns, narrative model, tokenizer dictionary, libraries) makes them unused; a kept
result that is not what the code writes is computed again."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from audit import cache as cache_mod
from audit import checks, memo, pipeline
from audit.cache import DocumentCache
from audit.model import (Check, Finding, Location, Outcome, Severity, Text, Value, ValueKind, fields_from_record,
                         fields_to_record, from_records, to_records)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
DEFECTS = SAMPLES / "2022_department_defects.pdf"
DAY = dt.date(2024, 3, 1)


@pytest.fixture
def store(tmp_path) -> DocumentCache:
    return DocumentCache(tmp_path / "cache", max_bytes=64 * 2**20)


@pytest.fixture
def changed_rules(tmp_path):
    extra = tmp_path / "changed.yaml"
    extra.write_text("disable: [TEXT-PARTS]\n", encoding="utf-8")
    return checks.load_rules(None, extra=[extra])


def json_memo(path, **kw) -> str:
    return memo.render(pipeline.audit(path, today=DAY, **kw), "json", "zh")


def kept(store: DocumentCache) -> dict:
    [entry] = sorted(store.dir.glob("*.json.gz"))
    return json.loads(gzip.decompress(entry.read_bytes()))["derived"]


class Calls:
    """Counts the calls of the functions that make the kept results (and still calls them)."""

    def __init__(self, monkeypatch):
        import audit.checks.claims as claims
        import audit.checks.wording as wording
        import audit.narrative as narrative
        import audit.tables as tables

        self.n: dict[str, int] = {}
        for mod, name in ((tables, "extract"), (claims, "find_claims"), (wording, "near_miss"), (wording, "runs"),
                          (narrative, "analyse")):
            monkeypatch.setattr(mod, name, self._count(name, getattr(mod, name)))

    def _count(self, name, fn):
        def counted(*a, **kw):
            self.n[name] = self.n.get(name, 0) + 1
            return fn(*a, **kw)
        return counted


def test_a_rerun_with_other_rules_reuses_the_kept_results(store, changed_rules, monkeypatch):
    fresh = json_memo(DEFECTS, cache=False, rules=changed_rules)
    json_memo(DEFECTS, cache=store)  # parse, audit, store the document and what its analysis found
    results = kept(store)
    assert results["version"] == cache_mod.analysis_fingerprint()
    prefixes = {k.split(":")[0] for k in results["results"]}
    assert {"fields", "claims", "labels", "runs", "narrative"} <= prefixes
    calls = Calls(monkeypatch)
    writes = store.writes
    assert json_memo(DEFECTS, cache=store, rules=changed_rules) == fresh
    assert calls.n == {}  # nothing of it computed again
    assert store.hits == 1 and store.writes == writes  # and the entry not written again


def test_a_rules_file_of_ones_own_reuses_them_too(store, tmp_path, monkeypatch):
    own = tmp_path / "rules.yaml"
    text = checks.shipped_path().read_text(encoding="utf-8")
    own.write_text(text.replace("severity: warning", "severity: error"), encoding="utf-8")
    rules = checks.load_rules(own)
    fresh = json_memo(DEFECTS, cache=False, rules=rules)
    json_memo(DEFECTS, cache=store)
    calls = Calls(monkeypatch)
    assert json_memo(DEFECTS, cache=store, rules=rules) == fresh
    assert calls.n == {}


def test_other_analysis_code_computes_them_again(store, changed_rules, monkeypatch):
    """A changed schema, claim pattern, narrative model or library changes ``analysis_fingerprint``: the
    kept results are not used, and the entry is written again with the new ones."""
    fresh = json_memo(DEFECTS, cache=False, rules=changed_rules)
    json_memo(DEFECTS, cache=store)
    monkeypatch.setattr(cache_mod, "analysis_fingerprint", lambda: "other-analysis")
    calls = Calls(monkeypatch)
    writes = store.writes
    assert json_memo(DEFECTS, cache=store, rules=changed_rules) == fresh
    assert store.hits == 1  # the document itself is still the cached parse …
    assert calls.n["extract"] == 1 and calls.n["find_claims"] >= 1 and calls.n["analyse"] == 1  # … its analysis is new
    assert calls.n["near_miss"] >= 1 and calls.n["runs"] >= 1
    assert store.writes == writes + 1 and kept(store)["version"] == "other-analysis"


def test_the_fingerprint_covers_schemas_patterns_model_and_dictionary_not_the_rules(tmp_path):
    pkg = Path(cache_mod.__file__).resolve().parent
    copy = tmp_path / "audit"
    for name in cache_mod.ANALYSIS_CODE:
        src = pkg / name
        if src.is_dir():
            shutil.copytree(src, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, copy / name)
    shutil.copyfile(pkg / "rules.yaml", copy / "rules.yaml")

    def digest():
        return cache_mod._code_digest(cache_mod.ANALYSIS_CODE, cache_mod.ANALYSIS_LIBRARIES, copy)

    base = digest()
    assert base == digest()
    (copy / "rules.yaml").write_text("# other rules\n", encoding="utf-8")  # the rules: the same results
    assert digest() == base
    for part in ("tables/schemas/2021.yaml", "checks/claims.yaml", "narrative/data/model.json", "data/userdict.txt",
                 "checks/claims.py", "narrative/segment.py"):
        f = copy / part
        original = f.read_bytes()
        f.write_bytes(original + b"\n")
        assert digest() != base, part
        f.write_bytes(original)
    assert digest() == base


def test_kept_results_that_are_not_what_the_code_writes_are_computed_again(store, changed_rules, monkeypatch):
    fresh = json_memo(DEFECTS, cache=False, rules=changed_rules)
    json_memo(DEFECTS, cache=store)
    [entry] = sorted(store.dir.glob("*.json.gz"))
    data = json.loads(gzip.decompress(entry.read_bytes()))
    data["derived"]["results"] = {k: ["not", {"what": "was"}, 5] for k in data["derived"]["results"]}
    entry.write_bytes(gzip.compress(json.dumps(data).encode()))
    calls = Calls(monkeypatch)
    assert json_memo(DEFECTS, cache=store, rules=changed_rules) == fresh
    assert calls.n["extract"] == 1 and calls.n["analyse"] == 1 and calls.n["find_claims"] >= 1
    again = kept(store)["results"]  # written again, with good results
    assert all(v != ["not", {"what": "was"}, 5] for v in again.values())


def test_a_document_given_by_the_caller_keeps_nothing(store, monkeypatch):
    doc = pipeline.read(DEFECTS, cache=store)
    pipeline.audit(doc=doc, today=DAY)
    assert "derived" not in json.loads(gzip.decompress(sorted(store.dir.glob("*.json.gz"))[0].read_bytes()))


def test_the_cache_off_keeps_nothing_and_computes_everything(monkeypatch, tmp_path):
    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "c"))
    calls = Calls(monkeypatch)
    pipeline.audit(DEFECTS, today=DAY, cache=False)
    assert calls.n["extract"] == 1 and calls.n["analyse"] == 1
    assert not (tmp_path / "c").exists()


# ------------------------------------------------------------------------------- exact records


def test_findings_and_checks_come_back_equal():
    f = Finding("NARR-X", Severity.WARNING, "narrative", "甲", "a", Location(section=5, char_span=(1, 4)),
                expected=Text("至少一个数字", "at least one figure"), found="none",
                details={"probability": 0.615, "spans": [[1, 4]], "amount": Decimal("1.50"), "pair": (1, "x"),
                         "nested": {"t": Text("乙", "b")}})
    c = Check("NARR-X", "标题", "title", Outcome.NOT_ASSESSABLE, Severity.INFO, Text("原因", "why"))
    for items, cls in (([f], Finding), ([c], Check), ([], Check)):
        rec = to_records(items)
        assert rec is not None
        back = from_records(cls, json.loads(json.dumps(rec)))
        assert back == items
    assert from_records(Finding, json.loads(json.dumps(to_records([f]))))[0].details["amount"] == Decimal("1.50")


def test_a_value_no_record_keeps_exactly_is_not_kept():
    for odd in ({1, 2}, dt.date(2024, 1, 1), ValueKind.BLANK, {3: "int key"}, b"bytes"):
        f = Finding("R", Severity.ERROR, "numeric", "m", "m", details={"x": odd})
        assert to_records([f]) is None, odd
    with pytest.raises((TypeError, ValueError)):
        from_records(Finding, [{"rule_id": "R", "severity": "nonsense"}])
    with pytest.raises(TypeError):
        from_records(Finding, {"not": "a list"})


def test_fields_come_back_equal_with_what_the_extraction_noticed(store):
    from audit import tables

    for path in (DEFECTS, SAMPLES / "2020_department_page_break.txt", SAMPLES / "2023_city_org_total.docx"):
        fields = tables.extract(pipeline.read(path, cache=False))
        rec = fields_to_record(fields)
        assert rec is not None, path.name
        back = fields_from_record(json.loads(json.dumps(rec)))
        assert back == fields and vars(back) == vars(fields), path.name
    odd = tables.extract(pipeline.read(DEFECTS, cache=False))
    odd["t2.x"] = Value(value=1.5, kind=ValueKind.NUMBER, raw="1.5")  # a float: no exact record
    assert fields_to_record(odd) is None
    for bad in (None, [], {"values": []}, {"values": {"a": {"value": "1"}}}):
        with pytest.raises((TypeError, ValueError, KeyError)):
            fields_from_record(bad)


def test_compiled_record_decoders_do_what_the_general_one_does():
    """``from_record`` decodes through functions made once per type; for every kind of hint they give
    what the general ``_decode_slow`` gives, and fail where it fails."""
    import typing

    from audit import model

    cases = [
        (int | None, [None, 3, "3", True, 2.5]),
        (int | Decimal | None, ["12", "1.50", 7, None, [1]]),
        (tuple[float, float, float, float] | None, [[1, 2.5, 3, 4], [1, 2], None, "x", [1, "a", 3, 4]]),
        (tuple[str, ...], [["a", "b"], [], "ab", [1]]),
        (list[int], [[1, 2], (1,), [None]]),
        (dict, [{"a": 1}, [1]]),
        (float, [1, 1.5, "1", True]),
        (str, ["s", 1]),
        (Severity, ["error", "nope"]),
        (dt.date, ["2024-03-01", 20240301, "bad"]),
        (Text | None, [{"zh": "甲", "en": "a"}, None, "x", {"zh": 1, "en": "a"}]),
        (str | int | None, ["a", 1, None, 1.5]),
        (typing.Any, [object]),
    ]

    def outcome(fn):
        try:
            return ("ok", fn())
        except (TypeError, ValueError, KeyError) as exc:
            return (type(exc).__name__, str(exc))

    for hint, values in cases:
        for x in values:
            fast = outcome(lambda: model._decode(x, hint))
            slow = outcome(lambda: model._decode_slow(x, hint))
            assert fast == slow, (hint, x)
