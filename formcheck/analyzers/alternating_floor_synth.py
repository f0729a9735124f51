"""Synthetic bird-dogs and dead bugs with known truth: side-view landmark sequences of a stick figure.

The figure is posed with **joint angles** (shoulder and hip swing from the rest direction, knee flexion) that move
on a raised-cosine profile between rest and full reach — not the minimum-jerk fit the rep code assumes, and the
knee straightens on its own, slower profile, so the leg's elevation is not a copy of the thigh's. Per rep: rest →
reach → hold at full reach → return → rest, alternating sides (``first_arm`` reaches first). Faults, per rep:

* ``leg_extra_deg``: the leg goes this far past its normal end (bird-dog: above horizontal; dead bug: lower);
* ``hip_shift_m``: the hips rise (+) or drop (−) this much at full reach (bird-dog: the pelvis sags or hikes;
  dead bug: the low back and pelvis lift off the floor), the shoulders stay;
* ``arm_short_deg``: the arm stops this far short of its normal end.

Truth per frame (measured on the figure, not taken from the script): the moving arm's and leg's elevation,
which side moves; per rep the phase times (``start_s``, ``bottom_start_s`` = full reach, ``bottom_end_s`` =
return begins, ``end_s``), the arm side, the elevations at full reach and the hold.

The figure is simple on purpose (straight segments, an orthographic level camera, both sides in one plane with
a depth offset): it tests the analyzers' logic and arithmetic, not how MediaPipe sees a body on the floor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcheck.analyzers.floor_synth import (
    FOREARM_M,
    HIP_W_M,
    SHANK_M,
    SHOULDER_W_M,
    THIGH_M,
    TRUNK_M,
    UPPER_ARM_M,
    _to_sequence,
    min_jerk,
)
from formcheck.types import PoseSequence

ARM_M = UPPER_ARM_M + FOREARM_M
SCALE = 0.8  # the whole figure shrunk so a bird-dog at full reach (~2.1 m tip to tip) stays inside the 640 px frame
ROCK_DEG = 1.5  # the trunk pitches this much about the hips at full reach (the rendered dead bug rocks up to 2°)
OTHER = {"left": "right", "right": "left"}


@dataclass(frozen=True)
class AltRep:
    """One rep: tempo (seconds) and faults (see the module docstring)."""

    reach_s: float = 1.5
    hold_s: float = 1.5
    return_s: float = 1.5
    rest_s: float = 1.0
    leg_extra_deg: float = 0.0
    hip_shift_m: float = 0.0
    arm_short_deg: float = 0.0


@dataclass
class Truth:
    phases: list[dict] = field(default_factory=list)
    arm_side: list[str] = field(default_factory=list)  # the reaching arm of each rep
    arm_elev_deg: list[float] = field(default_factory=list)  # moving arm's elevation at full reach
    leg_elev_deg: list[float] = field(default_factory=list)  # moving leg's (hip→ankle) elevation at full reach
    hold_s: list[float] = field(default_factory=list)
    moving: list[str | None] = field(default_factory=list)  # per frame: the reaching arm, None at rest


@dataclass
class AltClip:
    seq: PoseSequence
    truth: Truth


def raised_cos(u: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * min(max(u, 0.0), 1.0))


def _rot(d: np.ndarray, deg: float) -> np.ndarray:
    """``d`` turned counter-clockwise by ``deg`` in the (u, v) plane (v up)."""
    a = math.radians(deg)
    return np.array([d[0] * math.cos(a) - d[1] * math.sin(a), d[0] * math.sin(a) + d[1] * math.cos(a)])


def elev_deg(a: np.ndarray, b: np.ndarray) -> float:
    d = b - a
    return math.degrees(math.atan2(d[1], abs(d[0])))


@dataclass(frozen=True)
class Kind:
    """Rest geometry of one exercise (sagittal (u, v): u toward the head, v up)."""

    name: str
    arm_rest: np.ndarray  # unit direction of the resting arm
    arm_turn: float  # +1: the reaching arm turns counter-clockwise in (u, v), -1 clockwise
    arm_reach_deg: float  # the arm's swing from rest at full reach
    thigh_rest: np.ndarray
    thigh_turn: float
    thigh_reach_deg: float
    knee_rest_deg: float  # knee flexion at rest (shank = thigh turned by this, in knee_turn)
    knee_turn: float
    hip: np.ndarray
    shoulder: np.ndarray


BIRD_DOG = Kind(
    "bird_dog", arm_rest=np.array([0.0, -1.0]), arm_turn=+1.0, arm_reach_deg=90.0, thigh_rest=np.array([0.0, -1.0]),
    thigh_turn=-1.0, thigh_reach_deg=90.0, knee_rest_deg=90.0, knee_turn=-1.0,
    hip=np.array([0.0, 0.05 + THIGH_M]), shoulder=np.array([TRUNK_M, 0.05 + ARM_M]),
)  # fmt: skip
DEAD_BUG = Kind(
    "dead_bug", arm_rest=np.array([0.0, 1.0]), arm_turn=-1.0, arm_reach_deg=75.0, thigh_rest=np.array([0.0, 1.0]),
    thigh_turn=+1.0, thigh_reach_deg=78.0, knee_rest_deg=90.0, knee_turn=+1.0,
    hip=np.array([0.0, 0.10]), shoulder=np.array([TRUNK_M, 0.10]),
)  # fmt: skip


def _pose(k: Kind, arm: dict[str, float], thigh: dict[str, float], knee: dict[str, float], hip_dv: float):
    """Both sides' sagittal points: swings (deg from rest) of each arm and thigh, knee flexion of each leg."""
    hip = k.hip + np.array([0.0, hip_dv])
    sho = k.shoulder
    out: dict[str, dict[str, np.ndarray]] = {}
    for side in ("left", "right"):
        a = _rot(k.arm_rest, k.arm_turn * arm[side])  # bird-dog: the arm swings forward (toward +u) and up
        t = _rot(k.thigh_rest, k.thigh_turn * thigh[side])
        s = _rot(t, k.knee_turn * knee[side])
        elbow = sho + UPPER_ARM_M * a
        wrist = sho + ARM_M * a
        kn = hip + THIGH_M * t
        an = kn + SHANK_M * s
        out[side] = {"SHOULDER": sho, "ELBOW": elbow, "WRIST": wrist, "HIP": hip, "KNEE": kn, "ANKLE": an,
                     "HEEL": an + 0.04 * _rot(s, 90.0), "FOOT_INDEX": an + 0.12 * s}  # fmt: skip
    return out


def _points(k: Kind, pose: dict[str, dict[str, np.ndarray]], facing: float, near: str) -> dict[str, np.ndarray]:
    """3D points (x along the image, y down, z away from the camera) of a side view."""
    out: dict[str, np.ndarray] = {}
    for side, joints in pose.items():
        zs = -1.0 if side == near else 1.0
        for j, (u, v) in joints.items():
            w = SHOULDER_W_M if j in ("SHOULDER", "ELBOW", "WRIST") else HIP_W_M
            out[f"{side.upper()}_{j}"] = np.array([facing * u, -v, zs * w / 2])
        u, v = joints["WRIST"]
        for name, dz in (("PINKY", -0.02), ("INDEX", 0.0), ("THUMB", 0.02)):
            out[f"{side.upper()}_{name}"] = np.array([facing * (u + 0.05), -v, zs * SHOULDER_W_M / 2 + dz])
    sho = k.shoulder
    # The head beyond the shoulders; the face toward the floor on all fours, toward the ceiling lying supine.
    look = -1.0 if k.name == "bird_dog" else 1.0
    ear = sho + np.array([0.22, 0.06 if k.name == "bird_dog" else 0.02])
    nose = ear + np.array([0.07, 0.05 * look])
    for name in ("NOSE", "LEFT_EYE_INNER", "LEFT_EYE", "LEFT_EYE_OUTER", "RIGHT_EYE_INNER", "RIGHT_EYE",
                 "RIGHT_EYE_OUTER", "LEFT_EAR", "RIGHT_EAR", "MOUTH_LEFT", "MOUTH_RIGHT"):  # fmt: skip
        base = ear if name.endswith("EAR") else nose
        zs = -1.0 if name.startswith(near.upper()) else 1.0 if name.startswith(("LEFT", "RIGHT")) else 0.0
        dv = 0.02 if "EYE" in name else -0.03 if "MOUTH" in name else 0.0
        out[name] = np.array([facing * (base[0] - (0.02 if "EYE" in name else 0.0)), -(base[1] + dv), zs * 0.07])
    return out


def _inv_min_jerk(f: float) -> float:
    """The time fraction at which the minimum-jerk profile reaches ``f`` (bisection; the profile is monotonic)."""
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if float(min_jerk(np.array(mid))) < f else (lo, mid)
    return 0.5 * (lo + hi)


def _rocked(pose: dict[str, dict[str, np.ndarray]], deg: float) -> dict[str, dict[str, np.ndarray]]:
    """The whole figure pitched by ``deg`` about the mid-hip (shoulders up for +)."""
    if deg == 0.0:
        return pose
    c = pose["left"]["HIP"]
    return {s: {j: c + _rot(x - c, deg) for j, x in js.items()} for s, js in pose.items()}


def alternating_clip(k: Kind, n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, *,
                     reps: Sequence[AltRep] | None = None, first_arm: str = "right", lead_s: float = 1.5,
                     noise_px: float = 0.5) -> AltClip:  # fmt: skip
    """A side-view set of ``n_reps`` alternating reps (or ``reps``), starting with ``first_arm``.

    The side toward the camera follows from the posture: on all fours with the head image-right the right side
    faces the camera; lying on the back with the head image-right, the left side.
    """
    near = ("right" if facing > 0 else "left") if k.name == "bird_dog" else ("left" if facing > 0 else "right")
    reps = list(reps) if reps is not None else [AltRep()] * n_reps
    dt = 1.0 / fps
    frames: list[tuple[str | None, float, float, AltRep]] = []  # (arm side, reach fraction, knee fraction, rep)
    phases, t0 = [], 0.0

    def seg(duration: float, side: str | None, rep: AltRep, fn) -> None:
        nonlocal t0
        n = max(1, round(duration * fps))
        for j in range(n):
            frames.append((side, *fn(j / n), rep))
        t0 += n * dt

    seg(lead_s, None, AltRep(), lambda u: (0.0, 0.0))
    side = first_arm
    for r in reps:
        start = t0
        # The knee straightens on its own, slower profile (it lags the hip early in the reach).
        seg(r.reach_s, side, r, lambda u: (float(min_jerk(np.array(u))), raised_cos(u) ** 1.5))
        top = t0
        seg(r.hold_s, side, r, lambda u: (1.0, 1.0))
        ret = t0
        seg(r.return_s, side, r, lambda u: (1.0 - float(min_jerk(np.array(u))), 1.0 - raised_cos(u) ** 0.7))
        phases.append({"start_s": start, "bottom_start_s": top, "bottom_end_s": ret, "end_s": t0})
        seg(r.rest_s, None, r, lambda u: (0.0, 0.0))
        side = OTHER[side]
    t = np.arange(len(frames)) * dt
    truth = Truth(phases=phases)
    pts = []
    peaks: dict[int, tuple[float, float]] = {}
    rep_i = -1
    prev_side: str | None = None
    for arm_side, f, kf, r in frames:
        if arm_side is not None and (prev_side is None or arm_side != prev_side):
            rep_i += 1
        prev_side = arm_side
        arm = {"left": 0.0, "right": 0.0}
        thigh = {"left": 0.0, "right": 0.0}
        knee = {"left": k.knee_rest_deg, "right": k.knee_rest_deg}
        hip_dv = 0.0
        if arm_side is not None:
            leg_side = OTHER[arm_side]
            # The arm moves on a raised cosine (not the hip's minimum jerk): reach and return overlap, not mirror.
            arm[arm_side] = raised_cos(_inv_min_jerk(f)) * (k.arm_reach_deg - r.arm_short_deg)
            thigh[leg_side] = f * (k.thigh_reach_deg + r.leg_extra_deg)
            knee[leg_side] = k.knee_rest_deg * (1.0 - kf)
            hip_dv = f * r.hip_shift_m
        pose = _rocked(_pose(k, arm, thigh, knee, hip_dv), ROCK_DEG * raised_cos(_inv_min_jerk(f)) if arm_side else 0.0)
        pts.append(_points(k, pose, facing, near))
        truth.moving.append(arm_side)
        if arm_side is not None and f >= 1.0:
            ls = OTHER[arm_side]
            peaks[rep_i] = (elev_deg(pose[arm_side]["SHOULDER"], pose[arm_side]["WRIST"]),
                            elev_deg(pose[ls]["HIP"], pose[ls]["ANKLE"]))  # fmt: skip
    side = first_arm
    for i, p in enumerate(phases):
        truth.arm_side.append(side)
        truth.arm_elev_deg.append(peaks[i][0])
        truth.leg_elev_deg.append(peaks[i][1])
        truth.hold_s.append(p["bottom_end_s"] - p["bottom_start_s"])
        side = OTHER[side]
    pts = [{n: SCALE * x for n, x in p.items()} for p in pts]
    return AltClip(_to_sequence(pts, t, fps, seed, noise_px, "side"), truth)


def bird_dog_clip(n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, **kw) -> AltClip:
    """A side-view bird-dog set (the conformance suite's contract: ``n_reps``, ``facing``, ``fps``, ``seed``)."""
    return alternating_clip(BIRD_DOG, n_reps, facing, fps, seed, **kw)


def dead_bug_clip(n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, **kw) -> AltClip:
    """A side-view dead-bug set (the conformance suite's contract: ``n_reps``, ``facing``, ``fps``, ``seed``)."""
    kw.setdefault("reps", None)
    return alternating_clip(DEAD_BUG, n_reps, facing, fps, seed, **kw)
