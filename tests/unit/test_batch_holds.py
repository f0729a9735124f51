"""The batch summary row of a hold set (plank, side plank): its count and held seconds, and its main cue.

The sets are the synthetic floor generator's (formcheck.analyzers.floor_synth), so the truth is the script's hold
length and body line, not what the analyzer said last time.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from pathlib import Path

import pytest

from formcheck import batch
from formcheck.analyzers import plank, side_plank
from formcheck.analyzers.floor_synth import HoldSpec, plank_clip, side_plank_clip
from formcheck.config import Config

sys.path.insert(0, str(Path(__file__).parent / "analyzers"))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues helper

CFG = Config()
analyse = functools.partial(fc_analysis.analyse, cfg=CFG)
TASK = batch._Task(Path("v.mp4"), "v.mp4", Path("v.json"), Path("v.html"), Path("v.error.txt"), None, CFG, "", False)


@functools.cache
def _plank(line_deg: float, hold_s: float):
    return analyse(plank.SPEC, plank_clip(holds=[HoldSpec(hold_s=hold_s, line_deg=line_deg, sway_deg=0.5)], seed=4).seq)


@pytest.mark.parametrize(("line_deg", "hold_s"), [(-1.0, 5.0), (-12.0, 7.0)])
def test_a_plank_row_counts_its_hold_and_seconds_not_reps(line_deg: float, hold_s: float) -> None:
    an = _plank(line_deg, hold_s)
    row = batch._analysed_item(TASK, batch.STATUS_DONE, an, batch.main_cue(an, CFG), 0.0).csv_row()
    assert (row["exercise"], row["exercise_key"]) == ("Plank", "plank")
    assert row["reps"] == "" and row["holds"] == "1"  # not "0 reps" for a held plank
    assert float(row["held_s"]) == pytest.approx(hold_s, abs=0.5)  # the script's hold, within the start/end rule
    assert row["count"] == f"1 hold ({float(row['held_s']):.1f} s)"


@pytest.mark.parametrize(
    ("line_deg", "want"),
    [
        (-1.0, "nothing to correct"),  # clean: the same words as a clean rep set, not the hold's praise
        (-12.0, "Lift the hips"),  # a sag: the correction, as "focus next" says it
    ],
)
def test_a_plank_main_cue_is_its_correction_or_nothing_to_correct(line_deg: float, want: str) -> None:
    an = _plank(line_deg, 5.0)
    said = batch.main_cue(an, CFG)
    assert said.startswith(want), said
    assert not said.lower().startswith("steady hold")


def test_a_hold_the_camera_angle_cannot_judge_does_not_read_nothing_to_correct() -> None:
    an = analyse(side_plank.SPEC, side_plank_clip(holds=[HoldSpec(hold_s=5.0, line_deg=0.0)]).seq)
    side = dataclasses.replace(an, quality=dataclasses.replace(an.quality, view="side"))  # face-on is judged; side not
    assert batch.main_cue(an, CFG) == "nothing to correct"
    assert batch.main_cue(side, CFG) == "only how long you held could be judged from this camera angle"


def test_a_hold_exercise_with_no_hold_reads_0_holds() -> None:
    an = _plank(-1.0, 5.0)
    empty = dataclasses.replace(an, holds=(), cues=())
    row = batch._analysed_item(TASK, batch.STATUS_DONE, empty, "", 0.0).csv_row()
    assert (row["count"], row["reps"], row["holds"], row["held_s"]) == ("0 holds", "", "0", "0.0")
