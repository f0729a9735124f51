"""The camera view read on real clips against their hand labels (``../shared/videos/labels.json``, ``view``).

The clips are the face-on ones the width ratio alone read "oblique", the face-on side plank it read "side", and the
labelled oblique and side clips nearest to the boundaries in MediaPipe's 3D azimuth (two lunges at 14°, a good
morning at 31°, the side clip at 78°). Each is one that other integration tests already extract (hinge, squat,
lunge and floor-hold real clips), so the per-run pose cache serves it; the body is prepared as its analyzer does.
``scripts/measure_view.py`` prints the table over every labelled and rendered clip.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from formcheck.body import Body
from formcheck.config import Config
from formcheck.io.cache import cached_extract

pytestmark = [pytest.mark.integration, pytest.mark.shared]

# clip → (position its analyzer declares, the labelled view reduced to front / oblique / side)
CLIPS = {
    "squat_front_kbtrainer_8.mp4": ("standing", "front"),  # front, with a side-view inset top-right
    "squat_front_kbtrainer_10.mp4": ("standing", "front"),
    "deadlift_front_jf9ss9_1.mp4": ("standing", "front"),
    "goodmorning_front_anvox_5.mp4": ("standing", "front"),
    "sideplank_oblique_afyalite_1.mp4": ("side_lying", "oblique"),  # "front-oblique (faces camera)"
    "lunge_oblique_kbtrainer_12.mp4": ("standing", "oblique"),
    "lunge_oblique_kbtrainer_13.mp4": ("standing", "oblique"),
    "goodmorning_oblique_kbtrainer_1.mp4": ("standing", "oblique"),
    "singlelegdl_side_lifeenh_4.mp4": ("standing", "side"),
}


@pytest.fixture(scope="module")
def labels(videos_dir: Path) -> dict[str, str]:
    return {lab["file"]: lab["view"] for lab in json.loads((videos_dir / "labels.json").read_text())}


@pytest.mark.parametrize("clip", sorted(CLIPS))
def test_view_matches_the_label(videos_dir: Path, labels: dict[str, str], clip: str) -> None:
    position, expected = CLIPS[clip]
    assert labels[clip].lower().startswith(expected) or expected in labels[clip].lower()  # the table is the label's
    cfg = Config()
    standing = position == "standing"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        body = Body.from_sequence(
            cached_extract(videos_dir / clip, cfg), cfg, position=position, level=standing, sane=standing
        )
    assert body.view.view == expected, (clip, body.view)
