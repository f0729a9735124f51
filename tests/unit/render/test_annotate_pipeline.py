"""The annotated video's overlapped stages (decode, draw, encode on three threads): same file, errors, clean-up."""

from __future__ import annotations

import dataclasses
import sys
import threading
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.engine.registry import find_spec
from formcheck.render import cue_track, draw_overlay, frame_states, quality_badge, write_annotated_video
from formcheck.render import video as video_mod
from formcheck.render.video import OUTPUT_FORMATS, frame_index_map, iter_video_frames

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from fc_report_builders import make_analysis, make_sequence, rep_plan, write_figure_video  # noqa: E402

CFG = Config()


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    d = tmp_path_factory.mktemp("clip")
    an = make_analysis(rep_plan(2, {2: {"spine_flexion_est_deg": 20.0}}, tempo=(1.0, 0.4, 0.8, 0.4), lead_s=0.5))
    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    seq = make_sequence(an, width=320, height=240)
    return d, write_figure_video(d / "figure.mp4", seq), seq, an


def one_loop_video(video: Path, seq, an, out: Path) -> Path:
    """The annotated video written by one plain loop in this thread (decode, draw, encode frame by frame)."""
    fmt = OUTPUT_FORMATS[".mp4"]
    states = frame_states(seq, an)
    cues = cue_track(states, an, CFG)
    badge = quality_badge(an.quality, find_spec(an.exercise).views[0])
    rate = Fraction(round(seq.fps * 1000), 1000).limit_denominator(1001)
    t0 = None
    with av.open(str(out), "w", format=fmt.container, container_options=dict(fmt.container_options)) as oc:
        st = oc.add_stream(fmt.codec, rate=rate)
        st.width, st.height, st.pix_fmt = seq.width, seq.height, fmt.pix_fmt
        st.options = dict(fmt.codec_options)
        for n, (t, img) in enumerate(iter_video_frames(video)):
            t0 = t if t0 is None else t0
            i = frame_index_map(np.asarray(seq.t_s), t, float(seq.t_s[0]), t0)
            frame = av.VideoFrame.from_ndarray(draw_overlay(img, states[i], cues[i], badge, CFG, exercise=an.exercise),
                                               format="bgr24")  # fmt: skip
            frame.pts, frame.time_base = n, 1 / rate
            for pkt in st.encode(frame):
                oc.mux(pkt)
        for pkt in st.encode():
            oc.mux(pkt)
    return out


def decoded(path: Path) -> list[np.ndarray]:
    return [img for _, img in iter_video_frames(path)]


def test_same_frames_as_one_loop(clip):
    d, video, seq, an = clip
    got = decoded(write_annotated_video(video, seq, an, d / "piped.mp4", CFG))
    want = decoded(one_loop_video(video, seq, an, d / "loop.mp4"))
    assert len(got) == len(want) == seq.n_frames
    assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))


def test_on_frame_sees_every_source_frame_in_order_unchanged(clip):
    d, video, seq, an = clip
    seen: list[tuple[int, np.ndarray]] = []
    write_annotated_video(video, seq, an, d / "tapped.mp4", CFG, on_frame=lambda i, img: seen.append((i, img)))
    source = decoded(video)
    assert [i for i, _ in seen] == list(range(seq.n_frames))  # one pose per frame in this clip
    assert all(np.array_equal(img, src) for (_, img), src in zip(seen, source, strict=True))  # not drawn on


def _no_stage_threads() -> bool:
    return not any(t.name in ("formcheck-decode", "formcheck-encode") for t in threading.enumerate())


def test_an_error_while_drawing_stops_every_stage(clip, tmp_path):
    d, video, seq, an = clip

    def progress(done, total):
        if done == 5:
            raise KeyboardInterrupt  # the user pressed Ctrl-C, say

    with pytest.raises(KeyboardInterrupt):
        write_annotated_video(video, seq, an, tmp_path / "o.mp4", CFG, progress=progress)
    assert _no_stage_threads()
    assert not list(tmp_path.iterdir())  # neither the video nor its .part


def test_an_encoder_error_reaches_the_caller(clip, tmp_path, monkeypatch):
    d, video, seq, an = clip
    # a float frame: the encode thread's from_ndarray refuses it (bgr24 needs uint8)
    monkeypatch.setattr(video_mod, "draw_overlay", lambda img, *a, **k: img.astype(np.float32))
    with pytest.raises(ValueError):
        write_annotated_video(video, seq, an, tmp_path / "o.mp4", CFG)
    assert _no_stage_threads()
    assert not list(tmp_path.iterdir())


def test_queues_are_bounded(clip, tmp_path, monkeypatch):
    """Decoding runs ahead of drawing by at most the two queues and the frames in hand, whatever the length."""
    d, video, seq, an = clip
    decoded_n = [0]
    real = video_mod.iter_video_frames

    def counting(path):
        for item in real(path):
            decoded_n[0] += 1
            yield item

    ahead: list[int] = []

    def slow_progress(done, total):
        threading.Event().wait(0.01)  # drawing is the slow stage here
        ahead.append(decoded_n[0] - done)

    monkeypatch.setattr(video_mod, "iter_video_frames", counting)
    write_annotated_video(video, seq, an, tmp_path / "o.mp4", CFG, progress=slow_progress)
    assert max(ahead) <= video_mod.QUEUE_FRAMES + 2  # the queue, the one being put, the one being drawn
