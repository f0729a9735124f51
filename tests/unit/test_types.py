import json
import math

import numpy as np
import pytest

from formcheck.types import (
    LM,
    SCHEMA,
    Analysis,
    Break,
    Cue,
    Hold,
    PoseSequence,
    Quality,
    Rep,
    VideoInfo,
    side_indices,
)


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
        quality=Quality(view="side", facing="right", side_used="right", frames_total=10, warnings=("dim light",)),
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


# -- schema v2: sides, rep holds, holds -------------------------------------------------------------------------

V1_DOC = {  # a document as formcheck.analysis/1 wrote it (saved files, history rows): no holds, no side, no hold_s
    "schema": "formcheck.analysis/1",
    "video": None,
    "exercise": "hinge",
    "reps": [
        {"index": 1, "start_s": 1.0, "bottom_s": 4.5, "end_s": 7.0, "eccentric_s": 3.0, "bottom_pause_s": 1.0,
         "concentric_s": 2.0, "top_pause_s": None, "time_under_tension_s": 6.0, "rom_deg": 85.0,
         "classification": "hinge", "metrics": {"hip_share": 0.8, "spine_flexion_est_deg": None}},
    ],
    "cues": [],
    "quality": {"view": "side", "facing": "right", "side_used": "right", "frames_total": 585, "person_fraction": 1.0,
                "full_body_fraction": 1.0, "multi_person_fraction": 0.0, "mean_visibility": None, "warnings": []},
    "summary": {"n_reps": 1},
    "limits": [],
    "settings": {"height_cm": 170.0},
}  # fmt: skip


def test_schema_is_version_2():
    assert SCHEMA == "formcheck.analysis/2"
    assert Analysis("hinge", (), (), Quality()).to_json_dict()["schema"] == "formcheck.analysis/2"


def test_v1_document_still_reads():
    a = Analysis.from_json_dict(json.loads(json.dumps(V1_DOC)))
    r = a.reps[0]
    assert (r.index, r.start_s, r.end_s, r.classification) == (1, 1.0, 7.0, "hinge")
    assert math.isnan(r.top_pause_s) and r.metrics["spine_flexion_est_deg"] is None
    assert r.side is None and math.isnan(r.hold_s)
    assert a.holds == ()
    # Written again it is a v2 document with the new keys.
    d = a.to_json_dict()
    assert d["schema"] == SCHEMA and d["holds"] == [] and d["reps"][0]["side"] is None
    assert d["reps"][0]["hold_s"] is None


def test_unknown_rep_keys_are_ignored():
    doc = json.loads(json.dumps(V1_DOC))
    doc["schema"] = SCHEMA
    doc["reps"][0]["added_later_s"] = 3.0
    assert Analysis.from_json_dict(doc).reps[0].end_s == 7.0


@pytest.mark.parametrize("field", ["eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s",
                                   "time_under_tension_s"])  # fmt: skip
def test_a_negative_phase_saved_by_an_older_version_reads_as_unknown(field):
    doc = json.loads(json.dumps(V1_DOC))
    doc["schema"] = SCHEMA
    doc["reps"][0][field] = -0.5  # a fitted phase that ended before its window ("that one took -0.5 s")
    rep = Analysis.from_json_dict(doc).reps[0]
    assert math.isnan(getattr(rep, field))
    assert rep.end_s == 7.0  # times of the rep are not durations: kept as saved
    others = [f for f in ("eccentric_s", "concentric_s") if f != field]
    assert all(math.isfinite(getattr(rep, f)) for f in others)


@pytest.mark.parametrize(
    ("side", "hold_s"), [("left", 2.0), ("right", math.nan), (None, 1.5)], ids=["left", "right-no-hold", "both"]
)
def test_rep_side_and_hold_round_trip(side, hold_s):
    rep = Rep(1, 0.0, 2.0, 5.0, 1.5, 2.0, 1.5, 0.5, 5.0, 40.0, "", {"reach_deg": 80.0}, side=side, hold_s=hold_s)
    d = json.loads(json.dumps(Analysis("bird_dog", (rep,), (), Quality()).to_json_dict(), allow_nan=False))
    assert d["reps"][0]["side"] == side
    assert d["reps"][0]["hold_s"] == (None if math.isnan(hold_s) else hold_s)
    back = Analysis.from_json_dict(d).reps[0]
    assert back.side == side
    assert back.hold_s == hold_s or (math.isnan(back.hold_s) and math.isnan(hold_s))


@pytest.mark.parametrize("bad", ["both", "L", ""])
def test_rep_and_hold_reject_other_sides(bad):
    with pytest.raises(ValueError, match="side"):
        Rep(1, 0, 1, 2, 1, 0, 1, 0, 2, 40.0, side=bad)
    with pytest.raises(ValueError, match="side"):
        Hold(1, 0.0, 10.0, 9.0, side=bad)


def test_holds_round_trip_with_breaks_and_unknowns():
    holds = (
        Hold(1, 2.0, 32.0, 27.5, (Break(10.0, 11.0), Break(20.0, 21.5)), None, {"body_line_mean_deg": 3.0}),
        Hold(2, 40.0, 55.0, 15.0, (), "left", {"body_line_mean_deg": math.nan}),
    )
    a = Analysis("plank", (), (), Quality(), holds=holds)
    d = json.loads(json.dumps(a.to_json_dict(include_series=False), allow_nan=False))
    assert d["holds"][0] == {
        "index": 1, "start_s": 2.0, "end_s": 32.0, "duration_s": 30.0, "in_band_s": 27.5,
        "breaks": [{"start_s": 10.0, "end_s": 11.0, "duration_s": 1.0}, {"start_s": 20.0, "end_s": 21.5,
                                                                          "duration_s": 1.5}],
        "side": None, "metrics": {"body_line_mean_deg": 3.0},
    }  # fmt: skip
    assert d["holds"][1]["side"] == "left" and d["holds"][1]["metrics"]["body_line_mean_deg"] is None
    back = Analysis.from_json_dict(d)
    assert back.holds[0] == holds[0]
    assert back.holds[1].side == "left" and back.holds[1].duration_s == 15.0
    assert back.holds[0].breaks[1].duration_s == 1.5


@pytest.mark.parametrize(("start_s", "end_s", "in_band_s", "frac"), [(0.0, 10.0, 8.0, 0.8), (5.0, 5.0, 0.0, math.nan)])
def test_hold_derived_durations(start_s, end_s, in_band_s, frac):
    h = Hold(1, start_s, end_s, in_band_s)
    assert h.duration_s == end_s - start_s
    assert h.in_band_frac == pytest.approx(frac, nan_ok=True)
