"""LiveProcessor timed by the frame source's clock (``process(frame, t_s)``): a video file read slower or faster
than real time keeps its own timing (acceptance #6: the sample hinge's 2 s lowering read 3.7 s live from the file)."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import Config
from formcheck.live import LiveProcessor
from formcheck.synth import hinge_clip
from formcheck.types import PoseFrame


class _Replay:
    """Pose stand-in: the synthetic clip's pose of the frame being processed; a clock that advances
    ``processing_s_per_frame`` per frame (the time the machine takes for each)."""

    def __init__(self, clip, processing_s_per_frame: float):
        self.seq = clip.seq
        self.i = 0
        self.step = processing_s_per_frame
        self.t = 50.0

    def process(self, frame_rgb, t_ms):
        return PoseFrame(t_ms / 1000, self.seq.landmarks[self.i], self.seq.world[self.i], n_people=1)

    def clock(self) -> float:
        self.t += self.step / 2  # read about twice per frame: the machine needs ``step`` s for each
        return self.t


@pytest.mark.parametrize("processing_s_per_frame", [0.2, 0.02])  # 3x slower / 3x faster than the 15 fps video
def test_file_frames_are_timed_by_their_own_timestamps(processing_s_per_frame):
    clip = hinge_clip(n_reps=2, tempo=(2.0, 1.0, 2.0, 1.0), fps=15)  # truth: 2 s lowering, 2 s rising
    feed = _Replay(clip, processing_s_per_frame)
    proc = LiveProcessor(Config(), "hinge", estimator=feed, clock=feed.clock, overlay=lambda f, *a: f,
                         pipelined=False)  # fmt: skip
    frame = np.zeros((clip.seq.height, clip.seq.width, 3), np.uint8)
    for i, t_s in enumerate(clip.seq.t_s):
        feed.i = i
        proc.process(frame, float(t_s))
    a = proc.finish()
    assert len(a.reps) == 2
    assert [r.eccentric_s for r in a.reps] == pytest.approx([2.0, 2.0], abs=0.25)
    assert [r.concentric_s for r in a.reps] == pytest.approx([2.0, 2.0], abs=0.25)


def test_without_a_source_time_the_processor_clock_times_the_frame():
    """A camera whose frames arrive in real time (the app): no source time, the clock's reading is the frame's."""
    clip = hinge_clip(n_reps=1, fps=15)
    feed = _Replay(clip, 1 / 15)  # processing keeps up with the camera: its clock is the video's
    proc = LiveProcessor(Config(), "hinge", estimator=feed, clock=feed.clock, overlay=lambda f, *a: f,
                         pipelined=False)  # fmt: skip
    frame = np.zeros((clip.seq.height, clip.seq.width, 3), np.uint8)
    for i in range(clip.seq.n_frames):
        feed.i = i
        proc.process(frame)
    (rep,) = proc.finish().reps
    assert rep.eccentric_s == pytest.approx(2.0, abs=0.25)
