"""Per-frame cost of the hinge analysis (target ≤ 1 ms per frame), printed.

Measures, on a synthetic 60 s side-view clip (30 fps, 10 reps, with back outlines):

* batch ``HingeAnalyzer.analyze`` — total time / frames;
* streaming ``HingeAnalyzer.stream().update`` (the engine runner with the hinge live model) — mean and 99th
  percentile per frame (reps are finished inside update);
* ``dorsal_contour_px`` on a 0.5× mask of a 640×480 frame — the per-frame cost pose extraction pays.

Run: ``.venv/bin/python benchmarks/bench_analysis.py`` (add ``--seconds 120`` for a longer clip).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from formcheck.analyzers.hinge import HingeAnalyzer
from formcheck.config import Config
from formcheck.metrics.outline import dorsal_contour_px
from formcheck.synth import RepSpec, hinge_clip, render_mask


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="clip length (approximately)")
    ap.add_argument("--repeat", type=int, default=3, help="batch runs (best is reported)")
    args = ap.parse_args()

    n_reps = max(1, int(args.seconds / 6.0))
    specs = [RepSpec(spine_deg=5 + 4 * (k % 5)) for k in range(n_reps)]
    t0 = time.perf_counter()
    clip = hinge_clip(specs, tempo=(2.0, 1.0, 2.0, 1.0), contour=True, noise_px=1.0, seed=1)
    seq = clip.seq
    print(f"synthetic clip: {seq.n_frames} frames, {seq.t_s[-1]:.1f} s, {n_reps} reps "
          f"(generated in {time.perf_counter() - t0:.1f} s)")  # fmt: skip

    cfg = Config()
    analyzer = HingeAnalyzer(cfg)
    best = float("inf")
    an = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        an = analyzer.analyze(seq)
        best = min(best, time.perf_counter() - t0)
    assert an is not None
    batch_ms = 1000 * best / seq.n_frames
    print(f"batch analyze:     {batch_ms:.3f} ms/frame  ({1000 * best:.0f} ms total, {len(an.reps)} reps found)")

    st = analyzer.stream()
    per = np.empty(seq.n_frames)
    finished = np.zeros(seq.n_frames, bool)
    for i in range(seq.n_frames):
        t0 = time.perf_counter()
        s = st.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, seq.back_contour_px[i])
        per[i] = time.perf_counter() - t0
        finished[i] = s.new_rep is not None
    live = st.finish()
    print(
        f"stream update:     {1000 * per.mean():.3f} ms/frame mean ({1000 * per[~finished].mean():.3f} on ordinary "
        f"frames, {1000 * per[finished].mean():.1f} on the {finished.sum()} frames that close a rep), "
        f"p99 {1000 * np.percentile(per, 99):.2f} ms  ({len(live.reps)} reps)"
    )

    masks = [render_mask(clip, i, mask_scale=0.5) for i in range(0, seq.n_frames, max(1, seq.n_frames // 200))]
    idx = list(range(0, seq.n_frames, max(1, seq.n_frames // 200)))[: len(masks)]
    lm_px = seq.xy_px()
    t0 = time.perf_counter()
    reps = 5
    for _ in range(reps):
        for m, i in zip(masks, idx, strict=True):
            dorsal_contour_px(m, lm_px[i], mask_scale=0.5)
    contour_ms = 1000 * (time.perf_counter() - t0) / (reps * len(masks))
    print(f"dorsal_contour_px: {contour_ms:.3f} ms/frame (0.5x mask of 640x480)")
    target = 1.0
    print(
        f"ratios to the 1 ms/frame target: batch {batch_ms / target:.2f}, "
        f"stream mean {1000 * per.mean() / target:.2f}, contour {contour_ms / target:.2f}"
    )


if __name__ == "__main__":
    main()
