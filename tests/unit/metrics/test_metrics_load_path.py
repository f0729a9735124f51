"""Centre of mass (de Leva), % of foot, band excursions, scale, heel rise."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.body.roll import px_per_cm
from formcheck.metrics.load_path import (
    CANT_TELL_NOTE,
    DE_LEVA,
    band_excursions,
    center_of_mass,
    foot_frame_px,
    heel_rise_frac,
    pct_of_foot,
    range_notes,
)
from formcheck.types import LM


@pytest.mark.parametrize("sex", ["female", "male"])
def test_mass_fractions_sum_to_one(sex: str) -> None:
    t = DE_LEVA[sex]
    total = (
        t["head"][0]
        + t["trunk"][0]
        + 2 * sum(t[k][0] for k in ("upper_arm", "forearm", "hand", "thigh", "shank", "foot"))
    )
    assert total == pytest.approx(1.0, abs=2e-4)


def test_issue_mass_fractions() -> None:
    assert (DE_LEVA["female"]["head"][0], DE_LEVA["male"]["head"][0]) == (0.0668, 0.0694)
    assert (DE_LEVA["female"]["trunk"][0], DE_LEVA["male"]["trunk"][0]) == (0.4257, 0.4346)
    assert (DE_LEVA["female"]["thigh"][0], DE_LEVA["male"]["thigh"][0]) == (0.1478, 0.1416)


def stick(x_shift: float = 0.0) -> np.ndarray:
    """A symmetric standing stick figure, every landmark on x = 100 + shift (feet forward of it)."""
    p = np.full((1, 33, 2), np.nan)
    ys = {"NOSE": 50, "EAR": 55, "SHOULDER": 100, "ELBOW": 160, "WRIST": 210, "INDEX": 225, "PINKY": 225,
          "HIP": 220, "KNEE": 320, "ANKLE": 420}  # fmt: skip
    for name, y in ys.items():
        if name == "NOSE":
            p[0, LM.NOSE] = [100 + x_shift, y]
            continue
        for side in ("LEFT", "RIGHT"):
            p[0, LM[f"{side}_{name}"]] = [100 + x_shift, y]
    for side in ("LEFT", "RIGHT"):
        p[0, LM[f"{side}_HEEL"]] = [90 + x_shift, 430]
        p[0, LM[f"{side}_FOOT_INDEX"]] = [120 + x_shift, 430]
    return p


def test_com_of_a_vertical_stick_is_on_the_line_except_feet() -> None:
    com = center_of_mass(stick())
    # Only the feet stick forward (heel 90 → toe tip 130): the CoM moves forward by their mass share only.
    t = DE_LEVA["female"]
    total = (
        t["head"][0]
        + t["trunk"][0]
        + 2 * sum(t[k][0] for k in ("upper_arm", "forearm", "hand", "thigh", "shank", "foot"))
    )
    foot_mass = 2 * t["foot"][0] / total
    foot_cx = 90 + t["foot"][1] * 40
    assert com[0, 0] == pytest.approx(100 + foot_mass * (foot_cx - 100), abs=1e-9)


def test_load_in_hands_pulls_com_toward_hands() -> None:
    p = stick()
    p[0, [LM.LEFT_WRIST, LM.RIGHT_WRIST, LM.LEFT_INDEX, LM.RIGHT_INDEX, LM.LEFT_PINKY, LM.RIGHT_PINKY], 0] = 160
    a = center_of_mass(p, body_kg=70, load_kg=0)
    b = center_of_mass(p, body_kg=70, load_kg=20)
    hands = 160.0
    assert b[0, 0] == pytest.approx((70 * a[0, 0] + 20 * hands) / 90)


def test_one_side_missing_is_mirrored() -> None:
    p = stick()
    q = p.copy()
    q[0, [LM.RIGHT_KNEE, LM.RIGHT_ANKLE]] = np.nan
    assert np.allclose(center_of_mass(p), center_of_mass(q))


@pytest.mark.parametrize("facing", [1, -1])
def test_pct_of_foot(facing: int) -> None:
    p = np.full((3, 33, 2), np.nan)
    p[:, LM.LEFT_HEEL] = [200, 400]
    p[:, LM.LEFT_FOOT_INDEX] = [200 + facing * 75, 400]  # ball at 75 % of a 100 px foot
    foot = foot_frame_px(p, "left", facing, foot_index_frac=0.75)
    assert foot.foot_len_px[0] == pytest.approx(100)
    x = np.array([200.0, 200 + facing * 45, 200 + facing * 100])
    assert np.allclose(pct_of_foot(x, foot, facing), [0, 45, 100])


def test_foot_frame_from_standing_frames_ignores_foot_point_drift() -> None:
    # Standing frames 0-3; while bending (4-5) the heel point drifts 8 px toward the toes although the foot is
    # planted. With the standing baseline the reference stays put.
    p = np.repeat(stick(), 6, axis=0)
    p[4:, LM.LEFT_HEEL, 0] += 8.0
    base = np.array([True] * 4 + [False] * 2)
    fixed = foot_frame_px(p, "left", 1.0, baseline=base)
    assert np.allclose(fixed.heel_x_px, p[0, LM.LEFT_HEEL, 0])
    per_frame = foot_frame_px(p, "left", 1.0)
    assert per_frame.heel_x_px[5] == pytest.approx(p[0, LM.LEFT_HEEL, 0] + 8.0)


def test_band_excursions() -> None:
    t = np.arange(11) * 0.1
    pct = np.array([40, 45, 55, 62, 70, 62, 55, 40, 25, 35, 40], float)
    ex = band_excursions(pct, t, (30.0, 60.0))
    assert ex["com_max_pct_foot"] == 70 and ex["com_min_pct_foot"] == 25
    assert ex["toes_excess_pct"] == 10 and ex["heels_excess_pct"] == 5
    assert ex["time_outside_midfoot_s"] == pytest.approx(0.4)  # 62, 70, 62, 25
    nan = band_excursions(np.full(5, np.nan), t[:5], (30.0, 60.0))
    assert all(math.isnan(v) for v in nan.values())


def test_px_per_cm_from_height() -> None:
    p = stick()
    # thigh 100 + shank 100 + trunk 120 px = 0.7914 of stature → 170 cm gives 320 / (0.7914*170) px/cm.
    assert px_per_cm(p, "left", 170.0) == pytest.approx(320 / (0.7914 * 170), rel=1e-3)
    assert math.isnan(px_per_cm(np.full((2, 33, 2), np.nan), "left", 170.0))


def test_heel_rise_relative_to_toe() -> None:
    p = np.repeat(stick(), 4, axis=0)
    p[2:, LM.LEFT_HEEL, 1] -= 20  # heel up 20 px, toe stays
    p[3, :, 1] -= 50  # the whole body moves up in the frame (camera bump): no extra lift
    p[3, LM.LEFT_HEEL, 1] = p[3, LM.LEFT_FOOT_INDEX, 1] - 20 + 0  # still 20 px above the toe
    rise = heel_rise_frac(p, "left", np.array([True, True, False, False]), 200.0)
    assert np.allclose(rise, [0, 0, 0.1, 0.1])


def test_heel_rise_ignores_a_toe_landmark_sinking_below_the_floor() -> None:
    # MediaPipe pitches the whole foot in a deep squat: heel point up 10 px, toe point down 15 px. The toe cannot
    # go through the floor, so only the heel's own 10 px count (foot pitch alone would read 25 px).
    p = np.repeat(stick(), 3, axis=0)
    p[2, LM.LEFT_HEEL, 1] -= 10
    p[2, LM.LEFT_FOOT_INDEX, 1] += 15
    rise = heel_rise_frac(p, "left", np.array([True, True, False]), 200.0)
    assert np.allclose(rise, [0, 0, 0.05])


def _foot_100px(facing: int, n: int = 1):
    p = np.full((n, 33, 2), np.nan)
    p[:, LM.LEFT_HEEL] = [200, 400]
    p[:, LM.LEFT_FOOT_INDEX] = [200 + facing * 75, 400]
    return foot_frame_px(p, "left", facing, foot_index_frac=0.75)


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize(
    ("pct", "shown"),
    [(-81.0, False), (-53.0, False), (-50.0, True), (-20.0, True), (45.0, True), (150.0, True), (151.0, False),
     (207.0, False)],
)  # fmt: skip
def test_pct_outside_physical_range_is_never_shown(facing: int, pct: float, shown: bool) -> None:
    # Issue 10: an oblique view printed "CoM -81 to -53 % of foot". Half a foot beyond heel or toe a standing body
    # would be falling: the measurement failed there, so the value is unknown (NaN), not a position to coach.
    foot = _foot_100px(facing)
    x = np.array([200.0 + facing * pct])
    got = pct_of_foot(x, foot, facing)[0]
    assert (got == pytest.approx(pct)) if shown else math.isnan(got)
    assert pct_of_foot(x, foot, facing, physical_range=None)[0] == pytest.approx(pct)


def test_range_note_when_many_frames_fall_outside() -> None:
    foot = _foot_100px(1, 50)
    inside = 200.0 + np.linspace(20, 70, 50)
    assert range_notes(inside, foot, 1) == []
    bad = inside.copy()
    bad[:10] = 200.0 - 80.0  # a fifth of the frames at -80 %
    assert range_notes(bad, foot, 1) == [CANT_TELL_NOTE]
    assert range_notes(np.full(50, np.nan), foot, 1) == []


def test_band_excursions_need_half_the_rep_known() -> None:
    t = np.arange(10) * 0.1
    pct = np.array([40, 45, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 70, 40], float)
    assert all(math.isnan(v) for v in band_excursions(pct, t, (30.0, 60.0)).values())
    pct[2:5] = 50.0  # 7 of 10 known
    assert band_excursions(pct, t, (30.0, 60.0))["com_max_pct_foot"] == 70.0
