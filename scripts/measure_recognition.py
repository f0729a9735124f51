"""Recognition on every labelled development clip: per-family accuracy, misses, and where the thresholds come from.

Usage: ``.venv/bin/python scripts/measure_recognition.py`` (needs ``../shared``; poses from formcheck's cache,
``load_or_extract``, so a warm cache makes this take seconds). Prints the markdown tables of docs/metrics.md
("Recognition (issue 13)"):

1. per family: clips, right (named confidently and correctly), asked (below the confidence threshold), wrong;
   real and rendered separately; then every clip that was not right;
2. per data-chosen threshold: the value chosen on the rendered clips (the best-accuracy cut, at the middle of the
   widest gap) and its score on the real clips; and leave-one-clip-out over all clips (the cut chosen on the
   others, the held-out clip scored).
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# Label families recognition names differently: a standing forward bend is the hinge family.
FAMILY_OF = {"forward_bend": "hinge", "prone_press_up": "prone_extension"}


def clips() -> list[tuple[str, Path, str]]:
    """(source, video, expected family) of every labelled development clip: real and rendered."""
    out = []
    for lab in json.loads((SHARED / "videos" / "labels.json").read_text()):
        out.append(("real", SHARED / "videos" / lab["file"], FAMILY_OF.get(lab["family"], lab["family"])))
    for folder in ("synthetic", "synthetic_bodies"):
        for p in sorted((SHARED / folder).glob("*.mp4")):
            out.append(("rendered", p, "squat" if "_squat_" in p.name else "hinge"))
    for p in sorted((SHARED / "synthetic_floor").glob("*.mp4")):
        kind = json.loads(p.with_suffix(".json").read_text())["kind"]
        out.append(("rendered", p, FAMILY_OF.get(kind, kind)))
    return out


def recognise_all(rows: list[tuple[str, Path, str]]) -> list[dict]:
    """Recognition of each clip (nobody found → family ``unknown`` with the error as the reason)."""
    from formcheck.analyze import load_or_extract
    from formcheck.config import Config
    from formcheck.errors import FormcheckError
    from formcheck.recognize import recognize

    cfg = Config()
    out = []
    for src, path, fam in rows:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                rec = recognize(load_or_extract(path, cfg), cfg)
                got, conf, why, pos, feats = rec.family, rec.confidence, rec.reason, rec.position, dict(rec.features)
                ok = rec.confident
            except FormcheckError as e:
                got, conf, why, pos, feats, ok = "unknown", 0.0, str(e).split(". ")[0], "unknown", {}, False
        out.append({"src": src, "clip": path.stem, "family": fam, "got": got, "confident": ok, "conf": conf,
                    "reason": why, "position": pos, "features": feats})  # fmt: skip
    return out


def recognise_first_seconds(rows: list[tuple[str, Path, str]], window_s: float) -> list[dict]:
    """What the live app's :class:`~formcheck.recognize.RecognitionStream` says after the first ``window_s`` s of
    each clip (clips nobody is found in are left out)."""
    from formcheck.analyze import load_or_extract
    from formcheck.config import Config
    from formcheck.errors import FormcheckError
    from formcheck.recognize import RecognitionStream

    cfg = Config()
    out = []
    for src, path, fam in rows:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                seq = load_or_extract(path, cfg)
            except FormcheckError:
                continue
            stream = RecognitionStream(seq.width, seq.height, window_s=window_s, config=cfg)
            for i in range(seq.n_frames):
                if not stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i]):
                    break
            rec = stream.result()
        out.append({"src": src, "clip": path.stem, "family": fam, "got": rec.family, "confident": rec.confident,
                    "conf": rec.confidence, "reason": rec.reason, "position": rec.position})  # fmt: skip
    return out


def family_table(res: list[dict]) -> str:
    by: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in res:
        by[(r["family"], r["src"])].append(r)
    fams = sorted({r["family"] for r in res})
    lines = ["| family | real: clips | right | asked | wrong | rendered: clips | right | asked | wrong |",
             "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for fam in fams:
        cells = []
        for src in ("real", "rendered"):
            rs = by.get((fam, src), [])
            right = sum(r["confident"] and r["got"] == fam for r in rs)
            asked = sum(not r["confident"] for r in rs)
            wrong = sum(r["confident"] and r["got"] != fam for r in rs)
            pct = f" ({right / len(rs):.0%})" if rs else ""
            dash = "–"
            cells += [str(len(rs)), f"{right}{pct}" if rs else dash] + [str(n) if rs else dash for n in (asked, wrong)]
        lines.append(f"| {fam} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses_table(res: list[dict]) -> str:
    lines = ["| clip | source | family | recognised | confidence | reason |", "|---|---|---|---|---|---|"]
    for r in res:
        if r["confident"] and r["got"] == r["family"]:
            continue
        got = r["got"] if r["confident"] else f"asked ({r['got']})"
        lines.append(f"| {r['clip']} | {r['src']} | {r['family']} | {got} | {r['conf']:.2f} | {r['reason']} |")
    return "\n".join(lines)


# (threshold name in formcheck.recognize, feature, family above, families below, position)
THRESHOLDS = [
    ("TRUNK_BEND_MIN_DEG", "trunk_bend_deg", "hinge", ("squat", "lunge"), "standing"),
    ("STANCE_SPLIT_MIN_FRAC", "stance_frac", "lunge", ("squat",), "standing"),
    ("LIMB_LIFT_MIN_DEG", "limb_lift_deg", "bird_dog", ("cat_camel",), "quadruped"),
    ("FEET_SPLIT_MIN_FRAC", "stance_frac", "dead_bug", ("glute_bridge",), "supine"),
    ("PRONE_RAISE_MIN_DEG", "prone_raise_deg", "prone_extension", ("plank",), "prone"),
]


def choose_cut(lo: list[float], hi: list[float]) -> float:
    """The cut with the fewest errors (``lo`` below, ``hi`` at or above), at the middle of the widest such gap."""
    vals = sorted(set(lo + hi))
    if not lo or not hi:
        return math.nan
    best = None
    for a, b in zip(vals, vals[1:], strict=False):
        cut = (a + b) / 2
        err = sum(v >= cut for v in lo) + sum(v < cut for v in hi)
        key = (err, -(b - a))
        if best is None or key < best[0]:
            best = (key, cut)
    return best[1] if best else math.nan


def threshold_table(res: list[dict]) -> str:
    from formcheck import recognize as rz

    lines = ["| threshold | in the code | chosen on rendered | real clips on the right side | "
             "leave-one-clip-out (all clips) |", "|---|---|---|---|---|"]  # fmt: skip
    for name, feat, above, below, _pos in THRESHOLDS:
        rows = [r for r in res if r["family"] in (above, *below) and feat in r["features"]]
        rows = [r for r in rows if math.isfinite(r["features"][feat])]

        def split(rs, feat=feat, above=above):
            return ([r["features"][feat] for r in rs if r["family"] != above],
                    [r["features"][feat] for r in rs if r["family"] == above])  # fmt: skip

        lo_r, hi_r = split([r for r in rows if r["src"] == "rendered"])
        cut = choose_cut(lo_r, hi_r)
        real = [r for r in rows if r["src"] == "real"]
        ok_real = sum((r["features"][feat] >= cut) == (r["family"] == above) for r in real)
        loo_ok = 0
        for i, r in enumerate(rows):
            lo, hi = split(rows[:i] + rows[i + 1 :])
            c = choose_cut(lo, hi)
            loo_ok += (r["features"][feat] >= c) == (r["family"] == above)
        lines.append(
            f"| `{name}` ({above} vs {'/'.join(below)}, {feat}) | {getattr(rz, name):g} | {cut:.3g} | "
            f"{ok_real}/{len(real)} | {loo_ok}/{len(rows)} |"
        )
    return "\n".join(lines)


def main() -> int:
    if not (SHARED / "videos" / "labels.json").exists():
        print("../shared is not present", file=sys.stderr)
        return 1
    res = recognise_all(clips())
    print("## Accuracy per family\n")
    print(family_table(res))
    print("\n## Clips not recognised right\n")
    print(misses_table(res))
    print("\n## Thresholds\n")
    print(threshold_table(res))
    for window_s in (4.0, 8.0):
        first = recognise_first_seconds(clips(), window_s)
        right = sum(r["confident"] and r["got"] == r["family"] for r in first)
        wrong = sum(r["confident"] and r["got"] != r["family"] for r in first)
        print(f"\n## First {window_s:g} s (RecognitionStream): {right}/{len(first)} right, {wrong} wrong\n")
        print(misses_table(first))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
