"""The parsed-document cache: a cached document is the fresh parse (same memo), keyed by content and parser,
bounded by bytes (least recently used out first), corrupt entries ignored and rewritten, never a pickle."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import cache as cache_mod
from audit import ingest, memo, pipeline
from audit.cache import CacheError, DocumentCache, analysis_fingerprint, document_from_json, document_to_json
from audit.cli import cli
from audit.model import Span, Table

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
SEED = next((ROOT.parent / "shared" / "reports").glob("*.txt"), None)
ONE_OF_EACH = [SAMPLES / n for n in ("2022_department_defects.pdf", "2022_bureau_borderless.pdf",
                                     "2023_city_org_total.docx", "2019_town_blank_cells.html",
                                     "2020_department_page_break.txt")]
DAY = dt.date(2024, 3, 1)


@pytest.fixture
def store(tmp_path) -> DocumentCache:
    return DocumentCache(tmp_path / "cache", max_bytes=64 * 2**20)


def entries(store: DocumentCache) -> list[Path]:
    return sorted(store.dir.glob("*.json.gz")) if store.dir.exists() else []


def json_memo(path, **kw) -> str:
    result = pipeline.audit(path, today=DAY, narrative=False, **kw)
    return memo.render(result, "json", "zh")


# ------------------------------------------------------------------------------------ round trip


@pytest.mark.parametrize("path", ONE_OF_EACH + ([SEED] if SEED else []), ids=lambda p: p.name)
def test_document_json_round_trip_is_equal(path):
    doc = pipeline.read(path, cache=False)
    back = document_from_json(json.loads(json.dumps(document_to_json(doc), ensure_ascii=False)))
    assert back == doc  # dataclass equality: every block, line, span, cell, section and meta field
    assert back.text == doc.text
    spans = [ln.span for p in back.paragraphs for ln in p.lines] + [
        c.span for t in back.tables for row in t.rows for c in row if c is not None and c.span is not None]
    assert spans and all(isinstance(s, Span) for s in spans)
    assert all(s.bbox is None or isinstance(s.bbox, tuple) for s in spans)
    assert all(isinstance(t, Table) for t in back.tables)


def test_round_trip_keeps_merged_cells_dates_and_period():
    doc = pipeline.read(SAMPLES / "2022_department_defects.pdf", cache=False)
    back = document_from_json(document_to_json(doc))
    assert any(c is None for t in back.tables for row in t.rows for c in row)  # merged cells stay None
    assert back.meta.published == doc.meta.published and isinstance(back.meta.published, dt.date)
    assert back.meta.period == doc.meta.period
    assert [s.subsections for s in back.sections] == [s.subsections for s in doc.sections]


@pytest.mark.parametrize("path", ONE_OF_EACH, ids=lambda p: p.name)
def test_cached_document_gives_the_same_memo(path, store):
    fresh = json_memo(path, cache=False)
    first = json_memo(path, cache=store)  # parses and stores
    assert store.writes == 1 and store.hits == 0
    second = json_memo(path, cache=store)  # from the cache
    assert store.hits == 1
    assert first == fresh and second == fresh


def test_a_hit_does_not_parse_again(store, monkeypatch, tmp_path):
    path = SAMPLES / "2020_department_page_break.txt"
    doc = pipeline.read(path, cache=store)

    def no_parse(p):
        raise AssertionError("parsed again")

    monkeypatch.setattr(ingest, "load", no_parse)
    again = pipeline.read(path, cache=store)
    assert again == doc and again is not doc
    # same content under another name: a hit, and the document names the file it was asked for
    other = tmp_path / "renamed.txt"
    shutil.copy(path, other)
    renamed = pipeline.read(other, cache=store)
    assert renamed.source.path == str(other) and renamed.source.sha256 == doc.source.sha256
    assert renamed.blocks == doc.blocks


def test_changed_content_is_a_miss(store, tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes((SAMPLES / "2020_department_page_break.txt").read_bytes())
    pipeline.read(path, cache=store)
    path.write_bytes(path.read_bytes().replace("2020".encode(), "2021".encode(), 1))
    doc = pipeline.read(path, cache=store)
    assert store.hits == 0 and store.writes == 2
    assert doc.source.sha256 == ingest.load(path).source.sha256


def test_no_cache_neither_reads_nor_writes(store):
    path = SAMPLES / "2019_town_blank_cells.html"
    pipeline.read(path, cache=False)
    assert entries(store) == []
    pipeline.read(path, cache=store)
    assert len(entries(store)) == 1
    pipeline.audit(path, cache=False, narrative=False, today=DAY)
    assert store.hits == 0


def test_key_changes_with_parser_version_tool_and_code(store, monkeypatch):
    path = SAMPLES / "2020_department_page_break.txt"
    pipeline.read(path, cache=store)
    sha = ingest.load(path).source.sha256
    key = cache_mod.entry_key(sha)
    monkeypatch.setattr(cache_mod, "PARSER_VERSION", "999")
    assert cache_mod.entry_key(sha) != key
    pipeline.read(path, cache=store)
    assert store.hits == 0 and store.writes == 2  # the old parse is not served under a new parser version
    monkeypatch.undo()
    monkeypatch.setattr(cache_mod, "tool_version", lambda: "9.9.9")
    assert cache_mod.entry_key(sha) != key
    monkeypatch.undo()
    monkeypatch.setattr(cache_mod, "parser_fingerprint", lambda: "other-code")
    assert cache_mod.entry_key(sha) != key


def test_parser_fingerprint_covers_the_parsing_code():
    fp = cache_mod.parser_fingerprint()
    assert len(fp) == 16 and fp == cache_mod.parser_fingerprint()
    pkg = Path(cache_mod.__file__).parent
    assert (pkg / "ingest" / "pdf.py").is_file() and (pkg / "document" / "sections.py").is_file()
    assert "ingest" in cache_mod.PARSER_CODE and "document" in cache_mod.PARSER_CODE


# ---------------------------------------------------------------------------------- bad entries


def _corruptions(raw: bytes) -> dict[str, bytes]:
    entry = json.loads(gzip.decompress(raw))
    wrong_schema = dict(entry, schema=entry["schema"] + 1)
    wrong_types = json.loads(json.dumps(entry))
    wrong_types["document"]["blocks"][0] = {"p": 5, "lines": "x"}
    missing = json.loads(json.dumps(entry))
    del missing["document"]["meta"]
    other_file = json.loads(json.dumps(entry))
    other_file["document"]["source"]["sha256"] = "0" * 64
    gz = lambda obj: gzip.compress(json.dumps(obj).encode())  # noqa: E731
    return {
        "truncated": raw[: len(raw) // 2],
        "garbage": b"\x00\x01not gzip at all",
        "empty": b"",
        "not json": gzip.compress(b"{not json"),
        "a pickle": gzip.compress(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01."),
        "wrong schema": gz(wrong_schema),
        "wrong types": gz(wrong_types),
        "missing meta": gz(missing),
        "another file": gz(other_file),
        "a list": gz([1, 2, 3]),
    }


def test_corrupt_entries_are_ignored_and_rewritten(store):
    path = SAMPLES / "2020_department_page_break.txt"
    fresh = json_memo(path, cache=False)
    pipeline.read(path, cache=store)
    [entry] = entries(store)
    good = entry.read_bytes()
    for name, bad in _corruptions(good).items():
        entry.write_bytes(bad)
        hits, writes = store.hits, store.writes
        assert json_memo(path, cache=store) == fresh, name
        assert store.hits == hits and store.writes == writes + 1, name  # a miss, then a fresh entry
        # the same document, now with what the audit found beside it (``derived``)
        again = json.loads(gzip.decompress(entry.read_bytes()))
        assert again["document"] == json.loads(gzip.decompress(good))["document"], name
        assert again["derived"]["version"] == analysis_fingerprint() and again["derived"]["results"], name
    assert json_memo(path, cache=store) == fresh
    assert store.hits == 1


def test_document_from_json_rejects_what_is_not_a_document():
    for bad in (None, [], "x", {"source": {}}, {"blocks": []}):
        with pytest.raises(CacheError):
            document_from_json(bad)


def test_an_unwritable_cache_never_fails_an_audit(tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    store = DocumentCache(blocker / "cache")  # its folder cannot be created
    path = SAMPLES / "2020_department_page_break.txt"
    assert json_memo(path, cache=store) == json_memo(path, cache=False)
    assert store.writes == 0 and store.errors >= 1


# ---------------------------------------------------------------------------------------- bound


def test_lru_eviction_by_total_bytes(tmp_path):
    names = ["2020_department_page_break.txt", "2024_county_old_other_row.txt", "2019_town_blank_cells.html",
             "2021_subdistrict_repeated_header.html"]
    probe = DocumentCache(tmp_path / "probe")
    sizes = []
    for n in names:
        sizes.append(probe.put(pipeline.read(SAMPLES / n, cache=False)).stat().st_size)
    store = DocumentCache(tmp_path / "lru", max_bytes=sizes[0] + sizes[1] + sizes[2] + max(sizes) // 4)
    paths = [SAMPLES / n for n in names]
    for p in paths[:3]:
        pipeline.read(p, cache=store)
    assert len(entries(store)) == 3
    old = time.time() - 100
    for i, e in enumerate(sorted(entries(store), key=lambda e: e.stat().st_mtime)):
        os.utime(e, (old + i, old + i))
    pipeline.read(paths[0], cache=store)  # a hit makes the first file the most recently used
    assert store.hits == 1
    pipeline.read(paths[3], cache=store)  # over the bound: the least recently used (the second file) goes
    info = store.info()
    assert info.bytes <= store.max_bytes
    hits = store.hits
    pipeline.read(paths[0], cache=store)
    pipeline.read(paths[3], cache=store)
    assert store.hits == hits + 2
    pipeline.read(paths[1], cache=store)
    assert store.hits == hits + 2  # evicted: parsed again


def test_an_entry_larger_than_the_bound_is_not_stored(tmp_path):
    store = DocumentCache(tmp_path / "tiny", max_bytes=100)
    pipeline.read(SAMPLES / "2020_department_page_break.txt", cache=store)
    assert entries(store) == [] and store.info().bytes == 0


def test_clear_and_info(store):
    for p in ONE_OF_EACH[2:]:
        pipeline.read(p, cache=store)
    info = store.info()
    assert info.entries == 3 and info.bytes == sum(e.stat().st_size for e in entries(store))
    assert store.clear() == (3, info.bytes)
    assert store.info().entries == 0


def test_parse_size():
    assert cache_mod.parse_size("2G") == 2 * 2**30
    assert cache_mod.parse_size("500m") == 500 * 2**20
    assert cache_mod.parse_size("64KB") == 64 * 2**10
    assert cache_mod.parse_size("1048576") == 2**20


def test_environment_configures_the_default_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "env-cache"))
    monkeypatch.setenv("AUDIT_CACHE_MAX_BYTES", "3M")
    store = cache_mod.default_cache()
    assert store.root == tmp_path / "env-cache" and store.max_bytes == 3 * 2**20
    pipeline.read(SAMPLES / "2020_department_page_break.txt")
    assert len(entries(store)) == 1
    monkeypatch.setenv("AUDIT_CACHE", "off")
    assert cache_mod.default_cache() is None


# ------------------------------------------------------------------------------------------ CLI


def test_cli_check_uses_the_cache_and_no_cache_bypasses_it(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("AUDIT_CACHE", raising=False)
    runner = CliRunner()
    src = str(SAMPLES / "2019_town_blank_cells.html")
    args = ["check", src, "--no-narrative", "--format", "json", "--date", "2024-03-01"]
    r = runner.invoke(cli, [*args, "--no-cache", "-o", str(tmp_path / "m0")])
    assert r.exit_code == 0, r.output
    assert not (tmp_path / "c" / "documents").exists() or not list((tmp_path / "c" / "documents").iterdir())
    r = runner.invoke(cli, [*args, "-o", str(tmp_path / "m1")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, [*args, "-o", str(tmp_path / "m2")])
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "c" / "documents").glob("*.json.gz"))) == 1
    name = "2019_town_blank_cells.html.json"
    assert (tmp_path / "m0" / name).read_bytes() == (tmp_path / "m1" / name).read_bytes() == (
        tmp_path / "m2" / name).read_bytes()

    r = runner.invoke(cli, ["cache", "info"])
    assert r.exit_code == 0 and "entries: 1" in r.output and str(tmp_path / "c") in r.output
    r = runner.invoke(cli, ["cache", "clear"])
    assert r.exit_code == 0 and "removed 1 cached document" in r.output
    r = runner.invoke(cli, ["cache", "info"])
    assert "entries: 0" in r.output


def test_batch_auditor_goes_through_the_cached_pipeline(tmp_path, monkeypatch):
    from audit.batch.auditor import PipelineAuditor

    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("AUDIT_CACHE", raising=False)
    auditor = PipelineAuditor({"formats": ["json"], "lang": "zh", "narrative": False, "today": DAY})
    path = SAMPLES / "2020_department_page_break.txt"
    first = auditor.render_memos(auditor.audit(path))
    store = cache_mod.default_cache()
    assert len(entries(store)) == 1
    monkeypatch.setattr(ingest, "load", lambda p: (_ for _ in ()).throw(AssertionError("parsed again")))
    assert auditor.render_memos(auditor.audit(path)) == first


def test_an_entry_holds_the_parts_in_the_record_format():
    from audit.model import to_record

    doc = pipeline.read(SAMPLES / "2019_town_blank_cells.html", cache=False)
    data = document_to_json(doc)
    tables = [b["t"] for b in data["blocks"] if "t" in b]
    assert tables and tables[0] == to_record(next(b for b in doc.blocks if not hasattr(b, "lines")))
    assert data["sections"] == [to_record(s) for s in doc.sections] and data["meta"] == to_record(doc.meta)
    assert document_from_json(json.loads(json.dumps(data))) == doc


def test_batch_no_cache_travels_as_an_option_not_the_environment(tmp_path, monkeypatch):
    from audit.batch.auditor import PipelineAuditor
    from audit.batch.run import BatchOptions

    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("AUDIT_CACHE", raising=False)
    options = BatchOptions(cache=False).auditor_options()
    assert options["cache"] is False
    auditor = PipelineAuditor({**options, "formats": ["json"], "narrative": False, "today": DAY})
    auditor.audit(SAMPLES / "2020_department_page_break.txt")
    assert not (tmp_path / "c" / "documents").exists() or not list((tmp_path / "c" / "documents").iterdir())
    seen = {}
    monkeypatch.setattr("audit.batch.cli.run_command", lambda *a, **kw: seen.update(kw, env=os.environ.get("AUDIT_CACHE")) or 0)
    r = CliRunner().invoke(cli, ["batch", str(SAMPLES / "2020_department_page_break.txt"), "-o", str(tmp_path / "run"),
                                 "--no-cache"])
    assert r.exit_code == 0, r.output
    assert seen["cache"] is False and seen["env"] is None
