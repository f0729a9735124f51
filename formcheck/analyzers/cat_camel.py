"""Cat-camel (quadruped, side view): reps, a head–trunk flexion↔extension range (a proxy), slow even tempo.

MediaPipe has no spine landmarks, and on hands and knees the shoulders and hips barely move while the back rounds
and sags between them, so the shoulder–hip line says nothing about the spine. What a side camera does see move
is the head turning with the upper back (the exercise cues the head to follow the spine). The measure is
therefore a **proxy**, named as one:

* **head–trunk line** ``head_trunk_deg``: signed deviation from a straight ear–shoulder–hip line at the shoulder
  (mid-points of both sides), + head below the line (cat, flexion), − above (camel, extension).
* **reps**: one per flexion and the extension after it (the engine's cyclic strategy on the head–trunk line: a
  rep starts from neutral or from the previous extension, turns in flexion and ends when the extension is reached).
* per rep: ``flexion_deg`` (median over the pause in flexion, else the highest value), ``extension_deg`` (the
  lowest value after the flexion), ``range_deg`` = flexion − extension, in head–trunk degrees: on the rendered
  clip the proxy's range is larger than the true spinal range (the neck adds to it), see docs/metrics.md.
* **tempo**: into flexion (``eccentric_s``), pause in flexion (``bottom_pause_s``), flexion to extension
  (``concentric_s``) against ``target_tempo_s`` (slow and even = each phase at least its prescribed time), and the
  time held in the arch (``top_pause_s``): from the extension's arrival to the onset of the next movement out of it.
  When the back comes back to neutral and rests there before the next rep, that rest is not part of the arch, and
  the next rep's flexion starts from neutral (:func:`neutral_rests`).

The back-outline mask probe (``dorsal_outline_up``, the silhouette's upper edge between hip and shoulder) was
tried on the rendered cat-camel clip: the bend between its lower and upper halves read the extension at about half
its size (−14 to −17° from rest for −28°) and the flexion hardly at all (+3° for +40°), and its bulge flipped sign
from frame to frame, so neither the spine's range nor which half of the back moves least is derived from it
(docs/metrics.md, B3). Declaring the probe would also re-key every cached pose extraction (the cache is keyed on
the probes of all registered exercises), which is not worth a measure that does not work.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any

import numpy as np
from pydantic import Field

from formcheck.analyzers import floor_hold as fh
from formcheck.analyzers import hinge  # noqa: F401 - the default exercise (first registered) stays the hinge
from formcheck.analyzers.floor_cyclic import LineAnalyzer, LineLive, line_analysis, line_quality
from formcheck.body import BODY, Body
from formcheck.config import Config, ExerciseConfig, TempoS
from formcheck.engine.cuerules import config_tempo_rule
from formcheck.engine.registry import register
from formcheck.engine.repstrategies import Cyclic
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput
from formcheck.metrics.tempo import fit_transition
from formcheck.reps import RepWindow, StreamingRepDetector
from formcheck.types import Analysis, PoseSequence

NAME = "cat_camel"
# A head-trunk line outside this range is not a head on a trunk (landmarks mis-tracked): unknown. Physical bound.
LINE_VALID_DEG = (-120.0, 120.0)
# A rep may start from neutral, which lies between the extension and the flexion: the engine's default demands a
# start within 35% of the rep's height above the lowest level (the extension); the head at neutral sits nearer
# the extension than the flexion (flexion is the larger half), so a start within half the height is accepted.
RETURN_FRAC = 0.5


class CatCamelConfig(ExerciseConfig):
    """Cat-camel: the range and tempo prescribed (into flexion, pause, flexion to extension, pause)."""

    target_tempo_s: TempoS = Field(
        (1.5, 1.0, 2.0, 1.0),
        description="s: into flexion, pause in flexion, flexion to extension, pause in extension",
    )
    min_rom_deg: float = Field(15.0, gt=0, le=180, description="deg of head-trunk movement below which not a rep")
    min_range_deg: float = Field(
        40.0,
        gt=0,
        le=180,
        description="deg of head-and-trunk range (rounded to arched) below which a 'move further' cue is given",
    )


def values(px: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame measures of ``(T, 33, 2)`` pixels (a set or one live frame)."""
    ear, sho, hip = fh.mid_px(px, "EAR"), fh.mid_px(px, "SHOULDER"), fh.mid_px(px, "HIP")
    line = fh.signed_line_deg(ear, sho, hip)
    with np.errstate(invalid="ignore"):
        ok = (line >= LINE_VALID_DEG[0]) & (line <= LINE_VALID_DEG[1])
    return {"head_trunk_deg": np.where(ok, line, np.nan)}


# A rep ends where the extension is reached and held. Two things would end it earlier, both because the rest level
# (neutral) lies between the extension and the flexion:
# * the set's last rep: after the extension the back comes back up to neutral, less than half the rep's range, so
#   the batch fit's window ran on over the return and its end plateau was pulled up (the end read ~0.12 s early).
#   The window is cut where the signal has risen CUT_RISE_FRAC of the rep's range back up from the extension,
#   half-way between (as the engine bounds a rep cut off by the end of a run);
# * live, the detector closes a rep once the signal is back near the set's opening (neutral) level, which the
#   extension passes on its way down: it also waits until the signal has stopped falling (STILL_DROP_FRAC of the
#   rep's height over STILL_WINDOW_S), so the re-analysed buffer holds the extension.
# Reasoned from the movement's shape (a plateau, a rise to neutral well under half the range), not fitted.
CUT_RISE_FRAC = 0.2
STILL_WINDOW_S = 0.3
STILL_DROP_FRAC = 0.05


class _SettledDetector(StreamingRepDetector):
    """The engine's streaming detector, closing a rep only once the return has stopped falling."""

    def _falling(self) -> bool:
        t = np.fromiter(self._t, dtype=np.float64)
        x = np.fromiter(self._x, dtype=np.float64)
        now = t[-1] if t.size else math.nan
        recent = x[t > now - STILL_WINDOW_S / 2]
        before = x[(t > now - STILL_WINDOW_S) & (t <= now - STILL_WINDOW_S / 2)]
        if not (np.isfinite(recent).any() and np.isfinite(before).any()):
            return False
        amp = self._high - self._low
        return bool(np.nanmean(before) - np.nanmean(recent) > STILL_DROP_FRAC * amp)

    def _finish(self) -> RepWindow | None:
        if self._falling():
            return None  # still on its way into the extension: checked again at the next sample
        return super()._finish()

    def flush(self) -> RepWindow | None:
        return super()._finish() if self._state == "returning" else None


def _first_true(a: np.ndarray, default: int) -> int:
    i = np.flatnonzero(a)
    return int(i[0]) if i.size else default


@dataclasses.dataclass(frozen=True)
class CatCamelCyclic(Cyclic):
    """The engine's cyclic strategy with rep ends at the held extension (see ``CUT_RISE_FRAC``)."""

    def batch(self, t_s: np.ndarray, depth: np.ndarray, **kw: Any) -> list[RepWindow]:
        found = super().batch(t_s, depth, **kw)
        x = np.asarray(depth, dtype=np.float64)
        x_cut = x.copy()
        for k, rep in enumerate(found):
            # The last rep of each NaN-free run: no next rep before the run ends.
            run_end = rep.end_i + _first_true(~np.isfinite(x[rep.end_i :]), len(x) - rep.end_i)
            if k + 1 < len(found) and found[k + 1].start_i < run_end:
                continue
            rise = x[rep.end_i : run_end]
            height = x[rep.bottom_i] - x[rep.end_i]
            over = np.flatnonzero(rise >= x[rep.end_i] + CUT_RISE_FRAC * height) if height > 0 else []
            if len(over):
                x_cut[rep.end_i + (int(over[0]) + 1) // 2 + 1 : run_end] = np.nan
        if not found or np.array_equal(x_cut, x, equal_nan=True):
            return neutral_rests(t_s, x, found)
        again = super().batch(t_s, x_cut, **kw)
        return neutral_rests(t_s, x, again if len(again) == len(found) else found)

    def detector(self, *, resolve: bool = True) -> StreamingRepDetector:
        return _SettledDetector(
            min_rom_deg=self.min_rom_deg, prominence_frac=self.prominence_frac, return_frac=self.return_frac,
            cutoff_hz=self.cutoff_hz, order=self.order, buffer_s=self.buffer_s, settle_s=self.settle_s,
            resolve=resolve, min_rep_s=self.min_rep_s,
        )  # fmt: skip


# A rest in neutral between two reps: the back stays put (moves less than REST_STILL_FRAC of the rep's height over
# REST_SPAN_S) somewhere between the extension and the next flexion, at least CUT_RISE_FRAC of the height away from
# both. Moving straight from the arch into the next flexion never passes that test: a minimum-jerk movement between
# them covers at least 0.65 x height / duration per 0.5 s in that band, more than 0.1 x height for any movement
# under 6 s. Coming back to neutral and going on without a rest does pass it (speed 0 at neutral), which is right:
# the back left the arch. Reasoned from the movement's shape; the span was first 0.3 s, which read a 0.2 s hitch
# half-way up the cartoon catcow_side_postureapp_2's continuous movement as a rest (docs/metrics.md, B1).
REST_STILL_FRAC = 0.1
REST_SPAN_S = 0.5


def _rest_index(t: np.ndarray, x: np.ndarray, lo: int, hi: int, low: float, high: float) -> int | None:
    """The stillest sample of ``x[lo:hi]`` whose level lies inside ``(low, high)`` and that moved less than
    ``REST_STILL_FRAC * (high - low)`` over ``REST_SPAN_S`` around it (NaN-free there); None when there is none."""
    half = REST_SPAN_S / 2
    height = high - low
    best, best_move = None, math.inf
    for i in range(lo, hi):
        if not low + CUT_RISE_FRAC * height <= x[i] <= high - CUT_RISE_FRAC * height:
            continue
        a = int(np.searchsorted(t, t[i] - half - 1e-9))
        b = int(np.searchsorted(t, t[i] + half + 1e-9, side="right")) - 1
        if a < lo or b >= hi or not np.all(np.isfinite(x[a : b + 1])):
            continue
        move = float(abs(x[b] - x[a]))
        if move < REST_STILL_FRAC * height and move < best_move:
            best, best_move = i, move
    return best


def _arch_reached(t: np.ndarray, x: np.ndarray, r: RepWindow, rest: int) -> tuple[RepWindow, Any]:
    """The rep with its extension refitted on the movement into the arch only, and the fitted return to neutral.

    The rep code fits the extension on a window running half-way to the next rep's flexion, so after a rest in
    neutral it takes in the arch, the return and part of the rest: the fitted end plateau is pulled toward neutral
    and the arch is reached too early, the more so the longer the rest (on the exact generator curve: 0.01 s early
    after a 1 s rest, 0.08 s after 3 s, 0.47 s after 6 s, the extension read 1.2 s for 1.8 s). Here the return is
    fitted from that arrival to the rest, and the extension refitted from the middle of the pause in flexion to the
    return's onset (the whole arch as its end plateau, nothing of the return); the return is then refitted from
    the new arrival. On the generator curve one refit lands on the truth for 1, 3 and 6 s rests. When a fit fails,
    the rep is kept as the rep code gave it.
    """
    back = fit_transition(x, t, r.end_i, rest)
    if back is None:
        return r, None
    mid = int(np.clip(np.searchsorted(t, 0.5 * (r.bottom_start_s + r.bottom_end_s)), r.start_i, r.end_i))
    stop = int(np.clip(np.searchsorted(t, back.onset_s), mid + 1, rest))
    con = fit_transition(x, t, mid, stop)
    if con is None:
        return r, back
    end = min(con.arrival_s, float(t[stop]))
    bottom_end = max(con.onset_s, float(t[mid]), r.bottom_start_s)
    if not end > bottom_end:
        return r, back
    end_i = int(np.clip(np.searchsorted(t, end), 0, len(t) - 1))
    refit = dataclasses.replace(
        r, end_i=end_i, end_s=end, bottom_end_s=bottom_end, concentric_peak_speed=con.peak_speed
    )
    again = fit_transition(x, t, end_i, rest) if end_i != r.end_i else back
    return (refit, again) if again is not None else (r, back)


def neutral_rests(t_s: np.ndarray, x: np.ndarray, reps: list[RepWindow]) -> list[RepWindow]:
    """The reps with each arch hold (``top_pause_s``) ending where the back left the arch, not at the next rep.

    The rep code times the pause after a rep as the gap to the next rep's fitted start, and fits that start from
    the end of the previous rep (its extension). When the back comes back to neutral and rests there between reps
    (a rest found by :func:`_rest_index`), the movement from the extension to the next flexion is two movements:
    the return, fitted from the extension's arrival to the rest (the same minimum-jerk fit as every other phase;
    its onset ends the arch hold, and the extension is refitted up to that onset: :func:`_arch_reached`), and the
    next flexion, refitted from the rest to the middle of its pause in flexion (its onset is the rep's start, its
    arrival the start of that pause). Without a rest nothing changes.
    """
    t = np.asarray(t_s, dtype=np.float64)
    out = list(reps)
    for k in range(len(out) - 1):
        r, n = out[k], out[k + 1]
        if not math.isfinite(r.top_pause_s) or n.bottom_i <= r.end_i:
            continue
        seg = x[r.bottom_i : n.bottom_i + 1]
        ext, flex = fh.nan_stat(np.min, seg), float(x[n.bottom_i])
        if not (math.isfinite(ext) and math.isfinite(flex) and flex > ext):
            continue
        rest = _rest_index(t, x, r.end_i, n.bottom_i, ext, flex)
        if rest is None:
            continue
        r, back = _arch_reached(t, x, r, rest)
        mid_bottom = int(np.clip(np.searchsorted(t, 0.5 * (n.bottom_start_s + n.bottom_end_s)), rest + 1, len(t) - 1))
        flexing = fit_transition(x, t, rest, mid_bottom)
        if back is None or flexing is None:
            continue
        left_arch = min(max(back.onset_s, r.end_s), float(t[rest]))
        start = max(flexing.onset_s, float(t[rest]))
        bottom_start = min(flexing.arrival_s, n.bottom_end_s)
        if not start < bottom_start:
            continue
        out[k] = dataclasses.replace(r, top_pause_s=left_arch - r.end_s)
        out[k + 1] = dataclasses.replace(
            n, start_i=int(np.searchsorted(t, start - 1e-9)), start_s=start, bottom_start_s=bottom_start,
            top_level=float(x[rest]), eccentric_peak_speed=flexing.peak_speed,
        )  # fmt: skip
    return out


def strategy(ex: Any) -> Cyclic:
    return CatCamelCyclic(ex.min_rom_deg, ex.rep_prominence_frac, return_frac=RETURN_FRAC)


def rep_metrics(x: np.ndarray, t: np.ndarray, w: Any) -> dict[str, float]:
    """Flexion, extension and range of one rep window."""
    sel = (t >= w.bottom_start_s - 1e-9) & (t <= w.bottom_end_s + 1e-9) & np.isfinite(x)
    win = x[w.start_i : w.end_i + 1]
    flex = float(np.median(x[sel])) if np.sum(sel) >= 2 else fh.nan_stat(np.max, win)
    after = x[w.bottom_i : w.end_i + 1]
    ext = fh.nan_stat(np.min, after)
    return {"flexion_deg": flex, "extension_deg": ext, "range_deg": flex - ext}


def analyze_set(seq: PoseSequence, cfg: Config) -> tuple[Body, dict, list]:
    """Body → head–trunk line → cyclic reps → per-rep metrics: ``(body, values, [(rep, window), ...])``."""
    ex = cfg.exercise_config(NAME)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
        body = Body.from_sequence(seq, cfg, position="quadruped")
        v = values(body.px)
        x, t = v["head_trunk_deg"], body.t_s
        windows = strategy(ex).batch(t, x) if len(t) else []
        found = []
        for i, w in enumerate(windows):
            found.append((fh.window_rep(i + 1, w, rep_metrics(x, t, w)), w))
    return body, v, found


RULES: tuple[CueRule, ...] = (
    CueRule("catcamel.range", 30, "info", "range_deg", op="<", threshold="min_range_deg",
            message="Move further: round the whole back up, then let it sag slowly — the head and upper back "
            "moved {value:.0f}°", views=("side", "oblique")),
    config_tempo_rule("catcamel.flex_fast", 40, "eccentric_s", 0, "Round the back over {t} — that one took {v}"),
    config_tempo_rule("catcamel.no_pause", 41, "bottom_pause_s", 1, "Pause {t} in the rounded position — that one "
                      "was {v}"),
    config_tempo_rule("catcamel.extend_fast", 42, "concentric_s", 2, "Move into the arch over {t} — that one "
                      "took {v}"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Slow, even cat-camel: 62° head–trunk range" when measured (the tempo rules judged slow and even)."""
    rng = inp.num("range_deg")
    return f"Slow, even cat-camel: {rng:.0f}° head–trunk range" if math.isfinite(rng) else None


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("range_deg", "Head–trunk range, flexion to extension (proxy)", short="Range °", unit="°",
               fmt=".0f", show=_TABLE | {"trend"}, better="higher", threshold_key="min_range_deg",
               help="Ear–shoulder–hip angle from the rounded (cat) to the arched (camel) position: the head and "
               "upper back, not the spine itself.", summary="mean"),
    MetricSpec("flexion_deg", "Head–trunk line in flexion", short="Flex °", unit="°", fmt="+.0f", show=_TABLE,
               better="", help="+ head below the shoulder–hip line."),
    MetricSpec("extension_deg", "Head–trunk line in extension", short="Ext °", unit="°", fmt="+.0f",
               show=_TABLE, better="", help="− head above the shoulder–hip line."),
    MetricSpec("head_trunk_deg", "head–trunk line (+ flexion)", kind="series", unit="°", fmt="+.0f",
               plot="angles", color="#e45756", show=frozenset({"plot", "overlay"}), overlay_at="shoulder",
               overlay_label="head"),
)  # fmt: skip
LIMITS = (
    "The pose tracker has no points on the spine: the flexion and extension are a head–trunk proxy (ear–shoulder–hip), "
    "not the spine's own angle. Moving only the head changes it; rounding the back with the head still does not.",
    "Which half of the back (upper or lower) moves least is not measured: the back outline in the mask did not "
    "show the flexion in our test video, so no upper/lower estimate is given.",
    "Angles are measured in the image: film from the side at about shoulder height. An oblique view "
    "foreshortens them (a warning says so).",
)


# Live: the arch holds kept for the end of the set, and how near (s) a re-analysed rep's end must be to a counted
# rep's (the same rep refitted on another buffer ends within a frame or two).
ARCH_KEEP = 64
ARCH_MATCH_S = 0.15


class CatCamelLive(LineLive):
    """The live model: the head–trunk line per frame; a finished rep is the batch code on the buffered frames."""

    phase_key = "head_trunk_deg"

    def __init__(self, config: Config) -> None:
        super().__init__(config, SPEC, strategy(config.exercise_config(NAME)), values)
        # The arch hold of each earlier rep as the re-analysis of the next rep's frames read it: (end_s, hold s).
        self._arch: list[tuple[float, float]] = []

    def analyze_rep(self, seq: PoseSequence, w: Any, index: int, after_s: float) -> Any:
        body, v, found = analyze_set(seq, self.config)
        got = self.closest_rep(found, v, body.t_s, w, index, after_s)
        if got is not None:
            # The runner times the previous rep's pause as the gap to this rep's start, which takes in a rest in
            # neutral; the batch code on these frames (they hold the previous rep) times the arch itself.
            self._arch += [(r.end_s, r.top_pause_s) for r, _ in found if r.end_s < got[0].start_s]
            del self._arch[:-ARCH_KEEP]
        return got

    def finish_reps(self, reps: tuple[Any, ...], buffer: Any) -> tuple[list[Any], list[str]] | None:
        """The end of the set: each rep's arch hold (``top_pause_s``) as the batch code read it when the next rep
        was re-analysed (:func:`neutral_rests`), as a file analysis times it; None when nothing changes."""
        out = list(reps)
        for k, r in enumerate(out):
            near = [a for end, a in self._arch if abs(end - r.end_s) <= ARCH_MATCH_S and math.isfinite(a)]
            if math.isfinite(r.top_pause_s) and near:
                out[k] = dataclasses.replace(r, top_pause_s=near[-1])
        return (out, []) if out != list(reps) else None


class CatCamelAnalyzer(LineAnalyzer):
    """Batch analysis of a cat-camel set (see the module docstring)."""

    name = NAME
    live_model = CatCamelLive

    def analyze(self, seq: PoseSequence) -> Analysis:
        body, v, found = analyze_set(seq, self.config)
        q = line_quality(
            seq, body, body.view, SPEC, n_items=len(found),
            no_items="No cat-camel was found: on hands and knees, side-on to the camera, round and arch the back.",
        )  # fmt: skip
        reps = tuple(r for r, _ in found)
        ranges = np.array([r.metrics["range_deg"] for r in reps])
        summary = {"rep_count": len(reps), "range_mean_deg": fh.nan_stat(np.mean, ranges)}
        return line_analysis(SPEC, reps, q, summary, body, v, "head_trunk_deg", video=seq.video)


def _synth(**kw: Any) -> Any:
    from formcheck.analyzers.cat_camel_synth import cat_camel_clip  # tests only

    return cat_camel_clip(**kw)


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("rounding the back", "hold rounded", "arching the back", "hold arched"),
    columns=("round", "rounded", "arch", "arched"),
    rest="on all fours",
    turn="most rounded point",
    first_speed="",
)


SPEC = ExerciseSpec(
    phases=PHASES,
    name=NAME, title="Cat-camel", measures="head–trunk flexion↔extension range (proxy), reps, slow even tempo",
    positions=("quadruped",), views=("side", "oblique"), landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="cyclic", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=CatCamelConfig,
    analyzer=CatCamelAnalyzer, praise=praise, live_keys=("head_trunk_deg",), tempo_rules=False,
    no_reps_hint="No cat-camel found: on hands and knees, side-on to the camera, round and arch the back",
    synth=_synth,
)  # fmt: skip


register(SPEC)


def register_spec() -> ExerciseSpec:
    """Register the exercise (its spec and ``[exercise.cat_camel]`` config table) again; idempotent."""
    return register(SPEC)
