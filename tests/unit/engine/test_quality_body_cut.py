"""engine.quality with body.clean: the "body cut off" share and its ``view.body_cut`` cue, from landmark sequences
whose framing is known by construction (a body in the middle of the picture, or one whose feet leave its edge).

A frame counts as cut off only when the body is at or over the picture's edge. A frame where nobody was found is
lost (the tracking cue's business) and a joint seen poorly inside the picture (lying down, the far leg) is hidden
by the body, not by the frame.
"""

from __future__ import annotations

import io
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "body"))
from body_figures import HEIGHT, sequence  # noqa: E402 - the posture figures of the body-position tests

from formcheck.body import Body  # noqa: E402
from formcheck.cli import print_analysis  # noqa: E402
from formcheck.config import Config  # noqa: E402
from formcheck.cues import analysis_cues, quality_cues  # noqa: E402
from formcheck.engine.quality import body_frame_counts, nobody_analysis, set_quality  # noqa: E402
from formcheck.report.content import summary_facts  # noqa: E402
from formcheck.types import LM, Analysis, PoseSequence  # noqa: E402

CFG = Config()
N_FRAMES = 100
LOST = tuple(range(40, 50))  # 10 frames with nobody found
FAR_LEG = [LM.LEFT_KNEE, LM.LEFT_ANKLE, LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX]
NEAR_FOOT = [LM.RIGHT_ANKLE, LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX]
FEET = [LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]


def _quality(seq: PoseSequence):
    body = Body.from_sequence(seq, CFG)
    q = set_quality(view="side", facing="left", side_used="right", **body_frame_counts(seq, body))
    return q, [c for c in quality_cues(q, CFG) if c.code == "view.body_cut"]


def _with(seq: PoseSequence, lm: np.ndarray) -> PoseSequence:
    return PoseSequence(lm, seq.world, seq.t_s, seq.width, seq.height)


def test_a_lying_body_in_the_picture_is_not_cut_off_by_lost_frames_or_unseen_joints() -> None:
    # Supine, side-on, in the middle of the picture in every frame where it is found (toes 140 px from the edge).
    # 10 % of frames lost; the far leg unseen throughout and the near foot poorly seen in a third of the frames:
    # the HEAD rule counted 10 + 30 = 40 % "cut off".
    seq = sequence("supine", N_FRAMES, absent=LOST)
    lm = np.array(seq.landmarks)
    lm[:, FAR_LEG, 3] = 0.1
    lm[0::3, NEAR_FOOT, 3] = 0.35
    q, cut = _quality(_with(seq, lm))
    assert q.person_fraction == pytest.approx(0.9)
    assert q.full_body_fraction == 1.0
    assert cut == []


@pytest.mark.parametrize(
    ("feet_vis", "how"),
    [
        (0.2, "below the bottom edge, barely seen (how the pose model places a cropped foot)"),
        (0.9, "below the bottom edge, confidently placed"),
    ],
)
def test_feet_leaving_the_bottom_edge_in_30_percent_of_frames_read_30_percent(feet_vis: float, how: str) -> None:
    # Standing, side-on; 10 frames lost and, in 27 of the 90 frames found (30 %), the body 80 px lower so that the
    # ankles (484 px), heels and toes (496 px) are below the 480 px frame. The HEAD rule read 37 % (the lost frames
    # counted as cut off).
    seq = sequence("standing", N_FRAMES, absent=LOST, yaw_deg=0.0)
    lm = np.array(seq.landmarks)
    found = [i for i in range(N_FRAMES) if i not in LOST]
    low = found[::10] + found[1::10] + found[2::10]
    assert len(low) == 27
    lm[low, :, 1] += 80 / HEIGHT
    lm[np.ix_(low, FEET)] = np.concatenate([lm[np.ix_(low, FEET)][..., :3], np.full((27, 6, 1), feet_vis)], axis=-1)
    assert np.all(lm[np.ix_(low, FEET)][..., 1] > 1.0), how
    q, cut = _quality(_with(seq, lm))
    assert 1 - q.full_body_fraction == pytest.approx(0.3)
    assert len(cut) == 1 and "cut off in 30% of frames" in cut[0].message


def test_nobody_found_in_any_frame_is_no_framing_reading() -> None:
    # 100 frames, nobody found in any: whether the body fitted the picture can't be told. The fraction is unknown
    # (NaN), no "cut off in 100% of frames" cue; the tracking cue says what happened, and the summaries print no "nan".
    seq = sequence("standing", N_FRAMES, absent=tuple(range(N_FRAMES)), yaw_deg=0.0)
    an = nobody_analysis("squat", seq, ())
    q = an.quality
    assert q.frames_total == N_FRAMES and q.person_fraction == 0.0
    assert math.isnan(q.full_body_fraction)
    codes = [c.code for c in analysis_cues(an, CFG)]
    assert "view.body_cut" not in codes and "view.tracking" in codes
    printed = io.StringIO()
    print_analysis(an, printed, CFG)
    facts = dict(summary_facts(an, CFG))
    for text in (printed.getvalue(), facts["Tracking"]):
        assert "nan" not in text.lower() and "whole body in view: can't tell" in text
    # Read back from the saved document: still unknown (null -> NaN), still no cut-off cue.
    back = Analysis.from_json_dict(json.loads(json.dumps(an.to_json_dict())))
    assert math.isnan(back.quality.full_body_fraction)
    assert "view.body_cut" not in [c.code for c in analysis_cues(back, CFG)]
