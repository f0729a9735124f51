"""Recognition on synthetic sets with known truth: family, position, view, confidence, asking, streaming.

The generators pose a body by joint angles (formcheck.synth, squat_synth, lunge_synth, glute_bridge_synth,
cat_camel_synth, floor_synth, hinge_positions_synth); none of them computes the features recognition reads, so the
expected family comes from what the generator was told to do, and the truth arrays decide the borderline cases.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from formcheck.analyzers import detect_exercise, guess_exercise
from formcheck.analyzers.alternating_floor_synth import bird_dog_clip, dead_bug_clip
from formcheck.analyzers.cat_camel_synth import cat_camel_clip
from formcheck.analyzers.floor_synth import plank_clip, prone_extension_clip, side_plank_clip
from formcheck.analyzers.glute_bridge_synth import bridge_clip
from formcheck.analyzers.hinge_positions_synth import kneeling_clip, seated_clip
from formcheck.analyzers.lunge_synth import lunge_clip
from formcheck.analyzers.pallof_synth import make_pallof_press
from formcheck.analyzers.side_bend_synth import make_side_bend
from formcheck.analyzers.squat_synth import SquatRep, squat_clip
from formcheck.analyzers.trunk_rotation_synth import make_trunk_rotation
from formcheck.errors import ExerciseNotRecognisedError
from formcheck.recognize import (
    CONFIDENCE_MIN,
    TRUNK_BEND_MIN_DEG,
    Recognition,
    RecognitionStream,
    recognize,
)
from formcheck.synth import RepSpec, hinge_clip


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


class _Seq:
    """A bare pose sequence in the shape of a generator's clip (``.seq``)."""

    def __init__(self, seq) -> None:
        self.seq = seq


CASES = [
    # (generator, family, position, view)
    (lambda f, s: hinge_clip([RepSpec()] * 3, seed=s, noise_px=1.0), "hinge", "standing", "side"),
    (lambda f, s: seated_clip(seed=s), "hinge", "seated", "side"),
    (lambda f, s: kneeling_clip(seed=s), "hinge", "kneeling", "side"),
    (lambda f, s: squat_clip([SquatRep(pelvis_deg=12.0)] * 3, facing=int(f), seed=s), "squat", "standing", "side"),
    (lambda f, s: lunge_clip(facing=f, seed=s), "lunge", "standing", "side"),
    (lambda f, s: bridge_clip(facing=f, seed=s), "glute_bridge", "supine", "side"),
    (lambda f, s: cat_camel_clip(facing=f, seed=s), "cat_camel", "quadruped", "side"),
    (lambda f, s: plank_clip(facing=f, seed=s), "plank", "prone", "side"),
    (lambda f, s: prone_extension_clip(facing=f, seed=s), "prone_extension", "prone", "side"),
    (lambda f, s: side_plank_clip(facing=f, seed=s), "side_plank", "side_lying", "front"),
    (lambda f, s: bird_dog_clip(facing=f, seed=s), "bird_dog", "quadruped", "side"),
    (lambda f, s: dead_bug_clip(facing=f, seed=s), "dead_bug", "supine", "side"),
    # Filmed from the front (azimuth 0 and 30°): a turning or bending trunk narrows the shoulders in the image,
    # so the view reads front or oblique.
    (lambda f, s: _Seq(make_side_bend(seed=s, azimuth_deg=15.0 * (1 - f))), "side_bend", "standing", None),
    (lambda f, s: _Seq(make_trunk_rotation(seed=s, azimuth_deg=15.0 * (1 - f))), "trunk_rotation", "standing", None),
    (lambda f, s: _Seq(make_pallof_press(seed=s, azimuth_deg=15.0 * (1 - f))), "pallof_press", "standing", None),
]


@pytest.mark.parametrize("facing", [1.0, -1.0])
@pytest.mark.parametrize(("make", "family", "position", "view"), CASES, ids=[c[1] + "-" + c[2] for c in CASES])
def test_synthetic_sets_are_recognised(make, family, position, view, facing) -> None:
    rec = recognize(make(facing, 3).seq)
    assert (rec.family, rec.position) == (family, position), rec.reason
    assert rec.view == view if view else rec.view in ("front", "oblique")
    assert rec.confident and rec.confidence >= CONFIDENCE_MIN
    assert rec.reason and all(c <= rec.confidence for _, c in rec.alternatives)


def _upright_move(position: str, move: str):
    """A seated or kneeling set (legs still, trunk upright) whose upper body side-bends, turns or presses ±30°/0.6 m.

    The known truth: the body's position (from the generator) and the movement, made by turning the world landmarks
    above the hips about the hips' forward axis (side bend) or the vertical (turn), or moving the hands forward.
    """
    from formcheck.analyzers.hinge_positions_synth import HingeRep, positioned_hinge_clip
    from formcheck.types import LM

    seq = positioned_hinge_clip(position, [HingeRep(pelvis_deg=2.0, spine_deg=0.0)] * 3, seed=1).seq
    w = seq.world.copy()
    mid_hip = (w[:, LM.LEFT_HIP, :3] + w[:, LM.RIGHT_HIP, :3]) / 2
    lat = w[:, LM.RIGHT_HIP, :3] - w[:, LM.LEFT_HIP, :3]
    lat[:, 1] = 0.0
    lat /= np.linalg.norm(lat, axis=1, keepdims=True)
    up = np.array([0.0, -1.0, 0.0])
    fwd = np.cross(up, lat)
    wave = np.sin(2 * np.pi * seq.t_s / 4.0)
    hands = [LM.LEFT_WRIST, LM.RIGHT_WRIST, LM.LEFT_PINKY, LM.RIGHT_PINKY, LM.LEFT_INDEX, LM.RIGHT_INDEX,
             LM.LEFT_THUMB, LM.RIGHT_THUMB]  # fmt: skip
    for i in range(seq.n_frames):
        if move == "press":
            w[i, hands, :3] += fwd[i] * 0.3 * (1 + wave[i])
            continue
        k = fwd[i] if move == "side_bend" else up
        th = np.radians(30.0 * wave[i])
        v = w[i, :23, :3] - mid_hip[i]  # everything above the hips
        v = v * np.cos(th) + np.cross(k, v) * np.sin(th) + np.outer(v @ k, k) * (1 - np.cos(th))
        w[i, :23, :3] = mid_hip[i] + v
    return type(seq)(seq.landmarks, w, seq.t_s, seq.width, seq.height)


@pytest.mark.parametrize("position", ["seated", "kneeling"])
@pytest.mark.parametrize("move", ["side_bend", "turn", "press"])
def test_upright_floor_positions_never_name_a_family_that_refuses_them(position: str, move: str) -> None:
    from formcheck.engine.registry import specs

    rec = recognize(_upright_move(position, move))
    assert rec.position == position
    checks_here = {s.name for s in specs() if position in s.positions}
    assert rec.family in checks_here | {"unknown"}, rec.reason
    assert all(a in checks_here | {"unknown"} for a, _ in rec.alternatives)
    if move == "turn" and "trunk_rotation" in checks_here:  # seated trunk rotation is checked: still named
        assert rec.family == "trunk_rotation"
    else:
        assert rec.family == "unknown" and "formcheck checks only" in rec.reason


def test_position_families_follow_the_registry() -> None:
    from formcheck.engine.registry import specs
    from formcheck.recognize import position_families

    for s in specs():
        for pos in ("standing", "seated", "kneeling", "quadruped", "supine", "prone", "side_lying"):
            assert (s.name in position_families(pos)) == (pos in s.positions), (s.name, pos)


def test_the_callers_rep_rule_counts_the_bends() -> None:
    from formcheck.analyze import analyze_sequence
    from formcheck.config import Config

    seq = squat_clip([SquatRep(pelvis_deg=12.0)] * 3, seed=1).seq
    strict = Config().replace_exercise("hinge", min_rom_deg=170.0)  # no squat bends the hips 170°: no rep
    assert recognize(seq).features["bends"] == 3
    assert recognize(seq, strict).features["bends"] == 0
    assert analyze_sequence(seq, None, Config()).exercise == "squat"
    with pytest.raises(ExerciseNotRecognisedError, match="no repeated bending"):
        analyze_sequence(seq, None, strict)


def test_a_small_side_bend_is_unsure_not_wrong() -> None:
    # 12° of trunk tilt each way (a 25° bend of the shoulder line): just above the threshold, so the confidence is
    # near one half: the user is asked rather than told.
    rec = recognize(make_side_bend(bend_deg=25.0, seed=1))
    assert rec.family == "side_bend" and rec.confidence < 0.7


@pytest.mark.parametrize(("pelvis_deg", "family"), [(8.0, "squat"), (20.0, "squat"), (60.0, "hinge")])
def test_squat_or_hinge_follows_the_true_trunk_lean(pelvis_deg: float, family: str) -> None:
    # The documented limit: a squat whose trunk leans forward beyond TRUNK_BEND_MIN_DEG is a hinge pattern.
    clip = squat_clip([SquatRep(pelvis_deg=pelvis_deg)] * 3, seed=1)
    lean = float(np.ptp(clip.truth.trunk_inclination_deg))
    assert (lean < TRUNK_BEND_MIN_DEG - 5) == (family == "squat")  # the case is not on the threshold
    assert recognize(clip.seq).family == family


def test_standing_still_is_not_recognised_and_asks() -> None:
    still = hinge_clip([RepSpec(depth=0.05)] * 2, seed=0)
    rec = recognize(still.seq)
    assert rec.family == "unknown" and not rec.confident
    with pytest.raises(ExerciseNotRecognisedError, match="I can't tell which exercise this is") as e:
        rec.require(("hinge", "squat"))
    assert "--exercise" in str(e.value) and e.value.exit_code == 2
    g = guess_exercise(still.seq)
    assert g.name == "unknown" and "no repeated bending" in g.reason


def test_below_the_threshold_it_asks_with_the_best_guesses() -> None:
    rec = Recognition("squat", "standing", "front", 0.42, "both legs bend together", (("hinge", 0.3),))
    assert not rec.confident
    with pytest.raises(ExerciseNotRecognisedError, match=r"best guess Squat 42%; Hip hinge 30%"):
        rec.require()
    assert Recognition("squat", "standing", "front", 0.9, "x").require(("squat",)) == "squat"


def test_a_family_without_an_analyzer_is_named_but_refused() -> None:
    rec = Recognition("bird_dog", "quadruped", "side", 0.9, "an arm and a leg lift")
    with pytest.raises(ExerciseNotRecognisedError, match="This looks like bird-dog .*no analyzer for yet") as e:
        rec.require(("hinge",))
    assert "bird_dog" not in e.value.message  # the key only in the hint's list of names to type


def test_nobody_seen() -> None:
    seq = hinge_clip([RepSpec()], seed=0).seq
    empty = type(seq)(np.full_like(seq.landmarks, np.nan), np.full_like(seq.world, np.nan), seq.t_s, 640, 480)
    rec = recognize(empty)
    assert rec.family == "unknown" and rec.confidence == 0.0 and "nobody" in rec.reason


def test_wrappers_keep_their_contract() -> None:
    clip = lunge_clip(seed=2)
    assert detect_exercise(clip.seq) == "lunge"
    g = guess_exercise(clip.seq)
    assert g.recognition.family == "lunge" and g.stance_split_frac > 0.5


def _feed(stream: RecognitionStream, seq, n: int | None = None) -> None:
    for i in range(seq.n_frames if n is None else n):
        stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i])


def test_stream_recognises_from_the_first_seconds_with_bounded_memory() -> None:
    clip = bridge_clip(n_reps=4, seed=5)
    seq = clip.seq
    stream = RecognitionStream(seq.width, seq.height, window_s=6.0)
    _feed(stream, seq)
    assert stream.done
    kept = stream.n_frames
    assert kept < seq.n_frames and abs(seq.t_s[kept - 1] - seq.t_s[0] - 6.0) < 0.1
    rec = stream.result()
    assert rec.family == "glute_bridge" and rec.confident
    # The same rules on the same frames: the batch answer on the first 6 s.
    first = type(seq)(seq.landmarks[:kept], seq.world[:kept], seq.t_s[:kept], seq.width, seq.height)
    assert recognize(first) == rec
    # Frames after the window are refused; memory is capped by max_frames whatever the frame rate.
    assert not stream.update(float(seq.t_s[-1]) + 1.0, seq.landmarks[0], seq.world[0])
    small = RecognitionStream(seq.width, seq.height, window_s=60.0, max_frames=50)
    _feed(small, seq)
    assert small.n_frames == 50 and small.done and small._lm.shape[0] == 50


def test_stream_before_anyone_is_seen_is_unknown() -> None:
    stream = RecognitionStream(640, 480)
    for i in range(10):
        stream.update(i / 30, None, None)
    assert stream.result().family == "unknown" and not stream.done
