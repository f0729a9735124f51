"""Camera geometry from the body: camera roll (a tilted phone) and the image scale in pixels per centimetre.

Roll: a person standing still and straight is vertical, so the tilt of their body line in the image is the
camera's roll. The body line is the mid-ankle (or straight leg's ankle) → mid-shoulder line (through the hips; a
standing body balances its centre of mass over the feet, so this line is within about 2-3° of vertical in a side
view and vertical by symmetry in a front view). Only frames where the body is straight (ankle-hip-shoulder and
hip-knee-ankle nearly collinear in the image) and the caller says the person stands count: a bend or a step is
not a tilted camera. Pixel coordinates only (x right, y down, aspect-correct). Measured on the rendered clips
(level camera, true roll 0): within ±2.5° — a standing body is only nearly vertical — so a roll below about 3°
means "level".

Sign: ``roll_deg`` > 0 when the true vertical appears turned clockwise on the screen (its top toward
image-right); rotating the image counter-clockwise by ``roll_deg`` levels it.

Correction (issue 10): a standing body leans slightly forward (its centre of mass sits over the middle of the foot,
ahead of the ankles), so in a side view the body line is tilted toward the way the person faces. On the three
rendered bodies of ``../shared/synthetic*`` (level camera) the facing-signed tilt was +1.0° (first figure, median of
7 clips), +2.2° (second) and +1.1° (third); :data:`STANDING_LEAN_DEG` removes that expected lean, scaled by the
sine of the camera azimuth (none face-on, where the lean points at the camera). :func:`level_roll_deg` gives the
roll to undo; :func:`rotate_px` undoes it. The centre of mass as a share of the foot moves about 6 points
per degree of roll. Because each body's own lean differs from the assumed one by up to about 1-2°, a level camera
reads a roll of up to ±1.9°; undoing that would move a level camera's CoM by up to ~11 points, so a roll is undone
only from :data:`ROLL_CORRECT_MIN_DEG` (2°). The price: a camera rolled by about 2-3° may or may not be corrected,
depending on the body's own lean.

The room's straight lines (issue 10, item 3): walls, rails, skirting boards and the wall/floor edge are level, and a
rolled phone turns them with everything else, whatever the body's lean. :func:`scene_roll_deg` reads the roll from
the ``scene_lines`` probe (:mod:`formcheck.probes.scene`: long near-horizontal segments away from the person on a
frame every 0.5 s) as the length-weighted median tilt, or says it can't tell (no lines, few frames, the lines
disagree — a wall seen at an angle, a slanted bench, a mirror — or too little agreeing length). Only horizontals
vote: a pitched phone makes verticals away from the image centre lean toward their vanishing point, while the
horizontals of a wall parallel to the picture stay level. Two independent readings must agree before the scene's
is used (:func:`combined_roll_deg`, :data:`SCENE_BODY_AGREE_DEG`): the body line less the lean is wrong by the
body's own lean error, the scene is wrong when its lines are not level; when both say the same, the scene's precise
reading is undone from :data:`SCENE_CORRECT_MIN_DEG` (0.5°, the issue's 3 CoM points), so a level camera (read
within 0.05° on the rendered rooms) is left untouched and a rolled one is levelled to within the scene's error.
Otherwise the body line alone, as above. Not in the live view yet (docs/metrics.md §8.6).

Tried and not used (``scripts/lobo_roll.py``, docs/metrics.md §8.6): the floor line. The sole (heel →
``foot_index`` landmarks, both feet) reads the heel point 1-27° above the toe point on a level camera where the
rendered feet are flat, and that offset varies with the body *and* the facing (one figure 23-25° facing right,
10-12° facing left), ten times the lean's spread; the line through both heels, toes or ankles runs along the line of
sight in a side view. Other body verticals (ankle → ear, hip, landmark CoM) do no better held-out. The renderer's
truth says why: the bodies' true standing lean differs (0.3°, 1.8°, 0.3°), while the landmarks' own bias is alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.types import LM

BODY_STRAIGHT_MAX_DEG = 10.0  # ankle-hip-shoulder and hip-knee-ankle bend less than this: standing straight
ROLL_MIN_FRAMES = 5  # fewer straight standing frames than this: roll unknown
# Forward lean of the standing body line (side view, facing-signed). Chosen leave-one-body-out on the rendered
# bodies (docs/metrics.md §8.6): the body medians are 1.0, 2.2 and 1.1°, each left-out body's constant (the mean of
# the others) is 1.6, 1.1 and 1.6°; 1.0° is close to the median over bodies and does not overshoot the first body.
# 1.0° itself was picked seeing all three bodies: with the held-out constants 5 of 19 rendered clips read within 0.5°
# of level, with 1.0° 10 of 19 (scripts/lobo_roll.py).
STANDING_LEAN_DEG = 1.0
ROLL_MAX_SPREAD_DEG = 3.0  # per-frame tilt IQR above this (a changing view, one-leg stances): roll not trusted
# Roll undone only beyond this: a level camera reads within ±1.9° on the rendered bodies (each body's own lean
# differs from STANDING_LEAN_DEG by up to 1.2°, the sampled synthetic figure's by 1.2°), and a correction by a
# misread degree costs ~6 points of CoM over the foot, so below it nothing is changed.
ROLL_CORRECT_MIN_DEG = 2.0
ROLL_CUE_DEG = 3.0  # a level-corrected roll beyond this gets a setup cue (level bodies read within about ±2.5°)

# The room's straight lines (issue 10, item 3; formcheck.probes.scene, docs/metrics.md §8.6). Only near-horizontal
# segments vote: a horizontal line of a wall parallel to the picture stays horizontal under camera pitch, while a
# vertical one away from the image centre leans toward the vanishing point of a pitched phone.
SCENE_NEAR_HORIZONTAL_DEG = 10.0  # segments within this of horizontal vote (a ±5° roll stays inside it)
SCENE_MIN_FRAMES = 3  # fewer sampled frames with a voting segment than this: can't tell
SCENE_INLIER_DEG = 0.5  # a segment within this of the consensus agrees with it (rendered lines: within 0.1°)
SCENE_MIN_INLIER_SHARE = 0.6  # less of the voting length than this agrees: the lines disagree (slanted, receding)
SCENE_MIN_SUPPORT_FRAC = 0.5  # agreeing length per sampled frame (median) below this share of the width: too little
# Scene and body line are two independent readings of the roll; the scene's is used only when the body line's
# (less the assumed lean) is within this of it. The body line's own error is the body's standing lean less the
# assumed one plus the landmarks' bias: ±1.9° on the level rendered cameras (true leans 0.3-1.8°); 2.5° leaves room
# for a real body's lean beyond the rendered three, and is below ROLL_CUE_DEG so a scene that disagrees by a setup
# cue's worth is never believed over the body.
SCENE_BODY_AGREE_DEG = 2.5
# With the scene's reading a roll is undone from this: ~6 CoM points per degree, so 0.5° is the 3-point
# budget; the scene reads a level rendered camera within 0.05° (docs/metrics.md §8.6), far below it.
SCENE_CORRECT_MIN_DEG = 0.5

# Segment length / stature (de Leva 1996 male means: thigh 42.22 cm, shank 43.40 cm… of 174.1 cm; the female
# ratios differ by < 1 %). Used only to turn pixels into centimetres from the user's height.
THIGH_FRAC_OF_HEIGHT = 0.2425
SHANK_FRAC_OF_HEIGHT = 0.2529
TRUNK_FRAC_OF_HEIGHT = 0.296  # mid-shoulder → mid-hip


@dataclass(frozen=True)
class RollEstimate:
    """Camera roll of a set.

    Attributes:
        roll_deg: degrees, > 0 when the vertical appears turned clockwise (see module docs); NaN when unknown.
        n_frames: straight standing frames it was measured on.
        spread_deg: interquartile range of the per-frame body-line tilt over those frames (sway and noise).
    """

    roll_deg: float
    n_frames: int
    spread_deg: float = math.nan


def _mid(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a + b) / 2.0


def _dir_deg(d: np.ndarray) -> np.ndarray:
    """Direction of image vectors ``(..., 2)`` from image-up, degrees, positive toward image-right (clockwise)."""
    return np.degrees(np.arctan2(d[..., 0], -d[..., 1]))


def _bend_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Unsigned angle between two image direction angles (degrees), 0..180."""
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


def _side_lines(px: np.ndarray, max_bend_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Per side: the tilt of the ankle → mid-shoulder line and whether that side's body is straight along it.

    ``(T, 33, 2)`` → ``(2, T)`` tilts (degrees from image-up, positive toward image-right) and ``(2, T)`` bools.
    One leg at a time: side-on the pose model often places the far leg it cannot see somewhere else (bent, or off
    the body line), which would spoil a mid-ankle line; a single-leg stance stands on one leg.
    """
    p = np.asarray(px, dtype=np.float64)
    sho = _mid_known(p[:, LM.LEFT_SHOULDER], p[:, LM.RIGHT_SHOULDER])
    tilts, oks = [], []
    with np.errstate(invalid="ignore"):
        for s in ("LEFT_", "RIGHT_"):
            h, k, a = (p[:, int(LM[s + n])] for n in ("HIP", "KNEE", "ANKLE"))
            line = _dir_deg(sho - a)
            trunk_ok = _bend_deg(_dir_deg(h - a), _dir_deg(sho - h)) <= max_bend_deg
            leg_ok = _bend_deg(_dir_deg(h - k), _dir_deg(k - a)) <= max_bend_deg
            tilts.append(line)
            oks.append(trunk_ok & leg_ok & np.isfinite(line))
    return np.array(tilts), np.array(oks)


def _mid_known(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    both = (a + b) / 2.0
    return np.where(np.isnan(both), np.where(np.isnan(a), b, a), both)


def _mid_line_ok(p: np.ndarray, max_bend_deg: float) -> np.ndarray:
    """The mid-ankle → mid-hip → mid-shoulder line is straight and one leg is straight along it."""
    hip = _mid(p[:, LM.LEFT_HIP], p[:, LM.RIGHT_HIP])
    sho = _mid(p[:, LM.LEFT_SHOULDER], p[:, LM.RIGHT_SHOULDER])
    ankle = _mid(p[:, LM.LEFT_ANKLE], p[:, LM.RIGHT_ANKLE])
    with np.errstate(invalid="ignore"):
        line = _dir_deg(sho - ankle)
        trunk_ok = _bend_deg(_dir_deg(hip - ankle), _dir_deg(sho - hip)) <= max_bend_deg
        leg_ok = np.zeros(p.shape[0], dtype=bool)
        for s in ("LEFT_", "RIGHT_"):
            h, k, a = (p[:, int(LM[s + n])] for n in ("HIP", "KNEE", "ANKLE"))
            straight = _bend_deg(_dir_deg(h - k), _dir_deg(k - a)) <= max_bend_deg
            leg_ok |= straight & (_bend_deg(_dir_deg(h - a), line) <= max_bend_deg)
    return trunk_ok & leg_ok


def body_line_tilt_deg(px: np.ndarray, max_bend_deg: float = BODY_STRAIGHT_MAX_DEG) -> np.ndarray:
    """Per-frame tilt of the body line from image-up, ``(T, 33, 2)`` → ``(T,)`` degrees (positive when the
    shoulders are image-right of the ankles).

    The line runs from the mid-ankle to the mid-shoulder; where that line is not straight but one leg's ankle →
    hip → mid-shoulder line is (side-on, the far leg's points are often guesses placed off the body), from that
    leg's ankle.
    """
    p = np.asarray(px, dtype=np.float64)
    tilts, oks = _side_lines(p, max_bend_deg)
    ankle = _mid(p[:, LM.LEFT_ANKLE], p[:, LM.RIGHT_ANKLE])
    sho = _mid(p[:, LM.LEFT_SHOULDER], p[:, LM.RIGHT_SHOULDER])
    with np.errstate(invalid="ignore"):
        both = _dir_deg(sho - ankle)
    one = np.where(oks[0], tilts[0], tilts[1])
    return np.where(_mid_line_ok(p, max_bend_deg) | ~(oks[0] | oks[1]), both, one)


def body_straight(px: np.ndarray, max_bend_deg: float = BODY_STRAIGHT_MAX_DEG) -> np.ndarray:
    """Per-frame: the body is straight in the image (no bend at the hips or knee beyond ``max_bend_deg``).

    The mid-ankle → mid-hip → mid-shoulder line must be nearly straight with one leg straight (hip → knee → ankle)
    along it, or one leg's ankle → hip → mid-shoulder line straight with that leg straight: side-on the pose model
    often bends or misplaces the far leg it cannot see, and a single-leg stance stands on one leg; in a split
    stance neither leg is along the body line (the feet's midpoint is not under the body).
    """
    p = np.asarray(px, dtype=np.float64)
    return _mid_line_ok(p, max_bend_deg) | np.any(_side_lines(p, max_bend_deg)[1], axis=0)


def camera_roll_deg(
    px: np.ndarray,
    standing: np.ndarray | None = None,
    *,
    max_bend_deg: float = BODY_STRAIGHT_MAX_DEG,
    min_frames: int = ROLL_MIN_FRAMES,
) -> RollEstimate:
    """Camera roll from the body line while standing straight (see the module docstring).

    Args:
        px: ``(T, 33, 2)`` pixel landmarks (smoothed; NaN unknown).
        standing: optional ``(T,)`` bool, frames where the person stands (e.g. ``position_per_frame == "standing"``);
            None counts every frame whose body is straight.
        max_bend_deg: how straight the body must be.
        min_frames: fewer usable frames → unknown (NaN).

    Returns:
        The :class:`RollEstimate` (median tilt over the straight standing frames).
    """
    p = np.asarray(px, dtype=np.float64)
    tilt = body_line_tilt_deg(p, max_bend_deg)
    use = body_straight(p, max_bend_deg) & np.isfinite(tilt)
    if standing is not None:
        use &= np.asarray(standing, dtype=bool)
    n = int(np.sum(use))
    if n < min_frames:
        return RollEstimate(math.nan, n)
    q1, med, q3 = np.percentile(tilt[use], [25, 50, 75])
    return RollEstimate(float(med), n, float(q3 - q1))


@dataclass(frozen=True)
class SceneRollEstimate:
    """Camera roll read from the room's near-horizontal straight lines (:func:`scene_roll_deg`).

    Attributes:
        roll_deg: degrees (sign as :attr:`RollEstimate.roll_deg`); NaN when it can't tell (see ``reason``).
        n_frames: sampled frames with at least one voting segment.
        n_segments: voting segments over all sampled frames.
        inlier_share: share of the voting length within :data:`SCENE_INLIER_DEG` of the consensus.
        support_frac: median agreeing length per sampled frame, as a share of the frame width.
        spread_deg: length-weighted interquartile range of the agreeing segments' tilt.
        reason: ``""`` when read; else ``"no lines"``, ``"few frames"``, ``"lines disagree"`` or ``"too little"``.
    """

    roll_deg: float
    n_frames: int = 0
    n_segments: int = 0
    inlier_share: float = math.nan
    support_frac: float = math.nan
    spread_deg: float = math.nan
    reason: str = ""


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    o = np.argsort(x, kind="stable")
    c = np.cumsum(w[o])
    return float(x[o][min(int(np.searchsorted(c, q * c[-1])), x.size - 1)])


def scene_roll_deg(
    lines_px: np.ndarray | None,
    width: int,
    *,
    near_deg: float = SCENE_NEAR_HORIZONTAL_DEG,
    min_frames: int = SCENE_MIN_FRAMES,
    inlier_deg: float = SCENE_INLIER_DEG,
    min_inlier_share: float = SCENE_MIN_INLIER_SHARE,
    min_support_frac: float = SCENE_MIN_SUPPORT_FRAC,
) -> SceneRollEstimate:
    """Camera roll from the room's straight lines: the length-weighted median tilt of the near-horizontal segments.

    Walls, rails, skirting boards and the wall/floor edge are level; a rolled camera turns them by its roll. The
    consensus is the length-weighted median over every sampled frame's segments (the camera stands still through a
    set); it is believed only when most of the voting length agrees with it within ``inlier_deg`` (lines of a wall
    seen at an angle, a slanted bench or a mirror's reflection tilt each their own way) and the agreeing lines are
    long enough in enough frames.

    Args:
        lines_px: ``(T, 2 * (N_HORIZONTAL + N_VERTICAL), 2)`` points of the ``scene_lines`` probe
            (:mod:`formcheck.probes.scene`; NaN on frames not sampled); None when the sequence has none.
        width: frame width in pixels.
        near_deg: segments within this of horizontal vote.
        min_frames: fewer sampled frames with a voting segment → can't tell.
        inlier_deg: agreement with the consensus.
        min_inlier_share: least share of the voting length that must agree.
        min_support_frac: least agreeing length per sampled frame (median over frames), share of the width.

    Returns:
        The :class:`SceneRollEstimate` (NaN roll with a reason when it can't tell).
    """
    from formcheck.probes.scene import N_HORIZONTAL, N_VERTICAL, split_scene_lines

    POINTS = 2 * (N_HORIZONTAL + N_VERTICAL)

    if lines_px is None or np.asarray(lines_px).shape[:1] == (0,) or np.asarray(lines_px).shape[1:] != (POINTS, 2):
        return SceneRollEstimate(math.nan, reason="no lines")
    hor, _ = split_scene_lines(lines_px)  # (T, N, 2, 2); verticals are not used (camera pitch, module docs)
    d = hor[:, :, 1] - hor[:, :, 0]
    with np.errstate(invalid="ignore"):
        length = np.hypot(d[..., 0], d[..., 1])
        # segments are stored left end first, so this is the tilt below image-right: the roll (y down)
        tilt = np.degrees(np.arctan2(d[..., 1], np.abs(d[..., 0])))
        vote = np.isfinite(length) & (length > 0) & (np.abs(tilt) <= near_deg)
    frames = np.flatnonzero(np.any(vote, axis=1))
    if frames.size == 0:
        return SceneRollEstimate(math.nan, reason="no lines")
    a, w = tilt[vote], length[vote]
    if frames.size < min_frames:
        return SceneRollEstimate(math.nan, int(frames.size), int(a.size), reason="few frames")
    med = _weighted_quantile(a, w, 0.5)
    inl = np.abs(a - med) <= inlier_deg
    share = float(w[inl].sum() / w.sum())
    agree_len = np.where(vote & (np.abs(tilt - med) <= inlier_deg), length, 0.0).sum(axis=1)[frames]
    support = float(np.median(agree_len) / float(width))
    spread = _weighted_quantile(a[inl], w[inl], 0.75) - _weighted_quantile(a[inl], w[inl], 0.25)
    reason = "lines disagree" if share < min_inlier_share else "too little" if support < min_support_frac else ""
    # the agreeing segments' own weighted median: the consensus without the outvoted lines' pull
    roll = _weighted_quantile(a[inl], w[inl], 0.5) if not reason else math.nan
    return SceneRollEstimate(roll, int(frames.size), int(a.size), share, support, spread, reason)


def combined_roll_deg(
    body_roll_deg: float,
    scene: SceneRollEstimate,
    *,
    agree_deg: float = SCENE_BODY_AGREE_DEG,
) -> tuple[float, str]:
    """The roll to undo from two independent readings: the scene's when it is read and the body line's (already
    less the standing lean, :func:`level_roll_deg`) agrees with it within ``agree_deg``; else the body line's.

    Returns:
        ``(roll_deg, source)`` with source ``"scene"`` or ``"body"`` (NaN roll: unknown).
    """
    if (
        math.isfinite(scene.roll_deg)
        and math.isfinite(body_roll_deg)
        and abs(scene.roll_deg - body_roll_deg) <= agree_deg
    ):
        return float(scene.roll_deg), "scene"
    return float(body_roll_deg), "body"


def level_roll_deg(
    est: RollEstimate,
    facing: float,
    azimuth_deg: float,
    *,
    lean_deg: float = STANDING_LEAN_DEG,
    max_spread_deg: float = ROLL_MAX_SPREAD_DEG,
) -> float:
    """The camera roll to undo: the body-line roll minus the standing body's forward lean.

    Args:
        est: :func:`camera_roll_deg` of the set.
        facing: +1 the person faces image-right, -1 image-left.
        azimuth_deg: camera azimuth from the body's front (90 side-on, 0 face-on); NaN is taken as side-on.
        lean_deg: forward lean of the standing body line in a side view.
        max_spread_deg: a per-frame tilt spread (IQR) above this means the straight standing frames disagree (the
            view changes, a one-leg stance): the roll is then unknown.

    Returns:
        Degrees (sign as :attr:`RollEstimate.roll_deg`), NaN when unknown or untrusted.
    """
    if not math.isfinite(est.roll_deg) or not (est.spread_deg <= max_spread_deg):
        return math.nan
    side_on = abs(math.sin(math.radians(azimuth_deg))) if math.isfinite(azimuth_deg) else 1.0
    return float(est.roll_deg - np.sign(facing) * lean_deg * side_on)


def rotate_px(xy: np.ndarray, angle_deg: float, centre: tuple[float, float]) -> np.ndarray:
    """Turn image points clockwise on the screen by ``angle_deg`` about ``centre`` (pixels, y down; NaN stays NaN).

    ``rotate_px(xy, -roll, c)`` levels a camera rolled by ``roll`` (see the module docstring for the sign).

    Args:
        xy: ``(..., 2)`` pixel points.
        angle_deg: degrees, > 0 clockwise as seen on the screen.
        centre: the fixed point ``(x, y)``.
    """
    p = np.asarray(xy, dtype=np.float64)
    if angle_deg == 0.0 or not math.isfinite(angle_deg):
        return p.copy()
    a = math.radians(angle_deg)
    c, s = math.cos(a), math.sin(a)
    cx, cy = centre
    x, y = p[..., 0] - cx, p[..., 1] - cy
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], axis=-1)


def px_per_cm(xy_px: np.ndarray, side: str, height_cm: float) -> float:
    """Image scale from the user's height and the median thigh + shank + trunk length in pixels.

    Segment lengths barely change with posture (unlike standing height), so this works on any frame where the
    body is in a side view. Returns NaN if the legs were never seen. (Moved from
    :mod:`formcheck.metrics.load_path` with identical numerics.)

    Args:
        xy_px: ``(T, 33, 2)`` pixel landmarks.
        side: ``"left"`` or ``"right"``: the leg to measure (the one nearer the camera).
        height_cm: the person's height.
    """
    p = np.asarray(xy_px, dtype=np.float64)
    pre = side.upper() + "_"
    hip, knee, ankle = (p[:, int(LM[pre + n])] for n in ("HIP", "KNEE", "ANKLE"))
    mid_sho = (p[:, LM.LEFT_SHOULDER] + p[:, LM.RIGHT_SHOULDER]) / 2.0
    mid_hip = (p[:, LM.LEFT_HIP] + p[:, LM.RIGHT_HIP]) / 2.0
    thigh = np.linalg.norm(knee - hip, axis=1)
    shank = np.linalg.norm(ankle - knee, axis=1)
    trunk = np.linalg.norm(mid_sho - mid_hip, axis=1)
    total = thigh + shank + trunk
    if not np.any(np.isfinite(total)):
        return math.nan
    # A high percentile: out-of-plane foreshortening only ever makes segments look shorter.
    return float(
        np.nanpercentile(total, 75) / ((THIGH_FRAC_OF_HEIGHT + SHANK_FRAC_OF_HEIGHT + TRUNK_FRAC_OF_HEIGHT) * height_cm)
    )


__all__ = [
    "BODY_STRAIGHT_MAX_DEG", "ROLL_CORRECT_MIN_DEG", "ROLL_CUE_DEG", "ROLL_MAX_SPREAD_DEG", "ROLL_MIN_FRAMES",
    "SCENE_BODY_AGREE_DEG", "SCENE_CORRECT_MIN_DEG", "SCENE_INLIER_DEG", "SCENE_MIN_FRAMES", "SCENE_MIN_INLIER_SHARE",
    "SCENE_MIN_SUPPORT_FRAC", "SCENE_NEAR_HORIZONTAL_DEG", "STANDING_LEAN_DEG", "RollEstimate", "SceneRollEstimate",
    "body_line_tilt_deg", "body_straight", "camera_roll_deg", "combined_roll_deg", "level_roll_deg", "px_per_cm",
    "rotate_px", "scene_roll_deg",
]  # fmt: skip
