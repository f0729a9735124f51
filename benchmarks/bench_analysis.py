#!/usr/bin/env python3
"""Cost per frame of every registered exercise analyzer (batch and streaming), on its synthetic set.

Thin wrapper over ``formcheck bench --only analyzers`` (target: at most 1 ms per frame)::

    .venv/bin/python benchmarks/bench_analysis.py
"""

from __future__ import annotations

import sys

from formcheck.bench import main

if __name__ == "__main__":
    raise SystemExit(main(["--only", "analyzers", *sys.argv[1:]]))
