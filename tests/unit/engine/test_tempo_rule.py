"""The shared tempo rule: fires when a phase is faster than target x (1 - tolerance), never on a zero target."""

from __future__ import annotations

import math

import pytest

import formcheck.analyzers  # noqa: F401 - registers the exercises
from formcheck.config import Config, exercise_defaults
from formcheck.engine.cuerules import config_tempo_rule, tempo_rule, threshold_value
from formcheck.engine.spec import RuleInput


def _input(target_s: tuple[float, ...], tol: float, values: dict) -> RuleInput:
    ex = exercise_defaults("hinge").model_copy(update={"target_tempo_s": target_s, "tempo_tolerance_frac": tol})
    return RuleInput(values=values, exercise=ex, config=Config())


@pytest.mark.parametrize(
    ("target_s", "tol", "rep_target", "expected_thr"),
    [
        ((3.0, 1.0, 1.0, 0.0), 0.2, None, 2.4),  # config 3 s, 20 % off -> 2.4 s
        ((2.0, 1.0, 1.0, 0.0), 0.5, None, 1.0),
        ((3.0, 1.0, 1.0, 0.0), 0.2, 5.0, 4.0),  # the rep's own target wins
        ((0.0, 1.0, 1.0, 0.0), 0.2, None, math.nan),  # no target, no cue
    ],
)
def test_tempo_rule_threshold(target_s, tol, rep_target, expected_thr):
    values = {"eccentric_s": 1.0} | ({"target_eccentric_s": rep_target} if rep_target is not None else {})
    rule = tempo_rule("t.x", 40, "eccentric_s", 0, "{t} {v}")
    thr = threshold_value(rule.threshold, _input(target_s, tol, values))
    assert thr == pytest.approx(expected_thr, nan_ok=True)


def test_config_tempo_rule_ignores_rep_target_and_writes_g():
    inp = _input((1.25, 1.0, 1.0, 0.0), 0.2, {"eccentric_s": 0.5, "target_eccentric_s": 5.0})
    rule = config_tempo_rule("t.x", 40, "eccentric_s", 0, "over {t}, took {v}")
    assert threshold_value(rule.threshold, inp) == pytest.approx(1.0)
    assert rule.message(inp, 0.5, 1.0) == "over 1.25 s, took 0.50 s"  # a judged time to 0.01 s
    # The engine's own rule reads the rep's target and writes a fractional target to one decimal; the rep's time
    # to 0.01 s, as every table shows it.
    engine = tempo_rule("t.x", 40, "eccentric_s", 0, "over {t}, took {v}")
    inp2 = _input((1.25, 1.0, 1.0, 0.0), 0.2, {"eccentric_s": 0.5})
    assert engine.message(inp2, 0.5, 1.0) == "over 1.2 s, took 0.50 s"
