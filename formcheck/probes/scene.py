"""``scene_lines``: the room's long straight lines around the person (wall rails, the wall/floor edge, door frames).

Rooms hold gravity-aligned straight lines; a camera's roll turns them in the picture as it turns everything else, so
the lines' tilt is a second reading of the roll that does not depend on how a body stands
(:func:`formcheck.body.roll.scene_roll_deg`). This probe needs the frame image, not only the mask, and runs on
sampled frames only (one every :data:`SCENE_EVERY_S`; the camera is still during a set, so more frames add nothing
but time): it finds straight segments with OpenCV's line segment detector (LSD) on the grey frame, drops those on or
next to the person (the segmentation mask dilated by :data:`PERSON_MARGIN_FRAC` of the frame diagonal; without a
mask, the landmarks' box widened by :data:`BOX_MARGIN_FRAC` of its height), and keeps the :data:`N_HORIZONTAL`
longest near-horizontal and :data:`N_VERTICAL` longest near-vertical segments (within :data:`NEAR_AXIS_DEG` of the
axis) longer than :data:`MIN_LENGTH_FRAC` of the frame width. Each segment is two full-frame pixel points (the
left end first for a horizontal one, the top end first for a vertical one), so a picture turned about its centre
(:func:`formcheck.roll_effect.rolled_sequence`) turns them exactly. Rows of segments not found are NaN.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, ClassVar

import cv2
import numpy as np

from formcheck.probes.base import NAME_RE, MaskProbe

SCENE_EVERY_S = 0.5  # one sampled frame per half second (the extraction cost stays small, see docs/metrics.md §8.6)
WORK_WIDTH_PX = 320  # wider frames are shrunk first: LSD's cost grows with the pixels; long lines' angles hold
NEAR_AXIS_DEG = 15.0  # a segment within this of horizontal / vertical is kept (a ±5° roll stays well inside it)
MIN_LENGTH_FRAC = 0.08  # shorter segments (fraction of the frame width) are texture, not the room's lines
PERSON_MARGIN_FRAC = 0.02  # the person mask is dilated by this fraction of the frame diagonal (edges, shadow rims)
BOX_MARGIN_FRAC = 0.15  # no mask: the landmarks' box widened by this fraction of its height on every side
N_HORIZONTAL = 6
N_VERTICAL = 2


def _gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    # RGB or BGR: the grey level differs slightly, the lines do not
    return cv2.cvtColor(np.ascontiguousarray(frame[..., :3]), cv2.COLOR_RGB2GRAY)


def _person_block(
    shape: tuple[int, int], mask: np.ndarray | None, landmarks_px: np.ndarray | None, full_w: int
) -> np.ndarray | None:
    """``(h, w)`` bool at the working size: where segments are dropped (the person and a margin); None: nothing."""
    h, w = shape
    if mask is not None and mask.size:
        m = np.asarray(mask)
        m = (m > 127) if m.dtype == np.uint8 else (m > 0.5)
        if np.any(m):
            m = cv2.resize(m.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
            r = max(1, round(PERSON_MARGIN_FRAC * float(np.hypot(h, w))))
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
            return cv2.dilate(m, kernel).astype(bool)
    if landmarks_px is not None:
        lm = np.asarray(landmarks_px, dtype=np.float64)[:, :2]
        lm = lm[np.all(np.isfinite(lm), axis=1)]
        if lm.shape[0] >= 4:
            (x0, y0), (x1, y1) = lm.min(axis=0), lm.max(axis=0)
            pad = BOX_MARGIN_FRAC * max(y1 - y0, x1 - x0)
            f = w / float(full_w)
            block = np.zeros((h, w), dtype=bool)
            xa, xb = int(max(0, (x0 - pad) * f)), int(min(w, np.ceil((x1 + pad) * f)))
            ya, yb = int(max(0, (y0 - pad) * f)), int(min(h, np.ceil((y1 + pad) * f)))
            block[ya:yb, xa:xb] = True
            return block
    return None


@functools.cache
def _has_line_detector() -> bool:
    """Whether the installed OpenCV has its line segment detector (it was left out of 3.4.6–4.5.0 for licensing):
    without it every frame reads "no lines" (the room can't tell), never a failed extraction."""
    try:
        cv2.createLineSegmentDetector()
    except (AttributeError, cv2.error):
        return False
    return True


def _line_detector() -> Any:
    """A fresh detector per call (an OpenCV algorithm object is not shared between extraction threads), or None."""
    return cv2.createLineSegmentDetector() if _has_line_detector() else None


def scene_segments_px(
    frame: np.ndarray,
    mask: np.ndarray | None = None,
    landmarks_px: np.ndarray | None = None,
    *,
    n_horizontal: int = N_HORIZONTAL,
    n_vertical: int = N_VERTICAL,
) -> tuple[np.ndarray, np.ndarray]:
    """Long near-horizontal and near-vertical straight segments of one frame, away from the person.

    Args:
        frame: ``(H, W, 3)`` uint8 RGB/BGR (or ``(H, W)`` grey) frame.
        mask: optional person mask (any size; float in [0, 1] or uint8 0..255); None falls back to the landmarks.
        landmarks_px: optional ``(33, 2+)`` full-frame pixel landmarks (NaN unknown).
        n_horizontal: how many horizontal segments to keep (longest first).
        n_vertical: how many vertical segments to keep.

    Returns:
        ``(n_horizontal, 2, 2)`` and ``(n_vertical, 2, 2)`` full-frame pixel endpoints (horizontal: left end first;
        vertical: top end first), NaN rows where fewer were found.
    """
    full_h, full_w = frame.shape[:2]
    gray = _gray(frame)
    f = min(1.0, WORK_WIDTH_PX / float(full_w))
    if f < 1.0:
        gray = cv2.resize(gray, (round(full_w * f), round(full_h * f)), interpolation=cv2.INTER_AREA)
    h, w = gray.shape
    out_h = np.full((n_horizontal, 2, 2), np.nan)
    out_v = np.full((n_vertical, 2, 2), np.nan)
    lsd = _line_detector()
    found = lsd.detect(gray)[0] if lsd is not None else None
    if found is None:  # no segment, or an OpenCV build without the detector: the room can't tell (NaN)
        return out_h, out_v
    seg = found.reshape(-1, 4).astype(np.float64)
    d = seg[:, 2:] - seg[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    ang = np.degrees(np.arctan2(d[:, 1], d[:, 0]))  # (-180, 180]
    dev_h = np.abs((ang + 90.0) % 180.0 - 90.0)  # 0 horizontal, 90 vertical
    keep = length >= MIN_LENGTH_FRAC * w
    block = _person_block((h, w), mask, landmarks_px, full_w)
    if block is not None:
        # The person's own edges lie inside the dilated mask; a wall line often ends where the person hides it, so
        # only segments mostly inside are dropped (9 points along each).
        inside = np.zeros(seg.shape[0])
        for t in np.linspace(0.0, 1.0, 9):
            p = seg[:, :2] + t * d
            xi = np.clip(np.round(p[:, 0]).astype(int), 0, w - 1)
            yi = np.clip(np.round(p[:, 1]).astype(int), 0, h - 1)
            inside += block[yi, xi]
        keep &= inside <= 3
    seg_full = seg / f
    for out, sel, axis in ((out_h, dev_h <= NEAR_AXIS_DEG, 0), (out_v, dev_h >= 90.0 - NEAR_AXIS_DEG, 1)):
        idx = np.flatnonzero(keep & sel)
        idx = idx[np.argsort(-length[idx], kind="stable")][: out.shape[0]]
        for row, i in enumerate(idx):
            a, b = seg_full[i, :2], seg_full[i, 2:]
            out[row] = (a, b) if a[axis] <= b[axis] else (b, a)
    return out_h, out_v


@dataclass(frozen=True)
class SceneLines(MaskProbe):
    """The room's long straight lines around the person: ``N_HORIZONTAL`` near-horizontal then ``N_VERTICAL``
    near-vertical segments, two full-frame pixel points each (see the module docstring). Traced on sampled frames
    (``every_s``) only; the other frames store NaN."""

    needs_frame: ClassVar[bool] = True
    name: str = "scene_lines"
    version: int = 1
    points: int = 2 * (N_HORIZONTAL + N_VERTICAL)
    every_s: ClassVar[float] = SCENE_EVERY_S

    def __post_init__(self) -> None:
        if not NAME_RE.match(self.name):
            raise ValueError(f"probe name must be lower_snake_case, not {self.name!r}")
        if self.points != 2 * (N_HORIZONTAL + N_VERTICAL) or self.version < 1:
            raise ValueError("scene_lines stores N_HORIZONTAL + N_VERTICAL segments; version >= 1")

    def trace(
        self,
        mask: np.ndarray | None,
        landmarks_px: np.ndarray | None,
        *,
        mask_scale: float = 1.0,
        frame: np.ndarray | None = None,
    ) -> np.ndarray:
        """The frame's segments as ``(points, 2)`` (all NaN without a frame, or with one that is not a picture)."""
        if frame is None or np.ndim(frame) not in (2, 3) or min(np.shape(frame)[:2]) < 16:
            return self.empty()
        hor, ver = scene_segments_px(frame, mask, landmarks_px)
        return np.concatenate([hor.reshape(-1, 2), ver.reshape(-1, 2)])


def split_scene_lines(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(..., 2 * (N_HORIZONTAL + N_VERTICAL), 2)`` probe points → horizontal ``(..., N_HORIZONTAL, 2, 2)`` and
    vertical ``(..., N_VERTICAL, 2, 2)`` segments."""
    p = np.asarray(points, dtype=np.float64)
    lead = p.shape[:-2]
    hor = p[..., : 2 * N_HORIZONTAL, :].reshape(*lead, N_HORIZONTAL, 2, 2)
    ver = p[..., 2 * N_HORIZONTAL :, :].reshape(*lead, N_VERTICAL, 2, 2)
    return hor, ver


__all__ = [
    "N_HORIZONTAL", "N_VERTICAL", "NEAR_AXIS_DEG", "SCENE_EVERY_S", "SceneLines", "scene_segments_px",
    "split_scene_lines",
]  # fmt: skip
