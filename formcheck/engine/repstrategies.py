"""Rep strategies: how an exercise's movement signal(s) become counted items, in a batch and a streaming form.

Three strategies cover the exercise families (``ExerciseSpec.rep_strategy`` names them by :attr:`kind`):

* :class:`Cyclic` — one depth signal, one rep per excursion (hinge, squat, bridge). A thin wrapper around
  :func:`formcheck.reps.detect_reps` / :class:`formcheck.reps.StreamingRepDetector`: the same parameters and
  exactly the same reps as calling them directly.
* :class:`Alternating` — a left and a right depth signal (arm/leg elevation in a bird-dog or dead bug, hip
  flexion of each leg in alternating lunges). Each side's reps come from the cyclic code; every rep is labelled
  with its side, and when one limb's movement leaks into the other side's signal far enough to be detected there
  too (two overlapping reps on both sides), only the larger one is kept.
* :class:`BandHold` — time inside a target band (plank body line, side plank, a held bridge): when the hold
  started and ended, the time actually inside the band, and the breaks (excursions out of the band, or out of
  view, long enough to count; a short wobble is not a break).

Common protocol (:class:`RepStrategy`): ``strategy.batch(t_s, *signals) -> list[item]`` and
``strategy.stream() -> stream`` with ``stream.update(t_s, *values) -> item | None`` (an item the moment it is
final) and ``stream.finish() -> list[item]`` (what the end of the stream completes). Items are
:class:`~formcheck.reps.RepWindow` (its ``side`` set by :class:`Alternating`) or :class:`HoldWindow`.

What the forms are fed: :func:`~formcheck.reps.detect_reps` expects a *smoothed* signal (the analyzers low-pass
the whole series zero-phase first), while the streaming rep detector is fed *raw* samples and smooths its own
buffer, exactly as today. The hold strategy does no smoothing in either form (its time tolerances absorb
tracking noise), and both forms run one state machine, so they give identical holds on the same samples.

Phase timing is not fitted here: it is :mod:`formcheck.reps` (minimum-jerk fits of :mod:`formcheck.metrics.tempo`).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar, Protocol

import numpy as np

from formcheck.reps import RepWindow, StreamingRepDetector, detect_reps
from formcheck.types import SIDES, Break, Hold

__all__ = [
    "Alternating",
    "BandHold",
    "Cyclic",
    "HoldProgress",
    "HoldWindow",
    "RepStrategy",
    "StrategyStream",
    "suppress_double_detections",
    "time_in_band_s",
]


class StrategyStream(Protocol):
    """The streaming form of a strategy: one sample (all its signals) at a time, bounded memory."""

    def update(self, t_s: float, *values: float) -> RepWindow | HoldWindow | None:
        """Add one sample; returns an item the moment it is final (at most one per call; more wait a call)."""
        ...

    def finish(self) -> list[RepWindow | HoldWindow]:
        """End of the stream: the items that were waiting or that the end completes, in time order."""
        ...


class RepStrategy(Protocol):
    """Batch and streaming segmentation of one exercise's movement signal(s)."""

    kind: ClassVar[str]

    def batch(self, t_s: np.ndarray, *signals: np.ndarray) -> Sequence[RepWindow | HoldWindow]:
        """All items of a whole sequence, in time order."""
        ...

    def stream(self) -> StrategyStream:
        """A fresh streaming form with the same parameters."""
        ...


# -- cyclic ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cyclic:
    """One rep per excursion of one depth signal (see :func:`formcheck.reps.detect_reps` for the parameters).

    ``cutoff_hz``, ``order``, ``buffer_s`` and ``settle_s`` only concern the streaming form
    (:class:`formcheck.reps.StreamingRepDetector`), and so do ``grid_step_s`` and ``max_bridge_s``: the stream
    feeds the detector on a uniform grid, interpolating across dropped frames and short holes (as the hinge's
    live re-analysis does), because its batch code fits phases on evenly spaced samples and, at 5 fps, a 1 s
    lowering has too few samples to fit.
    """

    kind: ClassVar[str] = "cyclic"

    min_rom_deg: float = 20.0
    prominence_frac: float = 0.35
    return_frac: float = 0.65
    min_rep_s: float = 0.6
    edge_hold_s: float = 0.5
    cutoff_hz: float = 4.0
    order: int = 2
    buffer_s: float = 20.0
    settle_s: float = 0.4
    grid_step_s: float = 1.0 / 30.0
    max_bridge_s: float = 1.0
    count_cut_end: bool = False  # batch only: a recording's last rep cut off on its way up counts (detect_reps)

    def batch(
        self,
        t_s: np.ndarray,
        depth: np.ndarray,
        *,
        timing: np.ndarray | None = None,
        range_override: float | None = None,
        fit_after_s: float | None = None,
    ) -> list[RepWindow]:
        """Reps of a smoothed depth signal: exactly :func:`formcheck.reps.detect_reps` with these parameters
        (``fit_after_s``: only the reps that may end after it are wanted, see there)."""
        return detect_reps(
            depth,
            t_s,
            min_rom_deg=self.min_rom_deg,
            prominence_frac=self.prominence_frac,
            return_frac=self.return_frac,
            min_rep_s=self.min_rep_s,
            range_override=range_override,
            timing=timing,
            edge_hold_s=self.edge_hold_s,
            count_cut_end=self.count_cut_end,
            fit_after_s=fit_after_s,
        )

    def stream(self, *, resolve: bool = True) -> CyclicStream:
        """Streaming form (raw samples in); ``resolve=False`` as in the detector (approximate times only)."""
        return CyclicStream(self, resolve=resolve)

    def detector(self, *, resolve: bool = True) -> StreamingRepDetector:
        """A :class:`~formcheck.reps.StreamingRepDetector` with these parameters."""
        return StreamingRepDetector(
            min_rom_deg=self.min_rom_deg,
            prominence_frac=self.prominence_frac,
            return_frac=self.return_frac,
            cutoff_hz=self.cutoff_hz,
            order=self.order,
            buffer_s=self.buffer_s,
            settle_s=self.settle_s,
            resolve=resolve,
            min_rep_s=self.min_rep_s,
        )


class _GridFeed:
    """Feeds one :class:`StreamingRepDetector` on a uniform time grid and maps its reps back to the caller's samples.

    Between two seen samples further apart than 1.5 grid steps (dropped frames, a low frame rate) but no more than
    ``max_bridge_s``, grid points are interpolated linearly; everything else is fed as it came (a NaN stays a
    hole). On input that is already uniform at the grid step nothing is added, so the detector sees exactly the
    caller's samples. Rep indices (the detector counts what it was fed) are turned back into indices of the
    caller's samples: the first sample at or after the rep's start/end, the sample nearest its deepest point.
    """

    def __init__(self, detector: StreamingRepDetector, step_s: float, max_bridge_s: float, keep_s: float) -> None:
        self.detector = detector
        self.step_s = step_s
        self.max_bridge_s = max_bridge_s
        self.keep_s = keep_s
        self._prev_t = math.nan
        self._prev_x = math.nan
        self._fed_t: deque[float] = deque()  # times of fed samples, the last keep_s
        self._fed_n = 0
        self._in_t: deque[float] = deque()  # times of the caller's samples, the last keep_s
        self._in_n = 0
        # The detector's rep in progress: when it crossed the threshold, and its deepest sample so far.
        self.began_s = math.nan
        self.peak_s = math.nan
        self._peak_x = -math.inf

    @property
    def in_rep(self) -> bool:
        return self.detector.in_rep

    def update(self, t: float, x: float) -> list[RepWindow]:
        points: list[tuple[float, float]] = []
        dt = t - self._prev_t
        if math.isfinite(x) and math.isfinite(self._prev_x) and 1.5 * self.step_s < dt <= self.max_bridge_s:
            k = int(round(dt / self.step_s))
            points = [(self._prev_t + j * dt / k, self._prev_x + j * (x - self._prev_x) / k) for j in range(1, k)]
        points.append((t, x))
        self._prev_t, self._prev_x = t, x
        self._in_t.append(t)
        self._in_n += 1
        out = []
        for tt, xx in points:
            self._fed_t.append(tt)
            self._fed_n += 1
            was_in = self.detector.in_rep
            rep = self.detector.update(tt, xx)
            if rep is not None:
                out.append(self._map(rep))
            if self.detector.in_rep and (not was_in or xx > self._peak_x):
                if not was_in:
                    self.began_s = tt
                self.peak_s, self._peak_x = tt, xx
        for q in (self._in_t, self._fed_t):
            while len(q) > 1 and q[0] < t - self.keep_s:
                q.popleft()
        return out

    def flush(self) -> list[RepWindow]:
        rep = self.detector.flush()
        return [] if rep is None else [self._map(rep)]

    def _map(self, r: RepWindow) -> RepWindow:
        if r.start_i < 0:  # resolve=False: the detector gives no indices
            return r
        tin = np.fromiter(self._in_t, dtype=np.float64)
        base_in = self._in_n - tin.size
        fed_k = r.bottom_i - (self._fed_n - len(self._fed_t))
        bottom_t = self._fed_t[fed_k] if 0 <= fed_k < len(self._fed_t) else r.bottom_start_s

        def at_or_after(ts: float) -> int:
            return base_in + int(np.clip(np.searchsorted(tin, ts - 1e-9, side="left"), 0, tin.size - 1))

        near = int(np.argmin(np.abs(tin - bottom_t)))
        return replace(r, start_i=at_or_after(r.start_s), bottom_i=base_in + near, end_i=at_or_after(r.end_s))


class _Emitted:
    """The last few emitted reps, each one's ``top_pause_s`` filled once the next rep is known."""

    keep = 8

    def __init__(self) -> None:
        self.reps: list[RepWindow] = []

    def add(self, r: RepWindow, *, seen_between: bool = True) -> None:
        if self.reps and math.isnan(self.reps[-1].top_pause_s) and seen_between:
            prev = self.reps[-1]
            self.reps[-1] = replace(prev, top_pause_s=max(0.0, r.start_s - prev.end_s))
        self.reps.append(r)
        del self.reps[: -self.keep]


class CyclicStream:
    """Streaming form of :class:`Cyclic`: the rep detector on a uniform grid, :meth:`finish` for the last rep."""

    def __init__(self, strategy: Cyclic, *, resolve: bool = True) -> None:
        self.strategy = strategy
        st = strategy
        self._feed = _GridFeed(st.detector(resolve=resolve), st.grid_step_s, st.max_bridge_s, st.buffer_s)
        self._ready: deque[RepWindow] = deque()
        self._emitted = _Emitted()

    @property
    def detector(self) -> StreamingRepDetector:
        return self._feed.detector

    @property
    def in_rep(self) -> bool:
        return self._feed.in_rep

    @property
    def reps(self) -> list[RepWindow]:
        """The last few reps, with ``top_pause_s`` filled once the next rep is known."""
        return list(self._emitted.reps)

    def update(self, t_s: float, depth: float) -> RepWindow | None:
        for r in self._feed.update(float(t_s), float(depth)):
            self._emitted.add(r)
            self._ready.append(r)
        return self._ready.popleft() if self._ready else None

    def finish(self) -> list[RepWindow]:
        for r in self._feed.flush():
            self._emitted.add(r)
            self._ready.append(r)
        out = list(self._ready)
        self._ready.clear()
        return out


# -- alternating -------------------------------------------------------------------------------------------------


def _overlap_s(a: RepWindow, b: RepWindow) -> float:
    return min(a.end_s, b.end_s) - max(a.start_s, b.start_s)


def _double(a: RepWindow, b: RepWindow, overlap_frac: float) -> bool:
    """Two reps overlap by more than ``overlap_frac`` of the shorter one: one movement seen twice."""
    shorter = min(a.end_s - a.start_s, b.end_s - b.start_s)
    return _overlap_s(a, b) > overlap_frac * shorter


def suppress_double_detections(
    reps: Sequence[RepWindow], overlap_frac: float = 0.5, *, fixed: Sequence[RepWindow] = ()
) -> list[RepWindow]:
    """Keep the larger of two reps that are one movement seen twice (non-maximum suppression by range).

    Args:
        reps: candidate reps of both sides.
        overlap_frac: two reps overlapping by more than this fraction of the shorter one's duration are one
            movement. Consecutive alternating reps touch or overlap a little (one side's return while the other
            side starts), far below half a rep.
        fixed: reps already decided (emitted live): a candidate overlapping one of them is dropped whatever
            its size.

    Returns:
        The kept reps in time order. Larger range wins (ties: the earlier rep).
    """
    kept: list[RepWindow] = []
    for r in sorted(reps, key=lambda r: (-r.rom, r.start_s)):
        if not any(_double(r, k, overlap_frac) for k in (*fixed, *kept)):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start_s)


def _top_pauses(reps: list[RepWindow], seen: np.ndarray) -> list[RepWindow]:
    """``top_pause_s`` from one rep's end to the next rep's start (any side), if both signals were seen between."""
    out = []
    for i, r in enumerate(reps):
        tp = math.nan
        if i + 1 < len(reps):
            nxt = reps[i + 1]
            if bool(np.all(seen[r.end_i : nxt.start_i + 1])):
                tp = max(0.0, nxt.start_s - r.end_s)
        out.append(replace(r, top_pause_s=tp))
    return out


@dataclass(frozen=True)
class Alternating:
    """One rep per single-side movement, from a left and a right depth signal.

    Attributes:
        cyclic: per-side detection parameters (each side's signal is segmented on its own range).
        overlap_frac: see :func:`suppress_double_detections`.
        max_wait_s: streaming only: how long after a rep's end it may be held back while the other side's
            detector is in a rep that began before this rep's bottom ended (a possible double detection);
            after that it is emitted and a later overlapping rep of the other side is dropped.
        sides: labels of the first and second signal.
    """

    kind: ClassVar[str] = "alternating"

    cyclic: Cyclic = field(default_factory=Cyclic)
    overlap_frac: float = 0.5
    max_wait_s: float = 3.0
    sides: tuple[str, str] = ("left", "right")

    def __post_init__(self) -> None:
        if len(self.sides) != 2 or self.sides[0] == self.sides[1] or not set(self.sides) <= {"left", "right"}:
            raise ValueError(f"sides must be ('left', 'right') in some order, not {self.sides!r}")
        if not 0.0 < self.overlap_frac < 1.0:
            raise ValueError("overlap_frac must be in (0, 1)")

    def batch(
        self,
        t_s: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        *,
        timing_left: np.ndarray | None = None,
        timing_right: np.ndarray | None = None,
    ) -> list[RepWindow]:
        """Single-side reps of two smoothed depth signals, labelled with their side, in time order.

        ``top_pause_s`` is the rest from one rep's end to the next rep's start, whichever side that is.
        """
        found: list[RepWindow] = []
        for side, x, tim in zip(self.sides, (left, right), (timing_left, timing_right), strict=True):
            found += [replace(w, side=side) for w in self.cyclic.batch(t_s, x, timing=tim)]
        kept = suppress_double_detections(found, self.overlap_frac)
        seen = np.isfinite(np.asarray(left, dtype=np.float64)) & np.isfinite(np.asarray(right, dtype=np.float64))
        return _top_pauses(kept, seen)

    def stream(self) -> AlternatingStream:
        """Streaming form: ``update(t_s, left, right)`` with raw samples."""
        return AlternatingStream(self)


class AlternatingStream:
    """Streaming form of :class:`Alternating`: one rep detector per side and a short wait for double detections.

    A side's rep is emitted when its detector finishes it, unless the other side's detector is in a rep that
    began (crossed its threshold) before this rep's bottom ended and is deepest within this rep: that one may be
    the same movement seen twice, so both wait until it finishes (or ``max_wait_s``) and the larger is kept, as
    in the batch form.
    """

    def __init__(self, strategy: Alternating) -> None:
        self.strategy = strategy
        c = strategy.cyclic
        self._det = {
            side: _GridFeed(c.detector(), c.grid_step_s, c.max_bridge_s, c.buffer_s) for side in strategy.sides
        }
        self._pending: list[RepWindow] = []
        self._ready: deque[RepWindow] = deque()
        self._emitted: deque[RepWindow] = deque(maxlen=4)
        self._unseen_t: deque[float] = deque()  # times of samples with a NaN side (for top pauses), last buffer_s
        self._t = math.nan
        self._kept = _Emitted()

    @property
    def reps(self) -> list[RepWindow]:
        """The last few reps, with ``top_pause_s`` filled once the next rep is known (and both sides were seen)."""
        return list(self._kept.reps)

    @property
    def in_rep(self) -> bool:
        return any(d.in_rep for d in self._det.values())

    def update(self, t_s: float, left: float, right: float) -> RepWindow | None:
        t = float(t_s)
        self._t = t
        if not (math.isfinite(left) and math.isfinite(right)):
            self._unseen_t.append(t)
        while self._unseen_t and self._unseen_t[0] < t - self.strategy.cyclic.buffer_s:
            self._unseen_t.popleft()
        for side, v in zip(self.strategy.sides, (left, right), strict=True):
            self._pending += [replace(w, side=side) for w in self._det[side].update(t, float(v))]
        self._resolve(final=False)
        return self._ready.popleft() if self._ready else None

    def finish(self) -> list[RepWindow]:
        for side, det in self._det.items():
            self._pending += [replace(w, side=side) for w in det.flush()]
        self._resolve(final=True)
        out = list(self._ready)
        self._ready.clear()
        return out

    def _closed(self, r: RepWindow) -> bool:
        """No rep that could be ``r`` seen twice can still appear on the other side.

        The other side's rep in progress is a possible double unless it began after ``r``'s bottom ended or its
        deepest point so far came after ``r`` ended (a leak that ran straight into that side's own rep).
        """
        other = self._det[self.strategy.sides[1] if r.side == self.strategy.sides[0] else self.strategy.sides[0]]
        if not other.in_rep or other.began_s > r.bottom_end_s or other.peak_s > r.end_s:
            return True
        return self._t - r.end_s > self.strategy.max_wait_s

    def _resolve(self, *, final: bool) -> None:
        if not self._pending or not (final or all(self._closed(r) for r in self._pending)):
            return
        kept = suppress_double_detections(self._pending, self.strategy.overlap_frac, fixed=tuple(self._emitted))
        self._pending.clear()
        for r in kept:
            self._emit(r)

    def _emit(self, r: RepWindow) -> None:
        prev = self._kept.reps[-1] if self._kept.reps else None
        seen = prev is None or not any(prev.end_s <= u <= r.start_s for u in self._unseen_t)
        self._kept.add(r, seen_between=seen)
        self._emitted.append(r)
        self._ready.append(r)


# -- hold --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldWindow:
    """One hold found by :class:`BandHold` (seconds from the start; indices into the samples fed).

    Attributes:
        start_i, end_i: first and last sample inside the band.
        start_s, end_s: band entry and last exit (interpolated between samples at the band edge).
        in_band_s: time inside the band between start and end (all excursions excluded).
        breaks: excursions long enough to count, in time order.
        side: the strategy's side label.
        ended_by: ``"band"`` (left the band), ``"unseen"`` (out of view: NaN samples or a gap in time) or
            ``"end"`` (the sequence/stream ended during the hold).
    """

    start_i: int
    end_i: int
    start_s: float
    end_s: float
    in_band_s: float
    breaks: tuple[Break, ...] = ()
    side: str | None = None
    ended_by: str = "band"

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_hold(self, index: int, metrics: Mapping[str, float | str | None] | None = None) -> Hold:
        """The :class:`~formcheck.types.Hold` an analysis reports (1-based ``index``, the analyzer's metrics)."""
        return Hold(
            index=index,
            start_s=self.start_s,
            end_s=self.end_s,
            in_band_s=self.in_band_s,
            breaks=self.breaks,
            side=self.side,
            metrics=dict(metrics or {}),
        )


@dataclass(frozen=True)
class HoldProgress:
    """The hold in progress (streaming), for a live timer."""

    start_s: float
    elapsed_s: float
    in_band_s: float
    n_breaks: int
    in_band: bool  # inside the band at the latest sample


@dataclass(frozen=True)
class BandHold:
    """Holds: time inside the band ``[lo, hi]`` of one signal, with breaks.

    Rules (all times from band-edge crossings interpolated between samples; a crossing into or out of a NaN
    sample is put half-way between the two samples):

    * A hold starts when the signal enters the band and stays: it must gather ``break_min_s`` inside the band
      before an excursion of ``break_min_s`` or longer; otherwise the next entry starts it (passing through the
      band, or a blip into it, does not start a hold).
    * An excursion out of the band shorter than ``break_min_s`` is a wobble (not a break; its time is still not
      counted in band); one of ``break_min_s`` up to ``end_gap_s`` is a break; one longer than ``end_gap_s``
      ends the hold at the excursion's start (the hold is reported once that is known).
    * NaN samples (nobody seen) are out of the band, and so is a time step longer than ``max_step_s`` with no
      sample: a long gap ends the hold like any excursion.
    * The hold ends on its last stay in band: a blip back into the band shorter than ``break_min_s`` after the
      last break is not part of it.
    * Holds with less than ``min_hold_s`` inside the band are not reported.

    Attributes:
        lo, hi: the target band in the signal's unit (either may be infinite for a one-sided target).
        min_hold_s: shortest hold reported (time in band).
        break_min_s: shortest excursion counted as a break.
        end_gap_s: an excursion longer than this ends the hold.
        max_step_s: a time step longer than this between two samples is unseen time.
        side: label given to every hold (``"left"``/``"right"`` for a one-side hold, None otherwise).
    """

    kind: ClassVar[str] = "hold"

    lo: float
    hi: float
    min_hold_s: float = 2.0
    break_min_s: float = 0.5
    end_gap_s: float = 2.0
    max_step_s: float = 1.0
    side: str | None = None

    def __post_init__(self) -> None:
        if not self.lo < self.hi:
            raise ValueError(f"band needs lo < hi, got ({self.lo}, {self.hi})")
        if not 0.0 <= self.break_min_s <= self.end_gap_s:
            raise ValueError("need 0 <= break_min_s <= end_gap_s")
        if self.min_hold_s < 0 or not self.max_step_s > 0:
            raise ValueError("need min_hold_s >= 0 and max_step_s > 0")
        if self.side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, not {self.side!r}")

    def batch(self, t_s: np.ndarray, x: np.ndarray) -> list[HoldWindow]:
        """All holds of a sequence: the streaming state machine run over it (so both forms agree exactly)."""
        t = np.asarray(t_s, dtype=np.float64)
        v = np.asarray(x, dtype=np.float64)
        if t.shape != v.shape or t.ndim != 1:
            raise ValueError(f"t_s and x must be 1-D of one length, got {t.shape} and {v.shape}")
        s = self.stream()
        out = [h for h in (s.update(tt, xx) for tt, xx in zip(t.tolist(), v.tolist(), strict=True)) if h]
        return out + s.finish()

    def stream(self) -> HoldStream:
        """Streaming form: ``update(t_s, value)``; :attr:`HoldStream.current` is the hold in progress."""
        return HoldStream(self)


@dataclass
class _Segment:
    """Time in band between the hold's start (or a break) and the next break, and the last sample in band.

    Mutable on purpose: the stream's running accumulator for the current stretch, never handed out.
    """

    in_s: float
    last_in_i: int


class HoldStream:
    """Streaming form of :class:`BandHold` (constant memory apart from the current hold's list of breaks)."""

    def __init__(self, strategy: BandHold) -> None:
        self.strategy = strategy
        self._n = 0
        self._prev_t = math.nan
        self._prev_x = math.nan
        self._prev_in = False
        self._reset()

    def _reset(self) -> None:
        self._start_s: float | None = None  # candidate hold (None: none)
        self._start_i = -1
        self._confirmed = False  # stayed in band for break_min_s
        self._run_start = math.nan  # current stay in band began (NaN while out)
        self._in_s = 0.0  # in-band time of finished stays since the start
        self._segments: list[_Segment] = [_Segment(0.0, -1)]  # in-band time before each break, and after the last
        self._breaks: list[Break] = []
        self._out_since: float | None = None  # current excursion began (None while in band)
        self._out_unseen = False

    # -- state ---------------------------------------------------------------------------------------------------

    @property
    def current(self) -> HoldProgress | None:
        """The hold in progress once it has started for sure (stayed in band ``break_min_s``), else None."""
        if self._start_s is None or not self._confirmed:
            return None
        inside = self._out_since is None
        run = self._prev_t - self._run_start if inside else 0.0
        return HoldProgress(
            start_s=self._start_s,
            elapsed_s=self._prev_t - self._start_s,
            in_band_s=self._in_s + run,
            n_breaks=len(self._breaks),
            in_band=inside,
        )

    def _inside(self, x: float) -> bool:
        return math.isfinite(x) and self.strategy.lo <= x <= self.strategy.hi

    def _crossing_s(self, t: float, x: float) -> float:
        """When the signal crossed the band edge between the previous sample and this one."""
        t0, x0 = self._prev_t, self._prev_x
        if not (math.isfinite(x0) and math.isfinite(x)):
            return 0.5 * (t0 + t)  # into or out of view: no value to interpolate, half-way is the unbiased guess
        outside = x if self._prev_in else x0
        edge = self.strategy.hi if outside > self.strategy.hi else self.strategy.lo
        if x == x0:
            return t
        f = (edge - x0) / (x - x0)
        return t0 + min(max(f, 0.0), 1.0) * (t - t0)

    # -- events --------------------------------------------------------------------------------------------------

    def _enter(self, tc: float, i: int) -> HoldWindow | None:
        """The signal entered the band at ``tc``; ``i`` is the first sample inside."""
        done = None
        if self._start_s is not None and self._out_since is not None:
            gap = tc - self._out_since
            if gap > self.strategy.end_gap_s:
                done = self._end(self._out_since, "unseen" if self._out_unseen else "band")
            elif gap >= self.strategy.break_min_s:
                if self._confirmed:
                    self._breaks.append(Break(self._out_since, tc))
                    self._segments.append(_Segment(0.0, -1))
                else:
                    self._reset()  # a blip into the band: the hold starts at this entry instead
            # else a wobble: the hold goes on
        if self._start_s is None:
            self._start_s = tc
            self._start_i = i
        self._run_start = tc
        self._out_since = None
        return done

    def _leave(self, tc: float, last_in_i: int, unseen: bool) -> None:
        """The signal left the band (or view) at ``tc``; ``last_in_i`` was the last sample inside."""
        if self._start_s is None:
            return
        run = tc - self._run_start
        self._in_s += run
        self._segments[-1].in_s += run
        self._segments[-1].last_in_i = last_in_i
        if self._in_s >= self.strategy.break_min_s:
            self._confirmed = True
        self._run_start = math.nan
        self._out_since = tc
        self._out_unseen = unseen

    def _end(self, end_s: float, ended_by: str) -> HoldWindow | None:
        """Close the candidate hold at ``end_s`` (the start of the excursion that ended it, or the last sample)."""
        st = self.strategy
        start_s, start_i, confirmed = self._start_s, self._start_i, self._confirmed
        in_s = self._in_s
        breaks = list(self._breaks)
        segs = list(self._segments)
        self._reset()
        if start_s is None or not confirmed:
            return None
        # A blip back into the band after the last break is not part of the hold (the first segment always
        # holds break_min_s: the hold was confirmed before any break could count).
        while breaks and segs[-1].in_s < st.break_min_s:
            in_s -= segs.pop().in_s
            end_s = breaks.pop().start_s
        if in_s < st.min_hold_s:
            return None
        return HoldWindow(
            start_i=start_i,
            end_i=segs[-1].last_in_i,
            start_s=start_s,
            end_s=end_s,
            in_band_s=in_s,
            breaks=tuple(breaks),
            side=st.side,
            ended_by=ended_by,
        )

    # -- protocol ------------------------------------------------------------------------------------------------

    def update(self, t_s: float, value: float) -> HoldWindow | None:
        """Add one sample; returns a hold once it has ended (its end is then ``end_gap_s`` in the past)."""
        t, x = float(t_s), float(value)
        i = self._n
        if i > 0 and not t > self._prev_t:
            raise ValueError(f"timestamps must increase (got {t} after {self._prev_t})")
        self._n += 1
        inside = self._inside(x)
        done: HoldWindow | None = None
        if i == 0:
            if inside:
                self._enter(t, i)
        elif t - self._prev_t > self.strategy.max_step_s:
            # Nothing was seen in between: out of view from the last sample to this one.
            if self._prev_in:
                self._leave(self._prev_t, i - 1, unseen=True)
            elif self._start_s is not None and self._out_since is not None:
                self._out_unseen = True
            if inside:
                done = self._enter(t, i)
        elif inside != self._prev_in:
            tc = self._crossing_s(t, x)
            if inside:
                done = self._enter(tc, i)
            else:
                self._leave(tc, i - 1, unseen=not math.isfinite(x))
        self._prev_t, self._prev_x, self._prev_in = t, x, inside
        if inside and self._start_s is not None and self._in_s + (t - self._run_start) >= self.strategy.break_min_s:
            self._confirmed = True
        if done is None and self._out_since is not None and t - self._out_since > self.strategy.end_gap_s:
            done = self._end(self._out_since, "unseen" if self._out_unseen else "band")
        return done

    def finish(self) -> list[HoldWindow]:
        """End of the stream: the hold in progress ends at the last time in band."""
        if self._start_s is None:
            return []
        if self._out_since is None:  # still in band: the hold lasts to the last sample
            self._leave(self._prev_t, self._n - 1, unseen=False)
        h = self._end(self._out_since if self._out_since is not None else self._prev_t, "end")
        return [] if h is None else [h]


def time_in_band_s(
    t_s: np.ndarray,
    x: np.ndarray,
    lo: float,
    hi: float,
    *,
    start_s: float = -math.inf,
    end_s: float = math.inf,
    max_step_s: float = 1.0,
) -> float:
    """Time the signal spent inside ``[lo, hi]`` between ``start_s`` and ``end_s`` (e.g. a rep's ``hold_s``).

    Same crossing rules as :class:`BandHold` (interpolated edges, NaN and long steps out of the band), counting
    every moment in band: no minimum stay, no end gap. 0.0 if it never was in band.
    """
    t = np.asarray(t_s, dtype=np.float64)
    v = np.asarray(x, dtype=np.float64)
    sel = (t >= start_s) & (t <= end_s)
    every = BandHold(lo, hi, min_hold_s=0.0, break_min_s=0.0, end_gap_s=math.inf, max_step_s=max_step_s)
    return float(sum(h.in_band_s for h in every.batch(t[sel], v[sel])))
