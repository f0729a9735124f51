"""CSV (one row per rep, every metric) and JSON (the full analysis, schema ``formcheck.analysis/1``)."""

from __future__ import annotations

import csv
import io
import json
import math

from formcheck.config import Config
from formcheck.cues import is_correction
from formcheck.report.content import cues_of
from formcheck.types import Analysis

REP_FIELDS = (
    "index",
    "start_s",
    "bottom_s",
    "end_s",
    "eccentric_s",
    "bottom_pause_s",
    "concentric_s",
    "top_pause_s",
    "time_under_tension_s",
    "rom_deg",
    "classification",
)
# Contract order of the hinge metrics; any other metric an analyzer adds follows, sorted.
METRIC_ORDER = (
    "trunk_inclination_max_deg",
    "hip_flexion_max_deg",
    "knee_flexion_bottom_deg",
    "shin_inclination_max_deg",
    "spine_flexion_est_deg",
    "spine_flexion_est_err_deg",
    "hip_contribution_deg",
    "hip_share",
    "hip_share_0_30",
    "hip_share_30_60",
    "hip_share_60_90",
    "com_min_pct_foot",
    "com_max_pct_foot",
    "com_bottom_pct_foot",
    "time_outside_midfoot_s",
    "com_toes_excess_cm",
    "com_heels_excess_cm",
    "heel_lift_frac",
    "hip_back_cm",
    "shoulder_elevation_frac",
    "neck_extension_deg",
    "velocity_sign_changes",
    "target_eccentric_s",
    "target_bottom_s",
    "target_concentric_s",
    "target_top_s",
)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "" if not math.isfinite(v) else f"{v:.6g}"
    return str(v)


def csv_text(analysis: Analysis, config: Config) -> str:
    """One header row, then one row per rep: rep timing, every metric (units in the names), cue codes."""
    present = {k for r in analysis.reps for k in dict(r.metrics)}
    metrics = [k for k in METRIC_ORDER if k in present] + sorted(present - set(METRIC_ORDER))
    if not analysis.reps:
        metrics = list(METRIC_ORDER)
    by_rep: dict[int, list[str]] = {}
    for c in cues_of(analysis, config):
        if c.rep_index is not None and is_correction(c):
            by_rep.setdefault(c.rep_index, []).append(c.code)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*REP_FIELDS, *metrics, "cues"])
    for r in analysis.reps:
        m = dict(r.metrics)
        w.writerow(
            [_cell(getattr(r, f)) for f in REP_FIELDS]
            + [_cell(m.get(k)) for k in metrics]
            + [";".join(by_rep.get(r.index, []))]
        )
    return buf.getvalue()


def json_text(analysis: Analysis) -> str:
    """``Analysis.to_json_dict()`` as strict JSON (NaN → null, UTF-8 text kept readable)."""
    return json.dumps(analysis.to_json_dict(), indent=1, allow_nan=False, ensure_ascii=False)
