"""The annotated video's cue track against the reps' own windows: a rep's cue is never shown over another rep.

Made-up reps with known windows (start, turn, end) and rests between them from none to 4 s; the analysis gives each rep
its cues (rep 2 rounds its back). Truth: the rep windows and what the analysis gives each rep. And a rep's feedback
is never shown before what it measures is over: made-up sets where only one kind of cue fires (a lowering, pause or
rise too fast, a form fault), against the phase windows the reps were made with.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.config import Config
from formcheck.cues import analysis_cues, frame_interval_s, usable_rep_cues
from formcheck.render import cue_track, frame_states
from formcheck.render.states import MIN_FEEDBACK_SHOW_S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from fc_report_builders import make_analysis, make_sequence, rep_plan  # noqa: E402

CFG = Config()
TEMPO = (1.0, 0.4, 0.8)  # lowering, pause, rising (s): the turn is 1 s into each rep
RESTS_S = (0.0, 0.3, 1.0, 4.0)  # between reps; 4 s is longer than the display time (the control)


def track_for(rest_s: float, tempo: tuple[float, float, float] = TEMPO, faults=None):
    faults = {2: {"spine_flexion_est_deg": 20.0}} if faults is None else faults
    reps = rep_plan(4, faults, tempo=(*tempo, rest_s))
    an = make_analysis(reps)
    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    seq = make_sequence(an)
    states = frame_states(seq, an)
    return an, np.asarray(seq.t_s), cue_track(states, an, CFG)


def given(an, rep) -> set[str]:
    """What the analysis gives a rep: its filed cues and the ones it earned (a repeat may go unfiled)."""
    usable = usable_rep_cues(rep, an.quality, CFG, an.exercise, frame_interval_s(an))
    return {c.code for c in an.cues if c.rep_index == rep.index} | {c.code for c in usable}


def measured_by(rep, cue) -> float:
    """When what ``cue`` measures of ``rep`` is over, from the phase windows the rep was made with (lowering, pause,
    rising in that order): the lowering's end, the pause's end, else (the rise, a form fault) the rep's end."""
    lowered = rep.start_s + rep.eccentric_s
    return {"eccentric_s": lowered, "bottom_pause_s": lowered + rep.bottom_pause_s}.get(cue.metric, rep.end_s)


@pytest.mark.parametrize("rest_s", RESTS_S)
def test_no_frame_of_a_rep_shows_another_reps_cue(rest_s):
    an, t, track = track_for(rest_s)
    wrong = []
    for rep in an.reps:
        inside = np.nonzero((t >= rep.start_s) & (t <= rep.end_s))[0]
        for i in inside:
            c = track[i]
            if c is None or c.code.startswith("setup."):
                continue
            if (c.rep_index is not None and c.rep_index != rep.index) or (
                c.rep_index is None and c.code not in given(an, rep)
            ):
                wrong.append((round(float(t[i]), 2), rep.index, c.code, c.rep_index))
    assert not wrong, f"{len(wrong)} frames show another rep's cue, first {wrong[:3]}"


@pytest.mark.parametrize("rest_s", RESTS_S)
def test_each_reps_feedback_still_reaches_the_screen_for_as_long_as_there_is_time(rest_s):
    an, t, track = track_for(rest_s)
    frame_s = 1 / 30
    reps = sorted(an.reps, key=lambda r: r.start_s)
    for rep, nxt in zip(reps, [*reps[1:], None], strict=True):
        top = min((c for c in an.cues if c.rep_index == rep.index), key=lambda c: (c.priority, c.code))
        next_s = nxt.start_s if nxt is not None else t[-1] + frame_s
        window = (t >= rep.start_s) & (t < next_s)  # its own rep and the rest after it
        shown_s = sum(frame_s for i in np.nonzero(window)[0] if track[i] is not None and track[i].code == top.code)
        # the time there is: from the end of what it measures to the next rep; after the last rep, until the video ends
        there_s = next_s - measured_by(rep, top) if nxt is not None else next_s - rep.end_s
        assert shown_s >= min(CFG.cues.min_display_s, there_s) - 2 * frame_s, (rep.index, top.code)


@pytest.mark.parametrize("rest_s", RESTS_S)
def test_a_reps_feedback_is_shown_no_longer_than_the_display_time(rest_s):
    an, t, track = track_for(rest_s)
    keys = [None if c is None or c.rep_index is None else (c.code, c.rep_index) for c in track]
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] is not None:
                runs.append(t[i - 1] - t[start] + 1 / 30)
            start = i
    assert runs and max(runs) <= CFG.cues.min_display_s + 1 / 30 + 1e-9


def test_with_a_long_rest_the_feedback_comes_after_the_rep_as_before():
    an, t, track = track_for(4.0)
    for rep in an.reps:
        first = next(i for i, c in enumerate(track) if c is not None and c.rep_index == rep.index)
        assert t[first] >= rep.end_s
        end = int(np.searchsorted(t, rep.end_s))
        if track[end - 1] is None:  # the screen is free when the rep ends: shown at once
            assert t[first] < rep.end_s + 1 / 30 + 1e-9


# Sets where every rep gets one kind of cue only: (lowering, pause, rising) s (targets 3, 1, 2 s), metrics, the code.
ONE_CUE_SETS = {
    "lowering too fast": ((1.0, 1.0, 2.0), {}, "tempo.eccentric_fast"),
    "no pause": ((3.0, 0.2, 2.0), {}, "tempo.no_pause"),
    "rising too fast": ((3.0, 1.0, 0.8), {}, "tempo.concentric_fast"),
    "heels lift": ((3.0, 1.0, 2.0), {"heel_lift_frac": 0.3}, "heel.lift"),
    "back rounds": ((3.0, 1.0, 2.0), {"spine_flexion_est_deg": 20.0}, "spine.rounding"),
}


@pytest.mark.parametrize("rest_s", RESTS_S)
@pytest.mark.parametrize("name", ONE_CUE_SETS)
def test_a_reps_feedback_is_never_shown_before_what_it_measures_is_over(name, rest_s):
    tempo, metrics, code = ONE_CUE_SETS[name]
    an, t, track = track_for(rest_s, tempo, {i: metrics for i in range(1, 5)})
    assert {c.code for c in an.cues if c.severity != "praise"} == {code}  # the set is what it says
    reps = {r.index: r for r in an.reps}
    early = [
        (round(float(ti), 2), c.rep_index, round(measured_by(reps[c.rep_index], c), 2))
        for ti, c in zip(t, track, strict=True)
        if c is not None and c.rep_index is not None and ti < measured_by(reps[c.rep_index], c) - 1e-9
    ]
    assert not early, f"{len(early)} frames show a rep's feedback before its phase is over, first {early[:3]}"
    # ... and still shown for the time there is: from then to the next rep (after the last, until the video ends);
    # under MIN_FEEDBACK_SHOW_S there is not time to read it, and it is not flashed at all
    frame_s = 1 / 30
    ordered = sorted(an.reps, key=lambda r: r.start_s)
    for rep, nxt in zip(ordered, [*ordered[1:], None], strict=True):
        next_s = nxt.start_s if nxt is not None else t[-1] + frame_s
        there_s = next_s - max(measured_by(rep, an.cues[0]), t[0])
        shown_s = frame_s * sum(c is not None and c.rep_index == rep.index for c in track)
        if there_s < MIN_FEEDBACK_SHOW_S - 1e-9:
            assert shown_s == 0, (rep.index, shown_s, there_s)
        else:
            assert shown_s >= min(CFG.cues.min_display_s, there_s) - 2 * frame_s, (rep.index, shown_s, there_s)
