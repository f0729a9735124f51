"""Planar and 3D angles, vectorised over time.

Pixel space (``*_px`` inputs): x right, y *down*, in pixels — always aspect-correct (use
:meth:`PoseSequence.xy_px`, never raw normalised coordinates, whose x and y units differ on non-square frames).
World space (``*_m`` inputs): MediaPipe world landmarks, metres, y down.

Sagittal sign convention (side view): ``facing`` is +1 when the subject faces image-right and -1 when facing
image-left. Forward inclinations are positive in the facing direction, so the same motion gives the same numbers
whichever way the person stands.

All functions accept arrays shaped ``(..., 2)`` (or ``(..., 3)``) and broadcast; NaN in → NaN out.
"""

from __future__ import annotations

import numpy as np


def _as(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def signed_angle_deg(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Signed 2D angle from vector ``u`` to ``v`` in degrees, in (-180, 180].

    Positive is the rotation from +x toward +y (clockwise on screen, since image y points down).
    """
    u, v = _as(u), _as(v)
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]
    return np.degrees(np.arctan2(cross, dot))


def inclination_from_vertical_deg(p_from: np.ndarray, p_to: np.ndarray, facing: np.ndarray | float) -> np.ndarray:
    """Angle of the segment ``p_from → p_to`` from image-vertical *up*, positive when leaning forward.

    Args:
        p_from: ``(..., 2)`` pixel points (e.g. mid-hip).
        p_to: ``(..., 2)`` pixel points (e.g. mid-shoulder).
        facing: +1 facing image-right, -1 facing image-left (broadcastable).

    Returns:
        Degrees in (-180, 180]: 0 upright, 90 horizontal pointing forward.
    """
    d = _as(p_to) - _as(p_from)
    # atan2(forward component, up component)
    fwd = d[..., 0] * np.asarray(facing, dtype=np.float64)
    up = -d[..., 1]
    return np.degrees(np.arctan2(fwd, up))


def inclination_from_down_deg(p_from: np.ndarray, p_to: np.ndarray, facing: np.ndarray | float) -> np.ndarray:
    """Angle of ``p_from → p_to`` from image-vertical *down*, positive when ``p_to`` is ahead of ``p_from``.

    Used for the thigh (hip → knee): positive when the knee is forward of the hip.
    """
    d = _as(p_to) - _as(p_from)
    fwd = d[..., 0] * np.asarray(facing, dtype=np.float64)
    down = d[..., 1]
    return np.degrees(np.arctan2(fwd, down))


def interior_angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Unsigned angle ``a-b-c`` at vertex ``b`` in degrees (0..180), any dimension (2D pixels or 3D metres)."""
    u = _as(a) - _as(b)
    v = _as(c) - _as(b)
    nu = np.linalg.norm(u, axis=-1)
    nv = np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cosang = np.sum(u * v, axis=-1) / (nu * nv)
    return np.degrees(np.arccos(np.clip(cosang, -1.0, 1.0)))


def sagittal_angles_px(
    hip: np.ndarray,
    shoulder: np.ndarray,
    knee: np.ndarray,
    ankle: np.ndarray,
    facing: np.ndarray | float,
) -> dict[str, np.ndarray]:
    """Segment inclinations and signed joint flexions of a side view, pixel space.

    Args:
        hip, shoulder, knee, ankle: ``(..., 2)`` pixel points. For the trunk pass mid-hip and mid-shoulder;
            for the legs the near-side hip.
        facing: +1 facing image-right, -1 facing image-left.

    Returns:
        ``trunk_inclination_deg`` (hip→shoulder from vertical, forward > 0), ``thigh_inclination_deg``
        (hip→knee from vertical down, knee ahead > 0), ``shin_inclination_deg`` (ankle→knee from vertical, knee
        ahead > 0), ``hip_flexion_deg`` (= trunk + thigh; 0 standing tall, 90 trunk square to the thigh),
        ``knee_flexion_deg`` (= thigh + shin; 0 straight).
    """
    trunk = inclination_from_vertical_deg(hip, shoulder, facing)
    thigh = inclination_from_down_deg(hip, knee, facing)
    shin = inclination_from_vertical_deg(ankle, knee, facing)
    return _sagittal_angles(trunk, thigh, shin)


def _sagittal_angles(trunk: np.ndarray, thigh: np.ndarray, shin: np.ndarray) -> dict[str, np.ndarray]:
    """The three segment inclinations and the joint angles they make (one rule for pixel and world paths)."""
    return {
        "trunk_inclination_deg": trunk,
        "thigh_inclination_deg": thigh,
        "shin_inclination_deg": shin,
        "hip_flexion_deg": trunk + thigh,
        "knee_flexion_deg": thigh + shin,
    }


def sagittal_basis_world(
    hip_l_m: np.ndarray, hip_r_m: np.ndarray, sho_l_m: np.ndarray, sho_r_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Body-fixed sagittal basis from world landmarks (metres, y down).

    The lateral axis is the mean of the hip and shoulder left→right vectors made horizontal; "up" is world -y;
    forward completes a right-handed frame so that it points the way the person faces.

    Returns:
        ``(forward, up, lateral)`` unit vectors, each ``(..., 3)``.
    """
    lat = (_as(hip_r_m) - _as(hip_l_m)) + (_as(sho_r_m) - _as(sho_l_m))
    lat = lat.copy()
    lat[..., 1] = 0.0
    lat = lat / np.linalg.norm(lat, axis=-1, keepdims=True)
    up = np.zeros_like(lat)
    up[..., 1] = -1.0
    # World frame (x right, y down, z away from camera) is right-handed, so right = forward × up and
    # forward = up × right.
    fwd = np.cross(up, lat)
    return fwd, up, lat


def sagittal_inclination_world_deg(p_from_m: np.ndarray, p_to_m: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """Inclination from vertical-up of a world segment projected on the sagittal plane, forward > 0."""
    d = _as(p_to_m) - _as(p_from_m)
    fwd = np.sum(d * forward, axis=-1)
    up = -d[..., 1]
    return np.degrees(np.arctan2(fwd, up))


def sagittal_angles_world(
    hip_m: np.ndarray,
    shoulder_m: np.ndarray,
    knee_m: np.ndarray,
    ankle_m: np.ndarray,
    forward: np.ndarray,
) -> dict[str, np.ndarray]:
    """Like :func:`sagittal_angles_px` from world landmarks, projected on the body's sagittal plane.

    Useful when the camera is oblique: the projection removes most of the foreshortening of 2D angles (at the cost
    of MediaPipe's noisier depth).
    """
    trunk = sagittal_inclination_world_deg(hip_m, shoulder_m, forward)
    d = _as(knee_m) - _as(hip_m)
    thigh = np.degrees(np.arctan2(np.sum(d * forward, axis=-1), d[..., 1]))
    shin = sagittal_inclination_world_deg(ankle_m, knee_m, forward)
    return _sagittal_angles(trunk, thigh, shin)


def point_line_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Signed perpendicular distance of ``p`` from the line ``a→b`` (2D; positive to the clockwise side)."""
    p, a, b = _as(p), _as(a), _as(b)
    d = b - a
    n = np.linalg.norm(d, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (d[..., 0] * (p[..., 1] - a[..., 1]) - d[..., 1] * (p[..., 0] - a[..., 0])) / n


def unit_vector(v: np.ndarray) -> np.ndarray:
    """``v`` scaled to length 1 along its last axis; NaN where its length is 0 or unknown (no direction, not 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean of two point arrays; NaN if either is NaN (a half-seen pair must not pass as a midpoint)."""
    return (_as(a) + _as(b)) / 2.0


def sagittal_angles_world_auto(world: np.ndarray, i_hip: int, i_knee: int, i_ankle: int) -> dict[str, np.ndarray]:
    """Trunk, thigh and shin inclination in the body's own sagittal plane from ``(T, 33, 3)`` world landmarks.

    For views that are not side-on. The plane comes from the hips and shoulders; face-on, the pose model can swap
    left and right, which flips that "forward": the face is in front of the ears whatever the labels say, so the
    nose decides.
    """

    def mid(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        both = (a + b) / 2.0
        return np.where(np.isnan(both), np.where(np.isnan(a), b, a), both)

    fwd, _, _ = sagittal_basis_world(world[:, 23], world[:, 24], world[:, 11], world[:, 12])
    fwd = np.where(np.isfinite(fwd), fwd, np.nanmedian(fwd, axis=0))
    face = world[:, 0] - mid(world[:, 7], world[:, 8])
    agree = np.nanmedian(np.sum(face * fwd, axis=1)) if np.any(np.isfinite(face)) else 1.0
    if agree < 0:
        fwd = -fwd
    wmh, wms = mid(world[:, 23], world[:, 24]), mid(world[:, 11], world[:, 12])
    trunk = sagittal_angles_world(wmh, wms, wmh, wmh, fwd)["trunk_inclination_deg"]
    leg = sagittal_angles_world(world[:, i_hip], wms, world[:, i_knee], world[:, i_ankle], fwd)
    return {"trunk_inclination_deg": trunk, "thigh_inclination_deg": leg["thigh_inclination_deg"],
            "shin_inclination_deg": leg["shin_inclination_deg"]}  # fmt: skip
