"""Synthetic squats with exact ground truth, seen from the side or from the front (tests and benchmarks only).

The planar body of :mod:`formcheck.synth` (shank, thigh, rigid pelvis, a uniformly curved spine, head, hanging
arms) is posed by each rep's joint excursions with the same minimum-jerk phase profile, then given a third,
lateral dimension so it can be filmed from the front: every left/right landmark sits at its half-width from the
midline and the knees can move *toward the midline* at the bottom (knees caving). A heel lift rotates the feet
about the balls of the feet and lifts the whole body with them.

Truth is taken from the model's parameters and true joint centres, not from landmarks:

* ``thigh_above_parallel_deg`` = 90° − thigh inclination from vertical (0 = thigh level, < 0 = hip below knee);
* ``trunk_minus_shin_deg`` = trunk inclination − shin inclination (0 = parallel, > 0 = trunk pitched forward);
* ``heel_lift_cm`` = the heel's rise above the floor (the ball stays down);
* ``knees_in_pct_hips`` = the knee's horizontal distance inside the hip–ankle line, % of the hip-joint width
  (the feet are under the hips, so the line is vertical and this is the model parameter itself);
* ``com_pct_foot``: the whole-body centre of mass from the true segments (de Leva 1996), % of heel → toe tip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcheck.synth import (
    BodyModel,
    SynthClip,
    _profile,
    _skeleton,
    _true_com_x,
    add_noise,
    back_contours,
    rep_params,
    synthetic_video,
    trunk_inclination_deg,
)
from formcheck.types import LM, PoseSequence


@dataclass(frozen=True)
class SquatRep:
    """Peak joint excursions of one rep, relative to standing (degrees unless said)."""

    knee_deg: float = 110.0  # knee flexion
    shin_deg: float = 38.0  # forward shin inclination (ankle dorsiflexion)
    pelvis_deg: float = 33.0  # pelvic forward tilt: with the spine's bend, the trunk's lean
    spine_deg: float = 3.0  # spinal flexion (uniform arc): the "tuck" at depth when large
    heel_lift_deg: float = 0.0  # feet rotated about the balls of the feet (heels up)
    knees_in_frac: float = 0.0  # knee moved toward the midline, fraction of the hip-joint width
    depth: float = 1.0  # scale of the whole rep (a partial rep < 1)


# Faults used by the tests and the documentation (each a change from a clean rep).
FAULTS: dict[str, SquatRep] = {
    "clean": SquatRep(),
    "heel_lift": SquatRep(heel_lift_deg=28.0),  # heels ~9 cm up (smaller lifts are below the cue's threshold)
    "knees_in": SquatRep(knees_in_frac=0.35),  # knees 35 % of the hip width inside the hip-ankle line
    "trunk_forward": SquatRep(pelvis_deg=62.0, shin_deg=25.0, knee_deg=100.0),  # trunk ~60°, shins 25°
    "shallow": SquatRep(knee_deg=50.0, shin_deg=18.0, pelvis_deg=14.0),  # thighs ~58° above parallel
    "tuck": SquatRep(spine_deg=40.0, pelvis_deg=15.0),  # the back rounds at the bottom
}


@dataclass(frozen=True)
class SquatTruth:
    """Exact per-frame values and per-rep phase times of a synthetic squat."""

    t_s: np.ndarray
    u: np.ndarray
    rep: np.ndarray
    trunk_inclination_deg: np.ndarray
    thigh_inclination_deg: np.ndarray
    shin_inclination_deg: np.ndarray
    hip_flexion_deg: np.ndarray
    knee_flexion_deg: np.ndarray
    spine_deg: np.ndarray
    thigh_above_parallel_deg: np.ndarray
    trunk_minus_shin_deg: np.ndarray
    heel_lift_cm: np.ndarray
    knees_in_pct_hips: np.ndarray
    com_pct_foot: np.ndarray
    phases: list[dict[str, float]] = field(default_factory=list)

    @property
    def n_reps(self) -> int:
        return len(self.phases)


@dataclass(frozen=True)
class SquatClip:
    """A synthetic squat: the pose sequence and its truth."""

    seq: PoseSequence
    truth: SquatTruth
    view: str
    facing: int


# Half-widths (m) of the landmarks off the midline; the hinge model's hip and shoulder widths, a narrower head.
_HEAD_HALF_M = {"EAR": 0.075, "EYE_INNER": 0.015, "EYE": 0.032, "EYE_OUTER": 0.05, "MOUTH": 0.025}


def _lift_feet(sk: dict[str, np.ndarray], body: BodyModel, lift_rad: np.ndarray) -> np.ndarray:
    """Rotate both feet about the ball by ``lift_rad`` (heels up) and carry the body with the ankle; heel rise (m)."""
    ball = sk["ball"]
    ca, sa = np.cos(lift_rad), np.sin(lift_rad)

    def about_ball(p: np.ndarray) -> np.ndarray:
        d = p - ball  # rotate backward points up: x' = x cos - ... (counter-clockwise seen with x forward, y up)
        return ball + np.stack([d[:, 0] * ca + d[:, 1] * sa, -d[:, 0] * sa + d[:, 1] * ca], axis=-1)

    new_ankle = about_ball(sk["ankle"])
    shift = new_ankle - sk["ankle"]
    heel0 = sk["heel"]
    for k, v in list(sk.items()):
        if k in ("heel", "ball"):
            continue
        sk[k] = v + (shift[:, None, :] if v.ndim == 3 else shift)
    sk["heel"] = about_ball(heel0)
    return sk["heel"][:, 1] - heel0[:, 1]


def squat_clip(
    reps: list[SquatRep] | None = None,
    *,
    n_reps: int = 3,
    tempo: tuple[float, float, float, float] = (2.0, 0.5, 1.5, 1.0),
    view: str = "side",
    fps: float = 30.0,
    lead_in_s: float = 1.5,
    lead_out_s: float = 1.5,
    facing: int = 1,
    width: int = 640,
    height: int = 480,
    body: BodyModel | None = None,
    noise_px: float = 0.0,
    contour: bool = False,
    mask_scale: float = 0.5,
    sex: str = "female",
    seed: int = 0,
) -> SquatClip:
    """Make a squat clip with exact truth.

    Args:
        reps: one :class:`SquatRep` per rep (default: ``n_reps`` clean ones).
        n_reps: number of reps when ``reps`` is None.
        tempo: lowering, bottom pause, rising, top pause (s).
        view: ``"side"`` (orthographic, exactly side-on) or ``"front"`` (facing the camera).
        fps: frame rate.
        lead_in_s, lead_out_s: standing before the first and after the last rep.
        facing: side view: +1 faces image-right, -1 image-left (ignored from the front).
        width, height: frame size (pixels).
        body: segment lengths.
        noise_px: Gaussian landmark noise (pixels).
        contour: side view: render silhouettes and fill ``back_contour_px`` (slower).
        mask_scale: silhouette resolution relative to the frame.
        sex: de Leva table for the true centre of mass.
        seed: noise seed.
    """
    if view not in ("side", "front"):
        raise ValueError(f"view must be 'side' or 'front', not {view!r}")
    body = body or BodyModel()
    specs = list(reps) if reps is not None else [SquatRep() for _ in range(n_reps)]
    rep_time = sum(tempo)
    start = lead_in_s
    t = np.arange(0.0, start + len(specs) * rep_time - tempo[3] + lead_out_s, 1.0 / fps)
    u, rep_idx, phases = _profile(t, tempo, len(specs), start, [s.depth for s in specs])
    per_rep = rep_params(specs, t, start, rep_time)
    rad = {a: np.radians(per_rep(a)) * u for a in ("pelvis_deg", "spine_deg", "knee_deg", "shin_deg", "heel_lift_deg")}
    T = len(t)
    zero = np.zeros(T)
    thigh = rad["knee_deg"] - rad["shin_deg"]  # forward inclination of the thigh from vertical
    sk = _skeleton(body, rad["pelvis_deg"], rad["spine_deg"], rad["knee_deg"], rad["shin_deg"], zero, zero)
    heel_rise_m = _lift_feet(sk, body, rad["heel_lift_deg"])
    knees_in = per_rep("knees_in_frac") * u

    scale = 0.8 * height / 1.9
    ox = width * 0.5 + (facing * 0.05 * scale if view == "side" else 0.0)
    oy = height * 0.93
    lm = np.full((T, 33, 4), np.nan)
    world = np.full((T, 33, 4), np.nan)
    hw = body.hip_half_width_m
    points: list[tuple[int, np.ndarray, np.ndarray, float]] = []  # (index, sagittal (T,2), lateral (T,), vis)
    for side, sgn in (("LEFT", 1.0), ("RIGHT", -1.0)):
        near = view == "front" or (side == "LEFT") == (facing < 0)
        vis = 0.99 if near else 0.8
        sh = np.full(T, sgn * body.shoulder_half_width_m)
        hip_l = np.full(T, sgn * hw)
        knee_l = sgn * hw * (1.0 - 2.0 * knees_in)  # toward the midline by knees_in × hip-joint width
        for name, key, lat in (
            ("SHOULDER", "shoulder", sh), ("ELBOW", "elbow", sh), ("WRIST", "wrist", sh), ("PINKY", "hand", sh),
            ("INDEX", "hand", sh), ("THUMB", "hand", sh), ("HIP", "hip", hip_l), ("KNEE", "knee", knee_l),
            ("ANKLE", "ankle", hip_l), ("HEEL", "heel", hip_l), ("FOOT_INDEX", "ball", hip_l),
        ):  # fmt: skip
            points.append((int(LM[f"{side}_{name}"]), sk[key], lat, vis))
        for name, half in _HEAD_HALF_M.items():
            idx = int(LM[f"MOUTH_{side}"]) if name == "MOUTH" else int(LM[f"{side}_{name}"])
            key = "ear" if name == "EAR" else ("mouth" if name == "MOUTH" else "eye")
            points.append((idx, sk[key], np.full(T, sgn * half), vis))
    points.append((int(LM.NOSE), sk["nose"], zero, 0.99))

    mid_hip_fwd = sk["hip"][:, 0]
    mid_hip_up = sk["hip"][:, 1]
    for idx, p, lat, vis in points:
        fwd, up = p[:, 0], p[:, 1]
        if view == "side":
            x_px, z = ox + facing * fwd * scale, facing * lat
            wx, wz = facing * (fwd - mid_hip_fwd), facing * lat
        else:  # facing the camera: the subject's left is image right, forward is toward the camera
            x_px, z = ox + lat * scale, -fwd
            wx, wz = lat, -(fwd - mid_hip_fwd)
        lm[:, idx, 0] = x_px / width
        lm[:, idx, 1] = (oy - up * scale) / height
        lm[:, idx, 2] = z
        lm[:, idx, 3] = vis
        world[:, idx] = np.stack([wx, -(up - mid_hip_up), wz, np.full(T, vis)], axis=-1)
    add_noise(lm, np.random.default_rng(seed), noise_px, width, height)

    com_x = _true_com_x(sk, sex)
    heel_x, ball_x = sk["heel"][:, 0], sk["ball"][:, 0]
    heel_flat_x = ball_x - (body.heel_back_m + body.ball_fwd_m)  # the foot's length along the floor
    toe_x = heel_flat_x + (ball_x - heel_flat_x) / 0.75
    del heel_x
    trunk_deg = trunk_inclination_deg(sk)
    thigh_deg = np.degrees(thigh)
    shin_deg = np.degrees(rad["shin_deg"])
    truth = SquatTruth(
        t_s=t, u=u, rep=rep_idx, trunk_inclination_deg=trunk_deg, thigh_inclination_deg=thigh_deg,
        shin_inclination_deg=shin_deg, hip_flexion_deg=trunk_deg + thigh_deg, knee_flexion_deg=thigh_deg + shin_deg,
        spine_deg=np.degrees(rad["spine_deg"]), thigh_above_parallel_deg=90.0 - thigh_deg,
        trunk_minus_shin_deg=trunk_deg - shin_deg, heel_lift_cm=100.0 * heel_rise_m, knees_in_pct_hips=100.0 * knees_in,
        com_pct_foot=100.0 * (com_x - heel_flat_x) / (toe_x - heel_flat_x), phases=phases,
    )  # fmt: skip
    video = synthetic_video(width, height, fps, t)
    cont = None
    if contour and view == "side":
        proxy = SynthClip(PoseSequence(lm, world, t, width, height), truth, sk, body, scale, (ox, oy), facing,  # type: ignore[arg-type]
                          truth.spine_deg, np.degrees(rad["pelvis_deg"]))  # fmt: skip
        cont = back_contours(proxy, lm, mask_scale=mask_scale)
    seq = PoseSequence(lm, world, t, width, height, back_contour_px=cont, video=video)
    return SquatClip(seq=seq, truth=truth, view=view, facing=facing if view == "side" else 0)


def synth_clip(**kw: object) -> SquatClip:
    """The conformance generator: a clean side-view set with its back outline (n_reps, facing, fps, seed)."""
    return squat_clip(contour=True, **kw)  # type: ignore[arg-type]
