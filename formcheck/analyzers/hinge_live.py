"""The hinge live: what the engine's stream runner (:mod:`formcheck.engine.stream`) needs from the hinge.

Live values use the *batch* functions of :mod:`formcheck.analyzers.hinge` (:func:`side_angles`, the centre of mass,
:func:`formcheck.metrics.load_path.load_path_series`, :func:`formcheck.metrics.tone.head_angle_deg` and
:func:`formcheck.metrics.hip_lumbar.outline_bend_deg`) on the newest filtered frame, relative to standing references
the runner keeps; each finished rep is re-analysed with the batch code. No formula is written twice.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from formcheck.analyzers import hinge_spec
from formcheck.analyzers.hinge import (
    FLOOR_CUT_NOTE,
    FLOOR_START_NOTE,
    NAME,
    NECK_MAX_DEG,
    SPINE_MAX_DEG,
    _com_px,
    compute_features,
    far_leg_stands,
    find_rep_windows,
    hip_range_deg,
    knee_offset_deg,
    rep_metrics,
    rep_strategy,
    side_angles,
)
from formcheck.body.clean import mid
from formcheck.body.roll import px_per_cm
from formcheck.config import Config
from formcheck.engine.stream import ExerciseStream, LiveFrame, References, drop_unseen_phases
from formcheck.engine.timed import TimedValues
from formcheck.metrics import hip_lumbar, load_path, tone
from formcheck.reps import RepWindow, floor_rep, is_floor_set, last_floor_rep, opens_at_bottom
from formcheck.types import LM, PoseSequence, Rep

LOOKBACK_S = 4.0  # the end of the set: the last rep re-analysed with this much before it (the stream's lookback)
# The stance leg (a single-leg hinge, batch hinge._stance_leg on the whole clip): both legs' hip ranges over the last
# STANCE_WINDOW_S (the stream's landmark buffer), checked from STANCE_MIN_N frames on.
STANCE_WINDOW_S = 20.0
STANCE_MIN_N = 5
STANCE_MAX_N = 1200  # bounded whatever the frame rate (20 s at 60 fps)
# ... and only once the criterion has held this long without a break. A two-legged hinge can pass it for a moment at
# the start of its first lowering (the far leg leading the near one while the near range is still standing noise):
# up to 0.27 s on the rendered and real two-legged clips (dev_xbot_good_side_l, dev_squat_side_r: 0.07 s); the two
# single-leg clips pass it for the rest of the clip (3.4 s, 7.0 s). Chosen on those same clips (no held-out set).
STANCE_HOLD_S = 0.5
STANCE_CHECK_EVERY_S = 0.1  # the ranges (percentiles of up to STANCE_MAX_N frames) are re-read this often
# The live back estimate's standing scatter (hip_lumbar.outline_noise_deg) is read over the standing frames of the
# last STAND_NOISE_S (the standing references' own span, References' keep_s) from NOISE_MIN_N of them (batch's 5).
STAND_NOISE_S = 3.0
NOISE_MIN_N = 5


@dataclass
class FloorSummary:
    """What the end of a live set needs to tell a set lifted from the floor (``reps.floor_start_reps``) and to re-time
    it, kept per counted rep (one small entry per counted rep, as the stream's own rep list; no signal).

    Attributes:
        opens: the recording opened at the bottom (``reps.opens_at_bottom`` of its first rep counted from standing,
            the opening set-up); None until the first rep was analysed, False when the buffer no longer held the
            recording's opening by then.
        reps: by live rep index: ``(the rep timed pull first, its standing window's bottom level, the standing
            levels around it, no tracking gap)``. Rep k (pull first) is the pull out of the bottom before live rep k
            (the opening set-up for k = 1), the lockout and live rep k's lowering.
        setup_bottom: the opening set-up's depth (first bottom of the set).
    """

    opens: bool | None = None
    reps: dict[int, tuple[Rep | None, float, tuple[float, float], bool]] = field(default_factory=dict)
    setup_bottom: float = math.nan


class HingeLive:
    """Depth signal, live values and rep re-analysis of the hinge for :class:`~formcheck.engine.stream.ExerciseStream`.

    Live values use :func:`side_angles`, :func:`_com_px`, :func:`formcheck.metrics.load_path.load_path_series`,
    :func:`formcheck.metrics.tone.head_angle_deg` and :func:`formcheck.metrics.hip_lumbar.outline_bend_deg` — the
    batch functions — on the newest filtered frame, relative to standing references the runner keeps (standing =
    not in a rep, whole body seen, trunk within 10° of its standing lean). The centre of mass and the outline bend
    get causal running medians (the batch path's smoothing is zero-phase, which a live value cannot be).
    """

    # The leg keys per leg ("knee_left" ...): a set found single-leg part-way switches to the far leg's references.
    reference_keys = ("trunk", "elev_d", "trunk_len", "neck", "bend", "bend_tan", "px_per_cm",
                      *(f"{k}_{s}" for k in ("knee", "heel_x", "ball") for s in ("left", "right")))  # fmt: skip
    phase_key = "hip_flexion_deg"
    sane_landmarks = True  # the batch code checks landmark sanity: a jumping point is unknown live too
    com_median_s = 0.3
    live_min_n = 3  # samples a live running median needs ...
    live_max_span_s = 1.2  # ... within this long, else the value is unknown
    bend_min_n = 5  # the outline bend has ±10-15° single-frame transients: its median needs more frames

    def __init__(self, config: Config) -> None:
        self._multi = 0.0  # share of the frames so far with a second person in view (LiveFrame)
        self.config = config
        self.spec = hinge_spec.SPEC
        self.strategy = rep_strategy(config)
        self._bend = TimedValues(hip_lumbar.BEND_MEDIAN_S, self.bend_min_n, self.live_max_span_s)
        # The batch back checks, causally (hip_lumbar.back_series / rep_back_estimate): the tangent-angle reading
        # beside the parabola's, each frame's outline check, and the standing outline's scatter.
        self._tan = TimedValues(hip_lumbar.BEND_MEDIAN_S, self.bend_min_n, self.live_max_span_s)
        self._good = TimedValues(hip_lumbar.BEND_MEDIAN_S, self.bend_min_n, self.live_max_span_s)
        self._stand_bend = TimedValues(STAND_NOISE_S, NOISE_MIN_N, STAND_NOISE_S)
        # The rep in progress's deepest hip flexion and the standing one before it: the back is read at the bottom.
        self._hip_top = math.nan
        self._hip_max = -math.inf
        self._com = TimedValues(self.com_median_s, self.live_min_n, self.live_max_span_s)
        # The end of the set re-times a set lifted from the floor pull first (finish_reps): the per-rep summary and
        # the time of the first frame with someone seen (the recording's opening, as a file analysis reads it).
        self.floor = FloorSummary()
        self._t_first = math.nan
        self.buffer: Callable[[float], PoseSequence] | None = None  # the stream's buffer_sequence (HingeStream)
        # Stance leg: (t, left hip flexion, right hip flexion) of the last STANCE_WINDOW_S; the far leg once batch's
        # criterion (hinge.far_leg_stands) held on them, for the rest of the set (batch measures one leg per set).
        self._legs: deque[tuple[float, float, float]] = deque(maxlen=STANCE_MAX_N)
        self.stance: str | None = None
        self._stance_since = math.nan  # since when batch's criterion has held without a break
        self._stance_checked_s = -math.inf  # when the criterion was last read (every STANCE_CHECK_EVERY_S)
        self._view = "unknown"  # the set's view so far (LiveFrame.view)
        self.depth_offset_deg = 0.0  # added to the stance leg's depth (the rep detector's signal only), see below
        self._position = "unknown"
        self.t_now = math.nan  # the frame's time (live_values runs before depth on each frame)

    def leg(self, facing: float) -> str:
        """The leg measured: the stance leg once a single-leg hinge was seen, else the one nearer the camera."""
        return self.stance or ("left" if facing < 0 else "right")

    def _track_legs(self, t_s: float, px: np.ndarray, facing: float) -> dict[str, Any] | None:
        """Add one frame's hip flexion of both legs and switch to the far leg once batch's criterion holds; both legs'
        :func:`side_angles` of the frame when it measured them (None when it did not).

        Standing only, as in batch (seated or kneeling the near leg is kept); the far leg's range must also reach
        the rep detector's minimum range (a rep could not be counted on less, so a few frames of far-leg jitter
        before the first rep do not decide the set) and the criterion must hold for STANCE_HOLD_S.
        """
        if self.stance is not None or hinge_spec.analysed_position(self._position) != "standing" or facing == 0:
            return None
        if self._view != "side":  # batch judges the stance leg on a side view only (oblique: MediaPipe's 3D legs)
            self._legs.clear()
            self._stance_since = math.nan
            return None
        hip = {s: side_angles(px[None], facing, s) for s in ("left", "right")}
        self._legs.append((t_s, *(float(hip[s][0][0] + hip[s][1][0]) for s in ("left", "right"))))
        while self._legs and self._legs[0][0] < t_s - STANCE_WINDOW_S:
            self._legs.popleft()
        if len(self._legs) < STANCE_MIN_N or t_s - self._stance_checked_s < STANCE_CHECK_EVERY_S:
            return hip
        self._stance_checked_s = t_s
        arr = np.array(self._legs)
        near, far = ("left", "right") if facing < 0 else ("right", "left")
        col = {"left": 1, "right": 2}
        r_near, r_far = hip_range_deg(arr[:, col[near]]), hip_range_deg(arr[:, col[far]])
        if not (r_far >= self.strategy.min_rom_deg and far_leg_stands(r_near, r_far)):
            self._stance_since = math.nan
            return hip
        if math.isnan(self._stance_since):
            self._stance_since = t_s
        if t_s - self._stance_since >= STANCE_HOLD_S:
            self.stance = far
            # The detector has followed the near leg so far (its standing level, maybe a rep under way): the far
            # leg's signal continues it from the same standing level (5th percentiles: both legs' standing).
            lo_near, lo_far = (float(np.nanpercentile(arr[:, col[k]], 5)) for k in (near, far))
            self.depth_offset_deg = lo_near - lo_far if math.isfinite(lo_near - lo_far) else 0.0
            self._legs.clear()
        return hip

    def landmarks_for(self, position: str) -> tuple[int, ...]:
        """Landmarks the setup check needs in a position: the whole body standing, no feet seated or kneeling."""
        return hinge_spec.landmarks_needed(position)

    def depth(self, px: np.ndarray, facing: float) -> float:
        # The stance leg is decided on the detector's own (raw) signal; this frame already measures the leg chosen.
        legs = self._track_legs(self.t_now, px, facing)  # this frame's side_angles of both legs, when it read them
        leg = self.leg(facing)
        trunk, thigh, _ = legs[leg] if legs is not None else side_angles(px[None], facing, leg)
        # The re-analysis and the live values measure the stance leg itself; only the trigger signal is offset.
        return float(trunk[0] + thigh[0]) + (self.depth_offset_deg if self.stance is not None else 0.0)

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        h, t = self.config.exercise_config(NAME), fr.t_s
        if math.isnan(self._t_first):
            self._t_first = t
        self.t_now, self._position, self._view = t, fr.position, fr.view  # for depth(), called right after
        self._multi = fr.multi_person_frac  # the back's outline is everyone's mask: see _back_value
        near = "left" if fr.facing < 0 else "right"
        side = self.leg(fr.facing)
        px = fr.px[None]
        mid_hip = mid(px[:, LM.LEFT_HIP], px[:, LM.RIGHT_HIP])
        mid_sho = mid(px[:, LM.LEFT_SHOULDER], px[:, LM.RIGHT_SHOULDER])
        s = near.upper() + "_"  # ear and shoulder: the near side, as in batch (only the legs switch)
        along, length = tone.along_trunk(px[:, int(LM[s + "EAR"])], px[:, int(LM[s + "SHOULDER"])], mid_hip, mid_sho)
        # Both legs' knee and foot: the standing references of the leg measured later exist whichever it is.
        legs = {}
        for leg in ("left", "right"):
            tr, th, sh = (float(a[0]) for a in side_angles(px, fr.facing, leg))
            heel, toe = fr.px[int(LM[leg.upper() + "_HEEL"])], fr.px[int(LM[leg.upper() + "_FOOT_INDEX"])]
            foot_ok = math.isfinite(ball := (toe[0] - heel[0]) * fr.facing) and ball > 0
            legs[leg] = (tr, th, sh, float(heel[0]) if foot_ok else math.nan,
                         math.hypot(toe[0] - heel[0], toe[1] - heel[1]) if foot_ok else math.nan)  # fmt: skip
        trunk, thigh, shin = legs[side][:3]
        ears = mid(px[:, LM.LEFT_EAR], px[:, LM.RIGHT_EAR])
        neck = float(tone.head_angle_deg(mid_hip, mid_sho, ears, px[:, LM.NOSE], fr.facing)[0])
        base = refs("trunk")
        standing = fr.phase in ("top", "setup") and fr.baseline_ok and (not math.isfinite(base) or trunk <= base + 10.0)
        bend = tan = raw = raw_tan = math.nan
        if fr.contour is not None:
            u, w = hip_lumbar.outline_in_trunk_frame(fr.contour[None], mid_hip, mid_sho, fr.facing)
            arms = px[:, [LM.LEFT_ELBOW, LM.RIGHT_ELBOW, LM.LEFT_WRIST, LM.RIGHT_WRIST]]
            au, av = hip_lumbar.outline_in_trunk_frame(arms, mid_hip, mid_sho, fr.facing)
            good = bool(hip_lumbar.outline_quality(u, w, au, av)["good"][0])
            self._good.add(t, float(good))
            if good:  # as batch: a frame whose outline fails its checks is not read
                raw, raw_tan = float(hip_lumbar.outline_bend_deg(u, w)[0]), float(hip_lumbar.tangent_bend_deg(u, w)[0])
                self._bend.add(t, raw)
                self._tan.add(t, raw_tan)
                if standing:
                    self._stand_bend.add(t, raw)
            bend, tan = self._bend.median(t), self._tan.median(t)
        knee_raw = thigh + shin
        vals = {"trunk_inclination_deg": trunk, "hip_flexion_deg": trunk + thigh,
                "knee_flexion_deg": knee_raw - knee_offset_deg(refs(f"knee_{side}"))}  # fmt: skip
        # As in the batch path: the planted foot from standing frames (the foot points drift while bending).
        foot = load_path.FootFrame(
            heel_x_px=np.array([refs(f"heel_x_{side}")]),
            foot_len_px=np.array([refs(f"ball_{side}") / h.foot_index_frac]),
            ball_len_px=np.array([refs(f"ball_{side}")]),
        )  # fmt: skip
        # The batch's one rule (load_path_series): outside the physical range, or on a foot seen foreshortened (an
        # oblique view: shorter than MIN_FOOT_SEEN_FRAC of the stature's foot at the standing scale), no value.
        com = float(load_path.load_path_series(_com_px(px, self.config)[:, 0], foot, fr.facing,
                                               px_per_cm=refs("px_per_cm"), height_cm=self.config.body.height_cm
                                               ).pct[0])  # fmt: skip
        self._com.add(t, com)
        vals["com_pct_foot"] = self._com.median(t) if math.isfinite(com) else math.nan
        if hinge_spec.analysed_position(fr.position) != "standing":  # seated / kneeling: feet and knees not measured
            vals["com_pct_foot"] = vals["knee_flexion_deg"] = math.nan
        vals["shoulder_elevation_frac"] = float(tone.elevation_vs(along, refs("elev_d"), refs("trunk_len"))[0])
        d = (neck - refs("neck") + 180.0) % 360.0 - 180.0  # angles wrap at ±180°: not a 300° nod
        vals["neck_extension_deg"] = d if abs(d) <= NECK_MAX_DEG else math.nan
        sp = h.spine_outline_gain * (bend - refs("bend"))
        check = h.spine_outline_gain * (tan - refs("bend_tan"))
        vals["spine_flexion_est_deg"] = (
            self._back_value(sp, check, h, t) if self._at_bottom(fr.phase, trunk + thigh) else math.nan
        )
        samples = {}
        if standing:
            samples = {"trunk": trunk, "elev_d": float(along[0]), "trunk_len": float(length[0]), "neck": neck,
                       "bend": bend, "bend_tan": tan,
                       "px_per_cm": px_per_cm(px, near, self.config.body.height_cm)}  # fmt: skip
            for leg, (_, th, sh, heel_x, ball_len) in legs.items():
                samples |= {f"knee_{leg}": th + sh, f"heel_x_{leg}": heel_x, f"ball_{leg}": ball_len}
        return vals, samples

    def _at_bottom(self, phase: str, hip_deg: float) -> bool:
        """This frame is at the rep's bottom, where batch reads the back (``hinge._bottom_window``).

        Batch reads a rep's back over the frames within 10 % of its range from the deepest hip flexion, "not
        transients while the hips start to move": the outline's first frames of a lowering read 28–33° on a
        flat-backed deadlift. Live, the bottom is the stream's ``bottom`` phase (the depth has stopped) and the way
        back up while still within 10 % of the range reached; the deepest point is not known during the lowering.
        """
        if phase in ("top", "setup"):
            self._hip_top, self._hip_max = hip_deg, -math.inf
            return False
        if math.isfinite(hip_deg):
            self._hip_max = max(self._hip_max, hip_deg)
        if phase == "bottom":
            return True
        span = self._hip_max - self._hip_top
        return phase == "concentric" and math.isfinite(span) and hip_deg >= self._hip_max - 0.1 * abs(span)

    def _back_value(self, sp: float, check: float, h: Any, t: float) -> float:
        """The live back-rounding value (deg from standing, 0 below it), or NaN when batch's checks would not read it.

        The checks of :func:`~formcheck.metrics.hip_lumbar.back_series` and
        :func:`~formcheck.metrics.hip_lumbar.rep_back_estimate` on the live window instead of a rep's bottom: the
        standing outline's scatter at most ``spine_outline_noise_max_deg`` (unknown until 5 standing frames were
        read), at least ``MIN_GOOD_FRAC`` of the window's outlines good, the reading plausible, and the confidence
        (good share × agreement of the parabola and tangent readings, as per rep) at least ``spine_min_confidence``.
        Without them a single misread outline (a lowering's first frames read 28–33° on a flat-backed deadlift)
        became a live safety cue the file's own analysis never gives.
        """
        # the standing frames before this rep (the window ends at the newest standing sample: a slow lowering's
        # bottom is more than STAND_NOISE_S after the last of them)
        stand = np.array(self._stand_bend.values())
        noise = hip_lumbar.outline_noise_deg(stand, np.ones(stand.size, dtype=bool))
        flags = self._good.values(t)
        good_frac = float(np.mean(flags)) if flags else 0.0
        if not (math.isfinite(sp) and noise <= h.spine_outline_noise_max_deg and good_frac >= hip_lumbar.MIN_GOOD_FRAC):
            return math.nan
        if self._multi > hip_lumbar.MAX_MULTI_PERSON_FRAC:
            # batch's rule (rep_back_estimate): the mask is everyone in view, so with a second person in more than a
            # tenth of the frames so far the outline is not this person's (a review found a live "rounding 28°"
            # on a flat-backed RDL the file analysis does not read)
            return math.nan
        if not hip_lumbar.PLAUSIBLE_DEG[0] <= sp <= min(hip_lumbar.PLAUSIBLE_DEG[1], SPINE_MAX_DEG):
            return math.nan
        agree = (hip_lumbar.UNCHECKED_AGREE if not math.isfinite(check)
                 else float(np.clip(2.0 - abs(sp - check) / h.spine_agree_tol_deg, 0.0, 1.0)))  # fmt: skip
        if good_frac * agree < h.spine_min_confidence:
            return math.nan
        return max(sp, 0.0)  # rounding vs standing: below standing is 0

    def analyze_rep(self, seq: PoseSequence, w: RepWindow, index: int, after_s: float) -> tuple[Rep, RepWindow] | None:
        f = compute_features(seq, self.config)
        found = find_rep_windows(f, self.config, whole_recording=False)
        windows = [x for x in found if x.end_s > after_s + 1e-6]
        if not windows:
            return None
        best = min(windows, key=lambda x: abs(x.end_s - w.end_s))  # the rep the detector saw ends nearest
        rep = rep_metrics(f, best, index, self.config)
        self._floor_candidate(f, found, best, index)
        return drop_unseen_phases(rep, f.t_s, np.isfinite(f.hip)), best

    def _floor_candidate(self, f: Any, found: list[RepWindow], best: RepWindow, index: int) -> None:
        """Keep live rep ``index`` timed pull first, for the end of the set (:meth:`finish_reps`).

        Pull first, rep k is the pull out of the bottom before live rep k, the lockout and live rep k's lowering
        (``reps.floor_rep`` of the two windows counted from standing): both lie in the frames this rep is
        re-analysed on (the stream keeps the previous rep in them). The first rep's pull comes from the opening
        set-up: it and whether the recording opened at the bottom are read on the whole buffer, once.
        """
        if index == 1:
            if self.buffer is None or not math.isfinite(self._t_first):
                self.floor.opens = False
                return
            seq0 = self.buffer(-math.inf)
            if seq0.n_frames == 0 or seq0.t_s[0] > self._t_first + 1e-6:  # the opening left the buffer: can't tell
                self.floor.opens = False
                return
            f = compute_features(seq0, self.config)
            ws0 = find_rep_windows(f, self.config, whole_recording=False)
            if len(ws0) < 2:
                self.floor.opens = False
                return
            k = min(range(len(ws0)), key=lambda i: abs(ws0[i].end_s - best.end_s))
            seen = np.flatnonzero(np.isfinite(f.hip))
            hold = rep_strategy(self.config).edge_hold_s
            # The recording's first rep is the opening set-up and the next the first live rep (nothing uncounted).
            self.floor.opens = k == 1 and seen.size > 0 and opens_at_bottom(ws0[0], float(f.t_s[seen[0]]), hold)
            self.floor.setup_bottom = ws0[0].bottom_level
            best, prev = ws0[k], ws0[k - 1] if k >= 1 else None
        else:
            i = next((j for j, x in enumerate(found) if x is best), -1)
            prev = found[i - 1] if i >= 1 else None
        cand, gap = None, True
        if prev is not None:
            cand = rep_metrics(f, floor_rep(prev, best, f.t_s), index, self.config)
            gap = not bool(np.all(np.isfinite(f.hip[prev.start_i : best.end_i + 1])))
        self.floor.reps[index] = (cand, best.bottom_level, (best.top_level, best.end_level), not gap)

    def finish_reps(
        self, reps: tuple[Rep, ...], buffer: Callable[[float], PoseSequence]
    ) -> tuple[list[Rep], list[str]] | None:
        """The end of the set (the user pressed stop): a set lifted from the floor re-timed pull first, as a file
        analysis of the same frames times it (``reps.floor_start_reps``, docs/metrics.md 8.6); None otherwise.

        During the set its reps were counted from standing (lowering, bottom, rising): only its end, resting on the
        floor, tells a floor set. The decision is batch's on the per-rep summary kept live (:class:`FloorSummary`:
        opened at the bottom, every bottom's depth, no tracking gap) and the set's end in the landmark buffer (the
        last rep, the final lowering and rest); the standing level is the lowest standing level of the reps (the
        batch code's 5th percentile of the whole signal is not kept), so a set at the margin of a criterion may be
        decided otherwise. Each rep is then the one kept pull first; the last is the last live rep's pull, the
        lockout and the final lowering, fitted on the buffer. The count becomes batch's (the opening pull counts).
        """
        n = len(reps)
        fl = self.floor
        if not (n and fl.opens and all(fl.reps.get(k, (None,))[0] is not None for k in range(1, n + 1))):
            return None
        if not all(fl.reps[k][3] for k in range(1, n + 1)):
            return None  # a tracking gap: not guessed (as batch)
        since = reps[-1].start_s - LOOKBACK_S
        seq = buffer(since)
        if seq.n_frames == 0 or seq.t_s[0] > reps[-1].start_s - 0.5:  # the last rep left the buffer
            return None
        f = compute_features(seq, self.config)
        ws = find_rep_windows(f, self.config, whole_recording=False)
        if not ws:
            return None
        last = min(ws, key=lambda x: abs(x.end_s - reps[-1].end_s))
        x = f.hip
        if last.cut_at_end or len(x) - last.end_i < 3 or not np.all(np.isfinite(x[last.start_i :])):
            return None
        levels = [lv for k in range(1, n + 1) for lv in fl.reps[k][2]] + [last.top_level, last.end_level]
        level = min(v for v in levels if math.isfinite(v))
        bottoms = [fl.setup_bottom - level] + [fl.reps[k][1] - level for k in range(1, n + 1)]
        tail = x[last.end_i :]
        if not is_floor_set(True, bottoms, float(np.max(tail)) - float(x[-1]), float(x[-1]) - level):
            return None
        out = [replace(fl.reps[k][0], index=k) for k in range(1, n + 1)]  # type: ignore[arg-type]
        fin = last_floor_rep(last, x, f.t_s, f.trunk)
        out.append(rep_metrics(f, fin, n + 1, self.config))
        notes = [FLOOR_CUT_NOTE.format(rep=n + 1)] if fin.cut_at_end else []
        return out, [*notes, FLOOR_START_NOTE]


def HingeStream(config: Config) -> ExerciseStream:  # noqa: N802 - kept as the streaming analyzer's public name
    """The hinge's streaming analyzer: the engine's runner driving :class:`HingeLive`."""
    model = HingeLive(config)
    stream = ExerciseStream(config, model)
    model.buffer = stream.buffer_sequence  # the first rep reads the set's opening on the whole buffer
    return stream
