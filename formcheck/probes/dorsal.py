"""``dorsal_outline``: the back outline between hip and shoulder level (see :mod:`formcheck.metrics.outline`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.metrics.outline import DIRECTIONS, dorsal_contour_px
from formcheck.probes.base import NAME_RE, MaskProbe

# Which side of the hip→shoulder line the back is on, by body position (what an exercise declares):
# standing and hinging people face somewhere, the back is away from it; supine the back is toward the floor;
# on all fours (cat-camel) or prone it is toward the ceiling.
DIRECTION_BY_POSITION: dict[str, str] = {
    "standing": "dorsal",
    "hinge": "dorsal",
    "supine": "down",
    "quadruped": "up",
    "prone": "up",
}


@dataclass(frozen=True)
class DorsalOutline(MaskProbe):
    """Back (dorsal) outline of the trunk, ``points`` points ordered hip → shoulder, full-frame pixels.

    Rays are cast perpendicular to the hip→shoulder line from ``points`` evenly spaced points on it and stop where
    the mask drops below 0.5 (:func:`formcheck.metrics.outline.dorsal_contour_px`). The side they search is
    ``direction``, chosen by body position (:data:`DIRECTION_BY_POSITION`):

    * ``"dorsal"`` (default; standing, hinging): away from where the person faces (from the feet, else the nose).
      This is the outline formcheck has always traced, version 1.
    * ``"down"`` (supine: bridge, dead bug): toward the floor (image +y); facing is not needed (toes point up).
    * ``"up"`` (quadruped: cat-camel; prone): toward the ceiling (image -y).

    ``"down"``/``"up"`` give NaN while the trunk is within 60° of vertical (no "below" to speak of).

    ``below`` / ``above`` extra rays (same spacing, same side) continue the trace past hip level down the buttocks
    and thigh and past shoulder level, after the ``points - below - above`` rays of the hip → shoulder band, which
    are exactly the band's outline without extras (each ray is traced on its own). The rows are: the band (hip →
    shoulder), then the rays below hip level going down, then the rays above shoulder level going up
    (:meth:`band_points`, :meth:`levels`). The registered probes trace none (their output and version are today's):
    a body-anchored back reading over the longer trace was measured and not adopted (``scripts/lobo_back_anchor.py``,
    docs/metrics.md §8.5.1), and 16 more rays cost about 0.2 ms a frame for nothing read.

    A probe with another direction is another probe: register it under its own ``name`` (the output differs, and
    the cache tells probes apart by name and version only).
    """

    name: str = "dorsal_outline"
    version: int = 1
    points: int = 24
    direction: str = "dorsal"
    below: int = 0
    above: int = 0

    def __post_init__(self) -> None:
        if not NAME_RE.match(self.name):
            raise ValueError(f"probe name must be lower_snake_case, not {self.name!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")
        if self.points < 2 or self.version < 1:
            raise ValueError("a probe needs points >= 2 and version >= 1")
        if self.below < 0 or self.above < 0 or self.band_points < 2:
            raise ValueError("extra rays below/above must be >= 0 and leave >= 2 points for the hip → shoulder band")

    @property
    def band_points(self) -> int:
        """Rays between hip and shoulder level (the first rows of every trace)."""
        return self.points - self.below - self.above

    def levels(self) -> np.ndarray:
        """``(points,)`` where each ray starts along the hip → shoulder line (0 hip level, 1 shoulder level)."""
        band = np.linspace(0.0, 1.0, self.band_points)
        step = 1.0 / (self.band_points - 1)
        down = -step * np.arange(1, self.below + 1)
        up = 1.0 + step * np.arange(1, self.above + 1)
        return np.concatenate([band, down, up])

    def trace(
        self,
        mask: np.ndarray | None,
        landmarks_px: np.ndarray,
        *,
        mask_scale: float = 1.0,
        facing: float | None = None,
    ) -> np.ndarray:
        """The outline of one frame; ``facing`` (+1 image-right, -1 image-left) overrides the per-frame guess."""
        levels = None if self.below == self.above == 0 else self.levels()
        return dorsal_contour_px(
            mask,
            landmarks_px,
            mask_scale=mask_scale,
            n_points=self.points,
            facing=facing,
            direction=self.direction,
            levels=levels,
        )
