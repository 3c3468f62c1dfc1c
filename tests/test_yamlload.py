"""audit.yamlload: libyaml's parser gives the same objects as PyYAML's pure-Python one on every YAML file the
tool reads, and a broken file is worded as the pure-Python parser words it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from audit import yamlload
from audit.checks import ruleset

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted({p.resolve() for p in (ROOT / "audit").rglob("*.yaml")} | {(ROOT / "rules.yaml").resolve()})


def test_libyaml_is_used_when_pyyaml_has_it():
    assert yamlload.FastSafeLoader is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yamlload.SafeLoader is yaml.SafeLoader


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_files_load_the_same(path):
    text = path.read_text(encoding="utf-8")
    assert yamlload.safe_load(text) == yaml.safe_load(text)
    fast = yamlload.load(text, ruleset._FastLoader, ruleset._FastLoader)
    slow = yaml.load(text, Loader=ruleset._Loader)  # noqa: S506
    assert fast == slow

    def lines(x):  # the line every mapping remembers (rule files' error messages name them)
        if isinstance(x, dict):
            return [getattr(x, "line", None), *(ln for v in x.values() for ln in lines(v))]
        if isinstance(x, list):
            return [ln for v in x for ln in lines(v)]
        return []

    assert lines(fast) == lines(slow)


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: {b: c\n", "- a\nb: c\n", "a: 'x\n", "a:\n\t- b\n", "a: &x\nb: *y\n"])
def test_an_error_is_worded_as_the_pure_python_parser_words_it(text):
    with pytest.raises(yaml.YAMLError) as fast:
        yamlload.safe_load(text)
    with pytest.raises(yaml.YAMLError) as slow:
        yaml.safe_load(text)
    assert str(fast.value) == str(slow.value)


def test_duplicate_keys_refused_by_both_rule_loaders():
    for loader in (ruleset._Loader, ruleset._FastLoader):
        with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'id'"):
            yaml.load("id: A\nid: B\n", Loader=loader)  # noqa: S506
