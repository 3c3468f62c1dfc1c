"""`audit inspect`: the document model as JSON and text, and one stderr line per file that fails.

The table fields come from the tables stage; here ``pipeline.extract`` is stubbed with empty fields so
these tests show the ingest and document stages' part of the interface on their own."""
import json

import pytest
from click.testing import CliRunner

from _ingest_helpers import TITLE, report_docx, report_html, report_txt, write
from audit import pipeline
from audit.cli import cli
from audit.inspect import inspect_json, inspect_text
from audit.model import Fields


@pytest.fixture
def no_tables(monkeypatch):
    monkeypatch.setattr(pipeline, "extract", lambda doc: Fields())


def test_inspect_json_keys(tmp_path):
    out = inspect_json(pipeline.read(write(tmp_path, "r.txt", report_txt())))
    assert set(out) == {"source", "meta", "page_count", "sections", "tables", "notes"}
    assert out["source"]["kind"] == "txt" and out["source"]["encoding"] == "utf-8"
    assert out["meta"]["agency"] == "青石县人民政府" and out["meta"]["year"] == 2020
    assert out["meta"]["published"] == "2021-01-15" and out["meta"]["period"] == ["2020-01-01", "2020-12-31"]
    assert [s["number"] for s in out["sections"]] == [1, 2, 3, 4, 5, 6]
    assert out["tables"][0]["page"] == 1 and out["tables"][0]["pages"] == [1]
    json.dumps(out, ensure_ascii=False)  # the whole thing is JSON-ready


def test_inspect_text_summarises(tmp_path):
    text = inspect_text(pipeline.read(write(tmp_path, "r.docx", report_docx())))
    assert "agency 青石县人民政府 · year 2020 · published 2021-01-15 · format 2019" in text
    assert "  5. 政府信息公开工作存在的主要问题及改进情况" in text
    assert "table 2: 7×9 on p. 2" in text  # two merged header rows and five data rows


def test_cli_json_for_several_files_and_errors_go_on(tmp_path, no_tables):
    good = [write(tmp_path, "a.txt", report_txt()), write(tmp_path, "b.html", report_html())]
    bad = {
        tmp_path / "missing.txt": "no such file",
        write(tmp_path, "empty.txt", b""): "empty file",
        write(tmp_path, "scan.png", b"\x89PNG\r\n\x1a\n\x00"): "a PNG image",
        write(tmp_path, "notice.txt", "关于做好值班工作的通知\n\n各单位：现将有关事项通知如下。\n"): "no report",
    }
    runner = CliRunner()
    result = runner.invoke(cli, ["inspect", "--json", str(good[0]), *map(str, bad), str(good[1])])
    assert result.exit_code == 1
    docs = json.loads(result.stdout)
    assert [d["meta"]["title"] for d in docs] == [TITLE, TITLE]
    assert [d["source"]["kind"] for d in docs] == ["txt", "html"]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == len(bad)
    for line, (path, words) in zip(errors, bad.items()):
        assert line.startswith(f"audit: {path}: ") and words in line


def test_cli_exit_zero_when_all_read(tmp_path, no_tables):
    result = CliRunner().invoke(cli, ["inspect", str(write(tmp_path, "r.txt", report_txt()))])
    assert result.exit_code == 0
    assert "sections not found" not in result.stdout and "1. 总体情况" in result.stdout
