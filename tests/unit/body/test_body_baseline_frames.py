"""Standing baselines come from frames with the body clearly seen, the cut-off share from the picture's edge alone
(review finding B on b45b6e8).

The edge rule (body.clean.whole_body_in_view) no longer asks the near side to be seen clearly, so that a lying body
with its feet seen poorly inside the picture is not "cut off". The squat's and hinge's standing reference frames
(batch and live) still need the near side clearly seen (body.clean.clearly_in_view, the rule before b45b6e8): a
joint seen dimly is a guess, and a guessed knee or ankle would shift the baseline every rep is measured from.

Known framing: a standing, side-on body in the middle of the picture; in some frames the near leg (and the far one)
seen at visibility 0.35 or 0.45 (dim, well inside the picture).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from body_figures import sequence

from formcheck.body import Body
from formcheck.body.clean import clearly_in_view, whole_body_in_view
from formcheck.config import Config
from formcheck.types import LM, PoseSequence

CFG = Config()
LEGS = [LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL,
        LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]  # fmt: skip
DIM = list(range(0, 30, 3))  # 10 of 30 frames


def _standing(vis_legs: float) -> PoseSequence:
    seq = sequence("standing", 30, yaw_deg=0.0)
    lm = np.array(seq.landmarks)
    lm[..., :2] = 0.5 + 0.6 * (lm[..., :2] - 0.5)  # the camera further back: the feet far from the picture's edge
    lm[np.ix_(DIM, LEGS, [3])] = vis_legs
    return PoseSequence(lm, seq.world, seq.t_s, seq.width, seq.height)


@pytest.mark.parametrize(("vis_legs", "clear_in_dim_frames"), [(0.35, False), (0.45, False), (0.55, True)])
def test_dim_legs_inside_the_picture_are_in_view_but_no_baseline_frame(vis_legs: float, clear_in_dim_frames: bool):
    seq = _standing(vis_legs)
    full = whole_body_in_view(seq.landmarks, aspect=seq.width / seq.height)
    clear = clearly_in_view(seq.landmarks)
    assert full.all()  # not cut off: every joint well inside the picture
    assert clear[DIM].tolist() == [clear_in_dim_frames] * len(DIM)
    assert clear[[i for i in range(30) if i not in DIM]].all()
    body = Body.from_sequence(seq, CFG)
    assert body.full_body.all()
    assert body.baseline_ok.tolist() == clear.tolist()


def test_nobody_found_is_no_baseline_frame() -> None:
    seq = sequence("standing", 10, absent=(3, 4), yaw_deg=0.0)
    assert clearly_in_view(seq.landmarks).tolist() == [i not in (3, 4) for i in range(10)]


@pytest.mark.parametrize("exercise", ["squat", "hinge"])
def test_live_standing_frames_offered_for_the_baseline_are_the_clearly_seen_ones(exercise: str) -> None:
    # Live, each frame tells the model whether it may feed the standing baseline (LiveFrame.baseline_ok): the same
    # frames as batch's Body.baseline_ok, while every frame counts as in view.
    from formcheck.engine.registry import get_spec

    seq = _standing(0.35)
    st = get_spec(exercise).analyzer(CFG).stream()
    seen: list[tuple[bool, bool]] = []
    live_values = st.model.live_values

    def spy(fr, refs):
        seen.append((fr.full_body, fr.baseline_ok))
        return live_values(fr, refs)

    st.model.live_values = spy
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for i in range(seq.n_frames):
            st.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
    assert len(seen) == seq.n_frames
    assert [f for f, _ in seen] == [True] * seq.n_frames
    assert [b for _, b in seen] == [i not in DIM for i in range(seq.n_frames)]
