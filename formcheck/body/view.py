"""Camera view (side / oblique / front), camera azimuth, facing direction and near side — one implementation.

The **view** comes from how wide the shoulders and hips look in the image relative to their true 3D width in the
world landmarks, both scaled by the trunk length (so the distance to the camera cancels): the ratio is about
``|cos azimuth|``, ~0 when the camera looks along the body's left-right axis (a side view) and ~1 face-on. A set's
view uses the 10th percentile of the per-frame ratio: a side view shows the pairs overlapping at least while the
person moves, even when the pose model spreads them apart while standing still (as it does for bulky figures); a
front view never does.

Two forms share every formula:

* batch: :func:`width_ratio` over ``(T, ...)`` arrays and :func:`estimate_view` for a whole set;
* incremental: :func:`width_ratio_frame` for one frame and :class:`ViewTracker`, which keeps bounded ring buffers
  of the per-frame values and whose :meth:`ViewTracker.result` equals :func:`estimate_view` on the same frames.

**Facing** (+1 the person faces image-right, -1 image-left) depends on the body position, because what points
"forward" does (see :func:`facing_rule`):

* standing, seated, unknown — ``"toes"``: the toes point forward (foot_index − heel), the nose ahead of the ears
  when the feet are not seen (:func:`formcheck.metrics.outline.facing_sign_px`, unchanged);
* kneeling — ``"face"``: the nose ahead of the ears (kneeling, the toes point backwards);
* quadruped, prone, supine, side-lying — ``"head"``: the side of the hips the head is on in the image (the
  trunk's cranial direction). On all fours or lying prone the toes point backwards, lying supine they point up,
  so the toe vote is wrong there; the head is always at the cranial end of the trunk.

The **near side** (the subject's side nearer the camera) is the side with the smaller MediaPipe image depth over
the shoulder, hip, knee and ankle; without depth, facing image-left means the left side is toward the camera.

Apparent width is measured horizontally in every position but side-lying: the body's left-right axis is
horizontal, a level camera shows it horizontal, and the vertical offset between the near and far shoulder in a
side view is perspective (a low camera looking down) and pose-model placement, not width. Lying on one side the
left-right axis is near vertical (shoulders and hips stacked), so there the width is the pairs' full image length.
For a horizontal trunk (lying, on all fours) the trunk's image length shortens too as the camera turns, so the
ratio is nearer ``tan`` than ``cos`` of the angle from side-on: "oblique" then starts at about 23° from side-on
and "front" at about 65°.

**Front or oblique** is not told by the width ratio but by MediaPipe's 3D estimate (:func:`world_azimuth_deg`:
how far the shoulder and hip pairs point out of the image plane in the world landmarks, whose axes are the
camera's; median over the set): face-on the ratio reads 0.87-0.95, not 1 (MediaPipe's world hips are wider, for
the trunk, than its image hips: the hips alone read about 0.8 face-on), so real front views read 26-30° and
"oblique"; the 3D estimate reads them 3-5° and the labelled oblique views 14-45°. A front view is one whose 3D
azimuth is at most :data:`FRONT_WORLD_MAX_AZ_DEG` (chosen leave-one-clip-out on the labelled real clips,
``scripts/measure_view.py --loo``). The same estimate vetoes a side reading it contradicts (3D azimuth under
:data:`SIDE_WORLD_MIN_AZ_DEG`, set a priori halfway): a side plank facing the camera whose trunk turns toward the
floor in part of the set (thread-the-needle) shows its pairs overlapping in those frames and read "side" from the
ratio alone. The side reading itself stays the ratio's: MediaPipe's depth is least sure side-on (rendered bulky
figures filmed side-on read 51-85° in 3D). Without world landmarks (a pose import) the ratio decides alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.body.position import Position
from formcheck.metrics.outline import facing_sign_px
from formcheck.types import LM

SIDE_VIEW_MIN_AZ_DEG = 67.0  # camera axis within ~23° of the body's side → "side"
FRONT_VIEW_MAX_AZ_DEG = 25.0
# A lying body (lying_view): the same boundary, as the camera's angle from side-on (raised or turned).
LYING_SIDE_MAX_DEG = 90.0 - SIDE_VIEW_MIN_AZ_DEG
# MediaPipe's 3D azimuth (world_azimuth_deg, set median) of a front view: real front clips read 3-5°, the nearest
# labelled oblique ones 14-16° (two lunges, a side plank); chosen leave-one-clip-out on the labelled real clips
# (scripts/measure_view.py --loo: the middle of the widest gap with fewest errors, 9.0-9.7° whichever clip is held
# out; every held-out clip but one read right: squat_front_tfjs_1, a "front" squat turned about 25-40° at 34°).
FRONT_WORLD_MAX_AZ_DEG = 9.5
# A side reading of the width ratio stands only if the 3D azimuth is at least this (a priori: nearer side-on than
# face-on). Side-labelled clips read 70-86° (real) and 51-85° (rendered); the face-on side plank 16°.
SIDE_WORLD_MIN_AZ_DEG = 45.0
VIEW_RATIO_PCT = 10  # percentile of the per-frame width ratio that decides a set's view (batch and stream)
SET_VIEW_RATIOS_KEPT = 18_000  # incremental: bounded memory for the set's view, 10 min at 30 fps
RECENT_FRAMES = 30  # incremental: the live setup check's short median (and live facing) over this many frames
FACING_VOTES_MAX = 200  # a set's facing is voted on about this many evenly spaced frames

FACING_RULES = ("toes", "face", "head")
_HEAD_RULE = frozenset({Position.QUADRUPED, Position.PRONE, Position.SUPINE, Position.SIDE_LYING})
_TRUNK4 = [int(LM.LEFT_SHOULDER), int(LM.RIGHT_SHOULDER), int(LM.LEFT_HIP), int(LM.RIGHT_HIP)]
_EARS = [int(LM.LEFT_EAR), int(LM.RIGHT_EAR)]
_HEAD = [int(LM.NOSE), *_EARS]
_LEFT_DEPTH = [int(i) for i in (LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE)]
_RIGHT_DEPTH = [int(i) for i in (LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE)]
# The points whose image x the facing votes read (facing_sign_px: feet, nose, ears; _face_sign, _head_sign: head,
# shoulders, hips): ViewTracker keeps them to vote by a rule only when that rule's votes are read.
_FEET = [int(i) for i in (LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX)]
_VOTE_POINTS = sorted({*_HEAD, *_TRUNK4, *_FEET})


@dataclass(frozen=True)
class ViewEstimate:
    """How the camera sees the person over a set.

    Attributes:
        view: ``"side"``, ``"oblique"``, ``"front"`` or ``"unknown"``.
        azimuth_deg: camera azimuth from the body's front (0 face-on, 90 side-on); NaN when unknown.
        facing_sign: +1 the person faces (or their head points) image-right, -1 image-left.
        facing_label: ``"right"`` / ``"left"`` (image direction), or ``"camera"`` / ``"away"`` in a front view.
        near_side: the subject's side nearer the camera, ``"left"`` or ``"right"``.
        width_ratio: the set's statistic (10th percentile of the apparent/true width ratio); NaN when unknown.
        facing_rule: which cue decided ``facing_sign``: ``"toes"``, ``"face"`` or ``"head"`` (see module docs).
        world_azimuth_deg: MediaPipe's 3D azimuth, the set's median of :func:`world_azimuth_deg`; NaN when unknown.
    """

    view: str
    azimuth_deg: float
    facing_sign: float
    facing_label: str
    near_side: str
    width_ratio: float = math.nan
    facing_rule: str = "toes"
    world_azimuth_deg: float = math.nan


def facing_rule(position: Position | str | None) -> str:
    """Which cue tells the facing direction in a body position (see the module docstring).

    Args:
        position: the set's position (a :class:`Position` or its value); None or unknown → ``"toes"``.
    """
    if position is None:
        return "toes"
    p = Position.parse(position)
    if p in _HEAD_RULE:
        return "head"
    if p is Position.KNEELING:
        return "face"
    return "toes"


def lateral_vertical(position: Position | str | None) -> bool:
    """Whether the body's left-right axis is near vertical in a position (side-lying; see :func:`width_ratio`)."""
    return position is not None and Position.parse(position) is Position.SIDE_LYING


def view_from_ratio(ratio: float) -> tuple[str, float]:
    """View label and camera azimuth (deg) from the apparent/true shoulder+hip width ratio (≈ |cos azimuth|).

    Returns:
        ``("side" | "oblique" | "front" | "unknown", azimuth_deg)``; NaN azimuth and ``"unknown"`` for a NaN ratio.
    """
    if not math.isfinite(ratio):
        return "unknown", math.nan
    az = math.degrees(math.acos(min(max(ratio, 0.0), 1.0)))
    if az >= SIDE_VIEW_MIN_AZ_DEG:
        return "side", az
    if az <= FRONT_VIEW_MAX_AZ_DEG:
        return "front", az
    return "oblique", az


def view_of(ratio: float, world_az_deg: float) -> tuple[str, float]:
    """A set's view and azimuth from its width ratio and its 3D azimuth (see the module docstring).

    The ratio reads side-on (:func:`view_from_ratio`) unless the 3D azimuth is under
    :data:`SIDE_WORLD_MIN_AZ_DEG`; otherwise the 3D azimuth tells front (at most :data:`FRONT_WORLD_MAX_AZ_DEG`)
    from oblique. The azimuth is the ratio's where its reading stands (side, oblique) and the 3D one where that
    decided (front, or a ratio reading it overruled). A NaN 3D azimuth leaves the ratio's reading.

    Args:
        ratio: the set's width ratio (:func:`set_ratio`).
        world_az_deg: the set's 3D azimuth (:func:`set_world_azimuth_deg`), degrees.

    Returns:
        ``("side" | "oblique" | "front" | "unknown", azimuth_deg)``.
    """
    view, az = view_from_ratio(ratio)
    if view == "unknown" or not math.isfinite(world_az_deg):
        return view, az
    if view == "side" and world_az_deg >= SIDE_WORLD_MIN_AZ_DEG:
        return view, az
    if world_az_deg <= FRONT_WORLD_MAX_AZ_DEG:
        return "front", world_az_deg
    return ("oblique", az) if view == "oblique" else ("oblique", world_az_deg)


def world_azimuth_deg(world: np.ndarray) -> np.ndarray:
    """Per-frame 3D azimuth: how far the shoulder and hip pairs point out of the image plane (0 face-on, 90 side-on).

    MediaPipe's world landmarks have the camera's axes (x right, y down, z away), so the angle between the pairs
    (their summed 3D lengths) and their summed x-y extent is the camera's angle from the body's front, in any body
    position (the pairs' direction is the body's left-right axis, standing or lying). It is MediaPipe's depth
    guess, least sure side-on (see the module docstring).

    Args:
        world: ``(T, 33, >=3)`` world landmarks, metres (NaN unknown).

    Returns:
        ``(T,)`` degrees; NaN where a landmark is unknown.
    """
    w = np.asarray(world, dtype=np.float64)[:, _TRUNK4, :3]
    d_sh, d_hip = w[:, 0] - w[:, 1], w[:, 2] - w[:, 3]
    in_plane = np.linalg.norm(d_sh[:, :2], axis=1) + np.linalg.norm(d_hip[:, :2], axis=1)
    full = np.linalg.norm(d_sh, axis=1) + np.linalg.norm(d_hip, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.degrees(np.arccos(np.clip(in_plane / full, 0.0, 1.0)))


def set_world_azimuth_deg(az_deg: np.ndarray) -> float:
    """A set's 3D azimuth: the median of the finite per-frame values (NaN if none)."""
    a = np.asarray(az_deg, dtype=np.float64)
    return float(np.nanmedian(a)) if np.any(np.isfinite(a)) else math.nan


def width_ratio(px: np.ndarray, world: np.ndarray, *, vertical: bool = False) -> np.ndarray:
    """Per-frame apparent/true shoulder+hip width ratio (≈ |cos azimuth|), both scaled by the trunk length.

    Args:
        px: ``(T, 33, 2)`` aspect-correct pixel landmarks (NaN unknown).
        world: ``(T, 33, >=3)`` world landmarks, metres.
        vertical: the left-right axis is near vertical (side-lying): measure the pairs' full image length instead
            of their horizontal extent (every other position; see the module docstring).

    Returns:
        ``(T,)`` ratio; NaN where a landmark is unknown (inf where the trunk has no image length).
    """
    # One gather of the four points (left/right shoulder, left/right hip) keeps this cheap on a single frame.
    q = np.asarray(px, dtype=np.float64)[:, _TRUNK4, :2]
    w = np.asarray(world, dtype=np.float64)[:, _TRUNK4, :3]
    trunk_px = np.linalg.norm((q[:, 0] + q[:, 1]) / 2 - (q[:, 2] + q[:, 3]) / 2, axis=1)
    if vertical:
        w_px = np.linalg.norm(q[:, 0] - q[:, 1], axis=1) + np.linalg.norm(q[:, 2] - q[:, 3], axis=1)
    else:
        w_px = np.abs(q[:, 0, 0] - q[:, 1, 0]) + np.abs(q[:, 2, 0] - q[:, 3, 0])
    trunk_m = np.linalg.norm((w[:, 0] + w[:, 1]) / 2 - (w[:, 2] + w[:, 3]) / 2, axis=1)
    w_m = np.linalg.norm(w[:, 0] - w[:, 1], axis=1) + np.linalg.norm(w[:, 2] - w[:, 3], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (w_px / trunk_px) / (w_m / trunk_m)


def width_ratio_frame(px: np.ndarray, world: np.ndarray, *, vertical: bool = False) -> float:
    """:func:`width_ratio` of one frame (``(33, 2)`` pixels, ``(33, >=3)`` world): the very same numbers."""
    return float(width_ratio(np.asarray(px)[None], np.asarray(world)[None], vertical=vertical)[0])


def hip_spread_ratio(px: np.ndarray, world: np.ndarray) -> np.ndarray:
    """Per-frame apparent/true hip width of a lying body, both scaled by the trunk length (see :func:`lying_view`).

    The apparent width is the hips' full image distance (any direction: a camera looking down on a lying body
    shows the left-right axis vertically in the image, one turned toward the head or feet horizontally).

    Args:
        px: ``(T, 33, 2)`` aspect-correct pixel landmarks (NaN unknown).
        world: ``(T, 33, >=3)`` world landmarks, metres.

    Returns:
        ``(T,)`` ratio, about ``sin`` of the camera's angle from side-on (more when the trunk is foreshortened);
        NaN where a landmark is unknown.
    """
    q = np.asarray(px, dtype=np.float64)[:, _TRUNK4, :2]
    w = np.asarray(world, dtype=np.float64)[:, _TRUNK4, :3]
    with np.errstate(invalid="ignore", divide="ignore"):
        hip_px = np.linalg.norm(q[:, 2] - q[:, 3], axis=1)
        trunk_px = np.linalg.norm((q[:, 0] + q[:, 1]) / 2 - (q[:, 2] + q[:, 3]) / 2, axis=1)
        hip_m = np.linalg.norm(w[:, 2] - w[:, 3], axis=1)
        trunk_m = np.linalg.norm((w[:, 0] + w[:, 1]) / 2 - (w[:, 2] + w[:, 3]) / 2, axis=1)
        return (hip_px / trunk_px) / (hip_m / trunk_m)


@dataclass(frozen=True)
class LyingView:
    """How far from side-on the camera sees a lying body (see :func:`lying_view`).

    Attributes:
        view: ``"side"``, ``"oblique"`` or ``"unknown"``.
        off_side_deg: the camera's angle from side-on (elevation above the floor or turn toward the head or feet,
            an upper bound when turned); NaN when unknown.
        ratio: the set's statistic (:data:`VIEW_RATIO_PCT` percentile of :func:`hip_spread_ratio`); NaN when unknown.
    """

    view: str
    off_side_deg: float
    ratio: float


def lying_view(px: np.ndarray, world: np.ndarray) -> LyingView:
    """Side or oblique camera for a lying (supine) body, from how far apart the two hips look.

    Seen exactly side-on, a lying body's hips overlap in the image. A camera raised above the floor (looking down
    at the body) or turned toward the head or the feet shows them apart: in an orthographic picture the hip axis
    keeps ``sin(angle from side-on)`` of its length, while the trunk keeps all of its length when the camera is
    raised and ``cos`` of it when turned, so the ratio of the two, over their true ratio, is ``sin`` of the angle
    (raised) or ``tan`` (turned). :func:`width_ratio` measures horizontally and so misses a raised camera entirely.
    The angle is read as ``asin`` of the ratio: exact for a raised camera, an overestimate for a turned one (a
    wrong safety cue is worse than none). The set's statistic is the same low percentile as the standing view's
    (a side view shows the hips overlapping at least while the body moves), and the boundary the same:
    ``"oblique"`` beyond :data:`LYING_SIDE_MAX_DEG` (90° − ``SIDE_VIEW_MIN_AZ_DEG`` = 23° from side-on, ratio
    0.39), set a priori, not fitted.

    Only the hips are used (chosen on the rendered clips of ``../shared/synthetic_floor``, not on the real ones):
    MediaPipe spreads a lying bulky figure's shoulders apart, so with them the rendered side-on bridges and dead
    bug read 0.34, 0.44 and 0.41 at the 10th percentile (two over the boundary), with the hips alone 0.34, 0.35 and
    0.24; and the hips are where the bridge's line is judged.

    Args:
        px: ``(T, 33, 2)`` aspect-correct pixel landmarks (NaN unknown).
        world: ``(T, 33, >=3)`` world landmarks, metres.
    """
    return _lying_view_of(hip_spread_ratio(px, world))


def _lying_view_of(ratios: np.ndarray) -> LyingView:
    """:func:`lying_view` from the per-frame hip-spread ratios (batch: the whole set; live: the frames kept)."""
    r = set_ratio(ratios)
    if not math.isfinite(r):
        return LyingView("unknown", math.nan, math.nan)
    off = math.degrees(math.asin(min(max(r, 0.0), 1.0)))
    return LyingView("oblique" if off > LYING_SIDE_MAX_DEG else "side", off, r)


def set_ratio(ratios: np.ndarray) -> float:
    """A set's width ratio: the :data:`VIEW_RATIO_PCT` percentile of the finite per-frame ratios (NaN if none)."""
    r = np.asarray(ratios, dtype=np.float64)
    return float(np.nanpercentile(r, VIEW_RATIO_PCT)) if np.any(np.isfinite(r)) else math.nan


def _nan_mean_x(px: np.ndarray, idx: list[int]) -> np.ndarray:
    """Per frame: mean image x of the known points among ``idx`` (NaN if none), ``(T, 33, 2)`` → ``(T,)``."""
    x = px[:, idx, 0]
    ok = np.isfinite(x)
    n = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.where(ok, x, 0.0).sum(axis=1) / n, np.nan)


def _sign(d: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(d) > 1e-6, np.sign(d), np.nan)


def _face_sign(px: np.ndarray) -> np.ndarray:
    """Per frame: +1 the nose is image-right of the ears, -1 left, NaN unknown (``(T, 33, 2)`` → ``(T,)``)."""
    return _sign(px[:, LM.NOSE, 0] - _nan_mean_x(px, _EARS))


def _head_sign(px: np.ndarray) -> np.ndarray:
    """Per frame: +1 the head is image-right of the hips, -1 left, NaN unknown (``(T, 33, 2)`` → ``(T,)``).

    The head is the mean of whichever of nose and ears are known, else the mid-shoulder; the hips are the
    mid-hip (or the one hip that is known).
    """
    head_x = _nan_mean_x(px, _HEAD)
    head_x = np.where(np.isfinite(head_x), head_x, _nan_mean_x(px, _TRUNK4[:2]))
    return _sign(head_x - _nan_mean_x(px, _TRUNK4[2:]))


def facing_votes(px: np.ndarray, rule: str) -> np.ndarray:
    """Per-frame facing signs (+1 image-right, -1 left, NaN unknown) by one rule, ``(T, 33, 2)`` → ``(T,)``."""
    px = np.asarray(px, dtype=np.float64)
    if rule == "toes":
        return np.array([facing_sign_px(px[i]) for i in range(px.shape[0])], dtype=np.float64)
    if rule == "face":
        return _face_sign(px)
    if rule == "head":
        return _head_sign(px)
    raise ValueError(f"facing rule must be one of {FACING_RULES}, not {rule!r}")


def _vote_indices(n: int) -> range:
    """The evenly spaced frames a set's facing is voted on (every frame up to 2 × FACING_VOTES_MAX)."""
    return range(0, n, max(1, n // FACING_VOTES_MAX))


def _facing_from_votes(votes: np.ndarray) -> float:
    fs = votes[np.isfinite(votes)]
    return float(np.sign(np.sum(fs))) if fs.size and np.sum(fs) != 0 else 1.0


def _near_side(dz: np.ndarray, facing: float) -> str:
    """Near side from left − right image depth samples (any shape), falling back on the facing direction."""
    dzm = float(np.nanmedian(dz)) if np.any(np.isfinite(dz)) else math.nan
    # Without depth, facing image-left means the left side is toward the camera (and vice versa).
    side_sign = dzm if math.isfinite(dzm) and dzm != 0 else facing
    return "left" if side_sign < 0 else "right"


def _facing_label(view: str, facing: float, nose_minus_ears_z: np.ndarray) -> str:
    """Image direction faced; in a front view toward the camera (nose nearer than the ears) or away."""
    if view != "front":
        return "right" if facing > 0 else "left"
    d = np.asarray(nose_minus_ears_z)
    dm = float(np.nanmedian(d)) if np.any(np.isfinite(d)) else math.nan
    return "camera" if (math.isfinite(dm) and dm < 0) else "away"


def _nose_minus_ears_z(image_z: np.ndarray) -> np.ndarray:
    return image_z[..., LM.NOSE] - (image_z[..., LM.LEFT_EAR] + image_z[..., LM.RIGHT_EAR]) / 2


def _depth_diff(image_z: np.ndarray) -> np.ndarray:
    return image_z[..., _LEFT_DEPTH] - image_z[..., _RIGHT_DEPTH]


def estimate_view(
    px: np.ndarray, world: np.ndarray, image_z: np.ndarray, position: Position | str | None = None
) -> ViewEstimate:
    """View, camera azimuth, facing and near side of a set.

    With ``position`` None (or standing) the result is the hinge analyzer's original estimate, number for number.

    Args:
        px: ``(T, 33, 2)`` smoothed pixel landmarks (NaN unknown).
        world: ``(T, 33, >=3)`` world landmarks, metres.
        image_z: ``(T, 33)`` MediaPipe image depth (near negative), NaN where the pixel landmark is unknown.
        position: the set's body position; chooses the facing rule and the apparent-width measure.

    Returns:
        The :class:`ViewEstimate`.
    """
    px = np.asarray(px, dtype=np.float64)
    image_z = np.asarray(image_z, dtype=np.float64)
    rule = facing_rule(position)
    r = set_ratio(width_ratio(px, world, vertical=lateral_vertical(position)))
    waz = set_world_azimuth_deg(world_azimuth_deg(world))
    view, az = view_of(r, waz)
    idx = _vote_indices(px.shape[0])
    facing = _facing_from_votes(facing_votes(px[idx.start : idx.stop : idx.step], rule))
    side = _near_side(_depth_diff(image_z), facing)
    label = _facing_label(view, facing, _nose_minus_ears_z(image_z))
    return ViewEstimate(view, az, facing, label, side, width_ratio=r, facing_rule=rule, world_azimuth_deg=waz)


class _Ring:
    """Fixed-capacity FIFO of rows (numpy), read back oldest first."""

    def __init__(self, capacity: int, width: int = 0) -> None:
        shape = (capacity,) if width == 0 else (capacity, width)
        self._a = np.full(shape, np.nan)
        self._n = 0  # rows ever pushed

    def push(self, row: float | np.ndarray) -> None:
        self._a[self._n % self._a.shape[0]] = row
        self._n += 1

    def __len__(self) -> int:
        return min(self._n, self._a.shape[0])

    def values(self) -> np.ndarray:
        cap = self._a.shape[0]
        if self._n <= cap:
            return self._a[: self._n]
        k = self._n % cap
        return np.concatenate([self._a[k:], self._a[:k]])

    def last(self, n: int) -> np.ndarray:
        return self.values()[-n:] if n > 0 else self._a[:0]


class ViewTracker:
    """Incremental :func:`estimate_view` with bounded memory (for live streams).

    Feed every frame (frames without a person too, as all-NaN arrays) with :meth:`update`. The tracker keeps the
    last ``capacity`` frames' per-frame values (width ratios both ways, the three facing votes, depth differences)
    in ring buffers, so :meth:`result` is the batch statistic over those frames: equal to :func:`estimate_view`
    on the same frames while the set is no longer than ``capacity``. :meth:`recent_ratio` is the short median
    the live setup check uses and :meth:`recent_facing` the live facing. A frame's facing vote by a rule is taken
    when it is first read (from the image x of the points the votes read, kept per frame): a set reads one rule
    (its position's) every frame, the other two only if its position changes, and :meth:`result` a sample.

    Args:
        capacity: frames kept for the set's result (default 10 min at 30 fps).
        recent: frames in the short live median.
    """

    def __init__(self, capacity: int = SET_VIEW_RATIOS_KEPT, recent: int = RECENT_FRAMES) -> None:
        self.capacity = int(capacity)
        self.recent = int(recent)
        self._ratio = {True: _Ring(self.capacity), False: _Ring(self.capacity)}
        # Facing votes by frame slot (frame k in slot k % capacity), each taken when first read (_votes_at).
        self._vote_x = np.full((self.capacity, len(_VOTE_POINTS)), np.nan)
        self._vote = {rule: np.full(self.capacity, np.nan) for rule in FACING_RULES}
        self._voted = {rule: np.zeros(self.capacity, dtype=bool) for rule in FACING_RULES}
        self._dz = _Ring(self.capacity, len(_LEFT_DEPTH))
        self._nose_z = _Ring(self.capacity)
        self._world_az = _Ring(self.capacity)
        self.n_frames = 0

    def update(self, px: np.ndarray, world: np.ndarray, image_z: np.ndarray) -> float:
        """Add one frame: ``(33, 2)`` pixels, ``(33, >=3)`` world, ``(33,)`` image depth (NaN where unknown).

        Returns:
            This frame's width ratio measured horizontally (NaN when unknown).
        """
        p = np.asarray(px, dtype=np.float64)[None]
        w = np.asarray(world, dtype=np.float64)[None]
        z = np.asarray(image_z, dtype=np.float64)[None]
        r_h = float(width_ratio(p, w, vertical=False)[0])
        self._ratio[False].push(r_h)
        self._ratio[True].push(float(width_ratio(p, w, vertical=True)[0]))
        slot = self.n_frames % self.capacity
        self._vote_x[slot] = p[0, _VOTE_POINTS, 0]
        for rule in FACING_RULES:
            self._voted[rule][slot] = False
        self._dz.push(_depth_diff(z)[0])
        self._nose_z.push(float(_nose_minus_ears_z(z)[0]))
        self._world_az.push(float(world_azimuth_deg(w)[0]))
        self.n_frames += 1
        return r_h

    def recent_ratio(self, vertical: bool = False) -> float:
        """Median of the finite width ratios among the last ``recent`` frames (NaN if none): the live check."""
        r = self._ratio[vertical].last(self.recent)
        r = r[np.isfinite(r)]
        return float(np.median(r)) if r.size else math.nan

    def recent_view(self, position: Position | str | None = None) -> str:
        """The set's view rule (:func:`view_of`) on the last ``recent`` frames (their median width ratio, across the
        body as :func:`lateral_vertical` says, and median 3D azimuth): a live check that follows a turn at once,
        where :meth:`view` averages the whole set. The width ratio alone cannot tell an oblique camera from a
        front one near the limit (an oblique lunge's recent ratio reads 0.84-0.93, about the front limit's 0.91);
        the 3D azimuth can, as it does for the set."""
        az = self._world_az.last(self.recent)
        az = az[np.isfinite(az)]
        return view_of(self.recent_ratio(lateral_vertical(position)), float(np.median(az)) if az.size else math.nan)[0]

    def _votes_at(self, rule: str, frames: range) -> np.ndarray:
        """The facing votes by ``rule`` of the given frames (indices since the first; still kept), oldest first.

        A vote not read before is taken now, by :func:`facing_votes` on that frame's points (the very numbers an
        update would have pushed).
        """
        vote, voted = self._vote[rule], self._voted[rule]
        slots = np.arange(frames.start, frames.stop, frames.step) % self.capacity
        for slot in slots[~voted[slots]]:
            p = np.full((1, 33, 2), np.nan)
            p[0, _VOTE_POINTS, 0] = self._vote_x[slot]
            vote[slot], voted[slot] = float(facing_votes(p, rule)[0]), True
        return vote[slots]

    def _kept(self) -> range:
        """The frames kept (indices since the first), oldest first."""
        return range(max(0, self.n_frames - self.capacity), self.n_frames)

    def recent_facing(self, position: Position | str | None = None) -> float:
        """Facing over the last ``recent`` frames: the sign of the votes' sum, +1 when they cancel or are absent."""
        kept = self._kept()
        return _facing_from_votes(
            self._votes_at(facing_rule(position), kept[-self.recent :] if self.recent > 0 else kept[:0])
        )

    def view(self, position: Position | str | None = None) -> str:
        """:meth:`result`'s ``view`` alone: the live label, re-read a few times a second, needs neither the facing
        vote nor the near side (medians over every frame kept: they grow with the set)."""
        r = set_ratio(self._ratio[lateral_vertical(position)].values())
        return view_of(r, set_world_azimuth_deg(self._world_az.values()))[0]

    def result(self, position: Position | str | None = None) -> ViewEstimate:
        """The set's view over the frames kept (see :func:`estimate_view`; same rules, same numbers)."""
        rule = facing_rule(position)
        r = set_ratio(self._ratio[lateral_vertical(position)].values())
        waz = set_world_azimuth_deg(self._world_az.values())
        view, az = view_of(r, waz)
        kept = self._kept()
        idx = _vote_indices(len(kept))
        facing = _facing_from_votes(self._votes_at(rule, kept[idx.start : idx.stop : idx.step]))
        side = _near_side(self._dz.values(), facing)
        label = _facing_label(view, facing, self._nose_z.values())
        return ViewEstimate(view, az, facing, label, side, width_ratio=r, facing_rule=rule, world_azimuth_deg=waz)


class LyingViewTracker:
    """Incremental :func:`lying_view` with bounded memory (for live streams), as :class:`ViewTracker` is for
    :func:`estimate_view`: the last ``capacity`` frames' hip-spread ratios in a ring buffer, so :meth:`result` is
    the batch statistic over those frames (equal to :func:`lying_view` while the set is no longer than ``capacity``).
    """

    def __init__(self, capacity: int = SET_VIEW_RATIOS_KEPT) -> None:
        self._ratio = _Ring(int(capacity))

    def update(self, px: np.ndarray, world: np.ndarray) -> None:
        """Add one frame: ``(33, 2)`` aspect-correct pixels, ``(33, >=3)`` world (NaN where unknown)."""
        self._ratio.push(float(hip_spread_ratio(np.asarray(px)[None], np.asarray(world)[None])[0]))

    def result(self) -> LyingView:
        """The camera's angle from side-on over the frames kept (see :func:`lying_view`; same rules, same numbers)."""
        return _lying_view_of(self._ratio.values())


__all__ = [
    "FACING_RULES", "FRONT_VIEW_MAX_AZ_DEG", "FRONT_WORLD_MAX_AZ_DEG", "LYING_SIDE_MAX_DEG", "RECENT_FRAMES",
    "SET_VIEW_RATIOS_KEPT", "SIDE_VIEW_MIN_AZ_DEG", "SIDE_WORLD_MIN_AZ_DEG", "VIEW_RATIO_PCT", "LyingView",
    "LyingViewTracker", "ViewEstimate", "ViewTracker", "estimate_view", "facing_rule", "facing_votes",
    "hip_spread_ratio", "lateral_vertical", "lying_view", "set_ratio", "set_world_azimuth_deg", "view_from_ratio",
    "view_of", "width_ratio", "width_ratio_frame", "world_azimuth_deg",
]  # fmt: skip
