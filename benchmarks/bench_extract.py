#!/usr/bin/env python3
"""Pose pipeline only: bare MediaPipe landmarker loop vs ``extract`` (pipelined and one thread) vs full ``analyze``.

Thin wrapper over ``formcheck bench --only pipeline`` (see :mod:`formcheck.bench` for what "bare" means)::

    .venv/bin/python benchmarks/bench_extract.py                 # the bundled sample clip, 3 rounds
    .venv/bin/python benchmarks/bench_extract.py --clip VIDEO.mp4 --rounds 5
"""

from __future__ import annotations

import sys

from formcheck.bench import main

if __name__ == "__main__":
    raise SystemExit(main(["--only", "pipeline", *sys.argv[1:]]))
