"""Each exercise declares the words for its rep phases (ExerciseSpec.phases), and they fit the exercise."""

from __future__ import annotations

import pytest

from formcheck.engine import registry
from formcheck.engine.spec import HINGE_PHASES, PHASE_KEYS, PhaseWords

SPECS = {s.name: s for s in registry.specs()}
HINGE_WORDS = {"lowering", "rising", "pause at the bottom", "pause at the top"}

# What happens first in each exercise's rep (Rep.eccentric_s), from the analyzers' docstrings.
FIRST_PHASE = {
    "hinge": "lowering",
    "squat": "lowering",
    "lunge": "lowering",
    "glute_bridge": "hips up",
    "dead_bug": "reach",
    "bird_dog": "reach",
    "cat_camel": "rounding the back",
    "pallof_press": "pressing out",
    "side_bend": "bending",
    "trunk_rotation": "turning",
    "prone_extension": "pressing up",
    "side_plank": "reaching",
}


def test_every_registered_exercise_is_in_the_table():
    assert set(SPECS) == set(FIRST_PHASE) | {"plank"}


@pytest.mark.parametrize("name", sorted(FIRST_PHASE))
def test_the_first_phase_is_what_the_body_does_first(name):
    assert SPECS[name].phases.name("eccentric_s") == FIRST_PHASE[name]


@pytest.mark.parametrize("name", sorted(n for n, s in SPECS.items() if s.reference != "standing"))
def test_only_the_standing_lifts_use_the_hinge_words(name):
    """A bridge, a dead bug, a cat-camel ... neither lower first nor rest standing."""
    words = SPECS[name].phases
    assert not HINGE_WORDS & set(words.names), words.names
    assert words.rest != "standing" or "standing" in SPECS[name].positions


@pytest.mark.parametrize("name", sorted(SPECS))
def test_column_titles_are_distinct(name):
    """Two phases with one column title ("Hold s" twice) would read as the same number."""
    cols = SPECS[name].phases.columns
    assert len(set(cols)) == len(cols)


def test_a_plank_has_no_rep_phases():
    words = SPECS["plank"].phases
    assert not words.has_reps and words.name("eccentric_s") == "" and words.state("top") == "resting"


def test_the_bridge_words():
    words = SPECS["glute_bridge"].phases
    assert [words.name(k) for k in PHASE_KEYS] == ["hips up", "hold at the top", "hips down", "rest"]
    assert words.state("eccentric") == "hips up" and words.state("concentric") == "hips down"
    assert words.state("top") == "lying down" and words.order == "up-hold-down-rest"


def test_the_default_is_the_hinge():
    assert HINGE_PHASES.order == "lower-pause-rise-top" and HINGE_PHASES.state("top") == "standing"
    assert HINGE_PHASES.state("away") == "" and HINGE_PHASES.column("hold_s") == ""


@pytest.mark.parametrize("names", [("a", "b", "c"), ("a", "b", "c", "d", "e")])
def test_four_phases_or_none(names):
    with pytest.raises(ValueError, match="4 words"):
        PhaseWords(names=names, columns=names)
