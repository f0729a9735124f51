import argparse
import json
import pickle
import re
import tomllib
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import Field, ValidationError

from formcheck import config as config_module
from formcheck.config import (
    DEFAULT_TOML,
    Config,
    CueConfig,
    ExerciseConfig,
    default_toml,
    exercise_config_models,
    exercise_defaults,
    load_config,
    parse_tempo,
    register_exercise_config,
)
from formcheck.errors import ConfigError


def write(tmp_path, text, name="c.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def registry(monkeypatch):
    """A private copy of the exercise registry: registrations made by a test vanish after it."""
    monkeypatch.setattr(config_module, "_EXERCISES", dict(config_module._EXERCISES))
    monkeypatch.setattr(config_module, "_EXERCISE_NAMES", dict(config_module._EXERCISE_NAMES))


class DemoConfig(ExerciseConfig):
    """Demo exercise for registration tests."""

    hold_s: float = Field(2.0, ge=0, le=30, description="s held at the top")


# -- the commented TOML and the models --------------------------------------------------------------------------


def test_default_toml_is_generated_from_the_models():
    # The shipped file is what 'formcheck config' prints; after changing a model, regenerate it with
    # `.venv/bin/python -m formcheck.config > formcheck/default_config.toml`.
    assert DEFAULT_TOML.read_text(encoding="utf-8") == default_toml()


def test_default_toml_has_every_section_and_key_with_the_default_values():
    data = tomllib.loads(DEFAULT_TOML.read_text(encoding="utf-8"))
    cfg = Config()
    assert set(data) == {"pose", "signal", "body", "cues", "review", "exercise"}
    for sec in ("pose", "signal", "body", "cues", "review"):
        assert set(data[sec]) == set(type(getattr(cfg, sec)).model_fields), sec
    assert set(data["exercise"]) == set(exercise_config_models()) == set(cfg.exercise)
    for name, model in exercise_config_models().items():
        assert set(data["exercise"][name]) == set(model.model_fields), name
    assert load_config(DEFAULT_TOML) == cfg


def test_every_field_has_a_description_for_the_toml_comment():
    models = [type(getattr(Config(), s)) for s in ("pose", "signal", "body", "cues", "review")]
    for model in [*models, *exercise_config_models().values()]:
        missing = [n for n, f in model.model_fields.items() if not f.description]
        assert not missing, (model.__name__, missing)


@pytest.mark.parametrize("name", sorted(exercise_config_models()))
def test_exercise_setting_descriptions_are_plain_words(name):
    """The descriptions show in the report's settings table and the app: no "RMS", no "-> cue" shorthand, no
    sentence cut short ("above which not")."""
    for field, info in exercise_config_models()[name].model_fields.items():
        said = info.description or ""
        for word in ("RMS", "->", "→", "about its trend", "above which not"):
            assert word not in said, (name, field, said)


def test_default_toml_lines_fit_the_line_length():
    assert max(len(line) for line in default_toml().splitlines()) <= 120


# -- values and ranges ------------------------------------------------------------------------------------------


def test_user_file_overrides_some_values(tmp_path):
    p = write(
        tmp_path, "[exercise.hinge]\nspine_rounding_deg = 8\nmidfoot_band_pct = [25, 65]\n[body]\nheight_cm = 182\n"
    )
    cfg = load_config(p)
    hinge = cfg.exercise_config("hinge")
    assert hinge.spine_rounding_deg == 8.0
    assert hinge.midfoot_band_pct == (25.0, 65.0)
    assert isinstance(hinge.midfoot_band_pct, tuple)
    assert cfg.body.height_cm == 182.0
    assert hinge.min_rom_deg == exercise_defaults("hinge").min_rom_deg == 20.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # the example: a negative rounding threshold used to be accepted
        ("[exercise.hinge]\nspine_rounding_deg = -3\n",
         "Config value exercise.hinge.spine_rounding_deg must be greater than 0 (got -3)."),
        ("[exercise.hinge]\nspine_rounding_deg = 91.5\n",
         "Config value exercise.hinge.spine_rounding_deg must be at most 90 (got 91.5)."),
        ("[exercise.hinge]\nspine_rounding_deg = 'a lot'\n",
         "Config value exercise.hinge.spine_rounding_deg must be a number (got 'a lot')."),
        ("[exercise.hinge]\nspine_rounding_deg = nan\n",
         "Config value exercise.hinge.spine_rounding_deg must be a finite number (got nan)."),
        ("[exercise.hinge]\nmin_rom_deg = 0\n",
         "Config value exercise.hinge.min_rom_deg must be greater than 0 (got 0)."),
        ("[exercise.hinge]\ntempo_tolerance_frac = 1\n",
         "Config value exercise.hinge.tempo_tolerance_frac must be less than 1 (got 1)."),
        ("[exercise.hinge]\nrep_prominence_frac = -0.1\n",
         "Config value exercise.hinge.rep_prominence_frac must be greater than 0 (got -0.1)."),
        ("[exercise.hinge]\nfoot_index_frac = 0.2\n",
         "Config value exercise.hinge.foot_index_frac must be at least 0.3 (got 0.2)."),
        ("[exercise.hinge]\nload_excess_cm = -1\n",
         "Config value exercise.hinge.load_excess_cm must be at least 0 (got -1)."),
        ("[exercise.hinge]\ntarget_tempo_s = [3, -1, 2, 1]\n",
         "Config value exercise.hinge.target_tempo_s must be seconds, each at least 0 (got [3, -1, 2, 1])."),
        ("[exercise.hinge]\ntarget_tempo_s = [3, 1, 2]\n",
         "Config value exercise.hinge.target_tempo_s must be a list of 4 numbers (got [3, 1, 2])."),
        ("[exercise.hinge]\nmidfoot_band_pct = [60, 30]\n",
         "Config value exercise.hinge.midfoot_band_pct must be [low, high] with 0 <= low < high <= 100 "
         "(got [60, 30])."),
        ("[exercise.hinge]\nmidfoot_band_pct = [30, 120]\n",
         "Config value exercise.hinge.midfoot_band_pct must be [low, high] with 0 <= low < high <= 100 "
         "(got [30, 120])."),
        ("[exercise.hinge]\nmidfoot_band_pct = [30]\n",
         "Config value exercise.hinge.midfoot_band_pct must be a list of 2 numbers (got [30])."),
        ("[pose]\nnum_poses = 0\n", "Config value pose.num_poses must be at least 1 (got 0)."),
        ("[pose]\nnum_poses = 2.0\n", "Config value pose.num_poses must be a whole number (got 2.0)."),
        ("[pose]\nmin_detection_confidence = 1.5\n",
         "Config value pose.min_detection_confidence must be at most 1 (got 1.5)."),
        ("[pose]\nmask_scale = 0\n", "Config value pose.mask_scale must be greater than 0 (got 0)."),
        ("[pose]\nsegmentation = 1\n", "Config value pose.segmentation must be true or false (got 1)."),
        ("[pose]\nmodel_path = 3\n", "Config value pose.model_path must be text (got 3)."),
        ("[signal]\nlowpass_hz = 0\n", "Config value signal.lowpass_hz must be greater than 0 (got 0)."),
        ("[body]\nheight_cm = 20\n", "Config value body.height_cm must be at least 80 (got 20)."),
        ("[body]\nload_kg = -5\n", "Config value body.load_kg must be at least 0 (got -5)."),
        ("[body]\nsex = 'other'\n", "Config value body.sex must be 'female' or 'male' (got 'other')."),
        ("[cues]\nhysteresis_frac = 1.0\n", "Config value cues.hysteresis_frac must be less than 1 (got 1.0)."),
        ("[cues]\nrepeat_after_reps = 0\n", "Config value cues.repeat_after_reps must be at least 1 (got 0)."),
        ("[cues]\nview_person_min_frac = 1.2\n", "Config value cues.view_person_min_frac must be at most 1 (got 1.2)."),
        ("[review]\nmax_upload_mb = 0\n", "Config value review.max_upload_mb must be at least 1 (got 0)."),
    ],
)  # fmt: skip
def test_out_of_range_and_mistyped_values_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, text))
    assert str(exc.value) == message
    assert exc.value.__cause__ is None and exc.value.__suppress_context__  # no pydantic traceback chained


def test_every_bad_value_of_a_file_is_reported_at_once(tmp_path):
    text = "[exercise.hinge]\nspine_rounding_deg = -3\nmin_rom_deg = 0\n"
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, text))
    assert "exercise.hinge.spine_rounding_deg must be greater than 0" in str(exc.value)
    assert "exercise.hinge.min_rom_deg must be greater than 0" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[exercise.hinge]\nspine_rounding = 8\n",
         "Unknown config key exercise.hinge.spine_rounding; check the spelling against 'formcheck config'."),
        ("[pose]\nposes = 2\n", "Unknown config key pose.poses; check the spelling against 'formcheck config'."),
        # (was [exercise.squat], an exercise of its own now)
        ("[exercise.no_such]\nmin_rom_deg = 10\n", "Unknown exercise 'no_such' in the config; known: "),
        ("[posture]\nx = 1\n",
         "Unknown config section [posture]; known: pose, signal, body, cues, review, exercise.<name>."),
        ("pose = 3\n", "Config section [pose] must be a table, got 3."),
        ("exercise = 3\n", "Config section [exercise] must be a table, got 3."),
        ("[exercise]\nhinge = 3\n", "Config section [exercise.hinge] must be a table, got 3."),
        ("hinge = 3\n", "Config section [hinge] must be a table, got 3."),
        ("[hinge\n", "is not valid TOML"),
    ],
)  # fmt: skip
def test_unknown_keys_and_sections(tmp_path, text, message):
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, text))
    assert message in str(exc.value)


def test_missing_file():
    with pytest.raises(ConfigError, match="does not exist"):
        load_config("/nonexistent/formcheck.toml")


def test_a_bad_model_constructed_in_code_is_a_config_error_too():
    with pytest.raises(ConfigError, match=r"^Config value pose.num_poses must be at most 4 \(got 9\)\.$"):
        config_module.PoseConfig(num_poses=9)
    with pytest.raises(ConfigError, match=r"^Config value exercise.hinge.spine_rounding_deg must be greater than 0"):
        type(exercise_defaults("hinge"))(spine_rounding_deg=-3)
    with pytest.raises(ConfigError, match=r"exercise.hinge.spine_rounding_deg must be greater than 0"):
        Config(exercise={"hinge": {"spine_rounding_deg": -3}})


# -- exercise sections ------------------------------------------------------------------------------------------


def test_config_holds_one_model_per_registered_exercise():
    cfg = Config()
    models = exercise_config_models()
    assert "hinge" in models
    assert set(cfg.exercise) == set(models)
    for name, model in models.items():
        assert type(cfg.exercise_config(name)) is model
        assert cfg.exercise_config(name) == model()
    assert cfg.exercise_config(" Hinge ") is cfg.exercise_config("hinge")


def test_unknown_exercise_name_is_a_config_error():
    with pytest.raises(ConfigError, match="Unknown exercise 'no_such_exercise'"):
        Config().exercise_config("no_such_exercise")
    with pytest.raises(ConfigError, match="Unknown exercise 'no_such_exercise'"):
        Config().replace_exercise("no_such_exercise", min_rom_deg=10)


def test_every_exercise_model_has_the_shared_settings():
    shared = {"target_tempo_s", "tempo_tolerance_frac", "min_rom_deg", "rep_prominence_frac"}
    assert set(ExerciseConfig.model_fields) == shared
    for model in exercise_config_models().values():
        assert shared <= set(model.model_fields)


def test_an_exercise_registered_after_a_config_was_made_gets_defaults(registry):
    before = Config()
    register_exercise_config("demo", DemoConfig)
    assert before.exercise_config("demo") == DemoConfig()
    assert before.exercise_config("demo").hold_s == 2.0
    changed = before.replace_exercise("demo", hold_s=4)
    assert changed.exercise_config("demo").hold_s == 4.0
    assert changed.exercise_config("hinge") == before.exercise_config("hinge")
    assert "demo" in Config().exercise  # configs made after registration list it


def test_an_exercise_registered_after_load_is_loaded_from_files(registry, tmp_path):
    p = write(tmp_path, "[exercise.demo]\nhold_s = 5\nmin_rom_deg = 15\n")
    with pytest.raises(ConfigError, match="Unknown exercise 'demo'"):
        load_config(p)
    register_exercise_config("demo", DemoConfig)
    cfg = load_config(p)
    assert cfg.exercise_config("demo") == DemoConfig(hold_s=5, min_rom_deg=15)
    with pytest.raises(ConfigError, match=r"^Config value exercise.demo.hold_s must be at most 30 \(got 31\)\.$"):
        load_config(write(tmp_path, "[exercise.demo]\nhold_s = 31\n", "bad.toml"))
    # the shared ranges hold for every exercise, not just the hinge
    with pytest.raises(ConfigError, match=r"^Config value exercise.demo.min_rom_deg must be greater than 0"):
        load_config(write(tmp_path, "[exercise.demo]\nmin_rom_deg = -1\n", "bad2.toml"))


def test_register_refuses_mistakes(registry):
    with pytest.raises(TypeError):
        register_exercise_config("demo", dict)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        register_exercise_config("demo", ExerciseConfig)
    with pytest.raises(ValueError, match="lowercase identifier"):
        register_exercise_config("Demo Ex", DemoConfig)
    register_exercise_config("demo", DemoConfig)
    register_exercise_config("demo", DemoConfig)  # the same model again: fine (module reload)

    class OtherConfig(ExerciseConfig):
        """Another model."""

    with pytest.raises(ValueError, match="already registered"):
        register_exercise_config("demo", OtherConfig)


# -- old files --------------------------------------------------------------------------------------------------

OLD_FILE = """\
[hinge]
spine_rounding_deg = 8.0
target_tempo_s = [2.0, 0.5, 2.0, 0.5]

[cues]
min_display_s = 3.0
load_excess_cm = 6.5
load_min_time_s = 0.4
hip_back_min_cm = 7.0
min_bend_deg = 25.0
shin_forward_deg = 15.0
live_load_margin_pct = 10.0
"""


def test_old_layout_still_loads_and_maps_to_exercise_hinge(tmp_path):
    with pytest.warns(FutureWarning, match=r"old config layout.*\[hinge\] -> \[exercise.hinge\].*cues.load_excess_cm"):
        cfg = load_config(write(tmp_path, OLD_FILE))
    hinge = cfg.exercise_config("hinge")
    assert hinge.spine_rounding_deg == 8.0
    assert hinge.target_tempo_s == (2.0, 0.5, 2.0, 0.5)
    expected = {"load_excess_cm": 6.5, "load_min_time_s": 0.4, "hip_back_min_cm": 7.0, "min_bend_deg": 25.0,
                "shin_forward_deg": 15.0, "live_load_margin_pct": 10.0}  # fmt: skip
    assert set(expected) == set(type(hinge).legacy_cue_keys)
    assert {k: getattr(hinge, k) for k in expected} == expected
    assert cfg.cues.min_display_s == 3.0  # a cue-engine setting stays in [cues]
    assert cfg == load_config(write(tmp_path, NEW_FILE, "new.toml")) != Config()


# OLD_FILE rewritten by hand in the new layout: the truth the mapping must reproduce.
NEW_FILE = """\
[exercise.hinge]
spine_rounding_deg = 8.0
target_tempo_s = [2.0, 0.5, 2.0, 0.5]
load_excess_cm = 6.5
load_min_time_s = 0.4
hip_back_min_cm = 7.0
min_bend_deg = 25.0
shin_forward_deg = 15.0
live_load_margin_pct = 10.0

[cues]
min_display_s = 3.0
"""


def test_new_layout_gives_no_warning(tmp_path, recwarn):
    load_config(write(tmp_path, NEW_FILE))
    assert not [w for w in recwarn if issubclass(w.category, FutureWarning)]


def test_old_and_new_layout_disagreeing_is_refused(tmp_path):
    text = "[hinge]\nspine_rounding_deg = 8.0\n[exercise.hinge]\nspine_rounding_deg = 9.0\n"
    with pytest.raises(ConfigError, match=r"^Config value exercise.hinge.spine_rounding_deg is given twice"):
        load_config(write(tmp_path, text))
    same = "[cues]\nload_excess_cm = 7.0\n[exercise.hinge]\nload_excess_cm = 7.0\n"
    with pytest.warns(FutureWarning):
        assert load_config(write(tmp_path, same, "same.toml")).exercise_config("hinge").load_excess_cm == 7.0


def test_the_moved_keys_are_not_cue_settings_any_more():
    cfg = load_config(None, {"exercise.hinge": {"load_excess_cm": 6.5}})
    assert not hasattr(cfg.cues, "load_excess_cm") and not hasattr(cfg, "hinge")
    assert "load_excess_cm" not in cfg.cues.model_dump()
    with pytest.raises(ConfigError, match="Unknown config key cues.load_excess_cm"):
        CueConfig(load_excess_cm=6.0)
    # code written against the old layout is told where the key went, and nothing is changed
    with pytest.raises(ConfigError, match=r"^Config value cues.load_excess_cm moved to \[exercise.hinge\]; use "):
        cfg.replace("cues", load_excess_cm=8.0, min_display_s=1.0)
    with pytest.raises(ConfigError, match=r"Unknown config section \[hinge\] \(use replace_exercise"):
        cfg.replace("hinge", spine_rounding_deg=10)


class OldLayoutConfig(ExerciseConfig):
    """An exercise that had its own table and two keys in [cues] in an older version."""

    legacy_section: ClassVar[str] = "old_demo"
    legacy_cue_keys: ClassVar[tuple[str, ...]] = ("demo_gap_cm", "demo_hold_s")

    demo_gap_cm: float = Field(4.0, ge=0, le=50, description="cm")
    demo_hold_s: float = Field(1.0, ge=0, le=10, description="s")


def test_any_exercise_declares_its_old_layout_in_its_own_model(registry, tmp_path):
    register_exercise_config("demo2", OldLayoutConfig)
    old = "[old_demo]\nmin_rom_deg = 15\n[cues]\ndemo_gap_cm = 7\nmin_display_s = 3.0\n"
    with pytest.warns(FutureWarning, match=r"\[old_demo\] -> \[exercise.demo2\]; cues.demo_gap_cm -> exercise.demo2"):
        cfg = load_config(write(tmp_path, old))
    assert cfg.exercise_config("demo2") == OldLayoutConfig(min_rom_deg=15, demo_gap_cm=7)
    assert cfg.cues.min_display_s == 3.0
    assert cfg.exercise_config("hinge") == exercise_defaults("hinge")  # nothing leaks into another exercise
    with pytest.raises(ConfigError, match=r"use replace_exercise\('demo2', \.\.\.\)"):
        cfg.replace("cues", demo_hold_s=2.0)


def _layout(section, cue_keys, fields):
    """A model class with that old layout and those float settings."""
    notes = {"legacy_section": ClassVar[str], "legacy_cue_keys": ClassVar[tuple[str, ...]]}
    ns = {"__doc__": "Stand-in.", "__module__": __name__, "legacy_section": section, "legacy_cue_keys": cue_keys}
    for f in fields:
        notes[f], ns[f] = float, Field(1.0, description="x")
    return type("Layout", (ExerciseConfig,), {**ns, "__annotations__": notes})


@pytest.mark.parametrize(
    ("section", "cue_keys", "fields", "message"),
    [
        ("cues", (), (), "not a free top-level table name"),
        ("exercise", (), (), "not a free top-level table name"),
        ("exercise.x", (), (), "not a free top-level table name"),
        ("Old Demo", (), (), "not a free top-level table name"),
        ("old_demo", (), (), "already claimed by another exercise"),  # demo2's
        ("", ("min_display_s",), ("min_display_s",), r"which \[cues\] or another exercise uses"),  # a cue setting
        ("", ("demo_gap_cm",), ("demo_gap_cm",), r"which \[cues\] or another exercise uses"),  # demo2's
        ("", ("demo_gap_cm",), (), "which is not one of its settings"),
    ],
)
def test_an_ambiguous_old_layout_is_refused_at_registration(registry, section, cue_keys, fields, message):
    register_exercise_config("demo2", OldLayoutConfig)
    with pytest.raises(ValueError, match=message):
        register_exercise_config("demo3", _layout(section, cue_keys, fields))
    assert "demo3" not in exercise_config_models()
    register_exercise_config("demo3", _layout("older_demo", ("other_cm",), ("other_cm",)))  # a free layout is fine


# -- overrides --------------------------------------------------------------------------------------------------


def test_overrides_win_over_file(tmp_path):
    p = write(tmp_path, "[body]\nload_kg = 10\nbody_kg = 80\n")
    cfg = load_config(p, {"body": {"load_kg": 16}})
    assert (cfg.body.load_kg, cfg.body.body_kg) == (16.0, 80.0)


@pytest.mark.parametrize(
    "overrides",
    [
        {"exercise.hinge": {"spine_rounding_deg": 9}},
        {"exercise": {"hinge": {"spine_rounding_deg": 9}}},
        {"hinge": {"spine_rounding_deg": 9}},  # the old shape, as the CLI used to pass it: any registered name
    ],
)
def test_exercise_overrides_in_every_shape(tmp_path, overrides):
    p = write(tmp_path, "[exercise.hinge]\nspine_rounding_deg = 7\nmin_rom_deg = 25\n")
    hinge = load_config(p, overrides).exercise_config("hinge")
    assert hinge.spine_rounding_deg == 9.0  # the override wins ...
    assert hinge.min_rom_deg == 25.0  # ... and the file's other values stay


def test_overrides_are_validated():
    with pytest.raises(ConfigError, match=r"^Config value exercise.hinge.spine_rounding_deg must be greater than 0"):
        load_config(None, {"exercise.hinge": {"spine_rounding_deg": -1}})
    with pytest.raises(ConfigError, match="Unknown exercise 'no_such_exercise'"):  # was squat (registered now)
        load_config(None, {"exercise.no_such_exercise": {"min_rom_deg": 10}})
    with pytest.raises(ConfigError, match=r"Unknown config section \[bodies\]"):
        load_config(None, {"bodies": {"load_kg": 1}})


def test_cli_tempo_sets_the_named_exercise_or_every_exercise(registry):
    from formcheck.cli import _config_from_args

    register_exercise_config("demo", DemoConfig)
    args = argparse.Namespace(tempo="2-0-2-0", exercise="hinge", config=None, model=None)
    cfg = _config_from_args(args)
    assert cfg.exercise_config("hinge").target_tempo_s == (2.0, 0.0, 2.0, 0.0)
    assert cfg.exercise_config("demo").target_tempo_s == DemoConfig().target_tempo_s
    everyone = _config_from_args(argparse.Namespace(tempo="2-0-2-0", exercise=None, config=None, model=None))
    assert {n: everyone.exercise_config(n).target_tempo_s for n in everyone.exercise} == {
        n: (2.0, 0.0, 2.0, 0.0) for n in everyone.exercise
    }
    # an unknown --exercise is left to the analyzer lookup (which lists the exercises)
    unknown = _config_from_args(argparse.Namespace(tempo="2-0-2-0", exercise="no_such", config=None, model=None))
    assert unknown == Config()


def test_cli_config_check_prints_effective_values_with_exercise_sections(tmp_path, capsys):
    from formcheck.cli import main

    assert main(["config", "--check", str(write(tmp_path, "[exercise.hinge]\nmin_rom_deg = 25\n"))]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exercise"]["hinge"]["min_rom_deg"] == 25.0
    assert out["exercise"]["hinge"]["target_tempo_s"] == [3.0, 1.0, 2.0, 1.0]
    assert out["body"]["height_cm"] == 170.0


# -- replace ----------------------------------------------------------------------------------------------------


def test_replace_validates_and_leaves_the_original():
    base = Config()
    cfg = base.replace("body", load_kg=12)
    assert cfg.body.load_kg == 12.0
    assert base.body.load_kg == 0.0
    with pytest.raises(ConfigError, match=r"^Config value body.height_cm must be at least 80 \(got 10\)\.$"):
        base.replace("body", height_cm=10)
    with pytest.raises(ConfigError, match="Unknown config key body.height"):
        base.replace("body", height=180)
    with pytest.raises(ConfigError, match=r"Unknown config section \[exercise\] \(use replace_exercise"):
        base.replace("exercise", min_rom_deg=10)
    with pytest.raises(ConfigError, match=r"Unknown config section \[bodies\]"):
        base.replace("bodies", load_kg=1)


def test_replace_exercise_validates_and_leaves_the_original():
    base = Config()
    cfg = base.replace_exercise("hinge", target_tempo_s=(2.0, 1.0, 2.0, 1.0), spine_rounding_deg=10)
    assert cfg.exercise_config("hinge").target_tempo_s == (2.0, 1.0, 2.0, 1.0)
    assert cfg.exercise_config("hinge").spine_rounding_deg == 10.0
    assert base.exercise_config("hinge") == exercise_defaults("hinge")
    with pytest.raises(ConfigError, match=r"^Config value exercise.hinge.spine_rounding_deg must be greater than 0"):
        base.replace_exercise("hinge", spine_rounding_deg=-3)
    with pytest.raises(ConfigError, match="Unknown config key exercise.hinge.nope"):
        base.replace_exercise("hinge", nope=1)


# -- immutability and value semantics ---------------------------------------------------------------------------


def test_configs_are_frozen():
    cfg = Config()
    with pytest.raises(ValidationError, match="frozen"):
        cfg.pose.num_poses = 3  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        cfg.exercise_config("hinge").min_rom_deg = 5  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        cfg.body = cfg.body  # type: ignore[misc]
    assert cfg.pose.num_poses == 2


def test_configs_compare_hash_and_pickle_by_value():
    a, b = Config(), load_config(None)
    assert a == b and hash(a) == hash(b)
    c = a.replace_exercise("hinge", min_rom_deg=30)
    assert c != a
    assert len({a, b, c}) == 2
    again = pickle.loads(pickle.dumps(c))
    assert again == c
    assert again.exercise_config("hinge").min_rom_deg == 30.0


def test_tuples_stay_tuples_and_attribute_access_is_unchanged():
    cfg = load_config(None, {"exercise.hinge": {"target_tempo_s": [2, 1, 2, 1]}})
    assert cfg.exercise_config("hinge").target_tempo_s == (2.0, 1.0, 2.0, 1.0)
    assert isinstance(cfg.exercise_config("hinge").target_tempo_s, tuple)
    assert (cfg.pose.num_poses, cfg.signal.lowpass_hz, cfg.body.sex, cfg.review.max_upload_mb) == (
        2,
        4.0,
        "female",
        200,
    )


# -- tempo text -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3-1-2-1", (3, 1, 2, 1)), (" 2-0-2-0 ", (2, 0, 2, 0)), ("1.5-0.5-1-0", (1.5, 0.5, 1, 0))],
)
def test_parse_tempo(text, expected):
    assert parse_tempo(text) == expected


@pytest.mark.parametrize("text", ["3-1-2", "fast", "3-1-2-x", "3--1-2-1", "-1-1-1-1"])
def test_parse_tempo_rejects(text):
    with pytest.raises(ConfigError, match="Tempo"):
        parse_tempo(text)


# -- no exercise named here -------------------------------------------------------------------------------------


def test_config_module_names_no_exercise():
    # The goal of issue 9: an exercise's settings, old layout included, live in its own module. Names in code,
    # strings, comments and docstrings all count: config.py is the generic part.
    from formcheck.engine.registry import names

    text = Path(config_module.__file__).read_text(encoding="utf-8")
    found = {n for n in {"hinge", *names()} if re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)}
    assert not found, f"formcheck/config.py names exercises: {sorted(found)}"
    assert not hasattr(config_module, "HingeConfig")
