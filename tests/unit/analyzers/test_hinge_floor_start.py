"""The hinge times a recorded set lifted from the floor pull first, and a live buffer from standing (issue 10, 9).

Known truth from ``tests/unit/fc_floor_signals.py`` (raised-cosine pull and lowering, 1° noise).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from formcheck.analyzers import hinge_spec
from formcheck.analyzers.hinge import find_rep_windows
from formcheck.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fc_floor_signals import floor_set, standing_set  # noqa: E402 - known-truth floor / standing sets


def _features(t, x) -> SimpleNamespace:
    # find_rep_windows reads hip flexion (depth) and trunk inclination (timing): the trunk carries the same movement;
    # and the set's body position (None: not estimated, as the features' default).
    return SimpleNamespace(t_s=t, hip=x, trunk=0.8 * x, position=None)


def test_recorded_floor_set_is_timed_pull_first_live_buffer_from_standing() -> None:
    t, x, truth = floor_set(3, "cosine", "cosine")
    cfg = Config()
    recorded = find_rep_windows(_features(t, x), cfg)
    live = find_rep_windows(_features(t, x), cfg, whole_recording=False)
    assert len(recorded) == len(live) == 3
    assert all(w.starts_at_bottom for w in recorded) and not any(w.starts_at_bottom for w in live)
    assert all(abs(w.start_s - tr["start"]) <= 0.45 for w, tr in zip(recorded, truth, strict=True))


def test_standing_set_is_not_re_timed() -> None:
    t, x = standing_set(3, end="put_down")
    windows = find_rep_windows(_features(t, x), Config())
    assert len(windows) == 3 and not any(w.starts_at_bottom for w in windows)


def test_the_limit_is_declared() -> None:
    assert any("from the floor" in s and "live" in s for s in hinge_spec.LIMITS)
