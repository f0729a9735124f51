"""Live webcam processing for the app: pose → streaming analyzer → cue selector → overlay, one frame at a time.

:class:`LiveProcessor` is called from streamlit-webrtc's worker thread. It never touches Streamlit: the page
reads :meth:`LiveProcessor.snapshot` (an immutable copy, taken under a lock) on its own timer.

Latency rule: only the newest frame of a backlog is processed (:meth:`LiveProcessor.process_batch`); the
others are counted as dropped. Showing a fresh frame late by one processing time beats showing every frame
later and later.

Throughput: with ``pipelined=True`` (the default) the pose model runs on its own thread while the previous
frame is analysed and drawn, so a frame costs max(pose, analysis + drawing) instead of their sum; MediaPipe
releases the GIL while it runs, so this uses the second core of a laptop. The price is one frame of extra
delay (the annotated frame returned is the previous one).

Resources: the pose model (MediaPipe landmarkers with native threads) and the pose worker thread are opened on
the first frame and released by :meth:`LiveProcessor.close`, which the app calls when the camera stream ends
(``on_video_ended``: STOP, page closed, navigation away, connection lost). The set itself survives a close:
it can still be finished and saved, and the next frame reopens the model and continues the set.

Recognition (issue 13): with ``exercise="auto"`` the first seconds of the set go to a
:class:`formcheck.recognize.RecognitionStream` (poses only, no images, bounded) until it names an exercise with
enough confidence (early: two attempts in a row, at least ``RECOGNISE_EARLY_MIN``; at the window's end:
recognition's own threshold); that exercise's streaming analyzer then starts and the buffered frames are
replayed through it, so the first reps count. When the stream's window is over and it still cannot tell, the
processor stops analysing and says so (:attr:`LiveProcessor.recognition_error`, the snapshot's ``error``) so the
user names it.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from formcheck.config import Config
from formcheck.engine.protocol import LiveState, StreamingAnalyzer
from formcheck.errors import ExerciseNotRecognisedError, FormcheckError
from formcheck.types import Analysis, Cue, Hold, PoseFrame, Quality, Rep

log = logging.getLogger(__name__)

MAX_REPS_KEPT = 500  # a live set longer than this is not a set; bounds memory of the page table (reps and holds)
FPS_WINDOW = 30  # frames over which the processed frame rate is measured
AUTO = "auto"  # exercise name that asks the processor to recognise the exercise from the first seconds
RECOGNISE_FIRST_S = 2.0  # no recognition attempt before this much of the set (no rep can be complete before)
RECOGNISE_EVERY_S = 1.0  # then one attempt per this much set time (an attempt costs ~0.1 s on 8 s of frames)
# Before the window is over, an exercise is taken only when two attempts in a row name it with at least this
# confidence; at the window's end recognition's own threshold applies. Why: the start of a set can look like
# another exercise for a moment (the sample hinge clip's first 1.6-2.1 s read as a Pallof press at 50-54 %, a
# hinge from 2.2 s on), and a live set's clock is the computer's, so a busy machine reaches "2 s" after fewer
# video frames. Not tuned on clips: chosen above that one near-threshold misreading.
RECOGNISE_EARLY_MIN = 0.8
RECOGNISING_MESSAGE = "Recognising the exercise: start your set"


class _Estimator(Protocol):
    def process(self, frame_rgb: np.ndarray, t_ms: int) -> PoseFrame: ...


Overlay = Callable[[np.ndarray, LiveState, Cue | None, str | None, Config], np.ndarray]


@dataclass(frozen=True)
class _Pending:
    """A frame with its pose, waiting for analysis and drawing."""

    frame_bgr: np.ndarray
    pose: PoseFrame
    t_s: float  # time into the set
    t0: float  # clock reading when the frame arrived (for the capture → annotated time)


@dataclass(frozen=True)
class _Buffered:
    """A frame's pose kept while the exercise is being recognised (no image: bounded by the stream's window)."""

    t_s: float
    landmarks: np.ndarray
    world: np.ndarray
    width: int
    height: int
    contour: np.ndarray | None
    n_people: int
    t0: float


@dataclass(frozen=True)
class LiveSnapshot:
    """What the page shows, copied out of the processor at one instant.

    Attributes:
        running: frames are arriving (False before START and after the camera stopped).
        frames_in: frames received this set (processed + dropped).
        frames_processed: frames that went through pose + analysis.
        frames_dropped: frames skipped because processing was behind.
        fps: processed frames per second over the last ``FPS_WINDOW`` frames (NaN until known).
        proc_ms: mean time from a frame's arrival to its analysis being done over the same window, ms (with
            the pipeline this includes waiting for the next frame's pose).
        t_s: time into the set of the last processed frame, s.
        phase: analyzer phase (``setup``, ``top``, ``eccentric`` … ``away``).
        ready: the setup check passed and reps are counted.
        setup_message: what to change before counting starts (None when ready).
        rep_count: finished reps.
        cue: the cue on screen (None for none).
        reps: finished reps, oldest first (the last ``MAX_REPS_KEPT``).
        rep_cues: ``{rep index: most important cue of that rep}``.
        holds: finished holds, oldest first (the last ``MAX_REPS_KEPT``).
        hold_cues: ``{hold index: most important cue of that hold}`` (plank, bridge top ...; kept apart from
            ``rep_cues`` because a hold's index and a rep's are separate counts).
        side_used: body side the analyzer measures.
        values: latest live measurements (units in names).
        error: plain-language problem (e.g. the pose model failed) or None.
        cue_serial: increases whenever a different cue is put on screen (for speaking each cue once).
        exercise: the exercise being analysed (``"auto"`` while it is still being recognised).
        recognition: what recognition saw, one plain line (None when the exercise was named, or not yet known).
        view: the set's camera view so far (``LiveState.view``): the rep table withholds a class this view does
            not judge, as the file analysis does.
        position: the set's body position so far (``LiveState.position``): the rest between reps in its words.
    """

    running: bool = False
    frames_in: int = 0
    frames_processed: int = 0
    frames_dropped: int = 0
    fps: float = math.nan
    proc_ms: float = math.nan
    t_s: float = 0.0
    phase: str = "setup"
    ready: bool = False
    setup_message: str | None = None
    rep_count: int = 0
    cue: Cue | None = None
    reps: tuple[Rep, ...] = ()
    rep_cues: dict[int, Cue] = field(default_factory=dict)
    holds: tuple[Hold, ...] = ()
    hold_cues: dict[int, Cue] = field(default_factory=dict)
    side_used: str = "unknown"
    values: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    cue_serial: int = 0
    exercise: str = ""
    recognition: str | None = None
    view: str = "unknown"
    position: str = "unknown"

    @property
    def drop_rate(self) -> float:
        """Fraction of received frames that were dropped (0 when none arrived)."""
        return self.frames_dropped / self.frames_in if self.frames_in else 0.0


def quality_badge(state: LiveState, fps: float) -> str:
    """Short status text for the overlay corner."""
    rate = f" · {fps:.0f} fps" if math.isfinite(fps) else ""
    if state.phase == "away":
        return "nobody in view" + rate
    if not state.ready:
        return "setup check" + rate
    side = f" · {state.side_used} side" if state.side_used in ("left", "right") else ""
    return f"counting{side}{rate}"


class LiveProcessor:
    """Turns webcam frames into annotated frames and a live state for the page.

    Args:
        config: thresholds, body settings, pose settings.
        exercise: analyzer name (``"hinge"``), or ``"auto"`` to recognise it from the first seconds of the set.
        estimator: object with ``process(frame_rgb, t_ms) -> PoseFrame``, borrowed (never closed here); default
            a live-mode :class:`formcheck.pose.PoseEstimator` that this processor opens on the first frame and
            closes in :meth:`close`.
        analyzer_factory: ``config -> StreamingAnalyzer``; default the registry's analyzer ``.stream()`` (with
            ``"auto"``: the recognised exercise's).
        overlay: drawing function with :func:`formcheck.render.draw_overlay`'s signature; default that one.
        clock: monotonic seconds (injectable for tests).
        pipelined: run pose for frame N on a worker thread while frame N-1 is analysed and drawn (see module
            docstring); False processes each frame start to finish in the calling thread.

    Raises:
        ModelError: the pose model is missing or damaged (checked here, only for the default estimator).
        UsageError: unknown exercise.
    """

    def __init__(
        self,
        config: Config,
        exercise: str = "hinge",
        *,
        estimator: _Estimator | None = None,
        analyzer_factory: Callable[[Config], StreamingAnalyzer] | None = None,
        overlay: Overlay | None = None,
        clock: Callable[[], float] = time.monotonic,
        pipelined: bool = True,
    ) -> None:
        self._clock = clock
        self.pipelined = pipelined
        self._pose_pool: ThreadPoolExecutor | None = None  # pipelined only; opened with the model
        self._pending: _Pending | None = None  # pipelined: frame whose pose is done, waiting for analysis
        self._proc_lock = threading.Lock()  # one frame at a time through pose + analyzer
        self._state_lock = threading.Lock()  # guards the snapshot only (held for microseconds)
        self._owns_estimator = estimator is None
        self._pose_config = config.pose  # reset() keeps the model, so the pose settings of the first set stay
        if estimator is None:
            from formcheck.pose import resolve_model_path

            resolve_model_path(config.pose)  # a missing model is reported now, not on the first frame
        self._estimator: _Estimator | None = estimator
        self._open = False
        if overlay is None:
            from formcheck.render import draw_overlay

            overlay = draw_overlay
        self._overlay = overlay
        self._analyzer_factory = analyzer_factory or _registry_stream(exercise)
        self._custom_factory = analyzer_factory is not None  # kept whatever exercise is recognised (tests)
        self._last_t_ms = -1
        self._start_set(config, exercise)

    # -- set lifecycle --------------------------------------------------------------------------------------
    def _start_set(self, config: Config, exercise: str) -> None:
        from formcheck.cues import CueSelector

        self.config = config
        self.requested_exercise = exercise  # "auto" stays requested for the next set after one is recognised
        self.exercise = exercise
        # Recognition state (exercise == AUTO): the stream is made on the first frame (it needs the frame size).
        self.recognition = None  # formcheck.recognize.Recognition once an exercise was recognised
        self.recognition_error: ExerciseNotRecognisedError | None = None
        self._recogniser = None
        self._buffer: list[_Buffered] = []
        self._next_try_s = RECOGNISE_FIRST_S
        self._early_guess: str | None = None  # the previous attempt's sure family (early decisions need two)
        self._analyzer = self._analyzer_factory(config) if exercise != AUTO else None
        self._selector = CueSelector(config)
        self._set_t0: float | None = None
        self._proc_times: collections.deque[tuple[float, float]] = collections.deque(maxlen=FPS_WINDOW)
        self._reps: collections.deque[Rep] = collections.deque(maxlen=MAX_REPS_KEPT)
        self._rep_cues: dict[int, Cue] = {}
        self._holds: dict[int, Hold] = {}  # hold index -> hold, oldest first (a dict: an index is filed once)
        self._hold_cues: dict[int, Cue] = {}
        self._pending = None
        with self._state_lock:
            self._snap = LiveSnapshot(exercise=exercise)

    def reset(self, config: Config | None = None, exercise: str | None = None) -> None:
        """Start a new set (optionally with new settings); the pose model is kept."""
        if exercise is not None and exercise != self.exercise and self._analyzer_factory_is_registry:
            self._analyzer_factory = _registry_stream(exercise)
        with self._proc_lock:
            self._start_set(config or self.config, exercise or self.requested_exercise)

    @property
    def _analyzer_factory_is_registry(self) -> bool:
        return getattr(self._analyzer_factory, "_formcheck_registry", False)

    def finish(self) -> Analysis:
        """Close the set: its analysis with reps, quality and cues, ready to save. Then start a fresh set.

        Raises:
            ExerciseNotRecognisedError: ``"auto"`` and the frames seen do not name an exercise confidently (the set
                is kept, so the caller can ask and :meth:`reset` with the exercise named).
        """
        from formcheck.cues import analysis_cues

        with self._proc_lock:
            if self._pending is not None:  # the last frame's pose is done: let it count
                self._analyse(self._pending, draw=False)
                self._pending = None
            if self._analyzer is None:  # still recognising: decide on what was seen (a set shorter than the window)
                self._try_recognise(final=True)
                if self.recognition_error is not None:
                    raise self.recognition_error
            analysis = self._analyzer.finish()
            config, exercise = self.config, self.requested_exercise
            extra = {}
            if self.recognition is not None:  # the same settings keys as analyze_sequence
                extra = {"exercise_detected": True, "recognition": self.recognition.sentence(),
                         "recognition_confidence": round(self.recognition.confidence, 3)}  # fmt: skip
            analysis = finalize_live_analysis(analysis, config, analysis_cues(analysis, config), **extra)
            self._start_set(config, exercise)
        return analysis

    @property
    def is_open(self) -> bool:
        """Frames have been processed since the last :meth:`close` (pose model and worker are loaded)."""
        return self._open

    def close(self) -> None:
        """Release the pose worker thread and the pose model this processor built; safe to call repeatedly.

        The set is kept: :meth:`finish` still returns its analysis, and a later :meth:`process` reopens the
        model and continues it (MediaPipe timestamps stay increasing across the reopen).
        """
        with self._proc_lock:
            self._open = False
            pool, self._pose_pool = self._pose_pool, None
            if pool is not None:
                pool.shutdown(wait=True)
            if self._owns_estimator and self._estimator is not None:
                est, self._estimator = self._estimator, None
                est.__exit__(None, None, None)  # type: ignore[attr-defined]

    def _open_locked(self) -> _Estimator:
        """The estimator, opening the model and the pose worker if closed (caller holds ``_proc_lock``)."""
        if self._estimator is None:
            from formcheck.pose import PoseEstimator

            self._estimator = PoseEstimator(self._pose_config, mode="live").__enter__()
        if self.pipelined and self._pose_pool is None:
            # One worker: MediaPipe graphs must see frames in order, and only one frame is ever in flight.
            self._pose_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcheck-pose")
        self._open = True
        return self._estimator

    def on_ended(self) -> None:
        """The camera stopped: mark the stream as not running and release the pose model (:meth:`close`).

        The set is kept, so it can still be saved; streamlit-webrtc calls this on its own event loop when the
        input track ends (STOP, page closed or left, connection lost).
        """
        with self._state_lock:
            self._snap = dataclasses.replace(self._snap, running=False)
        self.close()

    # -- frames ---------------------------------------------------------------------------------------------
    def snapshot(self) -> LiveSnapshot:
        """The current live state (immutable; safe to call from any thread)."""
        with self._state_lock:
            return self._snap

    def count_dropped(self, n: int) -> None:
        """Record ``n`` frames that arrived but were skipped to stay current."""
        if n > 0:
            with self._state_lock:
                s = self._snap
                self._snap = dataclasses.replace(s, frames_in=s.frames_in + n, frames_dropped=s.frames_dropped + n)

    def process_batch(self, frames_bgr: Sequence[np.ndarray]) -> np.ndarray:
        """Process only the newest of a backlog of frames; count the rest as dropped.

        Returns:
            The annotated newest frame (BGR).
        """
        if not frames_bgr:
            raise ValueError("process_batch needs at least one frame")
        self.count_dropped(len(frames_bgr) - 1)
        return self.process(frames_bgr[-1])

    def process(self, frame_bgr: np.ndarray, t_s: float | None = None) -> np.ndarray:
        """Pose + analysis + cue + overlay for one BGR frame; returns the annotated frame.

        Args:
            frame_bgr: the frame.
            t_s: the frame's time on its source's clock, s (a video file's own timestamps, a camera's arrival
                time); None = the processor's clock when the frame arrives (a camera whose frames come in real
                time). The set is timed by it: a file read slower or faster than real time keeps its own timing.

        Never raises for a bad frame: the problem is put in the snapshot's ``error`` and the frame is returned
        unannotated, so the video keeps playing.
        """
        with self._state_lock:
            self._snap = dataclasses.replace(self._snap, running=True, frames_in=self._snap.frames_in + 1)
        if not self._proc_lock.acquire(blocking=False):
            # A reset/finish (or an overlapping call) holds the analyzer: skip rather than queue up.
            with self._state_lock:
                self._snap = dataclasses.replace(self._snap, frames_dropped=self._snap.frames_dropped + 1)
            return frame_bgr
        try:
            return self._process_locked(frame_bgr, t_s)
        except FormcheckError as e:
            self._pending = None
            self._set_error(str(e))
            return frame_bgr
        except Exception as e:  # noqa: BLE001 - the camera thread must survive; the page shows the problem
            self._pending = None
            log.exception("live frame processing failed")
            self._set_error(f"Live analysis stopped working on a frame ({type(e).__name__}: {e}).")
            return frame_bgr
        finally:
            self._proc_lock.release()

    def _set_error(self, msg: str) -> None:
        with self._state_lock:
            self._snap = dataclasses.replace(self._snap, error=msg)

    def _process_locked(self, frame_bgr: np.ndarray, t_src: float | None) -> np.ndarray:
        import cv2

        estimator = self._open_locked()
        t0 = self._clock()  # processing time is always measured on the processor's clock
        t_frame = t0 if t_src is None else float(t_src)
        if self._set_t0 is None:
            self._set_t0 = t_frame
        t_s = t_frame - self._set_t0
        # MediaPipe needs strictly increasing timestamps over the estimator's whole life (sets included).
        t_ms = max(int(round(t_frame * 1000)), self._last_t_ms + 1)
        self._last_t_ms = t_ms
        rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        if self._pose_pool is None:
            pf = estimator.process(rgb, t_ms)
            return self._analyse(_Pending(frame_bgr, pf, t_s, t0))
        future = self._pose_pool.submit(estimator.process, rgb, t_ms)
        prev, self._pending = self._pending, None
        out = self._analyse(prev) if prev is not None else None  # overlaps with the pose of this frame
        self._pending = _Pending(frame_bgr, future.result(), t_s, t0)
        return out if out is not None else frame_bgr

    def _analyse(self, item: _Pending, draw: bool = True) -> np.ndarray:
        """Streaming analysis, cue choice and overlay for one frame whose pose is known; updates the snapshot."""
        from formcheck.probes import DORSAL_OUTLINE, get_probe, trace_probes

        frame_bgr, pf, t_s = item.frame_bgr, item.pose, item.t_s
        h, w = frame_bgr.shape[:2]
        contour = None
        if pf.mask is not None and pf.present:
            lm_px = pf.landmarks[:, :2] * np.array([w, h], dtype=np.float64)
            # The mask probes the live analyzer reads (today the back outline only; no mask → no outline).
            traced = trace_probes((get_probe(DORSAL_OUTLINE),), pf.mask, lm_px, mask_scale=pf.mask.shape[1] / w)
            contour = traced[DORSAL_OUTLINE]
        buf = _Buffered(t_s, pf.landmarks, pf.world, w, h, contour, pf.n_people, item.t0)
        if self._analyzer is None:
            state = self._recognise_frame(buf)
            if state is None:  # not recognised (yet): show the frame with the message, nothing is counted
                return self._show_waiting(frame_bgr, t_s, item.t0, draw)
        else:
            state = self._feed(buf)
        fps, _ = self._rates()
        if not draw:
            return frame_bgr
        return self._overlay(frame_bgr, state, self.snapshot().cue, quality_badge(state, fps), self.config)

    # -- recognition ----------------------------------------------------------------------------------------
    def _recognise_frame(self, buf: _Buffered) -> LiveState | None:
        """Keep one frame for recognition; once recognised, replay the kept frames and return the last state."""
        from formcheck.recognize import RecognitionStream

        if self.recognition_error is not None:
            return None
        if self._recogniser is None:
            self._recogniser = RecognitionStream(buf.width, buf.height, config=self.config)
        present = bool(np.isfinite(buf.landmarks[0, 0]))
        self._recogniser.update(buf.t_s, buf.landmarks if present else None, buf.world if present else None)
        # Every frame is kept for the analyzer (a frame the full window turned away is decided on right now, so
        # the buffer stays as bounded as the stream).
        self._buffer.append(buf)
        if not self._recogniser.done and buf.t_s < self._next_try_s:
            return None
        self._next_try_s = buf.t_s + RECOGNISE_EVERY_S
        return self._try_recognise(final=self._recogniser.done)

    def _try_recognise(self, *, final: bool) -> LiveState | None:
        """Recognise from the frames kept; when sure, start the analyzer and replay them (returns the last state).

        With ``final`` (the window is over, or the set ends), an unsure answer sets :attr:`recognition_error`.
        """
        from formcheck.analyzers import NAMES

        if self._recogniser is None or self._recogniser.n_frames == 0:
            if final:
                self.recognition_error = ExerciseNotRecognisedError(
                    "I can't tell which exercise this is: nobody was seen.", hint=_hint(NAMES)
                )
            return None
        rec = self._recogniser.result()
        if not final:
            sure = rec.family if rec.confident and rec.confidence >= RECOGNISE_EARLY_MIN else None
            agreed = sure is not None and sure == self._early_guess
            self._early_guess = sure
            if not agreed:
                return None
        try:
            family = rec.require(tuple(NAMES))
        except ExerciseNotRecognisedError as e:
            if final:
                self.recognition_error = e
                self._buffer.clear()
                # e's hint is a command-line flag; the page says what to do in its own words
                self._set_error(f"{e.message} Name the exercise, then start the set again.")
            return None
        self.recognition = rec
        self.exercise = family
        if not self._custom_factory:
            self._analyzer_factory = _registry_stream(family)
        self._analyzer = self._analyzer_factory(self.config)
        with self._state_lock:
            self._snap = dataclasses.replace(self._snap, exercise=family, recognition=rec.sentence())
        buffered, self._buffer, self._recogniser = self._buffer, [], None
        state = None
        for b in buffered:  # the frames seen while recognising: their reps count (no timing: not processed now)
            state = self._feed(b, timed=False)
        return state

    def _show_waiting(self, frame_bgr: np.ndarray, t_s: float, t0: float, draw: bool) -> np.ndarray:
        """Snapshot and overlay for a frame seen while the exercise is not known."""
        t1 = self._clock()
        self._proc_times.append((t1, t1 - t0))
        fps, proc_ms = self._rates()
        message = self.recognition_error.message if self.recognition_error is not None else RECOGNISING_MESSAGE
        state = LiveState(t_s=t_s, phase="setup", rep_count=0, ready=False, setup_message=message)
        with self._state_lock:
            s = self._snap
            self._snap = dataclasses.replace(
                s, frames_processed=s.frames_processed + 1, fps=fps, proc_ms=proc_ms, t_s=t_s, phase="setup",
                ready=False, setup_message=message,
            )  # fmt: skip
        return self._overlay(frame_bgr, state, None, quality_badge(state, fps), self.config) if draw else frame_bgr

    def _feed(self, item: _Buffered, timed: bool = True) -> LiveState:
        """Streaming analysis and cue choice for one frame's pose; updates the snapshot and returns the state.

        ``timed=False`` (a replayed frame) leaves the frame rate and processing time alone.
        """
        from formcheck.cues import CueEvent, live_candidates, live_rep_cues

        t_s = item.t_s
        state = self._analyzer.update(t_s, item.landmarks, item.world, item.width, item.height,
                                      back_contour_px=item.contour, n_people=item.n_people)  # fmt: skip
        if not state.exercise:  # an analyzer that does not name itself: the set's exercise
            state = dataclasses.replace(state, exercise=self.exercise)
        cands = live_candidates(state, self.config, active_code=self._selector.active_code)
        events: dict[CueEvent, list[Cue]] = {}  # a finished rep's or hold's feedback: a one-off for the selector
        # The stream's own rep list when a rep or a hold ends: the previous rep's top pause is known once the next
        # one began, and a finished hold can re-time the reps inside it (a marching bridge's marches).
        reps_changed = state.new_rep is not None or state.new_hold is not None
        counted = getattr(self._analyzer, "reps", None)
        if reps_changed and isinstance(counted, tuple | list) and counted:
            self._reps.clear()
            self._reps.extend(counted[-MAX_REPS_KEPT:])
        elif state.new_rep is not None:
            self._reps.append(state.new_rep)
        if state.new_rep is not None:
            rc = live_rep_cues(state, self.config)
            if rc:
                self._rep_cues[state.new_rep.index] = rc[0]
                # bounded: keep cues only for the reps still in the table
                while len(self._rep_cues) > MAX_REPS_KEPT:
                    self._rep_cues.pop(min(self._rep_cues))
            events[CueEvent("rep", state.new_rep.index)] = rc
        if state.new_hold is not None:
            hold = state.new_hold
            self._holds.pop(hold.index, None)
            self._holds[hold.index] = hold
            while len(self._holds) > MAX_REPS_KEPT:
                self._holds.pop(next(iter(self._holds)))
            hc = live_hold_cues(state, self.config)
            if hc:
                self._hold_cues[hold.index] = hc[0]
                while len(self._hold_cues) > MAX_REPS_KEPT:
                    self._hold_cues.pop(min(self._hold_cues))
            # the hold's cues as batch files them (rep_index None): the event key says which hold they are about
            events[CueEvent("hold", hold.index)] = hc
        prev = self._selector.active_code
        cue = self._selector.update(t_s, cands, events)
        if timed:
            t1 = self._clock()
            self._proc_times.append((t1, t1 - item.t0))
        fps, proc_ms = self._rates()
        with self._state_lock:
            s = self._snap
            changed = (cue is not None) and (cue.code != prev or s.cue is None or s.cue.message != cue.message)
            self._snap = dataclasses.replace(
                s,
                frames_processed=s.frames_processed + 1,
                fps=fps,
                proc_ms=proc_ms,
                t_s=t_s,
                phase=state.phase,
                ready=state.ready,
                setup_message=state.setup_message,
                rep_count=state.rep_count,
                cue=cue,
                reps=tuple(self._reps) if reps_changed else s.reps,
                rep_cues=dict(self._rep_cues) if state.new_rep is not None else s.rep_cues,
                holds=tuple(self._holds.values()) if state.new_hold is not None else s.holds,
                hold_cues=dict(self._hold_cues) if state.new_hold is not None else s.hold_cues,
                side_used=state.side_used,
                view=state.view,
                position=state.position,
                values=dict(state.values),
                error=None,
                cue_serial=s.cue_serial + 1 if changed else s.cue_serial,
            )
        return state

    def _rates(self) -> tuple[float, float]:
        pt = self._proc_times
        proc_ms = 1000.0 * float(np.mean([d for _, d in pt])) if pt else math.nan
        if len(pt) < 2 or pt[-1][0] <= pt[0][0]:
            return math.nan, proc_ms
        return (len(pt) - 1) / (pt[-1][0] - pt[0][0]), proc_ms

    # -- streamlit-webrtc glue ------------------------------------------------------------------------------
    async def recv_queued(self, frames: list[Any]) -> list[Any]:
        """``queued_video_frames_callback`` for ``webrtc_streamer``: av frames in, one annotated av frame out."""
        import av

        newest = frames[-1]
        self.count_dropped(len(frames) - 1)  # only the newest is decoded: the rest are stale already
        out = self.process(newest.to_ndarray(format="bgr24"))
        new = av.VideoFrame.from_ndarray(np.ascontiguousarray(out), format="bgr24")
        new.pts = newest.pts
        if newest.time_base is not None:
            new.time_base = newest.time_base
        return [new]


def _hint(names: Sequence[str]) -> str:
    return f"Name it with --exercise NAME (one of: {', '.join(names)})."


def _registry_stream(exercise: str) -> Callable[[Config], StreamingAnalyzer]:
    def factory(config: Config) -> StreamingAnalyzer:
        from formcheck.analyzers import get_analyzer

        return get_analyzer(exercise, config).stream()

    factory._formcheck_registry = True  # type: ignore[attr-defined]
    return factory


def finalize_live_analysis(analysis: Analysis, config: Config, cues: Sequence[Cue], **extra: Any) -> Analysis:
    """Add the cue list and the settings the set was recorded with (same keys as ``analyze_sequence``).

    ``extra``: more settings to record (what recognition saw, for a set whose exercise was recognised).
    """
    from formcheck.analyze import finalize_analysis

    return finalize_analysis(analysis, config, cues, source="live", **extra)


def live_hold_cues(state: LiveState, config: Config) -> list[Cue]:
    """The cues of the hold that closed on this live frame, most important first (batch's
    :func:`~formcheck.cues.hold_cues`, gated by the live view and position as a finished rep's are)."""
    from formcheck.cues import hold_cues

    if state.new_hold is None:
        return []
    return hold_cues(state.new_hold, Quality(view=state.view, position=state.position), config, state.exercise)
