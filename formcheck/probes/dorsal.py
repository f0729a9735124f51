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
    A probe with another direction is another probe: register it under its own ``name`` (the output differs, and
    the cache tells probes apart by name and version only).
    """

    name: str = "dorsal_outline"
    version: int = 1
    points: int = 24
    direction: str = "dorsal"

    def __post_init__(self) -> None:
        if not NAME_RE.match(self.name):
            raise ValueError(f"probe name must be lower_snake_case, not {self.name!r}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {self.direction!r}")
        if self.points < 2 or self.version < 1:
            raise ValueError("a probe needs points >= 2 and version >= 1")

    def trace(
        self,
        mask: np.ndarray | None,
        landmarks_px: np.ndarray,
        *,
        mask_scale: float = 1.0,
        facing: float | None = None,
    ) -> np.ndarray:
        """The outline of one frame; ``facing`` (+1 image-right, -1 image-left) overrides the per-frame guess."""
        return dorsal_contour_px(
            mask, landmarks_px, mask_scale=mask_scale, n_points=self.points, facing=facing, direction=self.direction
        )
