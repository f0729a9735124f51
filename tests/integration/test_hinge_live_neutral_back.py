"""No live safety cue on the real hinge clips labelled "neutral back" (issue 10's done-when, on the live path too).

Truth: the hand labels (``../shared/videos/labels.json`` form notes "neutral back"). The clips are streamed frame by
frame through the live hinge with the people count the extraction saw, as the live app feeds it. A review found the
live hinge saying "Keep your back long — it is rounding about 28°" on 45 frames of the split-screen RDL, whose file
analysis does not read the back (a second person in the mask): live now applies batch's second-person rule.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from formcheck.analyzers import get_analyzer
from formcheck.config import Config
from formcheck.cues import CueEvent, CueSelector, live_candidates, live_rep_cues

pytestmark = [pytest.mark.integration, pytest.mark.shared]

VIDEOS = Path(__file__).resolve().parents[2].parent / "shared" / "videos"


def _neutral_back_clips() -> list[str]:
    labels = VIDEOS / "labels.json"
    if not labels.exists():
        return []
    return [x["file"] for x in json.loads(labels.read_text()) if x.get("family") == "hinge"
            and "neutral back" in x.get("form_notes", "").lower()]  # fmt: skip


@pytest.mark.parametrize("name", _neutral_back_clips())
def test_no_live_safety_cue_on_a_neutral_back(name: str, synthetic_dir) -> None:
    from formcheck.io.cache import cached_extract

    cfg = Config()
    seq = cached_extract(VIDEOS / name, cfg)
    stream = get_analyzer("hinge", cfg).stream()
    selector = CueSelector(cfg)  # what the live view shows: a live fault must persist (cues.live_confirm_s)
    said = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for i in range(seq.n_frames):
            c = None if seq.back_contour_px is None else seq.back_contour_px[i]
            people = int(seq.n_people[i]) if seq.n_people is not None else 1
            st = stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, c, people)
            cands = live_candidates(st, cfg, active_code=selector.active_code)
            rc = live_rep_cues(st, cfg)
            events = {CueEvent("rep", st.new_rep.index): rc} if st.new_rep is not None else None
            shown = selector.update(st.t_s, cands, events)
            said += [q for q in [shown, *rc] if q is not None and q.severity == "safety"]
    assert not said, [(q.code, q.message) for q in said[:3]]


def test_the_labels_name_the_neutral_back_clips(synthetic_dir) -> None:
    if not VIDEOS.is_dir():
        pytest.skip("shared videos not present")
    assert len(_neutral_back_clips()) >= 3
