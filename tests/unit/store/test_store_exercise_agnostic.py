"""The store reads exercise metrics through the specs: it must not name the hinge's metric keys or its config.

The key list comes from the registered hinge spec at test time, so a metric the hinge gains later is covered too.
The only names allowed are listed in ALLOWED with their exact count, each with the reason; adding one more mention
anywhere in formcheck/store fails this test.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import formcheck.store
from formcheck.engine.registry import get_spec

STORE_DIR = Path(formcheck.store.__file__).parent

# (file, key) -> how often it may appear.
ALLOWED = {
    # Released migration v2 added this column; released migrations are never edited (the column keeps its data).
    ("schema.py", "hip_share"): 1,
}
# Reading the hinge's config section directly instead of registry.exercise_config(config, exercise).
FORBIDDEN_TEXT = ("config.hinge", "HingeConfig", "hinge_spec", 'exercise_config("hinge")', "exercise_config('hinge')")


def hinge_keys() -> set[str]:
    return {m.key for m in get_spec("hinge").metrics}


def mentions(text: str, keys: set[str]) -> Counter[str]:
    """How often each key appears as a whole identifier (``hip_share`` but not ``stoop_hip_share``)."""
    out: Counter[str] = Counter()
    for key in keys:
        n = len(re.findall(rf"(?<![A-Za-z0-9_]){re.escape(key)}(?![A-Za-z0-9_])", text))
        if n:
            out[key] = n
    return out


def store_sources() -> dict[str, str]:
    files = sorted(STORE_DIR.rglob("*.py"))
    assert files, STORE_DIR
    return {str(p.relative_to(STORE_DIR)): p.read_text(encoding="utf-8") for p in files}


def test_hinge_spec_has_keys_to_look_for():
    keys = hinge_keys()
    assert len(keys) >= 10 and "hip_share" in keys


def test_store_names_no_hinge_metric_key_beyond_the_allowed_ones():
    keys = hinge_keys()
    found = {(name, key): n for name, text in store_sources().items() for key, n in mentions(text, keys).items()}
    assert found == ALLOWED


def test_store_does_not_read_the_hinge_config():
    hits = [(name, t) for name, text in store_sources().items() for t in FORBIDDEN_TEXT if t in text]
    assert hits == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('x = m["spine_flexion_est_deg"]', {"spine_flexion_est_deg": 1}),
        ("# hip_share and hip_share again", {"hip_share": 2}),
        ("stoop_hip_share = 1; hip_shares = 2; m.hip_share_0_30", {"hip_share_0_30": 1}),
        ("target_tempo target_tempo_s", {}),
    ],
)
def test_the_detector_finds_keys(text, expected):
    assert dict(mentions(text, hinge_keys())) == expected
