"""Bird-dog and dead bug on the rendered floor clips (exact per-frame truth) and the labelled real clips.

Poses come from formcheck's cached path (``load_or_extract``), each clip extracted once per run. Skipped when
``../shared`` is absent. What is asserted is what the analyzers reach (docs/metrics.md, "Bird-dog and dead bug",
has the per-clip tables):

* rendered clips: reps exact, sides (the reaching arm) right, the hold within 0.5 s of the time the moving thigh
  is truly within 5° of full reach, the leg's elevation at full reach within 5° of the truth, no form cue on
  the clean clips. The dead bug's second rep (MediaPipe flicks the far leg between two guesses for 1.5 s) has
  its leg and hold left out ("can't tell"), not wrong. The lumbar-extension fault clip's fault a camera without
  spine landmarks does not see (LIMITS): it gets no form cue;
* the limb checks (docs/metrics.md D2b): an arm shown is within 10° of the truth, and the arm is shown exactly
  where MediaPipe has a wrist on the reaching hand (2 of 6 reps); the others are "can't tell". These are
  development figures on the material the checks were written beside (no held-out clips), recorded so that a
  change to the checks shows here;
* the limb-elevation definition: the analyzer's own :func:`~formcheck.analyzers.alternating_floor.values` on the
  clips' projected true joints (``joints2d``) reproduces the truth's per-side arm, leg and thigh elevations (3D,
  measured on the posed skeleton) on every frame, so the arm's 15-66° errors at full reach are not a definition,
  side or image-vs-world mismatch; and the analyzer's arm is no further from the truth than MediaPipe's own raw
  landmarks of the better of its two arm labels (plus the smoothing and window difference): the arm error is what
  MediaPipe sees (docs/metrics.md, D2);
* real clips: reps exact on all four labelled clips, each rep inside its labelled bounds, sides alternating on
  the seven-rep dead bug.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyze import load_or_extract
from formcheck.analyzers import alternating_floor as af
from formcheck.analyzers import bird_dog, dead_bug
from formcheck.config import Config
from formcheck.types import LM, Analysis

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "analyzers"))
sys.path.insert(0, str(Path(__file__).parent))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues helper
import fc_floor_clips  # noqa: E402 - the floor exercises' rendered clips and labels

pytestmark = [pytest.mark.integration, pytest.mark.shared]

CFG = Config()
SIDES = {"L": "left", "R": "right"}
FORM_CUES = {"bird_dog.leg_high", "bird_dog.leg_short", "bird_dog.trunk_tilt", "bird_dog.trunk_shift",
             "dead_bug.hips_lift", "dead_bug.trunk_tilt", "dead_bug.trunk_length", "dead_bug.leg_short"}  # fmt: skip
HOLD_TOL_S = 0.5
LEG_TOL_DEG = 5.0
SPECS = {"bird_dog": bird_dog.SPEC, "dead_bug": dead_bug.SPEC}


@functools.cache
def _analyse(module_name: str, path: Path) -> Analysis:
    return fc_analysis.analyse_video(SPECS[module_name], path, CFG)


def _truth(meta: dict) -> list[dict]:
    """Per rep: the reaching arm, the leg's and arm's elevation at full reach (the scripted hold's median), the
    time the moving thigh is within 5° of full reach."""
    fr = meta["frames"]
    t = np.array([f["t"] for f in fr])
    out = []
    for p in (p for p in meta["phase_intervals"] if p["phase"] == "hold"):
        arm, leg = p["side"]["arm"], p["side"]["leg"]
        held = (t >= p["start_s"]) & (t <= p["end_s"])
        thigh = np.array([f[f"thigh_elevation_{leg}_deg"] for f in fr])
        near = (t >= p["start_s"] - 2.0) & (t <= p["end_s"] + 2.0)
        at_reach = near & (np.abs(thigh - thigh[held].mean()) <= 5.0)
        leg_deg = np.array([f[f"leg_elevation_{leg}_deg"] for f in fr])
        arm_deg = np.array([f[f"arm_elevation_{arm}_deg"] for f in fr])
        out.append({"side": SIDES[arm], "leg_deg": float(np.median(leg_deg[held])),
                    "arm_deg": float(np.median(arm_deg[held])),
                    "hold_s": float(at_reach.sum() / meta["fps"])})  # fmt: skip
    return out


# (clip, analyzer, reps whose leg and hold are shown: the others are "can't tell", reps whose arm is shown)
RENDERED = [
    ("dev_birddog_side_r_15-2-15-08", "bird_dog", {1, 2}, {1}),  # rep 2: both wrists on the support hand
    ("dev_birddog_lumbext14_obl30front_l", "bird_dog", {1, 2}, {2}),  # rep 1: the wrist on the trunk
    ("dev_deadbug_side_l_15-1-15-08", "dead_bug", {1}, set()),  # rep 2: the far leg flickers (module docstring)
]
# An arm angle shown must be near the truth: where MediaPipe has a wrist on the reaching hand it is within 7°
# (D2a: MediaPipe's shoulder), where it has none the arm was 15-66° off.
SHOWN_ARM_TOL_DEG = 10.0


@pytest.mark.parametrize(("name", "module", "leg_shown", "arm_shown"), RENDERED)
def test_rendered_reps_sides_holds_and_leg_angle(name: str, module: str, leg_shown: set, arm_shown: set) -> None:
    mp4, meta = fc_floor_clips.rendered(name)
    an = _analyse(module, mp4)
    truth = _truth(meta)
    assert len(an.reps) == meta["spec"]["reps"] == len(truth), [(r.start_s, r.end_s) for r in an.reps]
    assert [r.side for r in an.reps] == [tr["side"] for tr in truth]
    for r, tr in zip(an.reps, truth, strict=True):
        if r.index not in leg_shown:  # "can't tell": left out, not a wrong number
            assert np.isnan(r.hold_s) and np.isnan(r.metrics["leg_reach_deg"]), (r.index, r.hold_s, r.metrics)
            continue
        assert abs(r.hold_s - tr["hold_s"]) <= HOLD_TOL_S, (r.index, r.hold_s, tr["hold_s"])
        assert abs(r.metrics["leg_reach_deg"] - tr["leg_deg"]) <= LEG_TOL_DEG, (r.index, r.metrics, tr)


@pytest.mark.parametrize(("name", "module", "leg_shown", "arm_shown"), RENDERED)
def test_rendered_arm_shown_only_where_seen(name: str, module: str, leg_shown: set, arm_shown: set) -> None:
    mp4, meta = fc_floor_clips.rendered(name)
    an = _analyse(module, mp4)
    for r, tr in zip(an.reps, _truth(meta), strict=True):
        arm = r.metrics["arm_reach_deg"]
        assert np.isfinite(arm) == (r.index in arm_shown), (r.index, arm, tr["arm_deg"])
        if np.isfinite(arm):
            assert abs(arm - tr["arm_deg"]) <= SHOWN_ARM_TOL_DEG, (r.index, arm, tr["arm_deg"])
    if len(arm_shown) < len(an.reps):
        assert any("arm can't be told" in w for w in an.quality.warnings), an.quality.warnings


@pytest.mark.parametrize(("name", "module", "leg_shown", "arm_shown"), RENDERED)
def test_rendered_clips_get_no_form_cue(name: str, module: str, leg_shown: set, arm_shown: set) -> None:
    mp4, meta = fc_floor_clips.rendered(name)
    got = {c.code for c in _analyse(module, mp4).cues}
    assert not (got & FORM_CUES), got
    if meta["spec"].get("fault") == "lumbar_ext":  # not seen: a lumbar arch with the leg at hip height (LIMITS)
        assert any("lumbar" in s for s in bird_dog.SPEC.limits)


# Truth joint names -> MediaPipe landmark names (both sides).
JOINTS = {"SHO": "SHOULDER", "WRI": "WRIST", "HIP": "HIP", "KNEE": "KNEE", "ANK": "ANKLE"}
ELEVATIONS = {"arm": "arm_elev", "leg": "leg_elev", "thigh": "thigh_elev"}
# Projection of a planar movement filmed side-on from a low camera: the image angle of a segment differs from its
# 3D elevation by a few degrees (measured: <= 2.4° median on the side views, 4.2° on the 30° oblique clip).
DEFINITION_MEDIAN_TOL_DEG = 5.0
DEFINITION_MAX_TOL_DEG = 8.0
# The analyzer's arm vs MediaPipe's raw arm landmarks: its smoothing and its fitted full-reach window (not the
# scripted hold) move the median by up to ~6° (the rendered bird-dog's rep 2). A wrong arm label is 50-90° off.
ARM_VS_RAW_TOL_DEG = 10.0


def _truth_px(meta: dict) -> np.ndarray:
    """``(T, 33, 2)`` pixels holding the truth's projected joints where MediaPipe has the same landmark, else NaN."""
    fr = meta["frames"]
    px = np.full((len(fr), 33, 2), np.nan)
    for joint, lm in JOINTS.items():
        for s, side in SIDES.items():
            px[:, LM[f"{side.upper()}_{lm}"]] = [f["joints2d"][f"{joint}_{s}"] for f in fr]
    return px


@pytest.mark.parametrize(("name", "module"), [r[:2] for r in RENDERED])
def test_limb_elevation_definition_matches_rendered_truth(name: str, module: str) -> None:
    _, meta = fc_floor_clips.rendered(name)
    fam = SPECS[module].analyzer(CFG).family
    v = af.values(_truth_px(meta), fam.rest_sign)
    for limb, key in ELEVATIONS.items():
        for s, side in SIDES.items():
            truth = np.array([f[f"{limb}_elevation_{s}_deg"] for f in meta["frames"]])
            err = np.abs(v[key][side] - truth)
            assert np.median(err) <= DEFINITION_MEDIAN_TOL_DEG and np.max(err) <= DEFINITION_MAX_TOL_DEG, (
                limb, side, float(np.median(err)), float(np.max(err)))  # fmt: skip


@pytest.mark.parametrize(("name", "module"), [r[:2] for r in RENDERED])
def test_arm_error_at_full_reach_is_mediapipes(name: str, module: str) -> None:
    mp4, meta = fc_floor_clips.rendered(name)
    an = _analyse(module, mp4)
    fam = SPECS[module].analyzer(CFG).family
    seq = load_or_extract(mp4, CFG)
    raw = af.values(seq.landmarks[:, :, :2] * np.array([seq.width, seq.height]), fam.rest_sign)["arm_elev"]
    t = np.array([f["t"] for f in meta["frames"]])
    holds = [p for p in meta["phase_intervals"] if p["phase"] == "hold"]
    for r, p in zip(an.reps, holds, strict=True):
        held = (t >= p["start_s"]) & (t <= p["end_s"])
        arm = np.array([f[f"arm_elevation_{p['side']['arm']}_deg"] for f in meta["frames"]])
        truth = float(np.median(arm[held]))
        raw_err = min(abs(float(np.nanmedian(raw[s][held])) - truth) for s in SIDES.values())
        if np.isnan(r.metrics["arm_reach_deg"]):
            continue  # left out as "can't tell" (test_rendered_arm_shown_only_where_seen)
        got_err = abs(r.metrics["arm_reach_deg"] - truth)
        assert got_err <= raw_err + ARM_VS_RAW_TOL_DEG, (r.index, got_err, raw_err)


@pytest.mark.parametrize("family", ["bird_dog", "dead_bug"])
def test_real_clip_reps_and_bounds(videos_dir: Path, family: str) -> None:
    clips = fc_floor_clips.labelled(videos_dir, family)
    assert len(clips) == 2
    for c in clips:
        an = _analyse(family, videos_dir / c["file"])
        assert len(an.reps) == c["reps"], (c["file"], [(r.start_s, r.end_s) for r in an.reps])
        for r, (lo, hi) in zip(an.reps, c["rep_bounds_s"], strict=True):
            mid = 0.5 * (r.start_s + r.end_s)
            assert lo - 0.5 <= mid <= hi + 0.5, (c["file"], r.index, r.start_s, r.end_s, lo, hi)
        if c["reps"] > 2:
            sides = [r.side for r in an.reps]
            assert None not in sides and all(a != b for a, b in zip(sides, sides[1:], strict=False)), sides


# The camera angle (floor_view, docs/metrics.md D3): the rendered 30° oblique bird-dog (camera 30.7° from side-on
# by its JSON; read 25.4°) is oblique, with the plain warning and no leg/trunk cue or praise; the side clips stay
# side with no warning. The standing width check read all of them "side" (0.31 on the oblique one).
ANGLE_WARNING = "from this camera angle"
RENDERED_VIEWS = [("dev_birddog_lumbext14_obl30front_l", "bird_dog", "oblique"),
                  ("dev_birddog_side_r_15-2-15-08", "bird_dog", "side"),
                  ("dev_deadbug_side_l_15-1-15-08", "dead_bug", "side")]  # fmt: skip


@pytest.mark.parametrize(("name", "module", "view"), RENDERED_VIEWS)
def test_rendered_camera_angle_and_its_warning(name: str, module: str, view: str) -> None:
    mp4, _ = fc_floor_clips.rendered(name)
    an = _analyse(module, mp4)
    assert an.quality.view == view
    warned = [w for w in an.quality.warnings if ANGLE_WARNING in w]
    assert len(warned) == (view == "oblique"), an.quality.warnings
    if view == "oblique":
        assert "Film from the side at hip height" in warned[0]
        assert not ({c.code for c in an.cues} & (FORM_CUES | {"praise.clean"}))


@pytest.mark.parametrize("family", ["bird_dog", "dead_bug"])
def test_real_side_clips_stay_side_without_a_camera_angle_warning(videos_dir: Path, family: str) -> None:
    for c in fc_floor_clips.labelled(videos_dir, family):
        an = _analyse(family, videos_dir / c["file"])
        assert an.quality.view == "side", c["file"]
        assert not [w for w in an.quality.warnings if ANGLE_WARNING in w], (c["file"], an.quality.warnings)
