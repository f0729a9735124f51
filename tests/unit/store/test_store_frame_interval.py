"""A saved set keeps its frame interval (review of the one-frame tempo allowance).

The store keeps an analysis without its per-frame series, and a live set has no video frame rate, so a set read
back from the history used to lose its frame interval: its tempo cues were re-judged without the one-frame
allowance and its "focus next" named a correction its own cue list never had (a lowering of 1.93 s against a
1.95 s limit at 30 fps).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import formcheck.analyzers  # noqa: F401 - registers the exercises
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.report.content import focus_next_text
from formcheck.store import Store
from formcheck.types import Analysis, Quality, Rep, VideoInfo

CFG = Config()


def _hinge_set(t_s: np.ndarray, video: VideoInfo | None, eccentric_s: float) -> Analysis:
    rep = Rep(index=1, start_s=1.0, bottom_s=3.0, end_s=6.0, eccentric_s=eccentric_s, bottom_pause_s=1.0,
              concentric_s=2.0, top_pause_s=1.0, time_under_tension_s=5.0, rom_deg=60.0,
              metrics={"target_eccentric_s": 3.0, "target_bottom_s": 1.0, "target_concentric_s": 2.0})  # fmt: skip
    a = Analysis(exercise="hinge", reps=(rep,), cues=(), quality=Quality(view="side"),
                 series={"t_s": t_s}, video=video)  # fmt: skip
    return Analysis(**{**a.__dict__, "cues": analysis_cues(a, CFG)})


@pytest.mark.parametrize("fps", [30.0, 10.0])
@pytest.mark.parametrize("live", [True, False], ids=["live (no video)", "file"])
def test_a_saved_set_is_judged_with_its_own_frame_interval(tmp_path, fps: float, live: bool) -> None:
    t = np.arange(0.0, 8.0, 1.0 / fps)
    video = None if live else VideoInfo(path="clip.mp4", fps=fps, n_frames=t.size, width=640, height=480,
                                        duration_s=8.0)  # fmt: skip
    limit = 1.95  # the hinge's default lowering limit with a 3 s prescription (0.65 x 3 s)
    rep_short_by = 0.6 / fps  # under one frame: not a measurable miss
    a = _hinge_set(t, video, limit - rep_short_by)
    assert not [c for c in a.cues if c.code.startswith("tempo")], "the set as analysed: no tempo cue"
    store = Store(tmp_path / "h.db", config=CFG)
    set_id = store.save_set(a, source="live" if live else "file").set_id
    back = store.analysis(set_id)
    assert not dict(back.series), "the store keeps no series"
    assert back.frame_interval_s() == pytest.approx(1.0 / fps)
    assert focus_next_text(back, CFG) == focus_next_text(a, CFG)
    assert "Lower" not in focus_next_text(back, CFG)


def test_a_set_with_no_known_frame_interval_stays_unknown() -> None:
    a = _hinge_set(np.array([]), None, 1.0)
    d = a.to_json_dict(include_series=False)
    assert d["summary"]["frame_interval_s"] is None
    assert math.isnan(Analysis.from_json_dict(d).frame_interval_s())
