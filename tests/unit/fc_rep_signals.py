"""Rep-shaped angle signals with known phase times, for the rep-segmentation tests (``test_reps*.py``).

Each rep goes from ``base`` down by ``depth × amp`` (lowering), holds (bottom pause), comes back (rise) and rests
(top pause); the truth per rep is ``(start, bottom start, bottom end, end)`` in seconds. The lowering and the rise
follow one of two profiles, chosen by the caller on purpose:

* ``"min_jerk"``: the minimum-jerk curve, the very shape the rep detector's phase fit assumes (tests of the phase
  times' precision on the ideal movement);
* ``"cosine"``: a raised cosine, which the fit does *not* assume (tests of a rule, such as a recording cut on the
  way back up, that must not pass only because the signal is the fitter's own curve).
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics.tempo import min_jerk

FS = 30.0
TEMPO = (2.0, 1.0, 2.0, 1.0)  # lowering, bottom pause, rise, top pause (s)


def raised_cosine(u: np.ndarray) -> np.ndarray:
    """0 → 1 along a raised cosine (``u`` in 0..1, clamped)."""
    return (1.0 - np.cos(np.pi * np.clip(u, 0.0, 1.0))) / 2.0


PROFILES = {"min_jerk": min_jerk, "cosine": raised_cosine}


def rep_signal(
    depths: list[float],
    tempo: tuple[float, float, float, float] = TEMPO,
    *,
    profile: str,
    lead_in: float = 1.5,
    lead_out: float = 1.5,
    base: float = 5.0,
    amp: float = 80.0,
    end_s: float | None = None,
) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float, float, float]]]:
    """``(t, x, phases)`` sampled at :data:`FS`: one rep per relative depth, ``profile`` ``"min_jerk"``/``"cosine"``.

    ``end_s``: the recording stops at this time (its last frame within half a frame of it) instead of
    ``lead_out`` after the last rep; the truth still lists every rep as generated.
    """
    step = PROFILES[profile]
    e, b, c, _ = tempo
    dur = lead_in + len(depths) * sum(tempo) + lead_out
    t = np.arange(0.0, dur if end_s is None else end_s + 0.5 / FS, 1.0 / FS)
    x = np.full_like(t, base)
    phases = []
    t0 = lead_in
    for d in depths:
        m = (t >= t0) & (t < t0 + e)
        x[m] = base + d * amp * step((t[m] - t0) / e)
        x[(t >= t0 + e) & (t < t0 + e + b)] = base + d * amp
        m = (t >= t0 + e + b) & (t < t0 + e + b + c)
        x[m] = base + d * amp * (1.0 - step((t[m] - t0 - e - b) / c))
        phases.append((t0, t0 + e, t0 + e + b, t0 + e + b + c))
        t0 += sum(tempo)
    return t, x, phases


def cut_at(truth, rep: int, progress: float) -> int:
    """Frame where rep ``rep`` (1-based), on its way up, has progress ``progress`` (1 = bottom, 0 = standing).

    ``truth`` is a synthetic clip's truth with per-frame ``rep`` (1-based, 0 between reps) and ``u`` (movement
    progress, 0 standing, 1 at the bottom).
    """
    idx = np.flatnonzero(truth.rep == rep)
    bottom = idx[int(np.argmax(truth.u[idx]))]
    later = idx[idx > bottom]
    held = later[truth.u[later] >= 1.0 - 1e-9]  # the bottom pause
    rising = later[later > (held[-1] if held.size else bottom)]
    return int(rising[int(np.argmax(truth.u[rising] <= progress))])
