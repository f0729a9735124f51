"""Plank, side plank and prone extension on the rendered floor clips and the real clips of ../shared (skipped when
absent). Poses come from formcheck's pose cache (``load_or_extract``, the same cache key as
test_body_position_floor.py), so CI extracts each clip once.

Prints a per-clip table (``pytest -s``): hold bounds against the truth / labels, the body line (trunk elevation)
against the rendered truth, reps, side, cues. Asserts what the analyzers can deliver on MediaPipe's landmarks and
pins, as known gaps, what they cannot (see docs/metrics.md, "Plank, side plank, prone extension").
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyze import analyze_sequence, load_or_extract
from formcheck.config import Config
from formcheck.errors import NoPersonError
from formcheck.types import PoseSequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "analyzers"))
import fc_analysis  # noqa: E402 - the analyzer tests' streaming helper

pytestmark = [pytest.mark.integration, pytest.mark.shared]

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FLOOR = SHARED / "synthetic_floor"
VIDEOS = Path(os.environ.get("FORMCHECK_VIDEOS", SHARED / "videos"))
KIND_EXERCISE = {"plank": "plank", "side_plank": "side_plank", "prone_press_up": "prone_extension"}
HOLD_TOL_S = 0.5


def _run(path: Path, exercise: str, cfg: Config):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return analyze_sequence(load_or_extract(path, cfg), exercise, cfg)


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict]:
    clips = sorted(FLOOR.glob("dev_*.json")) if FLOOR.is_dir() else []
    clips = [c for c in clips if json.loads(c.read_text()).get("kind") in KIND_EXERCISE]
    if not clips:
        pytest.skip("shared synthetic_floor clips not present")
    cfg, out = Config(), {}
    print("\n| clip | exercise | truth holds s | found holds s | line/elev median err ° (hold) | reps | cues |")
    print("|---|---|---|---|---|---|---|")
    for js in clips:
        meta = json.loads(js.read_text())
        ex = KIND_EXERCISE[meta["kind"]]
        an = _run(js.with_suffix(".mp4"), ex, cfg)
        key, truth_key = (("trunk_elevation_deg", "trunk_incl_floor_deg") if ex == "prone_extension"
                          else ("body_line_deg", "body_line_ankle_deg"))  # fmt: skip
        frames = meta["frames"]
        tt = np.array([f["t"] for f in frames])
        truth = np.array([f[truth_key] for f in frames])
        held = np.array([f["phase"] == "hold" for f in frames])
        got = np.interp(tt, np.asarray(an.series["t_s"]), np.asarray(an.series[key]))
        err = float(np.nanmedian(got[held] - truth[held]))
        holds = [(p["start_s"], p["end_s"]) for p in meta["phase_intervals"] if p["phase"] == "hold"]
        out[js.stem] = {"meta": meta, "an": an, "err": err, "truth_holds": holds}
        found = ", ".join(f"{h.start_s:.2f}–{h.end_s:.2f}" for h in an.holds) or "none"
        print(f"| {js.stem} | {ex} | {', '.join(f'{a:.1f}–{b:.1f}' for a, b in holds)} | {found} | {err:+.1f} | "
              f"{len(an.reps)} | {', '.join(c.code for c in an.cues)} |")  # fmt: skip
    return out


def test_clean_plank_and_side_plank_holds_within_half_a_second(rendered) -> None:
    for name in ("dev_plank_side_r_hold7", "dev_sideplank_front_downL_hold6"):
        r = rendered[name]
        assert len(r["an"].holds) == 1, name
        (a, b), h = r["truth_holds"][0], r["an"].holds[0]
        assert abs(h.start_s - a) <= HOLD_TOL_S and abs(h.end_s - b) <= HOLD_TOL_S, (name, h.start_s, h.end_s)


def test_body_line_median_error_within_5_degrees_on_the_planks(rendered) -> None:
    for name in ("dev_plank_side_r_hold7", "dev_plank_sag10_side_l_hold6", "dev_sideplank_front_downL_hold6"):
        assert abs(rendered[name]["err"]) <= 5.0, (name, rendered[name]["err"])


def test_sag_is_cued_on_the_sag_clip_and_no_line_cue_on_the_clean_ones(rendered) -> None:
    codes = {name: {c.code for c in r["an"].cues} for name, r in rendered.items()}
    assert "plank.sag" in codes["dev_plank_sag10_side_l_hold6"]
    line_cues = {"plank.sag", "plank.pike", "side_plank.sag", "side_plank.pike"}
    assert not codes["dev_plank_side_r_hold7"] & line_cues
    assert not codes["dev_sideplank_front_downL_hold6"] & line_cues


def test_side_plank_side_down_is_the_truth(rendered) -> None:
    r = rendered["dev_sideplank_front_downL_hold6"]
    want = {"L": "left", "R": "right"}[r["meta"]["spec"]["down"]]
    assert [h.side for h in r["an"].holds] == [want]


def test_press_ups_are_counted(rendered) -> None:
    r = rendered["dev_pressup_side_l_e50"]
    assert len(r["an"].reps) == r["meta"]["spec"]["reps"]


def test_press_up_holds_found_are_tops_within_half_a_second(rendered) -> None:
    # MediaPipe reads the 23° tops at 5-9° (under the fixed 10°), ~11° above the set's own lying level (-4.5°):
    # the tops are found against that level (prone_extension rise_min_deg), and what is found is a top.
    r = rendered["dev_pressup_side_l_e50"]
    assert r["an"].holds
    for h in r["an"].holds:
        assert any(abs(h.start_s - a) <= HOLD_TOL_S and abs(h.end_s - b) <= HOLD_TOL_S for a, b in r["truth_holds"])
        assert h.metrics["trunk_elevation_median_deg"] < 10.0  # the honest reading, not inflated to the truth


def test_clean_press_up_has_no_form_cue(rendered) -> None:
    # The rendered press-up's pelvis never leaves the floor (truth 0), but MediaPipe loses the legs and reads it at
    # 0.12 of the leg lying, 0.17 at the tops: judged against its own lying reading (a 0.04 rise) it is not cued.
    r = rendered["dev_pressup_side_l_e50"]
    assert r["meta"]["spec"].get("fault") in (None, "", "none")
    assert not [c.code for c in r["an"].cues if c.severity in ("warn", "safety")]
    assert "pelvis.down" not in {c.code for c in r["an"].cues}


def test_press_up_live_equals_batch(rendered) -> None:
    # MediaPipe drops the lying body for single frames (2.33, 3.80, 7.10 ... s): each split a press-up live (0 reps
    # for the batch's 2) until lost frames were bridged as the batch's Body does. The poses come from the cache.
    from formcheck.analyzers import prone_extension

    r = rendered["dev_pressup_side_l_e50"]
    cfg = Config()
    seq = load_or_extract(FLOOR / "dev_pressup_side_l_e50.mp4", cfg)
    live, _ = fc_analysis.stream(prone_extension.SPEC, seq, cfg)
    assert len(live.reps) == len(r["an"].reps)
    assert [(h.start_s, h.end_s) for h in live.holds] == [(h.start_s, h.end_s) for h in r["an"].holds]


@pytest.mark.xfail(strict=True, reason="the second top is found (7.47-9.57 s for 7.8-9.3); on the first "
                   "(2.5-4.0 s) MediaPipe's reading is still for 0.84 s only (2.93-3.77 s), under the 1 s "
                   "min_hold_s: after lost frames (2.23-2.33 s, 3.80 s) it re-detects the figure near its pose "
                   "(trunk 28-30° for 23°), then slides shoulders and hips ~30 px toward the feet, shoulders ~22 px "
                   "low (5-9°), over 0.5 s at 2.4-2.9 s and 0.3 s at 3.83-4.13 s, at 37-70°/s, as fast as it reads "
                   "the real rises (28-50°/s): docs/metrics.md H3d")  # fmt: skip
def test_press_up_top_holds_are_found(rendered) -> None:
    r = rendered["dev_pressup_side_l_e50"]
    assert len(r["an"].holds) == len(r["truth_holds"])


@pytest.mark.xfail(strict=True, reason="found 1.63-8.90 s for 2.2-8.2 (-0.57 / +0.70 s; +1.07 before the lying "
                   "check): rest and hold differ by 2.6 cm of hip height; MediaPipe reads the first rest's shoulders "
                   "down on the supports' line until 1.2 s, then the hold's pose from 1.3 s, the figure 10 % of the "
                   "way up (a 2.6 cm rise, at most 2.8 %/s: still by the 6 %/s limit); through the lowering and the "
                   "rest after it the hip lift reads 0.51-0.61 (truth 0.56 lying, over the 0.5 limit): docs/metrics.md "
                   "H3e")  # fmt: skip
def test_sag_clip_hold_within_half_a_second(rendered) -> None:
    r = rendered["dev_plank_sag10_side_l_hold6"]
    (a, b), h = r["truth_holds"][0], r["an"].holds[0]
    assert abs(h.start_s - a) <= HOLD_TOL_S and abs(h.end_s - b) <= HOLD_TOL_S


def _lying_longer(seq: PoseSequence, from_s: float, extra_s: float = 4.0) -> PoseSequence:
    """The clip with its frames from ``from_s`` on (lying on the floor after the hold) replayed back and forth for
    ``extra_s`` more: MediaPipe's own readings of the lying body, longer (how the acceptance check reproduced it)."""
    t = np.asarray(seq.t_s)
    dt = float(np.median(np.diff(t)))
    tail = np.flatnonzero(t >= from_s)
    idx = np.resize(np.concatenate([tail[::-1][1:], tail[1:]]), round(extra_s / dt))
    n_people = None if seq.n_people is None else np.concatenate([seq.n_people, seq.n_people[idx]])
    lm, world = np.concatenate([seq.landmarks, seq.landmarks[idx]]), np.concatenate([seq.world, seq.world[idx]])
    t_new = np.concatenate([t, t[-1] + dt * np.arange(1, idx.size + 1)])
    return PoseSequence(lm, world, t_new, seq.width, seq.height, n_people=n_people)


def _lying_longer_analysis(rendered, name: str, tail_s: float | None = None):
    """The clip's analysis and that of the clip lying ``extra_s`` longer: its whole final rest (truth phase ``end``)
    replayed, or only its last ``tail_s``."""
    r, cfg = rendered[name], Config()
    ex = KIND_EXERCISE[r["meta"]["kind"]]
    end_rest_s = max(p["start_s"] for p in r["meta"]["phase_intervals"])
    seq = load_or_extract(FLOOR / f"{name}.mp4", cfg)
    from_s = end_rest_s if tail_s is None else float(seq.t_s[-1]) - tail_s
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return r["an"], analyze_sequence(_lying_longer(seq, from_s), ex, cfg)


LINE_CUES = {"plank.sag", "plank.pike", "side_plank.sag", "side_plank.pike"}


@pytest.mark.parametrize("name", ["dev_plank_side_r_hold7", "dev_plank_sag10_side_l_hold6",
                                  "dev_sideplank_front_downL_hold6"])  # fmt: skip
def test_lying_on_the_floor_longer_after_the_hold_adds_no_hold_and_no_cue(rendered, name: str) -> None:
    # Acceptance check: lying on the floor for more than ~1.5 s after a plank became a second, sagging hold (clean
    # plank: 10.73-15.17 s, "lift the hips about 8°"; sag plank and side plank: the hold ran on to the end).
    an, longer = _lying_longer_analysis(rendered, name)
    assert [(h.start_s, h.end_s) for h in longer.holds] == [(h.start_s, h.end_s) for h in an.holds]
    assert {c.code for c in longer.cues} & LINE_CUES == {c.code for c in an.cues} & LINE_CUES


@pytest.mark.xfail(strict=True, reason="the sag plank's last 0.3 s of lying read hip lift 0.47-0.60 (8 of 10 "
                   "frames over the 0.5 limit; truth 0.56 for this armoured figure, whose hip joints lie 17 cm up; "
                   "its 10° sag hold is 0.675 true, 0.66 read): replayed, they join the hold (1.63-14.17 s): "
                   "docs/metrics.md H3e")  # fmt: skip
def test_sag_plank_last_lying_frames_replayed_add_no_hold(rendered) -> None:
    an, longer = _lying_longer_analysis(rendered, "dev_plank_sag10_side_l_hold6", tail_s=0.3)
    assert [(h.start_s, h.end_s) for h in longer.holds] == [(h.start_s, h.end_s) for h in an.holds]


# ---------------------------------------------------------------------------------------------------------------
# Real clips (labels.json: hold flags and hold_bounds_s)
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> dict[str, dict]:
    labels_path = VIDEOS / "labels.json"
    if not labels_path.exists():
        pytest.skip("shared videos not present")
    cfg, out = Config(), {}
    print(
        "\n| clip | exercise | view | labelled hold s | found holds s | body line ° | reps (labelled) | side | cues |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for lab in json.loads(labels_path.read_text()):
        ex = lab.get("family")
        if ex not in ("plank", "side_plank", "prone_extension") or not (VIDEOS / lab["file"]).exists():
            continue
        try:
            an = _run(VIDEOS / lab["file"], ex, cfg)
        except NoPersonError:
            out[lab["file"]] = {"lab": lab, "an": None}
            print(f"| {lab['file']} | {ex} | – | {lab.get('hold_bounds_s')} | nobody found | – | – | – | – |")
            continue
        out[lab["file"]] = {"lab": lab, "an": an}
        found = ", ".join(f"{h.start_s:.2f}–{h.end_s:.2f}" for h in an.holds) or "none"
        line = ", ".join(f"{h.metrics.get('body_line_median_deg', float('nan')):+.0f}" for h in an.holds)
        print(f"| {lab['file']} | {ex} | {an.quality.view} | {lab.get('hold_bounds_s')} | {found} | {line} | "
              f"{len(an.reps)} ({lab.get('reps')}) | {','.join(str(h.side) for h in an.holds)} | "
              f"{', '.join(c.code for c in an.cues)} |")  # fmt: skip
    if not out:
        pytest.skip("no plank clips in the shared videos")
    return out


def test_real_planks_held_the_whole_clip_are_one_hold_within_half_a_second(real) -> None:
    for clip in ("plank_side_anvox_4.mp4", "plank_side_trajnovd_7.mp4"):
        r = real[clip]
        (a, b), holds = r["lab"]["hold_bounds_s"][0], r["an"].holds
        assert len(holds) == 1, clip
        assert abs(holds[0].start_s - a) <= HOLD_TOL_S and abs(holds[0].end_s - b) <= HOLD_TOL_S, clip


def test_real_side_plank_with_arm_reaches_is_one_hold_on_the_left_with_reach_reps(real) -> None:
    # The reaches turn the trunk and move the hips (8-9 %/s): the top arm moving against the trunk at the same
    # time makes that part of the hold (floor_hold, limb_key), so the hold is timed from the start.
    r = real["sideplank_oblique_afyalite_1.mp4"]
    (a, b), holds = r["lab"]["hold_bounds_s"][0], r["an"].holds
    assert len(holds) == 1 and holds[0].side == "left"
    assert abs(holds[0].start_s - a) <= HOLD_TOL_S and abs(holds[0].end_s - b) <= HOLD_TOL_S
    assert len(r["an"].reps) == r["lab"]["reps"]
    # Labelled "side plank held the whole clip" (steady): the trunk turns with each reach by design, so the reaches
    # are left out of the hold's line and sway (acceptance check #5: "Steady the hold … swayed 6.2°" was its focus).
    assert holds[0].metrics["sway_rms_deg"] <= Config().exercise_config("side_plank").sway_max_deg
    assert "side_plank.sway" not in {c.code for c in r["an"].cues}


def test_live_side_plank_leaves_the_last_reach_out_when_the_person_leaves(real) -> None:
    # Review finding: live read the hold's metrics before its last reach was closed (a reach ending with the hold),
    # so the person getting up after the last reach read "Steady the hold ... swayed 7.4°" live, 1.9° in batch.
    from formcheck.analyzers import get_analyzer
    from formcheck.cues import hold_cues
    from formcheck.types import Quality

    cfg = Config()
    seq = load_or_extract(VIDEOS / "sideplank_oblique_afyalite_1.mp4", cfg)
    dt = float(np.median(np.diff(seq.t_s)))
    s = get_analyzer("side_plank", cfg).stream()
    for i in range(seq.n_frames):
        s.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
    nobody = np.full((33, 4), np.nan)
    for k in range(1, round(3.0 / dt)):  # then 3 s with nobody in the picture: the hold ends, as it would live
        s.update(float(seq.t_s[-1]) + k * dt, nobody, nobody, seq.width, seq.height, None, 0)
    live = s.finish()
    batch = real["sideplank_oblique_afyalite_1.mp4"]["an"]
    assert len(live.holds) == 1 and len(live.reps) == len(batch.reps) == 4
    spans = [t for r in live.reps for t in (r.start_s, r.end_s)]
    assert spans == pytest.approx([t for r in batch.reps for t in (r.start_s, r.end_s)], abs=0.1)
    assert live.holds[0].metrics["sway_rms_deg"] <= cfg.exercise_config("side_plank").sway_max_deg
    q = Quality(view=live.quality.view, position=live.quality.position)
    assert "side_plank.sway" not in {c.code for c in hold_cues(live.holds[0], q, cfg, "side_plank")}


def test_the_line_drawing_cobra_is_not_seen(real) -> None:
    assert real["cobra_side_homeworkout_2.mp4"]["an"] is None


def test_oblique_plank_is_timed_with_a_warning_and_no_line_cue(real) -> None:
    # Gets up from a kneel (knees bent until 0.9 s) and settles the hips until ~2.6 s: timed from the knees
    # straightening (entering the posture), and ended when they bend again, not by stillness alone.
    r = real["plank_oblique_kbtrainer_11.mp4"]
    an, (a, b) = r["an"], r["lab"]["hold_bounds_s"][0]
    assert len(an.holds) == 1 and an.quality.view == "oblique"
    assert abs(an.holds[0].start_s - a) <= HOLD_TOL_S and abs(an.holds[0].end_s - b) <= HOLD_TOL_S
    assert any("oblique" in w for w in an.quality.warnings)
    assert not {c.code for c in an.cues} & {"plank.sag", "plank.pike"}
