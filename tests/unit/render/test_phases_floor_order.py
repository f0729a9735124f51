"""A rep timed rise first (a lift from the floor) is drawn in its own order: overlay phases and tempo bars.

Known truth: a floor rep from 1.0 s, pull 1.5 s, lockout 0.5 s, lowering 2.0 s, then 1.0 s on the floor before the
next pull; a standing rep keeps lowering, pause at the bottom, rising (issue 10, item 9).
"""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import Config
from formcheck.render.states import frame_states, rep_phases
from formcheck.report.plots import tempo_figure
from formcheck.reps import LOWER_FIRST, PHASE_ORDER_KEY, RISE_FIRST
from formcheck.types import Rep

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from fc_report_builders import make_analysis, make_rep, make_sequence  # noqa: E402


def floor_rep(index: int, start_s: float, rest_s: float = 1.0) -> Rep:
    """Pull 1.5 s, lockout 0.5 s, lowering 2.0 s; ``rest_s`` on the floor afterwards (NaN: the last rep)."""
    base = make_rep(index=index, start_s=start_s)
    return dataclasses.replace(
        base, bottom_s=start_s, end_s=start_s + 4.0, concentric_s=1.5, top_pause_s=0.5, eccentric_s=2.0,
        bottom_pause_s=rest_s, time_under_tension_s=4.0, metrics={**base.metrics, PHASE_ORDER_KEY: RISE_FIRST},
    )  # fmt: skip


def test_a_floor_rep_whose_lowering_was_not_timed_shows_the_lockout_not_a_lowering() -> None:
    # The recording ends before the final lowering could be timed (lockout and lowering unknown): after the pull
    # the overlay says "top" (the lockout) to the rep's end, never "lowering" over the lockout.
    rep = dataclasses.replace(floor_rep(1, 1.0, rest_s=math.nan), end_s=7.0, top_pause_s=math.nan,
                              eccentric_s=math.nan, time_under_tension_s=math.nan)  # fmt: skip
    assert rep_phases(rep) == [("concentric", 1.0, 2.5), ("top", 2.5, 7.0)]


def test_floor_rep_phases_in_time_order() -> None:
    ph = rep_phases(floor_rep(1, 1.0))
    expected = [("concentric", 1.0, 2.5), ("top", 2.5, 3.0), ("eccentric", 3.0, 5.0), ("bottom", 5.0, 6.0)]
    assert [p[0] for p in ph] == [p[0] for p in expected]
    for (_, a, b), (_, ea, eb) in zip(ph, expected, strict=True):
        assert a == pytest.approx(ea) and b == pytest.approx(eb)
    assert [p[0] for p in rep_phases(floor_rep(2, 6.0, rest_s=math.nan))] == ["concentric", "top", "eccentric"]


def test_standing_rep_phases_unchanged() -> None:
    rep = make_rep(start_s=1.0)  # 3-1-2-1
    rep = dataclasses.replace(rep, metrics={**rep.metrics, PHASE_ORDER_KEY: LOWER_FIRST})
    assert [(p, round(a, 3), round(b, 3)) for p, a, b in rep_phases(rep)] == [
        ("eccentric", 1.0, 4.0), ("bottom", 4.0, 5.0), ("concentric", 5.0, 7.0)]  # fmt: skip


def test_overlay_states_follow_the_floor_rep() -> None:
    reps = [floor_rep(1, 1.0), floor_rep(2, 6.0, rest_s=math.nan)]
    an = make_analysis(reps)
    states = frame_states(make_sequence(an), an)
    at = {round(s.t_s, 2): s.phase for s in states}
    assert at[2.0] == "concentric" and at[2.7] == "top" and at[4.0] == "eccentric" and at[5.5] == "bottom"
    assert at[7.0] == "concentric" and at[9.0] == "eccentric"
    # before the first pull: setting up at the bar ("Get set"), not "Standing"; after the last lowering: resting
    first, last = min(at), max(at)
    assert first < 1.0 and at[first] == "setup"
    assert last > 10.0 and at[last] == "bottom", (last, at[last])


def test_tempo_bars_in_time_order() -> None:
    an = make_analysis([floor_rep(1, 1.0), make_rep(index=2, start_s=8.0)])
    ax = tempo_figure(an, Config()).axes[0]
    bars = [(round(p.get_y() + p.get_height() / 2, 2), p.get_x(), p.get_width(), p.get_facecolor()) for p in ax.patches]
    by_row: dict[float, list] = {}
    for y, x, w, c in bars:
        by_row.setdefault(y, []).append((x, w, c))
    rows = [sorted(v) for _, v in sorted(by_row.items(), reverse=True)]  # target, rep 1, rep 2 (top to bottom)
    target, floor, standing = rows
    colour = {round(w, 2): c for _, w, c in target}  # 3 s lowering, 2 s rising: each phase's colour
    assert [round(w, 2) for _, w, _ in floor] == [1.5, 0.5, 2.0, 1.0]  # rising, top, lowering, rest
    assert floor[0][2] == colour[2.0] and floor[2][2] == colour[3.0]  # rising drawn in rising's colour, first
    assert [round(w, 2) for _, w, _ in standing] == [3.0, 1.0, 2.0, 1.0]


@pytest.mark.parametrize("n_reps", [1, 2, 5])
def test_the_rep_shown_never_exceeds_the_count(n_reps: int) -> None:
    # A floor set of n reps (pull 1.5 s, lockout 0.5 s, lowering 2 s, 1 s on the floor between reps), the recording
    # going on 1 s past the last lowering: the overlay shows "Rep k" (reps finished + 1) in a rep's phases. The
    # final rest on the floor is the last rep's pause ("Rep n / Pause"), never rep n + 1 (deadlift_side_jf9ss9_2
    # showed "Rep 6 / Pause" after its 5 reps); each rest between reps is the pause of the rep before it.
    reps = [floor_rep(k + 1, 1.0 + 5.0 * k, rest_s=1.0 if k + 1 < n_reps else math.nan) for k in range(n_reps)]
    an = make_analysis(reps)
    states = frame_states(make_sequence(an), an)
    shown = [(s.t_s, s.phase, s.rep_count + 1) for s in states if s.phase in ("eccentric", "bottom", "concentric")]
    assert max(n for _, _, n in shown) == n_reps
    last = states[-1]
    assert last.t_s > reps[-1].end_s and last.phase == "bottom" and last.rep_count + 1 == n_reps
    for k in range(n_reps - 1):  # mid-rest after rep k + 1: that rep's pause
        s = min(states, key=lambda s: abs(s.t_s - (reps[k].end_s + 0.5)))
        assert s.phase == "bottom" and s.rep_count + 1 == k + 1
    # the count of finished reps still reaches n (the set's total)
    assert max(s.rep_count for s in states) >= n_reps - 1 and states[-1].new_rep is None


def test_walking_off_after_the_last_lowering_shows_every_rep_done() -> None:
    # Out of view in the final rest on the floor the overlay prints "{rep_count} reps": all of them (review: the
    # rest's "rep in progress" count showed one fewer, "4 reps" after 5).
    reps = [floor_rep(1, 1.0), floor_rep(2, 6.0, rest_s=math.nan)]
    an = make_analysis(reps)
    seq = make_sequence(an)
    lm = np.array(seq.landmarks, dtype=np.float64)
    gone = np.asarray(seq.t_s) > reps[-1].end_s + 0.3
    lm[gone] = np.nan
    states = frame_states(dataclasses.replace(seq, landmarks=lm), an)
    away = [s for s in states if s.t_s > reps[-1].end_s + 0.3]
    assert away and all(s.phase == "away" and s.rep_count == 2 for s in away)
