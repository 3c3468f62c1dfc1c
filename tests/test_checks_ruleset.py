"""Rule files: the shipped rules.yaml loads and validates; broken files fail with the file and line;
extra files add, switch off and override rules; the version is a content hash."""
from __future__ import annotations

import pytest

from audit.checks import load_rules, shipped_path
from audit.errors import RuleFileError

GOOD_RULE = """\
  - id: MY-T4-REVIEW
    title: {zh: 复议栏总计, en: "Review block total"}
    severity: warning
    kind: sum
    total: t4.review.total
    parts: [t4.review.upheld, t4.review.corrected, t4.review.other, t4.review.pending]
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_rules_cover_the_spec():
    rs = load_rules()
    ids = set(rs.by_id)
    for rid in ("T3-ROW-SUM", "T3-COL-SUM", "T3-BALANCE", "T4-SUM", "TEXT-CLAIM", "STRUCT-SECTIONS",
                "STRUCT-FORMAT-YEAR", "DEADLINE", "BLANK-CELLS", "XY-CARRY", "XY-INFORCE", "XY-COPY", "XA-DUP",
                "CONS-SUM"):
        assert rid in ids
    assert {r.id for r in rs.run_rules} == {"XY-CARRY", "XY-INFORCE", "XY-COPY", "XY-RECUR", "XA-DUP", "CONS-SUM"}
    assert all(r.scope == "report" for r in rs.report_rules)
    assert shipped_path().name == "rules.yaml"
    assert len(rs.version) == 12 and rs.version == load_rules().version


def test_replacing_file_and_its_version(tmp_path):
    p = write(tmp_path, "mine.yaml", "version: 1\nrules:\n" + GOOD_RULE)
    rs = load_rules(p)
    assert [r.id for r in rs.rules] == ["MY-T4-REVIEW"]
    assert rs.by_id["MY-T4-REVIEW"].line == 3
    assert rs.version != load_rules().version


def test_extra_file_disables_overrides_and_adds(tmp_path):
    extra = write(tmp_path, "extra.yaml", "disable: [T2-DECISIONS-PATTERN]\n"
                  "override:\n  BLANK-CELLS: {severity: info}\nrules:\n" + GOOD_RULE)
    rs = load_rules(extra=[extra])
    assert "T2-DECISIONS-PATTERN" not in rs.by_id
    assert rs.by_id["BLANK-CELLS"].severity == "info"
    assert rs.rules[-1].id == "MY-T4-REVIEW"
    assert len(rs.rules) == len(load_rules().rules)


@pytest.mark.parametrize("text,line,words", [
    ("version: 1\nrules:\n  - id: T3-X\n    title: {zh: 甲, en: a}\n    severity: fatal\n    kind: sum\n"
     "    total: t3.new.total\n    parts: [t3.new.natural]\n", 3, "severity"),
    ("version: 1\nrules:\n" + GOOD_RULE + "  - id: BAD\n    title: {zh: 乙, en: b}\n    severity: error\n"
     "    kind: summ\n", 9, "unknown kind 'summ'"),
    ("version: 1\nrules:\n" + GOOD_RULE + GOOD_RULE, 9, "already defined at line 3"),
    ("version: 1\nrules:\n  - id: T3-Y\n    title: {zh: 丙, en: c}\n    severity: error\n    kind: sum\n"
     "    total: \"t3.{row}.total\"\n    parts: [t3.new.natural]\n", 3, "not bound by for_each"),
    ("version: 1\nrules:\n  - id: T3-Z\n    title: {zh: 丁, en: d}\n    severity: error\n    kind: sum\n"
     "    total: t3.new.total\n    parts: [t3.new.natural]\n    eval: '1+1'\n", 3, "Additional properties"),
    ("version: 1\nrules:\n  - id: TXT\n    title: {zh: 戊, en: e}\n    severity: warning\n    kind: text_year\n"
     "    pattern: '(unclosed'\n", 3, "bad regular expression"),
    ("version: 1\nrules:\n  - id: A\n    title: {zh: 己, en: f\n", 5, "not valid YAML"),
    ("version: 1\nrules:\n  - id: DUPKEY\n    id: AGAIN\n", 4, "duplicate key"),
])
def test_broken_rule_files_name_file_and_line(tmp_path, text, line, words):
    p = write(tmp_path, "broken.yaml", text)
    with pytest.raises(RuleFileError) as exc:
        load_rules(p)
    assert f"{p}:{line}:" in exc.value.reason, exc.value.reason
    assert words in exc.value.reason


def test_extra_file_errors(tmp_path):
    with pytest.raises(RuleFileError, match="no rule 'NOPE' to switch off"):
        load_rules(extra=[write(tmp_path, "a.yaml", "disable: [NOPE]\n")])
    with pytest.raises(RuleFileError, match="use `override:`"):
        load_rules(extra=[write(tmp_path, "b.yaml", "rules:\n" + GOOD_RULE.replace("MY-T4-REVIEW", "T4-SUM"))])
    with pytest.raises(RuleFileError, match=r"c.yaml:2: rule BLANK-CELLS: severity"):
        load_rules(extra=[write(tmp_path, "c.yaml", "override:\n  BLANK-CELLS: {severity: loud}\n")])
    with pytest.raises(RuleFileError, match="cannot read rules file"):
        load_rules(tmp_path / "absent.yaml")


def test_cli_reports_a_broken_rules_file(tmp_path):
    from click.testing import CliRunner

    from audit.cli import cli

    bad = write(tmp_path, "bad.yaml", "version: 1\nrules:\n  - id: lower-case\n")
    res = CliRunner().invoke(cli, ["check", str(bad), "--rules", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}:3" in res.output


def test_the_shipped_rules_pass_their_json_schema():
    """At run time the shipped rules skip the JSON Schema check (it is for rule files users bring); here,
    every shipped rule is checked against it."""
    from audit.checks.ruleset import _parse_file, _rules_of, shipped_path

    data, where = _parse_file(shipped_path())
    assert len(_rules_of(data, where, schema_check=True)) == len(load_rules().rules)
