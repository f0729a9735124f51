"""engine.quality.body_frame_counts: the frame counts a set's quality is built from, against counts known by
construction."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.engine.quality import body_frame_counts, set_quality


@pytest.mark.parametrize(
    ("present", "full", "people", "want"),
    [
        # 6 frames: nobody in 1, a cut-off body in 2, two or three people in 2.
        ([0, 1, 1, 1, 1, 1], [0, 0, 1, 1, 0, 1], [0, 1, 2, 1, 3, 1], (6, 5, 3, 2)),
        ([1, 1, 1], [1, 1, 1], None, (3, 3, 3, 0)),  # people not counted (a pose import): nobody else assumed
        ([], [], [], (0, 0, 0, 0)),
    ],
)
def test_frame_counts_of_a_set(present: list[int], full: list[int], people: list[int] | None, want: tuple) -> None:
    seq = SimpleNamespace(n_frames=len(present), n_people=None if people is None else np.array(people))
    body = SimpleNamespace(present=np.array(present, dtype=bool), full_body=np.array(full, dtype=bool))
    counts = body_frame_counts(seq, body)
    assert (counts["frames_total"], counts["n_present"], counts["n_full"], counts["n_multi"]) == want
    assert all(type(v) is int for v in counts.values())
    q = set_quality(view="side", facing="left", side_used="left", **counts)  # the keywords set_quality takes
    assert q.frames_total == want[0]
