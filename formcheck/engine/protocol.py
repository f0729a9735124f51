"""The protocol every exercise analyzer follows (in the engine, so engine modules import it without the analyzers).

An analyzer is pure: a :class:`~formcheck.types.PoseSequence` in, an :class:`~formcheck.types.Analysis` out (no
I/O). For live use it also makes a streaming analyzer that takes one frame at a time, keeps bounded state and
reports a :class:`LiveState` per frame; ``finish()`` returns the same kind of Analysis as the batch path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from formcheck.types import Analysis, Hold, PoseSequence, Rep

# "hold": a hold exercise's hold in progress, inside its band (outside it, or before a hold, the phase is "top").
PHASES = ("setup", "top", "eccentric", "bottom", "concentric", "hold", "away")


@dataclass(frozen=True)
class LiveState:
    """What the live view needs after each frame.

    Attributes:
        t_s: frame time, seconds.
        phase: one of :data:`PHASES` (``setup`` until the setup check passes; ``away`` when nobody is in view;
            ``hold`` only for a hold exercise, while its hold is inside the band).
        rep_count: finished reps so far (0 for a hold exercise: see ``hold_count``).
        ready: the setup check passed (side-on, whole body visible) and reps are being counted.
        setup_message: what the user should change before counting starts, plain words; None when ready.
        values: live measurements named with units, as the exercise's spec declares them (``live_keys``), plus
            ``phase_elapsed_s``; a hold exercise adds ``hold_elapsed_s`` and ``hold_in_band_s`` (the hold in
            progress, NaN when there is none); NaN when unknown.
        landmarks_px: ``(33, 2)`` filtered pixel landmarks for drawing (NaN when unknown).
        side_used: subject side nearer the camera, ``left``/``right``/``unknown``.
        new_rep: the rep that finished on this frame, else None.
        exercise: the analyzer's name (its cue rules and metric specs apply).
        view: the set's view so far (``side``/``oblique``/``front``/``unknown``): cue rules declare the views they need.
        position: the set's body position so far (``formcheck.body.position.Position`` value, ``unknown`` until clear).
        hold_count: finished holds so far (hold exercises).
        new_hold: the hold that was closed on this frame, else None (a hold is closed once its end gap has passed).
        load_unknown, hands_low: what the hands did so far with no load entered
            (:func:`formcheck.cues.held_load_flags`): the balance cues a weight would change are held back live too.
    """

    t_s: float
    phase: str
    rep_count: int
    ready: bool
    setup_message: str | None
    values: Mapping[str, float] = field(default_factory=dict)
    landmarks_px: np.ndarray | None = None
    side_used: str = "unknown"
    new_rep: Rep | None = None
    exercise: str = ""
    view: str = "unknown"
    position: str = "unknown"
    hold_count: int = 0
    new_hold: Hold | None = None
    load_unknown: bool = False
    hands_low: bool = False


@runtime_checkable
class StreamingAnalyzer(Protocol):
    """Frame-by-frame analysis with bounded memory."""

    def update(
        self,
        t_s: float,
        landmarks: np.ndarray,
        world: np.ndarray,
        width: int,
        height: int,
        back_contour_px: np.ndarray | None = None,
        n_people: int = 1,
    ) -> LiveState:
        """Feed one frame (``(33, 4)`` image and world landmarks, NaN when nobody) and get the live state."""
        ...

    def finish(self) -> Analysis:
        """Close the set and return its analysis (reps, quality, cues left to the cue engine)."""
        ...


@runtime_checkable
class Analyzer(Protocol):
    """One exercise family."""

    name: str

    def analyze(self, seq: PoseSequence) -> Analysis:
        """Analyse a whole recorded set."""
        ...

    def stream(self) -> StreamingAnalyzer:
        """A fresh streaming analyzer with the same configuration."""
        ...
