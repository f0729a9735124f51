"""One generic stream runner: frame-by-frame analysis with bounded memory for every exercise.

The runner owns what every live exercise needs: the landmark buffer (last ``buffer_s`` seconds), presence and
whole-body checks, the view (:class:`formcheck.body.view.ViewTracker`, the batch statistic incrementally), the
setup check, a causal One-Euro filter for the display, the streaming rep detector, uniform resampling of the
buffer when frames were dropped, re-analysis of each finished rep with the exercise's *batch* code (so live reps
carry the same numbers as a file analysis of the same frames), phase tracking, the recorded series and the set's
quality. The exercise supplies a small :class:`LiveModel`: its depth signal, its live values (computed by the
same vectorised feature functions as its batch path, on the newest frame with references from standing frames
kept here) and the re-analysis of a rep window.

The runner drives the exercise's rep strategy (:mod:`formcheck.engine.repstrategies`, chosen by its ``kind``):

* ``cyclic``: ``strategy.detector(resolve=False)`` only says that a rep ended; the rep itself is the batch code's
  (``model.analyze_rep`` on the buffered frames). When the set ends, the rep in progress is re-analysed too and
  counts if the batch code counts it on the frames seen (:meth:`ExerciseStream._flush_cyclic`). A model with
  ``held_top`` also reports each rep's top as a hold and the limb movements counted during it (a bridge held
  while marching: the marches become the set's reps, the tops its holds, as in its batch analysis).
* ``alternating``: ``strategy.stream()`` fed the ``(left, right)`` depth pair emits single-side rep windows (their
  ``side`` set); each is re-analysed with ``model.analyze_rep`` like a cyclic rep (the model returns the rep of
  that side, ``side`` set). A model without ``analyze_rep`` gets the window's own phase times instead
  (:meth:`ExerciseStream._window_rep`).
* ``hold``: ``strategy.stream()`` emits hold windows (:class:`~formcheck.engine.repstrategies.HoldWindow`),
  turned into :class:`~formcheck.types.Hold` items with the metrics of the optional ``model.hold_metrics`` (from
  the live values recorded over the hold: a hold may outlast the landmark buffer); the hold in progress is in the
  live values (``hold_elapsed_s``, ``hold_in_band_s``) and the phase is ``hold`` while it is inside the band.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections import deque
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from formcheck.body.clean import BODY, clearly_in_view, whole_body_in_view
from formcheck.body.hands import HandsTally
from formcheck.body.position import position_of_labels, position_per_frame
from formcheck.body.sanity import LiveJumpGate
from formcheck.body.view import ViewTracker, lateral_vertical
from formcheck.config import Config
from formcheck.engine.protocol import LiveState
from formcheck.engine.quality import position_mismatch, position_words, set_quality, with_position, without_classes
from formcheck.engine.repstrategies import HoldWindow
from formcheck.engine.spec import ExerciseSpec
from formcheck.engine.timed import TimedValues
from formcheck.reps import CUT_RISING_FRAC, RepWindow
from formcheck.signal import OneEuroFilter, resample_uniform
from formcheck.types import LM, Analysis, Hold, PoseSequence, Rep

LIVE_SIDE_MAX_RATIO = 0.75  # live setup check: apparent/true width ratio above this → "turn side-on"
PHASE_SEEN_MARGIN_S = 0.5  # a phase time needs the movement seen from this long before it to this long after
# (the minimum-jerk fit needs part of the still plateau on each side; a fit that starts at a hole has none)
PHASE_RATE_DEG_S = 8.0  # depth changing faster than this (deg/s) is lowering or rising
POSITION_EVERY_S = 1.0  # the set's body position is re-read from the frame labels this often
POSITION_LABEL_EVERY_S = 0.2  # one frame's position label this often (5 a second)
POSITION_LABELS_KEPT = 3_000  # 10 min at 5 labels a second: bounded memory for the set's position
VIEW_EVERY_S = 0.3  # the set's view (the batch statistic over the frames so far) is re-read this often
STRATEGY_KINDS = ("cyclic", "alternating", "hold")  # rep strategies the runner drives (their ``kind``)
# End of a live set (cyclic): the raw depth of the last TAIL_S is kept to tell whether the stop cut the last rep
# while it was still rising (more than reps.CUT_RISING_FRAC of its depth above standing, and still moving up).
TAIL_S = 0.3
# ... "still moving up": the raw depth's slope over TAIL_S back toward standing faster than this fraction of the rep's
# own depth per second (a priori: a rise that would take 20 s or more for its depth is not one). Relative to the rep,
# not in degrees: a small rep (a 30 deg bridge) slowly coming up is still coming up. Erring toward "still rising" only
# leaves that rise unknown (no tempo cue); erring the other way times a cut rise as a short one (a false cue).
CUT_RISE_RATE_FRAC_S = 0.05
# A live set's note when the restarted detector's first rep was not counted because its start was not seen.
OPENED_DOWN_NOTE = (
    "Counting began part-way down a rep (deeper than a third of its depth): that rep is not counted, as its "
    "lowering was not seen."
)
PENDING_REPS_KEPT = 4  # reps finished during the setup check, kept until it passes (1 s holds one at most)
_FEET = frozenset(int(i) for i in (LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL))


class References:
    """The person's reference posture values (e.g. standing), kept by time with cached medians.

    Each key keeps the last ``keep_s`` seconds of reference samples; its median is trusted from ``min_n`` samples
    covering ``min_span_s`` (before that the value relative to the reference is unknown, not relative to one
    frame). The median is refreshed every few new samples or 0.25 s: per frame is wasteful at 30 fps, only every
    few samples would leave a 2 fps stream on a stale reference for seconds.
    """

    def __init__(self, keys: tuple[str, ...], keep_s: float = 3.0, min_n: int = 3, min_span_s: float = 0.3) -> None:
        self._v = {k: TimedValues(keep_s, min_n, keep_s, min_span_s) for k in keys}
        self._new = dict.fromkeys(keys, 0)
        self._med: dict[str, float] = {}
        self._med_t: dict[str, float] = {}
        self.t_now = 0.0

    def add(self, t_s: float, values: Mapping[str, float]) -> None:
        """Add this frame's reference samples (non-finite ones are skipped)."""
        for k, v in values.items():
            if math.isfinite(v):
                self._v[k].add(t_s, v)
                self._new[k] += 1

    def has(self, key: str) -> bool:
        return bool(self._v[key])

    def __call__(self, key: str) -> float:
        """The reference median of ``key`` (NaN until trusted)."""
        if not self._v[key]:
            return math.nan  # nothing seen yet: not cached, so the first values count at once
        new = self._new[key]
        if key not in self._med or (new and (new >= 5 or self.t_now - self._med_t[key] >= 0.25)):
            self._med[key] = self._v[key].median()
            self._med_t[key] = self.t_now
            self._new[key] = 0
        return self._med[key]


class LiveModel(Protocol):
    """What an exercise supplies to the stream runner.

    Optional members, looked up with ``getattr`` (a Protocol cannot mark them optional):

    * ``analyze_rep`` is required for a cyclic strategy; an alternating model without it gets reps made from the
      strategy's own windows (:meth:`ExerciseStream._window_rep`); a hold model does not need it.
    * ``hold_metrics(window, series) -> Mapping[str, float | str | None]`` (hold strategy): the
      :attr:`~formcheck.types.Hold.metrics` of a finished hold from ``series``, the live values the runner recorded
      over the hold (``t_s`` and every ``spec.live_keys`` key, from the hold's start to its end; NaN where
      unseen). Live values rather than a batch re-analysis because a hold may last longer than the landmark
      buffer. Without it a hold has no metrics.
    * ``landmarks_for(position) -> Sequence[int]``: the (left, right) landmark pairs the setup check needs in frame
      in a body position (e.g. no feet seated); without it ``spec.landmarks`` (else the whole body) always.
    * ``sane_landmarks: bool``: the batch code runs the landmark sanity checks (:mod:`formcheck.body.sanity`), so
      live a point that jumped off its recent track (:class:`~formcheck.body.sanity.LiveJumpGate`) is unknown in
      the frame the live values and the depth are computed from (the buffer keeps the raw frames: a finished rep
      is re-analysed with the batch checks).
    * ``held_top(seq, rep, window) -> (Hold, list[Rep])`` (cyclic): called after each counted rep with the frames
      ``analyze_rep`` just re-analysed: the rep's top as a :class:`~formcheck.types.Hold` and the limb movements
      counted during it (reps with their ``side``). Once any movement was counted, the set reports the movements
      as its reps and every top as a hold (``LiveState.new_hold`` when the rep ends), as a file analysis does.
    * ``finish_reps(reps, buffer) -> (reps, notes) | None`` (cyclic): called by :meth:`ExerciseStream.finish`
      with the counted reps and ``buffer(since_s)`` (:meth:`ExerciseStream.buffer_sequence`): a set that only its
      end tells apart, re-timed as a file analysis of the same frames times it (the hinge: a lift from the floor,
      timed pull first), with the set's notes; None leaves the reps as counted.
    * ``set_view(view) -> ViewEstimate``: called by :meth:`ExerciseStream.finish` with the set's view from the
      standing check (:class:`~formcheck.body.view.ViewEstimate`): the finished set's view as the batch analyzer
      gives it (the floor exercises: oblique from a camera raised over the floor,
      :mod:`formcheck.analyzers.floor_view`), so the saved set's tables mark what a file's would. Without it the
      standing check's view.
    * ``held_moves(t_s, rep_began_s, buffer) -> list[Rep]`` (cyclic, with ``held_top``): called on every frame of
      a rep in progress (``buffer(since_s)`` is :meth:`ExerciseStream.buffer_sequence`): the limb movements that
      finished at its top by now, not reported before; each is counted at once (``LiveState.new_rep``). When the
      rep ends, ``held_top``'s movements (the batch code on the whole top) replace them; when it does not count,
      they are dropped (a file analysis of the same frames has no top, so no movements either).
    """

    spec: ExerciseSpec
    strategy: Any  # the rep strategy (formcheck.engine.repstrategies, one of STRATEGY_KINDS by its ``kind``)
    reference_keys: tuple[str, ...]
    phase_key: str  # the live value whose speed tells lowering from rising (alternating: one that follows the
    # moving limb, e.g. the larger of the two sides; hold: unused)

    def depth(self, px: np.ndarray, facing: float) -> float | tuple[float, float]:
        """The strategy's signal of one frame from raw ``(33, 2)`` pixel landmarks: one float for a cyclic or a
        hold strategy, a ``(left, right)`` pair (in the strategy's ``sides`` order) for an alternating one; NaN
        where unseen. Raw: the rep detectors smooth it themselves, a hold does not need it smoothed."""
        ...

    def live_values(self, frame: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        """``(values, reference samples)`` of one filtered frame: values by the spec's live keys; the reference
        samples are what this frame adds to the reference posture when it is one (``frame.reference``)."""
        ...

    def analyze_rep(
        self, seq: PoseSequence, window: RepWindow, index: int, after_s: float
    ) -> tuple[Rep, RepWindow] | None:
        """Re-analyse the buffered frames with the batch code: the rep ending nearest ``window.end_s`` that ends
        after ``after_s``, numbered ``index``, and its window (None when the batch code finds none). Phases that
        fell in a hole of the stream are unknown (see :func:`drop_unseen_phases`). Alternating: the rep of
        ``window.side``, with ``Rep.side`` set."""
        ...


@dataclasses.dataclass
class LiveFrame:
    """One frame as the live model sees it."""

    t_s: float
    px: np.ndarray  # (33, 2) filtered pixel landmarks
    world: np.ndarray  # (33, 3)
    facing: float
    contour: np.ndarray | None
    full_body: bool
    phase: str  # the phase before this frame ("setup" and "top" are candidates for the reference posture)
    position: str = "unknown"  # the set's body position so far (formcheck.body.position.Position value)
    view: str = "unknown"  # the set's camera view so far ("side", "oblique", "front"), as batch reads the whole set
    multi_person_frac: float = 0.0  # share of the frames so far with more than one person in view (batch: the set's)
    # The needed joints inside the picture with the near side clearly seen (body.clean.clearly_in_view; None: not
    # computed, full_body stands in): the frames a standing baseline is measured on, as batch (Body.baseline_ok).
    seen_clearly: bool | None = None

    @property
    def baseline_ok(self) -> bool:
        """This frame may feed a standing baseline (:attr:`seen_clearly`, else :attr:`full_body`)."""
        return self.full_body if self.seen_clearly is None else self.seen_clearly


class ExerciseStream:
    """Frame-by-frame analysis with bounded memory (see module docstring).

    Setup check: counting starts once the whole body is in frame and the view suits the exercise for ``setup_s``
    seconds; until then :class:`LiveState` carries a plain instruction. Cyclic: the rep detector follows the person
    from when the conditions begin to hold; a rep it finished during the check counts when the check passes, and a
    first rep begun before they held (or with nobody seen just before it) counts when the detector was following
    from near standing (:meth:`_start_seen`), as a file analysis of the same frames counts it.
    """

    setup_s = 1.0
    buffer_s = 20.0
    lookback_s = 4.0  # standing time before a rep re-analysed with it (baselines)
    max_series_s = 600.0
    # Dropped frames: the rep re-analysis runs on a uniform grid of at most this step, interpolated between the
    # frames received, bridging intervals up to max_bridge_s (a 2 fps stream still has a trajectory; a longer
    # hole is a real gap).
    grid_step_s = 1.0 / 30.0
    max_bridge_s = 1.0

    def __init__(self, config: Config, model: LiveModel) -> None:
        self.config = config
        self.model = model
        self.spec = model.spec
        s = config.signal
        self._filter = OneEuroFilter(s.one_euro_min_cutoff_hz, s.one_euro_beta, s.one_euro_d_cutoff_hz)
        self._kind = str(getattr(model.strategy, "kind", ""))
        if self._kind not in STRATEGY_KINDS:
            raise ValueError(f"{self.spec.name}: the runner drives {STRATEGY_KINDS} strategies, not {self._kind!r}")
        self._feed_t = -math.inf  # last time fed to an alternating/hold stream (they need increasing times)
        self._fed: deque[tuple[float, bool, bool]] = deque()  # alternating: (t, left seen, right seen), buffer_s
        self._detector = self._new_detector()
        self.refs = References(model.reference_keys)
        self._buf: deque[tuple[float, np.ndarray, np.ndarray, np.ndarray | None, int]] = deque()
        self._width = self._height = 0
        self._ready = False
        self._ok_since: float | None = None
        self._count_from_s = math.inf  # alternating: reps begun before this (the passed check's start) do not count
        # Cyclic: the first rep the detector follows after it starts afresh (setup conditions began to hold) counts
        # only if its start was seen (_start_seen); the reps it finished during the setup check wait for the check
        # to pass (bounded: a check of setup_s holds one or two reps).
        self._first_low = math.inf  # raw depth level the restarted detector held before its first rep began
        self._first_w: RepWindow | None = None  # the first rep window the restarted detector closed...
        self._first_seen = True  # ... and whether that rep's start was seen
        self._pending: deque[RepWindow] = deque(maxlen=PENDING_REPS_KEPT)
        self._dropped_opening = False  # a first rep was not counted: its start was not seen (OPENED_DOWN_NOTE)
        self._view = ViewTracker()
        # Body position: a per-frame label (cheap), the set's position from the labels every POSITION_EVERY_S.
        self._pos_labels: deque[str] = deque(maxlen=POSITION_LABELS_KEPT)
        self._pos_t: deque[float] = deque(maxlen=POSITION_LABELS_KEPT)  # the labels' times
        self._position, self._position_t, self._label_t = "unknown", -math.inf, -math.inf
        self._view_label, self._view_t = "unknown", -math.inf
        self._ratio_med, self._ratio_t = math.nan, -math.inf
        self._recent_view = "unknown"  # the view of the recent frames (the setup check, every 0.3 s with the ratio)
        self._reps: list[Rep] = []
        self._holds: list[Hold] = []
        # A model with ``held_top`` (a bridge held while marching): each counted rep's top as a hold, and the limb
        # movements counted during it; once any were counted the set reports those as its reps (as in batch).
        self._tops: list[Hold] = []
        self._top_reps: list[Rep] = []
        self._early = 0  # the last entries of _top_reps that ``held_moves`` counted during the rep in progress
        self._rep_began_s = math.nan  # cyclic: when the detector's rep in progress began (end-of-set flush)
        self._tail: deque[tuple[float, float]] = deque()  # cyclic: (t, raw depth) of the last TAIL_S (flush)
        # Cyclic: the raw depth's standing level before the rep in progress and its deepest level since it began (the
        # detector's own levels, on the signal the tail holds), for the end-of-set flush.
        self._raw_low, self._raw_high = math.inf, -math.inf
        # Landmark sanity for a model whose batch code checks it (``sane_landmarks``): jumps, causally.
        self._gate = LiveJumpGate() if getattr(model, "sane_landmarks", False) else None
        # What the hands did so far (counts only): with no load entered, the balance cues a held weight would change
        # are held back live as in batch (analyze.ask_for_held_load, cues.held_load_flags).
        self._hands = HandsTally()
        self._last_rep_end = -math.inf
        self._series: deque[tuple[float, ...]] = deque()
        self._n = self._n_present = self._n_full = self._n_multi = 0
        self._vis_sum = 0.0
        self._prev_depth, self._prev_depth_t = math.nan, math.nan
        self._phase, self._phase_since = "setup", 0.0

    # -- helpers -------------------------------------------------------------------------------------------------

    @property
    def reps(self) -> tuple[Rep, ...]:
        """The reps counted so far, oldest first; a rep's ``top_pause_s`` is filled once the next rep is found.

        Once a model with ``held_top`` has counted limb movements at a rep's top (a bridge held while marching),
        those movements are the set's reps and the tops its holds, as in the batch analysis.
        """
        return tuple(self._top_reps) if self._top_reps else tuple(self._reps)

    def _reported_holds(self) -> tuple[Hold, ...]:
        return tuple(self._tops) if self._top_reps else tuple(self._holds)

    def _new_detector(self) -> Any:
        """The exercise's strategy in streaming form.

        Cyclic: the rep detector with ``resolve=False`` (a finished rep is re-analysed from the landmark buffer
        with the batch code, the detector only says when one finished). Alternating and hold: the strategy's
        stream (its items are final when emitted).
        """
        if self._kind == "cyclic":
            return self.model.strategy.detector(resolve=False)
        return self.model.strategy.stream()

    def _feed(self, t_s: float, depth: float | tuple[float, float]) -> RepWindow | HoldWindow | None:
        """One sample into the strategy's streaming form; the item it finished, if any."""
        if self._kind == "cyclic":
            was_in = bool(self._detector.in_rep)
            w = self._detector.update(t_s, depth)
            d = float(depth)  # type: ignore[arg-type]
            began = self._detector.in_rep and (not was_in or w is not None)  # (maybe right after one ended)
            if w is not None and self._first_w is None:
                self._judge_first(w, d)
            if began:
                self._rep_began_s = t_s
                if self._first_w is None:  # the restarted detector's level before its first rep (its top state)
                    self._first_low = self._raw_low
                if w is not None:  # a new descent from where the last rep turned: the lowest of its end
                    self._raw_low = min([x for _, x in self._tail if math.isfinite(x)], default=d)
                self._raw_high = d
            elif math.isfinite(d):
                if self._detector.in_rep:
                    self._raw_high = max(self._raw_high, d)
                else:
                    self._raw_low = d if w is not None else min(self._raw_low, d)
            self._tail.append((t_s, d))
            while self._tail and self._tail[0][0] < t_s - TAIL_S:
                self._tail.popleft()
            return w
        if not t_s > self._feed_t:  # the strategies' streams reject time going back (a repeated frame is skipped)
            return None
        self._feed_t = t_s
        if self._kind == "hold":
            return self._detector.update(t_s, float(depth))  # type: ignore[arg-type]
        left, right = (math.nan, math.nan) if isinstance(depth, float) else depth
        self._fed.append((t_s, math.isfinite(left), math.isfinite(right)))
        while self._fed and self._fed[0][0] < t_s - self.buffer_s:
            self._fed.popleft()
        return self._detector.update(t_s, float(left), float(right))

    def _judge_first(self, w: RepWindow, depth: float) -> None:
        """Whether the first rep the restarted detector closed (``w``) was seen from its start.

        The detector starts afresh when the setup conditions begin to hold, its first samples its standing level.
        When the person was already part-way down then (the stream opened, or the pose model first found them, or
        they turned side-on, mid-rep), that level is not standing. The rep counts as the file analysis counts a
        recording that opens part-way down a rep (:func:`formcheck.reps.detect_reps`): when the level held before
        it began is within ``1 - return_frac`` of the rep's depth (its deepest raw depth, from the level it came back
        to, the lowest raw depth of its last ``TAIL_S``) of that level; its lowering time is then unknown (the batch
        code marks it ``opened_lowering``). A stream opened deeper does not count it, as a file does not. A priori,
        not tuned: the detector's constant, the same one both use.
        """
        tail = [x for _, x in self._tail if math.isfinite(x)] + ([depth] if math.isfinite(depth) else [])
        end_low = min(tail, default=math.nan)
        near = 1.0 - float(getattr(self._detector, "return_frac", math.nan))
        thr = near * (self._raw_high - end_low)
        self._first_w = w
        self._first_seen = not (math.isfinite(self._first_low) and math.isfinite(end_low) and math.isfinite(thr)) or (
            self._first_low - end_low <= thr
        )

    def _start_seen(self, w: RepWindow, best: RepWindow, seq: PoseSequence) -> bool:
        """Cyclic: whether the re-analysed rep ``best`` (the detector's window ``w``, on the buffered ``seq``) was
        seen from its start.

        Its start may be unseen when it began before the setup conditions held (the person stepped in, turned
        side-on, or was first found part-way through it) or when nobody was seen in the ``PHASE_SEEN_MARGIN_S``
        before it (the recording, or the person's presence, opens on it: the batch code then starts the rep at the
        first frame seen). Such a rep is the restarted detector's first and counts when that detector followed it
        from near standing (:meth:`_judge_first`), as the file analysis counts it; any other rep counts as before.
        """
        early = best.start_s < self._count_from_s
        if w is not self._first_w:
            return not early
        t = seq.t_s
        before = (t >= best.start_s - PHASE_SEEN_MARGIN_S - 1e-9) & (t < best.start_s - 1e-9)
        opened = not bool(np.any(before & np.isfinite(seq.landmarks[:, 0, 0])))
        return self._first_seen if early or opened else True

    def _take(self, item: RepWindow | HoldWindow | None) -> tuple[Rep | None, Hold | None]:
        """Count a finished item (once the setup check has passed): ``(new rep, new hold)``."""
        if item is None or not self._ready:
            return None, None
        if isinstance(item, HoldWindow):
            return None, self._finish_hold(item)
        if self._kind == "alternating" and getattr(self.model, "analyze_rep", None) is None:
            return self._window_rep(item), None
        n_moves, n_tops = len(self._top_reps), len(self._tops)
        rep = self._finish_rep(item)
        if self._top_reps:
            # Once movements were counted at a top (marching started), every counted top is a hold and the
            # movements are the reps, as in batch: a plain bridge after a marching one is a new hold, not a rep.
            new_rep = self._top_reps[-1] if len(self._top_reps) > n_moves else None
            return new_rep, self._tops[-1] if len(self._tops) > n_tops else None
        return rep, None

    def _in_item(self) -> bool:
        """A rep (or, for a hold strategy, a hold that has started for sure) is in progress."""
        if self._kind == "hold":
            return self._detector.current is not None
        return bool(self._detector.in_rep)

    def _n_items(self) -> int:
        return len(self._holds) if self._kind == "hold" else len(self._reps)

    def _setup_message(self, present: bool, full: bool, ratio: float) -> str | None:
        if not present:
            return "Step into view of the camera."
        if not full:
            if not set(self._landmarks_needed()) & _FEET:
                return "Step back so your shoulders, hips and knees are visible."
            return "Step back so your whole body, feet included, is visible."
        if self._view_refused(ratio):
            return "Turn side-on to the camera."
        return None

    def _view_refused(self, ratio: float) -> bool:
        """The live setup check's view test: the camera is at a view this side-view exercise does not accept.

        The accepted views are the exercise's declared ones (:attr:`ExerciseSpec.views`), as the file analysis
        accepts them (an oblique lunge or plank, a hinge from the front: analysed, with the usual warning that the
        angles are less accurate). An exercise that accepts the side view alone refuses a recent width ratio above
        :data:`LIVE_SIDE_MAX_RATIO` (standing side-on, the pose model often spreads the shoulders apart, and the
        ratio only drops near 0 while bending, so only clearly face-on views are refused). One that accepts more
        refuses only a view it does not list, read by the set's view rule on the recent frames
        (:meth:`~formcheck.body.view.ViewTracker.recent_view`): the ratio alone read an oblique lunge as face-on
        (0.84-0.93 against 0.75), so Live never counted it while the file analysis counted 6 of 6. A front-view
        exercise's own analysis checks its view (not here).
        """
        views = self.spec.views
        if views[:1] != ("side",):
            return False
        if len(views) == 1:
            return math.isfinite(ratio) and ratio > LIVE_SIDE_MAX_RATIO
        view = self._recent_view
        return view != "unknown" and view not in views

    def buffer_sequence(self, since_s: float) -> PoseSequence:
        """The buffered frames since ``since_s`` on a uniform time grid (see ``grid_step_s``).

        The batch code low-passes and fits as if samples were evenly spaced; frames dropped under load (a few
        fps, bursts of gaps) would otherwise shrink or stretch the phase times it finds.
        """
        buf = [b for b in self._buf if b[0] >= since_s]
        t = np.array([b[0] for b in buf])
        lm = np.stack([b[1] for b in buf])
        wd = np.stack([b[2] for b in buf])
        cont = None
        if any(b[3] is not None for b in buf):
            k = next(b[3].shape[0] for b in buf if b[3] is not None)  # type: ignore[union-attr]
            cont = np.stack([b[3] if b[3] is not None else np.full((k, 2), np.nan) for b in buf])
        n = np.array([b[4] for b in buf], dtype=np.float64)
        dt = np.diff(t)
        dt = dt[dt > 0]
        step = min(float(np.median(dt)), self.grid_step_s) if dt.size else self.grid_step_s
        if t.size >= 2 and np.max(np.diff(t)) > 1.5 * step:
            grid, lm = resample_uniform(t, lm, step, self.max_bridge_s)
            _, wd = resample_uniform(t, wd, step, self.max_bridge_s)
            if cont is not None:
                _, cont = resample_uniform(t, cont, step, self.max_bridge_s)
            # People count: the frame at or before each grid point (a count is not interpolated).
            n = n[np.clip(np.searchsorted(t, grid + 1e-9, side="right") - 1, 0, t.size - 1)]
            t = grid
        return PoseSequence(lm, wd, t, self._width, self._height, back_contour_px=cont, n_people=n.astype(np.int64))

    def _finish_rep(self, w: RepWindow) -> Rep | None:
        # The rep plus a few seconds before it (standing frames for the baselines) is enough, and the whole
        # previous rep: a buffer that opens part-way through it (no top pause between reps) leaves the batch
        # code without the previous rise, and the lowering fit then starts on the previous bottom.
        since = w.start_s - self.lookback_s
        if self._reps:
            since = min(since, self._reps[-1].start_s - 0.5)
        seq = self.buffer_sequence(since)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            # The rep must also end after the detector's window began: refitted on a buffer that starts later, the
            # previous rep ends a frame or two later and would otherwise be counted again (a "rep" the detector saw
            # across a gap in which the person left mid-rep has no batch rep of its own).
            found = self.model.analyze_rep(seq, w, len(self._reps) + 1, max(self._last_rep_end, w.start_s))
        seen = self._start_seen(w, found[1], seq) if found is not None and self._kind == "cyclic" else None
        rep = self._count_rep(*found, start_seen=seen) if found is not None else None
        if rep is None and w is self._first_w and not self._first_seen and not self._reps:
            self._dropped_opening = True  # begun deeper than the file counts (it finds no rep there either)
        self._top_reps, self._early = self._top_reps[: len(self._top_reps) - self._early], 0  # held_top's replace them
        hook = getattr(self.model, "held_top", None)
        if rep is not None and hook is not None:
            hold, moves = hook(seq, rep, found[1])
            self._tops.append(dataclasses.replace(hold, index=len(self._tops) + 1))
            first = len(self._top_reps) + 1
            self._top_reps += [dataclasses.replace(m, index=first + k) for k, m in enumerate(moves)]
        return rep

    def _held_moves(self, t_s: float) -> Rep | None:
        """Count the limb movements the model's ``held_moves`` finished at the rep in progress's top: the last one."""
        moves = self.model.held_moves(t_s, self._rep_began_s, self.buffer_sequence)
        if not moves:
            return None
        first = len(self._top_reps) + 1
        self._top_reps += [dataclasses.replace(m, index=first + k) for k, m in enumerate(moves)]
        self._early += len(moves)
        return self._top_reps[-1]

    def _flush_cyclic(self) -> Rep | None:
        """End of the set: the rep in progress counts if the batch code counts it on the frames seen.

        A set ends when the person presses stop: a rep already back past the detector's return fraction but not
        yet settled (the detector waits ``settle_s``), or back a little further by the smoothed signal than by the
        raw one, is re-analysed like any rep, and the batch code on the buffer decides, as it would for a file
        ending there. The hinge's batch-only rule for a recording cut deep in its last rise (``count_cut_end``)
        is not used: a live set ends "now", and a rep stopped before it came back most of the way was abandoned.
        A counted rep the stop cut while it was still rising has its rise (and time under tension) unknown.
        """
        det = self._detector
        if not (self._ready and det.in_rep and self._buf):
            return None
        w = det.flush()
        t_end = self._buf[-1][0]
        if w is None:  # not back past the return fraction by the raw signal: the batch code has the last word
            start = self._rep_began_s if math.isfinite(self._rep_began_s) else t_end
            w = RepWindow(-1, -1, -1, start, t_end, t_end, t_end, *(math.nan,) * 5)
        if self._first_w is None:  # the restarted detector's first rep, still in progress
            self._judge_first(w, math.nan)
        n = len(self._reps)
        rep = self._finish_rep(w)
        if rep is None or len(self._reps) == n:
            return None
        if self._still_rising():
            cut = dataclasses.replace(rep, concentric_s=math.nan, time_under_tension_s=math.nan)
            self._reps[-1] = cut
            return cut
        return rep

    def _still_rising(self) -> bool:
        """The raw depth was still moving back toward standing over the last ``TAIL_S`` (faster than
        ``CUT_RISE_RATE_FRAC_S`` of the rep's depth per second) and more than ``CUT_RISING_FRAC`` of that depth short
        of its standing level. The levels are the detector's, on the raw signal the tail holds (a re-analysed
        window's levels are on a smoothed buffer, maybe with another baseline); the rate is relative to the rep (a
        depth in any unit, any size of rep)."""
        t = np.array([p[0] for p in self._tail])
        x = np.array([p[1] for p in self._tail])
        ok = np.isfinite(x)
        amp = self._raw_high - self._raw_low
        if ok.sum() < 3 or float(np.ptp(t[ok])) <= 0 or not (math.isfinite(amp) and amp > 0):
            return False
        slope = float(np.polyfit(t[ok], x[ok], 1)[0])
        short = float(np.median(x[ok][-3:])) - self._raw_low > CUT_RISING_FRAC * amp
        return slope < -CUT_RISE_RATE_FRAC_S * amp and short

    def _count_rep(self, rep: Rep, best: RepWindow, start_seen: bool | None = None) -> Rep | None:
        """Count a finished rep (``best``: its window) unless its start was not seen; fills the previous rep's top
        pause.

        ``start_seen`` (cyclic) is :meth:`_start_seen`'s judgement; otherwise (alternating) a rep begun before the
        setup conditions held was not seen from its start.
        """
        if start_seen is None:
            start_seen = best.start_s >= self._count_from_s
        if not start_seen:
            # Its standing start was not seen (the stream opened, the person stepped in or turned side-on part-way
            # through it), so it is not counted rather than counted with cut phases (the set says so: _finish_rep).
            self._last_rep_end = best.end_s
            return None
        if self._reps and math.isnan(self._reps[-1].top_pause_s) and math.isfinite(rep.eccentric_s):
            gap = max(0.0, best.start_s - self._reps[-1].end_s)
            self._reps[-1] = dataclasses.replace(self._reps[-1], top_pause_s=gap)
        self._last_rep_end = best.end_s
        self._reps.append(rep)
        return rep

    def _window_rep(self, w: RepWindow) -> Rep | None:
        """A rep from an alternating strategy's own window, for a model without ``analyze_rep``.

        The window's phase times are the strategy's (its streaming detector fits the phases on its own buffer
        with the batch rep code): ``start_s``, ``end_s``, ``eccentric_s``, ``bottom_pause_s``, ``concentric_s``;
        ``bottom_s`` is the middle of the bottom pause, ``time_under_tension_s`` is ``end_s - start_s``,
        ``rom_deg`` the window's range and ``side`` its side; no metrics. Phases the side's signal did not see
        (holes longer than ``max_bridge_s``) are unknown, as for a re-analysed rep.
        """
        k = 0 if w.side == self.model.strategy.sides[0] else 1
        t = np.array([f[0] for f in self._fed], dtype=np.float64)
        seen = np.array([f[1 + k] for f in self._fed], dtype=bool)
        # Holes the stream bridges (up to max_bridge_s between two seen samples) count as seen.
        idx = np.flatnonzero(seen)
        for a, b in zip(idx[:-1], idx[1:], strict=True):
            if b - a > 1 and t[b] - t[a] <= self.max_bridge_s:
                seen[a:b] = True
        rep = Rep(
            index=len(self._reps) + 1, start_s=w.start_s, bottom_s=0.5 * (w.bottom_start_s + w.bottom_end_s),
            end_s=w.end_s, eccentric_s=w.eccentric_s, bottom_pause_s=w.bottom_pause_s, concentric_s=w.concentric_s,
            top_pause_s=math.nan, time_under_tension_s=w.end_s - w.start_s, rom_deg=w.rom, side=w.side,
        )  # fmt: skip
        return self._count_rep(drop_unseen_phases(rep, t, seen), w)

    def _finish_hold(self, h: HoldWindow) -> Hold:
        """The finished hold, numbered, with the model's ``hold_metrics`` (if it has them) from the live values.

        A hold already under way when counting started is timed from then (the strategy starts afresh with the
        setup check): the time in band that was seen is real, what came before it is unknown.
        """
        hook = getattr(self.model, "hold_metrics", None)
        metrics = hook(h, self._series_between(h.start_s, h.end_s)) if hook is not None else {}
        hold = h.to_hold(len(self._holds) + 1, metrics)
        self._holds.append(hold)
        return hold

    def _series_between(self, start_s: float, end_s: float) -> dict[str, np.ndarray]:
        """The recorded live values (``t_s`` and the spec's live keys) from ``start_s`` to ``end_s``."""
        keys = ("t_s", *self.spec.live_keys)
        rows = [r[: len(keys)] for r in self._series if start_s - 1e-9 <= r[0] <= end_s + 1e-9]
        arr = np.array(rows, dtype=np.float64).reshape(-1, len(keys))
        return {k: arr[:, i] for i, k in enumerate(keys)}

    def _hold_phase(self, t_s: float) -> str:
        """``hold`` while the hold in progress is inside the band, ``top`` otherwise."""
        cur = self._detector.current
        new = "hold" if cur is not None and cur.in_band else "top"
        if new != self._phase:
            self._phase, self._phase_since = new, t_s
        return self._phase

    def _phase_of(self, t_s: float, depth: float) -> str:
        prev, prev_t = self._prev_depth, self._prev_depth_t
        self._prev_depth, self._prev_depth_t = depth, t_s
        if not self._detector.in_rep:
            new = "top"
        else:
            # Speed over the actual interval since the previous frame (frames are dropped under load).
            dt = t_s - prev_t if math.isfinite(prev_t) else math.nan
            ok = math.isfinite(prev) and math.isfinite(depth) and dt > 0
            rate = (depth - prev) / dt if ok else 0.0
            if rate > PHASE_RATE_DEG_S:
                new = "eccentric"
            elif rate < -PHASE_RATE_DEG_S:
                new = "concentric"
            else:
                new = "bottom" if self._phase in ("eccentric", "bottom") else self._phase
        if new != self._phase:
            self._phase, self._phase_since = new, t_s
        return self._phase

    def _record(self, t_s: float, vals: Mapping[str, float], rep_idx: int) -> None:
        self._series.append((t_s, *(vals.get(k, math.nan) for k in self.spec.live_keys), float(rep_idx)))
        while self._series and self._series[0][0] < t_s - self.max_series_s:
            self._series.popleft()

    # -- protocol ------------------------------------------------------------------------------------------------

    def update(
        self,
        t_s: float,
        landmarks: np.ndarray,
        world: np.ndarray,
        width: int,
        height: int,
        back_contour_px: np.ndarray | None = None,
        n_people: int = 1,
    ) -> LiveState:
        """Feed one frame; returns the live state (phase, count, values, setup instruction, finished rep)."""
        self._width, self._height = int(width), int(height)
        self.refs.t_now = float(t_s)
        lm = np.asarray(landmarks, dtype=np.float64)
        wd = np.asarray(world, dtype=np.float64)
        contour = None if back_contour_px is None else np.array(back_contour_px, dtype=np.float64)
        self._buf.append((float(t_s), lm.copy(), wd.copy(), contour, int(n_people)))
        while self._buf and self._buf[0][0] < t_s - self.buffer_s:
            self._buf.popleft()
        self._n += 1
        self._n_multi += int(n_people > 1)
        lm_px = lm[:, :2] * np.array([width, height], dtype=np.float64)
        if self._gate is not None:  # a point that jumped off its recent track is unknown (the batch sanity check)
            lm_px[self._gate.update(t_s, lm_px)] = np.nan
        image_z = np.where(np.isnan(lm_px[:, 0]), np.nan, lm[:, 2])
        self._view.update(lm_px, wd[:, :3], image_z)
        base = {"t_s": t_s, "ready": self._ready, "exercise": self.spec.name}
        if not bool(np.isfinite(lm[0, 0])):
            self._ok_since = None
            # Through _feed like any frame (the cyclic tail then knows nobody was seen); an alternating rep or a
            # hold can end while nobody is seen (a hold end_gap_s after it was left).
            away_rep, away_hold = self._take(self._feed(t_s, math.nan))
            self._record(t_s, {}, 0)
            return LiveState(phase="away", setup_message="Step into view of the camera.", side_used="unknown",
                             view=self._view_now(), rep_count=len(self.reps), hold_count=len(self._reported_holds()),
                             new_rep=away_rep, new_hold=away_hold, **base)  # fmt: skip
        self._n_present += 1
        self._hands.update(wd)
        if t_s - self._label_t >= POSITION_LABEL_EVERY_S:  # a set's position is a statistic: a few labels a second
            self._label_t = t_s
            self._pos_labels.append(str(position_per_frame(wd[None, :, :3])[0]))
            self._pos_t.append(float(t_s))
        if t_s - self._position_t >= POSITION_EVERY_S or (
            self._pos_labels
            and self._position not in ("unknown", *self.spec.positions)
            and self._pos_labels[-1] in self.spec.positions
        ):  # re-read at once when the person is first seen in the exercise's position after a mismatch
            self._position_t = t_s
            self._position = str(self._set_position().position.value)
        full = bool(whole_body_in_view(lm, self._landmarks_needed(), aspect=width / max(height, 1)))
        self._n_full += int(full)
        self._vis_sum += float(np.nanmean(lm[list(BODY), 3]))
        # Facing by body position: the toes standing, the head side lying or on all fours (body.view.facing_rule).
        facing = self._view.recent_facing(self._known_position())
        filt = self._filter(t_s, lm_px)
        if t_s - self._ratio_t >= 0.3 or not math.isfinite(self._ratio_med):  # the view changes slowly
            self._ratio_t, self._ratio_med = t_s, self._view.recent_ratio(lateral_vertical(self._known_position()))
            self._recent_view = self._view.recent_view(self._known_position())
        msg = self._setup_message(True, full, self._ratio_med)
        if msg is None and self._position not in ("unknown", *self.spec.positions) and not self._low_point():
            want = " or ".join(position_words(p) for p in self.spec.positions)
            msg = f"This looks like {position_words(self._position)}: {self.spec.title.lower()} is done {want}."
        if not self._ready:
            if msg is None:
                if self._ok_since is None:
                    # The rep detector starts afresh whenever the setup conditions start to hold and follows the
                    # person from then on, not only once the check has passed: it takes its first sample as the
                    # standing level, so started part-way down a rep it would close that rep mid-rise.
                    self._ok_since = t_s
                    self._detector = self._new_detector()
                    self._raw_low, self._raw_high = math.inf, -math.inf
                    self._first_low, self._first_w, self._first_seen = math.inf, None, True
                    self._pending.clear()
                if t_s - self._ok_since >= self.setup_s:
                    self._ready, self._phase, self._phase_since = True, "top", t_s
                    self._count_from_s = self._ok_since
            else:
                self._ok_since = None
        clear = bool(clearly_in_view(lm, self._landmarks_needed()))
        frame = LiveFrame(t_s, filt, wd[:, :3], facing, contour, full, self._phase, self._position, self._view_now(),
                          self._n_multi / self._n if self._n else 0.0, clear)  # fmt: skip
        vals, ref_samples = self.model.live_values(frame, self.refs)
        if ref_samples:
            self.refs.add(t_s, ref_samples)
        new_rep = new_hold = None
        depth = self.model.depth(lm_px, facing)  # raw: the detector smooths zero-phase itself when a rep finishes
        if self._ready or self._ok_since is not None:
            while self._ready and self._pending:
                # A rep the detector followed and finished during the setup check counts once the check passes
                # (announced now, once), if its start was seen (_start_seen), as a file analysis counts it.
                rep_p, hold_p = self._take(self._pending.popleft())
                new_rep, new_hold = rep_p if rep_p is not None else new_rep, hold_p if hold_p is not None else new_hold
            w = self._feed(t_s, depth)
            if w is not None and self._ready:
                rep_w, hold_w = self._take(w)
                new_rep, new_hold = rep_w if rep_w is not None else new_rep, hold_w if hold_w is not None else new_hold
            elif w is not None and self._kind == "cyclic":
                self._pending.append(w)  # finished during the check: counted when it passes
            elif hasattr(self.model, "held_moves") and self._kind == "cyclic" and self._ready and self._detector.in_rep:
                new_rep = self._held_moves(t_s) or new_rep
        if not self._ready:
            phase = "setup"
        elif self._kind == "hold":
            phase = self._hold_phase(t_s)
        else:
            # Phases from the filtered depth's speed (the live value the model names), not the raw one's.
            phase = self._phase_of(t_s, vals.get(self.model.phase_key, math.nan))
        vals["phase_elapsed_s"] = t_s - self._phase_since
        if self._kind == "hold":
            cur = self._detector.current if self._ready else None
            vals["hold_elapsed_s"] = cur.elapsed_s if cur is not None else math.nan
            vals["hold_in_band_s"] = cur.in_band_s if cur is not None else math.nan
        self._record(t_s, vals, self._n_items() + (1 if self._ready and self._in_item() else 0))
        return LiveState(
            phase=phase,
            setup_message=None if self._ready else msg or "Hold still, side-on, for a moment…",
            values=vals,
            landmarks_px=filt,
            side_used="left" if facing < 0 else "right",
            new_rep=new_rep,
            view=self._view_now(),
            position=self._position,
            hold_count=len(self._reported_holds()),
            new_hold=new_hold,
            **self._load_flags(),
            **{**base, "rep_count": len(self.reps), "ready": self._ready},
        )

    def _load_flags(self) -> dict[str, bool]:
        """``load_unknown`` / ``hands_low`` from the frames so far (:func:`formcheck.cues.held_load_flags`)."""
        from formcheck.cues import held_load_flags  # the cue module imports the engine, not the other way round

        return held_load_flags(self.spec, self.config, self._hands.holds_a_weight, self._hands.hang_low)

    def _low_point(self) -> bool:
        """The set reads seated or kneeling, for an exercise done standing, after the person was seen standing.

        A squat's bottom reads seated and a lunge's kneeling frame by frame (:mod:`formcheck.body.position`): once the
        person has stood in this set, those readings are its lowest points and the setup check does not hold the
        count back for them (a set that opens at the bottom, or whose bottoms outlast its tops, read seated until
        standing made up a third of its labels). The set's position at the end is still read from its labels.
        """
        if self._position not in ("seated", "kneeling") or "standing" not in self.spec.positions:
            return False
        return "standing" in self._pos_labels

    def _set_position(self) -> Any:
        """The set's body position (:func:`formcheck.body.position.position_of_labels`) from the labels since the
        person was first seen in one of the exercise's positions (all of them if never).

        What came before is not the set: walking in, getting down to the floor, or a stream that opened at the bottom
        of a squat (its lowest points read seated frame by frame; a set that opens there would otherwise read seated
        until standing made up a third of the labels, and the setup check would hold the reps back till then).
        """
        lab = np.array(self._pos_labels, dtype=object)
        t = np.array(self._pos_t, dtype=np.float64)
        inside = np.flatnonzero(np.isin(lab, list(self.spec.positions))) if self.spec.positions else np.array([0])
        k = int(inside[0]) if inside.size else 0
        return position_of_labels(lab[k:], t[k:])

    def _landmarks_needed(self) -> tuple[int, ...]:
        """The landmarks the setup check needs in frame: the model's for the set's position (optional
        ``landmarks_for(position)``, e.g. no feet for a seated exercise), else the spec's, else the whole body."""
        hook = getattr(self.model, "landmarks_for", None)
        if hook is not None:
            return tuple(hook(self._position))
        return tuple(self.spec.landmarks or BODY)

    def _known_position(self) -> str | None:
        """The set's position so far, None while unknown (then the standing rules apply, as in batch)."""
        return None if self._position == "unknown" else self._position

    def _view_now(self) -> str:
        """The set's view so far, re-read every VIEW_EVERY_S (the statistic changes slowly; a percentile and a median
        over every frame kept, so it grows with the set: the view alone, not the facing vote and near side)."""
        if self._view.n_frames and self.refs.t_now - self._view_t >= VIEW_EVERY_S:
            self._view_t, self._view_label = self.refs.t_now, self._view.view(self._known_position())
        return self._view_label

    def finish(self) -> Analysis:
        """The set so far as an Analysis (reps or holds, quality; series capped to the last ``max_series_s``).

        Every strategy is flushed: a rep held back for a possible double detection, a rep on its way back and the
        hold in progress count, as they would at the end of a file; a cyclic rep in progress counts if the batch
        code counts it on the frames seen (:meth:`_flush_cyclic`). The ``rep_index`` series is the hold index for
        a hold exercise.
        """
        if self._ready and self._kind != "cyclic":
            for item in self._detector.finish():
                self._take(item)
        elif self._kind == "cyclic":
            self._flush_cyclic()
            # Movements counted at the top of a rep the set ended in, and the batch code did not count: dropped.
            self._top_reps, self._early = self._top_reps[: len(self._top_reps) - self._early], 0
        set_notes: list[str] = []
        reps = self.reps
        retime = getattr(self.model, "finish_reps", None)
        if retime is not None and self._kind == "cyclic" and self._ready and self._reps and not self._top_reps:
            # Only the set's end tells some sets apart (the hinge: a lift from the floor, timed pull first): the
            # model re-times the finished set as a file analysis would, from what it kept per rep and the buffer.
            # The result is this Analysis' only: the stream keeps counting from standing if frames keep coming,
            # and a second finish() gives the same answer.
            done = retime(tuple(self._reps), self.buffer_sequence)
            if done is not None:
                reps, set_notes = tuple(done[0]), list(done[1])
        keys = ("t_s", *self.spec.live_keys, "rep_index")
        arr = np.array(self._series, dtype=np.float64).reshape(-1, len(keys))
        series = {k: arr[:, i] for i, k in enumerate(keys)}
        v = self._view.result(self._known_position())
        view_hook = getattr(self.model, "set_view", None)  # the model's own, e.g. a camera raised over the floor
        if view_hook is not None and self._n_present:
            v = view_hook(v)
        facing = self._view.recent_facing(self._known_position()) if self._n_present else 0.0
        nothing = "no holds were timed" if self._kind == "hold" else "no reps were counted"
        warn = [] if self._ready else [
            f"The setup check never passed (side-on, whole body visible), so {nothing}."
        ]  # fmt: skip
        hook = getattr(self.model, "set_warnings", None)  # the model's own, e.g. a camera angle it cannot judge
        if hook is not None and self._n_present:
            warn += hook()
        warn += set_notes
        if self._dropped_opening and self._kind == "cyclic":
            warn.append(OPENED_DOWN_NOTE)
        label = "right" if facing > 0 else "left" if facing < 0 else "unknown"
        pos = self._set_position()
        q = set_quality(
            view=v.view, facing=label, side_used=label, frames_total=self._n, n_present=self._n_present,
            n_full=self._n_full, n_multi=self._n_multi,
            mean_visibility=self._vis_sum / self._n_present if self._n_present else math.nan, warnings=warn,
        )  # fmt: skip
        q = with_position(q, pos, self.spec.positions, self.spec.title)
        flags = self._load_flags()
        if any(flags.values()):  # as batch: the flags and their plain warnings on the saved set
            from formcheck.cues import held_load_warnings

            q = dataclasses.replace(q, **flags, warnings=(*q.warnings, *held_load_warnings(flags)))
        holds = self._reported_holds()
        out = Analysis(
            exercise=self.spec.name,
            reps=reps,
            cues=(),
            quality=q,
            series=series,
            summary={"rep_count": len(reps), "live": True,
                     **({"hold_count": len(holds)} if self._kind == "hold" or holds else {})},
            limits=self.spec.limits,
            settings={"analyzer": self.spec.name, "live": True},
            holds=holds,
        )  # fmt: skip
        return without_classes(out) if position_mismatch(q, self.spec.positions) else out  # as batch (repset)


def drop_unseen_phases(rep: Rep, t_s: np.ndarray, seen_frames: np.ndarray) -> Rep:
    """Phase times of a rep whose lowering or rise fell (partly) in a hole in the stream become unknown.

    When dropped frames leave a hole longer than the stream bridges, the rep fit starts or ends at the hole and
    the phase it cut reads short (a 2 s lowering seen from half-way reads 1 s: a false "lower slower" cue).

    Args:
        rep: the rep found by the batch code.
        t_s: ``(T,)`` times of the re-analysed frames.
        seen_frames: ``(T,)`` bool, the movement was seen in that frame.
    """

    def seen(a: float, b: float) -> bool:
        sel = (t_s >= a) & (t_s <= b)
        return bool(np.any(sel)) and bool(np.all(seen_frames[sel]))

    ecc_ok = seen(rep.start_s - PHASE_SEEN_MARGIN_S, rep.bottom_s)
    con_ok = seen(rep.bottom_s, rep.end_s + PHASE_SEEN_MARGIN_S)
    if ecc_ok and con_ok:
        return rep
    return dataclasses.replace(
        rep,
        eccentric_s=rep.eccentric_s if ecc_ok else math.nan,
        bottom_pause_s=rep.bottom_pause_s if ecc_ok and con_ok else math.nan,
        concentric_s=rep.concentric_s if con_ok else math.nan,
        time_under_tension_s=math.nan,
    )
