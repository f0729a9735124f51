"""Phase times (rise / reach, pause, lower / return) of the rendered floor clips against their exact truth.

Every rendered floor rep was done at the clip's prescribed tempo, so with that tempo as the target no tempo cue is
right, and each phase time should be near the truth's ``phase_intervals``. Two tests separate where an error comes
from (``scripts/measure_floor_tempo.py`` prints the full table; docs/metrics.md has it):

* the rep code on the exact per-frame truth of the quantity the analyzer times (no pose tracking): the phase fit
  itself. It recovers the bridge and press-up phases to the frame. On the bird-dog and dead bug the truth thigh moves
  over only about 60 % of the scripted reach (the figure's hip starts late in the phase and the arm carries the rest),
  so no timing rule on the thigh reads the scripted time: strict xfails with the measured figures;
* the analyzer on MediaPipe's poses (cached extraction, one per clip per run): within ``PHASE_TOL_S`` and no tempo cue
  on the clean bridge; the others are strict xfails with the measured figures (the thigh as above, and MediaPipe's
  landmarks lagging the bridge's rise on the over-arch clip).

``PHASE_TOL_S`` is reasoned, not fitted: the tempo rules cue a phase read under (1 - 0.35) x its target, so on the
shortest prescribed movements here (1.2 s) an error under 0.35 s keeps a correctly timed phase above that line.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers import alternating_floor as af
from formcheck.analyzers import cat_camel
from formcheck.config import Config
from formcheck.engine.registry import get_spec
from formcheck.engine.repstrategies import Cyclic
from formcheck.types import Analysis

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "analyzers"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues helper
import fc_floor_clips  # noqa: E402 - the floor exercises' rendered clips

pytestmark = [pytest.mark.integration, pytest.mark.shared]

PHASE_TOL_S = 0.35
CURVE_TOL_S = 0.05  # the phase fit on an exact minimum-jerk truth curve: a frame and a half at 30 fps
FIELDS = ("eccentric_s", "bottom_pause_s", "concentric_s")
TEMPO_FIELDS = frozenset({*FIELDS, "top_pause_s"})
THIGH = "the truth thigh moves over about 60 % of the scripted phase (the arm carries the rest): {}"
# Measured with scripts/measure_floor_tempo.py (worst |error| over the clip's reps and phases).
CURVE_XFAIL = {
    "dev_birddog_side_r_15-2-15-08": THIGH.format("0.67 s off"),
    "dev_birddog_lumbext14_obl30front_l": THIGH.format("0.54 s off"),
    "dev_deadbug_side_l_15-1-15-08": THIGH.format("0.60 s off"),
}
VIDEO_XFAIL = {
    "dev_birddog_side_r_15-2-15-08": THIGH.format("1.26 s off with MediaPipe's lag on rep 1, 4 tempo cues"),
    "dev_birddog_lumbext14_obl30front_l": THIGH.format("0.88 s off, 4 tempo cues"),
    "dev_deadbug_side_l_15-1-15-08": THIGH.format("0.74 s off with the far leg's flicker on rep 2, 3 tempo cues"),
    "dev_bridge_overarch12_side_l_12-1-12-06": "MediaPipe's body line lags the rise (stays near lying for the first "
    "half of it, then jumps; the truth curve is exact): rises read 0.47-0.78 s for 1.2 s, 2 tempo cues",
    "dev_catcamel_side_r_f40e28": "the head-trunk proxy's phases are 0.3-0.7 s off, 3 tempo cues",
    "dev_pressup_side_l_e50": "rep 1 ends 2.7 s early, inside its hold (MediaPipe's trunk dips there): 1.43 s off",
}
CLIPS = [
    "dev_bridge_side_r_15-2-15-1",
    "dev_bridge_overarch12_side_l_12-1-12-06",
    "dev_birddog_side_r_15-2-15-08",
    "dev_birddog_lumbext14_obl30front_l",
    "dev_deadbug_side_l_15-1-15-08",
    "dev_catcamel_side_r_f40e28",
    "dev_pressup_side_l_e50",
]


def _param(name: str, xfails: dict[str, str]) -> object:
    why = xfails.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=why)) if why else name


def _truth(meta: dict, phases: tuple[str, str, str]) -> list[dict[str, tuple[float, float]]]:
    reps: dict[int, dict[str, tuple[float, float]]] = {}
    for p in meta["phase_intervals"]:
        if p["phase"] in phases and p["rep"]:
            reps.setdefault(p["rep"], {})[p["phase"]] = (p["start_s"], p["end_s"])
    return [reps[k] for k in sorted(reps)]


def _errors(reps, meta: dict) -> list[float]:
    """|measured - truth| of every phase of every rep, each rep matched to the truth rep it overlaps most; an
    unknown (NaN) phase counts as infinitely wrong here (every rep of these clips is seen whole)."""
    _, phases = fc_floor_clips.REP_PHASES[meta["spec"]["kind"]]
    truth = _truth(meta, phases)
    assert len(reps) == len(truth), [(r.start_s, r.end_s) for r in reps]
    out = []
    for r in reps:
        tr = max(truth, key=lambda x: min(r.end_s, x[phases[2]][1]) - max(r.start_s, x[phases[0]][0]))
        for f, p in zip(FIELDS, phases, strict=True):
            got = float(getattr(r, f))
            out.append(abs(got - (tr[p][1] - tr[p][0])) if math.isfinite(got) else math.inf)
    return out


def _config(meta: dict) -> Config:
    """Default settings with the clip's own prescribed tempo as the target (the cat-camel's first four parts)."""
    exercise, _ = fc_floor_clips.REP_PHASES[meta["spec"]["kind"]]
    return Config().replace_exercise(exercise, target_tempo_s=tuple(float(x) for x in meta["spec"]["tempo"][:4]))


@functools.cache
def _analyse(name: str) -> tuple[Analysis, dict]:
    mp4, meta = fc_floor_clips.rendered(name)
    exercise, _ = fc_floor_clips.REP_PHASES[meta["spec"]["kind"]]
    return fc_analysis.analyse_video(get_spec(exercise), mp4, _config(meta)), meta


def _curve_windows(meta: dict) -> list:
    """The analyzer's rep strategy on the exact truth of the quantity it times (docs/metrics.md)."""
    t = np.array([f["t"] for f in meta["frames"]])

    def col(key: str) -> np.ndarray:
        return np.array([f[key] for f in meta["frames"]], dtype=np.float64)

    cfg = _config(meta)
    exercise, _ = fc_floor_clips.REP_PHASES[meta["spec"]["kind"]]
    ex = cfg.exercise_config(exercise)
    if exercise in ("bird_dog", "dead_bug"):
        rest_sign = get_spec(exercise).analyzer(cfg).family.rest_sign
        left, right = (90.0 + rest_sign * col(f"thigh_elevation_{s}_deg") for s in "LR")
        return af.strategy(cfg, exercise).batch(t, left, right)
    if exercise == "cat_camel":
        return cat_camel.strategy(ex).batch(t, col("spine_flexion_deg"))
    key = "body_line_knee_deg" if exercise == "glute_bridge" else "trunk_incl_floor_deg"
    return Cyclic(ex.min_rom_deg, ex.rep_prominence_frac).batch(t, col(key))


@pytest.mark.parametrize("name", [_param(n, CURVE_XFAIL) for n in CLIPS])
def test_rep_code_on_the_exact_truth_curve(name: str) -> None:
    _, meta = fc_floor_clips.rendered(name)
    errs = _errors(_curve_windows(meta), meta)
    assert max(errs) <= CURVE_TOL_S, np.round(errs, 2)


@pytest.mark.parametrize("name", [_param(n, VIDEO_XFAIL) for n in CLIPS])
def test_phase_times_and_no_tempo_cue_on_the_rendered_clip(name: str) -> None:
    an, meta = _analyse(name)
    errs = _errors(an.reps, meta)
    tempo_cues = [dataclasses.astuple(c)[:3] for c in an.cues if c.metric in TEMPO_FIELDS]
    assert max(errs) <= PHASE_TOL_S and not tempo_cues, (np.round(errs, 2), tempo_cues)


@pytest.mark.parametrize("source", ["truth curve", "video"])
def test_cat_camel_arched_hold_is_the_held_extension(source: str) -> None:
    """The time held in the arch (``top_pause_s``) against the truth's ``hold_extension``, not the gap to the next
    rep (the clip comes back to neutral and rests 0.4 s between reps). The rep's end (the arch's arrival) is fitted
    like every phase, so the tolerance is the phase fit's on the truth curve and ``PHASE_TOL_S`` on the video."""
    name = "dev_catcamel_side_r_f40e28"
    if source == "video":
        an, meta = _analyse(name)
        reps, tol_s = an.reps, PHASE_TOL_S
    else:
        _, meta = fc_floor_clips.rendered(name)
        reps, tol_s = _curve_windows(meta), 2 * CURVE_TOL_S
    held = [p["end_s"] - p["start_s"] for p in meta["phase_intervals"] if p["phase"] == "hold_extension"]
    assert len(reps) == len(held)
    got = [r.top_pause_s for r in reps[:-1]]  # the last rep has no next rep: not timed
    assert got == pytest.approx(held[:-1], abs=tol_s)
