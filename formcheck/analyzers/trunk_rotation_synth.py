"""Synthetic trunk rotations with exact truth (:mod:`formcheck.analyzers.frontal_synth`'s 3D figure).

Standing, arms crossed on the chest, each rep twists the spine to one side (``twist_deg``, shared unevenly by
four segments, so the shoulder line turns by all of it against the pelvis) and back; a faulty rep lets the pelvis
turn with it (``pelvis_yaw_deg``). Truth from the figure's joints: ``rotation_deg`` is the horizontal shoulder
line's angle against the horizontal pelvis line. MediaPipe-like depth noise (``depth_noise_m`` on world z) is
what one camera's rotation estimate suffers from.

Public generator for other tools (e.g. exercise recognition): :func:`make_trunk_rotation`.
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
class RotationRep:
    """One rep: the side turned to, the trunk's twist against the pelvis (deg), the pelvis's own turn (deg)."""

    side: str = "left"
    twist_deg: float = 40.0
    pelvis_yaw_deg: float = 0.0
    tempo: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"side must be 'left' or 'right', not {self.side!r}")


TEMPO = (2.0, 0.5, 2.0, 1.0)
FAULTS: dict[str, dict[str, object]] = {
    "clean": {},
    "small_range": {"twist_deg": 15.0},
    "pelvis_turns": {"pelvis_yaw_deg": 20.0},
    "fast": {"tempo": (0.7, 0.2, 0.7, 1.0)},
}


def alternate(n_reps: int, **kw: object) -> list[RotationRep]:
    return [RotationRep(side=SIDES[k % 2], **kw) for k in range(n_reps)]  # type: ignore[arg-type]


def trunk_rotation_clip(
    reps: list[RotationRep] | None = None,
    *,
    n_reps: int = 4,
    facing: int = 1,
    azimuth_deg: float | None = None,
    fps: float = 30.0,
    lead_in_s: float = 1.5,
    lead_out_s: float = 1.5,
    noise_px: float = 0.0,
    depth_noise_m: float = 0.0,
    world_noise_m: float = 0.0,
    seed: int = 0,
    figure: Figure | None = None,
    shape: str = "min_jerk",
) -> FrontalClip:
    """A trunk-rotation set with exact truth (arguments as in :mod:`formcheck.analyzers.side_bend_synth`)."""
    specs = list(reps) if reps is not None else alternate(n_reps)
    az = float(azimuth_deg) if azimuth_deg is not None else (0.0 if facing >= 0 else 180.0)
    tempos = [s.tempo or TEMPO for s in specs]
    total = lead_in_s + sum(sum(tp) for tp in tempos) - tempos[-1][3] + lead_out_s
    t = np.arange(0.0, total, 1.0 / fps)
    u, rep_idx, phases = rep_profile(t, tempos, lead_in_s, shape)
    k = np.clip(rep_idx - 1, 0, len(specs) - 1)
    sign = np.array([1.0 if s.side == "left" else -1.0 for s in specs])[k]

    def per(attr: str) -> np.ndarray:
        return np.array([float(getattr(s, attr)) for s in specs])[k]

    z = np.zeros_like(t)
    pose = Pose(bend_deg=z, twist_deg=sign * per("twist_deg") * u, pelvis_tilt_deg=z,
                pelvis_yaw_deg=sign * per("pelvis_yaw_deg") * u, shift_m=z, press=z)  # fmt: skip
    pts = pose_figure(figure or Figure(), pose, "cross")
    tr = truth_of(pts, pose)
    seq = film(pts, t, azimuth_deg=az, noise_px=noise_px, depth_noise_m=depth_noise_m, world_noise_m=world_noise_m,
               seed=seed)  # fmt: skip
    rep_truth = []
    for i, (s, p) in enumerate(zip(specs, phases, strict=True)):
        sel = rep_idx == i + 1
        peak = int(np.flatnonzero(sel)[np.argmax(u[sel])])
        rep_truth.append({"side": s.side, "rotation_deg": abs(float(tr["rotation_deg"][peak])),
                          "pelvis_turn_deg": abs(s.pelvis_yaw_deg),
                          "eccentric_s": p["bottom_start_s"] - p["start_s"],
                          "concentric_s": p["end_s"] - p["bottom_end_s"]})  # fmt: skip
    truth = FrontalTruth(t_s=t, u=u, rep=rep_idx, phases=phases, reps=rep_truth, **tr)
    return FrontalClip(seq=seq, truth=truth, azimuth_deg=az, facing=facing)


def make_trunk_rotation(
    n_reps: int = 4, *, sides: str = "alternate", twist_deg: float = 40.0, azimuth_deg: float = 0.0,
    fps: float = 30.0, noise_px: float = 0.0, depth_noise_m: float = 0.0, seed: int = 0,
) -> PoseSequence:  # fmt: skip
    """A trunk-rotation :class:`PoseSequence` (for recognition and other tools): ``sides`` alternate/left/right."""
    order = [SIDES[k % 2] if sides == "alternate" else sides for k in range(n_reps)]
    reps = [RotationRep(side=s, twist_deg=twist_deg) for s in order]
    return trunk_rotation_clip(reps, azimuth_deg=azimuth_deg, fps=fps, noise_px=noise_px,
                               depth_noise_m=depth_noise_m, seed=seed).seq  # fmt: skip


def synth_clip(**kw: object) -> FrontalClip:
    """The conformance generator (n_reps, facing, fps, seed): clean reps alternating left and right, from the front."""
    return trunk_rotation_clip(**kw)  # type: ignore[arg-type]
