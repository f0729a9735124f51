"""Core data types: frozen dataclasses with shape validation.

Conventions (hold everywhere in the package):

* Missing landmarks are NaN, never 0.
* ``PoseSequence.landmarks`` are MediaPipe *image* landmarks: x in [0, 1] of the frame width, y in [0, 1] of the
  frame height (y down), z relative depth (roughly the scale of x), then visibility in [0, 1].
  Use :meth:`PoseSequence.xy_px` for aspect-correct pixel coordinates before measuring angles.
* ``PoseSequence.world`` are MediaPipe *world* landmarks: metres, origin between the hips, y down, then visibility.
* Image and world coordinates are never mixed: functions take one or the other and say which in their names.
* Units are in field names (``_s``, ``_deg``, ``_cm``, ``_pct``, ``_px``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from enum import IntEnum
from typing import Any, ClassVar

import numpy as np

N_LANDMARKS = 33
SCHEMA = "formcheck.analysis/2"
# Versions Analysis.from_json_dict reads: v1 (saved files and history rows from before holds and sides) and v2.
SCHEMAS_READ = ("formcheck.analysis/1", SCHEMA)
SIDES = ("left", "right", None)  # Rep.side / Hold.side: the subject's side that moved or is held; None = both


class LM(IntEnum):
    """MediaPipe BlazePose landmark indices."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


# Skeleton edges for drawing (same topology as MediaPipe's POSE_CONNECTIONS, body only, no face mesh).
POSE_CONNECTIONS: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16),
    (11, 23), (12, 24), (23, 24),
    (23, 25), (25, 27), (27, 29), (29, 31), (27, 31),
    (24, 26), (26, 28), (28, 30), (30, 32), (28, 32),
    (0, 7), (0, 8),
)  # fmt: skip


def side_indices(side: str) -> dict[str, int]:
    """Landmark indices of one body side.

    Args:
        side: ``"left"`` or ``"right"`` (the subject's side, not the image side).

    Returns:
        Mapping from joint name (``ear``, ``shoulder``, ``elbow``, ``wrist``, ``hip``, ``knee``, ``ankle``,
        ``heel``, ``foot_index``) to landmark index.
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    p = "LEFT_" if side == "left" else "RIGHT_"
    names = ("ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel", "foot_index")
    return {n: int(LM[p + n.upper()]) for n in names}


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.setflags(write=False)
    return a


class _Unset:
    """Marker for "keyword not given" where None means something."""

    def __repr__(self) -> str:
        return "<unset>"


_UNSET: Any = _Unset()


class FrozenMap(Mapping):
    """A read-only dict (unlike ``types.MappingProxyType`` it pickles and deep-copies: Streamlit state, processes)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(self._data)


@dataclass(frozen=True)
class VideoInfo:
    """What we know about the source of a pose sequence."""

    path: str
    width: int
    height: int
    fps: float
    n_frames: int
    duration_s: float
    rotation_deg: int = 0
    codec: str = ""
    source: str = "file"  # "file" | "webcam" | "synthetic"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# init=False: the constructor also takes ``back_contour_px``, which is not a field (it aliases a probe), and a
# dataclass-made __init__ would need it as an InitVar, which dataclasses.replace refills from the old object and so
# would undo ``replace(seq, probes=...)``.
@dataclass(frozen=True, eq=False, init=False)
class PoseSequence:
    """Pose landmarks over time for one person.

    Attributes:
        landmarks: ``(T, 33, 4)`` float image landmarks (x, y normalised to frame size; z; visibility). NaN rows
            where nobody was found.
        world: ``(T, 33, 4)`` float world landmarks in metres (hip-centred, y down) plus visibility; NaN likewise.
        t_s: ``(T,)`` strictly increasing timestamps in seconds (from the container, not frame index guesses).
        width: frame width in pixels (after rotation).
        height: frame height in pixels (after rotation).
        back_contour_px: read-only alias of ``probes["dorsal_outline"]`` (None without it): ``(T, K, 2)`` pixel
            points of the dorsal (back-side) body outline between hip and shoulder level, ordered hip → shoulder;
            NaN where unavailable. Still accepted by the constructor (and ``dataclasses.replace``): an array sets
            that probe, an explicit None removes it (and its version).
        n_people: optional ``(T,)`` number of people the detector saw per frame.
        video: optional source description.
        model_sha256: sha256 of the pose model that produced the landmarks (for caches).
        probes: mask-probe points by probe name (:mod:`formcheck.probes`), each ``(T, K, 2)`` full-frame pixels,
            NaN where unavailable; read-only.
        probe_versions: version of the probe that made each entry of ``probes`` (a subset of its keys; missing
            when unknown, e.g. synthetic data or a pose file from before probes were versioned).
    """

    # The probe that back_contour_px aliases (formcheck.probes.DORSAL_OUTLINE).
    BACK_CONTOUR_PROBE: ClassVar[str] = "dorsal_outline"

    landmarks: np.ndarray
    world: np.ndarray
    t_s: np.ndarray
    width: int
    height: int
    n_people: np.ndarray | None = None
    video: VideoInfo | None = None
    model_sha256: str = ""
    probes: Mapping[str, np.ndarray] = field(default_factory=dict)
    probe_versions: Mapping[str, int] = field(default_factory=dict)

    def __init__(
        self,
        landmarks: np.ndarray,
        world: np.ndarray,
        t_s: np.ndarray,
        width: int,
        height: int,
        back_contour_px: np.ndarray | None = _UNSET,  # in its old place: callers pass the first six positionally
        n_people: np.ndarray | None = None,
        video: VideoInfo | None = None,
        model_sha256: str = "",
        *,
        probes: Mapping[str, np.ndarray] | None = None,
        probe_versions: Mapping[str, int] | None = None,
    ) -> None:
        """Validate and freeze; ``back_contour_px`` given (array or None) wins over ``probes["dorsal_outline"]``."""
        for name, value in (
            ("landmarks", landmarks),
            ("world", world),
            ("t_s", t_s),
            ("width", width),
            ("height", height),
            ("n_people", n_people),
            ("video", video),
            ("model_sha256", model_sha256),
            ("probes", probes),
            ("probe_versions", probe_versions),
        ):
            object.__setattr__(self, name, value)
        self._validate(back_contour_px)

    def _validate(self, back_contour_px: np.ndarray | None) -> None:
        lm = np.asarray(self.landmarks, dtype=np.float64)
        wd = np.asarray(self.world, dtype=np.float64)
        t = np.asarray(self.t_s, dtype=np.float64)
        if lm.ndim != 3 or lm.shape[1:] != (N_LANDMARKS, 4):
            raise ValueError(f"landmarks must be (T, 33, 4), got {lm.shape}")
        if wd.shape != lm.shape:
            raise ValueError(f"world must match landmarks {lm.shape}, got {wd.shape}")
        if t.shape != (lm.shape[0],):
            raise ValueError(f"t_s must be ({lm.shape[0]},), got {t.shape}")
        if t.size > 1 and not np.all(np.diff(t) > 0):
            raise ValueError("t_s must be strictly increasing")
        if self.width <= 0 or self.height <= 0:
            raise ValueError("width and height must be positive")
        object.__setattr__(self, "landmarks", _readonly(lm))
        object.__setattr__(self, "world", _readonly(wd))
        object.__setattr__(self, "t_s", _readonly(t))
        probes = dict(self.probes or {})
        versions = dict(self.probe_versions or {})
        # An explicit None removes the back outline (dataclasses.replace(seq, back_contour_px=None) must work).
        if back_contour_px is None:
            probes.pop(self.BACK_CONTOUR_PROBE, None)
            versions.pop(self.BACK_CONTOUR_PROBE, None)
        elif back_contour_px is not _UNSET:
            probes[self.BACK_CONTOUR_PROBE] = back_contour_px
        for name, pts in probes.items():
            a = np.asarray(pts, dtype=np.float64)
            if a.ndim != 3 or a.shape[0] != lm.shape[0] or a.shape[2] != 2:
                what = "back_contour_px" if name == self.BACK_CONTOUR_PROBE else f"probes[{name!r}]"
                raise ValueError(f"{what} must be (T, K, 2) with T={lm.shape[0]}, got {a.shape}")
            probes[name] = _readonly(a)
        for name, v in versions.items():
            if name not in probes:
                raise ValueError(f"probe_versions has {name!r}, which is not in probes")
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
                raise ValueError(f"probe_versions[{name!r}] must be an int >= 1, got {v!r}")
            versions[name] = int(v)
        object.__setattr__(self, "probes", FrozenMap(probes))
        object.__setattr__(self, "probe_versions", FrozenMap(versions))
        if self.n_people is not None:
            n = np.asarray(self.n_people, dtype=np.int16)
            if n.shape != (lm.shape[0],):
                raise ValueError("n_people must be (T,)")
            object.__setattr__(self, "n_people", _readonly(n))

    @property
    def back_contour_px(self) -> np.ndarray | None:
        """``probes["dorsal_outline"]``: ``(T, K, 2)`` back outline, hip → shoulder, pixels; None without it."""
        return self.probes.get(self.BACK_CONTOUR_PROBE)

    @property
    def n_frames(self) -> int:
        return int(self.landmarks.shape[0])

    @property
    def fps(self) -> float:
        """Median frame rate from the timestamps (NaN for fewer than two frames)."""
        if self.n_frames < 2:
            return math.nan
        return float(1.0 / np.median(np.diff(self.t_s)))

    @property
    def present(self) -> np.ndarray:
        """``(T,)`` bool: a person was found in the frame."""
        return ~np.isnan(self.landmarks[:, 0, 0])

    def xy_px(self) -> np.ndarray:
        """``(T, 33, 2)`` aspect-correct pixel coordinates (x right, y down) of the image landmarks."""
        return self.landmarks[:, :, :2] * np.array([self.width, self.height], dtype=np.float64)

    def visibility(self) -> np.ndarray:
        """``(T, 33)`` landmark visibility in [0, 1] (NaN where no person)."""
        return self.landmarks[:, :, 3]

    def slice(self, start: int, stop: int) -> PoseSequence:
        """Frames ``start:stop`` as a new sequence."""
        sl = slice(start, stop)
        return PoseSequence(
            landmarks=self.landmarks[sl],
            world=self.world[sl],
            t_s=self.t_s[sl],
            width=self.width,
            height=self.height,
            n_people=None if self.n_people is None else self.n_people[sl],
            video=self.video,
            model_sha256=self.model_sha256,
            probes={k: v[sl] for k, v in self.probes.items()},
            probe_versions=self.probe_versions,
        )


@dataclass(frozen=True)
class PoseFrame:
    """One frame's pose result (live or file), before it joins a sequence.

    Attributes:
        t_s: timestamp in seconds.
        landmarks: ``(33, 4)`` image landmarks or all-NaN.
        world: ``(33, 4)`` world landmarks or all-NaN.
        n_people: number of people detected.
        mask: optional ``(H, W)`` float32 segmentation mask in [0, 1] of the first person.
    """

    t_s: float
    landmarks: np.ndarray
    world: np.ndarray
    n_people: int = 0
    mask: np.ndarray | None = None

    @property
    def present(self) -> bool:
        return not bool(np.isnan(self.landmarks[0, 0]))


@dataclass(frozen=True)
class Rep:
    """One repetition with its timing and measurements.

    Times are seconds from the start of the video/stream. ``metrics`` carries the exercise-specific numbers,
    each named with its unit (``spine_flexion_est_deg``, ``hip_share``, ``com_max_pct_foot`` …).

    ``side`` is the body side that moved (``"left"``/``"right"``) for exercises done one side at a time
    (bird-dog, dead bug, alternating lunges), None when both sides move together. ``hold_s`` is the time held at
    the target for reps with a hold (the bird-dog reach), NaN when the exercise has no hold.
    """

    index: int  # 1-based
    start_s: float
    bottom_s: float
    end_s: float
    eccentric_s: float
    bottom_pause_s: float
    concentric_s: float
    top_pause_s: float
    time_under_tension_s: float
    rom_deg: float
    classification: str = ""  # e.g. "hinge" | "squat_like" | "stoop" for the hinge family
    metrics: Mapping[str, float | str | None] = field(default_factory=dict)
    # Last, with defaults: callers construct Rep positionally.
    side: str | None = None
    hold_s: float = math.nan

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"Rep.side must be one of {SIDES}, not {self.side!r}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["metrics"] = {k: _json_value(v) for k, v in dict(self.metrics).items()}
        return {k: _json_value(v) if k != "metrics" else v for k, v in d.items()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Rep:
        """Inverse of :meth:`to_dict`: null numbers back to NaN; v1 rows (no ``side``/``hold_s``) get the defaults.

        Keys this version does not know are ignored (the schema allows adding keys within a version).
        """
        known = {f for f in cls.__dataclass_fields__}
        kw = {k: v for k, v in d.items() if k in known}
        for k, v in kw.items():
            if v is None and k not in _REP_NULLABLE:
                kw[k] = math.nan
        for k in REP_DURATIONS:  # a saved set from before phases were checked: a negative time is unknown
            if k in kw:
                kw[k] = duration_or_nan(kw[k])
        kw["metrics"] = dict(kw.get("metrics") or {})
        return cls(**kw)


_REP_NULLABLE = ("metrics", "side", "classification")  # JSON nulls kept as None (the rest are numbers: NaN)
# Durations, never negative. Older versions could save a fitted lowering that ended before its window as a negative
# phase ("that one took -0.5 s"); it is read back as unknown (NaN), as the analysis gives it today.
REP_DURATIONS = ("eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s", "time_under_tension_s", "hold_s")


def duration_or_nan(x: Any) -> Any:
    """A saved duration as it is, but a negative number as NaN (unknown): what :data:`REP_DURATIONS` read back as,
    from a JSON document and from the history database alike."""
    return math.nan if isinstance(x, (int, float)) and not isinstance(x, bool) and x < 0 else x


@dataclass(frozen=True)
class Break:
    """A time out of the target band inside a hold, long enough to count (short wobbles are not breaks).

    Only the two times are stored; ``duration_s`` is derived so the three can never disagree.
    """

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_s": _json_value(self.start_s),
            "end_s": _json_value(self.end_s),
            "duration_s": _json_value(self.duration_s),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Break:
        return cls(start_s=_num(d.get("start_s")), end_s=_num(d.get("end_s")))


@dataclass(frozen=True)
class Hold:
    """One held position (plank, side plank, a held bridge): a time inside the exercise's target band.

    Attributes:
        index: 1-based, in time order.
        start_s: the signal entered the band (and stayed, apart from excursions shorter than the end gap).
        end_s: last time in the band before it left for good (longer than the end gap, or the set ended).
        in_band_s: time actually inside the band between start and end (every excursion excluded, also the
            short wobbles that are not breaks); ``duration_s`` (= end − start) is derived.
        breaks: excursions out of the band (or out of view) long enough to count, in time order.
        side: the side held (``"left"``/``"right"``: a side plank on the left forearm), None for both.
        metrics: exercise-specific numbers over the hold, named with units (like :attr:`Rep.metrics`).
    """

    index: int
    start_s: float
    end_s: float
    in_band_s: float
    breaks: tuple[Break, ...] = ()
    side: str | None = None
    metrics: Mapping[str, float | str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"Hold.side must be one of {SIDES}, not {self.side!r}")
        object.__setattr__(self, "breaks", tuple(self.breaks))

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def in_band_frac(self) -> float:
        """Share of the hold spent inside the band (NaN for a zero-length hold)."""
        return self.in_band_s / self.duration_s if self.duration_s > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start_s": _json_value(self.start_s),
            "end_s": _json_value(self.end_s),
            "duration_s": _json_value(self.duration_s),
            "in_band_s": _json_value(self.in_band_s),
            "breaks": [b.to_dict() for b in self.breaks],
            "side": self.side,
            "metrics": {k: _json_value(v) for k, v in dict(self.metrics).items()},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Hold:
        """Inverse of :meth:`to_dict` (``duration_s`` is derived, so it is not read back)."""
        return cls(
            index=int(d["index"]),
            start_s=_num(d.get("start_s")),
            end_s=_num(d.get("end_s")),
            in_band_s=_num(d.get("in_band_s")),
            breaks=tuple(Break.from_dict(b) for b in d.get("breaks") or ()),
            side=d.get("side"),
            metrics=dict(d.get("metrics") or {}),
        )


@dataclass(frozen=True)
class Cue:
    """One correction (or praise) for the user.

    Attributes:
        code: stable identifier, e.g. ``spine.rounding``, ``load.toes``, ``tempo.eccentric_fast``, ``praise.clean``.
        severity: ``"safety"`` | ``"warn"`` | ``"info"`` | ``"praise"``.
        message: imperative sentence with a small magnitude in human units.
        priority: lower is more important (safety first).
        metric: name of the metric that triggered it (with unit suffix).
        value: measured value.
        threshold: threshold it was compared with.
        rep_index: 1-based rep it refers to, or None for a hold's cue (placed by ``t_s``), a set-level or a
            live/in-rep cue.
        t_s: time it applies at, seconds.
    """

    code: str
    severity: str
    message: str
    priority: int = 50
    metric: str = ""
    value: float | None = None
    threshold: float | None = None
    rep_index: int | None = None
    t_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: _json_value(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Quality:
    """How trustworthy the view and tracking are."""

    view: str = "unknown"  # "side" | "front" | "oblique" | "unknown"
    facing: str = "unknown"  # "left" | "right" (image direction the subject faces) | "camera" | "away" | "unknown"
    side_used: str = "unknown"  # subject side nearer the camera: "left" | "right"
    frames_total: int = 0
    person_fraction: float = 0.0
    full_body_fraction: float = 0.0
    multi_person_fraction: float = 0.0
    mean_visibility: float = math.nan
    warnings: tuple[str, ...] = ()
    position: str = "unknown"  # body position of the set (formcheck.body.position.Position value)
    position_confidence: float = 0.0  # share of the frames that showed it (0 when unknown)
    load_unknown: bool = False  # the hands seemed to hold a weight that was not entered (load cues held back)
    # The hands hung low, where a held weight would be, and no load was entered: the cues such a weight would make
    # wrong (CueRule.wrong_if_weight_in_front: "sat back on the heels") are held back.
    hands_low: bool = False
    # Another exercise that recognition is confident the set shows (formcheck.recognize.contradicts), when the user
    # named one it is not: its form and tempo verdicts are withheld like a wrong position's. "" = none (or unchecked).
    recognised_as: str = ""
    recognised_confidence: float = 0.0  # recognition's confidence in ``recognised_as`` (0 when none)

    def to_dict(self) -> dict[str, Any]:
        d = {k: _json_value(v) for k, v in asdict(self).items()}
        d["warnings"] = list(self.warnings)
        return d


@dataclass(frozen=True, eq=False)
class Analysis:
    """Result of analysing one set: reps, cues, quality and the per-frame series used for plots.

    ``series`` maps a name with unit (``t_s``, ``hip_flexion_deg``, ``trunk_inclination_deg``,
    ``spine_flexion_est_deg``, ``com_pct_foot`` …) to a ``(T,)`` float array (NaN where unknown).
    ``holds`` are the held positions of a hold exercise (plank), in time order; empty for rep exercises.
    """

    exercise: str
    reps: tuple[Rep, ...]
    cues: tuple[Cue, ...]
    quality: Quality
    series: Mapping[str, np.ndarray] = field(default_factory=dict)
    video: VideoInfo | None = None
    summary: Mapping[str, Any] = field(default_factory=dict)
    limits: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    holds: tuple[Hold, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "holds", tuple(self.holds))
        lengths = {k: np.asarray(v).shape for k, v in self.series.items()}
        if len({s for s in lengths.values()}) > 1:
            raise ValueError(f"series must share one length, got {lengths}")

    def to_json_dict(self, *, include_series: bool = True) -> dict[str, Any]:
        """The documented JSON contract (schema ``formcheck.analysis/2``, docs/analysis_schema.md)."""
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "video": self.video.to_dict() if self.video else None,
            "exercise": self.exercise,
            "reps": [r.to_dict() for r in self.reps],
            "holds": [h.to_dict() for h in self.holds],
            "cues": [c.to_dict() for c in self.cues],
            "quality": self.quality.to_dict(),
            "summary": {k: _json_value(v) for k, v in dict(self.summary).items()},
            "limits": list(self.limits),
            "settings": {k: _json_value(v) for k, v in dict(self.settings).items()},
        }
        if include_series:
            d["series"] = {k: [_json_value(x) for x in np.asarray(v).tolist()] for k, v in self.series.items()}
        elif "frame_interval_s" not in d["summary"]:
            # Without the series a document would lose the set's frame interval (a live set has no video fps), and
            # with it the tempo cues' one-frame allowance: a saved set re-judged later would cue what live did not.
            d["summary"]["frame_interval_s"] = _json_value(self.frame_interval_s())
        return d

    def frame_interval_s(self) -> float:
        """One frame interval of the set, seconds: the median step of its own timestamps (series ``t_s``), else the
        one recorded when the series were left out of a saved document (summary ``frame_interval_s``), else one
        over its video's frame rate; NaN when none is known. Phase times are counted in frames, so this is the
        precision of its tempo."""
        t = np.asarray(dict(self.series).get("t_s", ()), dtype=np.float64)
        steps = np.diff(t[np.isfinite(t)])
        steps = steps[steps > 0]
        if steps.size:
            return float(np.median(steps))
        saved = dict(self.summary).get("frame_interval_s")
        if isinstance(saved, int | float) and math.isfinite(saved) and saved > 0:
            return float(saved)
        fps = float(getattr(self.video, "fps", math.nan) or math.nan)
        return 1.0 / fps if math.isfinite(fps) and fps > 0 else math.nan

    @classmethod
    def from_json_dict(cls, d: Mapping[str, Any]) -> Analysis:
        """Inverse of :meth:`to_json_dict` (NaN restored from nulls).

        Reads every version in :data:`SCHEMAS_READ`: a v1 document (saved before holds and sides existed) has
        no ``holds`` and no per-rep ``side``/``hold_s``, which read as no holds, None and NaN.
        """
        if d.get("schema") not in SCHEMAS_READ:
            raise ValueError(f"not a formcheck analysis document {SCHEMAS_READ} (schema={d.get('schema')!r})")
        video = VideoInfo(**d["video"]) if d.get("video") else None
        reps = tuple(Rep.from_dict(r) for r in d["reps"])
        holds = tuple(Hold.from_dict(h) for h in d.get("holds") or ())
        cues = tuple(Cue(**c) for c in d["cues"])
        q = dict(d["quality"])
        q["warnings"] = tuple(q.get("warnings", ()))
        known = {f.name for f in fields(Quality)}  # a newer writer's extra keys are not an error here
        q = {k: (math.nan if v is None else v) for k, v in q.items() if k in known}
        series = {
            k: np.array([math.nan if x is None else x for x in v], dtype=np.float64)
            for k, v in d.get("series", {}).items()
        }
        return cls(
            exercise=d["exercise"],
            reps=reps,
            cues=cues,
            quality=Quality(**q),
            series=series,
            video=video,
            summary=d.get("summary", {}),
            limits=tuple(d.get("limits", ())),
            settings=d.get("settings", {}),
            holds=holds,
        )


def _num(v: Any) -> float:
    """A JSON number back to float (null → NaN)."""
    return math.nan if v is None else float(v)


def _json_value(v: Any) -> Any:
    """NaN/inf → None and numpy scalars → Python, so json.dumps emits valid JSON."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, tuple):
        return [_json_value(x) for x in v]
    return v
