"""The side-bend analyzer against the synthetic generator's truth (formcheck.analyzers.side_bend_synth).

The generator bends a 3D figure's four-segment spine sideways (unevenly shared, so the trunk axis tips by ~70 % of
the commanded arc), can sway the hips and tip the pelvis, and films it from any azimuth; its truth is measured on
the figure's joints. The analyzer only sees the landmarks. Tables: every fault x front and back view (reps, sides,
angles, sway, tempo, cues), asymmetric sides, oblique and side views, image noise, a profile the rep detector
does not assume.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from formcheck.analyzers import get_analyzer
from formcheck.analyzers.frontal_synth import body_height_cm
from formcheck.analyzers.side_bend_synth import FAULTS, SideBendRep, alternate, make_side_bend, side_bend_clip
from formcheck.config import Config
from formcheck.cues import analysis_cues, usable_rep_cues
from formcheck.engine.registry import get_spec
from formcheck.types import PoseSequence

CFG = Config().model_copy(update={"body": Config().body.model_copy(update={"height_cm": body_height_cm()})})
SPEC = get_spec("side_bend")
EXPECTED_CUES = {
    "clean": {"praise.clean"},
    "shallow": {"side_bend.range"},
    "hip_sway": {"side_bend.hips"},
    "fast": {"side_bend.tempo", "side_bend.tempo_back"},
}
VIEWS = {"front": 0.0, "back": 180.0}


@functools.cache
def _run(fault: str, view: str):
    clip = side_bend_clip(alternate(4, **FAULTS[fault]), azimuth_deg=VIEWS[view])
    an = get_analyzer("side_bend", CFG).analyze(clip.seq)
    return clip, an


CASES = [(f, v) for f in FAULTS for v in VIEWS]


def _codes(an, rep) -> set[str]:
    return {c.code for c in usable_rep_cues(rep, an.quality, CFG, SPEC)}


def test_faults_table_is_complete() -> None:
    assert set(EXPECTED_CUES) == set(FAULTS)


@pytest.mark.parametrize(("fault", "view"), CASES)
def test_reps_and_sides_are_exact(fault: str, view: str) -> None:
    clip, an = _run(fault, view)
    assert an.quality.view == "front"
    assert [r.side for r in an.reps] == clip.truth.sides == ["left", "right", "left", "right"]


@pytest.mark.parametrize(("fault", "view"), CASES)
def test_angles_sway_and_tempo_against_truth(fault: str, view: str) -> None:
    clip, an = _run(fault, view)
    for r, t, p in zip(an.reps, clip.truth.reps, clip.truth.phases, strict=True):
        assert abs(r.metrics["side_bend_deg"] - t["lateral_flexion_deg"]) <= 3.0
        assert abs(r.metrics["shoulder_tilt_deg"] - t["shoulder_tilt_deg"]) <= 3.0
        assert abs(r.metrics["hip_sway_cm"] - t["hip_sway_cm"]) <= 1.0
        assert abs(r.eccentric_s - (p["bottom_start_s"] - p["start_s"])) <= 0.1
        assert abs(r.concentric_s - (p["end_s"] - p["bottom_end_s"])) <= 0.1


@pytest.mark.parametrize(("fault", "view"), CASES)
def test_each_fault_gets_its_cue_and_only_it(fault: str, view: str) -> None:
    _, an = _run(fault, view)
    assert [_codes(an, r) for r in an.reps] == [EXPECTED_CUES[fault]] * 4
    assert "view.not_side" not in {c.code for c in analysis_cues(an, CFG)}


def test_cue_says_how_much() -> None:
    _, an = _run("shallow", "front")
    msg = next(c.message for c in usable_rep_cues(an.reps[1], an.quality, CFG, SPEC))
    assert msg.startswith("Bend about 6° further to the right")  # truth ~13.8°, aim 20°
    _, an = _run("hip_sway", "front")
    assert "9 cm sideways" in next(c.message for c in usable_rep_cues(an.reps[0], an.quality, CFG, SPEC))


def test_short_side_gets_the_symmetry_cue_only() -> None:
    reps = [
        SideBendRep("left", 48.0),
        SideBendRep("right", 32.0),
        SideBendRep("left", 48.0),
        SideBendRep("right", 32.0),
    ]
    clip = side_bend_clip(reps)
    an = get_analyzer("side_bend", CFG).analyze(clip.seq)
    assert [_codes(an, r) for r in an.reps] == [{"praise.clean"}, {"side_bend.symmetry"}, {"praise.clean"},
                                                 {"side_bend.symmetry"}]  # fmt: skip
    diff = clip.truth.reps[1]["lateral_flexion_deg"] - clip.truth.reps[0]["lateral_flexion_deg"]
    assert abs(an.reps[1].metrics["side_diff_deg"] - diff) <= 3.0
    assert np.isnan(an.reps[0].metrics["side_diff_deg"])  # nothing to compare the first rep with


def test_side_view_is_refused_with_the_reason() -> None:
    clip = side_bend_clip(alternate(4), azimuth_deg=90.0)
    an = get_analyzer("side_bend", CFG).analyze(clip.seq)
    assert an.reps == () and an.quality.view == "side"
    assert any(w.startswith("Filmed from the side") and "Face the camera" in w for w in an.quality.warnings)
    codes = {c.code for c in analysis_cues(an, CFG)}
    # Refused: the warning says why and what to do; no "face the camera and bend" no-reps hint repeats it.
    assert "setup.no_reps" not in codes and "view.not_side" not in codes


@pytest.mark.parametrize("azimuth_deg", [30.0, -30.0, 150.0])
def test_oblique_view_is_measured_with_a_warning(azimuth_deg: float) -> None:
    clip = side_bend_clip(alternate(4), azimuth_deg=azimuth_deg)
    an = get_analyzer("side_bend", CFG).analyze(clip.seq)
    assert an.quality.view == "oblique"
    assert [r.side for r in an.reps] == clip.truth.sides
    assert any(w.startswith("Filmed at an angle") for w in an.quality.warnings)
    # Projection shortens the sideways tip by about cos(30°) (declared in the limits): within 5° here.
    assert all(abs(r.metrics["side_bend_deg"] - t["lateral_flexion_deg"]) <= 5.0
               for r, t in zip(an.reps, clip.truth.reps, strict=True))  # fmt: skip


# Image noise (px sd per landmark per frame, 480 px frame, hips ~39 px apart) -> bounds on the per-rep error's mean
# and max over 3 seeds x 4 reps: the pelvis line the bend is measured against is short, so its noise shows
# (measured over 8 seeds: 1 px mean 0.75°, max 2.2°; 2 px mean 1.9°, p90 3.4°, max 6.0°; docs/metrics.md).
@pytest.mark.parametrize(("noise_px", "mean_deg", "max_deg"), [(1.0, 1.5, 3.0), (2.0, 2.5, 6.5)])
def test_image_noise(noise_px: float, mean_deg: float, max_deg: float) -> None:
    err = []
    for seed in range(3):
        clip = side_bend_clip(alternate(4), noise_px=noise_px, seed=seed)
        an = get_analyzer("side_bend", CFG).analyze(clip.seq)
        assert [r.side for r in an.reps] == clip.truth.sides
        err += [
            abs(r.metrics["side_bend_deg"] - t["lateral_flexion_deg"])
            for r, t in zip(an.reps, clip.truth.reps, strict=True)
        ]
    assert np.mean(err) <= mean_deg and max(err) <= max_deg


def test_a_profile_the_detector_does_not_assume() -> None:
    """Raised-cosine movements: reps, sides and angles hold; phase boundaries shift by the fit's bias (<0.25 s)."""
    clip = side_bend_clip(alternate(4), shape="cosine")
    an = get_analyzer("side_bend", CFG).analyze(clip.seq)
    assert [r.side for r in an.reps] == clip.truth.sides
    for r, t, p in zip(an.reps, clip.truth.reps, clip.truth.phases, strict=True):
        assert abs(r.metrics["side_bend_deg"] - t["lateral_flexion_deg"]) <= 3.0
        assert abs(r.start_s - p["start_s"]) <= 0.25 and abs(r.end_s - p["end_s"]) <= 0.25


def test_public_generator() -> None:
    seq = make_side_bend(3, sides="right")
    assert isinstance(seq, PoseSequence) and seq.n_frames > 0
    an = get_analyzer("side_bend", CFG).analyze(seq)
    assert [r.side for r in an.reps] == ["right"] * 3
