"""The app, its tables/charts and the overlay read the exercise specs: they never name the hinge's own keys.

The key list is taken from the hinge spec when the test runs (metric keys, live keys, the config fields its specs
point at and the config fields only the hinge has), so a new hinge metric is covered without editing this test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formcheck.config import ExerciseConfig
from formcheck.engine.registry import get_spec

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted([*(ROOT / "formcheck" / "ui").rglob("*.py"), *(ROOT / "formcheck" / "render").rglob("*.py")]) + [
    ROOT / "app.py"
]
# Reading the hinge's config section directly (config.hinge..., exercise_config("hinge")) or naming the exercise.
HINGE_CONFIG = re.compile(r"\.hinge\b|[\"']hinge[\"']")


def hinge_names() -> set[str]:
    spec = get_spec("hinge")
    names = {m.key for m in spec.metrics} | set(spec.live_keys)
    names |= {k for m in spec.metrics for k in (m.threshold_key, m.band_key, m.cli_low_key, m.err_key) if k}
    names |= set(spec.config_model.model_fields) - set(ExerciseConfig.model_fields)
    return names


def key_pattern(names: set[str]) -> re.Pattern[str]:
    # A whole identifier, or its start ("<key>_pct" is still that key); longest first so the report names it.
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_])({alternatives})(?![A-Za-z0-9])")


def offences(text: str, pattern: re.Pattern[str]) -> list[str]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        for m in pattern.finditer(line):
            out.append(f"{n}: {m.group(0)!r} in {line.strip()}")
        for m in HINGE_CONFIG.finditer(line):
            out.append(f"{n}: {m.group(0)!r} in {line.strip()}")
    return out


def test_the_check_finds_what_it_looks_for():
    pattern = key_pattern(hinge_names())
    assert len(hinge_names()) > 20  # the spec was read (metrics, live keys, config fields)
    for bad in ('band = cfg.hinge.midfoot_band_pct', 'v.get("com_pct_foot")', "frame['hip_share_pct']",
                'registry.exercise_config(cfg, "hinge")', "x = config.hinge"):  # fmt: skip
        assert offences(bad, pattern), bad
    for fine in ("rep.eccentric_s", 'lm[idx["hip"]]', "spec.threshold_key", "m.key", '"Hip share"', "hinged"):
        assert not offences(fine, pattern), fine


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_presentation_module_names_no_hinge_key(path):
    found = offences(path.read_text(encoding="utf-8"), key_pattern(hinge_names()))
    assert not found, f"{path.relative_to(ROOT)} names hinge keys or config (read the exercise spec):\n" + "\n".join(
        found
    )
