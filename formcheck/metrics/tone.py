"""Tone: shoulders creeping up, head tipping back (gaze up), knees locked or soft.

All three are measured against the person's own standing baseline, because neck length, posture and the way
MediaPipe places the ear and shoulder on a given body differ far more between people than the changes we want
to see.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.geometry import signed_angle_deg


def _baseline(x: np.ndarray, baseline: np.ndarray) -> float:
    sel = np.asarray(baseline, dtype=bool) & np.isfinite(x)
    return float(np.median(x[sel])) if np.any(sel) else math.nan


def shoulder_elevation_frac(
    ear_px: np.ndarray,
    shoulder_px: np.ndarray,
    hip_px: np.ndarray,
    trunk_shoulder_px: np.ndarray,
    baseline: np.ndarray,
) -> np.ndarray:
    """Shoulder-to-ear shortening *along the trunk axis* vs standing, as a fraction of trunk length (> 0 = up).

    Only the component along the hip → shoulder axis counts: when the arms hang from a bent-over trunk the
    shoulder blades slide forward around the ribcage (protraction), which shortens the straight ear–shoulder
    distance without any shrug; a shrug moves the shoulder toward the head along the trunk. A rounding upper
    back still shortens this a little (the head drops with the thoracic spine).

    Args:
        ear_px, shoulder_px: ``(T, 2)`` same-side ear and shoulder (near side).
        hip_px, trunk_shoulder_px: ``(T, 2)`` mid-hip and mid-shoulder, defining the trunk axis and its length.
        baseline: ``(T,)`` bool, standing frames.
    """
    along, length = along_trunk(ear_px, shoulder_px, hip_px, trunk_shoulder_px)
    return elevation_vs(along, _baseline(along, baseline), _baseline(length, baseline))


def along_trunk(
    ear_px: np.ndarray, shoulder_px: np.ndarray, hip_px: np.ndarray, trunk_shoulder_px: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Shoulder → ear distance along the hip → shoulder axis, and the trunk length (px, ``(T,)`` each)."""
    axis = np.asarray(trunk_shoulder_px, dtype=np.float64) - np.asarray(hip_px, dtype=np.float64)
    length = np.linalg.norm(axis, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = axis / length[..., None]
        along = np.sum(
            (np.asarray(ear_px, dtype=np.float64) - np.asarray(shoulder_px, dtype=np.float64)) * unit, axis=-1
        )
    return along, length


def elevation_vs(along_px: np.ndarray, along_ref_px: float, length_ref_px: float) -> np.ndarray:
    """Shoulder elevation vs a reference posture: the along-trunk shortening as a fraction of trunk length."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (along_ref_px - np.asarray(along_px, dtype=np.float64)) / length_ref_px


def head_angle_deg(
    hip_px: np.ndarray, shoulder_px: np.ndarray, ear_px: np.ndarray, nose_px: np.ndarray, facing: float
) -> np.ndarray:
    """Head orientation relative to the trunk (deg): signed angle from the trunk axis to the ear → nose line.

    Larger = head tipped back (chin up). Uses the head's own points, not the shoulder, so shoulder-blade motion
    does not read as a nod.
    """
    trunk = np.asarray(shoulder_px, dtype=np.float64) - np.asarray(hip_px, dtype=np.float64)
    head = np.asarray(nose_px, dtype=np.float64) - np.asarray(ear_px, dtype=np.float64)
    # signed_angle_deg is clockwise-positive on screen; for someone facing right, tipping the head back turns the
    # ear → nose line counter-clockwise, so flip by facing to make extension positive either way.
    return -facing * signed_angle_deg(trunk, head)


def neck_extension_deg(
    hip_px: np.ndarray,
    shoulder_px: np.ndarray,
    ear_px: np.ndarray,
    nose_px: np.ndarray,
    facing: float,
    baseline: np.ndarray,
) -> np.ndarray:
    """Head tipped back relative to the trunk, vs standing (deg, > 0 = extension / looking up).

    Args:
        hip_px, shoulder_px: ``(T, 2)`` mid-hip and mid-shoulder (trunk axis).
        ear_px: ``(T, 2)`` mid-ear (or the near ear).
        nose_px: ``(T, 2)``.
        facing: +1 facing image-right, -1 image-left.
        baseline: ``(T,)`` bool, standing frames.
    """
    ang = head_angle_deg(hip_px, shoulder_px, ear_px, nose_px, facing)
    # Angles are circular: a head angle near ±180° flips sign from frame to frame, so the standing reference is
    # the circular mean and the change is wrapped to -180..180 (an unwrapped difference read 310° on one clip).
    sel = np.asarray(baseline, dtype=bool) & np.isfinite(ang)
    if not np.any(sel):
        return np.full(np.shape(ang), math.nan)
    ref = math.degrees(math.atan2(np.mean(np.sin(np.radians(ang[sel]))), np.mean(np.cos(np.radians(ang[sel])))))
    return (ang - ref + 180.0) % 360.0 - 180.0


def knee_state(knee_flexion_bottom_deg: float, locked_deg: float) -> str:
    """``locked`` when the knees stay straighter than ``locked_deg`` at the bottom, else ``soft``."""
    if not math.isfinite(knee_flexion_bottom_deg):
        return "unknown"
    return "locked" if knee_flexion_bottom_deg < locked_deg else "soft"
