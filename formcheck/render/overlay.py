"""Draw the live/annotated overlay on one BGR frame (OpenCV + cached Pillow text).

What is drawn, sized relative to the frame height so it reads the same at 480p and 1080p:

* skeleton, the measured side thick and bright, the far side thin and grey;
* the exercise's overlay values where its metric specs put them (:attr:`MetricSpec.overlay_at
  <formcheck.engine.spec.MetricSpec.overlay_at>`): along a highlighted body segment (``trunk``, ``thigh``), beside a
  joint, or as a foot bar heel→toe with the spec's target band and a moving marker; a value past its threshold
  (the spec's ``threshold_key`` in the exercise config) turns red, within it green; in a recorded set, red only
  where the analysis itself gave a correction on it (:func:`verdict_key` in the state's values: a per-frame reading
  past the limit the analysis did not cue is drawn in the segment's own colour, neither red nor green);
* a rep's own number (a ``"rep"`` metric spec shown in ``"overlay"``, under :func:`rep_value_key` in the state's
  values) tagged beside its joint, from the rep's turn to its end: the very value the tables give that rep;
* rep counter, phase and a tempo timer against the exercise's target for that phase;
* the current cue in a large banner (colour by severity), in the top or bottom band: the annotated video puts it
  where it covers the least of the body over the frames it is shown (:func:`banner_track`); a single frame (the
  live view) at the bottom unless the feet are there;
* a small view-quality badge.

Which exercise: the ``exercise`` argument, else the state's ``exercise`` field, else the first registered exercise
(the default one), so callers that predate per-exercise states keep drawing what they drew.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.config import Config
from formcheck.engine import registry
from formcheck.engine.protocol import LiveState
from formcheck.engine.spec import ExerciseSpec, MetricSpec
from formcheck.errors import FormcheckError
from formcheck.render.text import fill_box, put_text, text_width, wrap
from formcheck.types import POSE_CONNECTIONS, Cue, side_indices

SEVERITY_BGR: dict[str, tuple[int, int, int]] = {
    "safety": (40, 40, 200),
    "warn": (0, 115, 215),
    "info": (120, 70, 25),
    "praise": (50, 140, 40),
}
# Phase states named the same for every exercise; a rep's phases and the rest between reps are in the exercise's
# words (ExerciseSpec.phases, see phase_label), these hinge words only for an exercise this version does not know.
PHASE_LABEL = {
    "setup": "Get set",
    "top": "Standing",
    "eccentric": "Lowering",
    "bottom": "Pause at the bottom",
    "concentric": "Rising",
    "away": "Not in view",
    "hold": "Holding",
}


def phase_label(phase: str, spec: ExerciseSpec | None, position: str = "unknown") -> str:
    """The words the overlay shows for a live phase state: the exercise's phase words ("Hips up" for a bridge's
    ``eccentric``), its rest position for ``top`` ("Lying down"; in the set's body ``position``: a seated hinge
    rests "Sitting tall", :meth:`PhaseWords.rest_for <formcheck.engine.spec.PhaseWords.rest_for>`); common words
    for the other states."""
    said = spec.phases.state(phase, position) if spec is not None else ""
    if spec is not None and not spec.phases.has_reps and phase in ("eccentric", "bottom", "concentric"):
        said = "moving"  # an exercise without rep phases (a plank): no lowering or rising to name
    said = said or PHASE_LABEL.get(phase, phase)
    return said[:1].upper() + said[1:]


TRUNK_BGR = (0, 215, 255)  # yellow
THIGH_BGR = (0, 140, 255)  # orange
NEAR_BGR = (255, 255, 255)
FAR_BGR = (150, 150, 150)
GOOD_BGR = (80, 200, 60)
BAD_BGR = (60, 60, 230)
BAND_BGR = (80, 200, 60)
FEET = ("ankle", "heel", "foot_index")
FOOT = "foot"  # MetricSpec.overlay_at of a value drawn as the foot bar (% of foot length, heel = 0)

# Body segments of the measured side an overlay value can sit on: (from, to) landmark names and the line colour.
# Values on a segment are stacked in declared order beside its middle, on the segment's upper side.
SEGMENTS: dict[str, tuple[str, str, tuple[int, int, int]]] = {
    "trunk": ("hip", "shoulder", TRUNK_BGR),
    "thigh": ("hip", "knee", THIGH_BGR),
}


@dataclass(frozen=True)
class JointTag:
    """Where a value tagged at a joint is drawn: offset from the joint in text heights, and the segment whose
    line (and colour) it belongs to (None: drawn on its own, white)."""

    offset: tuple[float, float]
    segment: str | None = None


# The hip angle lies between trunk and thigh: its tag sits below-left of the hip in the thigh's colour.
JOINT_TAGS: dict[str, JointTag] = {"hip": JointTag((-4.5, 0.6), "thigh"), "knee": JointTag((0.8, -0.6))}
DEFAULT_JOINT_TAG = JointTag((0.8, -0.6))


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def _finite(*ps: np.ndarray) -> bool:
    return all(math.isfinite(c) for p in ps for c in p)  # per coordinate: cheaper than numpy on 2-vectors


def rep_overlay_specs(spec: ExerciseSpec | None) -> tuple[MetricSpec, ...]:
    """The rep metrics an exercise tags on the overlay (``kind="rep"``, shown in ``"overlay"``, with a joint)."""
    return tuple(m for m in spec.metric_specs("overlay", "rep") if m.overlay_at) if spec is not None else ()


REP_VALUE_PREFIX = "rep."


def rep_value_key(key: str) -> str:
    """Where a state's values carry the current rep's own ``key`` (apart from the live measurements, so no live
    cue rule reads a finished rep's number as a frame's)."""
    return REP_VALUE_PREFIX + key


VERDICT_PREFIX = "cued."


def verdict_key(key: str) -> str:
    """Where a recorded set's state carries, for an overlay value coloured against a limit, whether the analysis
    gave a correction on it at this frame (1.0) or not (0.0): the frame lies in a rep (hold) that got a cue from a
    rule on that value (:func:`formcheck.render.states.frame_states`). Absent (live): the limit alone decides."""
    return VERDICT_PREFIX + key


@dataclass(frozen=True)
class _Exercise:
    """What the overlay reads of one exercise: its overlay specs and its config section (None when unknown)."""

    spec: ExerciseSpec | None
    settings: object | None

    @property
    def overlay_specs(self) -> tuple[MetricSpec, ...]:
        if self.spec is None:
            return ()
        return tuple(m for m in self.spec.metric_specs("overlay", "series") if m.overlay_at)

    @property
    def rep_overlay_specs(self) -> tuple[MetricSpec, ...]:
        return rep_overlay_specs(self.spec)

    def setting(self, key: str) -> object | None:
        return getattr(self.settings, key, None) if key and self.settings is not None else None

    def threshold(self, m: MetricSpec) -> float:
        v = self.setting(m.threshold_key)
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else math.nan

    def band(self, m: MetricSpec) -> tuple[float, float] | None:
        v = self.setting(m.band_key)
        if isinstance(v, tuple | list) and len(v) == 2:
            return float(v[0]), float(v[1])
        return None


def exercise_name(state: LiveState, exercise: str | None = None) -> str:
    """The exercise to draw: the argument, else the state's ``exercise``, else the first registered one."""
    name = exercise or getattr(state, "exercise", "") or ""
    if not name:
        names = registry.names()
        name = names[0] if names else ""
    return name


def _exercise(config: Config, name: str) -> _Exercise:
    spec = registry.find_spec(name) if name else None
    if spec is None:
        return _Exercise(None, None)
    try:
        settings = registry.exercise_config(config, spec.name)
    except (FormcheckError, AttributeError, KeyError):
        settings = None  # a config from before this exercise existed: values drawn without limits
    return _Exercise(spec, settings)


def _target_for_phase(phase: str, ex: _Exercise) -> float | None:
    tempo = ex.setting("target_tempo_s")
    if not isinstance(tempo, tuple | list) or len(tempo) != 4:
        return None
    ecc, bot, con, top = tempo
    return {"eccentric": ecc, "bottom": bot, "concentric": con, "top": top}.get(phase)


def _value_color(
    m: MetricSpec, value: float, ex: _Exercise, default: tuple[int, int, int], values: Mapping[str, float] | None = None
) -> tuple[int, int, int]:
    """Red past the spec's threshold (below it when higher is better), green within it; ``default`` without one.

    A recorded set's per-frame reading past the limit is red only where the analysis cued it (:func:`verdict_key`
    in ``values``), else ``default``: a deadlift's outline read +30° for a moment as the plate passed in front of the
    body while its reps read 4-10° and got no back cue, and the red "back +30°" contradicted the table.
    """
    thr = ex.threshold(m)
    if not math.isfinite(thr):
        return default
    bad = value < thr if m.better == "higher" else value > thr
    cued = (values or {}).get(verdict_key(m.key))
    if bad and cued is not None and not cued > 0:
        return default
    return BAD_BGR if bad else GOOD_BGR


def _tag_text(m: MetricSpec, value: float) -> str:
    return f"{m.overlay_label} {m.format(value, with_unit=True)}"


def draw_overlay(
    frame_bgr: np.ndarray,
    state: LiveState,
    cue: Cue | None,
    quality_badge: str | None,
    config: Config,
    exercise: str | None = None,
    banner_at: str | None = None,
) -> np.ndarray:
    """A copy of the frame with the form-check overlay drawn on it.

    Args:
        frame_bgr: ``(H, W, 3)`` uint8 BGR frame.
        state: this frame's live state (values with units, pixel landmarks, side in use, phase, rep count).
        cue: the cue to show (from :class:`~formcheck.cues.CueSelector`), or None.
        quality_badge: short view-quality text, e.g. ``"Side view ✓"``; a ``✓`` gets a green dot, a ``⚠`` an
            amber one, other text a neutral one. None draws no badge.
        config: the exercise's thresholds, bands and target tempo for the markers and the timer.
        exercise: the exercise whose overlay specs are drawn (default: see :func:`exercise_name`). An unknown
            exercise draws the skeleton, counter, badge and banner only.
        banner_at: the band the banner goes in, ``"top"`` or ``"bottom"`` (:func:`banner_track` chooses it for a
            recorded set, one band while a message is shown); None: at the bottom unless this frame's feet are there.

    Returns:
        The annotated ``(H, W, 3)`` uint8 BGR frame (the input is not modified).
    """
    img = np.ascontiguousarray(frame_bgr, dtype=np.uint8).copy()
    H, W = img.shape[:2]
    unit = _unit(H, W)
    lw = max(1, round(2 * unit))
    small = max(11, round(15 * unit))
    v = state.values
    lm = state.landmarks_px
    side = state.side_used if state.side_used in ("left", "right") else "right"
    idx = side_indices(side)
    ex = _exercise(config, exercise_name(state, exercise))

    if lm is not None and lm.shape == (33, 2):
        _draw_skeleton(img, lm, side, lw)
        specs = ex.overlay_specs
        _draw_values(img, lm, idx, v, [m for m in specs if m.overlay_at != FOOT], ex, lw, small)
        foot = next((m for m in specs if m.overlay_at == FOOT), None)
        if foot is not None:
            _draw_foot_bar(img, lm, idx, v, foot, ex, lw, small)
        # the rep's own number (a bird-dog's leg at full reach): a plain tag, on no segment line, since the limb
        # it is about may be the far one (the drawn side is the near one); absent (unknown): nothing drawn
        for m in ex.rep_overlay_specs:
            if m.overlay_at in idx:
                rep_v = {m.key: v.get(rep_value_key(m.key), math.nan)}
                _draw_joint_value(img, lm[idx[m.overlay_at]], rep_v, m, ex, NEAR_BGR, small)

    _draw_counter(img, state, ex, unit)
    if quality_badge:
        _draw_badge(img, quality_badge, small)

    banner_msg = banner_message(state, cue)
    severity = cue.severity if cue is not None else "info"
    if banner_msg:
        band = banner_at if banner_at in BANDS else None
        if band is None:
            feet_y = _feet_y(lm, side)
            band = "top" if feet_y > banner_rect(H, W, banner_msg, "bottom")[1] - _banner_dims(unit)[1] else "bottom"
        _draw_banner(img, banner_msg, severity, unit, band)
    return img


BANDS = ("bottom", "top")


def _feet_y(lm: np.ndarray | None, side: str) -> float:
    """The lowest seen foot landmark of the measured side (image y), -inf when none."""
    if lm is None or lm.shape != (33, 2):
        return -math.inf
    idx = side_indices(side if side in ("left", "right") else "right")
    ys = [lm[idx[k], 1] for k in FEET if np.isfinite(lm[idx[k], 1])]
    return max(ys) if ys else -math.inf


def body_box(lm: np.ndarray | None) -> tuple[float, float, float, float] | None:
    """``(x0, y0, x1, y1)`` pixel box around every seen landmark of a frame (the skeleton drawn); None: nobody."""
    if lm is None or lm.shape != (33, 2):
        return None
    seen = lm[np.isfinite(lm).all(axis=1)]
    if not len(seen):
        return None
    (x0, y0), (x1, y1) = seen.min(axis=0), seen.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def _unit(H: int, W: int) -> float:
    # drawing scale: 1.0 for 640x480; limited by the width too so portrait phone video keeps its text inside
    return max(0.5, min(H / 480.0, W / 640.0))


def _banner_dims(unit: float) -> tuple[int, int, int]:
    """The banner's text size, margin and padding (px)."""
    return max(15, round(22 * unit)), max(6, round(8 * unit)), max(5, round(8 * unit))


def _counter_dims(unit: float) -> tuple[int, int, int, int]:
    """The counter panel's big and small text sizes, padding and height (px): the top band starts under it."""
    big, small = max(16, round(30 * unit)), max(11, round(16 * unit))
    pad = max(4, round(8 * unit))
    return big, small, pad, int(big * 1.25 + small * 1.3 + 2 * pad)


def _banner_lines(message: str, W: int, unit: float) -> list[str]:
    size, margin, pad = _banner_dims(unit)
    return wrap(message, size, W - 2 * margin - 2 * pad, bold=True, max_lines=4)


def banner_rect(H: int, W: int, message: str, band: str) -> tuple[int, int, int, int]:
    """``(x0, y0, x1, y1)`` of the banner showing ``message`` on an ``H`` x ``W`` frame in ``band`` (``"top"``:
    under the rep counter, else at the bottom edge)."""
    unit = _unit(H, W)
    size, margin, pad = _banner_dims(unit)
    bh = len(_banner_lines(message, W, unit)) * int(size * 1.3) + 2 * pad
    _, _, cpad, ch = _counter_dims(unit)
    y0 = cpad + ch + margin if band == "top" else H - margin - bh
    return margin, y0, W - margin, y0 + bh


def _overlap_px(rect: tuple[int, int, int, int], box: tuple[float, float, float, float]) -> float:
    w = min(rect[2], box[2]) - max(rect[0], box[0])
    h = min(rect[3], box[3]) - max(rect[1], box[1])
    return max(0.0, w) * max(0.0, h)


def banner_band(H: int, W: int, message: str, landmarks: Sequence[np.ndarray | None], side: str = "right") -> str:
    """The band (``"top"`` or ``"bottom"``) where a banner showing ``message`` covers the least of the body over
    the frames it is shown on (``landmarks``: each frame's pixel landmarks, None where nobody was found).

    The body of a frame is the box around its seen landmarks (:func:`body_box`); the band whose rectangle overlaps
    those boxes less, summed over the frames, wins (less of the body hidden, not fewer frames touched: the toes
    grazed on many frames beat the head covered on a few). On a tie (both clear, or both fully over the body, as a
    person standing tall in a portrait frame): the one that leaves the feet (and the foot bar) visible on more
    frames, then the bottom, where it always was.
    """
    rects = {band: banner_rect(H, W, message, band) for band in BANDS}
    margin = _banner_dims(_unit(H, W))[1]
    cost = dict.fromkeys(BANDS, 0.0)
    feet = dict.fromkeys(BANDS, 0)
    for lm in landmarks:
        box = body_box(lm)
        if box is None:
            continue
        for band, rect in rects.items():
            cost[band] += _overlap_px(rect, box)
        feet_y = _feet_y(lm, side)
        feet["bottom"] += feet_y > rects["bottom"][1] - margin
        feet["top"] += rects["top"][1] - margin <= feet_y <= rects["top"][3] + margin
    return min(BANDS, key=lambda b: (round(cost[b]), feet[b], BANDS.index(b)))


def banner_message(state: LiveState, cue: Cue | None) -> str | None:
    """The text the banner shows on a frame: the cue's, else the set-up message of a frame not ready, else None."""
    if cue is not None:
        return cue.message
    return state.setup_message if not state.ready and state.setup_message else None


def banner_key(state: LiveState, cue: Cue | None) -> tuple[str, ...] | None:
    """What the banner on a frame is, whatever its words: the cue's code and the rep it is about (a live cue's number
    changes every frame, "rounded about 20°" then "19°", and is still the same cue), else the set-up message of a
    frame not ready; None when no banner shows."""
    if cue is not None:
        return ("cue", cue.code, "" if cue.rep_index is None else str(cue.rep_index)) if cue.message else None
    msg = banner_message(state, None)
    return ("setup", msg) if msg else None


def banner_track(states: Sequence[LiveState], cues: Sequence[Cue | None], width: int, height: int) -> list[str | None]:
    """The band of each frame's banner in a recorded set (None where no banner is shown).

    One band for each stretch of frames showing the same cue (:func:`banner_key`: its number may change) or set-up
    message, chosen by :func:`banner_band` over that stretch with its longest text, so the banner never moves while
    a cue is on screen: chosen per frame it jumped between top and bottom as a person's knees or head crossed a
    band's edge; kept per text, it jumped when a live cue's number changed.
    """
    out: list[str | None] = [None] * len(states)
    i = 0
    while i < len(states):
        key = banner_key(states[i], cues[i])
        j = i + 1
        while j < len(states) and banner_key(states[j], cues[j]) == key:
            j += 1
        if key is not None:
            msg = max((banner_message(s, c) or "" for s, c in zip(states[i:j], cues[i:j], strict=True)), key=len)
            side = states[i].side_used
            band = banner_band(height, width, msg, [s.landmarks_px for s in states[i:j]], side)
            out[i:j] = [band] * (j - i)
        i = j
    return out


class LiveBannerPlace:
    """The banner's band on a live stream: chosen when a cue or set-up message first shows (:func:`banner_band` on
    that frame's body) and kept while it shows (:func:`banner_key`: a live cue whose number changes is the same
    cue), so a lying person is not covered (the per-frame rule only looks at the feet) and the banner does not jump
    as the body moves under it. State: what is shown and its band.
    """

    def __init__(self) -> None:
        self._shown: tuple[tuple[str, ...], str] | None = None

    def band(self, width: int, height: int, state: LiveState, cue: Cue | None) -> str | None:
        """This frame's band, ``"top"`` / ``"bottom"``; None when no banner shows."""
        key = banner_key(state, cue)
        if key is None:
            self._shown = None
            return None
        if self._shown is None or self._shown[0] != key:
            msg = banner_message(state, cue) or ""
            self._shown = (key, banner_band(height, width, msg, [state.landmarks_px], state.side_used))
        return self._shown[1]


def _draw_skeleton(img: np.ndarray, lm: np.ndarray, side: str, lw: int) -> None:
    near = set(side_indices(side).values())
    far = set(side_indices("left" if side == "right" else "right").values())
    # each landmark's pixel (None when not seen), worked out once per frame rather than once per line end
    pts = [(int(round(x)), int(round(y))) if math.isfinite(x) and math.isfinite(y) else None for x, y in lm.tolist()]
    # far side first so the measured side is drawn on top
    for group, color, width in ((far, FAR_BGR, lw), (None, FAR_BGR, lw), (near, NEAR_BGR, 2 * lw + 1)):
        for a, b in POSE_CONNECTIONS:
            if group is None:
                if (a in near and b in near) or (a in far and b in far):
                    continue
            elif not (a in group and b in group):
                continue
            pa, pb = pts[a], pts[b]
            if pa is not None and pb is not None:
                cv2.line(img, pa, pb, color, width, cv2.LINE_AA)
    for i in near:
        if pts[i] is not None:
            cv2.circle(img, pts[i], 2 * lw + 1, NEAR_BGR, -1, cv2.LINE_AA)


def _label(
    img: np.ndarray, text: str, at: np.ndarray, size: int, color: tuple[int, int, int], right: bool = False
) -> None:
    """Text on a dark tag with its top-left (or top-right when ``right``) corner at ``at``."""
    w = text_width(text, size)
    x, y = _pt(at)
    if right:
        x -= w + 6
    H, W = img.shape[:2]
    x = min(max(x, 3), max(3, W - w - 8))  # keep tags inside the frame
    y = min(max(y, 2), max(2, H - int(size * 1.3)))
    fill_box(img, x - 3, y - 2, x + w + 5, y + int(size * 1.25), (20, 20, 20), 0.55)
    put_text(img, text, x, y, size, color, shadow=False)


def _value(values: Mapping[str, float], m: MetricSpec) -> float:
    """The live value of one spec: a finite float, else NaN (missing is unknown, never 0; numpy scalars welcome)."""
    v = values.get(m.key)
    if isinstance(v, np.generic):
        v = v.item()
    return m.value_of({m.key: v})


def _draw_values(
    img: np.ndarray,
    lm: np.ndarray,
    idx: dict[str, int],
    v: Mapping[str, float],
    specs: list[MetricSpec],
    ex: _Exercise,
    lw: int,
    size: int,
) -> None:
    """Segments with their stacked values, then values tagged at joints (see :data:`SEGMENTS`, :data:`JOINT_TAGS`).

    A segment's line is drawn when a value sits on it or on a joint tag that belongs to it, and only when both its
    ends are seen; its values and tags are drawn right after it (a later line may cross an earlier tag, not its own).
    """
    on_segment = {name: [m for m in specs if m.overlay_at == name] for name in SEGMENTS}
    joints = [m for m in specs if m.overlay_at not in SEGMENTS and m.overlay_at in idx]
    tag_of = {m.key: JOINT_TAGS.get(m.overlay_at, DEFAULT_JOINT_TAG) for m in joints}
    for name, (a_name, b_name, color) in SEGMENTS.items():
        tagged = [m for m in joints if tag_of[m.key].segment == name]
        if not on_segment[name] and not tagged:
            continue
        a, b = lm[idx[a_name]], lm[idx[b_name]]
        if not _finite(a, b):
            continue
        cv2.line(img, _pt(a), _pt(b), color, 2 * lw + 1, cv2.LINE_AA)
        _draw_segment_values(img, a, b, v, on_segment[name], ex, color, size)
        for m in tagged:
            _draw_joint_value(img, lm[idx[m.overlay_at]], v, m, ex, color, size)
    for m in joints:
        if tag_of[m.key].segment is None:
            _draw_joint_value(img, lm[idx[m.overlay_at]], v, m, ex, NEAR_BGR, size)


def _draw_segment_values(
    img: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    v: Mapping[str, float],
    specs: list[MetricSpec],
    ex: _Exercise,
    color: tuple[int, int, int],
    size: int,
) -> None:
    """Values stacked beside the middle of segment a→b, on its upper side (the back when the trunk bends forward).

    Each value keeps its slot (declared order) when another one is unknown, so the tags do not jump around.
    """
    if not specs:
        return
    d = b - a
    n = np.array([d[1], -d[0]]) / (np.hypot(*d) + 1e-9)  # normal: on the back side when facing right
    n = n if n[1] <= 0 else -n  # the upper side of the line (the back when bent forward)
    mid = a + 0.5 * d + n * 1.2 * size
    right = n[0] < 0  # grow the tags away from the line
    # a near-upright segment: lift the stack so it ends beside the middle instead of starting there
    anchor = mid - np.array([0, 1.3 * len(specs) * size]) if n[1] < -0.5 else mid
    for slot, m in enumerate(specs):
        value = _value(v, m)
        if math.isfinite(value):
            at = anchor + np.array([0, 1.35 * size * slot])
            _label(img, _tag_text(m, value), at, size, _value_color(m, value, ex, color, v), right)


def _draw_joint_value(
    img: np.ndarray,
    joint: np.ndarray,
    v: Mapping[str, float],
    m: MetricSpec,
    ex: _Exercise,
    color: tuple[int, int, int],
    size: int,
) -> None:
    value = _value(v, m)
    if not (math.isfinite(value) and _finite(joint)):
        return
    dx, dy = JOINT_TAGS.get(m.overlay_at, DEFAULT_JOINT_TAG).offset
    at = joint + np.array([dx * size, dy * size])
    _label(img, _tag_text(m, value), at, size, _value_color(m, value, ex, color, v))


def _draw_foot_bar(
    img: np.ndarray,
    lm: np.ndarray,
    idx: dict[str, int],
    v: Mapping[str, float],
    m: MetricSpec,
    ex: _Exercise,
    lw: int,
    size: int,
) -> None:
    """A bar under the measured foot (heel → toe) with the spec's band and a marker at the value (% of foot)."""
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
    band = ex.band(m)
    if band is not None:
        cv2.line(img, _pt(at(band[0])), _pt(at(band[1])), BAND_BGR, thick, cv2.LINE_AA)
    for end in (a, b):
        cv2.circle(img, _pt(end), thick // 2 + 1, (200, 200, 200), -1, cv2.LINE_AA)
    value = _value(v, m)
    if not math.isfinite(value):
        return
    color = _value_color(m, value, ex, NEAR_BGR)
    if band is not None:
        color = GOOD_BGR if band[0] <= value <= band[1] else BAD_BGR
    p = at(float(np.clip(value, -25.0, 125.0)))
    r = max(4, round(0.45 * size))
    tip = p - np.array([0, thick / 2 + 1])
    tri = np.array([tip, tip + np.array([-r, -1.8 * r]), tip + np.array([r, -1.8 * r])], np.int32)
    cv2.fillPoly(img, [tri], color, cv2.LINE_AA)
    cv2.polylines(img, [tri], True, (0, 0, 0), 1, cv2.LINE_AA)
    # label beyond the toe end of the bar, clear of the shin and the marker
    text = _tag_text(m, value)
    lx = b[0] + 0.8 * size if d[0] >= 0 else b[0] - 0.8 * size - text_width(text, size)
    _label(img, text, np.array([lx, b[1] - 0.6 * size]), size, color)


def _draw_counter(img: np.ndarray, state: LiveState, ex: _Exercise, unit: float) -> int:
    """Rep counter + phase/tempo timer panel, top-left; returns its bottom y."""
    big, small, pad, h = _counter_dims(unit)
    # during a rep show the rep in progress; between reps how many are done
    if state.phase in ("eccentric", "bottom", "concentric"):
        rep_txt = f"Rep {state.rep_count + 1}"
    elif state.phase == "hold":
        rep_txt = f"Hold {state.hold_count + 1}"
    elif state.hold_count:
        rep_txt = f"{state.hold_count} hold" + ("" if state.hold_count == 1 else "s")
    else:
        rep_txt = f"{state.rep_count} rep" + ("" if state.rep_count == 1 else "s")
    phase = phase_label(state.phase, ex.spec, state.position)
    elapsed = float(state.values.get("phase_elapsed_s", math.nan))
    target = _target_for_phase(state.phase, ex)
    if math.isfinite(elapsed) and state.phase in ("eccentric", "bottom", "concentric", "hold"):
        phase += f"  {elapsed:.1f} s" + (f" / {target:g} s" if target else "")
    w = max(text_width(rep_txt, big, True), text_width(phase, small)) + 2 * pad
    fill_box(img, pad, pad, pad + w, pad + h, (25, 25, 25), 0.65)
    put_text(img, rep_txt, 2 * pad, 2 * pad - round(2 * unit), big, (255, 255, 255), bold=True)
    color = (255, 255, 255)
    if math.isfinite(elapsed) and target and state.phase in ("eccentric", "concentric", "bottom"):
        # timer turns green once the phase has lasted its target time
        tol = ex.setting("tempo_tolerance_frac")
        tol = float(tol) if isinstance(tol, int | float) else 0.0
        color = GOOD_BGR if elapsed >= (1 - tol) * target else (255, 255, 255)
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


def _draw_banner(img: np.ndarray, message: str, severity: str, unit: float, band: str) -> None:
    H, W = img.shape[:2]
    size, margin, pad = _banner_dims(unit)
    lines = _banner_lines(message, W, unit)
    line_h = int(size * 1.3)
    x0, y0, x1, y1 = banner_rect(H, W, message, band)  # the top band starts under the counter panel
    fill_box(img, x0, y0, x1, y1, SEVERITY_BGR.get(severity, SEVERITY_BGR["info"]), 0.88)
    for i, line in enumerate(lines):
        x = (W - text_width(line, size, True)) // 2
        put_text(img, line, x, y0 + pad + i * line_h, size, (255, 255, 255), bold=True)
