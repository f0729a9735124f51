"""One cleaned view of a pose sequence, shared by every exercise.

:class:`Body` holds what each analyzer used to compute for itself: pixel landmarks (cleaned and smoothed), world
landmarks (smoothed), visibility, who is present and fully in view, the camera view (side / oblique / front,
azimuth, facing, near side), the body position (standing, seated, kneeling, quadruped, supine, prone,
side-lying), camera roll and the image scale, plus the usual mid-points. Build it with
:meth:`Body.from_sequence`; the parts live in submodules:

* :mod:`formcheck.body.clean` — off-frame / invisible landmarks → NaN, smoothing, the whole-body-in-view test;
* :mod:`formcheck.body.view` — view, azimuth, facing and near side (batch and incremental);
* :mod:`formcheck.body.position` — :class:`Position` and its classification from world landmarks;
* :mod:`formcheck.body.roll` — camera roll and pixels per centimetre.

Coordinates: ``*_px`` are aspect-correct image pixels (x right, y down); ``*_world`` are MediaPipe world
landmarks (metres, hip-centred, y down while the camera is level). They are never mixed.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from formcheck.body.clean import (
    BODY,
    clean_landmarks,
    clearly_in_view,
    image_depth,
    mid,
    smooth_landmarks,
    whole_body_in_view,
)
from formcheck.body.position import (
    KNOWN_POSITIONS,
    Position,
    PositionEstimate,
    classify_position,
    position_per_frame,
)
from formcheck.body.roll import (
    ROLL_CORRECT_MIN_DEG,
    SCENE_CORRECT_MIN_DEG,
    RollEstimate,
    SceneRollEstimate,
    camera_roll_deg,
    combined_roll_deg,
    level_roll_deg,
    px_per_cm,
    rotate_px,
    scene_roll_deg,
)
from formcheck.body.sanity import Cut, apply_cuts, sane_px
from formcheck.body.view import ViewEstimate, ViewTracker, estimate_view
from formcheck.types import LM, PoseSequence

SCENE_LINES_PROBE = "scene_lines"  # formcheck.probes.SCENE_LINES (not imported: the probes import the metrics)


@dataclass(frozen=True, eq=False)
class Body:
    """A cleaned pose sequence with its view, position and scale (arrays are ``(T, ...)``; NaN where unknown).

    Attributes:
        t_s: ``(T,)`` timestamps.
        px: ``(T, 33, 2)`` pixel landmarks: off-frame or barely visible points removed, short gaps bridged,
            low-passed zero-phase.
        world: ``(T, 33, 3)`` world landmarks (metres), gap-bridged and low-passed the same way.
        vis: ``(T, 33)`` raw visibility.
        image_z: ``(T, 33)`` MediaPipe image depth (near side negative) where the pixel landmark is known.
        present: ``(T,)`` a person was found.
        full_body: ``(T,)`` every landmark the exercise needs is in frame (see :func:`whole_body_in_view`).
        seen_clearly: ``(T,)`` every needed landmark in frame and the near side of each pair clearly seen
            (:func:`clearly_in_view`, visibility >= 0.5):
            the frames a standing baseline may be measured on (None: not computed, :meth:`baseline_ok` falls back
            to :attr:`full_body`).
        view: the set's :class:`ViewEstimate`.
        position: the set's :class:`PositionEstimate` (what the body shows, whatever the exercise expects).
        positions: ``(T,)`` per-frame position values (``"unknown"`` where unclear).
        px_per_cm: image scale from the near leg and trunk and the configured body height (NaN unknown).
        width, height: frame size in pixels.
        camera_roll_deg: the camera's roll, measured when built with ``level=True`` (NaN unknown): the room's
            straight lines' reading when the body line's agrees with it
            (:func:`formcheck.body.roll.combined_roll_deg`), else the body line's less the standing lean
            (:func:`formcheck.body.roll.level_roll_deg`).
        roll_source: ``"scene"`` or ``"body"``: which reading :attr:`camera_roll_deg` is (``""`` not measured).
        scene_roll: the room's lines' own reading (None when not measured; NaN roll when it can't tell).
        roll_corrected_deg: the roll undone in :attr:`px` (0 when not levelled); :meth:`level_px` turns other
            pixel data (outlines) the same way.
        unsound: ``(T, 33)`` landmarks the sanity checks set unknown (None when not checked).
        cuts: shot cuts / zooms found and re-based (:func:`formcheck.body.sanity.scale_cuts`).
    """

    t_s: np.ndarray
    px: np.ndarray
    world: np.ndarray
    vis: np.ndarray
    image_z: np.ndarray
    present: np.ndarray
    full_body: np.ndarray
    view: ViewEstimate
    position: PositionEstimate
    positions: np.ndarray
    px_per_cm: float
    width: int
    height: int
    camera_roll_deg: float = float("nan")
    roll_corrected_deg: float = 0.0
    unsound: np.ndarray | None = None
    cuts: tuple[Cut, ...] = ()
    roll_source: str = ""
    scene_roll: SceneRollEstimate | None = None
    seen_clearly: np.ndarray | None = None

    @property
    def baseline_ok(self) -> np.ndarray:
        """``(T,)`` frames clear enough to measure a standing baseline on (:attr:`seen_clearly`, else
        :attr:`full_body`): the edge rule alone lets joints seen dimly inside the picture in."""
        return self.full_body if self.seen_clearly is None else self.seen_clearly

    @classmethod
    def from_sequence(
        cls,
        seq: PoseSequence,
        config: Any,
        *,
        position: Position | str | None = None,
        landmarks_needed: Sequence[int] = BODY,
        level: bool = False,
        sane: bool = False,
    ) -> Body:
        """Clean, smooth and describe a pose sequence (the hinge analyzer's preparation, for every exercise).

        Args:
            seq: the pose sequence.
            config: the configuration; only ``config.signal`` (smoothing) and ``config.body.height_cm`` are read.
            position: the exercise's own position, if it declares one: the view and facing rules then use it
                instead of the estimated position (which is still reported in :attr:`position`).
            landmarks_needed: (left, right) landmark pairs that must be in frame for :attr:`full_body`.
            level: measure the camera roll from the straight standing frames and the room's straight lines (the
                ``scene_lines`` probe, when the sequence has it) and undo it in :attr:`px` (rotation about the image
                centre) before the view and everything after it: from ``SCENE_CORRECT_MIN_DEG`` when the two
                readings agree, else from ``ROLL_CORRECT_MIN_DEG``; world landmarks are unaffected.
            sane: landmark sanity (:mod:`formcheck.body.sanity`) before smoothing: shot cuts and zooms re-based
                onto the first shot's scale, jumping points and ends of stretched segments unknown (NaN).
        """
        t = np.asarray(seq.t_s, dtype=np.float64)
        px_raw, world_raw, vis = clean_landmarks(seq)
        unsound, cuts = None, ()
        if sane:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
                px_raw, unsound, cut_list = sane_px(px_raw, t)
            cuts = tuple(cut_list)
            # A jumping / stretched point is wrong in the world estimate of that frame too (the same detection);
            # the cut re-basing is an image-scale fix only, world coordinates are metric and do not zoom.
            world_raw = np.where(unsound[..., None], np.nan, world_raw)
        present = seq.present
        full_body = whole_body_in_view(seq.landmarks, landmarks_needed, aspect=seq.width / max(seq.height, 1)) & present
        seen_clearly = clearly_in_view(seq.landmarks, landmarks_needed) & present
        with warnings.catch_warnings():
            # Frames or whole landmarks can be unknown (NaN); nan-aware reductions over them are expected.
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            px = smooth_landmarks(px_raw, t, config.signal)
            world = smooth_landmarks(world_raw, t, config.signal)
            image_z = image_depth(seq, px_raw)
            labels = position_per_frame(world)
            estimate = classify_position(world, labels, t_s=t)
            rules_for = Position.parse(position) if position is not None else estimate.position
            view = estimate_view(px, world, image_z, rules_for)
            roll, undone, source, scene = float("nan"), 0.0, "", None
            if level:
                est = camera_roll_deg(px, labels == Position.STANDING.value)
                centre = (seq.width / 2.0, seq.height / 2.0)
                if np.isfinite(est.roll_deg):  # the lean depends on the view: judge it on a levelled picture
                    view = estimate_view(rotate_px(px, -est.roll_deg, centre), world, image_z, rules_for)
                body_roll = level_roll_deg(est, view.facing_sign, view.azimuth_deg)
                scene = scene_roll_deg(seq.probes.get(SCENE_LINES_PROBE), seq.width)
                roll, source = combined_roll_deg(body_roll, scene)
                # the body line alone cannot tell a body's own lean from a roll below ROLL_CORRECT_MIN_DEG
                if abs(roll) >= (SCENE_CORRECT_MIN_DEG if source == "scene" else ROLL_CORRECT_MIN_DEG):
                    undone = roll
                    px = rotate_px(px, -roll, centre)
                    view = estimate_view(px, world, image_z, rules_for)
            if view.view == "unknown" and np.any(present) and not np.any(np.isfinite(world)):
                # No world landmarks at all (a pose import, formcheck.io.posecsv): the view cannot be measured and
                # every exercise's world-angle path would give NaN (no reps). Assume the side view the exercises are
                # filmed in; the azimuth stays NaN and the importer says so with the analysis.
                view = dataclasses.replace(view, view="side")
            ppc = px_per_cm(px, view.near_side, config.body.height_cm)
        return cls(
            t_s=t,
            px=px,
            world=world,
            vis=vis,
            image_z=image_z,
            present=present,
            full_body=full_body,
            seen_clearly=seen_clearly,
            view=view,
            position=estimate,
            positions=labels,
            px_per_cm=ppc,
            width=int(seq.width),
            height=int(seq.height),
            camera_roll_deg=roll,
            roll_corrected_deg=undone,
            unsound=unsound,
            cuts=cuts,
            roll_source=source,
            scene_roll=scene,
        )

    def level_px(self, xy: np.ndarray) -> np.ndarray:
        """Other ``(T, ..., 2)`` pixel data (e.g. the back outline) re-based across cuts and turned like :attr:`px`
        (a copy; NaN stays NaN)."""
        return rotate_px(apply_cuts(xy, self.cuts), -self.roll_corrected_deg, (self.width / 2.0, self.height / 2.0))

    @cached_property
    def roll(self) -> RollEstimate:
        """Camera roll from straight standing frames (NaN when the person never stands straight); computed when
        first asked for, as no analysis reads it yet."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            return camera_roll_deg(self.px, self.positions == Position.STANDING.value)

    @property
    def n_frames(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def near_side(self) -> str:
        """The subject's side nearer the camera (``"left"`` / ``"right"``)."""
        return self.view.near_side

    @property
    def facing(self) -> float:
        """+1 the person faces (or their head points) image-right, -1 image-left."""
        return self.view.facing_sign

    def near_px(self, joint: str) -> np.ndarray:
        """``(T, 2)`` pixel track of a near-side joint, e.g. ``near_px("knee")`` (``"hip"``, ``"heel"``, ...)."""
        return self.px[:, int(LM[f"{self.near_side.upper()}_{joint.upper()}"])]

    def _mid_px(self, name: str) -> np.ndarray:
        return mid(self.px[:, int(LM[f"LEFT_{name}"])], self.px[:, int(LM[f"RIGHT_{name}"])])

    def _mid_world(self, name: str) -> np.ndarray:
        return mid(self.world[:, int(LM[f"LEFT_{name}"])], self.world[:, int(LM[f"RIGHT_{name}"])])

    # Mid-points: both sides' mean, or the one side that is known (side-on the pair nearly coincides).
    @cached_property
    def mid_hip_px(self) -> np.ndarray:
        return self._mid_px("HIP")

    @cached_property
    def mid_shoulder_px(self) -> np.ndarray:
        return self._mid_px("SHOULDER")

    @cached_property
    def mid_ear_px(self) -> np.ndarray:
        return self._mid_px("EAR")

    @cached_property
    def mid_knee_px(self) -> np.ndarray:
        return self._mid_px("KNEE")

    @cached_property
    def mid_ankle_px(self) -> np.ndarray:
        return self._mid_px("ANKLE")

    @cached_property
    def mid_hip_world(self) -> np.ndarray:
        return self._mid_world("HIP")

    @cached_property
    def mid_shoulder_world(self) -> np.ndarray:
        return self._mid_world("SHOULDER")


__all__ = [
    "BODY", "KNOWN_POSITIONS", "Body", "Position", "PositionEstimate", "RollEstimate", "ViewEstimate", "ViewTracker",
    "classify_position", "estimate_view", "position_per_frame",
]  # fmt: skip
