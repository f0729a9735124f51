"""Where the cue banner goes: the band that covers the least of the body, one band while a message is shown.

The truth is the drawn frame: the banner's rectangle is read from the pixels a cue adds (the frame drawn with the cue
against the same frame without it), the body is the box around the figure's landmarks, which are made up here with
known positions (a person lying on the floor with the legs raised, one standing with the feet out of the picture ...).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers.base import LiveState
from formcheck.config import Config
from formcheck.render import write_annotated_video
from formcheck.render.overlay import SEVERITY_BGR, LiveBannerPlace, banner_track, draw_overlay
from formcheck.render.video import iter_video_frames
from formcheck.types import LM, Cue, PoseSequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from fc_report_builders import figure_landmarks_px, make_analysis, rep_plan, write_figure_video  # noqa: E402

CFG = Config()
W, H = 640, 480
CUE = Cue("spine.rounding", "safety", "Keep your back long — it rounded about 18°", 10)


def supine(legs_up: bool, y_floor: float = H - 10.0) -> np.ndarray:
    """A person lying on their back along the floor near the bottom of the frame, head at the left; the legs raised
    (a dead bug: feet high, knees over the hips) or flat (feet on the floor at the bottom)."""
    head, shoulder, hip = (0.15 * W, y_floor - 20), (0.28 * W, y_floor - 10), (0.52 * W, y_floor - 10)
    if legs_up:
        knee, ankle = (0.52 * W, y_floor - 130), (0.68 * W, y_floor - 140)
    else:
        knee, ankle = (0.68 * W, y_floor - 12), (0.84 * W, y_floor - 5)
    p = np.full((33, 2), np.nan)
    for side in ("LEFT_", "RIGHT_"):
        p[LM[side + "SHOULDER"]], p[LM[side + "HIP"]] = shoulder, hip
        p[LM[side + "ELBOW"]], p[LM[side + "WRIST"]] = (0.28 * W, y_floor - 80), (0.28 * W, y_floor - 150)
        p[LM[side + "KNEE"]], p[LM[side + "ANKLE"]] = knee, ankle
        p[LM[side + "HEEL"]] = (ankle[0] - 8, ankle[1] + 4)
        p[LM[side + "FOOT_INDEX"]] = (ankle[0] + 12, ankle[1] - 10)
        p[LM[side + "EAR"]] = head
    p[LM.NOSE] = (head[0], head[1] - 10)
    return p


def standing(dy: float = 0.0, feet_seen: bool = True) -> np.ndarray:
    """The test figure standing (feet at 90 % of the height), moved down by ``dy`` px; without its feet (out of the
    picture, not found) when ``feet_seen`` is False."""
    p = figure_landmarks_px(10, 10, W, H)
    p[:, 1] += dy
    if not feet_seen:
        for side in ("LEFT_", "RIGHT_"):
            for k in ("ANKLE", "HEEL", "FOOT_INDEX"):
                p[LM[side + k]] = np.nan
    return p


def state(lm: np.ndarray, t_s: float = 3.0) -> LiveState:
    return LiveState(t_s=t_s, phase="top", rep_count=1, ready=True, setup_message=None,
                     values={"phase_elapsed_s": 0.5}, landmarks_px=lm, side_used="right")  # fmt: skip


def body_box(lm: np.ndarray) -> tuple[float, float, float, float]:
    seen = lm[np.isfinite(lm).all(axis=1)]
    return (*seen.min(axis=0), *seen.max(axis=0))


def drawn_banner(st: LiveState, band: str | None) -> tuple[int, int, int, int]:
    """``(x0, y0, x1, y1)`` of the banner as drawn: the pixels the cue changes."""
    blank = np.full((H, W, 3), 50, np.uint8)
    drawn = draw_overlay(blank, st, CUE, None, CFG, banner_at=band)
    changed = np.any(drawn != draw_overlay(blank, st, None, None, CFG), axis=2)
    ys, xs = np.nonzero(changed)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def overlap_px(rect, box) -> float:
    w = min(rect[2], box[2]) - max(rect[0], box[0])
    h = min(rect[3], box[3]) - max(rect[1], box[1])
    return max(0.0, w) * max(0.0, h)


# Each body leaves one band free: the banner must not cover it. The old rule (bottom unless the feet are there) covered
# the first two: a supine person's trunk with the legs raised, and a standing person's knees when the feet are not seen.
FREE_BAND_BODIES = {
    "lying on the back, legs raised": supine(legs_up=True),
    "standing, feet out of the picture": standing(dy=120, feet_seen=False),
    "lying flat, feet at the bottom": supine(legs_up=False),
    "standing, feet above the bottom band": standing(dy=-100),
}


@pytest.mark.parametrize("body", FREE_BAND_BODIES.values(), ids=FREE_BAND_BODIES.keys())
def test_the_banner_covers_no_body_when_a_band_is_free(body):
    st = state(body)
    (band,) = banner_track([st], [CUE], W, H)
    assert overlap_px(drawn_banner(st, band), body_box(body)) == 0


def test_when_both_bands_cover_the_body_the_one_covering_less_is_taken():
    body = standing(dy=40)  # head in the top band, shins and feet below the frame's bottom band
    st = state(body)
    cover = {b: overlap_px(drawn_banner(st, b), body_box(body)) for b in ("top", "bottom")}
    assert min(cover.values()) > 0 and cover["top"] != cover["bottom"]
    (band,) = banner_track([st], [CUE], W, H)
    assert cover[band] == min(cover.values())


def test_the_banner_stays_in_one_band_while_its_message_is_shown():
    # A person bobbing so the feet cross the bottom band's edge every few frames: the banner chosen frame by frame
    # jumps between top and bottom; over the frames the message is shown it keeps one band, the freer one.
    bob = [standing(dy=dy) for dy in np.tile([-30.0, -30.0, 0.0, 0.0], 10)]
    states = [state(lm, 3.0 + i / 30) for i, lm in enumerate(bob)]
    per_frame = {drawn_banner(st, None)[1] for st in states}
    assert len(per_frame) == 2  # the scene does make the old per-frame rule jump
    bands = banner_track(states, [CUE] * len(states), W, H)
    rects = {drawn_banner(st, b) for st, b in zip(states, bands, strict=True)}
    assert len(rects) == 1
    (rect,) = rects
    total = {b: sum(overlap_px(drawn_banner(st, b), body_box(lm)) for st, lm in zip(states, bob, strict=True))
             for b in ("top", "bottom")}  # fmt: skip
    assert sum(overlap_px(rect, body_box(lm)) for lm in bob) == min(total.values())


def test_a_new_message_may_take_the_other_band_and_no_message_no_band():
    lying, upright = supine(legs_up=True), standing(dy=-100)
    states = [state(lying)] * 5 + [state(upright)] * 5 + [state(upright)] * 3
    other = dataclasses.replace(CUE, code="tempo.fast", message="Lower more slowly")
    bands = banner_track(states, [CUE] * 5 + [other] * 5 + [None] * 3, W, H)
    assert bands == ["top"] * 5 + ["bottom"] * 5 + [None] * 3


def rounding(deg: int, rep_index: int | None = None) -> Cue:
    """The back-rounding cue with its number: live (no rep) it is re-worded every frame as the number changes."""
    return Cue("spine.rounding", "safety", f"Keep your back long — it rounded about {deg}°", 10, rep_index=rep_index)


def test_a_cue_whose_number_changes_while_the_body_moves_keeps_one_band():
    # The same live cue, 20° for 12 frames on a person lying with the legs raised (the top band is free), then 19°
    # for 8 frames once they are up (the bottom band is free): one cue on screen, so one band (kept per text, the
    # banner jumped to the bottom when the number changed), the one covering less of the body over the 20 frames.
    lying, up = supine(legs_up=True), standing(dy=-100)
    bodies = [lying] * 12 + [up] * 8
    states = [state(lm, 3.0 + i / 30) for i, lm in enumerate(bodies)]
    cues = [rounding(20)] * 12 + [rounding(19)] * 8
    bands = banner_track(states, cues, W, H)
    assert len(set(bands)) == 1 and None not in bands
    total = {b: sum(overlap_px(drawn_banner(st, b), body_box(lm)) for st, lm in zip(states, bodies, strict=True))
             for b in ("top", "bottom")}  # fmt: skip
    assert total[bands[0]] == min(total.values())


def test_the_same_fault_on_the_next_rep_is_placed_anew():
    # Rep 1's feedback and then rep 2's, the same fault with the same words: two cues, each placed on its own frames.
    lying, up = supine(legs_up=True), standing(dy=-100)
    states = [state(lying)] * 5 + [state(up)] * 5
    bands = banner_track(states, [rounding(18, 1)] * 5 + [rounding(18, 2)] * 5, W, H)
    assert bands == ["top"] * 5 + ["bottom"] * 5


def supine_sequence(n: int, fps: float = 30.0) -> PoseSequence:
    lm = np.zeros((n, 33, 4))
    lm[:, :, :2] = supine(legs_up=True) / np.array([W, H])
    lm[:, :, 3] = 0.99
    world = np.zeros_like(lm)
    world[:, :, 3] = 0.99
    return PoseSequence(landmarks=lm, world=world, t_s=np.arange(n) / fps, width=W, height=H)


def test_annotated_video_puts_the_cue_off_a_body_lying_on_the_floor(tmp_path):
    # The whole path: the analysis' feedback on each rep (lowering too fast) drawn on a video of a person lying with
    # the legs raised; every frame with the banner keeps it off the body's box.
    an = make_analysis(rep_plan(2, tempo=(1.0, 0.4, 0.8, 1.0), lead_s=0.5))
    from formcheck.cues import analysis_cues

    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    seq = supine_sequence(len(an.series["t_s"]))
    video = write_figure_video(tmp_path / "lying.mp4", seq)
    out = write_annotated_video(video, seq, an, tmp_path / "out.mp4", CFG)
    box = body_box(supine(legs_up=True))
    # the banner's colours over the video's dark background
    colours = [np.array(bgr) * 0.88 + 40 * 0.12 for bgr in SEVERITY_BGR.values()]
    with_banner = 0
    for _, img in iter_video_frames(out):
        near = np.any([np.abs(img.astype(int) - c).max(axis=2) <= 30 for c in colours], axis=0)
        rows = near.mean(axis=1) > 0.5
        if rows.any():
            with_banner += 1
            ys = np.nonzero(rows)[0]
            assert ys.max() < box[1] or ys.min() > box[3]
    assert with_banner > 30


# -- live: one frame's body picks the band when a message first shows; it is kept while that message shows ---------


@pytest.mark.parametrize("body", FREE_BAND_BODIES.values(), ids=FREE_BAND_BODIES.keys())
def test_live_banner_covers_no_body_when_a_band_is_free(body):
    place = LiveBannerPlace()
    st = state(body)
    assert overlap_px(drawn_banner(st, place.band(W, H, st, CUE)), body_box(body)) == 0


def test_live_banner_keeps_its_band_while_the_message_shows_and_rechooses_for_the_next():
    place = LiveBannerPlace()
    lying, up = supine(legs_up=True), standing(dy=-100)
    first = place.band(W, H, state(lying), CUE)
    assert first == "top"  # the lying body fills the bottom band
    # the body moves under the banner: the same message keeps its band (no jump) ...
    assert place.band(W, H, state(up), CUE) == first
    # ... a new message is placed anew on the body of its first frame, and no message shows no banner
    other = dataclasses.replace(CUE, code="tempo.eccentric_fast", message="Lower over 3 s — that one took 1.2 s")
    assert place.band(W, H, state(up), other) == "bottom"
    assert place.band(W, H, state(up), None) is None
    assert place.band(W, H, state(lying), other) == "top"  # shown again after a gap: placed anew


def test_live_processor_places_the_banner_off_a_lying_body(monkeypatch):
    # Through LiveProcessor.process with its own overlay: a lying person with the legs raised and a set-up message
    # on screen. The per-frame rule (bottom unless the feet are there) put it over the trunk; the processor's
    # overlay now draws in the band its LiveBannerPlace chose (draw_overlay, recorded).
    import formcheck.render as render_mod
    from formcheck import live as live_mod
    from formcheck.types import PoseFrame

    lm_px = supine(legs_up=True)
    norm = np.concatenate([lm_px / [W, H], np.zeros((33, 1)), np.ones((33, 1))], axis=1)
    norm[~np.isfinite(lm_px).all(axis=1)] = np.nan

    class Estimator:
        def process(self, frame_rgb, t_ms):
            return PoseFrame(t_ms / 1000.0, norm, np.full((33, 4), np.nan), n_people=1)

    class Analyzer:
        reps = ()

        def update(self, t_s, *a, **k):
            return LiveState(t_s=t_s, phase="setup", rep_count=0, ready=False, setup_message="Lie down side-on",
                             landmarks_px=lm_px, side_used="right")  # fmt: skip

    seen: list[object] = []

    def recording_overlay(frame, st, cue, badge, config, exercise=None, banner_at=None):
        seen.append(banner_at)
        return frame

    monkeypatch.setattr(render_mod, "draw_overlay", recording_overlay)
    t = iter(np.arange(0.0, 10.0, 1 / 30))
    proc = live_mod.LiveProcessor(CFG, "glute_bridge", estimator=Estimator(),
                                  analyzer_factory=lambda c: Analyzer(), clock=lambda: float(next(t)),
                                  pipelined=False)  # fmt: skip
    frame = np.zeros((H, W, 3), np.uint8)
    for _ in range(3):
        proc.process(frame)
    body = body_box(lm_px)
    assert seen == ["top"] * 3
    assert overlap_px(drawn_banner(state(lm_px), "top"), body) == 0 < overlap_px(drawn_banner(state(lm_px), None), body)


def test_live_banner_keeps_its_band_while_a_cues_number_changes():
    # Live, the rounding cue reads 20° on a lying body (top chosen), then 20° and 19° as the person gets up (the
    # bottom band free): the same cue on screen, so the same band (kept per text it went top, top, bottom).
    place = LiveBannerPlace()
    lying, up = supine(legs_up=True), standing(dy=-100)
    shown = [place.band(W, H, state(lm), rounding(d)) for lm, d in ((lying, 20), (up, 20), (up, 19), (up, 18))]
    assert shown == ["top"] * 4
    assert place.band(W, H, state(up), None) is None
    assert place.band(W, H, state(up), rounding(19)) == "bottom"  # shown again after a gap: placed anew
