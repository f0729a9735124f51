"""The annotated video's "leg" tag is the analysis' own leg angle of that rep, never another series.

A bird-dog's (and a dead bug's) overlay once tagged "leg 94°": the larger thigh's reach from hanging (90 = hip
height), drawn beside tables that said "Leg −3°" (the moving leg's elevation above the horizontal at full reach).
Truth here is the synthetic figure's leg elevation at full reach (alternating_floor_synth), with one rep lifted
10° above hip height.
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings

import numpy as np
import pytest

from formcheck import cues as cue_engine
from formcheck.analyzers.alternating_floor_synth import AltRep, bird_dog_clip, dead_bug_clip
from formcheck.config import Config
from formcheck.engine.registry import get_spec
from formcheck.render import overlay
from formcheck.render.overlay import draw_overlay, rep_value_key
from formcheck.render.states import frame_states

CFG = Config()
TRUTH_TOL_DEG = 2.0  # the analyzer's reading of the figure (pixel noise, smoothing) against the pose's truth
LEG_TAG = re.compile(r"^leg ([+−-]?\d+)°$")


def _analyse(exercise: str, clip):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        an = get_spec(exercise).analyzer(CFG).analyze(clip.seq)
    return dataclasses.replace(an, cues=tuple(cue_engine.analysis_cues(an, CFG)))


def _tags(monkeypatch, state, exercise: str) -> list[str]:
    """The texts the overlay tags on one frame (value tags, not the counter or the banner)."""
    said: list[str] = []
    real = overlay._label
    monkeypatch.setattr(overlay, "_label", lambda img, text, *a, **k: (said.append(text), real(img, text, *a, **k)))
    draw_overlay(np.zeros((480, 640, 3), np.uint8), state, None, None, CFG, exercise)
    return said


@pytest.mark.parametrize(
    ("exercise", "make"),
    [
        ("bird_dog", lambda: bird_dog_clip(reps=[AltRep(), AltRep(leg_extra_deg=10.0)])),
        ("dead_bug", lambda: dead_bug_clip(n_reps=2)),
    ],
)
def test_the_leg_tag_is_the_reps_own_leg_angle(monkeypatch, exercise, make) -> None:
    clip = make()
    an = _analyse(exercise, clip)
    assert len(an.reps) == len(clip.truth.phases) == 2
    states = frame_states(clip.seq, an)
    t = np.array([s.t_s for s in states])
    for rep, phase, truth_deg in zip(an.reps, clip.truth.phases, clip.truth.leg_elev_deg, strict=True):
        reported = float(rep.metrics["leg_reach_deg"])
        assert abs(reported - truth_deg) <= TRUTH_TOL_DEG  # the tables' number is the figure's leg
        mid_hold = int(np.argmin(np.abs(t - 0.5 * (phase["bottom_start_s"] + phase["bottom_end_s"]))))
        tags = [m for m in map(LEG_TAG.match, _tags(monkeypatch, states[mid_hold], exercise)) if m]
        assert len(tags) == 1, tags  # one leg tag at full reach ...
        shown = float(tags[0].group(1).replace("−", "-"))
        assert shown == float(f"{reported:+.0f}") and abs(shown - truth_deg) <= TRUTH_TOL_DEG + 0.5  # ... the rep's
    # at rest before the first rep no rep is under way: no leg number at all (not a series of another quantity)
    rest = int(np.argmin(np.abs(t - 0.5 * clip.truth.phases[0]["start_s"])))
    assert not [x for x in _tags(monkeypatch, states[rest], exercise) if x.startswith("leg")]


def test_a_rep_without_a_leg_reading_tags_nothing(monkeypatch) -> None:
    clip = bird_dog_clip(n_reps=2)
    an = _analyse("bird_dog", clip)
    blind = dataclasses.replace(
        an, reps=tuple(dataclasses.replace(r, metrics={**r.metrics, "leg_reach_deg": math.nan}) for r in an.reps)
    )
    states = frame_states(clip.seq, blind)
    key = rep_value_key("leg_reach_deg")
    assert all(not math.isfinite(s.values.get(key, math.nan)) for s in states)
    p = clip.truth.phases[0]
    t = np.array([s.t_s for s in states])
    mid_hold = int(np.argmin(np.abs(t - 0.5 * (p["bottom_start_s"] + p["bottom_end_s"]))))
    assert not [x for x in _tags(monkeypatch, states[mid_hold], "bird_dog") if x.startswith("leg")]
