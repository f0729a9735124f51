"""Glute bridge and cat-camel on the rendered floor clips (exact per-frame truth) and the labelled real clips.

Poses come from formcheck's cached path (``load_or_extract``), so CI extracts each clip once. Skipped when
``../shared`` is absent. What is asserted is what the analyzers reach (docs/metrics.md has the per-clip tables):

* rendered clips: reps exact; the bridge's top line within MediaPipe's error of the truth on the clip where
  MediaPipe sees the knees (over-arch clip) — the clean clip's knees are 30 px off (INDEX.md), its top line is
  checked only for being short of straight, not for the degrees;
* real clips: reps exact on every labelled glute-bridge clip and on the medium-confidence cat-camel clip;
* the rendered cat-camel against its projected joints: each rep ends at the extension; the flexion's degrees are
  far off (a strict xfail with the measured figure).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from formcheck import cues as cue_engine
from formcheck.analyze import load_or_extract
from formcheck.analyzers import cat_camel, glute_bridge
from formcheck.config import Config

pytestmark = [pytest.mark.integration, pytest.mark.shared]

FLOOR = Path(__file__).resolve().parents[2].parent / "shared" / "synthetic_floor"
CFG = Config()


def _analyse(module, path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        seq = load_or_extract(path, CFG)
        an = module.SPEC.analyzer(CFG).analyze(seq)
    return an.__class__(**{**an.__dict__, "cues": cue_engine.analysis_cues(an, CFG)})


def _rendered(name: str) -> tuple[Path, dict]:
    js = FLOOR / f"{name}.json"
    if not js.exists():
        pytest.skip("shared synthetic_floor clips not present")
    return js.with_suffix(".mp4"), json.loads(js.read_text())


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("dev_bridge_side_r_15-2-15-1", glute_bridge),
        ("dev_bridge_overarch12_side_l_12-1-12-06", glute_bridge),
        ("dev_catcamel_side_r_f40e28", cat_camel),
    ],
)
def test_rendered_clip_reps_are_exact(name: str, module) -> None:
    mp4, meta = _rendered(name)
    an = _analyse(module, mp4)
    assert len(an.reps) == meta["spec"]["reps"], [(r.start_s, r.end_s) for r in an.reps]


def _truth_at_top(meta: dict, rep) -> float:
    t = np.array([f["t"] for f in meta["frames"]])
    line = np.array([f["body_line_knee_deg"] for f in meta["frames"]])
    sel = (t >= rep.start_s + rep.eccentric_s) & (t <= rep.end_s - rep.concentric_s)
    return float(np.median(line[sel]))


def test_bridge_top_line_on_the_overarch_clip_is_within_mediapipe_error() -> None:
    mp4, meta = _rendered("dev_bridge_overarch12_side_l_12-1-12-06")
    an = _analyse(glute_bridge, mp4)
    errs = [r.metrics["hip_ext_top_deg"] - _truth_at_top(meta, r) for r in an.reps]
    assert len(errs) == 3 and max(abs(e) for e in errs) <= 5.0, errs
    # The fault is a lumbar arch with the hips short of straight: the joint-centre line cannot show it (LIMITS).
    assert "bridge.overarch" not in {c.code for c in an.cues}


def test_bridge_clean_clip_tops_are_short_of_straight_and_not_cued_as_over_arch() -> None:
    mp4, _ = _rendered("dev_bridge_side_r_15-2-15-1")
    an = _analyse(glute_bridge, mp4)
    assert all(-20.0 <= r.metrics["hip_ext_top_deg"] <= 0.0 for r in an.reps)
    assert "bridge.overarch" not in {c.code for c in an.cues}


def _labelled(videos_dir: Path, family: str) -> list[dict]:
    labels = json.loads((videos_dir / "labels.json").read_text())
    labels = labels if isinstance(labels, list) else labels["clips"]
    return [v for v in labels if v.get("family") == family]


# Real clips: (family, module, files whose count is asserted). catcow_side_suraj_1 (a cartoon starting mid-cycle,
# label confidence "low") is reported in docs/metrics.md, not asserted.
@pytest.mark.parametrize(
    ("family", "module", "asserted"),
    [
        ("glute_bridge", glute_bridge, {"glutebridge_side_anvox_3.mp4", "glutebridge_side_suraj_3.mp4",
                                        "glutebridge_oblique_trajnovd_6.mp4", "glutebridge_side_tabata_1.mp4"}),
        ("cat_camel", cat_camel, {"catcow_side_postureapp_2.mp4"}),
    ],
)  # fmt: skip
def test_real_clip_reps(videos_dir: Path, family: str, module, asserted: set[str]) -> None:
    clips = _labelled(videos_dir, family)
    assert {c["file"] for c in clips} >= asserted
    got = {c["file"]: len(_analyse(module, videos_dir / c["file"]).reps) for c in clips}
    want = {c["file"]: c["reps"] for c in clips}
    assert {f: got[f] for f in asserted} == {f: want[f] for f in asserted}, (got, want)


# The camera-angle check on the bridge clips (docs/metrics.md, B4): the lying view read from how far apart the hips
# look (threshold 23° from side-on, a priori; the hips-only measure chosen on the rendered clips), and the form cues
# each clip gives. Before the check the elevated oblique trajnovd clip read "side" and got an over-arch cue per rep
# (tops +9..+12° on a bridge labelled "roughly straight"); the side clips' cues are the ones they had before it.
# Pinned as they are, not all right: the rendered over-arch clip's rise_fast / lower_fast are false (done in 1.2 s,
# MediaPipe reads 0.47-0.78 s: docs/metrics.md B2, B2a; its no_pause is right), and its fault is not cued (B3).
@pytest.mark.parametrize(
    ("name", "view", "form_cues"),
    [
        ("glutebridge_oblique_trajnovd_6", "oblique", {"bridge.no_pause"}),  # no bridge.overarch (was 3), no praise
        ("glutebridge_side_anvox_3", "side", {"bridge.no_pause"}),
        ("glutebridge_side_suraj_3", "side", {"bridge.no_pause"}),
        ("glutebridge_side_tabata_1", "side", {"bridge.no_pause"}),
        ("dev_bridge_side_r_15-2-15-1", "side", {"praise.clean"}),
        ("dev_bridge_overarch12_side_l_12-1-12-06", "side",
         {"bridge.rise_fast", "bridge.no_pause", "bridge.lower_fast"}),
    ],
)  # fmt: skip
def test_bridge_camera_angle_check_withholds_over_arch_only_on_the_elevated_clip(
    videos_dir: Path, name: str, view: str, form_cues: set[str]
) -> None:
    mp4 = videos_dir / f"{name}.mp4" if name.startswith("glutebridge") else _rendered(name)[0]
    an = _analyse(glute_bridge, mp4)
    off_side = [r.metrics["view_off_side_deg"] for r in an.reps]
    limit = [w for w in an.quality.warnings if w.startswith("Can't tell over-arching from this camera angle")]
    got = {c.code for c in an.cues if c.code.startswith(("bridge.", "praise."))}
    assert (an.quality.view, got) == (view, form_cues), (off_side, an.quality.warnings, got)
    if view == "oblique":
        assert len(limit) == 1 and min(off_side) > 23.0, (limit, off_side)
        assert all(r.metrics["hip_ext_top_deg"] > 5.0 for r in an.reps)  # shown, as read (+9..+12°), not judged
    else:
        assert not limit and max(off_side) < 23.0, (limit, off_side)


def _projected_head_trunk(meta: dict) -> tuple[np.ndarray, np.ndarray]:
    """The rendered truth's ear–shoulder–hip line from its projected joints (mid-points), per frame."""
    from formcheck.analyzers.floor_hold import signed_line_deg

    def joint(k: str) -> np.ndarray:
        return np.array([f["joints2d"][k][:2] for f in meta["frames"]], dtype=np.float64)

    mid = [(joint(f"{j}_L") + joint(f"{j}_R")) / 2 for j in ("EAR", "SHO", "HIP")]
    return np.array([f["t"] for f in meta["frames"]]), signed_line_deg(*mid)


def _catcamel_rendered_reps() -> list[tuple[float, float, float, float]]:
    """Per rep: (flexion found, flexion truth, extension found, extension truth) on the rendered cat-camel."""
    mp4, meta = _rendered("dev_catcamel_side_r_f40e28")
    an = _analyse(cat_camel, mp4)
    t, truth = _projected_head_trunk(meta)
    out = []
    for r in an.reps:
        sel = (t >= r.start_s) & (t <= r.end_s)
        out.append((r.metrics["flexion_deg"], float(truth[sel].max()), r.metrics["extension_deg"],
                    float(truth[sel].min())))  # fmt: skip
    return out


def test_catcamel_rendered_extension_is_reached_at_each_rep_end() -> None:
    # Each rep ends at the held extension (also the set's last one): measured −6.2 / −5.0° for −12.6 / −8.9°.
    reps = _catcamel_rendered_reps()
    assert len(reps) == 2 and all(abs(ext - ext_t) <= 7.0 for _, _, ext, ext_t in reps), reps


@pytest.mark.xfail(strict=True, reason="MediaPipe hangs the head too low in flexion: +82° for +49° (measured "
                   "+33.7, +32.3°), docs/metrics.md B2")  # fmt: skip
def test_catcamel_rendered_flexion_within_5_deg_of_the_projected_truth() -> None:
    reps = _catcamel_rendered_reps()
    assert all(abs(flex - flex_t) <= 5.0 for flex, flex_t, _, _ in reps), reps
