#!/usr/bin/env python3
"""Throughput of ``extract_poses`` against a bare MediaPipe PoseLandmarker loop on the same clip.

The bare loop is the least any pose extraction must do: the same decode path (``formcheck.io.video``), the same
model file, VIDEO running mode with one tracked person and the same segmentation setting, and nothing else (no
landmark conversion, no mask processing, no people count). ``extract_poses`` adds those. The ratio
extract/bare is the price of our extras; the goal is >= 0.9.

Usage::

    python benchmarks/bench_extract.py             # 1280x720 ~20 s clip made from the bundled sample
    python benchmarks/bench_extract.py VIDEO.mp4   # any clip
    python benchmarks/bench_extract.py --no-segmentation

The default clip is the bundled 640x480 sample scaled to 960x720 and padded to 1280x720 with ffmpeg in a temp
dir (needs the ``ffmpeg`` command).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from formcheck.config import Config  # noqa: E402
from formcheck.extract import extract_poses  # noqa: E402
from formcheck.io.video import open_video  # noqa: E402
from formcheck.pose import resolve_model_path  # noqa: E402

SAMPLE = REPO / "sample_videos" / "dev_sample_hinge_side_r_2121.mp4"


def make_720p(src: Path, out_dir: Path) -> Path:
    if shutil.which("ffmpeg") is None:
        raise SystemExit("ffmpeg is needed to make the default 720p clip; pass a video path instead")
    out = out_dir / "bench_720p.mp4"
    vf = "scale=960:720:flags=bicubic,pad=1280:720:160:0:color=0x202020"
    cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(src), "-vf", vf, "-c:v", "libx264", "-crf", "20"]
    subprocess.run([*cmd, "-preset", "veryfast", "-pix_fmt", "yuv420p", str(out)], check=True)
    return out


def bare_loop(path: Path, cfg: Config) -> tuple[int, float, float, int]:
    """Frames, wall seconds, CPU seconds (all threads) and frames-with-a-person for a plain landmarker loop."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    options = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(resolve_model_path(cfg.pose))),
        running_mode=RunningMode.VIDEO,
        num_poses=1,
        min_pose_detection_confidence=cfg.pose.min_detection_confidence,
        min_pose_presence_confidence=cfg.pose.min_presence_confidence,
        min_tracking_confidence=cfg.pose.min_tracking_confidence,
        output_segmentation_masks=cfg.pose.segmentation,
    )
    n = found = 0
    with PoseLandmarker.create_from_options(options) as lm:
        t0, c0 = time.perf_counter(), time.process_time()
        last = -1
        with open_video(path) as reader:
            for frame, t_s in reader:
                t_ms = max(int(round(t_s * 1000)), last + 1)
                last = t_ms
                res = lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=frame), t_ms)
                n += 1
                found += bool(res.pose_landmarks)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
    return n, dt, dc, found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("video", nargs="?", type=Path, help="clip to use (default: 720p version of the sample)")
    ap.add_argument("--no-segmentation", action="store_true", help="both loops without the segmentation mask")
    ap.add_argument("--repeat", type=int, default=1, help="alternate bare/extract this many times (default 1)")
    args = ap.parse_args()
    cfg = Config()
    if args.no_segmentation:
        cfg = cfg.replace("pose", segmentation=False)

    with tempfile.TemporaryDirectory() as tmp:
        clip = args.video or make_720p(SAMPLE, Path(tmp))
        info = open_video(clip).info
        clip.read_bytes()  # warm the page cache so neither run pays for the first disk read
        runs = []
        for _ in range(args.repeat):  # alternate the two so a change in machine load hits both
            n_bare, dt_bare, cpu_bare, found_bare = bare_loop(clip, cfg)
            t0, c0 = time.perf_counter(), time.process_time()
            seq = extract_poses(clip, cfg)
            dt_ext, cpu_ext = time.perf_counter() - t0, time.process_time() - c0
            runs.append((n_bare / dt_bare, seq.n_frames / dt_ext, cpu_bare / n_bare, cpu_ext / seq.n_frames))

    name = clip.name if args.video else "sample scaled to 1280x720"
    print(f"clip: {name}, {info.width}x{info.height}, {seq.n_frames} frames")
    print(f"settings: segmentation={cfg.pose.segmentation}, num_poses={cfg.pose.num_poses} "
          f"(people check every {cfg.pose.people_check_s:g} s), mask_scale={cfg.pose.mask_scale:g}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"person found: bare {found_bare / n_bare:.1%}, extract {seq.present.mean():.1%} of frames")
    print("run  bare fps  extract fps  ratio(wall)  bare CPU ms/frame  extract CPU ms/frame  ratio(CPU)")
    for i, (fb, fe, cb, ce) in enumerate(runs, 1):
        print(f"{i:3d}  {fb:8.1f}  {fe:11.1f}  {fe / fb:11.3f}  {1000 * cb:17.1f}  {1000 * ce:20.1f}  {cb / ce:10.3f}")
    if len(runs) > 1:
        med = np.median(np.array([(fe / fb, cb / ce) for fb, fe, cb, ce in runs]), axis=0)
        print(f"median ratio extract/bare: wall {med[0]:.3f}, CPU {med[1]:.3f}")
    print("ratio > 1: extract faster. CPU ratio = bare CPU s / extract CPU s (less sensitive to other processes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
