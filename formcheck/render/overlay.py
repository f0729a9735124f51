"""Draw the live/annotated overlay on one BGR frame (OpenCV + cached Pillow text).

What is drawn, sized relative to the frame height so it reads the same at 480p and 1080p:

* skeleton, the measured side thick and bright, the far side thin and grey;
* trunk (hip→shoulder) and thigh (hip→knee) lines with their live angles, and the back-rounding estimate;
* a foot bar heel→toe under the measured foot with the midfoot band and a moving centre-of-mass marker;
* rep counter, phase and a tempo timer against the target for that phase;
* the current cue in a large banner (colour by severity) — at the bottom unless the feet are there;
* a small view-quality badge.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from formcheck.analyzers.base import LiveState
from formcheck.config import Config
from formcheck.render.text import fill_box, put_text, text_width, wrap
from formcheck.types import POSE_CONNECTIONS, Cue, side_indices

SEVERITY_BGR: dict[str, tuple[int, int, int]] = {
    "safety": (40, 40, 200),
    "warn": (0, 115, 215),
    "info": (120, 70, 25),
    "praise": (50, 140, 40),
}
PHASE_LABEL = {
    "setup": "Get set",
    "top": "Standing",
    "eccentric": "Lowering",
    "bottom": "Pause",
    "concentric": "Rising",
    "away": "Not in view",
}
TRUNK_BGR = (0, 215, 255)  # yellow
THIGH_BGR = (0, 140, 255)  # orange
NEAR_BGR = (255, 255, 255)
FAR_BGR = (150, 150, 150)
GOOD_BGR = (80, 200, 60)
BAD_BGR = (60, 60, 230)
BAND_BGR = (80, 200, 60)
FEET = ("ankle", "heel", "foot_index")


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _finite(*ps: np.ndarray) -> bool:
    return all(np.all(np.isfinite(p)) for p in ps)


def _fmt_deg(v: float) -> str:
    return f"{v:.0f}°"


def _target_for_phase(phase: str, config: Config) -> float | None:
    ecc, bot, con, top = config.hinge.target_tempo_s
    return {"eccentric": ecc, "bottom": bot, "concentric": con, "top": top}.get(phase)


def draw_overlay(
    frame_bgr: np.ndarray,
    state: LiveState,
    cue: Cue | None,
    quality_badge: str | None,
    config: Config,
) -> np.ndarray:
    """A copy of the frame with the form-check overlay drawn on it.

    Args:
        frame_bgr: ``(H, W, 3)`` uint8 BGR frame.
        state: this frame's live state (values with units, pixel landmarks, side in use, phase, rep count).
        cue: the cue to show (from :class:`~formcheck.cues.CueSelector`), or None.
        quality_badge: short view-quality text, e.g. ``"Side view ✓"``; a ``✓`` gets a green dot, a ``⚠`` an
            amber one, other text a neutral one. None draws no badge.
        config: midfoot band, spine threshold and target tempo for the markers and the timer.

    Returns:
        The annotated ``(H, W, 3)`` uint8 BGR frame (the input is not modified).
    """
    img = np.ascontiguousarray(frame_bgr, dtype=np.uint8).copy()
    H, W = img.shape[:2]
    # drawing scale: 1.0 for 640x480; limited by the width too so portrait phone video keeps its text inside
    unit = max(0.5, min(H / 480.0, W / 640.0))
    lw = max(1, round(2 * unit))
    small = max(11, round(15 * unit))
    v = state.values
    lm = state.landmarks_px
    side = state.side_used if state.side_used in ("left", "right") else "right"
    idx = side_indices(side)

    if lm is not None and lm.shape == (33, 2):
        _draw_skeleton(img, lm, side, lw)
        _draw_angles(img, lm, idx, v, config, lw, small)
        _draw_foot_bar(img, lm, idx, v, config, lw, small)

    panel_bottom = _draw_counter(img, state, config, unit)
    if quality_badge:
        _draw_badge(img, quality_badge, small)

    banner_msg, severity = None, "info"
    if cue is not None:
        banner_msg, severity = cue.message, cue.severity
    elif not state.ready and state.setup_message:
        banner_msg = state.setup_message
    if banner_msg:
        feet_y = -math.inf
        if lm is not None and lm.shape == (33, 2):
            ys = [lm[idx[k], 1] for k in FEET if np.isfinite(lm[idx[k], 1])]
            feet_y = max(ys) if ys else -math.inf
        _draw_banner(img, banner_msg, severity, unit, feet_y, panel_bottom)
    return img


def _draw_skeleton(img: np.ndarray, lm: np.ndarray, side: str, lw: int) -> None:
    near = set(side_indices(side).values())
    far = set(side_indices("left" if side == "right" else "right").values())
    # far side first so the measured side is drawn on top
    for group, color, width in ((far, FAR_BGR, lw), (None, FAR_BGR, lw), (near, NEAR_BGR, 2 * lw + 1)):
        for a, b in POSE_CONNECTIONS:
            if group is None:
                if (a in near and b in near) or (a in far and b in far):
                    continue
            elif not (a in group and b in group):
                continue
            if _finite(lm[a], lm[b]):
                cv2.line(img, _pt(lm[a]), _pt(lm[b]), color, width, cv2.LINE_AA)
    for i in near:
        if _finite(lm[i]):
            cv2.circle(img, _pt(lm[i]), 2 * lw + 1, NEAR_BGR, -1, cv2.LINE_AA)


def _label(
    img: np.ndarray, text: str, at: np.ndarray, size: int, color: tuple[int, int, int], right: bool = False
) -> None:
    """Text on a dark tag with its top-left (or top-right when ``right``) corner at ``at``."""
    w = text_width(text, size)
    x, y = _pt(at)
    if right:
        x -= w + 6
    H, W = img.shape[:2]
    x = int(np.clip(x, 3, max(3, W - w - 8)))  # keep tags inside the frame
    y = int(np.clip(y, 2, max(2, H - int(size * 1.3))))
    fill_box(img, x - 3, y - 2, x + w + 5, y + int(size * 1.25), (20, 20, 20), 0.55)
    put_text(img, text, x, y, size, color, shadow=False)


def _draw_angles(
    img: np.ndarray, lm: np.ndarray, idx: dict[str, int], v: dict, config: Config, lw: int, size: int
) -> None:
    hip, sh, knee = lm[idx["hip"]], lm[idx["shoulder"]], lm[idx["knee"]]
    if _finite(hip, sh):
        cv2.line(img, _pt(hip), _pt(sh), TRUNK_BGR, 2 * lw + 1, cv2.LINE_AA)
        trunk = float(v.get("trunk_inclination_deg", math.nan))
        d = sh - hip
        n = np.array([d[1], -d[0]]) / (np.hypot(*d) + 1e-9)  # normal: on the back side when facing right
        n = n if n[1] <= 0 else -n  # the upper side of the trunk line (the back when bent forward)
        mid = hip + 0.5 * d + n * 1.2 * size
        right = n[0] < 0  # grow the tag away from the line
        anchor = mid - np.array([0, 2.6 * size]) if n[1] < -0.5 else mid
        text = f"trunk {_fmt_deg(trunk)}" if math.isfinite(trunk) else ""
        spine = float(v.get("spine_flexion_est_deg", math.nan))
        if text:
            _label(img, text, anchor, size, TRUNK_BGR, right)
        if math.isfinite(spine):
            bad = spine > config.hinge.spine_rounding_deg
            color = BAD_BGR if bad else GOOD_BGR
            _label(img, f"back {spine:+.0f}°", anchor + np.array([0, 1.35 * size]), size, color, right)
    if _finite(hip, knee):
        cv2.line(img, _pt(hip), _pt(knee), THIGH_BGR, 2 * lw + 1, cv2.LINE_AA)
        hipf = float(v.get("hip_flexion_deg", math.nan))
        if math.isfinite(hipf):
            _label(img, f"hip {_fmt_deg(hipf)}", hip + np.array([-4.5 * size, 0.6 * size]), size, THIGH_BGR)
        kneef = float(v.get("knee_flexion_deg", math.nan))
        if math.isfinite(kneef):
            _label(img, f"knee {_fmt_deg(kneef)}", knee + np.array([0.8 * size, -0.6 * size]), size, NEAR_BGR)


def _draw_foot_bar(
    img: np.ndarray, lm: np.ndarray, idx: dict[str, int], v: dict, config: Config, lw: int, size: int
) -> None:
    heel, toe = lm[idx["heel"]], lm[idx["foot_index"]]
    if not _finite(heel, toe) or np.hypot(*(toe - heel)) < 4:
        return
    d = toe - heel
    off = np.array([0.0, 1.0]) * (1.2 * size)  # just below the sole
    a, b = heel + off, toe + off

    def at(pct: float) -> np.ndarray:
        return a + d * (pct / 100.0)

    thick = 3 * lw + 2
    cv2.line(img, _pt(a), _pt(b), (90, 90, 90), thick, cv2.LINE_AA)
    lo, hi = config.hinge.midfoot_band_pct
    cv2.line(img, _pt(at(lo)), _pt(at(hi)), BAND_BGR, thick, cv2.LINE_AA)
    for end in (a, b):
        cv2.circle(img, _pt(end), thick // 2 + 1, (200, 200, 200), -1, cv2.LINE_AA)
    com = float(v.get("com_pct_foot", math.nan))
    if not math.isfinite(com):
        return
    inside = lo <= com <= hi
    p = at(float(np.clip(com, -25.0, 125.0)))
    r = max(4, round(0.45 * size))
    tip = p - np.array([0, thick / 2 + 1])
    tri = np.array([tip, tip + np.array([-r, -1.8 * r]), tip + np.array([r, -1.8 * r])], np.int32)
    color = GOOD_BGR if inside else BAD_BGR
    cv2.fillPoly(img, [tri], color, cv2.LINE_AA)
    cv2.polylines(img, [tri], True, (0, 0, 0), 1, cv2.LINE_AA)
    # label beyond the toe end of the bar, clear of the shin and the marker
    text = f"CoM {com:.0f}%"
    lx = b[0] + 0.8 * size if d[0] >= 0 else b[0] - 0.8 * size - text_width(text, size)
    _label(img, text, np.array([lx, b[1] - 0.6 * size]), size, color)


def _draw_counter(img: np.ndarray, state: LiveState, config: Config, unit: float) -> int:
    """Rep counter + phase/tempo timer panel, top-left; returns its bottom y."""
    big, small = max(16, round(30 * unit)), max(11, round(16 * unit))
    pad = max(4, round(8 * unit))
    # during a rep show the rep in progress; between reps how many are done
    if state.phase in ("eccentric", "bottom", "concentric"):
        rep_txt = f"Rep {state.rep_count + 1}"
    else:
        rep_txt = f"{state.rep_count} rep" + ("" if state.rep_count == 1 else "s")
    phase = PHASE_LABEL.get(state.phase, state.phase)
    elapsed = float(state.values.get("phase_elapsed_s", math.nan))
    target = _target_for_phase(state.phase, config)
    if math.isfinite(elapsed) and state.phase in ("eccentric", "bottom", "concentric"):
        phase += f"  {elapsed:.1f} s" + (f" / {target:g} s" if target else "")
    w = max(text_width(rep_txt, big, True), text_width(phase, small)) + 2 * pad
    h = int(big * 1.25 + small * 1.3 + 2 * pad)
    fill_box(img, pad, pad, pad + w, pad + h, (25, 25, 25), 0.65)
    put_text(img, rep_txt, 2 * pad, 2 * pad - round(2 * unit), big, (255, 255, 255), bold=True)
    color = (255, 255, 255)
    if math.isfinite(elapsed) and target and state.phase in ("eccentric", "concentric", "bottom"):
        # timer turns green once the phase has lasted its target time
        color = GOOD_BGR if elapsed >= (1 - config.hinge.tempo_tolerance_frac) * target else (255, 255, 255)
    put_text(img, phase, 2 * pad, int(2 * pad + big * 1.25), small, color)
    return pad + h


def _draw_badge(img: np.ndarray, text: str, size: int) -> None:
    W = img.shape[1]
    pad = max(4, size // 2)
    w = text_width(text, size) + 3 * pad + size // 2
    x0, y0 = W - w - pad, pad
    fill_box(img, x0, y0, x0 + w, y0 + int(size * 1.3) + pad, (25, 25, 25), 0.65)
    # the dot says how good the view is: ✓ green, ⚠ amber, anything else neutral
    dot = GOOD_BGR if "✓" in text else (0, 170, 255) if "⚠" in text else (190, 190, 190)
    cx, cy = x0 + pad + size // 4, y0 + pad // 2 + int(size * 0.7)
    cv2.circle(img, (cx, cy), max(3, size // 4), dot, -1, cv2.LINE_AA)
    put_text(img, text, cx + size // 2 + pad // 2, y0 + pad // 2, size, (255, 255, 255), shadow=False)


def _draw_banner(img: np.ndarray, message: str, severity: str, unit: float, feet_y: float, top_limit: int) -> None:
    H, W = img.shape[:2]
    size = max(15, round(22 * unit))
    margin, pad = max(6, round(8 * unit)), max(5, round(8 * unit))
    lines = wrap(message, size, W - 2 * margin - 2 * pad, bold=True, max_lines=4)
    line_h = int(size * 1.3)
    bh = len(lines) * line_h + 2 * pad
    y0 = H - margin - bh
    if feet_y > y0 - margin:  # keep the feet and the foot bar visible
        y0 = top_limit + margin
    fill_box(img, margin, y0, W - margin, y0 + bh, SEVERITY_BGR.get(severity, SEVERITY_BGR["info"]), 0.88)
    for i, line in enumerate(lines):
        x = (W - text_width(line, size, True)) // 2
        put_text(img, line, x, y0 + pad + i * line_h, size, (255, 255, 255), bold=True)
