"""Recognition on every labelled development clip: real (../shared/videos/labels.json) and rendered (synthetic,
synthetic_bodies, synthetic_floor). Skipped when ../shared is absent.

Poses come from formcheck's cached path (``load_or_extract``, the key the CLI and the other integration tests use),
so a CI run extracts each clip once and shares it with them. ``scripts/measure_recognition.py`` prints the same
results as the tables in docs/metrics.md ("Recognition (issue 13)"). What is asserted is what recognition reaches
there: every family at least 90% right over the clips a person is found in, nothing named wrongly with confidence,
and the known exceptions (named, with why) stay the only ones.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.shared]

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "measure_recognition.py"
# The pose model finds nobody in this line drawing (../shared/videos/mediapipe_check_added_2026-12-01.json).
NOT_SEEN = {"cobra_side_homeworkout_2"}
# Below the confidence threshold, so the user is asked: a 1.8 s partial RDL that never stands up (trunk range 30°,
# right on TRUNK_BEND_MIN_DEG).
ASKED = {"rdl_side_posereader_4"}


def _measure():
    spec = importlib.util.spec_from_file_location("measure_recognition", _SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def results() -> list[dict]:
    mod = _measure()
    if not (mod.SHARED / "videos" / "labels.json").exists() or not (mod.SHARED / "synthetic_floor").is_dir():
        pytest.skip("shared clips not present")
    return mod.recognise_all(mod.clips())


def test_every_family_is_at_least_90_percent_right(results: list[dict]) -> None:
    by: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        if r["clip"] not in NOT_SEEN:
            by[r["family"]].append(r)
    assert len(results) == 73
    for fam, rs in by.items():
        right = sum(r["confident"] and r["got"] == fam for r in rs)
        assert right / len(rs) >= 0.9, (fam, [(r["clip"], r["got"], round(r["conf"], 2)) for r in rs])


def test_nothing_is_named_wrongly_and_the_exceptions_are_the_known_ones(results: list[dict]) -> None:
    wrong = [(r["clip"], r["family"], r["got"]) for r in results if r["confident"] and r["got"] != r["family"]]
    assert wrong == []
    not_right = {r["clip"] for r in results if not (r["confident"] and r["got"] == r["family"])}
    assert not_right == NOT_SEEN | ASKED


def test_position_matches_the_family(results: list[dict]) -> None:
    expected = {"hinge": "standing", "squat": "standing", "lunge": "standing", "bird_dog": "quadruped",
                "cat_camel": "quadruped", "glute_bridge": "supine", "dead_bug": "supine", "plank": "prone",
                "prone_extension": "prone", "side_plank": "side_lying"}  # fmt: skip
    for r in results:
        if r["clip"] not in NOT_SEEN:
            assert r["position"] == expected[r["family"]], r["clip"]


def test_the_clip_nobody_is_found_in_says_so(results: list[dict]) -> None:
    for r in results:
        if r["clip"] in NOT_SEEN:
            assert r["got"] == "unknown" and "Nobody was found" in r["reason"]


def test_the_first_8_seconds_are_enough_and_never_wrong() -> None:
    # What the live app sees (RecognitionStream, first STREAM_WINDOW_S): 70 of 72 clips with a pose named right
    # when written, the other two asked (a partial RDL on the threshold; a deadlift whose first 8 s are mostly the
    # set-up over the bar, no position clear).
    mod = _measure()
    if not (mod.SHARED / "videos" / "labels.json").exists():
        pytest.skip("shared clips not present")
    first = mod.recognise_first_seconds(mod.clips(), 8.0)
    assert len(first) == 72
    assert [r["clip"] for r in first if r["confident"] and r["got"] != r["family"]] == []
    assert sum(r["confident"] and r["got"] == r["family"] for r in first) >= 70
