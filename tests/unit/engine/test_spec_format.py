"""MetricSpec.format: what a number looks like on the overlay, tables and reports."""

from __future__ import annotations

import math

import pytest

from formcheck.engine.spec import MetricSpec


@pytest.mark.parametrize(
    ("fmt", "scale", "unit", "value", "shown"),
    [
        ("+.0f", 1.0, "°", -0.4, "0°"),  # rounds to zero: no sign (the overlay once showed "-0°")
        ("+.0f", 1.0, "°", 0.3, "0°"),
        ("+.0f", 1.0, "°", -0.0, "0°"),
        ("+.0f", 1.0, "°", -1.2, "-1°"),
        ("+.0f", 1.0, "°", 2.6, "+3°"),
        (".0f", 1.0, "°", -0.2, "0°"),
        (".0f", 100.0, "%", 0.966, "97%"),
        (".1f", 1.0, "s", -0.04, "0.0 s"),  # a unit that is a word or abbreviation after a space
        (".1f", 1.0, "cm", 9.12, "9.1 cm"),
        (".2f", 1.0, "s", 1.937, "1.94 s"),
        (".0f", 1.0, "kg", 12.0, "12 kg"),
        (".0f", 1.0, "% of leg length", 12.0, "12% of leg length"),  # a symbol stays attached
        (".0f", 1.0, "", 3.0, "3"),
        (".0f", 1.0, "°", math.nan, "–"),
        (".0f", 1.0, "°", None, "–"),
        (".0f", 1.0, "°", math.inf, "–"),
    ],
)
def test_format(fmt, scale, unit, value, shown):
    m = MetricSpec("x_deg", "x", fmt=fmt, scale=scale, unit=unit)
    assert m.format(value, with_unit=True) == shown


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ({"lo": 34.2, "hi": 63.0}, "34–63"),
        ({"lo": math.nan, "hi": math.nan}, "–"),  # nothing measured: one dash, not "–––"
        ({"lo": None, "hi": None}, "–"),
        ({}, "–"),
        ({"lo": 30.0, "hi": math.nan}, "min 30"),  # one end unknown: said as such, never "30––"
        ({"lo": math.nan, "hi": 63.0}, "max 63"),
    ],
)
def test_cli_range_cell(values, shown):
    m = MetricSpec("hi", "x", cli_low_key="lo")
    assert m.cli_cell(values) == shown
