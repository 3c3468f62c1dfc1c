"""Field templates: ``{var}`` bindings from ``for_each``, glob wildcards over the report's field ids.

A template names cells (``t3.{row}.total``, ``t3.denied.*.{col}``). Binding its variables gives a pattern;
a pattern without wildcards names one field, which may be absent; a pattern with wildcards names the
fields of the report that match it, rows the report lacks (kind ``missing``) included: a sum over a
missing row cannot be checked, it is never a sum over the rows that happen to be there.
"""
from __future__ import annotations

import fnmatch
import itertools
import re
from functools import lru_cache
from typing import Iterator

from audit.model import Fields, Value

_VAR = re.compile(r"\{([a-z_]+)\}")
_GLOB = re.compile(r"[*?\[]")


def is_glob(pattern: str) -> bool:
    return bool(_GLOB.search(pattern))


def bind(template: str, binding: dict[str, str]) -> str:
    return _VAR.sub(lambda m: binding[m.group(1)], template)


def select(fields: Fields, pattern: str, exclude: list[str] = ()) -> list[tuple[str, Value | None]]:
    """The cells a bound pattern names: ``[(id, Value or None when the report lacks it)]``."""
    if not is_glob(pattern):
        return [] if _excluded(pattern, exclude) else [(pattern, fields.get(pattern))]
    match = _glob(pattern)
    return [(k, fields[k]) for k in _ids(fields) if match(k) and not _excluded(k, exclude)]


def select_all(fields: Fields, patterns: list[str], exclude: list[str] = ()) -> list[tuple[str, Value | None]]:
    seen: dict[str, Value | None] = {}
    for p in patterns:
        for k, v in select(fields, p, exclude):
            seen.setdefault(k, v)
    return list(seen.items())


@lru_cache(maxsize=4096)
def _glob(pattern: str):
    """``fnmatch.fnmatchcase(name, pattern)`` as one compiled match (fnmatch's own translation), looked up
    once per pattern rather than once per field id."""
    return re.compile(fnmatch.translate(pattern)).match


def _excluded(fid: str, exclude: list[str]) -> bool:
    return any(_glob(x)(fid) for x in exclude)


def _ids(fields: Fields) -> list[str]:
    return list(fields)  # insertion order: the tables stage writes them in the schema's order


def _template_regex(template: str, var: str) -> re.Pattern:
    out = []
    for piece in re.split(r"(\{[a-z_]+\})", template):
        m = _VAR.fullmatch(piece)
        if m:
            out.append(f"(?P<{var}>.+?)" if m.group(1) == var else r"[^.]+")
        else:
            out.append(re.escape(piece).replace(r"\*", ".*").replace(r"\?", "."))
    return re.compile("".join(out) + r"\Z")


def bindings(fields: Fields, for_each: dict[str, list[str]], templates: list[str]) -> Iterator[dict[str, str]]:
    """Every binding of the ``for_each`` variables, in declared order. A glob value is looked up in the
    report: the values that make the first template using the variable name a field of the report."""
    if not for_each:
        yield {}
        return
    choices = []
    for var, values in for_each.items():
        found: list[str] = []
        for v in values:
            if not is_glob(v):
                found.append(v)
                continue
            tpl = next(t for t in templates if "{" + var + "}" in t)
            rx = _template_regex(tpl, var)
            for k in _ids(fields):
                m = rx.match(k)
                if m and fnmatch.fnmatchcase(m.group(var), v) and m.group(var) not in found:
                    found.append(m.group(var))
        choices.append([(var, x) for x in found])
    for combo in itertools.product(*choices):
        yield dict(combo)


def templates_of(spec: dict, keys: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for key in keys:
        v = spec.get(key)
        for it in v if isinstance(v, list) else [v]:
            if isinstance(it, str):
                out.append(it)
            elif isinstance(it, dict):
                out.extend(it["one_of"])
    return out
