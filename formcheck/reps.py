"""Repetition segmentation from a 1-D "depth" signal (hip flexion or trunk inclination, degrees).

A rep is a peak of the depth signal (the bottom of the movement) that rises from a standing level and returns
to it. Peaks come from :func:`scipy.signal.find_peaks` with a prominence relative to the person's *own* range of
motion (``prominence_frac`` of the 5th–95th percentile span, never less than ``min_rom_deg``), so a deep and a
shallow mover are treated alike and fidgeting, a half rep or someone stepping into view are not counted. A peak
also has to return at least ``return_frac`` of the way to its start level: a clip that ends at the bottom, or
starts at the bottom and rises, has no complete rep there. With ``count_cut_end`` a clip that stops while the last
rep is on its way back up (its turnaround seen) still counts that rep (:func:`_cut_end_peak`).

Phase times within each rep come from :mod:`formcheck.metrics.tempo`.

:class:`StreamingRepDetector` does the same one sample at a time with bounded memory (a ring buffer of the
last ``buffer_s`` seconds): a hysteresis state machine notices that a rep is complete and then runs the batch
boundary code on the buffer, so live and file analyses agree.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace

import numpy as np
from scipy import signal as sps

from formcheck.metrics.tempo import fit_transition, phase_s
from formcheck.signal import lowpass, nan_free_runs, sample_rate_hz


@dataclass(frozen=True)
class RepWindow:
    """Timing of one repetition (seconds from the start of the sequence; indices into it).

    Most reps start standing: lowering (eccentric) → pause at the bottom → rising (concentric), then
    ``top_pause_s``, the time from this rep's return to the next rep's start (NaN for the last rep).

    A lift from the floor (``starts_at_bottom``, :func:`floor_start_reps`) is the other way round: the rep opens at
    the bottom with the pull (rising, ``start_s`` → ``top_start_s``), holds the lockout (``top_pause_s``, inside the
    rep: ``top_start_s`` → ``top_end_s``), lowers (``top_end_s`` → ``end_s``) and ends back at the bottom; its
    pause at the bottom is the rest on the floor after it, until the next pull (``floor_rest_s``, NaN for the last
    rep). The phase properties (:attr:`eccentric_s`, :attr:`bottom_pause_s`, :attr:`concentric_s`) keep their
    meaning (lowering, pause at the bottom, rising) in both orders.
    """

    start_i: int  # first frame of the rep (eccentric onset; the pull's onset for a rep that starts at the bottom)
    bottom_i: int  # deepest frame
    end_i: int  # last frame (concentric arrival; arrival back at the bottom for a rep that starts there)
    start_s: float
    bottom_start_s: float
    bottom_end_s: float
    end_s: float
    top_level: float  # depth at the start (standing)
    bottom_level: float  # depth at the deepest point
    end_level: float  # depth after the return
    eccentric_peak_speed: float
    concentric_peak_speed: float
    top_pause_s: float = math.nan
    from_bottom: bool = False  # the clip opened at the bottom: this rep's lowering was not seen
    # The clip (or the person's presence) opened part-way down this rep: counted (its turnaround and return were
    # seen, near enough to standing by ``return_frac``), its lowering's start was not seen, so its time is unknown.
    opened_lowering: bool = False
    cut_at_end: bool = False  # the clip ended on this rep's way back up: its rise was not seen to the end
    side: str | None = None  # "left"/"right": the side that moved, for one-side-at-a-time exercises (engine)
    # A lift from the floor: pull (rise) → lockout (top pause) → lowering, ending at the bottom (floor_start_reps).
    starts_at_bottom: bool = False
    top_start_s: float = math.nan  # starts_at_bottom: lockout reached (end of the pull)
    top_end_s: float = math.nan  # starts_at_bottom: lockout left (onset of the lowering)
    floor_rest_s: float = math.nan  # starts_at_bottom: rest at the bottom after this rep until the next pull

    @property
    def eccentric_s(self) -> float:
        """Lowering time (the rep's first phase when it starts standing, its last when it starts at the bottom)."""
        if self.starts_at_bottom:
            return math.nan if self.cut_at_end else self.end_s - self.top_end_s
        return math.nan if self.from_bottom or self.opened_lowering else phase_s(self.start_s, self.bottom_start_s)

    @property
    def bottom_pause_s(self) -> float:
        """Pause at the bottom (inside the rep when it starts standing; the floor rest after it otherwise)."""
        if self.starts_at_bottom:
            return self.floor_rest_s
        if self.from_bottom or math.isnan(phase_s(self.start_s, self.bottom_start_s)):
            return math.nan  # the lowering was not seen in its window: where the bottom starts is unknown
        if math.isnan(phase_s(self.bottom_end_s, self.end_s)):
            return math.nan  # nor where it ends when the rise was not
        return max(0.0, self.bottom_end_s - self.bottom_start_s)

    @property
    def concentric_s(self) -> float:
        """Rising time (the pull, first, for a rep that starts at the bottom)."""
        if self.starts_at_bottom:
            return self.top_start_s - self.start_s
        return math.nan if self.cut_at_end else phase_s(self.bottom_end_s, self.end_s)

    @property
    def rom(self) -> float:
        return self.bottom_level - min(self.top_level, self.end_level)


# Streaming: back within this fraction of the rep's depth from standing, then down again by the bounce rule's
# margin, is the next rep (not a bounce); a bounce at the bottom turns back well before that.
NEW_REP_RETURN_FRAC = 0.2
GLITCH_S = 0.1  # streaming: a "rep" down and back up faster than this is a tracking glitch, not a movement
SETUP_DEPTH_FACTOR = 1.2  # an opening position this much deeper than the typical rep is a setup (bar/bell on floor)
EDGE_SETTLE_S = 0.35  # a clip opening in a set-up: the first frames may still settle into it for this long


def _index_at(t_s: np.ndarray, t: float) -> int:
    return int(np.clip(np.searchsorted(t_s, t, side="left"), 0, len(t_s) - 1))


def _half_crossings(xs: np.ndarray, lb: int, pk: int, rb: int) -> tuple[int, int]:
    """Indices of the 50 % level on the way down (last below) and on the way up (first below)."""
    down_level = (xs[lb] + xs[pk]) / 2.0
    up_level = (xs[pk] + xs[rb]) / 2.0
    below = np.flatnonzero(xs[lb : pk + 1] < down_level)
    e50 = lb + int(below[-1]) + 1 if below.size else lb
    below_r = np.flatnonzero(xs[pk : rb + 1] < up_level)
    c50 = pk + int(below_r[0]) if below_r.size else rb
    return e50, c50


def _before_next_move(xs: np.ndarray, pk: int, rb: int) -> int:
    """End of the fit window of a run's last rep: the run's end, or half-way to a movement that starts after the
    rep but is cut off by the run's end (the person left, or tracking was lost, part-way down the next rep).

    Without this bound the last rep's fit window took in that unfinished lowering and the fit failed, so a rep
    seen whole before someone walked out of view was lost.
    """
    half = xs[rb] + 0.5 * (xs[pk] - xs[rb])
    later = np.flatnonzero(xs[rb:] >= half)
    return len(xs) - 1 if not later.size else (rb + (rb + int(later[0]))) // 2 + 1


def _merge_shallow_dips(xs: np.ndarray, peaks: np.ndarray, prom: float) -> np.ndarray:
    """Keep one peak per bottom: neighbours not separated by a dip of at least ``prom`` are one rep.

    (:func:`scipy.signal.find_peaks` gives equal-height peaks on a wobbly bottom pause full prominence each.)
    """
    if peaks.size < 2:
        return peaks
    kept = [int(peaks[0])]
    for p in peaks[1:]:
        q = kept[-1]
        dip = float(np.min(xs[q : p + 1]))
        if min(xs[q], xs[p]) - dip < prom:
            if xs[p] > xs[q]:
                kept[-1] = int(p)
        else:
            kept.append(int(p))
    return np.asarray(kept, dtype=np.intp)


def person_range(x: np.ndarray) -> float:
    """The person's own range of the depth signal: 5th–95th percentile span (robust to outliers)."""
    v = np.asarray(x, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size < 3:
        return 0.0
    lo, hi = np.percentile(v, [5, 95])
    return float(hi - lo)


def _fit_rep(
    xs: np.ndarray, ys: np.ndarray, ts: np.ndarray, lb: int, pk: int, rb: int, w0: int, wm: int, w1: int
) -> RepWindow | None:
    """Fit the lowering in ``[w0, wm]`` and the rise in ``[wm, w1]`` of one rep."""
    ecc = fit_transition(ys, ts, w0, wm)
    con = fit_transition(ys, ts, wm, w1)
    if ecc is None or con is None:
        return None
    start = max(ecc.onset_s, float(ts[w0]))
    bottom_start = min(ecc.arrival_s, float(ts[wm]))
    bottom_end = max(con.onset_s, float(ts[wm]), bottom_start)
    end = min(con.arrival_s, float(ts[w1]))
    if not end > start:
        return None
    return RepWindow(
        start_i=_index_at(ts, start),
        bottom_i=pk,
        end_i=_index_at(ts, end),
        start_s=start,
        bottom_start_s=bottom_start,
        bottom_end_s=bottom_end,
        end_s=end,
        top_level=float(xs[lb]),
        bottom_level=float(xs[pk]),
        end_level=float(xs[rb]),
        eccentric_peak_speed=ecc.peak_speed,
        concentric_peak_speed=con.peak_speed,
    )


def _fit_first_rep(
    xs: np.ndarray, ys: np.ndarray, ts: np.ndarray, lb: int, pk: int, rb: int, e50: int, c50: int, wm: int, w1: int
) -> RepWindow | None:
    """Fit the first rep of a NaN-free run, whose lowering has no earlier rep to bound its fit window.

    The window starts half-way from the run's start to the lowering's 50 % crossing, as between reps. After a
    short lead-in (a clip or a re-entry just before the rep) that cuts the standing out: the fit has no start
    plateau, its onset lands on the window's edge and the lowering reads short (0.5 s of standing seen before a
    2 s lowering gave 1.77 s). The lowering is then refitted on a window reaching back over the standing seen
    before it, by at most the rep's own length between its 50 % crossings, and never into an earlier movement
    (the clip opening part-way up from an uncounted rep).
    """
    w0 = e50 // 2
    rep = _fit_rep(xs, ys, ts, lb, pk, rb, w0, wm, w1)
    # The fitted onset at least two samples inside the window: standing before it was seen.
    if rep is not None and rep.start_s >= ts[min(w0 + 2, pk)]:
        return rep
    # Standing: from the last frame 10 % or more of the way down before the lowering (the end of an earlier
    # movement, if the run opened in one) to the lowering's own 10 % crossing.
    still_below = ys[lb] + 0.1 * (ys[pk] - ys[lb])
    below = np.flatnonzero(ys[lb : pk + 1] < still_below)
    if not below.size:  # the timing signal does not go down toward the bottom here: nothing to extend
        return rep
    moving = np.flatnonzero(ys[: lb + int(below[-1])] >= still_below)
    w_ext = max(int(moving[-1]) + 1 if moving.size else 0, e50 - (c50 - e50))
    longer = _fit_rep(xs, ys, ts, lb, pk, rb, w_ext, wm, w1) if w_ext < w0 else None
    return longer if longer is not None else rep


def _edge_start_rep(
    xs: np.ndarray,
    ys: np.ndarray,
    ts: np.ndarray,
    level: float,
    typical_depth: float,
    first: tuple[int, int, int],
    near_frac: float,
    hold_s: float,
) -> RepWindow | None:
    """A rep that starts at the bottom when the clip starts (deadlift from the floor, swing after the hike).

    Counted only when the clip clearly opens in a deliberate bottom position — held still near the person's
    typical depth for ``hold_s``, or clearly deeper than the reps (``SETUP_DEPTH_FACTOR``) — and rises back to
    standing before the first complete rep. A clip that merely starts part-way through a rep does not count it.
    """
    lb_first = first[0]
    if lb_first < 3:
        return None
    head = xs[: lb_first + 1]
    top = int(np.argmax(head))
    depth0 = float(head[top] - level)
    deep = np.abs(head - head[top]) <= 0.1 * typical_depth  # still, near the opening's deepest point
    # A set-up is reached before the clip opens; a clip that opens on the way down (its first EDGE_SETTLE_S clearly
    # shallower than the deepest point after them) caught a lowering part-way: its start was not seen, not counted.
    # The median, so that a misread first frame or two does not look like a descent.
    opening = float(np.median(head[ts[: lb_first + 1] <= ts[0] + EDGE_SETTLE_S]))
    if head[top] - opening > 0.1 * typical_depth:
        return None
    held = 0.0
    if head[top] - level >= 0.8 * typical_depth:
        k = top
        while k + 1 < len(head) and deep[k + 1]:
            k += 1
        j = top
        while j - 1 >= 0 and deep[j - 1]:
            j -= 1
        # Only a hold the clip opens with (allowing a few settling frames) is a set-up position.
        held = float(ts[k] - ts[j]) if ts[j] - ts[0] <= EDGE_SETTLE_S else 0.0
    # A setup position is held still, or clearly deeper than the reps (the bell or bar on the floor); a clip
    # that opens part-way through a rep is neither.
    if not (held >= hold_s or depth0 >= SETUP_DEPTH_FACTOR * typical_depth):
        return None
    rb = top + int(np.argmin(head[top:]))
    if xs[rb] - level > near_frac * depth0:
        return None
    con = fit_transition(ys, ts, top, min(rb + max(1, (lb_first - rb) // 2), len(xs) - 1))
    if con is None:
        return None
    t0 = float(ts[0])
    return RepWindow(
        start_i=0,
        bottom_i=top,
        end_i=_index_at(ts, con.arrival_s),
        start_s=t0,
        bottom_start_s=t0,
        bottom_end_s=max(con.onset_s, t0),
        end_s=con.arrival_s,
        top_level=float(xs[rb]),
        bottom_level=float(xs[top]),
        end_level=float(xs[rb]),
        eccentric_peak_speed=math.nan,
        concentric_peak_speed=con.peak_speed,
        from_bottom=True,
    )


def _cut_end_peak(
    xs: np.ndarray,
    peak: tuple[int, int, int],
    complete: list[tuple[int, int, int]],
    level: float,
    prom: float,
    near_frac: float,
) -> bool:
    """Whether the run's last peak is a rep the clip cut off on its way back up (``count_cut_end``).

    Such a rep is counted when the clip shows its lowering from standing and its turnaround: the lowering starts
    near standing and drops by the prominence as any rep's must; the signal has come back up from the bottom by
    the prominence too, the same test that makes any peak a turnaround, and is still coming back on the last
    sample (it did not stop part-way). A last bend clearly deeper than the set's complete reps
    (``SETUP_DEPTH_FACTOR``, as for an opening set-up) is putting the weight down, not a rep; with no complete rep
    to compare with nothing is counted.
    """
    lb, pk, rb = peak
    amp = xs[pk] - level
    if not complete or rb != len(xs) - 1:
        return False
    typical = float(np.median([xs[p] - level for _, p, _ in complete]))
    return bool(
        xs[pk] - xs[lb] >= prom
        and xs[lb] - level <= near_frac * amp
        and xs[pk] - xs[rb] >= prom
        and amp <= SETUP_DEPTH_FACTOR * typical
    )


# A last rep still this far (fraction of its depth) above standing and rising when the recording ends was cut off.
CUT_RISING_FRAC = 0.1


def detect_reps(
    depth: np.ndarray,
    t_s: np.ndarray,
    *,
    min_rom_deg: float = 20.0,
    prominence_frac: float = 0.35,
    return_frac: float = 0.65,
    min_rep_s: float = 0.6,
    range_override: float | None = None,
    timing: np.ndarray | None = None,
    edge_hold_s: float = 0.5,
    count_cut_end: bool = False,
    fit_after_s: float | None = None,
) -> list[RepWindow]:
    """Find complete repetitions in a smoothed depth signal.

    Args:
        depth: ``(T,)`` smoothed signal that rises toward the bottom of the movement (e.g. hip flexion, deg).
            NaN gaps split the signal; a rep never spans a gap.
        t_s: ``(T,)`` timestamps.
        min_rom_deg: smallest excursion counted as a rep.
        prominence_frac: a rep must rise this fraction of the person's own range (5th–95th percentile).
        return_frac: a rep must start from, and come back to, within ``1 - return_frac`` of its depth from the
            person's standing level (5th percentile of the signal).
        min_rep_s: peaks closer than this are one rep (bounce at the bottom).
        range_override: use this range instead of the signal's own (streaming uses the running range).
        timing: optional second signal (e.g. trunk inclination) that shows the same movement with less tracking
            wobble; phase times are fitted on it when it moves at least a quarter as much as ``depth`` (and 10°)
            within the rep, else on ``depth``.
        edge_hold_s: a clip that opens in a bottom position held this long counts its first rise as a rep (only
            at the start of the sequence, not after a tracking gap).
        count_cut_end: a clip that ends while its last rep is on the way back up (turnaround seen, not yet back
            near standing) counts that rep, marked ``cut_at_end`` (its rise unknown). Only for a whole recording:
            at the end of the sequence, not before a tracking gap, and not for a live buffer whose end is "now".
        fit_after_s: only reps that may end after this time are wanted (a live re-analysis of a buffer that holds
            earlier reps): the leading reps whose fit window ends by then (a fitted rep ends inside its window) are
            neither fitted nor returned, and every other rep is the same as without it. Not with ``count_cut_end``.

    Returns:
        Reps in time order with ``top_pause_s`` filled between consecutive reps.
    """
    x = np.asarray(depth, dtype=np.float64)
    t = np.asarray(t_s, dtype=np.float64)
    tim = None if timing is None else np.asarray(timing, dtype=np.float64)
    rng = person_range(x) if range_override is None else range_override
    prom = max(min_rom_deg, prominence_frac * rng)
    near = 1.0 - return_frac
    finite = x[np.isfinite(x)]
    if finite.size < 5:
        return []
    level = float(np.percentile(finite, 5))
    fs = sample_rate_hz(t)
    dist = max(1, int(round(min_rep_s * fs))) if math.isfinite(fs) else 1
    reps: list[RepWindow] = []
    runs = [(s, e) for s, e in nan_free_runs(np.isfinite(x)) if e - s >= 5]
    first_run_start = runs[0][0] if runs else -1
    # Leading reps that cannot end after fit_after_s are skipped until the first one that may (the minimum-jerk fits
    # are most of the cost); only a prefix, so the reps kept and their neighbours (top pauses) are unchanged.
    skipping = fit_after_s is not None and not count_cut_end
    for s, e in runs:
        cut_end = -1  # index into ``found`` of a last rep the clip's end cut off on its way up

        xs = x[s:e]
        ts = t[s:e]
        tims = None if tim is None else tim[s:e]
        peaks, _ = sps.find_peaks(xs, prominence=prom, distance=dist)
        peaks = _merge_shallow_dips(xs, peaks, prom)
        bounds = np.concatenate(([0], peaks, [len(xs) - 1]))
        found: list[tuple[int, int, int]] = []
        for k, p in enumerate(peaks):
            left, right = bounds[k], bounds[k + 2]
            lb = left + int(np.argmin(xs[left : p + 1]))
            rb = p + int(np.argmin(xs[p : right + 1]))
            amp = xs[p] - level
            # Both ends must be near standing: a clip that starts or ends part-way through a rep has no rep there
            # (except, with count_cut_end, a last rep the recording's end cut off on its way back up).
            if xs[p] - xs[lb] < prom or xs[lb] - level > near * amp or xs[rb] - level > near * amp:
                if (
                    count_cut_end
                    and e == len(x)
                    and k == len(peaks) - 1
                    and _cut_end_peak(xs, (lb, int(p), rb), found, level, prom, near)
                ):
                    cut_end = len(found)
                    found.append((lb, int(p), rb))
                continue
            found.append((lb, int(p), rb))
            if (
                count_cut_end
                and e == len(x)
                and k == len(peaks) - 1
                and rb == len(xs) - 1
                and xs[rb] - level > CUT_RISING_FRAC * amp
                and xs[rb - 1] > xs[rb]
            ):
                # Back far enough to count as a rep, but the recording ends while it is still on its way up: the
                # rise was not seen to its end, so its time is unknown like any cut rep's (not a short rise).
                cut_end = len(found) - 1
        # Timing signal per rep: the secondary one if it moves enough there and has no holes.
        sigs = []
        for lb, pk, rb in found:
            ys = xs
            if tims is not None and np.all(np.isfinite(tims[lb : rb + 1])):
                rom_t = float(np.max(tims[lb : rb + 1]) - max(tims[lb], tims[rb]))
                if rom_t >= max(10.0, 0.25 * (xs[pk] - max(xs[lb], xs[rb]))):
                    ys = tims
            sigs.append(ys)
        halves = [_half_crossings(sigs[k], lb, pk, rb) for k, (lb, pk, rb) in enumerate(found)]
        run_reps: list[RepWindow] = []
        # Only the clip's opening can be a set-up position; after a tracking gap we do not guess.
        if found and s == first_run_start:
            whole = [r for i, r in enumerate(found) if i != cut_end] or found
            typical = float(np.median([xs[pk] - level for _, pk, _ in whole]))
            edge = _edge_start_rep(xs, sigs[0], ts, level, typical, found[0], near, edge_hold_s)
            if edge is not None:
                run_reps.append(edge)
                skipping = False  # kept as ever, and so are the reps after it (its top pause is to the next one)
        for k, (lb, pk, rb) in enumerate(found):
            e50, c50 = halves[k]
            # Fit windows: from half-way to the neighbouring movement on each side.
            next_e50 = halves[k + 1][0] if k + 1 < len(found) else len(xs) - 1
            wm = (e50 + c50) // 2
            w1 = (c50 + next_e50 + 1) // 2 if k + 1 < len(found) else _before_next_move(xs, pk, rb)
            if skipping and float(ts[w1]) <= fit_after_s:  # type: ignore[operator]
                continue  # ends by ts[w1] at the latest (_fit_rep): not wanted
            skipping = False
            if k > 0 or run_reps:
                prev_c50 = halves[k - 1][1] if k > 0 else run_reps[0].end_i
                rep = _fit_rep(xs, sigs[k], ts, lb, pk, rb, (prev_c50 + e50) // 2, wm, w1)
            else:
                rep = _fit_first_rep(xs, sigs[k], ts, lb, pk, rb, e50, c50, wm, w1)
            if (
                rep is not None
                and k == 0
                and not run_reps
                and rep.start_i <= 2
                and xs[lb] - level > STILL_FRAC * (xs[pk] - level)
            ):
                # The run opens part-way down its first rep (no standing seen before the fitted onset, and the run's
                # first level clearly below standing): counted by the rule above, its lowering time unknown.
                rep = replace(rep, opened_lowering=True)
            if rep is not None:
                # A cut rep ends on the last sample: its rise (concentric time) is not known.
                run_reps.append(
                    replace(rep, end_i=len(xs) - 1, end_s=float(ts[-1]), cut_at_end=True) if k == cut_end else rep
                )
        reps += [replace(r, start_i=r.start_i + s, bottom_i=r.bottom_i + s, end_i=r.end_i + s) for r in run_reps]
    # Top pause: from one rep's return to the next one's start (same NaN-free run only).
    out: list[RepWindow] = []
    for i, r in enumerate(reps):
        nxt = reps[i + 1] if i + 1 < len(reps) else None
        tp = math.nan
        if nxt is not None and np.all(np.isfinite(x[r.end_i : nxt.start_i + 1])):
            tp = max(0.0, nxt.start_s - r.end_s)
        out.append(_replace_top_pause(r, tp))
    return out


# The order of a rep's phases, as a rep's metric (``Rep.metrics[PHASE_ORDER_KEY]``) for what draws or tabulates
# phases in time order (overlay, tempo plot): lowered first (from standing) or risen first (a lift from the floor).
PHASE_ORDER_KEY = "phase_order"
LOWER_FIRST = "lower_first"
RISE_FIRST = "rise_first"
# A rest is still: it moves less than this fraction of the set's typical depth (as an opening set-up's hold).
STILL_FRAC = 0.1


def phase_order(w: RepWindow) -> str:
    """:data:`RISE_FIRST` for a rep that starts at the bottom (a lift from the floor), else :data:`LOWER_FIRST`."""
    return RISE_FIRST if w.starts_at_bottom else LOWER_FIRST


def rises_first(metrics: object) -> bool:
    """Whether a rep (its ``metrics`` mapping) was timed rise first: pull → lockout → lowering (from the floor)."""
    get = getattr(metrics, "get", None)
    return bool(get is not None and get(PHASE_ORDER_KEY) == RISE_FIRST)


def floor_start_reps(
    windows: list[RepWindow],
    depth: np.ndarray,
    t_s: np.ndarray,
    *,
    timing: np.ndarray | None = None,
    hold_s: float = 0.5,
) -> list[RepWindow] | None:
    """The reps of a set lifted from the floor, pull first; None when the set is not one.

    ``windows`` are :func:`detect_reps`' reps of a whole recording, counted from standing (standing → bottom →
    standing). A conventional deadlift starts with the load on the floor: a rep is the pull, the lockout, the
    lowering back to the floor, and the load rests there between reps and after the last. What is decided from
    that (not fitted on clips):

    * **It opens at the bottom**: the recording starts in the set-up, the load on the floor — the first rep opens
      at the bottom (:func:`detect_reps`' opening set-up), or the bottom is reached within ``hold_s`` of the first
      sample (a frame or two of walk-in) and held at least ``hold_s`` before the first pull. A recording that opens
      standing and then bends down is not taken as one: that is also how an RDL set stopped in its last bottom
      pause looks (same depths, ends at the bottom), so such a floor set keeps its reps counted from standing.
    * **It ends resting at the bottom**: after the last rep's return to standing the signal goes back down and the
      recording ends there, not coming back up (within :data:`STILL_FRAC` of the typical depth of the deepest
      point after the last rep): the load was put back down and left there.
    * **Every bottom is the same floor**: the load rests on the same floor at the set-up, at every rep's bottom
      and at the end, so those depths (from standing) agree within :data:`SETUP_DEPTH_FACTOR` (the factor that
      already tells a set-up deeper than the reps). An RDL or a swing turns above the floor and a set that ends
      putting the weight down goes deeper at the end than at its reps; so does a kettlebell hiked from and parked
      on the floor between swings that turn higher.

    Each rep k is then the pull of standing-rep k (from the fitted end of its bottom pause) to the arrival at the
    bottom of standing-rep k+1 (the last: the final lowering, fitted like any phase); rep k+1's bottom pause is
    rep k's floor rest. The opening set-up (walking in and bending to the bar) is no rep. The count is unchanged.
    The whole stretch from the first rep to the end must be seen (no tracking gap) and the last rep complete.

    Args:
        windows: reps counted from standing (:func:`detect_reps` on the whole recording).
        depth: the smoothed depth signal the reps were found on.
        t_s: timestamps.
        timing: the timing signal phases are fitted on (as :func:`detect_reps`' ``timing``).
        hold_s: a floor set reaches the bottom within this long of the recording's start and holds it at least
            this long before the first pull.
    """
    if not windows or any(w.starts_at_bottom for w in windows):
        return None
    x = np.asarray(depth, dtype=np.float64)
    t = np.asarray(t_s, dtype=np.float64)
    first, last = windows[0], windows[-1]
    if last.cut_at_end or not np.all(np.isfinite(x[first.start_i :])) or len(x) - last.end_i < 3:
        return None
    level = float(np.percentile(x[np.isfinite(x)], 5))
    t0 = float(t[np.flatnonzero(np.isfinite(x))[0]])
    opens = opens_at_bottom(first, t0, hold_s)
    tail = x[last.end_i :]
    bottoms = [w.bottom_level - level for w in windows]
    if not is_floor_set(opens, bottoms, float(np.max(tail)) - float(x[-1]), float(x[-1] - level)):
        return None
    return [floor_rep(w, windows[k + 1], t) for k, w in enumerate(windows[:-1])] + [last_floor_rep(last, x, t, timing)]


def opens_at_bottom(first: RepWindow, t0: float, hold_s: float) -> bool:
    """A recording whose first rep (counted from standing) opens at the bottom: the opening set-up
    (``from_bottom``), or its bottom reached within ``hold_s`` of the first sample ``t0`` and held ``hold_s``."""
    return first.from_bottom or (first.bottom_start_s - t0 <= hold_s and first.bottom_pause_s >= hold_s)


def is_floor_set(opens: bool, bottoms: list[float], final_rise: float, final_depth: float) -> bool:
    """:func:`floor_start_reps`' decision from a small summary of the set (batch and the end of a live set).

    Args:
        opens: :func:`opens_at_bottom` of the set's first rep.
        bottoms: every rep's deepest depth counted from standing (the set's standing level), the opening set-up's
            first, in time order.
        final_rise: how far the depth came back up from its deepest point after the last rep's return to the
            recording's last sample (still at rest: within :data:`STILL_FRAC` of the typical depth).
        final_depth: the depth of the recording's last sample, from standing.
    """
    if not bottoms:
        return False
    typical = float(np.median(bottoms))
    depths = [*bottoms, final_depth]
    same_floor = min(depths) > 0 and max(depths) <= SETUP_DEPTH_FACTOR * min(depths)
    return bool(typical > 0 and opens and final_rise <= STILL_FRAC * typical and same_floor)


def floor_rep(w: RepWindow, nxt: RepWindow, t_s: np.ndarray) -> RepWindow:
    """A rep of a set lifted from the floor from two consecutive reps counted from standing: ``w``'s pull (from
    the fitted end of its bottom pause), lockout, and the lowering to ``nxt``'s bottom; ``nxt``'s bottom pause is
    this rep's rest on the floor. Indices are into ``t_s`` (the sequence both were found on)."""
    t = np.asarray(t_s, dtype=np.float64)
    start_i = _index_at(t, w.bottom_end_s)
    return _floor_window(w, start_i, nxt.start_s, nxt.bottom_start_s, _index_at(t, nxt.bottom_start_s),
                         nxt.bottom_level, nxt.eccentric_peak_speed, nxt.bottom_pause_s, False)  # fmt: skip


def last_floor_rep(last: RepWindow, depth: np.ndarray, t_s: np.ndarray, timing: np.ndarray | None = None) -> RepWindow:
    """The last rep of a set lifted from the floor: ``last``'s pull, the lockout, and the final lowering, fitted
    from ``last``'s return to the sequence's end (on ``timing`` when it moves enough there, as
    :func:`detect_reps`); a lowering that cannot be timed leaves the rep running to the end, ``cut_at_end``."""
    x = np.asarray(depth, dtype=np.float64)
    t = np.asarray(t_s, dtype=np.float64)
    lo, hi = last.end_i, len(x) - 1
    ys = x
    if timing is not None:
        tim = np.asarray(timing, dtype=np.float64)
        seg = tim[lo : hi + 1]
        if np.all(np.isfinite(seg)) and float(np.max(seg) - seg[0]) >= max(10.0, 0.25 * (x[hi] - x[lo])):
            ys = tim
    fin = fit_transition(ys, t, lo, hi)
    start_i = _index_at(t, last.bottom_end_s)
    if fin is not None and fin.onset_s >= last.end_s:
        end = min(fin.arrival_s, float(t[-1]))
        return _floor_window(last, start_i, fin.onset_s, end, _index_at(t, end), float(x[-1]), fin.peak_speed,
                             math.nan, False)  # fmt: skip
    # The final lowering could not be timed: the rep runs to the end, its lowering unknown.
    return _floor_window(last, start_i, math.nan, float(t[-1]), _index_at(t, float(t[-1])), float(x[-1]), math.nan,
                         math.nan, True)  # fmt: skip


def _floor_window(
    w: RepWindow,
    start_i: int,
    top_end: float,
    end: float,
    end_i: int,
    end_level: float,
    ecc_speed: float,
    rest: float,
    cut: bool,
) -> RepWindow:
    start = w.bottom_end_s  # the pull's onset: the fitted end of the pause at the bottom
    lockout = max(0.0, top_end - w.end_s) if math.isfinite(top_end) else math.nan
    return RepWindow(
        start_i=start_i,
        bottom_i=max(w.bottom_i, start_i),
        end_i=end_i,
        start_s=start,
        bottom_start_s=start,
        bottom_end_s=start,
        end_s=end,
        top_level=w.end_level,
        bottom_level=w.bottom_level,
        end_level=end_level,
        eccentric_peak_speed=ecc_speed,
        concentric_peak_speed=w.concentric_peak_speed,
        top_pause_s=lockout,
        cut_at_end=cut,
        side=w.side,
        starts_at_bottom=True,
        top_start_s=w.end_s,
        top_end_s=top_end,
        floor_rest_s=rest,
    )


def _replace_top_pause(r: RepWindow, tp: float) -> RepWindow:
    """The rest from this rep's end to the next rep's start: at the top, or on the floor for a floor-start rep."""
    return replace(r, floor_rest_s=tp) if r.starts_at_bottom else replace(r, top_pause_s=tp)


class StreamingRepDetector:
    """Live rep detection with bounded memory.

    Feed raw (unsmoothed) depth samples; when a rep has clearly finished (the signal went down by at least the
    prominence and came back, and has settled), the last ``buffer_s`` seconds are smoothed zero-phase and the
    batch code finds the rep's exact boundaries. The rep is therefore reported a fraction of a second after it
    ends, with the same timing a file analysis would give. An excursion down and back within ``GLITCH_S`` is a
    tracking glitch and is ignored.

    Args:
        min_rom_deg, prominence_frac, return_frac: as in :func:`detect_reps`; the range is the running range of
            completed reps (the first rep only needs ``min_rom_deg``).
        cutoff_hz, order: the zero-phase low-pass applied to the buffer.
        buffer_s: memory; longer than any one rep plus its pauses.
        settle_s: how long the signal must stay back near standing before the rep is closed.
        resolve: find exact boundaries with the batch code (True), or only report that a rep ended, with
            approximate times from the state machine (False: for callers that re-analyse the buffer anyway).
        min_rep_s: as in :func:`detect_reps` (used when resolving).
    """

    def __init__(
        self,
        *,
        min_rom_deg: float = 20.0,
        prominence_frac: float = 0.35,
        return_frac: float = 0.65,
        cutoff_hz: float = 4.0,
        order: int = 2,
        buffer_s: float = 20.0,
        settle_s: float = 0.4,
        resolve: bool = True,
        min_rep_s: float = 0.6,
    ) -> None:
        self.min_rom_deg = min_rom_deg
        self.prominence_frac = prominence_frac
        self.return_frac = return_frac
        self.cutoff_hz = cutoff_hz
        self.order = order
        self.buffer_s = buffer_s
        self.settle_s = settle_s
        self.resolve = resolve
        self.min_rep_s = min_rep_s
        self._down_at = math.nan
        self._peak_at = math.nan
        self._t: deque[float] = deque()
        self._x: deque[float] = deque()
        self._range = 0.0
        self._low = math.inf  # lowest (standing) level since the last rep
        self._level_known = False  # the stream has covered GLITCH_S: a held level exists (see update)
        self._high = -math.inf  # deepest level in the current descent
        self._state = "top"
        self._returned_at: float | None = None
        self._ret_min = math.inf  # lowest level since the signal came back past return_frac
        self._last_end_s = -math.inf
        self._n = 0  # samples seen, to turn buffer indices into stream indices
        self.reps: list[RepWindow] = []  # completed reps (only the last few are kept)

    @property
    def in_rep(self) -> bool:
        return self._state != "top"

    def _threshold(self) -> float:
        return max(self.min_rom_deg, self.prominence_frac * self._range)

    def update(self, t_s: float, depth: float) -> RepWindow | None:
        """Add one sample; returns a rep when one has just been completed."""
        self._t.append(float(t_s))
        self._x.append(float(depth))
        self._n += 1
        while self._t and self._t[0] < t_s - self.buffer_s:
            self._t.popleft()
            self._x.popleft()
        if not math.isfinite(depth):
            return None
        thr = self._threshold()
        if self._state == "top":
            # The standing level is the lowest sample, unless it lies more than a rep's threshold below the level the
            # signal held over the last GLITCH_S: a frame or two read far below standing (the pose model's first
            # frames of a stream, before it locks on) would otherwise be the level for the whole set, every rep then
            # one long descent that never comes back to it (the same excursion length that is a glitch toward the
            # bottom, below, is one toward standing here).
            # The stream's first GLITCH_S has no held level yet: its samples are judged against the first one.
            held = self._held_level(t_s)
            if math.isfinite(held):
                new = [depth] if self._level_known else [x for x in self._x if math.isfinite(x)]
                self._low = min([self._low, *(x for x in new if x >= held - thr)])
                self._level_known = True
            if depth > self._low + thr:
                self._state = "down"
                self._high = depth
                self._down_at = t_s
                self._peak_at = t_s
        elif self._state == "down":
            if depth > self._high:
                self._peak_at = t_s
            self._high = max(self._high, depth)
            amp = self._high - self._low
            if depth <= self._high - self.return_frac * amp:
                if t_s - self._down_at < GLITCH_S:
                    # Down and back up within a glitch's time: a frame or two of bad tracking (a pose flip read
                    # 175° for one frame), not a movement. Closed as a rep it would also set the running range
                    # and with it the threshold for every later rep (then none of the real 60° reps counted).
                    self._state = "top"
                    self._high = -math.inf
                    return None
                self._state = "returning"
                self._returned_at = None
                self._ret_min = depth
        elif self._state == "returning":
            self._high = max(self._high, depth)
            amp = self._high - self._low
            self._ret_min = min(self._ret_min, depth)
            if depth > self._high - self.return_frac * amp:
                if self._ret_min <= self._low + NEW_REP_RETURN_FRAC * amp:
                    # It came back most of the way before going down again: the next rep started before the
                    # signal settled within 10 % of standing (drift, or a noise dip set the running minimum). Close
                    # this rep and follow the new descent from where it turned.
                    low = self._ret_min
                    rep = self._finish()
                    self._state, self._low, self._high = "down", low, depth
                    self._down_at = self._peak_at = t_s
                    return rep
                self._state = "down"  # went back down: a bounce, not the end
                return None
            # Wait until the rise has ended (back within 10 % of standing) and then a little longer, so the
            # buffer holds the whole concentric phase; a new descent ends the wait at once.
            if self._returned_at is None:
                if depth <= self._low + 0.1 * amp:
                    self._returned_at = t_s
            elif t_s - self._returned_at >= self.settle_s or depth > self._low + 0.2 * amp:
                return self._finish()
        return None

    def _held_level(self, t_s: float) -> float:
        """The level the signal has stayed at or above over the last ``GLITCH_S`` (the highest sample in it; NaN
        until the samples cover that long). A shorter dip below it is a tracking glitch, not a level. At a frame
        rate below 1 / ``GLITCH_S`` the window holds the newest sample alone."""
        if not self._t or self._t[0] > t_s - GLITCH_S:
            return math.nan
        held = -math.inf
        for t, x in zip(reversed(self._t), reversed(self._x), strict=True):
            if t <= t_s - GLITCH_S + 1e-6:
                break
            if math.isfinite(x):
                held = max(held, x)
        return held if math.isfinite(held) else math.nan

    def flush(self) -> RepWindow | None:
        """End of the stream: close a rep that is on its way back but has not yet settled for ``settle_s``.

        The batch code on the buffer decides whether it came back far enough to count (as :func:`detect_reps`
        would for a clip ending there); a rep still on its way down gives nothing.
        """
        if self._state == "returning":
            return self._finish()
        return None

    def _finish(self) -> RepWindow | None:
        if not self.resolve:
            return self._finish_approx()
        t = np.fromiter(self._t, dtype=np.float64)
        x = np.fromiter(self._x, dtype=np.float64)
        xs = lowpass(x, sample_rate_hz(t), self.cutoff_hz, self.order)
        # Only the part after the previous rep belongs to this one.
        keep = t > self._last_end_s
        found = detect_reps(
            np.where(keep, xs, np.nan),
            t,
            min_rom_deg=self.min_rom_deg,
            prominence_frac=self.prominence_frac,
            return_frac=self.return_frac,
            min_rep_s=self.min_rep_s,
            range_override=self._range,
            edge_hold_s=math.inf,
        )
        amp = self._high - self._low
        self._state = "top"
        self._low = float(np.nanmin(xs[-max(1, int(len(xs) * 0.05)) :])) if len(xs) else math.inf
        self._high = -math.inf
        self._returned_at = None
        if not found:
            return None
        off = self._n - len(t)
        rep = replace(
            found[-1], start_i=found[-1].start_i + off, bottom_i=found[-1].bottom_i + off, end_i=found[-1].end_i + off
        )
        self._range = max(self._range, amp)
        self._last_end_s = rep.end_s
        if self.reps and math.isnan(self.reps[-1].top_pause_s):
            self.reps[-1] = _replace_top_pause(self.reps[-1], max(0.0, rep.start_s - self.reps[-1].end_s))
        self.reps.append(rep)
        del self.reps[:-8]
        return rep

    def _finish_approx(self) -> RepWindow:
        """The state machine's own view of the rep: times are approximate (threshold crossings), indices -1."""
        amp = self._high - self._low
        end = self._t[-1]
        rep = RepWindow(
            start_i=-1,
            bottom_i=-1,
            end_i=-1,
            start_s=self._down_at,
            bottom_start_s=self._peak_at,
            bottom_end_s=self._peak_at,
            end_s=end if self._returned_at is None else self._returned_at,
            top_level=self._low,
            bottom_level=self._high,
            end_level=self._x[-1],
            eccentric_peak_speed=math.nan,
            concentric_peak_speed=math.nan,
        )
        self._range = max(self._range, amp)
        self._state = "top"
        self._low = float(self._x[-1])
        self._high = -math.inf
        self._returned_at = None
        self._last_end_s = rep.end_s
        return rep
