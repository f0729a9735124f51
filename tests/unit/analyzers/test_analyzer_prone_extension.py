"""Prone extension holds found against the set's own lying level (floor_hold.RestLevel, ``rise_min_deg``).

A camera that under-reads the trunk's elevation is simulated with KNOWN truth: the generator's press-up set
(floor_synth) squashed vertically about the floor line in the image by ``k`` (what a camera looking down on a
lying body does, and what MediaPipe does on the rendered press-up: a 23° top read 5–9°), so a true elevation
``e`` reads ``atan(k tan e)``. The pixel noise is added after the squash (the landmark detector's jitter does not
shrink with the camera's view).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers import floor_hold as fh
from formcheck.analyzers import prone_extension
from formcheck.analyzers.floor_synth import HEIGHT, SHANK_M, THIGH_M, WIDTH, HoldSpec, prone_extension_clip
from formcheck.analyzers.prone_extension import ProneExtensionConfig
from formcheck.config import Config, load_config
from formcheck.errors import ConfigError

sys.path.insert(0, str(Path(__file__).parent))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues and streaming helpers

CFG = Config()
HOLD_TOL_S = 0.25  # as test_analyzer_plank: a causal stillness test over 0.3 s
REST_DEG = 3.0  # the generator's lying trunk elevation (floor_synth.prone_extension_clip)


def _squashed(clip, k: float, noise_px: float, seed: int = 1):
    """``clip`` seen by a camera that reads heights ``k`` times too small (about the ankles' mean image height)."""
    lm = np.array(clip.seq.landmarks, dtype=np.float64)
    floor = np.nanmean(lm[:, 27:29, 1])
    lm[:, :, 1] = floor + k * (lm[:, :, 1] - floor)
    rng = np.random.default_rng(seed)
    lm[:, :, 0] += rng.normal(0, noise_px / WIDTH, lm[:, :, 0].shape)
    lm[:, :, 1] += rng.normal(0, noise_px / HEIGHT, lm[:, :, 1].shape)
    return dataclasses.replace(clip.seq, landmarks=lm)


def _read_deg(true_deg: float, k: float) -> float:
    return math.degrees(math.atan(k * math.tan(math.radians(true_deg))))


# The batch analysis with its cues (as analyze_sequence gives them).
_batch = functools.partial(fc_analysis.analyse, prone_extension.SPEC, cfg=CFG)


def _live(seq):
    return fc_analysis.stream(prone_extension.SPEC, seq, CFG)[0]


@pytest.mark.parametrize("facing", [1.0, -1.0])
@pytest.mark.parametrize(("top_deg", "k"), [(25.0, 0.3), (23.0, 0.35), (18.0, 0.5)])
def test_press_up_tops_under_read_by_the_camera_are_held(top_deg: float, k: float, facing: float) -> None:
    # Every top reads under the 10° of a held trunk (7.9°, 8.4°, 9.2°) but 5-9° above the set's own lying level
    # (0.9-1.5°): the old fixed band found no hold here.
    assert _read_deg(top_deg, k) < 10.0
    clip = prone_extension_clip(holds=[HoldSpec(hold_s=2.0, line_deg=top_deg)] * 2, facing=facing, noise_px=0.0)
    seq = _squashed(clip, k, noise_px=0.5)
    an = _batch(seq)
    assert len(an.holds) == 2 and len(an.reps) == 0  # reps need a 10° range: the reading has 6-8°
    for h, p in zip(an.holds, clip.truth.phases, strict=True):
        assert abs(h.start_s - p["start_s"]) <= HOLD_TOL_S and abs(h.end_s - p["end_s"]) <= HOLD_TOL_S
        # The honest reading is reported, not the truth: the camera's angle, within the noise.
        assert h.metrics["trunk_elevation_median_deg"] == pytest.approx(_read_deg(top_deg, k), abs=1.0)


def test_under_read_press_up_holds_live_equal_batch() -> None:
    clip = prone_extension_clip(holds=[HoldSpec(hold_s=2.0, line_deg=25.0)] * 2, noise_px=0.0)
    seq = _squashed(clip, 0.3, noise_px=0.5)
    b, lv = _batch(seq), _live(seq)
    assert len(b.holds) == 2
    assert [(h.start_s, h.end_s) for h in lv.holds] == [(h.start_s, h.end_s) for h in b.holds]


@pytest.mark.parametrize(("k", "noise_px", "breath_deg"), [(1.0, 0.5, 0.0), (0.3, 2.0, 0.0), (0.3, 2.0, 1.5)])
def test_lying_still_is_no_hold(k: float, noise_px: float, breath_deg: float) -> None:
    # Lying flat the whole set (the "press-up" goes to the rest level), with landmark jitter up to 2 px (1.3° of
    # trunk elevation here) and a breathing rise of the trunk line: never a hold.
    hold = HoldSpec(hold_s=6.0, line_deg=REST_DEG, sway_deg=breath_deg, sway_hz=0.25)
    clip = prone_extension_clip(holds=[hold], noise_px=0.0, rest_s=3.0)
    an = _batch(_squashed(clip, k, noise_px=noise_px))
    assert an.holds == ()


def test_a_lift_smaller_than_the_rise_is_no_hold() -> None:
    # Raised 3° above the lying level as read (under rise_min_deg = 5°): not holding the trunk up.
    top = REST_DEG + 3.0
    clip = prone_extension_clip(holds=[HoldSpec(hold_s=3.0, line_deg=top)] * 2, noise_px=0.5)
    assert _batch(clip.seq).holds == ()


def test_a_set_that_starts_up_keeps_the_fixed_band() -> None:
    # No lying level seen before the top (the set starts raised): the rest level is the top itself, so only the
    # fixed band can find the hold. Read 8° (under 10°): no hold; read 25°: one.
    for top, k, want in ((25.0, 0.3, 0), (25.0, 1.0, 1)):
        clip = prone_extension_clip(holds=[HoldSpec(hold_s=4.0, line_deg=top)], noise_px=0.0, rest_s=0.0)
        seq = _squashed(clip, k, noise_px=0.5)
        # Cut the rise: the set starts at the top.
        start = int(round(1.2 * 30))
        seq = dataclasses.replace(seq, landmarks=seq.landmarks[start:], world=seq.world[start:],
                                  t_s=seq.t_s[start:] - seq.t_s[start], n_people=seq.n_people[start:])  # fmt: skip
        assert len(_batch(seq).holds) == want, (top, k)


# ---------------------------------------------------------------------------------------------------------------
# The rest level itself
# ---------------------------------------------------------------------------------------------------------------


def test_rest_level_is_the_lowest_half_second_median_so_far() -> None:
    t = np.arange(90) / 30.0
    x = np.where(t < 1.0, -4.0, 8.0)  # lying at -4°, then up at 8°
    x[10:13] = -30.0  # a 0.1 s glitch low: not a level the body stayed at
    x[40] = np.nan  # a lost frame
    r = fh.RestLevel.batch(t, x)
    assert np.all(np.isnan(r[: int(fh.REST_WINDOW_S * 30) - 1]))  # not seen for a rest's length yet
    assert np.nanmin(r) == pytest.approx(-4.0)
    assert r[-1] == pytest.approx(-4.0)  # the raised part does not lift the rest level


def _stays(parts: list[tuple[float, float | None]], fps: float, noise_deg: float, lost_frac: float, seed: int):
    """Samples of a hold value from ``(duration_s, value)`` parts (None = nobody seen), each value plus Gaussian
    noise of ``noise_deg``, with ``lost_frac`` of the frames lost at random (single frames, bridged)."""
    rng = np.random.default_rng(seed)
    t, x, now = [], [], 0.0
    for dur, v in parts:
        n = max(1, int(round(dur * fps)))
        t.append(now + np.arange(n) / fps)
        x.append(np.full(n, np.nan if v is None else v) + rng.normal(0.0, noise_deg, n))
        now += n / fps
    t, x = np.concatenate(t), np.concatenate(x)
    x[rng.uniform(size=x.size) < lost_frac] = np.nan
    return t, x


GAP = (3.0, None)  # MediaPipe drops a lying body for 3 s


@pytest.mark.parametrize(
    ("parts", "fps", "lost_frac", "truth"),
    [
        # One glitch frame right after a gap: the window then held that frame alone, and its "median" (-60) stayed
        # the set's level for good (the old code).
        ([(1.0, -15.0), GAP, (1 / 30, -60.0), (3.0, -15.0)], 30.0, 0.0, [(0.5, 99.0, -15.0)]),
        ([(1.0, -15.0), GAP, (2 / 30, -60.0), (3.0, -15.0)], 30.0, 0.0, [(0.5, 99.0, -15.0)]),
        ([(1.0, -15.0), GAP, (0.1, -60.0), (3.0, -15.0)], 10.0, 0.0, [(0.5, 99.0, -15.0)]),
        # A 0.3 s misreading between two gaps is not a stay (a level needs REST_WINDOW_S seen).
        ([(1.0, -4.0), (2.0, None), (0.3, -20.0), (2.0, None), (2.0, -4.0)], 30.0, 0.0, [(0.5, 99.0, -4.0)]),
        # A lower stay lowers it, a raised part does not lift it; one-frame glitches and lost frames change nothing.
        (
            [(1.0, -4.0), (1 / 30, -40.0), (0.5, -4.0), (1.5, -9.0), (1 / 30, -40.0), (1.0, -9.0), (2.0, 8.0)],
            30.0,
            0.1,
            [(0.5, 1.5, -4.0), (2.1, 99.0, -9.0)],
        ),
    ],
    ids=["glitch-after-gap", "two-glitches-after-gap", "glitch-after-gap-10fps", "short-stay", "lower-stay"],
)
def test_rest_level_against_the_stays_it_was_made_of(parts, fps: float, lost_frac: float, truth) -> None:
    t, x = _stays(parts, fps, noise_deg=0.3, lost_frac=lost_frac, seed=5)
    r = fh.RestLevel.batch(t, x)
    assert np.all(np.isnan(r[t < truth[0][0] - 1e-9]))  # no level before a stay has been seen for REST_WINDOW_S
    for a, b, level in truth:
        sel = (t >= a + 1.0 / fps) & (t <= b)
        assert np.all(np.abs(r[sel] - level) <= 0.5), (a, b, level, np.nanmin(r[sel]), np.nanmax(r[sel]))


def _glitch_after_gap(seq, gap_s: tuple[float, float]):
    """``seq`` with nobody seen over ``gap_s`` and one glitch frame right after it: the hips read below the
    ankles (pelvis height -0.29 of the leg) and the shoulders 60° below the hips."""
    lm, world = np.array(seq.landmarks, dtype=np.float64), np.array(seq.world, dtype=np.float64)
    gap = (seq.t_s >= gap_s[0]) & (seq.t_s < gap_s[1])
    lm[gap], world[gap] = np.nan, np.nan
    g = int(np.argmax(seq.t_s >= gap_s[1]))
    px = lm[g, :, :2] * [WIDTH, HEIGHT]
    ank, hip, sho = px[27:29].mean(0), px[23:25].mean(0), px[11:13].mean(0)
    px[23:25, 1] += ank[1] + 0.3 * np.linalg.norm(hip - ank) - hip[1]
    hip2 = px[23:25].mean(0)
    e = math.radians(60.0)
    up = np.array([np.sign(sho[0] - hip[0]) * math.cos(e), math.sin(e)])
    px[11:13] += hip2 + np.linalg.norm(sho - hip) * up - sho
    lm[g, :, :2] = px / [WIDTH, HEIGHT]
    return dataclasses.replace(seq, landmarks=lm, world=world, n_people=np.where(gap, 0, seq.n_people)), g


def test_a_glitch_frame_after_a_gap_is_not_the_lying_level() -> None:
    # Lying flat the whole set, out of view for 3 s, then one glitch frame reading the trunk at -60° and the pelvis
    # under the ankles. The old rest level was that frame for the rest of the set: every lying frame read ~63°
    # above it (a hold of 12 s), and the pelvis rise against the glitch's pelvis (0.33) cued "pelvis down".
    clip = prone_extension_clip(holds=[HoldSpec(hold_s=8.0, line_deg=REST_DEG)], noise_px=0.5, rest_s=3.0)
    seq, g = _glitch_after_gap(clip.seq, (1.0, 4.0))
    v = prone_extension.values(np.asarray(seq.xy_px(), dtype=np.float64), None)
    assert v["trunk_elevation_deg"][g] == pytest.approx(-60.0, abs=0.5) and v["pelvis_height_frac"][g] < -0.2
    an = _batch(seq)
    assert an.holds == ()
    assert not {"pelvis.down", "pelvis.unknown"} & {c.code for c in an.cues}
    st = prone_extension.SPEC.analyzer(CFG).stream()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        states = [st.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None,
                            int(seq.n_people[i])) for i in range(seq.n_frames)]  # fmt: skip
        lv = st.finish()
    assert lv.holds == () and all(s.phase != "hold" for s in states)
    assert all(not math.isfinite(s.values.get("pelvis_rise_frac", math.nan)) for s in states)
    # The level itself (on the hold value as the strategy reads it): the lying reading, not the glitch.
    level = fh.RestLevel.batch(seq.t_s, v["trunk_elevation_deg"])
    assert np.nanmin(level) == pytest.approx(REST_DEG, abs=1.5)


def test_a_hold_after_a_long_gap_starts_when_the_person_is_back() -> None:
    # Out of view for 2.3 s (longer than the 2 s that ends a hold): the gap is fed in pieces of BRIDGE_S, and its
    # last piece was bridged with the value from before the gap, so the next hold started up to 0.3 s before the
    # person was back (the conformance suite's "leave mid-rep" case).
    t = np.arange(int(8.0 * 30)) / 30.0
    x = np.where((t >= 3.0) & (t < 5.3), np.nan, 20.0)
    holds = fh.SegmentedHold(fh.BandHold(10.0, 80.0, min_hold_s=1.0)).batch(t, x)
    assert len(holds) == 2
    assert holds[0].end_s == pytest.approx(3.0, abs=0.05)
    assert holds[1].start_s >= 5.3 - 1 / 60 - 1e-9


# ---------------------------------------------------------------------------------------------------------------
# The pelvis judged against its own lying reading (pelvis_rise_frac, pelvis_rise_max_frac)
# ---------------------------------------------------------------------------------------------------------------

LEG_M = THIGH_M + SHANK_M  # the generator's hip-ankle length


def _legs_misread(clip, lying_frac: float, top_extra_frac: float):
    """``clip`` with the ankles read too low in the image (what MediaPipe does when it loses a lying body's legs):
    the pelvis reads ``lying_frac`` of the leg length too high lying, ``top_extra_frac`` more at the top, while the
    true pelvis does what the generator says."""
    lm = np.array(clip.seq.landmarks, dtype=np.float64)
    e = np.asarray(clip.truth.body_line_deg)
    up = np.clip((e - REST_DEG) / (np.max(e) - REST_DEG), 0.0, 1.0)  # 0 lying .. 1 at the top
    hip_y = lm[:, 23:25, 1].mean(axis=1) * HEIGHT
    ank = lm[:, 27:29, :2] * np.array([WIDTH, HEIGHT])
    leg_px = np.linalg.norm(ank.mean(axis=1) - np.stack([lm[:, 23:25, 0].mean(axis=1) * WIDTH, hip_y], 1), axis=1)
    lm[:, 27:29, 1] += ((lying_frac + top_extra_frac * up) * leg_px / HEIGHT)[:, None]
    return dataclasses.replace(clip.seq, landmarks=lm)


@pytest.mark.parametrize(
    ("lift_m", "lying_frac", "top_extra_frac", "cued"),
    [
        (0.0, 0.0, 0.0, False),
        (0.0, 0.07, 0.05, False),  # the rendered press-up's misreading (0.12 lying, 0.17 at the tops): the old
        # absolute limit (0.15) cued this clean set
        (0.03, 0.07, 0.05, False),  # 3 cm: 0.03 of the leg, under the 0.10 limit
        (0.15, 0.0, 0.0, True),  # 15 cm: 0.17 of the leg
        (0.15, 0.07, 0.05, True),  # the same lift under the same misreading
        (0.25, 0.07, 0.0, True),
    ],
)
def test_pelvis_cue_against_its_own_lying_reading(lift_m, lying_frac, top_extra_frac, cued) -> None:
    clip = prone_extension_clip(n_reps=2, pelvis_lift_m=lift_m, noise_px=0.5)
    an = _batch(_legs_misread(clip, lying_frac, top_extra_frac))
    assert len(an.holds) == 2
    codes = [c.code for c in an.cues]
    assert ("pelvis.down" in codes) == cued, codes
    assert "pelvis.unknown" not in codes
    for h in an.holds:
        # The rise read against the truth (the lift over the leg length), within the misreading's top drift.
        assert h.metrics["pelvis_rise_frac"] == pytest.approx(lift_m / LEG_M + top_extra_frac, abs=0.03)


def test_a_set_that_starts_raised_has_no_pelvis_verdict() -> None:
    # No lying reading before the hold: the pelvis (lifted 25 cm here) is not judged, and the set says so.
    clip = prone_extension_clip(holds=[HoldSpec(hold_s=4.0, line_deg=25.0)], pelvis_lift_m=0.25, rest_s=0.0)
    start = int(round(1.2 * 30))
    seq = clip.seq
    seq = dataclasses.replace(seq, landmarks=seq.landmarks[start:], world=seq.world[start:],
                              t_s=seq.t_s[start:] - seq.t_s[start], n_people=seq.n_people[start:])  # fmt: skip
    an = _batch(seq)
    assert len(an.holds) == 1
    codes = [c.code for c in an.cues]
    assert "pelvis.down" not in codes and "pelvis.unknown" in codes
    assert math.isnan(an.holds[0].metrics["pelvis_rise_frac"])


# ---------------------------------------------------------------------------------------------------------------
# Live = batch with lost frames
# ---------------------------------------------------------------------------------------------------------------


def test_press_ups_with_lost_frames_live_equal_batch() -> None:
    # MediaPipe drops a lying body for single frames (the rendered press-up: 2.33, 3.80, 7.10, 9.13, 9.47 s ...).
    # The batch bridges such gaps (Body, max_gap_s); live, each lost frame was fed to the rep detector as a hole
    # and split the press-up, so none was counted live (0 for 2 on the rendered clip).
    clip = prone_extension_clip(n_reps=3, noise_px=0.5, rest_s=2.0)
    seq = clip.seq
    lost = np.zeros(seq.n_frames, dtype=bool)
    for a, b in clip.truth.reps:  # a frame lost on the way up, at the top and on the way down
        for t in (a + 0.6, 0.5 * (a + b), b - 0.6):
            lost[int(np.argmin(np.abs(seq.t_s - t)))] = True
    lm, world = np.array(seq.landmarks), np.array(seq.world)
    lm[lost], world[lost] = np.nan, np.nan
    seq = dataclasses.replace(seq, landmarks=lm, world=world, n_people=np.where(lost, 0, seq.n_people))
    b, lv = _batch(seq), _live(seq)
    assert len(b.reps) == len(clip.truth.reps) == 3
    assert len(lv.reps) == len(b.reps)
    for r, (a, e) in zip(lv.reps, clip.truth.reps, strict=True):
        assert abs(r.start_s - a) <= 0.3 and abs(r.end_s - e) <= 0.3
    assert [(h.start_s, h.end_s) for h in lv.holds] == [(h.start_s, h.end_s) for h in b.holds]


# ---------------------------------------------------------------------------------------------------------------
# Config files written for the old rule keep loading
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"), [("pelvis_lift_max_frac", "pelvis_rise_max_frac"), ("still_max_pct_s", "still_rise_frac_s")]
)
def test_an_old_config_loads_with_a_warning_and_its_replaced_key_ignored(tmp_path, old: str, new: str) -> None:
    # The keys of the old rule (absolute pelvis height 0.15, landmark movement 6 %/s) were renamed with a new
    # meaning: an old file must still load (extra="forbid" refused it), the old value is not carried over.
    path = tmp_path / "old.toml"
    path.write_text(f"[exercise.prone_extension]\n{old} = 0.2\nmin_hold_s = 1.5\n", encoding="utf-8")
    with pytest.warns(FutureWarning) as got:
        ex = load_config(path).exercise_config("prone_extension")
    msgs = [str(w.message) for w in got if issubclass(w.category, FutureWarning)]
    assert len(msgs) == 1 and old in msgs[0] and new in msgs[0] and "ignored" in msgs[0], msgs
    assert got[0].filename == __file__  # names the code loading the config, not pydantic's internals
    assert ex.min_hold_s == 1.5  # the rest of the table applies
    assert getattr(ex, new) == getattr(ProneExtensionConfig(), new)  # the new key keeps its own setting
    assert not hasattr(ex, old)


def test_a_misspelt_key_still_fails(tmp_path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text("[exercise.prone_extension]\npelvis_rise_max_fract = 0.2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"Unknown config key exercise\.prone_extension\.pelvis_rise_max_fract"):
        load_config(path)


def test_the_new_keys_load_without_a_warning(tmp_path) -> None:
    path = tmp_path / "new.toml"
    path.write_text("[exercise.prone_extension]\npelvis_rise_max_frac = 0.2\nstill_rise_frac_s = 2.0\n",
                    encoding="utf-8")  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        ex = load_config(path).exercise_config("prone_extension")
    assert (ex.pelvis_rise_max_frac, ex.still_rise_frac_s) == (0.2, 2.0)
