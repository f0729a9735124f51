"""The lunge live: what the engine's stream runner (:mod:`formcheck.engine.stream`) needs from the lunge.

Depth signals and live values use the batch functions of :mod:`formcheck.analyzers.lunge` (:func:`image_plane`,
:func:`plane_angles`, :func:`front_values`) on one frame; each finished rep is re-analysed with the batch code
(:func:`compute_features`, :func:`find_rep_windows`, :func:`rep_metrics`), so live reps carry the batch numbers.
Live values are side-view image angles; the runner's live setup check accepts the lunge's declared views (side,
oblique), and a set filmed at an angle ends with the file analysis' camera-angle warning
(:meth:`LungeLive.set_warnings`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from formcheck.analyzers import lunge_spec
from formcheck.analyzers.lunge import (
    compute_features,
    depth_signal,
    find_rep_windows,
    front_values,
    image_plane,
    plane_angles,
    rep_metrics,
    rep_strategy,
)
from formcheck.config import Config
from formcheck.engine.repstrategies import Alternating, AlternatingStream
from formcheck.engine.stream import ExerciseStream, LiveFrame, References, drop_unseen_phases
from formcheck.reps import RepWindow
from formcheck.types import PoseSequence, Rep


class BridgedAlternating:
    """The alternating strategy whose stream skips short runs of unseen samples (as dropped frames).

    :class:`~formcheck.engine.repstrategies.AlternatingStream` feeds a NaN sample to its detectors as a hole, and
    a hole splits the detector's buffer when a rep is resolved: a few lost frames in a rep lose the rep. The runner
    feeds NaN for every frame with nobody in it, so runs of unseen samples up to ``max_bridge_s`` are held back
    here; the stream then bridges the time step by interpolation, exactly as for frames the camera dropped. A
    longer absence is fed as it came (a real gap ends or drops the rep). (An engine-level fix belongs in
    ``AlternatingStream``; this keeps the lunge's live reps while it is not there.)
    """

    kind = "alternating"

    def __init__(self, inner: Alternating) -> None:
        self.inner = inner
        self.sides = inner.sides
        self.cyclic = inner.cyclic

    def batch(self, *args: Any, **kw: Any) -> list[RepWindow]:
        return self.inner.batch(*args, **kw)

    def stream(self) -> _BridgedStream:
        return _BridgedStream(self.inner.stream(), self.inner.cyclic.max_bridge_s)


class _BridgedStream:
    def __init__(self, inner: AlternatingStream, max_bridge_s: float) -> None:
        self.inner = inner
        self.max_bridge_s = max_bridge_s
        self._unseen_since: float | None = None

    def __getattr__(self, name: str) -> Any:  # in_rep, reps: the inner stream's
        return getattr(self.inner, name)

    def update(self, t_s: float, left: float, right: float) -> RepWindow | None:
        if math.isfinite(left) and math.isfinite(right):
            self._unseen_since = None
            return self.inner.update(t_s, left, right)
        if self._unseen_since is None:
            self._unseen_since = t_s
        if t_s - self._unseen_since <= self.max_bridge_s:
            return None
        return self.inner.update(t_s, left, right)

    def finish(self) -> list[RepWindow]:
        return self.inner.finish()


class _RateGate:
    """A causal gate for one raw angle against jumps faster than a body moves.

    A sample further from the last accepted one than ``max_rate_deg_s`` times the time since the previous sample
    is replaced by the last accepted one, until such samples have lasted ``max_hold_s`` (then the new value is
    accepted). NaN passes through (unknown stays unknown) and does not move the gate.
    """

    def __init__(self, max_rate_deg_s: float, max_hold_s: float) -> None:
        self.max_rate, self.max_hold = max_rate_deg_s, max_hold_s
        self._t = self._x = math.nan
        self._since: float | None = None

    def update(self, t_s: float, x: float) -> float:
        if not math.isfinite(x):
            return x
        # The step allowed is the rate times the time since the previous sample (accepted or not): held-back
        # samples do not widen it.
        dt, self._t = t_s - self._t, t_s
        if math.isfinite(self._x) and dt > 0 and abs(x - self._x) > self.max_rate * dt:
            self._since = t_s if self._since is None else self._since
            if t_s - self._since < self.max_hold:
                return self._x
        self._since = None
        self._x = x
        return x


class LungeLive:
    """Depth pair, live values and rep re-analysis of the lunge for :class:`~formcheck.engine.stream.ExerciseStream`."""

    reference_keys: tuple[str, ...] = ()
    phase_key = "front_thigh_incl_deg"  # the larger thigh: follows whichever leg is in front
    sane_landmarks = True  # the batch code checks landmark sanity: a jumping point is unknown live too
    max_rate_deg_s = 300.0  # faster than a thigh moves: a fast lunge (80° in 0.6 s) peaks at ~250°/s
    max_hold_s = 0.2  # a change that persists this long is real (or a lasting swap): accepted

    def __init__(self, config: Config) -> None:
        self.config = config
        self.spec = lunge_spec.SPEC
        self.strategy = BridgedAlternating(rep_strategy(config))
        self._gates = (_RateGate(self.max_rate_deg_s, self.max_hold_s), _RateGate(self.max_rate_deg_s, self.max_hold_s))
        self._now = 0.0
        self._warnings: list[str] = []  # the last re-analysis' set warnings (the camera angle)

    def set_warnings(self) -> list[str]:
        """The set's warnings at its end (the runner's ``set_warnings``): the file analysis' own (an oblique set: "Not a
        side view: angles come from ... less accurate"), from the frames the last rep was re-analysed on."""
        return list(self._warnings)

    def depth(self, px: np.ndarray, facing: float) -> tuple[float, float]:
        """Each thigh's forward tip, with jumps faster than a body moves held back (see :class:`_RateGate`).

        The runner feeds raw frames and the rep detector takes the lowest value it has seen as the standing level.
        A few frames in which the pose model swaps the legs (the rendered split squat, 0.43-0.53 s: the front
        thigh reads 18°, -9°, -17°, 1° while it stays at 30°) would set that level near 0°, and a split squat,
        whose top keeps the front thigh ~30° forward, would then never end a rep live.
        """
        a = plane_angles(image_plane(px[None], facing))
        gl, gr = self._gates
        return (gl.update(self._now, float(depth_signal(a["thigh"]["left"])[0])),
                gr.update(self._now, float(depth_signal(a["thigh"]["right"])[0])))  # fmt: skip

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        self._now = fr.t_s  # the runner asks for the live values, then the depth, of each frame with a person
        a = plane_angles(image_plane(fr.px[None], fr.facing))
        vals = front_values(a["thigh"], a["shin"], a["trunk"])
        return {k: float(v[0]) for k, v in vals.items()}, {}

    def analyze_rep(self, seq: PoseSequence, w: RepWindow, index: int, after_s: float) -> tuple[Rep, RepWindow] | None:
        f = compute_features(seq, self.config)
        self._warnings = list(f.warnings)
        windows = [
            x
            for x in find_rep_windows(f, self.config, whole_recording=False)
            if x.side == w.side and x.end_s > after_s + 1e-6
        ]
        if not windows:
            return None
        best = min(windows, key=lambda x: abs(x.end_s - w.end_s))  # the rep the strategy saw ends nearest
        rep = rep_metrics(f, best, index, self.config)
        return drop_unseen_phases(rep, f.t_s, np.isfinite(f.thigh[best.side or "left"])), best


def LungeStream(config: Config) -> ExerciseStream:  # noqa: N802 - the streaming analyzer's public name
    """The lunge's streaming analyzer: the engine's runner driving :class:`LungeLive`."""
    return ExerciseStream(config, LungeLive(config))
