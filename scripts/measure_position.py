#!/usr/bin/env python3
"""Measure body-position recognition (and facing, view, camera roll) on the shared test clips.

For every clip of ``../shared/synthetic_floor`` (rendered floor work), ``../shared/synthetic`` and
``../shared/synthetic_bodies`` (rendered standing hinges and squats) and ``../shared/videos`` (real clips, the
expected position from each clip's ``family`` in ``labels.json``) it prints one row: expected and recognised
position, the set's confidence, the share of frames recognised as the expected position, the facing direction
(and the truth where the clip says it: the rendered clips' ``head_side_in_image`` / ``facing_in_image``, the real
clips' "head toward image-left" or "faces image-right" notes), the view and the camera roll; then the accuracy
per family and per set of clips.

Poses come from :func:`formcheck.analyze.load_or_extract` (the user pose cache; a clip not cached yet is
extracted, ~5-20 s each). Nothing is written into the repository.

Expected positions: hinge, squat, lunge and forward bend are standing; plank (forearm or high) is **prone** (prone
support on the toes); bird-dog and cat-camel are quadruped; glute bridge and dead bug supine; side plank
side-lying; prone extension (cobra) prone.

Usage::

    .venv/bin/python scripts/measure_position.py                 # all clips
    .venv/bin/python scripts/measure_position.py --only floor    # floor | standing | real
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import warnings
from collections import defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from formcheck.analyze import load_or_extract  # noqa: E402
from formcheck.body import Body, Position  # noqa: E402
from formcheck.config import Config  # noqa: E402
from formcheck.errors import FormcheckError  # noqa: E402

SHARED = REPO_ROOT.parent / "shared"

FAMILY_POSITION = {
    "hinge": Position.STANDING,
    "squat": Position.STANDING,
    "lunge": Position.STANDING,
    "forward_bend": Position.STANDING,
    "plank": Position.PRONE,
    "bird_dog": Position.QUADRUPED,
    "cat_camel": Position.QUADRUPED,
    "glute_bridge": Position.SUPINE,
    "dead_bug": Position.SUPINE,
    "side_plank": Position.SIDE_LYING,
    "prone_extension": Position.PRONE,
    "prone_press_up": Position.PRONE,
}


def _rendered(folder: str) -> list[dict]:
    out = []
    for js in sorted((SHARED / folder).glob("dev_*.json")):
        d = json.loads(js.read_text())
        if "frames" not in d:
            continue
        kind = d.get("kind") or d.get("spec", {}).get("kind", "")
        family = kind if folder == "synthetic_floor" else "hinge" if kind != "squat" else "squat"
        # Lying and on all fours the facing rule is the head's side; standing it is the direction faced.
        truth = d.get("head_side_in_image") if folder == "synthetic_floor" and kind != "lunge" else None
        truth = truth or d.get("facing_in_image")
        out.append({"set": folder, "path": js.with_suffix(".mp4"), "family": family, "facing_truth": truth})
    return out


def _real() -> list[dict]:
    labels = json.loads((SHARED / "videos" / "labels.json").read_text())
    out = []
    for e in labels:
        m = re.search(r"(?:head toward|faces) image-(left|right)", e.get("view", ""))
        out.append(
            {
                "set": "videos",
                "path": SHARED / "videos" / e["file"],
                "family": e["family"],
                "facing_truth": m.group(1) if m else None,
            }
        )
    return out


def measure(clips: list[dict], cfg: Config) -> list[dict]:
    rows = []
    for c in clips:
        expected = FAMILY_POSITION[c["family"]]
        row = {**c, "clip": c["path"].stem, "expected": expected.value}
        try:
            seq = load_or_extract(c["path"], cfg)
        except FormcheckError as e:
            rows.append({**row, "got": "no person", "error": type(e).__name__})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            body = Body.from_sequence(seq, cfg)
        present = body.present
        frames_ok = float((body.positions[present] == expected.value).mean()) if present.any() else math.nan
        rows.append(
            {
                **row,
                "got": body.position.position.value,
                "confidence": body.position.confidence,
                "frames_ok": frames_ok,
                "facing": body.view.facing_label if body.view.view != "front" else f"{body.view.facing_label}",
                "facing_sign": "right" if body.view.facing_sign > 0 else "left",
                "facing_rule": body.view.facing_rule,
                "view": body.view.view,
                "azimuth_deg": body.view.azimuth_deg,
                "roll_deg": body.roll.roll_deg,
                "reason": body.position.reason,
            }
        )
    return rows


def _fmt(v: float, spec: str) -> str:
    return "—" if v is None or (isinstance(v, float) and not math.isfinite(v)) else format(v, spec)


def print_tables(rows: list[dict]) -> None:
    cols = ("set", "clip", "family", "expected", "got", "confidence", "frames as expected", "facing (rule)", "truth",
            "view (az)", "roll")  # fmt: skip
    print("| " + " | ".join(cols) + " |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r["got"] == "no person":
            print(f"| {r['set']} | {r['clip']} | {r['family']} | {r['expected']} | no person found | | | | | | |")
            continue
        ok = "" if r["got"] == r["expected"] else " ✗"
        truth = r["facing_truth"] or ""
        mark = "" if not truth else (" ✓" if truth == r["facing_sign"] else " ✗")
        print(
            f"| {r['set']} | {r['clip']} | {r['family']} | {r['expected']} | {r['got']}{ok} | "
            f"{_fmt(r['confidence'], '.2f')} | {_fmt(r['frames_ok'], '.0%')} | {r['facing_sign']} ({r['facing_rule']}) "
            f"| {truth}{mark} | {r['view']} ({_fmt(r['azimuth_deg'], '.0f')}°) | {_fmt(r['roll_deg'], '+.1f')}° |"
        )
    print()
    by_fam: dict[tuple[str, str], list[dict]] = defaultdict(list)
    by_set: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_fam[(r["family"], r["expected"])].append(r)
        by_set[r["set"]].append(r)
    print("| family | expected | clips | set correct | unknown | wrong | mean frames as expected |")
    print("|---|---|---|---|---|---|---|")
    for (fam, exp), rs in sorted(by_fam.items()):
        seen = [r for r in rs if r["got"] != "no person"]
        correct = sum(r["got"] == exp for r in seen)
        unknown = sum(r["got"] == "unknown" for r in seen)
        wrong = len(seen) - correct - unknown
        fr = [r["frames_ok"] for r in seen]
        mean = sum(fr) / len(fr) if fr else math.nan
        extra = f" ({len(rs) - len(seen)} without a person)" if len(seen) < len(rs) else ""
        cells = (fam, exp, f"{len(rs)}{extra}", f"{correct}/{len(seen)}", unknown, wrong, _fmt(mean, ".0%"))
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print()
    print("| clips | n | position correct | unknown | wrong | facing correct (where known) |")
    print("|---|---|---|---|---|---|")
    for s, rs in by_set.items():
        seen = [r for r in rs if r["got"] != "no person"]
        correct = sum(r["got"] == r["expected"] for r in seen)
        unknown = sum(r["got"] == "unknown" for r in seen)
        known = [r for r in seen if r["facing_truth"]]
        face_ok = sum(r["facing_truth"] == r["facing_sign"] for r in known)
        cells = (s, len(seen), correct, unknown, len(seen) - correct - unknown, f"{face_ok}/{len(known)}")
        print("| " + " | ".join(str(c) for c in cells) + " |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=("floor", "standing", "real"), help="one group of clips")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"{SHARED} not found: the shared test clips are needed.", file=sys.stderr)
        return 2
    groups = {
        "floor": lambda: _rendered("synthetic_floor"),
        "standing": lambda: _rendered("synthetic") + _rendered("synthetic_bodies"),
        "real": _real,
    }
    clips = [c for k, g in groups.items() if args.only in (None, k) for c in g()]
    print_tables(measure(clips, Config()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
