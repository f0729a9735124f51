"""Registry of mask probes by name, and running a set of them on one frame."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from formcheck.probes.base import NAME_RE, MaskProbe
from formcheck.probes.dorsal import DIRECTION_BY_POSITION, DorsalOutline
from formcheck.types import PoseSequence

# The probe behind PoseSequence.back_contour_px (the hinge's back-rounding estimate).
DORSAL_OUTLINE = PoseSequence.BACK_CONTOUR_PROBE
# What extraction runs when nobody says otherwise (what it always ran).
DEFAULT_PROBES: tuple[str, ...] = (DORSAL_OUTLINE,)

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
) -> dict[str, np.ndarray]:
    """Run each probe on one frame; all-NaN points for every probe when there is no mask or no person."""
    if mask is None or landmarks_px is None:
        return {p.name: p.empty() for p in probes}
    return {p.name: p.trace(mask, landmarks_px, mask_scale=mask_scale) for p in probes}


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
