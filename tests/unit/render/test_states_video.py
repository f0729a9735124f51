"""Per-frame states and cue track from an analysis; the annotated H.264 video (ffprobe, atoms, errors)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.config import Config
from formcheck.cues import analysis_cues, count_changes
from formcheck.engine.registry import get_spec
from formcheck.errors import InputError, VideoNotFoundError
from formcheck.render import cue_track, frame_states, quality_badge, write_annotated_video
from formcheck.render.video import iter_video_frames
from formcheck.types import Quality

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from fc_report_builders import make_analysis, make_sequence, rep_plan, write_figure_video  # noqa: E402

CFG = Config()
FAST = (1.0, 0.4, 0.8, 0.4)  # short reps keep the test video small


def analysis_with_cues(reps):
    an = make_analysis(reps)
    return dataclasses.replace(an, cues=analysis_cues(an, CFG))


def test_frame_states_follow_the_reps():
    reps = rep_plan(3)
    an = analysis_with_cues(reps)
    seq = make_sequence(an)
    states = frame_states(seq, an)
    assert len(states) == seq.n_frames
    t = seq.t_s

    def at(ts):
        return states[int(np.argmin(np.abs(t - ts)))]

    r = reps[1]
    assert at(r.start_s + 1.0).phase == "eccentric"
    assert at(r.start_s + r.eccentric_s + 0.5).phase == "bottom"
    assert at(r.end_s - 0.5).phase == "concentric"
    assert at(r.end_s + 0.3).phase == "top"
    assert at(0.2).phase == "top"
    assert at(r.start_s + 1.0).rep_count == 1
    assert at(r.end_s + 0.3).rep_count == 2
    assert at(r.start_s + 1.0).values["phase_elapsed_s"] == pytest.approx(1.0, abs=0.04)
    new = [s.new_rep.index for s in states if s.new_rep is not None]
    assert new == [1, 2, 3]
    i = 50
    assert states[i].values["hip_flexion_deg"] == an.series["hip_flexion_deg"][i]
    assert np.allclose(states[i].landmarks_px, seq.xy_px()[i])


def test_frame_states_carry_the_exercises_live_values_and_name():
    an = analysis_with_cues(rep_plan(1))
    seq = make_sequence(an)
    st = frame_states(seq, an)[40]
    from formcheck.render.overlay import verdict_key

    # the live values, and the analysis' verdict on the one the overlay colours against a limit (the back)
    want = {*get_spec(an.exercise).live_keys, "phase_elapsed_s", verdict_key("spine_flexion_est_deg")}
    assert set(st.values) == want
    assert st.exercise == an.exercise and st.view == an.quality.view
    # an exercise this version does not know: every series it has (but time) is carried, unknown ones are not made up
    other = dataclasses.replace(
        an, exercise="from-a-newer-version", series={"t_s": an.series["t_s"], "lift_deg": np.arange(seq.n_frames) * 1.0}
    )
    st = frame_states(seq, other)[40]
    assert set(st.values) == {"lift_deg", "phase_elapsed_s"} and st.values["lift_deg"] == 40.0
    assert st.exercise == "from-a-newer-version"


def test_frame_states_mark_absent_frames_away():
    an = analysis_with_cues(rep_plan(1))
    seq = make_sequence(an)
    lm = np.array(seq.landmarks)
    lm[10:20] = np.nan
    seq = dataclasses.replace(seq, landmarks=lm)
    states = frame_states(seq, an)
    assert {s.phase for s in states[10:20]} == {"away"}
    assert states[25].phase != "away"


def test_cue_track_shows_rep_feedback_after_the_rep_without_flicker():
    faults = {2: {"spine_flexion_est_deg": 20.0}}
    reps = rep_plan(3, faults)
    an = analysis_with_cues(reps)
    seq = make_sequence(an)
    states = frame_states(seq, an)
    track = cue_track(states, an, CFG)
    codes = [None if c is None else c.code for c in track]
    t = seq.t_s
    # the live estimate crosses 12° during rep 2 → the live safety cue shows while bending
    assert "spine.rounding" in codes[int(np.searchsorted(t, reps[1].start_s)) : int(np.searchsorted(t, reps[1].end_s))]
    # after rep 1 (clean) its praise appears
    after1 = codes[int(np.searchsorted(t, reps[0].end_s)) : int(np.searchsorted(t, reps[0].end_s + 0.5))]
    assert "praise.clean" in after1
    # every displayed cue lasts at least the minimum display time (except possibly the last), unless the next rep
    # begins first: a rep's feedback waits for the rep's end and leaves when the next rep starts (1 s later here)
    starts = {int(np.searchsorted(t, r.start_s)) for r in reps}  # the first frame of each rep
    begin = 0
    runs = []  # (code, first frame, first frame after it)
    for code, g in itertools.groupby(codes):
        n = len(list(g))
        runs.append((code, begin, begin + n))
        begin += n
    for code, first, after in runs[:-1]:
        if code is not None and after not in starts:
            assert (after - first) / 30.0 >= CFG.cues.min_display_s - 1 / 30
    assert count_changes(track) < 12


def test_cue_track_shows_no_correction_the_analysis_does_not_give():
    # The per-frame back series crosses the rounding threshold during rep 2, but the analysis gives rep 2 no rounding
    # cue (its reading at the bottom was not confident, as on the flat-backed deadlift_side_jf9ss9_2 whose outline
    # read 25° for a moment): the video shows what the report says, not a safety cue of its own.
    reps = rep_plan(3, {2: {"spine_flexion_est_deg": 20.0}})
    an = analysis_with_cues(reps)
    assert "spine.rounding" in {c.code for c in an.cues}
    unclear = tuple(
        dataclasses.replace(r, metrics={**r.metrics, "spine_flexion_est_deg": math.nan}) if r.index == 2 else r
        for r in an.reps
    )
    an = dataclasses.replace(an, reps=unclear)  # the series keeps its 20° frames
    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    assert "spine.rounding" not in {c.code for c in an.cues}
    seq = make_sequence(an)
    codes = {None if c is None else c.code for c in cue_track(frame_states(seq, an), an, CFG)}
    assert "spine.rounding" not in codes


@pytest.mark.parametrize(
    ("quality", "ok"),
    [
        (Quality(view="side", full_body_fraction=1.0, side_used="left"), True),
        (Quality(view="front", full_body_fraction=1.0), False),
        (Quality(view="side", full_body_fraction=0.5), False),
        (Quality(), False),
    ],
)
def test_quality_badge(quality, ok):
    text = quality_badge(quality)
    assert ("✓" in text) is ok and ("⚠" in text) is not ok


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    d = tmp_path_factory.mktemp("clip")
    an = analysis_with_cues(rep_plan(2, {2: {"spine_flexion_est_deg": 20.0}}, tempo=FAST, lead_s=0.5))
    seq = make_sequence(an, width=320, height=240)
    video = write_figure_video(d / "figure.mp4", seq)
    return d, video, seq, an


def _atoms(path: Path) -> list[str]:
    data = path.read_bytes()
    out, i = [], 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        out.append(kind.decode("latin-1"))
        if size < 8:
            break
        i += size
    return out


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe not installed")
def test_annotated_video_is_browser_ready_h264(clip):
    d, video, seq, an = clip
    out = write_annotated_video(video, seq, an, d / "annotated.mp4", CFG)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
         "stream=codec_name,pix_fmt,width,height,nb_read_frames", "-of", "json", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    s = json.loads(probe.stdout)["streams"][0]
    assert s["codec_name"] == "h264" and s["pix_fmt"] == "yuv420p"
    assert (s["width"], s["height"]) == (320, 240)
    assert int(s["nb_read_frames"]) == seq.n_frames
    atoms = _atoms(out)
    assert atoms.index("moov") < atoms.index("mdat")  # +faststart
    # the overlay is really on the frames: they differ from the source
    src = [img for _, img in iter_video_frames(video)]
    ann = [img for _, img in iter_video_frames(out)]
    assert len(src) == len(ann)
    diff = np.mean([np.abs(a.astype(int) - b.astype(int)).mean() for a, b in zip(src, ann, strict=True)])
    assert diff > 3


def test_annotated_video_errors(clip, tmp_path):
    d, video, seq, an = clip
    with pytest.raises(VideoNotFoundError):
        write_annotated_video(tmp_path / "missing.mp4", seq, an, tmp_path / "o.mp4", CFG)
    other = make_sequence(an, width=640, height=480)
    with pytest.raises(InputError, match="different videos"):
        write_annotated_video(video, other, an, tmp_path / "o.mp4", CFG)
    assert not (tmp_path / "o.mp4").exists()
    assert not list(tmp_path.glob("*.part"))
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all")
    with pytest.raises(InputError):
        write_annotated_video(bad, seq, an, tmp_path / "o2.mp4", CFG)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")
def test_reader_applies_container_rotation_like_ffmpeg(clip, tmp_path):
    _, video, _, _ = clip
    rotated = tmp_path / "rotated.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(video), "-c", "copy",
                    "-metadata:s:v:0", "rotate=90", str(rotated)], check=True)  # fmt: skip
    ref_png = tmp_path / "ref.png"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(rotated), "-frames:v", "1", str(ref_png)], check=True
    )
    ref = cv2.imread(str(ref_png))  # ffmpeg applies the display matrix itself
    _, first = next(iter(iter_video_frames(rotated)))
    assert first.shape == ref.shape == (320, 240, 3)
    assert np.abs(first.astype(int) - ref.astype(int)).mean() < 1.0


def _badge_cases() -> list[tuple[str, str]]:
    from formcheck.engine import registry

    return [(name, view) for name in registry.names() for view in ("side", "front", "oblique")]


@pytest.mark.parametrize(("exercise", "view"), _badge_cases())
def test_quality_badge_reads_the_exercises_best_view(exercise, view):
    # The badge agrees with the printed view warning (the spec's first view is the one it asks for): a tick only for
    # that view, and never "turn side-on" to a front-view exercise (a side plank filmed at an angle was told to)
    # nor a tick for one filmed from the side (side bend, trunk rotation, Pallof press).
    spec = get_spec(exercise)
    best = spec.views[0]
    text = quality_badge(Quality(view=view, full_body_fraction=1.0, side_used="left"), spec.views)
    assert ("✓" in text) is (view == best)
    if view != best:
        assert text.startswith(f"⚠ {view.capitalize()} view")
        assert ("turn side-on" in text) is (best == "side")
        assert ("face the camera" in text) is (best == "front")


def test_overlay_verdicts_follow_the_reps_readings_not_the_per_frame_series():
    # The per-frame back series reads 20° in rep 2 (past the 12° limit). Rep 2 cued: the frames carry the cue (red).
    # Rep 2 read 8° (no cue, as deadlift_side_jf9ss9_2's 4-10° reps under a +30° moment): not red. Rep 2's reading
    # unclear (NaN): no per-frame number in that rep at all, as the table's "–".
    from formcheck.render.overlay import verdict_key

    key, flag = "spine_flexion_est_deg", verdict_key("spine_flexion_est_deg")
    reps = rep_plan(3, {2: {key: 20.0}})
    cued = analysis_with_cues(reps)
    seq = make_sequence(cued)
    t = seq.t_s
    inside = (t > reps[1].start_s + 0.2) & (t < reps[1].end_s - 0.2)
    series_20 = inside & (np.abs(cued.series[key] - 20.0) < 0.5)
    assert series_20.sum() > 5  # the case under test: the series is past the limit in rep 2

    def states_of(rep2_value):
        an = cued
        if rep2_value is not None:
            an = dataclasses.replace(an, reps=tuple(
                dataclasses.replace(r, metrics={**r.metrics, key: rep2_value}) if r.index == 2 else r for r in an.reps
            ))  # fmt: skip
            an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
        return frame_states(seq, an, CFG)

    st = states_of(None)
    assert all(st[i].values[flag] == 1.0 for i in np.flatnonzero(series_20))
    assert st[int(np.flatnonzero(t > reps[0].start_s + 0.5)[0])].values[flag] == 0.0  # clean rep 1
    st = states_of(8.0)
    assert all(st[i].values[flag] == 0.0 and st[i].values[key] > 12.0 for i in np.flatnonzero(series_20))
    st = states_of(math.nan)
    assert all(math.isnan(st[i].values[key]) for i in np.flatnonzero(inside))
    assert math.isfinite(st[int(np.flatnonzero(t > reps[0].start_s + 0.5)[0])].values[key])  # rep 1 read: shown
