"""``formcheck bench --quick`` end to end: the printed tables have every row, and every ratio and figure is a
finite number. Timings are never asserted (they depend on the machine and its load)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import pytest

from formcheck.engine.registry import specs

pytestmark = pytest.mark.integration

PIPELINE_ROWS = ("bare landmarker loop", "extract (pipelined)", "extract (one thread)", "analyze + overlay + report")
LIVE_ROWS = ("processed fps", "drop rate %", "latency median ms", "latency p95 ms")


def tables(text: str) -> dict[str, dict[str, dict[str, str]]]:
    """Markdown tables by their first header cell: {first column value: {header: cell}}."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("| ") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            head = [c.strip() for c in lines[i].strip("|").split("|")]
            rows: dict[str, dict[str, str]] = {}
            i += 2
            while i < len(lines) and lines[i].startswith("| "):
                cells = [c.strip() for c in lines[i].strip("|").split("|")]
                assert len(cells) == len(head), lines[i]
                key = cells[0] if head[1] != "input" else f"{cells[0]}/{cells[1]}"
                rows[key] = dict(zip(head, cells, strict=True))
                i += 1
            out[head[0]] = rows
        else:
            i += 1
    return out


def finite(cell: str) -> bool:
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    out_md = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, "-m", "formcheck", "bench", "--quick", "--write-results", str(out_md), "--note", "test run"],
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, out_md


def test_header_names_machine_versions_and_date(bench_run):
    text, _ = bench_run
    assert re.search(r"^- machine: \d+ CPUs, .+", text, re.M)
    for lib in ("python", "mediapipe", "numpy", "opencv"):
        assert re.search(rf"\b{lib} \d+\.\d+", text), lib
    assert re.search(r"^## formcheck bench — \d{4}-\d\d-\d\d \d\d:\d\d UTC", text, re.M)
    assert re.search(r"other processes used [\d.]+ of \d+ CPUs", text)


def test_pipeline_ratios_present_and_finite(bench_run):
    text, _ = bench_run
    rows = tables(text)["pose pipeline"]
    assert tuple(rows) == PIPELINE_ROWS
    for label, row in rows.items():
        for col in ("wall s", "fps", "CPU ms/frame", "speed ratio to bare"):
            assert finite(row[col]), (label, col, row[col])
    assert float(rows["bare landmarker loop"]["speed ratio to bare"]) == 1.0
    assert "identical landmarks, pipelined vs one thread: yes" in text


def test_every_registered_analyzer_has_a_cost(bench_run):
    text, _ = bench_run
    rows = tables(text)["analyzer (thread CPU time)"]
    expected = {f"{s.name}/clip" for s in specs()} | {f"{s.name}/synthetic" for s in specs() if s.synth is not None}
    assert set(rows) == expected
    for key, row in rows.items():
        assert int(row["frames"]) > 0, key
        for col in ("batch ms/frame", "stream ms/frame", "stream p95 ms"):
            assert finite(row[col]) and float(row[col]) >= 0, (key, col)


def test_live_and_memory_tables(bench_run):
    text, _ = bench_run
    t = tables(text)
    live = t["live"]
    for label in LIVE_ROWS:
        assert finite(live[label]["value"]), label
    assert float(live["processed fps"]["value"]) > 0
    rss = t["peak RSS, formcheck analyze --annotate --report"]
    runs = [row for key, row in rss.items() if not key.startswith("ratio")]
    assert len(runs) == 2
    for row in runs:
        assert row["status"] == "ok"
        assert int(row["frames"]) > 0
        assert finite(row["peak RSS MB"]) and float(row["peak RSS MB"]) > 50  # a process with the model loaded
    assert int(runs[1]["frames"]) == 2 * int(runs[0]["frames"])
    ratio = next(row for key, row in rss.items() if key.startswith("ratio"))
    assert finite(ratio["peak RSS MB"])


def test_write_results_appends_the_printed_tables(bench_run):
    text, md = bench_run
    written = md.read_text(encoding="utf-8")
    assert text.strip() in written
    assert "- note: test run" in written
