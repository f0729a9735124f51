"""A bird-dog rep whose moving foot was out of the picture gets no leg number and no praise (a plain "can't tell").

User-eyes check: birddog_side_gymnai_2 (feet cropped, whole body in 28 % of frames) read "leg +7° of horizontal"
from a foot MediaPipe placed outside the frame with visibility 0.99, and praised it. Known truth: the bird-dog
generator's clean reps (leg at hip height), then the same clip with the feet pushed out of the picture.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest

from formcheck.analyze import analyze_sequence
from formcheck.analyzers.alternating_floor import MIN_SEEN_FRAC, seen_stat
from formcheck.config import Config
from formcheck.cues import usable_rep_cues
from formcheck.engine.registry import get_spec
from formcheck.types import LM, Analysis, PoseSequence

CFG = Config()
FOOT = [int(LM[f"{s}_{n}"]) for s in ("LEFT", "RIGHT") for n in ("ANKLE", "HEEL", "FOOT_INDEX")]


def _analyse(seq: PoseSequence) -> Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return analyze_sequence(seq, "bird_dog", CFG)


@pytest.fixture(scope="module")
def clip() -> PoseSequence:
    return get_spec("bird_dog").synth(n_reps=2, facing=1, fps=30.0, seed=0).seq


def _cropped(seq: PoseSequence, until_s: float) -> PoseSequence:
    """The feet outside the left edge of the picture (as a cropped foot MediaPipe still places) until ``until_s``."""
    lm = seq.landmarks.copy()
    sel = np.asarray(seq.t_s) <= until_s
    lm[np.ix_(sel, FOOT, [0])] = -0.1
    return dataclasses.replace(seq, landmarks=lm)


def test_clean_reps_are_read_and_praised(clip: PoseSequence) -> None:
    an = _analyse(clip)
    assert len(an.reps) == 2
    assert all(abs(float(r.metrics["leg_reach_deg"])) < 10 for r in an.reps)  # the truth: at hip height
    assert sorted(c.rep_index for c in an.cues if c.code == "praise.clean") == [1, 2]


def test_a_rep_with_the_foot_out_of_the_picture_has_no_leg_and_no_praise(clip: PoseSequence) -> None:
    clean = _analyse(clip)
    an = _analyse(_cropped(clip, until_s=clean.reps[0].end_s))
    first, second = an.reps
    assert math.isnan(float(first.metrics["leg_reach_deg"]))
    assert math.isfinite(float(second.metrics["leg_reach_deg"]))
    praised = [c.rep_index for c in an.cues if c.code == "praise.clean"]
    assert 1 not in praised and 2 in praised
    assert not any(c.rep_index == 1 and "leg" in c.message.lower() for c in an.cues)
    assert any("can't be told" in w and "rep 1" in w for w in an.quality.warnings)


def test_praise_needs_every_judged_value(clip: PoseSequence) -> None:
    # Any rule-checked value unmeasured (NaN) means the rep was not checked: no "clean" praise, whatever the
    # praise text would cite (here the trunk tilt is unknown, the leg is known).
    an = _analyse(clip)
    rep = an.reps[0]
    assert any(c.code == "praise.clean" for c in usable_rep_cues(rep, an.quality, CFG, "bird_dog"))
    blind = dataclasses.replace(rep, metrics={**rep.metrics, "trunk_tilt_change_deg": math.nan})
    assert not any(c.code == "praise.clean" for c in usable_rep_cues(blind, an.quality, CFG, "bird_dog"))


@pytest.mark.parametrize(("n_seen", "finite"), [(0, False), (4, False), (5, True), (10, True)])
def test_seen_stat_needs_half_the_frames(n_seen: int, finite: bool) -> None:
    x = np.arange(10.0)
    seen = np.arange(10) < n_seen
    got = seen_stat(x, seen, np.arange(10))
    assert math.isfinite(got) == finite and MIN_SEEN_FRAC == 0.5
    if finite:
        assert got == pytest.approx(np.median(x[:n_seen]))


@pytest.mark.parametrize(("unseen", "words"), [([2], "in rep 2 ("), ([1, 3], "in reps 1, 3 (")])
def test_unseen_note_names_its_reps_in_plain_english(unseen: list[int], words: str) -> None:
    from types import SimpleNamespace

    from formcheck.analyzers.alternating_floor import unseen_notes

    found = [(SimpleNamespace(index=k, metrics={"leg_reach_deg": math.nan if k in unseen else 5.0}), None)
             for k in (1, 2, 3)]  # fmt: skip
    (note,) = unseen_notes(found, {"ankle_seen": {}})
    assert words in note
