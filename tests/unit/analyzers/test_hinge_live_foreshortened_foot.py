"""Live and file analysis give the centre of mass over the foot by one rule, the foreshortened foot included.

The file analysis gives no CoM when the foot's measured length is under ``MIN_FOOT_SEEN_FRAC`` of the foot the
stature implies (``load_path.FOOT_PER_STATURE``): an oblique view shortens the foot, and "% of foot" on it is not a
measurement. The live hinge once checked only the physical range, so the same frames showed and cued a CoM live.
Truth: the synthetic figure's foot (heel and toe) drawn at a known fraction of its length about the ankle; the
shortened foot is far under the 0.7 line, the whole one far over it.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest

import formcheck.analyzers  # noqa: F401  (registers the exercises)
from formcheck.config import Config
from formcheck.cues import live_candidates
from formcheck.engine.registry import get_spec
from formcheck.metrics.load_path import MIN_FOOT_SEEN_FRAC
from formcheck.synth import hinge_clip
from formcheck.types import LM, PoseSequence

CFG = Config()


def _foot_drawn_at(seq: PoseSequence, frac: float) -> PoseSequence:
    """``seq`` with both feet's heel and toe points pulled toward the ankle to ``frac`` of their distance."""
    lm = np.array(seq.landmarks, dtype=np.float64)
    for s in ("LEFT", "RIGHT"):
        ankle = lm[:, LM[s + "_ANKLE"], :2].copy()
        for point in ("_HEEL", "_FOOT_INDEX"):
            i = LM[s + point]
            lm[:, i, :2] = ankle + frac * (lm[:, i, :2] - ankle)
    return dataclasses.replace(seq, landmarks=lm)


@pytest.fixture(scope="module")
def clip():
    return hinge_clip(n_reps=1)


@pytest.mark.parametrize("frac", [1.0, 0.5 * MIN_FOOT_SEEN_FRAC])
def test_live_com_follows_the_files_foreshortened_foot_rule(clip, frac: float) -> None:
    seq = _foot_drawn_at(clip.seq, frac)
    spec = get_spec("hinge")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        batch = np.asarray(spec.analyzer(CFG).analyze(seq).series["com_pct_foot"], dtype=np.float64)
        st = spec.analyzer(CFG).stream()
        states = [st.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
                  for i in range(seq.n_frames)]  # fmt: skip
    live = np.array([s.values.get("com_pct_foot", math.nan) for s in states])
    load_cues = {c.code for s in states for c in live_candidates(s, CFG) if c.code.startswith("load.")}
    if frac >= MIN_FOOT_SEEN_FRAC:  # the whole foot: both measure it (live once its standing references are in)
        assert np.mean(np.isfinite(batch)) > 0.9 and np.mean(np.isfinite(live)) > 0.8
    else:  # foreshortened: the file gives no CoM, and live neither shows nor cues one
        assert not np.any(np.isfinite(batch))
        assert not np.any(np.isfinite(live)) and not load_cues
