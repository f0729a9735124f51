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
class SideBendRep:
    """One rep: its side, the spine's bend (arc, deg), pelvis tip (deg), hip sway (cm) and optional tempo (s)."""

    side: str = "left"
    bend_deg: float = 42.0  # trunk axis ~29°, shoulder line ~42° from the pelvis line
    pelvis_tilt_deg: float = 3.0  # the pelvis tips a little with the bend (toward the bend side's hip lower)
    sway_cm: float = 0.0
    tempo: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"side must be 'left' or 'right', not {self.side!r}")


TEMPO = (2.0, 0.5, 2.0, 1.0)  # bend over 2 s, 0.5 s at the end of the range, 2 s back, 1 s upright
FAULTS: dict[str, dict[str, object]] = {
    "clean": {},
    "shallow": {"bend_deg": 20.0},  # trunk axis ~14°
    "hip_sway": {"sway_cm": 9.0},
    "fast": {"tempo": (0.7, 0.2, 0.7, 1.0)},
}


def alternate(n_reps: int, **kw: object) -> list[SideBendRep]:
    """``n_reps`` reps alternating left, right, ... with the same parameters."""
    return [SideBendRep(side=SIDES[k % 2], **kw) for k in range(n_reps)]  # type: ignore[arg-type]


def side_bend_clip(
    reps: list[SideBendRep] | None = None,
    *,
    n_reps: int = 4,
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
    """A side-bend set with exact truth.

    Args:
        reps: one :class:`SideBendRep` per rep (default: ``n_reps`` clean reps alternating left and right).
        facing: +1 facing the camera (azimuth 0), -1 back to the camera (azimuth 180); ignored with ``azimuth_deg``.
        azimuth_deg: the camera's azimuth around the subject (0 front, 90 at the subject's left side).
        fps, lead_in_s, lead_out_s: frame rate and upright time before the first and after the last rep.
        noise_px, depth_noise_m: image landmark noise (px) and world depth noise (m).
        seed: noise seed.
    """
    specs = list(reps) if reps is not None else alternate(n_reps)
    az = float(azimuth_deg) if azimuth_deg is not None else (0.0 if facing >= 0 else 180.0)
    tempos = [s.tempo or TEMPO for s in specs]
    total = lead_in_s + sum(sum(tp) for tp in tempos) - tempos[-1][3] + lead_out_s if specs else lead_in_s
    t = np.arange(0.0, total, 1.0 / fps)
    u, rep_idx, phases = rep_profile(t, tempos, lead_in_s, shape)
    k = np.clip(rep_idx - 1, 0, max(0, len(specs) - 1))
    sign = np.array([1.0 if s.side == "left" else -1.0 for s in specs])[k] if specs else np.zeros_like(t)

    def per(attr: str) -> np.ndarray:
        return np.array([float(getattr(s, attr)) for s in specs])[k] if specs else np.zeros_like(t)

    z = np.zeros_like(t)
    # Pelvis tilt + = left hip lower: bending left lowers the left hip (sign); hips sway away from the bend.
    pose = Pose(bend_deg=sign * per("bend_deg") * u, twist_deg=z, pelvis_tilt_deg=sign * per("pelvis_tilt_deg") * u,
                pelvis_yaw_deg=z, shift_m=-sign * per("sway_cm") / 100.0 * u, press=z)  # fmt: skip
    fig = figure or Figure()
    pts = pose_figure(fig, pose, "hang")
    tr = truth_of(pts, pose)
    seq = film(pts, t, azimuth_deg=az, noise_px=noise_px, depth_noise_m=depth_noise_m, seed=seed)
    rep_truth = []
    for i, (s, p) in enumerate(zip(specs, phases, strict=True)):
        sel = rep_idx == i + 1
        peak = int(np.flatnonzero(sel)[np.argmax(u[sel])])
        rep_truth.append({"side": s.side, "lateral_flexion_deg": abs(float(tr["lateral_flexion_deg"][peak])),
                          "shoulder_tilt_deg": abs(float(tr["shoulder_tilt_deg"][peak])),
                          "hip_sway_cm": abs(float(tr["hip_shift_cm"][peak] - tr["hip_shift_cm"][0])),
                          "eccentric_s": p["bottom_start_s"] - p["start_s"],
                          "concentric_s": p["end_s"] - p["bottom_end_s"]})  # fmt: skip
    truth = FrontalTruth(t_s=t, u=u, rep=rep_idx, phases=phases, reps=rep_truth, **tr)
    return FrontalClip(seq=seq, truth=truth, azimuth_deg=az, facing=facing)


def make_side_bend(
    n_reps: int = 4, *, sides: str = "alternate", bend_deg: float = 42.0, azimuth_deg: float = 0.0,
    fps: float = 30.0, noise_px: float = 0.0, seed: int = 0,
) -> PoseSequence:  # fmt: skip
    """A side-bend :class:`PoseSequence` (for recognition and other tools): ``sides`` "alternate", "left" or "right"."""
    order = [SIDES[k % 2] if sides == "alternate" else sides for k in range(n_reps)]
    reps = [SideBendRep(side=s, bend_deg=bend_deg) for s in order]
    return side_bend_clip(reps, azimuth_deg=azimuth_deg, fps=fps, noise_px=noise_px, seed=seed).seq


def synth_clip(**kw: object) -> FrontalClip:
    """The conformance generator (n_reps, facing, fps, seed): clean reps alternating left and right, from the front."""
    return side_bend_clip(**kw)  # type: ignore[arg-type]
