"""Landmark sanity: points that jump, segments that stretch, and shot cuts / zooms in edited videos (issue 10).

The pose model sometimes puts a point on something else for a few frames (a knee on the weight plate: the knee
angle then read 136° and the shin 104° on a real deadlift). Such frames must not be measured. Three checks, all
on raw (unsmoothed) pixel landmarks, before anything is smoothed or measured:

* **Jumps** (:func:`jump_mask`): a point further than ``JUMP_FRAC`` trunk lengths from the running median of its own
  track (a centred window of ``JUMP_WINDOW_S``) is a jump. A body part can move that fast in a swing, but the
  median of a short window follows real movement; only an excursion shorter than half the window stands out.
* **Stretched segments** (:func:`stretched_mask`): a body segment (thigh, shank, upper arm, forearm, shoulder → hip)
  never gets longer in the image than its length facing the camera, which the set's ``STRETCH_REF_PCT`` percentile
  approximates (turning away only shortens it). A segment longer than ``STRETCH_MAX`` times that has a misplaced
  end: both its end points are unknown in that frame.
* **Scale jumps** (:func:`scale_cuts`): the body's size in the image (median of the segment lengths, relative to the
  set's) stepping by more than ``CUT_SCALE_STEP`` between neighbouring frames and staying there is a shot cut or a
  zoom in an edited video. :func:`rebase_cuts` maps every part after such a cut back onto the first part's scale
  and position (a zoom about any centre is a scale and a shift: scale from the body's size, shift from the ankles,
  which stay planted in the exercises that use it), so the standing baseline, the planted foot and pixels per
  centimetre stay valid across the cut.

A landmark found unsound becomes NaN (unknown), never 0; short gaps are bridged later by the usual smoothing.
Pixel coordinates only (x right, y down).

Live, :class:`LiveJumpGate` runs the jump check causally, frame by frame with bounded memory: the running median
is over the last ``JUMP_WINDOW_S`` (the newest frame included; a centred window needs frames not yet seen) and the
trunk length over the last ``LIVE_TRUNK_S``. Each finished rep is still re-analysed with the batch checks.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, replace

import numpy as np
from scipy.ndimage import median_filter

from formcheck.types import LM

JUMP_WINDOW_S = 0.3  # running-median window of a landmark track (a jump lasting up to ~0.15 s stands out)
JUMP_FRAC = 0.5  # a point this many trunk lengths off its running median is a jump
STRETCH_REF_PCT = 90.0  # a segment's full (unforeshortened) length over the set
STRETCH_MAX = 1.35  # a segment longer than this × its full length has a misplaced end
CUT_SCALE_STEP = 0.2  # the body's image size stepping by more than this fraction between frames: a cut or a zoom
CUT_MIN_HOLD_S = 0.5  # ... and staying at the new size at least this long (not a one-frame glitch)
LIVE_TRUNK_S = 10.0  # live: the trunk length is the 75th percentile over this long (the batch: over the set)
LIVE_MIN_FRAMES = 3  # live: a running median needs this many known samples of the point (or its partner)

SEGMENTS: tuple[tuple[str, str], ...] = tuple(
    (f"{s}_{a}", f"{s}_{b}")
    for s in ("LEFT", "RIGHT")
    for a, b in (("HIP", "KNEE"), ("KNEE", "ANKLE"), ("SHOULDER", "ELBOW"), ("ELBOW", "WRIST"), ("SHOULDER", "HIP"))
)


def _seg_idx() -> np.ndarray:
    return np.array([[int(LM[a]), int(LM[b])] for a, b in SEGMENTS])


def segment_lengths_px(px: np.ndarray) -> np.ndarray:
    """``(T, 33, 2)`` → ``(T, len(SEGMENTS))`` segment lengths in pixels (NaN where an end is unknown)."""
    p = np.asarray(px, dtype=np.float64)
    idx = _seg_idx()
    return np.linalg.norm(p[:, idx[:, 1]] - p[:, idx[:, 0]], axis=-1)


def trunk_length_px(px: np.ndarray) -> float:
    """The set's trunk length (mid-shoulder → mid-hip, 75th percentile over the frames), pixels; NaN unknown."""
    p = np.asarray(px, dtype=np.float64)
    sho = (p[:, LM.LEFT_SHOULDER] + p[:, LM.RIGHT_SHOULDER]) / 2.0
    hip = (p[:, LM.LEFT_HIP] + p[:, LM.RIGHT_HIP]) / 2.0
    L = np.linalg.norm(sho - hip, axis=1)
    return float(np.nanpercentile(L, 75)) if np.any(np.isfinite(L)) else math.nan


def _window(t_s: np.ndarray, seconds: float) -> int:
    dt = np.nanmedian(np.diff(t_s)) if t_s.size > 1 else math.nan
    n = int(round(seconds / dt)) if math.isfinite(dt) and dt > 0 else 15
    return max(3, n | 1)  # odd


def _running_median(track: np.ndarray, w: int) -> np.ndarray:
    """``(T, 2)`` running median over the known frames only (gaps are not zeros); NaN where unknown."""
    known = np.all(np.isfinite(track), axis=1)
    med = np.full_like(track, np.nan)
    if np.sum(known) >= 5:
        k = track[known]
        med[known] = np.stack([median_filter(k[:, c], size=w, mode="nearest") for c in (0, 1)], axis=1)
    return med


def _pair_of(j: int) -> int | None:
    name = LM(j).name
    for a, b in (("LEFT_", "RIGHT_"), ("RIGHT_", "LEFT_")):
        if name.startswith(a):
            return int(LM[b + name[len(a) :]])
    return None


def jump_mask(
    px: np.ndarray, t_s: np.ndarray, *, frac: float = JUMP_FRAC, window_s: float = JUMP_WINDOW_S
) -> np.ndarray:
    """``(T, 33)`` True where a landmark jumped away from its own running median (see the module docstring).

    A left/right swap (side-on the pose model often exchanges the two legs for a few frames) is not a jump: a
    point that sits where its partner's running median is, is where a body part is.
    """
    p = np.asarray(px, dtype=np.float64)
    T = p.shape[0]
    out = np.zeros(p.shape[:2], dtype=bool)
    L = trunk_length_px(p)
    if T < 5 or not math.isfinite(L) or L <= 0:
        return out
    w = _window(np.asarray(t_s, dtype=np.float64), window_s)
    med = np.stack([_running_median(p[:, j], w) for j in range(p.shape[1])], axis=1)
    with np.errstate(invalid="ignore"):
        for j in range(p.shape[1]):
            dev = np.linalg.norm(p[:, j] - med[:, j], axis=1)
            o = _pair_of(j)
            if o is not None:
                dev = np.fmin(dev, np.linalg.norm(p[:, j] - med[:, o], axis=1))
            out[:, j] = dev > frac * L
    return out


def _nanmedian0(x: np.ndarray) -> np.ndarray:
    """``np.nanmedian(x, axis=0)`` bit for bit (NumPy's sort-based small-array path: the middle known value, or the
    halved sum of the two middle ones), NaN where a column has no known value, with no warning and ~20× faster."""
    k = x.shape[0]
    s = np.sort(x, axis=0).reshape(k, -1)  # NaN sorts last
    n = k - np.isnan(s).sum(axis=0)
    hi = n // 2
    lo = hi - 1 + (n & 1)  # odd: the middle one twice
    cols = np.arange(s.shape[1])
    # A column with no known value takes its (NaN) last and first rows: NaN.
    return ((s[lo, cols] + s[hi, cols]) / 2.0).reshape(x.shape[1:])


def _nan_to_num(x: np.ndarray) -> np.ndarray:
    """``np.nan_to_num(x)`` for a float64 array (NaN → 0, ±inf → ± the largest float), without its overhead."""
    big = np.finfo(np.float64).max
    return np.minimum(np.maximum(np.where(np.isnan(x), 0.0, x), -big), big)


def _percentile_sorted(xs: list[float], pct: float) -> float:
    """``np.percentile(xs, pct)`` (its default linear method, bit for bit) of an already sorted non-empty list."""
    vi = (len(xs) - 1) * (pct / 100.0)
    i = min(int(math.floor(vi)), len(xs) - 1)
    a, b = xs[i], xs[min(i + 1, len(xs) - 1)]
    g = vi - i
    # NumPy's _lerp: from the nearer end (monotone and exact at both ends).
    return b - (b - a) * (1.0 - g) if g >= 0.5 else a + (b - a) * g


class LiveJumpGate:
    """The jump check of :func:`jump_mask` for a live stream: one frame at a time, bounded memory.

    A point further than ``frac`` trunk lengths from the running median of its own recent track (and from its
    left/right partner's: a swap is not a jump) is a jump. The median is over the last ``window_s`` including the
    newest frame, so an excursion lasting less than about half the window stands out, as in batch. Unlike the
    centred batch window it lags a moving point by about half the window (0.15 s): alone, the threshold of half a
    trunk length would flag body parts moving faster than ~3 trunk lengths a second (a stepping foot), so the
    median is carried to the newest frame with the track's median velocity.

    Incremental: the window's frames, and each frame's step from the previous one (px/s), sit in a ring buffer
    (each step is computed once, when its frame arrives), the trunk lengths in a sorted list (insert and remove,
    no re-sort), and the medians are one sort of the small window (:func:`_nanmedian0`). The result is bit for
    bit the straightforward per-frame ``np.nanmedian`` / ``np.percentile`` computation's (tests keep that
    reference), at a small fraction of its cost.
    """

    def __init__(self, frac: float = JUMP_FRAC, window_s: float = JUMP_WINDOW_S, trunk_s: float = LIVE_TRUNK_S) -> None:
        self.frac, self.window_s, self.trunk_s = frac, window_s, trunk_s
        # Ring buffer of the last window_s: rows [_a, _b) of _t (time), _px ((33, 2) raw pixels) and _step (the
        # frame's step from the frame before it, px/s; valid where _step_ok: that frame was in the buffer and the
        # time moved forward). Allocated on the first frame, grown when a window holds more frames.
        self._t = np.empty(0)
        self._px = np.empty((0, len(LM), 2))
        self._step = np.empty((0, len(LM), 2))
        self._step_ok = np.empty(0, dtype=bool)
        self._a = self._b = 0
        self._trunk: deque[tuple[float, float]] = deque()  # (t, trunk length px), the last trunk_s
        self._trunk_sorted: list[float] = []  # the same lengths, sorted
        self._pair = np.array([_pair_of(j) if _pair_of(j) is not None else j for j in range(len(LM))])

    def _push(self, t_s: float, p: np.ndarray) -> None:
        """Append a frame to the ring buffer (compacting or growing it when full)."""
        if self._b == self._t.shape[0] or self._px.shape[1:] != p.shape:
            n = self._b - self._a
            cap = max(64, 2 * (n + 1))
            t, px, st, ok = (np.empty(cap), np.empty((cap, *p.shape)), np.empty((cap, *p.shape)),
                             np.zeros(cap, dtype=bool))  # fmt: skip
            if self._px.shape[1:] == p.shape:
                t[:n], px[:n], st[:n], ok[:n] = (
                    x[self._a : self._b] for x in (self._t, self._px, self._step, self._step_ok)
                )
            else:
                n = 0  # another landmark count: start afresh
            self._t, self._px, self._step, self._step_ok, self._a, self._b = t, px, st, ok, 0, n
        b = self._b
        self._t[b], self._px[b] = t_s, p
        dt = t_s - self._t[b - 1] if b > self._a else math.nan
        self._step_ok[b] = dt > 0
        if dt > 0:
            np.divide(p - self._px[b - 1], dt, out=self._step[b])
        self._b = b + 1

    def update(self, t_s: float, px: np.ndarray) -> np.ndarray:
        """Add one raw ``(33, 2)`` pixel frame; returns the ``(33,)`` mask of its points that jumped."""
        p = np.asarray(px, dtype=np.float64)[:, :2]
        got = self._deviation(float(t_s), p)
        if got is None:
            return np.zeros(p.shape[0], dtype=bool)
        dev, L = got
        return dev > self.frac * L

    def _deviation(self, t_s: float, p: np.ndarray) -> tuple[np.ndarray, float] | None:
        """Add a ``(33, 2)`` frame; ``(dev, L)``: each point's distance (px) from where its track (or its
        partner's) puts it now, and the trunk length (px); None while fewer than ``LIVE_MIN_FRAMES`` trunks."""
        if self._b > self._a and t_s < self._t[self._b - 1] - self.window_s:
            # The clock stepped back by more than the window (a restarted stream): nothing kept is recent, and
            # frames stamped "later" would never leave the window. Start afresh, as a new gate would.
            self._a = self._b
            self._trunk.clear()
            self._trunk_sorted.clear()
        with np.errstate(all="ignore"):  # a huge step over a tiny time step is what it is, not a warning
            self._push(t_s, p)
        while self._t[self._a] < t_s - self.window_s:
            self._a += 1
        sho, hip = p[LM.LEFT_SHOULDER] + p[LM.RIGHT_SHOULDER], p[LM.LEFT_HIP] + p[LM.RIGHT_HIP]
        trunk = float(np.linalg.norm(sho - hip) / 2.0)
        if math.isfinite(trunk):
            self._trunk.append((t_s, trunk))
            bisect.insort(self._trunk_sorted, trunk)
        while self._trunk and self._trunk[0][0] < t_s - self.trunk_s:
            old = self._trunk.popleft()[1]
            del self._trunk_sorted[bisect.bisect_left(self._trunk_sorted, old)]
        if len(self._trunk) < LIVE_MIN_FRAMES:
            return None
        L = _percentile_sorted(self._trunk_sorted, 75.0)
        a, b = self._a, self._b
        stack, ts = self._px[a:b], self._t[a:b]  # (w, 33, 2), (w,)
        with np.errstate(all="ignore"):  # unknown (NaN) points and steps are expected; they compare False
            known = np.isfinite(stack).all(axis=2)  # (w, 33)
            med = _nanmedian0(stack)  # (33, 2)
            med[known.sum(axis=0) < LIVE_MIN_FRAMES] = np.nan
            # The trailing median sits where the point was about half a window ago: carried to now with the
            # track's median frame-to-frame velocity (a jump is one or two outlying steps, which the median
            # ignores), a point moving fast but smoothly is compared with where its track puts it now. The
            # window's steps are those between its own frames: the first frame's step (from a frame that has
            # left the window) is not one of them.
            steps = self._step[a + 1 : b][self._step_ok[a + 1 : b]]  # (k, 33, 2) px/s
            vel = _nanmedian0(steps) if steps.size else np.full_like(med, np.nan)
            vel[np.isfinite(steps[..., 0]).sum(axis=0) < LIVE_MIN_FRAMES] = np.nan  # too few steps: not carried
            t_mid = _nanmedian0(np.where(known, ts[:, None], np.nan))  # (33,) the median's time
            now = med + _nan_to_num(vel) * _nan_to_num(t_s - t_mid)[:, None]
            # Distances to the point's own and its partner's track, summed as np.linalg.norm(axis=1) does (x² + y²).
            d2, e2 = (p - now) ** 2, (p - now[self._pair]) ** 2
            dev = np.fmin(np.sqrt(d2[:, 0] + d2[:, 1]), np.sqrt(e2[:, 0] + e2[:, 1]))
        return dev, L


def stretched_mask(px: np.ndarray, *, max_ratio: float = STRETCH_MAX, ref_pct: float = STRETCH_REF_PCT) -> np.ndarray:
    """``(T, 33)`` True at both ends of any segment longer than ``max_ratio`` × its full length over the set."""
    p = np.asarray(px, dtype=np.float64)
    lens = segment_lengths_px(p)
    out = np.zeros(p.shape[:2], dtype=bool)
    idx = _seg_idx()
    with np.errstate(invalid="ignore"):
        for k in range(lens.shape[1]):
            col = lens[:, k]
            if np.sum(np.isfinite(col)) < 5:
                continue
            bad = col > max_ratio * float(np.nanpercentile(col, ref_pct))
            out[bad, idx[k, 0]] = True
            out[bad, idx[k, 1]] = True
    return out


def body_scale(px: np.ndarray) -> np.ndarray:
    """``(T,)`` the body's image size per frame: the median over segments of length / the segment's set median.

    Each left/right pair counts by its longer side, which a left/right swap of the pose model does not change.
    """
    lens = segment_lengths_px(px)
    half = len(SEGMENTS) // 2  # SEGMENTS lists the left side, then the right side in the same order
    lens = np.fmax(lens[:, :half], lens[:, half:])
    with np.errstate(invalid="ignore"):
        rel = lens / np.nanmedian(lens, axis=0, keepdims=True)
        ok = np.isfinite(rel).sum(axis=1) >= 3
        return np.where(ok, np.nanmedian(np.where(np.isfinite(rel), rel, np.nan), axis=1), np.nan)


@dataclass(frozen=True)
class Cut:
    """A shot cut or zoom: the body's image size steps at frame ``i`` (the first frame after it) by ``ratio``.

    ``anchor_before`` / ``anchor_after``: the mid-ankle before and after it (pixels), set by :func:`rebase_cuts`
    (NaN until then); :func:`apply_cuts` maps other pixel data (outlines) the same way.
    """

    i: int
    ratio: float
    anchor_before: tuple[float, float] = (math.nan, math.nan)
    anchor_after: tuple[float, float] = (math.nan, math.nan)


def scale_cuts(
    px: np.ndarray, t_s: np.ndarray, *, step: float = CUT_SCALE_STEP, hold_s: float = CUT_MIN_HOLD_S
) -> list[Cut]:
    """Where the body's image size steps (a cut or a zoom) and stays (see the module docstring)."""
    t = np.asarray(t_s, dtype=np.float64)
    sc = body_scale(px)
    n = _window(t, hold_s)
    known = np.flatnonzero(np.isfinite(sc))
    cuts: list[Cut] = []
    for a, b in zip(known[:-1], known[1:], strict=False):
        r = sc[b] / sc[a]
        if not (abs(math.log(r)) > math.log1p(step)):
            continue
        before = sc[max(0, a - n + 1) : a + 1]
        after = sc[b : b + n]
        if np.sum(np.isfinite(before)) < n // 2 or np.sum(np.isfinite(after)) < n // 2:
            continue
        ratio = float(np.nanmedian(after) / np.nanmedian(before))
        # It must stay: the medians either side differ by the step too (a one-frame glitch does not), and each
        # side must be steady (wobbly tracking of a fast movement changes the apparent size without any cut).
        steady = all(
            np.nanpercentile(x, 90) - np.nanpercentile(x, 10) < 0.5 * step * np.nanmedian(x) for x in (before, after)
        )
        if steady and abs(math.log(ratio)) > math.log1p(step) and (not cuts or b - cuts[-1].i >= n):
            cuts.append(Cut(int(b), ratio))
    return cuts


def rebase_cuts(px: np.ndarray, t_s: np.ndarray, cuts: list[Cut] | None = None) -> tuple[np.ndarray, list[Cut]]:
    """Map every part after a scale cut back onto the scale and position before it.

    The part after a cut is scaled about its own mid-ankle by 1 / the size ratio, then shifted so that its
    mid-ankle (median of its first frames) lands where the mid-ankle was before the cut (median of the last
    frames): a zoom is a scale and a shift, and the feet stay planted.

    Returns:
        ``(px, cuts)``: the re-based copy and the cuts found (or given).
    """
    p = np.array(px, dtype=np.float64)
    t = np.asarray(t_s, dtype=np.float64)
    cuts = scale_cuts(p, t) if cuts is None else cuts
    n = _window(t, CUT_MIN_HOLD_S)
    ankle = (p[:, LM.LEFT_ANKLE] + p[:, LM.RIGHT_ANKLE]) / 2.0
    done: list[Cut] = []
    for c in cuts:
        before = ankle[max(0, c.i - n) : c.i]
        after = ankle[c.i : c.i + n]
        if not (np.any(np.isfinite(before[:, 0])) and np.any(np.isfinite(after[:, 0]))):
            continue  # the feet were not seen either side: the cut cannot be re-based
        a0, a1 = np.nanmedian(before, axis=0), np.nanmedian(after, axis=0)
        c = Cut(c.i, c.ratio, (float(a0[0]), float(a0[1])), (float(a1[0]), float(a1[1])))
        p[c.i :] = apply_cuts(p[c.i :], [replace(c, i=0)])
        ankle[c.i :] = apply_cuts(ankle[c.i :], [replace(c, i=0)])
        done.append(c)
    return p, done


def apply_cuts(xy: np.ndarray, cuts: list[Cut] | tuple[Cut, ...]) -> np.ndarray:
    """Map ``(T, ..., 2)`` pixel data across re-based cuts as :func:`rebase_cuts` mapped the landmarks (a copy)."""
    p = np.array(xy, dtype=np.float64)
    for c in cuts:
        a0, a1 = np.asarray(c.anchor_before), np.asarray(c.anchor_after)
        if np.all(np.isfinite(a0)) and np.all(np.isfinite(a1)):
            p[c.i :] = a0 + (p[c.i :] - a1) / c.ratio
    return p


def sane_px(px: np.ndarray, t_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[Cut]]:
    """All checks: cuts re-based first (a zoom is not a jump), then jumps and stretched segments → NaN.

    Returns:
        ``(px, unsound, cuts)``: the cleaned copy, the ``(T, 33)`` mask of landmarks set to NaN, and the cuts.
    """
    p, cuts = rebase_cuts(px, t_s)
    bad = jump_mask(p, t_s) | stretched_mask(p)
    p[bad] = np.nan
    return p, bad, cuts


__all__ = [
    "CUT_MIN_HOLD_S", "CUT_SCALE_STEP", "JUMP_FRAC", "JUMP_WINDOW_S", "SEGMENTS", "STRETCH_MAX", "STRETCH_REF_PCT",
    "Cut", "LiveJumpGate", "apply_cuts", "body_scale", "jump_mask", "rebase_cuts", "sane_px", "scale_cuts",
    "segment_lengths_px", "stretched_mask", "trunk_length_px",
]  # fmt: skip
