"""The batch steps every standing rep analyzer (hinge, squat, lunge) takes the same way around its own measures.

Each of those analyzers computes its per-frame features (a dataclass with at least ``t_s``, ``present``,
``full_body``, ``view``, ``facing_label``, ``mean_visibility``, ``multi_person_fraction``, ``warnings`` and
``position``), finds its rep windows and measures each rep; what is the same for all of them is here:

* :func:`cyclic_reps`: the cyclic rep strategy from the exercise's section and the signal settings;
* :func:`rep_from_window`: a :class:`~formcheck.types.Rep` from its window and its metrics;
* :func:`rep_index_series`: the per-frame rep number;
* :func:`nan_mean`, :func:`mean_metric`: summary means over the reps that have a value;
* :func:`features_quality`, :func:`with_warning`, :func:`cut_end_warning`: the set's quality and its notes;
* :func:`mean_body_visibility`, :func:`multi_person_fraction`: two of the features' quality inputs;
* :func:`analyze_recorded_set`: ``analyze()`` of a recorded set (nobody, warnings, the body position check).
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from formcheck.body.clean import BODY
from formcheck.engine.quality import nobody_analysis, position_mismatch, set_quality, with_position, without_classes
from formcheck.engine.repstrategies import Cyclic
from formcheck.reps import RepWindow
from formcheck.types import Analysis, PoseSequence, Quality, Rep

# A last rep the recording's end cut off on its way back up is counted (its turnaround was seen;
# reps.detect_reps); this is the note the set carries then.
CUT_END_NOTE = "The video ends while rep {rep} is on its way back up: it is counted, but its rising time is not known."


def cyclic_reps(ex: Any, signal: Any) -> Cyclic:
    """Cyclic reps with the exercise's ``min_rom_deg`` and ``rep_prominence_frac`` and the signal's low-pass.

    A recording that stops while its last rep is on its way back up counts it, its rise unknown
    (``count_cut_end``; turnaround seen, docs/metrics.md 8.6). Batch only: a live buffer turns it off.
    """
    return Cyclic(min_rom_deg=ex.min_rom_deg, prominence_frac=ex.rep_prominence_frac, cutoff_hz=signal.lowpass_hz,
                  order=signal.lowpass_order, count_cut_end=True)  # fmt: skip


def rep_from_window(
    w: RepWindow,
    t_s: np.ndarray,
    index: int,
    metrics: dict[str, float | str | None],
    *,
    classification: str = "",
    side: str | None = None,
) -> Rep:
    """The :class:`Rep` of window ``w``: its times and phases, with ``metrics``.

    A rep the recording's end cut off, or one it opened in part-way down (its lowering not all seen), has no time
    under tension (NaN): the clip did not hold the whole rep.
    """
    tut_s = math.nan if w.cut_at_end or w.opened_lowering else w.end_s - w.start_s
    return Rep(index=index, start_s=w.start_s, bottom_s=float(t_s[w.bottom_i]), end_s=w.end_s,
               eccentric_s=w.eccentric_s, bottom_pause_s=w.bottom_pause_s, concentric_s=w.concentric_s,
               top_pause_s=w.top_pause_s, time_under_tension_s=tut_s,
               rom_deg=w.rom, classification=classification, metrics=metrics, side=side)  # fmt: skip


def rep_index_series(n_frames: int, reps: Sequence[Rep], windows: Sequence[RepWindow]) -> np.ndarray:
    """Per frame: the number of the rep it belongs to, 0 outside the reps."""
    rep_index = np.zeros(n_frames)
    for r, w in zip(reps, windows, strict=True):
        rep_index[w.start_i : w.end_i + 1] = r.index
    return rep_index


def nan_mean(values: Iterable[float]) -> float:
    """Mean of the finite values (NaN when there are none)."""
    vals = [v for v in values if math.isfinite(v)]
    return float(np.mean(vals)) if vals else math.nan


def mean_metric(reps: Sequence[Rep], key: str) -> float:
    """Mean of a per-rep metric over the reps where it is known."""
    return nan_mean([float(r.metrics.get(key, math.nan)) for r in reps])  # type: ignore[arg-type]


def mean_body_visibility(vis: np.ndarray, present: np.ndarray) -> float:
    """Mean visibility of the body's landmarks over the frames with a person (NaN when there are none)."""
    return float(np.nanmean(vis[:, list(BODY)][present])) if np.any(present) else math.nan


def multi_person_fraction(seq: PoseSequence) -> float:
    """Share of the frames with more than one person in view (0 when the sequence did not count people)."""
    return float(np.mean(np.asarray(seq.n_people) > 1)) if seq.n_people is not None and seq.n_frames else 0.0


def features_quality(f: Any, seq: PoseSequence, side_used: str, n_items: int) -> Quality:
    """The set's :func:`~formcheck.engine.quality.set_quality` from its features (``n_items`` reps found)."""
    T = seq.n_frames
    return set_quality(
        view=f.view, facing=f.facing_label, side_used=side_used, frames_total=T, n_present=int(np.sum(f.present)),
        n_full=int(np.sum(f.full_body)), n_multi=round(f.multi_person_fraction * T), mean_visibility=f.mean_visibility,
        warnings=f.warnings, n_items=n_items,
    )  # fmt: skip


def with_warning(q: Quality, note: str) -> Quality:
    """``q`` with one more warning at the end."""
    return dataclasses.replace(q, warnings=(*q.warnings, note))


def cut_end_warning(q: Quality, reps: Sequence[Rep], windows: Sequence[RepWindow]) -> Quality:
    """``q`` with :data:`CUT_END_NOTE` when the recording's end cut off the last rep's rise."""
    cut = [r.index for r, w in zip(reps, windows, strict=True) if w.cut_at_end]
    return with_warning(q, CUT_END_NOTE.format(rep=cut[0])) if cut else q


def analyze_recorded_set(
    seq: PoseSequence,
    config: Any,
    declared: Any,
    features: Callable[[PoseSequence, Any], Any],
    analysis: Callable[[Any, PoseSequence, Any], Analysis],
) -> Analysis:
    """``analyze()`` of a recorded set: nobody in view, else ``analysis(features(seq))`` with the position check.

    ``declared`` is the exercise's spec module (its ``NAME``, ``TITLE``, ``POSITIONS`` and ``LIMITS``). Frames or
    whole landmarks can be unknown (NaN); numpy's warnings on nan-aware reductions over them are expected and
    silenced. The body position the features found is checked against the exercise's positions.
    """
    if seq.n_frames == 0 or not np.any(seq.present):
        return nobody_analysis(declared.NAME, seq, declared.LIMITS)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
        f = features(seq, config)
        a = analysis(f, seq, config)
    q = with_position(a.quality, f.position, declared.POSITIONS, declared.TITLE)
    a = dataclasses.replace(a, quality=q)
    return without_classes(a) if position_mismatch(q, declared.POSITIONS) else a
