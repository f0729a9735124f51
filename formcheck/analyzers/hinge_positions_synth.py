"""Synthetic seated and tall-kneeling hip hinges with exact ground truth (tests and benchmarks only).

The trunk, head and arms are those of :mod:`formcheck.synth` (rigid pelvis, a uniformly curved spine of known
bend, head, hanging arms), built by its ``_skeleton`` and moved onto legs posed for the position:

* **seated** — on a chair: thighs horizontal and pointing forward from the hips (hip joint ``seat_h_m`` above the
  floor), shins vertical, feet flat under the knees. The thighs do not move; the trunk leans from the hips.
* **kneeling** (tall kneeling) — knees on the floor, thighs vertical, shins and insteps flat behind (the toes point
  backwards). The trunk leans from the hips and the hips may travel back a little (``thigh_deg``: the thigh tips
  back so the knee is ahead of the hip, as people do to keep their balance).

Each rep follows the same minimum-jerk phase profile as the standing hinge (:func:`formcheck.synth._profile`):
lowering, pause at the bottom, rising, pause at the top. Faults are parameters: back rounding (``spine_deg``, a
uniform arc, so the outline bends by exactly that much) and fast lowering (``tempo``).

Truth is taken from the model's joint centres, not from landmarks: trunk inclination (hip → shoulder line from
vertical), thigh inclination (hip → knee from straight down, knee ahead of the hip positive: 90° seated),
hip flexion = trunk + thigh (the angle between the trunk line and the thigh, what a side view measures; 90° sitting
upright, 0° kneeling upright), pelvis tilt, spine bend and each rep's phase times. There is no centre-of-mass truth
(NaN): the load path over the feet is a standing measure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.synth import (
    ARM_POINTS,
    BodyModel,
    SynthClip,
    Truth,
    _profile,
    _skeleton,
    add_noise,
    back_contours,
    rep_params,
    side_view_landmarks,
    side_view_world,
    synthetic_video,
    trunk_inclination_deg,
)
from formcheck.types import PoseSequence

POSITIONS = ("seated", "kneeling")
SEAT_H_M = 0.46  # hip joint above the floor on a chair (knee height with the shins vertical is ~0.51 m)
KNEE_H_M = 0.06  # kneeling: knee joint centre above the floor


@dataclass(frozen=True)
class HingeRep:
    """Peak excursions of one rep, relative to the upright seated or kneeling posture (degrees).

    Attributes:
        pelvis_deg: forward pelvic tilt (rotation at the hips: the hips' share of the lean).
        spine_deg: spinal flexion (uniform arc): back rounding.
        thigh_deg: kneeling only: the hips travel back (the thigh tips back from vertical, knee ahead of the hip).
        neck_ext_deg: head tipped back relative to the upper trunk.
        shoulder_elev_frac: shrug, fraction of trunk length toward the head.
        depth: scale of the whole rep (a partial rep < 1).
    """

    pelvis_deg: float = 40.0
    spine_deg: float = 3.0
    thigh_deg: float = 0.0
    neck_ext_deg: float = 0.0
    shoulder_elev_frac: float = 0.0
    depth: float = 1.0


# Faults used by the tests and docs/metrics.md (each a change from a clean rep).
FAULTS: dict[str, HingeRep] = {
    "clean": HingeRep(),
    "rounding": HingeRep(pelvis_deg=15.0, spine_deg=35.0),  # the lean comes mostly from the back: a stoop
}

_UPPER = ("sacrum", "arc", "c7", "shoulder", "head", "nose", "eye", "mouth", "ear", "elbow", "wrist", "hand")


def _legs(position: str, body: BodyModel, thigh: np.ndarray) -> dict[str, np.ndarray]:
    """Hip, knee, ankle, heel and ball (x forward, y up, metres; ``(T, 2)``) of the position's legs.

    Args:
        thigh: ``(T,)`` kneeling thigh tilt back from vertical, radians (knee ahead of the hip); unused seated.
    """
    T = thigh.shape[0]
    ones = np.ones(T)

    def pt(x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        return np.stack([x * ones, y * ones], axis=-1)

    if position == "seated":
        hip = pt(0.0, SEAT_H_M)
        knee = hip + pt(body.thigh_m, 0.0)
        ankle = pt(body.thigh_m, body.ankle_h_m)
        heel = ankle + pt(-body.heel_back_m, 0.02 - body.ankle_h_m)
        ball = ankle + pt(body.ball_fwd_m, 0.02 - body.ankle_h_m)
        return {"hip": hip, "knee": knee, "ankle": ankle, "heel": heel, "ball": ball}
    if position == "kneeling":
        knee = pt(0.0, KNEE_H_M)
        hip = knee + np.stack([-np.sin(thigh), np.cos(thigh)], axis=-1) * body.thigh_m
        ankle = knee + pt(-body.shank_m, body.ankle_h_m - KNEE_H_M)
        # Insteps on the floor, soles up: the heel above the ankle, the ball of the foot behind it.
        heel = ankle + pt(-0.02, 0.06)
        ball = ankle + pt(-body.ball_fwd_m, 0.02 - body.ankle_h_m)
        return {"hip": hip, "knee": knee, "ankle": ankle, "heel": heel, "ball": ball}
    raise ValueError(f"position must be one of {POSITIONS}, not {position!r}")


def _cosine_u(t: np.ndarray, phases: list[dict[str, float]]) -> np.ndarray:
    """Movement progress with half-cosine lowerings and risings over the same phase times as ``phases``."""
    u = np.zeros_like(t)
    for ph in phases:
        a, b, c, e, d = ph["start_s"], ph["bottom_start_s"], ph["bottom_end_s"], ph["end_s"], ph["depth"]
        m = (t >= a) & (t < b)
        u[m] = d * 0.5 * (1.0 - np.cos(np.pi * (t[m] - a) / (b - a)))
        u[(t >= b) & (t < c)] = d
        m = (t >= c) & (t < e)
        u[m] = d * 0.5 * (1.0 + np.cos(np.pi * (t[m] - c) / (e - c)))
    return u


def _to_landmarks(
    sk: dict[str, np.ndarray], facing: int, width: int, height: int, body: BodyModel
) -> tuple[np.ndarray, np.ndarray, float, tuple[float, float]]:
    """MediaPipe-style image landmarks ``(T, 33, 4)`` and world landmarks of an orthographic side view.

    Returns:
        ``(landmarks, world, scale_px_per_m, origin_px)``: image x, y normalised, z = depth (near side negative),
        visibility; world in metres, hip-centred, y down, z lateral.
    """
    scale = 0.8 * height / 1.9  # the camera of formcheck.synth.hinge_clip: a standing body fills ~80 % of the frame
    ox, oy = width * 0.5 - facing * 0.10 * scale, height * 0.93
    lm = side_view_landmarks(sk, facing, width, height, (ox, oy), scale)
    near_left = facing < 0  # facing image-left shows the left side
    # The hands too sit at the shoulders' half-width here (formcheck.synth puts them at the hips').
    world = side_view_world(lm, width, height, (ox, oy), scale, near_left,
                            (body.shoulder_half_width_m, body.hip_half_width_m),
                            arm_points=(*ARM_POINTS, "PINKY", "INDEX", "THUMB"))  # fmt: skip
    return lm, world, scale, (ox, oy)


def positioned_hinge_clip(
    position: str = "seated",
    reps: list[HingeRep] | None = None,
    *,
    n_reps: int = 3,
    tempo: tuple[float, float, float, float] = (3.0, 1.0, 2.0, 1.0),
    fps: float = 30.0,
    lead_in_s: float = 1.5,
    lead_out_s: float = 1.5,
    facing: int = 1,
    width: int = 640,
    height: int = 480,
    body: BodyModel | None = None,
    noise_px: float = 0.0,
    dropout_frac: float = 0.0,
    contour: bool = True,
    outline_facing: str = "frame",
    profile: str = "min_jerk",
    mask_scale: float = 0.5,
    seed: int = 0,
) -> SynthClip:
    """A side-view seated or tall-kneeling hip hinge with exact ground truth.

    Args:
        position: ``"seated"`` or ``"kneeling"``.
        reps: one :class:`HingeRep` per rep (default: ``n_reps`` clean reps).
        n_reps: number of reps when ``reps`` is None.
        tempo: lowering, bottom pause, rising, top pause (s).
        fps: frame rate.
        lead_in_s, lead_out_s: upright time before the first and after the last rep.
        facing: +1 faces image-right, -1 image-left.
        width, height: frame size in pixels.
        body: segment lengths.
        noise_px: Gaussian landmark noise (pixels, independent per landmark and frame).
        dropout_frac: fraction of frames with nobody detected (gaps of 3 frames).
        contour: render silhouettes and fill ``back_contour_px`` (the back outline, as extraction does).
        profile: the shape of each lowering and rising: ``"min_jerk"`` (as :mod:`formcheck.synth`, the shape the rep
            fit assumes) or ``"cosine"`` (half a cosine: not the fitted shape, an independent check of phase times).
        outline_facing: which side of the trunk the outline is traced on: ``"frame"`` as extraction does today
            (facing guessed per frame from the toes, which point backwards kneeling: the front of the body is
            traced), ``"true"`` the figure's own facing (what a probe that knows the position would do).
        mask_scale: silhouette resolution relative to the frame.
        seed: random seed for noise and dropouts.

    Returns:
        A :class:`formcheck.synth.SynthClip` (``truth.com_pct_foot`` is NaN: no load path seated or kneeling).
    """
    body = body or BodyModel()
    specs = list(reps) if reps is not None else [HingeRep() for _ in range(n_reps)]
    rep_time = sum(tempo)
    start = lead_in_s
    t = np.arange(0.0, start + len(specs) * rep_time - tempo[3] + lead_out_s, 1.0 / fps)
    u, rep_idx, phases = _profile(t, tempo, len(specs), start, [s.depth for s in specs])
    if profile == "cosine":
        u = _cosine_u(t, phases)
    elif profile != "min_jerk":
        raise ValueError(f"profile must be 'min_jerk' or 'cosine', not {profile!r}")
    per_rep = rep_params(specs, t, start, rep_time)
    pelvis = np.radians(per_rep("pelvis_deg")) * u
    spine = np.radians(per_rep("spine_deg")) * u
    thigh = np.radians(per_rep("thigh_deg")) * u if position == "kneeling" else np.zeros_like(u)
    neck = np.radians(per_rep("neck_ext_deg")) * u
    elev = per_rep("shoulder_elev_frac") * u
    zeros = np.zeros_like(u)
    upper = _skeleton(body, pelvis, spine, zeros, zeros, neck, elev)  # trunk, head and arms on a standing hip
    legs = _legs(position, body, thigh)
    shift = legs["hip"] - upper["hip"]
    sk = {k: upper[k] + (shift[:, None, :] if upper[k].ndim == 3 else shift) for k in _UPPER}
    sk.update(legs)
    # The arms hang under gravity from the shoulder (as standing), whatever the lean: a straight drop.
    lm, world, scale, origin = _to_landmarks(sk, facing, width, height, body)
    T = len(t)
    rng = np.random.default_rng(seed)
    add_noise(lm, rng, noise_px, width, height)
    if dropout_frac > 0:
        n_drop = max(1, int(dropout_frac * T) // 3)
        for s0 in rng.choice(np.arange(int(start * fps), T - 4), size=n_drop, replace=False):
            lm[s0 : s0 + 3] = np.nan
            world[s0 : s0 + 3] = np.nan

    trunk_deg = trunk_inclination_deg(sk)
    thigh_vec = sk["knee"] - sk["hip"]
    thigh_deg = np.degrees(np.arctan2(thigh_vec[:, 0], -thigh_vec[:, 1]))
    shank_vec = sk["ankle"] - sk["knee"]
    shin_deg = np.degrees(np.arctan2(-shank_vec[:, 0], -shank_vec[:, 1]))  # knee ahead of the ankle > 0
    truth = Truth(
        t_s=t, u=u, rep=rep_idx, trunk_inclination_deg=trunk_deg, thigh_inclination_deg=thigh_deg,
        shin_inclination_deg=shin_deg, hip_flexion_deg=trunk_deg + thigh_deg, knee_flexion_deg=thigh_deg + shin_deg,
        pelvis_deg=np.degrees(pelvis), spine_deg=np.degrees(spine), neck_ext_deg=np.degrees(neck),
        shoulder_elev_frac=elev, com_pct_foot=np.full(T, np.nan), phases=phases,
    )  # fmt: skip
    video = synthetic_video(width, height, fps, t, name=f"synthetic_{position}_hinge")
    seq = PoseSequence(lm, world, t, width, height, video=video)
    clip = SynthClip(seq, truth, sk, body, scale, origin, facing, np.degrees(spine), np.degrees(pelvis))
    if not contour:
        return clip
    cont = back_contours(clip, lm, mask_scale=mask_scale, facing=float(facing) if outline_facing == "true" else None)
    seq = PoseSequence(lm, world, t, width, height, back_contour_px=cont, video=video)
    return SynthClip(seq, truth, sk, body, scale, origin, facing, clip.spine_deg, clip.pelvis_deg)


def seated_clip(**kw: object) -> SynthClip:
    """A seated hinge (:func:`positioned_hinge_clip` with ``position="seated"``)."""
    return positioned_hinge_clip("seated", **kw)  # type: ignore[arg-type]


def kneeling_clip(**kw: object) -> SynthClip:
    """A tall-kneeling hinge with the hips travelling back 10° (:func:`positioned_hinge_clip`)."""
    kw.setdefault("reps", [HingeRep(thigh_deg=10.0) for _ in range(int(kw.pop("n_reps", 3)))])  # type: ignore[call-overload]
    return positioned_hinge_clip("kneeling", **kw)  # type: ignore[arg-type]
