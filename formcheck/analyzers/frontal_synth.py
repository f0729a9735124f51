"""A 3D standing figure filmed from any azimuth, for the direction-specific exercises (tests and benchmarks only).

Side bend, trunk rotation and the Pallof press move the trunk *out of* the side view's plane, so their synthetic
sets need a body with three dimensions. The figure here (metres, body frame: X = the subject's left, Y = up,
Z = forward) has

* feet planted under the hips, straight legs (the knee half way between hip and ankle);
* a pelvis that can shift sideways (``shift_m``, + toward the subject's left), tip in the frontal plane
  (``pelvis_tilt_deg``, + the left hip lower) and turn about the vertical (``pelvis_yaw_deg``, + the front toward
  the left);
* a spine of four segments above the pelvis that bends sideways (``bend_deg``, + toward the left) and twists
  (``twist_deg``, + the shoulders turned to the left), each *distributed unevenly* over the segments (more in
  the lower segments, as the lumbar and thoracic spine share it) so the chord from mid-hip to mid-shoulder is not
  the commanded angle: the truth is computed from the figure's joints;
* a head on the top segment and arms that hang, cross on the chest, or press forward from the sternum with the
  hands together (the elbow placed by two-link inverse kinematics).

The camera sits at azimuth ``azimuth_deg`` around the subject (0 in front, 180 behind, 90 at the subject's
left side), level, orthographic; image landmarks and world landmarks come from the same 3D points (world:
camera-aligned axes, x right, y down, z away from the camera, origin between the hips, as MediaPipe's). Optional
noise: ``noise_px`` on image x/y, ``depth_noise_m`` on world z (white plus a slow random walk per landmark, the
way MediaPipe's depth wanders) and ``world_noise_m`` on world x/y.

Rep profiles are minimum-jerk transitions by default (as the other exercises' generators) or raised-cosine ones
(``shape="cosine"``), which the rep detector's minimum-jerk phase fit does not assume.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar

import numpy as np

from formcheck.metrics.tempo import min_jerk
from formcheck.types import LM, PoseSequence, VideoInfo

SEG_WEIGHTS = np.array([0.34, 0.28, 0.22, 0.16])  # share of the bend / twist in each spine segment, bottom up
SIDES = ("left", "right")
R = TypeVar("R")


@dataclass(frozen=True)
class Figure:
    """Segment lengths and half widths (m)."""

    ankle_h_m: float = 0.08
    leg_m: float = 0.86  # hip joint to ankle, straight
    foot_half_m: float = 0.10  # ankle half spacing (feet under the hips)
    hip_half_m: float = 0.09
    trunk_m: float = 0.52  # mid-hip to the top of the spine (shoulder level)
    shoulder_half_m: float = 0.19
    neck_m: float = 0.20
    upper_arm_m: float = 0.29
    forearm_m: float = 0.27


@dataclass(frozen=True)
class Pose:
    """Per-frame posture parameters, each ``(T,)`` (degrees, metres, 0-1)."""

    bend_deg: np.ndarray
    twist_deg: np.ndarray
    pelvis_tilt_deg: np.ndarray
    pelvis_yaw_deg: np.ndarray
    shift_m: np.ndarray
    press: np.ndarray  # 0 hands at the sternum ... 1 arms pressed out (arms "press" only)


@dataclass(frozen=True)
class FrontalTruth:
    """Exact per-frame values from the figure's joints and each rep's phase times and peak values."""

    t_s: np.ndarray
    u: np.ndarray  # movement progress 0 (rest) ... 1 (end of range), unsigned
    rep: np.ndarray  # 1-based rep index, 0 outside
    lateral_flexion_deg: np.ndarray  # trunk axis vs the pelvis's up axis, in its frontal plane, + toward the left
    shoulder_tilt_deg: np.ndarray  # shoulder line vs pelvis line, frontal plane, + the left shoulder lower
    rotation_deg: np.ndarray  # shoulder line vs pelvis line about the vertical, + turned toward the left
    shoulder_yaw_deg: np.ndarray  # shoulder line about the vertical vs the camera's frame at rest, + left
    hip_shift_cm: np.ndarray  # mid-hip sideways from over the mid-ankle, + toward the left
    elbow_deg: np.ndarray  # interior elbow angle (180 straight), mean of both arms
    phases: list[dict[str, float]] = field(default_factory=list)  # start_s, bottom_start_s, bottom_end_s, end_s
    reps: list[dict[str, float | str]] = field(default_factory=list)  # per rep: side and peak values

    @property
    def sides(self) -> list[str]:
        return [str(r["side"]) for r in self.reps]


@dataclass(frozen=True)
class FrontalClip:
    seq: PoseSequence
    truth: FrontalTruth
    azimuth_deg: float
    facing: int = 0


# ---------------------------------------------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------------------------------------------


def cosine_step(x: np.ndarray) -> np.ndarray:
    """0 → 1 raised-cosine transition for normalised time ``x`` (clamped)."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


def rep_profile(
    t: np.ndarray, tempos: list[tuple[float, float, float, float]], start_s: float, shape: str = "min_jerk"
) -> tuple[np.ndarray, np.ndarray, list[dict[str, float]]]:
    """Progress ``u(t)`` (0 rest, 1 end of range), rep index and phase times for reps with their own tempo each.

    ``shape`` of each transition: ``"min_jerk"`` (smooth human reaching, what the other exercises' generators use
    and the rep detector's phase fit assumes) or ``"cosine"`` (raised cosine: it starts and stops with a jerk, so
    a minimum-jerk fit places its phase boundaries about 0.17 s wide of a 2 s movement).
    """
    step = {"min_jerk": min_jerk, "cosine": cosine_step}[shape]
    u = np.zeros_like(t)
    rep = np.zeros(t.shape, dtype=np.int64)
    phases = []
    t0 = start_s
    for k, (ecc, bot, con, top) in enumerate(tempos):
        a, b, c, e = t0, t0 + ecc, t0 + ecc + bot, t0 + ecc + bot + con
        m = (t >= a) & (t < b)
        u[m] = step((t[m] - a) / ecc)
        u[(t >= b) & (t < c)] = 1.0
        m = (t >= c) & (t < e)
        u[m] = 1.0 - step((t[m] - c) / con)
        rep[(t >= a) & (t < e)] = k + 1
        phases.append({"start_s": a, "bottom_start_s": b, "bottom_end_s": c, "end_s": e})
        t0 = e + top
    return u, rep, phases


# ---------------------------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------------------------


def _bend(a: np.ndarray) -> np.ndarray:
    """``(T,3,3)`` rotation about the forward axis tipping up toward the left (+X) by ``a`` rad."""
    c, s = np.cos(a), np.sin(a)
    z, o = np.zeros_like(a), np.ones_like(a)
    return np.stack([np.stack([c, s, z], -1), np.stack([-s, c, z], -1), np.stack([z, z, o], -1)], -2)


def _turn(g: np.ndarray) -> np.ndarray:
    """``(T,3,3)`` rotation about the vertical turning forward (+Z) toward the left (+X) by ``g`` rad."""
    c, s = np.cos(g), np.sin(g)
    z, o = np.zeros_like(g), np.ones_like(g)
    return np.stack([np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2)


def _apply(r: np.ndarray, v: np.ndarray | list[float]) -> np.ndarray:
    return np.einsum("tij,tj->ti", r, np.broadcast_to(np.asarray(v, dtype=np.float64), (r.shape[0], 3)))


def _ik_elbow(sho: np.ndarray, wri: np.ndarray, a: float, b: float, hint: np.ndarray) -> np.ndarray:
    """Elbow of a two-link arm from shoulder to wrist, bent toward ``hint`` (all ``(T, 3)``)."""
    d = wri - sho
    dist = np.clip(np.linalg.norm(d, axis=1), 1e-6, a + b - 1e-6)
    uhat = d / dist[:, None]
    cos_a = np.clip((a * a + dist * dist - b * b) / (2 * a * dist), -1.0, 1.0)
    n = hint - np.sum(hint * uhat, axis=1)[:, None] * uhat
    n /= np.linalg.norm(n, axis=1)[:, None]
    return sho + a * (cos_a[:, None] * uhat + np.sqrt(1 - cos_a**2)[:, None] * n)


def pose_figure(fig: Figure, p: Pose, arms: str) -> dict[int, np.ndarray]:
    """Every landmark's ``(T, 3)`` body-frame position (X left, Y up, Z forward, metres)."""
    T = p.bend_deg.shape[0]
    pts: dict[int, np.ndarray] = {}
    r_pel = np.einsum("tij,tjk->tik", _turn(np.radians(p.pelvis_yaw_deg)), _bend(np.radians(p.pelvis_tilt_deg)))
    ankles = {s: np.tile([sg * fig.foot_half_m, fig.ankle_h_m, 0.0], (T, 1)) for s, sg in (("LEFT", 1), ("RIGHT", -1))}
    # The hip height that keeps the legs at their length with the pelvis shifted sideways.
    hip_h = fig.ankle_h_m + np.sqrt(fig.leg_m**2 - p.shift_m**2)
    mid_hip = np.stack([p.shift_m, hip_h, np.zeros(T)], axis=-1)
    for s, sg in (("LEFT", 1.0), ("RIGHT", -1.0)):
        hip = mid_hip + _apply(r_pel, [sg * fig.hip_half_m, 0.0, 0.0])
        ank = ankles[s]
        pts[LM[f"{s}_HIP"]] = hip
        pts[LM[f"{s}_KNEE"]] = 0.5 * (hip + ank) + np.array([0.0, 0.0, 0.01])
        pts[LM[f"{s}_ANKLE"]] = ank
        pts[LM[f"{s}_HEEL"]] = ank + np.array([0.0, -0.06, -0.06])
        pts[LM[f"{s}_FOOT_INDEX"]] = ank + np.array([sg * 0.01, -0.06, 0.15])
    # Spine: four segments, each turned by its share of the bend and twist relative to the one below.
    r = r_pel
    top = mid_hip
    bend, twist = np.radians(p.bend_deg), np.radians(p.twist_deg)
    for w in SEG_WEIGHTS:
        r = np.einsum("tij,tjk,tkl->til", r, _bend(w * bend), _turn(w * twist))
        top = top + _apply(r, [0.0, fig.trunk_m / len(SEG_WEIGHTS), 0.0])
    sho = {s: top + _apply(r, [sg * fig.shoulder_half_m, -0.02, 0.0]) for s, sg in (("LEFT", 1.0), ("RIGHT", -1.0))}
    head = top + _apply(r, [0.0, fig.neck_m, 0.02])
    pts[LM.NOSE] = head + _apply(r, [0.0, 0.0, 0.10])
    for s, sg in (("LEFT", 1.0), ("RIGHT", -1.0)):
        pts[LM[f"{s}_SHOULDER"]] = sho[s]
        pts[LM[f"{s}_EAR"]] = head + _apply(r, [sg * 0.075, 0.01, 0.0])
        pts[LM[f"{s}_EYE"]] = head + _apply(r, [sg * 0.032, 0.03, 0.085])
        pts[LM[f"{s}_EYE_INNER"]] = head + _apply(r, [sg * 0.018, 0.03, 0.09])
        pts[LM[f"{s}_EYE_OUTER"]] = head + _apply(r, [sg * 0.046, 0.03, 0.08])
        pts[LM[f"MOUTH_{s}"]] = head + _apply(r, [sg * 0.025, -0.035, 0.09])
        a, b = fig.upper_arm_m, fig.forearm_m
        if arms == "hang":  # arms hang straight down, a little away from the body
            elbow = sho[s] + np.array([sg * 0.03, -a, 0.0])
            wrist = elbow + np.array([sg * 0.01, -b, 0.0])
        elif arms == "cross":  # hands on the opposite shoulders, elbows in front of the chest
            wrist = sho["RIGHT" if s == "LEFT" else "LEFT"] + _apply(r, [sg * 0.04, -0.04, 0.10])
            elbow = _ik_elbow(sho[s], wrist, a, b, _apply(r, [0.0, -1.0, 0.3]))
        else:  # "press": hands together in front of the sternum, pushed forward by p.press
            reach = 0.12 + p.press * 0.40  # wrist forward of the shoulder line, m (0.52 m = arm almost straight)
            wrist = (
                top
                + _apply(r, [0.0, -0.10, 0.0])
                + _apply(r, [sg * 0.03, 0.0, 0.0])
                + reach[:, None] * _apply(r, [0.0, 0.0, 1.0])
            )
            elbow = _ik_elbow(sho[s], wrist, a, b, _apply(r, [sg * 0.6, -1.0, 0.0]))
        pts[LM[f"{s}_ELBOW"]] = elbow
        pts[LM[f"{s}_WRIST"]] = wrist
        hand = wrist + 0.06 * (wrist - elbow) / np.linalg.norm(wrist - elbow, axis=1)[:, None]
        for name in ("PINKY", "INDEX", "THUMB"):
            pts[LM[f"{s}_{name}"]] = hand
    return pts


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    u, v = a - b, c - b
    cos = np.sum(u * v, axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def truth_of(pts: dict[int, np.ndarray], p: Pose) -> dict[str, np.ndarray]:
    """Exact values from the figure's joints (definitions in :class:`FrontalTruth`)."""
    T = p.bend_deg.shape[0]
    r_pel = np.einsum("tij,tjk->tik", _turn(np.radians(p.pelvis_yaw_deg)), _bend(np.radians(p.pelvis_tilt_deg)))
    inv = np.transpose(r_pel, (0, 2, 1))
    mh = 0.5 * (pts[LM.LEFT_HIP] + pts[LM.RIGHT_HIP])
    ms = 0.5 * (pts[LM.LEFT_SHOULDER] + pts[LM.RIGHT_SHOULDER])
    axis = np.einsum("tij,tj->ti", inv, ms - mh)  # trunk axis in the pelvis frame
    sl = np.einsum("tij,tj->ti", inv, pts[LM.LEFT_SHOULDER] - pts[LM.RIGHT_SHOULDER])
    lat = np.degrees(np.arctan2(axis[:, 0], axis[:, 1]))
    tilt = np.degrees(np.arctan2(-sl[:, 1], sl[:, 0]))
    # Rotation about the vertical: the yaw of the horizontal shoulder line against the horizontal pelvis line.
    hl = pts[LM.LEFT_HIP] - pts[LM.RIGHT_HIP]
    s3 = pts[LM.LEFT_SHOULDER] - pts[LM.RIGHT_SHOULDER]
    yaw_s = np.degrees(np.arctan2(-s3[:, 2], s3[:, 0]))  # + when the left shoulder went back (-Z)
    yaw_h = np.degrees(np.arctan2(-hl[:, 2], hl[:, 0]))
    ma = 0.5 * (pts[LM.LEFT_ANKLE] + pts[LM.RIGHT_ANKLE])
    elbow = 0.5 * (_angle(pts[LM.LEFT_SHOULDER], pts[LM.LEFT_ELBOW], pts[LM.LEFT_WRIST])
                   + _angle(pts[LM.RIGHT_SHOULDER], pts[LM.RIGHT_ELBOW], pts[LM.RIGHT_WRIST]))  # fmt: skip
    del T
    return {"lateral_flexion_deg": lat, "shoulder_tilt_deg": tilt, "rotation_deg": yaw_s - yaw_h,
            "shoulder_yaw_deg": yaw_s, "hip_shift_cm": 100.0 * (mh[:, 0] - ma[:, 0]), "elbow_deg": elbow}  # fmt: skip


def film(
    pts: dict[int, np.ndarray],
    t: np.ndarray,
    *,
    azimuth_deg: float = 0.0,
    width: int = 640,
    height: int = 480,
    noise_px: float = 0.0,
    depth_noise_m: float = 0.0,
    world_noise_m: float = 0.0,
    seed: int = 0,
) -> PoseSequence:
    """Image and world landmarks of the figure seen from ``azimuth_deg`` (see the module docstring)."""
    T = t.shape[0]
    az = np.full(T, np.radians(azimuth_deg))
    cam_r = _turn(az)  # the subject turned by the azimuth, then seen from the front
    scale = 0.85 * height / 1.9
    ox, oy = 0.5 * width, 0.95 * height
    lm = np.full((T, 33, 4), np.nan)
    world = np.full((T, 33, 4), np.nan)
    mid_hip = 0.5 * (pts[LM.LEFT_HIP] + pts[LM.RIGHT_HIP])
    mh = _apply(cam_r, [0, 0, 0]) + np.einsum("tij,tj->ti", cam_r, mid_hip)
    rng = np.random.default_rng(seed)
    for idx, p in pts.items():
        q = np.einsum("tij,tj->ti", cam_r, p)
        cx, cy, cz = q[:, 0], -q[:, 1], -q[:, 2]  # camera: x right, y down, z away from the camera
        lm[:, idx, 0] = (ox + cx * scale) / width
        lm[:, idx, 1] = (oy + cy * scale) / height
        lm[:, idx, 2] = (cz + mh[:, 2]) * scale / width
        lm[:, idx, 3] = 0.99
        world[:, idx, 0] = cx - mh[:, 0]
        world[:, idx, 1] = cy + mh[:, 1]
        world[:, idx, 2] = cz + mh[:, 2]
        world[:, idx, 3] = 0.99
    if noise_px > 0:
        lm[..., 0] += rng.normal(0, noise_px / width, (T, 33))
        lm[..., 1] += rng.normal(0, noise_px / height, (T, 33))
    if world_noise_m > 0:
        world[..., :2] += rng.normal(0, world_noise_m, (T, 33, 2))
    if depth_noise_m > 0:
        # Half white, half a slow wander (an AR(1) with ~1 s memory), each with the given standard deviation.
        white = rng.normal(0, depth_noise_m, (T, 33))
        rho = float(np.exp(-1.0 / max(1.0, 30.0)))
        slow = np.zeros((T, 33))
        e = rng.normal(0, depth_noise_m * np.sqrt(1 - rho**2), (T, 33))
        slow[0] = rng.normal(0, depth_noise_m, 33)
        for i in range(1, T):
            slow[i] = rho * slow[i - 1] + e[i]
        world[..., 2] += (white + slow) / np.sqrt(2.0)
    fps = 1.0 / float(np.median(np.diff(t))) if T > 1 else 30.0
    video = VideoInfo("synthetic", width, height, fps, T, float(t[-1]) if T else 0.0, source="synthetic")
    return PoseSequence(lm, world, t, width, height, video=video)


# ---------------------------------------------------------------------------------------------------------------
# The generators' shared frame: reps per side, a timeline, a filmed clip with per-rep truth
# ---------------------------------------------------------------------------------------------------------------


def check_side(side: str) -> None:
    """Raise ValueError unless ``side`` is ``"left"`` or ``"right"`` (a rep dataclass's ``__post_init__``)."""
    if side not in SIDES:
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")


def alternate(rep_type: Callable[..., R], n_reps: int, **kw: object) -> list[R]:
    """``n_reps`` reps of ``rep_type`` alternating ``side`` left, right, ... with the same other parameters."""
    return [rep_type(side=SIDES[k % 2], **kw) for k in range(n_reps)]


def side_order(n_reps: int, sides: str) -> list[str]:
    """The sides of ``n_reps`` reps: ``sides`` "alternate" (left, right, ...), "left" or "right"."""
    return [SIDES[k % 2] if sides == "alternate" else sides for k in range(n_reps)]


class ClipOptions(TypedDict, total=False):
    """How a synthetic set is timed and filmed: the keyword arguments every ``*_clip`` generator takes.

    Keys (default): ``facing`` +1 facing the camera (azimuth 0), -1 back to it (azimuth 180), ignored with
    ``azimuth_deg`` (1); ``azimuth_deg`` the camera's azimuth around the subject, 0 front, 90 at the subject's left
    side (None); ``fps`` (30); ``lead_in_s``, ``lead_out_s`` the time at rest before the first and after the last
    rep (1.5, 1.5); ``noise_px`` image landmark noise (0); ``depth_noise_m``, ``world_noise_m`` world z and x/y
    noise (0, 0); ``seed`` the noise seed (0); ``figure`` the body's proportions (:class:`Figure`); ``shape`` the
    transitions' profile, ``"min_jerk"`` or ``"cosine"`` (:func:`rep_profile`).
    """

    facing: int
    azimuth_deg: float | None
    fps: float
    lead_in_s: float
    lead_out_s: float
    noise_px: float
    depth_noise_m: float
    world_noise_m: float
    seed: int
    figure: Figure | None
    shape: str


@dataclass(frozen=True)
class Timeline:
    """A set's frames and reps: progress ``u`` (0 rest ... 1 end of range), rep index and phase times per frame."""

    specs: Sequence[Any]  # one rep description per rep
    t: np.ndarray
    u: np.ndarray
    rep: np.ndarray  # 1-based rep index, 0 outside
    phases: list[dict[str, float]]

    @property
    def _k(self) -> np.ndarray:
        return np.clip(self.rep - 1, 0, max(0, len(self.specs) - 1))

    def per(self, attr: str) -> np.ndarray:
        """Per frame: the numeric attribute ``attr`` of the rep it belongs to (the first rep's outside reps)."""
        return np.array([float(getattr(s, attr)) for s in self.specs])[self._k] if self.specs else np.zeros_like(self.t)

    def sign(self, attr: str) -> np.ndarray:
        """Per frame: +1 where the rep's side attribute ``attr`` is "left", -1 "right"."""
        signs = [1.0 if getattr(s, attr) == "left" else -1.0 for s in self.specs]
        return np.array(signs)[self._k] if self.specs else np.zeros_like(self.t)

    def frames(self, i: int) -> np.ndarray:
        """Frame indices of rep ``i`` (0-based)."""
        return np.flatnonzero(self.rep == i + 1)

    def peak(self, i: int) -> int:
        """The frame where rep ``i`` (0-based) is furthest from rest."""
        idx = self.frames(i)
        return int(idx[np.argmax(self.u[idx])])


def frontal_clip(
    specs: Sequence[Any],
    tempos: list[tuple[float, float, float, float]],
    pose_of: Callable[[Timeline], Pose],
    arms: str,
    rep_truth: Callable[[int, Any, Timeline, dict[str, np.ndarray]], dict[str, Any]],
    *,
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
    """A filmed set with exact truth: the reps' timeline, the posture ``pose_of(timeline)`` with the arms ``arms``
    (:func:`pose_figure`), filmed (:func:`film`), and ``rep_truth(i, spec, timeline, per-frame truth)`` per rep.

    The keyword arguments are :class:`ClipOptions`.
    """
    az = float(azimuth_deg) if azimuth_deg is not None else (0.0 if facing >= 0 else 180.0)
    total = lead_in_s + sum(sum(tp) for tp in tempos) - tempos[-1][3] + lead_out_s if specs else lead_in_s
    t = np.arange(0.0, total, 1.0 / fps)
    u, rep_idx, phases = rep_profile(t, tempos, lead_in_s, shape)
    tl = Timeline(specs=list(specs), t=t, u=u, rep=rep_idx, phases=phases)
    pose = pose_of(tl)
    pts = pose_figure(figure or Figure(), pose, arms)
    tr = truth_of(pts, pose)
    seq = film(pts, t, azimuth_deg=az, noise_px=noise_px, depth_noise_m=depth_noise_m, world_noise_m=world_noise_m,
               seed=seed)  # fmt: skip
    reps = [rep_truth(i, s, tl, tr) for i, s in enumerate(specs)]
    truth = FrontalTruth(t_s=t, u=u, rep=rep_idx, phases=phases, reps=reps, **tr)
    return FrontalClip(seq=seq, truth=truth, azimuth_deg=az, facing=facing)


def still_pose(T: int) -> Pose:
    z = np.zeros(T)
    return Pose(z, z.copy(), z.copy(), z.copy(), z.copy(), z.copy())


def body_height_cm(fig: Figure | None = None) -> float:
    """The body height a user of the figure's proportions would enter (so centimetres come out on its scale):
    leg + trunk over their share of standing height (de Leva 1996, as :func:`formcheck.body.roll.px_per_cm`)."""
    from formcheck.body.roll import SHANK_FRAC_OF_HEIGHT, THIGH_FRAC_OF_HEIGHT, TRUNK_FRAC_OF_HEIGHT

    f = fig or Figure()
    frac = THIGH_FRAC_OF_HEIGHT + SHANK_FRAC_OF_HEIGHT + TRUNK_FRAC_OF_HEIGHT
    return 100.0 * (f.leg_m + f.trunk_m - 0.02) / frac
