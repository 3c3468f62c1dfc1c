"""Start-up (issue 17): jieba's prepared dictionary is read under ``--no-cache`` (never written), and an
audit imports neither spaCy nor the HTML ingest's parsers for a PDF."""
from __future__ import annotations

from pathlib import Path

import jieba

from _fresh import fresh_python, modules_after_audit
from audit.cache import JIEBA_DIR, init_jieba

ROOT = Path(__file__).resolve().parent.parent


def test_read_mode_reads_a_prepared_entry_and_writes_none(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("AUDIT_CACHE", raising=False)
    monkeypatch.setenv("AUDIT_JIEBA_CACHE", "read")
    assert init_jieba(jieba.Tokenizer()) == "built (not written)"
    assert not (tmp_path / JIEBA_DIR).exists()
    monkeypatch.delenv("AUDIT_JIEBA_CACHE")
    assert init_jieba(jieba.Tokenizer()) == "built"  # a run with the cache prepares it
    monkeypatch.setenv("AUDIT_JIEBA_CACHE", "read")
    monkeypatch.setenv("AUDIT_CACHE", "off")  # read mode wins over the cache switched off
    tok = jieba.Tokenizer()
    assert init_jieba(tok) == "hit" and tok.total > 0
    monkeypatch.delenv("AUDIT_JIEBA_CACHE")  # the user's AUDIT_CACHE=off alone: built in memory
    assert init_jieba(jieba.Tokenizer()) == "off"


def test_a_pdf_audit_imports_no_spacy_nor_html_parsers(tmp_path):
    sample = ROOT / "corpora" / "samples" / "2020_district_plain.pdf"
    names = ("spacy", "thinc", "bs4", "lxml", "pkg_resources", "sklearn")
    assert modules_after_audit(sample, tmp_path, names)[-1] == "[]"


def test_tool_version_read_without_importlib_metadata(tmp_path):
    from importlib import metadata

    from audit.versions import installed_version, tool_version

    try:
        expected = metadata.version("report-audit")
    except metadata.PackageNotFoundError:
        expected = "0+unknown"
    assert tool_version() == expected
    for name in ("pdfminer.six", "jieba", "PyYAML", "click", "charset-normalizer", "python-docx"):
        assert installed_version(name) == metadata.version(name), name
    # the first of the sys.path entries that holds one, dist-info or egg-info (folder or file), as importlib finds it
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    (a / "Some_Tool-2.0.dist-info").mkdir(parents=True)
    (a / "Some_Tool-2.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: some-tool\nVersion: 2.0\n\n"
                                                            "Version: 9\n")
    (b / "some_tool.egg-info").mkdir(parents=True)
    (b / "some_tool.egg-info" / "PKG-INFO").write_text("Metadata-Version: 1.0\nName: some-tool\nVersion: 1.5.dev0\n")
    c.mkdir()
    (c / "some.tool-3.egg-info").write_text("Name: some-tool\nVersion: 3\n")
    for path in ([str(a), str(b)], [str(b), str(a)], [str(c), str(a)], [str(tmp_path / "none"), str(a)]):
        assert installed_version("some-tool", path) == next(iter(metadata.distributions(name="some-tool", path=path))).version
    assert installed_version("some-tool", [str(tmp_path)]) is None


def test_a_json_memo_imports_no_jinja_nor_importlib_metadata_of_ours(tmp_path):
    sample = ROOT / "corpora" / "samples" / "2024_county_old_other_row.txt"
    lines = modules_after_audit(sample, tmp_path, ("jinja2", "importlib.metadata", "numpy"),
                                then="memo.render(r, 'json')")
    assert lines[-1] == "[]"
    code = ("import sys\nfrom audit import pipeline, memo\n"
            f"r = pipeline.audit({str(sample)!r}, cache=False)\nmemo.render(r, 'md')\nprint('jinja2' in sys.modules)\n")
    assert fresh_python(code, tmp_path)[-1] == "True"


def test_the_collector_is_paused_for_the_commands_start_up_only_in_its_own_process(tmp_path):
    sample = ROOT / "corpora" / "samples" / "2024_county_old_other_row.txt"
    code = ("import gc\nfrom audit.cli import main\n"
            f"rc = main(['check', {str(sample)!r}, '-o', {str(tmp_path / 'm')!r}, '--format', 'json', '--no-cache'])\n"
            "print(rc, gc.isenabled(), gc.get_freeze_count() > 0)\n")
    assert fresh_python(code, tmp_path / "cache")[-1] == "0 True True"  # collecting again, start-up frozen
    assert (tmp_path / "m" / f"{sample.name}.json").is_file()

    import gc

    from click.testing import CliRunner

    from audit.cli import cli

    frozen = gc.get_freeze_count()
    res = CliRunner().invoke(cli, ["check", str(sample), "-o", str(tmp_path / "n"), "--format", "json", "--no-cache"])
    assert res.exit_code == 0, res.output
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # a caller's process: its collector untouched
