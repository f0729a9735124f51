#!/usr/bin/env python3
"""Videos per minute of ``formcheck batch`` with 1 and 2 workers, on the local process pool and on Dask.

Every run analyses the same folder from scratch (no pose cache, no resume), so each video runs the pose model:
what a clinic's first run costs. The folder is ``--copies`` copies of the bundled sample clip (default 4), or the
videos of ``--clips DIR`` (e.g. ``../shared/synthetic``). Dask runs on a LocalCluster of ``workers`` processes
started by the batch, the same code path as a real cluster minus the network.

Usage::

    python benchmarks/bench_batch.py                       # 4 copies of the sample, local and dask, 1 and 2 workers
    python benchmarks/bench_batch.py --clips ../shared/synthetic --engines local --workers 1 2

Prints one row per (engine, workers): videos, wall seconds, videos per minute, and the speed-up over 1 worker of
the same engine. On a machine with N cores, more than N workers only adds contention; the pose model itself
uses some threads, so 2 workers on 2 cores gain less than 2x.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from formcheck import __version__  # noqa: E402
from formcheck.batch import find_videos, run_batch  # noqa: E402

SAMPLE = REPO / "sample_videos" / "dev_sample_hinge_side_r_2121.mp4"


def prepare(clips: Path | None, copies: int, tmp: Path) -> Path:
    src = tmp / "in"
    src.mkdir()
    if clips is None:
        for i in range(copies):
            shutil.copy2(SAMPLE, src / f"sample_{i + 1}.mp4")
    else:
        for v in find_videos(clips):
            os.symlink(v.resolve(), src / v.name)
    return src


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", type=Path, help="folder of videos (default: copies of the bundled sample)")
    ap.add_argument("--copies", type=int, default=4, help="copies of the sample clip (default 4)")
    ap.add_argument("--engines", nargs="+", default=["local", "dask"], choices=["local", "dask"])
    ap.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--exercise", default="hinge", help="exercise for every video (default hinge)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench_batch_") as d:
        tmp = Path(d)
        src = prepare(args.clips, args.copies, tmp)
        n = len(find_videos(src))
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"formcheck {__version__}, Python {platform.python_version()}, {os.cpu_count()} cores, "
              f"load average {load:.1f} at start, {time.strftime('%Y-%m-%d %H:%M %Z')}")  # fmt: skip
        print(f"{n} videos from {args.clips or 'copies of ' + SAMPLE.name}; no pose cache, no resume\n")
        rows = []
        base: dict[str, float] = {}
        for engine in args.engines:
            for w in args.workers:
                out = tmp / f"out_{engine}_{w}"
                s = run_batch(src, out, exercise=args.exercise, engine=engine, workers=w, cache=False, resume=False)
                failed = s.count("failed")
                vpm = 60.0 * n / s.elapsed_s
                base.setdefault(engine, vpm)
                rows.append((engine, w, n, failed, s.elapsed_s, vpm, vpm / base[engine]))
                print(f"  {engine} x{w}: {s.elapsed_s:.0f} s", file=sys.stderr, flush=True)
                for it in s.items:
                    if it.status == "failed":  # a failed video costs no model time: the rate would be wrong
                        print(f"  failed: {it.video}: {it.message}", file=sys.stderr, flush=True)
        print(
            f"{'engine':<7} {'workers':>7} {'videos':>6} {'failed':>6} {'wall s':>7} {'videos/min':>10} {'speed-up':>8}"
        )
        for engine, w, nv, nf, wall, vpm, up in rows:
            print(f"{engine:<7} {w:>7} {nv:>6} {nf:>6} {wall:>7.0f} {vpm:>10.2f} {up:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
