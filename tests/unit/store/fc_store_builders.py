"""A made-up exercise with known metric specs, so the store is tested against declared specs, not the hinge's flags.

Imported by the store tests as a plain module (pytest puts this folder on ``sys.path``), like
``tests/unit/report/fc_report_builders.py``.
"""

from __future__ import annotations

from formcheck.config import ExerciseConfig
from formcheck.engine.spec import ExerciseSpec, MetricSpec
from formcheck.types import Analysis, Hold, Quality, Rep

FAKE_EXERCISE = "reach_test"
FAKE_METRICS = (
    MetricSpec("reach_cm", "Reach", unit="cm", show=frozenset({"table", "trend"}), better="higher"),
    MetricSpec("wobble_deg", "Wobble", unit="°", show=frozenset({"trend", "csv"}), better="lower"),
    MetricSpec("hidden_deg", "Not a trend", unit="°", show=frozenset({"table"})),
    MetricSpec("reach_cm", "Reach over time", kind="series", unit="cm", show=frozenset({"trend", "plot"})),
    MetricSpec("sag_deg", "Sag while held", kind="hold", unit="°", show=frozenset({"trend"})),
)
FAKE_TREND_KEYS = ("reach_cm", "wobble_deg")  # the rep specs shown in "trend", in declared order


def fake_spec(metrics: tuple[MetricSpec, ...] = FAKE_METRICS, name: str = FAKE_EXERCISE) -> ExerciseSpec:
    return ExerciseSpec(
        name=name,
        title="Reach (test)",
        measures="test only",
        positions=("standing",),
        views=("side",),
        landmarks=(),
        reference="none",
        rep_strategy="cyclic",
        metrics=metrics,
        rules=(),
        limits=(),
        config_model=ExerciseConfig,
        analyzer=lambda config: None,  # type: ignore[arg-type,return-value]
    )


def fake_rep(index: int, metrics: dict[str, object], *, ecc: float = 3.0) -> Rep:
    """A rep 8 s apart from the previous one; 1 s bottom pause, 2 s rise (on a 3-1-2-1 tempo unless ``ecc`` < 1.95)."""
    start = 8.0 * (index - 1)
    return Rep(index, start, start + ecc, start + ecc + 3.0, ecc, 1.0, 2.0, 1.0, ecc + 3.0, 40.0, "", metrics)


def fake_analysis(reps=(), holds=(), *, exercise: str = FAKE_EXERCISE, settings=None) -> Analysis:
    return Analysis(
        exercise=exercise,
        reps=tuple(reps),
        cues=(),
        quality=Quality(view="side", frames_total=10),
        holds=tuple(holds),
        settings={"target_tempo_s": "3-1-2-1", "tempo_tolerance_frac": 0.35} if settings is None else settings,
    )


def hold(index: int, start_s: float, end_s: float, in_band_s: float) -> Hold:
    return Hold(index=index, start_s=start_s, end_s=end_s, in_band_s=in_band_s, metrics={"sag_deg": 4.0})
