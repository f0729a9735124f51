import tomllib

import pytest

from formcheck.config import DEFAULT_TOML, Config, load_config, parse_tempo
from formcheck.errors import ConfigError


def test_default_toml_matches_dataclass_defaults():
    # The commented TOML documents the defaults; it must not drift from the code.
    assert load_config(DEFAULT_TOML) == Config()
    data = tomllib.loads(DEFAULT_TOML.read_text())
    assert set(data) == {f for f in vars(Config())}


def test_user_file_overrides_some_values(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text("[hinge]\nspine_rounding_deg = 8\nmidfoot_band_pct = [25, 65]\n[body]\nheight_cm = 182\n")
    cfg = load_config(p)
    assert cfg.hinge.spine_rounding_deg == 8.0
    assert cfg.hinge.midfoot_band_pct == (25.0, 65.0)
    assert cfg.body.height_cm == 182.0
    assert cfg.hinge.min_rom_deg == Config().hinge.min_rom_deg


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[hinge]\nspine_rounding = 8\n", "Unknown"),
        ("[hinge]\nspine_rounding_deg = 'a lot'\n", "number"),
        ("[body]\nheight_cm = 20\n", "height_cm"),
        ("[body]\nsex = 'other'\n", "sex"),
        ("[hinge]\nmidfoot_band_pct = [60, 30]\n", "midfoot"),
        ("[hinge]\nmidfoot_band_pct = [30]\n", "list of 2"),
        ("[pose]\nsegmentation = 1\n", "true or false"),
        ("hinge = 3\n", "table"),
        ("[hinge\n", "TOML"),
    ],
)
def test_bad_values_raise_config_error(tmp_path, text, match):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=match):
        load_config(p)


def test_missing_file():
    with pytest.raises(ConfigError, match="does not exist"):
        load_config("/nonexistent/formcheck.toml")


def test_overrides_win_over_file(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[body]\nload_kg = 10\n")
    assert load_config(p, {"body": {"load_kg": 16}}).body.load_kg == 16.0


def test_replace_validates():
    cfg = Config().replace("body", load_kg=12)
    assert cfg.body.load_kg == 12.0
    with pytest.raises(ConfigError):
        Config().replace("body", height_cm=10)


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
