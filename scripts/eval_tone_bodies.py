"""Gaze and shoulder-elevation readings on every rendered body against the truth, and leave-one-body-out scores of
"can't tell" gates for the head points (issue 10, docs/metrics.md §6.1).

For every side-view rep of the three development bodies (``soldier``, ``michelle``, ``xbot``; the clips of
``scripts/eval_hinge_bodies.py``, extracted through formcheck's pose cache) it prints the rep's ``neck_extension_deg``
and ``shoulder_elevation_frac`` (what the ``gaze.up`` / ``tone.shoulders_up`` cues read) beside the same measures
made on the rendered truth (``joints2d``: ``HEAD`` → ``VERT`` for the head's direction, ``EAR_*``/``SHO_*``, ``MIDH`` →
``MIDS`` for the trunk), and three candidate gate statistics computed from MediaPipe's points alone:

- ``tri``: how much the ear–eye–nose triangle deforms during the rep (p90 over the rep of the larger change of its
  angles at the ear and at the nose vs standing, deg). A real head is rigid, so its three points keep their shape
  in a side view;
- ``hsd``: frame-to-frame scatter of the head angle while standing (robust SD, deg);
- ``esd``: scatter of the shoulder elevation while standing (robust SD, fraction of trunk length).

Leave-one-body-out: for each gate the withholding threshold is chosen on two bodies (the one that minimises
false cues + right readings withheld, false cues weighted 1 or 2) and scored on the third.

Usage::

    .venv/bin/python scripts/eval_tone_bodies.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_hinge_bodies as EV  # noqa: E402, N812  (the shared clip list and rep matching)

BODIES = ("soldier", "michelle", "xbot")
CUE = {"neck": 20.0, "elev": 0.08}  # the default config's gaze.up / tone.shoulders_up thresholds
TRUE_KEY = {"neck": "neck_true", "elev": "elev_true"}
RIGHT_WITHIN = {"neck": 10.0, "elev": 0.04}  # a reading this close to the truth (half the cue threshold) is right
GATES = {"neck": ("tri", "hsd"), "elev": ("esd", "tri")}


def _robust_sd(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(1.4826 * np.median(np.abs(x - np.median(x)))) if len(x) else math.nan


def _wrap_deg(x: np.ndarray) -> np.ndarray:
    return (x + 180.0) % 360.0 - 180.0


def _angle_between_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _wrap_deg(np.degrees(np.arctan2(a[:, 1], a[:, 0]) - np.arctan2(b[:, 1], b[:, 0])))


def triangle_deformation_deg(ear: np.ndarray, eye: np.ndarray, nose: np.ndarray, standing: np.ndarray) -> np.ndarray:
    """Per frame: the larger change (vs the standing median) of the ear–eye–nose triangle's angles at the ear and
    at the nose (deg). A rigid head seen from the side keeps it near 0 whatever its pitch."""
    at_ear = _angle_between_deg(eye - ear, nose - ear)
    at_nose = _angle_between_deg(ear - nose, eye - nose)
    d_ear = np.abs(_wrap_deg(at_ear - np.nanmedian(at_ear[standing])))
    d_nose = np.abs(_wrap_deg(at_nose - np.nanmedian(at_nose[standing])))
    return np.fmax(d_ear, d_nose)


def rep_rows() -> list[dict[str, Any]]:
    """One row per side-view rep: readings, truth and gate statistics."""
    from formcheck.analyzers import get_analyzer, hinge
    from formcheck.config import Config
    from formcheck.io.cache import cached_extract
    from formcheck.metrics import tone
    from formcheck.types import LM

    cfg = Config()
    an = get_analyzer("hinge", cfg)
    rows: list[dict[str, Any]] = []
    for body, files in EV.clips_by_body().items():
        for js in files:
            seq = cached_extract(js.with_suffix(".mp4"), cfg)
            f = hinge.compute_features(seq, cfg)
            a = an.analyze(seq)
            if a.quality.view != "side":
                continue
            ev = EV.evaluate_clip(body, js, seq, a, cfg)
            frames = json.loads(js.read_text())["frames"]
            tt = np.array([q["t"] for q in frames])
            at = np.clip(np.searchsorted(tt, f.t_s - 1e-6), 0, len(tt) - 1)  # the truth frame of each analysed frame
            j = {k: np.array([q["joints2d"][k] for q in frames], dtype=float)[at] for k in frames[0]["joints2d"]}
            s, side = f.side[0].upper(), f.side.upper()
            elev_true = tone.shoulder_elevation_frac(j["EAR_" + s], j["SHO_" + s], j["MIDH"], j["MIDS"], f.baseline)
            head_true = tone.head_angle_deg(j["MIDH"], j["MIDS"], j["HEAD"], j["VERT"], f.facing)
            neck_true = head_true - np.nanmedian(head_true[f.baseline])
            px = f.px
            tri = triangle_deformation_deg(
                px[:, int(LM[side + "_EAR"])], px[:, int(LM[side + "_EYE"])], px[:, LM.NOSE], f.baseline
            )
            hsd, esd = _robust_sd(f.neck_ext[f.baseline]), _robust_sd(f.shoulder_elev[f.baseline])
            for r, rr in zip(a.reps, ev.reps, strict=True):
                m = (f.t_s >= r.start_s) & (f.t_s <= r.end_s)
                rows.append({
                    "body": body, "clip": js.stem, "rep": r.index, "clean": EV.is_clean_hinge(rr),
                    "cues": [c for c in rr.cues if c.startswith(("gaze.", "tone."))],
                    "neck": float(r.metrics["neck_extension_deg"]), "elev": float(r.metrics["shoulder_elevation_frac"]),
                    "neck_true": float(np.nanpercentile(neck_true[m], 90)),
                    "elev_true": float(np.nanpercentile(elev_true[m], 90)),
                    "tri": float(np.nanpercentile(tri[m], 90)), "hsd": hsd, "esd": esd,
                })  # fmt: skip
    return rows


def _false(r: dict[str, Any], kind: str) -> bool:
    return r[kind] > CUE[kind] and r[TRUE_KEY[kind]] < CUE[kind]


def _right(r: dict[str, Any], kind: str) -> bool:
    return abs(r[kind] - r[TRUE_KEY[kind]]) < RIGHT_WITHIN[kind]


def _cost(rows: list[dict[str, Any]], kind: str, gate: str, tau: float, w: float) -> float:
    kept = [r for r in rows if not r[gate] > tau]
    withheld = [r for r in rows if r[gate] > tau]
    return w * sum(_false(r, kind) for r in kept) + sum(_right(r, kind) for r in withheld)


def lobo(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Leave-one-body-out score of every gate: threshold chosen on two bodies, figures on the third."""
    out = []
    for kind, gates in GATES.items():
        for gate in gates:
            cands = sorted({r[gate] for r in rows if math.isfinite(r[gate])}) + [math.inf]
            for w in (1.0, 2.0):
                for test in BODIES:
                    train = [r for r in rows if r["body"] != test]
                    tau = min(cands, key=lambda t: (_cost(train, kind, gate, t, w), -t))  # noqa: B023
                    te = [r for r in rows if r["body"] == test]
                    kept = [r for r in te if not r[gate] > tau]
                    out.append({
                        "kind": kind, "gate": gate, "w": w, "test": test, "tau": tau,
                        "false_before": sum(_false(r, kind) for r in te),
                        "false_after": sum(_false(r, kind) for r in kept),
                        "clean_cued_before": sum(r["clean"] and r[kind] > CUE[kind] for r in te),
                        "clean_cued_after": sum(r["clean"] and r[kind] > CUE[kind] for r in kept),
                        "right": sum(_right(r, kind) for r in te),
                        "right_withheld": sum(_right(r, kind) for r in te if r[gate] > tau),
                    })  # fmt: skip
    return out


def main() -> int:
    rows = rep_rows()
    print("| body | clip | neck p90 per rep (true) ° | shoulder elevation per rep (true) | tri ° | hsd ° | esd "
          "| cues |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for clip in dict.fromkeys(r["clip"] for r in rows):
        rs = [r for r in rows if r["clip"] == clip]
        neck = ", ".join(f"{r['neck']:.0f} ({r['neck_true']:.0f})" for r in rs)
        elev = ", ".join(f"{r['elev']:.2f} ({r['elev_true']:.2f})" for r in rs)
        tri = ", ".join(f"{r['tri']:.0f}" for r in rs)
        cues = "; ".join(",".join(r["cues"]) or "–" for r in rs)
        print(f"| {rs[0]['body']} | {clip} | {neck} | {elev} | {tri} | {rs[0]['hsd']:.1f} | {rs[0]['esd']:.3f} "
              f"| {cues} |")  # fmt: skip
    print()
    print("| cue | gate | false-cue weight | held-out body | threshold | false cues before → after "
          "| clean hinge reps cued before → after | right readings withheld |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for s in lobo(rows):
        print(f"| {s['kind']} | {s['gate']} | {s['w']:.0f} | {s['test']} | {s['tau']:.3g} | "
              f"{s['false_before']} → {s['false_after']} | {s['clean_cued_before']} → {s['clean_cued_after']} | "
              f"{s['right_withheld']}/{s['right']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
