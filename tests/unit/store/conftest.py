"""Builders for analyses with known content."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fc_store_builders import fake_analysis, fake_rep, fake_spec, hold

from formcheck.engine import registry
from formcheck.engine.spec import ExerciseSpec
from formcheck.types import Analysis, Cue, Quality, Rep


@pytest.fixture
def fake_exercise(monkeypatch) -> ExerciseSpec:
    """The made-up exercise, known to the registry for this test only (its config section is not registered)."""
    registry.specs()  # load the real ones first, so the registry does not reload over the patch
    spec = fake_spec()
    monkeypatch.setitem(registry._SPECS, spec.name, spec)
    return spec


def make_rep(
    index: int,
    *,
    ecc: float = 3.0,
    bottom: float = 1.0,
    conc: float = 2.0,
    top: float = 1.0,
    hip_share: float = 0.7,
    targets: tuple[float, float, float, float] | None = None,
) -> Rep:
    start = 8.0 * (index - 1)
    metrics: dict[str, float | str | None] = {"hip_share": hip_share, "spine_flexion_est_deg": 5.0}
    if targets is not None:
        for k, v in zip(("eccentric", "bottom", "concentric", "top"), targets, strict=True):
            metrics[f"target_{k}_s"] = v
    return Rep(
        index=index,
        start_s=start,
        bottom_s=start + ecc,
        end_s=start + ecc + bottom + conc,
        eccentric_s=ecc,
        bottom_pause_s=bottom,
        concentric_s=conc,
        top_pause_s=top,
        time_under_tension_s=ecc + bottom + conc,
        rom_deg=70.0,
        classification="hinge",
        metrics=metrics,
    )


def make_analysis(reps: list[Rep] | None = None, *, tempo=(3.0, 1.0, 2.0, 1.0), load_kg: float = 8.0) -> Analysis:
    reps = reps if reps is not None else [make_rep(i) for i in (1, 2, 3)]
    cues = (
        Cue("load.toes", "warn", "Shift weight back 2 cm.", 20, "com_max_pct_foot", 68.0, 60.0, 2, 10.5),
        Cue("praise.clean", "praise", "Clean rep.", 90, rep_index=1, t_s=2.0),
        Cue("spine.rounding", "safety", "Keep the back long.", 1, "spine_flexion_est_deg", math.nan, 12.0, 3),
    )
    n = 20
    return Analysis(
        exercise="hinge",
        reps=tuple(reps),
        cues=cues,
        quality=Quality(view="side", frames_total=n),
        series={"t_s": np.arange(n) / 30.0, "hip_flexion_deg": np.full(n, np.nan)},
        settings={"target_tempo_s": list(tempo), "tempo_tolerance_frac": 0.35, "load_kg": load_kg},
    )


@pytest.fixture
def analysis() -> Analysis:
    return make_analysis()


@pytest.fixture
def build():
    """The builders, for tests that need variants: ``build.rep(...)``, ``build.analysis(...)``."""

    class _B:
        rep = staticmethod(make_rep)
        analysis = staticmethod(make_analysis)
        fake_rep = staticmethod(fake_rep)
        fake_analysis = staticmethod(fake_analysis)
        hold = staticmethod(hold)

    return _B
