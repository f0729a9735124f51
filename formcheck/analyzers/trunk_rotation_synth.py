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
from typing import Any, Unpack

import numpy as np

from formcheck.analyzers import frontal_synth as fs
from formcheck.analyzers.frontal_synth import ClipOptions, FrontalClip, Pose, Timeline
from formcheck.types import PoseSequence

SIDES = fs.SIDES


@dataclass(frozen=True)
class RotationRep:
    """One rep: the side turned to, the trunk's twist against the pelvis (deg), the pelvis's own turn (deg)."""

    side: str = "left"
    twist_deg: float = 40.0
    pelvis_yaw_deg: float = 0.0
    tempo: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        fs.check_side(self.side)


TEMPO = (2.0, 0.5, 2.0, 1.0)
FAULTS: dict[str, dict[str, object]] = {
    "clean": {},
    "small_range": {"twist_deg": 15.0},
    "pelvis_turns": {"pelvis_yaw_deg": 20.0},
    "fast": {"tempo": (0.7, 0.2, 0.7, 1.0)},
}


def alternate(n_reps: int, **kw: object) -> list[RotationRep]:
    """``n_reps`` reps alternating left, right, ... with the same parameters."""
    return fs.alternate(RotationRep, n_reps, **kw)


def trunk_rotation_clip(
    reps: list[RotationRep] | None = None, *, n_reps: int = 4, **opts: Unpack[ClipOptions]
) -> FrontalClip:
    """A trunk-rotation set with exact truth (arguments as in :mod:`formcheck.analyzers.side_bend_synth`)."""
    specs = list(reps) if reps is not None else alternate(n_reps)

    def pose_of(tl: Timeline) -> Pose:
        sign, z = tl.sign("side"), np.zeros_like(tl.t)
        return Pose(bend_deg=z, twist_deg=sign * tl.per("twist_deg") * tl.u, pelvis_tilt_deg=z,
                    pelvis_yaw_deg=sign * tl.per("pelvis_yaw_deg") * tl.u, shift_m=z, press=z)  # fmt: skip

    def rep_truth(i: int, s: RotationRep, tl: Timeline, tr: dict[str, np.ndarray]) -> dict[str, Any]:
        peak, p = tl.peak(i), tl.phases[i]
        return {"side": s.side, "rotation_deg": abs(float(tr["rotation_deg"][peak])),
                "pelvis_turn_deg": abs(s.pelvis_yaw_deg), "eccentric_s": p["bottom_start_s"] - p["start_s"],
                "concentric_s": p["end_s"] - p["bottom_end_s"]}  # fmt: skip

    return fs.frontal_clip(specs, [s.tempo or TEMPO for s in specs], pose_of, "cross", rep_truth, **opts)


def make_trunk_rotation(
    n_reps: int = 4, *, sides: str = "alternate", twist_deg: float = 40.0, azimuth_deg: float = 0.0,
    fps: float = 30.0, noise_px: float = 0.0, depth_noise_m: float = 0.0, seed: int = 0,
) -> PoseSequence:  # fmt: skip
    """A trunk-rotation :class:`PoseSequence` (for recognition and other tools): ``sides`` alternate/left/right."""
    reps = [RotationRep(side=s, twist_deg=twist_deg) for s in fs.side_order(n_reps, sides)]
    return trunk_rotation_clip(reps, azimuth_deg=azimuth_deg, fps=fps, noise_px=noise_px,
                               depth_noise_m=depth_noise_m, seed=seed).seq  # fmt: skip


def synth_clip(**kw: object) -> FrontalClip:
    """The conformance generator (n_reps, facing, fps, seed): clean reps alternating left and right, from the front."""
    return trunk_rotation_clip(**kw)  # type: ignore[arg-type]
