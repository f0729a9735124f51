"""extract_poses runs the requested mask probes on every frame's mask (pose model and decoder faked)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np
import pytest

import formcheck.extract
from formcheck.config import Config
from formcheck.extract import CONTOUR_POINTS, extract_poses
from formcheck.probes import PROBES, DorsalOutline, MaskProbe, get_probe
from formcheck.synth import hinge_clip, render_mask
from formcheck.types import PoseFrame, VideoInfo

SCALE = 0.5


@pytest.fixture(scope="module")
def clip():
    # Short clip with dropped frames (nobody found): those must store NaN for every probe.
    return hinge_clip(n_reps=1, tempo=(1.0, 0.2, 1.0, 0.2), fps=10.0, dropout_frac=0.15, contour=True, seed=3)


@pytest.fixture
def fake_pipeline(monkeypatch, clip):
    """Frames are frame indices; the 'model' returns the synthetic clip's landmarks and rendered silhouette."""
    seq = clip.seq
    info = VideoInfo("clip.mp4", seq.width, seq.height, 10.0, seq.n_frames, seq.n_frames / 10.0)

    class Reader:
        def __init__(self, path):
            self.info = info

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def __iter__(self):
            return iter((np.array(i), float(t)) for i, t in enumerate(seq.t_s))

    class Estimator:
        model_sha256 = "ef" * 32

        def __init__(self, cfg, mode):
            self.segmentation = cfg.segmentation

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def process(self, frame, t_ms, *, mask_scale=1.0):
            i = int(frame)
            lm = seq.landmarks[i]
            present = not np.isnan(lm[0, 0])
            mask = render_mask(clip, i, mask_scale=mask_scale) if (present and self.segmentation) else None
            return PoseFrame(t_ms / 1000.0, lm, seq.world[i], int(present), mask)

    monkeypatch.setattr(formcheck.extract, "open_video", Reader)
    monkeypatch.setattr(formcheck.extract, "PoseEstimator", Estimator)
    return seq


def test_default_runs_the_dorsal_outline_as_before(fake_pipeline):
    truth = fake_pipeline
    seq = extract_poses("clip.mp4", Config())
    assert list(seq.probes) == ["dorsal_outline", "scene_lines"]
    assert dict(seq.probe_versions) == {"dorsal_outline": 1, "scene_lines": 1}
    assert np.isnan(seq.probes["scene_lines"]).all()  # the fake frames are frame numbers, not pictures
    assert seq.back_contour_px.shape == (truth.n_frames, CONTOUR_POINTS, 2)
    # Same outline as the synthetic clip's (traced by dorsal_contour_px on the same masks), NaN where nobody is.
    np.testing.assert_array_equal(seq.back_contour_px, truth.back_contour_px)
    absent = ~truth.present
    assert absent.sum() >= 2 and np.isnan(seq.back_contour_px[absent]).all()
    assert np.isfinite(seq.back_contour_px[~absent]).all(axis=2).mean() > 0.8


def test_requested_probes_run_with_their_versions(fake_pipeline, monkeypatch):
    truth = fake_pipeline
    monkeypatch.setitem(
        PROBES, "coarse_floor", DorsalOutline(name="coarse_floor", version=3, points=6, direction="down")
    )
    seq = extract_poses("clip.mp4", Config(), probes=("coarse_floor", "dorsal_outline_up", "coarse_floor"))
    assert list(seq.probes) == ["coarse_floor", "dorsal_outline_up"]
    assert dict(seq.probe_versions) == {"coarse_floor": 3, "dorsal_outline_up": 1}
    assert seq.probes["coarse_floor"].shape == (truth.n_frames, 6, 2)
    assert seq.back_contour_px is None  # not asked for
    assert np.isnan(seq.probes["dorsal_outline_up"][~truth.present]).all()


def test_probe_points_match_the_probe_on_each_frame(fake_pipeline, clip):
    truth = fake_pipeline
    seq = extract_poses("clip.mp4", Config(), probes=("dorsal_outline", "dorsal_outline_down"))
    probe = get_probe("dorsal_outline_down")
    for i in np.flatnonzero(truth.present)[::5]:
        mask = render_mask(clip, int(i), mask_scale=SCALE)
        np.testing.assert_array_equal(seq.probes[probe.name][i], probe.trace(mask, truth.xy_px()[i], mask_scale=SCALE))


def test_no_mask_no_probes(fake_pipeline):
    seq = extract_poses("clip.mp4", Config().replace("pose", segmentation=False), probes=("dorsal_outline_up",))
    assert dict(seq.probes) == {} and dict(seq.probe_versions) == {} and seq.back_contour_px is None


def test_unknown_probe_fails_before_decoding(monkeypatch):
    def boom(path):
        raise AssertionError("decoded before checking the probe names")

    monkeypatch.setattr(formcheck.extract, "open_video", boom)
    with pytest.raises(KeyError, match="no_such_probe"):
        extract_poses("clip.mp4", Config(), probes=("no_such_probe",))


@dataclasses.dataclass(frozen=True)
class _FrameIndexProbe(MaskProbe):
    """A frame probe that stores the frame it was given (the fake frames are frame indices) and whether it had a
    mask: what extraction hands a frame probe, and when."""

    needs_frame: ClassVar[bool] = True
    every_s: ClassVar[float] = 0.3
    name: str = "frame_index"
    version: int = 1
    points: int = 2

    def trace(self, mask, landmarks_px, *, mask_scale=1.0, frame=None):
        return np.array([[float(frame), float(mask is not None)]] * 2)


@pytest.mark.parametrize("pipelined", [True, False])
def test_frame_probe_sees_sampled_frames_only(fake_pipeline, monkeypatch, pipelined):
    truth = fake_pipeline
    monkeypatch.setitem(PROBES, "frame_index", _FrameIndexProbe())
    seq = extract_poses("clip.mp4", Config(), probes=("dorsal_outline", "frame_index"), pipelined=pipelined)
    pts = seq.probes["frame_index"]
    # 10 fps, one frame every 0.3 s: frames 0, 3, 6, … get their own frame (with or without a person), the rest NaN
    sampled = np.flatnonzero(np.isfinite(pts[:, 0, 0]))
    np.testing.assert_array_equal(sampled, np.arange(0, truth.n_frames, 3))
    np.testing.assert_array_equal(pts[sampled, 0, 0], sampled)
    np.testing.assert_array_equal(pts[sampled, 0, 1], truth.present[sampled])  # mask only where someone is
    np.testing.assert_array_equal(seq.back_contour_px, truth.back_contour_px)  # the mask probes as before
    assert dict(seq.probe_versions) == {"dorsal_outline": 1, "frame_index": 1}
