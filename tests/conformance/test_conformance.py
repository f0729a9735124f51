"""Conformance suite: every registered exercise, on its own synthetic sets with known truth.

Each exercise brings a generator (``ExerciseSpec.synth``, or :data:`FALLBACK_SYNTH` here while it has none) that
makes a side-on set of ``N_REPS`` complete reps with exact phase times. From that one set the suite derives the
hard cases every exercise must survive — a live stream of the same frames, the mirror image, 5 fps with dropped
frames, sprinkled lost frames, an empty clip, a clip with nobody, the person leaving and coming back — and checks
the exercise's declarations against its config model. The last checks drive the shared cue evaluator with rules
made up here (negative thresholds, a side-only rule), through the exercise's own spec.

Numbers are compared against the generator's truth where there is one (rep count, phase times) and against the
exercise's own clean batch analysis otherwise, within :data:`TOLERANCES` (by the unit suffix of the metric key).
Synthetic data only, no video: the whole suite runs in well under a minute.
"""

from __future__ import annotations

import dataclasses
import json
import math
import pkgutil
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pytest

import formcheck.engine
from formcheck import cues as cue_engine
from formcheck.analyzers.base import LiveState
from formcheck.config import Config
from formcheck.engine import cuerules, registry
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec
from formcheck.types import Analysis, Hold, PoseSequence, Quality, Rep

SPECS: tuple[ExerciseSpec, ...] = registry.specs()
IDS = [s.name for s in SPECS]
CFG = Config()
N_REPS = 3
SEED = 0

# Generators for exercises whose spec does not declare ``synth`` yet: name -> callable with the same contract
# (keyword arguments n_reps, facing, fps, seed; returns an object with .seq and .truth.phases).
FALLBACK_SYNTH: dict[str, Callable[..., Any]] = {}

# How far two analyses of the same movement may differ, by the unit suffix of the metric key (first match wins).
# Every per-rep metric an exercise declares must match a row (test_tolerance_table_covers_every_rep_metric).
TOLERANCES: tuple[tuple[str, float, str], ...] = (
    (r"_deg$", 2.0, "angles, degrees"),
    (r"(^|_)share(_\d+_\d+)?$", 0.05, "0-1 shares"),
    (r"_frac$", 0.02, "fractions of a body length"),
    (r"_cm$", 2.0, "centimetres"),
    (r"_pct(_[a-z]+)?$", 3.0, "percent of a length (points)"),
    # Durations summed over frames: the live re-analysis may end a rep two frames earlier (0.067 s at 30 fps)
    # and a band crossing lands a frame either way.
    (r"_s$", 0.15, "durations, seconds"),
    (r"_changes$", 1.0, "counts of direction changes"),
)
PHASE_TOL_S = 0.1  # rep times: start, end and the phase durations
# Hold exercises (rep_strategy "hold") count holds, not reps: their start and end against the generator's truth.
# A hold starts when the body is still in position and ends when it starts to move out, found by a causal
# stillness test over a 0.3 s window (formcheck.analyzers.floor_hold), so the truth is met within a quarter second.
HOLD_TOL_S = 0.25
HOLD_FIELDS = ("start_s", "end_s", "in_band_s")  # hold times compared between two analyses
# Rep times compared between two analyses. Not bottom_s: the deepest frame of a still bottom pause is a tie
# (checked against the truth's pause instead, see truth_differences).
PHASE_FIELDS = (
    "start_s", "end_s", "eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s", "time_under_tension_s",
)  # fmt: skip
REP_FIELDS = frozenset(f.name for f in dataclasses.fields(Rep))
LEAVE_S = 3.0  # the person is out of the picture this long
LATE_ENTRY_LEAD_S = 0.3  # the person appears this long before the first rep (the live setup check needs 1 s)


# ---------------------------------------------------------------------------------------------------------------
# Helpers: sequences derived from the exercise's clip, the stream feed, comparisons
# ---------------------------------------------------------------------------------------------------------------


def synth_of(spec: ExerciseSpec) -> Callable[..., Any] | None:
    return spec.synth if spec.synth is not None else FALLBACK_SYNTH.get(spec.name)


def tolerance(key: str) -> float | None:
    """The tolerance of a metric key by its unit suffix (None: the key names no unit the table knows)."""
    return next((tol for pattern, tol, _ in TOLERANCES if re.search(pattern, key)), None)


def rebuild(seq: PoseSequence, lm: np.ndarray, world: np.ndarray, t_s: np.ndarray, probes: Mapping) -> PoseSequence:
    return PoseSequence(lm, world, t_s, seq.width, seq.height, probes=dict(probes))


def take(seq: PoseSequence, idx: np.ndarray) -> PoseSequence:
    """Only the frames ``idx`` (a live loop that dropped the others)."""
    return rebuild(seq, seq.landmarks[idx], seq.world[idx], seq.t_s[idx], {k: v[idx] for k, v in seq.probes.items()})


def blank(seq: PoseSequence, lost: np.ndarray) -> PoseSequence:
    """Frames ``lost`` with nobody found: NaN landmarks and probe points, as the pose model reports them."""
    lm, world = np.array(seq.landmarks), np.array(seq.world)
    lm[lost] = np.nan
    world[lost] = np.nan
    probes = {k: np.where(lost[:, None, None], np.nan, v) for k, v in seq.probes.items()}
    return rebuild(seq, lm, world, seq.t_s, probes)


def mirrored(seq: PoseSequence) -> PoseSequence:
    """The mirror image: image x → 1 - x, world x → -x, probe x → width - x (labels and depth kept)."""
    lm, world = np.array(seq.landmarks), np.array(seq.world)
    lm[..., 0] = 1.0 - lm[..., 0]
    world[..., 0] = -world[..., 0]
    probes = {k: np.stack([seq.width - v[..., 0], v[..., 1]], axis=-1) for k, v in seq.probes.items()}
    return rebuild(seq, lm, world, seq.t_s, probes)


def joined(a: PoseSequence, b: PoseSequence, gap_s: float) -> tuple[PoseSequence, float, float]:
    """``a``, then ``gap_s`` of frames with nobody, then ``b``; returns the sequence, the gap's start and b's offset."""
    dt = float(np.median(np.diff(a.t_s)))
    n_gap = round(gap_s / dt)
    t_gap = a.t_s[-1] + dt * np.arange(1, n_gap + 1)
    offset = float(t_gap[-1] + dt - b.t_s[0])

    def cat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.concatenate([x, np.full((n_gap, *x.shape[1:]), np.nan), y])

    t_s = np.concatenate([a.t_s, t_gap, b.t_s + offset])
    probes = {k: cat(a.probes[k], b.probes[k]) for k in a.probes}
    return rebuild(a, cat(a.landmarks, b.landmarks), cat(a.world, b.world), t_s, probes), float(a.t_s[-1]), offset


def every_step(t_s: np.ndarray, step_s: float) -> np.ndarray:
    """Indices of the frames a loop that takes one frame per ``step_s`` keeps."""
    out, nxt = [], float(t_s[0]) if len(t_s) else 0.0
    for i, t in enumerate(t_s):
        if t >= nxt - 1e-6:
            out.append(i)
            nxt = float(t) + step_s
    return np.array(out, dtype=np.int64)


def feed(spec: ExerciseSpec, seq: PoseSequence, config: Config = CFG) -> tuple[Analysis, list[LiveState]]:
    """Run the exercise's streaming analyzer over ``seq`` frame by frame; the finished set and every state."""
    stream = spec.analyzer(config).stream()
    outline = seq.back_contour_px  # the one probe the stream protocol carries
    states = []
    for i in range(seq.n_frames):
        states.append(stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height,
                                    None if outline is None else outline[i], 1))  # fmt: skip
    return stream.finish(), states


def items(spec: ExerciseSpec, an: Analysis) -> tuple:
    """What the exercise counts: holds for a hold exercise, else reps."""
    return an.holds if spec.counts_holds else an.reps


def rep_specs(spec: ExerciseSpec) -> tuple[MetricSpec, ...]:
    return tuple(m for m in spec.metrics if m.kind == "rep")


def series_specs(spec: ExerciseSpec) -> tuple[MetricSpec, ...]:
    return tuple(m for m in spec.metrics if m.kind == "series")


def hold_specs(spec: ExerciseSpec) -> tuple[MetricSpec, ...]:
    return tuple(m for m in spec.metrics if m.kind == "hold")


def differences(spec: ExerciseSpec, a: Sequence[Rep | Hold], b: Sequence[Rep | Hold]) -> list[str]:
    """Where two rep (or hold) lists of the same movement disagree beyond the tolerances (empty: they agree)."""
    if len(a) != len(b):
        return [f"{len(a)} reps vs {len(b)}"]
    holds = bool(a) and isinstance(a[0], Hold)
    out = []
    for ra, rb in zip(a, b, strict=True):
        for f in HOLD_FIELDS if holds else PHASE_FIELDS:
            va, vb = getattr(ra, f), getattr(rb, f)
            if math.isnan(va) != math.isnan(vb) or abs(va - vb) > PHASE_TOL_S + 1e-9:
                out.append(f"rep {ra.index} {f}: {va:.3f} vs {vb:.3f}")
        for m in hold_specs(spec) if holds else rep_specs(spec):
            va, vb, tol = m.value_of(ra.metrics), m.value_of(rb.metrics), tolerance(m.key)
            if math.isnan(va) != math.isnan(vb) or (tol is not None and abs(va - vb) > tol + 1e-9):
                out.append(f"rep {ra.index} {m.key}: {va:.4g} vs {vb:.4g} (tolerance {tol})")
    return out


def truth_differences(
    reps: Sequence[Rep | Hold], phases: Sequence[Mapping[str, float]], offset_s: float = 0.0
) -> list[str]:
    """Where reps disagree with the generator's phase times (start, bottom reached, rise begun, end); holds with
    their start and end (within HOLD_TOL_S)."""
    out = []
    if reps and isinstance(reps[0], Hold):
        for h, p in zip(reps, phases, strict=True):
            for what, got, want in (("start", h.start_s, p["start_s"]), ("end", h.end_s, p["end_s"])):
                if not abs(got - (want + offset_s)) <= HOLD_TOL_S + 1e-9:
                    out.append(f"hold {h.index} {what}: {got:.3f} s, truth {want + offset_s:.3f} s")
        return out
    for r, p in zip(reps, phases, strict=True):
        for what, got, want in (
            ("start", r.start_s, p["start_s"]),
            ("bottom reached", r.start_s + r.eccentric_s, p["bottom_start_s"]),
            ("rise begun", r.end_s - r.concentric_s, p["bottom_end_s"]),
            ("end", r.end_s, p["end_s"]),
        ):
            if not abs(got - (want + offset_s)) <= PHASE_TOL_S + 1e-9:
                out.append(f"rep {r.index} {what}: {got:.3f} s, truth {want + offset_s:.3f} s")
        lo, hi = p["bottom_start_s"] + offset_s - PHASE_TOL_S, p["bottom_end_s"] + offset_s + PHASE_TOL_S
        if not lo <= r.bottom_s <= hi:
            out.append(f"rep {r.index} deepest frame {r.bottom_s:.3f} s outside the bottom pause {lo:.2f}-{hi:.2f} s")
    return out


def is_plain(sentence: str) -> bool:
    """A sentence a user reads: capitalised, ends with a full stop, no code names or numbers gone wrong."""
    return (
        bool(sentence)
        and sentence[0].isupper()
        and sentence.rstrip().endswith(".")
        and not re.search(r"\bnan\b|\bNone\b|Traceback|Error\b|\w_\w", sentence)
    )


class Runs:
    """One exercise's clip and the analyses of its variants, each computed once (module-scoped)."""

    def __init__(self, spec: ExerciseSpec) -> None:
        self.spec = spec
        self._batch: dict[str, Analysis] = {}
        self._stream: dict[str, tuple[Analysis, list[LiveState]]] = {}

    @cached_property
    def clip(self) -> Any:
        synth = synth_of(self.spec)
        if synth is None:
            pytest.fail(f"{self.spec.name}: no synthetic generator (set ExerciseSpec.synth)")
        return synth(n_reps=N_REPS, facing=1, fps=30.0, seed=SEED)

    @property
    def phases(self) -> list[Mapping[str, float]]:
        return list(self.clip.truth.phases)

    @cached_property
    def sequences(self) -> dict[str, Callable[[], PoseSequence]]:
        seq = self.clip.seq
        t = np.asarray(seq.t_s)
        rng = np.random.default_rng(SEED)

        def low_rate() -> PoseSequence:
            kept = every_step(t, 1 / 5)
            return take(seq, kept[rng.random(kept.size) >= 0.15])  # 5 fps, then 15 % of those dropped too

        def sprinkled() -> PoseSequence:
            return blank(seq, self.sprinkled_frames)

        def mid_rep() -> PoseSequence:
            return blank(seq, self.mid_rep_gap)

        def late_entry() -> PoseSequence:
            return blank(seq, t < self.phases[0]["start_s"] - LATE_ENTRY_LEAD_S)

        return {
            "clean": lambda: seq,
            "mirrored": lambda: mirrored(seq),
            "5fps_drops": low_rate,
            "nan_frames": sprinkled,
            "leave_between_sets": lambda: joined(seq, seq, LEAVE_S)[0],
            "leave_mid_rep": mid_rep,
            "late_entry": late_entry,
        }

    @cached_property
    def sprinkled_frames(self) -> np.ndarray:
        """~6 % of the frames from the first rep on lost: single frames and runs of three, all shorter than the
        gap the signal bridges. (Before the first rep they would delay the live setup check into the rep: that
        case has its own test, test_counting_that_starts_mid_rep_keeps_the_true_rise.)"""
        rng = np.random.default_rng(SEED + 1)
        n = self.clip.seq.n_frames
        first = int(np.searchsorted(self.clip.seq.t_s, self.phases[0]["start_s"]))
        lost = np.zeros(n, dtype=bool)
        lost[rng.choice(np.arange(first, n - 2), size=max(1, (n - first) // 25), replace=False)] = True
        for s in rng.choice(np.arange(first, n - 5), size=max(1, n // 200), replace=False):
            lost[s : s + 3] = True
        return lost

    @cached_property
    def mid_rep_gap(self) -> np.ndarray:
        """The person walks out one second into the second rep's lowering and is back half a second before the
        third rep starts: the second rep was never seen whole."""
        t, p = np.asarray(self.clip.seq.t_s), self.phases
        into = 0.5 if self.spec.counts_holds else 1.0  # a hold: half a second into it (< any minimum)
        return (t >= p[1]["start_s"] + into) & (t < p[2]["start_s"] - 0.5)

    def seq(self, variant: str) -> PoseSequence:
        return self.sequences[variant]()

    def batch(self, variant: str) -> Analysis:
        if variant not in self._batch:
            self._batch[variant] = self.spec.analyzer(CFG).analyze(self.seq(variant))
        return self._batch[variant]

    def stream(self, variant: str) -> tuple[Analysis, list[LiveState]]:
        if variant not in self._stream:
            self._stream[variant] = feed(self.spec, self.seq(variant))
        return self._stream[variant]

    def analysis(self, mode: str, variant: str) -> Analysis:
        return self.batch(variant) if mode == "batch" else self.stream(variant)[0]


@pytest.fixture(scope="module", params=SPECS, ids=IDS)
def runs(request: pytest.FixtureRequest) -> Runs:
    return Runs(request.param)


@pytest.fixture(params=SPECS, ids=IDS)
def spec(request: pytest.FixtureRequest) -> ExerciseSpec:
    return request.param


MODES = ("batch", "stream")


# ---------------------------------------------------------------------------------------------------------------
# The suite's own preconditions
# ---------------------------------------------------------------------------------------------------------------


def test_there_are_exercises() -> None:
    assert SPECS, "no exercise is registered"


def test_every_exercise_has_a_generator(spec: ExerciseSpec) -> None:
    assert synth_of(spec) is not None, f"{spec.name}: set ExerciseSpec.synth (or FALLBACK_SYNTH in this module)"


def test_tolerance_table_covers_every_rep_metric(spec: ExerciseSpec) -> None:
    missing = [m.key for m in rep_specs(spec) if tolerance(m.key) is None]
    assert not missing, f"{spec.name}: name these metrics with their unit (_deg, _cm, _s, _frac, ...): {missing}"


def test_generator_gives_what_the_exercise_reads(runs: Runs) -> None:
    clip = runs.clip
    assert len(runs.phases) == N_REPS
    assert set(runs.spec.probes) <= set(clip.seq.probes), "the synthetic set lacks a probe the exercise reads"
    assert np.all(clip.seq.present)


# Engine modules and exercise modules must import on their own, first (an exercise module's own imports, a test
# or a script that starts with one of them).
STANDALONE = sorted(
    {f"formcheck.engine.{m.name}" for m in pkgutil.iter_modules(formcheck.engine.__path__)}
    | {s.analyzer.__module__ for s in SPECS}
)
IMPORT_CYCLES: dict[str, str] = {}  # module -> why it cannot be imported on its own (none now)


# One interpreter loads the third-party packages once, then forks a child per module that imports only that module:
# formcheck itself is never loaded before the child's import, so an import cycle inside formcheck fails as it would
# in a fresh interpreter, at a fraction of the cost of one interpreter per module (~30 of them, ~1 s of CPU each).
_FORKED_IMPORTS = r"""
import importlib, json, os, sys
for dep in ("numpy", "scipy.signal", "scipy.ndimage", "scipy.stats", "scipy.optimize", "scipy.interpolate", "pydantic"):
    importlib.import_module(dep)
assert not [m for m in sys.modules if m.split(".")[0] == "formcheck"], "formcheck loaded before the children"
children = {}
for module in sys.argv[1:]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            importlib.import_module(module)
            code, msg = 0, ""
        except BaseException as e:  # any failure is the answer, reported to the parent
            code, msg = 1, f"{type(e).__name__}: {e}"
        os.write(w, msg.encode()[:4000])
        os._exit(code)
    os.close(w)
    children[module] = (pid, r)
out = {}
for module, (pid, r) in children.items():
    with os.fdopen(r, "rb") as f:
        msg = f.read().decode()
    _, status = os.waitpid(pid, 0)
    out[module] = [os.waitstatus_to_exitcode(status), msg]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def fresh_imports() -> dict[str, tuple[int, str]]:
    """``module -> (exit code, error)`` of ``import module`` as the first formcheck import of an interpreter."""
    proc = subprocess.run([sys.executable, "-c", _FORKED_IMPORTS, *STANDALONE], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {m: (code, msg) for m, (code, msg) in json.loads(proc.stdout.strip().splitlines()[-1]).items()}


@pytest.mark.parametrize(
    "module",
    [pytest.param(m, marks=pytest.mark.xfail(strict=True, reason=IMPORT_CYCLES[m])) if m in IMPORT_CYCLES else m
     for m in STANDALONE],
)  # fmt: skip
def test_module_imports_on_its_own(fresh_imports: dict[str, tuple[int, str]], module: str) -> None:
    code, err = fresh_imports[module]
    assert code == 0, err


# ---------------------------------------------------------------------------------------------------------------
# Batch against truth, stream against batch
# ---------------------------------------------------------------------------------------------------------------


def test_batch_finds_the_true_reps(runs: Runs) -> None:
    an = runs.batch("clean")
    assert len(items(runs.spec, an)) == N_REPS
    assert truth_differences(items(runs.spec, an), runs.phases) == []


def test_declared_metrics_and_series_are_produced(runs: Runs) -> None:
    an, states = runs.stream("clean")
    batch = runs.batch("clean")
    for r in (*batch.reps, *an.reps):
        assert {m.key for m in rep_specs(runs.spec)} <= set(r.metrics)
    for h in (*batch.holds, *an.holds):
        assert {m.key for m in hold_specs(runs.spec)} <= set(h.metrics)
    for a in (batch, an):
        assert {m.key for m in series_specs(runs.spec)} | set(runs.spec.live_keys) <= set(a.series)
    ready = [s for s in states if s.ready]
    assert ready and all(set(runs.spec.live_keys) <= set(s.values) for s in ready)


def test_stream_matches_batch(runs: Runs) -> None:
    live, states = runs.stream("clean")
    batch = runs.batch("clean")
    if runs.spec.counts_holds:
        assert sum(s.new_hold is not None for s in states) == len(live.holds) == N_REPS
    else:
        assert sum(s.new_rep is not None for s in states) == len(live.reps) == N_REPS
    assert differences(runs.spec, items(runs.spec, batch), items(runs.spec, live)) == []


# ---------------------------------------------------------------------------------------------------------------
# Hard inputs
# ---------------------------------------------------------------------------------------------------------------


def test_mirrored_facing_gives_the_same_reps(runs: Runs) -> None:
    spec = runs.spec
    assert differences(spec, items(spec, runs.batch("clean")), items(spec, runs.batch("mirrored"))) == []
    assert differences(spec, items(spec, runs.stream("clean")[0]), items(spec, runs.stream("mirrored")[0])) == []


def test_mirrored_facing_gives_the_same_live_values(runs: Runs) -> None:
    (_, states), (_, flipped) = runs.stream("clean"), runs.stream("mirrored")
    bad = []
    for key in runs.spec.live_keys:
        tol = tolerance(key)
        assert tol is not None, f"live value {key} names no unit"
        a = np.array([s.values.get(key, math.nan) for s in states])
        b = np.array([s.values.get(key, math.nan) for s in flipped])
        if not np.array_equal(np.isnan(a), np.isnan(b)) or np.nanmax(np.abs(a - b), initial=0.0) > tol:
            bad.append(key)
    assert bad == []


@pytest.mark.parametrize("mode", MODES)
def test_5_fps_with_dropped_frames_counts_every_rep(runs: Runs, mode: str) -> None:
    an = runs.analysis(mode, "5fps_drops")
    assert len(items(runs.spec, an)) == N_REPS


@pytest.mark.parametrize("mode", MODES)
def test_sprinkled_lost_frames_keep_reps_and_numbers(runs: Runs, mode: str) -> None:
    an = runs.analysis(mode, "nan_frames")
    assert differences(runs.spec, items(runs.spec, runs.analysis(mode, "clean")), items(runs.spec, an)) == []


def test_lost_frames_stay_unknown_never_zero(runs: Runs) -> None:
    lost = runs.sprinkled_frames
    clean, gappy = runs.batch("clean"), runs.batch("nan_frames")
    for m in series_specs(runs.spec):
        tol = tolerance(m.key)
        was, now = np.asarray(clean.series[m.key])[lost], np.asarray(gappy.series[m.key])[lost]
        # Bridged (interpolated, so near the clean value) or unknown; a 0 stand-in would be far off mid-rep.
        ok = np.isnan(now) | (np.abs(now - was) <= (tol if tol is not None else 0.0))
        assert np.all(ok), f"{m.key} at lost frames: {now[~ok][:5]} where the clean set has {was[~ok][:5]}"
    live, states = runs.stream("nan_frames")
    for i in np.flatnonzero(lost):
        assert all(math.isnan(states[i].values.get(k, math.nan)) for k in runs.spec.live_keys)
    for k in runs.spec.live_keys:
        assert np.all(np.isnan(np.asarray(live.series[k])[lost])), f"live series {k} filled a lost frame"
    # Seconds out of the picture are too long to bridge: unknown in the batch and the live series alike.
    _, gap_start, offset = joined(runs.clip.seq, runs.clip.seq, LEAVE_S)
    for an in (runs.batch("leave_between_sets"), runs.stream("leave_between_sets")[0]):
        t = np.asarray(an.series["t_s"])
        away = (t > gap_start + 1e-6) & (t < offset + runs.clip.seq.t_s[0] - 1e-6)
        assert away.sum() >= round(LEAVE_S * 30) - 1
        for k in {m.key for m in series_specs(runs.spec)} | set(runs.spec.live_keys):
            v = np.asarray(an.series[k])[away]
            assert np.all(np.isnan(v)), f"{k} while nobody was in view: {v[np.isfinite(v)][:5]}"
    # A metric that could not be measured stays unknown through the saved JSON too.
    back = Analysis.from_json_dict(gappy.to_json_dict())
    for r0, r1 in zip(gappy.reps, back.reps, strict=True):
        for m in rep_specs(runs.spec):
            v0, v1 = m.value_of(r0.metrics), m.value_of(r1.metrics)
            assert (math.isnan(v0) and math.isnan(v1)) or v0 == pytest.approx(v1), m.key


def empty_sequence(seq: PoseSequence, n: int) -> PoseSequence:
    nan = np.full((n, 33, 4), np.nan)
    return PoseSequence(nan, nan.copy(), np.arange(n) / 30.0, seq.width, seq.height)


@pytest.mark.parametrize("frames", [0, 90], ids=["empty", "nobody"])
@pytest.mark.parametrize("mode", MODES)
def test_empty_and_nobody(runs: Runs, mode: str, frames: int) -> None:
    seq = empty_sequence(runs.clip.seq, frames)
    an = runs.spec.analyzer(CFG).analyze(seq) if mode == "batch" else feed(runs.spec, seq)[0]
    assert an.reps == () and an.holds == ()
    assert an.quality.warnings, "say why there is nothing"
    assert all(is_plain(w) for w in an.quality.warnings), an.quality.warnings
    cue_list = cue_engine.analysis_cues(an, CFG)  # the presentation path must not fail on it either
    assert all(c.severity != "safety" for c in cue_list)


@pytest.mark.parametrize("mode", MODES)
def test_leaving_between_sets_counts_both_sets(runs: Runs, mode: str) -> None:
    _, gap_start, offset = joined(runs.clip.seq, runs.clip.seq, LEAVE_S)
    an = runs.analysis(mode, "leave_between_sets")
    reps = items(runs.spec, an)
    assert len(reps) == 2 * N_REPS
    assert not [r.index for r in reps if r.start_s < gap_start < r.end_s], "a rep merged across the gap"
    assert truth_differences(reps[:N_REPS], runs.phases) == []
    assert truth_differences(reps[N_REPS:], runs.phases, offset) == []


@pytest.mark.parametrize("mode", MODES)
def test_leaving_mid_rep_drops_that_rep_only(runs: Runs, mode: str) -> None:
    an = runs.analysis(mode, "leave_mid_rep")
    gap_t = np.asarray(runs.clip.seq.t_s)[runs.mid_rep_gap]
    reps = sorted(items(runs.spec, an), key=lambda r: r.start_s)
    assert len(reps) == N_REPS - 1, [(round(r.start_s, 2), round(r.end_s, 2)) for r in reps]
    assert not [r.index for r in reps if r.start_s < gap_t[-1] and r.end_s > gap_t[0]], "a rep spans the gap"
    assert all(a.end_s <= b.start_s + 1e-9 for a, b in zip(reps, reps[1:], strict=False)), "overlapping reps"
    assert [r.index for r in items(runs.spec, an)] == list(range(1, len(items(runs.spec, an)) + 1))


@pytest.mark.parametrize("mode", MODES)
def test_rep_right_after_reentry_has_true_phases_or_unknown(runs: Runs, mode: str) -> None:
    an = runs.analysis(mode, "leave_mid_rep")
    after = [r for r in items(runs.spec, an) if r.start_s > runs.phases[1]["start_s"]]
    assert after, "the rep after the gap was not found"
    truth = runs.phases[2]
    if runs.spec.counts_holds:
        assert truth_differences(after[:1], [truth]) == []
        return
    for r in after:
        for got, want in ((r.eccentric_s, truth["bottom_start_s"] - truth["start_s"]),
                          (r.concentric_s, truth["end_s"] - truth["bottom_end_s"])):  # fmt: skip
            assert math.isnan(got) or abs(got - want) <= PHASE_TOL_S, f"{got:.2f} s, truth {want:.2f} s"


@pytest.mark.parametrize("mode", MODES)
def test_counting_that_starts_mid_rep_keeps_the_true_rise(runs: Runs, mode: str) -> None:
    """The person steps in just before the first rep, so live counting starts part-way down it: that rep is
    counted with its true end and rise, or not at all."""
    an = runs.analysis(mode, "late_entry")
    assert len(items(runs.spec, an)) >= N_REPS - 1
    for h in an.holds:  # a hold under way when counting started is timed from then: its end is the truth's
        p = min(runs.phases, key=lambda q: abs(q["end_s"] - h.end_s))
        assert abs(h.end_s - p["end_s"]) <= HOLD_TOL_S, f"hold {h.index} ends {h.end_s:.2f} s, truth {p['end_s']} s"
    for r in an.reps if not runs.spec.counts_holds else ():  # a hold exercise's truth phases are its holds
        p = min(runs.phases, key=lambda q: abs(q["end_s"] - r.end_s))
        assert abs(r.end_s - p["end_s"]) <= PHASE_TOL_S, f"rep {r.index} ends {r.end_s:.2f} s, truth {p['end_s']} s"
        rise = p["end_s"] - p["bottom_end_s"]
        assert math.isnan(r.concentric_s) or abs(r.concentric_s - rise) <= PHASE_TOL_S, (
            f"rep {r.index} rise {r.concentric_s:.2f} s, truth {rise:.2f} s"
        )


# ---------------------------------------------------------------------------------------------------------------
# Declarations against the config model
# ---------------------------------------------------------------------------------------------------------------


def config_fields(spec: ExerciseSpec) -> set[str]:
    return set(spec.config_model.model_fields)


def test_rule_thresholds_name_config_fields(spec: ExerciseSpec) -> None:
    fields = config_fields(spec)
    thresholds = [(r.code, t) for r in cuerules.rules_of(spec) for t in (r.threshold, r.live_threshold)]
    named = [(code, t) for code, t in thresholds if isinstance(t, str)]
    assert [(code, t) for code, t in named if t not in fields] == []
    ex = CFG.exercise_config(spec.name)
    assert all(math.isfinite(float(getattr(ex, t))) for _, t in named)


def test_metric_threshold_and_band_keys_name_config_fields(spec: ExerciseSpec) -> None:
    fields = config_fields(spec)
    ex = CFG.exercise_config(spec.name)
    for m in spec.metrics:
        if m.threshold_key:
            assert m.threshold_key in fields, m.key
            assert math.isfinite(float(getattr(ex, m.threshold_key))), m.key
        if m.band_key:
            # a config field, or a band the config derives from its fields (the plank's form limits, form_band_deg =
            # -sag_max_deg..pike_max_deg: a saved set's judged settings give it back)
            assert m.band_key in fields or isinstance(getattr(type(ex), m.band_key, None), property), m.key
            lo, hi = getattr(ex, m.band_key)
            assert lo < hi, m.key


def test_rule_metrics_are_declared_or_rep_fields(spec: ExerciseSpec) -> None:
    # Rules judged on finished items (reps, or a hold exercise's holds) name a declared metric or a Rep field; a
    # live-only rule (rep=False) names a live value, checked in test_rule_values_are_provided.
    declared = {m.key for m in rep_specs(spec)} | {m.key for m in hold_specs(spec)}
    unknown = [(r.code, r.metric) for r in cuerules.rules_of(spec) if r.rep and r.metric not in declared | REP_FIELDS]
    assert unknown == []


def test_rule_values_are_provided(runs: Runs) -> None:
    """Each rule compares a value the engine hands it: a rep's metrics/phase times (plus what the exercise
    derives) for rep rules, the live values for live rules. A misspelt source would never fire, silently."""
    spec = runs.spec
    batch = runs.batch("clean")
    if spec.counts_holds:  # a hold exercise's rules are judged on its holds
        rep_values = cuerules.hold_input(spec, batch.holds[0], CFG).values
    else:
        rep_values = cuerules.rep_input(spec, batch.reps[0], CFG).values
    _, states = runs.stream("clean")
    live = next(s for s in states if s.ready and s.phase in cue_engine.LIVE_CUE_PHASES)
    live_values = cuerules.live_input(spec, live.values, CFG).values
    rules = cuerules.rules_of(spec)
    assert [r.code for r in rules if r.rep and r.source not in rep_values] == []
    assert [r.code for r in rules if r.live and r.live_source not in live_values] == []


# ---------------------------------------------------------------------------------------------------------------
# The shared cue evaluator, driven through each exercise's spec
# ---------------------------------------------------------------------------------------------------------------

PROBE_KEY = "conformance_probe_deg"


def probe_rule(**kw: Any) -> CueRule:
    base = dict(code="conformance.probe", priority=10, severity="warn", metric=PROBE_KEY, threshold=5.0,
                message="probe {value:.1f}", live=True)  # fmt: skip
    return CueRule(**{**base, **kw})


@pytest.fixture
def with_rules(spec: ExerciseSpec, monkeypatch: pytest.MonkeyPatch) -> Callable[..., ExerciseSpec]:
    """Register the exercise with only the given rules for this test (restored afterwards)."""

    def install(*rules: CueRule) -> ExerciseSpec:
        probe = dataclasses.replace(spec, rules=tuple(rules), tempo_rules=False)
        monkeypatch.setitem(registry._SPECS, spec.name, probe)  # the cue entry points look exercises up by name
        return probe

    return install


def probe_rep(value: float) -> Rep:
    return Rep(index=1, start_s=0.0, bottom_s=1.0, end_s=2.0, eccentric_s=1.0, bottom_pause_s=0.0, concentric_s=1.0,
               top_pause_s=math.nan, time_under_tension_s=2.0, rom_deg=40.0, metrics={PROBE_KEY: value})  # fmt: skip


def live_state(
    spec: ExerciseSpec, value: float, view: str = "side", new_rep: Rep | None = None, position: str = "unknown"
) -> LiveState:
    return LiveState(t_s=1.0, phase="eccentric", rep_count=0, ready=True, setup_message=None,
                     values={PROBE_KEY: value}, exercise=spec.name, view=view, new_rep=new_rep,
                     position=position)  # fmt: skip


def fired(cue_list: Iterable[Any]) -> bool:
    return any(c.code == "conformance.probe" for c in cue_list)


@pytest.mark.parametrize(
    ("op", "threshold", "frac", "relaxed"),
    [(">", -10.0, 0.2, -12.0), ("<", -10.0, 0.2, -8.0), (">", 10.0, 0.2, 8.0), ("<", 10.0, 0.2, 12.0)],
)
def test_relaxed_threshold_moves_toward_the_good_side(op: str, threshold: float, frac: float, relaxed: float) -> None:
    assert cuerules.relaxed(op, threshold, frac) == pytest.approx(relaxed)


# (op, threshold, value, cue on screen, fires): hysteresis 0.2 → a cue on screen for "> -10" stays down to -12,
# one for "< -10" up to -8 (a multiplied threshold would move a negative one the wrong way).
HYSTERESIS_CASES = [
    (">", -10.0, -9.0, False, True),
    (">", -10.0, -11.0, False, False),
    (">", -10.0, -11.0, True, True),
    (">", -10.0, -12.5, True, False),
    ("<", -10.0, -11.0, False, True),
    ("<", -10.0, -9.0, False, False),
    ("<", -10.0, -9.0, True, True),
    ("<", -10.0, -7.5, True, False),
    (">", 10.0, 9.0, True, True),
    (">", 10.0, 7.5, True, False),
]


@pytest.mark.parametrize(("op", "threshold", "value", "on_screen", "fires"), HYSTERESIS_CASES)
def test_hysteresis_is_additive_for_negative_thresholds(
    spec: ExerciseSpec, with_rules, op: str, threshold: float, value: float, on_screen: bool, fires: bool
) -> None:
    cfg = CFG.replace("cues", hysteresis_frac=0.2)
    rule = probe_rule(op=op, threshold=threshold)
    active = rule.code if on_screen else None
    direct = cuerules.evaluate([rule], cuerules.live_input(spec, {PROBE_KEY: value}, cfg), view="side",
                               active_code=active, hysteresis_frac=0.2)  # fmt: skip
    assert fired(direct) == fires
    with_rules(rule)
    assert fired(cue_engine.live_candidates(live_state(spec, value), cfg, active_code=active)) == fires


@pytest.mark.parametrize(
    ("view", "side_view_only", "fires"),
    [("side", True, True), ("front", True, False), ("oblique", True, False), ("unknown", True, True),
     ("front", False, True)],
)  # fmt: skip
def test_view_gating_live_and_batch_alike(
    spec: ExerciseSpec, with_rules, view: str, side_view_only: bool, fires: bool
) -> None:
    cfg = CFG.replace("cues", side_view_only=side_view_only)
    probe = with_rules(probe_rule(views=("side",)))
    rep = probe_rep(30.0)
    quality = Quality(view=view, frames_total=100, person_fraction=1.0, full_body_fraction=1.0)
    paths = {
        "live frame": cue_engine.live_candidates(live_state(spec, 30.0, view), cfg),
        "live rep": cue_engine.live_rep_cues(live_state(spec, 30.0, view, new_rep=rep), cfg),
        "batch rep": cue_engine.usable_rep_cues(rep, quality, cfg, probe),
        "batch set": cue_engine.analysis_cues(Analysis(spec.name, (rep,), (), quality), cfg),
    }
    assert {k: fired(v) for k, v in paths.items()} == dict.fromkeys(paths, fires)


@pytest.mark.parametrize(("where", "fires"), [("own", True), ("unknown", False), ("other", False)])
def test_position_gated_rule_fires_only_in_its_position(spec: ExerciseSpec, with_rules, where: str, fires: bool):
    """A rule for one position fires when the set was seen in it; an unknown position is not a yes (a wrong safety
    cue is worse than none), and a set clearly in another position gets none of the exercise's rep cues."""
    own = spec.positions[0]
    other = next(p for p in ("supine", "standing", "quadruped") if p not in spec.positions)
    pos = {"own": own, "unknown": "unknown", "other": other}[where]
    probe = with_rules(probe_rule(views=(), positions=(own,)))
    rep = probe_rep(30.0)
    quality = Quality(view=spec.views[0], frames_total=100, person_fraction=1.0, full_body_fraction=1.0, position=pos)
    paths = {
        "live frame": cue_engine.live_candidates(live_state(spec, 30.0, spec.views[0], position=pos), CFG),
        "batch rep": cue_engine.usable_rep_cues(rep, quality, CFG, probe),
    }
    assert {k: fired(v) for k, v in paths.items()} == dict.fromkeys(paths, fires)
