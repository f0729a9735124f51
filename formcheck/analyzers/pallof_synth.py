"""Synthetic Pallof presses with exact truth (:mod:`formcheck.analyzers.frontal_synth`'s 3D figure).

Standing face-on to the camera (the cable anchor at one side), each rep presses the hands from the sternum
straight forward until the arms are almost straight (elbow ~70° → ~175°), holds them out, and brings them back.
A clean rep keeps the trunk square and upright; a faulty one lets the cable turn the trunk (``rotation_deg``:
the spine twists toward the anchor) or pull it sideways (``lean_deg``: the spine bends toward the anchor), both
growing with the press and held through the hold. Truth from the figure's joints: the shoulder line's turn
against its rest direction and the trunk axis's sideways tip against the pelvis.

Public generator for other tools (e.g. exercise recognition): :func:`make_pallof_press`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Unpack

import numpy as np

from formcheck.analyzers import frontal_synth as fs
from formcheck.analyzers.frontal_synth import ClipOptions, FrontalClip, Pose, Timeline
from formcheck.types import PoseSequence

SIDES = fs.SIDES


@dataclass(frozen=True)
class PallofRep:
    """One press: the anchor side, the trunk's twist and sideways bend toward it (deg, arc), hold and tempo (s)."""

    anchor: str = "left"
    rotation_deg: float = 0.0
    lean_deg: float = 0.0
    press_s: float = 1.5
    hold_s: float = 3.0
    return_s: float = 1.5
    rest_s: float = 1.5

    @property
    def tempo(self) -> tuple[float, float, float, float]:
        return (self.press_s, self.hold_s, self.return_s, self.rest_s)


FAULTS: dict[str, dict[str, object]] = {
    "clean": {},
    "rotates": {"rotation_deg": 14.0},
    "leans": {"lean_deg": 16.0},  # trunk axis ~11° sideways
    "short_hold": {"hold_s": 0.8},
    "fast": {"press_s": 0.5, "return_s": 0.5},
}


def pallof_clip(reps: list[PallofRep] | None = None, *, n_reps: int = 3, **opts: Unpack[ClipOptions]) -> FrontalClip:
    """A Pallof-press set with exact truth (arguments as in :mod:`formcheck.analyzers.side_bend_synth`)."""
    specs = list(reps) if reps is not None else [PallofRep() for _ in range(n_reps)]

    def pose_of(tl: Timeline) -> Pose:
        sign, z = tl.sign("anchor"), np.zeros_like(tl.t)
        return Pose(bend_deg=sign * tl.per("lean_deg") * tl.u, twist_deg=sign * tl.per("rotation_deg") * tl.u,
                    pelvis_tilt_deg=z, pelvis_yaw_deg=z, shift_m=z, press=tl.u)  # fmt: skip

    def rep_truth(i: int, s: PallofRep, tl: Timeline, tr: dict[str, np.ndarray]) -> dict[str, Any]:
        peak, rest = tl.peak(i), int(tl.frames(i)[0])
        return {"anchor": s.anchor, "side": s.anchor,
                "rotation_deg": abs(float(tr["shoulder_yaw_deg"][peak] - tr["shoulder_yaw_deg"][rest])),
                "lean_deg": abs(float(tr["lateral_flexion_deg"][peak] - tr["lateral_flexion_deg"][rest])),
                "hold_s": s.hold_s, "press_s": s.press_s, "return_s": s.return_s,
                "elbow_min_deg": float(tr["elbow_deg"][rest]),
                "elbow_max_deg": float(tr["elbow_deg"][peak])}  # fmt: skip

    return fs.frontal_clip(specs, [s.tempo for s in specs], pose_of, "press", rep_truth, **opts)


def make_pallof_press(
    n_reps: int = 3, *, hold_s: float = 3.0, azimuth_deg: float = 0.0, fps: float = 30.0, noise_px: float = 0.0,
    seed: int = 0,
) -> PoseSequence:  # fmt: skip
    """A Pallof-press :class:`PoseSequence` (for recognition and other tools): clean presses with holds."""
    reps = [PallofRep(hold_s=hold_s) for _ in range(n_reps)]
    return pallof_clip(reps, azimuth_deg=azimuth_deg, fps=fps, noise_px=noise_px, seed=seed).seq


def synth_clip(**kw: object) -> FrontalClip:
    """The conformance generator (n_reps, facing, fps, seed): clean presses from the front."""
    return pallof_clip(**kw)  # type: ignore[arg-type]
