"""Mask probes: versioned per-frame reductions of the person-segmentation mask (the back outline, …).

Pose extraction runs the probes an exercise needs on each frame's mask and stores their points in
``PoseSequence.probes[name]`` (``(T, K, 2)`` pixels, NaN when unavailable) with ``probe_versions[name]``; the pose
cache is keyed on every probe's name and version, so changing a probe (and bumping its version) re-extracts.

Registered probes:

* ``dorsal_outline`` — the back outline for standing / hinging positions (what ``PoseSequence.back_contour_px``
  returns); ``dorsal_outline_down`` (supine) and ``dorsal_outline_up`` (quadruped, prone) search the other sides.
  :func:`dorsal_probe_for` picks one by body position.
* ``scene_lines`` — the room's long straight lines around the person on frames sampled every 0.5 s (a frame probe:
  it reads the image, not only the mask); the camera-roll estimate of the standing exercises reads them.
"""

from formcheck.probes.base import MaskProbe
from formcheck.probes.dorsal import DIRECTION_BY_POSITION, DorsalOutline
from formcheck.probes.registry import (
    DEFAULT_PROBES,
    DORSAL_OUTLINE,
    PROBES,
    SCENE_LINES,
    FrameSchedule,
    dorsal_probe_for,
    get_probe,
    probe_versions,
    register_probe,
    resolve_probes,
    trace_probes,
)
from formcheck.probes.scene import SceneLines

__all__ = [
    "DEFAULT_PROBES",
    "DIRECTION_BY_POSITION",
    "DORSAL_OUTLINE",
    "PROBES",
    "SCENE_LINES",
    "DorsalOutline",
    "FrameSchedule",
    "MaskProbe",
    "SceneLines",
    "dorsal_probe_for",
    "get_probe",
    "probe_versions",
    "register_probe",
    "resolve_probes",
    "trace_probes",
]
