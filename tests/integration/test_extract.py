"""End to end: shipped model + bundled sample clip → PoseSequence (and clips derived from it in tmp dirs)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.config import Config
from formcheck.errors import NoPersonError
from formcheck.extract import CONTOUR_POINTS, extract_poses
from formcheck.io.video import open_video
from formcheck.pose import SHIPPED_MODEL_SHA256, PoseEstimator
from formcheck.types import LM

pytestmark = pytest.mark.integration

SHORT_FRAMES = 90  # 3 s of the sample: enough for tracking to settle, cheap to run several times


def write_clip(path: Path, frames: Sequence[np.ndarray], *, fps: int = 30, rotation: int = 0) -> Path:
    h, w = frames[0].shape[:2]
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=fps)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.options = {"crf": "16", "preset": "veryfast"}
        if rotation:
            s.set_display_rotation(rotation)
        for f in frames:
            for pkt in s.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(f), format="rgb24")):
                c.mux(pkt)
        for pkt in s.encode():
            c.mux(pkt)
    return path


@pytest.fixture(scope="module")
def sample_run(sample_extraction):
    # extract_poses(sample, Config(), progress=...), uncached: shared with tests/unit/test_extract_pipeline.py
    return sample_extraction


@pytest.fixture(scope="module")
def short_frames(sample_video) -> list[np.ndarray]:
    out = []
    with open_video(sample_video) as r:
        for f, _ in r:
            out.append(f.copy())
            if len(out) == SHORT_FRAMES:
                break
    return out


def test_person_found_in_almost_every_frame(sample_run):
    seq, _ = sample_run
    assert seq.n_frames == 585
    assert seq.present.mean() >= 0.95
    assert seq.model_sha256 == SHIPPED_MODEL_SHA256
    assert np.mean(seq.n_people == 1) >= 0.95  # one person; the people check must not invent a second


def test_landmarks_are_anatomically_plausible(sample_run):
    seq, _ = sample_run
    y = seq.landmarks[seq.present, :, 1]  # image y grows downwards
    hips = y[:, [LM.LEFT_HIP, LM.RIGHT_HIP]].mean(1)
    ankles = y[:, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE]].mean(1)
    shoulders = y[:, [LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]].mean(1)
    assert np.mean(ankles > hips) >= 0.95
    assert np.mean(shoulders < hips) >= 0.95  # the hinge tilts the trunk to ~63°, never below the hips
    assert np.mean(y[:, LM.NOSE] < hips) >= 0.9
    xy = seq.landmarks[seq.present, :, :2]
    assert np.all((xy > -0.1) & (xy < 1.1))
    vis = seq.landmarks[seq.present, :, 3]
    assert np.all((vis >= 0) & (vis <= 1))
    # World landmarks: metres, origin between the hips, a person-sized body.
    w = seq.world[seq.present]
    assert np.all(np.isfinite(w[:, :, :3]))
    mid_hip = w[:, [LM.LEFT_HIP, LM.RIGHT_HIP], :3].mean(1)
    assert np.median(np.linalg.norm(mid_hip, axis=1)) < 0.05
    leg = np.linalg.norm(w[:, LM.RIGHT_HIP, :3] - w[:, LM.RIGHT_ANKLE, :3], axis=1)
    assert 0.6 < np.median(leg) < 1.1


def test_timestamps_are_the_containers(sample_run):
    seq, _ = sample_run
    assert seq.t_s[0] == 0.0
    assert np.all(np.diff(seq.t_s) > 0)
    np.testing.assert_allclose(np.diff(seq.t_s), 1 / 30, atol=1e-3)
    assert seq.fps == pytest.approx(30, abs=0.1)
    assert seq.video is not None and seq.video.n_frames == 585
    assert seq.video.duration_s == pytest.approx(19.5, abs=0.05)
    assert (seq.width, seq.height) == (640, 480)


def test_back_outline_is_traced(sample_run):
    seq, _ = sample_run
    bc = seq.back_contour_px
    assert bc is not None and bc.shape == (seq.n_frames, CONTOUR_POINTS, 2)
    found = np.isfinite(bc[:, :, 0]).mean(1) >= 0.5
    assert found.mean() >= 0.8
    pts = bc[np.isfinite(bc[:, :, 0])]
    assert np.all((pts[:, 0] >= 0) & (pts[:, 0] <= 640) & (pts[:, 1] >= 0) & (pts[:, 1] <= 480))


def test_progress_is_reported_per_frame(sample_run):
    _, calls = sample_run
    assert [d for d, _ in calls] == list(range(1, 586))
    assert {t for _, t in calls} == {585}


def test_rotated_phone_video_gives_upright_landmarks(tmp_path, short_frames):
    """Frames stored sideways with a 90° display matrix must give the same landmarks as the upright clip."""
    cfg = Config().replace("pose", segmentation=False)
    upright = extract_poses(write_clip(tmp_path / "upright.mp4", short_frames), cfg)
    stored_sideways = [np.rot90(f, -1) for f in short_frames]  # display = rot90(stored, +1) = original
    rotated = extract_poses(write_clip(tmp_path / "rot.mp4", stored_sideways, rotation=90), cfg)
    assert rotated.video is not None and rotated.video.rotation_deg == 90
    assert (rotated.width, rotated.height) == (640, 480)
    both = upright.present & rotated.present
    assert both.mean() >= 0.95
    diff = np.abs(upright.landmarks[both, 11:29, :2] - rotated.landmarks[both, 11:29, :2])
    assert np.median(diff) < 0.01


def test_segmentation_off_gives_same_landmarks_without_outline(tmp_path, short_frames):
    clip = write_clip(tmp_path / "short.mp4", short_frames)
    on = extract_poses(clip, Config())
    off = extract_poses(clip, Config().replace("pose", segmentation=False))
    assert off.back_contour_px is None and on.back_contour_px is not None
    np.testing.assert_allclose(on.landmarks, off.landmarks, atol=1e-4)


def test_second_person_is_counted_but_not_mixed_in(tmp_path, short_frames):
    """Two copies of the figure side by side (800x480): n_people is 2, landmarks stay on one of them."""
    # (With the full 1280-px-wide pair MediaPipe's detector finds nobody at all; cropped to 400 px each it finds
    # both, like two people standing closer together.)
    pair = [np.concatenate([f[:, 120:520], f[:, 120:520]], axis=1) for f in short_frames[:45]]
    seq = extract_poses(write_clip(tmp_path / "two.mp4", pair), Config().replace("pose", people_check_s=0.5))
    assert seq.present.mean() >= 0.95
    assert np.mean(seq.n_people == 2) >= 0.9
    hip_x = seq.landmarks[seq.present, LM.RIGHT_HIP, 0]
    assert np.all(hip_x < 0.5) or np.all(hip_x > 0.5)  # never jumps between the two people


def test_video_without_anyone_raises_no_person_error(tmp_path):
    rng = np.random.default_rng(1)
    ramp = np.linspace(0, 255, 320, dtype=np.float64)[None, :, None]
    frames = [
        np.clip(ramp + rng.normal(0, 25, (240, 320, 3)) + 40 * np.sin(i / 5), 0, 255).astype(np.uint8)
        for i in range(40)
    ]
    clip = write_clip(tmp_path / "empty_room.mp4", frames)
    with pytest.raises(NoPersonError, match="Nobody was found in empty_room.mp4") as ei:
        extract_poses(clip, Config())
    assert ei.value.exit_code == 4


def test_estimator_timestamp_rules(short_frames):
    cfg = Config().pose
    with PoseEstimator(cfg, mode="video") as est:
        est.process(short_frames[0], 0)
        with pytest.raises(ValueError, match="increase"):
            est.process(short_frames[1], 0)
    with PoseEstimator(cfg, mode="live") as est:
        a = est.process(short_frames[0], 1000)
        b = est.process(short_frames[1], 1000)  # equal clock reading from a camera callback
        c = est.process(short_frames[2], 900)  # clock went backwards
        assert (a.t_s, b.t_s, c.t_s) == (1.0, 1.001, 1.002)
        assert a.present and a.mask is not None and a.mask.shape == (480, 640)
        assert a.mask.dtype == np.float32 and a.mask.min() >= 0 and a.mask.max() <= 1
    with pytest.raises(RuntimeError, match="closed"):
        est.process(short_frames[3], 2000)


def test_accuracy_against_rendered_ground_truth(sample_run, synthetic_dir):
    """Near-side joints vs the renderer's exact joint positions (the bundled clip's ground truth in ../shared).

    Guards the one-person tracking setup: with MediaPipe's num_poses=2 the ankle error was ~40 px median
    (detector crop on every frame) against ~11 px with tracking.
    """
    import json

    truth = json.loads((synthetic_dir / "dev_sample_hinge_side_r_2121.json").read_text())
    seq, _ = sample_run
    joints = {"HIP_R": LM.RIGHT_HIP, "KNEE_R": LM.RIGHT_KNEE, "ANK_R": LM.RIGHT_ANKLE, "SHO_R": LM.RIGHT_SHOULDER}
    gt = np.array([[f["joints2d"][k] for k in joints] for f in truth["frames"]])
    err = np.linalg.norm(seq.xy_px()[:, list(joints.values())] - gt, axis=2)
    median = dict(zip(joints, np.nanmedian(err, axis=0), strict=True))
    # The legacy MediaPipe solution measured 8-13 px on these joints (../shared/synthetic/INDEX.md).
    assert all(v < 20 for v in median.values()), median


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")
def test_pose_estimation_makes_no_outside_connection(tmp_path):
    """mediapipe 1.x uploads usage logs on task create/close; formcheck must keep it off the network."""
    script = tmp_path / "run.py"
    script.write_text(
        "import numpy as np\n"
        "from formcheck.config import PoseConfig\n"
        "from formcheck.pose import PoseEstimator\n"
        "with PoseEstimator(PoseConfig(), mode='video') as est:\n"
        "    for i in range(5):\n"
        "        est.process(np.zeros((120, 160, 3), np.uint8), i * 33)\n"
    )
    log = tmp_path / "strace.txt"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("https_proxy", "http_proxy", "all_proxy")}
    env.pop("FORMCHECK_ALLOW_MEDIAPIPE_NETWORK", None)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    cmd = ["strace", "-f", "-e", "trace=connect", "-o", str(log), sys.executable, str(script)]
    subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=120)
    connects = [ln for ln in log.read_text().splitlines() if "connect(" in ln and "AF_INET" in ln]
    outside = [ln for ln in connects if "127.0.0.1" not in ln and "::1" not in ln]
    assert outside == [], outside
