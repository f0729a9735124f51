"""Synthetic cat-camel sets with known truth: quadruped side-view landmark sequences.

A stick figure on hands and knees (hands under the shoulders, knees under the hips) rounds and arches the back;
MediaPipe has no spine landmarks, so what a camera sees of it is the head and neck turning with the upper back.
The figure's head turns about the shoulder by a scripted angle (+ down, with the cat / flexion; − up, with the
camel / extension), and the shoulders rise a little in flexion and sink in extension. By default the set cycles
without stopping at neutral: neutral → (flex → hold → extend through neutral → hold) × n → back to neutral → rest,
every movement minimum jerk; a rep marked ``to_neutral`` comes back to neutral after its held extension and rests
there before the next rep (as the rendered clips do). A rep is one flexion and the extension after it. The truth is
measured on the figure: the signed ear–shoulder–hip line at every frame
(:func:`formcheck.analyzers.floor_synth.measured_line_deg`), each rep's flexion and extension, and the phases (start
of flexing, flexion reached, extending begun, extension reached, extension left: ``arch_end_s``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcheck.analyzers.floor_synth import (
    FOREARM_M,
    THIGH_M,
    TRUNK_M,
    UPPER_ARM_M,
    _side_view_points,
    _to_sequence,
    measured_line_deg,
    min_jerk,
)
from formcheck.types import PoseSequence

HIP_V_M = THIGH_M + 0.05  # hip over the knee (knee centre 5 cm above the floor)
SHO_V_M = UPPER_ARM_M + FOREARM_M + 0.03
HEAD_M = 0.22  # shoulder → ear
REST_HEAD_DEG = 10.0  # the head hangs a little below the trunk line at rest
SHO_RISE_M_PER_DEG = 0.0015  # the shoulders rise with flexion (the upper back rounds up), metres per degree


@dataclass(frozen=True)
class CatCamelRep:
    """One cycle: head turn in flexion and extension from rest (deg) and the tempo, seconds.

    ``return_s`` and ``rest_s``: back to neutral and resting there after the held extension, for the set's last rep,
    and for any rep with ``to_neutral`` (otherwise the next rep flexes straight from this rep's extension).
    """

    flex_deg: float = 35.0
    ext_deg: float = 25.0
    flex_s: float = 1.2
    flex_hold_s: float = 0.8
    extend_s: float = 1.8
    ext_hold_s: float = 0.8
    return_s: float = 1.0
    rest_s: float = 0.6
    to_neutral: bool = False


@dataclass
class Truth:
    """``phases`` per rep, the signed ear–shoulder–hip line per frame, per rep the line held in flexion and in
    extension (measured on the figure)."""

    phases: list[dict] = field(default_factory=list)
    head_trunk_deg: np.ndarray | None = None
    flexion_deg: list[float] = field(default_factory=list)
    extension_deg: list[float] = field(default_factory=list)


@dataclass
class CatCamelClip:
    seq: PoseSequence
    truth: Truth


def _pose(head_deg: float) -> dict[str, np.ndarray]:
    """Sagittal ``(u, v)`` pose (u toward the head, v up): head turned ``head_deg`` (+ down) from the rest."""
    rel = head_deg - REST_HEAD_DEG
    s = np.array([0.0, SHO_V_M + SHO_RISE_M_PER_DEG * rel])
    h = np.array([-TRUNK_M, HIP_V_M])
    d = (s - h) / np.linalg.norm(s - h)
    a = -math.radians(head_deg)  # turning down is clockwise with u toward the head
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    ear = s + HEAD_M * (rot @ d)
    nose = ear + 0.08 * (rot @ np.array([d[0] * 0.5 - d[1], d[1] * 0.5 + d[0] * -1.0]))
    wrist = np.array([0.0, 0.03])
    elbow = 0.5 * (s + wrist)
    knee = np.array([-TRUNK_M, 0.05])
    ankle = knee + np.array([-0.40, 0.0])
    return {"SHOULDER": s, "HIP": h, "KNEE": knee, "ANKLE": ankle, "ELBOW": elbow, "WRIST": wrist,
            "HEEL": ankle + np.array([-0.02, 0.04]), "FOOT_INDEX": ankle + np.array([-0.12, 0.0]), "EAR": ear,
            "NOSE": nose}  # fmt: skip


def head_trunk_of(head_deg: float) -> float:
    """The signed ear–shoulder–hip line of the pose (+ the shoulder above the ear–hip line: head down)."""
    p = _pose(head_deg)
    return measured_line_deg(p["EAR"], p["SHOULDER"], p["HIP"])


def cat_camel_clip(n_reps: int = 3, facing: float = 1.0, fps: float = 30.0, seed: int = 0, *,
                   reps: Sequence[CatCamelRep] | None = None, lead_s: float = 1.0,
                   noise_px: float = 0.5) -> CatCamelClip:  # fmt: skip
    """A side-view cat-camel set: ``n_reps`` cycles (or ``reps``) from a neutral rest on hands and knees.

    The conformance suite calls it with ``n_reps``, ``facing`` (+1 the head is image-right), ``fps`` and ``seed``.
    """
    reps = list(reps) if reps is not None else [CatCamelRep()] * n_reps
    dt = 1.0 / fps
    heads: list[float] = []
    phases = []
    t0 = 0.0
    r0 = REST_HEAD_DEG

    def seg(duration: float, fn) -> None:
        nonlocal t0
        n = max(1, round(duration * fps))
        heads.extend(fn(k / n) for k in range(n))
        t0 += n * dt

    def mj(u: float) -> float:
        return float(min_jerk(np.array(u)))

    seg(lead_s, lambda u: r0)
    prev = r0  # a cycle starts from neutral (the first) or from the previous extension (continuous cycling)
    for k, r in enumerate(reps):
        f, e = r0 + r.flex_deg, r0 - r.ext_deg
        start = t0
        seg(r.flex_s, lambda u, f=f, a=prev: a + (f - a) * mj(u))
        flexed = t0
        seg(r.flex_hold_s, lambda u, f=f: f)
        extending = t0
        seg(r.extend_s, lambda u, f=f, e=e: f + (e - f) * mj(u))
        arch = t0
        seg(r.ext_hold_s, lambda u, e=e: e)
        phases.append({"start_s": start, "bottom_start_s": flexed, "bottom_end_s": extending, "end_s": arch,
                       "arch_end_s": t0})  # fmt: skip
        prev = e
        if r.to_neutral and k + 1 < len(reps):
            seg(r.return_s, lambda u, e=e: e + (r0 - e) * mj(u))
            seg(r.rest_s, lambda u: r0)
            prev = r0
    seg(reps[-1].return_s if reps else 0.0, lambda u, e=prev: e + (r0 - e) * mj(u))
    seg(reps[-1].rest_s if reps else 0.0, lambda u: r0)
    t = np.arange(len(heads)) * dt
    near = "right" if facing > 0 else "left"  # on all fours, head image-right: the right side faces the camera
    pts = [_side_view_points(_pose(hd), facing, near) for hd in heads]
    truth = Truth(phases=phases, head_trunk_deg=np.array([head_trunk_of(hd) for hd in heads]),
                  flexion_deg=[head_trunk_of(r0 + r.flex_deg) for r in reps],
                  extension_deg=[head_trunk_of(r0 - r.ext_deg) for r in reps])  # fmt: skip
    return CatCamelClip(_to_sequence(pts, t, fps, seed, noise_px, "side"), truth)
