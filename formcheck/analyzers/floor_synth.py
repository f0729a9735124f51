"""Synthetic floor holds with known truth: plank, side plank and prone extension landmark sequences.

Each generator poses a stick figure in 3D (metres, floor at height 0) frame by frame from a script of phases —
rest, getting into position (minimum-jerk), the hold with its body line, sway, optional breaks (the hips dip out
of the position and come back) and limb movements, getting down — and projects it to MediaPipe-style image and
world landmarks. The truth is the script itself, measured on the 3D figure: hold start (the body is still in
position) and end (it starts to move out), break intervals, the signed body line at every frame, its sway.

The figure is simple on purpose: segments are straight, both sides of the body are mirror images, the camera
is orthographic and level (side view for the plank and prone extension, front view for the side plank). It tests
the analyzers' logic and arithmetic, not how MediaPipe sees a body (the rendered clips in ``../shared`` do that).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcheck.types import LM, PoseSequence

WIDTH, HEIGHT = 640, 480
PX_PER_M = 300.0  # orthographic camera scale
TRUNK_M, THIGH_M, SHANK_M = 0.50, 0.45, 0.43  # hip→shoulder, hip→knee, knee→ankle
UPPER_ARM_M, FOREARM_M = 0.30, 0.27
SHOULDER_W_M, HIP_W_M = 0.36, 0.26
ELBOW_H_M = 0.05  # elbow joint centre above the floor (forearm on the floor)
ANKLE_H_M = 0.10  # ankle above the floor on tucked toes
REST_LINE_DEG = -32.0  # lying on the forearms, hips on the floor: far below any plank band
REACH_DEG = 150.0  # side plank: how far a reach (thread the needle) sweeps the top arm from straight up


def min_jerk(u: np.ndarray) -> np.ndarray:
    """Minimum-jerk profile 0→1 of ``u`` in [0, 1]."""
    u = np.clip(u, 0.0, 1.0)
    return u**3 * (10 - 15 * u + 6 * u**2)


@dataclass(frozen=True)
class HoldSpec:
    """One hold of a synthetic set.

    Attributes:
        hold_s: seconds still in position (breaks included).
        line_deg: the body line held (signed: + pike, − sag); prone extension: the trunk elevation held.
        sway_deg: amplitude of a slow sinusoidal sway of the body line during the hold.
        sway_hz: its frequency.
        breaks: ``(start after the hold began, duration)`` of dips out of the position and back, seconds.
        break_line_deg: body line at the bottom of a dip.
        reaches: limb movements during the hold (side plank: top-arm reaches; each takes ``reach_s``).
    """

    hold_s: float = 4.0
    line_deg: float = 0.0
    sway_deg: float = 0.0
    sway_hz: float = 0.5
    breaks: tuple[tuple[float, float], ...] = ()
    break_line_deg: float = -40.0
    reaches: int = 0
    reach_s: float = 1.6


@dataclass
class Truth:
    """What the generator did.

    Attributes:
        phases: one mapping per hold with ``start_s``, ``end_s`` (and ``bottom_start_s``/``bottom_end_s`` equal to
            them: the conformance suite's phase names), ``breaks`` (list of ``(start_s, end_s)``).
        body_line_deg: ``(T,)`` signed body line (side plank: frontal plane) of the mid-points, every frame;
            prone extension: the trunk elevation.
        sway_rms_deg: per hold, RMS of the body line about its linear trend over the hold.
        line_deg: per hold, the body line held.
        down_side: side plank: the side on the floor.
        reps: limb movements (or press-ups) in time order: ``(start_s, end_s)``.
    """

    phases: list[dict] = field(default_factory=list)
    body_line_deg: np.ndarray | None = None
    sway_rms_deg: list[float] = field(default_factory=list)
    line_deg: list[float] = field(default_factory=list)
    down_side: str | None = None
    reps: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class FloorClip:
    seq: PoseSequence
    truth: Truth


# ---------------------------------------------------------------------------------------------------------------
# The script: rest → up → hold (sway, breaks, reaches) → down → rest, per hold
# ---------------------------------------------------------------------------------------------------------------


def _script(holds: Sequence[HoldSpec], fps: float, rest_s: float, move_s: float, rest_line: float):
    """Per frame: the body line (or elevation), arm reach phase 0..1, and the truth phases."""
    t_list, line, reach = [], [], []
    phases, reps = [], []
    t0 = 0.0
    dt = 1.0 / fps

    def seg(duration: float, fn):
        nonlocal t0
        n = max(1, round(duration * fps))
        for k in range(n):
            u = k / n
            a, b = fn(u, t0 + k * dt)
            t_list.append(t0 + k * dt)
            line.append(a)
            reach.append(b)
        t0 += n * dt

    seg(rest_s, lambda u, t: (rest_line, 0.0))
    for h in holds:
        seg(move_s, lambda u, t, h=h: (rest_line + (h.line_deg - rest_line) * min_jerk(u), 0.0))
        start = t0
        brks = []
        reach_starts = []
        if h.reaches:
            gap = (h.hold_s - h.reaches * h.reach_s) / (h.reaches + 1)
            reach_starts = [start + gap * (i + 1) + h.reach_s * i for i in range(h.reaches)]
            reps.extend((s, s + h.reach_s) for s in reach_starts)
        for b0, bd in h.breaks:
            brks.append((start + b0, start + b0 + bd))

        def hold_fn(u, t, h=h, start=start, brks=brks, reach_starts=reach_starts):
            x = h.line_deg + h.sway_deg * math.sin(2 * math.pi * h.sway_hz * (t - start))
            for a, b in brks:
                if a <= t < b:  # down and back up, minimum jerk each way
                    v = (t - a) / (b - a)
                    x += (h.break_line_deg - h.line_deg) * float(min_jerk(np.array(2 * v if v < 0.5 else 2 - 2 * v)))
            r = 0.0
            for s in reach_starts:
                if s <= t < s + h.reach_s:
                    v = (t - s) / h.reach_s
                    r = float(min_jerk(np.array(2 * v if v < 0.5 else 2 - 2 * v)))
            return x, r

        seg(h.hold_s, hold_fn)
        end = t0
        phases.append({"start_s": start, "bottom_start_s": start, "bottom_end_s": end, "end_s": end,
                       "breaks": brks})  # fmt: skip
        seg(move_s, lambda u, t, h=h: (h.line_deg + (rest_line - h.line_deg) * min_jerk(u), 0.0))
        seg(rest_s, lambda u, t: (rest_line, 0.0))
    return np.array(t_list), np.array(line), np.array(reach), phases, reps


def _sway_truth(t: np.ndarray, line: np.ndarray, phases: list[dict]) -> list[float]:
    out = []
    for p in phases:
        sel = (t >= p["start_s"]) & (t < p["end_s"])
        for a, b in p["breaks"]:
            sel &= ~((t >= a) & (t < b))
        x, tt = line[sel], t[sel]
        fit = np.polyval(np.polyfit(tt, x, 1), tt)
        out.append(float(np.sqrt(np.mean((x - fit) ** 2))))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Poses (2D in the plane the camera sees, then 3D)
# ---------------------------------------------------------------------------------------------------------------


def _line_pose(line_deg: float, sho_h: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shoulder, hip and ankle ``(u, v)`` (u toward the head, v up) for a body line of ``line_deg``: the shoulder at
    ``(0, sho_h)``, the ankle at ``ANKLE_H_M``, straight legs and trunk, the hip deviating from the line."""
    leg = THIGH_M + SHANK_M
    th = math.radians(line_deg)
    sa = math.sqrt(TRUNK_M**2 + leg**2 + 2 * TRUNK_M * leg * math.cos(th))
    dv = sho_h - ANKLE_H_M
    du = math.sqrt(max(sa**2 - dv**2, 1e-9))
    s = np.array([0.0, sho_h])
    a = s + np.array([-du, -dv])
    e = (a - s) / sa
    n_up = np.array([-e[1], e[0]]) if e[0] < 0 else np.array([e[1], -e[0]])
    if n_up[1] < 0:
        n_up = -n_up
    alpha = math.acos(max(-1.0, min(1.0, (TRUNK_M**2 + sa**2 - leg**2) / (2 * TRUNK_M * sa))))
    h = s + TRUNK_M * (math.cos(alpha) * e + math.copysign(math.sin(alpha), th if th != 0 else 1.0) * n_up)
    if th == 0:
        h = s + TRUNK_M * e
    return s, h, a


def measured_line_deg(s: np.ndarray, h: np.ndarray, a: np.ndarray) -> float:
    """The signed shoulder–hip–ankle deviation of one ``(u, v)`` pose (v up), measured on the figure."""
    u1, u2 = s - h, a - h
    cos = float(np.dot(u1, u2) / (np.linalg.norm(u1) * np.linalg.norm(u2)))
    ang = math.degrees(math.acos(min(1.0, max(-1.0, cos))))
    d = s - a
    n_up = np.array([-d[1], d[0]])
    if n_up[1] < 0:
        n_up = -n_up
    return (180.0 - ang) * (1.0 if float(np.dot(h - a, n_up)) >= 0 else -1.0)


def _limbs(s: np.ndarray, h: np.ndarray, a: np.ndarray, high: bool) -> dict[str, np.ndarray]:
    """Elbow, wrist, knee, heel and toe of one side in the ``(u, v)`` plane (forearm or straight-arm support)."""
    k = h + (a - h) * THIGH_M / (THIGH_M + SHANK_M)
    if high:  # straight arm under the shoulder
        e = np.array([s[0], s[1] - UPPER_ARM_M])
        w = np.array([s[0], ELBOW_H_M])
    else:
        e = np.array([s[0], ELBOW_H_M])
        w = e + np.array([FOREARM_M, 0.0])
    heel = a + np.array([-0.06, 0.04])
    toe = a + np.array([0.05, -0.09])
    return {"ELBOW": e, "WRIST": w, "KNEE": k, "HEEL": heel, "FOOT_INDEX": toe}


def _head(s: np.ndarray, h: np.ndarray) -> dict[str, np.ndarray]:
    d = (s - h) / np.linalg.norm(s - h)
    ear = s + 0.22 * d + np.array([0.0, 0.03])
    nose = ear + 0.04 * d + np.array([0.0, -0.08])  # lying prone the face looks at the floor
    return {"EAR": ear, "NOSE": nose}


def _to_sequence(points: list[dict[str, np.ndarray]], t: np.ndarray, fps: float, seed: int, noise_px: float,
                 cam: str) -> PoseSequence:  # fmt: skip
    """3D points per frame (absolute, metres, x along the image, y down, z away from the camera) → landmarks."""
    T = len(points)
    world = np.full((T, 33, 4), np.nan)
    img = np.full((T, 33, 4), np.nan)
    rng = np.random.default_rng(seed)
    xs = np.array([[p[k][0] for k in p] for p in points])
    ys = np.array([[p[k][1] for k in p] for p in points])
    cx = WIDTH / 2 - PX_PER_M * 0.5 * (np.nanmin(xs) + np.nanmax(xs))
    cy = HEIGHT * 0.5 - PX_PER_M * 0.5 * (np.nanmin(ys) + np.nanmax(ys))
    for i, p in enumerate(points):
        hip = 0.5 * (p["LEFT_HIP"] + p["RIGHT_HIP"])
        for name, xyz in p.items():
            j = int(LM[name])
            world[i, j, :3] = xyz - hip
            world[i, j, 3] = 1.0
            img[i, j, 0] = (cx + PX_PER_M * xyz[0]) / WIDTH
            img[i, j, 1] = (cy + PX_PER_M * xyz[1]) / HEIGHT
            img[i, j, 2] = xyz[2] * PX_PER_M / WIDTH
            img[i, j, 3] = 0.99
    if noise_px > 0:
        img[:, :, 0] += rng.normal(0, noise_px / WIDTH, img[:, :, 0].shape)
        img[:, :, 1] += rng.normal(0, noise_px / HEIGHT, img[:, :, 1].shape)
        world[:, :, :3] += rng.normal(0, 0.003, world[:, :, :3].shape)
    return PoseSequence(img, world, t, WIDTH, HEIGHT, n_people=np.ones(T, dtype=np.int16))


_FACE = ("NOSE", "LEFT_EYE_INNER", "LEFT_EYE", "LEFT_EYE_OUTER", "RIGHT_EYE_INNER", "RIGHT_EYE", "RIGHT_EYE_OUTER",
         "LEFT_EAR", "RIGHT_EAR", "MOUTH_LEFT", "MOUTH_RIGHT")  # fmt: skip
_HAND = (("PINKY", -0.02), ("INDEX", 0.0), ("THUMB", 0.02))


def _side_view_points(pose: dict[str, np.ndarray], facing: float, near: str) -> dict[str, np.ndarray]:
    """A sagittal ``(u, v)`` pose of both sides → 3D points of a side view (``near`` side toward the camera)."""
    out = {}
    for side in ("LEFT", "RIGHT"):
        zs = -1.0 if side.lower() == near else 1.0
        for j in ("SHOULDER", "HIP", "ELBOW", "WRIST", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX"):
            w = SHOULDER_W_M if j in ("SHOULDER", "ELBOW", "WRIST") else HIP_W_M
            u, v = pose[j]
            out[f"{side}_{j}"] = np.array([facing * u, -v, zs * w / 2])
        u, v = pose["WRIST"]
        for name, dz in _HAND:
            out[f"{side}_{name}"] = np.array([facing * (u + 0.06), -v, zs * SHOULDER_W_M / 2 + dz])
    ear, nose = pose["EAR"], pose["NOSE"]
    for name in _FACE:
        base = nose if name in ("NOSE",) or name.startswith(("MOUTH", "LEFT_EYE", "RIGHT_EYE")) else ear
        zs = -1.0 if name.startswith(near.upper()) else 1.0 if name.startswith(("LEFT", "RIGHT")) else 0.0
        dv = -0.03 if name.startswith("MOUTH") else 0.02 if "EYE" in name else 0.0
        du = -0.03 if "EYE" in name else 0.0
        out[name] = np.array([facing * (base[0] + du), -(base[1] + dv), zs * 0.07])
    return out


def _lying_pose(kind: str) -> dict[str, np.ndarray]:
    """A body lying on the floor after a plank (``(u, v)``, u toward the head, v up; straight legs, trunk down).

    ``flat``: chest on the floor, hands beside the shoulders (elbows up), the shoulder and hip joints 8-9 cm up:
    the body line is near straight, but nothing holds the shoulders up. ``forearms``: on the forearms with the
    pelvis on the floor, a thick body (hip joint 17 cm up, as the rendered armoured figure lying on the floor):
    the shoulders are held up, the hips are down near the supports' line, the body line (about -15°) inside the
    plank band.
    """
    leg = THIGH_M + SHANK_M
    if kind == "flat":
        s, h = np.array([0.0, 0.08]), np.array([-TRUNK_M, 0.09])
        e, w = np.array([-0.12, 0.14]), np.array([-0.02, 0.03])
    elif kind == "forearms":
        s = np.array([0.0, ELBOW_H_M + UPPER_ARM_M])
        h = np.array([-math.sqrt(TRUNK_M**2 - (s[1] - 0.17) ** 2), 0.17])
        e, w = np.array([0.0, ELBOW_H_M]), np.array([FOREARM_M, ELBOW_H_M])
    else:
        raise ValueError(f"unknown lying pose {kind!r}")
    a = h + np.array([-math.sqrt(leg**2 - (h[1] - 0.07) ** 2), 0.07 - h[1]])
    k = h + (a - h) * THIGH_M / leg
    return {"SHOULDER": s, "HIP": h, "ANKLE": a, "ELBOW": e, "WRIST": w, "KNEE": k,
            "HEEL": a + np.array([-0.05, 0.05]), "FOOT_INDEX": a + np.array([0.06, -0.05]), **_head(s, h)}  # fmt: skip


def plank_clip(n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, *,
               holds: Sequence[HoldSpec] | None = None, high: bool = False, rest_s: float = 1.5,
               move_s: float = 1.0, noise_px: float = 0.5, lie_s: float = 0.0,
               lie: str = "flat") -> FloorClip:  # fmt: skip
    """A side-view plank set: ``n_reps`` holds (or ``holds``) between rests lying on the forearms.

    The conformance suite calls it with ``n_reps``, ``facing`` (+1 the head is image-right), ``fps`` and ``seed``.
    ``lie_s`` > 0 adds, after the last rest, ``move_s`` of lying down into the ``lie`` pose (:func:`_lying_pose`)
    and ``lie_s`` of lying still there: not a hold (the truth phases are unchanged).
    """
    holds = list(holds) if holds is not None else [HoldSpec(hold_s=4.0, line_deg=-2.0, sway_deg=0.8)] * n_reps
    t, line, _, phases, _ = _script(holds, fps, rest_s, move_s, REST_LINE_DEG)
    sho_h = ELBOW_H_M + UPPER_ARM_M
    near = "right" if facing > 0 else "left"  # prone, head image-right: the right side faces the camera
    poses = []
    for x in line:
        s, h, a = _line_pose(float(x), sho_h)
        poses.append({"SHOULDER": s, "HIP": h, "ANKLE": a, **_limbs(s, h, a, high), **_head(s, h)})
    if lie_s > 0:
        last, down = poses[-1], _lying_pose(lie)
        n_move, n_lie = max(1, round(move_s * fps)), round(lie_s * fps)
        for k in range(1, n_move + n_lie + 1):
            u = float(min_jerk(np.array(min(1.0, k / n_move))))
            poses.append({j: last[j] + (down[j] - last[j]) * u for j in last})
        t = np.concatenate([t, t[-1] + np.arange(1, n_move + n_lie + 1) / fps])
    truth_line = np.array([measured_line_deg(p["SHOULDER"], p["HIP"], p["ANKLE"]) for p in poses])
    pts = [_side_view_points(p, facing, near) for p in poses]
    truth = Truth(phases=phases, body_line_deg=truth_line, sway_rms_deg=_sway_truth(t, truth_line, phases),
                  line_deg=[h.line_deg for h in holds])  # fmt: skip
    return FloorClip(_to_sequence(pts, t, fps, seed, noise_px, "side"), truth)


def side_plank_clip(n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, *,
                    holds: Sequence[HoldSpec] | None = None, down: str = "left", rest_s: float = 1.5,
                    move_s: float = 1.0, noise_px: float = 0.5) -> FloorClip:  # fmt: skip
    """A front-view side plank set on the ``down`` forearm: body line in the frontal plane, top-arm reaches.

    ``facing`` +1: the head is image-right (with the left side down, the chest faces the camera; mirrored, the
    back does). The top arm points at the ceiling; a reach sweeps it down in front of the body (``REACH_DEG``)
    and back up (thread the needle).
    """
    holds = list(holds) if holds is not None else [HoldSpec(hold_s=4.0, line_deg=-2.0, sway_deg=0.8)] * n_reps
    t, line, reach, phases, reps = _script(holds, fps, rest_s, move_s, REST_LINE_DEG)
    top = "right" if down == "left" else "left"
    sho_h = ELBOW_H_M + UPPER_ARM_M + SHOULDER_W_M / 2  # the mid-shoulder: the down shoulder is over the elbow
    pts, truth_line = [], []
    for x, r in zip(line, reach, strict=True):
        s, h, a = _line_pose(float(x), sho_h)  # mid-line in the frontal plane (u along the body, v up)
        k = h + (a - h) * THIGH_M / (THIGH_M + SHANK_M)
        truth_line.append(measured_line_deg(s, h, a))
        p: dict[str, np.ndarray] = {}
        for side in ("LEFT", "RIGHT"):
            sgn = -1.0 if side.lower() == down else 1.0  # the down side is lower
            for j, (u, v), w in (("SHOULDER", s, SHOULDER_W_M), ("HIP", h, HIP_W_M), ("KNEE", k, 0.16),
                                 ("ANKLE", a, 0.12)):  # fmt: skip
                p[f"{side}_{j}"] = np.array([facing * u, -(v + sgn * w / 2), -0.02])
            ankle = p[f"{side}_ANKLE"]
            p[f"{side}_HEEL"] = ankle + np.array([-facing * 0.05, 0.02, 0.03])
            p[f"{side}_FOOT_INDEX"] = ankle + np.array([facing * 0.02, 0.02, -0.15])
        # Down arm: forearm on the floor pointing forward; top arm along the body, or reaching up.
        ds = p[f"{down.upper()}_SHOULDER"]
        p[f"{down.upper()}_ELBOW"] = np.array([ds[0], -ELBOW_H_M, -0.02])
        p[f"{down.upper()}_WRIST"] = np.array([ds[0], -ELBOW_H_M, -0.02 - FOREARM_M])
        ts = p[f"{top.upper()}_SHOULDER"]
        arm = UPPER_ARM_M + FOREARM_M
        ang = math.radians(REACH_DEG * r)  # 0 = the top arm points at the ceiling; a reach sweeps it down and under
        direction = np.array([-facing * math.sin(ang), -math.cos(ang), -0.3 * math.sin(ang)])
        direction /= np.linalg.norm(direction)
        p[f"{top.upper()}_ELBOW"] = ts + direction * UPPER_ARM_M
        p[f"{top.upper()}_WRIST"] = ts + direction * arm
        for side in ("LEFT", "RIGHT"):
            w = p[f"{side}_WRIST"]
            for name, dz in _HAND:
                p[f"{side}_{name}"] = w + np.array([0.0, 0.0, dz - 0.03])
        ms = 0.5 * (p["LEFT_SHOULDER"] + p["RIGHT_SHOULDER"])
        mh = 0.5 * (p["LEFT_HIP"] + p["RIGHT_HIP"])
        d = (ms - mh) / np.linalg.norm(ms - mh)
        head = ms + 0.25 * d
        for name in _FACE:
            lat = (-1.0 if name.startswith(down.upper()) else 1.0) if name.startswith(("LEFT", "RIGHT")) else 0.0
            fwd = -0.08 if name in ("NOSE",) or "EYE" in name or "MOUTH" in name else 0.0
            p[name] = head + np.array([0.0, -lat * 0.06, fwd])
        pts.append(p)
    truth_line = np.array(truth_line)
    truth = Truth(phases=phases, body_line_deg=truth_line, sway_rms_deg=_sway_truth(t, truth_line, phases),
                  line_deg=[h.line_deg for h in holds], down_side=down, reps=reps)  # fmt: skip
    return FloorClip(_to_sequence(pts, t, fps, seed, noise_px, "front"), truth)


def prone_extension_clip(n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, *,
                         holds: Sequence[HoldSpec] | None = None, pelvis_lift_m: float = 0.0, rest_s: float = 1.5,
                         move_s: float = 1.2, noise_px: float = 0.5) -> FloorClip:  # fmt: skip
    """A side-view prone press-up set: ``n_reps`` press-ups, each held at the top (``HoldSpec.line_deg`` is the
    trunk elevation held); the pelvis rises by ``pelvis_lift_m`` at the top when asked (a fault)."""
    holds = list(holds) if holds is not None else [HoldSpec(hold_s=2.5, line_deg=25.0, sway_deg=0.0)] * n_reps
    rest = 3.0
    t, elev, _, phases, _ = _script(holds, fps, rest_s, move_s, rest)
    top_elev = max(h.line_deg for h in holds)
    near = "right" if facing > 0 else "left"
    pts, truth_elev = [], []
    for e in elev:
        lift = pelvis_lift_m * max(0.0, (e - rest) / max(top_elev - rest, 1e-9))
        hip = np.array([0.0, 0.10 + lift])
        er = math.radians(float(e))
        s = hip + TRUNK_M * np.array([math.cos(er), math.sin(er)])
        ankle = np.array([-(THIGH_M + SHANK_M) * math.cos(math.asin(min(lift, 0.3) / (THIGH_M + SHANK_M))), 0.06])
        k = hip + (ankle - hip) * THIGH_M / (THIGH_M + SHANK_M)
        w = np.array([s[0] - 0.08, 0.03])  # hands flat beside the chest
        sw = s - w
        dist = float(np.linalg.norm(sw))
        arm = UPPER_ARM_M + FOREARM_M
        if dist < arm:  # bent elbow: the elbow out behind the line, up
            half = math.acos(min(1.0, dist / arm))
            base = math.atan2(-sw[1], -sw[0])
            ang = base + half
            elbow = s + UPPER_ARM_M * np.array([math.cos(ang), math.sin(ang)])
        else:
            elbow = s - sw * UPPER_ARM_M / dist
        pose = {"SHOULDER": s, "HIP": hip, "ANKLE": ankle, "KNEE": k, "ELBOW": elbow, "WRIST": w,
                "HEEL": ankle + np.array([-0.03, 0.06]), "FOOT_INDEX": ankle + np.array([-0.15, -0.04]),
                **_head(s, hip)}  # fmt: skip
        truth_elev.append(math.degrees(math.atan2(s[1] - hip[1], abs(s[0] - hip[0]))))
        pts.append(_side_view_points(pose, facing, near))
    truth_elev = np.array(truth_elev)
    reps = [(p["start_s"] - move_s, p["end_s"] + move_s) for p in phases]
    truth = Truth(phases=phases, body_line_deg=truth_elev, sway_rms_deg=_sway_truth(t, truth_elev, phases),
                  line_deg=[h.line_deg for h in holds], reps=reps)  # fmt: skip
    return FloorClip(_to_sequence(pts, t, fps, seed, noise_px, "side"), truth)
