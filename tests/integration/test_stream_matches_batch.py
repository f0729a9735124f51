"""The streaming hinge analyzer fed the sample clip frame by frame agrees with the batch analysis of the same
poses: rep count, view (the live set summary must not call a side-on set "oblique"), class and tempo."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analyzers import get_analyzer
from formcheck.config import Config
from formcheck.io.cache import cached_extract

pytestmark = pytest.mark.integration


def test_stream_finish_agrees_with_batch_on_the_sample(sample_video):
    cfg = Config()
    seq = cached_extract(sample_video, cfg)
    batch = get_analyzer("hinge", cfg).analyze(seq)
    stream = get_analyzer("hinge", cfg).stream()
    contour = seq.back_contour_px
    for i in range(seq.n_frames):
        stream.update(
            float(seq.t_s[i]),
            np.asarray(seq.landmarks[i]),
            np.asarray(seq.world[i]),
            seq.width,
            seq.height,
            back_contour_px=None if contour is None else np.asarray(contour[i]),
            n_people=int(seq.n_people[i]) if seq.n_people is not None else 1,
        )
    live = stream.finish()
    assert batch.quality.view == "side"
    assert live.quality.view == batch.quality.view
    assert live.quality.facing == batch.quality.facing
    assert len(live.reps) == len(batch.reps) == 3
    assert [r.classification for r in live.reps] == [r.classification for r in batch.reps]
    for a, b in zip(live.reps, batch.reps, strict=True):
        assert a.eccentric_s == pytest.approx(b.eccentric_s, abs=0.2)
        assert a.concentric_s == pytest.approx(b.concentric_s, abs=0.2)
