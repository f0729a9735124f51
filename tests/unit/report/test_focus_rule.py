"""The one thing to work on next, as a physio picks it (acceptance check, a physio's eyes).

A lunge paused 0.0 s at the bottom on all 6 reps, yet its focus was "Lower for 2 s … (rep 5)" (a higher-priority
tempo cue seen once): the focus went by cue priority, then rep count. The rule now: a safety fault first; then the
fault seen in the most reps; priority only breaks ties. Every reader (CLI focus next, batch main_cue, the reports'
headline and plain text, the app's advice for the next set) picks with the same rule.

A side plank's focus said "nothing to correct in what was measured" above its hold's "Steady the hold … swayed
6.2°": the focus never says "nothing to correct" when a correction was given.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from formcheck.batch import main_cue
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.report.content import (
    focus_next_text,
    headline,
    nothing_to_correct_text,
    patient_summary,
    top_correction,
)
from formcheck.types import Cue, Hold
from formcheck.ui.live_view import next_set_advice

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_report_builders import CLEAN_TEMPO, make_analysis, make_rep  # noqa: E402

CFG = Config()
FAST = 1.0  # s of lowering: under the hinge's 0.65 × 3 s (tempo.eccentric_fast, priority 40)
NO_PAUSE = 0.0  # s at the bottom: under 0.65 × 1 s (tempo.no_pause, priority 41)
ROUNDED = {"spine_flexion_est_deg": 40.0}  # spine.rounding, safety, priority 10


def _set(plan: list[tuple[float, float, dict[str, float]]]):
    """Reps from (lowering s, bottom pause s, metric overrides); the set's cues as the analysis makes them."""
    reps, t = [], 1.0
    for i, (ecc, bot, metrics) in enumerate(plan, start=1):
        r = make_rep(i, t, (ecc, bot, CLEAN_TEMPO[2], CLEAN_TEMPO[3]), **metrics)
        reps.append(r)
        t = r.end_s + CLEAN_TEMPO[3]
    an = make_analysis(reps)
    return dataclasses.replace(an, cues=analysis_cues(an, CFG))


CASES = {
    # the lunge: no pause on every rep, too fast a lowering once -> the pause (6 reps beat priority 40 on 1)
    "most reps beat priority": (
        [(3.0, NO_PAUSE, {})] * 4 + [(FAST, NO_PAUSE, {})] + [(3.0, NO_PAUSE, {})],
        "tempo.no_pause", [1, 2, 3, 4, 5, 6],
    ),
    # the dead bug: the pause short on 6 of 7 reps, the reach fast on 2
    "six of seven beat two": (
        [(3.0, 1.0, {})] + [(FAST, NO_PAUSE, {})] + [(3.0, NO_PAUSE, {})] * 3 + [(FAST, NO_PAUSE, {})]
        + [(3.0, NO_PAUSE, {})],
        "tempo.no_pause", [2, 3, 4, 5, 6, 7],
    ),
    "safety first, even on one rep": (
        [(3.0, NO_PAUSE, {})] * 2 + [(3.0, NO_PAUSE, ROUNDED)] + [(3.0, NO_PAUSE, {})] * 2,
        "spine.rounding", [3],
    ),
    "equal counts: priority breaks the tie": (
        [(FAST, 1.0, {}), (3.0, NO_PAUSE, {}), (FAST, 1.0, {}), (3.0, NO_PAUSE, {})],
        "tempo.eccentric_fast", [1, 3],
    ),
}  # fmt: skip


@pytest.mark.parametrize(("plan", "code", "reps"), list(CASES.values()), ids=list(CASES))
def test_every_reader_picks_safety_then_most_reps(plan, code: str, reps: list[int]) -> None:
    an = _set(plan)
    top = top_correction(an, CFG)
    assert top is not None and (top[0].code, top[1]) == (code, reps)
    msg = top[0].message
    assert focus_next_text(an, CFG).startswith(msg)  # CLI "focus next" and the history's verdict
    assert main_cue(an, CFG).startswith(msg)  # batch summary
    assert headline(an, CFG)[1] == msg  # the reports' headline
    assert any(p.startswith(f"The one thing to work on next: {msg}") for p in patient_summary(an, CFG))
    # the app's advice for the next set: the same correction (its amount is its own: the latest rep's)
    assert next_set_advice(list(an.cues))[0].startswith(msg.split(" — ")[0])


def _with(an, cues: list[Cue], holds: tuple[Hold, ...] = ()):
    return dataclasses.replace(an, cues=tuple(an.cues) + tuple(cues), holds=holds)


HOLD = Hold(index=1, start_s=30.0, end_s=42.0, in_band_s=11.5)
SWAY = Cue("plank.sway", "info", "Steady the hold: brace the belly — the hips swayed 6.2°", 35, t_s=36.0)
CUT = Cue("view.body_cut", "warn", "Step back so head to feet fit in the picture", 4, metric="full_body_fraction")
STEADY = Cue("praise.clean", "praise", "Steady hold: sway 0.9°", 90, t_s=36.0)


@pytest.mark.parametrize(
    ("extra", "holds", "said"),
    [
        ([SWAY], (HOLD,), SWAY.message),  # the side plank: a hold's info correction, reps clean
        ([CUT], (), CUT.message),  # a set-level correction
        ([SWAY, CUT], (HOLD,), SWAY.message),  # the hold's own before the set's
        ([STEADY], (HOLD,), "nothing to correct"),  # praise is not a correction
    ],
    ids=["hold correction", "set correction", "hold before set", "hold praise"],
)
def test_nothing_to_correct_only_when_no_correction_was_given(extra, holds, said: str) -> None:
    an = _with(_set([(3.0, 1.0, {})] * 3), extra, holds)
    assert top_correction(an, CFG) is None  # no rep earned one
    assert nothing_to_correct_text(an, CFG) == said
    assert focus_next_text(an, CFG) == said
    assert headline(an, CFG)[1] == said or said == "nothing to correct"
    patient = patient_summary(an, CFG)
    assert not any(p.startswith("Nothing to correct") for p in patient) or said == "nothing to correct", patient
    if SWAY in extra:  # the side plank: the hold's correction is the patient's one thing to work on
        assert f"The one thing to work on next: {SWAY.message}." in patient


@pytest.mark.parametrize(
    ("pauses", "said"),
    [
        # the dead bug's "Pause at full extension for 1 s — that one was 0.5 s (reps 2, 3, 4, 5, 6 and 7)" over
        # pauses of 0.3-0.5 s: the amount covers the reps the focus names
        (
            [0.3, 0.5, 0.4, 0.3, 0.5, 0.45],
            "Pause 1 s at the bottom — those were 0.30–0.50 s (reps 1, 2, 3, 4, 5 and 6)",
        ),
        ([0.0, 0.0, 0.0], "Pause 1 s at the bottom — those were 0.00 s (reps 1, 2 and 3)"),
        ([1.0, 0.3, 1.0], "Pause 1 s at the bottom — that one was 0.30 s (rep 2)"),  # one rep: its own time
    ],
)
def test_a_focus_on_several_reps_quotes_their_times(pauses: list[float], said: str) -> None:
    an = _set([(3.0, p, {}) for p in pauses])
    assert focus_next_text(an, CFG) == said
    assert main_cue(an, CFG) == said
    msg = said.rsplit(" (", 1)[0]
    assert headline(an, CFG)[1] == msg
    assert any(p.startswith(f"The one thing to work on next: {msg}") for p in patient_summary(an, CFG))
