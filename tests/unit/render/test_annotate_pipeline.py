"""The annotated video's overlapped stages (decode, draw, encode on three threads): same frames as one loop, errors,
clean-up, bounded queues; the frames' conversion to YUV for the encoder."""

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
from formcheck.render.overlay import banner_track
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
    """The annotated video written by one plain loop in this thread (decode, draw, convert, encode frame by frame)."""
    fmt = OUTPUT_FORMATS[".mp4"]
    states = frame_states(seq, an)
    cues = cue_track(states, an, CFG)
    bands = banner_track(states, cues, seq.width, seq.height)
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
            drawn = draw_overlay(img, states[i], cues[i], badge, CFG, exercise=an.exercise, banner_at=bands[i])
            frame = video_mod._to_video_frame(drawn, st.pix_fmt)
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

    def broken(*a, **k):
        raise RuntimeError("the encoder broke")

    monkeypatch.setattr(video_mod, "_to_video_frame", broken)  # runs in the encode thread
    with pytest.raises(RuntimeError, match="encoder broke"):
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


def bt601_limited(bgr: tuple[int, int, int]) -> tuple[float, float, float]:
    """Y, U, V of one colour by ITU-R BT.601, limited range (Y 16-235, U/V 16-240): what H.264 players assume."""
    b, g, r = bgr
    y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
    u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255
    v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255
    return y, u, v


@pytest.mark.parametrize(
    "bgr", [(255, 255, 255), (0, 0, 0), (128, 128, 128), (0, 0, 255), (0, 255, 0), (255, 0, 0), (0, 215, 255)]
)
def test_yuv_frames_are_bt601_limited_range(bgr):
    img = np.zeros((16, 24, 3), np.uint8)
    img[:] = bgr
    yuv = video_mod._to_video_frame(img, "yuv420p")
    assert yuv.format.name == "yuv420p" and (yuv.width, yuv.height) == (24, 16)
    planes = yuv.to_ndarray()  # Y (16 rows), then U and V (4 rows each of 24 = two 12-wide rows per row)
    want = bt601_limited(bgr)
    assert abs(planes[:16].astype(float) - want[0]).max() < 1  # within a level (fixed-point coefficients)
    assert abs(planes[16:20].astype(float) - want[1]).max() < 1
    assert abs(planes[20:24].astype(float) - want[2]).max() < 1


def test_non_yuv420_formats_keep_ffmpegs_conversion():
    img = np.full((16, 24, 3), 200, np.uint8)
    frame = video_mod._to_video_frame(img, "yuvj420p")  # Motion JPEG (.avi): full range, converted by FFmpeg
    assert frame.format.name == "bgr24" and np.array_equal(frame.to_ndarray(), img)
