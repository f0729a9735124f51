"""Phase times of the rendered floor clips' reps vs their exact truth, and the tempo cues they get (docs/metrics.md).

For each rendered clip of ``../shared/synthetic_floor`` that has reps (bridge, bird-dog, dead bug, cat-camel, prone
press-up, and the split-squat clip beside them), its exercise's analyzer runs on the cached poses with the clip's
own prescribed tempo as the target (``target_tempo_s``: the tempo the figure moved at), and each counted rep is
matched to the truth rep it overlaps most. Per rep the three phase times are compared with the truth's
``phase_intervals``: the first movement (``eccentric_s``: bridge rise, bird-dog reach, dead-bug extension, cat-camel
flexion, press-up, lunge lowering), the pause at the turnaround (``bottom_pause_s``) and the second movement
(``concentric_s``). A phase the analyzer left unknown (NaN) is counted as "unknown", not as an error. Every rep
was performed at the prescribed tempo, so every tempo cue given is a wrong one.

The ``truth curve`` column runs the same rep code (the analyzer's strategy) on the exact per-frame truth of the
quantity the analyzer times (bridge: ``body_line_knee_deg``; bird-dog / dead bug: both thighs' reach from
``thigh_elevation_*``; cat-camel: ``spine_flexion_deg``; press-up: ``trunk_incl_floor_deg``), with no pose
tracking in between: what the phase fit reads from a perfectly tracked signal. Where that column is already off,
the signal itself does not move over the scripted phase (the rendered bird-dog and dead-bug thigh moves over about
60 % of it; the arm carries the rest); where only the measured column is off, the tracked landmarks are.

``--real`` adds the labelled real clips of the same families (``../shared/videos/labels.json``: ``rep_bounds_s``):
the error of each rep's start and end against the hand-labelled bounds.

Truth is read from ``../shared`` at run time; nothing of it is stored in the repo.

Run: ``.venv/bin/python scripts/measure_floor_tempo.py [--real] [--reps]`` (poses from the user pose cache).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np

from formcheck import cues as cue_engine
from formcheck.analyze import load_or_extract
from formcheck.analyzers import alternating_floor as af
from formcheck.analyzers import cat_camel
from formcheck.config import Config
from formcheck.engine.registry import get_spec
from formcheck.engine.repstrategies import Cyclic

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import fc_floor_clips  # noqa: E402 - the rendered floor clips and their truth's phase names (the tests' helper)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FLOOR = fc_floor_clips.FLOOR
FIELDS = ("eccentric_s", "bottom_pause_s", "concentric_s")
TEMPO_FIELDS = frozenset({*FIELDS, "top_pause_s"})


def truth_windows(meta: dict, exercise: str, cfg: Config) -> list:
    """The analyzer's rep strategy on the exact truth curve of the quantity it times (see the module doc)."""
    fr = meta["frames"]
    t = np.array([f["t"] for f in fr])

    def col(key: str) -> np.ndarray:
        return np.array([f[key] for f in fr], dtype=np.float64)

    ex = cfg.exercise_config(exercise)
    if exercise in ("bird_dog", "dead_bug"):
        sign = +1.0 if exercise == "bird_dog" else -1.0
        left, right = (90.0 + sign * col(f"thigh_elevation_{s}_deg") for s in "LR")
        return af.strategy(cfg, exercise).batch(t, left, right)
    if exercise == "cat_camel":
        return cat_camel.strategy(ex).batch(t, col("spine_flexion_deg"))
    if exercise == "glute_bridge":
        return Cyclic(ex.min_rom_deg, ex.rep_prominence_frac).batch(t, col("body_line_knee_deg"))
    if exercise == "prone_extension":
        return Cyclic(ex.min_rom_deg, ex.rep_prominence_frac).batch(t, col("trunk_incl_floor_deg"))
    return []


REAL_FAMILIES = {"glute_bridge": "glute_bridge", "bird_dog": "bird_dog", "dead_bug": "dead_bug"}


def analyse(exercise: str, video: Path, cfg: Config):
    """The exercise's analysis of ``video`` (cached poses) with the cue engine's cues."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        seq = load_or_extract(video, cfg)
        an = get_spec(exercise).analyzer(cfg).analyze(seq)
    return an, cue_engine.analysis_cues(an, cfg)


def truth_reps(meta: dict, phases: tuple[str, str, str]) -> list[dict[str, tuple[float, float]]]:
    """Per truth rep: ``{phase: (start_s, end_s)}`` for the three phases compared."""
    reps: dict[int, dict[str, tuple[float, float]]] = {}
    for p in meta["phase_intervals"]:
        if p["phase"] in phases and p["rep"]:
            reps.setdefault(p["rep"], {})[p["phase"]] = (p["start_s"], p["end_s"])
    return [reps[k] for k in sorted(reps) if len(reps[k]) == 3]


def clip_rows(meta: dict, video: Path) -> dict:
    """One rendered clip: per-rep phase errors (measured - truth), unknown phases, tempo cues."""
    exercise, phases = fc_floor_clips.REP_PHASES[meta["spec"]["kind"]]
    tempo = [float(x) for x in meta["spec"]["tempo"]]
    # The figure's tempo as the target: (first movement, turnaround pause, second movement, rest). The cat-camel's
    # six-part tempo (flex, hold, extend, hold in extension, return, rest) gives its first four.
    cfg = Config().replace_exercise(exercise, target_tempo_s=tuple(tempo[:4]))
    an, cues = analyse(exercise, video, cfg)
    truth = truth_reps(meta, phases)
    errs, unknown, rows = phase_errors(an.reps, truth, phases)
    curve, _, _ = phase_errors(truth_windows(meta, exercise, cfg), truth, phases)
    tempo_cues = [c for c in cues if c.metric in TEMPO_FIELDS]
    return {"exercise": exercise, "reps": len(an.reps), "truth_reps": len(truth), "errs": errs, "unknown": unknown,
            "curve": curve, "tempo_cues": tempo_cues, "rows": rows}  # fmt: skip


def phase_errors(reps, truth: list, phases: tuple[str, str, str]) -> tuple[dict[str, list[float]], int, list]:
    """Per phase, measured minus true time of each rep (a rep or window) matched to the truth rep it overlaps most;
    the count of phases left unknown; one row per rep."""
    errs: dict[str, list[float]] = {f: [] for f in FIELDS}
    unknown, rows = 0, []
    for i, r in enumerate(reps):
        over = [min(r.end_s, tr[phases[2]][1]) - max(r.start_s, tr[phases[0]][0]) for tr in truth]
        if not over or max(over) <= 0:
            continue
        tr = truth[int(np.argmax(over))]
        true = [tr[p][1] - tr[p][0] for p in phases]
        got = [float(getattr(r, f)) for f in FIELDS]
        for f, g, t in zip(FIELDS, got, true, strict=True):
            if math.isfinite(g):
                errs[f].append(g - t)
            else:
                unknown += 1
        rows.append((i + 1, got, true, r.start_s - tr[phases[0]][0], r.end_s - tr[phases[2]][1]))
    return errs, unknown, rows


def pooled(errs: dict[str, list[float]]) -> list[float]:
    return [x for f in FIELDS for x in errs[f]]


def fmt(errs: list[float]) -> str:
    if not errs:
        return "   -  /   -  "
    a = np.abs(errs)
    return f"{np.median(a):5.2f} / {np.max(a):4.2f}"


def rendered(show_reps: bool) -> None:
    by_family: dict[str, list[dict]] = {}
    print("Per clip, |measured - truth| in s, median / worst over the reps:")
    print()
    print("| clip | reps (truth) | first movement | pause | second movement | unknown | tempo cues | truth curve |")
    print("|---|---|---|---|---|---|---|---|")
    for js in sorted(FLOOR.glob("*.json")):
        meta = json.loads(js.read_text())
        if not isinstance(meta, dict) or "spec" not in meta:  # mediapipe_check.json
            continue
        if meta["spec"]["kind"] not in fc_floor_clips.REP_PHASES or not meta["spec"].get("reps"):
            continue
        res = clip_rows(meta, js.with_suffix(".mp4"))
        by_family.setdefault(res["exercise"], []).append(res)
        e = res["errs"]
        print(f"| {js.stem} | {res['reps']} ({res['truth_reps']}) | {fmt(e['eccentric_s'])} | "
              f"{fmt(e['bottom_pause_s'])} | {fmt(e['concentric_s'])} | {res['unknown']} | "
              f"{len(res['tempo_cues'])} | {fmt(pooled(res['curve']))} |")  # fmt: skip
        if show_reps:
            for i, got, true, ds, de in res["rows"]:
                print(f"|   rep {i} | got {[round(g, 2) for g in got]} | truth {[round(t, 2) for t in true]} | "
                      f"start {ds:+.2f} s, end {de:+.2f} s | | | | |")  # fmt: skip
            for c in res["tempo_cues"]:
                print(f"|   cue | rep {c.rep_index}: {c.message} | | | | | | |")
    print()
    print("Per family, |measured - truth| in s, median / worst over the reps (phases pooled), and tempo cues:")
    print()
    print("| family | clips | reps | phase error median / worst | unknown phases | tempo cues | truth curve |")
    print("|---|---|---|---|---|---|---|")
    for fam, rs in by_family.items():
        meas = [x for r in rs for x in pooled(r["errs"])]
        curve = [x for r in rs for x in pooled(r["curve"])]
        n_reps, unknown = sum(r["reps"] for r in rs), sum(r["unknown"] for r in rs)
        cues = sum(len(r["tempo_cues"]) for r in rs)
        print(f"| {fam} | {len(rs)} | {n_reps} | {fmt(meas)} | {unknown} | {cues} | {fmt(curve)} |")


def real() -> None:
    labels = json.loads((SHARED / "videos" / "labels.json").read_text())
    labels = labels if isinstance(labels, list) else labels["clips"]
    print()
    print("Labelled real clips: rep start / end minus the hand-labelled bounds (s), reps matched in order.")
    print()
    print("| clip | reps (label) | start errors | end errors |")
    print("|---|---|---|---|")
    allerr: list[float] = []
    for c in labels:
        exercise = REAL_FAMILIES.get(c.get("family", ""))
        if exercise is None or not c.get("rep_bounds_s"):
            continue
        an, _ = analyse(exercise, SHARED / "videos" / c["file"], Config())
        se, ee = [], []
        for r, (lo, hi) in zip(an.reps, c["rep_bounds_s"], strict=False):
            se.append(r.start_s - lo)
            ee.append(r.end_s - hi)
        allerr += [abs(x) for x in se + ee]
        print(f"| {c['file']} | {len(an.reps)} ({c['reps']}) | {' '.join(f'{x:+.2f}' for x in se)} | "
              f"{' '.join(f'{x:+.2f}' for x in ee)} |")  # fmt: skip
    if allerr:
        print(f"\nAll bounds: |error| median {np.median(allerr):.2f} s, worst {np.max(allerr):.2f} s "
              f"({len(allerr)} bounds)")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real", action="store_true", help="also the labelled real clips' rep bounds")
    ap.add_argument("--reps", action="store_true", help="one line per rep and the tempo cues' words")
    args = ap.parse_args()
    rendered(args.reps)
    if args.real:
        real()


if __name__ == "__main__":
    main()
