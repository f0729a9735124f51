"""The dorsal (back-side) body outline from a person-segmentation mask, and how bent it is.

MediaPipe has no spine landmarks, so back rounding can only be seen in the silhouette. For every frame we cast
``n_points`` rays perpendicular to the hip→shoulder line, from points evenly spaced along it, toward the
person's back, and take the place where the mask drops below 0.5 (sub-pixel, by linear interpolation of the soft
mask). The result is the back outline from hip level to shoulder level.

Which side of the hip→shoulder line is "the back" depends on the body position (``direction``): standing or
hinging it is the side the person faces away from (``"dorsal"``, from the feet/nose); lying supine the back is
toward the floor (``"down"``); on all fours (cat-camel) or prone it is toward the ceiling (``"up"``).

:func:`dorsal_contour_px` runs inside pose extraction (once per frame, masks are never stored; it is the
``dorsal_outline`` mask probe of :mod:`formcheck.probes`), so it is written to cost well under a millisecond at
``mask_scale`` 0.5 of a 640×480 frame.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.types import LM

# Rays search up to this fraction of the hip→shoulder length behind the trunk line (a back is never deeper).
_MAX_DEPTH_FRAC = 0.75
_CURVE_LEVELS = (0.0, 1.0)
# Sides a ray can search on (see the module docstring).
DIRECTIONS = ("dorsal", "down", "up")
# "down"/"up" need a trunk that is closer to lying than to standing: |cos| of the hip→shoulder line to the image
# horizontal at least this (60° from horizontal), else which perpendicular is "down" flips with a pixel of noise.
_MIN_LYING_COS = 0.5


def facing_sign_px(landmarks_px: np.ndarray) -> float:
    """+1 if the person faces image-right, -1 image-left, NaN if it cannot be told from this frame.

    Toes point forward, so foot_index − heel is the most reliable cue in a side view; the nose ahead of the ears
    is the fallback (feet out of frame).
    """
    lm = np.asarray(landmarks_px, dtype=np.float64)
    feet = (lm[LM.LEFT_FOOT_INDEX, 0] - lm[LM.LEFT_HEEL, 0], lm[LM.RIGHT_FOOT_INDEX, 0] - lm[LM.RIGHT_HEEL, 0])
    s = np.nansum(feet) if not np.all(np.isnan(feet)) else math.nan
    if math.isfinite(s) and abs(s) > 1e-6:
        return 1.0 if s > 0 else -1.0
    ears = np.nanmean(lm[[LM.LEFT_EAR, LM.RIGHT_EAR], 0]) if not np.all(np.isnan(lm[[7, 8], 0])) else math.nan
    d = lm[LM.NOSE, 0] - ears
    if math.isfinite(d) and abs(d) > 1e-6:
        return 1.0 if d > 0 else -1.0
    return math.nan


def dorsal_contour_px(
    mask: np.ndarray,
    landmarks_px: np.ndarray,
    *,
    mask_scale: float = 1.0,
    n_points: int = 24,
    facing: float | None = None,
    direction: str = "dorsal",
    levels: np.ndarray | None = None,
) -> np.ndarray:
    """Back outline between hip and shoulder level, in full-frame pixels, ordered hip → shoulder.

    Args:
        mask: ``(h, w)`` float person mask in [0, 1] (uint8 0..255 is accepted too), possibly downscaled.
        landmarks_px: ``(33, 2)`` full-frame pixel landmarks (NaN when unknown).
        mask_scale: mask size / frame size (0.5 = mask at half resolution).
        n_points: number of outline points.
        facing: +1 facing image-right, -1 image-left; None to infer from this frame's feet/nose. Only used by
            ``direction="dorsal"``.
        direction: side of the hip→shoulder line the rays search, chosen by body position:
            ``"dorsal"`` (standing, hinging: away from where the person faces; the default and the only
            behaviour before directions existed), ``"down"`` (supine: the back is toward the floor, image +y),
            ``"up"`` (quadruped / prone: the back is toward the ceiling, image -y). ``"down"``/``"up"`` give NaN
            when the trunk is within 60° of vertical, where "below the trunk" is not the back.
        levels: where along the hip→shoulder line the rays start (0 = hip level, 1 = shoulder level; below 0 and
            above 1 trace beyond them); None for ``n_points`` evenly spaced from 0 to 1. Given, it sets the number
            of points. Each ray is traced on its own, so a level's point does not depend on the other levels.

    Returns:
        ``(n_points, 2)`` (``(len(levels), 2)`` with ``levels``) float array; rows are NaN where the outline was
        not found (ray started outside the body, ran off the mask, or the landmarks/mask are missing).

    Raises:
        ValueError: unknown ``direction``.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if levels is None:
        levels = np.linspace(_CURVE_LEVELS[0], _CURVE_LEVELS[1], n_points)
    levels = np.asarray(levels, dtype=np.float64)
    out = np.full((levels.size, 2), np.nan)
    if mask is None:
        return out
    m = np.asarray(mask)
    if m.ndim != 2 or m.size == 0:
        return out
    lm = np.asarray(landmarks_px, dtype=np.float64)
    hip = (lm[LM.LEFT_HIP] + lm[LM.RIGHT_HIP]) / 2.0
    sho = (lm[LM.LEFT_SHOULDER] + lm[LM.RIGHT_SHOULDER]) / 2.0
    if not (np.all(np.isfinite(hip)) and np.all(np.isfinite(sho))):
        return out
    if direction == "dorsal":
        f = facing_sign_px(lm) if facing is None else float(facing)
        if not math.isfinite(f):
            return out
    thr = 127.5 if m.dtype == np.uint8 else 0.5
    hip_m = hip * mask_scale
    sho_m = sho * mask_scale
    axis = sho_m - hip_m
    length = float(np.hypot(*axis))
    if length < 4.0:
        return out
    a = axis / length
    if direction == "dorsal":
        # Dorsal normal: trunk axis rotated 90° toward the back (see geometry's sign convention).
        normal = f * np.array([a[1], -a[0]])
    else:
        if abs(a[0]) < _MIN_LYING_COS:
            return out
        # The perpendicular (a_y, -a_x) has image-y component -a_x: flip it so it points down (+y) or up (-y).
        want = 1.0 if direction == "down" else -1.0
        normal = (want * math.copysign(1.0, -a[0])) * np.array([a[1], -a[0]])
    starts = hip_m[None, :] + levels[:, None] * axis[None, :]  # (n, 2)
    n_steps = max(4, int(math.ceil(_MAX_DEPTH_FRAC * length)))
    s = np.arange(n_steps, dtype=np.float64)  # 1 mask-pixel steps
    pts = starts[:, None, :] + s[None, :, None] * normal[None, None, :]  # (n, S, 2)
    h, w = m.shape
    x = pts[..., 0]
    y = pts[..., 1]
    inside_img = (x >= 0) & (x <= w - 1) & (y >= 0) & (y <= h - 1)
    # Bilinear sample (the soft mask gives sub-pixel edges).
    xc = np.clip(x, 0, w - 1.001)
    yc = np.clip(y, 0, h - 1.001)
    x0 = xc.astype(np.intp)
    y0 = yc.astype(np.intp)
    fx = xc - x0
    fy = yc - y0
    mf = m.astype(np.float32, copy=False)
    v = (
        mf[y0, x0] * (1 - fx) * (1 - fy)
        + mf[y0, x0 + 1] * fx * (1 - fy)
        + mf[y0 + 1, x0] * (1 - fx) * fy
        + mf[y0 + 1, x0 + 1] * fx * fy
    )
    v = np.where(inside_img, v, 0.0)
    body = v >= thr
    # First exit from the body, counted from the first step inside it (the landmark line can sit a pixel or two
    # outside a thin silhouette).
    first_in = np.argmax(body, axis=1)
    any_in = body.any(axis=1)
    idx = np.arange(n_steps)[None, :]
    after_in = idx >= first_in[:, None]
    exits = after_in & ~body
    has_exit = exits.any(axis=1)
    k = np.argmax(exits, axis=1)  # first outside sample after being inside
    ok = any_in & has_exit & (first_in <= 2) & (k >= 1)
    rows = np.flatnonzero(ok)
    if rows.size == 0:
        return out
    kk = k[rows]
    v_in = v[rows, kk - 1]
    v_out = v[rows, kk]
    denom = v_in - v_out
    frac = np.where(denom > 1e-6, (v_in - thr) / np.where(denom > 1e-6, denom, 1.0), 0.5)
    depth = (kk - 1) + np.clip(frac, 0.0, 1.0)
    edge = starts[rows] + depth[:, None] * normal[None, :]
    # Ray hit the image border while still inside: that is the frame edge, not the back.
    border = ~inside_img[rows, kk]
    edge[border] = np.nan
    out[rows] = edge / mask_scale
    return out


def _unit_tangent(points: np.ndarray) -> np.ndarray:
    """Principal direction of a point set, oriented from its first toward its last point."""
    p = points[np.all(np.isfinite(points), axis=1)]
    if p.shape[0] < 2:
        return np.full(2, np.nan)
    c = p - p.mean(axis=0)
    _, _, vt = np.linalg.svd(c, full_matrices=False)
    d = vt[0]
    if np.dot(d, p[-1] - p[0]) < 0:
        d = -d
    return d


def contour_bend_deg(
    contour_px: np.ndarray,
    facing: float,
    *,
    lower: tuple[float, float] = (0.15, 0.5),
    upper: tuple[float, float] = (0.55, 0.95),
) -> float:
    """Angle between the lower-back and upper-back tangents of one outline, flexion (rounding) positive.

    Args:
        contour_px: ``(K, 2)`` outline ordered hip → shoulder.
        facing: +1 facing image-right, -1 image-left.
        lower, upper: fractions of the outline (by index) used for each tangent.

    Returns:
        Degrees; positive when the upper back turns toward the front relative to the lower back (a rounder
        back), negative for extension. NaN when fewer than two points are known in a part.
    """
    c = np.asarray(contour_px, dtype=np.float64)
    k = c.shape[0]
    lo = c[int(round(lower[0] * (k - 1))) : int(round(lower[1] * (k - 1))) + 1]
    up = c[int(round(upper[0] * (k - 1))) : int(round(upper[1] * (k - 1))) + 1]
    d1 = _unit_tangent(lo)
    d2 = _unit_tangent(up)
    if not (np.all(np.isfinite(d1)) and np.all(np.isfinite(d2))):
        return math.nan
    cross = d1[0] * d2[1] - d1[1] * d2[0]
    dot = float(np.dot(d1, d2))
    return float(facing * math.degrees(math.atan2(cross, dot)))


def contour_sagitta_frac(contour_px: np.ndarray, facing: float) -> float:
    """Largest dorsal bulge of the outline from its end-to-end chord, as a fraction of the chord length.

    Positive when the outline bows out toward the back (rounded), negative when it dips in (arched).
    """
    c = np.asarray(contour_px, dtype=np.float64)
    c = c[np.all(np.isfinite(c), axis=1)]
    if c.shape[0] < 3:
        return math.nan
    a, b = c[0], c[-1]
    d = b - a
    n = float(np.hypot(*d))
    if n < 1e-6:
        return math.nan
    # Signed distance; the dorsal side of the chord is where the rotated-axis normal points.
    normal = facing * np.array([d[1], -d[0]]) / n
    dist = (c - a) @ normal
    i = int(np.argmax(np.abs(dist)))
    return float(dist[i] / n)
