"""Rep segmentation on signals with known reps: counts, phase times, partial reps, pauses, gaps, streaming."""

from __future__ import annotations

import functools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.metrics.tempo import min_jerk
from formcheck.reps import StreamingRepDetector, detect_reps, person_range

sys.path.insert(0, str(Path(__file__).parent))
import fc_rep_signals  # noqa: E402 - the rep-segmentation tests' shared signal generator

FS = fc_rep_signals.FS


# The minimum-jerk profile: these tests measure the phase fit's precision on the movement shape it assumes.
rep_signal = functools.partial(fc_rep_signals.rep_signal, profile="min_jerk")


@pytest.mark.parametrize(
    "tempo",
    [(2.0, 1.0, 2.0, 1.0), (3.0, 1.0, 2.0, 1.0), (1.0, 0.0, 1.0, 0.0), (0.8, 0.3, 0.6, 0.5), (2.0, 0.5, 1.0, 2.0)],
)
def test_phase_times_within_one_frame(tempo: tuple[float, float, float, float]) -> None:
    t, x, phases = rep_signal([1.0, 0.9, 1.0], tempo)
    reps = detect_reps(x, t)
    assert len(reps) == 3
    for r, (s, bs, be, e) in zip(reps, phases, strict=True):
        assert abs(r.start_s - s) <= 1 / FS
        assert abs(r.bottom_start_s - bs) <= 1 / FS
        assert abs(r.bottom_end_s - be) <= 1 / FS
        assert abs(r.end_s - e) <= 1 / FS
        assert r.eccentric_s == pytest.approx(tempo[0], abs=1 / FS)
        assert r.concentric_s == pytest.approx(tempo[2], abs=1 / FS)
        assert r.bottom_pause_s == pytest.approx(tempo[1], abs=1 / FS)
    # Top pause between reps (the last one has no next rep: unknown).
    assert reps[0].top_pause_s == pytest.approx(tempo[3], abs=2 / FS)
    assert math.isnan(reps[-1].top_pause_s)


def test_noise_does_not_change_count_and_times_stay_close() -> None:
    t, x, phases = rep_signal([1.0] * 5)
    rng = np.random.default_rng(7)
    from formcheck.signal import lowpass

    noisy = lowpass(x + rng.normal(0, 2.0, x.size), FS, 4.0)
    reps = detect_reps(noisy, t)
    assert len(reps) == 5
    for r, (s, _, _, e) in zip(reps, phases, strict=True):
        assert abs(r.start_s - s) < 0.1 and abs(r.end_s - e) < 0.1


def test_partial_and_shallow_reps_are_not_counted() -> None:
    t, x, _ = rep_signal([1.0, 0.15, 1.0, 1.0])  # a 12° twitch between full reps
    assert len(detect_reps(x, t)) == 3


def test_clip_starting_or_ending_mid_rep() -> None:
    t, x, _ = rep_signal([1.0, 1.0, 1.0], lead_in=0.0, lead_out=0.0)
    # Cut the first half of the first rep (starts part-way down) and stop half-way through the last lowering.
    start = int(1.0 * FS)
    stop = int((2 * 6.0 + 1.0) * FS)
    reps = detect_reps(x[start:stop], t[start:stop])
    assert len(reps) == 1


@pytest.mark.parametrize("tempo", [(2.0, 1.0, 2.0, 1.0), (1.0, 0.0, 1.0, 0.5), (3.0, 1.0, 2.0, 1.0)])
@pytest.mark.parametrize("lead_in", [0.1, 0.3, 0.5, 0.8, 1.2])
def test_short_standing_before_the_first_rep_keeps_its_whole_lowering(
    tempo: tuple[float, float, float, float], lead_in: float
) -> None:
    # A clip that opens just before the first rep: the lowering's fit window must still reach back to standing.
    t, x, phases = rep_signal([1.0, 1.0], tempo, lead_in=lead_in)
    reps = detect_reps(x, t)
    assert len(reps) == 2
    for r, (s, bs, be, e) in zip(reps, phases, strict=True):
        assert abs(r.start_s - s) <= 1 / FS and abs(r.bottom_start_s - bs) <= 1 / FS
        assert abs(r.bottom_end_s - be) <= 1 / FS and abs(r.end_s - e) <= 1 / FS


@pytest.mark.parametrize("seen_before_s", [0.2, 0.5, 0.8])
def test_rep_right_after_a_gap_keeps_its_whole_lowering(seen_before_s: float) -> None:
    # The person was out of view and is back shortly before rep 3 starts (rep 2 lost in the gap).
    t, x, phases = rep_signal([1.0, 1.0, 1.0])
    x = x.copy()
    x[(t >= phases[1][0] + 1.0) & (t < phases[2][0] - seen_before_s)] = np.nan
    reps = detect_reps(x, t)
    assert len(reps) == 2
    r, (s, bs, _, e) = reps[1], phases[2]
    assert abs(r.start_s - s) <= 1 / FS and abs(r.bottom_start_s - bs) <= 1 / FS and abs(r.end_s - e) <= 1 / FS


@pytest.mark.parametrize("opened_at", [0.3, 0.5, 0.7, 0.9])
@pytest.mark.parametrize("top_pause_s", [0.3, 1.0])
def test_clip_opening_part_way_up_times_the_next_rep(opened_at: float, top_pause_s: float) -> None:
    # The clip opens during a rise (not counted); the next rep's lowering window must not reach into that rise.
    t, x, phases = rep_signal([1.0, 1.0, 1.0], (2.0, 1.0, 2.0, top_pause_s))
    keep = t >= phases[0][2] + opened_at * 2.0
    reps = detect_reps(x[keep], t[keep])
    assert len(reps) == 2
    for r, (s, bs, be, e) in zip(reps, phases[1:], strict=True):
        assert abs(r.start_s - s) <= 1 / FS and abs(r.bottom_start_s - bs) <= 1 / FS
        assert abs(r.bottom_end_s - be) <= 1 / FS and abs(r.end_s - e) <= 1 / FS


def test_clip_opening_in_a_held_bottom_position_counts_its_first_rise() -> None:
    # Deadlift from the floor: the clip starts in the set-up (bottom, still), rises, then normal reps.
    t, x, _ = rep_signal([1.0, 1.0], lead_in=1.5)
    head_t = np.arange(0, 3.0, 1 / FS)
    head = np.where(head_t < 1.0, 85.0, 5.0 + 80.0 * (1 - min_jerk((head_t - 1.0) / 1.5)))
    x2 = np.r_[head, x]
    t2 = np.arange(x2.size) / FS
    reps = detect_reps(x2, t2)
    assert len(reps) == 3
    assert reps[0].from_bottom and math.isnan(reps[0].eccentric_s)
    assert reps[0].concentric_s == pytest.approx(1.5, abs=0.05)
    # Without the hold (the clip just catches the end of a rise) it is not counted.
    no_hold = np.r_[head[int(1.0 * FS) + 5 :], x]
    assert len(detect_reps(no_hold, np.arange(no_hold.size) / FS)) == 2


def test_pause_mid_descent_is_one_rep() -> None:
    t = np.arange(0, 10, 1 / FS)
    x = np.full_like(t, 5.0)
    x[(t >= 1) & (t < 2)] = 5 + 40 * min_jerk(t[(t >= 1) & (t < 2)] - 1)
    x[(t >= 2) & (t < 3)] = 45
    x[(t >= 3) & (t < 4)] = 45 + 40 * min_jerk(t[(t >= 3) & (t < 4)] - 3)
    x[(t >= 4) & (t < 5)] = 85
    x[(t >= 5) & (t < 7)] = 85 - 80 * min_jerk((t[(t >= 5) & (t < 7)] - 5) / 2)
    reps = detect_reps(x, t)
    assert len(reps) == 1
    assert reps[0].start_s < 1.5  # the start is the first descent, not the one after the pause


def test_gap_splits_signal_and_walk_out() -> None:
    t, x, _ = rep_signal([1.0] * 4)
    x = x.copy()
    x[int(8.0 * FS) : int(9.0 * FS)] = np.nan  # person out of view across rep 2's bottom
    reps = detect_reps(x, t)
    assert len(reps) == 3


def test_bounce_at_bottom_is_one_rep() -> None:
    t, x, _ = rep_signal([1.0, 1.0])
    bump = (t > 3.6) & (t < 4.0)
    x = x.copy()
    x[bump] -= 8 * np.sin(np.pi * (t[bump] - 3.6) / 0.4)
    assert len(detect_reps(x, t)) == 2


def test_person_range_and_no_motion() -> None:
    t = np.arange(0, 5, 1 / FS)
    x = 5 + 0.5 * np.sin(t)
    assert person_range(x) < 2
    assert detect_reps(x, t) == []
    assert detect_reps(np.full(10, np.nan), np.arange(10) / FS) == []


def test_prominence_relative_to_own_range() -> None:
    # A shallow mover (30° reps) is counted; their 8° fidgets are not.
    t, x, _ = rep_signal([1.0, 0.27, 1.0], amp=30.0)
    assert len(detect_reps(x, t, min_rom_deg=20.0)) == 2


@pytest.mark.parametrize("noise", [0.0, 1.5])
def test_streaming_matches_batch(noise: float) -> None:
    t, x, _ = rep_signal([1.0, 0.9, 1.0, 1.0])
    x = x + np.random.default_rng(2).normal(0, noise, x.size)
    from formcheck.signal import lowpass

    batch = detect_reps(lowpass(x, FS, 4.0), t)
    det = StreamingRepDetector(buffer_s=12.0)
    live = [r for r in (det.update(tt, v) for tt, v in zip(t, x, strict=True)) if r is not None]
    assert len(live) == len(batch) == 4
    for a, b in zip(live, batch, strict=True):
        assert abs(a.start_s - b.start_s) < 0.1 and abs(a.end_s - b.end_s) < 0.1
        assert abs(a.bottom_start_s - b.bottom_start_s) < 0.1 and abs(a.bottom_end_s - b.bottom_end_s) < 0.1
    assert len(det.reps) == 4 and det.reps[0].top_pause_s == pytest.approx(batch[0].top_pause_s, abs=0.1)


@pytest.mark.parametrize("resolve", [True, False])
def test_streaming_ignores_a_one_frame_glitch(resolve: bool) -> None:
    # One frame of bad tracking (a pose flip reads 175°) before the set must neither count nor raise the running
    # range, which would lift the threshold above the real 80° reps.
    t, x, phases = rep_signal([1.0, 1.0, 1.0])
    x = x.copy()
    x[int(0.5 * FS)] = 175.0
    det = StreamingRepDetector(buffer_s=12.0, resolve=resolve)
    live = [r for r in (det.update(tt, v) for tt, v in zip(t, x, strict=True)) if r is not None]
    assert len(live) == 3
    for r, (s, _, _, e) in zip(live, phases, strict=True):
        assert r.start_s < e and r.end_s > s  # each rep found is the true rep (approximate times when unresolved)
