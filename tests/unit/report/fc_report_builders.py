"""Small builders of hinge reps, analyses, pose sequences and videos with explicit values (tests only).

Everything here is made up on purpose so the tests know the ground truth: a clean rep has the default metrics
below, a faulty rep overrides one or two of them. The pose sequence is a planar stick figure hinging at the hip,
and the video draws that figure, so overlay and key-frame code can be checked against known pixels.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from formcheck.types import LM, Analysis, PoseSequence, Quality, Rep, VideoInfo

CLEAN_METRICS: dict[str, float] = {
    "trunk_inclination_max_deg": 60.0,
    "hip_flexion_max_deg": 85.0,
    "knee_flexion_bottom_deg": 20.0,
    "shin_inclination_max_deg": 10.0,
    "spine_flexion_est_deg": 5.0,
    "spine_flexion_est_err_deg": 5.0,
    "hip_contribution_deg": 48.0,
    "hip_share": 0.8,
    "hip_share_0_30": 0.7,
    "hip_share_30_60": 0.8,
    "hip_share_60_90": 0.9,
    "com_min_pct_foot": 42.0,
    "com_max_pct_foot": 56.0,
    "com_bottom_pct_foot": 52.0,
    "time_outside_midfoot_s": 0.0,
    "com_toes_excess_cm": 0.0,
    "com_heels_excess_cm": 0.0,
    "heel_lift_frac": 0.01,
    "hip_back_cm": 12.0,
    "shoulder_elevation_frac": 0.02,
    "neck_extension_deg": 5.0,
    "velocity_sign_changes": 2.0,
    "target_eccentric_s": 3.0,
    "target_bottom_s": 1.0,
    "target_concentric_s": 2.0,
    "target_top_s": 1.0,
}

CLEAN_TEMPO = (3.0, 1.0, 2.0, 1.0)


def make_rep(
    index: int = 1,
    start_s: float = 1.0,
    tempo: tuple[float, float, float, float] = CLEAN_TEMPO,
    classification: str = "hinge",
    **metrics: float,
) -> Rep:
    """A rep with clean defaults; keyword arguments override metrics (NaN allowed)."""
    ecc, bot, con, top = tempo
    m = dict(CLEAN_METRICS)
    m.update(metrics)
    return Rep(
        index=index,
        start_s=start_s,
        bottom_s=start_s + ecc + bot / 2,
        end_s=start_s + ecc + bot + con,
        eccentric_s=ecc,
        bottom_pause_s=bot,
        concentric_s=con,
        top_pause_s=top,
        time_under_tension_s=ecc + bot + con,
        rom_deg=m["hip_flexion_max_deg"],
        classification=classification,
        metrics=m,
    )


def rep_plan(
    n: int, faults: dict[int, dict[str, float]] | None = None, tempo=CLEAN_TEMPO, lead_s: float = 1.0
) -> list[Rep]:
    """``n`` back-to-back reps starting at ``lead_s``; ``faults[i]`` overrides metrics of rep ``i`` (1-based)."""
    faults = faults or {}
    reps, t = [], lead_s
    for i in range(1, n + 1):
        r = make_rep(i, t, tempo, **faults.get(i, {}))
        reps.append(r)
        t = r.end_s + tempo[3]
    return reps


def _rep_curve(t: np.ndarray, rep: Rep) -> np.ndarray:
    """0 → 1 → 0 bend fraction over one rep (raised-cosine lowering, flat pause, raised-cosine rise)."""
    y = np.zeros_like(t)
    e0 = rep.start_s
    e1 = e0 + rep.eccentric_s
    c0 = e1 + rep.bottom_pause_s
    c1 = rep.end_s
    a = (t >= e0) & (t < e1)
    y[a] = 0.5 - 0.5 * np.cos(np.pi * (t[a] - e0) / max(e1 - e0, 1e-6))
    y[(t >= e1) & (t < c0)] = 1.0
    b = (t >= c0) & (t < c1)
    y[b] = 0.5 + 0.5 * np.cos(np.pi * (t[b] - c0) / max(c1 - c0, 1e-6))
    return y


def series_for(reps: list[Rep], fps: float = 30.0, tail_s: float = 1.0) -> dict[str, np.ndarray]:
    """Per-frame series (contract keys) consistent with the reps' metrics."""
    end = (reps[-1].end_s + reps[-1].top_pause_s + tail_s) if reps else 3.0
    t = np.arange(0.0, end, 1.0 / fps)
    bend = np.zeros_like(t)
    rep_index = np.zeros_like(t)
    trunk = np.full_like(t, 5.0)
    hip = np.full_like(t, 5.0)
    knee = np.full_like(t, 3.0)
    spine = np.zeros_like(t)
    com = np.full_like(t, 45.0)
    for r in reps:
        y = _rep_curve(t, r)
        inside = (t >= r.start_s) & (t < r.end_s)
        rep_index[inside] = r.index
        bend = np.maximum(bend, y)
        m = r.metrics
        trunk += y * (m["trunk_inclination_max_deg"] - 5.0)
        hip += y * (m["hip_flexion_max_deg"] - 5.0)
        knee += y * (m["knee_flexion_bottom_deg"] - 3.0)
        spine += y * m["spine_flexion_est_deg"]
        com += y * (m["com_bottom_pct_foot"] - 45.0)
    return {
        "t_s": t,
        "trunk_inclination_deg": trunk,
        "hip_flexion_deg": hip,
        "knee_flexion_deg": knee,
        "spine_flexion_est_deg": spine,
        "com_pct_foot": com,
        "shoulder_elevation_frac": np.full_like(t, 0.02),
        "neck_extension_deg": np.full_like(t, 5.0),
        "rep_index": rep_index,
    }


def make_analysis(
    reps: list[Rep] | None = None,
    *,
    fps: float = 30.0,
    quality: Quality | None = None,
    exercise: str = "hinge",
    video: VideoInfo | None = None,
    limits: tuple[str, ...] = (
        "The back outline is seen from one side only: twisting and side-bending are invisible.",
        "Spine rounding is an estimate from the body outline (about ±5°).",
    ),
    cues: tuple = (),
) -> Analysis:
    reps = rep_plan(3) if reps is None else reps
    series = series_for(reps, fps)
    n = len(series["t_s"])
    q = quality or Quality(
        view="side",
        facing="right",
        side_used="right",
        frames_total=n,
        person_fraction=1.0,
        full_body_fraction=1.0,
        multi_person_fraction=0.0,
        mean_visibility=0.95,
    )
    return Analysis(
        exercise=exercise,
        reps=tuple(reps),
        cues=tuple(cues),
        quality=q,
        series=series,
        video=video,
        summary={"n_reps": len(reps)},
        limits=limits,
        settings={"height_cm": 170.0},
    )


# --- a drawn stick figure, side view, facing image-right, for overlay / video tests ---


def figure_landmarks_px(trunk_deg: float, knee_deg: float, width: int, height: int) -> np.ndarray:
    """(33, 2) pixel landmarks of a side-on figure; trunk inclination and knee bend in degrees."""
    s = height / 480.0
    ankle = np.array([0.45 * width, 0.9 * height])
    shank, thigh, trunk_len, neck = 105 * s, 110 * s, 130 * s, 35 * s
    kb = math.radians(knee_deg / 2)  # shin leans forward, thigh back, by half the knee bend each
    knee = ankle + shank * np.array([math.sin(kb), -math.cos(kb)])
    hip = knee + thigh * np.array([-math.sin(kb), -math.cos(kb)])
    tr = math.radians(trunk_deg)
    shoulder = hip + trunk_len * np.array([math.sin(tr), -math.cos(tr)])
    head = shoulder + neck * np.array([math.sin(tr), -math.cos(tr)])
    elbow = shoulder + np.array([0.0, 60 * s])
    wrist = elbow + np.array([0.0, 55 * s])
    heel = ankle + np.array([-12 * s, 10 * s])
    toe = ankle + np.array([45 * s, 12 * s])
    p = np.full((33, 2), np.nan)
    for side_off in (0, 1):  # left then right, right drawn 3 px apart so both sides exist
        o = np.array([3.0 * side_off, 0.0])
        L = "LEFT_" if side_off == 0 else "RIGHT_"
        p[LM[L + "SHOULDER"]] = shoulder + o
        p[LM[L + "ELBOW"]] = elbow + o
        p[LM[L + "WRIST"]] = wrist + o
        p[LM[L + "HIP"]] = hip + o
        p[LM[L + "KNEE"]] = knee + o
        p[LM[L + "ANKLE"]] = ankle + o
        p[LM[L + "HEEL"]] = heel + o
        p[LM[L + "FOOT_INDEX"]] = toe + o
        p[LM[L + "EAR"]] = head + o
        p[LM[L + "PINKY"]] = wrist + o + np.array([0, 8 * s])
        p[LM[L + "INDEX"]] = wrist + o + np.array([4 * s, 8 * s])
        p[LM[L + "THUMB"]] = wrist + o + np.array([4 * s, 4 * s])
        p[LM[L + "EYE_INNER"]] = head + o + np.array([10 * s, -4 * s])
        p[LM[L + "EYE"]] = head + o + np.array([9 * s, -4 * s])
        p[LM[L + "EYE_OUTER"]] = head + o + np.array([8 * s, -4 * s])
        p[LM["MOUTH_" + L[:-1]]] = head + o + np.array([10 * s, 8 * s])
    p[LM.NOSE] = head + np.array([14 * s, 0.0])
    return p


def make_sequence(analysis: Analysis, width: int = 640, height: int = 480) -> PoseSequence:
    """A pose sequence whose figure follows the analysis series (trunk angle and knee bend)."""
    t = np.asarray(analysis.series["t_s"])
    trunk = np.asarray(analysis.series["trunk_inclination_deg"])
    knee = np.asarray(analysis.series["knee_flexion_deg"])
    lm = np.zeros((len(t), 33, 4))
    for i in range(len(t)):
        px = figure_landmarks_px(trunk[i], knee[i], width, height)
        lm[i, :, 0] = px[:, 0] / width
        lm[i, :, 1] = px[:, 1] / height
        lm[i, :, 3] = 0.99
    world = np.zeros_like(lm)
    world[:, :, 3] = 0.99
    return PoseSequence(landmarks=lm, world=world, t_s=t, width=width, height=height)


def write_figure_video(path: Path, seq: PoseSequence, fps: int = 30) -> Path:
    """Encode the sequence's stick figure (grey body on a dark background) as an H.264 mp4."""
    import av
    import cv2

    xy = seq.xy_px()
    with av.open(str(path), "w") as out:
        st = out.add_stream("libx264", rate=fps)
        st.width, st.height, st.pix_fmt = seq.width, seq.height, "yuv420p"
        for i in range(seq.n_frames):
            img = np.full((seq.height, seq.width, 3), 40, np.uint8)
            for a, b in ((25, 23), (23, 11), (11, 7), (25, 27), (27, 29), (29, 31), (11, 13), (13, 15)):
                pa, pb = xy[i, a], xy[i, b]
                cv2.line(img, tuple(int(v) for v in pa), tuple(int(v) for v in pb), (200, 200, 200), 9)
            frame = av.VideoFrame.from_ndarray(img, format="bgr24")
            for pkt in st.encode(frame):
                out.mux(pkt)
        for pkt in st.encode():
            out.mux(pkt)
    return path
