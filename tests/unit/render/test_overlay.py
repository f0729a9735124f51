"""Overlay drawing: what is drawn where, on synthetic frames with a known stick figure."""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers.base import LiveState
from formcheck.config import Config
from formcheck.render.overlay import BAD_BGR, GOOD_BGR, SEVERITY_BGR, draw_overlay, verdict_key
from formcheck.render.text import text_mask, wrap
from formcheck.types import LM, Cue

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from fc_report_builders import figure_landmarks_px  # noqa: E402

CFG = Config()


def live(lm=None, phase="eccentric", **values) -> LiveState:
    base = {"trunk_inclination_deg": 40.0, "hip_flexion_deg": 60.0, "knee_flexion_deg": 15.0,
            "spine_flexion_est_deg": 4.0, "com_pct_foot": 45.0, "phase_elapsed_s": 1.2}  # fmt: skip
    base.update(values)
    return LiveState(t_s=3.0, phase=phase, rep_count=2, ready=True, setup_message=None, values=base,
                     landmarks_px=lm, side_used="right")  # fmt: skip


def blank(h=480, w=640) -> np.ndarray:
    return np.full((h, w, 3), 50, np.uint8)


def color_fraction(img: np.ndarray, bgr, tol=40, region=None) -> float:
    sub = img if region is None else img[region]
    d = np.abs(sub.astype(int) - np.array(bgr)).max(axis=-1)
    return float((d <= tol).mean())


def test_returns_copy_same_shape_and_draws_something():
    frame = blank()
    out = draw_overlay(frame, live(figure_landmarks_px(40, 15, 640, 480)), None, "Side view ✓", CFG)
    assert out.shape == frame.shape and out.dtype == np.uint8
    assert np.all(frame == 50)  # input untouched
    assert (out != 50).any(axis=2).mean() > 0.02


def test_banner_uses_severity_colour_and_sits_at_the_bottom_when_feet_allow():
    lm = figure_landmarks_px(40, 15, 640, 480)
    lm[:, 1] -= 120  # lift the figure so the feet are well above the bottom edge
    cue = Cue("spine.rounding", "safety", "Keep your back long — it rounded about 18°", 10)
    out = draw_overlay(blank(), live(lm), cue, None, CFG)
    bottom = (slice(435, 465), slice(20, 620))
    top = (slice(80, 150), slice(20, 620))
    assert color_fraction(out, SEVERITY_BGR["safety"], region=bottom) > 0.5
    assert color_fraction(out, SEVERITY_BGR["safety"], region=top) < 0.05


def test_banner_moves_to_the_top_when_feet_are_at_the_bottom():
    lm = figure_landmarks_px(40, 15, 640, 480)  # feet at 90% of the height
    cue = Cue("praise.clean", "praise", "Good hinge: hips 80%, back steady", 90)
    out = draw_overlay(blank(), live(lm), cue, None, CFG)
    feet_rows = (slice(int(np.nanmax(lm[:, 1])) - 5, 480), slice(0, 640))
    assert color_fraction(out, SEVERITY_BGR["praise"], region=feet_rows) < 0.01
    assert color_fraction(out, SEVERITY_BGR["praise"], region=(slice(0, 200), slice(0, 640))) > 0.1


@pytest.mark.parametrize(("com", "inside"), [(45.0, True), (85.0, False), (10.0, False)])
def test_com_marker_colour_and_position(com, inside):
    lm = figure_landmarks_px(40, 15, 640, 480)
    out = draw_overlay(blank(), live(lm, com_pct_foot=com), None, None, CFG)
    ref = draw_overlay(blank(), live(lm, com_pct_foot=math.nan), None, None, CFG)
    diff = np.abs(out.astype(int) - ref.astype(int)).max(axis=2) > 30
    ys, xs = np.nonzero(diff)
    heel, toe = lm[LM.RIGHT_HEEL], lm[LM.RIGHT_FOOT_INDEX]
    expected_x = heel[0] + (toe[0] - heel[0]) * com / 100
    # the marker (triangle) is the changed blob nearest the foot bar; the label sits beyond the toe
    near_bar = ys > heel[1] - 5
    assert near_bar.any()
    marker_x = (
        np.median(xs[near_bar & (np.abs(xs - expected_x) < 15)]) if (np.abs(xs - expected_x) < 15).any() else None
    )
    assert marker_x is not None and abs(marker_x - expected_x) < 6
    want = GOOD_BGR if inside else BAD_BGR
    assert color_fraction(out, want, tol=30, region=(ys[near_bar], xs[near_bar])) > 0.2


def test_tolerates_missing_landmarks_and_values():
    lm = figure_landmarks_px(40, 15, 640, 480)
    lm[LM.RIGHT_HEEL] = np.nan
    lm[LM.RIGHT_SHOULDER] = np.nan
    st = live(lm, **dict.fromkeys(("trunk_inclination_deg", "hip_flexion_deg", "com_pct_foot"), math.nan))
    draw_overlay(blank(), st, None, None, CFG)
    draw_overlay(blank(), live(None), None, None, CFG)
    draw_overlay(blank(), live(np.full((33, 2), np.nan)), None, None, CFG)
    away = LiveState(0.0, "away", 0, False, "Step into the picture", {}, None)
    out = draw_overlay(blank(), away, None, None, CFG)
    assert color_fraction(out, SEVERITY_BGR["info"], tol=30) > 0.02  # the setup message is shown


def test_near_side_is_emphasised():
    lm = figure_landmarks_px(40, 15, 640, 480)
    lm[[LM.LEFT_KNEE, LM.LEFT_ANKLE]] += np.array([-60.0, 0.0])  # move the far leg away so both are visible
    out = draw_overlay(blank(), live(lm), None, None, CFG)

    def thickness_at(a, b):
        mid = (lm[a] + lm[b]) / 2
        x, y = int(mid[0]), int(mid[1])
        row = out[y, max(0, x - 20) : x + 20].astype(int)
        return int(((row - 50).max(axis=1) > 60).sum())

    assert thickness_at(LM.RIGHT_KNEE, LM.RIGHT_ANKLE) > thickness_at(LM.LEFT_KNEE, LM.LEFT_ANKLE)


def test_scales_with_resolution():
    for h, w in ((240, 320), (1080, 1920)):
        lm = figure_landmarks_px(40, 15, w, h)
        cue = Cue("load.toes", "warn", "Shift your weight back about 3 cm — it moved onto the toes", 20)
        out = draw_overlay(blank(h, w), live(lm), cue, "Front view: turn side-on", CFG)
        frac = color_fraction(out, SEVERITY_BGR["warn"])
        assert 0.02 < frac < 0.3, (h, w, frac)


def test_text_unicode_and_wrap():
    m = text_mask("18° ± 5 — ✓", 24)
    assert m.shape[0] >= 24 and m.max() > 230
    lines = wrap("Keep your back long and bend from the hips — it rounded about 20°", 24, 300)
    assert len(lines) >= 2 and all(len(x) > 0 for x in lines)
    assert wrap("word " * 100, 24, 200, max_lines=2)[-1].endswith("…")


# -- what is drawn comes from the exercise's specs and config ------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
import fc_fake_exercise as fake  # noqa: E402


def changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pixels that differ clearly between two drawings (a boolean (H, W) mask)."""
    return np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 30


def tag_colour_fraction(cfg: Config, bgr, **values) -> float:
    """Share of the pixels a value's tag adds (vs the value unknown) that have colour ``bgr``."""
    lm = figure_landmarks_px(40, 15, 640, 480)
    key = next(iter(values))
    out = draw_overlay(blank(), live(lm, **values), None, None, cfg)
    ref = draw_overlay(blank(), live(lm, **{key: math.nan}), None, None, cfg)
    mask = changed(out, ref)
    assert mask.sum() > 30  # the tag was drawn
    d = np.abs(out[mask].astype(int) - np.array(bgr)).max(axis=-1)
    return float((d <= 40).mean())


@pytest.mark.parametrize(
    ("rounding_deg", "limit_deg", "bgr"),
    [(20.0, 12.0, BAD_BGR), (4.0, 12.0, GOOD_BGR), (20.0, 30.0, GOOD_BGR), (10.0, 8.0, BAD_BGR)],
)
def test_value_past_its_config_threshold_turns_red(rounding_deg, limit_deg, bgr):
    cfg = Config().replace_exercise("hinge", spine_rounding_deg=limit_deg)
    assert tag_colour_fraction(cfg, bgr, spine_flexion_est_deg=rounding_deg) > 0.3


@pytest.mark.parametrize(("band", "inside"), [((30.0, 60.0), True), ((50.0, 70.0), False), ((10.0, 44.0), False)])
def test_foot_band_comes_from_the_config(band, inside):
    cfg = Config().replace_exercise("hinge", midfoot_band_pct=band)
    want = GOOD_BGR if inside else BAD_BGR
    assert tag_colour_fraction(cfg, want, com_pct_foot=45.0) > 0.2


@pytest.mark.parametrize(("tempo", "elapsed", "green"), [((3.0, 1, 2, 1), 2.0, True), ((5.0, 1, 2, 1), 2.0, False),
                                                         ((5.0, 1, 2, 1), 3.3, True)])  # fmt: skip
def test_phase_timer_reads_the_exercise_tempo(tempo, elapsed, green):
    # lowering: the timer turns green once (1 - tolerance 0.35) x target has passed
    cfg = Config().replace_exercise("hinge", target_tempo_s=tempo)
    out = draw_overlay(blank(), live(None, phase="eccentric", phase_elapsed_s=elapsed), None, None, cfg)
    assert (color_fraction(out, GOOD_BGR, tol=30, region=(slice(38, 70), slice(8, 260))) > 0.01) is green


def test_any_exercise_draws_its_own_overlay_values(monkeypatch):
    fake.install(monkeypatch)
    lm = figure_landmarks_px(40, 15, 640, 480)

    def draw(**values):
        st = LiveState(3.0, "eccentric", 1, True, None, values, lm, "right")
        return draw_overlay(blank(), st, None, None, CFG, exercise=fake.NAME)

    bare = draw()
    # arm lift is tagged beside the shoulder: red past the fake exercise's 15° limit, green within it
    for value, bgr in ((25.0, BAD_BGR), (5.0, GOOD_BGR)):
        mask = changed(draw(arm_lift_deg=value), bare)
        ys, xs = np.nonzero(mask)
        shoulder = lm[LM.RIGHT_SHOULDER]
        assert np.hypot(np.median(xs) - shoulder[0], np.median(ys) - shoulder[1]) < 60
        assert color_fraction(draw(arm_lift_deg=value), bgr, tol=40, region=(ys, xs)) > 0.3
    # no trunk/thigh highlight and no hinge tags: the fake declares none of them
    hinge_tags = draw_overlay(blank(), live(lm), None, None, CFG)
    assert color_fraction(hinge_tags, (0, 215, 255), tol=30) > 0.002  # the hinge's yellow trunk line
    assert color_fraction(bare, (0, 215, 255), tol=30) < 0.0005
    # the sway value gets the foot bar with the fake's 40-60 % band
    mask = changed(draw(sway_pct=50.0), bare)
    assert mask[int(lm[LM.RIGHT_HEEL][1]) - 5 :].any()


def test_unknown_exercise_draws_no_values_and_state_names_the_exercise(monkeypatch):
    lm = figure_landmarks_px(40, 15, 640, 480)
    st = live(lm)
    unknown = draw_overlay(blank(), st, None, None, CFG, exercise="not-an-exercise")
    measures = [k for k in st.values if k != "phase_elapsed_s"]
    no_values = draw_overlay(blank(), live(lm, **dict.fromkeys(measures, math.nan)), None, None, CFG,
                             exercise="not-an-exercise")  # fmt: skip
    assert np.array_equal(unknown, no_values)  # nothing from the values was drawn
    assert not np.array_equal(unknown, draw_overlay(blank(), st, None, None, CFG))
    # a state that names its exercise is drawn as that exercise (the argument wins over it)
    fake.install(monkeypatch)
    named = dataclasses.replace(st, exercise=fake.NAME)
    assert np.array_equal(
        draw_overlay(blank(), named, None, None, CFG), draw_overlay(blank(), st, None, None, CFG, exercise=fake.NAME)
    )
    assert not np.array_equal(draw_overlay(blank(), named, None, None, CFG), draw_overlay(blank(), st, None, None, CFG))
    assert np.array_equal(
        draw_overlay(blank(), named, None, None, CFG, exercise="hinge"), draw_overlay(blank(), st, None, None, CFG)
    )


@pytest.mark.parametrize(
    ("rounding_deg", "cued", "red", "green"),
    [(20.0, 0.0, False, False), (20.0, 1.0, True, False), (4.0, 0.0, False, True), (20.0, None, True, False)],
)
def test_a_recorded_reading_past_the_limit_is_red_only_where_the_analysis_cued_it(rounding_deg, cued, red, green):
    # deadlift_side_jf9ss9_2 at 9.63 s: a red "back +30°" (the plate in front of the body) beside reps that read
    # 4-10° and no back cue. A recorded set's state says whether the analysis gave a cue there (verdict_key); past
    # the limit without one the tag keeps the segment's own colour; live (no verdict) the limit alone decides.
    extra = {} if cued is None else {verdict_key("spine_flexion_est_deg"): cued}
    cfg = Config().replace_exercise("hinge", spine_rounding_deg=12.0)
    assert (tag_colour_fraction(cfg, BAD_BGR, spine_flexion_est_deg=rounding_deg, **extra) > 0.3) is red
    assert (tag_colour_fraction(cfg, GOOD_BGR, spine_flexion_est_deg=rounding_deg, **extra) > 0.3) is green
