"""Cleaning of raw pose landmarks: off-frame or barely visible points become unknown (NaN).

Moved from the hinge analyzer with identical numerics (the hinge and every other exercise clean the same way).
Image landmarks are normalised ``(x, y, z, visibility)``; pixel output is aspect-correct (x right, y down);
world output is MediaPipe's metric 3D estimate (hip-centred, y down) and is never mixed with pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from formcheck.signal import smooth_series
from formcheck.types import LM, PoseSequence

# Landmarks that must be in frame for a "full body" frame (both sides; the far side may be occluded but
# MediaPipe still places it).
BODY = (
    LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_KNEE, LM.RIGHT_KNEE,
    LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX,
)  # fmt: skip
MIN_VISIBILITY = 0.3  # below this a landmark is a guess; treated as unknown
FULL_BODY_VISIBILITY = 0.5
FRAME_MARGIN = 0.01  # normalised; a landmark this close to the edge may be clipped


def clean_landmarks(seq: PoseSequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NaN-out off-frame or invisible landmarks.

    Args:
        seq: the pose sequence.

    Returns:
        ``(px, world, vis)``: ``(T, 33, 2)`` aspect-correct pixel xy with off-frame (beyond ``FRAME_MARGIN``) or
        barely visible (< ``MIN_VISIBILITY``) landmarks set to NaN; ``(T, 33, 3)`` world xyz in metres, kept
        wherever a person was found (MediaPipe places every joint in 3D, occluded or not); ``(T, 33)`` visibility.
    """
    lm = np.array(seq.landmarks, dtype=np.float64)
    vis = lm[:, :, 3]
    off = (
        (lm[:, :, 0] < -FRAME_MARGIN)
        | (lm[:, :, 0] > 1 + FRAME_MARGIN)
        | (lm[:, :, 1] < -FRAME_MARGIN)
        | (lm[:, :, 1] > 1 + FRAME_MARGIN)
        | (vis < MIN_VISIBILITY)
    )
    px = seq.xy_px()
    px = np.where(off[..., None], np.nan, px)
    # World landmarks are MediaPipe's 3D estimate for every joint, occluded or not; keep them where a person is.
    world = np.array(seq.world[:, :, :3], dtype=np.float64)
    return px, world, vis


class SignalSettings(Protocol):
    """What smoothing reads from the configuration (``config.signal``)."""

    lowpass_hz: float
    lowpass_order: int
    max_gap_s: float


def image_depth(seq: PoseSequence, px: np.ndarray) -> np.ndarray:
    """``(T, 33)`` MediaPipe image depth (near negative), NaN where the cleaned pixel landmark ``px`` is unknown.

    The depth is a relative estimate beside the pixel point; a point dropped by cleaning has no depth either.
    """
    return np.where(np.isnan(np.asarray(px)[..., 0]), np.nan, seq.landmarks[:, :, 2])


def smooth_landmarks(x: np.ndarray, t_s: np.ndarray, signal: SignalSettings) -> np.ndarray:
    """Bridge short gaps, then low-pass zero-phase (the recorded-video smoothing of every landmark series).

    Args:
        x: ``(T, ...)`` samples (landmarks, outlines), NaN where unknown.
        t_s: ``(T,)`` timestamps.
        signal: ``config.signal``: gaps up to ``max_gap_s`` are interpolated, then a Butterworth low-pass of
            ``lowpass_order`` at ``lowpass_hz`` runs forward and backward over each known run.
    """
    return smooth_series(x, np.asarray(t_s, dtype=np.float64), signal.lowpass_hz, signal.lowpass_order,
                         signal.max_gap_s)  # fmt: skip


def mid(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Midpoint of a left/right pair, or the one that is known (side-on, the pair nearly coincides).

    Works on any coordinates (pixels or metres) and broadcasts; NaN where both are unknown.
    """
    both = (a + b) / 2.0
    return np.where(np.isnan(both), np.where(np.isnan(a), b, a), both)


def whole_body_in_view(landmarks: np.ndarray, idx: Sequence[int] = BODY) -> np.ndarray:
    """Whole body in view: ``(..., 33, 4)`` image landmarks → ``(...)`` bool (False where nobody is found).

    Every landmark of ``idx`` must be inside the frame; of each left/right pair the better-seen one (the near
    side) must be clearly visible, the far side only in frame.

    Args:
        landmarks: normalised image landmarks ``(..., 33, 4)``.
        idx: the landmarks that must be seen, as consecutive (left, right) pairs (default :data:`BODY`: shoulders
            to feet, what a standing exercise needs).
    """
    idx = list(idx)
    if len(idx) % 2:
        raise ValueError("idx must list (left, right) pairs")
    xy = landmarks[..., idx, :2]
    inside = np.all((xy > FRAME_MARGIN) & (xy < 1 - FRAME_MARGIN), axis=(-2, -1))
    vis = landmarks[..., idx, 3]
    near_ok = np.maximum(vis[..., 0::2], vis[..., 1::2]).min(axis=-1) >= FULL_BODY_VISIBILITY
    return inside & near_ok


__all__ = ["BODY", "FRAME_MARGIN", "FULL_BODY_VISIBILITY", "MIN_VISIBILITY", "SignalSettings", "clean_landmarks",
           "mid", "smooth_landmarks", "whole_body_in_view"]  # fmt: skip
