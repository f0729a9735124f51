"""No page or module hands Streamlit an asset that makes the browser contact an outside host.

Streamlit draws a ``":material/…"`` page icon by fetching an SVG from an outside font host (the favicon), so a
material icon anywhere breaks "no server outside is contacted". Emoji icons are drawn in the page (a ``data:``
URL), local files are served by the app itself. URLs passed to Streamlit (``st.image("https://…")``, an iframe ...)
would be fetched by the browser too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.string_util import is_emoji

REPO = Path(__file__).resolve().parents[3]
URL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
ICON_KEYWORDS = {"icon", "page_icon"}


def streamlit_sources() -> list[Path]:
    """app.py, formcheck/ui and every other package module that imports streamlit."""
    files = {REPO / "app.py", *(REPO / "formcheck" / "ui").glob("*.py")}
    for f in (REPO / "formcheck").rglob("*.py"):
        if re.search(r"^\s*(import|from) streamlit", f.read_text(encoding="utf-8"), re.M):
            files.add(f)
    return sorted(files)


def module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (so ``page_icon=APP_ICON`` is resolved)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out[t.id] = node.value.value
    return out


def asset_problems(source: str, name: str = "<src>") -> list[str]:
    """Every outside-fetching asset in a module's source: material icon names, icons that are neither an emoji nor
    a local file, and URL strings passed to any call."""
    tree = ast.parse(source)
    consts = module_strings(tree)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ":material/" in node.value:
            problems.append(f"{name}:{node.lineno}: material icon {node.value!r}")
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg not in ICON_KEYWORDS:
                continue
            v = kw.value
            text = v.value if isinstance(v, ast.Constant) else consts.get(v.id) if isinstance(v, ast.Name) else None
            if not isinstance(text, str):
                continue  # computed at run time: the material scan above still covers literals
            local_file = (REPO / text).is_file()
            if not (is_emoji(text) or local_file):
                problems.append(f"{name}:{node.lineno}: {kw.arg}={text!r} is neither an emoji nor a bundled file")
        for arg in [*node.args, *(kw.value for kw in node.keywords)]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and URL.match(arg.value):
                problems.append(f"{name}:{node.lineno}: URL passed to a call: {arg.value!r}")
    return problems


@pytest.mark.parametrize("path", streamlit_sources(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_outside_assets(path):
    assert asset_problems(path.read_text(encoding="utf-8"), str(path.relative_to(REPO))) == []


@pytest.mark.parametrize(
    ("source", "n_problems"),
    [
        ('st.set_page_config(page_icon=":material/lock:")', 2),  # a material literal, not an emoji
        ('ICON = ":material/lock:"\nst.Page(f, icon=ICON)', 2),  # the literal and the resolved icon
        ('st.image("https://example.org/a.png")', 1),
        ('components.iframe("//cdn.example.org/x")', 1),
        ('st.set_page_config(page_icon="🔒")', 0),
        ('ICON = "🧍"\nst.set_page_config(page_icon=ICON)', 0),
        ('st.Page(f, icon="lock")', 1),  # not an emoji, no such file
        ('st.markdown("see the docs")', 0),
    ],
)
def test_checker_finds_outside_assets(source, n_problems):
    """The scan itself: it must catch what Streamlit would fetch from outside and pass local icons."""
    assert len(asset_problems(source)) == n_problems
