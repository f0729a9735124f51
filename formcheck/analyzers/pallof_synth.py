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

import numpy as np

from formcheck.analyzers.frontal_synth import (
    Figure,
    FrontalClip,
    FrontalTruth,
    Pose,
    film,
    pose_figure,
    rep_profile,
    truth_of,
)
from formcheck.types import PoseSequence

SIDES = ("left", "right")


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


def pallof_clip(
    reps: list[PallofRep] | None = None,
    *,
    n_reps: int = 3,
    facing: int = 1,
    azimuth_deg: float | None = None,
    fps: float = 30.0,
    lead_in_s: float = 1.5,
    lead_out_s: float = 1.5,
    noise_px: float = 0.0,
    depth_noise_m: float = 0.0,
    seed: int = 0,
    figure: Figure | None = None,
    shape: str = "min_jerk",
) -> FrontalClip:
    """A Pallof-press set with exact truth (arguments as in :mod:`formcheck.analyzers.side_bend_synth`)."""
    specs = list(reps) if reps is not None else [PallofRep() for _ in range(n_reps)]
    az = float(azimuth_deg) if azimuth_deg is not None else (0.0 if facing >= 0 else 180.0)
    tempos = [s.tempo for s in specs]
    total = lead_in_s + sum(sum(tp) for tp in tempos) - tempos[-1][3] + lead_out_s
    t = np.arange(0.0, total, 1.0 / fps)
    u, rep_idx, phases = rep_profile(t, tempos, lead_in_s, shape)
    k = np.clip(rep_idx - 1, 0, len(specs) - 1)
    sign = np.array([1.0 if s.anchor == "left" else -1.0 for s in specs])[k]

    def per(attr: str) -> np.ndarray:
        return np.array([float(getattr(s, attr)) for s in specs])[k]

    z = np.zeros_like(t)
    pose = Pose(bend_deg=sign * per("lean_deg") * u, twist_deg=sign * per("rotation_deg") * u, pelvis_tilt_deg=z,
                pelvis_yaw_deg=z, shift_m=z, press=u)  # fmt: skip
    pts = pose_figure(figure or Figure(), pose, "press")
    tr = truth_of(pts, pose)
    seq = film(pts, t, azimuth_deg=az, noise_px=noise_px, depth_noise_m=depth_noise_m, seed=seed)
    rep_truth = []
    for i, s in enumerate(specs):
        sel = rep_idx == i + 1
        idx = np.flatnonzero(sel)
        peak = int(idx[np.argmax(u[sel])])
        rest = int(idx[0])
        rep_truth.append({"anchor": s.anchor, "side": s.anchor,
                          "rotation_deg": abs(float(tr["shoulder_yaw_deg"][peak] - tr["shoulder_yaw_deg"][rest])),
                          "lean_deg": abs(float(tr["lateral_flexion_deg"][peak] - tr["lateral_flexion_deg"][rest])),
                          "hold_s": s.hold_s, "press_s": s.press_s, "return_s": s.return_s,
                          "elbow_min_deg": float(tr["elbow_deg"][rest]),
                          "elbow_max_deg": float(tr["elbow_deg"][peak])})  # fmt: skip
    truth = FrontalTruth(t_s=t, u=u, rep=rep_idx, phases=phases, reps=rep_truth, **tr)
    return FrontalClip(seq=seq, truth=truth, azimuth_deg=az, facing=facing)


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
