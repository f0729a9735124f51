"""body.view: view and azimuth from known camera yaw, facing by body position, near side, batch = incremental.

The figures (``body_figures``) are seen by an orthographic camera turned by a known yaw, so the truth is exact:
upright, the apparent/true width ratio is |sin yaw| and the azimuth 90° − |yaw|; lying or on all fours the trunk
foreshortens too and the ratio is |tan yaw| (see the module docstring of formcheck.body.view).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from body_figures import sequence

from formcheck import synth
from formcheck.body import Body
from formcheck.body.clean import clean_landmarks, image_depth
from formcheck.body.position import Position
from formcheck.body.view import (
    FRONT_WORLD_MAX_AZ_DEG,
    SIDE_VIEW_MIN_AZ_DEG,
    ViewEstimate,
    ViewTracker,
    _facing_from_votes,
    estimate_view,
    facing_rule,
    facing_votes,
    view_from_ratio,
    view_of,
    width_ratio,
    width_ratio_frame,
)
from formcheck.config import Config
from formcheck.types import PoseSequence


def _inputs(seq: PoseSequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    px, world, _ = clean_landmarks(seq)  # unsmoothed: the figures' landmarks are exact
    return px, world, image_depth(seq, px)


def _view(seq: PoseSequence, position: Position | str | None = None) -> ViewEstimate:
    return estimate_view(*_inputs(seq), position)


def _label(az: float) -> str:
    # The figures' world landmarks are exact, so their 3D azimuth is the true one: front up to its boundary.
    return "side" if az >= SIDE_VIEW_MIN_AZ_DEG else "front" if az <= FRONT_WORLD_MAX_AZ_DEG else "oblique"


@pytest.mark.parametrize("yaw", [0, 10, 20, 30, 45, 60, 70, 80, -20, -45, -70, 135, 160, 180, 200, 250])
def test_upright_azimuth_facing_and_near_side_from_a_known_yaw(yaw):
    v = _view(sequence("standing", 10, yaw_deg=yaw))
    c, s = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
    az = math.degrees(math.acos(abs(s)))
    assert v.azimuth_deg == pytest.approx(az, abs=0.01)
    assert v.width_ratio == pytest.approx(abs(s), abs=1e-6)
    assert v.view == _label(az)
    facing = 1.0 if c > 0 else -1.0  # anterior (toes) toward image-right when cos > 0
    assert v.facing_sign == facing
    assert v.near_side == ("right" if c > 0 else "left")  # the right side turns toward the camera
    if v.view == "front":
        assert v.facing_label == ("camera" if s < 0 else "away")
    else:
        assert v.facing_label == ("right" if facing > 0 else "left")


@pytest.mark.parametrize(("yaw", "label"), [(-90, "camera"), (90, "away"), (-85, "camera"), (95, "away")])
def test_front_views_say_toward_or_away_from_the_camera(yaw, label):
    v = _view(sequence("standing", 10, yaw_deg=yaw))
    assert (v.view, v.facing_label) == ("front", label)


@pytest.mark.parametrize("posture", ["prone", "supine", "quadruped", "plank", "dead_bug"])
@pytest.mark.parametrize("yaw", [0, 10, 20, 30, 40, 180, -30])
def test_lying_azimuth_follows_tan_of_the_camera_angle(posture, yaw):
    pos = {"plank": "prone", "dead_bug": "supine"}.get(posture, posture)
    v = _view(sequence(posture, 3, yaw_deg=yaw), pos)
    az = math.degrees(math.acos(min(abs(math.tan(math.radians(yaw))), 1.0)))
    assert v.azimuth_deg == pytest.approx(az, abs=0.5)
    assert v.view == _label(az)


@pytest.mark.parametrize("yaw", [0, 30, -40, 180])
def test_side_lying_filmed_from_the_front_is_a_front_view(yaw):
    v = _view(sequence("side_lying", 3, yaw_deg=yaw), Position.SIDE_LYING)
    assert v.view == "front"
    # Measured horizontally (the standing rule) the stacked shoulders would look like a side view; the 3D azimuth
    # (the pairs lie in the image plane) vetoes that reading, so even without the position the view is front.
    px, world, _ = _inputs(sequence("side_lying", 3, yaw_deg=yaw))
    assert view_from_ratio(float(np.median(width_ratio(px, world))))[0] == "side"
    assert _view(sequence("side_lying", 3, yaw_deg=yaw)).view == "front"
    chest_to_camera = math.cos(math.radians(yaw)) > 0
    assert v.facing_label == ("camera" if chest_to_camera else "away")


@pytest.mark.parametrize(
    ("posture", "yaw", "position", "rule", "facing"),
    [
        ("standing", 0, None, "toes", 1.0),
        ("standing", 180, Position.STANDING, "toes", -1.0),
        ("seated", 0, Position.SEATED, "toes", 1.0),
        ("kneeling", 0, Position.KNEELING, "face", 1.0),
        ("kneeling", 0, None, "toes", -1.0),  # the insteps point backwards: the toe vote is wrong kneeling
        ("quadruped", 0, Position.QUADRUPED, "head", 1.0),
        ("quadruped", 0, None, "toes", -1.0),  # ... and on all fours
        ("quadruped", 180, "quadruped", "head", -1.0),
        ("prone", 0, Position.PRONE, "head", 1.0),
        ("plank", 180, Position.PRONE, "head", -1.0),
        ("supine", 0, Position.SUPINE, "head", 1.0),
        ("dead_bug", 180, Position.SUPINE, "head", -1.0),
        ("bridge_top", 0, Position.SUPINE, "head", 1.0),
        ("side_lying", 180, Position.SIDE_LYING, "head", -1.0),
        ("standing", 0, Position.UNKNOWN, "toes", 1.0),
    ],
)
def test_facing_by_body_position(posture, yaw, position, rule, facing):
    v = _view(sequence(posture, 10, yaw_deg=yaw), position)
    assert (v.facing_rule, v.facing_sign) == (rule, facing)
    assert facing_rule(position) == rule


def test_head_rule_works_without_a_face():
    seq = sequence("prone", 10, yaw_deg=180)
    lm = np.array(seq.landmarks)
    lm[:, :11, 3] = 0.0  # nose, eyes, ears unseen: the shoulders give the head's side
    v = _view(PoseSequence(lm, seq.world, seq.t_s, seq.width, seq.height), Position.PRONE)
    assert v.facing_sign == -1.0


@pytest.mark.parametrize(
    ("ratio", "view", "az"),
    [(0.0, "side", 90.0), (0.5, "oblique", 60.0), (1.0, "front", 0.0), (1.7, "front", 0.0), (-0.1, "side", 90.0),
     (math.cos(math.radians(67.1)), "side", 67.1), (math.cos(math.radians(24.9)), "front", 24.9)],
)  # fmt: skip
def test_view_from_ratio(ratio, view, az):
    v, a = view_from_ratio(ratio)
    assert v == view and a == pytest.approx(az)
    assert view_from_ratio(math.nan)[0] == "unknown" and math.isnan(view_from_ratio(math.nan)[1])


def test_nobody_is_an_unknown_view():
    v = _view(sequence("standing", 5, absent=(0, 1, 2, 3, 4)))
    assert v.view == "unknown" and math.isnan(v.azimuth_deg)


@pytest.mark.parametrize("vertical", [False, True])
def test_one_frame_ratio_is_the_batch_number(vertical):
    rng = np.random.default_rng(1)
    px = rng.normal(300, 80, (40, 33, 2))
    world = rng.normal(0, 0.3, (40, 33, 3))
    px[rng.random((40, 33)) < 0.05] = np.nan
    batch = width_ratio(px, world, vertical=vertical)
    one = np.array([width_ratio_frame(px[i], world[i], vertical=vertical) for i in range(40)])
    np.testing.assert_array_equal(one, batch)


# Pinned from the hinge analyzer's own view estimate before it moved here (commit ac9715e), on inputs smoothed
# exactly as the analyzer does (Body.from_sequence): the move must not change a number. The two near face-on
# figures are the exception, by design since the 3D azimuth tells front from oblique (the figures' world landmarks
# are exact, so it is the true azimuth: 5° and 10°, where the width ratio with 2-3 px of noise read 13.9° and 19.1°).
HINGE_VIEWS = [
    ("synth", {}, ("side", 90.0, 1.0, "right", "right"), 1.9720641897974078),
    ("synth", {"facing": -1, "noise_px": 2.0, "dropout_frac": 0.05, "seed": 3},
     ("side", 89.62264536695368, -1.0, "left", "left"), 1.9769707479183443),
    ("figure", {"yaw_deg": -60, "noise_px": 3.0, "seed": 2}, ("oblique", 35.62507770557838, 1.0, "right", "right"),
     2.0090767319481317),
    ("figure", {"yaw_deg": -85, "noise_px": 3.0, "seed": 4}, ("front", 5.0, 1.0, "camera", "right"),
     1.9933681448518792),
    ("figure", {"yaw_deg": 100, "noise_px": 2.0, "seed": 5}, ("oblique", 10.0, -1.0, "left", "left"),
     1.999178084348104),
    ("figure", {"yaw_deg": -150, "noise_px": 2.0, "seed": 6}, ("oblique", 60.82807690428164, -1.0, "left", "left"),
     2.0041033453243853),
]  # fmt: skip


@pytest.mark.parametrize(("source", "kw", "expected", "px_per_cm"), HINGE_VIEWS)
def test_standing_view_is_unchanged_from_the_hinge_analyzer(source, kw, expected, px_per_cm):
    seq = synth.hinge_clip(**kw).seq if source == "synth" else sequence("standing", 60, **kw)
    body = Body.from_sequence(seq, Config(), position=Position.STANDING)
    v = body.view
    assert (v.view, v.facing_sign, v.facing_label, v.near_side) == (expected[0], *expected[2:])
    assert v.azimuth_deg == pytest.approx(expected[1], abs=1e-6)
    assert body.px_per_cm == pytest.approx(px_per_cm, abs=1e-12)


def _random_pose(seed: int, n_frames: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    px = rng.normal(320, 20, (n_frames, 33, 2))
    world = rng.normal(0, 0.25, (n_frames, 33, 3))
    z = rng.normal(0, 0.1, (n_frames, 33))
    px[:, [11, 23], 0] -= 15.0 * seed  # shoulder and hip pairs spread apart: from side-on (seed 0) to face-on
    px[:, [12, 24], 0] += 15.0 * seed
    px[rng.random((n_frames, 33)) < 0.1] = np.nan
    z[rng.random((n_frames, 33)) < 0.1] = np.nan
    return px, world, z


# Pinned likewise from the hinge analyzer's estimate (commit ac9715e) on random poses: (view, azimuth, facing
# sign, facing label, near side) of the width ratio's reading. Their world landmarks are noise, so the 3D azimuth
# (a random number) then decides as view_of says.
RANDOM_VIEWS = [
    (0, ("side", 84.75366959087283, 1.0, "right", "left")),
    (1, ("oblique", 54.43778703963205, -1.0, "left", "right")),
    (2, ("oblique", 57.771885270603974, 1.0, "right", "left")),
    (4, ("front", 0.0, 1.0, "away", "right")),
    (5, ("front", 0.0, -1.0, "camera", "left")),
    (8, ("front", 0.0, -1.0, "away", "right")),
]


@pytest.mark.parametrize(("seed", "expected"), RANDOM_VIEWS)
def test_random_poses_give_the_hinge_analyzers_numbers(seed, expected):
    v = estimate_view(*_random_pose(seed))
    ratio_view, ratio_az = view_from_ratio(v.width_ratio)
    assert (ratio_view, v.facing_sign, v.near_side) == (expected[0], expected[2], expected[4])
    assert ratio_az == pytest.approx(expected[1], abs=1e-9)
    assert (v.view, v.azimuth_deg) == view_of(v.width_ratio, v.world_azimuth_deg)
    assert v.facing_label == (expected[3] if v.view == expected[0] else "right" if v.facing_sign > 0 else "left")


# -- incremental form -----------------------------------------------------------------------------------------


def _frames(*parts: PoseSequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ins = [_inputs(p) for p in parts]
    return tuple(np.concatenate([x[k] for x in ins]) for k in range(3))  # type: ignore[return-value]


def _track(px: np.ndarray, world: np.ndarray, image_z: np.ndarray, **kw: int) -> ViewTracker:
    tr = ViewTracker(**kw)
    for i in range(px.shape[0]):
        tr.update(px[i], world[i], image_z[i])
    return tr


@pytest.fixture(scope="module")
def tracked_set() -> tuple[np.ndarray, np.ndarray, np.ndarray, ViewTracker]:
    """500 frames (more than the facing vote's 2 × 200, so it subsamples) of three postures, noise, empty frames."""
    px, world, z = _frames(
        sequence("standing", 250, yaw_deg=20, noise_px=3.0, seed=1, absent=(5, 6, 7, 100)),
        sequence("quadruped", 200, yaw_deg=170, noise_px=3.0, seed=2),
        sequence("side_lying", 50, yaw_deg=-10, noise_px=3.0, seed=3),
    )
    return px, world, z, _track(px, world, z)


@pytest.mark.parametrize("position", [None, Position.STANDING, Position.KNEELING, Position.QUADRUPED,
                                      Position.SUPINE, Position.SIDE_LYING])  # fmt: skip
def test_tracker_result_equals_the_batch_estimate(tracked_set, position):
    px, world, z, tracker = tracked_set
    assert tracker.result(position) == estimate_view(px, world, z, position)


def test_tracker_memory_is_bounded_to_the_last_frames():
    px, world, z = _frames(sequence("standing", 70, yaw_deg=0), sequence("standing", 50, yaw_deg=-90))
    tr = _track(px, world, z, capacity=50)
    assert tr.n_frames == 120
    assert tr.result() == estimate_view(px[-50:], world[-50:], z[-50:])
    assert tr.result().view == "front"
    assert estimate_view(px, world, z).view == "side"  # the whole set would have read side-on


@pytest.mark.parametrize("capacity", [1000, 64])
def test_tracker_reads_another_rule_late_as_the_batch(capacity):
    # The live stream reads one rule's facing every frame (its position's); when the position changes, the other
    # rule's votes of the frames kept are taken when first read: the same numbers as the batch on those frames.
    px, world, z = _frames(
        sequence("standing", 120, yaw_deg=20, noise_px=3.0, seed=4, absent=(3, 50)),
        sequence("quadruped", 90, yaw_deg=170, noise_px=3.0, seed=5),
    )
    tr = ViewTracker(capacity=capacity)
    for i in range(px.shape[0]):
        tr.update(px[i], world[i], z[i])
        votes = facing_votes(px[max(0, i - 29) : i + 1], "toes")
        assert tr.recent_facing(Position.STANDING) == _facing_from_votes(votes)
    k = min(capacity, px.shape[0])
    for position in (Position.QUADRUPED, Position.KNEELING, Position.STANDING):
        assert tr.result(position) == estimate_view(px[-k:], world[-k:], z[-k:], position)
        assert tr.recent_facing(position) == _facing_from_votes(facing_votes(px[-30:], facing_rule(position)))
        assert tr.view(position) == tr.result(position).view


def test_recent_ratio_and_facing_are_over_the_last_frames():
    px, world, z = _frames(
        sequence("standing", 40, yaw_deg=0),  # ratio 0, facing right
        sequence("standing", 20, yaw_deg=120),  # ratio sin 120° = 0.866, facing left
        sequence("standing", 5, absent=(0, 1, 2, 3, 4)),
    )
    tr = _track(px, world, z, recent=30)
    # Last 30 frames: 5 zeros, 20 × 0.866, 5 without a person.
    assert tr.recent_ratio() == pytest.approx(math.sin(math.radians(120)), abs=1e-9)
    assert tr.recent_facing() == -1.0
    assert tr.result().facing_sign == 1.0  # the set: 40 frames right, 20 left
    empty = ViewTracker()
    assert math.isnan(empty.recent_ratio()) and empty.recent_facing() == 1.0
    assert empty.result().view == "unknown"
