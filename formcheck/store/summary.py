"""Per-set summary numbers kept in the history (pure functions, no I/O).

Tempo adherence is deliberately one-sided: for back care a phase that is *slower* than prescribed is fine, a
phase that is rushed is not. A phase is "on tempo" when it lasts at least ``(1 - tolerance) × target`` — the
same rule the tempo cues use (``hinge.tempo_tolerance_frac``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from formcheck.config import HingeConfig, parse_tempo
from formcheck.errors import ConfigError

# (actual duration field of a rep, target metric key) — the top pause is left out: the last rep has none.
_PHASES = (
    ("eccentric_s", "target_eccentric_s", 0),
    ("bottom_pause_s", "target_bottom_s", 1),
    ("concentric_s", "target_concentric_s", 2),
)


@dataclass(frozen=True)
class SetSummary:
    """Numbers the trends page plots for one set.

    Attributes:
        hip_share: mean share of the bend that came from the hips (0..1), NaN when unknown.
        tempo_adherence: fraction of timed phases that were not rushed (0..1), NaN when no target or no reps.
        target_tempo: prescribed tempo as ``"3-1-2-1"`` text, or None when unknown.
    """

    hip_share: float
    tempo_adherence: float
    target_tempo: str | None


def _num(v: Any) -> float:
    if v is None or isinstance(v, bool):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def format_tempo(t: Sequence[float]) -> str:
    """``(3.0, 1.0, 2.0, 1.0)`` → ``"3-1-2-1"`` (decimals kept only when needed)."""
    return "-".join(f"{x:g}" for x in t)


def rep_tempo_adherence(rep: Mapping[str, Any], target_s: Sequence[float] | None, tolerance_frac: float) -> float:
    """Fraction of a rep's timed phases that lasted at least ``(1 - tolerance) × target``.

    Args:
        rep: a rep as a dict (``Rep.to_dict()``); per-rep targets in ``metrics`` win over ``target_s``.
        target_s: set-level target tempo (eccentric, bottom, concentric, top) in seconds, or None.
        tolerance_frac: allowed shortfall as a fraction of the target.

    Returns:
        Value in [0, 1], or NaN when no phase has both a positive target and a measured duration.
    """
    metrics = rep.get("metrics") or {}
    ok = n = 0
    for field, key, i in _PHASES:
        target = _num(metrics.get(key))
        if not math.isfinite(target) and target_s is not None:
            target = float(target_s[i])
        actual = _num(rep.get(field))
        if not (math.isfinite(target) and target > 0 and math.isfinite(actual)):
            continue
        n += 1
        ok += actual >= (1.0 - tolerance_frac) * target
    return ok / n if n else math.nan


def _target_from_settings(settings: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    t = settings.get("target_tempo_s")
    if isinstance(t, str):  # analyze_sequence() stores it as "3-1-2-1"
        try:
            return parse_tempo(t)
        except ConfigError:
            return None
    if isinstance(t, list | tuple) and len(t) == 4:
        vals = tuple(_num(x) for x in t)
        if all(math.isfinite(v) for v in vals):
            return vals  # type: ignore[return-value]
    return None


def set_summary_from_json(d: Mapping[str, Any]) -> SetSummary:
    """Summary of one analysed set given as ``Analysis.to_json_dict()``.

    The target tempo comes from ``settings["target_tempo_s"]`` or, failing that, from the first rep's
    ``target_*_s`` metrics; the tolerance from ``settings["tempo_tolerance_frac"]`` (default from config).
    """
    reps = list(d.get("reps") or [])
    settings = d.get("settings") or {}
    target = _target_from_settings(settings)
    if target is None and reps:
        m = reps[0].get("metrics") or {}
        vals = tuple(
            _num(m.get(k)) for k in ("target_eccentric_s", "target_bottom_s", "target_concentric_s", "target_top_s")
        )
        if all(math.isfinite(v) for v in vals):
            target = vals  # type: ignore[assignment]
    tol = _num(settings.get("tempo_tolerance_frac"))
    if not math.isfinite(tol):
        tol = HingeConfig().tempo_tolerance_frac
    shares = [_num((r.get("metrics") or {}).get("hip_share")) for r in reps]
    shares = [s for s in shares if math.isfinite(s)]
    adh = [rep_tempo_adherence(r, target, tol) for r in reps]
    adh = [a for a in adh if math.isfinite(a)]
    return SetSummary(
        hip_share=sum(shares) / len(shares) if shares else math.nan,
        tempo_adherence=sum(adh) / len(adh) if adh else math.nan,
        target_tempo=format_tempo(target) if target is not None else None,
    )


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


def weekly_counts(days: Sequence[dt.date], *, until: dt.date, weeks: int) -> list[tuple[dt.date, int]]:
    """How many of ``days`` fall in each of the ``weeks`` weeks ending with the week of ``until``.

    Weeks with nothing are included with 0 (a gap in training is information, not missing data).

    Returns:
        ``(monday, count)`` pairs, oldest week first.
    """
    last = week_start(until)
    starts = [last - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    counts = dict.fromkeys(starts, 0)
    for d in days:
        w = week_start(d)
        if w in counts:
            counts[w] += 1
    return [(w, counts[w]) for w in starts]
