"""The pipelined extraction (decode thread → pose thread → caller's thread) against known truth and against the
one-thread path: same frames, in order, with the same timestamps; errors and a raising progress callback stop
every thread; the decoder never runs more than the bounded queues ahead.

The decoder and the model are faked (fast); the last test runs the real model on the bundled sample clip.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import formcheck.extract
from formcheck.config import Config
from formcheck.errors import UnreadableVideoError
from formcheck.extract import MAX_FRAME_QUEUE, POSE_QUEUE, _queue_depth, extract_poses
from formcheck.synth import hinge_clip, render_mask
from formcheck.types import PoseFrame, VideoInfo

SCALE = 0.5


@pytest.fixture(scope="module")
def clip():
    # 10 fps, a few frames with nobody (NaN landmarks) so the probes' NaN path runs too.
    return hinge_clip(n_reps=1, tempo=(1.0, 0.2, 1.0, 0.2), fps=10.0, dropout_frac=0.1, contour=True, seed=5)


class Fakes:
    """A fake decoder and model. The model 'tracks': its output depends on the previous call, as VIDEO mode's does,
    so a frame fed out of order or twice changes the result."""

    def __init__(self, clip, times_s=None, fail_after=None, model_fails_at=None, decode_delay_s=0.0):
        self.clip = clip
        seq = clip.seq
        self.times_s = np.asarray(seq.t_s if times_s is None else times_s, dtype=float)
        self.fail_after = fail_after
        self.model_fails_at = model_fails_at
        self.decode_delay_s = decode_delay_s
        self.decoded = 0  # frames handed out by the decoder so far
        self.fed_t_ms: list[int] = []
        self.model_threads: set[str] = set()
        self.closed = {"reader": False, "model": False}
        self.info = VideoInfo("clip.mp4", seq.width, seq.height, 10.0, len(self.times_s), len(self.times_s) / 10.0)

    def install(self, monkeypatch) -> Fakes:
        fakes = self

        class Reader:
            def __init__(self, path):
                self.info = fakes.info

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fakes.closed["reader"] = True

            def __iter__(self):
                for i, t in enumerate(fakes.times_s):
                    if fakes.fail_after is not None and i == fakes.fail_after:
                        raise UnreadableVideoError(f"damaged after {i} frames")
                    time.sleep(fakes.decode_delay_s)
                    fakes.decoded += 1
                    yield np.full((2, 2, 3), i % 256, np.uint8), float(t)

        class Estimator:
            model_sha256 = "ab" * 32

            def __init__(self, cfg, mode):
                assert mode == "video"
                self.segmentation = cfg.segmentation
                self.prev = -1.0

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fakes.closed["model"] = True

            def process(self, frame, t_ms, *, mask_scale=1.0):
                i = len(fakes.fed_t_ms)
                if fakes.model_fails_at == i:
                    raise RuntimeError("model failed")
                assert int(frame[0, 0, 0]) == i % 256, "frames must reach the model in order"
                fakes.fed_t_ms.append(t_ms)
                fakes.model_threads.add(threading.current_thread().name)
                seq = fakes.clip.seq
                lm = seq.landmarks[i % seq.n_frames].copy()
                world = seq.world[i % seq.n_frames].copy()
                world[:, 3] = self.prev  # the 'tracking state': the frame seen before this one
                self.prev = float(i)
                present = not np.isnan(lm[0, 0])
                mask = render_mask(fakes.clip, i % seq.n_frames, mask_scale=mask_scale) if present else None
                return PoseFrame(t_ms / 1000.0, lm, world, int(present), mask)

        monkeypatch.setattr(formcheck.extract, "open_video", Reader)
        monkeypatch.setattr(formcheck.extract, "PoseEstimator", Estimator)
        return self


@pytest.fixture
def cfg():
    return Config().replace("pose", mask_scale=SCALE, segmentation=True)


def no_worker_threads_left(timeout_s: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not any(t.name.startswith("formcheck-") for t in threading.enumerate()):
            return True
        time.sleep(0.01)
    return False


def test_pipelined_equals_truth_and_the_one_thread_path(monkeypatch, clip, cfg):
    seq = clip.seq
    out = {}
    fed = {}
    for pipelined in (False, True):
        fakes = Fakes(clip).install(monkeypatch)
        out[pipelined] = extract_poses("clip.mp4", cfg, pipelined=pipelined)
        fed[pipelined] = fakes.fed_t_ms
        assert fakes.closed == {"reader": True, "model": True}
    a, b = out[False], out[True]
    # Truth: the model's landmarks for frame i, in order; each frame saw the previous frame as its 'track'.
    np.testing.assert_array_equal(b.landmarks, seq.landmarks)
    np.testing.assert_array_equal(b.world[:, 0, 3], np.arange(seq.n_frames) - 1.0)
    np.testing.assert_array_equal(b.t_s, seq.t_s)
    assert fed[True] == fed[False] == [round(1000 * t) for t in seq.t_s]
    for name in ("landmarks", "world", "t_s", "n_people"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert set(a.probes) == set(b.probes) == {"dorsal_outline", "scene_lines"}
    np.testing.assert_array_equal(a.probes["dorsal_outline"], b.probes["dorsal_outline"])
    np.testing.assert_array_equal(a.probes["scene_lines"], b.probes["scene_lines"])  # the frame hand-off, in order
    assert np.isnan(b.probes["dorsal_outline"][~b.present]).all()  # nobody → NaN outline, on both paths
    assert a.video == b.video


@pytest.mark.parametrize(
    ("times_s", "expected_ms"),
    [
        ([0.0, 0.0333, 0.0667, 0.1], [0, 33, 67, 100]),  # ordinary: rounded milliseconds
        ([0.0, 0.0004, 0.0008, 0.05], [0, 1, 2, 50]),  # same millisecond: bumped by 1 ms each
        ([0.0, 0.1, 0.1004, 0.1006, 0.2], [0, 100, 101, 102, 200]),
    ],
)
def test_model_timestamps_strictly_increase_as_in_the_one_thread_loop(monkeypatch, clip, cfg, times_s, expected_ms):
    fakes = Fakes(clip, times_s=times_s).install(monkeypatch)
    seq = extract_poses("clip.mp4", cfg)
    assert fakes.fed_t_ms == expected_ms
    np.testing.assert_array_equal(seq.t_s, times_s)  # the sequence keeps the container's times, unrounded


def test_model_runs_off_the_callers_thread_and_progress_on_it(monkeypatch, clip, cfg):
    fakes = Fakes(clip).install(monkeypatch)
    calls = []
    extract_poses("clip.mp4", cfg, progress=lambda d, t: calls.append((d, t, threading.current_thread().name)))
    n = clip.seq.n_frames
    assert calls == [(i, n, threading.current_thread().name) for i in range(1, n + 1)]
    assert fakes.model_threads == {"formcheck-pose"}
    assert no_worker_threads_left()


def test_decode_error_mid_video_propagates_and_stops_the_threads(monkeypatch, clip, cfg):
    fakes = Fakes(clip, fail_after=7).install(monkeypatch)
    with pytest.raises(UnreadableVideoError, match="damaged after 7 frames"):
        extract_poses("clip.mp4", cfg)
    assert len(fakes.fed_t_ms) == 7
    assert fakes.closed == {"reader": True, "model": True}
    assert no_worker_threads_left()


def test_model_error_propagates_and_stops_the_threads(monkeypatch, clip, cfg):
    fakes = Fakes(clip, model_fails_at=4).install(monkeypatch)
    with pytest.raises(RuntimeError, match="model failed"):
        extract_poses("clip.mp4", cfg)
    assert fakes.closed == {"reader": True, "model": True}
    assert no_worker_threads_left()


class CancelledError(Exception):
    pass


def test_exception_from_the_progress_callback_cancels(monkeypatch, clip, cfg):
    fakes = Fakes(clip).install(monkeypatch)

    def progress(done, total):
        if done == 3:
            raise CancelledError

    with pytest.raises(CancelledError):
        extract_poses("clip.mp4", cfg, progress=progress)
    assert no_worker_threads_left()
    assert fakes.closed == {"reader": True, "model": True}
    # stopped, not run to the end: at most the queues' worth of frames beyond the third
    assert fakes.decoded <= 3 + MAX_FRAME_QUEUE + POSE_QUEUE + 3


def test_decoder_stays_within_the_bounded_queues_of_a_slow_consumer(monkeypatch, clip, cfg):
    fakes = Fakes(clip).install(monkeypatch)
    lead = []

    def progress(done, total):
        time.sleep(0.01)  # the caller's stage is the slow one: the decoder must wait, not fill memory
        lead.append(fakes.decoded - done)

    extract_poses("clip.mp4", cfg, progress=progress)
    depth = _queue_depth(fakes.info.width, fakes.info.height)
    # queued frames + queued poses + one frame in the decoder's hand + one in the model
    assert max(lead) <= depth + POSE_QUEUE + 2
    assert max(lead) >= depth  # it did run ahead (else the test proves nothing)


@pytest.mark.parametrize(
    ("size", "depth"),
    [((640, 480), 8), ((1280, 720), 8), ((1920, 1080), 8), ((2560, 1440), 6), ((3840, 2160), 2), ((7680, 4320), 2)],
)
def test_frame_queue_depth_bounds_bytes(size, depth):
    assert _queue_depth(*size) == depth
    assert _queue_depth(*size) * size[0] * size[1] * 3 <= max(64 * 2**20, 2 * size[0] * size[1] * 3)


@pytest.mark.integration
def test_real_model_identical_landmarks_on_the_sample_clip(sample_video, sample_extraction):
    """VIDEO mode tracks from frame to frame: the pipelined path must give the same arrays, bit for bit."""
    one = extract_poses(sample_video, Config(), pipelined=False)
    piped = sample_extraction[0]  # extract_poses(sample, Config()) pipelined (the default), shared with test_extract.py
    assert piped.n_frames == one.n_frames == 585
    for name in ("landmarks", "world", "t_s", "n_people"):
        np.testing.assert_array_equal(getattr(piped, name), getattr(one, name), err_msg=name)
    assert set(piped.probes) == set(one.probes)
    for name in one.probes:
        np.testing.assert_array_equal(piped.probes[name], one.probes[name], err_msg=name)
    assert piped.present.mean() >= 0.95  # and they are real landmarks, not two equal empty results
