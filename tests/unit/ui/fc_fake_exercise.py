"""A made-up exercise ("reach") for presentation tests: its specs, classes and config are known by construction.

It is put into the registry for one test only (``install`` uses pytest's monkeypatch, so nothing leaks into other
tests and the config's exercise sections are untouched), which shows that tables, charts and the overlay read
whatever an exercise declares rather than the hinge's names.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from formcheck.engine import registry
from formcheck.engine.spec import ExerciseSpec, MetricSpec

NAME = "reach"
SETTINGS = {
    "target_tempo_s": (2.0, 3.0, 2.0, 1.0),
    "tempo_tolerance_frac": 0.25,
    "arm_max_deg": 15.0,
    "sway_band_pct": (40.0, 60.0),
}
METRICS = (
    MetricSpec("reach_cm", "How far the hand reached", short="Reach cm", unit="cm", show={"table", "trend"},
               better="higher"),
    MetricSpec("level_share", "Share of the hold with the back level", short="Level %", unit="%", scale=100.0,
               show={"table"}),
    MetricSpec("hidden_deg", "Only in the CSV", unit="°"),
    MetricSpec("wobble_deg", "Wobble during the hold", short="Wobble °", unit="°", kind="hold", show={"table"}),
    MetricSpec("arm_lift_deg", "arm lift", kind="series", unit="°", plot="arm", color="#123456",
               threshold_key="arm_max_deg", show={"plot", "overlay"}, overlay_at="shoulder", overlay_label="arm"),
    MetricSpec("hip_drop_deg", "hip drop", kind="series", unit="°", plot="arm", color="#abcdef",
               show={"plot"}),
    MetricSpec("sway_pct", "sway over the base", kind="series", unit="%", plot="sway", color="#333333",
               band_key="sway_band_pct", show={"plot", "overlay"}, overlay_at="foot", overlay_label="sway",
               empty_note="sway not measured: the feet were not seen"),
)  # fmt: skip
LIVE_KEYS = ("arm_lift_deg", "sway_pct")


def spec() -> ExerciseSpec:
    return ExerciseSpec(
        name=NAME,
        title="Reach",
        measures="reach and level",
        positions=("kneeling",),
        views=("side",),
        landmarks=(),
        reference="none",
        rep_strategy="alternating",
        metrics=METRICS,
        rules=(),
        limits=(),
        config_model=object,
        analyzer=lambda config: None,  # type: ignore[arg-type,return-value]
        classes={"steady": "steady reach"},
        live_keys=LIVE_KEYS,
    )


def install(monkeypatch: Any, **settings: Any) -> ExerciseSpec:
    """Register the fake exercise for one test; its config section is ``SETTINGS`` updated with ``settings``."""
    s = spec()
    monkeypatch.setitem(registry._SPECS, NAME, s)
    real = registry.exercise_config
    section = SimpleNamespace(**{**SETTINGS, **settings})

    def exercise_config(config: object, name: str) -> object:
        return section if name == NAME else real(config, name)

    monkeypatch.setattr(registry, "exercise_config", exercise_config)
    return s
