"""Rule files: loading (safe YAML that keeps line numbers), validation, and the merged ``RuleSet``.

A rules file is ``rules.yaml``'s shape: ``{version: 1, rules: [...]}``. An *extra* file may also carry
``disable: [ID, ...]`` and ``override: {ID: {key: value, ...}}``; its ``rules`` are added (an id that is
already defined is an error: override it instead). Every error names the file and the line of the rule.
"""
from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from audit import yamlload
from audit.errors import RuleFileError

SHIPPED = "rules.yaml"
_HERE = Path(__file__).resolve().parent
_VAR = re.compile(r"\{([a-z_]+)\}")
_RUN_PREFIX = re.compile(r"^(prev|members):")


# ----------------------------------------------------------------------------------------- YAML + lines


class _LineDict(dict):
    line: int = 0


class _Loader(yamlload.SafeLoader):
    """Safe loading; every mapping remembers its line, duplicate keys are refused."""


class _FastLoader(yamlload.FastSafeLoader):
    """:class:`_Loader` through libyaml (errors are worded by :class:`_Loader`: ``yamlload.load``)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, type(None))):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a name, not a {'mapping' if isinstance(key, dict) else type(key).__name__}",
                key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path | str, text: str) -> Any:
    try:
        return yamlload.load(text, _FastLoader, _Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(f"{where}: not valid YAML: {problem}") from None


# ----------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """One rule: its identity, where it applies, and its logic (the rule's own keys, as data)."""

    id: str
    title_zh: str
    title_en: str
    severity: str
    kind: str
    scope: str
    formats: tuple[str, ...]
    levels: tuple[str, ...]
    spec: dict = field(compare=False, repr=False)  # the whole rule mapping, plain dicts/lists
    source: str = ""
    line: int = 0

    def get(self, key: str, default: Any = None) -> Any:
        return self.spec.get(key, default)


@dataclass
class RuleSet:
    rules: list[Rule]
    sources: list[str]

    def __post_init__(self) -> None:
        self.by_id: dict[str, Rule] = {r.id: r for r in self.rules}
        canon = json.dumps([r.spec for r in self.rules], ensure_ascii=False, sort_keys=True)
        self.version: str = hashlib.sha256(canon.encode()).hexdigest()[:12]

    @property
    def report_rules(self) -> list[Rule]:
        """The rules one report is checked with (``scope: report``)."""
        return [r for r in self.rules if r.scope == "report"]

    @property
    def run_rules(self) -> list[Rule]:
        """Cross-report rules (``scope: run``), evaluated by ``audit.batch`` over a whole run."""
        return [r for r in self.rules if r.scope == "run"]

    def __len__(self) -> int:
        return len(self.rules)


# ------------------------------------------------------------------------------------------ validation


@lru_cache(maxsize=1)
def _schema() -> dict:
    text = (_HERE / "rules.schema.yaml").read_text(encoding="utf-8")
    return _plain(yamlload.safe_load(text))


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


@lru_cache(maxsize=None)
def _kind_validator(kind: str):
    """The JSON Schema validator of one rule kind (``rules.schema.yaml``). jsonschema is imported here, not
    at start-up: with its optional format checkers installed its import costs seconds, and the shipped
    rules, checked against the schema by the test suite, need no schema check at run time."""
    import jsonschema

    s = _schema()
    k = s["kinds"][kind]
    schema = {
        "type": "object",
        "properties": {**s["common"], **k.get("properties", {})},
        "required": list(s["required_common"]) + list(k.get("required", [])),
        "additionalProperties": False,
        "defs": s["defs"],
    }
    return jsonschema.Draft202012Validator(schema)


def _line_at(node: Any, path: list) -> int:
    """The line of the deepest mapping on ``path`` inside ``node``."""
    line = getattr(node, "line", 0)
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return line


def _templates(spec: dict) -> list[str]:
    out: list[str] = []
    for key in ("total", "left", "right", "parts", "minus", "fields", "exclude", "blocks"):
        v = spec.get(key)
        items = v if isinstance(v, list) else [v]
        for it in items:
            if isinstance(it, str):
                out.append(it)
            elif isinstance(it, dict):
                out.extend(x for x in it.get("one_of", []) if isinstance(x, str))
    return out


def validate_rule(raw: Any, where: str, schema_check: bool = True) -> Rule:
    """Check one rule mapping; ``where`` is ``file`` (the line is added). Raises RuleFileError.
    ``schema_check=False`` skips the JSON Schema (for the shipped rules only; every other check runs)."""
    line = getattr(raw, "line", 0)
    if not isinstance(raw, dict):
        raise RuleFileError(f"{where}:{line}: a rule must be a mapping, got {type(raw).__name__}")
    rid = raw.get("id", "?")
    kinds = _schema()["kinds"]
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        raise RuleFileError(f"{where}:{line}: rule {rid}: unknown kind {kind!r} (one of {', '.join(sorted(kinds))})")
    errors = sorted(_kind_validator(kind).iter_errors(raw), key=lambda e: list(e.absolute_path)) if schema_check else []
    if errors:
        e = errors[0]
        at = _line_at(raw, list(e.absolute_path)) or line
        path = ".".join(str(p) for p in e.absolute_path) or "rule"
        raise RuleFileError(f"{where}:{at}: rule {rid}: {path}: {e.message}")
    scope = raw.get("scope", "report")
    s = _schema()
    allowed = s["run_kinds"] if scope == "run" else s["report_only_kinds"] + ["sum", "balance"]
    if kind not in allowed:
        raise RuleFileError(f"{where}:{line}: rule {rid}: kind {kind!r} cannot have scope {scope!r}")
    if "pair" in raw and scope != "run":
        raise RuleFileError(f"{where}:{line}: rule {rid}: `pair` needs scope: run")
    bound = set(raw.get("for_each", {}))
    for t in _templates(raw):
        if _RUN_PREFIX.match(t) and scope != "run":
            raise RuleFileError(f"{where}:{line}: rule {rid}: {t!r}: prev:/members: fields need scope: run")
        unbound = set(_VAR.findall(t)) - bound - ({"field"} if scope == "run" else set())
        if unbound:
            raise RuleFileError(f"{where}:{line}: rule {rid}: {t!r} uses {{{', '.join(sorted(unbound))}}} "
                                f"not bound by for_each")
    for key in ("pattern",):
        if key in raw:
            try:
                re.compile(raw[key])
            except re.error as exc:
                raise RuleFileError(f"{where}:{line}: rule {rid}: {key}: bad regular expression: {exc}") from None
    for key in ("agency_regex", "agency_not_regex"):
        if key in raw.get("when", {}):
            try:
                re.compile(raw["when"][key])
            except re.error as exc:
                raise RuleFileError(f"{where}:{line}: rule {rid}: when.{key}: bad regular expression: {exc}") from None
    spec = _plain(raw)
    return Rule(
        id=spec["id"],
        title_zh=spec["title"]["zh"],
        title_en=spec["title"]["en"],
        severity=spec["severity"],
        kind=kind,
        scope=scope,
        formats=tuple(spec.get("formats", ("2019", "2021"))),
        levels=tuple(spec.get("levels", ("department", "government"))),
        spec=spec,
        source=where,
        line=line,
    )


def _parse_file(path: Path) -> tuple[dict, str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read rules file: {exc}") from None
    data = _read_yaml(path, text)
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}:1: a rules file is a mapping with `rules:` (and `disable:`/`override:`)")
    unknown = set(data) - {"version", "rules", "disable", "override"}
    if unknown:
        raise RuleFileError(f"{path}:{data.line}: unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}")
    return data, str(path)


def _rules_of(data: dict, where: str, schema_check: bool = True) -> list[Rule]:
    raws = data.get("rules", [])
    if not isinstance(raws, list):
        raise RuleFileError(f"{where}:{data.line}: `rules` must be a list")
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for raw in raws:
        rule = validate_rule(raw, where, schema_check)
        if rule.id in seen:
            raise RuleFileError(f"{where}:{rule.line}: rule {rule.id}: id already defined at line {seen[rule.id]}")
        seen[rule.id] = rule.line
        rules.append(rule)
    return rules


def _apply_extra(rules: list[Rule], data: dict, where: str) -> list[Rule]:
    by_id = {r.id: r for r in rules}
    disable = data.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise RuleFileError(f"{where}:{data.line}: `disable` must be a list of rule ids")
    for rid in disable:
        if rid not in by_id:
            raise RuleFileError(f"{where}:{data.line}: disable: no rule {rid!r} to switch off")
    override = data.get("override", {})
    if not isinstance(override, dict):
        raise RuleFileError(f"{where}:{data.line}: `override` must map rule ids to the keys they change")
    out: list[Rule] = []
    for r in rules:
        if r.id in disable:
            continue
        if r.id in override:
            change = override[r.id]
            if not isinstance(change, dict) or "id" in change:
                raise RuleFileError(f"{where}:{getattr(change, 'line', data.line)}: override {r.id}: "
                                    "a mapping of keys to change (not `id`)")
            merged = _LineDict({**copy.deepcopy(r.spec), **change})
            merged.line = getattr(change, "line", data.line)
            r = validate_rule(merged, where)
        out.append(r)
    for rid in override:
        if rid not in by_id:
            raise RuleFileError(f"{where}:{getattr(override, 'line', data.line)}: override: no rule {rid!r}")
    for r in _rules_of(data, where):
        if r.id in by_id:
            raise RuleFileError(f"{where}:{r.line}: rule {r.id}: already defined in {by_id[r.id].source}; "
                                "use `override:` to change it")
        out.append(r)
    return out


def shipped_path() -> Path:
    """The shipped rules file: ``audit/rules.yaml`` (in a source tree, a link to the root's rules.yaml)."""
    return _HERE.parent / SHIPPED


def load_rules(path: Path | str | None = None, extra: list[Path] | tuple = ()) -> RuleSet:
    """The shipped ``rules.yaml`` (or ``path`` instead), then each ``extra`` file in order. Loaded once per
    process and content of the files (a file changed on disk is read again)."""
    files = [Path(path) if path is not None else shipped_path(), *map(Path, extra)]
    return _load(tuple((str(f), *_stamp(f)) for f in files))


def _stamp(f: Path) -> tuple[int, int]:
    try:
        st = f.stat()
    except OSError:
        return (0, 0)  # reading it will say why
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _load(files: tuple[tuple[str, int, int], ...]) -> RuleSet:
    base, extra = Path(files[0][0]), [Path(f[0]) for f in files[1:]]
    data, where = _parse_file(base)
    if "disable" in data or "override" in data:
        raise RuleFileError(f"{where}:{data.line}: `disable`/`override` belong in an --extra-rules file")
    rules = _rules_of(data, where, schema_check=base.resolve() != shipped_path().resolve())
    sources = [where]
    for x in extra:
        xdata, xwhere = _parse_file(Path(x))
        rules = _apply_extra(rules, xdata, xwhere)
        sources.append(xwhere)
    return RuleSet(rules=rules, sources=sources)
