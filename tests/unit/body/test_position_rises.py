"""A squat that goes up and down is a standing set even when its bottoms (which read seated frame by frame) outlast its
tops; a seated set that stands up once at its end, or whose labels flicker, stays seated.

Known truth: the synthetic squat figure (:func:`formcheck.analyzers.squat_synth.squat_clip`, a standing exercise) and
the seated hinge figure (:func:`formcheck.analyzers.hinge_positions_synth.seated_clip`), plus label sequences whose
truth is stated.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analyzers.hinge_positions_synth import seated_clip
from formcheck.analyzers.squat_synth import SquatRep, squat_clip
from formcheck.body.position import Position, classify_position, position_of_labels, rises_to_standing

FS = 30.0


def _labels(*runs: tuple[str, float]) -> tuple[np.ndarray, np.ndarray]:
    lab = np.concatenate([[p] * int(round(s * FS)) for p, s in runs]).astype(object)
    return lab, np.arange(lab.size) / FS


@pytest.mark.parametrize("tempo", [(3.0, 3.0, 2.0, 0.0), (2.0, 4.0, 2.0, 0.2)])
def test_a_paused_deep_squat_set_is_standing(tempo):
    # Bottoms held 3-4 s, no rest at the top: fewer than a third of the frames stand (the old rule read it seated).
    clip = squat_clip([SquatRep(knee_deg=130.0, shin_deg=42.0, pelvis_deg=40.0)] * 4, tempo=tempo, lead_in_s=0.3,
                      lead_out_s=0.3, noise_px=0.5, seed=2)  # fmt: skip
    world, t = clip.seq.world, clip.seq.t_s
    before = classify_position(world)  # no times: the stand-ups are not counted (the old rule)
    assert before.fractions["standing"] < 1 / 3 and before.position is Position.SEATED
    est = classify_position(world, t_s=t)
    assert est.position is Position.STANDING
    assert "standing up" in est.reason


def test_a_seated_hinge_set_stays_seated():
    clip = seated_clip(n_reps=3, noise_px=0.5, seed=1)
    assert classify_position(clip.seq.world, t_s=clip.seq.t_s).position is Position.SEATED


@pytest.mark.parametrize(
    ("runs", "rises", "position"),
    [
        # A seated set that ends getting up from the chair: one stand-up.
        ((("seated", 20.0), ("standing", 4.0)), 1, "seated"),
        # Walked in, sat for the set, stood up to leave.
        ((("standing", 3.0), ("seated", 20.0), ("standing", 3.0)), 1, "seated"),
        # Opened at the bottom of a squat (a box start), then squats whose bottoms outlast their tops.
        ((("seated", 3.0), ("standing", 0.6), ("seated", 2.0), ("standing", 0.6), ("seated", 2.0),
          ("standing", 0.6)), 3, "standing"),
        # A lunge whose bottoms read kneeling.
        ((("standing", 0.5), ("kneeling", 2.0), ("standing", 0.5), ("kneeling", 2.0), ("standing", 0.5)), 2,
         "standing"),
    ],
)  # fmt: skip
def test_stand_ups_decide_between_seated_and_a_movement_on_the_feet(runs, rises, position):
    lab, t = _labels(*runs)
    assert rises_to_standing(lab, t) == rises
    assert position_of_labels(lab, t).position == position


def test_label_flicker_is_not_a_stand_up():
    # A seated set misread standing for one or two frames now and then (< RUN_MIN_S each): no stand-up, seated.
    lab, t = _labels(("seated", 20.0))
    lab[np.arange(15, lab.size, 45)] = "standing"
    lab[np.arange(16, lab.size, 90)] = "standing"
    lab[np.arange(30, lab.size, 60)] = "unknown"
    assert rises_to_standing(lab, t) == 0
    assert position_of_labels(lab, t).position is Position.SEATED
