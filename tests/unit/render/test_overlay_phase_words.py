"""The overlay names the phase in the exercise's words: a bridge's hips going up are not "Lowering", and someone
on all fours between reps is not "Standing"."""

from __future__ import annotations

import pytest

from formcheck.engine import registry
from formcheck.engine.spec import HINGE_PHASES
from formcheck.render.overlay import phase_label

SPECS = {s.name: s for s in registry.specs()}
OWN_WORDS = sorted(n for n, s in SPECS.items() if s.phases != HINGE_PHASES)


@pytest.mark.parametrize("name", OWN_WORDS)
@pytest.mark.parametrize("phase", ["eccentric", "bottom", "concentric", "top"])
def test_no_hinge_words_on_other_exercises(name, phase):
    said = phase_label(phase, SPECS[name])
    assert said not in {"Lowering", "Rising", "Standing", "Pause at the bottom"} or (
        said == "Standing" and "standing" in SPECS[name].positions
    ), said


@pytest.mark.parametrize(
    ("name", "phase", "said"),
    [
        ("glute_bridge", "eccentric", "Hips up"),
        ("glute_bridge", "concentric", "Hips down"),
        ("glute_bridge", "bottom", "Hold at the top"),
        ("glute_bridge", "top", "Lying down"),
        ("bird_dog", "top", "On all fours"),
        ("dead_bug", "eccentric", "Reach"),
        ("hinge", "eccentric", "Lowering"),
        ("hinge", "top", "Standing"),
        ("plank", "hold", "Holding"),
        ("plank", "top", "Resting"),
        ("hinge", "away", "Not in view"),
    ],
)
def test_phase_words(name, phase, said):
    assert phase_label(phase, SPECS[name]) == said


def test_an_unknown_exercise_gets_the_common_words():
    assert phase_label("eccentric", None) == "Lowering" and phase_label("new_state", None) == "New_state"
