"""Issue 10's done-when, per rendered body, against the rendered truth: the hinge's back rounding and class on the
three development bodies (``soldier`` in ``../shared/synthetic``, ``michelle`` and ``xbot`` in
``../shared/synthetic_bodies``).

Each clip is extracted once per run through formcheck's pose cache (``cached_extract``, as
``test_hinge_synthetic.py`` does; the soldier's clips are shared with it) in a module fixture, then analysed with the
default config. What a body reaches is asserted; a done-when target a body does not reach yet is a strict xfail whose
reason gives the measured figure (so reaching it turns the test red until the xfail is removed). The evaluation
itself is ``scripts/eval_hinge_bodies.py`` (run it for the full per-clip tables, docs/metrics.md §8.5).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.shared]

REPO = Path(__file__).resolve().parents[2]


def _eval_module() -> Any:
    spec = importlib.util.spec_from_file_location("eval_hinge_bodies", REPO / "scripts" / "eval_hinge_bodies.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_hinge_bodies"] = mod
    spec.loader.exec_module(mod)
    return mod


EV = _eval_module()
BODIES = ("soldier", "michelle", "xbot")


@pytest.fixture(scope="module")
def stats() -> dict[str, dict[str, float]]:
    clips = EV.clips_by_body()
    if not all(clips.get(b) for b in BODIES):
        pytest.skip("shared rendered bodies (../shared/synthetic, ../shared/synthetic_bodies) not present")
    res = EV.run(list(BODIES))
    EV.print_tables(res)
    return {b: EV.body_stats(cl) for b, cl in res.items()}


def _xfail(body: str, why: str) -> Any:
    return pytest.param(body, marks=pytest.mark.xfail(strict=True, reason=why))


# -- no back-rounding cue on a clean rep (true spinal flexion < 10°, side views) -----------------------------------
@pytest.mark.parametrize(
    "body",
    [
        "soldier",
        _xfail(
            "michelle",
            "measured 2 of 13 clean reps cued: her arms-at-chest clip reads 18-20° for 6° true. Cause: its standing "
            "baseline (outline bend -59° vs -32 to -42° on her arms-hanging clips; MediaPipe's standing mid-hip 0.14 "
            "trunk lengths below the true hip vs 0.24-0.32 with hanging arms, so another stretch of the back is "
            "traced); every outline check passes. No gate for it is chosen leave-one-body-out, and reading a stretch "
            "anchored on her own outline (from the buttocks' apex) does worse held out: 7 of 13 (docs/metrics.md "
            "§8.5.1)",
        ),  # fmt: skip
        "xbot",
    ],
)
def test_no_rounding_cue_on_a_clean_rep(stats: dict[str, dict[str, float]], body: str) -> None:
    assert stats[body]["clean_rounding_cues"] == 0, stats[body]


def test_clean_rounding_cues_reached(stats: dict[str, dict[str, float]]) -> None:
    # What is reached today (issue 10 measured 16 of 17 on a second body before this work).
    assert stats["michelle"]["clean_rounding_cues"] <= 2


# -- rounding found on reps with >= 25° true spinal flexion ---------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        "soldier",
        "michelle",
        _xfail(
            "xbot",
            "0 of 4 found: its standing outline scatters 13-18° (MediaPipe's shoulder point jumps along its trunk; the"
            " mask is steady): not read. A temporal envelope does not help: the outline of this mannequin does not"
            " follow its spine even in the true trunk frame (docs/metrics.md §8.5.2)",
        ),
    ],
)
def test_rounding_found(stats: dict[str, dict[str, float]], body: str) -> None:
    assert stats[body]["rounded_found"] == stats[body]["rounded_reps"] > 0, stats[body]


# -- per-rep class >= 90 % right (side views) -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    ["soldier", "michelle", _xfail("xbot", "17 of 20 (85 %): its stoops read as hinges when the back is not read")],
)
def test_class_right(stats: dict[str, dict[str, float]], body: str) -> None:
    s = stats[body]
    assert s["class_right"] >= 0.9 * s["reps"], s


def test_class_reached_on_xbot(stats: dict[str, dict[str, float]]) -> None:
    assert stats["xbot"]["class_right"] >= 0.85 * stats["xbot"]["reps"]


# -- rank correlation of the estimate with the true spinal flexion >= 0.8 --------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        _xfail("soldier", "Spearman 0.70 (15 of 23 reps are 5-7° true, which no outline method can order)"),
        "michelle",
        _xfail("xbot", "only 3 of 20 reps estimated (all 6° true): no rank correlation (§8.5.2)"),
    ],
)
def test_rank_correlation(stats: dict[str, dict[str, float]], body: str) -> None:
    assert stats[body]["spearman"] >= 0.8, stats[body]


def test_rank_correlation_reached(stats: dict[str, dict[str, float]]) -> None:
    assert stats["soldier"]["spearman"] >= 0.65
    assert stats["michelle"]["spearman"] >= 0.8


# -- "can't tell" instead of a number: unread reps never get a safety cue ------------------------------------------
def test_reps_estimated(stats: dict[str, dict[str, float]]) -> None:
    # Every soldier rep and most of michelle's are read; the X Bot's flickering outline mostly is not.
    assert stats["soldier"]["estimated_reps"] == stats["soldier"]["reps"]
    assert stats["michelle"]["estimated_reps"] >= 16
    assert stats["xbot"]["estimated_reps"] <= 6


# -- body-relative thresholds: no form correction on a clean rep ----------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        "soldier",
        _xfail(
            "michelle",
            "7 of 10 clean reps: gaze.up on 5 (neck 14-44° for 0 true: the head points sit on the hair and "
            "headphones and slide down as she bends), tone.shoulders_up on 1 of them, the chest clip's rounding "
            "on 2; no head-point gate generalises (docs/metrics.md §6.1)",
        ),  # fmt: skip
        _xfail(
            "xbot",
            "5 of 11 clean reps: gaze.up on 3 (side_r, neck 21-24° for 0 true: no face, the head points turn ~20° "
            "against the head), tone.shoulders_up on 2 (side_l: the ears jump while standing); no head-point gate "
            "generalises (docs/metrics.md §6.1)",
        ),  # fmt: skip
    ],
)
def test_no_form_correction_on_a_clean_rep(stats: dict[str, dict[str, float]], body: str) -> None:
    assert stats[body]["clean_corrections_all_views"] == 0, stats[body]
