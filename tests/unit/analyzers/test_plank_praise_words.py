"""A steady plank's praise says where the hips are in words, not as a signed number (acceptance check #5: "Steady
hold: body line +7°" on a hold whose label says the hips were slightly low; "+" meant high)."""

from __future__ import annotations

import math

import pytest

from formcheck.analyzers import plank
from formcheck.config import Config
from formcheck.engine.spec import RuleInput


@pytest.mark.parametrize(
    ("line_deg", "sway_deg", "said"),
    [
        (7.2, 0.9, "Steady hold: body in line, hips 7° high, sway 0.9°"),
        (-3.4, 1.2, "Steady hold: body in line, hips 3° low, sway 1.2°"),
        (0.3, 0.5, "Steady hold: body in a straight line, sway 0.5°"),
        (-2.0, math.nan, "Steady hold: body in line, hips 2° low"),
    ],
)
def test_praise_in_words(line_deg: float, sway_deg: float, said: str) -> None:
    cfg = Config()
    inp = RuleInput({"body_line_median_deg": line_deg, "sway_rms_deg": sway_deg}, cfg, cfg.exercise_config("plank"))
    text = plank.praise(inp)
    assert text == said and "+" not in text


def test_no_praise_without_a_body_line() -> None:
    cfg = Config()
    assert plank.praise(RuleInput({"body_line_median_deg": math.nan}, cfg, cfg.exercise_config("plank"))) is None
