"""Rep counting on the real hinge-family clips of ../shared/videos (labels.json, family == "hinge").

Skipped when the clips are absent (env FORMCHECK_VIDEOS points elsewhere). Pose extraction is cached in the
user cache folder, not in the repo. Prints clip / expected / found (``pytest -s``) and asserts ≥ 90 % exact.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from formcheck.analyzers import get_analyzer
from formcheck.config import Config

pytestmark = [pytest.mark.integration, pytest.mark.shared]

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
    ok = sum(r["expected"] == r["found"] for r in out)
    print(f"\nrep-count accuracy: {ok}/{len(out)} clips exact ({100 * ok / max(len(out), 1):.0f} %)")
    return out


def test_hinge_rep_count_accuracy(rows: list[dict]) -> None:
    assert rows, "no hinge-family clips found"
    exact = sum(r["expected"] == r["found"] for r in rows)
    assert exact / len(rows) >= 0.9, [(r["clip"], r["expected"], r["found"]) for r in rows]


def test_counts_never_wildly_off(rows: list[dict]) -> None:
    # Even where a count is not exact it is off by at most one rep (a clip edge or a second person).
    assert all(abs(r["expected"] - r["found"]) <= 1 for r in rows)
