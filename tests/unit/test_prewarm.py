"""The CI pose cache prewarm (tests/conftest.py): it writes the very keys the integration tests read.

The pose model is replaced by a fake ``extract_poses`` (a small synthetic clip), so nothing here runs MediaPipe; the
cache keys are real (the clips' bytes, the model's sha256, the pose settings, the mask probes). The whole run's
check is in the session summary (.ci/run): how many of the planned keys the tests asked for, and any they asked
for that were not planned.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import formcheck.extract
import formcheck.io.cache
from formcheck.config import Config
from formcheck.errors import NoPersonError

sys.path.insert(0, str(Path(__file__).parent))
from fc_fake_extraction import fake_extraction  # noqa: E402 - the faked pose model's result

TESTS = Path(__file__).resolve().parents[1]


def _load(path: Path) -> ModuleType:
    name = f"_prewarm_check_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


CT = _load(TESTS / "conftest.py")  # as a plain module: its hooks are not registered twice


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, list]:
    """A fake pose model and a fresh cache folder; ``calls`` lists the videos extracted, ``fail`` the ones with
    nobody in them; ``asked`` the cache files the code asked for."""
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    state: dict[str, list] = {"calls": [], "fail": [], "asked": []}

    def fake(video_path, config, progress=None, probes=()):  # noqa: ANN001, ANN202, ARG001 - extract_poses' signature
        state["calls"].append(Path(video_path))
        if Path(video_path) in state["fail"]:
            raise NoPersonError("nobody")
        return fake_extraction(Path(video_path), config, tuple(probes), n_reps=2, probe_value=np.nan)

    real = formcheck.io.cache.default_cache_path

    def recording(video_path, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        out = real(video_path, *a, **kw)
        state["asked"].append(out.name)
        return out

    monkeypatch.setattr(formcheck.extract, "extract_poses", fake)
    monkeypatch.setattr(formcheck.io.cache, "default_cache_path", recording)
    return state


def test_the_integration_tests_read_what_the_prewarm_wrote(
    model: dict[str, list], videos_dir: Path, synthetic_dir: Path
) -> None:
    # a subset: a real clip read by load_or_extract (test_frontal_exercises_real) and a rendered one read by
    # cached_extract (test_squat_real), each through the test module's own helper
    real_clip, rendered = videos_dir / "forwardbend_side_suraj_2.mp4", synthetic_dir / "dev_squat_side_r_2-1-1-0.mp4"
    plan = CT.prewarm_plan([real_clip, rendered])
    CT.prewarm(plan)
    assert sorted(model["calls"]) == sorted([real_clip, rendered])  # one key per clip, each extracted once
    model["calls"].clear()
    model["asked"].clear()

    frontal = _load(TESTS / "integration" / "test_frontal_exercises_real.py")
    squat = _load(TESTS / "integration" / "test_squat_real.py")
    frontal._seq.__wrapped__(real_clip)
    squat._analyse(rendered, Config())
    assert model["calls"] == [], "a test asked for a key the prewarm did not write"
    assert sorted(set(model["asked"])) == sorted(p.name for p in plan)


def test_a_clip_with_nobody_is_logged_and_the_rest_still_extracted(model: dict[str, list], tmp_path: Path) -> None:
    clips = []
    for name in ("a.mp4", "b.mp4", "c.mp4"):
        clips.append(tmp_path / name)
        clips[-1].write_bytes(name.encode() * 1000)  # distinct bytes: distinct keys (the fake never decodes them)
    model["fail"].append(clips[1])
    plan = CT.prewarm_plan(clips)
    log = tmp_path / "prewarm.log"
    with log.open("w") as f:
        CT.prewarm(plan, f)
    rows = [ln.split("\t") for ln in log.read_text().splitlines()]
    # last planned first (the tests start from the front), one line per key, the failure named
    assert [(r[0], r[3]) for r in rows] == [
        ("extracted", str(clips[2])),
        ("NoPersonError", str(clips[1])),
        ("extracted", str(clips[0])),
    ]
    model["calls"].clear()
    with log.open("w") as f:
        CT.prewarm(plan, f)  # a second session (or the tests) only reads them
    assert [r.split("\t")[0] for r in log.read_text().splitlines()] == ["hit", "NoPersonError", "hit"]
    assert model["calls"] == [clips[1]]


def test_a_stopped_worker_extracts_nothing(model: dict[str, list], tmp_path: Path) -> None:
    clip = tmp_path / "a.mp4"
    clip.write_bytes(b"x" * 1000)
    CT.prewarm(CT.prewarm_plan([clip]), stop=lambda: True)
    assert model["calls"] == []


def _named_clips() -> set[Path]:
    """The clips ../shared's own indexes name (independent of how the plan finds clips): ``videos/labels.json``'s
    files and the first cell of every table row in each synthetic set's INDEX.md."""
    named = {
        CT.SHARED / "videos" / lab["file"] for lab in json.loads((CT.SHARED / "videos" / "labels.json").read_text())
    }
    for index in CT.SHARED.glob("*/INDEX.md"):
        for row in re.findall(r"^\| *(dev_[^ |]+) *\|", index.read_text(), flags=re.MULTILINE):
            named.add(index.parent / f"{row}.mp4")
    return {p.resolve() for p in named}


def test_the_plan_has_every_indexed_clip_and_the_sample(videos_dir: Path, synthetic_dir: Path) -> None:
    from formcheck.analyze import probes_for
    from formcheck.io.cache import default_cache_path

    named = _named_clips()
    assert len(named) > 40 and all(p.is_file() for p in named)  # the indexes name real files
    sample = {p.resolve() for p in (TESTS.parent / "sample_videos").glob("*.mp4")}
    assert sample
    plan = CT.prewarm_plan(CT.prewarm_clips())
    # by key, not by path: a clip with the same bytes as another (the sample is also synthetic/) is one key
    missing = [p for p in named | sample if default_cache_path(p, Config(), probes=probes_for(None)) not in plan]
    assert not missing, sorted(map(str, missing))


def test_the_rendered_lunge_is_planned_under_the_key_test_lunge_real_reads(model: dict[str, list]) -> None:
    rendered = (CT.SHARED / "synthetic_floor" / "dev_lunge_side_r_frontL_15-05-12-06.mp4").resolve()
    if not rendered.is_file():
        pytest.skip("shared synthetic_floor lunge clip not present")
    plan = CT.prewarm_plan([rendered])
    assert len(plan) == 2  # recognition's key (the floor tests) and the lunge's (no mask probes)
    CT.prewarm(plan)
    model["calls"].clear()
    lunge = _load(TESTS / "integration" / "test_lunge_real.py")
    lunge._analyse(rendered, Config(), exercise="lunge")
    lunge._analyse(rendered, Config())
    assert model["calls"] == [], "test_lunge_real asked for a key the prewarm did not write"
