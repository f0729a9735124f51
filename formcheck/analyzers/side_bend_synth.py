"""Synthetic standing side bends with exact truth (:mod:`formcheck.analyzers.frontal_synth`'s 3D figure).

Each rep bends the spine sideways to one side (``bend_deg`` of arc, shared unevenly by four segments, so the
trunk axis from mid-hip to mid-shoulder tips by about 70 % of it and the shoulder line by all of it) and back;
the pelvis can tip (``pelvis_tilt_deg``) and the hips can sway sideways (``sway_cm``, + away from the bend side,
the usual compensation). Truth comes from the figure's joints: ``lateral_flexion_deg`` is the trunk axis against
the pelvis's up axis in the pelvis's frontal plane, ``hip_shift_cm`` the mid-hip's sideways distance from over
the mid-ankle.

Public generator for other tools (e.g. exercise recognition): :func:`make_side_bend`.
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
class SideBendRep:
    """One rep: its side, the spine's bend (arc, deg), pelvis tip (deg), hip sway (cm) and optional tempo (s)."""

    side: str = "left"
    bend_deg: float = 42.0  # trunk axis ~29°, shoulder line ~42° from the pelvis line
    pelvis_tilt_deg: float = 3.0  # the pelvis tips a little with the bend (toward the bend side's hip lower)
    sway_cm: float = 0.0
    tempo: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        fs.check_side(self.side)


TEMPO = (2.0, 0.5, 2.0, 1.0)  # bend over 2 s, 0.5 s at the end of the range, 2 s back, 1 s upright
FAULTS: dict[str, dict[str, object]] = {
    "clean": {},
    "shallow": {"bend_deg": 20.0},  # trunk axis ~14°
    "hip_sway": {"sway_cm": 9.0},
    "fast": {"tempo": (0.7, 0.2, 0.7, 1.0)},
}


def alternate(n_reps: int, **kw: object) -> list[SideBendRep]:
    """``n_reps`` reps alternating left, right, ... with the same parameters."""
    return fs.alternate(SideBendRep, n_reps, **kw)


def side_bend_clip(
    reps: list[SideBendRep] | None = None, *, n_reps: int = 4, **opts: Unpack[ClipOptions]
) -> FrontalClip:
    """A side-bend set with exact truth.

    Args:
        reps: one :class:`SideBendRep` per rep (default: ``n_reps`` clean reps alternating left and right).
        opts: timing, view and noise (:class:`~formcheck.analyzers.frontal_synth.ClipOptions`).
    """
    specs = list(reps) if reps is not None else alternate(n_reps)

    def pose_of(tl: Timeline) -> Pose:
        sign, z = tl.sign("side"), np.zeros_like(tl.t)
        # Pelvis tilt + = left hip lower: bending left lowers the left hip (sign); hips sway away from the bend.
        return Pose(bend_deg=sign * tl.per("bend_deg") * tl.u, twist_deg=z,
                    pelvis_tilt_deg=sign * tl.per("pelvis_tilt_deg") * tl.u, pelvis_yaw_deg=z,
                    shift_m=-sign * tl.per("sway_cm") / 100.0 * tl.u, press=z)  # fmt: skip

    def rep_truth(i: int, s: SideBendRep, tl: Timeline, tr: dict[str, np.ndarray]) -> dict[str, Any]:
        peak, p = tl.peak(i), tl.phases[i]
        return {"side": s.side, "lateral_flexion_deg": abs(float(tr["lateral_flexion_deg"][peak])),
                "shoulder_tilt_deg": abs(float(tr["shoulder_tilt_deg"][peak])),
                "hip_sway_cm": abs(float(tr["hip_shift_cm"][peak] - tr["hip_shift_cm"][0])),
                "eccentric_s": p["bottom_start_s"] - p["start_s"],
                "concentric_s": p["end_s"] - p["bottom_end_s"]}  # fmt: skip

    return fs.frontal_clip(specs, [s.tempo or TEMPO for s in specs], pose_of, "hang", rep_truth, **opts)


def make_side_bend(
    n_reps: int = 4, *, sides: str = "alternate", bend_deg: float = 42.0, azimuth_deg: float = 0.0,
    fps: float = 30.0, noise_px: float = 0.0, seed: int = 0,
) -> PoseSequence:  # fmt: skip
    """A side-bend :class:`PoseSequence` (for recognition and other tools): ``sides`` "alternate", "left" or "right"."""
    reps = [SideBendRep(side=s, bend_deg=bend_deg) for s in fs.side_order(n_reps, sides)]
    return side_bend_clip(reps, azimuth_deg=azimuth_deg, fps=fps, noise_px=noise_px, seed=seed).seq


def synth_clip(**kw: object) -> FrontalClip:
    """The conformance generator (n_reps, facing, fps, seed): clean reps alternating left and right, from the front."""
    return side_bend_clip(**kw)  # type: ignore[arg-type]
