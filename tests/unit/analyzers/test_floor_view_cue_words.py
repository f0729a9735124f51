"""A floor set made oblique by its camera angle gets no "move the camera about 45° around you" (review finding D).

The lying-view check (floor_view) makes a glute bridge, bird-dog or dead bug "oblique" when the camera is raised
above the floor or turned toward the head or feet; the standing check's generic view cue then said "Film from the
side: move the camera about 45° around you", wrong for a raised camera (lowering it is the fix) and contradicting
the set's own warning ("Film from the side at hip height"). The set's warning now says it alone, batch and live.

Truth by construction: the generators' clips re-projected by a camera at a known angle (fc_camera; beyond 23° from
side-on, body.view.LYING_SIDE_MAX_DEG, the set is oblique). Control: a standing body turned 45° from side-on (the
body-position figures) still gets the generic view cue for a hip hinge.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from formcheck import cues as cue_engine
from formcheck.analyzers import bird_dog, dead_bug, glute_bridge
from formcheck.analyzers.alternating_floor_synth import AltRep, bird_dog_clip, dead_bug_clip
from formcheck.analyzers.floor_view import WARNING_MARK
from formcheck.analyzers.glute_bridge_synth import BridgeRep, bridge_clip
from formcheck.config import Config
from formcheck.engine.registry import get_spec

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "body"))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues and streaming helpers
import fc_camera  # noqa: E402 - a generator's clip seen from a raised or turned camera
from body_figures import sequence  # noqa: E402 - the posture figures of the body-position tests

CFG = Config()
GENERIC = "around you"  # the generic view cue's "move the camera about 45° around you"
CASES = {
    "bird-dog": (bird_dog.SPEC, lambda: bird_dog_clip(reps=[AltRep()] * 2, noise_px=0.0)),
    "dead bug": (dead_bug.SPEC, lambda: dead_bug_clip(reps=[AltRep()] * 2, noise_px=0.0)),
    "glute bridge": (glute_bridge.SPEC, lambda: bridge_clip(reps=[BridgeRep()] * 2, noise_px=0.0)),
}
CAMERAS = [(30.0, 0.0), (0.0, 30.0)]  # raised 30° above the floor; turned 30° toward the head or feet


def _messages(cues) -> list[str]:
    return [c.message for c in cues]


@pytest.mark.parametrize("camera", CAMERAS)
@pytest.mark.parametrize("case", list(CASES))
def test_a_floor_set_oblique_by_its_camera_angle_gets_its_own_warning_not_the_generic_view_cue(
    case: str, camera: tuple[float, float]
) -> None:
    spec, make = CASES[case]
    seq = fc_camera.seen_from(make(), pitch_deg=camera[0], yaw_deg=camera[1]).seq
    batch = fc_analysis.analyse(spec, seq, CFG)
    fin, _ = fc_analysis.stream(spec, seq, CFG)
    live = cue_engine.analysis_cues(fin, CFG)  # the finished live set's cue list, as LiveProcessor.finish builds it
    for an, cues in ((batch, batch.cues), (fin, live)):
        assert an.quality.view == "oblique"
        assert any(WARNING_MARK in w and "Film from the side at" in w for w in an.quality.warnings)
        assert "view.not_side" not in [c.code for c in cues]
        assert not any(GENERIC in m for m in _messages(cues))


@pytest.mark.parametrize("case", list(CASES))
def test_a_floor_set_filmed_side_on_gets_no_view_cue_or_warning(case: str) -> None:
    spec, make = CASES[case]
    an = fc_analysis.analyse(spec, make().seq, CFG)
    assert an.quality.view == "side"
    assert not any(WARNING_MARK in w for w in an.quality.warnings)
    assert "view.not_side" not in [c.code for c in an.cues]


def test_a_standing_oblique_hinge_still_gets_the_generic_view_cue() -> None:
    # A standing body turned 45° from side-on: the standing check reads oblique, no floor warning is given, so the
    # generic cue is what tells the user to move the camera.
    seq = sequence("standing", 90, yaw_deg=45.0)
    an = fc_analysis.analyse(get_spec("hinge"), seq, CFG)
    assert an.quality.view == "oblique"
    assert not any(WARNING_MARK in w for w in an.quality.warnings)
    not_side = [c for c in an.cues if c.code == "view.not_side"]
    assert len(not_side) == 1 and "45° around you" in not_side[0].message
