"""Declarations the standing rep exercises share (data and message helpers, no analysis code).

The hinge and the squat measure the load path the same way (:mod:`formcheck.metrics.load_path`: the centre of
mass along the foot, its excursions past the midfoot band), so they declare its metrics and clean its cue values
alike; the hinge, the squat and the lunge prescribe the same four-phase tempo. Each exercise's spec module places
these in its own display order.

Centimetre magnitudes in messages are rough ("about 3 cm") on purpose: they come from the measured values and the
user's height with Drillis & Contini (1966) segment proportions.
"""

from __future__ import annotations

import math

from formcheck.engine.spec import MetricSpec, RuleInput
from formcheck.metrics.load_path import FOOT_PER_STATURE

FOOT_LENGTH_FRAC_HEIGHT = FOOT_PER_STATURE  # Drillis & Contini (1966), a fraction of standing height


def cm_text(x_cm: float) -> str:
    """A rough, never-zero centimetre figure for a message."""
    return f"{max(1, round(x_cm)):d} cm"


def load_excess_cm(inp: RuleInput) -> tuple[float, float]:
    """A rep's centre-of-mass excess past the midfoot band toward the toes and the heels (cm), cleaned for the cues.

    A centre of mass beyond the foot's end + 10 % of the foot is a tracking artefact (NaN: cueing "about 25 cm"
    would be nonsense); when the rep went both ways past ``load_excess_cm`` only the bigger one is kept ("back" and
    "forward" together would confuse); a brief excursion (under ``load_min_time_s`` off the midfoot) is no fault.
    """
    h = inp.exercise
    lo, hi = h.midfoot_band_pct
    foot_cm = FOOT_LENGTH_FRAC_HEIGHT * inp.height_cm
    toes, heels = inp.num("com_toes_excess_cm"), inp.num("com_heels_excess_cm")
    if toes > (100 - hi + 10) / 100 * foot_cm:
        toes = math.nan
    if heels > (lo + 10) / 100 * foot_cm:
        heels = math.nan
    if toes > h.load_excess_cm and heels > h.load_excess_cm:
        toes, heels = (toes, math.nan) if toes >= heels else (math.nan, heels)
    outside = inp.num("time_outside_midfoot_s")
    if math.isfinite(outside) and outside < h.load_min_time_s:
        toes = heels = math.nan
    return toes, heels


_TABLE = frozenset({"cli", "table", "csv", "report"})
# The load path's per-rep metrics (formcheck.metrics.load_path.band_excursions) and its per-frame series.
COM_MIN_PCT_FOOT = MetricSpec(
    "com_min_pct_foot", "Weight over the foot, furthest toward the heel", short="Weight % foot (min)", unit="%",
    show=frozenset({"csv", "report"}), evidence=("com_heels_excess_cm",),
    patient_fault="Your weight sat back on your heels in {reps}.",
)  # fmt: skip
COM_MAX_PCT_FOOT = MetricSpec(
    "com_max_pct_foot", "Weight over the foot, furthest toward the toes", short="Weight % foot (max)",
    cli="CoM % foot", cli_low_key="com_min_pct_foot", unit="%", show=_TABLE, band_key="midfoot_band_pct",
    help="Centre of mass along the foot, heel = 0 %, toe = 100 %.", evidence=("com_toes_excess_cm",),
    patient_fault="Your weight drifted onto your toes in {reps}.",
)  # fmt: skip
LOAD_PATH_DETAIL_METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("time_outside_midfoot_s", "Time with the weight off the midfoot", short="Off midfoot s", unit="s",
               fmt=".1f", show=frozenset({"csv", "report"})),
    MetricSpec("com_toes_excess_cm", "Weight past the midfoot toward the toes", unit="cm"),
    MetricSpec("com_heels_excess_cm", "Weight past the midfoot toward the heels", unit="cm"),
)  # fmt: skip
COM_SERIES = MetricSpec(
    "com_pct_foot", "centre of mass", kind="series", unit="%", plot="balance", color="#333333",
    band_key="midfoot_band_pct", show=frozenset({"plot", "overlay"}), overlay_at="foot", overlay_label="CoM",
    help="% of foot (heel → toe)", band_label="midfoot", axis="% of foot\n(heel → toe)", axis_range=(0.0, 100.0),
)  # fmt: skip
SPINE_ERR_METRIC = MetricSpec("spine_flexion_est_err_deg", "Back rounding: expected error", unit="°")
# The prescribed tempo each rep carries (the engine's common tempo rules compare the phases with these).
TARGET_TEMPO_METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("target_eccentric_s", "Target lowering time", unit="s", fmt=".1f"),
    MetricSpec("target_bottom_s", "Target pause at the bottom", unit="s", fmt=".1f"),
    MetricSpec("target_concentric_s", "Target rising time", unit="s", fmt=".1f"),
    MetricSpec("target_top_s", "Target pause at the top", unit="s", fmt=".1f"),
)
# Sagittal angle series of a standing body (image-plane side view or the 3D estimate).
HIP_FLEXION_SERIES = MetricSpec(
    "hip_flexion_deg", "hip flexion", kind="series", unit="°", plot="angles", color="#e45756",
    show=frozenset({"plot", "overlay"}), overlay_at="hip", overlay_label="hip",
)  # fmt: skip
TRUNK_INCLINATION_SERIES = MetricSpec(
    "trunk_inclination_deg", "trunk angle from vertical", kind="series", unit="°", plot="angles", color="#4c78a8",
    show=frozenset({"plot", "overlay"}), overlay_at="trunk", overlay_label="trunk",
)  # fmt: skip
KNEE_FLEXION_SERIES = MetricSpec(
    "knee_flexion_deg", "knee flexion", kind="series", unit="°", plot="angles", color="#72b7b2",
    show=frozenset({"plot", "overlay"}), overlay_at="knee", overlay_label="knee",
)  # fmt: skip
