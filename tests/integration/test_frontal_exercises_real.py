"""The side bend, trunk rotation and Pallof press on the real development clips (../shared/videos).

No development clip shows a side bend, a trunk rotation or an anti-rotation press (INVENTORY.md, labels.json), so
these check what the analyzers say on the nearest clips: the side-view forward bend is refused with the reason,
and a front-view squat (both legs bending, the trunk tipping toward the camera) gives no side bend or rotation
reps. Poses come from formcheck's cached path (``load_or_extract``), each clip once per run; skipped without
../shared.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import pytest

from formcheck.analyze import load_or_extract
from formcheck.analyzers import get_analyzer
from formcheck.config import Config
from formcheck.types import PoseSequence

pytestmark = [pytest.mark.integration, pytest.mark.shared]
CFG = Config()
EXERCISES = ("side_bend", "trunk_rotation", "pallof_press")


@functools.cache
def _seq(path: Path) -> PoseSequence:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return load_or_extract(path, CFG)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_side_view_forward_bend_is_refused(videos_dir: Path, exercise: str) -> None:
    an = get_analyzer(exercise, CFG).analyze(_seq(videos_dir / "forwardbend_side_suraj_2.mp4"))
    assert an.reps == () and an.quality.view == "side"
    assert any(w.startswith("Filmed from the side") for w in an.quality.warnings)


@pytest.mark.parametrize("exercise", ["side_bend", "trunk_rotation"])
def test_front_view_squat_is_not_a_side_bend_or_rotation(videos_dir: Path, exercise: str) -> None:
    an = get_analyzer(exercise, CFG).analyze(_seq(videos_dir / "squat_front_tfjs_1.mp4"))
    assert an.reps == ()
