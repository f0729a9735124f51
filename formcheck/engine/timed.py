"""Recent samples of one live quantity, kept by time (not by count), so they mean the same at any frame rate."""

from __future__ import annotations

import math
from collections import deque

import numpy as np


class TimedValues:
    """Recent samples of one live quantity with a time-window median.

    ``median()`` is the median of the samples in the last ``window_s`` before the newest one. A median over
    fewer than ``min_n`` samples says little (at 2 fps a 0.5 s window holds one frame), so the window then
    stretches back to the last ``min_n`` samples, but never beyond ``max_span_s``: past that the value is
    unknown (NaN) rather than one noisy frame. With ``min_span_s`` the samples used must also cover at least
    that long (a standing baseline from three frames 0.1 s apart is one moment, not a posture).
    """

    def __init__(
        self, window_s: float, min_n: int, max_span_s: float, min_span_s: float = 0.0, maxlen: int = 256
    ) -> None:
        self.window_s = window_s
        self.min_n = min_n
        self.max_span_s = max(max_span_s, window_s)
        self.min_span_s = min_span_s
        self._v: deque[tuple[float, float]] = deque(maxlen=maxlen)  # bounded whatever the frame rate

    def __bool__(self) -> bool:
        return bool(self._v)

    def __len__(self) -> int:
        return len(self._v)

    def add(self, t_s: float, v: float) -> None:
        if math.isfinite(v):
            self._v.append((t_s, v))
        while self._v and self._v[0][0] < t_s - self.max_span_s:
            self._v.popleft()

    def _window(self, end: float) -> list[tuple[float, float]]:
        return [(t, v) for t, v in self._v if end - self.window_s <= t <= end]

    def values(self, t_now: float | None = None) -> list[float]:
        """The samples in the last ``window_s`` up to ``t_now`` (default: the newest sample), oldest first."""
        if not self._v:
            return []
        return [v for _, v in self._window(self._v[-1][0] if t_now is None else t_now)]

    def median(self, t_now: float | None = None) -> float:
        """Median over the window ending at ``t_now`` (default: the newest sample); NaN when too few samples."""
        if not self._v:
            return math.nan
        end = self._v[-1][0] if t_now is None else t_now
        sel = self._window(end)
        if len(sel) < self.min_n:
            sel = [(t, v) for t, v in self._v if t <= end][-self.min_n :]
            if len(sel) < self.min_n or end - sel[0][0] > self.max_span_s:
                return math.nan
        if sel[-1][0] - sel[0][0] < self.min_span_s - 1e-9:
            return math.nan
        return float(np.median([v for _, v in sel]))
