"""Scaffolding shared by the floor exercises whose reps are cycles of one per-frame line (cat-camel, glute bridge).

Each such exercise has a module function ``values(px)`` (per-frame measures of ``(T, 33, 2)`` pixels) and an
``analyze_set`` giving ``(body, values, [(rep, window), ...])``; what is the same around them lives here: the set's
quality with its position check (:func:`line_quality`), the final :class:`~formcheck.types.Analysis`
(:func:`line_analysis`), the batch analyzer's constructor and stream (:class:`LineAnalyzer`) and the live model's
per-frame line and re-analysed rep (:class:`LineLive`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np

from formcheck.analyzers import floor_hold as fh
from formcheck.body import Body
from formcheck.config import Config
from formcheck.engine.quality import body_frame_counts, set_quality, with_position
from formcheck.engine.spec import ExerciseSpec
from formcheck.engine.stream import ExerciseStream, LiveFrame, References, drop_unseen_phases
from formcheck.types import Analysis, Hold, PoseSequence, Quality, Rep, VideoInfo


def line_quality(
    seq: PoseSequence, body: Body, view: Any, spec: ExerciseSpec, *, n_items: int, no_items: str,
    warnings: Sequence[str] = (),
) -> Quality:  # fmt: skip
    """The set's quality: frame counts, ``warnings`` then the view warning, and the body-position check.

    Args:
        seq: the set's poses.
        body: its :class:`~formcheck.body.Body`.
        view: the set's view estimate (``body.view`` unless the exercise overrules it).
        spec: the exercise.
        n_items: reps (or bridges) found; ``no_items`` is the warning when there are none.
        warnings: the exercise's own warnings, before the view warning.
    """
    q = set_quality(
        view=view.view, facing=view.facing_label, side_used=view.near_side, **body_frame_counts(seq, body),
        warnings=[*warnings, *fh.view_warnings(spec, view.view)], n_items=n_items, no_items=no_items,
    )  # fmt: skip
    return with_position(q, body.position, spec.positions, spec.title)


def line_analysis(
    spec: ExerciseSpec, reps: tuple[Rep, ...], quality: Quality, summary: dict, body: Body, v: dict, key: str,
    holds: tuple[Hold, ...] = (), video: VideoInfo | None = None,
) -> Analysis:  # fmt: skip
    """The set's analysis: ``reps``, ``holds``, the line ``v[key]`` as its one series besides ``t_s``.

    ``video`` is the recording's identity (``seq.video``): file name, duration and size in every report.
    """
    return Analysis(spec.name, reps, (), quality, limits=spec.limits, summary=summary,
                    settings={"analyzer": spec.name}, series={"t_s": body.t_s, key: v[key]}, holds=holds,
                    video=video)  # fmt: skip


class LineAnalyzer:
    """A batch analyzer's constructor and stream: subclasses set ``name``, ``live_model`` and ``analyze``."""

    name: ClassVar[str]
    live_model: ClassVar[Callable[[Config], Any]]

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    def stream(self) -> ExerciseStream:
        return ExerciseStream(self.config, self.live_model(self.config))


class LineLive:
    """A live model whose per-frame value is the line ``values(px)[phase_key]``; a finished rep is the batch code
    on the buffered frames (:meth:`closest_rep`)."""

    reference_keys: tuple[str, ...] = ()
    phase_key: ClassVar[str]

    def __init__(self, config: Config, spec: ExerciseSpec, strategy: Any, values: Callable[[np.ndarray], dict]) -> None:
        self.config, self.spec, self.strategy, self._values = config, spec, strategy, values

    def depth(self, px: np.ndarray, facing: float) -> float:
        with np.errstate(invalid="ignore"):
            return float(self._values(px[None])[self.phase_key][0])

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict, dict]:
        return {self.phase_key: self.depth(fr.px, fr.facing)}, {}

    def closest_rep(
        self, found: list, v: dict, t_s: np.ndarray, w: Any, index: int, after_s: float, **metrics: Any
    ) -> Any:
        """The rep of ``found`` (batch ``(rep, window)`` pairs) ending nearest the live window ``w`` and after
        ``after_s``, numbered ``index``, with ``metrics`` added and the phases its frames did not see dropped;
        ``None`` when there is none."""
        found = [(r, x) for r, x in found if x.end_s > after_s + 1e-6]
        if not found:
            return None
        rep, best = min(found, key=lambda f: abs(f[1].end_s - w.end_s))
        rep = dataclasses.replace(rep, index=index, **({"metrics": {**rep.metrics, **metrics}} if metrics else {}))
        return drop_unseen_phases(rep, t_s, np.isfinite(v[self.phase_key])), best
