"""Camera geometry from the body: camera roll (a tilted phone) and the image scale in pixels per centimetre.

Roll: a person standing still and straight is vertical, so the tilt of their body line in the image is the
camera's roll. The body line is the mid-ankle → mid-shoulder line (the whole-body line through the hips; a
standing body balances its centre of mass over the feet, so this line is within about 2-3° of vertical in a side
view and vertical by symmetry in a front view). Only frames where the body is straight (ankle-hip-shoulder and
hip-knee-ankle nearly collinear in the image) and the caller says the person stands count: a bend or a step is
not a tilted camera. Pixel coordinates only (x right, y down, aspect-correct). Measured on the rendered clips
(level camera, true roll 0): within ±2.5° — a standing body is only nearly vertical — so a roll below about 3°
means "level".

Sign: ``roll_deg`` > 0 when the true vertical appears turned clockwise on the screen (its top toward
image-right); rotating the image counter-clockwise by ``roll_deg`` levels it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.types import LM

BODY_STRAIGHT_MAX_DEG = 10.0  # ankle-hip-shoulder and hip-knee-ankle bend less than this: standing straight
ROLL_MIN_FRAMES = 5  # fewer straight standing frames than this: roll unknown

# Segment length / stature (de Leva 1996 male means: thigh 42.22 cm, shank 43.40 cm… of 174.1 cm; the female
# ratios differ by < 1 %). Used only to turn pixels into centimetres from the user's height.
THIGH_FRAC_OF_HEIGHT = 0.2425
SHANK_FRAC_OF_HEIGHT = 0.2529
TRUNK_FRAC_OF_HEIGHT = 0.296  # mid-shoulder → mid-hip


@dataclass(frozen=True)
class RollEstimate:
    """Camera roll of a set.

    Attributes:
        roll_deg: degrees, > 0 when the vertical appears turned clockwise (see module docs); NaN when unknown.
        n_frames: straight standing frames it was measured on.
        spread_deg: interquartile range of the per-frame body-line tilt over those frames (sway and noise).
    """

    roll_deg: float
    n_frames: int
    spread_deg: float = math.nan


def _mid(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a + b) / 2.0


def _dir_deg(d: np.ndarray) -> np.ndarray:
    """Direction of image vectors ``(..., 2)`` from image-up, degrees, positive toward image-right (clockwise)."""
    return np.degrees(np.arctan2(d[..., 0], -d[..., 1]))


def _bend_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Unsigned angle between two image direction angles (degrees), 0..180."""
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


def body_line_tilt_deg(px: np.ndarray) -> np.ndarray:
    """Per-frame tilt of the mid-ankle → mid-shoulder line from image-up, ``(T, 33, 2)`` → ``(T,)`` degrees.

    Positive when the shoulders are image-right of the ankles.
    """
    p = np.asarray(px, dtype=np.float64)
    ankle = _mid(p[:, LM.LEFT_ANKLE], p[:, LM.RIGHT_ANKLE])
    sho = _mid(p[:, LM.LEFT_SHOULDER], p[:, LM.RIGHT_SHOULDER])
    return _dir_deg(sho - ankle)


def body_straight(px: np.ndarray, max_bend_deg: float = BODY_STRAIGHT_MAX_DEG) -> np.ndarray:
    """Per-frame: the body is straight in the image (no bend at the hips or knee beyond ``max_bend_deg``).

    The mid-ankle → mid-hip → mid-shoulder line must be nearly straight, and one leg must be straight (hip → knee →
    ankle) and along that line: side-on the pose model often bends the far leg it cannot see, a single-leg stance
    stands on one leg, and in a split stance neither leg is along the body line (the feet's midpoint is not under
    the body).
    """
    p = np.asarray(px, dtype=np.float64)
    hip = _mid(p[:, LM.LEFT_HIP], p[:, LM.RIGHT_HIP])
    sho = _mid(p[:, LM.LEFT_SHOULDER], p[:, LM.RIGHT_SHOULDER])
    ankle = _mid(p[:, LM.LEFT_ANKLE], p[:, LM.RIGHT_ANKLE])
    with np.errstate(invalid="ignore"):
        line = _dir_deg(sho - ankle)
        trunk_ok = _bend_deg(_dir_deg(hip - ankle), _dir_deg(sho - hip)) <= max_bend_deg
        leg_ok = np.zeros(p.shape[0], dtype=bool)
        for s in ("LEFT_", "RIGHT_"):
            h, k, a = (p[:, int(LM[s + n])] for n in ("HIP", "KNEE", "ANKLE"))
            straight = _bend_deg(_dir_deg(h - k), _dir_deg(k - a)) <= max_bend_deg
            leg_ok |= straight & (_bend_deg(_dir_deg(h - a), line) <= max_bend_deg)
    return trunk_ok & leg_ok


def camera_roll_deg(
    px: np.ndarray,
    standing: np.ndarray | None = None,
    *,
    max_bend_deg: float = BODY_STRAIGHT_MAX_DEG,
    min_frames: int = ROLL_MIN_FRAMES,
) -> RollEstimate:
    """Camera roll from the body line while standing straight (see the module docstring).

    Args:
        px: ``(T, 33, 2)`` pixel landmarks (smoothed; NaN unknown).
        standing: optional ``(T,)`` bool, frames where the person stands (e.g. ``position_per_frame == "standing"``);
            None counts every frame whose body is straight.
        max_bend_deg: how straight the body must be.
        min_frames: fewer usable frames → unknown (NaN).

    Returns:
        The :class:`RollEstimate` (median tilt over the straight standing frames).
    """
    p = np.asarray(px, dtype=np.float64)
    tilt = body_line_tilt_deg(p)
    use = body_straight(p, max_bend_deg) & np.isfinite(tilt)
    if standing is not None:
        use &= np.asarray(standing, dtype=bool)
    n = int(np.sum(use))
    if n < min_frames:
        return RollEstimate(math.nan, n)
    q1, med, q3 = np.percentile(tilt[use], [25, 50, 75])
    return RollEstimate(float(med), n, float(q3 - q1))


def px_per_cm(xy_px: np.ndarray, side: str, height_cm: float) -> float:
    """Image scale from the user's height and the median thigh + shank + trunk length in pixels.

    Segment lengths barely change with posture (unlike standing height), so this works on any frame where the
    body is in a side view. Returns NaN if the legs were never seen. (Moved from
    :mod:`formcheck.metrics.load_path` with identical numerics.)

    Args:
        xy_px: ``(T, 33, 2)`` pixel landmarks.
        side: ``"left"`` or ``"right"``: the leg to measure (the one nearer the camera).
        height_cm: the person's height.
    """
    p = np.asarray(xy_px, dtype=np.float64)
    pre = side.upper() + "_"
    hip, knee, ankle = (p[:, int(LM[pre + n])] for n in ("HIP", "KNEE", "ANKLE"))
    mid_sho = (p[:, LM.LEFT_SHOULDER] + p[:, LM.RIGHT_SHOULDER]) / 2.0
    mid_hip = (p[:, LM.LEFT_HIP] + p[:, LM.RIGHT_HIP]) / 2.0
    thigh = np.linalg.norm(knee - hip, axis=1)
    shank = np.linalg.norm(ankle - knee, axis=1)
    trunk = np.linalg.norm(mid_sho - mid_hip, axis=1)
    total = thigh + shank + trunk
    if not np.any(np.isfinite(total)):
        return math.nan
    # A high percentile: out-of-plane foreshortening only ever makes segments look shorter.
    return float(
        np.nanpercentile(total, 75) / ((THIGH_FRAC_OF_HEIGHT + SHANK_FRAC_OF_HEIGHT + TRUNK_FRAC_OF_HEIGHT) * height_cm)
    )


__all__ = ["BODY_STRAIGHT_MAX_DEG", "ROLL_MIN_FRAMES", "RollEstimate", "body_line_tilt_deg", "body_straight",
           "camera_roll_deg", "px_per_cm"]  # fmt: skip
