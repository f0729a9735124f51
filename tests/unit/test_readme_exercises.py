"""README's exercise table names every registered exercise (and nothing that is not one)."""

from __future__ import annotations

import re
from pathlib import Path

from formcheck.engine.registry import names

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_every_registered_exercise():
    text = README.read_text(encoding="utf-8")
    section = text.split("### Exercises", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
    assert sorted(listed) == sorted(names())
