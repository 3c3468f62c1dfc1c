"""Untrusted files other than reports, and report text in the outputs:

- rule files and rubric files are YAML loaded safely: a Python tag is an error naming the file and line,
  never code run; broken files name their line;
- review CSVs are read as data and checked line by line;
- the shipped narrative model is data (JSON), loaded without unpickling, and the package ships no pickles;
- memos escape every piece of report text: script tags, event attributes and ``javascript:`` links in a
  crafted report come out as text in ``audit check --format html,md``;
(summaries never turning report text into formulas: the batch test of tests/test_hardening_badinput.py).
"""
from __future__ import annotations

import pickle
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.errors import AuditError, RuleFileError

ROOT = Path(__file__).resolve().parents[1]
MARKER = "report-audit-pwned"


@pytest.fixture(autouse=True)
def _no_document_cache(monkeypatch):
    """Parse every file afresh (a cached parse would hide what ingest does) and write no cache entries
    outside the test's folders; batch workers inherit the setting."""
    monkeypatch.setenv("AUDIT_CACHE", "off")

PYTHON_TAGS = [  # str.format templates: {marker} is the file a successful payload would create
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
    "!!python/name:os.system",
    "!!python/object:__main__.X {{a: 1}}",
]


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / MARKER


# ------------------------------------------------------------------------------------------ rules


@pytest.mark.parametrize("tag", PYTHON_TAGS)
@pytest.mark.parametrize("where", ["top", "rule", "title"])
def test_python_tags_in_a_rules_file_are_errors_not_code(tmp_path, marker, tag, where):
    from audit.checks import load_rules

    tag = tag.format(marker=marker)
    rule = {"top": "version: 1\nrules: []\nx: {tag}\n",
            "rule": "version: 1\nrules:\n  - {tag}\n",
            "title": ("version: 1\nrules:\n  - id: X-1\n    title: {tag}\n    severity: error\n"
                      "    kind: format_year\n")}[where].format(tag=tag)
    path = tmp_path / "rules.yaml"
    path.write_text(rule, encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rules(path)
    assert err.value.reason.startswith(f"{path}:"), err.value.reason
    line = int(err.value.reason[len(str(path)) + 1:].split(":")[0])
    assert 1 <= line <= rule.count("\n")
    assert not marker.exists()


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tags_in_an_extra_rules_file_are_errors_not_code(tmp_path, marker, tag):
    from audit.checks import load_rules

    extra = tmp_path / "extra.yaml"
    extra.write_text(f"disable: []\noverride:\n  T3-BALANCE: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rules(None, extra=[extra])
    assert err.value.reason.startswith(f"{extra}:3:") or err.value.reason.startswith(f"{extra}:"), err.value.reason
    assert not marker.exists()


def test_yaml_alias_bomb_in_a_rules_file_is_refused_quickly(tmp_path):
    """Billion laughs in YAML: aliases nested 9 deep (10^9 list items if expanded)."""
    from audit.checks import load_rules

    lines = ['a0: &a0 ["x"]'] + [f"a{i}: &a{i} [{', '.join(['*a%d' % (i - 1)] * 10)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nversion: 1\nrules: *a9\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rules(path)
    assert err.value.reason.startswith(f"{path}:")


# ------------------------------------------------------------------------------------------ rubric


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tags_in_a_rubric_are_errors_naming_the_line(tmp_path, marker, tag):
    from audit.memo import load_rubric

    shipped = (ROOT / "audit" / "memo" / "rubric.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(shipped) if ln.startswith("max:"))
    shipped[at] = f"max: {tag.format(marker=marker)}"
    path = tmp_path / "rubric.yaml"
    path.write_text("\n".join(shipped) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rubric(path)
    assert f"{path}:{at + 1}" in err.value.reason, err.value.reason
    assert not marker.exists()


def test_rubric_schema_errors_name_the_line(tmp_path):
    from audit.memo import load_rubric

    shipped = (ROOT / "audit" / "memo" / "rubric.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(shipped) if ln.startswith("max:"))
    shipped[at] = "max: a hundred"
    path = tmp_path / "rubric.yaml"
    path.write_text("\n".join(shipped) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rubric(path)
    assert f"{path}:{at + 1}: max:" in err.value.reason, err.value.reason


# --------------------------------------------------------------------------------------- reviews


def test_review_csv_is_data_checked_line_by_line(tmp_path):
    from audit.batch.reviews import CSV_COLUMNS, read_csv
    from audit.batch.store import Store

    path = tmp_path / "decisions.csv"
    path.write_text(",".join(CSV_COLUMNS) + "\n"
                    '=cmd|"/c calc"!A1,0123456789abcdef,dismiss,=HYPERLINK("x"),@SUM(1),2025-03-01\n'
                    "a.pdf,0123456789abcdef,explode,rev,,2025-03-01\n"
                    "only,three,cells\n", encoding="utf-8")
    with Store(tmp_path / "run") as store, pytest.raises(AuditError) as err:
        read_csv(store, path)
    reason = err.value.reason
    assert "\n" not in reason
    for line in (2, 3, 4):
        assert f"{path}:{line}:" in reason, reason


def test_review_csv_with_a_huge_field_is_a_clear_error(tmp_path):
    from audit.batch.reviews import CSV_COLUMNS, read_csv
    from audit.batch.store import Store

    path = tmp_path / "decisions.csv"
    path.write_text(",".join(CSV_COLUMNS) + "\n" + 'a.pdf,f,comment,r,"' + "x" * 300_000 + '",2025-03-01\n',
                    encoding="utf-8")
    with Store(tmp_path / "run") as store, pytest.raises(AuditError) as err:
        read_csv(store, path)
    assert str(path) in err.value.reason and "\n" not in err.value.reason


# ---------------------------------------------------------------------------------- narrative model


def test_the_package_ships_no_pickles():
    suffixes = {".pkl", ".pickle", ".joblib", ".npy", ".npz", ".pt", ".bin"}
    shipped = [p for p in (ROOT / "audit").rglob("*") if p.suffix in suffixes]
    assert shipped == []
    for p in (ROOT / "audit").rglob("*"):
        if p.is_file() and p.suffix not in (".py", ".pyc"):
            assert not p.read_bytes().startswith(b"\x80"), f"{p} looks like a pickle"


def test_the_shipped_narrative_model_loads_without_unpickling(monkeypatch):
    classify = pytest.importorskip("audit.narrative.classify")

    def refuse(*a, **k):
        raise AssertionError("the model must not be unpickled")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    try:
        import joblib

        monkeypatch.setattr(joblib, "load", refuse)
    except ImportError:
        pass
    if hasattr(classify.load_model, "cache_clear"):
        classify.load_model.cache_clear()
    import json

    from audit.narrative import model_path

    params = json.loads(model_path().read_text(encoding="utf-8"))  # the model file is JSON data
    assert isinstance(params, dict)
    try:
        model = classify.load_model()
    except ValueError as exc:  # a model older than the code (retrain pending): still nothing unpickled
        assert "audit train" in str(exc)
    else:
        assert model.version
    finally:
        classify.load_model.cache_clear()


# ------------------------------------------------------------------------------------------ memos

SCRIPT = '<script>alert("s")</script>'
EVENT = '<img src=x onerror=alert("e")>'
LINK = '<a href="javascript:alert(1)">点此</a>'


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def _hostile_report(tmp_path: Path) -> Path:
    """A generated report whose section 一 sentence about new applications states a wrong figure and
    carries the three payloads, and whose section 五 opens with them."""
    from tests.badinput.corpus import _spec, report_text

    text = report_text()
    claim = next(c for c in _spec().claims if "t3.new.total" in c.field_ids)
    wrong = claim.sentence.replace(f"{claim.value}件", f"{claim.value + 7}件").rstrip("。")
    assert wrong != claim.sentence.rstrip("。")
    text = text.replace(claim.sentence, wrong + SCRIPT + EVENT + LINK + "。")
    head = "五、存在的主要问题及改进情况\n"
    text = text.replace(head, head + LINK + "我们的工作仍有不足" + EVENT + "。" + SCRIPT + "\n", 1)
    path = tmp_path / "hostile<b>.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_html_and_markdown_memos_escape_report_text_end_to_end(tmp_path):
    from audit.cli import cli

    report = _hostile_report(tmp_path)
    out = tmp_path / "memos"
    res = CliRunner().invoke(cli, ["check", str(report), "-o", str(out), "--format", "html,md", "--no-narrative",
                                   "--date", "2025-03-01"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    html = (out / f"{report.name}.html").read_text(encoding="utf-8")
    dom = _Dom()
    dom.feed(html)
    assert "script" not in dom.tags and "img" not in dom.tags and "iframe" not in dom.tags
    assert not [a for a, _ in dom.attrs if a.lower().startswith("on")]
    urls = [v for a, v in dom.attrs if a in ("href", "src", "action") and v]
    assert not [u for u in urls if u.strip().lower().startswith(("javascript:", "data:text", "vbscript:"))], urls
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src 'none'" in html
    text = "".join(dom.text)
    # the payloads are in the memo, as text: the wrong figure's finding quotes its sentence
    for payload in (SCRIPT, EVENT, LINK):
        assert payload in text
    md = (out / f"{report.name}.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(script|img|a )", md)
    assert r"\<script\>" in md


def test_the_json_memo_carries_report_text_verbatim(tmp_path):
    import json

    from audit.cli import cli

    report = _hostile_report(tmp_path)
    out = tmp_path / "memos"
    res = CliRunner().invoke(cli, ["check", str(report), "-o", str(out), "--format", "json", "--no-narrative",
                                   "--date", "2025-03-01"], catch_exceptions=False)
    assert res.exit_code == 0
    memo = json.loads((out / f"{report.name}.json").read_text(encoding="utf-8"))
    sentences = [f["location"].get("sentence") or "" for f in memo["findings"]]
    assert any(SCRIPT in s and LINK in s for s in sentences)
