"""Do the hands look like they hold something? Both wrists low and close together (a kettlebell, a dumbbell
held in both hands, a plate).

A weight in the hands moves the centre of mass toward them, so the load-path cues ("shift your weight forward
7 cm") are wrong for someone holding one that was not entered. This check lets the analysis ask instead of
guessing. What it cannot see: a barbell or two dumbbells held at shoulder width look like empty hands hanging
(the wrists are as far apart either way), so "no question asked" is not proof of no weight. Hands that merely hang
below the hips (:func:`seem_to_hang_low`) may hold dumbbells or a bar: then only the cues such a weight would turn
wrong ("it sat back on the heels": a weight in front pulls the balance toward the toes) are held back.
"""

from __future__ import annotations

import numpy as np

from formcheck.types import LM

HANDS_TOGETHER_FRAC = 0.5  # wrists closer than this fraction of shoulder width count as "together"
HANDS_HELD_MIN_FRAC = 0.5  # ... in at least this fraction of the frames with the body seen


def _wrists_hips(world: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Left and right wrist ``(T, 3)`` and the mid-hip height ``(T,)`` (metres, y down)."""
    w = np.asarray(world, dtype=np.float64)[..., :3]
    return w[:, LM.LEFT_WRIST], w[:, LM.RIGHT_WRIST], 0.5 * (w[:, LM.LEFT_HIP, 1] + w[:, LM.RIGHT_HIP, 1])


def hands_together_low(world: np.ndarray) -> np.ndarray:
    """Per frame: both wrists below the hips and closer together than ``HANDS_TOGETHER_FRAC`` × shoulder width.

    Args:
        world: (T, 33, ≥3) world landmarks in metres, y pointing down; NaN where unseen.

    Returns:
        (T,) float array: 1.0 / 0.0, NaN where a wrist, hip or shoulder is not seen.
    """
    w = np.asarray(world, dtype=np.float64)[..., :3]
    lw, rw, hips_y = _wrists_hips(w)
    shoulder_w = np.linalg.norm(w[:, LM.LEFT_SHOULDER] - w[:, LM.RIGHT_SHOULDER], axis=1)
    apart = np.linalg.norm(lw - rw, axis=1)
    with np.errstate(invalid="ignore"):
        held = (apart < HANDS_TOGETHER_FRAC * shoulder_w) & (lw[:, 1] > hips_y) & (rw[:, 1] > hips_y)
    known = np.isfinite(apart) & np.isfinite(shoulder_w) & np.isfinite(hips_y) & (shoulder_w > 0)
    return np.where(known, held.astype(np.float64), np.nan)


def hands_low(world: np.ndarray) -> np.ndarray:
    """Per frame: both wrists below the hips, however far apart (where dumbbells or a bar hang): 1.0 / 0.0, NaN
    where a wrist or hip is not seen. ``world`` as for :func:`hands_together_low`."""
    lw3, rw3, hips_y = _wrists_hips(world)
    lw, rw = lw3[:, 1], rw3[:, 1]
    with np.errstate(invalid="ignore"):
        low = (lw > hips_y) & (rw > hips_y)
    return np.where(np.isfinite(lw) & np.isfinite(rw) & np.isfinite(hips_y), low.astype(np.float64), np.nan)


def seem_to_hang_low(world: np.ndarray) -> bool:
    """True when both hands are below the hips in at least ``HANDS_HELD_MIN_FRAC`` of the seen frames: empty or
    holding dumbbells or a bar, the camera cannot tell which."""
    per_frame = hands_low(world)
    seen = per_frame[np.isfinite(per_frame)]
    return bool(seen.size) and float(seen.mean()) >= HANDS_HELD_MIN_FRAC


class HandsTally:
    """Running counts of the frames whose hands look held / hang low, for a live set (bounded state); the same
    decision as :func:`seems_to_hold_a_weight` and :func:`seem_to_hang_low` over the frames seen so far."""

    def __init__(self) -> None:
        self.seen_together = self.together = self.seen_low = self.low = 0

    def update(self, world: np.ndarray) -> None:
        """Count one frame's ``(33, ≥3)`` world landmarks."""
        w = np.asarray(world, dtype=np.float64)[None]
        t, lo = float(hands_together_low(w)[0]), float(hands_low(w)[0])
        if np.isfinite(t):
            self.seen_together += 1
            self.together += int(t > 0)
        if np.isfinite(lo):
            self.seen_low += 1
            self.low += int(lo > 0)

    @property
    def holds_a_weight(self) -> bool:
        return self.seen_together > 0 and self.together / self.seen_together >= HANDS_HELD_MIN_FRAC

    @property
    def hang_low(self) -> bool:
        return self.seen_low > 0 and self.low / self.seen_low >= HANDS_HELD_MIN_FRAC


def seems_to_hold_a_weight(world: np.ndarray) -> bool:
    """True when the hands are low and together in at least ``HANDS_HELD_MIN_FRAC`` of the seen frames."""
    per_frame = hands_together_low(world)
    seen = per_frame[np.isfinite(per_frame)]
    return bool(seen.size) and float(seen.mean()) >= HANDS_HELD_MIN_FRAC


__all__ = [
    "HANDS_HELD_MIN_FRAC",
    "HandsTally",
    "HANDS_TOGETHER_FRAC",
    "hands_low",
    "hands_together_low",
    "seem_to_hang_low",
    "seems_to_hold_a_weight",
]
