"""Live counting of a first rep begun while the setup check runs, against the generators' truth.

A person who starts their first rep as soon as they are in the picture: the pose model finds them, or their feet come
into the frame (the setup check needs the whole body), a moment after the rep began. The live stream's detector
starts afresh then; the rep counts once the check passes when the detector followed it from a start near standing
(as the file analysis counts it), and not when the stream first saw the person half-way down or deeper. A rep the
detector followed and finished during the check counts when the check passes, announced once.

Known-truth sets: the hinge figure (:func:`formcheck.synth.hinge_clip`) and the squat figure
(:func:`formcheck.analyzers.squat_synth.squat_clip`), two reps of a 1.2-0.3-1.0-0.5 s tempo, ~0.5 px noise; what the
camera missed is made unknown (NaN) in the frames, the truth (rep count, each rep's start and depth progress ``u``)
is the generator's.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import formcheck.analyzers  # noqa: F401 - registers every exercise
from formcheck.analyzers.squat_synth import squat_clip
from formcheck.config import Config
from formcheck.engine import registry
from formcheck.engine.protocol import LiveState
from formcheck.engine.stream import OPENED_DOWN_NOTE, PHASE_SEEN_MARGIN_S
from formcheck.synth import hinge_clip
from formcheck.types import LM, Analysis, PoseSequence

CFG = Config()
TEMPO = (1.2, 0.3, 1.0, 0.5)  # lowering, bottom pause, rising, top pause (s)
N_REPS = 2
FEET = [int(i) for i in (LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX,
                         LM.RIGHT_FOOT_INDEX)]  # fmt: skip
FPS = 30.0
FRAME_S = 1.0 / FPS


def _hinge(lead_s: float) -> Any:
    return hinge_clip(n_reps=N_REPS, tempo=TEMPO, lead_in_s=lead_s, lead_out_s=1.0, fps=FPS, noise_px=0.5, seed=3)


def _squat(lead_s: float) -> Any:
    return squat_clip(n_reps=N_REPS, tempo=TEMPO, lead_in_s=lead_s, lead_out_s=1.0, fps=FPS, noise_px=0.5, seed=3)


MAKERS: dict[str, Callable[[float], Any]] = {"hinge": _hinge, "squat": _squat}


def unseen(seq: PoseSequence, before_s: float) -> PoseSequence:
    """``seq`` with nobody found (every landmark NaN) in the frames before ``before_s``."""
    lm = np.array(seq.landmarks, dtype=np.float64)
    wd = np.array(seq.world, dtype=np.float64)
    rows = seq.t_s < before_s - 1e-9
    lm[rows] = np.nan
    wd[rows] = np.nan
    return dataclasses.replace(seq, landmarks=lm, world=wd, back_contour_px=None)


def faint_feet(seq: PoseSequence, before_s: float) -> PoseSequence:
    """``seq`` with the feet reported at visibility 0.4 before ``before_s``: measured (above the 0.3 a landmark
    needs), not "clearly visible" (the 0.5 the setup check needs), as the pose model reports them the first few
    frames after it found someone (the rendered michelle clips: 0.23-0.43 rising to 0.5 in 0.2 s)."""
    lm = np.array(seq.landmarks, dtype=np.float64)
    rows = np.flatnonzero(seq.t_s < before_s - 1e-9)
    lm[np.ix_(rows, FEET, [3])] = np.minimum(lm[np.ix_(rows, FEET, [3])], 0.4)
    return dataclasses.replace(seq, landmarks=lm)


def live(name: str, seq: PoseSequence, setup_s: float | None = None) -> tuple[Analysis, list[LiveState]]:
    """The exercise's live stream fed frame by frame (setup check of ``setup_s`` when given), then finished."""
    st = registry.get_spec(name).analyzer(CFG).stream()
    if setup_s is not None:
        st.setup_s = setup_s
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        states = [st.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
                  for i in range(seq.n_frames)]  # fmt: skip
        return st.finish(), states


def batch(name: str, seq: PoseSequence) -> Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return registry.get_spec(name).analyzer(CFG).analyze(seq)


def assert_counted_once(an: Analysis, states: list[LiveState]) -> None:
    """Every counted rep announced exactly once (``new_rep``), numbered 1..n in order, none overlapping another."""
    announced = [s.new_rep for s in states if s.new_rep is not None]
    assert [r.index for r in announced] == list(range(1, len(an.reps) + 1))
    assert [r.index for r in an.reps] == list(range(1, len(an.reps) + 1))
    for a, b in zip(an.reps[:-1], an.reps[1:], strict=True):
        assert b.start_s >= a.end_s - FRAME_S
    assert states[-1].rep_count == len(an.reps)


def assert_same_reps(lv: Analysis, bt: Analysis, seen_from_s: float = -math.inf) -> None:
    """Live reps are the file analysis' reps: same count, the same times and phase times (within a frame and a half).

    A lowering the stream saw from less than ``PHASE_SEEN_MARGIN_S`` after it first saw the person (``seen_from_s``)
    is unknown live (:func:`~formcheck.engine.stream.drop_unseen_phases`: the fit needs part of the standing
    plateau), where the file analysis times it: only that one may be NaN live.
    """
    assert len(lv.reps) == len(bt.reps)
    for a, b in zip(lv.reps, bt.reps, strict=True):
        keys = ["start_s", "bottom_s", "end_s", "concentric_s"]
        if math.isfinite(a.eccentric_s) or a.start_s - PHASE_SEEN_MARGIN_S >= seen_from_s - FRAME_S:
            keys.append("eccentric_s")
        for key in keys:
            assert getattr(a, key) == pytest.approx(getattr(b, key), abs=1.5 * FRAME_S), key


def rep1_start(clip: Any) -> float:
    return float(clip.truth.t_s[np.flatnonzero(clip.truth.rep == 1)[0]])


def first_frame_at_depth(clip: Any, frac: float) -> float:
    """The first frame of rep 1 at ``frac`` of its true depth (truth ``u``, 0 standing … 1 bottom)."""
    sel = np.flatnonzero((clip.truth.rep == 1) & (clip.truth.u >= frac))
    return float(clip.truth.t_s[sel[0]])


@pytest.mark.parametrize("name", sorted(MAKERS))
@pytest.mark.parametrize(
    ("lead_s", "found_after_s", "feet_after_s"),
    # (0.3, 0.2, 0.4) is the rendered michelle clips' case: found 0.27-0.33 s into the rep, feet 0.2 s later.
    [(0.3, -0.3, 0.2), (0.8, 0.0, 0.2), (1.5, 0.2, 0.4), (0.3, 0.2, 0.4)],
)
def test_first_rep_begun_before_the_check_counts(name: str, lead_s: float, found_after_s: float, feet_after_s: float):
    # The first rep starts lead_s into the stream; the person is found (pose) found_after_s after it began (before
    # it when negative) and the feet are clearly visible feet_after_s after it began (until then the check says
    # "step back"): the setup check starts after the rep did, the detector's first samples a little way down.
    clip = MAKERS[name](lead_s)
    t1 = rep1_start(clip)
    assert t1 == pytest.approx(lead_s, abs=FRAME_S)
    found_s = max(0.0, t1 + found_after_s)
    seq = faint_feet(unseen(clip.seq, found_s), t1 + feet_after_s)
    bt = batch(name, seq)
    lv, states = live(name, seq)
    assert len(bt.reps) == N_REPS  # the truth
    assert len(lv.reps) == N_REPS
    assert lv.reps[0].start_s < t1 + feet_after_s - FRAME_S  # begun before the check did: the case under test
    assert_same_reps(lv, bt, found_s)
    assert_counted_once(lv, states)


@pytest.mark.parametrize(("name", "lead_s"), [("hinge", 0.3)])
def test_first_rep_from_standing_in_view_counts(name: str, lead_s: float):
    # Everything in view from the first frame, the first rep starting lead_s in (guard: counted before and after).
    clip = MAKERS[name](lead_s)
    bt = batch(name, clip.seq)
    lv, states = live(name, clip.seq)
    assert len(bt.reps) == len(lv.reps) == N_REPS
    assert_same_reps(lv, bt)
    assert_counted_once(lv, states)


@pytest.mark.parametrize(
    ("name", "depth_frac", "counted"),
    # Opened within 1 - return_frac (35 %) of the rep's depth from standing (the hinge's 0.3 of the figure's progress
    # reads 35.4 %: the boundary) the rep counts, its lowering time unknown; deeper it does not: live as in the file.
    # Before, the file counted the rep opened at 0.2 / 0.25 and live did not, and the squat opened at 0.25 or deeper
    # read "seated" live (its bottom), the setup check then waiting past rep 2. Not here: opened in the last ~15 % of
    # the lowering, the file takes the bottom pause that follows for a held set-up and counts its rise (live does not).
    [("hinge", 0.2, True), ("hinge", 0.5, False), ("squat", 0.25, True), ("squat", 0.5, False),
     ("squat", 0.7, False)],
)  # fmt: skip
def test_stream_opening_part_way_down_counts_the_rep_as_the_file_does(name: str, depth_frac: float, counted: bool):
    # The stream opens (the person is first found) part-way down the first rep (begun 0.3 s into the recording).
    clip = MAKERS[name](0.3)
    seq = unseen(clip.seq, first_frame_at_depth(clip, depth_frac))
    lv, states = live(name, seq)
    bt = batch(name, seq)
    assert len(lv.reps) == len(bt.reps) == N_REPS - (0 if counted else 1)
    t2 = float(clip.truth.t_s[np.flatnonzero(clip.truth.rep == 2)[0]])
    assert lv.reps[-1].start_s == pytest.approx(t2, abs=0.25)  # the next rep, seen from standing, counts in both
    if counted:  # its lowering was not seen from its start: no lowering time, live or in the file
        assert math.isnan(lv.reps[0].eccentric_s) and math.isnan(bt.reps[0].eccentric_s)
        assert math.isnan(bt.reps[0].time_under_tension_s)  # nor a time under tension (it would be too short)
        assert lv.reps[0].end_s == pytest.approx(bt.reps[0].end_s, abs=1.5 * FRAME_S)
    # A rep the detector followed and dropped is said, not silent. (The squat opened at half depth or deeper reads
    # seated there: the setup check told the person to stand, and counting began once they had, after that rep.)
    assert (OPENED_DOWN_NOTE in lv.quality.warnings) == (not counted and name == "hinge")
    assert_counted_once(lv, states)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_rep_finished_during_a_long_setup_check_counts_when_it_passes(name: str):
    # A 4 s setup check: the first rep (0.5 -> ~3.0 s, closed after settling) ends while it still runs. It counts
    # when the check passes (announced then, once), with the file analysis' times; the second rep counts as usual.
    clip = MAKERS[name](0.5)
    bt = batch(name, clip.seq)
    lv, states = live(name, clip.seq, setup_s=4.0)
    ready_i = next(i for i, s in enumerate(states) if s.ready)
    assert float(clip.truth.t_s[ready_i]) == pytest.approx(4.0, abs=FRAME_S)
    assert lv.reps[0].end_s < 4.0  # finished during the check: the case under test
    assert states[ready_i].new_rep is not None and states[ready_i].new_rep.index == 1
    assert len(bt.reps) == len(lv.reps) == N_REPS
    assert_same_reps(lv, bt)
    assert_counted_once(lv, states)


@pytest.mark.parametrize(("name", "depth_frac"), [("hinge", 0.5)])
def test_rep_seen_part_way_during_a_long_setup_check_does_not_count(name: str, depth_frac: float):
    # The same long check, the stream opening part-way down the first rep: finished during the check, its start not
    # seen: not counted when the check passes either.
    clip = MAKERS[name](0.5)
    seq = unseen(clip.seq, first_frame_at_depth(clip, depth_frac))
    lv, states = live(name, seq, setup_s=3.0)
    assert len(lv.reps) == N_REPS - 1
    assert lv.reps[0].start_s > float(clip.truth.t_s[np.flatnonzero(clip.truth.rep == 1)[-1]]) - FRAME_S
    assert_counted_once(lv, states)
