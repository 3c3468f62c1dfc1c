"""The house rules of the package's shape, read from its source (ast), not by importing it:

- no import cycle among ``audit`` modules through module-level imports (those under ``if``/``try``
  included; those under ``if TYPE_CHECKING:`` never run and are left out). Importing a package from one
  of its own modules is not an edge (Python imports the package first anyway). Function-level (lazy)
  imports are read separately: the cycles they close are held to the list below, so a new one fails
  (a registry that imports its rule modules on first use, a start-up path kept light on purpose);
- no private name (``_x``) imported from another module;
- sentence splitting in one place: no sentence-ending pattern outside ``audit/vocab.py``.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "audit"


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(ROOT.rglob("*.py")):
        parts = list(p.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _imports(name: str, path: Path):
    """(imported module, imported name or None, lazy) for every ``audit`` import of the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    lazy_nodes = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for n in ast.walk(f) if n is not f}
    typing_only = {id(n) for f in ast.walk(tree) if isinstance(f, ast.If) and "TYPE_CHECKING" in ast.unparse(f.test)
                   for b in f.body for n in ast.walk(b)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        lazy = id(node) in lazy_nodes
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "audit":
                    yield a.name, None, lazy
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            if base.split(".")[0] != "audit":
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                yield (sub, None, lazy) if sub in MODULES else (base, a.name, lazy)


def _graph(lazy: bool = False) -> dict[str, set[str]]:
    """Module -> the audit modules it imports at module level (and in functions too with ``lazy``)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for name, path in MODULES.items():
        for target, _, in_function in _imports(name, path):
            if in_function and not lazy:
                continue
            if target == name or name.startswith(target + ".") or target not in MODULES:
                continue  # itself, or a package it lives in
            graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


#: cycles closed only through function-level imports, each on purpose: the check engine imports the rule
#: modules that register their kinds on first use; the narrative's model version is read lazily by
#: versions (the cache key) so that start-up stays light; reviews/corrections/results load a run's
#: results on demand; run-on table text is resolved lazily. Shrink this list, never grow it.
KNOWN_LAZY_CYCLES = [
    {"audit.checks.claims", "audit.checks.engine", "audit.checks.numeric", "audit.checks.structure",
     "audit.checks.wording"},
    {"audit.cache", "audit.narrative", "audit.narrative.classify", "audit.narrative.features",
     "audit.narrative.findings", "audit.narrative.segment", "audit.narrative.tokens", "audit.narrative.train",
     "audit.nlp", "audit.versions"},
    {"audit.batch.corrections", "audit.batch.results", "audit.batch.reviews"},
    {"audit.tables.grid", "audit.tables.order", "audit.tables.resolve", "audit.tables.runon"},
]


def test_the_graph_is_read():
    graph = _graph()
    assert "audit.checks.engine" in graph["audit.checks.cross"]
    assert "audit.vocab" in graph["audit.checks.claims"]
    assert "audit.notebook" not in graph["audit.api"]  # a lazy import
    assert "audit.notebook" in _graph(lazy=True)["audit.api"]
    assert "audit.api" not in _graph(lazy=True)["audit.notebook"]  # under TYPE_CHECKING only


def test_no_import_cycle_among_audit_modules():
    assert _cycles(_graph()) == []


def test_lazy_imports_close_no_new_cycle():
    new = [c for c in _cycles(_graph(lazy=True)) if not any(set(c) <= known for known in KNOWN_LAZY_CYCLES)]
    assert new == []


def test_the_cycle_finder_finds_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_is_imported_across_modules():
    bad = []
    for name, path in MODULES.items():
        for target, imported, _ in _imports(name, path):
            if imported and imported.startswith("_") and not imported.startswith("__") and target != name:
                bad.append(f"{name}: from {target} import {imported}")
            elif imported is None and target.rpartition(".")[2].startswith("_") and target != name:
                bad.append(f"{name}: import {target}")
    assert bad == []


_SENTENCE_MARKS = ("。", "！", "？")


def _sentence_patterns(path: Path) -> list[str]:
    """String constants that hold two or more sentence ends in a character class (``[。！？…]``) without a
    comma: a sentence-splitting pattern (a class that also holds ，, is a clause's, not a sentence's)."""
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            s = node.value
            if sum(m in s for m in _SENTENCE_MARKS) >= 2 and "，" not in s:
                out.append(s)
    return out


def test_sentence_splitting_lives_in_the_vocabulary_only():
    found = {str(p.relative_to(ROOT.parent)): pats for name, p in MODULES.items()
             if name != "audit.vocab" and (pats := _sentence_patterns(p))}
    assert found == {}
    assert _sentence_patterns(MODULES["audit.vocab"])  # the scan sees a pattern where there is one


def test_every_stage_cuts_sentences_with_the_vocabulary():
    from audit.batch import textsim
    from audit.narrative import tokens
    from audit.vocab import sentences

    assert tokens.sentences is sentences
    text = "一、总体情况\n本年收到申请10件。他说“办结了。”随后；完成！？ 末句"
    assert [text[a:b] for a, b in sentences(text)] == [
        "一、总体情况", "本年收到申请10件。", "他说“办结了。”", "随后；", "完成！？", "末句"]
    assert textsim.sentences(text) == [text[a:b].replace(" ", "") for a, b in sentences(text)]
    lead = "措施如下：一是公开。"
    assert [lead[a:b] for a, b in sentences(lead, colons=True)] == ["措施如下：", "一是公开。"]
    assert [lead[a:b] for a, b in sentences(lead)] == [lead]


def test_the_executors_names_are_spelled_once():
    spelled = {str(p.relative_to(ROOT.parent)) for name, p in MODULES.items()
               for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(node, ast.Constant) and node.value in ("local", "dask")}
    assert spelled == {"audit/batch/__init__.py"}
