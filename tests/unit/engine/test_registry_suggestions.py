"""An unknown exercise name suggests the analyzer it probably means (``deadlift`` → ``hinge``)."""

from __future__ import annotations

import pytest

from formcheck.engine.registry import ALIASES, get_spec, names, suggestions
from formcheck.errors import UsageError


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("deadlift", "hinge"), ("Deadlifts", "hinge"), ("RDL", "hinge"), ("good morning", "hinge"),
     ("kettlebell-swing", "hinge"), ("sqat", "squat"), ("squats", "squat"), ("split squat", "lunge"),
     ("bridge", "glute_bridge"), ("plnk", "plank"), ("cat cow", "cat_camel"), ("birddog", "bird_dog")],
)  # fmt: skip
def test_unknown_name_suggests_the_analyzer(typed: str, meant: str) -> None:
    assert suggestions(typed)[0] == meant
    with pytest.raises(UsageError) as e:
        get_spec(typed)
    assert f"Did you mean '{meant}'" in (e.value.hint or "") and "Available:" in (e.value.hint or "")


@pytest.mark.parametrize("typed", ["xyz", "push up", "bench press"])
def test_nothing_close_suggests_nothing(typed: str) -> None:
    assert suggestions(typed) == []
    with pytest.raises(UsageError) as e:
        get_spec(typed)
    assert "Did you mean" not in (e.value.hint or "")


def test_aliases_point_at_registered_exercises() -> None:
    assert set(ALIASES.values()) <= set(names())
    assert not set(ALIASES) & set(names())  # an alias never shadows a real name
