"""Camera roll on the bundled sample and the rendered hinge clips of all three development bodies (issue 10): their
landmarks, back outlines and the room's straight lines (the ``scene_lines`` probe) turned by ±3° and ±5° about the
image centre, as a rolled phone would film them (tests/unit/probes/test_probes_scene.py turns the frames themselves).

Truth: the renderer's camera is level, so the roll of a clip turned by ``d`` is ``d``. Asserted on every rendered
clip (soldier in ``../shared/synthetic``, michelle and xbot in ``../shared/synthetic_bodies``): the roll read is
within 0.5° of the applied roll (the room's level lines agree with the body line, so theirs is used; the body line
alone read a level camera up to 1.9° off) and turns exactly with the picture; the same rep count everywhere; a
``setup.camera_roll`` cue at ±5° and none on the level camera; at ±5° (corrected) the same form cues and the bottom
CoM within 6 points per degree of the level camera's own roll reading + 1. The issue's target itself (same cues and
CoM within 3 points at ±3° and ±5°) on the bundled sample and on every rendered clip: all 19 reach it now (9 were
strict xfails with the body line alone; ``scripts/lobo_roll.py --scene``, docs/metrics.md §8.6). Each clip is
extracted once per run with the hinge's probes and the room's lines (pose cache) and analysed 5 times.
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
PROBES = ("dorsal_outline", "scene_lines")  # the hinge's own probes (hinge_spec) and the room's lines
# The issue's target not reached (scripts/lobo_roll.py --scene, docs/metrics.md §8.6): strict xfails with the measured
# figure. Before the room's lines were read (body line alone) these were 9 of the 19 rendered clips; with them none.
TARGET_NOT_REACHED: dict[str, str] = {}


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

    res = _results(cached_extract(sample_video, CFG, probes=PROBES))
    assert abs(res[0.0].roll_deg) < 0.5
    _check(res, 3.0, ROLLS)


def _rendered_clips() -> list[Path]:
    out = sorted(SYNTH.glob("dev_*side*.mp4")) if SYNTH.is_dir() else []
    return out + (sorted(BODIES.glob("dev_*.mp4")) if BODIES.is_dir() else [])


@functools.cache
def _clip_results(clip: Path) -> dict[float, HingeRollOutcome]:
    from formcheck.io.cache import cached_extract

    return _results(cached_extract(clip, CFG, probes=PROBES))


@pytest.mark.shared
@pytest.mark.parametrize("clip", _rendered_clips(), ids=lambda p: p.stem)
def test_rendered_clip_rolled(clip, synthetic_dir):
    res = _clip_results(clip)
    r0 = res[0.0].roll_deg
    for d, r in res.items():  # against the truth: the rendered camera is level, so the true roll is the applied one
        # the room's level lines read it (the body line alone was off by its body's lean error, up to 1.9°)
        assert abs(r.roll_deg - d) < 0.5, (d, r.roll_deg)
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
