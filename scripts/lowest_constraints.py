"""Print a pip constraints file pinning every declared dependency to its lowest allowed version.

CI installs formcheck with these pins into a second venv and runs the fast tests there, so a lower bound in
``pyproject.toml`` that does not really work (an API the oldest allowed release lacks) fails CI instead of a user's
install. Usage::

    python scripts/lowest_constraints.py [--extra app --extra dev] [pyproject.toml] > lowest.txt
    pip install -c lowest.txt -e ".[app,dev]"

Each requirement must have a ``>=`` (or ``==``/``~=``) lower bound; one without is an error, because "any version"
cannot be tested at its low end.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement


def lower_bound(req: Requirement) -> str | None:
    """The lowest version the requirement's specifier allows (``>=``, ``==``, ``~=``), or None if it has none."""
    lows = [s.version for s in req.specifier if s.operator in (">=", "==", "~=")]
    if not lows:
        return None
    from packaging.version import Version

    return str(max(lows, key=Version))  # two lower bounds: the tighter one is the real floor


def lowest_constraints(pyproject: dict, extras: list[str]) -> list[str]:
    """``name==lowest`` lines for the core dependencies and the chosen optional extras.

    Raises:
        SystemExit: a dependency has no lower bound, or an extra is unknown.
    """
    project = pyproject["project"]
    reqs = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise SystemExit(f"unknown extra {extra!r}; pyproject.toml has: {', '.join(sorted(optional))}")
        reqs += optional[extra]
    lines: dict[str, tuple[str, str]] = {}
    for text in reqs:
        req = Requirement(text)
        low = lower_bound(req)
        if low is None:
            raise SystemExit(f"{text!r} has no lower bound: add '>=' with the oldest version that works")
        key = req.name.lower()
        if key in lines:  # declared twice (core and an extra): the higher floor is the one that must install
            from packaging.version import Version

            low = max(low, lines[key][1], key=Version)
        lines[key] = (req.name, low)
    return [f"{lines[k][0]}=={lines[k][1]}" for k in sorted(lines)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pyproject", nargs="?", type=Path, default=Path(__file__).resolve().parents[1] / "pyproject.toml")
    ap.add_argument("--extra", action="append", default=[], help="also pin this optional extra (repeatable)")
    args = ap.parse_args(argv)
    data = tomllib.loads(args.pyproject.read_text(encoding="utf-8"))
    sys.stdout.write("\n".join(lowest_constraints(data, args.extra)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
