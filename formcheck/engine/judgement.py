"""One judgement: the settings a set was judged with travel with its analysis.

A saved analysis is re-read later by reports, the history, the app and the plain-words summary. If each of them
judged the reps again with whatever configuration is active *then*, a set done at tempo 1-0-1-0 would be
reported against 3-1-2-1, and the tables (made with the old settings) would contradict the text (made with the
new). So :func:`record` stores every section a cue rule reads (the exercise's section, the cue engine's and the
body's) in ``analysis.settings["judged_with"]``, and :func:`judged_config` rebuilds that configuration for anyone
who presents the analysis. Analyses saved before this existed fall back to the active configuration, with the
flat ``target_tempo_s`` / ``tempo_tolerance_frac`` / body values they did record laid over it.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import Any

from formcheck.config import Config
from formcheck.errors import ConfigError

KEY = "judged_with"  # the settings entry holding the recorded sections
_SECTIONS = ("cues", "body")  # general sections the cue rules read (plus the exercise's own)


def record(config: Config, exercise: str) -> dict[str, Any]:
    """The sections of ``config`` that judge a set of ``exercise``, as JSON-ready dicts.

    Returns:
        ``{"exercise": {...}, "cues": {...}, "body": {...}}`` (the exercise entry is absent for an exercise without
        a config section).
    """
    out: dict[str, Any] = {s: getattr(config, s).model_dump(mode="json") for s in _SECTIONS}
    with contextlib.suppress(ConfigError):
        out["exercise"] = config.exercise_config(exercise).model_dump(mode="json")
    return out


def _settings_of(analysis_or_settings: Any) -> Mapping[str, Any]:
    if isinstance(analysis_or_settings, Mapping):
        s = analysis_or_settings.get("settings", analysis_or_settings)
    else:
        s = getattr(analysis_or_settings, "settings", None)
    return s if isinstance(s, Mapping) else {}


def _exercise_of(analysis_or_settings: Any) -> str:
    if isinstance(analysis_or_settings, Mapping):
        return str(analysis_or_settings.get("exercise") or _settings_of(analysis_or_settings).get("analyzer") or "")
    return str(getattr(analysis_or_settings, "exercise", "") or "")


def _tempo(text: Any) -> tuple[float, ...] | None:
    try:
        vals = tuple(float(x) for x in str(text).split("-"))
    except ValueError:
        return None
    return vals if len(vals) == 4 and all(math.isfinite(v) and v >= 0 for v in vals) else None


def judged_config(analysis: Any, config: Config | None = None) -> Config:
    """The configuration ``analysis`` was judged with (an Analysis or its JSON dict).

    Recorded sections replace the same sections of ``config`` (the active configuration, defaults when None);
    everything else (pose, signal, review, other exercises) stays as in ``config``. A recorded section that no
    longer validates (e.g. written by a newer version with other keys) is skipped key by key rather than
    failing: what can be honoured is.

    Args:
        analysis: an :class:`~formcheck.types.Analysis`, or its ``to_dict()`` form.
        config: the active configuration.
    """
    cfg = config if config is not None else Config()
    settings = _settings_of(analysis)
    name = _exercise_of(analysis)
    recorded = settings.get(KEY)
    if isinstance(recorded, Mapping):
        for section in _SECTIONS:
            cfg = _replace(cfg, section, recorded.get(section))
        if name:
            cfg = _replace(cfg, name, recorded.get("exercise"), exercise=True)
        return cfg
    # older analyses: the flat values they recorded
    body = {k: settings[k] for k in ("height_cm", "body_kg", "load_kg", "sex") if k in settings}
    cfg = _replace(cfg, "body", body)
    if name:
        ex: dict[str, Any] = {}
        tempo = _tempo(settings.get("target_tempo_s"))
        if tempo is not None:
            ex["target_tempo_s"] = tempo
        tol = settings.get("tempo_tolerance_frac")
        if isinstance(tol, int | float) and math.isfinite(tol):
            ex["tempo_tolerance_frac"] = float(tol)
        cfg = _replace(cfg, name, ex, exercise=True)
    return cfg


def _replace(cfg: Config, section: str, values: Any, *, exercise: bool = False) -> Config:
    if not isinstance(values, Mapping) or not values:
        return cfg
    try:
        return cfg.replace_exercise(section, **values) if exercise else cfg.replace(section, **values)
    except ConfigError:
        pass
    # one value at a time: keep what still validates
    for k, v in values.items():
        try:
            cfg = cfg.replace_exercise(section, **{k: v}) if exercise else cfg.replace(section, **{k: v})
        except ConfigError:
            continue
    return cfg


__all__ = ["KEY", "judged_config", "record"]
