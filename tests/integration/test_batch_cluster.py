"""formcheck batch on a Dask distributed cluster the test starts (LocalCluster, 2 worker processes), compared with
the local process pool on the same folder: the bundled sample clip twice (copies) and one broken file.

The local-pool run goes first and fills the pose cache (the real model runs once per copy); the cluster run then
reads the same cache, as a clinic's re-run would, so what is compared is the batch path on the cluster: analysis,
report and JSON written by the Dask workers must equal the local pool's byte for byte.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from formcheck.batch import run_batch
from formcheck.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory, sample_video: Path) -> Path:
    d = tmp_path_factory.mktemp("batch_in")
    shutil.copy2(sample_video, d / "set_a.mp4")
    shutil.copy2(sample_video, d / "set b (copy).mov")  # a space, brackets and another suffix in the name
    (d / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200)  # an mp4 header and nothing else
    return d


@pytest.fixture(scope="module")
def cluster():
    # Not importorskip: in CI a skip is a failure, and the test install (".[app,dev]") brings Dask distributed.
    from distributed import LocalCluster

    c = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0", silence_logs=40
    )
    yield c
    c.close()


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return {r["video"]: r for r in csv.DictReader(f)}


def _html(path: Path) -> str:
    """The report without the time it was made (the one thing two runs of the same analysis may differ in)."""
    return re.sub(r"Report made</b>[^<]*", "Report made</b>", path.read_text(encoding="utf-8"))


def _without_timing(rows: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {k: {c: v for c, v in r.items() if c != "elapsed_s"} for k, r in rows.items()}


def test_dask_cluster_matches_local_pool_records_failure_and_resumes(
    clips: Path, cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    local_out, dask_out = tmp_path / "local", tmp_path / "dask"
    local = run_batch(clips, local_out, exercise="hinge", workers=2)
    assert {it.video: it.status for it in local.items} == {
        "broken.mp4": "failed", "set b (copy).mov": "done", "set_a.mp4": "done",
    }  # fmt: skip
    assert {it.reps for it in local.items if it.status == "done"} == {3}  # the sample clip has 3 reps

    # Through the CLI, against the running cluster's scheduler address.
    code = main(["batch", str(clips), "-o", str(dask_out), "--exercise", "hinge", "--engine", "dask",
                 "--address", cluster.scheduler_address, "--quiet"])  # fmt: skip
    out = capsys.readouterr()
    assert code == 3  # the broken file's code (unreadable input), after the others were analysed
    assert "2 analysed, 0 already done, 1 failed" in out.out and "failed: broken.mp4" in out.err

    for name in ("set_a", "set_b_copy"):
        assert (dask_out / f"{name}.json").read_bytes() == (local_out / f"{name}.json").read_bytes()
        assert _html(dask_out / f"{name}.html") == _html(local_out / f"{name}.html")
    assert _without_timing(_rows(dask_out / "summary.csv")) == _without_timing(_rows(local_out / "summary.csv"))
    rows = _rows(dask_out / "summary.csv")
    assert rows["broken.mp4"]["status"] == "failed" and rows["broken.mp4"]["message"]
    assert (dask_out / "broken.error.txt").read_text(encoding="utf-8").startswith("broken.mp4: ")
    doc = json.loads((dask_out / "set_a.json").read_text(encoding="utf-8"))
    assert doc["exercise"] == "hinge" and len(doc["reps"]) == 3

    # Resume on the cluster: the two finished videos are skipped, only the broken one is tried again.
    again = run_batch(clips, dask_out, exercise="hinge", engine="dask", address=cluster.scheduler_address)
    assert {it.video: it.status for it in again.items} == {
        "broken.mp4": "failed", "set b (copy).mov": "skipped", "set_a.mp4": "skipped",
    }  # fmt: skip
    assert (dask_out / "set_a.json").read_bytes() == (local_out / "set_a.json").read_bytes()


def test_dask_engine_starts_its_own_local_cluster(clips: Path, tmp_path: Path) -> None:
    """Without --address the dask engine starts (and stops) a LocalCluster of --workers processes."""
    only_broken = tmp_path / "in"
    only_broken.mkdir()
    shutil.copy2(clips / "broken.mp4", only_broken / "broken.mp4")
    s = run_batch(only_broken, tmp_path / "out", engine="dask", workers=1)
    assert [it.status for it in s.items] == ["failed"] and s.exit_code == 3


def test_unreachable_scheduler_is_a_usage_error(clips: Path, tmp_path: Path) -> None:
    code = main(["batch", str(clips), "-o", str(tmp_path / "o"), "--engine", "dask", "--address",
                 "tcp://127.0.0.1:9", "--quiet"])  # fmt: skip
    assert code == 2
