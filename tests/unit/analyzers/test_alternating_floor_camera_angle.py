"""Bird-dog and dead bug from a camera raised above the floor or turned toward the head or feet (floor_view).

Truth by construction: the generators' clips (alternating_floor_synth) re-projected by a camera at a known angle
(fc_camera), the true angle from side-on computed from the turn itself. Beyond 23° (a priori, the bridge's) the
image angles and heights are foreshortened by an amount the picture does not tell: the leg and trunk cues and the
praise are withheld with a plain warning naming the angle, the numbers are kept and shown "(not judged)", reps,
sides and tempo stay. Near side-on, nothing changes. The old code cued these faults and praised the clean sets from
every angle and gave no warning.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from formcheck import cues as cue_engine
from formcheck.analyzers import bird_dog, dead_bug
from formcheck.analyzers.alternating_floor_synth import AltRep, bird_dog_clip, dead_bug_clip
from formcheck.config import Config
from formcheck.engine.viewjudged import not_judged_keys
from formcheck.types import Analysis

sys.path.insert(0, str(Path(__file__).parent))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues and streaming helpers
import fc_camera  # noqa: E402 - a generator's clip seen from a raised or turned camera

CFG = Config()
EXERCISES = {"bird_dog": (bird_dog, bird_dog_clip), "dead_bug": (dead_bug, dead_bug_clip)}
FORM = {
    "bird_dog": {"bird_dog.leg_high", "bird_dog.leg_short", "bird_dog.trunk_tilt", "bird_dog.trunk_shift"},
    "dead_bug": {"dead_bug.hips_lift", "dead_bug.trunk_tilt", "dead_bug.trunk_length", "dead_bug.leg_short"},
}
WARNING_START = {"bird_dog": "Can't tell the leg's height or a level trunk from this camera angle",
                 "dead_bug": "Can't tell how far the leg extends or whether the trunk stays still from this camera "
                             "angle"}  # fmt: skip
# (exercise, the rep's fault, the form cue it earns side-on)
FAULTS = [
    ("bird_dog", AltRep(leg_extra_deg=25.0), "bird_dog.leg_high"),
    ("bird_dog", AltRep(leg_extra_deg=-35.0), "bird_dog.leg_short"),
    ("bird_dog", AltRep(hip_shift_m=-0.08), "bird_dog.trunk_shift"),
    ("dead_bug", AltRep(hip_shift_m=0.06), "dead_bug.hips_lift"),
    ("dead_bug", AltRep(leg_extra_deg=-45.0), "dead_bug.leg_short"),
]
# (pitch deg: raised above the floor, yaw deg: turned toward the head or feet); true angles 30, 30, 31.6, 35.
OBLIQUE = [(30.0, 0.0), (0.0, 30.0), (20.0, 25.0), (35.0, 0.0)]
# True angles 0, 10, 12: side (clear of the 23° boundary by more than the turned camera's overestimate).
SIDE = [(0.0, 0.0), (10.0, 0.0), (0.0, 12.0)]


def _clip(exercise: str, rep: AltRep, camera: tuple[float, float], facing: float = 1.0):
    _, make = EXERCISES[exercise]
    pitch, yaw = camera
    return fc_camera.seen_from(make(reps=[rep, rep], facing=facing, noise_px=0.0), pitch_deg=pitch, yaw_deg=yaw)


def _analyse(exercise: str, clip) -> Analysis:
    return fc_analysis.analyse(EXERCISES[exercise][0].SPEC, clip.seq, CFG)


def _angle_warnings(exercise: str, warnings) -> list[str]:
    return [w for w in warnings if w.startswith(WARNING_START[exercise])]


def test_the_cases_stay_clear_of_the_boundary() -> None:
    assert all(fc_camera.off_side_deg(*c) > 23.0 + 5.0 for c in OBLIQUE)
    assert all(fc_camera.off_side_deg(*c) < 23.0 - 10.0 for c in SIDE)


@pytest.mark.parametrize("camera", OBLIQUE)
@pytest.mark.parametrize(("exercise", "rep", "cue"), FAULTS)
def test_an_oblique_camera_withholds_the_form_cues_with_a_plain_warning(exercise, rep, cue, camera) -> None:
    clip = _clip(exercise, rep, camera)
    an = _analyse(exercise, clip)
    got = fc_analysis.cue_codes(an)
    assert not (got & FORM[exercise]) and "praise.clean" not in got, got
    # Reps and sides stay; each rep carries the camera's angle: raised, read exactly; turned, the trunk shortens too
    # and it reads up to asin(tan) of the true angle (lying_view's documented overestimate: errs toward withholding).
    assert len(an.reps) == 2 and [r.side for r in an.reps] == clip.truth.arm_side
    truth = fc_camera.off_side_deg(*camera)
    most = math.degrees(math.asin(math.tan(math.radians(truth))))
    assert all(truth - 1.0 <= r.metrics["view_off_side_deg"] <= most + 1.0 for r in an.reps), an.reps[0].metrics
    assert an.quality.view == "oblique"
    said = _angle_warnings(exercise, an.quality.warnings)
    assert len(said) == 1 and f"about {an.reps[0].metrics['view_off_side_deg']:.0f}° from side-on" in said[0]
    assert "Film from the side" in said[0]
    # The fault's number is still measured and shown, marked "(not judged)" in every table.
    off = not_judged_keys(EXERCISES[exercise][0].SPEC, an.reps[0].metrics, "rep", an.quality.view, CFG)
    metric = next(r.metric for r in EXERCISES[exercise][0].SPEC.rules if r.code == cue)
    assert metric in off and math.isfinite(an.reps[0].metrics[metric])


@pytest.mark.parametrize("camera", SIDE)
@pytest.mark.parametrize(("exercise", "rep", "cue"), FAULTS)
def test_a_camera_near_side_on_still_cues_the_fault(exercise, rep, cue, camera) -> None:
    an = _analyse(exercise, _clip(exercise, rep, camera))
    assert [c.code for c in an.cues].count(cue) == 2  # each rep
    assert an.quality.view == "side"
    assert not _angle_warnings(exercise, an.quality.warnings)
    assert not_judged_keys(EXERCISES[exercise][0].SPEC, an.reps[0].metrics, "rep", "side", CFG) == frozenset()


@pytest.mark.parametrize("facing", [1.0, -1.0])
@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_a_clean_set_is_praised_side_on_only(exercise: str, facing: float) -> None:
    side = fc_analysis.cue_codes(_analyse(exercise, _clip(exercise, AltRep(), (0.0, 0.0), facing)))
    assert "praise.clean" in side
    raised = _analyse(exercise, _clip(exercise, AltRep(), (30.0, 0.0), facing))
    assert not (fc_analysis.cue_codes(raised) & (FORM[exercise] | {"praise.clean"}))
    assert _angle_warnings(exercise, raised.quality.warnings)


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_tempo_cues_stay_from_an_oblique_camera(exercise: str) -> None:
    fast = AltRep(reach_s=0.6, return_s=0.6, hold_s=0.3)
    side = {c.code for c in _analyse(exercise, _clip(exercise, fast, (0.0, 0.0))).cues if c.code.endswith("_fast")}
    raised = {c.code for c in _analyse(exercise, _clip(exercise, fast, (30.0, 0.0))).cues if c.code.endswith("_fast")}
    assert len(side) == 2 and raised == side


def _live(exercise: str, clip) -> tuple[Analysis, list[str]]:
    """The streaming analyzer fed the clip: its finished set and the cues of each rep as it finished."""
    fin, states = fc_analysis.stream(EXERCISES[exercise][0].SPEC, clip.seq, CFG)
    return fin, [c.code for s in states if s.new_rep is not None for c in cue_engine.live_rep_cues(s, CFG)]


@pytest.mark.parametrize(("exercise", "rep", "cue"), [FAULTS[0], FAULTS[3]])
def test_live_reps_are_judged_by_the_set_s_camera_angle_as_in_batch(exercise, rep, cue) -> None:
    # Live, the view is the standing width check's ("side" for a raised camera): each finished rep carries the
    # set's camera angle so far, so its cues are withheld as batch withholds them, and the set ends with the warning.
    fin, codes = _live(exercise, _clip(exercise, rep, (30.0, 0.0)))
    assert len(fin.reps) == 2
    assert not (set(codes) & (FORM[exercise] | {"praise.clean"})), codes
    assert all(r.metrics["view_off_side_deg"] == pytest.approx(30.0, abs=1.0) for r in fin.reps)
    assert len(_angle_warnings(exercise, fin.quality.warnings)) == 1
    fin, codes = _live(exercise, _clip(exercise, rep, (0.0, 0.0)))
    assert codes.count(cue) == 2 and not _angle_warnings(exercise, fin.quality.warnings)
