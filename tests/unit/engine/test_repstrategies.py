"""Rep strategies on signals with known truth: cyclic (= detect_reps), alternating (sides, crosstalk), holds.

The truth never comes from the model the phase fitter assumes (minimum jerk): reps are cosine or straight-line
ramps, or a "recorded-like" shape (uneven ramps and depths, coloured tracking noise, slow drift); holds are
piecewise-linear signals whose band crossings fall at known times.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pytest

from formcheck.engine.repstrategies import (
    Alternating,
    BandHold,
    Cyclic,
    HoldWindow,
    suppress_double_detections,
    time_in_band_s,
)
from formcheck.reps import RepWindow, StreamingRepDetector, detect_reps
from formcheck.signal import lowpass
from formcheck.types import Break, Hold

FS = 30.0


# -- truth signals -----------------------------------------------------------------------------------------------


def cos_ramp(u: np.ndarray) -> np.ndarray:
    """0 → 1 with a cosine velocity-free start and end (not the fitter's minimum-jerk profile)."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(u, 0.0, 1.0))


def line_ramp(u: np.ndarray) -> np.ndarray:
    """0 → 1 at constant speed (abrupt start and stop)."""
    return np.clip(u, 0.0, 1.0)


RAMPS = {"cos": cos_ramp, "line": line_ramp}


@dataclass(frozen=True)
class Move:
    """One true single-limb (or whole-body) movement: out, hold, back."""

    start_s: float
    out_s: float
    hold_s: float
    back_s: float
    amp: float
    side: str | None = None

    @property
    def times(self) -> tuple[float, float, float, float]:
        """Start, arrival at the target, leaving it, end."""
        a = self.start_s + self.out_s
        return self.start_s, a, a + self.hold_s, a + self.hold_s + self.back_s


def moves_signal(t: np.ndarray, moves: list[Move], ramp: str = "cos", base: float = 5.0) -> np.ndarray:
    x = np.full_like(t, base)
    f = RAMPS[ramp]
    for m in moves:
        s, a, b, _ = m.times
        x += m.amp * (f((t - s) / m.out_s) - f((t - b) / m.back_s))
    return x


def coloured_noise(n: int, sd: float, seed: int) -> np.ndarray:
    """Tracking-like noise: white noise low-passed to 3 Hz, scaled to ``sd``."""
    w = lowpass(np.random.default_rng(seed).normal(0.0, 1.0, n), FS, 3.0)
    return sd * w / np.std(w)


def series(
    moves: list[Move], *, ramp: str = "cos", noise_sd: float = 1.0, drift: float = 0.0, seed: int = 0, tail_s=1.5
):
    """Timestamps at 30 fps and a raw signal (truth + noise + slow drift)."""
    end = max(m.times[3] for m in moves) + tail_s
    t = np.arange(0.0, end, 1.0 / FS)
    x = moves_signal(t, moves, ramp)
    if noise_sd:
        x = x + coloured_noise(t.size, noise_sd, seed)
    return t, x + drift * np.sin(2 * np.pi * 0.05 * t + seed)


def alternate(sides: str, *, out_s=1.5, hold_s=1.5, back_s=1.5, rest_s=0.8, amp=60.0, first_s=1.0, amp_right=None):
    """Moves for a side pattern like ``"LRLR"`` (each side's amplitude within 5 % rep to rep)."""
    moves, s = [], first_s
    for k, c in enumerate(sides):
        a = (amp_right if c == "R" and amp_right else amp) * (1.0 - 0.05 * (k % 2))
        moves.append(Move(s, out_s, hold_s, back_s, a, "left" if c == "L" else "right"))
        s += out_s + hold_s + back_s + rest_s
    return moves


def five_fps_with_drops(t: np.ndarray, *xs: np.ndarray, seed: int = 3, drop_frac: float = 0.2):
    """Every 6th sample (5 fps), then a fifth of those dropped at random (a loaded live pipeline)."""
    keep = np.zeros(t.size, dtype=bool)
    keep[::6] = True
    keep &= np.random.default_rng(seed).random(t.size) >= drop_frac
    keep[0] = keep[-1] = True  # the same first and last moment as the 30 fps truth
    return (t[keep], *(x[keep] for x in xs))


def key(reps: list[RepWindow]) -> list[tuple]:
    """Reps as comparable tuples (NaN → None: NaN != NaN would make equal lists differ)."""
    return [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in dataclasses.astuple(r)) for r in reps]


def run_stream(stream, t: np.ndarray, *xs: np.ndarray) -> list:
    """Feed sample by sample; the items in the order they came out, then what finish() completes."""
    out = [it for it in (stream.update(tt, *vals) for tt, *vals in zip(t, *xs, strict=True)) if it is not None]
    return out + stream.finish()


def phase_errors(reps: list[RepWindow], moves: list[Move]) -> np.ndarray:
    """|found − true| of start, bottom start, bottom end and end, rep by rep."""
    assert len(reps) == len(moves)
    return np.array(
        [
            np.abs(np.array([r.start_s, r.bottom_start_s, r.bottom_end_s, r.end_s]) - np.array(m.times))
            for r, m in zip(reps, moves, strict=True)
        ]
    )


# Phase-time tolerance against the truth. The minimum-jerk fit reads a cosine ramp ~0.1 × its duration early/late
# (measured: up to 0.27 s on 1.5–3 s ramps, 0.42 s with coloured noise and drift); a straight ramp much more.
COS_TOL_S = 0.45


# -- cyclic ------------------------------------------------------------------------------------------------------


def _cyclic_signal(case: str):
    moves = [Move(1.5 + 6.5 * k, 2.0, 1.0, 2.0, 60.0 * (1 - 0.05 * k)) for k in range(4)]
    timing = None
    if case == "cos":
        t, x = series(moves)
    elif case == "line":
        t, x = series(moves, ramp="line")
    elif case == "recorded":
        t, x = series(moves, noise_sd=2.0, drift=2.0, seed=4)
    elif case == "mixed":  # 60° and 32° reps: 32° is more than 0.35 of the range, less than 0.6
        t, x = series([dataclasses.replace(m, amp=60.0 if k % 2 == 0 else 32.0) for k, m in enumerate(moves)])
    elif case == "ends_half_back":  # the clip ends half-way back up from the last rep
        t, x = series(moves)
        keep = t <= moves[-1].times[2] + 0.5 * moves[-1].back_s
        t, x = t[keep], x[keep]
    elif case == "shallow":  # 35° reps: the default min_rom_deg counts them, 40° does not
        t, x = series([dataclasses.replace(m, amp=35.0) for m in moves])
    elif case == "timing":  # a second signal showing the same movement with less wobble
        t, x = series(moves, noise_sd=3.0, seed=1)
        timing = lowpass(moves_signal(t, [dataclasses.replace(m, amp=0.6 * m.amp) for m in moves]), FS, 4.0)
    elif case == "gap":
        t, x = series(moves)
        x[(t > 8.2) & (t < 9.5)] = np.nan
    elif case == "opens_at_bottom":  # held at the bottom for 1 s when the clip opens
        t, x = series(moves)
        x[t < 1.0] = x.max()
        x[(t >= 1.0) & (t < 2.0)] = np.interp(t[(t >= 1.0) & (t < 2.0)], [1.0, 2.0], [x.max(), 5.0])
        x[(t >= 2.0) & (t < 1.5 + 6.5)] = 5.0
    else:
        raise AssertionError(case)
    return t, lowpass(x, FS, 4.0), timing


# (signal, parameters, the reps detect_reps finds with these parameters, with its default parameters)
CYCLIC_CASES = [
    ("cos", {}, 4, 4),
    ("line", {"min_rep_s": 8.0}, 2, 4),  # peaks 6.5 s apart are one rep
    ("recorded", {"min_rep_s": 8.0}, 2, 4),
    ("mixed", {"prominence_frac": 0.6}, 2, 4),
    ("ends_half_back", {"return_frac": 0.4}, 4, 3),
    ("shallow", {"min_rom_deg": 40.0}, 0, 4),
    ("timing", {}, 4, 4),
    ("gap", {"min_rom_deg": 65.0}, 0, 3),
    ("opens_at_bottom", {}, 4, 4),
    ("opens_at_bottom", {"edge_hold_s": 5.0}, 3, 4),
    ("cos", {"range_override": 200.0}, 0, 4),
]


@pytest.mark.parametrize(("case", "params", "n", "n_default"), CYCLIC_CASES)
def test_cyclic_batch_is_detect_reps(case, params, n, n_default):
    t, x, timing = _cyclic_signal(case)
    p = dict(params)
    rng = p.pop("range_override", None)
    got = Cyclic(**p).batch(t, x, timing=timing, range_override=rng)
    want = detect_reps(x, t, timing=timing, range_override=rng, **p)
    assert key(got) == key(want)
    assert len(got) == n
    # The case's parameters matter (so a parameter the wrapper dropped would show), or the case is the default.
    default = detect_reps(x, t, timing=timing)
    assert len(default) == n_default
    assert key(default) != key(got) or not params


@pytest.mark.parametrize("case", ["cos", "line", "recorded"])
def test_cyclic_counts_and_times_against_truth(case):
    moves = [Move(1.5 + 6.5 * k, 2.0, 1.0, 2.0, 60.0 * (1 - 0.05 * k)) for k in range(4)]
    t, x, _ = _cyclic_signal(case)
    reps = Cyclic().batch(t, x)
    assert len(reps) == 4
    err = phase_errors(reps, moves)
    # A straight ramp is read long by up to ~0.35 × its duration (stated in metrics/tempo.py).
    assert err.max() <= (COS_TOL_S if case != "line" else 0.75)


@pytest.mark.parametrize(
    ("params", "n"), [({}, 4), ({"min_rom_deg": 40.0}, 3), ({"prominence_frac": 0.65, "settle_s": 0.2}, 3)]
)
def test_cyclic_stream_is_the_streaming_detector(params, n):
    moves = [Move(1.5 + 6.5 * k, 2.0, 1.0, 2.0, 60.0 - 8.0 * k) for k in range(4)]
    t, x = series(moves, noise_sd=1.5, seed=2)
    got = run_stream(Cyclic(**params).stream(), t, x)
    det = StreamingRepDetector(**params)
    want = [r for r in (det.update(tt, v) for tt, v in zip(t, x, strict=True)) if r is not None]
    assert key(got) == key(want)
    assert len(got) == n  # reps 60, 52, 44, 36° deep: the last is below 40° and below 0.65 × 60°


def test_cyclic_stream_finish_completes_a_rep_the_clip_ends_after():
    # The clip ends 0.2 s before the last rise has quite arrived: too soon for the detector's settle time, not
    # for the batch code (back within 3 % of the depth).
    moves = [Move(1.5 + 6.5 * k, 2.0, 1.0, 2.0, 60.0) for k in range(3)]
    t, x = series(moves, tail_s=-0.2)
    s = Cyclic().stream()
    live = [r for r in (s.update(tt, v) for tt, v in zip(t, x, strict=True)) if r is not None]
    assert len(live) == 2
    last = s.finish()
    assert len(last) == 1 and abs(last[0].end_s - moves[-1].times[3]) <= COS_TOL_S
    assert len(Cyclic().batch(t, lowpass(x, FS, 4.0))) == 3
    assert s.finish() == []  # nothing twice


@pytest.mark.parametrize("fps_case", ["30fps", "5fps_drops"])
def test_cyclic_stream_matches_batch_and_truth(fps_case):
    moves = [Move(1.5 + 6.0 * k, 2.0, 0.5, 2.0, 60.0 - 4 * k) for k in range(4)]
    t, x = series(moves, noise_sd=1.5, seed=5)
    if fps_case != "30fps":
        t, x = five_fps_with_drops(t, x)
    batch = Cyclic().batch(t, lowpass(x, 1.0 / np.median(np.diff(t)), 4.0))
    live = run_stream(Cyclic().stream(), t, x)
    assert len(batch) == len(live) == 4
    tol = COS_TOL_S if fps_case == "30fps" else COS_TOL_S + 0.2  # plus a frame at 5 fps and a dropped one
    assert phase_errors(batch, moves).max() <= tol and phase_errors(live, moves).max() <= tol


# When the signal never comes back within 10 % of its running minimum (drift, a noise dip set the minimum), the next
# rep's descent used to read as a bounce ('returning' → 'down') and two reps merged (12 of these 24 cases failed).
@pytest.mark.parametrize("drift", [3.0, 6.0])
@pytest.mark.parametrize("seed", [2, 0, 5, 9])
def test_cyclic_stream_counts_reps_under_drift(seed, drift):
    moves = [Move(1.5 + 3.5 * k, 1.5, 0.0, 1.5, 60.0 * (1 - 0.05 * k)) for k in range(4)]
    t = np.arange(0.0, 16.5, 1.0 / FS)
    x = (
        moves_signal(t, moves)
        + drift * np.sin(2 * np.pi * 0.07 * t + seed)
        + lowpass(np.random.default_rng(seed).normal(0, 4.0, t.size), FS, 3.0)
    )
    assert len(Cyclic().batch(t, lowpass(x, FS, 4.0))) == 4  # the batch code counts all four
    assert len(run_stream(Cyclic().stream(), t, x)) == 4


# -- alternating -------------------------------------------------------------------------------------------------


def two_sides(moves: list[Move], *, crosstalk: float, ramp="cos", noise_sd=1.0, drift=0.0, seed=0):
    """Left and right signals; each also shows ``crosstalk`` × the other limb's movement (the leak)."""
    end = max(m.times[3] for m in moves) + 1.5
    t = np.arange(0.0, end, 1.0 / FS)
    left = moves_signal(t, [m for m in moves if m.side == "left"], ramp) - 5.0
    right = moves_signal(t, [m for m in moves if m.side == "right"], ramp) - 5.0
    xl = 5.0 + left + crosstalk * right + coloured_noise(t.size, noise_sd, seed)
    xr = 5.0 + right + crosstalk * left + coloured_noise(t.size, noise_sd, seed + 100)
    if drift:
        xl = xl + drift * np.sin(2 * np.pi * 0.05 * t)
        xr = xr + drift * np.cos(2 * np.pi * 0.05 * t)
    return t, xl, xr


# (id, moves, crosstalk, extra signal options)
ALTERNATING_CASES = [
    ("LRLR_clean", alternate("LRLR"), 0.0, {}),
    ("LRLR_leak_0.3", alternate("LRLR"), 0.3, {}),  # the leak stays below the detection threshold
    ("LRLR_leak_0.6", alternate("LRLR"), 0.6, {}),  # detected on the other side too: a double to reject
    ("LRLR_leak_0.9", alternate("LRLR"), 0.9, {}),
    ("RLRL_leak_0.6", alternate("RLRL"), 0.6, {}),
    ("LLRRL_leak_0.5", alternate("LLRRL"), 0.5, {}),  # same side twice in a row
    ("LRLR_back_to_back", alternate("LRLR", rest_s=-0.4), 0.3, {}),  # next side starts before the other is back
    ("LRLR_weak_right", alternate("LRLR", amp_right=36.0), 0.4, {}),  # the leak into the weak side is detected
    ("LRLRLR_no_hold", alternate("LRLRLR", hold_s=0.0, out_s=1.0, back_s=1.0, rest_s=0.5), 0.6, {}),
    ("LRLR_recorded", alternate("LRLR", out_s=1.2, back_s=1.8), 0.5, {"noise_sd": 2.0, "drift": 1.5, "seed": 7}),
]


@pytest.mark.parametrize(("moves", "crosstalk", "opts"), [c[1:] for c in ALTERNATING_CASES],
                         ids=[c[0] for c in ALTERNATING_CASES])  # fmt: skip
def test_alternating_batch_counts_sides_and_times(moves, crosstalk, opts):
    t, xl, xr = two_sides(moves, crosstalk=crosstalk, **opts)
    reps = Alternating().batch(t, lowpass(xl, FS, 4.0), lowpass(xr, FS, 4.0))
    assert [r.side for r in reps] == [m.side for m in moves]
    assert phase_errors(reps, moves).max() <= COS_TOL_S
    # The rest between consecutive reps (any side), when there is one.
    for r, m, nxt in zip(reps, moves, moves[1:], strict=False):
        assert r.top_pause_s == pytest.approx(max(0.0, nxt.start_s - m.times[3]), abs=2 * COS_TOL_S)
    assert math.isnan(reps[-1].top_pause_s)


@pytest.mark.parametrize("fps_case", ["30fps", "5fps_drops"])
@pytest.mark.parametrize(("moves", "crosstalk", "opts"), [c[1:] for c in ALTERNATING_CASES],
                         ids=[c[0] for c in ALTERNATING_CASES])  # fmt: skip
def test_alternating_stream_gives_the_batch_reps(moves, crosstalk, opts, fps_case):
    t, xl, xr = two_sides(moves, crosstalk=crosstalk, **opts)
    if fps_case != "30fps":
        t, xl, xr = five_fps_with_drops(t, xl, xr)
    fs = 1.0 / np.median(np.diff(t))
    batch = Alternating().batch(t, lowpass(xl, fs, 4.0), lowpass(xr, fs, 4.0))
    live = run_stream(Alternating().stream(), t, xl, xr)
    assert [r.side for r in live] == [r.side for r in batch] == [m.side for m in moves]
    if fps_case == "30fps":
        # Measured up to 0.26 s apart (the batch fit windows reach into the neighbouring reps, the stream's stop
        # at the previous rep's end): both are within the fitter's own error of the truth.
        for a, b in zip(live, batch, strict=True):
            assert abs(a.start_s - b.start_s) <= 0.3 and abs(a.end_s - b.end_s) <= 0.3
            assert abs(a.bottom_start_s - b.bottom_start_s) <= 0.3 and abs(a.bottom_end_s - b.bottom_end_s) <= 0.3
    # At 5 fps the stream fits on a uniform grid (dropped frames interpolated, gaps up to 0.6 s): measured worst
    # 0.62 s over 10 noise/drop seeds per case. The batch code fitting the 5 fps samples themselves is off by up to
    # 0.76 s here, so only the stream is held to the truth.
    assert phase_errors(live, moves).max() <= (COS_TOL_S if fps_case == "30fps" else COS_TOL_S + 0.2)


def test_alternating_stream_emits_each_rep_soon_after_it_ends():
    moves = alternate("LRLRLR")
    t, xl, xr = two_sides(moves, crosstalk=0.6)
    s = Alternating().stream()
    emitted_at = []
    for tt, a, b in zip(t, xl, xr, strict=True):
        r = s.update(tt, a, b)
        if r is not None:
            emitted_at.append((r.side, tt - r.end_s))
    assert [e[0] for e in emitted_at] == [m.side for m in moves]
    # The detector's settle time (0.4 s) plus at most the other side's leak finishing: well under a second.
    assert max(e[1] for e in emitted_at) < 1.0
    # Top pauses are filled in the kept list once the next rep is known.
    assert [r.side for r in s.reps] == [m.side for m in moves]
    assert all(r.top_pause_s == pytest.approx(0.8, abs=2 * COS_TOL_S) for r in s.reps[:-1])


def test_alternating_unseen_samples_leave_the_top_pause_unknown():
    moves = alternate("LRL")
    t, xl, xr = two_sides(moves, crosstalk=0.0)
    gap = (t > moves[0].times[3] + 0.2) & (t < moves[1].start_s - 0.2)  # only the rest between rep 1 and 2
    xl[gap] = np.nan
    xr[gap] = np.nan
    reps = Alternating().batch(t, lowpass(xl, FS, 4.0), lowpass(xr, FS, 4.0))
    live = Alternating().stream()
    run_stream(live, t, xl, xr)
    for got in (reps, live.reps):
        assert [r.side for r in got] == ["left", "right", "left"]
        assert math.isnan(got[0].top_pause_s) and got[1].top_pause_s == pytest.approx(0.8, abs=2 * COS_TOL_S)


def _w(start: float, end: float, rom: float, side: str) -> RepWindow:
    mid = 0.5 * (start + end)
    return RepWindow(0, 0, 0, start, mid, mid, end, 0.0, rom, 0.0, 1.0, 1.0, side=side)


@pytest.mark.parametrize(
    ("reps", "kept"),
    [
        ([_w(0, 4, 60, "left"), _w(0.2, 4.1, 25, "right")], [0]),  # a leak: the smaller goes
        ([_w(0, 4, 25, "left"), _w(0.2, 4.1, 60, "right")], [1]),
        ([_w(0, 4, 60, "left"), _w(3.5, 7.5, 55, "right")], [0, 1]),  # back to back: 0.5 s of 4 s overlap
        ([_w(0, 4, 60, "left"), _w(1.0, 3.0, 20, "right")], [0]),  # a short leak inside a long rep
        ([_w(0, 4, 60, "left"), _w(0, 4, 60, "right")], [0]),  # a tie: the earlier (then the first) stays
        # A chain: the middle rep loses to the first, so the third (overlapping only the loser) stays.
        ([_w(0, 4, 60, "left"), _w(1.5, 5.5, 40, "right"), _w(4.5, 8.5, 30, "left")], [0, 2]),
    ],
    ids=["leak", "leak_other_way", "back_to_back", "short_leak", "tie", "chain"],
)
def test_suppress_double_detections_keeps_the_larger(reps, kept):
    assert suppress_double_detections(reps, 0.5) == [reps[i] for i in kept]


def test_suppress_double_detections_respects_fixed_reps():
    emitted = _w(0, 4, 30, "left")
    assert suppress_double_detections([_w(0.2, 4.1, 60, "right")], 0.5, fixed=[emitted]) == []


@pytest.mark.parametrize(("kw", "match"), [({"sides": ("left", "left")}, "sides"), ({"overlap_frac": 1.2}, "overlap")])
def test_alternating_rejects_bad_settings(kw, match):
    with pytest.raises(ValueError, match=match):
        Alternating(**kw)


# -- hold --------------------------------------------------------------------------------------------------------

IN, OUT, LOW = 0.0, 20.0, -20.0  # levels for a band (-10, 10): in, above it, below it
RAMP_S = 0.2  # level changes are 0.2 s ramps centred on the change time: the band edge is crossed exactly then


def levels(t: np.ndarray, start_level: float, changes: list[tuple[float, float]]) -> np.ndarray:
    """Piecewise-linear signal: ``start_level``, then each ``(time, level)`` reached by a ramp centred on time."""
    kt, kv, cur = [t[0]], [start_level], start_level
    for tc, lv in changes:
        kt += [tc - RAMP_S / 2, tc + RAMP_S / 2]
        kv += [cur, lv]
        cur = lv
    kt.append(t[-1] + 1.0)
    kv.append(cur)
    return np.interp(t, kt, kv)


@dataclass(frozen=True)
class HoldCase:
    """A hold signal and its true holds: ``(start_s, end_s, in_band_s, breaks, ended_by)``."""

    start_level: float
    changes: list[tuple[float, float]]
    holds: list[tuple[float, float, float, list[tuple[float, float]], str]]
    nan: list[tuple[float, float]] = dataclasses.field(default_factory=list)  # unseen intervals
    end_s: float = 20.0
    band: tuple[float, float] = (-10.0, 10.0)


HOLD_CASES = {
    "clean": HoldCase(OUT, [(3.0, IN), (15.0, OUT)], [(3.0, 15.0, 12.0, [], "band")]),
    "wobble_is_not_a_break": HoldCase(
        OUT, [(3.0, IN), (6.0, OUT), (6.3, IN), (15.0, OUT)], [(3.0, 15.0, 11.7, [], "band")]
    ),
    "real_break": HoldCase(
        OUT, [(3.0, IN), (9.0, OUT), (10.0, IN), (15.0, OUT)], [(3.0, 15.0, 11.0, [(9.0, 10.0)], "band")]
    ),
    "break_below_the_band_and_a_wobble": HoldCase(
        OUT,
        [(3.0, IN), (5.0, LOW), (5.2, IN), (9.0, LOW), (10.5, IN), (15.0, OUT)],
        [(3.0, 15.0, 10.3, [(9.0, 10.5)], "band")],
    ),
    "two_holds": HoldCase(
        OUT,
        [(1.0, IN), (6.0, OUT), (9.0, IN), (16.0, OUT)],
        [(1.0, 6.0, 5.0, [], "band"), (9.0, 16.0, 7.0, [], "band")],
    ),
    "too_short": HoldCase(OUT, [(3.0, IN), (4.5, OUT), (12.0, IN), (12.5, OUT)], []),
    "blip_before_the_hold": HoldCase(
        OUT, [(1.0, IN), (1.2, OUT), (2.5, IN), (12.0, OUT)], [(2.5, 12.0, 9.5, [], "band")]
    ),
    "blip_after_the_last_break": HoldCase(
        OUT, [(3.0, IN), (10.0, OUT), (11.5, IN), (11.7, OUT)], [(3.0, 10.0, 7.0, [], "band")]
    ),
    "short_unseen_gap_is_a_break": HoldCase(
        OUT, [(3.0, IN), (15.0, OUT)], [(3.0, 15.0, 10.5, [(8.0, 9.5)], "band")], nan=[(8.0, 9.5)]
    ),
    "long_unseen_gap_ends_it": HoldCase(
        OUT, [(3.0, IN), (17.0, OUT)], [(3.0, 8.0, 5.0, [], "unseen"), (11.0, 17.0, 6.0, [], "band")], nan=[(8.0, 11.0)]
    ),
    "lasts_to_the_end": HoldCase(OUT, [(3.0, IN), (6.0, OUT), (7.0, IN)], [(3.0, 20.0, 16.0, [(6.0, 7.0)], "end")]),
    "from_the_start": HoldCase(IN, [(8.0, OUT)], [(0.0, 8.0, 8.0, [], "band")]),
    "one_sided_band": HoldCase(
        OUT,  # the dip below -10 at 5–6 s would be a break in a two-sided band
        [(3.0, IN), (5.0, LOW), (6.0, IN), (9.0, OUT), (9.8, IN), (15.0, OUT)],
        [(3.0, 15.0, 11.2, [(9.0, 9.8)], "band")],
        band=(-math.inf, 10.0),
    ),
}


def hold_signal(case: HoldCase, *, noise_sd: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0.0, case.end_s + 1e-9, 1.0 / FS)
    x = levels(t, case.start_level, case.changes)
    if noise_sd:
        x = x + coloured_noise(t.size, noise_sd, seed)
    for a, b in case.nan:
        # Unseen from a to b: the last seen and first seen samples are a frame inside (the crossing is half-way).
        x[(t > a - 0.5 / FS) & (t < b + 0.5 / FS)] = np.nan
    return t, x


def check_holds(found: list[HoldWindow], case: HoldCase, tol: float) -> None:
    assert len(found) == len(case.holds)
    for h, (s, e, inb, brk, ended) in zip(found, case.holds, strict=True):
        assert h.start_s == pytest.approx(s, abs=tol) and h.end_s == pytest.approx(e, abs=tol)
        assert h.in_band_s == pytest.approx(inb, abs=2 * tol * (1 + len(brk)) + 0.01)
        assert len(h.breaks) == len(brk)
        for b, (bs, be) in zip(h.breaks, brk, strict=True):
            assert b.start_s == pytest.approx(bs, abs=tol) and b.end_s == pytest.approx(be, abs=tol)
        assert h.ended_by == ended
        assert h.start_s <= h.end_s and h.in_band_s <= h.duration_s + 1e-9


@pytest.mark.parametrize("noise_sd", [0.0, 1.5], ids=["exact", "noisy"])
@pytest.mark.parametrize("name", list(HOLD_CASES))
def test_hold_batch_against_truth(name, noise_sd):
    case = HOLD_CASES[name]
    t, x = hold_signal(case, noise_sd=noise_sd, seed=len(name))
    found = BandHold(*case.band, min_hold_s=2.0, break_min_s=0.5, end_gap_s=2.0).batch(t, x)
    # Noise-free, the interpolated crossings are exact (to float rounding), and an unseen boundary is put
    # half-way between the last seen and the first unseen sample (1/60 s off here). Tracking noise of 1.5° SD on
    # a 100°/s ramp moves a crossing by 15 ms SD: 50 ms is over 3 SD.
    check_holds(found, case, tol=0.05 if noise_sd else 0.02 if case.nan else 1e-6)


@pytest.mark.parametrize("name", list(HOLD_CASES))
def test_hold_stream_gives_the_batch_holds(name):
    case = HOLD_CASES[name]
    strategy = BandHold(*case.band, min_hold_s=2.0, break_min_s=0.5, end_gap_s=2.0)
    t, x = hold_signal(case, noise_sd=1.0, seed=3)
    assert run_stream(strategy.stream(), t, x) == strategy.batch(t, x)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", ["clean", "real_break", "two_holds", "long_unseen_gap_ends_it", "lasts_to_the_end"])
def test_hold_at_5_fps_with_dropped_samples(name, seed):
    case = HOLD_CASES[name]
    t, x = hold_signal(case, noise_sd=1.0, seed=seed)
    t, x = five_fps_with_drops(t, x, seed=seed)
    found = BandHold(*case.band, min_hold_s=2.0, break_min_s=0.5, end_gap_s=2.0).stream()
    # A crossing on the 0.2 s ramp is interpolated between samples 0.2-0.6 s apart (off by up to ~0.15 s); one
    # into or out of view is put half-way between them: at most half the longest sample interval off.
    check_holds(run_stream(found, t, x), case, tol=0.5 * float(np.max(np.diff(t))) + 0.05)


def test_hold_stream_reports_when_the_end_gap_has_passed_and_shows_progress():
    case = HOLD_CASES["real_break"]
    t, x = hold_signal(case)
    s = BandHold(-10.0, 10.0, min_hold_s=2.0, break_min_s=0.5, end_gap_s=2.0).stream()
    seen = {}
    for tt, v in zip(t, x, strict=True):
        h = s.update(tt, v)
        if h is not None:
            seen["reported_at"] = tt
        for probe in (3.1, 8.0, 9.5, 12.0):
            if abs(tt - probe) < 0.5 / FS:
                seen[probe] = s.current
    assert seen[3.1] is None  # in the band 0.1 s: not yet a hold (it has to stay 0.5 s)
    assert seen[8.0].start_s == pytest.approx(3.0) and seen[8.0].elapsed_s == pytest.approx(5.0, abs=1e-6)
    assert seen[8.0].in_band and seen[8.0].in_band_s == pytest.approx(5.0, abs=1e-6) and seen[8.0].n_breaks == 0
    assert not seen[9.5].in_band and seen[9.5].in_band_s == pytest.approx(6.0, abs=1e-6)
    assert seen[12.0].n_breaks == 1 and seen[12.0].in_band_s == pytest.approx(8.0, abs=1e-6)
    # Left the band at 15.0; reported on the first sample more than end_gap_s (2 s) later.
    assert 17.0 < seen["reported_at"] <= 17.0 + 1.0 / FS + 1e-9
    assert s.current is None and s.finish() == []


def test_hold_window_to_hold():
    w = HoldWindow(3, 90, 0.1, 3.0, 2.5, (Break(1.0, 1.5),), "left", "band")
    h = w.to_hold(2, {"body_line_mean_deg": 4.0})
    assert h == Hold(2, 0.1, 3.0, 2.5, (Break(1.0, 1.5),), "left", {"body_line_mean_deg": 4.0})
    assert h.duration_s == pytest.approx(2.9) and w.duration_s == pytest.approx(2.9)


def test_hold_indices_point_at_samples_in_band():
    case = HOLD_CASES["two_holds"]
    t, x = hold_signal(case, noise_sd=1.0)
    for h in BandHold(-10.0, 10.0).batch(t, x):
        assert -10 <= x[h.start_i] <= 10 and -10 <= x[h.end_i] <= 10
        assert not -10 <= x[h.start_i - 1] <= 10 and not -10 <= x[h.end_i + 1] <= 10


def test_nothing_in_band_and_empty_input():
    t = np.arange(0.0, 5.0, 1.0 / FS)
    assert BandHold(-10.0, 10.0).batch(t, np.full_like(t, 30.0)) == []
    assert BandHold(-10.0, 10.0).batch(t, np.full_like(t, np.nan)) == []
    assert BandHold(-10.0, 10.0).batch(np.array([]), np.array([])) == []
    assert BandHold(-10.0, 10.0).stream().finish() == []


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"lo": 10.0, "hi": -10.0}, "lo < hi"),
        ({"lo": -1.0, "hi": 1.0, "break_min_s": 3.0, "end_gap_s": 2.0}, "break_min_s"),
        ({"lo": -1.0, "hi": 1.0, "max_step_s": 0.0}, "max_step_s"),
        ({"lo": -1.0, "hi": 1.0, "side": "both"}, "side"),
    ],
)
def test_band_hold_rejects_bad_settings(kw, match):
    with pytest.raises(ValueError, match=match):
        BandHold(**kw)


def test_stream_rejects_time_going_back():
    s = BandHold(-1.0, 1.0).stream()
    s.update(1.0, 0.0)
    with pytest.raises(ValueError, match="increase"):
        s.update(1.0, 0.0)


@pytest.mark.parametrize(("hold_s", "ramp_s"), [(2.0, 1.5), (0.0, 1.0), (1.0, 3.0)])
def test_time_in_band_of_a_rep(hold_s, ramp_s):
    # A cosine reach to 60° held hold_s is above 90 % of the reach (54°) for the hold plus, on each ramp, the
    # part after 0.5 − 0.5·cos(πu) passes 0.9, i.e. after u = acos(−0.8)/π.
    m = Move(1.0, ramp_s, hold_s, ramp_s, 60.0)
    t = np.arange(0.0, m.times[3] + 1.0, 1.0 / FS)
    x = moves_signal(t, [m], base=0.0)
    truth = hold_s + 2 * ramp_s * (1 - math.acos(-0.8) / math.pi)
    assert time_in_band_s(t, x, 54.0, math.inf) == pytest.approx(truth, abs=0.01)
    # Restricted to the hold and with a gap in view: the gap is not in band.
    x[(t > m.times[1] + 0.2) & (t < m.times[1] + 0.5)] = np.nan
    part = time_in_band_s(t, x, 54.0, math.inf, start_s=m.times[1], end_s=m.times[2])
    assert part == pytest.approx(hold_s - 0.3 if hold_s else 0.0, abs=0.05)


def test_strategies_name_their_kind():
    assert (Cyclic.kind, Alternating.kind, BandHold.kind) == ("cyclic", "alternating", "hold")
