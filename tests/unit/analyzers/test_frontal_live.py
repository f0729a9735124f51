"""frontal: what the live stream reads of one frame (FrontalExercise.live_values) is, number for number, what the
per-set values give for that frame; and the one-value median is np.median's."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest

from formcheck.analyzers import pallof, side_bend, trunk_rotation
from formcheck.analyzers.floor_hold import nan_stat
from formcheck.analyzers.frontal import _median
from formcheck.body.clean import clean_landmarks
from formcheck.engine.registry import get_spec

EXERCISES = {m.EXERCISE.name: m.EXERCISE for m in (pallof, side_bend, trunk_rotation)}


def _bits(x: np.ndarray) -> bytes:
    return np.asarray(x, dtype=np.float64).tobytes()


@pytest.mark.parametrize("name", sorted(EXERCISES))
@pytest.mark.parametrize("facing", [1.0, -1.0])
def test_live_values_are_the_set_values_of_the_frame(name: str, facing: float) -> None:
    exd, spec = EXERCISES[name], get_spec(name)
    seq = spec.synth(n_reps=2, facing=1, fps=30.0, seed=4).seq
    px, world, _ = clean_landmarks(seq)
    rng = np.random.default_rng(5)
    px[rng.random(px.shape[:2]) < 0.05] = np.nan  # a few unseen points: unknown alike
    wanted = {*spec.live_keys, exd.depth_key}
    for i in range(0, seq.n_frames, 7):
        p, w = px[i][None], world[i][None, :, :3]
        with np.errstate(invalid="ignore", divide="ignore"):
            full = exd.values(p, w, facing, math.nan)
            live = exd.live_values(p, w, facing, False)
            depth = exd.live_values(p, w, facing, True)
        assert wanted <= set(live) and exd.depth_key in depth
        for k in live:
            assert _bits(live[k]) == _bits(full[k]), (k, i)
        assert _bits(depth[exd.depth_key]) == _bits(full[exd.depth_key])


@pytest.mark.parametrize("x", [0.0, -0.0, 3.25, -1e-300, 5e-324, 1.7e308, -7.5])
def test_a_single_value_median_is_np_median_bit_for_bit(x: float) -> None:
    a, b = _median(np.array([x, np.nan])), nan_stat(np.median, np.array([x, np.nan]))
    assert struct.pack("d", a) == struct.pack("d", b)


@pytest.mark.parametrize("x", [[], [np.nan], [1.0, 2.0, 7.0], [np.inf, 2.0, 4.0, -1.0]])
def test_other_medians_are_np_median(x: list[float]) -> None:
    a, b = _median(np.array(x)), nan_stat(np.median, np.array(x))
    assert a == b or (math.isnan(a) and math.isnan(b))
