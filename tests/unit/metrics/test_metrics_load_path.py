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
    load_path_series,
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
    [(-81.0, False), (-53.0, False), (-21.0, False), (-20.0, True), (45.0, True), (120.0, True), (121.0, False),
     (134.0, False), (137.0, False), (149.0, False), (207.0, False)],
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


# --- one rule for every output (issue 10, user-eyes check: "CoM % foot 137-149", "23-134") --------------------------


def test_time_outside_never_exceeds_the_rep() -> None:
    # A 3.00 s rep at 30 fps (91 samples) wholly off the midfoot: 3.00 s outside, not 3.03 (the sum of
    # np.gradient over every sample counted one frame too many).
    t = np.arange(91) / 30.0
    ex = band_excursions(np.full(91, 80.0), t, (30.0, 60.0))
    assert ex["time_outside_midfoot_s"] == pytest.approx(3.0)
    assert ex["time_outside_midfoot_s"] <= t[-1] - t[0] + 1e-9


@pytest.mark.parametrize(("start_s", "end_s"), [(1.0, 2.0), (0.0, 0.5), (2.5, 3.0), (0.4, 2.9)])
def test_time_outside_is_the_time_off_the_midfoot(start_s: float, end_s: float) -> None:
    # Known truth: the CoM is at 80 % (past the 60 % band) from start_s to end_s, at 45 % otherwise.
    t = np.arange(0, 3.0 + 1e-9, 1 / 30.0)
    pct = np.where((t >= start_s - 1e-9) & (t <= end_s + 1e-9), 80.0, 45.0)
    got = band_excursions(pct, t, (30.0, 60.0))["time_outside_midfoot_s"]
    assert got == pytest.approx(end_s - start_s, abs=1 / 30.0)


def test_band_excursions_ignore_raw_values_outside_the_physical_range() -> None:
    # A caller passing raw % (not through pct_of_foot) still gets no impossible extreme: 137-149 % is not a reading.
    t = np.arange(10) * 0.1
    pct = np.array([40, 50, 137, 149, 60, 55, 45, 40, 42, 41], float)
    ex = band_excursions(pct, t, (30.0, 60.0), foot_len_cm=25.0)
    assert ex["com_max_pct_foot"] == 60.0 and ex["toes_excess_cm"] == 0.0
    pct[:6] = 140.0  # most of the rep unreadable: no CoM and no centimetres
    assert all(math.isnan(v) for v in band_excursions(pct, t, (30.0, 60.0), foot_len_cm=25.0).values())


def test_excess_cm_from_the_whole_foot() -> None:
    # 20 % past the 60 % front of the band on a 25 cm foot = 5 cm; heels 30 - 20 = 10 % = 2.5 cm.
    t = np.arange(5) * 0.1
    ex = band_excursions(np.array([40, 80, 50, 20, 40.0]), t, (30.0, 60.0), foot_len_cm=25.0)
    assert ex["toes_excess_cm"] == pytest.approx(5.0) and ex["heels_excess_cm"] == pytest.approx(2.5)
    assert math.isnan(band_excursions(np.array([40, 80, 50.0]), t[:3], (30.0, 60.0))["toes_excess_cm"])


def _foot_px(n: int, foot_px: float) -> object:
    p = np.full((n, 33, 2), np.nan)
    p[:, LM.LEFT_HEEL] = [200, 400]
    p[:, LM.LEFT_FOOT_INDEX] = [200 + 0.75 * foot_px, 400]
    return foot_frame_px(p, "left", 1.0, foot_index_frac=0.75)


@pytest.mark.parametrize(
    ("foot_cm", "told"),
    [(26.0, True), (23.0, True), (19.0, True), (17.0, False), (12.5, False)],
)  # 170 cm: a whole foot is 0.152 * 170 = 25.8 cm; under 0.7 of that it is foreshortened (turned > 45 deg)
def test_a_foreshortened_foot_gives_no_load_path(foot_cm: float, told: bool) -> None:
    ppc = 4.0  # px per cm
    foot = _foot_px(30, foot_cm * ppc)
    com_x = 200.0 + 0.5 * foot_cm * ppc * np.ones(30)  # over the middle of the foot (50 %)
    lp = load_path_series(com_x, foot, 1.0, px_per_cm=ppc, height_cm=170.0)
    if told:
        assert np.allclose(lp.pct, 50.0) and lp.foot_len_cm == pytest.approx(foot_cm) and lp.notes == ()
    else:
        assert np.all(np.isnan(lp.pct)) and math.isnan(lp.foot_len_cm) and lp.notes == (CANT_TELL_NOTE,)


def test_load_path_series_without_scale_keeps_the_pct_but_no_cm() -> None:
    foot = _foot_px(10, 100.0)
    lp = load_path_series(np.full(10, 250.0), foot, 1.0, px_per_cm=math.nan, height_cm=170.0)
    assert np.allclose(lp.pct, 50.0) and math.isnan(lp.foot_len_cm)


def test_the_live_hinge_uses_the_same_range() -> None:
    from formcheck.analyzers import hinge
    from formcheck.metrics import load_path

    assert hinge.COM_RANGE_PCT == load_path.PHYSICAL_RANGE_PCT


def test_time_outside_stays_inside_the_reps_own_span() -> None:
    # goodmorning_oblique_kbtrainer_2 rep 6: 3.07 s off the midfoot in a 3.00 s rep. The rep's start and end fall
    # between samples (0.01 s after its first frame, 0.02 s before its last): only the time between them counts.
    t = np.arange(92) / 30.0  # frames 0 .. 3.033 s
    pct = np.full(92, 80.0)
    ex = band_excursions(pct, t, (30.0, 60.0), span_s=(0.01, 3.01))
    assert ex["time_outside_midfoot_s"] == pytest.approx(3.0)
    pct[:46] = 45.0  # on the midfoot until 1.5 s, off it after: 1.5 s (within a frame)
    got = band_excursions(pct, t, (30.0, 60.0), span_s=(0.01, 3.01))["time_outside_midfoot_s"]
    assert got == pytest.approx(3.01 - 1.5, abs=1 / 30.0)
