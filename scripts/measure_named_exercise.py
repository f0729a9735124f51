"""Naming an exercise vs recognition: false warnings with the right exercise named, catches with a wrong one.

Usage: ``.venv/bin/python scripts/measure_named_exercise.py`` (needs ``../shared``; poses from formcheck's cache).
Prints the markdown tables of docs/metrics.md ("Named exercise vs recognition"):

1. every labelled clip (real and rendered, the family from labels.json or the render's sidecar) with its right
   exercise named: recognised family, confidence, and whether the analysis would warn
   (:func:`formcheck.recognize.contradicts`, which is all :func:`formcheck.analyze.check_named_exercise` decides on);
2. the same clips named as each other exercise of the same body position (the position guard cannot catch those):
   how many are caught, and which are not.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure_recognition import clips  # noqa: E402  (the labelled clip list and its family names)

SIBLINGS = {  # exercises done in the same body position: naming one for another passes the position guard
    "hinge": ("squat", "lunge"), "squat": ("hinge", "lunge"), "lunge": ("hinge", "squat"),
    "bird_dog": ("cat_camel",), "cat_camel": ("bird_dog",), "glute_bridge": ("dead_bug",),
    "dead_bug": ("glute_bridge",), "plank": ("prone_extension",), "prone_extension": ("plank",),
}  # fmt: skip


def main() -> None:
    from formcheck.analyze import load_or_extract
    from formcheck.analyzers import NAMES
    from formcheck.config import Config
    from formcheck.errors import FormcheckError
    from formcheck.recognize import contradicts, recognize

    cfg = Config()
    rows, cross = [], []
    for src, path, fam in clips():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                rec = recognize(load_or_extract(path, cfg), cfg)
            except FormcheckError as e:
                rows.append((src, path.stem, fam, "(no pose: " + type(e).__name__ + ")", 0.0, False))
                continue
        rows.append((src, path.stem, fam, rec.family, rec.confidence, bool(contradicts(rec, fam, NAMES))))
        cross.extend((src, path.stem, fam, named, contradicts(rec, named, NAMES)) for named in SIBLINGS.get(fam, ()))
    print("| source | clip | named (= label) | recognised | confidence | warned |\n|---|---|---|---|---|---|")
    for src, clip, fam, got, conf, warned in rows:
        print(f"| {src} | {clip} | {fam} | {got} | {conf:.0%} | {'**yes**' if warned else 'no'} |")
    n_false = sum(r[5] for r in rows)
    print(f"\nRight exercise named: {len(rows)} clips, {n_false} false warnings.\n")
    by = Counter((fam, named, bool(got)) for _, _, fam, named, got in cross)
    print("| truth | named | pairs | caught |\n|---|---|---|---|")
    for fam, named in sorted({(f, n) for f, n, _ in by}):
        tot = by[(fam, named, True)] + by[(fam, named, False)]
        print(f"| {fam} | {named} | {tot} | {by[(fam, named, True)]} |")
    caught = sum(bool(c[4]) for c in cross)
    wrong = [c for c in cross if c[4] and c[4] != c[2]]
    print(f"\nWrong exercise named (same position): {caught} of {len(cross)} caught; "
          f"{len(wrong)} caught but offered the wrong alternative.")  # fmt: skip
    for src, clip, fam, named, got in cross:
        if not got:
            print(f"  missed: {src} {clip} ({fam}) named {named}")


if __name__ == "__main__":
    main()
