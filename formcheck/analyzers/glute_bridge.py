"""Glute bridge (supine, side view): reps from hip extension, the line reached at the top, the pause, tempo.

Measures (image plane, side view; mid-points of the left and right landmarks, as the floor holds do):

* **body line** ``body_line_deg``: signed deviation from a straight shoulder–hip–knee line at the hips, + hips
  above the shoulder–knee line (past straight: the back arches to get there), − below (short of straight); the
  rendered truth's ``body_line_knee_deg`` convention. Lying flat it is about −40..−60°; a full bridge reaches ~0.
* **reps**: one per rise of the body line (the engine's cyclic strategy on it: the rep's turnaround is the top).
* **hip extension at the top** ``hip_ext_top_deg``: the median body line over the pause at the top (the highest
  frame when there is no pause), signed as above.
* **tempo**: rising (``eccentric_s``: start → top), pause at the top (``bottom_pause_s``), lowering
  (``concentric_s``) against ``target_tempo_s`` = (rise, top pause, lower, rest), with bridge words.

A bridge held while marching (knees lifted in turn at the top) is reported as a hold (its top) with each knee
lift a rep and its side: see :func:`marches`.

Cues: "Stop at a straight line" when the top goes past straight by more than ``overarch_max_deg`` (the body line
is a joint-centre line: it cannot see the lumbar spine itself, see LIMITS), "Lift the hips higher" when the top
stays more than ``short_max_deg`` short, tempo cues; a clean rep earns praise.

Camera angle: a camera raised above the floor or turned toward the head or feet reads the top line wrong (an
elevated phone near the feet read a roughly straight bridge as +9..+12°). :func:`formcheck.body.view.lying_view`
tells it from how far apart the hips look; beyond 23° from side-on the set's view is "oblique", each rep and hold
carries ``view_off_side_deg``, and the over-arch cue (a safety cue: a wrong one is worse than none) and the praise
are withheld with a plain "can't tell from this angle" warning; the top line is still shown. The wiring is
:mod:`formcheck.analyzers.floor_view`'s, shared with the bird-dog and dead bug.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from pydantic import Field

from formcheck.analyzers import floor_hold as fh
from formcheck.analyzers import floor_view as fv
from formcheck.analyzers import hinge  # noqa: F401 - the default exercise (first registered) stays the hinge
from formcheck.analyzers.floor_cyclic import LineAnalyzer, LineLive, line_analysis, line_quality
from formcheck.body import BODY, Body
from formcheck.body.view import ViewEstimate, lying_view
from formcheck.config import Config, ExerciseConfig, TempoS
from formcheck.engine.cuerules import config_tempo_rule
from formcheck.engine.registry import register
from formcheck.engine.repstrategies import Cyclic
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput, seconds_text
from formcheck.engine.stream import ExerciseStream, LiveFrame, References
from formcheck.metrics.tempo import fit_transition
from formcheck.types import LM, Analysis, Hold, PoseSequence, Rep

NAME = "glute_bridge"
# A body line outside this range means the hip is not between the shoulder and the knee: the landmarks are
# mis-tracked (MediaPipe swaps or loses the lying body for a few frames), not a posture; such frames are unknown.
# A physical bound (a bridge lies from about -60 flat to a few tens of degrees past straight), not a fitted one.
LINE_VALID_DEG = (-100.0, 60.0)
# Marching at the top (one knee drawn toward the chest, then the other): a march is a rise of the angle between the
# two thighs at the hip of at least MARCH_MIN_DEG during a bridge's top, the lifted side the knee nearer the
# shoulders. While the thighs are more than that apart, the body line is taken to the planted knee (the one farther
# from the shoulders); closer, it moves toward the mid-point of both knees in proportion (values()). 30° was
# reasoned as a march's smallest lift (a march lifts the thigh 60-90°); a first try at 10° for a hard switch lost a
# rep on the rendered clean bridge, where MediaPipe's two knees lay 13-19° apart from the mid-hip (up to 33° on the
# over-arch clip; 1-12° median as each side's own thigh, values()), so it was set to the march size. There is no
# marching clip in ../shared: marching is validated on the synthetic figure only.
MARCH_MIN_DEG = 30.0
# A march's rise is judged on MARCH_MIN_DEG alone, not also on a fraction of the set's range of the thigh angle (the
# engine's prominence_frac, 0.35 before): with knees lifted 120° somewhere in the set, that fraction (42°) dropped
# the set's real 32° marches, and live, counting each march as it ends, cannot know the lifts still to come.
MARCH_PROM_FRAC = 0.0
# Live, a march is counted as soon as it ends (the knee down again), from the frames of the bridge in progress: the
# runner keeps this much of the top (plus the rise, the lowering and the lookback) in its landmark buffer. A longer
# top still has its marches counted as they end, but the bridge itself is no longer re-analysed whole when it ends
# (its rise has left the buffer), so the hold is not reported. Memory: ~2 KB a frame, ~7 MB at 30 fps.
LIVE_TOP_MAX_S = 90.0
TOP_LEAD_S = 1.0  # live: the frames re-analysed for marches start this long before the bridge's rise was noticed
# ... and after a march was reported, this long before half-way down its lowering (smoothed, not analysed: the
# smoothing's edge stays out of the frames analysed).
SMOOTH_EDGE_S = 1.0


ANGLE_WORDS = fv.AngleWords(
    "over-arching", "over-arch cue", "the top line is shown but may be several degrees off.", "hip height"
)  # the camera-angle warning's words (floor_view.WARNING)


class GluteBridgeConfig(ExerciseConfig):
    """Glute bridge: where the top is judged, and the tempo prescribed (rise, pause at the top, lower, rest)."""

    target_tempo_s: TempoS = Field(
        (1.5, 2.0, 1.5, 1.0), description="s: rising, pause at the top, lowering, rest between reps"
    )
    min_rom_deg: float = Field(15.0, gt=0, le=180, description="deg of body-line rise below which it is not a rep")
    overarch_max_deg: float = Field(
        5.0,
        gt=0,
        le=45,
        description="deg past a straight shoulder-hip-knee line at the top before a cue not to over-arch",
    )
    short_max_deg: float = Field(
        15.0,
        gt=0,
        le=90,
        description="deg short of a straight shoulder-hip-knee line at the top before a 'lift higher' cue",
    )


def values(px: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame measures of ``(T, 33, 2)`` pixels (a set or one live frame): the body line to the planted knee,
    the angle between the thighs (``thigh_split_deg``) and which knee is lifted (``lifted_left``: 1 left, 0 right,
    NaN when not known).

    Each thigh is its own hip → knee vector. Seen from a camera above the floor the left and right joints lie
    apart in the picture (sideways offset times the sine of the camera's height angle); measured from the mid-hip
    the two knees then point apart at rest (8-10° at 20-30° up) and a knee lifted toward the other one first
    closed that angle, while the line to one knee swung by the offset. Hip and knee of one side share that offset
    (knees about hip-width apart), so the thigh vector cancels it; the knees are placed at the mid-hip plus their
    thigh vector (the mid-knee is unchanged: it is the mid-hip plus the mean of the two thighs).

    The line's knee goes from the mid-knee (thighs together) to the planted knee (thighs ``MARCH_MIN_DEG`` or more
    apart) in proportion to the angle between the thighs. A switch at ``MARCH_MIN_DEG`` left the mid-knee, dragged
    half-way by a knee lifting or landing, in the line for the first and last 30° of every march: a ~9° dip of the
    line each time, which with 1.5 px of landmark noise (3 px: 10 of 12) cut the bridge at the dips into pieces that
    are not reps, so the bridge and its marches were lost (10 of 40 scripts at 1.5 px); now under ~4°.
    """
    sho, hip, knee = fh.mid_px(px, "SHOULDER"), fh.mid_px(px, "HIP"), fh.mid_px(px, "KNEE")
    a = px[:, int(LM.LEFT_KNEE)] - px[:, int(LM.LEFT_HIP)]
    b = px[:, int(LM.RIGHT_KNEE)] - px[:, int(LM.RIGHT_HIP)]
    with np.errstate(invalid="ignore"):
        kl, kr = hip + a, hip + b
        dl, dr = np.linalg.norm(kl - sho, axis=1), np.linalg.norm(kr - sho, axis=1)
        cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        thighs = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
        planted = np.where((dl >= dr)[:, None], kl, kr)
        w = np.clip(thighs / MARCH_MIN_DEG, 0.0, 1.0)[:, None]
        known = np.isfinite(planted).all(axis=1)[:, None] & np.isfinite(w)  # else the mid-knee, as always
        knee = np.where(known, (1.0 - w) * (hip + 0.5 * (a + b)) + w * planted, knee)
        line = fh.signed_line_deg(sho, hip, knee)
        ok = (line >= LINE_VALID_DEG[0]) & (line <= LINE_VALID_DEG[1])
        lifted = np.where(np.isfinite(dl) & np.isfinite(dr), (dl < dr).astype(float), np.nan)
    return {"body_line_deg": np.where(ok, line, np.nan), "thigh_split_deg": thighs, "lifted_left": lifted}


def marches(v: dict[str, np.ndarray], t_s: np.ndarray, tops: list[tuple[float, float]]) -> list[Rep]:
    """Knee lifts (marches) during the bridges' tops ``[(start_s, end_s), ...]``, as reps with their side.

    A march is a rise and fall of the angle between the thighs of at least ``MARCH_MIN_DEG`` (the engine's cyclic
    strategy on it, inside the top only); its side is the knee nearer the shoulders at its peak. Its lift and
    lowering are not judged against the bridge's tempo (the phase times are left unknown).
    """
    x = np.asarray(v["thigh_split_deg"], dtype=np.float64)
    inside = np.zeros(len(t_s), dtype=bool)
    for a, b in tops:
        inside |= (t_s >= a) & (t_s <= b)
    if not inside.any():
        return []
    xs = np.where(inside, x, np.nan)
    out = []
    for w in Cyclic(MARCH_MIN_DEG, MARCH_PROM_FRAC).batch(t_s, xs):
        pk = w.bottom_i
        left = v["lifted_left"][max(pk - 2, 0) : pk + 3]
        side = None
        if np.isfinite(left).any():
            side = "left" if np.nanmean(left) > 0.5 else "right"
        out.append(Rep(len(out) + 1, w.start_s, float(t_s[pk]), w.end_s, math.nan, math.nan, math.nan, math.nan,
                       w.end_s - w.start_s, w.rom, metrics={"hip_ext_top_deg": math.nan,
                                                            "march_lift_deg": float(x[pk])}, side=side))  # fmt: skip
    return out


def top_start_s(line: np.ndarray, t_s: np.ndarray) -> float:
    """Where a bridge still held reached its top: the arrival of one minimum-jerk rise fitted to the body line
    from before the rise to now (the batch rep fit's rise, whose window ends half-way through the top; the plateau's
    length and the marches' short dips hardly move a robust fit's arrival). The first frame when it cannot fit."""
    ok = np.flatnonzero(np.isfinite(line))
    if ok.size < 6:
        return float(t_s[0])
    tr = fit_transition(line, t_s, int(ok[0]), int(ok[-1]))
    return float(t_s[0]) if tr is None else float(np.clip(tr.arrival_s, t_s[0], t_s[-1]))


def top_line(line: np.ndarray, t_s: np.ndarray, top_start_s: float, top_end_s: float) -> float:
    """The body line at the top: its median over the pause, else the highest value seen in the rep."""
    sel = (t_s >= top_start_s - 1e-9) & (t_s <= top_end_s + 1e-9) & np.isfinite(line)
    if np.sum(sel) >= 2:
        return float(np.median(line[sel]))
    return math.nan


def analyze_set(seq: PoseSequence, cfg: Config) -> tuple[Body, dict, list]:
    """Body → body line → cyclic reps → per-rep metrics: ``(body, values, [(rep, window), ...])``."""
    ex = cfg.exercise_config(NAME)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
        body = Body.from_sequence(seq, cfg, position="supine")
        v = values(body.px)
    line, t = v["body_line_deg"], body.t_s
    off_side = lying_view(body.px, body.world).off_side_deg  # the camera's angle, carried by every rep
    windows = Cyclic(ex.min_rom_deg, ex.rep_prominence_frac).batch(t, line) if len(t) else []
    found = []
    for i, w in enumerate(windows):
        top = top_line(line, t, w.bottom_start_s, w.bottom_end_s)
        if not math.isfinite(top):
            top = fh.nan_stat(np.max, line[w.start_i : w.end_i + 1])
        metrics = {"hip_ext_top_deg": top, "march_lift_deg": math.nan, fv.OFF_SIDE_KEY: off_side}
        found.append((fh.window_rep(i + 1, w, metrics), w))
    return body, v, found


def overarch_judged(off_side_deg: float) -> bool:
    """Whether the camera angle lets the top line be judged for over-arching (unknown angle: yes, as any view)."""
    return fv.judged(off_side_deg)


def derive(inp: RuleInput) -> dict[str, float]:
    """Over-arch and shortfall as positive sizes (the rules compare sizes; the top line itself is signed).

    The over-arch size is unknown (NaN: no cue) when the rep was filmed from an angle that cannot tell it: the
    rep carries its camera angle, so this holds for a saved set and for a live rep alike.
    """
    top = inp.num("hip_ext_top_deg")
    if not math.isfinite(top):
        return {"overarch_deg": math.nan, "short_deg": math.nan}
    over = max(top, 0.0) if fv.judged_input(inp) else math.nan
    return {"overarch_deg": over, "short_deg": max(-top, 0.0)}


RULES: tuple[CueRule, ...] = (
    CueRule("bridge.overarch", 20, "warn", "hip_ext_top_deg", source="overarch_deg", threshold="overarch_max_deg",
            message=lambda i, v, t: f"Stop at a straight line: ribs down, squeeze the glutes — the hips went "
            f"{v:.0f}° past the shoulder–knee line", views=("side",)),
    CueRule("bridge.short", 30, "info", "hip_ext_top_deg", source="short_deg", threshold="short_max_deg",
            message=lambda i, v, t: f"Lift the hips higher, to a straight shoulder–hip–knee line — about "
            f"{fh.degrees_text(v)} short", views=("side", "oblique")),
    config_tempo_rule("bridge.rise_fast", 40, "eccentric_s", 0, "Rise over {t} — that one took {v}"),
    config_tempo_rule("bridge.no_pause", 41, "bottom_pause_s", 1, "Hold the top for {t} — that one was {v}"),
    config_tempo_rule("bridge.lower_fast", 42, "concentric_s", 2, "Lower over {t} — that one took {v}"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Clean bridge: hips 2° short of a straight line, 1.0 s at the top" when measured."""
    top, pause = inp.num("hip_ext_top_deg"), inp.num("bottom_pause_s")
    if not math.isfinite(top) or not fv.judged_input(inp):
        return None  # "clean" would claim what this camera angle cannot tell
    off = round(abs(top))  # signed degrees are for the tables: in words, short of or past straight
    line = "in a straight line" if off == 0 else f"{off}° {'short of' if top < 0 else 'past'} a straight line"
    text = f"Clean bridge: hips {line}"
    return text + (f", {seconds_text(pause)} at the top" if math.isfinite(pause) else "")


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("hip_ext_top_deg", "Hip extension at the top (− short, + past straight)", short="Top line °",
               unit="°", fmt="+.0f", show=_TABLE | {"trend"}, better="",
               help="Shoulder–hip–knee line at the top of the rep: 0 = straight, − hips short of it, + past it "
               "(over-arching).", summary="mean"),
    MetricSpec("march_lift_deg", "Knee lift while marching (angle between the thighs)", short="March °", unit="°",
               fmt=".0f", show=_TABLE, better="", help="A bridge held while marching: each knee lift is a rep; "
               "the angle between the two thighs at its peak."),
    MetricSpec("hip_ext_top_deg", "Hip extension at the top while marching (− short, + past straight)",
               short="Top line °", kind="hold", unit="°", fmt="+.0f", show=_TABLE, better="",
               help="Median shoulder–hip–planted-knee line over the held top of a marching bridge."),
    MetricSpec("march_count", "Marches during the hold", short="Marches", kind="hold", fmt=".0f", show=_TABLE,
               better="", help="Knee lifts counted while the bridge was held at the top."),
    MetricSpec("body_line_deg", "body line (− short, + past straight)", kind="series", unit="°", fmt="+.0f",
               plot="angles", color="#e45756", show=frozenset({"plot", "overlay"}), overlay_at="hip",
               overlay_label="line"),
)  # fmt: skip
LIMITS = (
    "The line is measured in the image between joint centres (shoulder, hip, knee): film from the side at about "
    "hip height. A camera raised above the floor or turned toward the head or feet by more than about 23° (told "
    "from how far apart the hips look) reads the line wrong: over-arching is then not judged (a warning says so).",
    "Over-arching is judged from the hips going past a straight shoulder–hip–knee line. An arch made in the lower "
    "back with the hips short of straight keeps that line near straight: a camera without points on the spine does "
    "not see it (our over-arched test video is such a case).",
    "Only the mid-points of both sides are used: the pose tracker places the far-side leg of a body lying side-on by "
    "guesswork. A single-leg bridge's pelvis level is not measured.",
    "Marching (a bridge held while the knees lift in turn) is counted from the angle between the thighs: a lift of "
    "the far leg that the pose tracker does not separate from the near one is not counted, and its side "
    "may be swapped. "
    "From a camera raised 25° or more above the floor with the knees much wider or narrower than the hips, a "
    "marching bridge may be missed. Checked on computer-made marching videos only (no filmed one).",
)


class GluteBridgeLive(LineLive):
    """The live model: the body line per frame; a finished rep is the batch code run on the buffered frames, and
    its top a hold with the marches counted during it (:meth:`held_top`: a bridge held while marching). Each
    march is counted as soon as it ends, while the bridge is still held (:meth:`held_moves`).

    The camera angle is the set's so far, as batch judges it on the whole set (:func:`lying_view`): the same
    statistic over every frame's hip-spread ratio (:class:`~formcheck.body.view.LyingViewTracker`, bounded memory),
    stamped on each rep.
    A rep's own buffer would read a side view from a few side-ish seconds of a set batch calls oblique, and let an
    over-arch cue through that batch withholds.
    """

    phase_key = "body_line_deg"

    def __init__(self, config: Config) -> None:
        ex = config.exercise_config(NAME)
        super().__init__(config, SPEC, Cyclic(ex.min_rom_deg, ex.rep_prominence_frac), values)
        self._last: tuple[PoseSequence, np.ndarray, dict] | None = None  # the frames analyze_rep just analysed
        self._angle = fv.LiveAngle(ANGLE_WORDS)
        # Marches while the bridge is held: this frame's thigh angle, a detector that says when a march has ended
        # (the engine's streaming rep detector with the batch march parameters), and the bridge it follows and the
        # peak of the last march reported in it (bounded: nothing grows with the marches).
        self._split = math.nan
        self._top_of = math.nan  # when the bridge in progress began (the runner's rep start)
        self._trigger: Any = None
        self._told: Rep | None = None  # the last march reported in the bridge in progress

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict, dict]:
        self._angle.update(fr.px, fr.world)
        with np.errstate(invalid="ignore"):
            v = values(fr.px[None])
        self._split = float(v["thigh_split_deg"][0])
        return {"body_line_deg": float(v["body_line_deg"][0])}, {}

    def off_side_deg(self) -> float:
        """The camera's angle from side-on by the set so far, as :func:`lying_view` reads it (NaN: unknown)."""
        return self._angle.off_side_deg()

    def set_warnings(self) -> list[str]:
        """The set's warnings at its end (the runner's ``set_warnings``): over-arching not judged, as in batch."""
        return self._angle.warnings()

    def set_view(self, view: ViewEstimate) -> ViewEstimate:
        """The finished set's view (the runner's ``set_view``): oblique beyond the side boundary, as in batch."""
        return self._angle.set_view(view)

    def analyze_rep(self, seq: PoseSequence, w: Any, index: int, after_s: float) -> Any:
        body, v, found = analyze_set(seq, self.config)
        self._last = (seq, body.t_s, v)  # held_top reads the marches from the same frames
        return self.closest_rep(found, v, body.t_s, w, index, after_s, **{fv.OFF_SIDE_KEY: self.off_side_deg()})

    def held_moves(self, t_s: float, rep_began_s: float, buffer: Any) -> list[Rep]:
        """The marches that ended by now during the bridge in progress and were not reported yet (the runner's
        ``held_moves``, called on every frame of the bridge).

        A streaming detector on the live thigh angle only says that a march has ended (the knee back down and
        settled, or the next lift begun); then the batch code (:func:`marches`) runs on the buffered frames of
        this bridge with the top from where the body line's rise arrived (:func:`top_start_s`; batch takes it
        from the whole bridge's fit) to now: for its first march from ``TOP_LEAD_S`` before the bridge began; after
        one was reported, from half-way down that march's lowering, about where batch's fit window for the next
        march begins (half-way between the two), so a march costs the same however long the bridge has been held
        (~50 ms; from the bridge's start it grew to ~0.45 s after 80 s). The marches it finds peaking after the last
        one reported are returned; when the bridge ends, :meth:`held_top`'s marches on the whole top replace them
        (the runner's rule).
        """
        if rep_began_s != self._top_of:  # a new bridge: a new detector, nothing reported in it yet
            self._top_of, self._told = rep_began_s, None
            self._trigger = Cyclic(MARCH_MIN_DEG, MARCH_PROM_FRAC).detector(resolve=False)
        if self._trigger.update(t_s, self._split) is None:
            return []
        told = self._told
        from_s = told.bottom_s + 0.5 * (told.end_s - told.bottom_s) if told is not None else -math.inf
        seq = buffer(rep_began_s - TOP_LEAD_S if told is None else from_s - SMOOTH_EDGE_S)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            body = Body.from_sequence(seq, self.config, position="supine")
            v = values(body.px)
        t = body.t_s
        if t.size < 2:
            return []
        top = (top_start_s(v["body_line_deg"], t), float(t[-1])) if told is None else (from_s, float(t[-1]))
        # Peaks of one batch run are at least the detector's min_rep_s apart: half of it tells a march already
        # reported (its peak moved by a frame) from the next one. A "march" starting where the frames analysed
        # start is the engine's opening-position rule reading the last march's lowering: not a march.
        gap_s = 0.5 * Cyclic.min_rep_s
        told_peak = told.bottom_s if told is not None else -math.inf
        new = [m for m in marches(v, t, [top]) if m.bottom_s > told_peak + gap_s and m.start_s > top[0] + 1e-9]
        if new:
            self._told = new[-1]
        return new

    def held_top(self, seq: PoseSequence, rep: Rep, w: Any) -> tuple[Hold, list[Rep]]:
        """The counted bridge ``rep``'s top as a hold and the marches during it (the runner's ``held_top``).

        The batch code (:func:`marches`) on the buffered frames ``analyze_rep`` just analysed, inside this
        bridge's top only (batch runs it over every top of the set at once; its threshold is the march size, so
        the two agree). The hold carries the bridge's metrics and its ``march_count``, as in batch.
        """
        last, self._last = self._last, None  # the buffer is not kept past this rep
        if last is not None and last[0] is seq:
            _, t_s, v = last
        else:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
                body = Body.from_sequence(seq, self.config, position="supine")
                t_s, v = body.t_s, values(body.px)
        moved = marches(v, t_s, [(w.bottom_start_s, w.bottom_end_s)])
        metrics = {k: x for k, x in rep.metrics.items() if k != "march_lift_deg"}
        metrics["march_count"] = float(sum(w.bottom_start_s <= m.bottom_s <= w.bottom_end_s for m in moved))
        hold = Hold(rep.index, w.bottom_start_s, w.bottom_end_s, w.bottom_end_s - w.bottom_start_s, metrics=metrics)
        return hold, moved


class GluteBridgeAnalyzer(LineAnalyzer):
    """Batch analysis of a glute-bridge set (see the module docstring)."""

    name = NAME
    live_model = GluteBridgeLive

    def analyze(self, seq: PoseSequence) -> Analysis:
        body, v, found = analyze_set(seq, self.config)
        vw, lv = fv.set_view(body)  # the horizontal width check misses a raised camera (module doc)
        q = line_quality(
            seq, body, vw, SPEC, warnings=ANGLE_WORDS.warnings(lv.off_side_deg), n_items=len(found),
            no_items="No bridge was found: lie on your back, side-on to the camera, and lift the hips.",
        )  # fmt: skip
        reps = tuple(r for r, _ in found)
        tops = [r.metrics["hip_ext_top_deg"] for r in reps]
        summary = {"rep_count": len(reps), "hip_ext_top_mean_deg": fh.nan_stat(np.mean, np.array(tops))}
        holds: tuple[Hold, ...] = ()
        marched = marches(v, body.t_s, [(w.bottom_start_s, w.bottom_end_s) for _, w in found])
        if marched:
            # A bridge held while marching: the bridges are reported as holds (their top), the marches as reps.
            holds = tuple(
                Hold(i + 1, w.bottom_start_s, w.bottom_end_s, w.bottom_end_s - w.bottom_start_s,
                     metrics={"hip_ext_top_deg": r.metrics["hip_ext_top_deg"],
                              fv.OFF_SIDE_KEY: r.metrics[fv.OFF_SIDE_KEY],
                              "march_count": float(sum(w.bottom_start_s <= m.bottom_s <= w.bottom_end_s
                                                       for m in marched))})
                for i, (r, w) in enumerate(found)
            )  # fmt: skip
            reps = tuple(marched)
            summary = {**summary, "rep_count": len(reps), "hold_count": len(holds), "bridge_count": len(found)}
        return line_analysis(SPEC, reps, q, summary, body, v, "body_line_deg", holds=holds, video=seq.video)

    def stream(self) -> ExerciseStream:
        st = super().stream()
        # A bridge held while marching lasts as long as the marching: the buffer holds its whole top (see
        # LIVE_TOP_MAX_S), so the bridge is re-analysed whole when it ends (20 s lost a 24 s top and its marches).
        st.buffer_s = max(st.buffer_s, LIVE_TOP_MAX_S + 20.0)
        return st


def _synth(**kw: Any) -> Any:
    from formcheck.analyzers.glute_bridge_synth import bridge_clip  # tests only

    return bridge_clip(**kw)


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("hips up", "hold at the top", "hips down", "rest"),
    columns=("up", "hold", "down", "rest"),
    rest="lying down",
    turn="top of the bridge",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title="Glute bridge", measures="hip extension at the top (over-arch / short), pause at the top, tempo",
    positions=("supine",), views=("side", "oblique"), landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="cyclic", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=GluteBridgeConfig,
    analyzer=GluteBridgeAnalyzer, praise=praise, live_keys=("body_line_deg",), tempo_rules=False, derive=derive,
    no_reps_hint="No bridge found: lie on your back, side-on to the camera, and lift the hips", synth=_synth,
))  # fmt: skip
