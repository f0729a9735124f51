"""Rep counting on the real hinge-family clips of ../shared/videos (labels.json, family == "hinge").

Skipped when the clips are absent (env FORMCHECK_VIDEOS points elsewhere). Pose extraction is cached in the
user cache folder, not in the repo. Prints clip / expected / found (``pytest -s``) and asserts ≥ 95 % exact (issue 10's
"done when"; a last rep the clip cuts off on its way back up counts, as the labels count it: docs/metrics.md 8.6).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers import get_analyzer
from formcheck.analyzers.hinge import FLOOR_START_NOTE
from formcheck.config import Config
from formcheck.reps import rises_first

pytestmark = [pytest.mark.integration, pytest.mark.shared]

MEDIAN_BOUND_ERR_S = 0.5  # median |start| and |end| error against the labels, seconds
# Conventional deadlifts from the floor: labelled floor -> lockout -> floor (the bar rests on the floor between reps).
FLOOR_START = frozenset({"deadlift_front_jf9ss9_1.mp4", "deadlift_side_jf9ss9_2.mp4"})
VIDEOS = Path(os.environ.get("FORMCHECK_VIDEOS", Path(__file__).resolve().parents[2].parent / "shared" / "videos"))


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    labels_path = VIDEOS / "labels.json"
    if not labels_path.exists():
        pytest.skip("shared videos not present")
    from formcheck.io.cache import cached_extract

    cfg = Config()
    analyzer = get_analyzer("hinge", cfg)
    out = []
    for lab in json.loads(labels_path.read_text()):
        if lab.get("family") != "hinge" or not (VIDEOS / lab["file"]).exists():
            continue
        seq = cached_extract(VIDEOS / lab["file"], cfg)
        an = analyzer.analyze(seq)
        out.append(
            {
                "clip": lab["file"],
                "view": lab.get("view", ""),
                "expected": int(lab["reps"]),
                "found": len(an.reps),
                "our_view": an.quality.view,
                "classes": ",".join(r.classification for r in an.reps),
                "confidence": lab.get("confidence", ""),
                "bounds": [tuple(b) for b in lab.get("rep_bounds_s") or []],
                "reps": [(r.start_s, r.end_s) for r in an.reps],
                "rise_first": [rises_first(r.metrics) for r in an.reps],
                "floor_note": FLOOR_START_NOTE in an.quality.warnings,
                "phases": [(r.concentric_s, r.top_pause_s, r.eccentric_s, r.bottom_pause_s) for r in an.reps],
                "roll": float(an.summary.get("camera_roll_deg", float("nan"))),
            }
        )
    print("\n| clip | labelled view | our view | expected | found | label confidence | classes |")
    print("|---|---|---|---|---|---|---|")
    for r in out:
        mark = "" if r["expected"] == r["found"] else " ✗"
        print(
            f"| {r['clip']} | {r['view'][:40]} | {r['our_view']} | {r['expected']} | {r['found']}{mark} | "
            f"{r['confidence']} | {r['classes']} |"
        )
    print("\n| clip | start err s (median) | end err s (median) | rep mid-point inside its label |")
    print("|---|---|---|---|")
    for r in out:
        if r["bounds"] and len(r["bounds"]) == len(r["reps"]):
            es, ee, mids = _bound_errors(r)
            print(f"| {r['clip']} | {np.median(es):.2f} | {np.median(ee):.2f} | {sum(mids)}/{len(mids)} |")
    ok = sum(r["expected"] == r["found"] for r in out)
    print(f"\nrep-count accuracy: {ok}/{len(out)} clips exact ({100 * ok / max(len(out), 1):.0f} %)")
    return out


def _bound_errors(r: dict) -> tuple[list[float], list[float], list[bool]]:
    """|start - labelled start|, |end - labelled end| and whether each rep's mid-point is inside its label."""
    es = [abs(a - b[0]) for (a, _), b in zip(r["reps"], r["bounds"], strict=True)]
    ee = [abs(e - b[1]) for (_, e), b in zip(r["reps"], r["bounds"], strict=True)]
    mids = [b[0] <= (a + e) / 2 <= b[1] for (a, e), b in zip(r["reps"], r["bounds"], strict=True)]
    return es, ee, mids


def test_hinge_rep_count_accuracy(rows: list[dict]) -> None:
    assert rows, "no hinge-family clips found"
    exact = sum(r["expected"] == r["found"] for r in rows)
    assert exact / len(rows) >= 0.95, [(r["clip"], r["expected"], r["found"]) for r in rows]


def test_counts_never_wildly_off(rows: list[dict]) -> None:
    # Even where a count is not exact it is off by at most one rep (a clip edge or a second person).
    assert all(abs(r["expected"] - r["found"]) <= 1 for r in rows)


def _bound_rows(rows: list[dict], floor: bool) -> list[dict]:
    exact = [r for r in rows if r["bounds"] and len(r["bounds"]) == len(r["reps"])]
    return [r for r in exact if (r["clip"] in FLOOR_START) == floor]


def test_reps_where_the_labels_put_them(rows: list[dict]) -> None:
    # Tempo against the labelled rep bounds (hand-marked, ~0.2 s) of the exactly counted clips whose reps start
    # standing: the found reps lie on their labelled reps (mid-point inside) and start / end are near the marks.
    es_all: list[float] = []
    ee_all: list[float] = []
    mids_all: list[bool] = []
    for r in _bound_rows(rows, floor=False):
        es, ee, mids = _bound_errors(r)
        es_all += es
        ee_all += ee
        mids_all += mids
    assert len(es_all) >= 40
    assert np.mean(mids_all) >= 0.95, mids_all
    assert np.median(es_all) <= MEDIAN_BOUND_ERR_S and np.median(ee_all) <= MEDIAN_BOUND_ERR_S


def test_floor_deadlift_reps_start_with_the_pull(rows: list[dict]) -> None:
    # Labelled floor -> lockout -> floor: each found rep lies on its label and starts near the pull's onset.
    floor = _bound_rows(rows, floor=True)
    assert floor
    for r in floor:
        es, ee, mids = _bound_errors(r)
        assert all(mids) and np.median(es) <= MEDIAN_BOUND_ERR_S, r["clip"]


def test_only_the_floor_deadlifts_are_timed_pull_first(rows: list[dict]) -> None:
    # Issue 10 item 9 ("lower 0.1 s, pause 3.7 s" on a deadlift): the floor clips are timed rise -> lockout ->
    # lowering, each phase a real movement (a loaded pull or lowering of 125-140 deg takes > 1 s; neither was a
    # 0.1 s blip); every other labelled hinge clip (RDLs, good mornings, swings parked on the floor) keeps
    # lowering first.
    assert {r["clip"] for r in rows} >= FLOOR_START
    for r in rows:
        assert r["rise_first"] == [r["clip"] in FLOOR_START] * r["found"], r["clip"]
        assert r["floor_note"] == (r["clip"] in FLOOR_START), r["clip"]  # the set says how its reps were timed
        if r["clip"] in FLOOR_START:
            for con, top, ecc, _ in r["phases"]:
                assert 1.0 <= con <= 3.0 and 1.0 <= ecc <= 3.0 and 0.0 <= top <= 2.0, (r["clip"], r["phases"])
            rests = [p[3] for p in r["phases"]]
            assert all(0.0 <= x <= 2.0 for x in rests[:-1]) and np.isnan(rests[-1]), (r["clip"], rests)
