"""History queries are parameterised: user text never becomes SQL.

1. A static check over formcheck/: the SQL text handed to ``execute``/``executemany`` is built only from string
   constants, integers and constant tuples (user values travel as parameters). It fails on any f-string, ``%`` or
   ``.format`` that puts a variable the check cannot prove constant into the SQL.
2. Values full of quotes and SQL (a name like ``O'Brien'); DROP TABLE sets;--``) are saved and read back unchanged.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from formcheck.store import Store
from formcheck.types import Analysis, Quality, Rep

PKG = Path(__file__).resolve().parents[3] / "formcheck"
# Calls whose result may appear in SQL text, each reviewed: int() and schema_version() return integers, whatever
# their arguments; _split_sql() splits a script into statements, so its argument must itself be constant.
INT_CALLS = {"int", "schema_version"}
SPLIT_CALLS = {"_split_sql"}
EXECUTE = {"execute", "executemany", "executescript"}


def _call_name(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _safe(node: ast.AST | None, names: set[str]) -> bool:
    """True if ``node`` can only produce text made of constants (and the names already proven constant)."""
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | int | float | type(None))
    if isinstance(node, ast.JoinedStr):
        return all(_safe(v.value, names) for v in node.values if isinstance(v, ast.FormattedValue))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mult | ast.Sub):
        return _safe(node.left, names) and _safe(node.right, names)
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Tuple | ast.List):
        return all(_safe(e, names) for e in node.elts)
    if isinstance(node, ast.Subscript):  # MIGRATIONS[current]: a constant table indexed by an int
        return _safe(node.value, names) and _safe(node.slice, names)
    if isinstance(node, ast.Call):
        name = _call_name(node)
        if name == "join" and isinstance(node.func, ast.Attribute):  # " AND ".join(where)
            return _safe(node.func.value, names) and all(_safe(a, names) for a in node.args)
        if name in INT_CALLS:
            return True
        return name in SPLIT_CALLS and all(_safe(a, names) for a in node.args)
    if isinstance(node, ast.Dict):
        return all(_safe(k, names) for k in node.keys) and all(_safe(v, names) for v in node.values)
    return False


def _constant_names(scope: ast.AST, outer: set[str]) -> set[str]:
    """Names in ``scope`` every binding of which is constant (fixpoint over assignments, loops and appends)."""
    bindings: dict[str, list[ast.AST | None]] = {}
    for n in ast.walk(scope):
        if isinstance(n, ast.Assign):
            for t in n.targets:
                for leaf in ast.walk(t):
                    if isinstance(leaf, ast.Name):
                        bindings.setdefault(leaf.id, []).append(n.value if isinstance(t, ast.Name) else n)
        elif isinstance(n, ast.AnnAssign | ast.AugAssign) and isinstance(n.target, ast.Name):
            bindings.setdefault(n.target.id, []).append(n.value)
        elif isinstance(n, ast.For | ast.comprehension) and isinstance(n.target, ast.Name):
            bindings.setdefault(n.target.id, []).append(n.iter)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("append", "extend"):
            if isinstance(n.func.value, ast.Name):
                bindings.setdefault(n.func.value.id, []).extend(n.args)
        elif isinstance(n, ast.arguments):
            for a in [*n.posonlyargs, *n.args, *n.kwonlyargs, n.vararg, n.kwarg]:
                if a is not None:
                    bindings.setdefault(a.arg, []).append(ast.Name("<parameter>"))  # never constant
    names = set(outer) | set(bindings)
    changed = True
    while changed:
        changed = False
        for name in list(names):
            if name in bindings and not all(_safe(v, names) for v in bindings[name]):
                names.discard(name)
                changed = True
    return names


def unsafe_sql(source: str, filename: str = "<src>") -> list[str]:
    """``file:line`` of every execute call whose SQL text is not provably constant."""
    tree = ast.parse(source)
    module_names = _constant_names(ast.Module(body=[s for s in tree.body if isinstance(s, ast.Assign | ast.AnnAssign)],
                                              type_ignores=[]), set())  # fmt: skip
    problems = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        names = _constant_names(fn, module_names)
        for call in ast.walk(fn):
            if isinstance(call, ast.Call) and _call_name(call) in EXECUTE and isinstance(call.func, ast.Attribute):
                sql = call.args[0] if call.args else None
                if not _safe(sql, names):
                    problems.append(f"{filename}:{call.lineno}: {ast.unparse(sql) if sql else '?'}")
    return sorted(set(problems))


def package_sources() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if ".execute" in p.read_text(encoding="utf-8"))


def test_package_has_sql_to_check():
    assert any(p.parent.name == "store" for p in package_sources())


@pytest.mark.parametrize("path", package_sources(), ids=lambda p: str(p.relative_to(PKG.parent)))
def test_sql_text_is_constant(path):
    assert unsafe_sql(path.read_text(encoding="utf-8"), path.name) == []


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("def f(conn, name):\n    conn.execute(f\"SELECT * FROM sets WHERE video_name = '{name}'\")", True),
        ("def f(conn, name):\n    conn.execute(\"SELECT * FROM sets WHERE video_name = '%s'\" % name)", True),
        ('def f(conn, name):\n    conn.execute("SELECT {}".format(name))', True),
        ('def f(conn, name):\n    sql = "SELECT 1 WHERE x = " + name\n    conn.execute(sql)', True),
        ('def f(conn, ids):\n    w = []\n    for i in ids:\n        w.append(i)\n    conn.execute("".join(w))', True),
        ('def f(conn, name):\n    conn.execute("SELECT * FROM sets WHERE video_name = ?", (name,))', False),
        ('def f(conn):\n    for t in ("a", "b"):\n        conn.execute(f"DELETE FROM {t}")', False),
        ('def f(conn, n):\n    conn.execute(f"PRAGMA busy_timeout={int(n)}")', False),
        (
            'def f(conn, a):\n    w = []\n    if a:\n        w.append("a = ?")\n    conn.execute(" ".join(w), [a])',
            False,
        ),
    ],
)
def test_checker(source, bad):
    """The check itself: it must flag SQL built from a variable and pass the parameterised forms the store uses."""
    assert bool(unsafe_sql(source)) is bad


NASTY = ["O'Brien", 'say "hi"', "x'); DROP TABLE sets;--", "Robert'); DELETE FROM notes WHERE ('1'='1", "\\' OR 1=1 --"]


@pytest.mark.parametrize("text", NASTY)
def test_quotes_and_sql_in_values_round_trip(tmp_path, text):
    store = Store(tmp_path / "h.sqlite3")
    rep = Rep(1, 0, 1, 2, 1, 0, 1, 0, 2, 40.0)
    saved = store.save_set(Analysis("hinge", (rep,), (), Quality()), video_name=f"{text}.mp4", source="review")
    note_id = store.add_note(text, session_id=saved.session_id)
    sets = store.sets(exercise="hinge")
    assert [s.video_name for s in sets] == [f"{text}.mp4"]
    assert [n[3] for n in store.notes(session_id=saved.session_id)] == [text] and note_id
    assert store.sets(exercise=text) == []  # a value used to filter is a value, not SQL
    assert store.counts()["sets"] == 1 and store.counts()["notes"] == 1
