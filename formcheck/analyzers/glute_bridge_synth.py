"""Synthetic glute bridges with known truth: supine side-view landmark sequences.

A stick figure lies on its back (shoulders and feet on the floor, knees bent) and lifts the pelvis by turning the
trunk about the shoulders; the feet stay planted, so the knee is where the thigh and the shank (fixed ankle) meet.
The script per rep is rest → rise (minimum jerk) → pause at the top → lower (minimum jerk) → rest. The pose is
driven by the trunk's angle to the floor, *not* by the body line the analyzer measures: the top angle is solved
numerically so that the shoulder–hip–knee line reaches the asked ``top_line_deg``, and the truth is the signed line
measured on the figure at every frame (:func:`formcheck.analyzers.floor_synth.measured_line_deg`).

The figure is simple on purpose (straight segments, mirror-image sides, an orthographic level camera): it tests
the analyzer's logic and arithmetic, not how MediaPipe sees a body lying down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq

from formcheck.analyzers.floor_synth import (
    FOREARM_M,
    SHANK_M,
    THIGH_M,
    TRUNK_M,
    UPPER_ARM_M,
    _side_view_points,
    _to_sequence,
    measured_line_deg,
    min_jerk,
)
from formcheck.types import PoseSequence

SHOULDER_V_M = 0.08  # shoulder joint centre above the floor, lying on the back
ANKLE_V_M = 0.08
FOOT_DIST_M = 0.52  # ankle from the resting hip along the floor (knees bent about 90-100° at rest)


@dataclass(frozen=True)
class BridgeRep:
    """One rep: the body line reached at the top (signed: + past straight) and the tempo, seconds."""

    top_line_deg: float = -2.0
    rise_s: float = 1.2
    top_s: float = 1.0
    lower_s: float = 1.2
    rest_s: float = 1.0
    # Marching at the top: the legs lifted in turn ("left"/"right"), each knee drawn toward the chest by
    # ``march_deg`` of hip flexion and put down again over ``march_s`` (minimum jerk), ``march_gap_s`` apart; the
    # top pause is then ``top_s`` before the first march, the marches, and ``top_s`` after the last.
    marches: tuple[str, ...] = ()
    march_deg: float = 70.0
    march_s: float = 1.2
    march_gap_s: float = 0.4


@dataclass
class Truth:
    """What the generator did: ``phases`` per rep (start, top reached, lowering begun, end), the signed
    shoulder–hip–knee line per frame and the line at each rep's top (measured on the figure)."""

    phases: list[dict] = field(default_factory=list)
    line_deg: np.ndarray | None = None
    top_line_deg: list[float] = field(default_factory=list)
    top_pause_s: list[float] = field(default_factory=list)
    marches: list[dict] = field(default_factory=list)  # per march: side, start_s, peak_s, end_s, rep (1-based)


@dataclass
class BridgeClip:
    seq: PoseSequence
    truth: Truth


def _lifted_leg(p: dict[str, np.ndarray], lift_deg: float) -> dict[str, np.ndarray]:
    """The leg of pose ``p`` turned ``lift_deg`` about the hip toward the chest (knee angle kept): a march."""
    a = math.radians(lift_deg)
    # u toward the head, v up, the knee toward the feet (lower u than the hip): toward the chest is clockwise.
    r = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    h = p["HIP"]
    return {j: h + r @ (p[j] - h) for j in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")}


def _pose(theta_deg: float) -> dict[str, np.ndarray]:
    """Sagittal ``(u, v)`` pose (u toward the head, v up) with the trunk ``theta_deg`` above the floor."""
    th = math.radians(theta_deg)
    s = np.array([0.0, SHOULDER_V_M])
    h = s + TRUNK_M * np.array([-math.cos(th), math.sin(th)])
    a = np.array([-TRUNK_M - FOOT_DIST_M, ANKLE_V_M])
    # Knee: where the thigh (from the hip) meets the shank (from the planted ankle), the upper solution.
    d = float(np.linalg.norm(a - h))
    x = (THIGH_M**2 - SHANK_M**2 + d**2) / (2 * d)
    y = math.sqrt(max(THIGH_M**2 - x**2, 0.0))
    e = (a - h) / d
    n = np.array([-e[1], e[0]])
    if n[1] < 0:
        n = -n
    k = h + x * e + y * n
    elbow = s + np.array([-UPPER_ARM_M, -0.03])
    wrist = elbow + np.array([-FOREARM_M, 0.0])
    ear = s + np.array([0.20, 0.04])
    nose = ear + np.array([0.05, 0.09])  # face to the ceiling
    return {"SHOULDER": s, "HIP": h, "KNEE": k, "ANKLE": a, "ELBOW": elbow, "WRIST": wrist,
            "HEEL": a + np.array([0.04, -0.04]), "FOOT_INDEX": a + np.array([-0.15, -0.06]), "EAR": ear,
            "NOSE": nose}  # fmt: skip


def line_of(theta_deg: float) -> float:
    """The signed shoulder–hip–knee line of the pose with the trunk ``theta_deg`` above the floor."""
    p = _pose(theta_deg)
    return measured_line_deg(p["SHOULDER"], p["HIP"], p["KNEE"])


def theta_for(line_deg: float) -> float:
    """The trunk angle whose body line is ``line_deg`` (the line rises monotonically with the trunk angle)."""
    return float(brentq(lambda th: line_of(th) - line_deg, 0.0, 60.0, xtol=1e-6))


def bridge_clip(n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, *,
                reps: Sequence[BridgeRep] | None = None, lead_s: float = 1.0,
                noise_px: float = 0.5, knee_spread_m: float = 0.0) -> BridgeClip:  # fmt: skip
    """A side-view glute-bridge set: ``n_reps`` bridges (or ``reps``) from a rest lying on the back.

    The conformance suite calls it with ``n_reps``, ``facing`` (+1 the head is image-right), ``fps`` and ``seed``.
    ``knee_spread_m``: the knees this much wider apart than the hips (negative: closer together), sideways only
    (the sagittal pose and the truth are unchanged; a side camera does not see it, a raised one does).
    """
    reps = list(reps) if reps is not None else [BridgeRep()] * n_reps
    dt = 1.0 / fps
    thetas: list[float] = []
    phases = []
    t0 = 0.0

    def seg(duration: float, fn) -> None:
        nonlocal t0
        n = max(1, round(duration * fps))
        thetas.extend(fn(k / n) for k in range(n))
        t0 += n * dt

    lifts: list[tuple[str | None, float]] = []  # per frame: the marching side and its lift, deg
    marches: list[dict] = []

    def seg_lift(duration: float, side: str | None, fn_lift) -> None:
        n = max(1, round(duration * fps))
        lifts.extend((side, float(fn_lift(k / n))) for k in range(n))

    def still(duration: float) -> None:
        seg_lift(duration, None, lambda u: 0.0)

    still(lead_s)
    seg(lead_s, lambda u: 0.0)
    for i, r in enumerate(reps):
        top = theta_for(r.top_line_deg)
        start = t0
        still(r.rise_s)
        seg(r.rise_s, lambda u, top=top: top * float(min_jerk(np.array(u))))
        top_at = t0
        if r.marches:
            still(r.top_s)
            seg(r.top_s, lambda u, top=top: top)
            for k, side in enumerate(r.marches):
                m0 = t0
                seg_lift(r.march_s, side, lambda u, d=r.march_deg: d * math.sin(math.pi * u) ** 2)  # up and down
                seg(r.march_s, lambda u, top=top: top)
                marches.append({"rep": i + 1, "side": side, "start_s": m0, "peak_s": m0 + r.march_s / 2,
                                "end_s": t0})  # fmt: skip
                gap = r.march_gap_s if k + 1 < len(r.marches) else r.top_s
                still(gap)
                seg(gap, lambda u, top=top: top)
        else:
            still(r.top_s)
            seg(r.top_s, lambda u, top=top: top)
        lower_at = t0
        still(r.lower_s)
        seg(r.lower_s, lambda u, top=top: top * (1.0 - float(min_jerk(np.array(u)))))
        phases.append({"start_s": start, "bottom_start_s": top_at, "bottom_end_s": lower_at, "end_s": t0})
        still(r.rest_s)
        seg(r.rest_s, lambda u: 0.0)
    t = np.arange(len(thetas)) * dt
    near = "left" if facing > 0 else "right"  # on the back, head image-right: the left side faces the camera
    pts, line = [], []
    for th, (side, lift) in zip(thetas, lifts, strict=True):
        p = _pose(th)
        line.append(measured_line_deg(p["SHOULDER"], p["HIP"], p["KNEE"]))  # the planted leg's line
        out = _side_view_points(p, facing, near)
        if side is not None and lift > 0:
            moved = _side_view_points({**p, **_lifted_leg(p, lift)}, facing, near)
            for j in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX"):
                out[f"{side.upper()}_{j}"] = moved[f"{side.upper()}_{j}"]
        for s in ("LEFT", "RIGHT"):  # the knees' sideways spread: away from the body's mid-plane (z = 0)
            k = out[f"{s}_KNEE"].copy()
            k[2] += math.copysign(knee_spread_m / 2, k[2])
            out[f"{s}_KNEE"] = k
        pts.append(out)
    truth = Truth(phases=phases, line_deg=np.array(line), top_line_deg=[line_of(theta_for(r.top_line_deg))
                                                                          for r in reps],
                  top_pause_s=[p["bottom_end_s"] - p["bottom_start_s"] for p in phases],
                  marches=marches)  # fmt: skip
    return BridgeClip(_to_sequence(pts, t, fps, seed, noise_px, "side"), truth)
