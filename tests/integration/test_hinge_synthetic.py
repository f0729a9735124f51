"""Whole pipeline (shipped model → extraction → hinge analysis) on the rendered clips with exact ground truth.

Runs on every ``../shared/synthetic/*.mp4`` (skipped when absent). Pose extraction is cached in the user cache
folder (``formcheck.io.cache``), never in the repo, so reruns take seconds. Prints the validation table that
docs/metrics.md reports (``pytest -s``).

Ground truth for the per-rep class is derived with the analyzer's own rules from the *true* joint values
(knee flexion at the bottom ≥ ``squat_knee_deg`` → squat_like; true hip share = pelvic tilt / (pelvic tilt +
spinal flexion) < ``stoop_hip_share`` → stoop; else hinge), so it checks the measurement, not the rule.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr

from formcheck.analyzers import detect_exercise, get_analyzer
from formcheck.analyzers.hinge import compute_features
from formcheck.config import Config
from formcheck.metrics.load_path import foot_frame_px, pct_of_foot
from formcheck.types import Analysis, PoseSequence

pytestmark = [pytest.mark.integration, pytest.mark.shared]

SYNTH = Path(__file__).resolve().parents[2].parent / "shared" / "synthetic"
CFG = Config()


@dataclass
class ClipResult:
    name: str
    view: str
    reps_true: int
    reps_found: int
    classes_true: list[str]
    classes_found: list[str]
    detected: str
    ecc_err_s: list[float] = field(default_factory=list)
    con_err_s: list[float] = field(default_factory=list)
    trunk_err_deg: float = math.nan
    knee_err_deg: float = math.nan
    com_err_foot: float = math.nan  # vs the rig's heel → boot-tip %
    com_err_own: float = math.nan  # true CoM placed on our heel → toe scale (isolates the CoM estimate)
    spine_pairs: list[tuple[float, float]] = field(default_factory=list)  # (estimate, true peak)
    share_pairs: list[tuple[float, float]] = field(default_factory=list)
    heel_lift: list[float] = field(default_factory=list)  # per rep; heels stay down in every rendered clip
    toes_excess_cm: list[float] = field(default_factory=list)


def _clips() -> list[Path]:
    if not SYNTH.is_dir():
        return []
    return sorted(p for p in SYNTH.glob("*.json") if (SYNTH / f"{p.stem}.mp4").exists())


def _truth_class(knee: float, pelvis: float, spine: float) -> str:
    h = CFG.exercise_config("hinge")
    if knee >= h.squat_knee_deg:
        return "squat_like"
    share = pelvis / (pelvis + spine) if pelvis + spine > 0 else math.nan
    return "stoop" if share < h.stoop_hip_share else "hinge"


def _evaluate(js: Path, seq: PoseSequence, an: Analysis) -> ClipResult:
    g = json.loads(js.read_text())
    fr = g["frames"]
    tr = {k: np.array([f[k] for f in fr], dtype=float) for k in (
        "trunk_inclination_deg", "knee_flexion_deg", "spine_flexion_deg", "pelvis_tilt_deg", "com_pct_foot"
    )}  # fmt: skip
    rep_t = np.array([f["rep"] for f in fr])
    com2d = np.array([f["com_2d"] for f in fr], dtype=float)
    phases: dict[int, dict[str, tuple[float, float]]] = {}
    for p in g["phase_intervals"]:
        phases.setdefault(p["rep"], {})[p["phase"]] = (p["start_s"], p["end_s"])
    n_true = int(g["spec"]["reps"])
    classes_true = []
    for k in range(1, n_true + 1):
        m = rep_t == k
        knee = float(np.max(tr["knee_flexion_deg"][m]))
        pelvis = float(np.max(tr["pelvis_tilt_deg"][m]) - tr["pelvis_tilt_deg"][0])
        spine = float(np.max(tr["spine_flexion_deg"][m]))
        classes_true.append(_truth_class(knee, pelvis, spine))
    res = ClipResult(
        name=js.stem,
        view=an.quality.view,
        reps_true=n_true,
        reps_found=len(an.reps),
        classes_true=classes_true,
        classes_found=[r.classification for r in an.reps],
        detected=detect_exercise(seq),
    )
    for r in an.reps:
        res.heel_lift.append(float(r.metrics["heel_lift_frac"]))  # type: ignore[arg-type]
        res.toes_excess_cm.append(float(r.metrics["com_toes_excess_cm"]))  # type: ignore[arg-type]
        ph = phases.get(r.index)
        if ph is None:
            continue
        e0, e1 = ph["eccentric"]
        c0, c1 = ph["concentric"]
        res.ecc_err_s.append(r.eccentric_s - (e1 - e0))
        res.con_err_s.append(r.concentric_s - (c1 - c0))
        m = rep_t == r.index
        pelvis = float(np.max(tr["pelvis_tilt_deg"][m]) - tr["pelvis_tilt_deg"][0])
        spine = float(np.max(tr["spine_flexion_deg"][m]))
        est = float(r.metrics["spine_flexion_est_deg"])  # type: ignore[arg-type]
        if math.isfinite(est):
            res.spine_pairs.append((est, spine))
            res.share_pairs.append((float(r.metrics["hip_share"]), pelvis / (pelvis + spine)))  # type: ignore[arg-type]
    if an.quality.view == "side":
        s = an.series
        res.trunk_err_deg = float(np.nanmedian(np.abs(s["trunk_inclination_deg"] - tr["trunk_inclination_deg"])))
        res.knee_err_deg = float(np.nanmedian(np.abs(s["knee_flexion_deg"] - tr["knee_flexion_deg"])))
        res.com_err_foot = float(np.nanmedian(np.abs(s["com_pct_foot"] - tr["com_pct_foot"])))
        facing = 1.0 if an.quality.facing == "right" else -1.0
        # The analyzer's own foot reference (fixed from its standing frames), with the true CoM placed on it.
        f = compute_features(seq, CFG)
        foot = foot_frame_px(
            f.px, f.side, f.facing, foot_index_frac=CFG.exercise_config("hinge").foot_index_frac, baseline=f.baseline
        )
        own = pct_of_foot(com2d[:, 0], foot, facing)
        res.com_err_own = float(np.nanmedian(np.abs(s["com_pct_foot"] - own)))
    return res


@pytest.fixture(scope="module")
def results() -> list[ClipResult]:
    clips = _clips()
    if not clips:
        pytest.skip("shared synthetic clips not present")
    from formcheck.io.cache import cached_extract

    out = []
    analyzer = get_analyzer("hinge", CFG)
    for js in clips:
        seq = cached_extract(SYNTH / f"{js.stem}.mp4", CFG)
        out.append(_evaluate(js, seq, analyzer.analyze(seq)))
    _print_table(out)
    return out


def _fmt(x: float, nd: int = 1) -> str:
    return "–" if not math.isfinite(x) else f"{x:.{nd}f}"


def spine_rank_stats(results: list[ClipResult]) -> dict[str, float]:
    pairs = np.array([p for r in results for p in r.spine_pairs])
    est, true = pairs[:, 0], pairs[:, 1]
    rho = float(spearmanr(est, true).statistic)
    # True values within a few degrees of each other (the 5–7° of every "good" rep) cannot be ordered by any
    # outline method; ranking 10° bins of the truth shows how well distinct levels are told apart.
    rho_bins = float(spearmanr(est, np.round(true / 10.0)).statistic)
    # Ceiling: a perfect estimator for everything above 10° with the sub-10° reps in random order.
    rng = np.random.default_rng(0)
    low = true < 10
    sims = []
    for _ in range(500):
        e = true.copy()
        e[low] = rng.permutation(true[low])
        sims.append(spearmanr(e, true).statistic)
    return {
        "n": float(len(est)),
        "spearman": rho,
        "spearman_10deg_bins": rho_bins,
        "ceiling_mean": float(np.mean(sims)),
        "median_abs_err_deg": float(np.median(np.abs(est - true))),
        "hip_share_median_abs_err": float(
            np.median([abs(a - b) for r in results for a, b in r.share_pairs if math.isfinite(a)])
        ),
    }


def _print_table(results: list[ClipResult]) -> None:
    print("\n| clip | view | reps true/found | class true → found | ecc err s (med) | con err s (med) |"
          " trunk err ° | knee err ° | CoM err (heel→boot tip) | CoM err (own foot scale) | detect |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        cls = ", ".join(f"{a}→{b}" if a != b else a for a, b in zip(r.classes_true, r.classes_found, strict=False))
        print(
            f"| {r.name} | {r.view} | {r.reps_true}/{r.reps_found} | {cls} | "
            f"{_fmt(float(np.median(np.abs(r.ecc_err_s))) if r.ecc_err_s else math.nan, 2)} | "
            f"{_fmt(float(np.median(np.abs(r.con_err_s))) if r.con_err_s else math.nan, 2)} | "
            f"{_fmt(r.trunk_err_deg)} | {_fmt(r.knee_err_deg)} | {_fmt(r.com_err_foot)} | {_fmt(r.com_err_own)} | "
            f"{r.detected} |"
        )
    side = [r for r in results if r.view == "side"]
    ecc = np.abs(np.concatenate([r.ecc_err_s for r in side]))
    con = np.abs(np.concatenate([r.con_err_s for r in side]))
    print(f"\nside-view reps: eccentric |err| median {np.median(ecc):.2f} s, concentric {np.median(con):.2f} s")
    print(
        f"side views: trunk |err| median {np.median([r.trunk_err_deg for r in side]):.1f}°, knee "
        f"{np.median([r.knee_err_deg for r in side]):.1f}°, CoM {np.median([r.com_err_foot for r in side]):.1f} "
        f"points of heel→boot-tip, {np.median([r.com_err_own for r in side]):.1f} on our own foot scale"
    )
    st = spine_rank_stats(results)
    print(
        f"spine flexion estimate vs true peak, {int(st['n'])} reps: Spearman {st['spearman']:.2f} "
        f"(10° bins {st['spearman_10deg_bins']:.2f}; ceiling with sub-10° reps unordered ≈ {st['ceiling_mean']:.2f}); "
        f"median |err| {st['median_abs_err_deg']:.1f}°; hip share median |err| {st['hip_share_median_abs_err']:.2f}"
    )
    for r in results:
        pairs = ", ".join(f"{e:.0f}/{t:.0f}" for e, t in r.spine_pairs)
        print(f"  {r.name}: spine est/true per rep: {pairs}")


def test_rep_count_exact_on_every_clip(results: list[ClipResult]) -> None:
    wrong = [(r.name, r.reps_true, r.reps_found) for r in results if r.reps_true != r.reps_found]
    assert not wrong, wrong


def test_every_side_view_rep_classified_right(results: list[ClipResult]) -> None:
    wrong = [
        (r.name, r.classes_true, r.classes_found)
        for r in results
        if r.view == "side" and r.classes_true != r.classes_found
    ]
    assert not wrong, wrong


def test_phase_time_errors(results: list[ClipResult]) -> None:
    side = [r for r in results if r.view == "side"]
    assert np.median(np.abs(np.concatenate([r.ecc_err_s for r in side]))) <= 0.2
    assert np.median(np.abs(np.concatenate([r.con_err_s for r in side]))) <= 0.2


def test_trunk_and_knee_angle_errors(results: list[ClipResult]) -> None:
    side = [r for r in results if r.view == "side"]
    assert np.median([r.trunk_err_deg for r in side]) <= 4.0
    assert np.median([r.knee_err_deg for r in side]) <= 4.0


def test_views_and_detection(results: list[ClipResult]) -> None:
    for r in results:
        assert r.view == ("front" if "front" in r.name else "side"), r.name
        # A squat-like bend with both legs is recognised as a squat (it was "hinge" before the squat analyzer).
        assert r.detected == ("squat" if "squat" in r.name else "hinge"), r.name


def test_com_on_own_foot_scale(results: list[ClipResult]) -> None:
    # The CoM estimate itself (landmark de Leva vs the rig's) on the same foot scale: a few points.
    side = [r for r in results if r.view == "side"]
    assert np.median([r.com_err_own for r in side]) <= 6.0


def test_spine_estimate_ranks_reps(results: list[ClipResult]) -> None:
    st = spine_rank_stats(results)
    # Aim 0.9; the clips' many 5–7° reps cap what any estimator can reach (see the ceiling printed above).
    # This floor catches regressions, the printed numbers are the result.
    assert st["spearman"] >= 0.65
    assert st["spearman_10deg_bins"] >= 0.8
    assert st["median_abs_err_deg"] <= 7.0
    assert st["hip_share_median_abs_err"] <= 0.09


def test_no_false_heel_lift(results: list[ClipResult]) -> None:
    # Heels stay on the floor in every rendered clip (the squat's deep knees used to read 0.12-0.13).
    side = [r for r in results if r.view == "side"]
    worst = {r.name: max(r.heel_lift) for r in side}
    assert max(worst.values()) < CFG.exercise_config("hinge").heel_lift_frac, worst


def test_weight_on_toes_only_where_built(results: list[ClipResult]) -> None:
    # Only the toes clip shifts the CoM forward (80 % of the boot at the bottom vs 54-55 % elsewhere); the rhythm
    # clip used to read 85-91 % of foot because the heel point drifted while bending.
    side = [r for r in results if r.view == "side"]
    for r in side:
        if "toes" in r.name:
            assert min(r.toes_excess_cm) > CFG.exercise_config("hinge").load_excess_cm, (r.name, r.toes_excess_cm)
        else:
            assert max(r.toes_excess_cm) < CFG.exercise_config("hinge").load_excess_cm, (r.name, r.toes_excess_cm)
