"""Squat analyzer against the synthetic generator's truth (formcheck.analyzers.squat_synth): angles, faults, cues."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest

from formcheck import cues as cue_engine
from formcheck.analyzers import get_analyzer, guess_exercise
from formcheck.analyzers.squat import SquatAnalyzer, classify, knees_in_pct
from formcheck.analyzers.squat_synth import FAULTS, SquatRep, squat_clip
from formcheck.config import Config
from formcheck.report.tabular import csv_text
from formcheck.types import Analysis

CFG = Config()
FORM_CODES = {"squat.back_tuck", "squat.load_toes", "squat.load_heels", "squat.heel_lift", "squat.knees_in",
              "squat.trunk_forward", "squat.shallow"}  # fmt: skip


@cache
def run(fault: str, view: str, tempo: tuple[float, float, float, float] = (2.0, 0.5, 1.5, 1.0)) -> tuple:
    clip = squat_clip([FAULTS[fault]] * 3, view=view, tempo=tempo, contour=view == "side")
    an = SquatAnalyzer(CFG).analyze(clip.seq)
    return clip, an, cue_engine.analysis_cues(an, CFG)


def _bottom_truth(clip, key: str) -> float:
    return float(np.median(getattr(clip.truth, key)[clip.truth.u > 0.999]))


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("view", ["side", "front"])
def test_reps_view_and_phases_match_truth(fault: str, view: str) -> None:
    clip, an, _ = run(fault, view)
    assert an.quality.view == view and an.quality.position == "standing"
    assert len(an.reps) == clip.truth.n_reps == 3
    for rep, ph in zip(an.reps, clip.truth.phases, strict=True):
        assert rep.eccentric_s == pytest.approx(ph["bottom_start_s"] - ph["start_s"], abs=0.1)
        assert rep.concentric_s == pytest.approx(ph["end_s"] - ph["bottom_end_s"], abs=0.1)


# Side view: each number against the model's truth at the bottom (exact geometry, no noise).
@pytest.mark.parametrize(
    ("fault", "metric", "truth_key", "tol"),
    [
        ("clean", "thigh_above_parallel_deg", "thigh_above_parallel_deg", 0.5),
        ("shallow", "thigh_above_parallel_deg", "thigh_above_parallel_deg", 0.5),
        ("trunk_forward", "thigh_above_parallel_deg", "thigh_above_parallel_deg", 0.5),
        ("clean", "trunk_minus_shin_deg", "trunk_minus_shin_deg", 1.0),
        ("trunk_forward", "trunk_minus_shin_deg", "trunk_minus_shin_deg", 1.0),
        ("tuck", "trunk_minus_shin_deg", "trunk_minus_shin_deg", 1.0),
        ("clean", "shin_inclination_bottom_deg", "shin_inclination_deg", 0.5),
        ("trunk_forward", "trunk_inclination_bottom_deg", "trunk_inclination_deg", 1.0),
        ("heel_lift", "heel_lift_cm", "heel_lift_cm", 1.0),
        ("clean", "heel_lift_cm", "heel_lift_cm", 0.3),
        ("tuck", "spine_flexion_est_deg", "spine_deg", 6.0),
        ("clean", "spine_flexion_est_deg", "spine_deg", 4.0),
        ("clean", "knee_flexion_bottom_deg", "knee_flexion_deg", 1.0),
    ],
)
def test_side_metrics_against_truth(fault: str, metric: str, truth_key: str, tol: float) -> None:
    clip, an, _ = run(fault, "side")
    truth = _bottom_truth(clip, truth_key)
    if truth_key == "thigh_above_parallel_deg":
        truth = float(np.min(clip.truth.thigh_above_parallel_deg))
    for rep in an.reps:
        assert rep.metrics[metric] == pytest.approx(truth, abs=tol), (rep.index, metric)


@pytest.mark.parametrize(("fault", "truth_pct"), [("clean", 0.0), ("knees_in", 35.0)])
def test_front_knee_tracking_against_truth(fault: str, truth_pct: float) -> None:
    clip, an, _ = run(fault, "front")
    assert float(np.max(clip.truth.knees_in_pct_hips)) == pytest.approx(truth_pct)
    for rep in an.reps:
        assert rep.metrics["knees_in_pct_hips"] == pytest.approx(truth_pct, abs=1.0)
        # Side-only numbers are not measured face-on: unknown, never 0.
        assert math.isnan(rep.metrics["spine_flexion_est_deg"]) and math.isnan(rep.metrics["heel_lift_cm"])


def test_side_view_does_not_measure_knee_tracking() -> None:
    _, an, _ = run("knees_in", "side")
    assert all(math.isnan(r.metrics["knees_in_pct_hips"]) for r in an.reps)


def _codes(cues) -> set[str]:
    return {c.code for c in cues}


# Which cues each fault earns, by view: side-only faults are not judged face-on, knee tracking only face-on.
@pytest.mark.parametrize(
    ("fault", "view", "expected"),
    [
        ("clean", "side", set()),
        ("clean", "front", set()),
        ("heel_lift", "side", {"squat.heel_lift"}),
        ("heel_lift", "front", set()),
        ("knees_in", "side", set()),
        ("knees_in", "front", {"squat.knees_in"}),
        ("trunk_forward", "side", {"squat.trunk_forward"}),
        ("trunk_forward", "front", set()),
        ("shallow", "side", {"squat.shallow"}),
        ("shallow", "front", set()),
        ("tuck", "side", {"squat.back_tuck"}),
        ("tuck", "front", set()),
    ],
)
def test_fault_cues(fault: str, view: str, expected: set[str]) -> None:
    _, an, cues = run(fault, view)
    assert _codes(cues) & FORM_CODES == expected
    assert ("view.not_side" in _codes(cues)) == (view == "front")  # the engine's "turn about 90°" cue
    praised = sum(c.code == "praise.clean" for c in cues)
    if fault == "clean" or expected:
        assert praised == (3 if not expected else 0)
    assert not any(c.code.startswith("tempo.") for c in cues)  # 2 s down, 1.5 s up: within the prescription


def test_cue_messages_say_how_much() -> None:
    msgs = {c.code: c.message for c in run("trunk_forward", "side")[2]}
    assert "44° more than the shins" in msgs["squat.trunk_forward"]
    msgs = {c.code: c.message for c in run("knees_in", "front")[2]}
    assert "caved about 6 cm" in msgs["squat.knees_in"]  # 35 % of 0.10 × 170 cm
    msgs = {c.code: c.message for c in run("shallow", "side")[2]}
    assert "58° above level" in msgs["squat.shallow"]


def test_fast_lowering_gets_the_tempo_cue() -> None:
    _, an, cues = run("clean", "side", (0.7, 0.5, 1.5, 1.0))
    fast = [c for c in cues if c.code == "tempo.eccentric_fast"]
    assert len(fast) == 3 and "Lower for 2 s" in fast[0].message
    assert all(r.eccentric_s == pytest.approx(0.7, abs=0.1) for r in an.reps)


def test_wrong_position_is_refused_plainly() -> None:
    clip, an, _ = run("clean", "side")
    import dataclasses

    lying = dataclasses.replace(an, quality=dataclasses.replace(an.quality, position="supine"))
    cues = cue_engine.analysis_cues(lying, CFG)
    assert "setup.wrong_position" in _codes(cues) and not _codes(cues) & FORM_CODES


@pytest.mark.parametrize(("thigh", "cls"), [(-5.0, "deep"), (0.0, "parallel"), (20.0, "parallel"), (21.0, "partial"),
                                             (math.nan, "")])  # fmt: skip
def test_classes(thigh: float, cls: str) -> None:
    assert classify(thigh) == cls


@pytest.mark.parametrize(
    ("knee_x", "expected"),
    [(1.0, 0.0), (1.5, -25.0), (0.5, 25.0)],  # hips at x ±1 (width 2), ankles under them; both knees move
)
def test_knees_in_pct_geometry(knee_x: float, expected: float) -> None:
    one = lambda x, y: np.array([[x, y]])  # noqa: E731
    hips = (one(-1.0, 0.0), one(1.0, 0.0))
    ankles = (one(-1.0, 2.0), one(1.0, 2.0))
    knees = (one(-knee_x, 1.0), one(knee_x, 1.0))
    assert knees_in_pct(hips, knees, ankles)[0] == pytest.approx(expected)


def test_registry_and_recognition() -> None:
    assert isinstance(get_analyzer("squat", CFG), SquatAnalyzer)
    # An upright squat (trunk lean under guess_exercise's 30° hinge rule; a squat leaning more is called "hinge").
    clip = squat_clip([SquatRep(pelvis_deg=20.0, shin_deg=25.0, knee_deg=95.0)] * 3)
    assert guess_exercise(clip.seq).name == "squat"


def test_csv_columns_are_the_squats_own() -> None:
    _, an, _ = run("clean", "side")
    assert isinstance(an, Analysis)
    cols = set(csv_text(an, CFG).splitlines()[0].split(","))
    assert {"thigh_above_parallel_deg", "trunk_minus_shin_deg", "heel_lift_cm"} <= cols
    assert not cols & {"hip_share", "hip_share_0_30", "hip_back_cm", "shoulder_elevation_frac"}


def test_partial_rep_is_classed_and_unknown_outline_is_nan() -> None:
    clip = squat_clip([SquatRep(knee_deg=60.0, shin_deg=20.0, pelvis_deg=15.0)] * 2, contour=False)
    an = SquatAnalyzer(CFG).analyze(clip.seq)
    assert [r.classification for r in an.reps] == ["partial", "partial"]
    assert all(math.isnan(r.metrics["spine_flexion_est_deg"]) for r in an.reps)  # no outline: no estimate


# The same faults filmed facing the other way, with 2 px landmark noise, and at 5 fps: the same cues.
@pytest.mark.parametrize("fault", ["clean", "heel_lift", "trunk_forward", "shallow", "tuck"])
@pytest.mark.parametrize(("facing", "noise_px", "fps"), [(-1, 2.0, 30.0), (1, 2.0, 30.0), (-1, 0.0, 5.0)])
def test_side_cues_survive_mirror_noise_and_low_fps(fault: str, facing: int, noise_px: float, fps: float) -> None:
    clip = squat_clip([FAULTS[fault]] * 3, facing=facing, noise_px=noise_px, fps=fps, contour=True, seed=1)
    an = SquatAnalyzer(CFG).analyze(clip.seq)
    expected = {"clean": set(), "heel_lift": {"squat.heel_lift"}, "trunk_forward": {"squat.trunk_forward"},
                "shallow": {"squat.shallow"}, "tuck": {"squat.back_tuck"}}[fault]  # fmt: skip
    assert len(an.reps) == 3
    assert _codes(cue_engine.analysis_cues(an, CFG)) & FORM_CODES == expected


def test_app_and_report_tables_show_the_squats_own_columns() -> None:
    from formcheck.report.content import rep_headers
    from formcheck.ui.tables import rep_rows

    _, an, _ = run("clean", "side")
    app_cols = set(rep_rows(an.reps, exercise="squat", view=an.quality.view, config=CFG)[0])
    report_cols = set(rep_headers(an))
    for cols in (app_cols, report_cols):
        assert {"Thigh vs level °", "Trunk − shin °", "Heel lift cm"} <= cols
        assert "Hip share %" not in cols  # the hinge's hip-vs-back share (the squat's is "Hips vs knees %")
