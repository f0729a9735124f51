"""The hinge live: what the engine's stream runner (:mod:`formcheck.engine.stream`) needs from the hinge.

Live values use the *batch* functions of :mod:`formcheck.analyzers.hinge` (:func:`side_angles`, the centre of mass,
:func:`formcheck.metrics.load_path.pct_of_foot`, :func:`formcheck.metrics.tone.head_angle_deg` and
:func:`formcheck.metrics.hip_lumbar.outline_bend_deg`) on the newest filtered frame, relative to standing references
the runner keeps; each finished rep is re-analysed with the batch code. No formula is written twice.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.analyzers import hinge_spec
from formcheck.analyzers.hinge import (
    COM_RANGE_PCT,
    NAME,
    NECK_MAX_DEG,
    SPINE_MAX_DEG,
    _com_px,
    compute_features,
    find_rep_windows,
    knee_offset_deg,
    rep_metrics,
    rep_strategy,
    side_angles,
)
from formcheck.body.clean import mid
from formcheck.config import Config
from formcheck.engine.stream import ExerciseStream, LiveFrame, References, drop_unseen_phases
from formcheck.engine.timed import TimedValues
from formcheck.metrics import hip_lumbar, load_path, tone
from formcheck.reps import RepWindow
from formcheck.types import LM, PoseSequence, Rep


class HingeLive:
    """Depth signal, live values and rep re-analysis of the hinge for :class:`~formcheck.engine.stream.ExerciseStream`.

    Live values use :func:`side_angles`, :func:`_com_px`, :func:`formcheck.metrics.load_path.pct_of_foot`,
    :func:`formcheck.metrics.tone.head_angle_deg` and :func:`formcheck.metrics.hip_lumbar.outline_bend_deg` — the
    batch functions — on the newest filtered frame, relative to standing references the runner keeps (standing =
    not in a rep, whole body seen, trunk within 10° of its standing lean). The centre of mass and the outline bend
    get causal running medians (the batch path's smoothing is zero-phase, which a live value cannot be).
    """

    reference_keys = ("trunk", "elev_d", "trunk_len", "neck", "bend", "knee", "heel_x", "ball")
    phase_key = "hip_flexion_deg"
    sane_landmarks = True  # the batch code checks landmark sanity: a jumping point is unknown live too
    com_median_s = 0.3
    live_min_n = 3  # samples a live running median needs ...
    live_max_span_s = 1.2  # ... within this long, else the value is unknown
    bend_min_n = 5  # the outline bend has ±10-15° single-frame transients: its median needs more frames

    def __init__(self, config: Config) -> None:
        self.config = config
        self.spec = hinge_spec.SPEC
        self.strategy = rep_strategy(config)
        self._bend = TimedValues(hip_lumbar.BEND_MEDIAN_S, self.bend_min_n, self.live_max_span_s)
        self._com = TimedValues(self.com_median_s, self.live_min_n, self.live_max_span_s)

    def landmarks_for(self, position: str) -> tuple[int, ...]:
        """Landmarks the setup check needs in a position: the whole body standing, no feet seated or kneeling."""
        return hinge_spec.landmarks_needed(position)

    def depth(self, px: np.ndarray, facing: float) -> float:
        trunk, thigh, _ = side_angles(px[None], facing, "left" if facing < 0 else "right")
        return float(trunk[0] + thigh[0])

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        h, t = self.config.exercise_config(NAME), fr.t_s
        side = "left" if fr.facing < 0 else "right"
        px = fr.px[None]
        trunk, thigh, shin = (float(a[0]) for a in side_angles(px, fr.facing, side))
        mid_hip = mid(px[:, LM.LEFT_HIP], px[:, LM.RIGHT_HIP])
        mid_sho = mid(px[:, LM.LEFT_SHOULDER], px[:, LM.RIGHT_SHOULDER])
        s = side.upper() + "_"
        heel, toe = fr.px[int(LM[s + "HEEL"])], fr.px[int(LM[s + "FOOT_INDEX"])]
        foot_ok = math.isfinite(ball := (toe[0] - heel[0]) * fr.facing) and ball > 0
        along, length = tone.along_trunk(px[:, int(LM[s + "EAR"])], px[:, int(LM[s + "SHOULDER"])], mid_hip, mid_sho)
        ears = mid(px[:, LM.LEFT_EAR], px[:, LM.RIGHT_EAR])
        neck = float(tone.head_angle_deg(mid_hip, mid_sho, ears, px[:, LM.NOSE], fr.facing)[0])
        bend = math.nan
        if fr.contour is not None:
            u, w = hip_lumbar.outline_in_trunk_frame(fr.contour[None], mid_hip, mid_sho, fr.facing)
            self._bend.add(t, float(hip_lumbar.outline_bend_deg(u, w)[0]))
            bend = self._bend.median(t)
        knee_raw = thigh + shin
        vals = {"trunk_inclination_deg": trunk, "hip_flexion_deg": trunk + thigh,
                "knee_flexion_deg": knee_raw - knee_offset_deg(refs("knee"))}  # fmt: skip
        # As in the batch path: the planted foot from standing frames (the foot points drift while bending).
        foot = load_path.FootFrame(
            heel_x_px=np.array([refs("heel_x")]), foot_len_px=np.array([refs("ball") / h.foot_index_frac]),
            ball_len_px=np.array([refs("ball")]),
        )  # fmt: skip
        com = float(load_path.pct_of_foot(_com_px(px, self.config)[:, 0], foot, fr.facing)[0])
        self._com.add(t, com if COM_RANGE_PCT[0] <= com <= COM_RANGE_PCT[1] else math.nan)
        vals["com_pct_foot"] = self._com.median(t) if math.isfinite(com) else math.nan
        if hinge_spec.analysed_position(fr.position) != "standing":  # seated / kneeling: feet and knees not measured
            vals["com_pct_foot"] = vals["knee_flexion_deg"] = math.nan
        vals["shoulder_elevation_frac"] = float(tone.elevation_vs(along, refs("elev_d"), refs("trunk_len"))[0])
        d = (neck - refs("neck") + 180.0) % 360.0 - 180.0  # angles wrap at ±180°: not a 300° nod
        vals["neck_extension_deg"] = d if abs(d) <= NECK_MAX_DEG else math.nan
        sp = h.spine_outline_gain * (bend - refs("bend"))
        # Rounding vs standing: below standing is 0; beyond SPINE_MAX_DEG the outline fit failed.
        vals["spine_flexion_est_deg"] = max(sp, 0.0) if sp <= SPINE_MAX_DEG else math.nan
        base = refs("trunk")
        standing = fr.phase in ("top", "setup") and fr.full_body and (not math.isfinite(base) or trunk <= base + 10.0)
        samples = {}
        if standing:
            samples = {"trunk": trunk, "elev_d": float(along[0]), "trunk_len": float(length[0]), "neck": neck,
                       "bend": bend, "knee": knee_raw, "heel_x": float(heel[0]) if foot_ok else math.nan,
                       "ball": math.hypot(toe[0] - heel[0], toe[1] - heel[1]) if foot_ok else math.nan}  # fmt: skip
        return vals, samples

    def analyze_rep(self, seq: PoseSequence, w: RepWindow, index: int, after_s: float) -> tuple[Rep, RepWindow] | None:
        f = compute_features(seq, self.config)
        windows = [x for x in find_rep_windows(f, self.config, whole_recording=False) if x.end_s > after_s + 1e-6]
        if not windows:
            return None
        best = min(windows, key=lambda x: abs(x.end_s - w.end_s))  # the rep the detector saw ends nearest
        rep = rep_metrics(f, best, index, self.config)
        return drop_unseen_phases(rep, f.t_s, np.isfinite(f.hip)), best


def HingeStream(config: Config) -> ExerciseStream:  # noqa: N802 - kept as the streaming analyzer's public name
    """The hinge's streaming analyzer: the engine's runner driving :class:`HingeLive`."""
    return ExerciseStream(config, HingeLive(config))
