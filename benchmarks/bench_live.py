#!/usr/bin/env python3
"""Live path through the streamlit-webrtc callback on a fake 640x480 30 fps camera: fps, drops, latency.

Thin wrapper over ``formcheck bench --only live`` (no browser needed)::

    .venv/bin/python benchmarks/bench_live.py                    # 20 s
    .venv/bin/python benchmarks/bench_live.py --live-seconds 60 --clip VIDEO.mp4
"""

from __future__ import annotations

import sys

from formcheck.bench import main

if __name__ == "__main__":
    raise SystemExit(main(["--only", "live", *sys.argv[1:]]))
