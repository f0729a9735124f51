"""Stand-ins for streaming a pose sequence through ``formcheck.live.LiveProcessor`` in tests: a clock that advances
one frame period per processed frame and an estimator that hands out the sequence's poses in order."""

from __future__ import annotations

import numpy as np

from formcheck.types import PoseFrame, PoseSequence


class Clock:
    """One frame period per processed frame (LiveProcessor reads the clock twice a frame)."""

    def __init__(self, fps: float) -> None:
        self.t = 100.0
        self.half = 0.5 / fps

    def __call__(self) -> float:
        self.t += self.half
        return self.t


class SeqEstimator:
    """Hands out the set's poses in order, whatever the image."""

    def __init__(self, seq: PoseSequence) -> None:
        self.seq, self.i = seq, 0

    def process(self, frame_rgb: np.ndarray, t_ms: int) -> PoseFrame:
        i, self.i = self.i, self.i + 1
        return PoseFrame(t_s=t_ms / 1000, landmarks=self.seq.landmarks[i], world=self.seq.world[i], n_people=1)
