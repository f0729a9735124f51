"""The ``scene_lines`` probe: the room's straight lines, on drawn pictures and on turned frames of rendered clips.

Truth: a drawn picture's lines are where they were drawn; the renderer's camera is level, so a rendered frame turned
by ``d`` degrees (and cropped so no black corner shows) has its room turned by exactly ``d``
(:func:`formcheck.body.roll.scene_roll_deg` must read it within 0.5°, the issue's 3 CoM points at ~6 points per
degree). The person is masked with the renderer's own joint positions (no pose model).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.body.roll import scene_roll_deg
from formcheck.probes import SCENE_LINES, FrameSchedule, get_probe, trace_probes
from formcheck.probes.scene import N_HORIZONTAL, N_VERTICAL, scene_segments_px, split_scene_lines

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
W, H = 640, 480


def _room(roll_deg: float, person: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """A grey room (rail, wall/floor edge, door frame) turned by ``roll_deg`` (clockwise on screen) about the
    centre, with a 'person' whose own long edges are near-horizontal (an arm held out); returns frame and mask."""
    img = np.full((H, W, 3), 170, np.uint8)
    img[300:, :] = 120  # floor below the wall/floor edge
    img[180:190, :] = 230  # wall rail
    img[60:300, 40:46] = 90  # door frame (vertical)
    mask = np.zeros((H, W), np.uint8)
    if person:
        cv2.rectangle(img, (300, 120), (340, 440), (40, 40, 40), -1)  # body
        cv2.rectangle(img, (340, 200), (470, 215), (40, 40, 40), -1)  # arm held out, level
        cv2.rectangle(mask, (300, 120), (340, 440), 255, -1)
        cv2.rectangle(mask, (340, 200), (470, 215), 255, -1)
    m = cv2.getRotationMatrix2D((W / 2, H / 2), -roll_deg, 1.0)  # OpenCV's positive angle turns counter-clockwise
    img = cv2.warpAffine(img, m, (W, H), borderMode=cv2.BORDER_REPLICATE)
    mask = cv2.warpAffine(mask, m, (W, H), flags=cv2.INTER_NEAREST)
    return img, mask


def _tilts(segs: np.ndarray) -> np.ndarray:
    d = segs[:, 1] - segs[:, 0]
    ok = np.all(np.isfinite(d), axis=1)
    return np.degrees(np.arctan2(d[ok, 1], d[ok, 0]))


@pytest.mark.parametrize("roll", [-5.0, -3.0, 0.0, 3.0, 5.0])
def test_drawn_room_lines_are_found_turned_by_the_roll(roll):
    img, mask = _room(roll)
    hor, ver = scene_segments_px(img, mask)
    assert hor.shape == (N_HORIZONTAL, 2, 2) and ver.shape == (N_VERTICAL, 2, 2)
    t = _tilts(hor)
    assert t.size >= 3  # both rail edges and the wall/floor edge
    np.testing.assert_allclose(t, roll, atol=0.3)
    assert np.all(hor[np.isfinite(hor[:, 0, 0]), 0, 0] < hor[np.isfinite(hor[:, 0, 0]), 1, 0])  # left end first
    # the door frame is the vertical; stored top end first
    v = ver[np.isfinite(ver[:, 0, 0])]
    assert v.shape[0] >= 1 and np.all(v[:, 0, 1] < v[:, 1, 1])


def test_the_person_is_masked_out():
    img, mask = _room(0.0)
    # The arm's edges are 130 px long and level, on a level camera as good as the room's; with the person masked
    # none of the kept segments lies on them.
    hor, _ = scene_segments_px(img, mask)
    mid_y = (hor[:, 0, 1] + hor[:, 1, 1]) / 2
    mid_x = (hor[:, 0, 0] + hor[:, 1, 0]) / 2
    ok = np.isfinite(mid_y)
    assert not np.any((np.abs(mid_y[ok] - 207) < 12) & (mid_x[ok] > 340) & (mid_x[ok] < 470))
    unmasked, _ = scene_segments_px(img, None, n_horizontal=20)
    my = (unmasked[:, 0, 1] + unmasked[:, 1, 1]) / 2
    assert np.any(np.abs(my[np.isfinite(my)] - 207) < 12)  # without a mask the arm's edges were taken


def test_landmark_box_stands_in_for_a_missing_mask():
    img, _ = _room(0.0)
    lm = np.full((33, 2), np.nan)
    lm[:4] = [[300, 120], [340, 440], [470, 200], [320, 300]]
    hor, _ = scene_segments_px(img, None, lm)
    mid_x = (hor[:, 0, 0] + hor[:, 1, 0]) / 2
    mid_y = (hor[:, 0, 1] + hor[:, 1, 1]) / 2
    ok = np.isfinite(mid_x)
    assert not np.any((np.abs(mid_y[ok] - 207) < 12) & (mid_x[ok] > 340) & (mid_x[ok] < 470))
    assert ok.sum() >= 3


def test_a_blank_frame_has_no_lines():
    hor, ver = scene_segments_px(np.full((H, W, 3), 128, np.uint8))
    assert np.isnan(hor).all() and np.isnan(ver).all()


def test_probe_runs_on_frames_only_and_splits_back():
    probe = get_probe(SCENE_LINES)
    assert probe.needs_frame and probe.points == 2 * (N_HORIZONTAL + N_VERTICAL)
    img, mask = _room(4.0)
    lm = np.full((33, 2), np.nan)
    out = trace_probes((probe,), mask, lm, frame=img)[SCENE_LINES]
    hor, ver = split_scene_lines(out)
    np.testing.assert_array_equal(hor, scene_segments_px(img, mask, lm)[0])
    # not a sampled frame: NaN, whatever mask there is; no person or mask on a sampled frame: still traced
    assert np.isnan(trace_probes((probe,), mask, lm)[SCENE_LINES]).all()
    assert np.isfinite(trace_probes((probe,), None, None, frame=img)[SCENE_LINES]).any()


def test_frame_schedule_samples_every_half_second():
    sched = FrameSchedule((get_probe(SCENE_LINES), get_probe("dorsal_outline")))
    t = np.arange(90) / 30.0
    due = [i for i, ti in enumerate(t) if sched.due(float(ti))]
    assert due == [0, 15, 30, 45, 60, 75]
    assert not FrameSchedule((get_probe("dorsal_outline"),)).due(0.0)  # no frame probe: no frame kept


# -- turned frames of the rendered clips -------------------------------------------------------------------------
CLIPS = (
    "synthetic/dev_good_side_l_2-05-1-05",
    "synthetic/dev_squat_side_r_2-1-1-0",
    "synthetic_bodies/dev_michelle_good_side_r_18-05-14-04",
    "synthetic_bodies/dev_michelle_good_obl30front_l_15-05-13-04",
    "synthetic_bodies/dev_xbot_progressive_side_r_6-34",
)
EVERY = 15  # frames: 0.5 s at the clips' 30 fps


def _turned_frames(clip: str, roll_deg: float) -> np.ndarray:
    """Every EVERY-th frame turned by ``roll_deg`` and cropped (no black corners), through the probe; the person
    masked by the renderer's own joints' box."""
    frames_js = json.loads((SHARED / f"{clip}.json").read_text())["frames"]
    cap = cv2.VideoCapture(str(SHARED / f"{clip}.mp4"))
    out, i = [], 0
    probe = get_probe(SCENE_LINES)
    try:
        while True:
            ok, fr = cap.read()
            if not ok:
                break
            if i % EVERY == 0 and i < len(frames_js):
                j = frames_js[i]["joints2d"]
                j = json.loads(j) if isinstance(j, str) else j
                pts = np.array(list(j.values()), dtype=np.float64)
                h, w = fr.shape[:2]
                m = cv2.getRotationMatrix2D((w / 2, h / 2), -roll_deg, 1.0)
                turned = cv2.warpAffine(fr, m, (w, h))
                pts = pts @ m[:, :2].T + m[:, 2]
                s = math.sin(math.radians(abs(roll_deg)))
                mx, my = math.ceil(h * s) + 2, math.ceil(w * s) + 2
                crop = turned[my : h - my, mx : w - mx]
                out.append(probe.trace(None, pts - [mx, my], frame=crop))
            i += 1
    finally:
        cap.release()
    return np.stack(out)


@pytest.mark.shared
@pytest.mark.parametrize("roll", [-5.0, -3.0, 3.0, 5.0])
@pytest.mark.parametrize("clip", CLIPS, ids=lambda c: c.split("/")[1])
def test_turned_rendered_frames_read_the_applied_roll(clip, roll, synthetic_dir):
    if not (SHARED / f"{clip}.mp4").is_file():
        pytest.skip(f"{clip} not in ../shared")
    lines = _turned_frames(clip, roll)
    est = scene_roll_deg(lines, W)
    assert est.reason == "", est
    assert est.roll_deg == pytest.approx(roll, abs=0.5), est
    assert est.n_frames >= 5


def test_an_opencv_without_the_line_detector_reads_no_lines(monkeypatch):
    # The detector was left out of OpenCV 3.4.6-4.5.0: then the room can't tell (NaN), the extraction goes on.
    import formcheck.probes.scene as scene

    def missing() -> None:
        raise AttributeError("module 'cv2' has no attribute 'createLineSegmentDetector'")

    scene._has_line_detector.cache_clear()
    monkeypatch.setattr(scene.cv2, "createLineSegmentDetector", missing)
    try:
        img, mask = _room(3.0)
        hor, ver = scene_segments_px(img, mask)
        assert np.isnan(hor).all() and np.isnan(ver).all()
    finally:
        scene._has_line_detector.cache_clear()
