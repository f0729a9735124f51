"""Hinge back-rounding, class and cues on every rendered body (issue 10): measure before tuning anything.

Runs formcheck's cached extraction (``formcheck.io.cache.cached_extract``, the pose cache every test uses) and the
hinge analysis on every clip of the three development bodies — ``soldier`` (``../shared/synthetic``), ``michelle``
and ``xbot`` (``../shared/synthetic_bodies``) — and prints, per clip and per body: reps found vs true, class right,
back-rounding estimate vs true peak spinal flexion per rep, Spearman, and the cues fired on each rep.

Usage::

    .venv/bin/python scripts/eval_hinge_bodies.py [--body soldier|michelle|xbot] [--json out.json]

The functions here (:func:`clips_by_body`, :func:`evaluate_clip`) are also used by the integration test
``tests/integration/test_hinge_bodies.py`` and by ``scripts/lobo_hinge_bodies.py`` (leave-one-body-out);
:func:`side_view_clips` and :func:`true_rep_windows` give the leave-one-body-out scripts (``lobo_hinge_bodies.py``,
``lobo_back_gate.py``) their side-view clips and the rep windows that fall on a true rep.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BODY_DIRS = {
    "soldier": SHARED / "synthetic",
    "michelle": SHARED / "synthetic_bodies",
    "xbot": SHARED / "synthetic_bodies",
}
ROUNDING_TRUE_DEG = 25.0  # issue 10: rounding must be found on reps with at least this true spinal flexion
CLEAN_TRUE_MAX_DEG = 10.0  # a rep with less true spinal flexion is clean (the rendered clean reps are 3-7°)


def clips_by_body(shared: Path = SHARED) -> dict[str, list[Path]]:
    """``{body: [json truth files]}`` of every development clip with its video, front views included."""
    out: dict[str, list[Path]] = {}
    for body in BODY_DIRS:
        d = shared / ("synthetic" if body == "soldier" else "synthetic_bodies")
        pat = "dev_*.json" if body == "soldier" else f"dev_{body}_*.json"
        out[body] = sorted(p for p in d.glob(pat) if p.with_suffix(".mp4").exists())
    return out


@dataclass
class RepResult:
    """One found rep against the rendered truth of the rep it falls in."""

    clip: str
    index: int
    true_rep: int  # 0 = the found rep's bottom lies in no true rep
    spine_true_deg: float
    spine_est_deg: float
    spine_conf: float
    class_true: str
    class_found: str
    cues: list[str]
    hip_back_cm: float
    thigh_length_cm: float
    hip_back_true_cm: float
    knee_true_deg: float
    knee_est_deg: float
    pelvis_true_deg: float
    trunk_delta_deg: float


@dataclass
class ClipResult:
    """A clip's reps and what the analysis said about them."""

    body: str
    name: str
    view: str
    reps_true: int
    reps_found: int
    reps: list[RepResult] = field(default_factory=list)
    set_cues: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def truth_class(knee_deg: float, pelvis_deg: float, spine_deg: float, squat_knee_deg: float, stoop_share: float) -> str:
    """The class the analyzer's rules give to the *true* joint values (so the test checks the measurement)."""
    if knee_deg >= squat_knee_deg:
        return "squat_like"
    share = pelvis_deg / (pelvis_deg + spine_deg) if pelvis_deg + spine_deg > 0 else math.nan
    return "stoop" if share < stoop_share else "hinge"


def load_truth(js: Path) -> dict[str, Any]:
    """Per-frame truth arrays of a rendered clip (``t``, ``rep`` and the joint series)."""
    g = json.loads(js.read_text())
    fr = g["frames"]
    keys = ("t", "rep", "spine_flexion_deg", "pelvis_tilt_deg", "knee_flexion_deg", "trunk_inclination_deg",
            "hip_forward_of_ankle_m")  # fmt: skip
    out = {k: np.array([f.get(k, math.nan) for f in fr], dtype=float) for k in keys}
    out["n_reps"] = int(g["spec"]["reps"])
    out["stature_m"] = float(g.get("definitions", {}).get("stature", {}).get("m", math.nan)) if isinstance(
        g.get("definitions", {}).get("stature"), dict) else math.nan  # fmt: skip
    return out


class SideClip(NamedTuple):
    """A side-view development clip through the real pipeline: its features, (optional) analysis and truth."""

    body: str
    js: Path  # the clip's truth file (the video is ``js.with_suffix(".mp4")``)
    seq: Any  # PoseSequence (cached extraction)
    f: Any  # the hinge's features
    an: Any  # the hinge's analysis of ``f`` (None unless asked for)
    truth: dict[str, Any]  # :func:`load_truth`


def side_view_clips(extract_cfg: Any, feature_cfg: Any = None, analyze: bool = False) -> Iterator[SideClip]:
    """Every side-view development clip of the three bodies (front views are skipped).

    Extraction is formcheck's cached one with ``extract_cfg``; features (and, with ``analyze``, the analysis) use
    ``feature_cfg`` (default ``extract_cfg``), with the pipeline's warnings silenced (the scripts print tables).
    """
    from formcheck.analyzers.hinge import analyze_features, compute_features
    from formcheck.io.cache import cached_extract

    feature_cfg = extract_cfg if feature_cfg is None else feature_cfg
    for body, files in clips_by_body().items():
        for js in files:
            seq = cached_extract(js.with_suffix(".mp4"), extract_cfg)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f = compute_features(seq, feature_cfg)
                if f.view != "side":
                    continue
                an = analyze_features(f, seq, feature_cfg) if analyze else None
            yield SideClip(body, js, seq, f, an, load_truth(js))


def true_rep_windows(f: Any, truth: dict[str, Any], cfg: Any) -> Iterator[tuple[Any, np.ndarray, int]]:
    """The hinge's rep windows whose bottom lies in a true rep: ``(window, bottom frames, true rep number)``."""
    from formcheck.analyzers.hinge import _bottom_window, find_rep_windows

    for w in find_rep_windows(f, cfg):
        k = int(truth["rep"][w.bottom_i])
        if k > 0:
            yield w, _bottom_window(f, w), k


def evaluate_clip(body: str, js: Path, seq: Any, analysis: Any, cfg: Any) -> ClipResult:
    """Compare one analysed clip with its truth, rep by rep (a found rep is matched by where its bottom lies)."""
    from formcheck.cues import quality_cues, usable_rep_cues

    h = cfg.exercise_config("hinge")
    tr = load_truth(js)
    t, rep_t = tr["t"], tr["rep"].astype(int)
    res = ClipResult(body=body, name=js.stem, view=analysis.quality.view, reps_true=tr["n_reps"],
                     reps_found=len(analysis.reps), warnings=list(analysis.quality.warnings),
                     set_cues=[c.code for c in quality_cues(analysis.quality, cfg)])  # fmt: skip
    base_hip = float(np.nanmedian(tr["hip_forward_of_ankle_m"][rep_t == 0])) if np.any(rep_t == 0) else math.nan
    for r in analysis.reps:
        k = int(rep_t[int(np.argmin(np.abs(t - r.bottom_s)))])
        m = rep_t == k if k > 0 else np.zeros_like(rep_t, dtype=bool)
        if k > 0:
            knee = float(np.max(tr["knee_flexion_deg"][m]))
            pelvis = float(np.max(tr["pelvis_tilt_deg"][m]) - tr["pelvis_tilt_deg"][0])
            spine = float(np.max(tr["spine_flexion_deg"][m]))
            hb = 100.0 * (base_hip - float(np.min(tr["hip_forward_of_ankle_m"][m])))
            cls = truth_class(knee, pelvis, spine, h.squat_knee_deg, h.stoop_hip_share)
        else:
            knee = pelvis = spine = hb = math.nan
            cls = "none"
        cues = [c.code for c in usable_rep_cues(r, analysis.quality, cfg, "hinge")]
        mt = r.metrics
        res.reps.append(RepResult(
            clip=js.stem, index=r.index, true_rep=k, spine_true_deg=spine,
            spine_est_deg=float(mt["spine_flexion_est_deg"]),
            spine_conf=float(mt.get("spine_flexion_conf_frac", math.nan)), class_true=cls, class_found=r.classification,
            cues=cues, hip_back_cm=float(mt["hip_back_cm"]),
            thigh_length_cm=float(mt.get("thigh_length_cm", math.nan)), hip_back_true_cm=hb, knee_true_deg=knee,
            knee_est_deg=float(mt["knee_flexion_bottom_deg"]), pelvis_true_deg=pelvis,
            trunk_delta_deg=float(mt["trunk_inclination_max_deg"]),
        ))  # fmt: skip
    return res


def is_form_correction(code: str) -> bool:
    """A cue asking to change the movement's form (not praise, not tempo)."""
    return code != "praise.clean" and not code.startswith("tempo.")


def is_clean_hinge(r: RepResult) -> bool:
    """A rendered rep with no fault: a hinge with < 10° of true spinal flexion, not from the weight-on-toes clip."""
    return r.spine_true_deg < CLEAN_TRUE_MAX_DEG and r.class_true == "hinge" and "toes" not in r.clip


def body_stats(clips: list[ClipResult], side_only: bool = True) -> dict[str, float]:
    """The issue's done-when figures for one body (side-view reps; a front/oblique view cannot see the back)."""
    from scipy.stats import spearmanr

    reps = [r for c in clips if (c.view == "side" or not side_only) for r in c.reps if r.true_rep > 0]
    clean = [r for r in reps if r.spine_true_deg < CLEAN_TRUE_MAX_DEG]
    rounded = [r for r in reps if r.spine_true_deg >= ROUNDING_TRUE_DEG]
    pairs = np.array([(r.spine_est_deg, r.spine_true_deg) for r in reps if math.isfinite(r.spine_est_deg)])
    rho = float(spearmanr(pairs[:, 0], pairs[:, 1]).statistic) if len(pairs) >= 3 else math.nan
    all_reps = [r for c in clips for r in c.reps if r.true_rep > 0]
    clean_all = [r for r in all_reps if is_clean_hinge(r)]
    return {
        "reps": float(len(reps)),
        "reps_true_all": float(sum(c.reps_true for c in clips)),
        "reps_found_all": float(sum(c.reps_found for c in clips)),
        "count_exact_clips": float(sum(c.reps_true == c.reps_found for c in clips)),
        "clips": float(len(clips)),
        "class_right": float(sum(r.class_true == r.class_found for r in reps)),
        "clean_reps": float(len(clean)),
        "clean_rounding_cues": float(sum("spine.rounding" in r.cues for r in clean)),
        "rounded_reps": float(len(rounded)),
        "rounded_found": float(sum("spine.rounding" in r.cues for r in rounded)),
        "spearman": rho,
        "estimated_reps": float(len(pairs)),
        "median_abs_err_deg": float(np.median(np.abs(pairs[:, 0] - pairs[:, 1]))) if len(pairs) else math.nan,
        # Form corrections (not tempo: the rendered tempos are faster than the default target on purpose) on the
        # clean hinge reps (the toes clip is built with the weight on the toes: not clean).
        "clean_corrections_all_views": float(sum(any(is_form_correction(c) for c in r.cues) for r in clean_all)),
        "clean_hinge_reps_all_views": float(len(clean_all)),
    }


def run(bodies: list[str], cfg: Any = None) -> dict[str, list[ClipResult]]:
    """Extract (cached) and analyse every clip of ``bodies``."""
    from formcheck.analyzers import get_analyzer
    from formcheck.config import Config
    from formcheck.io.cache import cached_extract

    cfg = cfg if cfg is not None else Config()
    an = get_analyzer("hinge", cfg)
    out: dict[str, list[ClipResult]] = {}
    for body, files in clips_by_body().items():
        if body not in bodies:
            continue
        out[body] = []
        for js in files:
            seq = cached_extract(js.with_suffix(".mp4"), cfg)
            out[body].append(evaluate_clip(body, js, seq, an.analyze(seq), cfg))
    return out


def _f(x: float, nd: int = 0) -> str:
    return "–" if not math.isfinite(x) else f"{x:.{nd}f}"


def print_tables(res: dict[str, list[ClipResult]]) -> None:
    """Markdown tables: per clip (per rep est/true, class, cues) and per body."""
    print("| body | clip | view | reps true/found | class true→found | spine est/true per rep (°) | cues per rep |")
    print("|---|---|---|---|---|---|---|")
    for body, clips in res.items():
        for c in clips:
            cls = ", ".join(r.class_true if r.class_true == r.class_found else f"{r.class_true}→{r.class_found}"
                            for r in c.reps)  # fmt: skip
            sp = ", ".join(f"{_f(r.spine_est_deg)}/{_f(r.spine_true_deg)}" for r in c.reps)
            cues = "; ".join(",".join(x.replace("praise.clean", "ok") for x in r.cues) or "–" for r in c.reps)
            print(f"| {body} | {c.name} | {c.view} | {c.reps_true}/{c.reps_found} | {cls} | {sp} | {cues} |")
    print()
    print(
        "| body | side reps | class right | clean reps with a rounding cue | ≥25° reps found | Spearman |"
        " median abs err ° | reps estimated | clean hinge reps with a form correction (all views) | count exact |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for body, clips in res.items():
        s = body_stats(clips)
        print(f"| {body} | {s['reps']:.0f} | {s['class_right']:.0f}/{s['reps']:.0f} | "
              f"{s['clean_rounding_cues']:.0f}/{s['clean_reps']:.0f} |"
              f" {s['rounded_found']:.0f}/{s['rounded_reps']:.0f} |"
              f" {_f(s['spearman'], 2)} | {_f(s['median_abs_err_deg'], 1)} |"
              f" {s['estimated_reps']:.0f}/{s['reps']:.0f} |"
              f" {s['clean_corrections_all_views']:.0f}/{s['clean_hinge_reps_all_views']:.0f} |"
              f" {s['count_exact_clips']:.0f}/{s['clips']:.0f} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--body", action="append", choices=sorted(BODY_DIRS), help="only this body (repeatable)")
    ap.add_argument("--json", type=Path, help="also write the per-rep results here")
    a = ap.parse_args(argv)
    res = run(a.body or list(BODY_DIRS))
    print_tables(res)
    if a.json:
        a.json.write_text(json.dumps({b: [asdict(c) for c in cl] for b, cl in res.items()}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
