"""Synthetic hinge sequences with exact ground truth (for tests and benchmarks).

A small planar (sagittal) kinematic model of a person seen exactly side-on: ankle → shank → knee → thigh → hip →
rigid pelvis → a uniformly curved spine (circular arc, so its bend is known exactly) → shoulders and head, arms
hanging under gravity, feet flat. Joint angles follow minimum-jerk profiles through each rep's phases
(eccentric, bottom pause, concentric, top pause). From it we make

* 33 MediaPipe-style image landmarks (normalised x, y; z = depth, near side negative; visibility) and world
  landmarks (metres, hip-centred, y down), with optional pixel noise, dropped frames, a walk-in from outside the
  frame and partial reps;
* a silhouette mask per frame (:func:`render_mask`), whose dorsal outline has the known spine curvature, and the
  back outline from it (via :func:`formcheck.metrics.outline.dorsal_contour_px`, exactly as extraction does);
* the truth: every angle, the phase times per rep and the centre of mass as a % of the foot.

The truth CoM is computed from the model's own segments (head centre, the curved trunk, true joint centres), not
from landmarks, so comparing it with the analyzer's landmark-based CoM is a real check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from formcheck.metrics.tempo import min_jerk
from formcheck.types import LM, PoseSequence, VideoInfo


@dataclass(frozen=True)
class BodyModel:
    """Segment lengths (m) and silhouette thicknesses of the planar figure."""

    shank_m: float = 0.43
    thigh_m: float = 0.43
    ankle_h_m: float = 0.08
    heel_back_m: float = 0.06  # heel landmark behind the ankle
    ball_fwd_m: float = 0.14  # foot_index (ball of the foot) ahead of the ankle
    pelvis_m: float = 0.10  # hip joint → lumbosacral junction, along the pelvis axis
    spine_m: float = 0.40  # lumbosacral → C7, arc length
    neck_m: float = 0.12
    head_r_m: float = 0.11
    upper_arm_m: float = 0.30
    forearm_m: float = 0.27
    hand_m: float = 0.09
    shoulder_fwd_m: float = 0.05  # glenohumeral joint ahead of the spine at C7 level
    shoulder_down_m: float = 0.05
    hip_half_width_m: float = 0.09
    shoulder_half_width_m: float = 0.18
    back_depth_m: float = 0.06  # skin behind the spine (the silhouette's dorsal outline)
    belly_depth_m: float = 0.16  # skin in front of the spine
    buttock_r_m: float = 0.11
    limb_r_m: float = 0.06


@dataclass(frozen=True)
class RepSpec:
    """Peak joint excursions of one rep (all relative to standing)."""

    pelvis_deg: float = 60.0  # pelvic forward tilt (the hips' share)
    spine_deg: float = 5.0  # spinal flexion (uniform arc)
    knee_deg: float = 20.0
    shin_deg: float = 5.0  # forward shin inclination (ankle dorsiflexion)
    neck_ext_deg: float = 0.0  # head tipped back relative to the upper trunk
    shoulder_elev_frac: float = 0.0  # shrug, fraction of trunk length toward the head
    depth: float = 1.0  # scale of the whole rep (a partial rep < 1)


@dataclass(frozen=True)
class Truth:
    """Exact per-frame values and per-rep phase times of a synthetic clip."""

    t_s: np.ndarray
    u: np.ndarray  # movement progress 0 (standing) … 1 (bottom)
    rep: np.ndarray  # 1-based rep index, 0 outside
    trunk_inclination_deg: np.ndarray
    thigh_inclination_deg: np.ndarray
    shin_inclination_deg: np.ndarray
    hip_flexion_deg: np.ndarray  # trunk line vs thigh (what landmarks measure)
    knee_flexion_deg: np.ndarray
    pelvis_deg: np.ndarray
    spine_deg: np.ndarray
    neck_ext_deg: np.ndarray
    shoulder_elev_frac: np.ndarray
    com_pct_foot: np.ndarray
    phases: list[dict[str, float]] = field(default_factory=list)  # per rep: start, bottom_start, bottom_end, end

    @property
    def n_reps(self) -> int:
        return len(self.phases)


def _rot(theta: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Unit vector at angle ``theta`` from vertical-up, leaning forward (+x) for positive angles."""
    return np.stack([np.sin(theta), np.cos(theta)], axis=-1) * d[..., None]


def _profile(
    t: np.ndarray, tempo: tuple[float, float, float, float], n_reps: int, start_s: float, depths: list[float]
) -> tuple[np.ndarray, np.ndarray, list[dict[str, float]]]:
    """Movement progress u(t) with minimum-jerk transitions, rep index, and each rep's phase times."""
    ecc, bot, con, top = tempo
    u = np.zeros_like(t)
    rep = np.zeros(t.shape, dtype=np.int64)
    phases = []
    t0 = start_s
    for k in range(n_reps):
        d = depths[k]
        a, b, c, e = t0, t0 + ecc, t0 + ecc + bot, t0 + ecc + bot + con
        m = (t >= a) & (t < b)
        u[m] = d * min_jerk((t[m] - a) / ecc)
        m = (t >= b) & (t < c)
        u[m] = d
        m = (t >= c) & (t < e)
        u[m] = d * (1.0 - min_jerk((t[m] - c) / con))
        rep[(t >= a) & (t < e)] = k + 1
        phases.append({"start_s": a, "bottom_start_s": b, "bottom_end_s": c, "end_s": e, "depth": d})
        t0 = e + top
    return u, rep, phases


def _skeleton(
    body: BodyModel,
    pelvis: np.ndarray,
    spine: np.ndarray,
    knee: np.ndarray,
    shin: np.ndarray,
    neck_ext: np.ndarray,
    elev: np.ndarray,
) -> dict[str, np.ndarray]:
    """Sagittal joint positions (x forward, y up, metres), each ``(T, 2)``; angles in radians."""
    T = pelvis.shape[0]
    ones = np.ones(T)
    ankle = np.zeros((T, 2))
    ankle[:, 1] = body.ankle_h_m
    knee_p = ankle + _rot(shin, body.shank_m * ones)
    thigh = knee - shin  # thigh inclination, knee ahead of hip > 0
    hip = knee_p - np.stack([np.sin(thigh), -np.cos(thigh)], axis=-1) * body.thigh_m
    sacrum = hip + _rot(pelvis, body.pelvis_m * ones)
    # Uniform arc from the sacrum: direction turns from `pelvis` to `pelvis + spine` over the spine length.
    n_arc = 16
    s = np.linspace(0.0, 1.0, n_arc)
    ang = pelvis[:, None] + spine[:, None] * s[None, :]
    ds = body.spine_m / (n_arc - 1)
    steps = np.stack([np.sin(ang), np.cos(ang)], axis=-1) * ds
    arc = sacrum[:, None, :] + np.concatenate(
        [np.zeros((T, 1, 2)), np.cumsum((steps[:, 1:] + steps[:, :-1]) / 2, 1)], 1
    )
    c7 = arc[:, -1]
    top_ang = pelvis + spine
    fwd_top = np.stack([np.cos(top_ang), -np.sin(top_ang)], axis=-1)  # anterior normal at C7
    up_top = np.stack([np.sin(top_ang), np.cos(top_ang)], axis=-1)
    trunk_len = np.linalg.norm(c7 - hip, axis=1)
    shoulder = c7 + body.shoulder_fwd_m * fwd_top - body.shoulder_down_m * up_top + (elev * trunk_len)[:, None] * up_top
    head_ang = top_ang - neck_ext
    head = c7 + _rot(head_ang, body.neck_m * ones) + _rot(head_ang, body.head_r_m * 0.6 * ones)
    face = np.stack([np.cos(head_ang), -np.sin(head_ang)], axis=-1)
    head_up = np.stack([np.sin(head_ang), np.cos(head_ang)], axis=-1)
    nose = head + 0.10 * face - 0.01 * head_up
    eye = head + 0.08 * face + 0.02 * head_up
    mouth = head + 0.08 * face - 0.04 * head_up
    ear = head - 0.01 * face
    down = np.array([0.0, -1.0])
    elbow = shoulder + body.upper_arm_m * down
    wrist = elbow + body.forearm_m * down
    hand = wrist + body.hand_m * down
    heel = np.stack([-body.heel_back_m * ones, 0.02 * ones], axis=-1)
    ball = np.stack([body.ball_fwd_m * ones, 0.02 * ones], axis=-1)
    return {
        "ankle": ankle, "knee": knee_p, "hip": hip, "sacrum": sacrum, "arc": arc, "c7": c7, "shoulder": shoulder,
        "head": head, "nose": nose, "eye": eye, "mouth": mouth, "ear": ear, "elbow": elbow, "wrist": wrist,
        "hand": hand, "heel": heel, "ball": ball,
    }  # fmt: skip


def _true_com_x(sk: dict[str, np.ndarray], sex: str) -> np.ndarray:
    """Body CoM from the model's true joint centres and head centre with de Leva (1996) segment parameters.

    Same table as the analyzer (the rendered validation set uses it too); what differs is everything the
    analyzer has to infer from landmarks: the head from the ears, the hands from the knuckles, the foot from the
    heel and ball, and noise.
    """
    from formcheck.metrics.load_path import DE_LEVA

    tab = DE_LEVA[sex]
    toe_tip = sk["heel"] + (sk["ball"] - sk["heel"]) / 0.75

    def seg(a: np.ndarray, c: np.ndarray, k: str) -> np.ndarray:
        return a + tab[k][1] * (c - a)

    parts = [
        (tab["head"][0], sk["head"]),
        (tab["trunk"][0], seg(sk["shoulder"], sk["hip"], "trunk")),
        (2 * tab["upper_arm"][0], seg(sk["shoulder"], sk["elbow"], "upper_arm")),
        (2 * tab["forearm"][0], seg(sk["elbow"], sk["wrist"], "forearm")),
        (2 * tab["hand"][0], seg(sk["wrist"], sk["hand"], "hand")),
        (2 * tab["thigh"][0], seg(sk["hip"], sk["knee"], "thigh")),
        (2 * tab["shank"][0], seg(sk["knee"], sk["ankle"], "shank")),
        (2 * tab["foot"][0], seg(sk["heel"], toe_tip, "foot")),
    ]
    tot = sum(m for m, _ in parts)
    return sum(m * p[:, 0] for m, p in parts) / tot


@dataclass(frozen=True)
class SynthClip:
    """A synthetic clip: the pose sequence, its truth, and the parameters to render masks."""

    seq: PoseSequence
    truth: Truth
    skeleton: dict[str, np.ndarray]
    body: BodyModel
    scale_px_per_m: float
    origin_px: tuple[float, float]
    facing: int
    spine_deg: np.ndarray
    pelvis_deg: np.ndarray


def level_room_lines(t_s: np.ndarray, width: int, height: int, every_s: float = 0.5) -> np.ndarray:
    """The ``scene_lines`` probe of a level camera in a plain room (:mod:`formcheck.probes.scene`): a wall rail at
    40 % and the wall/floor edge at 72 % of the height, each seen left and right of the person (10-35 % and 65-90 %
    of the width), on one frame every ``every_s`` (NaN on the others, as extraction stores it).

    Returns:
        ``(T, 16, 2)`` full-frame pixel points (six horizontal segments, left end first; no vertical ones).
    """
    from formcheck.probes.scene import N_HORIZONTAL, N_VERTICAL

    t = np.asarray(t_s, dtype=np.float64)
    out = np.full((t.size, 2 * (N_HORIZONTAL + N_VERTICAL), 2), np.nan)
    segs = [
        ((x0 * width, y * height), (x1 * width, y * height))
        for y in (0.40, 0.72)
        for x0, x1 in ((0.10, 0.35), (0.65, 0.90))
    ]
    rows = np.asarray(segs, dtype=np.float64).reshape(-1, 2)
    nxt = -np.inf
    for i, ti in enumerate(t):
        if ti >= nxt:
            out[i, : rows.shape[0]] = rows
            nxt = ti + every_s - 1e-6
    return out


def with_level_room(clip: Any) -> Any:
    """``clip`` (any generator's clip with a ``seq``) whose sequence also holds a level room's ``scene_lines``
    (:func:`level_room_lines`): the generators' camera is level, so the room's lines are too."""
    import dataclasses

    seq = clip.seq
    lines = level_room_lines(seq.t_s, seq.width, seq.height)
    seq = dataclasses.replace(
        seq, probes={**seq.probes, "scene_lines": lines}, probe_versions={**seq.probe_versions, "scene_lines": 1}
    )
    return dataclasses.replace(clip, seq=seq)


def rep_params(specs: Sequence[Any], t: np.ndarray, start_s: float, rep_time_s: float) -> Callable[[str], np.ndarray]:
    """Per frame, a parameter of the rep in progress (or the next one) of reps ``rep_time_s`` apart from ``start_s``.

    Returns ``per_rep(attr)``: ``(T,)`` values of ``getattr(spec, attr)``; the progress profile already carries each
    rep's depth, so a frame between reps may take either rep's value.
    """
    starts = np.array([start_s + k * rep_time_s for k in range(len(specs))])
    k_of_t = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(specs) - 1)

    def per_rep(attr: str) -> np.ndarray:
        return np.array([getattr(s, attr) for s in specs])[k_of_t]

    return per_rep


def add_noise(lm: np.ndarray, rng: np.random.Generator, noise_px: float, width: int, height: int) -> None:
    """Gaussian image-landmark noise of ``noise_px`` pixels (independent per landmark and frame), in place."""
    if noise_px > 0:
        T = lm.shape[0]
        lm[:, :, 0] += rng.normal(0, noise_px / width, (T, 33))
        lm[:, :, 1] += rng.normal(0, noise_px / height, (T, 33))


# The left/right landmarks of a side view and the skeleton points they sit on (MediaPipe's hand points on the hand,
# its eye points on the eye).
SIDE_VIEW_POINTS = {
    "SHOULDER": "shoulder", "ELBOW": "elbow", "WRIST": "wrist", "PINKY": "hand", "INDEX": "hand", "THUMB": "hand",
    "HIP": "hip", "KNEE": "knee", "ANKLE": "ankle", "HEEL": "heel", "FOOT_INDEX": "ball", "EAR": "ear",
    "EYE_INNER": "eye", "EYE": "eye", "EYE_OUTER": "eye",
}  # fmt: skip


def side_view_landmarks(
    sk: dict[str, np.ndarray],
    facing: int,
    width: int,
    height: int,
    origin_px: tuple[float, float],
    scale_px_per_m: float,
    *,
    shift_x_px: np.ndarray | None = None,
) -> np.ndarray:
    """MediaPipe-style image landmarks ``(T, 33, 4)`` of an orthographic side view of a sagittal skeleton.

    x, y normalised (the skeleton's x forward, y up, metres, drawn at ``scale_px_per_m`` from ``origin_px``, facing
    image-right for +1); z = depth, -0.1 on the near side and +0.1 on the far one, 0 at the nose; visibility 0.99
    near, 0.8 far. ``shift_x_px``: per frame, the figure moved along the image x (a walk-in).
    """
    ox, oy = origin_px
    T = sk["hip"].shape[0]
    lm = np.full((T, 33, 4), np.nan)

    def put(idx: int, p: np.ndarray, z: float, vis: float) -> None:
        x_px = ox + facing * p[:, 0] * scale_px_per_m
        if shift_x_px is not None:
            x_px = x_px + shift_x_px
        lm[:, idx, 0] = x_px / width
        lm[:, idx, 1] = (oy - p[:, 1] * scale_px_per_m) / height
        lm[:, idx, 2] = z
        lm[:, idx, 3] = vis

    near_left = facing < 0  # facing image-left shows the left side
    for side in ("LEFT", "RIGHT"):
        z, vis = (-0.1, 0.99) if (side == "LEFT") == near_left else (0.1, 0.8)
        for name, key in SIDE_VIEW_POINTS.items():
            put(LM[f"{side}_{name}"], sk[key], z, vis)
        put(LM[f"MOUTH_{side}"], sk["mouth"], z, vis)
    put(LM.NOSE, sk["nose"], 0.0, 0.99)
    return lm


ARM_POINTS = ("SHOULDER", "ELBOW", "WRIST")  # landmarks at the shoulders' half-width off the midline, in the world


def side_view_world(
    lm: np.ndarray,
    width: int,
    height: int,
    origin_px: tuple[float, float],
    scale_px_per_m: float,
    near_left: bool,
    half_widths_m: tuple[float, float],
    *,
    arm_points: tuple[str, ...] = ARM_POINTS,
    shift_x_px: np.ndarray | None = None,
) -> np.ndarray:
    """World landmarks ``(T, 33, 4)`` of an orthographic side view's image landmarks ``lm``.

    Metres, origin at mid-hip, y down, x = image right; z = lateral: the near side negative, each point at its
    half-width off the midline (``half_widths_m`` = (shoulders, hips); ``arm_points`` take the shoulders'), the nose
    on it; visibility as in the image. A frame without landmarks is NaN. ``shift_x_px``: per frame, how far the
    figure was moved along the image x (a walk-in), taken off again.
    """
    ox, oy = origin_px
    x_px = lm[:, :, 0] * width - ox
    if shift_x_px is not None:
        x_px = x_px - shift_x_px[:, None]
    xy_m = np.stack([x_px / scale_px_per_m, -(lm[:, :, 1] * height - oy) / scale_px_per_m], -1)
    hip_m = (xy_m[:, LM.LEFT_HIP] + xy_m[:, LM.RIGHT_HIP]) / 2
    world = np.full((lm.shape[0], 33, 4), np.nan)
    world[:, :, 0] = xy_m[:, :, 0] - hip_m[:, None, 0]
    world[:, :, 1] = -(xy_m[:, :, 1] - hip_m[:, None, 1])
    lateral = np.zeros(33)
    for i in range(33):
        name = LM(i).name
        half = half_widths_m[0] if any(a in name for a in arm_points) else half_widths_m[1]
        if name.startswith("LEFT") or name.endswith("LEFT"):
            lateral[i] = -half if near_left else half
        elif name.startswith("RIGHT") or name.endswith("RIGHT"):
            lateral[i] = half if near_left else -half
    world[:, :, 2] = lateral[None, :]
    world[:, :, 3] = lm[:, :, 3]
    world[np.isnan(lm[:, :, 0])] = np.nan
    return world


def trunk_inclination_deg(sk: dict[str, np.ndarray]) -> np.ndarray:
    """The true hip → shoulder line's angle from vertical (forward > 0) of a sagittal skeleton."""
    trunk_vec = sk["shoulder"] - sk["hip"]
    return np.degrees(np.arctan2(trunk_vec[:, 0], trunk_vec[:, 1]))


def synthetic_video(width: int, height: int, fps: float, t: np.ndarray, name: str = "synthetic") -> VideoInfo:
    """The :class:`VideoInfo` of a synthetic clip sampled at times ``t``."""
    T = len(t)
    return VideoInfo(name, width, height, fps, T, float(t[-1]) if T else 0.0, source="synthetic")


def back_contours(
    clip: SynthClip, lm: np.ndarray, *, mask_scale: float, shift_x_px: np.ndarray | None = None,
    facing: float | None = None,
) -> np.ndarray:  # fmt: skip
    """Per frame, the back outline ``(T, 24, 2)`` traced on the clip's rendered silhouette as extraction does
    (:func:`formcheck.metrics.outline.dorsal_contour_px`); NaN on frames without landmarks.

    ``facing`` is passed to the outline's tracer (None: it guesses per frame, as extraction does).
    """
    from formcheck.metrics.outline import dorsal_contour_px

    width, height = clip.seq.width, clip.seq.height
    cont = np.full((lm.shape[0], 24, 2), np.nan)
    for i in range(lm.shape[0]):
        if np.isnan(lm[i, 0, 0]):
            continue
        shift = 0.0 if shift_x_px is None else float(shift_x_px[i])
        mask = render_mask(clip, i, mask_scale=mask_scale, shift_x_px=shift)
        cont[i] = dorsal_contour_px(mask, lm[i, :, :2] * [width, height], mask_scale=mask_scale, facing=facing)
    return cont


def hinge_clip(
    reps: list[RepSpec] | None = None,
    *,
    n_reps: int = 3,
    tempo: tuple[float, float, float, float] = (2.0, 1.0, 2.0, 1.0),
    fps: float = 30.0,
    lead_in_s: float = 1.5,
    lead_out_s: float = 1.5,
    facing: int = 1,
    width: int = 640,
    height: int = 480,
    body: BodyModel | None = None,
    noise_px: float = 0.0,
    dropout_frac: float = 0.0,
    walk_in_s: float = 0.0,
    end_mid_rep: bool = False,
    contour: bool = False,
    mask_scale: float = 0.5,
    sex: str = "female",
    seed: int = 0,
) -> SynthClip:
    """Make a side-view hinge clip with exact ground truth.

    Args:
        reps: one :class:`RepSpec` per rep (default: ``n_reps`` good hinges).
        n_reps: number of reps when ``reps`` is None.
        tempo: eccentric, bottom pause, concentric, top pause (s).
        fps: frame rate.
        lead_in_s, lead_out_s: standing time before the first and after the last rep.
        facing: +1 faces image-right, -1 image-left.
        width, height: frame size in pixels.
        body: segment lengths.
        noise_px: Gaussian landmark noise (pixels, independent per landmark and frame).
        dropout_frac: fraction of frames with nobody detected (short random gaps).
        walk_in_s: the person walks in from outside the frame during this time before the lead-in.
        end_mid_rep: stop the clip half-way through one more lowering (a partial rep at the end).
        contour: render silhouettes and fill ``back_contour_px`` (slower).
        mask_scale: silhouette resolution relative to the frame.
        sex: de Leva table for the true centre of mass.
        seed: random seed for noise and dropouts.
    """
    body = body or BodyModel()
    specs = list(reps) if reps is not None else [RepSpec() for _ in range(n_reps)]
    if end_mid_rep:
        specs = specs + [RepSpec(**{**specs[-1].__dict__})]
    rep_time = sum(tempo)
    n_full = len(specs) - (1 if end_mid_rep else 0)
    start = walk_in_s + lead_in_s
    dur = start + n_full * rep_time - tempo[3] + lead_out_s
    if end_mid_rep:
        dur = start + n_full * rep_time + tempo[0] * 0.5
    t = np.arange(0.0, dur, 1.0 / fps)
    u, rep_idx, phases = _profile(t, tempo, len(specs), start, [s.depth for s in specs])
    if end_mid_rep:
        phases = phases[:-1]
        rep_idx[rep_idx > n_full] = 0

    # Each frame takes the parameters of the rep in progress (or the next one); u already carries its depth.
    per_rep = rep_params(specs, t, start, rep_time)
    pelvis = np.radians(per_rep("pelvis_deg")) * u
    spine = np.radians(per_rep("spine_deg")) * u
    knee = np.radians(per_rep("knee_deg")) * u
    shin = np.radians(per_rep("shin_deg")) * u
    neck = np.radians(per_rep("neck_ext_deg")) * u
    elev = per_rep("shoulder_elev_frac") * u
    sk = _skeleton(body, pelvis, spine, knee, shin, neck, elev)

    # Camera: orthographic side view, 1.9 m of height fills ~80 % of the frame.
    scale = 0.8 * height / 1.9
    ox = width * 0.5 + facing * 0.05 * scale
    oy = height * 0.93
    walk = np.clip((walk_in_s - t) / max(walk_in_s, 1e-9), 0.0, None) if walk_in_s > 0 else np.zeros_like(t)
    shift_x = -facing * walk * (width * 0.5 + 0.6 * scale)  # enter from behind the person

    T = len(t)
    lm = side_view_landmarks(sk, facing, width, height, (ox, oy), scale, shift_x_px=shift_x)
    near_left = facing < 0  # facing image-left shows the left side

    rng = np.random.default_rng(seed)
    add_noise(lm, rng, noise_px, width, height)
    # Off-frame landmarks while walking in are what MediaPipe reports as well: coordinates outside [0, 1] with low
    # visibility; nobody is detected until the hips are in.
    hip_x = lm[:, LM.LEFT_HIP, 0]
    lm[hip_x < 0.02] = np.nan
    lm[hip_x > 0.98] = np.nan
    off = (lm[:, :, 0] < 0) | (lm[:, :, 0] > 1)
    lm[:, :, 3] = np.where(off, 0.05, lm[:, :, 3])
    if dropout_frac > 0:
        n_drop = int(dropout_frac * T)
        starts = rng.choice(np.arange(int(start * fps), T - 4), size=max(1, n_drop // 3), replace=False)
        for s0 in starts:
            lm[s0 : s0 + 3] = np.nan

    world = side_view_world(lm, width, height, (ox, oy), scale, near_left,
                            (body.shoulder_half_width_m, body.hip_half_width_m), shift_x_px=shift_x)  # fmt: skip

    com_x = _true_com_x(sk, sex)
    heel_x = sk["heel"][:, 0]
    toe_x = heel_x + (sk["ball"][:, 0] - heel_x) / 0.75
    com_pct = 100.0 * (com_x - heel_x) / (toe_x - heel_x)
    trunk_deg = trunk_inclination_deg(sk)
    thigh_deg = np.degrees(knee - shin)
    truth = Truth(
        t_s=t,
        u=u,
        rep=rep_idx,
        trunk_inclination_deg=trunk_deg,
        thigh_inclination_deg=thigh_deg,
        shin_inclination_deg=np.degrees(shin),
        hip_flexion_deg=trunk_deg + thigh_deg,
        knee_flexion_deg=np.degrees(knee),
        pelvis_deg=np.degrees(pelvis),
        spine_deg=np.degrees(spine),
        neck_ext_deg=np.degrees(neck),
        shoulder_elev_frac=elev,
        com_pct_foot=com_pct,
        phases=phases,
    )
    clip = SynthClip(
        seq=PoseSequence(lm, world, t, width, height),
        truth=truth,
        skeleton=sk,
        body=body,
        scale_px_per_m=scale,
        origin_px=(ox, oy),
        facing=facing,
        spine_deg=np.degrees(spine),
        pelvis_deg=np.degrees(pelvis),
    )
    if not contour:
        return clip
    cont = back_contours(clip, lm, mask_scale=mask_scale, shift_x_px=shift_x)
    seq = PoseSequence(lm, world, t, width, height, back_contour_px=cont, video=synthetic_video(width, height, fps, t))
    return SynthClip(seq, truth, sk, body, scale, (ox, oy), facing, clip.spine_deg, clip.pelvis_deg)


def render_mask(clip: SynthClip, i: int, *, mask_scale: float = 0.5, shift_x_px: float = 0.0) -> np.ndarray:
    """Silhouette of frame ``i`` as a float32 mask in [0, 1] at ``mask_scale`` of the frame size.

    The back is the spine arc offset by ``back_depth_m`` toward the back, so its outline has exactly the spine's
    curvature; the belly, buttocks, limbs and head are simple shapes (capsules, circles).
    """
    import cv2

    b = clip.body
    sk = clip.skeleton
    w = max(1, round(clip.seq.width * mask_scale))
    h = max(1, round(clip.seq.height * mask_scale))
    img = np.zeros((h, w), np.uint8)
    ox, oy = clip.origin_px
    sc = clip.scale_px_per_m

    def px(p: np.ndarray) -> np.ndarray:
        q = np.stack([ox + clip.facing * p[..., 0] * sc + shift_x_px, oy - p[..., 1] * sc], axis=-1)
        return q * mask_scale

    def capsule(a: np.ndarray, c: np.ndarray, r_m: float) -> None:
        r = max(1, round(r_m * sc * mask_scale))
        pa, pc = px(a), px(c)
        cv2.line(img, tuple(int(v) for v in pa), tuple(int(v) for v in pc), 255, thickness=2 * r, lineType=cv2.LINE_AA)
        cv2.circle(img, tuple(int(v) for v in pa), r, 255, -1, cv2.LINE_AA)
        cv2.circle(img, tuple(int(v) for v in pc), r, 255, -1, cv2.LINE_AA)

    arc = sk["arc"][i]
    d = np.gradient(arc, axis=0)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    # Anterior normal of a forward-leaning tangent (x forward, y up) is (d_y, -d_x); the back is on the other side.
    back = arc - b.back_depth_m * np.stack([d[:, 1], -d[:, 0]], axis=-1)
    front = arc + b.belly_depth_m * np.stack([d[:, 1], -d[:, 0]], axis=-1)
    hip = sk["hip"][i]
    sacrum = sk["sacrum"][i]
    poly = np.concatenate([back, front[::-1], [hip + np.array([0.08, -0.02])], [hip - np.array([0.04, 0.04])]])
    cv2.fillPoly(img, [np.round(px(poly) * 16).astype(np.int32)], 255, lineType=cv2.LINE_AA, shift=4)
    # Buttocks: behind and a little below the sacrum.
    pelvis_dir = (sacrum - hip) / np.linalg.norm(sacrum - hip)
    butt = hip - b.buttock_r_m * 0.6 * np.array([pelvis_dir[1], -pelvis_dir[0]]) + 0.01 * pelvis_dir
    r = round(b.buttock_r_m * sc * mask_scale)
    cv2.circle(img, tuple(int(v) for v in px(butt)), r, 255, -1, cv2.LINE_AA)
    capsule(sk["hip"][i], sk["knee"][i], b.limb_r_m * 1.3)
    capsule(sk["knee"][i], sk["ankle"][i], b.limb_r_m)
    capsule(sk["heel"][i], sk["ball"][i] + np.array([0.05, 0.0]), 0.03)
    capsule(sk["shoulder"][i], sk["elbow"][i], b.limb_r_m * 0.8)
    capsule(sk["elbow"][i], sk["hand"][i], b.limb_r_m * 0.7)
    capsule(sk["c7"][i], sk["head"][i], 0.05)
    cv2.circle(img, tuple(int(v) for v in px(sk["head"][i])), round(b.head_r_m * sc * mask_scale), 255, -1, cv2.LINE_AA)
    return img.astype(np.float32) / 255.0
