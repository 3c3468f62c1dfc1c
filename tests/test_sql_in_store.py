"""The store is the only module that writes SQL: every other module calls its named query methods, so the
table layout is known in one place (audit/batch/store.py, where the migrations are appended too)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import audit

PACKAGE = Path(audit.__file__).parent
STORE = PACKAGE / "batch" / "store.py"

#: an SQL statement, however it is cased: a keyword followed by what makes it a statement
SQL = re.compile(r"\b(SELECT\b[\s\S]*\bFROM\b|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b"
                 r"|CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)\b|DROP\s+(TABLE|INDEX|VIEW)\b|ALTER\s+TABLE\b|PRAGMA\s+\w+)",
                 re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def sql_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal of a module that reads as SQL (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and SQL.search(node.value)]


def test_sql_only_in_the_store():
    found = {f"{p.relative_to(PACKAGE.parent)}:{line}": text[:80]
             for p in sorted(PACKAGE.rglob("*.py")) if p != STORE for line, text in sql_literals(p)}
    assert found == {}


def test_the_grep_finds_sql_where_there_is_some():
    found = sql_literals(STORE)
    assert any("CREATE TABLE reports" in t for _, t in found)
    assert any(t.startswith("INSERT INTO reviews") for _, t in found)
    assert any(t.startswith("PRAGMA") for _, t in found)
    # and not the words of prose or markup
    assert not SQL.search('("button", "select", "input")')
    assert not SQL.search("update the memo, then select a report")


def test_no_module_but_the_store_connects_to_sqlite():
    users = [str(p.relative_to(PACKAGE.parent)) for p in sorted(PACKAGE.rglob("*.py"))
             if p != STORE and re.search(r"sqlite3\.connect\(|\.db\.execute|\.executemany\(", p.read_text("utf-8"))]
    assert users == []
