"""Synthetic lunge / split-squat sets with exact ground truth (tests and the conformance suite).

A planar (sagittal) figure seen exactly side-on, x forward, y up, metres. Each rep goes from standing with the feet
together (progress ``u = 0``) to the bottom of a lunge (``u = 1``) and back, along minimum-jerk profiles:

* the **front** leg's ankle stays planted; its shin tips forward to ``shin_deg`` and its thigh to ``thigh_deg``
  (from vertical), which places the hip;
* the **back** thigh swings ``back_thigh_deg`` behind vertical from that hip; the back shin is then solved so that
  the back ankle sits at its heel-raised height (a foot on the ball), or hangs straight while the leg is too long
  to reach the floor (the step in the air);
* the trunk leans ``trunk_deg`` forward; arms hang.

The front leg alternates (or not) per rep; the landmark labels follow the anatomical legs, the near side follows
the facing (facing image-right shows the right side, as in :func:`formcheck.synth.hinge_clip`). The truth is
computed from the model's joints, with definitions independent of the analyzer's landmark arithmetic where they can
be: the front shin and thigh angles are the commanded angles, knee past toes is the knee joint ahead of the toe tip,
the back knee height is the joint centre above the floor (y = 0), step length is ankle to ankle over thigh + shank.

Faults are per-rep parameters: a knee far past the toes (large ``shin_deg``), a trunk pitching forward
(``trunk_deg``), a shallow rep (small ``thigh_deg``) and fast lowering (``eccentric_s``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.metrics.tempo import min_jerk
from formcheck.synth import add_noise, side_view_world, synthetic_video
from formcheck.types import LM, PoseSequence

SIDES = ("left", "right")
BALL_FRAC = 0.75  # the foot index (ball of the foot) along the heel -> toe tip line


@dataclass(frozen=True)
class LungeBody:
    """Segment lengths (m) of the planar figure."""

    shank_m: float = 0.43
    thigh_m: float = 0.43
    ankle_h_m: float = 0.08
    heel_back_m: float = 0.06  # heel behind the ankle
    toe_fwd_m: float = 0.18  # toe tip (MediaPipe foot index) ahead of the ankle
    back_ankle_h_m: float = 0.13  # back ankle height with the heel raised (foot on the ball)
    trunk_m: float = 0.50  # hip joint to shoulder
    neck_m: float = 0.22  # shoulder to the head centre
    upper_arm_m: float = 0.30
    forearm_m: float = 0.27
    hip_half_width_m: float = 0.09
    shoulder_half_width_m: float = 0.18


@dataclass(frozen=True)
class LungeRep:
    """One rep: its front leg, its peak angles (at the bottom) and optional per-rep tempo.

    Clean defaults: front thigh 80° from vertical (10° above parallel), shin 10°, trunk 5°, back thigh 10° behind.
    """

    front: str = "left"
    thigh_deg: float = 80.0
    shin_deg: float = 10.0
    trunk_deg: float = 5.0
    back_thigh_deg: float = 10.0
    eccentric_s: float | None = None  # None: the clip's tempo

    def __post_init__(self) -> None:
        if self.front not in SIDES:
            raise ValueError(f"front must be 'left' or 'right', not {self.front!r}")


FAULTS: dict[str, dict[str, float]] = {
    "clean": {},
    "knee_past_toes": {"shin_deg": 38.0},
    "trunk_forward": {"trunk_deg": 35.0},
    "shallow": {"thigh_deg": 50.0},
    "fast_lowering": {"eccentric_s": 0.6},
}


@dataclass(frozen=True)
class LungeTruth:
    """Exact per-frame values and per-rep values and phase times."""

    t_s: np.ndarray
    u: np.ndarray
    rep: np.ndarray  # 1-based rep index, 0 outside
    trunk_inclination_deg: np.ndarray
    front_thigh_incl_deg: np.ndarray
    front_shin_incl_deg: np.ndarray
    phases: list[dict[str, float]] = field(default_factory=list)  # start_s, bottom_start_s, bottom_end_s, end_s
    reps: list[dict[str, float | str]] = field(default_factory=list)  # per rep: side and the bottom values

    @property
    def sides(self) -> list[str]:
        return [str(r["side"]) for r in self.reps]


@dataclass(frozen=True)
class LungeClip:
    seq: PoseSequence
    truth: LungeTruth
    facing: int


def _unit(theta: np.ndarray) -> np.ndarray:
    """Unit vectors at ``theta`` (rad) from vertical-up, forward (+x) for positive angles."""
    return np.stack([np.sin(theta), np.cos(theta)], axis=-1)


def _legs(b: LungeBody, u: np.ndarray, r: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Joint positions ``(T, 2)`` (x forward, y up) for progress ``u`` and per-frame rep parameters ``r`` (deg)."""
    T = u.shape[0]
    phi = np.radians(r["shin_deg"]) * u
    theta = np.radians(r["thigh_deg"]) * u
    tau = np.radians(r["trunk_deg"]) * u
    beta = -np.radians(r["back_thigh_deg"]) * u
    f_ankle = np.tile([0.0, b.ankle_h_m], (T, 1))
    f_knee = f_ankle + b.shank_m * _unit(phi)
    hip = f_knee - b.thigh_m * np.stack([np.sin(theta), -np.cos(theta)], axis=-1)
    b_knee = hip + b.thigh_m * np.stack([np.sin(beta), -np.cos(beta)], axis=-1)
    # The back ankle at its heel-raised height, between standing height and that (the step in the air).
    h_ankle = b.ankle_h_m + (b.back_ankle_h_m - b.ankle_h_m) * u
    cos_psi = np.clip((b_knee[:, 1] - h_ankle) / b.shank_m, -1.0, 1.0)
    psi = np.arccos(cos_psi)  # back shin from vertical, the ankle behind the knee
    b_ankle = b_knee - b.shank_m * np.stack([np.sin(psi), np.cos(psi)], axis=-1)
    sho = hip + b.trunk_m * _unit(tau)
    head = sho + b.neck_m * _unit(tau)
    fwd = np.stack([np.cos(tau), -np.sin(tau)], axis=-1)  # the face's direction, square to the trunk
    up = _unit(tau)
    down = np.array([0.0, -1.0])
    elbow = sho + b.upper_arm_m * down
    wrist = elbow + b.forearm_m * down
    z = np.zeros(T)
    return {
        "f_ankle": f_ankle, "f_knee": f_knee, "hip": hip, "b_knee": b_knee, "b_ankle": b_ankle,
        # Foot points on the sole (y = 0 on the floor); the back foot turns onto its ball as it steps back, so
        # both feet are the same while standing (u = 0).
        "f_heel": f_ankle + np.stack([-b.heel_back_m + z, -b.ankle_h_m + z], -1),
        "f_toe": f_ankle + np.stack([b.toe_fwd_m + z, -b.ankle_h_m + z], -1),
        "b_heel": b_ankle + np.stack([-b.heel_back_m * (1 - 0.3 * u), -b.ankle_h_m + 0.10 * u], -1),
        "b_toe": np.stack([b_ankle[:, 0] + b.toe_fwd_m * (1 - 0.3 * u),
                           np.maximum(b_ankle[:, 1] - b.ankle_h_m - 0.05 * u, 0.0)], -1),
        "sho": sho, "head": head, "nose": head + 0.10 * fwd - 0.01 * up, "eye": head + 0.08 * fwd + 0.02 * up,
        "mouth": head + 0.08 * fwd - 0.04 * up, "ear": head - 0.01 * fwd, "elbow": elbow, "wrist": wrist,
        "hand": wrist + 0.09 * down, "psi": psi,
    }  # fmt: skip


def lunge_clip(
    reps: list[LungeRep] | None = None,
    *,
    n_reps: int = 3,
    alternate: bool = True,
    first: str = "left",
    fault: str = "clean",
    tempo: tuple[float, float, float, float] = (1.6, 0.4, 1.4, 0.8),
    fps: float = 30.0,
    lead_in_s: float = 1.5,
    lead_out_s: float = 1.5,
    facing: int = 1,
    width: int = 640,
    height: int = 480,
    body: LungeBody | None = None,
    noise_px: float = 0.0,
    split_top_frac: float = 0.0,
    seed: int = 0,
) -> LungeClip:
    """A side-view lunge set with exact truth.

    Args:
        reps: one :class:`LungeRep` per rep (default: ``n_reps`` reps, alternating from ``first`` when
            ``alternate``, every one with ``fault`` applied).
        n_reps, alternate, first, fault: the default reps (``fault`` one of :data:`FAULTS`).
        tempo: lowering, bottom pause, rising, pause before the next rep (s).
        fps, lead_in_s, lead_out_s, facing, width, height: the clip (facing +1 = image-right).
        body: segment lengths.
        noise_px: Gaussian landmark noise (pixels).
        split_top_frac: progress kept at the top (0: standing feet together, a lunge; e.g. 0.35: a static split
            squat that rises only to a split stance, front thigh still tipped forward). With it, use one front leg.
        seed: random seed for the noise.
    """
    b = body or LungeBody()
    if reps is None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {sorted(FAULTS)}, not {fault!r}")
        other = {"left": "right", "right": "left"}
        reps = [replace(LungeRep(front=other[first] if alternate and k % 2 else first), **FAULTS[fault])
                for k in range(n_reps)]  # type: ignore[arg-type]  # fmt: skip
    ecc0, bot, con, top = tempo
    t_end = lead_in_s + sum((r.eccentric_s or ecc0) + bot + con + top for r in reps) - top + lead_out_s
    t = np.arange(0.0, t_end, 1.0 / fps)
    u = np.zeros_like(t)
    rep_idx = np.zeros(t.shape, dtype=np.int64)
    phases = []
    t0 = lead_in_s
    for k, r in enumerate(reps):
        ecc = r.eccentric_s or ecc0
        a, bb, c, e = t0, t0 + ecc, t0 + ecc + bot, t0 + ecc + bot + con
        m = (t >= a) & (t < bb)
        u[m] = min_jerk((t[m] - a) / ecc)
        u[(t >= bb) & (t < c)] = 1.0
        m = (t >= c) & (t < e)
        u[m] = 1.0 - min_jerk((t[m] - c) / con)
        rep_idx[(t >= a) & (t < e)] = k + 1
        phases.append({"start_s": a, "bottom_start_s": bb, "bottom_end_s": c, "end_s": e})
        t0 = e + top
    # Each frame takes the parameters of the rep in progress (or the last one begun); standing (u = 0) they agree.
    starts = np.array([p["start_s"] for p in phases])
    k_of_t = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(reps) - 1)
    params = {f: np.array([getattr(reps[k], f) for k in k_of_t], dtype=np.float64)
              for f in ("thigh_deg", "shin_deg", "trunk_deg", "back_thigh_deg")}  # fmt: skip
    pose_u = split_top_frac + (1.0 - split_top_frac) * u  # how far into the lunge the body is
    sk = _legs(b, pose_u, params)
    front_left = np.array([reps[k].front == "left" for k in k_of_t])

    scale = 0.8 * height / 1.9  # px per metre: 1.9 m of height fills 80 % of the frame (as the hinge's)
    ox, oy = width * 0.5, height * 0.93

    def to_px(p: np.ndarray) -> np.ndarray:
        return np.stack([ox + facing * p[..., 0] * scale, oy - p[..., 1] * scale], axis=-1)

    T = t.size
    lm = np.full((T, 33, 4), np.nan)
    near_left = facing < 0

    def put(idx: int, p: np.ndarray, z: float, vis: float) -> None:
        xy = to_px(p)
        lm[:, idx, 0], lm[:, idx, 1], lm[:, idx, 2], lm[:, idx, 3] = xy[:, 0] / width, xy[:, 1] / height, z, vis

    for side in ("LEFT", "RIGHT"):
        near = (side == "LEFT") == near_left
        z, vis = (-0.1, 0.99) if near else (0.1, 0.8)
        is_front = front_left if side == "LEFT" else ~front_left

        def leg(front_key: str, back_key: str, is_front: np.ndarray = is_front) -> np.ndarray:
            return np.where(is_front[:, None], sk[front_key], sk[back_key])

        put(LM[f"{side}_HIP"], sk["hip"], z, vis)
        put(LM[f"{side}_KNEE"], leg("f_knee", "b_knee"), z, vis)
        put(LM[f"{side}_ANKLE"], leg("f_ankle", "b_ankle"), z, vis)
        put(LM[f"{side}_HEEL"], leg("f_heel", "b_heel"), z, vis)
        # MediaPipe's foot index sits at the ball of the foot (three quarters of the way to the toe tip), as in
        # formcheck.synth; the truth's toe is the tip.
        heel = leg("f_heel", "b_heel")
        put(LM[f"{side}_FOOT_INDEX"], heel + BALL_FRAC * (leg("f_toe", "b_toe") - heel), z, vis)
        put(LM[f"{side}_SHOULDER"], sk["sho"], z, vis)
        put(LM[f"{side}_ELBOW"], sk["elbow"], z, vis)
        put(LM[f"{side}_WRIST"], sk["wrist"], z, vis)
        for name in ("PINKY", "INDEX", "THUMB"):
            put(LM[f"{side}_{name}"], sk["hand"], z, vis)
        put(LM[f"{side}_EAR"], sk["ear"], z, vis)
        for name in ("EYE_INNER", "EYE", "EYE_OUTER"):
            put(LM[f"{side}_{name}"], sk["eye"], z, vis)
        put(LM[f"MOUTH_{side}"], sk["mouth"], z, vis)
    put(LM.NOSE, sk["nose"], 0.0, 0.99)
    add_noise(lm, np.random.default_rng(seed), noise_px, width, height)
    world = side_view_world(
        lm, width, height, (ox, oy), scale, near_left, (b.shoulder_half_width_m, b.hip_half_width_m)
    )

    leg_m = b.thigh_m + b.shank_m
    rep_truth: list[dict[str, float | str]] = []
    for k, (r, p) in enumerate(zip(reps, phases, strict=True)):
        i = int(np.searchsorted(t, 0.5 * (p["bottom_start_s"] + p["bottom_end_s"])))
        rep_truth.append({
            "side": r.front,
            "front_shin_incl_deg": r.shin_deg,
            "front_thigh_above_parallel_deg": 90.0 - r.thigh_deg,
            "trunk_incl_max_deg": r.trunk_deg,
            "knee_past_toes_cm": 100.0 * float(sk["f_knee"][i, 0] - sk["f_toe"][i, 0]),
            "back_knee_height_cm": 100.0 * float(sk["b_knee"][i, 1]),
            "step_length_leg_frac": float(sk["f_ankle"][i, 0] - sk["b_ankle"][i, 0]) / leg_m,
            "front_knee_flexion_deg": r.thigh_deg + r.shin_deg,
            "eccentric_s": p["bottom_start_s"] - p["start_s"],
            "rep": k + 1,
        })  # fmt: skip
    truth = LungeTruth(
        t_s=t, u=u, rep=rep_idx, trunk_inclination_deg=params["trunk_deg"] * pose_u,
        front_thigh_incl_deg=params["thigh_deg"] * pose_u, front_shin_incl_deg=params["shin_deg"] * pose_u,
        phases=phases, reps=rep_truth,
    )  # fmt: skip
    video = synthetic_video(width, height, fps, t)
    return LungeClip(PoseSequence(lm, world, t, width, height, video=video), truth, facing)


def body_height_cm(body: LungeBody | None = None) -> float:
    """Standing height of the figure that the thigh + shank + trunk proportions of :mod:`formcheck.body.roll` imply
    (pass it as the configured height so centimetres are on the figure's own scale)."""
    from formcheck.body.roll import SHANK_FRAC_OF_HEIGHT, THIGH_FRAC_OF_HEIGHT, TRUNK_FRAC_OF_HEIGHT

    b = body or LungeBody()
    return 100.0 * (b.thigh_m + b.shank_m + b.trunk_m) / (THIGH_FRAC_OF_HEIGHT + SHANK_FRAC_OF_HEIGHT +
                                                          TRUNK_FRAC_OF_HEIGHT)  # fmt: skip


__all__ = ["FAULTS", "LungeBody", "LungeClip", "LungeRep", "LungeTruth", "body_height_cm", "lunge_clip"]
