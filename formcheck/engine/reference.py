"""Reference posture strategies: which frames are the person's own "rest" posture that measures are relative to.

Measures like back rounding, shoulder elevation or the planted foot are relative to the person's own reference
posture, because bodies, clothing and landmark placement differ more between people than the changes we want
to see. Exercises declare one strategy (``ExerciseSpec.reference``):

* ``standing`` — the frames where the depth signal is near its *lowest* (standing tall between reps of a hinge,
  squat or lunge; sitting or kneeling tall between the reps of a seated or kneeling hinge), with the whole body in
  view when enough such frames exist.
* ``resting`` — the same rule on floor work, where the rest posture is the start position of each rep (hips down
  in a bridge, limbs in on all fours): near the low end of the moving signal's range.
* ``none`` — no reference; measures are absolute.
"""

from __future__ import annotations

import numpy as np

REST_BAND_FRAC = 0.15  # frames within this fraction of the person's range above its low end are at rest
MIN_RANGE_DEG = 10.0  # a range narrower than this is widened (a nearly still set still has a rest posture)


def rest_frames(depth: np.ndarray, seen: np.ndarray, *, band_frac: float = REST_BAND_FRAC) -> np.ndarray:
    """Frames at rest: depth within ``band_frac`` of the person's 5–95 % range above its low end.

    Args:
        depth: ``(T,)`` the exercise's depth signal (deg; larger = further into the movement), NaN unknown.
        seen: ``(T,)`` bool, the body is fully seen (preferred when at least 5 rest frames have it).

    Returns:
        ``(T,)`` bool.
    """
    ok = np.isfinite(depth)
    if ok.sum() < 3:
        return ok
    lo, hi = np.percentile(depth[ok], [5, 95])
    sel = ok & (depth <= lo + band_frac * max(hi - lo, MIN_RANGE_DEG))
    sel_seen = sel & seen
    return sel_seen if sel_seen.sum() >= 5 else sel


def reference_frames(strategy: str, depth: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """The reference frames of one strategy (``standing`` | ``resting`` | ``none``)."""
    if strategy in ("standing", "resting"):
        return rest_frames(depth, seen)
    if strategy == "none":
        return np.zeros(np.shape(depth), dtype=bool)
    raise ValueError(f"unknown reference strategy {strategy!r}")
