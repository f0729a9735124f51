"""A body-anchored back reading (issue 10, §8.5.1): the same stretch of the back standing and bent, leave-one-body-out.

MediaPipe's hip point slides by up to a third of a trunk length between standing and bent, so the hinge's outline
(traced between MediaPipe's hip and shoulder levels) covers another stretch of the back at the bottom of a rep than
standing. Here the outline is traced further (:data:`PROBE`: today's 24 rays between hip and shoulder level, then 12
more below hip level down the buttocks and thigh and 4 above shoulder level, same spacing) and read over a stretch
anchored on the outline itself: the **buttocks' apex** (the most dorsal point of the outline between
:data:`APEX_RANGE` standing trunk lengths from MediaPipe's hip, along the trunk, sub-point by a parabola through
its neighbours) in every frame. Two stretch families:

* ``a<offset>_s<span>``: from apex + offset to apex + offset + span standing trunk lengths (both ends on the body);
* ``b<offset>_m<margin>``: from apex + offset to MediaPipe's shoulder level − margin (only the lower end moved).

The stretch's outline is resampled on 24 evenly spaced points (linear, between neighbouring rays only) in its own
frame and then goes through the hinge's own back code unchanged (``hip_lumbar.back_series``: checks, smoothing,
standing baseline, tangent agreement), by wrapping ``back_series`` inside this script only.

Parts:

* ``--identity``: the band of the longer trace is bit-identical to today's probe on the pose cache, and so is the
  hinge's back series.
* ``--apex``: per side-view clip, where the apex and MediaPipe's hip sit along the rendered trunk (``joints2d``
  MIDH/MIDS), standing and at the bottoms: how well each is anchored on the body.
* default: per-rep readings (gain 1, no noise gate, as ``lobo_hinge_bodies.collect``) for today's outline and every
  stretch of the family (``--family a|b``); then leave-one-body-out: for each held-out body the stretch *and* the
  back and class constants of ``lobo_hinge_bodies.GRID`` are chosen on the other two bodies (same objective:
  false rounding cues on clean reps + missed ≥ 25° reps + wrong classes, then Spearman, then reps read) and scored
  on the held-out body. Today's outline is scored with the product's grid; the stretches with the gain grid
  widened to 0.3–1.3 (a stretch shorter or curvier than the hip → shoulder band turns by another amount per degree
  of spine: the gain is re-chosen on every fold). A stretch is adopted only if no held-out body is worse than
  today on false cues and ≥ 25° found, and one is better.

The product does not use the anchored reading (docs/metrics.md §8.5.1: it did not generalise). The extra rays are
traced by an experimental probe registered in this script under its own name (its own pose-cache key: the first run
extracts the 20 rendered hinge clips once, a few minutes on 2 cores). Usage::

    .venv/bin/python scripts/lobo_back_anchor.py [--identity | --apex | --family a|b]

About 3 min to collect a family's readings from the cache, then 10-25 min of grid search (2 shared cores).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import itertools
import json
import math
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lobo_hinge_bodies as lobo  # noqa: E402
from eval_hinge_bodies import clips_by_body, load_truth, true_rep_windows  # noqa: E402

from formcheck.metrics import hip_lumbar  # noqa: E402
from formcheck.probes import PROBES, DorsalOutline, register_probe  # noqa: E402

# Today's 24 rays (identical rows 0-23), 12 below hip level (to 0.52 trunk lengths below), 4 above shoulder level.
PROBE = DorsalOutline(name="dorsal_outline_long", points=40, below=12, above=4)
if PROBE.name not in PROBES:
    register_probe(PROBE)
LEVELS = PROBE.levels()
ORDER = np.argsort(LEVELS, kind="stable")  # rays sorted along the trunk, from the lowest
APEX_RANGE = (-0.45, 0.2)  # standing trunk lengths from MediaPipe's hip (the apex is at -0.06..+0.18 on every clip)
BODIES = ("soldier", "michelle", "xbot")
FAMILIES = {
    "a": {f"a{o:.1f}_s{s:.1f}": {"offset": o, "span": s}
          for o, s in itertools.product((0.0, 0.1, 0.2, 0.3), (0.5, 0.6, 0.7, 0.8, 0.9))},
    "b": {f"b{o:.1f}_m{m:.1f}": {"offset": o, "margin": m}
          for o, m in itertools.product((-0.1, 0.0, 0.1, 0.2, 0.3), (0.0, 0.1))},
}  # fmt: skip
WIDE_GAIN = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3)


def apex_along(x: np.ndarray, y: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Per frame, where along the trunk (units of ``x``) the most dorsal point with ``lo <= x <= hi`` is.

    Points sorted along the trunk; sub-point by a parabola through the apex and its neighbours; NaN when the most
    dorsal point is at an end of the searched range (no apex inside it).
    """
    T, K = x.shape
    ok = np.isfinite(x) & np.isfinite(y) & (x >= lo) & (x <= hi)
    i = np.argmax(np.where(ok, y, -np.inf), axis=1)
    out = np.full(T, np.nan)
    for t in np.flatnonzero(ok.any(axis=1)):
        k = i[t]
        if k == 0 or k == K - 1 or not (ok[t, k - 1] and ok[t, k + 1]):
            continue
        xs, ys = x[t, k - 1 : k + 2], y[t, k - 1 : k + 2]
        c = np.polyfit(xs - xs[1], ys, 2)
        xv = -c[1] / (2 * c[0]) if c[0] < 0 else 0.0
        out[t] = xs[1] + float(np.clip(xv, xs[0] - xs[1], xs[2] - xs[1]))
    return out


def resample(x: np.ndarray, y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``y`` at ``n`` evenly spaced ``x`` in [0, 1], linear between neighbouring rays only (NaN across a missing
    ray or outside the traced stretch)."""
    T, K = x.shape
    grid = np.linspace(0.0, 1.0, n)
    out = np.full((T, n), np.nan)
    idx = np.arange(K)
    for t in range(T):
        fx = np.isfinite(x[t])
        if fx.sum() < 2:
            continue
        i0, i1 = idx[fx][0], idx[fx][-1] + 1
        xt = np.interp(idx[i0:i1], idx[fx], x[t, fx])  # where the missing rays inside are (their y stays NaN)
        yt = y[t, i0:i1]
        if xt.size < 2 or np.any(np.diff(xt) <= 0):
            continue
        j = np.searchsorted(xt, grid, side="right") - 1
        inside = ((j >= 0) & (j < xt.size - 1)) | (grid == xt[-1])
        jj = np.clip(j, 0, xt.size - 2)
        w = (grid - xt[jj]) / (xt[jj + 1] - xt[jj])
        out[t] = np.where(inside, yt[jj] * (1 - w) + yt[jj + 1] * w, np.nan)
    return np.where(np.isfinite(out), grid, np.nan), out


def trunk_scale(mid_hip: np.ndarray, mid_sho: np.ndarray, baseline: np.ndarray) -> tuple[np.ndarray, float]:
    """Unit hip → shoulder axis per frame and the standing trunk length (px; NaN without 3 standing frames)."""
    axis = mid_sho - mid_hip
    length = np.linalg.norm(axis, axis=1)
    sel = np.asarray(baseline, bool) & np.isfinite(length)
    ref = float(np.median(length[sel])) if sel.sum() >= 3 else math.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        return axis / length[:, None], ref


def anchored_frame(
    cont_px: np.ndarray,
    mid_hip: np.ndarray,
    mid_sho: np.ndarray,
    facing: float,
    baseline: np.ndarray,
    *,
    offset: float,
    span: float | None = None,
    margin: float | None = None,
    n: int = 24,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The anchored stretch: ``(u, v, start_px, end_px)``, ``u``/``v`` ``(T, n)`` in the stretch's own frame.

    Start = apex + ``offset`` standing trunk lengths along MediaPipe's hip → shoulder direction; end = start +
    ``span`` (family a) or MediaPipe's shoulder − ``margin`` (family b).
    """
    cont = np.asarray(cont_px, float)[:, ORDER]
    a, ref = trunk_scale(mid_hip, mid_sho, baseline)
    if not math.isfinite(ref):
        nan = np.full((len(mid_hip), n), np.nan)
        return nan, nan.copy(), mid_hip, mid_sho
    x, y = hip_lumbar.outline_in_trunk_frame(cont, mid_hip, mid_hip + a * ref, facing)  # standing trunk lengths
    apex = apex_along(x, y, *APEX_RANGE)
    start = mid_hip + (apex + offset)[:, None] * ref * a
    end = start + span * ref * a if margin is None else mid_sho - margin * ref * a
    u, v = hip_lumbar.outline_in_trunk_frame(cont, start, end, facing)
    u, v = resample(u, v, n)
    return u, v, start, end


_STATE: dict[str, Any] = {"mode": None, "cont": None, "spy": None}
_BACK_SERIES = hip_lumbar.back_series
_IN_TRUNK_FRAME = hip_lumbar.outline_in_trunk_frame


def _back_series(u, v, px, mid_hip, mid_sho, facing, t, baseline, **kw):  # noqa: ANN001, ANN202
    """``hip_lumbar.back_series`` on today's band (mode None) or on the anchored stretch."""
    if _STATE["spy"] is not None:
        _STATE["spy"].update(mid_hip=mid_hip, mid_sho=mid_sho, facing=facing, baseline=baseline, cont=_STATE["cont"])
    m = _STATE["mode"]
    if m is None:
        return _BACK_SERIES(u[:, : PROBE.band_points], v[:, : PROBE.band_points], px, mid_hip, mid_sho, facing, t,
                            baseline, **kw)  # fmt: skip
    uu, vv, start, end = anchored_frame(_STATE["cont"], mid_hip, mid_sho, facing, baseline, **m)
    return _BACK_SERIES(uu, vv, px, start, end, facing, t, baseline, **kw)  # arms checked in the stretch's frame


def _in_trunk_frame(c, h, s, f):  # noqa: ANN001, ANN202
    """Keeps the hinge's processed outline (smoothed, levelled, pixels) for :func:`_back_series`."""
    c = np.asarray(c)
    if c.ndim == 3 and c.shape[1] == PROBE.points:
        _STATE["cont"] = c
    return _IN_TRUNK_FRAME(c, h, s, f)


@contextlib.contextmanager
def wrapped(mode: dict[str, float] | None, spy: dict[str, Any] | None = None) -> Iterator[None]:
    """Within: the hinge reads the back on today's band (``mode`` None) or the anchored stretch ``mode``."""
    _STATE.update(mode=mode, spy=spy)
    hip_lumbar.back_series, hip_lumbar.outline_in_trunk_frame = _back_series, _in_trunk_frame
    try:
        yield
    finally:
        hip_lumbar.back_series, hip_lumbar.outline_in_trunk_frame = _BACK_SERIES, _IN_TRUNK_FRAME
        _STATE.update(mode=None, spy=None, cont=None)


def long_seqs(cfg: Any) -> Iterator[tuple[str, Path, Any]]:
    """``(body, truth json, PoseSequence)`` of every clip, the longer trace served as ``dorsal_outline``."""
    from formcheck.io.cache import cached_extract

    for body, files in clips_by_body().items():
        for js in files:
            seq = cached_extract(js.with_suffix(".mp4"), cfg, probes=(PROBE.name,))
            yield (
                body,
                js,
                dataclasses.replace(
                    seq, probes={"dorsal_outline": seq.probes[PROBE.name]}, probe_versions={"dorsal_outline": 1}
                ),
            )


def features(seq: Any, cfg: Any, mode: dict[str, float] | None, spy: dict[str, Any] | None = None) -> Any:
    from formcheck.analyzers.hinge import compute_features

    with wrapped(mode, spy), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute_features(seq, cfg)


def identity() -> None:
    """Today's probe vs the longer trace's band on the pose cache: outline and back series bit-identical."""
    from formcheck.analyzers.hinge import compute_features
    from formcheck.config import Config
    from formcheck.io.cache import cached_extract

    cfg = Config()
    print("| body | clip | outline (24 rays) identical | back series identical | frames with a reading |")
    print("|---|---|---|---|---|")
    for body, js, seq in long_seqs(cfg):
        v1 = cached_extract(js.with_suffix(".mp4"), cfg)
        band = dataclasses.replace(seq, probes={"dorsal_outline": seq.back_contour_px[:, : PROBE.band_points]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f1, f2 = compute_features(v1, cfg), compute_features(band, cfg)
        f3 = features(seq, cfg, None)  # the whole longer trace through the wrapped hinge, mode "today"
        same_c = np.array_equal(v1.back_contour_px, band.back_contour_px, equal_nan=True)
        same_s = all(np.array_equal(f1.spine, f.spine, equal_nan=True) for f in (f2, f3))
        print(f"| {body} | {js.stem} | {same_c} | {same_s} | {int(np.isfinite(f1.spine).sum())} |")


def apex_table() -> None:
    """Where the apex and MediaPipe's hip sit along the rendered trunk, standing and at the bottoms."""
    from formcheck.config import Config

    cfg = Config()
    print("| body | clip | apex − true hip: standing (robust SD) → bottoms | MediaPipe hip − true hip: standing →"
          " bottoms | apex → true shoulder: standing → bottoms |")  # fmt: skip
    print("|---|---|---|---|---|")
    for body, js, seq in long_seqs(cfg):
        spy: dict[str, Any] = {}
        if features(seq, cfg, None, spy).view != "side" or not spy:
            continue
        mh, ms, fc, base = spy["mid_hip"], spy["mid_sho"], spy["facing"], spy["baseline"]
        a, ref = trunk_scale(mh, ms, base)
        x, y = hip_lumbar.outline_in_trunk_frame(spy["cont"][:, ORDER], mh, mh + a * ref, fc)
        apex = apex_along(x, y, *APEX_RANGE)
        g = json.loads(js.read_text())
        true = np.stack([[fr["joints2d"][k] for fr in g["frames"]] for k in ("MIDH", "MIDS")], 1)
        tu, _ = hip_lumbar.outline_in_trunk_frame(true, mh, mh + a * ref, fc)
        tr = load_truth(js)
        bot = (tr["rep"] > 0) & (tr["trunk_inclination_deg"] > np.nanmax(tr["trunk_inclination_deg"]) - 8)

        def med(m: np.ndarray, z: np.ndarray, sd: bool = False) -> str:
            z = z[m & np.isfinite(z)]
            if not z.size:
                return "–"
            c = float(np.median(z))
            return f"{c:+.2f}" + (f" ({1.4826 * float(np.median(np.abs(z - c))):.2f})" if sd else "")

        rel, mp, top = apex - tu[:, 0], -tu[:, 0], tu[:, 1] - apex
        print(f"| {body} | {js.stem} | {med(base, rel, True)} → {med(bot, rel)} | {med(base, mp)} → {med(bot, mp)} |"
              f" {med(base, top)} → {med(bot, top)} |")  # fmt: skip


def p90(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(np.percentile(x, 90)) if x.size else math.nan


def collect(modes: dict[str, dict[str, float] | None]) -> dict[str, list[lobo.RawRep]]:
    """Per-rep raw readings (gain 1, no noise gate) of every side-view rep, per mode (as ``lobo.collect``)."""
    from formcheck.config import Config

    base = Config()
    raw = base.model_copy(deep=True)
    h = raw.exercise_config("hinge")
    object.__setattr__(h, "spine_outline_gain", 1.0)
    object.__setattr__(h, "spine_outline_noise_max_deg", 90.0)
    out: dict[str, list[lobo.RawRep]] = {k: [] for k in modes}
    for body, js, seq in long_seqs(base):
        tr = load_truth(js)
        for key, m in modes.items():
            f = features(seq, raw, m)
            if f.view != "side":
                break
            for _, bot, k in true_rep_windows(f, tr, raw):
                msk = tr["rep"] == k
                out[key].append(lobo.RawRep(
                    body=body, clip=js.stem, a_deg=p90(f.spine[bot]), b_deg=p90(f.spine_check[bot]),
                    good_frac=float(np.mean(f.outline_good[bot])), noise_deg=f.outline_noise_deg,
                    trunk_delta_deg=float(np.nanmedian(f.trunk[bot] - f.trunk_base)),
                    knee_deg=float(np.nanmedian(f.knee[bot])), spine_true=float(np.max(tr["spine_flexion_deg"][msk])),
                    pelvis_true=float(np.max(tr["pelvis_tilt_deg"][msk]) - tr["pelvis_tilt_deg"][0]),
                    knee_true=float(np.max(tr["knee_flexion_deg"][msk])),
                ))  # fmt: skip
    return out


def train_key(reps: list[lobo.RawRep], p: dict[str, float | str]) -> tuple[float, float, float]:
    """The objective on the training bodies (as ``lobo.choose``): errors, then −Spearman, then −reps read."""
    by = {b: lobo.score([r for r in reps if r.body == b], p) for b in sorted({r.body for r in reps})}
    rho = float(np.nanmean([s["spearman"] for s in by.values()]))
    return (sum(s["errors"] for s in by.values()), -(rho if math.isfinite(rho) else -1.0),
            -sum(s["estimated"] for s in by.values()))  # fmt: skip


def lobo_table(raw: dict[str, list[lobo.RawRep]], modes: list[str], title: str) -> None:
    """Per held-out body: the mode and constants chosen on the other two, scored on it (ties go to today)."""
    print(f"\n{title}\n")
    print("| held-out body | stretch chosen | reading | gain | rounding ° | noise max ° | agree tol ° | chord share |"
          " stoop hip share | squat knee ° | false cues on clean | ≥ 25° found | class right | Spearman |"
          " reps read |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for held in BODIES:
        best = None
        for m in modes:
            train = [r for r in raw[m] if r.body != held]
            p = lobo.choose(train, lobo.DEFAULTS)
            key = (*train_key(train, p), 0 if m == "today" else 1)
            if best is None or key < best[0]:
                best = (key, m, p)
        assert best is not None
        _, m, p = best
        s = lobo.score([r for r in raw[m] if r.body == held], p)
        print(f"| {held} | {m} | {p['estimator']} | {p['gain']} | {p['rounding_deg']:.0f} | {p['noise_max_deg']:.0f} |"
              f" {p['agree_tol_deg']:.0f} | {p['chord_share']} | {p['stoop_hip_share']} | {p['squat_knee_deg']:.0f} |"
              f" {s['false_cues']}/{s['clean']} | {s['rounded'] - s['missed']}/{s['rounded']} |"
              f" {s['reps'] - s['class_wrong']}/{s['reps']} | {s['spearman']:.2f} |"
              f" {s['estimated']}/{s['reps']} |")  # fmt: skip


def readings_table(raw: dict[str, list[lobo.RawRep]]) -> None:
    """Per mode at gain 1: the largest clean reading and the smallest ≥ 25° reading per body, standing scatter."""
    print("\n| stretch | " + " | ".join(f"{b}: clean max / ≥ 25° min / scatter max °" for b in BODIES[:2])
          + " | Michelle arms-at-chest reps ° |")  # fmt: skip
    print("|---|---|---|---|")
    for m, reps in raw.items():
        cells = []
        for b in BODIES[:2]:
            rs = [r for r in reps if r.body == b]
            clean = [r.a_deg for r in rs if r.spine_true < lobo.CLEAN_TRUE_MAX_DEG and math.isfinite(r.a_deg)]
            rnd = [r.a_deg for r in rs if r.spine_true >= lobo.ROUNDING_TRUE_DEG]
            rmin = min(rnd) if rnd and all(math.isfinite(x) for x in rnd) else math.nan
            cells.append(f"{max(clean):.0f} / {rmin:.0f} / {max(r.noise_deg for r in rs):.0f}")
        chest = ", ".join(f"{r.a_deg:.0f}" for r in reps if "chest_12" in r.clip)
        print(f"| {m} | {' | '.join(cells)} | {chest} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--identity", action="store_true", help="today's band of the longer trace is today's outline")
    g.add_argument("--apex", action="store_true", help="how well the apex is anchored on the rendered trunk")
    g.add_argument("--family", choices=sorted(FAMILIES), default="a", help="stretch family to choose from")
    a = ap.parse_args(argv)
    if a.identity:
        identity()
        return 0
    if a.apex:
        apex_table()
        return 0
    raw = collect({"today": None, **FAMILIES[a.family]})
    readings_table(raw)
    lobo_table(raw, ["today"], "Today's outline, the product's grid (§8.5's table):")
    lobo.GRID["gain"] = WIDE_GAIN
    lobo_table(raw, [m for m in raw if m != "today"], f"Anchored stretches, family {a.family} (gain 0.3-1.3):")
    return 0


if __name__ == "__main__":
    sys.exit(main())
