"""LiveProcessor: frame flow, dropping, snapshots across threads, errors, set lifecycle (fake pose/analyzer)."""

from __future__ import annotations

import asyncio
import dataclasses
import math
import threading

import av
import numpy as np
import pytest

import formcheck.live as live_mod
from formcheck.analyzers.base import LiveState
from formcheck.config import Config
from formcheck.errors import ModelError
from formcheck.live import LiveProcessor, quality_badge
from formcheck.types import Analysis, PoseFrame, Quality, Rep

W, H = 64, 48


class FakeClock:
    def __init__(self, step: float = 1 / 30):
        self.t = 100.0
        self.step = step

    def __call__(self) -> float:
        self.t += self.step / 2  # called twice per frame
        return self.t


class FakeEstimator:
    """Person present except on frames whose top-left pixel is 0; records the timestamps it got."""

    def __init__(self, fail_on: int | None = None):
        self.t_ms: list[int] = []
        self.fail_on = fail_on

    def process(self, frame_rgb, t_ms):
        self.t_ms.append(t_ms)
        if self.fail_on is not None and len(self.t_ms) == self.fail_on:
            raise RuntimeError("graph exploded")
        lm = np.full((33, 4), np.nan)
        if frame_rgb[0, 0, 0] != 0:
            lm = np.random.default_rng(len(self.t_ms)).uniform(0.2, 0.8, (33, 4))
        return PoseFrame(t_s=t_ms / 1000, landmarks=lm, world=lm.copy(), n_people=int(frame_rgb[0, 0, 0] != 0))


def rushed_rep(i: int, t: float) -> Rep:
    return Rep(i, t - 2, t - 1.5, t, 0.5, 0.0, 0.5, 0.0, 1.0, 60.0, "hinge",
               {"target_eccentric_s": 3.0, "target_bottom_s": 1.0, "target_concentric_s": 2.0,
                "target_top_s": 1.0, "hip_share": 0.7})  # fmt: skip


class FakeStream:
    """Setup for 10 frames (1/3 s, longer than the cue confirm time), then a (rushed) rep every 5 frames."""

    def __init__(self):
        self.n = 0
        self.reps = 0
        self.times: list[float] = []

    def update(self, t_s, landmarks, world, width, height, back_contour_px=None, n_people=1):
        assert landmarks.shape == (33, 4) and (width, height) == (W, H)
        self.n += 1
        self.times.append(t_s)
        if np.isnan(landmarks[0, 0]):
            return LiveState(t_s, "away", self.reps, False, "Step into view")
        if self.n <= 10:
            return LiveState(t_s, "setup", 0, False, "Turn side-on to the camera")
        new = None
        if self.n % 5 == 0:
            self.reps += 1
            new = rushed_rep(self.reps, t_s)
        return LiveState(t_s, "eccentric", self.reps, True, None, {"hip_flexion_deg": 40.0}, side_used="right",
                         new_rep=new)  # fmt: skip

    def finish(self):
        reps = tuple(rushed_rep(i, 2.0 * i) for i in range(1, self.reps + 1))
        return Analysis(exercise="hinge", reps=reps, cues=(), quality=Quality(view="side"))


def overlay(frame, state, cue, badge, config):
    out = frame.copy()
    out[-1, -1] = (1, 2, 3)  # mark: the overlay ran
    overlay.calls.append((state.phase, None if cue is None else cue.code, badge))
    return out


overlay.calls = []


def frame(person: bool = True) -> np.ndarray:
    return np.full((H, W, 3), 200 if person else 0, np.uint8)


@pytest.fixture
def proc():
    overlay.calls.clear()
    est = FakeEstimator()
    p = LiveProcessor(Config(), "hinge", estimator=est, analyzer_factory=lambda c: FakeStream(), overlay=overlay,
                      clock=FakeClock(), pipelined=False)  # fmt: skip
    p.est = est
    return p


def test_initial_snapshot_tells_what_to_do(proc):
    s = proc.snapshot()
    assert not s.running and s.rep_count == 0 and s.reps == () and s.setup_message is None and not s.ready
    assert math.isnan(s.fps) and s.drop_rate == 0.0


def test_setup_then_counting_with_cues(proc):
    out = proc.process(frame())
    assert out[-1, -1].tolist() == [1, 2, 3]
    for _ in range(9):
        proc.process(frame())
    s = proc.snapshot()
    assert s.running and s.phase == "setup" and not s.ready and s.setup_message == "Turn side-on to the camera"
    assert s.cue is not None and s.cue.code.startswith("setup.")
    for _ in range(10):
        proc.process(frame())
    s = proc.snapshot()
    assert s.ready and s.rep_count == 2 and [r.index for r in s.reps] == [1, 2]
    assert s.frames_processed == 20 and s.frames_dropped == 0
    assert set(s.rep_cues) == {1, 2} and all(c.code.startswith("tempo.") for c in s.rep_cues.values())
    assert s.side_used == "right" and s.values == {"hip_flexion_deg": 40.0}
    assert s.fps == pytest.approx(30.0, rel=1e-6) and s.proc_ms > 0
    assert s.cue_serial >= 1
    assert overlay.calls[-1][2].startswith("counting · right side · 30 fps")


def test_nobody_in_view(proc):
    for _ in range(10):
        proc.process(frame(person=False))
    s = proc.snapshot()
    assert s.phase == "away" and s.cue.code == "setup.away"


def test_backlog_is_dropped_not_queued(proc):
    proc.process_batch([frame(), frame(), frame()])
    proc.process_batch([frame()])
    s = proc.snapshot()
    assert (s.frames_in, s.frames_processed, s.frames_dropped) == (4, 2, 2)
    assert s.drop_rate == 0.5
    with pytest.raises(ValueError):
        proc.process_batch([])


def test_timestamps_strictly_increase_even_with_a_stuck_clock():
    est = FakeEstimator()
    p = LiveProcessor(Config(), estimator=est, analyzer_factory=lambda c: FakeStream(), overlay=overlay,
                      clock=lambda: 5.0, pipelined=False)  # fmt: skip
    for _ in range(4):
        p.process(frame())
    p.reset()
    p.process(frame())
    assert all(b > a for a, b in zip(est.t_ms, est.t_ms[1:], strict=False))


def test_error_is_reported_and_stream_survives():
    est = FakeEstimator(fail_on=2)
    p = LiveProcessor(Config(), estimator=est, analyzer_factory=lambda c: FakeStream(), overlay=overlay,
                      clock=FakeClock(), pipelined=False)  # fmt: skip
    p.process(frame())
    f = frame()
    assert p.process(f) is f  # returned unannotated
    assert "RuntimeError" in p.snapshot().error
    p.process(frame())
    assert p.snapshot().error is None


def test_finish_returns_set_and_starts_fresh(proc):
    for _ in range(20):
        proc.process(frame())
    a = proc.finish()
    assert len(a.reps) == 2 and a.settings["source"] == "live" and a.settings["target_tempo_s"] == "3-1-2-1"
    assert any(c.code.startswith("tempo.") for c in a.cues)
    s = proc.snapshot()
    assert s.rep_count == 0 and s.frames_in == 0 and s.reps == ()
    proc.process(frame())
    assert proc.snapshot().phase == "setup"  # a new analyzer: setup check again


def test_reset_applies_new_config(proc):
    cfg = Config().replace("body", load_kg=12.0)
    proc.reset(cfg)
    assert proc.config.body.load_kg == 12.0
    proc.process(frame())
    assert proc.finish().settings["load_kg"] == 12.0


def test_rep_memory_is_bounded(proc, monkeypatch):
    monkeypatch.setattr(live_mod, "MAX_REPS_KEPT", 3)
    proc.reset()
    for _ in range(40):
        proc.process(frame())
    s = proc.snapshot()
    assert s.rep_count == 6 and [r.index for r in s.reps] == [4, 5, 6] and set(s.rep_cues) == {4, 5, 6}


def test_camera_stop_keeps_the_set(proc):
    for _ in range(15):
        proc.process(frame())
    proc.on_ended()
    s = proc.snapshot()
    assert not s.running and s.rep_count == 1


def test_threads_read_while_frames_flow(proc):
    stop = threading.Event()
    errors = []

    def camera():
        try:
            while not stop.is_set():
                proc.process_batch([frame(), frame()])
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    t = threading.Thread(target=camera)
    t.start()
    seen = 0
    for i in range(300):
        s = proc.snapshot()
        assert s.frames_in >= s.frames_processed + s.frames_dropped - 1  # in-flight frame at most
        seen = max(seen, s.rep_count)
        if i == 150:
            proc.finish()
    stop.set()
    t.join()
    assert errors == []
    s = proc.snapshot()
    assert s.frames_in == s.frames_processed + s.frames_dropped


def test_recv_queued_with_av_frames(proc):
    frames = []
    for pts in (10, 11, 12):
        f = av.VideoFrame.from_ndarray(frame(), format="bgr24")
        f.pts = pts
        frames.append(f)
    (out,) = asyncio.run(proc.recv_queued(frames))
    assert out.pts == 12 and out.width == W and out.height == H
    assert out.to_ndarray(format="bgr24")[-1, -1].tolist() == [1, 2, 3]
    s = proc.snapshot()
    assert (s.frames_processed, s.frames_dropped) == (1, 2)


@pytest.mark.parametrize(
    ("phase", "ready", "side", "fps", "text"),
    [
        ("away", False, "unknown", 29.6, "nobody in view · 30 fps"),
        ("setup", False, "unknown", math.nan, "setup check"),
        ("top", True, "left", 25.0, "counting · left side · 25 fps"),
    ],
)
def test_quality_badge(phase, ready, side, fps, text):
    assert quality_badge(LiveState(0.0, phase, 0, ready, None, side_used=side), fps) == text


# -- pipelined mode: pose of frame N runs on a worker thread while frame N-1 is analysed ------------------------


class ThreadRecordingEstimator(FakeEstimator):
    def __init__(self, fail_on=None):
        super().__init__(fail_on)
        self.threads: set[str] = set()

    def process(self, frame_rgb, t_ms):
        self.threads.add(threading.current_thread().name)
        return super().process(frame_rgb, t_ms)


def numbered(i: int) -> np.ndarray:
    f = frame()
    f[0, 1] = i  # which frame this is, to see which one comes back
    return f


def make(pipelined: bool, est=None):
    streams = []

    def factory(c):
        streams.append(FakeStream())
        return streams[-1]

    p = LiveProcessor(Config(), estimator=est or ThreadRecordingEstimator(), analyzer_factory=factory,
                      overlay=overlay, clock=FakeClock(), pipelined=pipelined)  # fmt: skip
    p.streams = streams
    return p


def test_pipelined_returns_the_previous_frame_annotated():
    p = make(True)
    first = numbered(1)
    assert p.process(first) is first  # nothing analysed yet: the raw frame goes back
    for i in range(2, 6):
        out = p.process(numbered(i))
        assert out[0, 1, 0] == i - 1 and out[-1, -1].tolist() == [1, 2, 3]
    assert p.snapshot().frames_processed == 4 and p.snapshot().frames_in == 5
    assert all(n.startswith("formcheck-pose") for n in p._estimator.threads)
    p.close()


def test_pipelined_matches_sequential_one_frame_later():
    seq, pipe = make(False), make(True)
    for i in range(30):
        seq.process(numbered(i))
        pipe.process(numbered(i))
    pipe.process(numbered(30))
    a, b = seq.snapshot(), pipe.snapshot()
    assert (a.rep_count, a.frames_processed, a.phase, a.ready) == (b.rep_count, b.frames_processed, b.phase, b.ready)
    assert [r.index for r in a.reps] == [r.index for r in b.reps] and set(a.rep_cues) == set(b.rep_cues)
    pipe.close()


def test_pipelined_finish_counts_the_last_frame():
    p = make(True)
    for i in range(20):  # the 20th frame's pose is done but not yet analysed when finish() is called
        p.process(numbered(i))
    stream = p.streams[-1]
    assert stream.n == 19
    a = p.finish()
    assert stream.n == 20 and len(a.reps) == 2
    assert p.snapshot().frames_in == 0
    p.process(numbered(0))
    assert p.streams[-1].n == 0  # the pending frame of the old set never reaches the new analyzer
    p.close()


def test_pipelined_reset_drops_the_pending_frame():
    p = make(True)
    for i in range(5):
        p.process(numbered(i))
    p.reset()
    p.process(numbered(9))
    assert p.streams[-1].n == 0 and p.snapshot().frames_processed == 0
    p.process(numbered(10))
    assert p.streams[-1].n == 1
    p.close()


def test_pipelined_error_is_reported_and_recovers():
    p = make(True, ThreadRecordingEstimator(fail_on=3))
    for i in range(3):
        p.process(numbered(i))
    assert "RuntimeError" in p.snapshot().error
    for i in range(3, 6):
        p.process(numbered(i))
    s = p.snapshot()
    assert s.error is None and s.frames_processed == 4  # 0 and 1 before the failed frame 2; 3 and 4 after (5 pending)
    p.close()


# -- resources: the pose model is opened on the first frame, released by close()/on_ended, reopened after ----------


class CountingPoseEstimator(FakeEstimator):
    """Stands in for formcheck.pose.PoseEstimator: records every instance and whether it was closed."""

    made: list[CountingPoseEstimator] = []
    fail_open = False

    def __init__(self, cfg, mode):
        if CountingPoseEstimator.fail_open:
            raise ModelError("MediaPipe could not load the pose model x.task (bad zip).")
        super().__init__()
        assert mode == "live"
        self.closed = 0
        CountingPoseEstimator.made.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed += 1

    def process(self, frame_rgb, t_ms):
        assert not self.closed, "a closed estimator was used"
        return super().process(frame_rgb, t_ms)


@pytest.fixture
def owned(monkeypatch):
    import formcheck.pose as pose_mod

    CountingPoseEstimator.made = []
    CountingPoseEstimator.fail_open = False
    monkeypatch.setattr(pose_mod, "PoseEstimator", CountingPoseEstimator)
    monkeypatch.setattr(pose_mod, "resolve_model_path", lambda cfg: None)
    p = LiveProcessor(Config(), analyzer_factory=lambda c: FakeStream(), overlay=overlay, clock=FakeClock())
    yield p
    p.close()


def test_model_is_opened_on_the_first_frame_only(owned):
    assert CountingPoseEstimator.made == [] and not owned.is_open  # a page that never streams loads nothing
    for i in range(3):
        owned.process(numbered(i))
    assert len(CountingPoseEstimator.made) == 1 and owned.is_open


def test_close_is_idempotent_and_releases_model_and_thread(owned):
    for i in range(3):
        owned.process(numbered(i))
    threads = list(owned._pose_pool._threads)
    assert threads and all(t.is_alive() for t in threads)
    owned.close()
    owned.close()
    (est,) = CountingPoseEstimator.made
    assert est.closed == 1 and not owned.is_open
    assert not any(t.is_alive() for t in threads)


@pytest.mark.parametrize("stop", ["close", "on_ended"])
def test_after_close_the_set_can_be_saved_and_frames_continue_it(owned, stop):
    for i in range(16):  # 15 analysed = 1 rep; the 16th frame's pose is pending (pipelined)
        owned.process(numbered(i))
    getattr(owned, stop)()
    s = owned.snapshot()
    assert s.rep_count == 1 and s.running == (stop == "close")
    for i in range(16, 22):  # camera started again: a fresh model, the same set
        owned.process(numbered(i))
    first, second = CountingPoseEstimator.made
    assert first.closed == 1 and second.closed == 0 and len(second.t_ms) == 6
    assert min(second.t_ms) > max(first.t_ms)  # timestamps keep increasing across models
    assert owned.snapshot().rep_count == 2 and owned.snapshot().running
    owned.on_ended()
    assert second.closed == 1
    a = owned.finish()  # "Save set" after STOP: needs no model
    assert len(a.reps) == 2 and len(CountingPoseEstimator.made) == 2


def test_model_that_fails_to_open_is_reported_per_frame(owned):
    CountingPoseEstimator.fail_open = True
    out = owned.process(frame())
    assert (out == frame()).all() and "could not load the pose model" in owned.snapshot().error
    assert not owned.is_open
    CountingPoseEstimator.fail_open = False
    owned.process(frame())
    owned.process(frame())
    assert owned.snapshot().error is None and owned.snapshot().frames_processed == 1


def test_missing_model_is_reported_when_built(tmp_path):
    cfg = Config().replace("pose", model_path=str(tmp_path / "nope.task"))
    with pytest.raises(ModelError):
        LiveProcessor(cfg)


def test_borrowed_estimator_is_never_closed():
    est = ThreadRecordingEstimator()
    est.__exit__ = None  # would fail if called
    p = make(True, est)
    p.process(numbered(0))
    p.close()
    p.close()
    p.process(numbered(1))
    p.process(numbered(2))
    assert len(est.t_ms) == 3 and p.snapshot().frames_processed == 2
    p.close()


class TopPauseStream:
    """Setup for 10 frames, then a rep every 5 frames, kept as the engine's stream keeps them: a rep's top pause
    is filled in its own list (the public ``reps``) once the next rep began."""

    def __init__(self):
        self.n = 0
        self.counted: list[Rep] = []

    @property
    def reps(self) -> tuple[Rep, ...]:
        return tuple(self.counted)

    def update(self, t_s, landmarks, world, width, height, back_contour_px=None, n_people=1):
        self.n += 1
        if self.n <= 10:
            return LiveState(t_s, "setup", 0, False, "Turn side-on to the camera")
        new = None
        if self.n % 5 == 0:
            new = dataclasses.replace(rushed_rep(len(self.counted) + 1, t_s), top_pause_s=math.nan)
            if self.counted:
                prev = self.counted[-1]
                self.counted[-1] = dataclasses.replace(prev, top_pause_s=new.start_s - prev.end_s)
            self.counted.append(new)
        return LiveState(t_s, "eccentric", len(self.counted), True, None, {"hip_flexion_deg": 40.0},
                         side_used="right", new_rep=new)  # fmt: skip

    def finish(self):
        return Analysis(exercise="hinge", reps=self.reps, cues=(), quality=Quality(view="side"))


def test_live_table_gets_the_top_pause_once_the_next_rep_began():
    p = LiveProcessor(Config(), "hinge", estimator=FakeEstimator(), analyzer_factory=lambda c: TopPauseStream(),
                      overlay=overlay, clock=FakeClock())  # fmt: skip
    for _ in range(27):  # reps on frames 15, 20 and 25 (the processor runs one frame behind)
        p.process(frame())
    s = p.snapshot()
    assert len(s.reps) == 3
    assert all(math.isfinite(r.top_pause_s) for r in s.reps[:-1])  # known for every rep but the last
    assert math.isnan(s.reps[-1].top_pause_s)
