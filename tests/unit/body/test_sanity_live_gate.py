"""body.sanity.LiveJumpGate (incremental) against the straightforward per-frame computation it replaced.

The gate keeps a ring buffer, per-frame steps and a sorted list of trunk lengths instead of re-stacking its window
and calling ``np.nanmedian`` / ``np.percentile`` every frame. :class:`ReferenceGate` below is that earlier
implementation, verbatim except one line that records ``(dev, L)``: on long random streams with moving points,
jumps, unknown points and people, irregular / repeated / backward timestamps and gaps longer than the trunk memory,
the new gate must give the same masks AND bit-identical deviations and trunk lengths on every frame, so any change of
behaviour (not only one that happens to flip a mask) fails here. The batch comparison (a jump live is a jump in
:func:`formcheck.body.sanity.jump_mask`) is in tests/unit/engine/test_stream_sanity.py.
"""

from __future__ import annotations

import math
import warnings
from collections import deque

import numpy as np
import pytest

from formcheck.body.sanity import (
    JUMP_FRAC,
    JUMP_WINDOW_S,
    LIVE_MIN_FRAMES,
    LIVE_TRUNK_S,
    LiveJumpGate,
    _nan_to_num,
    _nanmedian0,
    _pair_of,
    _percentile_sorted,
)
from formcheck.types import LM


class ReferenceGate:
    """The LiveJumpGate of commit 8d4cc86 (one ``np.nanmedian`` per quantity per frame), kept as the reference."""

    def __init__(self, frac: float = JUMP_FRAC, window_s: float = JUMP_WINDOW_S, trunk_s: float = LIVE_TRUNK_S) -> None:
        self.frac, self.window_s, self.trunk_s = frac, window_s, trunk_s
        self._px: deque[tuple[float, np.ndarray]] = deque()  # (t, (33, 2) raw pixels), the last window_s
        self._trunk: deque[tuple[float, float]] = deque()  # (t, trunk length px), the last trunk_s
        self._pair = np.array([_pair_of(j) if _pair_of(j) is not None else j for j in range(len(LM))])
        self.last: tuple[np.ndarray, float] | None = None  # (dev, L) of the last frame (the one added line)

    def update(self, t_s: float, px: np.ndarray) -> np.ndarray:
        p = np.asarray(px, dtype=np.float64)[:, :2]
        self._px.append((float(t_s), p.copy()))
        while self._px[0][0] < t_s - self.window_s:
            self._px.popleft()
        sho, hip = p[LM.LEFT_SHOULDER] + p[LM.RIGHT_SHOULDER], p[LM.LEFT_HIP] + p[LM.RIGHT_HIP]
        trunk = float(np.linalg.norm(sho - hip) / 2.0)
        if math.isfinite(trunk):
            self._trunk.append((float(t_s), trunk))
        while self._trunk and self._trunk[0][0] < t_s - self.trunk_s:
            self._trunk.popleft()
        out = np.zeros(p.shape[0], dtype=bool)
        self.last = None
        if len(self._trunk) < LIVE_MIN_FRAMES:
            return out
        L = float(np.percentile([x for _, x in self._trunk], 75))
        stack = np.stack([x for _, x in self._px])  # (w, 33, 2)
        known = np.all(np.isfinite(stack), axis=2)  # (w, 33)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN track has no median: NaN, not a jump
            med = np.nanmedian(stack, axis=0)  # (33, 2)
            med[known.sum(axis=0) < LIVE_MIN_FRAMES] = np.nan
            ts = np.array([t for t, _ in self._px])
            dt = np.diff(ts)
            steps = np.diff(stack, axis=0)[dt > 0] / dt[dt > 0, None, None]  # (k, 33, 2) px/s
            vel = np.nanmedian(steps, axis=0) if steps.size else np.full_like(med, np.nan)
            vel[np.isfinite(steps[..., 0]).sum(axis=0) < LIVE_MIN_FRAMES] = np.nan  # too few steps: not carried
            t_mid = np.nanmedian(np.where(known, ts[:, None], np.nan), axis=0)  # (33,) the median's time
            now = med + np.nan_to_num(vel) * np.nan_to_num(float(t_s) - t_mid)[:, None]
            dev = np.fmin(np.linalg.norm(p - now, axis=1), np.linalg.norm(p - now[self._pair], axis=1))
            out = dev > self.frac * L
            self.last = (dev, L)
        return out


def random_stream(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(t_s (n,), px (n, 33, 2))``: a figure whose points move smoothly (each on its own random sinusoids, some
    fast), with noise, jumps of 0.2-1.5 trunk lengths lasting 1-4 frames (some near the threshold), unknown points
    (runs, single frames, one coordinate only), frames with nobody, and a clock with jitter, dropped frames,
    repeated and backward timestamps and two gaps longer than the trunk memory."""
    rng = np.random.default_rng(seed)
    dt = rng.choice([1 / 30, 1 / 30, 1 / 30, 1 / 15, 1 / 60, 0.0], size=n, p=[0.6, 0.2, 0.05, 0.07, 0.05, 0.03])
    dt = dt + rng.normal(0.0, 0.002, n)
    dt[rng.integers(1, n, 3)] = -0.02  # a clock stepping back
    dt[[n // 3, 2 * n // 3]] = LIVE_TRUNK_S + 1.5  # gaps: the trunk memory empties
    t = 5.0 + np.cumsum(dt)
    trunk_px = 150.0
    base = rng.uniform(100.0, 500.0, (len(LM), 2))
    base[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]] = [[290.0, 100.0], [310.0, 100.0]]
    base[[LM.LEFT_HIP, LM.RIGHT_HIP]] = [[290.0, 250.0], [310.0, 250.0]]
    amp = rng.uniform(0.0, 1.2, (len(LM), 2)) * trunk_px
    freq = rng.uniform(0.1, 2.0, (len(LM), 2))
    phase = rng.uniform(0.0, 2 * np.pi, (len(LM), 2))
    px = base + amp * np.sin(2 * np.pi * freq * t[:, None, None] + phase) + rng.normal(0.0, 1.5, (n, len(LM), 2))
    px[:, [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP], 1] += (
        rng.normal(0.0, 4.0, (n, 1)) * np.array([1.0, 1.0, -1.0, -1.0])  # the trunk length varies
    )
    for _ in range(n // 8):  # jumps
        i, j, k = rng.integers(0, n), rng.integers(0, len(LM)), rng.integers(1, 5)
        px[i : i + k, j] += rng.uniform(0.2, 1.5) * trunk_px * rng.normal(size=2) / math.sqrt(2)
    for _ in range(n // 10):  # a point unknown for a run of frames
        i, j, k = rng.integers(0, n), rng.integers(0, len(LM)), rng.integers(1, 15)
        px[i : i + k, j] = np.nan
    px[rng.integers(0, n, n // 50), rng.integers(0, len(LM), n // 50), rng.integers(0, 2, n // 50)] = np.nan
    for _ in range(4):  # nobody seen
        i = rng.integers(0, n)
        px[i : i + rng.integers(1, 20)] = np.nan
    return t, px


@pytest.mark.slow  # a long stream simulation: main CI step only (see pyproject's markers)
@pytest.mark.parametrize(("seed", "n", "frac"), [(0, 1500, JUMP_FRAC), (1, 1500, 0.15)])
def test_incremental_gate_matches_the_reference_bit_for_bit(seed: int, n: int, frac: float) -> None:
    t, px = random_stream(seed, n)
    new, ref = LiveJumpGate(frac=frac), ReferenceGate(frac=frac)
    flagged = 0
    for i in range(n):
        m_ref = ref.update(float(t[i]), px[i])
        got = new._deviation(float(t[i]), np.asarray(px[i], dtype=np.float64))
        if ref.last is None:
            assert got is None, f"frame {i}"
            continue
        assert got is not None, f"frame {i}"
        dev, L = got
        assert ref.last[1] == L, f"frame {i}: trunk {L!r} != {ref.last[1]!r}"
        assert np.array_equal(dev, ref.last[0], equal_nan=True), f"frame {i}: {dev - ref.last[0]}"
        assert np.array_equal(dev > frac * L, m_ref)
        flagged += int(m_ref.sum())
    assert flagged > n // 20  # the stream does exercise the jump branch (not an all-False comparison)


def test_update_returns_the_same_masks_as_the_reference() -> None:
    t, px = random_stream(2, 600)
    new, ref = LiveJumpGate(), ReferenceGate()
    masks_new = np.array([new.update(a, p) for a, p in zip(t, px, strict=True)])
    masks_ref = np.array([ref.update(a, p) for a, p in zip(t, px, strict=True)])
    assert masks_ref.any() and np.array_equal(masks_new, masks_ref)


@pytest.mark.parametrize("shape", [(1, 5), (2, 4), (7, 33, 2), (10, 3), (0, 3)])
def test_nanmedian0_is_numpys_nanmedian(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=shape)
    x[rng.random(shape) < 0.3] = np.nan
    if x.ndim > 1 and x.shape[0] > 0:
        x[:, 0] = np.nan  # an all-unknown column
        x[0, -1] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.nanmedian(x, axis=0)
    if x.shape[0] > 0:
        assert np.array_equal(_nanmedian0(x), want, equal_nan=True)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 77, 300])
def test_percentile_sorted_is_numpys_percentile(n: int) -> None:
    xs = sorted(np.random.default_rng(n).uniform(100.0, 200.0, n).tolist())
    for pct in (0.0, 25.0, 50.0, 75.0, 90.0, 100.0):
        assert _percentile_sorted(xs, pct) == float(np.percentile(xs, pct))


def test_nan_to_num_is_numpys() -> None:
    x = np.array([0.0, -0.0, 1.5, -2.5e300, np.nan, np.inf, -np.inf, 1e-310])
    assert np.array_equal(_nan_to_num(x), np.nan_to_num(x))
    assert np.array_equal(np.signbit(_nan_to_num(x)), np.signbit(np.nan_to_num(x)))


def test_a_clock_stepping_far_back_restarts_the_gate_like_a_new_one() -> None:
    # A stream restarted with an older clock (200 s back): what was kept is not recent. Afterwards the gate gives
    # exactly what a new gate gives on the same frames, and it keeps only its window (not every frame since).
    t, px = random_stream(3, 600)
    gate = LiveJumpGate()
    for i in range(300):
        gate.update(float(t[i]), px[i])
    fresh = LiveJumpGate()
    back = t[300:] - 200.0
    for i in range(300):
        got, want = gate._deviation(float(back[i]), px[300 + i]), fresh._deviation(float(back[i]), px[300 + i])
        assert (got is None) == (want is None), f"frame {i}"
        if got is not None:
            assert got[1] == want[1] and np.array_equal(got[0], want[0], equal_nan=True), f"frame {i}"
    assert gate._b - gate._a == fresh._b - fresh._a < 60
