"""Bird-dog against the synthetic generator's truth (analyzers.alternating_floor_synth).

The generator poses a stick figure by joint angles (the hip on a minimum-jerk profile, the knee and the arm on
their own raised-cosine profiles, the trunk rocking 1.5° at full reach), so the thigh reach the analyzer counts
on, the leg and arm elevations it reports and the side it names are consequences of the pose, measured on the
figure as truth. MediaPipe's labelling faults seen on the rendered clips are reproduced on purpose: both leg
labels on the moving leg, and a far leg flicking between two guesses.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers import bird_dog
from formcheck.analyzers.alternating_floor_synth import AltRep, bird_dog_clip
from formcheck.config import Config
from formcheck.engine.registry import get_spec
from formcheck.types import LM

sys.path.insert(0, str(Path(__file__).parent))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues helper

CFG = Config()
PHASE_TOL_S = 0.1
ANGLE_TOL_DEG = 1.0  # pixel noise 0.5 px and smoothing only

analyse = functools.partial(fc_analysis.analyse, bird_dog.SPEC, cfg=CFG)
codes = fc_analysis.cue_codes


# (reps, first arm, facing, fps)
@pytest.mark.parametrize(
    ("reps", "first", "facing", "fps"),
    [
        ([AltRep()] * 3, "right", 1.0, 30.0),
        ([AltRep()] * 4, "left", -1.0, 30.0),
        ([AltRep(hold_s=0.6), AltRep(hold_s=3.0, reach_s=2.0)], "left", 1.0, 25.0),
    ],
)
def test_reps_sides_holds_and_reach_match_truth(reps, first: str, facing: float, fps: float) -> None:
    clip = bird_dog_clip(reps=reps, first_arm=first, facing=facing, fps=fps)
    an = analyse(clip.seq)
    tr = clip.truth
    assert len(an.reps) == len(reps)
    for r, p, side, arm, leg, hold in zip(an.reps, tr.phases, tr.arm_side, tr.arm_elev_deg, tr.leg_elev_deg,
                                          tr.hold_s, strict=True):  # fmt: skip
        assert r.side == side and r.metrics["side_from"] == "legs"
        assert abs(r.start_s - p["start_s"]) <= PHASE_TOL_S and abs(r.end_s - p["end_s"]) <= PHASE_TOL_S
        assert abs(r.hold_s - hold) <= PHASE_TOL_S
        assert abs(r.metrics["arm_reach_deg"] - arm) <= ANGLE_TOL_DEG
        assert abs(r.metrics["leg_reach_deg"] - leg) <= ANGLE_TOL_DEG
    assert an.summary["reps_left"] + an.summary["reps_right"] == len(reps)


def _both_legs_on_the_moving_leg(clip, rep: int):
    """MediaPipe's fault on the rendered side-view clip: both leg labels on the raised leg during one rep."""
    seq, p = clip.seq, clip.truth.phases[rep]
    moving = "LEFT" if clip.truth.arm_side[rep] == "right" else "RIGHT"
    other = "RIGHT" if moving == "LEFT" else "LEFT"
    lm = np.array(seq.landmarks)
    sel = (seq.t_s >= p["start_s"]) & (seq.t_s <= p["end_s"])
    for j in ("HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX"):
        lm[sel, LM[f"{other}_{j}"]] = lm[sel, LM[f"{moving}_{j}"]]
    return dataclasses.replace(seq, landmarks=lm)


def test_side_by_alternation_when_both_leg_labels_rose() -> None:
    clip = bird_dog_clip(n_reps=3, first_arm="right")
    an = analyse(_both_legs_on_the_moving_leg(clip, 1))
    assert [r.side for r in an.reps] == clip.truth.arm_side
    assert [r.metrics["side_from"] for r in an.reps] == ["legs", "alternation", "legs"]


def test_side_unknown_when_no_rep_tells_it() -> None:
    clip = bird_dog_clip(n_reps=1, first_arm="left")
    an = analyse(_both_legs_on_the_moving_leg(clip, 0))
    assert len(an.reps) == 1 and an.reps[0].side is None and an.reps[0].metrics["side_from"] == "unknown"


def test_far_leg_flicker_does_not_split_a_rep() -> None:
    """The moving leg read back at rest every third or fourth frame at full reach (the rendered dead bug's far
    knee did this for 1.5 s): still one rep per reach."""
    clip = bird_dog_clip(n_reps=2, first_arm="right")
    rest = bird_dog_clip(reps=[AltRep()], lead_s=30.0).seq  # the same figure at rest throughout
    lm = np.array(clip.seq.landmarks)
    for p, arm in zip(clip.truth.phases, clip.truth.arm_side, strict=True):
        leg = "LEFT" if arm == "right" else "RIGHT"
        idx = np.flatnonzero((clip.seq.t_s >= p["bottom_start_s"]) & (clip.seq.t_s <= p["bottom_end_s"]))
        for k in idx[::4].tolist() + idx[1::7].tolist():
            for j in ("KNEE", "ANKLE"):
                lm[k, LM[f"{leg}_{j}"]] = rest.landmarks[0, LM[f"{leg}_{j}"]]
    an = analyse(dataclasses.replace(clip.seq, landmarks=lm))
    assert [r.side for r in an.reps] == clip.truth.arm_side


# (rep faults, cue expected, cues not expected)
@pytest.mark.parametrize(
    ("rep", "want", "not_want"),
    [
        (AltRep(), set(), {"bird_dog.leg_high", "bird_dog.leg_short", "bird_dog.trunk_tilt", "bird_dog.trunk_shift"}),
        (AltRep(leg_extra_deg=25.0), {"bird_dog.leg_high"}, {"bird_dog.leg_short"}),
        (AltRep(leg_extra_deg=-35.0), {"bird_dog.leg_short"}, {"bird_dog.leg_high"}),
        (AltRep(hip_shift_m=-0.08), {"bird_dog.trunk_shift", "bird_dog.trunk_tilt"}, {"bird_dog.leg_high"}),
        (AltRep(reach_s=0.6, return_s=0.6, hold_s=0.5), {"bird_dog.reach_fast", "bird_dog.return_fast",
                                                          "bird_dog.short_hold"}, set()),
    ],
)  # fmt: skip
def test_fault_cues(rep: AltRep, want: set[str], not_want: set[str]) -> None:
    an = analyse(bird_dog_clip(reps=[rep, rep]).seq)
    got = codes(an)
    assert want <= got and not (not_want & got), got
    if not want:
        assert "praise.clean" in got


def test_hip_shift_and_trunk_tilt_follow_the_figure() -> None:
    clip = bird_dog_clip(reps=[AltRep(hip_shift_m=-0.05)] * 2)
    an = analyse(clip.seq)
    trunk_m = float(np.hypot(*(bird_dog_truth_shoulder() - bird_dog_truth_hip())))
    for r in an.reps:
        assert r.metrics["hip_shift_pct"] == pytest.approx(-100 * 0.05 / trunk_m, abs=1.5)
        want_tilt = math.degrees(math.atan2(0.05, 0.5)) + 1.5  # hips 5 cm lower over 0.5 m, plus the 1.5° rock
        assert r.metrics["trunk_tilt_change_deg"] == pytest.approx(want_tilt, abs=1.0)


def bird_dog_truth_hip() -> np.ndarray:
    from formcheck.analyzers.alternating_floor_synth import BIRD_DOG

    return BIRD_DOG.hip


def bird_dog_truth_shoulder() -> np.ndarray:
    from formcheck.analyzers.alternating_floor_synth import BIRD_DOG

    return BIRD_DOG.shoulder


def test_threshold_comes_from_config() -> None:
    seq = bird_dog_clip(reps=[AltRep(leg_extra_deg=10.0)] * 2).seq
    assert "bird_dog.leg_high" not in codes(analyse(seq))
    cfg = CFG.replace_exercise("bird_dog", leg_high_max_deg=5.0)
    assert "bird_dog.leg_high" in codes(analyse(seq, cfg=cfg))


def test_clip_opening_mid_reach_counts_that_rep_with_unseen_reach() -> None:
    clip = bird_dog_clip(n_reps=3, first_arm="right", lead_s=0.5)
    p0 = clip.truth.phases[0]
    keep = clip.seq.t_s >= p0["bottom_start_s"] - 0.4  # the clip opens near the end of the first reach
    seq = clip.seq
    cut = dataclasses.replace(seq, landmarks=seq.landmarks[keep], world=seq.world[keep], t_s=seq.t_s[keep],
                              n_people=seq.n_people[keep], probes={})  # fmt: skip
    an = analyse(cut)
    assert [r.side for r in an.reps] == clip.truth.arm_side
    first = an.reps[0]
    assert math.isnan(first.eccentric_s) and math.isnan(first.hold_s)
    assert abs(first.end_s - p0["end_s"]) <= PHASE_TOL_S


def test_nobody_and_rest_only() -> None:
    clip = bird_dog_clip(n_reps=1)
    lm = np.full_like(clip.seq.landmarks, np.nan)
    an = analyse(dataclasses.replace(clip.seq, landmarks=lm, world=lm.copy()))
    assert an.reps == () and an.quality.warnings
    still = bird_dog_clip(reps=[AltRep()], lead_s=8.0).seq
    still = dataclasses.replace(still, landmarks=still.landmarks[:200], world=still.world[:200],
                                t_s=still.t_s[:200], n_people=still.n_people[:200])  # fmt: skip
    assert analyse(still).reps == ()


HINGE_ONLY = ("hip_share", "spine_flexion_est", "com_max_pct_foot", "hip_back_cm", "Hip share", "Back rounding")


def test_csv_report_and_cli_show_the_bird_dogs_own_measures() -> None:
    from formcheck.cli import format_rep_table
    from formcheck.report.content import rep_headers
    from formcheck.report.tabular import csv_text

    an = analyse(bird_dog_clip(n_reps=2).seq)
    header = csv_text(an, CFG).splitlines()[0]
    spec = get_spec("bird_dog")
    for m in spec.metric_specs("csv", "rep"):
        assert m.key in header or m.short in header or m.label in header, m.key
    headers = " ".join(rep_headers(an))
    assert "Leg" in headers and "Trunk tilt" in headers
    for bad in HINGE_ONLY:
        assert bad not in header and bad not in headers, bad
    table = format_rep_table(an, CFG)
    assert "right" in table and "hip share" not in table.lower()
    for m in spec.metric_specs("overlay", "series"):
        assert m.key in an.series and np.any(np.isfinite(an.series[m.key]))


def test_no_trunk_claim_without_the_trunk() -> None:
    # Shoulders and arms (11-22) unknown: the leg is still measured (hip to ankle), the trunk is not. The trunk is
    # a judged value, so the rep was not fully checked: no "clean" praise at all (cues.judged_all), and nothing
    # said about the trunk.
    an = analyse(fc_analysis.without_trunk(bird_dog_clip(reps=[AltRep()] * 2).seq))
    assert an.reps and all(not math.isfinite(r.metrics.get("trunk_tilt_change_deg", math.nan)) for r in an.reps)
    assert all(math.isfinite(float(r.metrics["leg_reach_deg"])) for r in an.reps)
    assert not [c.message for c in an.cues if c.code == "praise.clean" or "trunk" in c.message.lower()]
