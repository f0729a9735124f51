"""Shared machinery of the floor holds (plank, side plank, prone extension) on the engine's hold strategy.

Each hold exercise (:mod:`formcheck.analyzers.plank`, :mod:`~formcheck.analyzers.side_plank`,
:mod:`~formcheck.analyzers.prone_extension`) declares a :class:`HoldExercise`: its per-frame measures from pixel
landmarks (one vectorised function for a whole set and for one live frame), the value its band is tested on, its
per-hold metrics and, optionally, a per-frame signal whose cycles are counted as reps while the hold goes on (arm
reaches in a side plank, press-ups). This module turns that into an analyzer (batch) and a live model for the
engine's stream runner.

**When is a hold a hold?** A hold is time in the exercise's posture band, *still*. Getting into the position and
out of it are movements: the rendered planks rise from a rest pose whose body line is inside any sensible
plank band, so a band alone starts the hold up to a second before the person is up. The hold value fed to the
strategy is therefore

* NaN where nobody is seen (out of view: a break, or the end of the hold),
* :data:`MOVING` (``+inf``) while the body moves (mid-hip and mid-shoulder travelling faster than
  ``still_max_pct_s`` % of the shoulder–ankle length per second, over a trailing ``MOVE_WINDOW_S``),
* :data:`LYING` (the same value) where the body lies on the floor (plank, side plank: hips or shoulders down on
  the supports' line): the end of getting down, never a hold, and no entry into the posture when rising from it,
* ``hi +`` :data:`OUT_OFFSET` where the body is not in the exercise's posture (e.g. knees bent in a plank),
  moving or not: leaving the posture is seen at once, so a hold that ends there is not backdated,
* ``hi +`` :data:`UNJUDGED_OFFSET` where the body is in the posture but not seen long enough to tell whether it
  moves (the start of a clip, back in view),
* else the measured value (body line, trunk elevation), tested against the band.

A limb movement during a hold (a side plank's arm reach) moves the trunk too; an exercise may name a limb angle
(:attr:`HoldExercise.limb_key`) whose own movement makes the trunk's movement part of the hold, not an end of it.

**No hold, hips low.** Where the hips are too low to tell a hold from lying (plank, side plank: a very deep sag
and lying on the forearms look alike to the camera), the set records its longest still stretch in the posture
with the shoulders held up and the hips reading low often enough to keep a hold from being timed
(``Analysis.summary["hips_low_still_s"]``, :class:`LowStretch`), so a set without a hold is told what was seen
instead of "hold the position".

**Where a hold starts.** Stillness finds the start of a hold entered from a rest pose inside the band (the
rendered planks rise from a forearm plank with the pelvis down). A body that *enters* the posture from outside it
(knees straightening from a kneel) and then settles (the hips finding their line) without coming to rest first is
holding from the moment it entered: the hold is backdated to the entry when the settling lasted at most
``end_gap_s`` and no still stretch of ``break_min_s`` or more came before the movement that preceded the hold.

:class:`SegmentedHold` wraps the engine's :class:`~formcheck.engine.repstrategies.BandHold`: a movement that lasts
``move_min_s`` closes the hold in progress at its last still moment in the band and the next hold starts afresh
once the body is still again (a shorter one is an ordinary excursion: a wobble or a break). Both forms run the
same state machine on the same raw samples (the movement test is causal and uses only the frames seen), so the
live holds equal the batch holds.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from pydantic import Field
from scipy.signal import detrend

from formcheck.body import Body
from formcheck.body.clean import mid
from formcheck.config import Config, ExerciseConfig
from formcheck.engine.protocol import LiveState
from formcheck.engine.quality import body_frame_counts, set_quality, with_position
from formcheck.engine.registry import get_spec
from formcheck.engine.repstrategies import BandHold, Cyclic, HoldStream, HoldWindow
from formcheck.engine.spec import ExerciseSpec, RuleInput
from formcheck.engine.stream import ExerciseStream, LiveFrame, References
from formcheck.reps import RepWindow
from formcheck.types import LM, Analysis, Break, Hold, PoseSequence, Rep

MOVING = math.inf  # hold value: the body is moving (getting into or out of the position)
# Hold value: lying on the floor (plank, side plank: the hips or shoulders down on the supports' line). A rest on
# the floor is where getting down ends, so it is taken as that movement: it closes a hold as a movement does (at
# the movement's start) and never starts one, and rising from it is not an entry into the posture (not backdated).
LYING = MOVING
OUT_OFFSET = 1000.0  # hold value hi + this: seen, but not in the exercise's posture (knees bent in a plank ...)
UNJUDGED_OFFSET = 2000.0  # hold value hi + this: in the posture, but not seen long enough to judge stillness
MOVE_WINDOW_S = 0.3  # movement: displacement over this long ...
MOVE_AVG_S = 0.1  # ... between positions averaged over this long (raw landmarks jitter frame to frame)
MOVE_LAG_S = 0.5 * (MOVE_WINDOW_S + MOVE_AVG_S)  # a movement is seen about this long after it began (the
# compared spans are centred MOVE_AVG_S / 2 and MOVE_WINDOW_S + MOVE_AVG_S / 2 before now)
MOVE_HISTORY_S = 1.0  # live: raw samples kept for the movement test (> window + average)
HOLD_MIN_S = 2.0  # shortest hold reported (time in band), unless the exercise says otherwise
BREAK_MIN_S = 0.5  # shortest excursion out of the band that counts as a break
END_GAP_S = 2.0  # an excursion (or time out of view) longer than this ends the hold
BRIDGE_S = 0.3  # nobody seen for up to this long (lost frames) is bridged with the last value
REST_WINDOW_S = BREAK_MIN_S  # the set's rest level: the lowest running median over this long (a stay, not a blip)
REST_MIN_SAMPLES = 5  # ... of at least this many samples (a median that outvotes two glitch frames) ...
REST_SPAN_FRAC = 0.8  # ... spanning at least this share of REST_WINDOW_S; a gap over BRIDGE_S restarts the window
_JOINTS = ("SHOULDER", "HIP", "KNEE", "ANKLE", "ELBOW", "WRIST")


# ---------------------------------------------------------------------------------------------------------------
# Geometry in the image plane (pixels, y down; the camera is assumed level)
# ---------------------------------------------------------------------------------------------------------------


def mid_px(px: np.ndarray, joint: str) -> np.ndarray:
    """``(T, 2)`` mid-point of the left and right ``joint`` (the one side that is known when the other is not)."""
    return mid(px[:, int(LM[f"LEFT_{joint}"])], px[:, int(LM[f"RIGHT_{joint}"])])


def signed_line_deg(top: np.ndarray, apex: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Signed deviation from a straight ``top``–``apex``–``end`` line at ``apex``, degrees, ``(T, 2)`` pixels each.

    0 = the three points are in line; the size is 180° minus the angle at ``apex``; positive when ``apex`` lies
    above the ``top``–``end`` line in the image (toward image-up, y down), negative below. For a body line
    (shoulder–hip–ankle) that is the rendered truth's ``body_line_ankle_deg``: + hips high (pike), − low (sag).
    """
    a, b = top - apex, end - apex
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        dev = 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
        d = top - end
        # The line's normal pointing image-up (y down): (d_y, -d_x) or its opposite, whichever has y < 0.
        n = np.stack([d[:, 1], -d[:, 0]], axis=1)
        n = np.where((n[:, 1] > 0)[:, None], -n, n)
        side = np.sign(np.sum((apex - end) * n, axis=1))
    return np.where(np.isfinite(side), dev * np.where(side == 0, 1.0, side), np.nan)


def incline_deg(frm: np.ndarray, to: np.ndarray) -> np.ndarray:
    """Signed angle of ``frm`` → ``to`` above the image horizontal, degrees (−90..90; + ``to`` higher)."""
    d = to - frm
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(-d[:, 1], np.abs(d[:, 0])))


def joint_flexion_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Unsigned flexion at ``b`` (0 = straight) of the ``a``–``b``–``c`` chain, degrees."""
    u, v = a - b, c - b
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * v, axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
        return 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def knee_flexion_deg(px: np.ndarray) -> np.ndarray:
    """Mean image-plane knee flexion of both legs (either one when only one is seen), degrees."""
    sides = [
        joint_flexion_deg(px[:, int(LM[f"{s}_HIP"])], px[:, int(LM[f"{s}_KNEE"])], px[:, int(LM[f"{s}_ANKLE"])])
        for s in ("LEFT", "RIGHT")
    ]
    return mid(sides[0][:, None], sides[1][:, None])[:, 0]


def body_length_px(px: np.ndarray) -> np.ndarray:
    """``(T,)`` mid-shoulder to mid-ankle distance in pixels (the body scale of a lying body)."""
    return np.linalg.norm(mid_px(px, "SHOULDER") - mid_px(px, "ANKLE"), axis=1)


def movement_pct_s(t_s: np.ndarray, px: np.ndarray, joints: tuple[str, ...] = ("HIP", "SHOULDER")) -> np.ndarray:
    """How fast the trunk moves: mid-hip and mid-shoulder (``joints``) speed in % of the shoulder–ankle length per
    second.

    Causal, on the frames given (nobody seen = NaN rows are skipped, so a live history of the frames with a person
    gives the very same numbers as the batch): each frame's mean position over the last :data:`MOVE_AVG_S` is
    compared with the mean position over the same span ending at the latest frame at least
    :data:`MOVE_WINDOW_S` earlier (at a low frame rate that frame is older), speed = distance / the time between
    the two spans' mean times; the faster of the two points counts. NaN where no frame lies between
    ``MOVE_WINDOW_S`` and :data:`MOVE_HISTORY_S` back (the start of a clip, back in view after a gap).

    Args:
        t_s: ``(T,)`` times.
        px: ``(T, 33, 2)`` raw pixel landmarks.
        joints: the mid-points whose speed counts (the fastest of them).
    """
    t = np.asarray(t_s, dtype=np.float64)
    pts = np.stack([mid_px(px, j) for j in joints], axis=1)  # (T, J, 2)
    scale = body_length_px(px)
    out = np.full(t.shape, np.nan)
    ok = np.all(np.isfinite(pts.reshape(len(t), -1)), axis=1) & np.isfinite(scale) & (scale > 0)
    idx = np.flatnonzero(ok)
    if idx.size < 2:
        return out
    tt, pp, ss = t[idx], pts[idx].reshape(idx.size, -1), scale[idx]
    cs = np.vstack([np.zeros((1, pp.shape[1])), np.cumsum(pp, axis=0)])
    cst = np.concatenate([[0.0], np.cumsum(tt)])
    css = np.concatenate([[0.0], np.cumsum(ss)])
    eps = 1e-9

    def span(end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean position, mean time and mean scale of the samples in (t[end] - MOVE_AVG_S, t[end]]."""
        a = np.searchsorted(tt, tt[end] - MOVE_AVG_S + eps, side="left")
        b = end + 1
        n = (b - a).astype(np.float64)
        return (cs[b] - cs[a]) / n[:, None], (cst[b] - cst[a]) / n, (css[b] - css[a]) / n

    now_i = np.arange(idx.size)
    then_i = np.searchsorted(tt, tt - MOVE_WINDOW_S + eps, side="right") - 1  # latest at least a window back
    valid = (then_i >= 0) & (tt - tt[np.clip(then_i, 0, None)] <= MOVE_HISTORY_S + eps)
    then_i = np.clip(then_i, 0, None)
    p_now, t_now, s_now = span(now_i)
    p_then, t_then, _ = span(then_i)
    d = (p_now - p_then).reshape(idx.size, len(joints), 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.max(np.linalg.norm(d, axis=2), axis=1) / (t_now - t_then) / s_now * 100.0
    out[idx] = np.where(valid, speed, np.nan)
    return out


def angle_rate_deg_s(t_s: np.ndarray, angle_deg: np.ndarray) -> np.ndarray:
    """How fast an angle changes, degrees per second, causal and over the same spans as :func:`movement_pct_s`
    (mean over the last :data:`MOVE_AVG_S` against the same span at least :data:`MOVE_WINDOW_S` earlier); NaN rows
    (unknown angle) are skipped, NaN where no earlier span is within :data:`MOVE_HISTORY_S`. The angle is
    unwrapped first (a step over ±180° is the short way round), which only uses sample-to-sample differences, so
    a live history gives the same rates as the whole set."""
    t = np.asarray(t_s, dtype=np.float64)
    x = np.asarray(angle_deg, dtype=np.float64)
    out = np.full(t.shape, np.nan)
    idx = np.flatnonzero(np.isfinite(x) & np.isfinite(t))
    if idx.size < 2:
        return out
    tt, xx = t[idx], np.degrees(np.unwrap(np.radians(x[idx])))
    cs, cst = np.concatenate([[0.0], np.cumsum(xx)]), np.concatenate([[0.0], np.cumsum(tt)])
    eps = 1e-9
    now_i = np.arange(idx.size)
    then_i = np.searchsorted(tt, tt - MOVE_WINDOW_S + eps, side="right") - 1
    valid = (then_i >= 0) & (tt - tt[np.clip(then_i, 0, None)] <= MOVE_HISTORY_S + eps)
    then_i = np.clip(then_i, 0, None)

    def span(end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = np.searchsorted(tt, tt[end] - MOVE_AVG_S + eps, side="left")
        n = (end + 1 - a).astype(np.float64)
        return (cs[end + 1] - cs[a]) / n, (cst[end + 1] - cst[a]) / n

    (x_now, t_now), (x_then, t_then) = span(now_i), span(then_i)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.abs(x_now - x_then) / (t_now - t_then)
    out[idx] = np.where(valid, rate, np.nan)
    return out


def sway_rms(values: np.ndarray) -> float:
    """RMS of a value about its straight-line trend over a hold (the slow drift is not sway), NaN if < 5 samples."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(np.sqrt(np.mean(detrend(x) ** 2))) if x.size >= 5 else math.nan


def nan_stat(fn: Callable[[np.ndarray], Any], x: np.ndarray) -> float:
    """``fn`` over the finite values (NaN when there are none)."""
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(fn(x)) if x.size else math.nan


def share_within(x: np.ndarray, lo: float, hi: float) -> float:
    """Share (0..1) of the finite samples inside ``[lo, hi]`` (NaN when there are none)."""
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(np.mean((x >= lo) & (x <= hi))) if x.size else math.nan


class RestLevel:
    """The set's own rest level of a hold value, causally: the lowest running median (over the finite samples of
    the last :data:`REST_WINDOW_S`) seen so far, NaN until a window has really been seen.

    The median ignores a glitch of a few frames and the minimum keeps the lowest level the body has stayed at
    (lying down between press-ups). A window counts only when it holds :data:`REST_MIN_SAMPLES` samples spanning
    :data:`REST_SPAN_FRAC` of :data:`REST_WINDOW_S`, seen without a gap over :data:`BRIDGE_S` for a whole
    :data:`REST_WINDOW_S`: after a gap (MediaPipe dropping a lying body) the window restarts, so its first frames
    (one glitch frame) are not a "median" that the running minimum would keep for the rest of the set. One sample
    at a time, so the batch path (fed the whole set in order) and the live path (fed each frame) give the same
    levels.
    """

    def __init__(self) -> None:
        self._buf: deque[tuple[float, float, tuple[float, ...]]] = deque()
        self._t0 = math.nan  # first finite sample since the last gap over BRIDGE_S
        self._last = math.nan  # the last finite sample
        self._low = math.nan
        self.extra: tuple[float, ...] = ()  # the companions' running medians when the rest level was last lowered

    def update(self, t_s: float, x: float, extra: tuple[float, ...] = ()) -> float:
        """Add one sample (NaN = unseen, ignored); returns the rest level so far.

        ``extra``: companion values of the same sample (the pelvis height while the trunk rests); their running
        medians (over their finite samples in the same window, NaN if none) are kept in :attr:`extra` whenever
        the rest level is lowered: their levels while the body rested.
        """
        if math.isfinite(x):
            if not t_s - self._last <= BRIDGE_S + 1e-9:  # the first sample, or back after a long gap
                self._buf.clear()
                self._t0 = t_s
            self._last = t_s
            self._buf.append((t_s, x, tuple(extra)))
            while self._buf and self._buf[0][0] <= t_s - REST_WINDOW_S:
                self._buf.popleft()
            spans = (
                t_s - self._t0 >= REST_WINDOW_S - 1e-9
                and len(self._buf) >= REST_MIN_SAMPLES
                and t_s - self._buf[0][0] >= REST_SPAN_FRAC * REST_WINDOW_S - 1e-9
            )
            if spans:
                med = float(np.median([v for _, v, _ in self._buf]))
                if math.isnan(self._low) or med <= self._low:
                    self.extra = tuple(
                        nan_stat(np.median, np.array([e[i] for _, _, e in self._buf])) for i in range(len(extra))
                    )
                self._low = med if math.isnan(self._low) else min(self._low, med)
        return self._low

    @classmethod
    def batch(cls, t_s: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The rest level after each sample of a whole set (the streaming tracker run over it)."""
        r = cls()
        return np.array(
            [
                r.update(tt, xx)
                for tt, xx in zip(
                    np.asarray(t_s, dtype=np.float64).tolist(), np.asarray(x, dtype=np.float64).tolist(), strict=True
                )
            ]
        )


class LowStretch:
    """The longest still stretch with the hips low, causally (batch and live feed it the same samples).

    Each sample is the ``low`` of :meth:`HoldExercise.hold_signals`: 1 still in the posture, shoulders held up,
    hips low; 0 the same with the hips held up; -1 anything else (moving, out of the posture, shoulders down),
    which ends the stretch; NaN unknown (skipped: a gap between known samples over :data:`BRIDGE_S` ends the
    stretch). A stretch counts when the hips read low in at least ``min_share`` of its samples: a sag at the lying
    limit reads low and not low frame by frame, and lying readings of ``move_min_s`` in every ``min_hold_s +
    move_min_s`` already keep a hold from being timed (:meth:`HoldExercise.low_share_min`).

    A set that also had a still stretch with the hips up (one that does not count as low) of at least ``up_min_s``
    reports none: the person did lift the hips and keep still, so a hold missed for another reason (too short, the
    knees bent) is not blamed on the hips, and a rest on the forearms before or after it is a rest.
    """

    def __init__(self, min_share: float, up_min_s: float = 0.0) -> None:
        self.min_share = min_share
        self.up_min_s = up_min_s
        self._up_seen = False  # a still stretch with the hips up, at least up_min_s long
        self._t0 = math.nan  # start of the current stretch
        self._t1 = math.nan  # its last sample
        self._n = self._n_low = 0
        self._last = math.nan  # the last known sample
        self._longest = 0.0

    def _current_s(self) -> float:
        """The stretch under way, seconds, if it counts (else 0)."""
        return self._t1 - self._t0 if self._n and self._n_low >= self.min_share * self._n else 0.0

    def _current_up(self) -> bool:
        """The stretch under way is a still one with the hips up (does not count as low), ``up_min_s`` long."""
        return bool(self._n) and self._n_low < self.min_share * self._n and self._t1 - self._t0 >= self.up_min_s

    def _close(self) -> None:
        self._longest = max(self._longest, self._current_s())
        self._up_seen = self._up_seen or self._current_up()
        self._n = self._n_low = 0

    def update(self, t_s: float, state: float) -> None:
        """Add one sample (``state`` as above)."""
        if math.isnan(state):
            return
        if not t_s - self._last <= BRIDGE_S + 1e-9:
            self._close()  # the first sample, or back after a gap
        self._last = t_s
        if state < 0:
            self._close()
            return
        if not self._n:
            self._t0 = t_s
        self._t1, self._n, self._n_low = t_s, self._n + 1, self._n_low + int(state > 0)

    def longest_s(self) -> float:
        """The longest stretch so far (the one under way included), seconds; 0 when none, or when a still stretch
        with the hips up was seen."""
        if self._up_seen or self._current_up():
            return 0.0
        return max(self._longest, self._current_s())

    @classmethod
    def batch(cls, t_s: np.ndarray, state: np.ndarray, min_share: float, up_min_s: float = 0.0) -> float:
        """The longest stretch of a whole set."""
        r = cls(min_share, up_min_s)
        for tt, x in zip(np.asarray(t_s, dtype=np.float64).tolist(), np.asarray(state, dtype=np.float64).tolist(),
                         strict=True):  # fmt: skip
            r.update(tt, x)
        return r.longest_s()


# ---------------------------------------------------------------------------------------------------------------
# The hold strategy with movement splits
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentedHold:
    """:class:`BandHold` whose holds a sustained movement ends (see the module docstring).

    Attributes:
        band: the band, its minimum hold, break and end-gap rules.
        move_min_s: a movement (``MOVING`` samples) lasting this long closes the hold in progress; a shorter one
            is an excursion out of the band like any other.
    """

    kind: ClassVar[str] = "hold"

    band: BandHold
    move_min_s: float = 0.3

    def batch(self, t_s: np.ndarray, x: np.ndarray) -> list[HoldWindow]:
        """All holds of a sequence (the streaming state machine run over it, so both forms agree exactly)."""
        s = self.stream()
        out = [h for h in (s.update(tt, xx) for tt, xx in zip(np.asarray(t_s).tolist(), np.asarray(x).tolist(),
                                                               strict=True)) if h]  # fmt: skip
        return out + s.finish()

    def stream(self) -> SegmentedHoldStream:
        return SegmentedHoldStream(self)


class SegmentedHoldStream:
    """Streaming form of :class:`SegmentedHold` (``update``, ``finish``, ``current`` like the engine's hold stream).

    A movement closes the hold in progress; when the body is still in the band again within the band's
    ``end_gap_s`` the two are one hold with a break between them (a dip of the hips and back up). A stretch
    shorter than the minimum hold before a movement (a rest pose, getting into position) is never a hold, so it
    is not joined to the hold that follows. A closed hold is therefore reported once ``end_gap_s`` has passed
    without a new one starting.
    """

    def __init__(self, strategy: SegmentedHold) -> None:
        self.strategy = strategy
        self._inner: HoldStream = strategy.band.stream()
        self._offset = 0  # index of the inner stream's first sample among all samples fed
        self._n = 0
        self._t = -math.inf
        self._moving_since: float | None = None
        self._split = False  # the hold was closed by a movement; a new inner stream starts when still again
        self._pending: HoldWindow | None = None  # closed, waiting to see whether the next hold joins it
        self._ready: deque[HoldWindow] = deque()
        self._gap: list[float] = []  # times of NaN samples not fed yet (a short gap is bridged)
        self._last = math.nan
        band = strategy.band
        self._out = band.hi + OUT_OFFSET if math.isfinite(band.hi) else band.lo - OUT_OFFSET
        # Entering the posture (see the module docstring): the last sample out of the posture, the entry time, the
        # start of the current still run, and the (inner start, entry) pair applied to the hold in progress.
        self._out_t: float | None = None
        self._entry: float | None = None
        self._still_t0: float | None = None
        self._in_band_t0: float | None = None  # start of the current run of still samples inside the band
        self._backdate_start: tuple[float, float] | None = None

    def _kind(self, value: float) -> str:
        """``moving``, ``out`` (out of the posture), ``unjudged``, ``unseen`` or ``value`` (a measured value)."""
        if value == MOVING:
            return "moving"
        if math.isnan(value):
            return "unseen"
        band = self.strategy.band
        ref = band.hi if math.isfinite(band.hi) else -band.lo
        x = value if math.isfinite(band.hi) else -value
        if x >= ref + 0.5 * (OUT_OFFSET + UNJUDGED_OFFSET):
            return "unjudged"
        return "out" if x >= ref + 0.5 * OUT_OFFSET else "value"

    def _track_entry(self, t_s: float, kind: str, value: float) -> None:
        """Follow entries into the posture and the settling after them, and runs of still samples in the band
        (before the sample reaches the inner stream)."""
        band = self.strategy.band
        if kind == "value" and band.lo <= value <= band.hi:
            self._in_band_t0 = t_s if self._in_band_t0 is None else self._in_band_t0
        else:
            self._in_band_t0 = None
        if kind in ("unseen", "unjudged"):
            self._out_t = self._entry = self._still_t0 = None
        elif kind == "out":
            self._out_t, self._entry, self._still_t0 = t_s, None, None
        else:
            if self._out_t is not None:
                self._entry = 0.5 * (self._out_t + t_s)  # the crossing, half-way as the band's own crossings
                self._out_t = None
            if kind == "value":
                if self._still_t0 is None:
                    self._still_t0 = t_s
            else:
                if self._still_t0 is not None and t_s - self._still_t0 >= band.break_min_s - 1e-9:
                    self._entry = None  # it came to rest in the posture first: that was a rest, not settling
                self._still_t0 = None
        if self._entry is not None and t_s - self._entry > band.end_gap_s + band.min_hold_s:
            self._entry = None  # long past: the hold (if any) started from it or never will

    def _note_start(self) -> None:
        """Remember the entry for the inner hold that just started (after the sample reached the inner stream)."""
        cur = None if self._split else self._inner.current
        if cur is None:
            self._backdate_start = None
            return
        if self._backdate_start is None:
            e = self._entry
            ok = e is not None and e <= cur.start_s and cur.start_s - e <= self.strategy.band.end_gap_s
            self._backdate_start = (cur.start_s, e) if ok else (cur.start_s, cur.start_s)  # type: ignore[assignment]
            self._entry = None

    def _entered(self, h: Any) -> Any:
        """``h`` (a hold window or progress of the inner stream) timed from the entry into the posture, if any."""
        b = self._backdate_start
        if b is None or abs(h.start_s - b[0]) > 1e-9 or b[1] >= b[0]:
            return h
        d = b[0] - b[1]
        # Only the start moves: while settling the body was moving, not held in the target position, so the time in
        # band stays what the still hold measured.
        if isinstance(h, HoldWindow):
            return dataclasses.replace(h, start_s=b[1])
        return dataclasses.replace(h, start_s=b[1], elapsed_s=h.elapsed_s + d)

    @property
    def current(self) -> Any:
        """The hold in progress (:class:`~formcheck.engine.repstrategies.HoldProgress`) or None."""
        cur = None if self._split else self._inner.current
        cur = self._entered(cur) if cur is not None else None
        p = self._pending
        if cur is not None and p is not None and cur.start_s - p.end_s <= self.strategy.band.end_gap_s:
            # The joined hold: timed from the first part's start, its time in band included.
            return dataclasses.replace(cur, start_s=p.start_s, elapsed_s=cur.elapsed_s + cur.start_s - p.start_s,
                                       in_band_s=cur.in_band_s + p.in_band_s,
                                       n_breaks=cur.n_breaks + len(p.breaks) + 1)  # fmt: skip
        return cur

    def _join(self, a: HoldWindow, b: HoldWindow) -> HoldWindow:
        gap = Break(a.end_s, b.start_s)
        brk = (gap,) if gap.duration_s >= self.strategy.band.break_min_s else ()
        return HoldWindow(start_i=a.start_i, end_i=b.end_i, start_s=a.start_s, end_s=b.end_s,
                          in_band_s=a.in_band_s + b.in_band_s, breaks=(*a.breaks, *brk, *b.breaks), side=a.side,
                          ended_by=b.ended_by)  # fmt: skip

    def _take(self, items: list[HoldWindow]) -> None:
        off = self._offset
        for h in items:
            h = dataclasses.replace(self._entered(h), start_i=h.start_i + off, end_i=h.end_i + off)
            p = self._pending
            if p is not None and h.start_s - p.end_s <= self.strategy.band.end_gap_s:
                self._pending = self._join(p, h)
            else:
                if p is not None:
                    self._ready.append(p)
                self._pending = h

    @staticmethod
    def _backdate(h: HoldWindow) -> HoldWindow:
        lag = min(MOVE_LAG_S, max(0.0, h.end_s - h.start_s), h.in_band_s)
        return dataclasses.replace(h, end_s=h.end_s - lag, in_band_s=h.in_band_s - lag)

    def _release(self, t_s: float) -> None:
        """Report the closed hold once nothing can join it any more."""
        p = self._pending
        band = self.strategy.band
        if p is None or t_s - p.end_s <= band.end_gap_s:
            return
        cur = None if self._split else self._inner.current
        if cur is not None and cur.start_s - p.end_s <= band.end_gap_s:
            return  # a hold that started in time is under way: it joins this one when it ends
        s0 = self._in_band_t0
        if s0 is not None and s0 - p.end_s <= band.end_gap_s and t_s - s0 < band.break_min_s + 1e-9:
            return  # still in the band since a time in time: the inner stream knows it as a hold after break_min_s
        self._ready.append(p)
        self._pending = None

    def update(self, t_s: float, value: float) -> HoldWindow | None:
        """Add one sample. Nobody seen (NaN) for up to ``BRIDGE_S`` between two seen samples is bridged with the
        last value (a lost frame is not time out of the position); a longer gap is out of view."""
        if math.isnan(value):
            self._gap.append(t_s)
            if t_s - self._gap[0] <= BRIDGE_S:
                return self._ready.popleft() if self._ready else None
            fill = math.nan
            # A long gap is fed in pieces: its last piece (shorter than BRIDGE_S when the person is back) is still
            # out of view, not bridged with the value from before the gap.
            self._last = math.nan
        else:
            fill = self._last
        for tg in self._gap:
            self._feed(tg, fill)
        self._gap.clear()
        if not math.isnan(value):
            self._feed(t_s, value)
            self._last = value
        return self._ready.popleft() if self._ready else None

    def _feed(self, t_s: float, value: float) -> None:
        i = self._n
        self._n += 1
        self._t = t_s
        self._track_entry(t_s, self._kind(value), value)
        if value == MOVING:
            if self._moving_since is None:
                self._moving_since = t_s
            if not self._split:
                if t_s - self._moving_since >= self.strategy.move_min_s - 1e-9:
                    # The trailing window sees a movement about MOVE_LAG_S after it began: the hold ended then.
                    self._take([self._backdate(h) for h in self._inner.finish()])
                    self._split = True
                else:
                    h = self._inner.update(t_s, self._out)
                    self._take([h] if h else [])
        else:
            self._moving_since = None
            if self._split:
                self._inner, self._offset, self._split = self.strategy.band.stream(), i, False
            h = self._inner.update(t_s, value)
            self._take([h] if h else [])
        self._note_start()
        self._release(t_s)

    def finish(self) -> list[HoldWindow]:
        for tg in self._gap:  # the set ended out of view
            self._feed(tg, math.nan)
        self._gap.clear()
        if not self._split:
            self._take(self._inner.finish())
        if self._pending is not None:
            self._ready.append(self._pending)
            self._pending = None
        out = list(self._ready)
        self._ready.clear()
        return out


# ---------------------------------------------------------------------------------------------------------------
# What an exercise declares, and the analyzer and live model built from it
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldExercise:
    """One floor hold, as data and pure functions.

    Attributes:
        name: the exercise name (its :class:`~formcheck.engine.spec.ExerciseSpec` is looked up by it).
        position: the body position the view and facing rules use (``prone``, ``side_lying``).
        values: per-frame measures of ``(T, 33, 2)`` pixels and the exercise config: every live key plus what
            :attr:`hold_value` reads (the same function for a set and for one live frame).
        hold_value: the value tested against the band, from :attr:`values`' output and the config: NaN unseen,
            ``hi + OUT_OFFSET`` (or any value outside the band) when not in the posture.
        band: ``(lo, hi)`` of the config.
        metrics: ``Hold.metrics`` from the values over one hold (``t_s`` and the live keys) and the config.
        min_hold_s: shortest hold from the config.
        side_of: the held side (``Hold.side``) from the metrics of one hold, or None.
        rep_key: a per-frame value whose cycles are reps during the hold (arm reaches, press-ups), or "".
        rep_min_rom: the reps' minimum range from the config (degrees of ``rep_key``).
        rep_metrics: ``Rep.metrics`` from the rep signal over one rep.
        reps_in_holds: count reps only while a hold is timed (limb movements during a hold), not between holds
            (press-ups are reps wherever they happen).
        move_joints: the mid-points whose movement ends a hold (the side plank: the hips only, as an arm reach
            turns the shoulders while the hold goes on).
        limb_key: a per-frame limb angle (degrees, from :attr:`values`) whose movement during a hold is part of
            the exercise (the side plank's top arm against the trunk): while it moves faster than
            :attr:`limb_moving_deg_s` the trunk's movement does not end the hold. "" = none.
        limb_moving_deg_s: that speed from the config (degrees per second, over the movement window).
        rest_rise: when set, the rise (degrees of the hold value, from the config) above the set's own rest level
            (:class:`RestLevel`) that also counts as in the band: the band's lower edge is ``min(lo, rest +
            rise)`` (a camera that under-reads the angle still finds a top raised clearly above the set's own
            lying level). The reported values are unchanged; only the hold signal is shifted by the difference.
        rest_keys: per-frame values (from :attr:`values`) whose own level while the hold value rests is tracked
            with the rest level (:class:`RestLevel` ``extra``: the pelvis height lying down).
        at_rest: measures against the set's own rest: a function of the values, the levels (``hold_value``: the
            hold value's rest level; each of :attr:`rest_keys`: its level at rest; NaN while unknown) and the
            config, returning extra per-frame values (:meth:`with_rest`; None = none).
        still_rise_frac_s: when set (with :attr:`rest_rise`), stillness is told by the hold value's own rate
            instead of the landmarks' movement (prone extension: the trunk's elevation is what is held, and lying
            down the landmarks jitter more than the movement limit): moving while it changes by more than this
            fraction per second of its rise above the rest level (at least ``rest_rise``). Relative, so a
            camera that under-reads the angle (and so its rate) tells the movements from the holds alike.
        hips_low: when set, per frame from :attr:`values` and the config: 1 in the posture with the shoulders held
            up and the hips low (too low to tell a hold from lying), 0 the same with the hips held up, -1
            otherwise (out of the posture, shoulders down), NaN unknown. The set then records its longest still
            stretch with the hips low (:class:`LowStretch`, summary ``hips_low_still_s``) for the no-hold hint.
    """

    name: str
    position: str
    values: Callable[[np.ndarray, Any], dict[str, np.ndarray]]
    hold_value: Callable[[Mapping[str, np.ndarray], Any], np.ndarray]
    band: Callable[[Any], tuple[float, float]]
    metrics: Callable[[Mapping[str, np.ndarray], Any], dict[str, float | str | None]]
    min_hold_s: Callable[[Any], float] = lambda ex: HOLD_MIN_S
    side_of: Callable[[Mapping[str, Any]], str | None] | None = None
    rep_key: str = ""
    rep_min_rom: Callable[[Any], float] = lambda ex: float(ex.min_rom_deg)
    rep_metrics: Callable[[np.ndarray], dict[str, float]] = lambda x: {}
    reps_in_holds: bool = False
    move_joints: tuple[str, ...] = ("HIP", "SHOULDER")
    limb_key: str = ""
    limb_moving_deg_s: Callable[[Any], float] = lambda ex: math.inf
    rest_rise: Callable[[Any], float] | None = None
    still_rise_frac_s: Callable[[Any], float] | None = None
    rest_keys: tuple[str, ...] = ()
    at_rest: Callable[[Mapping[str, np.ndarray], Mapping[str, np.ndarray], Any], dict[str, np.ndarray]] | None = None
    hips_low: Callable[[Mapping[str, np.ndarray], Any], np.ndarray] | None = None

    def with_rest(self, t_s: np.ndarray, vals: Mapping[str, np.ndarray], ex: Any,
                  tracker: RestLevel | None = None) -> dict[str, np.ndarray]:  # fmt: skip
        """``vals`` plus :attr:`at_rest`'s measures against the set's own rest level (batch: the whole set, from a
        new tracker; live: one frame, with the tracker kept across frames, so both see the same levels)."""
        if self.at_rest is None:
            return dict(vals)
        r = tracker if tracker is not None else RestLevel()
        x = np.asarray(self.hold_value(vals, ex), dtype=np.float64)
        comp = [np.asarray(vals[k], dtype=np.float64) for k in self.rest_keys]
        level, extra = np.full(x.shape, np.nan), np.full((len(self.rest_keys), x.size), np.nan)
        for i, (tt, xx) in enumerate(zip(np.asarray(t_s, dtype=np.float64).tolist(), x.tolist(), strict=True)):
            level[i] = r.update(tt, xx, tuple(float(c[i]) for c in comp))
            if r.extra:
                extra[:, i] = r.extra
        rest = {"hold_value": level, **{k: extra[j] for j, k in enumerate(self.rest_keys)}}
        return {**vals, **self.at_rest(vals, rest, ex)}

    @property
    def spec(self) -> ExerciseSpec:
        return get_spec(self.name)

    def strategy(self, config: Config) -> SegmentedHold:
        ex = config.exercise_config(self.name)
        lo, hi = self.band(ex)
        band = BandHold(lo, hi, min_hold_s=self.min_hold_s(ex), break_min_s=BREAK_MIN_S, end_gap_s=END_GAP_S)
        return SegmentedHold(band, move_min_s=float(ex.move_min_s))

    def rep_strategy(self, config: Config) -> Cyclic:
        ex = config.exercise_config(self.name)
        return Cyclic(min_rom_deg=self.rep_min_rom(ex), prominence_frac=float(ex.rep_prominence_frac))

    def low_share_min(self, ex: Any) -> float:
        """The share of low readings that keeps a hold from being timed: a lying reading ends a hold once it lasts
        ``move_min_s``, so one such reading in every ``min_hold_s + move_min_s`` leaves no hold (0.13 by default)."""
        move = float(ex.move_min_s)
        return move / (self.min_hold_s(ex) + move) if move > 0 else 0.0

    def raw_hold_value(self, px_raw: np.ndarray, ex: Any) -> np.ndarray:
        """The hold value of raw pixels (what the rest level is tracked on)."""
        with np.errstate(invalid="ignore"):
            return np.asarray(self.hold_value(self.values(px_raw, ex), ex), dtype=np.float64)

    def signal(self, t_s: np.ndarray, px_raw: np.ndarray, ex: Any, rest: np.ndarray | None = None) -> np.ndarray:
        """The value fed to the hold strategy, from raw pixels (the first of :meth:`hold_signals`)."""
        return self.hold_signals(t_s, px_raw, ex, rest)[0]

    def hold_signals(
        self, t_s: np.ndarray, px_raw: np.ndarray, ex: Any, rest: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """What the hold strategy and the :class:`LowStretch` are fed, from raw pixels (batch and live alike, see
        the module docstring), in one pass: the measures and the trunk's movement are computed once for both.

        Args:
            t_s: ``(T,)`` times.
            px_raw: ``(T, 33, 2)`` raw pixel landmarks.
            ex: the exercise config.
            rest: ``(T,)`` the set's rest level at each sample (:class:`RestLevel`, tracked over the whole set
                so far); None = tracked over the samples given (the batch path gives the whole set).

        Returns:
            ``(signal, low)``: ``signal`` the hold value per sample (the module docstring's NaN, :data:`MOVING`,
            offsets or measured value); ``low`` the :attr:`hips_low` state where the body is still (the same
            movement test as the trunk's in ``signal``), -1 where it moves, NaN where that is unknown (a
            :class:`LowStretch` sample per frame; all NaN without :attr:`hips_low`).
        """
        lo, hi = self.band(ex)
        trunk: np.ndarray | None = None  # the trunk's movement (movement_pct_s), for both outputs
        with np.errstate(invalid="ignore"):
            vals = self.values(px_raw, ex)
            v = np.asarray(self.hold_value(vals, ex), dtype=np.float64)
            by_rest = self.rest_rise is not None and math.isfinite(lo)
            if by_rest:
                rise = self.rest_rise(ex)
                rest = RestLevel.batch(t_s, v) if rest is None else np.asarray(rest, dtype=np.float64)
            if by_rest and self.still_rise_frac_s is not None:
                speed = angle_rate_deg_s(t_s, v)
                # Unknown rest (the first REST_WINDOW_S): the rise itself is the scale.
                moving = speed > self.still_rise_frac_s(ex) * np.fmax(v - rest, rise)
            else:
                speed = trunk = movement_pct_s(t_s, px_raw, self.move_joints)
                moving = speed > float(ex.still_max_pct_s)
            if by_rest:
                # The lower edge moves down to rest + rise where that is lower: shift the value up by as much.
                v = v + np.maximum(0.0, lo - np.fmin(lo, rest + rise))
            if self.limb_key:
                # A limb movement of the exercise (an arm reach) turns the trunk a little: not the end of a hold.
                limb = angle_rate_deg_s(t_s, np.asarray(vals[self.limb_key], dtype=np.float64))
                moving &= ~(limb > self.limb_moving_deg_s(ex))
            out = (v >= hi + 0.5 * OUT_OFFSET) if math.isfinite(hi) else (v <= lo - 0.5 * OUT_OFFSET)
            low = np.full(len(t_s), np.nan)
            if self.hips_low is not None:
                trunk = movement_pct_s(t_s, px_raw, self.move_joints) if trunk is None else trunk
                state = np.asarray(self.hips_low(vals, ex), dtype=np.float64)
                low = np.where(np.isnan(trunk) & (state >= 0), np.nan,
                               np.where(trunk > float(ex.still_max_pct_s), -1.0, state))  # fmt: skip
        unjudged = (hi + UNJUDGED_OFFSET) if math.isfinite(hi) else (lo - UNJUDGED_OFFSET)
        seen = np.isfinite(v) & ~out  # out of the posture stays out, moving or not (seen at once, not late)
        # Not seen long enough to tell whether it moves (the start of a clip, back in view): not holding yet.
        v = np.where(seen & np.isnan(speed), unjudged, v)
        return np.where(seen & moving, MOVING, v), low


def hold_series(t_s: np.ndarray, values: Mapping[str, np.ndarray], keys: tuple[str, ...], a: float, b: float):
    """The values of ``keys`` (and ``t_s``) between times ``a`` and ``b``."""
    sel = (t_s >= a - 1e-9) & (t_s <= b + 1e-9)
    return {"t_s": t_s[sel], **{k: np.asarray(values[k])[sel] for k in keys}}


def without_breaks(
    series: Mapping[str, np.ndarray], breaks: tuple[Break, ...], moves: Sequence[tuple[float, float]] = ()
) -> dict[str, np.ndarray]:
    """The hold's values with the breaks made unknown: a hold's line and sway describe the time held. ``moves``:
    ``(start_s, end_s)`` of the limb movements counted during the hold (a side plank's arm reaches), unknown too —
    the trunk turns with a reach by design, so it is not the hold swaying (acceptance check #5)."""
    t = np.asarray(series["t_s"], dtype=np.float64)
    out = np.zeros(t.shape, dtype=bool)
    for a, b in [(br.start_s, br.end_s) for br in breaks] + [tuple(m) for m in moves]:
        out |= (t >= a) & (t <= b)
    return {k: (np.asarray(v, dtype=np.float64) if k == "t_s" else np.where(out, np.nan, v)) for k, v in series.items()}


def window_rep(index: int, w: RepWindow, metrics: Mapping[str, float]) -> Rep:
    """A :class:`Rep` from a cyclic window (limb movements during a hold, press-ups)."""
    return Rep(index=index, start_s=w.start_s, bottom_s=0.5 * (w.bottom_start_s + w.bottom_end_s), end_s=w.end_s,
               eccentric_s=w.eccentric_s, bottom_pause_s=w.bottom_pause_s, concentric_s=w.concentric_s,
               top_pause_s=w.top_pause_s, time_under_tension_s=w.end_s - w.start_s, rom_deg=w.rom,
               metrics=dict(metrics))  # fmt: skip


class HoldAnalyzer:
    """Batch analysis of one floor hold exercise (see the module docstring)."""

    def __init__(self, config: Config | None, exercise: HoldExercise) -> None:
        self.config = config or Config()
        self.exercise = exercise
        self.name = exercise.name

    def analyze(self, seq: PoseSequence) -> Analysis:
        ex_def, cfg = self.exercise, self.config
        spec, ex = ex_def.spec, cfg.exercise_config(ex_def.name)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            body = Body.from_sequence(seq, cfg, position=ex_def.position)
            t = body.t_s
            vals = ex_def.with_rest(t, ex_def.values(body.px, ex), ex)
            # The strategy reads the raw landmarks, as the live runner feeds them (no zero-phase smoothing live).
            raw = np.asarray(seq.xy_px(), dtype=np.float64)
            sig, low_state = ex_def.hold_signals(t, raw, ex) if len(t) else (np.empty(0), np.empty(0))
            windows = ex_def.strategy(cfg).batch(t, sig) if len(t) else []
            reps: list[Rep] = []
            if ex_def.rep_key and len(t):
                x = np.asarray(vals[ex_def.rep_key], dtype=np.float64)
                if ex_def.reps_in_holds:
                    in_hold = np.zeros(len(t), dtype=bool)
                    for w in windows:
                        in_hold |= (t >= w.start_s) & (t <= w.end_s)
                    x = np.where(in_hold, x, np.nan)
                for rw in ex_def.rep_strategy(cfg).batch(t, x):
                    reps.append(window_rep(len(reps) + 1, rw, ex_def.rep_metrics(x[rw.start_i : rw.end_i + 1])))
            # Limb movements counted during a hold are the prescribed movement, not the hold's form.
            moves = [(r.start_s, r.end_s) for r in reps] if ex_def.reps_in_holds else []
            holds = []
            for i, w in enumerate(windows):
                held = hold_series(t, vals, spec.live_keys, w.start_s, w.end_s)
                m = ex_def.metrics(without_breaks(held, w.breaks, moves), ex)
                h = w.to_hold(i + 1, m)
                side = ex_def.side_of(m) if ex_def.side_of is not None else None
                holds.append(dataclasses.replace(h, side=side) if side else h)
            low: dict[str, float] = {}
            if ex_def.hips_low is not None and len(t):
                share = ex_def.low_share_min(ex)
                low["hips_low_still_s"] = LowStretch.batch(t, low_state, share, float(ex.move_min_s))
        v = body.view
        what = "hold" if not ex_def.rep_key else "hold or repetition"
        hips_low = bool(low) and low_hint(spec, low, cfg) is not None
        q = set_quality(
            view=v.view, facing=v.facing_label, side_used=v.near_side, **body_frame_counts(seq, body),
            mean_visibility=float(np.nanmean(body.vis[body.present])) if body.present.any() else math.nan,
            warnings=view_warnings(spec, v.view), n_items=len(holds) + len(reps),
            no_items=f"No {what} was found: the hips stayed low, close to the floor." if hips_low else
            f"No {what} was found: get into the position and keep still for a few seconds.",
        )  # fmt: skip
        q = with_position(q, body.position, spec.positions, spec.title)
        series = {"t_s": t, **{k: np.asarray(vals[k], dtype=np.float64) for k in spec.live_keys}}
        summary = {"hold_count": len(holds), "held_s": float(sum(h.duration_s for h in holds)),
                   "in_band_s": float(sum(h.in_band_s for h in holds)), "rep_count": len(reps), **low}  # fmt: skip
        return Analysis(ex_def.name, tuple(reps), (), q, series=series, summary=summary, limits=spec.limits,
                        settings={"analyzer": ex_def.name}, holds=tuple(holds), video=seq.video)  # fmt: skip

    def stream(self) -> HoldStreamRunner:
        return HoldStreamRunner(self.config, HoldLive(self.config, self.exercise))


def low_hint(spec: ExerciseSpec, summary: Mapping[str, Any], config: Config) -> str | None:
    """The exercise's no-hold hint for a set whose hips stayed low (``spec.no_reps_why`` of its summary), or None."""
    if spec.no_reps_why is None:
        return None
    return spec.no_reps_why(RuleInput(summary, config, config.exercise_config(spec.name)))


def view_warnings(spec: ExerciseSpec, view: str) -> list[str]:
    """A plain warning when the set was not filmed from the exercise's best view."""
    best = spec.views[0]
    if view in ("unknown", best):
        return [] if view == best else ["The camera angle could not be determined."]
    article = "an" if view[:1] in "aeiou" else "a"  # "an oblique view"
    return [f"Filmed from {article} {view} view: the body line is measured in the image, so film from the {best} for "
            "reliable angles."]  # fmt: skip


class HoldLive:
    """The live model of a floor hold for :class:`~formcheck.engine.stream.ExerciseStream`.

    ``live_values`` runs the exercise's per-frame measures on the filtered frame; ``depth`` the hold value of the
    raw frame, with the movement test on the raw frames seen in the last :data:`MOVE_HISTORY_S` (the same causal
    function as the batch path); ``hold_metrics`` the exercise's metrics over the recorded live values.
    """

    reference_keys: tuple[str, ...] = ()
    phase_key = ""

    def __init__(self, config: Config, exercise: HoldExercise) -> None:
        self.config = config
        self.exercise = exercise
        self.spec = exercise.spec
        self.strategy = exercise.strategy(config)
        self._ex = config.exercise_config(exercise.name)
        self._t_now = math.nan
        self._hist: deque[tuple[float, np.ndarray]] = deque()
        self._rest = RestLevel() if exercise.rest_rise is not None else None
        self._rest_hist: deque[float] = deque()  # the rest level at each frame of _hist
        self._vals_rest = RestLevel() if exercise.at_rest is not None else None  # on the live (filtered) values
        self._vals_t = -math.inf
        # hips low, still (Analysis.summary); a still stretch with the hips up of move_min_s cancels it
        self.low_stretch = LowStretch(exercise.low_share_min(self._ex), float(self._ex.move_min_s))
        # (start_s, end_s) of the limb movements counted so far (the runner's reps): left out of a hold's metrics
        self.moves: list[tuple[float, float]] = []

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        self._t_now = fr.t_s  # the runner calls depth() right after, for the same frame
        with np.errstate(invalid="ignore"):
            v = self.exercise.values(fr.px[None], self._ex)
            if self._vals_rest is not None and fr.t_s > self._vals_t:
                self._vals_t = fr.t_s
                v = self.exercise.with_rest(np.array([fr.t_s]), v, self._ex, self._vals_rest)
        return {k: float(v[k][0]) if k in v else math.nan for k in self.spec.live_keys}, {}

    def depth(self, px: np.ndarray, facing: float) -> float:
        t = self._t_now
        new = not self._hist or t > self._hist[-1][0]
        if new:
            self._hist.append((t, np.array(px, dtype=np.float64)))
            if self._rest is not None:
                x = float(self.exercise.raw_hold_value(self._hist[-1][1][None], self._ex)[0])
                self._rest_hist.append(self._rest.update(t, x))
        while self._hist and self._hist[0][0] < t - MOVE_HISTORY_S:
            self._hist.popleft()
            if self._rest_hist:
                self._rest_hist.popleft()
        ts = np.array([h[0] for h in self._hist])
        stack = np.stack([h[1] for h in self._hist])
        rest = np.array(self._rest_hist) if self._rest is not None else None
        sig, low = self.exercise.hold_signals(ts, stack, self._ex, rest)
        if new and self.exercise.hips_low is not None:
            self.low_stretch.update(t, float(low[-1]))
        return float(sig[-1])

    def hold_metrics(self, window: HoldWindow, series: Mapping[str, np.ndarray]) -> dict[str, float | str | None]:
        moves = self.moves if self.exercise.reps_in_holds else ()
        return self.exercise.metrics(without_breaks(series, window.breaks, moves), self._ex)


class HoldStreamRunner(ExerciseStream):
    """The engine's runner for a floor hold, plus the reps counted during the hold and the held side.

    Reps (limb movements, press-ups) come from the exercise's cyclic strategy fed the filtered live rep value;
    they are made from the strategy's own windows (:func:`window_rep`), metrics from the values it saw.
    """

    def __init__(self, config: Config, model: HoldLive) -> None:
        super().__init__(config, model)
        ex = model.exercise
        self._rep_stream = ex.rep_strategy(config).stream() if ex.rep_key else None
        self._rep_vals: deque[tuple[float, float]] = deque()
        self._rep_t = -math.inf
        self._rep_seen_t = math.nan  # the last finite sample fed to the rep stream (NaN: the last fed was a hole)
        self._rep_gap_s = float(config.signal.max_gap_s)  # the batch's Body bridges lost frames up to this long
        self._t_now = -math.inf  # the frame being fed (a hold finished on it closes the limb movement in progress)
        self._flushed: list[Rep] = []  # reps closed by a finishing hold, reported with this frame's state

    def _finish_hold(self, h: HoldWindow) -> Hold:
        if self._rep_stream is not None and self.model.exercise.reps_in_holds and self._t_now > self._rep_t:  # type: ignore[attr-defined]
            # Reps count only inside a hold, and batch finds them on each hold's frames alone (the signal masked
            # around it) before reading the hold's metrics: so when a hold ends its limb movements end with it. The
            # rep stream is closed as at the end of a recording (a movement finished with the hold counts, as
            # batch counts it) and a fresh one waits for the next hold; the movements are then left out of the
            # hold's metrics as in batch.
            self._rep_t = self._t_now
            self._flushed += [self._rep_from(w) for w in self._rep_stream.finish()]
            self._rep_stream = self.model.exercise.rep_strategy(self.config).stream()  # type: ignore[attr-defined]
            self._rep_seen_t = math.nan
        hold = super()._finish_hold(h)
        side_of = self.model.exercise.side_of  # type: ignore[attr-defined]
        side = side_of(hold.metrics) if side_of is not None else None
        if side:
            hold = dataclasses.replace(hold, side=side)
            self._holds[-1] = hold
        return hold

    def _rep_from(self, w: RepWindow) -> Rep:
        x = np.array([v for t, v in self._rep_vals if w.start_s - 1e-9 <= t <= w.end_s + 1e-9])
        rep = window_rep(len(self._reps) + 1, w, self.model.exercise.rep_metrics(x))  # type: ignore[attr-defined]
        self._reps.append(rep)
        self.model.moves.append((rep.start_s, rep.end_s))  # type: ignore[attr-defined]
        return rep

    def update(self, t_s: float, landmarks: np.ndarray, world: np.ndarray, width: int, height: int,
               back_contour_px: np.ndarray | None = None, n_people: int = 1) -> LiveState:  # fmt: skip
        self._t_now = float(t_s)
        state = super().update(t_s, landmarks, world, width, height, back_contour_px, n_people)
        if self._flushed:  # closed by the hold that finished on this frame (_finish_hold)
            new, self._flushed = self._flushed, []
            return dataclasses.replace(state, new_rep=new[-1], rep_count=len(self._reps))
        if self._rep_stream is None or not state.ready or not t_s > self._rep_t:
            return state
        self._rep_t = t_s
        ex = self.model.exercise  # type: ignore[attr-defined]
        x = float(state.values.get(ex.rep_key, math.nan))
        masked = ex.reps_in_holds and self._detector.current is None
        if masked:
            x = math.nan  # limb movements count while a hold is timed
        self._rep_vals.append((t_s, x))
        while self._rep_vals and self._rep_vals[0][0] < t_s - self.buffer_s:
            self._rep_vals.popleft()
        if not masked and not math.isfinite(x):
            # A lost frame (nobody seen, MediaPipe dropping a lying body for a frame or two) is not fed: the batch
            # path bridges gaps up to max_gap_s (Body), and a NaN fed here would split the rep (a rep never spans a
            # hole), so a press-up with one lost frame at its top was never counted live. The rep stream
            # interpolates across the skipped frames; a gap found longer than max_gap_s is fed as a hole below.
            return dataclasses.replace(state, rep_count=len(self._reps))
        windows = []
        if math.isfinite(x) and t_s - self._rep_seen_t > self._rep_gap_s + 1e-9:
            windows.append(self._rep_stream.update(0.5 * (self._rep_seen_t + t_s), math.nan))  # a long gap: a hole
        windows.append(self._rep_stream.update(t_s, x))
        self._rep_seen_t = t_s if math.isfinite(x) else math.nan
        new = [self._rep_from(w) for w in windows if w is not None]
        if not new:
            return dataclasses.replace(state, rep_count=len(self._reps))
        return dataclasses.replace(state, new_rep=new[-1], rep_count=len(self._reps))

    def finish(self) -> Analysis:
        if self._rep_stream is not None and self._ready:
            for w in self._rep_stream.finish():
                self._rep_from(w)
        an = super().finish()
        model: HoldLive = self.model  # type: ignore[assignment]
        low = {"hips_low_still_s": model.low_stretch.longest_s()} if model.exercise.hips_low is not None else {}
        return dataclasses.replace(an, summary={**dict(an.summary), "rep_count": len(self._reps), **low})


class LyingTestConfig(ExerciseConfig):
    """The lying test's settings, shared by the holds on the forearms or hands (plank, side plank): a body whose hips
    or shoulders are down near the supports' line is lying on the floor, not holding (``plank.hold_value``)."""

    hip_lift_min_frac: float = Field(
        0.5,
        ge=0,
        le=1,
        description="hips lower than this share of the shoulders' height above the supports: lying, not holding",
    )
    shoulder_lift_min_frac: float = Field(
        0.05,
        ge=0,
        le=1,
        description="shoulders lower than this share of the body length above the supports: lying, not holding",
    )


# ---------------------------------------------------------------------------------------------------------------
# Rules every floor hold shares
# ---------------------------------------------------------------------------------------------------------------


def breath_due(inp: RuleInput) -> bool:
    """Live: a breathing reminder is due (every ``breath_reminder_s`` of a hold, shown for ``BREATH_SHOW_S``)."""
    every = float(getattr(inp.exercise, "breath_reminder_s", 0.0))
    el = inp.num("hold_elapsed_s")
    return inp.live and every > 0 and math.isfinite(el) and el >= every and (el % every) < BREATH_SHOW_S


BREATH_SHOW_S = 4.0


def degrees_text(x: float) -> str:
    """A never-zero degree figure for a message ("about 3°")."""
    return f"{max(1, round(abs(x))):d}°"
