"""Registry of mask probes by name, and running a set of them on one frame."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from formcheck.probes.base import NAME_RE, MaskProbe
from formcheck.probes.dorsal import DIRECTION_BY_POSITION, DorsalOutline
from formcheck.probes.scene import SceneLines
from formcheck.types import PoseSequence

# The probe behind PoseSequence.back_contour_px (the hinge's back-rounding estimate).
DORSAL_OUTLINE = PoseSequence.BACK_CONTOUR_PROBE
# The room's straight lines (formcheck.body.roll.scene_roll_deg): the standing exercises' camera roll.
SCENE_LINES = "scene_lines"
# What extraction runs when nobody says otherwise: the back outline and the room's lines. The same set as every
# exercise's probes together (formcheck.analyze.probes_for(None)), so a clip has one pose-cache key, not two.
DEFAULT_PROBES: tuple[str, ...] = (DORSAL_OUTLINE, SCENE_LINES)

PROBES: dict[str, MaskProbe] = {}


def register_probe(probe: MaskProbe, *, replace: bool = False) -> MaskProbe:
    """Add ``probe`` to :data:`PROBES` under ``probe.name``.

    Raises:
        ValueError: bad name, or the name is taken and ``replace`` is False.
    """
    if not NAME_RE.match(probe.name):
        raise ValueError(f"probe name must be lower_snake_case, not {probe.name!r}")
    if probe.name in PROBES and not replace:
        raise ValueError(f"a mask probe named {probe.name!r} is already registered")
    PROBES[probe.name] = probe
    return probe


def get_probe(name: str) -> MaskProbe:
    """The registered probe called ``name``.

    Raises:
        KeyError: no such probe (the message lists the known ones).
    """
    try:
        return PROBES[name]
    except KeyError:
        raise KeyError(f"unknown mask probe {name!r}; known: {sorted(PROBES)}") from None


def resolve_probes(names: Iterable[str]) -> tuple[MaskProbe, ...]:
    """Registered probes for ``names`` in order, duplicates dropped.

    Raises:
        KeyError: an unknown name.
    """
    return tuple(get_probe(n) for n in dict.fromkeys(names))


def probe_versions(names: Iterable[str]) -> dict[str, int]:
    """``{name: version}`` of the registered probes ``names`` (what a pose cache must have been made with)."""
    return {p.name: int(p.version) for p in resolve_probes(names)}


def trace_probes(
    probes: Iterable[MaskProbe],
    mask: np.ndarray | None,
    landmarks_px: np.ndarray | None,
    *,
    mask_scale: float = 1.0,
    frame: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Run each probe on one frame.

    A mask probe gives all-NaN points when there is no mask or no person; a frame probe (``needs_frame``) when no
    ``frame`` is given (not a sampled frame), else it runs with whatever mask and landmarks there are.
    """
    out = {}
    for p in probes:
        if p.needs_frame:
            traced = None if frame is None else p.trace(mask, landmarks_px, mask_scale=mask_scale, frame=frame)
            out[p.name] = p.empty() if traced is None else traced
        elif mask is None or landmarks_px is None:
            out[p.name] = p.empty()
        else:
            out[p.name] = p.trace(mask, landmarks_px, mask_scale=mask_scale)
    return out


class FrameSchedule:
    """Which frames the frame probes of a run see: the first, then one every ``every_s`` (the shortest of theirs).

    Stateful (call :meth:`due` once per frame, in order). Frame probes of one run share the schedule.
    """

    def __init__(self, probes: Iterable[MaskProbe]) -> None:
        every = [float(p.every_s) for p in probes if p.needs_frame]
        self.every_s = min(every) if every else None
        self._next_t = -np.inf

    def due(self, t_s: float) -> bool:
        """Whether the frame at ``t_s`` is a sampled frame (advances the schedule when it is)."""
        if self.every_s is None or t_s < self._next_t:
            return False
        # Half a frame's slack would drift; the next sample is a whole interval after this one.
        self._next_t = t_s + self.every_s - 1e-6
        return True


def dorsal_probe_for(position: str) -> str:
    """Name of the registered back-outline probe for a body position (``standing``, ``hinge``, ``supine``, …).

    Raises:
        KeyError: unknown position.
    """
    try:
        direction = DIRECTION_BY_POSITION[position]
    except KeyError:
        raise KeyError(f"unknown body position {position!r}; known: {sorted(DIRECTION_BY_POSITION)}") from None
    return _DORSAL_BY_DIRECTION[direction]


_DORSAL_BY_DIRECTION = {"dorsal": DORSAL_OUTLINE, "down": "dorsal_outline_down", "up": "dorsal_outline_up"}
for _direction, _name in _DORSAL_BY_DIRECTION.items():
    register_probe(DorsalOutline(name=_name, direction=_direction))
register_probe(SceneLines(name=SCENE_LINES))
