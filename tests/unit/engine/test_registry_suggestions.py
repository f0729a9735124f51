"""An unknown exercise name suggests the analyzer it probably means (``deadlift`` → ``hinge``)."""

from __future__ import annotations

import pytest

from formcheck.engine.registry import ALIASES, get_spec, names, resolve_name, suggestions
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


@pytest.mark.parametrize(
    ("typed", "key"),
    [("hinge", "hinge"), ("Hip hinge", "hinge"), ("hip  HINGE ", "hinge"), ("lunge / split squat", "lunge"),
     ("Glute bridge", "glute_bridge"), ("auto", "auto"), ("deadlift", "deadlift")],
)  # fmt: skip
def test_a_title_resolves_to_its_key_and_anything_else_is_left_to_get_spec(typed: str, key: str) -> None:
    # The messages name exercises by title ("choose Hip hinge to get its checks"), so a title is accepted as input.
    assert resolve_name(typed) == key


def test_every_title_resolves_to_its_own_exercise() -> None:
    for name in names():
        assert resolve_name(get_spec(name).title) == name
        assert resolve_name(get_spec(name).title.upper()) == name


def test_the_cli_takes_a_title_for_exercise(tmp_path, capsys) -> None:
    from formcheck.cli import main
    from formcheck.io.cache import save_pose_cache

    path = tmp_path / "bridge.npz"
    save_pose_cache(get_spec("glute_bridge").synth(n_reps=2, facing=1, fps=30.0, seed=1).seq, path)
    out = tmp_path / "a.json"
    assert main(["analyze", str(path), "--exercise", "Glute bridge", "--quiet", "--json", str(out)]) == 0
    assert '"exercise": "glute_bridge"' in out.read_text()
