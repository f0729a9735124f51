"""The mask-probe contract: a small, versioned reduction of one frame's person mask to a few pixel points.

Segmentation masks are a float per pixel per frame, far too large to keep, so pose extraction reduces each frame's
mask at once to what the exercises need (the back outline for a hinge, …) and stores only that in
:class:`~formcheck.types.PoseSequence.probes`. A probe is identified by ``name`` and ``version``; both are part of
the pose-cache key, so **any change that alters a probe's output must bump its version** (otherwise old caches
would keep serving the old points).

A probe may also need the frame image (``needs_frame``; the room's straight lines, :mod:`formcheck.probes.scene`).
Such a probe is traced only on sampled frames, one every ``every_s`` seconds (the image analysis costs more than a
mask walk), with the frame passed as ``trace(..., frame=...)``; the other frames store NaN.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

# Probe names become npz keys and JSON keys: keep them plain identifiers.
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class MaskProbe(ABC):
    """One versioned per-frame measurement on the person-segmentation mask.

    Attributes:
        name: registry name, lower_snake_case (also the key in ``PoseSequence.probes``).
        version: bumped whenever the output for the same input changes (algorithm or settings).
        points: ``K``, the number of points :meth:`trace` returns per frame.
        needs_frame: the probe reads the frame image: :meth:`trace` takes ``frame=`` (``(H, W, 3)`` uint8 RGB) and
            runs on sampled frames only (with or without a mask or a person).
        every_s: for a frame probe, the time between sampled frames in seconds.
    """

    name: str
    version: int
    points: int
    needs_frame: ClassVar[bool] = False
    every_s: ClassVar[float] = 0.0

    @abstractmethod
    def trace(self, mask: np.ndarray | None, landmarks_px: np.ndarray, *, mask_scale: float = 1.0) -> np.ndarray:
        """Reduce one frame's mask to ``(points, 2)`` float full-frame pixel points.

        Args:
            mask: ``(h, w)`` person mask in [0, 1] (float) or 0..255 (uint8), possibly downscaled; None when
                there is no mask for this frame.
            landmarks_px: ``(33, 2)`` full-frame pixel landmarks (NaN when unknown).
            mask_scale: mask size / frame size (0.5 = mask at half resolution).

        Returns:
            ``(points, 2)`` float array, rows NaN where the probe found nothing. Never raises for missing input.
        """

    def empty(self) -> np.ndarray:
        """``(points, 2)`` all NaN: what a frame without a person (or mask) stores."""
        return np.full((self.points, 2), np.nan)
