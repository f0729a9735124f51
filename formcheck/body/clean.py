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


# The next landmark towards the trunk (left side; the right side is one more): where an unseen landmark can be, it is
# within a body segment of it. The shoulders and hips are each other's.
_PARENT = {
    LM.LEFT_SHOULDER: LM.LEFT_HIP, LM.LEFT_HIP: LM.LEFT_SHOULDER, LM.LEFT_ELBOW: LM.LEFT_SHOULDER,
    LM.LEFT_WRIST: LM.LEFT_ELBOW, LM.LEFT_KNEE: LM.LEFT_HIP, LM.LEFT_ANKLE: LM.LEFT_KNEE, LM.LEFT_HEEL: LM.LEFT_ANKLE,
    LM.LEFT_FOOT_INDEX: LM.LEFT_ANKLE,
}  # fmt: skip


def body_cut_off(landmarks: np.ndarray, idx: Sequence[int] = BODY, *, aspect: float = 1.0) -> np.ndarray:
    """The body runs at or over the picture's edge: ``(..., 33, 4)`` image landmarks → ``(...)`` bool.

    Only geometry decides. A frame is cut off when:

    * a landmark of ``idx`` is placed on or beyond the border (within :data:`FRAME_MARGIN`): MediaPipe places a
      cropped joint there or outside, seen or not; or
    * a (left, right) pair is unseen (neither side's visibility reaches :data:`FULL_BODY_VISIBILITY`, or not placed)
      *and* could lie beyond the border. Placed, it could when it is nearer the border than its own segment (to the
      next joint towards the trunk, as placed; the trunk where that is not placed): an unseen joint is placed about
      a segment off at worst. Not placed, it could when its nearest placed landmark towards the trunk is nearer the
      border than one trunk length (shoulders to hips, about the longest segment) per joint in between, or when
      nothing towards the trunk is placed.

    So an unseen joint well inside the picture is hidden by the body, not by the frame (lying down, the far leg),
    and a frame with nobody found is not cut off (False): a lost frame is a tracking matter, not a framing one.

    Args:
        landmarks: normalised image landmarks ``(..., 33, 4)``.
        idx: the landmarks that must be in the picture, as consecutive (left, right) pairs (default :data:`BODY`).
        aspect: frame width / height, so that distances across and down the picture compare in pixels.
    """
    idx = list(idx)
    if len(idx) % 2:
        raise ValueError("idx must list (left, right) pairs")
    lm = np.asarray(landmarks, dtype=np.float64)
    present = np.isfinite(lm[..., 0, 0])
    xy_n = lm[..., idx, :2]
    with np.errstate(invalid="ignore"):
        # NaN compares False: a landmark not placed is never "at the edge" (the unseen rule below judges it).
        at_edge = np.any((xy_n <= FRAME_MARGIN) | (xy_n >= 1 - FRAME_MARGIN), axis=(-2, -1))
    # Distances in frame heights, so that across and down compare in pixels.
    size = np.array([aspect, 1.0])
    xy = lm[..., :2] * size
    border = np.minimum(xy, size - xy).min(axis=-1)  # (..., 33) distance to the nearest border, NaN not placed
    trunk = np.linalg.norm(
        mid(xy[..., LM.LEFT_SHOULDER, :], xy[..., LM.RIGHT_SHOULDER, :])
        - mid(xy[..., LM.LEFT_HIP, :], xy[..., LM.RIGHT_HIP, :]),
        axis=-1,
    )
    trunk = np.where(np.isfinite(trunk), trunk, np.inf)  # no trunk to measure by: an unseen pair may be anywhere
    vis = np.where(np.isfinite(lm[..., 3]), lm[..., 3], 0.0)
    cut = at_edge
    for left, right in zip(idx[0::2], idx[1::2], strict=True):
        unseen = np.maximum(vis[..., left], vis[..., right]) < FULL_BODY_VISIBILITY
        unseen |= np.isnan(border[..., left]) & np.isnan(border[..., right])
        chain = _chain(left)
        # Placed: the joint may be off by about its own segment (to the next joint towards the trunk, as placed; the
        # trunk where that is not placed), so it could be out when it is nearer the border than that.
        seg = np.full(present.shape, np.nan)
        if len(chain) > 1:
            up = chain[1]
            seg = np.fmax(_dist(xy, left, up), _dist(xy, right, up + 1))
        seg = np.where(np.isnan(seg), trunk, seg)
        out = np.fmin(border[..., left], border[..., right]) < seg
        # Not placed: its nearest placed landmark towards the trunk, ``hops`` segments (a trunk each, the longest
        # segment) away, is nearer the border than that reach; nothing placed at all: it could be anywhere.
        placed = ~(np.isnan(border[..., left]) & np.isnan(border[..., right]))
        found = placed.copy()
        for hops, joint in enumerate(chain[1:], start=1):
            d = np.fmin(border[..., joint], border[..., joint + 1])
            here = ~found & ~np.isnan(d)
            out = np.where(here, d < hops * trunk, out)
            found |= here
        out |= ~found
        cut = cut | (unseen & out)
    return present & cut


def _dist(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    """``(...)`` distance between landmarks ``a`` and ``b`` of ``(..., 33, 2)`` points (NaN where one is not placed)."""
    return np.linalg.norm(xy[..., a, :] - xy[..., b, :], axis=-1)


def _chain(left: int) -> list[int]:
    """``left`` and the left landmarks towards the trunk from it (:data:`_PARENT`), each once."""
    out = [int(left)]
    while (nxt := _PARENT.get(out[-1])) is not None and int(nxt) not in out:
        out.append(int(nxt))
    return out


def whole_body_in_view(landmarks: np.ndarray, idx: Sequence[int] = BODY, *, aspect: float = 1.0) -> np.ndarray:
    """Whole body in view: ``(..., 33, 4)`` image landmarks → ``(...)`` bool (False where nobody is found).

    A person is found and the body is not cut off by the picture's edge (:func:`body_cut_off`). A landmark the
    model saw poorly inside the picture (the far side lying down) does not make the body "cut off".

    Args:
        landmarks: normalised image landmarks ``(..., 33, 4)``.
        idx: the landmarks that must be in the picture, as consecutive (left, right) pairs (default :data:`BODY`:
            shoulders to feet, what a standing exercise needs).
        aspect: frame width / height (see :func:`body_cut_off`).
    """
    lm = np.asarray(landmarks, dtype=np.float64)
    return np.isfinite(lm[..., 0, 0]) & ~body_cut_off(lm, idx, aspect=aspect)


def clearly_in_view(landmarks: np.ndarray, idx: Sequence[int] = BODY) -> np.ndarray:
    """Whole body clearly seen: ``(..., 33, 4)`` image landmarks → ``(...)`` bool (False where nobody is found).

    Every landmark of ``idx`` inside the picture and, of each left/right pair, the better-seen one (the near side)
    seen with visibility >= :data:`FULL_BODY_VISIBILITY`. Stricter than :func:`whole_body_in_view` (which asks only
    that the body is not cut off by the edge): this chooses the standing frames an exercise measures its own
    baseline posture on (the squat's and hinge's reference frames), where a dim joint's guessed place would shift
    the baseline. The rule the whole-body check used before the edge rule (b45b6e8).

    Args:
        landmarks: normalised image landmarks ``(..., 33, 4)``.
        idx: the landmarks that must be seen, as consecutive (left, right) pairs (default :data:`BODY`).
    """
    idx = list(idx)
    if len(idx) % 2:
        raise ValueError("idx must list (left, right) pairs")
    lm = np.asarray(landmarks, dtype=np.float64)
    xy = lm[..., idx, :2]
    vis = lm[..., idx, 3]
    with np.errstate(invalid="ignore"):
        inside = np.all((xy > FRAME_MARGIN) & (xy < 1 - FRAME_MARGIN), axis=(-2, -1))
        near_ok = np.maximum(vis[..., 0::2], vis[..., 1::2]).min(axis=-1) >= FULL_BODY_VISIBILITY
    return inside & near_ok


__all__ = ["BODY", "FRAME_MARGIN", "FULL_BODY_VISIBILITY", "MIN_VISIBILITY", "SignalSettings", "body_cut_off",
           "clean_landmarks", "clearly_in_view", "mid", "smooth_landmarks", "whole_body_in_view"]  # fmt: skip
