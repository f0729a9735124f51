import json
import math

import numpy as np
import pytest

from formcheck.types import LM, SCHEMA, Analysis, Cue, PoseSequence, Quality, Rep, VideoInfo, side_indices


def _seq(T=5, **kw):
    lm = np.random.default_rng(0).random((T, 33, 4))
    return PoseSequence(landmarks=lm, world=lm.copy(), t_s=np.arange(T) / 30.0, width=640, height=480, **kw)


def test_pose_sequence_shapes_and_readonly():
    s = _seq()
    assert s.n_frames == 5
    assert s.fps == pytest.approx(30.0)
    assert not s.landmarks.flags.writeable
    with pytest.raises(ValueError):
        s.landmarks[0, 0, 0] = 1.0


@pytest.mark.parametrize(
    ("lm_shape", "world_shape", "t_len", "msg"),
    [
        ((5, 32, 4), (5, 32, 4), 5, "landmarks"),
        ((5, 33, 3), (5, 33, 3), 5, "landmarks"),
        ((5, 33, 4), (4, 33, 4), 5, "world"),
        ((5, 33, 4), (5, 33, 4), 4, "t_s"),
    ],
)
def test_pose_sequence_rejects_bad_shapes(lm_shape, world_shape, t_len, msg):
    with pytest.raises(ValueError, match=msg):
        PoseSequence(np.zeros(lm_shape), np.zeros(world_shape), np.arange(t_len, dtype=float), 640, 480)


def test_pose_sequence_rejects_non_monotonic_time():
    with pytest.raises(ValueError, match="increasing"):
        PoseSequence(np.zeros((3, 33, 4)), np.zeros((3, 33, 4)), np.array([0.0, 0.1, 0.1]), 640, 480)


def test_xy_px_is_aspect_correct_and_nan_preserved():
    lm = np.full((2, 33, 4), np.nan)
    lm[0, :, 0] = 0.5
    lm[0, :, 1] = 0.25
    lm[0, :, 3] = 1.0
    s = PoseSequence(lm, lm.copy(), np.array([0.0, 0.04]), 640, 480)
    px = s.xy_px()
    assert px[0, 0].tolist() == [320.0, 120.0]
    assert np.isnan(px[1]).all()
    assert s.present.tolist() == [True, False]


def test_slice_keeps_optional_arrays():
    T = 6
    s = _seq(T, back_contour_px=np.zeros((T, 24, 2)), n_people=np.ones(T))
    sub = s.slice(2, 5)
    assert sub.n_frames == 3
    assert sub.back_contour_px.shape == (3, 24, 2)
    assert sub.t_s[0] == pytest.approx(2 / 30)


@pytest.mark.parametrize(("side", "hip"), [("left", LM.LEFT_HIP), ("right", LM.RIGHT_HIP)])
def test_side_indices(side, hip):
    assert side_indices(side)["hip"] == hip


def test_side_indices_rejects_other():
    with pytest.raises(ValueError):
        side_indices("front")


def test_analysis_json_round_trip_with_nan():
    rep = Rep(
        1,
        0.0,
        2.0,
        5.0,
        2.0,
        0.5,
        1.5,
        1.0,
        4.0,
        60.0,
        "hinge",
        {"hip_share": 0.8, "spine_flexion_est_deg": math.nan},
    )
    a = Analysis(
        exercise="hinge",
        reps=(rep,),
        cues=(
            Cue(
                "spine.rounding",
                "safety",
                "Keep the back long",
                10,
                "spine_flexion_est_deg",
                15.0,
                12.0,
                1,
                2.0,
            ),
        ),
        quality=Quality(
            view="side", facing="right", side_used="right", frames_total=10, warnings=("dim light",)
        ),
        series={"t_s": np.arange(3) / 30, "hip_flexion_deg": np.array([0.0, np.nan, 10.0])},
        video=VideoInfo("x.mp4", 640, 480, 30.0, 3, 0.1),
    )
    d = a.to_json_dict()
    text = json.dumps(d, allow_nan=False)  # must be strict JSON: NaN -> null
    back = Analysis.from_json_dict(json.loads(text))
    assert d["schema"] == SCHEMA
    assert back.reps[0].metrics["hip_share"] == 0.8
    assert back.reps[0].metrics["spine_flexion_est_deg"] is None
    assert np.isnan(back.series["hip_flexion_deg"][1])
    assert back.quality.warnings == ("dim light",)
    assert back.cues[0].code == "spine.rounding"


def test_analysis_rejects_mismatched_series():
    with pytest.raises(ValueError, match="series"):
        Analysis("hinge", (), (), Quality(), series={"a": np.zeros(3), "b": np.zeros(4)})


def test_from_json_rejects_other_schema():
    with pytest.raises(ValueError, match="schema"):
        Analysis.from_json_dict({"schema": "something/9"})
