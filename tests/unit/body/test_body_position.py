"""body.position: postures built with exact geometry, seen from any yaw and a slightly tilted camera, per frame and
per set; unclear poses are unknown, never a confident wrong guess."""

from __future__ import annotations

import numpy as np
import pytest
from body_figures import EXPECTED_POSITION, POSTURES, sequence

from formcheck.body.position import (
    KNOWN_POSITIONS,
    Position,
    classify_position,
    position_features,
    position_per_frame,
)
from formcheck.types import LM


def _labels(posture: str | list[str], **camera: float) -> np.ndarray:
    return position_per_frame(sequence(posture, 1 if isinstance(posture, str) else len(posture), **camera).world)


@pytest.mark.parametrize("posture", sorted(POSTURES))
@pytest.mark.parametrize(("yaw", "pitch"), [(0, 0), (45, 0), (-90, 0), (160, 0), (30, 10), (-90, -10), (200, -10)])
def test_each_posture_from_any_yaw_and_a_slightly_tilted_camera(posture, yaw, pitch):
    assert _labels(posture, yaw_deg=yaw, pitch_deg=pitch)[0] == EXPECTED_POSITION[posture]


@pytest.mark.parametrize("posture", sorted(POSTURES))
@pytest.mark.parametrize(("yaw", "pitch"), [(0, 30), (45, 20), (45, 30), (-90, -20), (160, 30)])
def test_a_strongly_tilted_camera_gives_the_right_position_or_unknown(posture, yaw, pitch):
    # World landmarks follow the camera, not gravity: at 20-30° of tilt some postures become unclear.
    assert _labels(posture, yaw_deg=yaw, pitch_deg=pitch)[0] in (EXPECTED_POSITION[posture], "unknown")


@pytest.mark.parametrize(
    ("posture", "feature", "value"),
    [("standing", "trunk_deg", 0.0), ("supine", "trunk_deg", 90.0), ("standing", "thigh_l_deg", 0.0),
     ("seated", "shank_r_deg", 0.0), ("kneeling", "shank_l_deg", 90.0), ("kneeling", "knee_flex_r_deg", 90.0),
     ("standing", "hip_flex_l_deg", 0.0), ("supine", "chest_up", 1.0), ("prone", "chest_up", -1.0),
     ("side_lying", "chest_up", 0.0), ("side_lying", "lateral_deg", 0.0), ("supine", "lateral_deg", 90.0),
     ("dead_bug", "thigh_l_deg", 180.0), ("kneeling", "knee_floor_l_m", 0.06)],
)  # fmt: skip
def test_features_are_the_geometry(posture, feature, value):
    for yaw in (0.0, 70.0):  # the camera's yaw about the vertical changes none of them
        f = position_features(sequence(posture, 1, yaw_deg=yaw).world)
        assert f[feature][0] == pytest.approx(value, abs=0.01)


def _swap_left_right(world: np.ndarray) -> np.ndarray:
    """The pose model's classic error: every left landmark labelled right and vice versa."""
    out = world.copy()
    for m in LM:
        if m.name.startswith("LEFT_") or m.name.endswith("_LEFT"):
            other = LM[m.name.replace("LEFT", "RIGHT")]
            out[:, [m, other]] = world[:, [other, m]]
    return out


@pytest.mark.parametrize("posture", ["supine", "prone", "plank", "dead_bug"])
def test_a_left_right_swap_is_caught_by_the_nose_not_turned_over(posture):
    world = _swap_left_right(sequence(posture, 1, yaw_deg=20).world)
    # The swap flips the chest normal (supine would read prone); the nose still points the true way: unknown.
    assert position_features(world)["chest_up"][0] * (1 if EXPECTED_POSITION[posture] == "supine" else -1) < 0
    assert position_per_frame(world)[0] == "unknown"


def test_without_a_face_the_chest_decides():
    world = np.array(sequence("supine", 1).world)
    world[:, [LM.NOSE, LM.LEFT_EAR, LM.RIGHT_EAR]] = np.nan
    assert position_per_frame(world)[0] == "supine"


def test_random_poses_are_mostly_unknown_and_never_a_confident_set():
    rng = np.random.default_rng(0)
    world = rng.normal(0.0, 0.4, (400, 33, 3))
    labels = position_per_frame(world)
    assert np.mean(labels == "unknown") > 0.5
    est = classify_position(world, labels)
    assert est.position is Position.UNKNOWN and est.confidence < 0.5


def test_missing_landmarks_are_unknown():
    world = np.array(sequence("standing", 3).world)
    world[0] = np.nan
    world[1, [LM.LEFT_KNEE, LM.RIGHT_KNEE]] = np.nan
    assert list(position_per_frame(world)) == ["unknown", "unknown", "standing"]


@pytest.mark.parametrize(
    ("frames", "position", "confidence", "words"),
    [
        (["standing"] * 60, "standing", 1.0, "a leg is vertical under the hips in 100% of the frames"),
        (["supine"] * 50, "supine", 1.0, "the trunk is horizontal and the chest faces up in 100% of the frames"),
        (["quadruped"] * 40 + ["standing"] * 10, "quadruped", 0.8, "over the knees"),
        (["side_lying"] * 30, "side_lying", 1.0, "stacked"),
        (["plank"] * 20 + ["prone"] * 20, "prone", 1.0, "chest faces down"),
        # Squats: the bottom looks like sitting frame by frame; the set stands between the reps.
        (["standing", "seated"] * 30, "standing", 1.0, "standing between movements"),
        (["seated"] * 40 + ["standing"] * 10, "seated", 0.8, "thighs point forward"),
        (["supine"] * 25 + ["prone"] * 25, "unknown", 0.5, "no position is held clearly"),
        (["quadruped"] * 25 + ["standing"] * 25, "unknown", 0.5, "no position is held clearly"),
    ],
)
def test_set_position(frames, position, confidence, words):
    est = classify_position(sequence(frames, len(frames)).world)
    assert est.position == position
    assert est.confidence == pytest.approx(confidence)
    assert words in est.reason
    assert sum(est.fractions.values()) == pytest.approx(1.0)


def test_frames_without_a_person_do_not_count():
    seq = sequence("supine", 20, absent=tuple(range(12)))
    est = classify_position(seq.world)
    assert (est.position, est.confidence) == (Position.SUPINE, 1.0)
    nobody = classify_position(sequence("supine", 5, absent=tuple(range(5))).world)
    assert (nobody.position, nobody.confidence, nobody.reason) == (Position.UNKNOWN, 0.0, "nobody was seen")


@pytest.mark.parametrize(
    ("text", "position"),
    [("standing", Position.STANDING), ("Side-lying", Position.SIDE_LYING), ("sidelying", Position.SIDE_LYING),
     ("side lying", Position.SIDE_LYING), ("QUADRUPED", Position.QUADRUPED), ("all fours", Position.QUADRUPED),
     (Position.PRONE, Position.PRONE), ("unknown", Position.UNKNOWN)],
)  # fmt: skip
def test_parse(text, position):
    assert Position.parse(text) is position


def test_parse_rejects_other_words_and_values_are_plain_strings():
    with pytest.raises(ValueError, match="not a position"):
        Position.parse("upside down")
    assert Position.SIDE_LYING == "side_lying" and f"{Position.SUPINE}" == "supine"
    assert Position.UNKNOWN not in KNOWN_POSITIONS and len(KNOWN_POSITIONS) == 7
