"""Camera view read vs the hand label on every labelled real clip and on the rendered clips (docs/metrics.md).

For each clip of ``../shared/videos/labels.json`` and each rendered clip of ``../shared/synthetic``,
``synthetic_bodies`` and ``synthetic_floor`` (camera known from the name: ``side``, ``obl30front`` = 60° from face-on,
``front``), the body is prepared as its exercise's analyzer prepares it (position, levelling and landmark sanity for
the standing exercises) and the table gives:

* the view formcheck reads (:attr:`formcheck.body.Body.view`, what the analyzers report; with ``--analyze`` the
  analyzer's own ``quality.view`` too, e.g. the glute bridge's lying check);
* the image width ratio's set statistic and its azimuth (``acos``), and MediaPipe's 3D azimuth
  (:func:`formcheck.body.view.world_azimuth_deg`, median over the frames);
* the labelled view, reduced to ``front`` / ``oblique`` / ``side`` / ``mixed`` (a view that changes in the clip,
  "side/oblique" or "front (slightly oblique)": either reading is right).

``--loo`` chooses the 3D front boundary leave-one-clip-out on the real clips labelled ``front`` or ``oblique``:
for each held-out clip the boundary is the middle of the widest gap that makes fewest errors on the others, and
the held-out clip is scored with it.

Run: ``.venv/bin/python scripts/measure_view.py [--analyze] [--loo]`` (poses from the user pose cache).
"""

from __future__ import annotations

import argparse
import json
import math
import warnings
from pathlib import Path

from formcheck.body import Body
from formcheck.body import view as bview
from formcheck.config import Config
from formcheck.errors import FormcheckError
from formcheck.io.cache import cached_extract

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# Each labelled family's analyzer and the body position it declares (the view and facing rules use it).
FAMILY = {
    "hinge": ("hinge", "standing"), "squat": ("squat", "standing"), "lunge": ("lunge", "standing"),
    "forward_bend": ("hinge", "standing"), "plank": ("plank", "prone"), "side_plank": ("side_plank", "side_lying"),
    "prone_extension": ("prone_extension", "prone"), "bird_dog": ("bird_dog", "quadruped"),
    "dead_bug": ("dead_bug", "supine"), "glute_bridge": ("glute_bridge", "supine"),
    "cat_camel": ("cat_camel", "quadruped"),
}  # fmt: skip
RENDERED_KIND = {"prone_press_up": "prone_extension"}


def label_class(view_label: str) -> str:
    """The hand label reduced to front / oblique / side / mixed (a changing view, or side/oblique)."""
    v = view_label.lower()
    if v.startswith("changes") or "->" in v or "side/oblique" in v or "slightly oblique" in v:
        return "mixed"
    if "oblique" in v:
        return "oblique"
    for k in ("front", "side"):
        if v.startswith(k):
            return k
    return "mixed"


def clips() -> list[dict]:
    """Every labelled real clip and rendered clip: path, family, label text, label class, real or rendered."""
    out = []
    for lab in json.loads((SHARED / "videos" / "labels.json").read_text()):
        out.append({"path": SHARED / "videos" / lab["file"], "family": lab["family"], "label": lab["view"],
                    "cls": label_class(lab["view"]), "kind": "real"})  # fmt: skip
    for folder in ("synthetic", "synthetic_bodies", "synthetic_floor"):
        for js in sorted((SHARED / folder).glob("dev_*.json")):
            meta = json.loads(js.read_text())
            kind = meta.get("kind") or meta.get("spec", {}).get("kind", "hinge")
            fam = RENDERED_KIND.get(kind, kind) if RENDERED_KIND.get(kind, kind) in FAMILY else "hinge"
            parts = js.stem.split("_")
            cam = "front" if "front" in parts else "obl30front" if "obl30front" in parts else "side"
            cls = {"obl30front": "oblique"}.get(cam, cam)
            out.append({"path": js.with_suffix(".mp4"), "family": fam, "label": cam, "cls": cls, "kind": "rendered"})
    return out


def measure(clip: dict, cfg: Config, analyze: bool) -> dict | None:
    """The view read on one clip and its two statistics (None when nobody is found in it)."""
    try:
        seq = cached_extract(clip["path"], cfg)
    except FormcheckError:
        return None
    name, position = FAMILY[clip["family"]]
    standing = position == "standing"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        body = Body.from_sequence(seq, cfg, position=position, level=standing, sane=standing)
        ratio = bview.set_ratio(bview.width_ratio(body.px, body.world, vertical=bview.lateral_vertical(position)))
        world_az = bview.set_world_azimuth_deg(bview.world_azimuth_deg(body.world))
        row = {**clip, "view": body.view.view, "az": body.view.azimuth_deg, "ratio": ratio,
               "ratio_az": bview.view_from_ratio(ratio)[1], "world_az": world_az, "analyzer": None}  # fmt: skip
        if analyze:
            from formcheck.analyzers import get_analyzer

            row["analyzer"] = get_analyzer(name, cfg).analyze(seq).quality.view
    return row


def right(view: str, cls: str) -> bool:
    return cls == "mixed" or view == cls


def loo_front_boundary(rows: list[dict]) -> list[tuple[str, float, bool]]:
    """Leave-one-clip-out: (clip, boundary chosen without it, held-out clip read right) per real front/oblique clip."""
    pts = [(r["path"].stem, r["world_az"], r["cls"]) for r in rows
           if r["kind"] == "real" and r["cls"] in ("front", "oblique") and math.isfinite(r["world_az"])]  # fmt: skip
    out = []
    for i, (name, az, cls) in enumerate(pts):
        train = [p for j, p in enumerate(pts) if j != i]
        vals = sorted({p[1] for p in train})
        cands = [(a + b) / 2 for a, b in zip([0.0, *vals], [*vals, 90.0], strict=True)]
        widths = [b - a for a, b in zip([0.0, *vals], [*vals, 90.0], strict=True)]

        def errors(t: float, data: list = train) -> int:
            return sum((p[1] <= t) != (p[2] == "front") for p in data)

        best = min(range(len(cands)), key=lambda k: (errors(cands[k]), -widths[k]))
        t = cands[best]
        out.append((name, t, (az <= t) == (cls == "front")))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--analyze", action="store_true", help="also run each clip's analyzer (slower)")
    ap.add_argument("--loo", action="store_true", help="choose the 3D front boundary leave-one-clip-out")
    args = ap.parse_args()
    cfg = Config()
    rows = [r for c in clips() if (r := measure(c, cfg, args.analyze)) is not None]
    head = "| clip | kind | label | class | view read | az ° | ratio p10 | ratio az ° | 3D az ° (median) |"
    if args.analyze:
        head += " analyzer view |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        mark = "" if right(r["view"], r["cls"]) else " ✗"
        line = (f"| {r['path'].stem} | {r['kind']} | {r['label'][:48]} | {r['cls']} | {r['view']}{mark} | "
                f"{r['az']:.0f} | {r['ratio']:.2f} | {r['ratio_az']:.0f} | {r['world_az']:.0f} |")  # fmt: skip
        if args.analyze:
            line += f" {r['analyzer']}{'' if right(r['analyzer'], r['cls']) else ' ✗'} |"
        print(line)
    for kind in ("real", "rendered"):
        sel = [r for r in rows if r["kind"] == kind and r["cls"] != "mixed"]
        print(f"\n{kind}: {sum(right(r['view'], r['cls']) for r in sel)} of {len(sel)} single-view clips read right")
    if args.loo:
        loo = loo_front_boundary(rows)
        print("\n| held-out clip | boundary chosen on the others (3D az °) | held-out read right |\n|---|---|---|")
        for name, t, ok in loo:
            print(f"| {name} | {t:.1f} | {'yes' if ok else 'no'} |")
        print(f"\nleave-one-clip-out: {sum(ok for *_, ok in loo)} of {len(loo)} right; boundaries "
              f"{min(t for _, t, _ in loo):.1f}..{max(t for _, t, _ in loo):.1f}°")  # fmt: skip


if __name__ == "__main__":
    main()
