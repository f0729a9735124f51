"""Camera roll on the bundled sample and the rendered hinge clips of all three development bodies (issue 10): their
landmarks and back outlines turned by ±3° and ±5° about the image centre, as a rolled phone would film them.

Truth: the renderer's camera is level, so the roll of a clip turned by ``d`` is ``d``. Asserted on every rendered
clip (soldier in ``../shared/synthetic``, michelle and xbot in ``../shared/synthetic_bodies``): the roll read is
within 2° of the applied roll and turns exactly with the picture; the same rep count everywhere; a
``setup.camera_roll`` cue at ±5° and none on the level camera; at ±5° (corrected) the same form cues and the bottom
CoM within 6 points per degree of the level camera's own roll reading + 1 (the correction levels to "level ± this
body's lean error", docs/metrics.md §8.6). The issue's target itself (same cues and CoM within 3 points at ±3° and
±5°) is asserted on the bundled sample and on every rendered clip that reaches it; the clips that do not are strict
xfails with the measured figures (``scripts/lobo_roll.py --e2e``). Each clip is extracted once per run (pose cache;
the same clips as test_hinge_bodies.py) and analysed 5 times.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import Config
from formcheck.roll_effect import HingeRollOutcome, hinge_roll_outcome, rolled_sequence
from formcheck.types import PoseSequence

pytestmark = [pytest.mark.integration]

CFG = Config()
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SYNTH = SHARED / "synthetic"
BODIES = SHARED / "synthetic_bodies"
ROLLS = (-5.0, -3.0, 3.0, 5.0)
# The issue's target not reached (scripts/lobo_roll.py --e2e, docs/metrics.md §8.6): the level camera reads this
# body's standing lean error, which the correction leaves (~6 CoM points per degree); a rolled reading that lands
# below ROLL_CORRECT_MIN_DEG is not corrected at all (±3°, 16-19 points).
TARGET_NOT_REACHED = {
    "dev_good_side_l_2-05-1-05": "level reads +1.9°: CoM off 12.4 points at ±5°/+3°, 19.2 at -3° (not corrected)",
    "dev_michelle_good_obl30front_l_15-05-13-04": "level reads -1.3°: CoM off 8.3 at ±5°/-3°, 19.2 at +3°",
    "dev_michelle_good_side_l_chest_12-04-12-04": "level reads -1.1°: CoM off 6.2 at ±5°/-3°, 16.7 at +3°",
    "dev_michelle_good_side_r_18-05-14-04": "level reads +1.1°: CoM off 6.4 at ±5°/+3°, 17.3 + other cues at -3°",
    "dev_michelle_progressive_side_l_5-35": "level reads -1.7°: CoM off 9.3 at ±5°/-3°, 16.8 at +3°",
    "dev_michelle_squat_side_r_16-04-12-04": "level reads +1.0°: CoM off 5.4 at ±5°/+3°, 15.6 + other cues at -3°",
    "dev_michelle_stoop_side_l_15-05-15-03": "level reads -1.7°: CoM off 10.0 at ±5°/-3°, 17.2 at +3°",
    "dev_xbot_good_obl30front_r_16-06-14-04": "level reads -0.6°: CoM off 3.8 points at ±3°/±5°",
    "dev_xbot_good_side_l_1-03-1-03": "level reads -0.7°: CoM off 4.7-4.8 points at ±3°/±5°",
}


def _results(seq: PoseSequence) -> dict[float, HingeRollOutcome]:
    return {0.0: hinge_roll_outcome(seq, CFG), **{d: hinge_roll_outcome(rolled_sequence(seq, d), CFG) for d in ROLLS}}


def _check(res: dict[float, HingeRollOutcome], com_tol: float, rolls: tuple[float, ...]) -> None:
    level = res[0.0]
    assert not level.roll_cue
    for d in ROLLS:
        assert res[d].reps == level.reps, d
    for d in (-5.0, 5.0):
        assert res[d].roll_cue, d
    for d in rolls:
        assert res[d].form == level.form, d
        com, com_level = res[d].com_bottom_pct_foot, level.com_bottom_pct_foot
        assert np.nanmax(np.abs(com - com_level)) <= com_tol, (d, com, com_level)


def test_bundled_sample_rolled(sample_video):
    from formcheck.io.cache import cached_extract

    res = _results(cached_extract(sample_video, CFG))
    assert abs(res[0.0].roll_deg) < 0.5
    _check(res, 3.0, ROLLS)


def _rendered_clips() -> list[Path]:
    out = sorted(SYNTH.glob("dev_*side*.mp4")) if SYNTH.is_dir() else []
    return out + (sorted(BODIES.glob("dev_*.mp4")) if BODIES.is_dir() else [])


@functools.cache
def _clip_results(clip: Path) -> dict[float, HingeRollOutcome]:
    from formcheck.io.cache import cached_extract

    return _results(cached_extract(clip, CFG))


@pytest.mark.shared
@pytest.mark.parametrize("clip", _rendered_clips(), ids=lambda p: p.stem)
def test_rendered_clip_rolled(clip, synthetic_dir):
    res = _clip_results(clip)
    r0 = res[0.0].roll_deg
    for d, r in res.items():  # against the truth: the rendered camera is level, so the true roll is the applied one
        assert abs(r.roll_deg - d) < 2.0, (d, r.roll_deg)  # a level camera reads its body's lean error only
        assert r.roll_deg - d == pytest.approx(r0, abs=0.05), d  # the reading turns with the picture
    _check(res, 6.0 * abs(r0) + 1.0, (-5.0, 5.0))


@pytest.mark.shared
@pytest.mark.parametrize(
    "clip",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=TARGET_NOT_REACHED[c.stem]))
        if c.stem in TARGET_NOT_REACHED
        else c
        for c in _rendered_clips()
    ],
    ids=lambda p: p.stem,
)
def test_rendered_clip_issue_target(clip, synthetic_dir):
    _check(_clip_results(clip), 3.0, ROLLS)


def test_target_list_names_real_clips(synthetic_dir):
    if not BODIES.is_dir():
        pytest.skip("shared rendered bodies (../shared/synthetic_bodies) not present")
    assert set(TARGET_NOT_REACHED) <= {c.stem for c in _rendered_clips()}
