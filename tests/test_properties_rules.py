"""Property-based tests (hypothesis) of the rules grammar: any rules file, however wrong, loads into a
``RuleSet`` or fails with one ``RuleFileError`` naming the file and a line of it, and nothing else; a
RuleSet that loads runs on a report without error; the shipped rules round-trip through YAML."""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from audit.checks import load_rules, run
from audit.checks.ruleset import _schema
from audit.errors import RuleFileError

ROOT = Path(__file__).resolve().parents[1]
#: this module's settings, applied per test (a loaded profile would change every module's)
_S = settings(max_examples=80, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

_COUNTER = itertools.count()

FIELDS = ["t3.new.total", "t3.new.*", "t3.{row}.total", "t3.{row}.{col}", "t3.denied.*.natural", "t2.*.made",
          "t4.review.total", "t4.*.total", "t2.procurement.amount", "prev:t3.new.total", "members:{field}", "x",
          "T3.NEW", "t3.new.total ", "*", "t3.[a-z]*.total"]
KEY_NAMES = sorted({k for kind in _schema()["kinds"].values() for k in kind.get("properties", {})}
                   | set(_schema()["common"]) | {"bogus", "Id", ""})
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=True),
                    st.sampled_from(FIELDS), st.text(max_size=12),
                    st.sampled_from(["error", "warning", "info", "report", "run", "2019", "2021", "department",
                                     "<=", "==", "(?P<year>\\d{4})年", "(", "[", "01-31", "13-45",
                                     "previous_year", "members", "other_agency"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(KEY_NAMES + ["row", "col", "zh", "en", "one_of", "department", "government",
                                                 "2019", "2021", "agency_regex"]), inner, max_size=4)),
    max_leaves=12)


@st.composite
def rules(draw):
    """A rule that is nearly right (a known kind and the common keys) with random extra keys and values,
    or an arbitrary mapping."""
    if draw(st.booleans()):
        return draw(st.dictionaries(st.sampled_from(KEY_NAMES), values, max_size=6))
    kind = draw(st.sampled_from(sorted(_schema()["kinds"])))
    rule = {"id": draw(st.sampled_from(["R-1", "T3-X", "bad id", "R-1"])),
            "title": draw(st.one_of(st.just({"zh": "标题", "en": "Title"}), values)),
            "severity": draw(st.sampled_from(["error", "warning", "info", "fatal"])),
            "kind": kind}
    props = sorted(_schema()["kinds"][kind].get("properties", {}))
    for key in draw(st.lists(st.sampled_from(props + ["scope", "formats", "levels", "when", "bogus"]),
                             max_size=5, unique=True)):
        rule[key] = draw(values)
    return rule


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"rules-{next(_COUNTER)}.yaml"  # a new name each time: loading is cached per file
    path.write_text(text, encoding="utf-8")
    return path


def _load(path: Path, text: str, **kw):
    """The RuleSet, or None after checking the error names the file and a line of it."""
    try:
        return load_rules(path, **kw)
    except RuleFileError as exc:
        m = re.match(rf"{re.escape(str(path))}:(\d+): \S", exc.reason)
        assert m, exc.reason
        assert 1 <= int(m.group(1)) <= max(1, text.count("\n") + 1), (exc.reason, text)
        assert "\n" not in exc.reason
        return None


@lru_cache(maxsize=1)
def _sample():
    from audit import pipeline

    doc = pipeline.read(ROOT / "corpora" / "samples" / "2024_county_old_other_row.txt")
    return doc, pipeline.extract(doc)


@given(st.lists(rules(), min_size=1, max_size=4))
@_S
def test_any_rule_list_loads_or_names_its_line(tmp_path, rule_list):
    text = yaml.safe_dump({"version": 1, "rules": rule_list}, allow_unicode=True, sort_keys=False)
    ruleset = _load(_write(tmp_path, text), text)
    if ruleset is None:
        return
    assert [r.id for r in ruleset.rules] == [r["id"] for r in rule_list]
    doc, fields = _sample()
    findings, checks = run(doc, fields, ruleset)
    assert {c.rule_id for c in checks} == {r.id for r in ruleset.report_rules}
    assert all(f.rule_id in ruleset.by_id for f in findings)


@given(st.text(alphabet=st.sampled_from("version: 1\nrules:-  id{}[]\"'&*!|>#%@`,?T3R-kindsumtotal.\t"),
               max_size=200))
@example("version: 1\nrules:\n  - ? [a, b]\n    : 1\n")
@example("version: 1\nrules:\n  - id: X\n    kind: []\n")
@example("? {a: 1}\n: 2\n")
@example("version: 1\nrules: &r [*r]\n")
@_S
def test_any_text_loads_or_names_its_line(tmp_path, text):
    _load(_write(tmp_path, text), text)


@given(st.dictionaries(st.sampled_from(["disable", "override", "rules", "version", "other"]), values, max_size=3))
@_S
def test_any_extra_rules_file_loads_or_names_its_line(tmp_path, extra):
    text = yaml.safe_dump(extra, allow_unicode=True)
    path = _write(tmp_path, text)
    try:
        load_rules(None, extra=[path])
    except RuleFileError as exc:
        assert re.match(rf"{re.escape(str(path))}:(\d+): \S", exc.reason), exc.reason


def test_shipped_rules_round_trip_through_yaml(tmp_path):
    shipped = load_rules()
    text = yaml.safe_dump({"version": 1, "rules": [r.spec for r in shipped.rules]}, allow_unicode=True,
                          sort_keys=False)
    again = load_rules(_write(tmp_path, text))
    assert again.version == shipped.version
    assert [(r.id, r.kind, r.scope, r.formats, r.levels) for r in again.rules] == \
        [(r.id, r.kind, r.scope, r.formats, r.levels) for r in shipped.rules]


@given(st.data())
@settings(_S, max_examples=25)
def test_a_rule_with_one_key_broken_names_that_rules_line(tmp_path, data):
    """Break one key of one shipped rule: the error names a line inside that rule's block."""
    shipped = load_rules()
    specs = [dict(r.spec) for r in shipped.rules]
    i = data.draw(st.integers(0, len(specs) - 1))
    key = data.draw(st.sampled_from(sorted(specs[i])))
    specs[i][key] = data.draw(st.sampled_from([None, 12.5, "", [], {"x": 1}, "bad id!"]))
    text = yaml.safe_dump({"version": 1, "rules": specs}, allow_unicode=True, sort_keys=False)
    path = _write(tmp_path, text)
    try:
        load_rules(path)
    except RuleFileError as exc:
        line = int(re.match(rf"{re.escape(str(path))}:(\d+): ", exc.reason).group(1))
        starts = [n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("- ")]
        block = max(s for s in starts if s <= line)
        assert block == starts[i], (exc.reason, key)
