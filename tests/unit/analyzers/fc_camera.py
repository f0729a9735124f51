"""A floor generator's clip seen from another camera: raised above the floor and/or turned toward the head or feet.

The floor generators (``floor_synth`` and those built on it) project their figure with an orthographic side camera
whose image is camera coordinates (x along the image, y down, z away from the camera) times ``PX_PER_M``, so a
clip's own landmarks give the body's camera coordinates (up to a constant shift). Turning them and projecting
again is another camera's view of the same movement; the world landmarks turn with them (hips at the origin).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from formcheck.types import LM, PoseSequence

HIPS = [int(LM.LEFT_HIP), int(LM.RIGHT_HIP)]


def turn(pitch_deg: float = 0.0, yaw_deg: float = 0.0) -> np.ndarray:
    """The rotation of camera coordinates: the body turned by ``yaw_deg`` about the vertical (the camera turned
    toward the head or feet), then the camera pitched down by ``pitch_deg`` (raised above the floor)."""
    cy, sy = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    cp, sp = math.cos(math.radians(pitch_deg)), math.sin(math.radians(pitch_deg))
    yaw = np.array([[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]])
    pitch = np.array([[1.0, 0.0, 0.0], [0.0, cp, -sp], [0.0, sp, cp]])
    return pitch @ yaw


def off_side_deg(pitch_deg: float = 0.0, yaw_deg: float = 0.0) -> float:
    """The true angle of that camera from side-on: between its viewing axis (z) and the body's left-right axis (the
    side camera's z)."""
    d = turn(pitch_deg, yaw_deg) @ np.array([0.0, 0.0, 1.0])
    return math.degrees(math.acos(abs(d[2])))


def seen_from(clip: Any, pitch_deg: float = 0.0, yaw_deg: float = 0.0) -> Any:
    """``clip`` (a generator's clip with a ``seq``) as the camera :func:`turn` describes sees it, kept in frame."""
    from formcheck.analyzers.floor_synth import PX_PER_M

    seq = clip.seq
    scale = np.array([seq.width, seq.height, seq.width]) / PX_PER_M
    hip_cam = seq.landmarks[:, HIPS, :3].mean(axis=1) * scale  # metres (the hip's world point is the origin)
    cam = hip_cam[:, None, :] + seq.world[:, :, :3]
    turned = cam @ turn(pitch_deg, yaw_deg).T
    turned[..., :2] += np.nanmean(cam[..., :2], axis=(0, 1)) - np.nanmean(turned[..., :2], axis=(0, 1))  # stay framed
    lm, world = seq.landmarks.copy(), seq.world.copy()
    lm[..., :3] = turned / scale
    world[..., :3] = turned - turned[:, HIPS].mean(axis=1, keepdims=True)
    return dataclasses.replace(clip, seq=PoseSequence(lm, world, seq.t_s, seq.width, seq.height,
                                                      n_people=seq.n_people))  # fmt: skip
