"""Dead bug against the synthetic generator's truth (analyzers.alternating_floor_synth).

Lying on the back, the figure lowers one arm overhead while the opposite leg straightens from the tabletop, by
joint angles on their own profiles; the elevations and the side the analyzer reports are measured on the figure
as truth. The alternating machinery itself (sides from the legs, alternation, flicker, opening rep) is tested
on the bird-dog (tests/unit/analyzers/test_analyzer_bird_dog.py): both exercises share it.
"""

from __future__ import annotations

import functools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers import dead_bug
from formcheck.analyzers.alternating_floor_synth import DEAD_BUG, AltRep, dead_bug_clip
from formcheck.config import Config
from formcheck.engine.registry import get_spec

sys.path.insert(0, str(Path(__file__).parent))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues helper

CFG = Config()
PHASE_TOL_S = 0.1
ANGLE_TOL_DEG = 1.0

analyse = functools.partial(fc_analysis.analyse, dead_bug.SPEC, cfg=CFG)
codes = fc_analysis.cue_codes


@pytest.mark.parametrize(
    ("reps", "first", "facing", "fps"),
    [
        ([AltRep()] * 3, "right", 1.0, 30.0),
        ([AltRep()] * 2, "left", -1.0, 30.0),
        ([AltRep(hold_s=0.5, reach_s=1.0), AltRep(hold_s=2.0, return_s=2.5), AltRep()], "left", 1.0, 24.0),
    ],
)
def test_reps_sides_holds_and_extension_match_truth(reps, first: str, facing: float, fps: float) -> None:
    clip = dead_bug_clip(reps=reps, first_arm=first, facing=facing, fps=fps)
    an = analyse(clip.seq)
    tr = clip.truth
    assert an.quality.position == "supine"
    assert len(an.reps) == len(reps)
    for r, p, side, arm, leg, hold in zip(an.reps, tr.phases, tr.arm_side, tr.arm_elev_deg, tr.leg_elev_deg,
                                          tr.hold_s, strict=True):  # fmt: skip
        assert r.side == side
        assert abs(r.start_s - p["start_s"]) <= PHASE_TOL_S and abs(r.end_s - p["end_s"]) <= PHASE_TOL_S
        assert abs(r.hold_s - hold) <= PHASE_TOL_S
        assert abs(r.metrics["arm_reach_deg"] - arm) <= ANGLE_TOL_DEG
        assert abs(r.metrics["leg_reach_deg"] - leg) <= ANGLE_TOL_DEG


@pytest.mark.parametrize(
    ("rep", "want", "not_want"),
    [
        (AltRep(), set(), {"dead_bug.hips_lift", "dead_bug.trunk_tilt", "dead_bug.trunk_length", "dead_bug.leg_short"}),
        (AltRep(hip_shift_m=0.06), {"dead_bug.hips_lift"}, {"dead_bug.leg_short"}),
        (AltRep(leg_extra_deg=-45.0), {"dead_bug.leg_short"}, {"dead_bug.hips_lift"}),
        (AltRep(reach_s=0.6, return_s=0.6, hold_s=0.3), {"dead_bug.extend_fast", "dead_bug.return_fast",
                                                          "dead_bug.short_hold"}, set()),
    ],
)  # fmt: skip
def test_fault_cues(rep: AltRep, want: set[str], not_want: set[str]) -> None:
    got = codes(analyse(dead_bug_clip(reps=[rep, rep]).seq))
    assert want <= got and not (not_want & got), got
    if not want:
        assert "praise.clean" in got


def test_hips_lifting_is_measured_in_trunk_lengths() -> None:
    an = analyse(dead_bug_clip(reps=[AltRep(hip_shift_m=0.04)] * 2).seq)
    trunk_m = float(np.hypot(*(DEAD_BUG.shoulder - DEAD_BUG.hip)))
    for r in an.reps:
        assert r.metrics["hip_shift_pct"] == pytest.approx(100 * 0.04 / trunk_m, abs=1.5)


def test_csv_report_and_cli_show_the_dead_bugs_own_measures() -> None:
    from formcheck.cli import format_rep_table
    from formcheck.report.content import rep_headers
    from formcheck.report.tabular import csv_text

    an = analyse(dead_bug_clip(n_reps=2).seq)
    header = csv_text(an, CFG).splitlines()[0]
    spec = get_spec("dead_bug")
    for m in spec.metric_specs("csv", "rep"):
        assert m.key in header or m.short in header or m.label in header, m.key
    headers = " ".join(rep_headers(an))
    assert "Leg" in headers and "Trunk length" in headers
    for bad in ("hip_share", "spine_flexion_est", "com_max_pct_foot", "Hip share", "Back rounding"):
        assert bad not in header and bad not in headers, bad
    assert "hip share" not in format_rep_table(an, CFG).lower()


def test_no_trunk_claim_without_the_trunk() -> None:
    # Shoulders and arms (11-22) unknown: the leg is still measured (hip to ankle), the trunk is not. The trunk is
    # a judged value, so the rep was not fully checked: no "clean" praise at all (cues.judged_all), and nothing
    # said about the trunk.
    an = analyse(fc_analysis.without_trunk(dead_bug_clip(reps=[AltRep()] * 2).seq))
    assert an.reps and all(not math.isfinite(r.metrics.get("trunk_tilt_change_deg", math.nan)) for r in an.reps)
    assert all(math.isfinite(float(r.metrics["leg_reach_deg"])) for r in an.reps)
    assert not [c.message for c in an.cues if c.code == "praise.clean" or "trunk" in c.message.lower()]
