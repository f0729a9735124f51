"""Leave-one-body-out evaluation of camera-roll estimates on the rendered hinge clips (issue 10, item 3).

Bodies: the first rendered figure (``../shared/synthetic/dev_*side*``, "soldier"), ``michelle`` and ``xbot``
(``../shared/synthetic_bodies``). Every estimate is a direction in the image measured on the straight standing
frames of the *level* camera; all of them turn exactly with the picture (a rotation about the image centre turns
every image direction by the same angle), so an estimate's error under an applied roll is its reading on the level
camera less its expected value. The expected value (a constant: the standing lean, the sole-line offset) is chosen
on two bodies (mean of their per-body medians) and scored on the third.

Estimates (facing-signed level-camera readings, degrees; 0 would be a perfect, constant-free estimate):

* ``line``: the current estimator's body line (mid-ankle → mid-shoulder,
  :func:`formcheck.body.roll.body_line_tilt_deg`).
* ``ank_ear`` / ``ank_hip`` / ``ank_com``: other standing verticals (mid-ankle to mid-ear, mid-hip, landmark CoM).
* ``sole``: the floor line from each foot's heel → foot_index landmarks (median over both feet and frames); the
  renderer's own heel/toe points give 0 in a side view, so any reading is the landmarks' offset.
* ``heels`` / ``toes`` / ``ankles``: the line through both heels (toes, ankles), not facing-signed.
* ``sole+line``: ``w·sole + (1 − w)·line`` with ``w`` chosen leave-one-body-out too.

Truth from the renderer's JSON (``joints2d``): the true mid-ankle → mid-shoulder lean and the true heel → toe
sole angle of the standing frames.

End to end (``--e2e``): the hinge analyzer on each clip's landmarks turned by 0, ±3°, ±5° (the roll tests' own
helpers, :mod:`formcheck.roll_effect`), reporting the roll error, the largest per-rep change of the bottom CoM % of
foot vs the level camera, whether the form cues match and whether the setup cue is given. ``--real`` also lists the
roll reading and the setup cue on the real side-view hinge clips of ``../shared/videos``.

The room's straight lines (``--scene``, docs/metrics.md §8.6): poses extracted with the ``scene_lines`` probe; per
rendered clip the level camera's body-line reading (less the lean), the scene's reading and the combined one, then
the hinge analyzer at ±3°/±5° before (the sequence without the scene probe: the body line alone) and after; per
held-out body the constants' leave-one-body-out check; and the real hinge / squat / lunge clips of
``../shared/videos`` (their own analyzer): scene vs body reading, "can't tell" reasons and the setup cue before and
after.

Usage::

    .venv/bin/python scripts/lobo_roll.py [--e2e] [--real] [--scene]
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import itertools
import json
import math
import re
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
from formcheck.body import Body  # noqa: E402
from formcheck.body.position import Position  # noqa: E402
from formcheck.body.roll import _dir_deg, _mid_known, body_line_tilt_deg, body_straight  # noqa: E402
from formcheck.config import Config  # noqa: E402
from formcheck.io.cache import cached_extract  # noqa: E402
from formcheck.metrics.load_path import center_of_mass  # noqa: E402
from formcheck.roll_effect import hinge_roll_outcome, rolled_sequence  # noqa: E402
from formcheck.types import LM  # noqa: E402

SCENE_PROBES = ("dorsal_outline", "scene_lines")

CFG = Config()
BODIES = ("soldier", "michelle", "xbot")
WITHIN_DEG = 0.5  # ~3 points of CoM % of foot at ~6 points per degree
ROLLS = (-5.0, -3.0, 3.0, 5.0)


def clips() -> list[tuple[str, Path]]:
    out = [("soldier", p) for p in sorted((SHARED / "synthetic").glob("dev_*side*.mp4"))]
    for p in sorted((SHARED / "synthetic_bodies").glob("dev_*.mp4")):
        out.append((re.match(r"dev_([a-z]+)_", p.name).group(1), p))
    return out


def _floor_dir_deg(d: np.ndarray) -> np.ndarray:
    """Roll read from a floor-line vector ``(..., 2)``: its angle below image-right, the vector first turned to
    point image-right (sign as :attr:`formcheck.body.roll.RollEstimate.roll_deg`)."""
    s = np.sign(d[..., 0])[..., None]
    d = d * s
    return np.degrees(np.arctan2(d[..., 1], d[..., 0]))


def features(path: Path) -> dict:
    """Level-camera readings of every estimate on one clip (medians over its straight standing frames)."""
    seq = cached_extract(path, CFG)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        b = Body.from_sequence(seq, CFG, position="standing", level=False, sane=True)
        p = b.px
        use = (b.positions == Position.STANDING.value) & body_straight(p)
        f = float(b.view.facing_sign)

        def mid(n: str) -> np.ndarray:
            return _mid_known(p[:, LM["LEFT_" + n]], p[:, LM["RIGHT_" + n]])

        ank = mid("ANKLE")
        lines = {
            "line": body_line_tilt_deg(p),
            "ank_ear": _dir_deg(mid("EAR") - ank),
            "ank_hip": _dir_deg(mid("HIP") - ank),
            "ank_com": _dir_deg(center_of_mass(p) - ank),
        }
        r = {k: f * float(np.nanmedian(v[use])) for k, v in lines.items()}
        soles = []
        for s in ("LEFT_", "RIGHT_"):
            d = p[:, LM[s + "FOOT_INDEX"]] - p[:, LM[s + "HEEL"]]
            # Facing-signed by the foot's own toe direction: a heel point sitting higher than the toe point reads
            # the same sign whichever way the person faces.
            soles.append(np.sign(d[:, 0]) * _floor_dir_deg(d))
            r["sole_" + s[0].lower()] = float(np.nanmedian(soles[-1][use]))
        r["sole"] = float(np.nanmedian(np.concatenate([x[use] for x in soles])))
        for name, n in (("heels", "HEEL"), ("toes", "FOOT_INDEX"), ("ankles", "ANKLE")):
            d = p[:, LM["RIGHT_" + n]] - p[:, LM["LEFT_" + n]]
            r[name] = float(np.nanmedian(_floor_dir_deg(d)[use]))
            r[name + "_dx_px"] = float(np.nanmedian(np.abs(d[use, 0])))
    r.update(_truth(path.with_suffix(".json")))
    r["n"] = int(np.sum(use))
    return r


def _truth(js: Path) -> dict:
    """True standing lean of the mid-ankle → mid-shoulder line and true sole angle, from the renderer's joints."""
    if not js.is_file():
        return {"true_lean": math.nan, "true_sole": math.nan}
    d = json.loads(js.read_text())
    f = 1.0 if d["facing_in_image"] == "right" else -1.0
    lean, sole = [], []
    for fr in d["frames"]:
        if fr["phase"] not in ("setup", "top"):
            continue
        j = fr["joints2d"]
        j = ast.literal_eval(j) if isinstance(j, str) else j
        j = {k: np.asarray(v, dtype=np.float64) for k, v in j.items()}
        lean.append(f * float(_dir_deg((j["SHO_L"] + j["SHO_R"]) / 2 - (j["ANK_L"] + j["ANK_R"]) / 2)))
        for s in "LR":
            v = j["TOE_" + s] - j["HEEL_" + s]
            sole.append(float(np.sign(v[0]) * _floor_dir_deg(v)))
    return {"true_lean": float(np.median(lean)), "true_sole": float(np.median(sole))}


def lobo(rows: list[dict], key) -> dict[str, tuple[float, list[float]]]:
    """Per held-out body: the constant (mean of the two other bodies' medians) and its clips' residuals (deg)."""
    val = key if callable(key) else (lambda r: r[key])
    med = {b: float(np.median([val(r) for r in rows if r["body"] == b])) for b in BODIES}
    out = {}
    for held in BODIES:
        c = float(np.mean([med[b] for b in BODIES if b != held]))
        out[held] = (c, [val(r) - c for r in rows if r["body"] == held])
    return out


def _score(res: dict[str, tuple[float, list[float]]]) -> str:
    n = sum(int(np.sum(np.abs(e) <= WITHIN_DEG)) for _, e in res.values())
    tot = sum(len(e) for _, e in res.values())
    worst = max(float(np.max(np.abs(e))) for _, e in res.values())
    per = "; ".join(
        f"{b} c={c:+.2f} {int(np.sum(np.abs(e) <= WITHIN_DEG))}/{len(e)} max {np.max(np.abs(e)):.2f}"
        for b, (c, e) in res.items()
    )
    return f"{n}/{tot} within {WITHIN_DEG}° (worst {worst:.2f}°) | {per}"


def report_features(rows: list[dict]) -> None:
    keys = ("line", "ank_ear", "ank_hip", "ank_com", "sole_l", "sole_r", "sole", "heels", "toes", "ankles")
    print("\n## Level-camera readings (facing-signed, degrees; heels/toes/ankles raw) and renderer truth\n")
    print("| body | clip | n | " + " | ".join(keys) + " | heels dx px | true lean | true sole |")
    print("|" + "---|" * (len(keys) + 6))
    for r in rows:
        vals = " | ".join(f"{r[k]:+.2f}" for k in keys)
        print(
            f"| {r['body']} | {r['clip']} | {r['n']} | {vals} | {r['heels_dx_px']:.1f} | {r['true_lean']:+.2f} | "
            f"{r['true_sole']:+.2f} |"
        )
    print("\nper body: median (range) of each reading")
    for b in BODIES:
        sub = [r for r in rows if r["body"] == b]
        print(
            f"  {b}: "
            + ", ".join(
                f"{k} {np.median(v):+.2f} ({min(v):+.2f}…{max(v):+.2f})"
                for k in (*keys[:7], "true_lean")
                for v in ([r[k] for r in sub],)
            )
        )
    print("\n## Leave-one-body-out: constant chosen on two bodies, residual on the third\n")
    for k in ("line", "ank_ear", "ank_hip", "ank_com", "sole", "sole_l", "sole_r"):
        print(f"- {k}: {_score(lobo(rows, k))}")
    # The landmark bias of the body line (reading − true lean): does it vary less than the lean?
    print(f"- line − true lean (landmark bias only): {_score(lobo(rows, lambda r: r['line'] - r['true_lean']))}")
    _nested_lines(rows)
    # Weighted sole + body, the weight chosen on two bodies (the grid point with most training clips within).
    grid = np.linspace(0.0, 1.0, 21)
    print("- sole+line, weight chosen leave-one-body-out:")
    for held in BODIES:
        train = [r for r in rows if r["body"] != held]
        tb = [b for b in BODIES if b != held]

        def inner(w: float, train=train, tb=tb) -> tuple[int, float]:
            errs = []
            for i in tb:  # inner leave-one-body-out on the two training bodies
                o = next(b for b in tb if b != i)
                c = np.median([w * r["sole"] + (1 - w) * r["line"] for r in train if r["body"] == o])
                errs += [w * r["sole"] + (1 - w) * r["line"] - c for r in train if r["body"] == i]
            return int(np.sum(np.abs(errs) <= WITHIN_DEG)), -float(np.max(np.abs(errs)))

        w = float(max(grid, key=inner))
        res = lobo(rows, lambda r, w=w: w * r["sole"] + (1 - w) * r["line"])[held]
        e = np.array(res[1])
        print(
            f"    held out {held}: w={w:.2f} c={res[0]:+.2f}: {int(np.sum(np.abs(e) <= WITHIN_DEG))}/{len(e)} within, "
            f"residuals {np.array2string(e, precision=2)}"
        )


def _nested_lines(rows: list[dict]) -> None:
    """Averages of 1-3 body verticals, the combination *and* its constant chosen inside each fold (an inner
    leave-one-body-out on the two training bodies), scored on the held-out body."""
    lines = ("line", "ank_ear", "ank_hip", "ank_com")
    combos = [c for n in (1, 2, 3) for c in itertools.combinations(lines, n)]

    def val(r: dict, c: tuple[str, ...]) -> float:
        return float(np.mean([r[k] for k in c]))

    print("- average of 1-3 body verticals, combination and constant chosen leave-one-body-out:")
    for held in BODIES:
        tb = [b for b in BODIES if b != held]

        def inner(c: tuple[str, ...], tb=tb) -> tuple[int, float]:
            errs = []
            for i in tb:
                o = next(b for b in tb if b != i)
                k = np.median([val(r, c) for r in rows if r["body"] == o])
                errs += [val(r, c) - k for r in rows if r["body"] == i]
            return int(np.sum(np.abs(errs) <= WITHIN_DEG)), -float(np.max(np.abs(errs)))

        best = max(combos, key=inner)
        k = float(np.mean([np.median([val(r, best) for r in rows if r["body"] == b]) for b in tb]))
        e = np.array([val(r, best) - k for r in rows if r["body"] == held])
        print(
            f"    held out {held}: {'+'.join(best)} c={k:+.2f}: {int(np.sum(np.abs(e) <= WITHIN_DEG))}/{len(e)} "
            f"within, residuals {np.array2string(e, precision=2)}"
        )


def _true_com(path: Path) -> float:
    """The renderer's bottom CoM % of foot (heel → toe tip), mid-point of its per-rep range."""
    js = path.with_suffix(".json")
    if not js.is_file():
        return math.nan
    rng = json.loads(js.read_text()).get("com_pct_foot_at_bottom") or {}
    return (float(rng.get("min", math.nan)) + float(rng.get("max", math.nan))) / 2.0


def e2e(all_clips: list[tuple[str, Path]]) -> None:
    print("\n## End to end (hinge analyzer; CoM = largest per-rep |bottom CoM % − level camera's|, points)\n")
    print(
        "| body | clip | level read ° | reps | level CoM − truth | "
        + " | ".join(f"{d:+.0f}°: err ° / CoM / cues / S" for d in ROLLS)
        + " |"
    )
    print("|" + "---|" * (5 + len(ROLLS)))
    ok = {d: 0 for d in ROLLS}
    for body, path in all_clips:
        seq = cached_extract(path, CFG)
        lev = hinge_roll_outcome(seq, CFG)
        cells = []
        for d in ROLLS:
            r = hinge_roll_outcome(rolled_sequence(seq, d), CFG)
            dcom = (
                float(np.nanmax(np.abs(r.com_bottom_pct_foot - lev.com_bottom_pct_foot)))
                if r.reps == lev.reps
                else math.inf
            )
            same = r.form == lev.form
            ok[d] += int(dcom <= 3.0 and same)
            cells.append(
                f"{r.roll_deg - d:+.1f} / {dcom:.1f} / {'same' if same else 'DIFF'} / {'S' if r.roll_cue else '-'}"
            )
        truth = float(np.nanmax(np.abs(lev.com_bottom_pct_foot - _true_com(path)))) if lev.reps else math.nan
        print(
            f"| {body} | {path.stem[:34]} | {lev.roll_deg:+.1f}{' S' if lev.roll_cue else ''} | {lev.reps} | "
            f"{truth:.1f} | " + " | ".join(cells) + " |"
        )
    print(
        "\nclips with CoM within 3 points and the same cues: "
        + ", ".join(f"{d:+.0f}°: {n}/{len(all_clips)}" for d, n in ok.items())
    )


def real() -> None:
    vids = SHARED / "videos"
    print("\n## Real side-view hinge clips: roll read on the (level) camera, setup cue\n")
    for lab in json.loads((vids / "labels.json").read_text()):
        if lab.get("family") != "hinge" or "side" not in lab.get("view", "") or not (vids / lab["file"]).exists():
            continue
        r = hinge_roll_outcome(cached_extract(vids / lab["file"], CFG), CFG)
        print(f"- {lab['file']}: roll {r.roll_deg:+.2f}°, setup cue {'YES' if r.roll_cue else 'no'}, reps {r.reps}")


def _without_scene(seq):  # noqa: ANN001, ANN202 - the sequence as the body line alone sees it (today's behaviour)
    kept = {k: v for k, v in seq.probes.items() if k != "scene_lines"}
    return dataclasses.replace(seq, probes=kept, probe_versions={k: seq.probe_versions[k] for k in kept})


def _level_readings(seq, position: str = "standing") -> tuple[float, object, float, str]:  # noqa: ANN001
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        before = Body.from_sequence(_without_scene(seq), CFG, position=position, level=True, sane=True)
        after = Body.from_sequence(seq, CFG, position=position, level=True, sane=True)
    return before.camera_roll_deg, after.scene_roll, after.camera_roll_deg, after.roll_source


def _turned_frame_lines(path: Path, rolled, roll_deg: float) -> np.ndarray:  # noqa: ANN001
    """The ``scene_lines`` probe re-traced on the clip's own frames turned by ``roll_deg`` (cropped so no black corner
    shows, then put back in full-frame pixels) on the rows the extraction sampled; the person is boxed by the turned
    landmarks (the cache keeps no mask). What a rolled phone would have given, not the stored lines turned."""
    import cv2

    from formcheck.probes.scene import SceneLines

    probe = SceneLines()
    old = rolled.probes["scene_lines"]
    rows = set(np.flatnonzero(np.isfinite(old).any(axis=(1, 2))).tolist()) or set(range(0, len(old), 15))
    out = np.full_like(old, np.nan)
    px = rolled.xy_px()
    cap = cv2.VideoCapture(str(path))
    i = 0
    try:
        while i < len(old):
            ok, fr = cap.read()
            if not ok:
                break
            if i in rows:
                h, w = fr.shape[:2]
                m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -roll_deg, 1.0)  # OpenCV: + is counter-clockwise
                turned = cv2.warpAffine(cv2.cvtColor(fr, cv2.COLOR_BGR2RGB), m, (w, h))
                sn = math.sin(math.radians(abs(roll_deg)))
                mx, my = math.ceil(h * sn) + 2, math.ceil(w * sn) + 2
                crop = turned[my : h - my, mx : w - mx]
                out[i] = probe.trace(None, px[i] - [mx, my], frame=crop) + [mx, my]
            i += 1
    finally:
        cap.release()
    return out


def scene(all_clips: list[tuple[str, Path]]) -> None:
    from formcheck.body.roll import SCENE_BODY_AGREE_DEG, SCENE_CORRECT_MIN_DEG

    print("\n## Scene lines: level camera readings and the hinge analyzer at ±3°/±5°, before → after\n")
    print(
        "CoM = largest per-rep |bottom CoM % − level camera's| (points), after: (roll read − applied); the landmarks "
        "turned as before, the room's lines re-traced on the clip's frames turned and cropped; ✗ misses the target\n"
    )
    print(
        "| body | clip | body ° | scene ° (n frames, inliers) | used ° | "
        + " | ".join(f"{d:+.0f}°: CoM before → after" for d in ROLLS)
        + " | target before → after |"
    )
    print("|" + "---|" * (6 + len(ROLLS)))
    rows, n_ok = [], [0, 0]
    for body, path in all_clips:
        seq = cached_extract(path, CFG, probes=SCENE_PROBES)
        b, sc, used, src = _level_readings(seq)
        lev = {k: hinge_roll_outcome(s, CFG) for k, s in (("before", _without_scene(seq)), ("after", seq))}
        cells, ok = [], {"before": lev["before"].roll_cue is False, "after": lev["after"].roll_cue is False}
        for d in ROLLS:
            parts = []
            for k, s0 in (("before", _without_scene(seq)), ("after", seq)):
                rolled = rolled_sequence(s0, d)
                if k == "after":  # the room's lines as the turned frames show them (not the stored ones turned)
                    probes = {**rolled.probes, "scene_lines": _turned_frame_lines(path, rolled, d)}
                    rolled = dataclasses.replace(rolled, probes=probes)
                r = hinge_roll_outcome(rolled, CFG)
                dcom = (
                    float(np.nanmax(np.abs(r.com_bottom_pct_foot - lev[k].com_bottom_pct_foot)))
                    if r.reps == lev[k].reps
                    else math.inf
                )
                good = dcom <= 3.0 and r.form == lev[k].form and (abs(d) < 4 or r.roll_cue)
                ok[k] &= good
                err = f" ({r.roll_deg - d:+.2f}°)" if k == "after" else ""
                parts.append(f"{dcom:.1f}{err}{'' if r.form == lev[k].form else ' DIFF'}{'' if good else ' ✗'}")
            cells.append(" → ".join(parts))
        n_ok[0] += ok["before"]
        n_ok[1] += ok["after"]
        rows.append({"body": body, "body_deg": b, "scene_deg": sc.roll_deg, "used": used, "src": src})
        print(
            f"| {body} | {path.stem[:34]} | {b:+.2f} | {sc.roll_deg:+.2f} ({sc.n_frames}, {sc.inlier_share:.2f})"
            f"{' ' + sc.reason if sc.reason else ''} | {used:+.2f} {src} | "
            + " | ".join(cells)
            + f" | {'yes' if ok['before'] else 'no'} → {'yes' if ok['after'] else 'no'} |"
        )
    print(
        f"\nissue target (same cues, CoM within 3 points at ±3°/±5°, cue at ±5°): {n_ok[0]} → {n_ok[1]} of {len(rows)}"
    )
    print("\n## Constants, leave-one-body-out\n")
    print(
        "Agreement: the largest body − scene gap on the two training bodies' level cameras + 0.5° for bodies beyond "
        "them; correction threshold: must exceed the training bodies' largest level scene reading (the value used, "
        f"{SCENE_CORRECT_MIN_DEG}°, is the issue's 3-point budget at ~6 points per degree).\n"
    )
    for held in BODIES:
        train = [r for r in rows if r["body"] != held]
        test = [r for r in rows if r["body"] == held]
        noise = float(np.nanmax([abs(r["scene_deg"]) for r in train]))
        gap = float(np.nanmax([abs(r["body_deg"] - r["scene_deg"]) for r in train]))
        tol = math.ceil((gap + 0.5) * 10.0) / 10.0
        t_noise = float(np.nanmax([abs(r["scene_deg"]) for r in test]))
        t_gaps = [abs(r["body_deg"] - r["scene_deg"]) for r in test]
        inside = sum(g <= tol for g in t_gaps)
        untouched = sum(abs(r["scene_deg"]) < SCENE_CORRECT_MIN_DEG for r in test)
        used = sum(r["src"] == "scene" for r in test)
        print(
            f"- held out {held}: training level scene ≤ {noise:.2f}°, body − scene gap ≤ {gap:.2f}° → agreement "
            f"{tol:.1f}° ({SCENE_BODY_AGREE_DEG}° used); held-out clips: gap ≤ {max(t_gaps):.2f}°, "
            f"{inside}/{len(test)} agree at {tol:.1f}°, scene used on {used}/{len(test)}; level scene ≤ "
            f"{t_noise:.2f}°, {untouched}/{len(test)} level cameras untouched"
        )


def scene_real() -> None:
    from formcheck.analyzers import get_analyzer
    from formcheck.cues import analysis_cues

    vids = SHARED / "videos"
    print("\n## Real hinge / squat / lunge clips (their own analyzer): roll readings and the setup cue\n")
    print("| clip | view | body ° | scene ° (frames, inliers, support) | used ° | setup cue before → after |")
    print("|---|---|---|---|---|---|")
    counts = {"n": 0, "cant": 0, "new_cue": 0, "scene": 0}
    for lab in json.loads((vids / "labels.json").read_text()):
        fam = lab.get("family")
        if fam not in ("hinge", "squat", "lunge") or not (vids / lab["file"]).exists():
            continue
        seq = cached_extract(vids / lab["file"], CFG, probes=SCENE_PROBES)
        b, sc, used, src = _level_readings(seq)
        cue = []
        for s in (_without_scene(seq), seq):
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=RuntimeWarning)
                an = get_analyzer(fam, CFG).analyze(s)
            cue.append("setup.camera_roll" in {c.code for c in analysis_cues(an, CFG)})
        counts["n"] += 1
        counts["cant"] += not math.isfinite(sc.roll_deg)
        counts["scene"] += src == "scene"
        counts["new_cue"] += cue[1] and not cue[0]
        print(
            f"| {lab['file']} | {lab['view'][:24]} | {b:+.2f} | {sc.roll_deg:+.2f} ({sc.n_frames}, "
            f"{sc.inlier_share:.2f}, {sc.support_frac:.2f}){' ' + sc.reason if sc.reason else ''} | "
            f"{used:+.2f} {src} | "
            f"{'YES' if cue[0] else 'no'} → {'YES' if cue[1] else 'no'} |"
        )
    print(
        f"\n{counts['n']} clips: the scene can't tell on {counts['cant']}, is used on {counts['scene']}; "
        f"new setup cues: {counts['new_cue']}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--e2e", action="store_true", help="run the hinge analyzer on rolled clips")
    ap.add_argument("--real", action="store_true", help="roll reading on the real side-view hinge clips")
    ap.add_argument("--scene", action="store_true", help="the room's straight lines: rendered and real clips")
    ap.add_argument(
        "--min-correct", type=float, default=None, help="try another ROLL_CORRECT_MIN_DEG (patched, not saved)"
    )
    args = ap.parse_args()
    if args.min_correct is not None:
        import formcheck.body as fb

        fb.ROLL_CORRECT_MIN_DEG = args.min_correct  # read at call time by Body.from_sequence
    all_clips = clips()
    if args.scene:
        scene(all_clips)
        scene_real()
        return
    rows = [{"body": b, "clip": p.stem[:34], **features(p)} for b, p in all_clips]
    report_features(rows)
    if args.e2e:
        e2e(all_clips)
    if args.real:
        real()


if __name__ == "__main__":
    main()
