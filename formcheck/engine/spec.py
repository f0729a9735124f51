"""What an exercise declares: metric specs, cue rules and the exercise spec the registry keeps.

An exercise module is data plus a few pure functions. Everything that shows, stores or speaks about an exercise's
numbers reads these declarations, never the exercise's own field names:

* :class:`MetricSpec` — one number (per rep, per frame or per hold): its key with unit, a plain label a patient
  understands, the unit and format, and where it is shown (CLI/app/report tables, plots, overlay, history trends).
* :class:`CueRule` — one correction: which value is compared with which threshold (a config field or a number),
  the message with its magnitude, priority/severity, and the views and positions in which the value can be trusted.
  One evaluator (:mod:`formcheck.engine.cuerules`) runs the rules for a finished rep and for a live frame.
* :class:`ExerciseSpec` — name, positions, preferred views, landmarks, reference posture, rep strategy, probes,
  metric specs, cue rules, limits and the analyzer factory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from formcheck.config import Config
    from formcheck.engine.protocol import Analyzer

# Where a metric may be shown. A spec lists the places it belongs; presentation code asks for a place.
PLACES = frozenset({"cli", "table", "csv", "plot", "overlay", "trend", "report"})
KINDS = ("rep", "series", "hold")
REFERENCES = ("standing", "resting", "none")
REP_STRATEGIES = ("cyclic", "alternating", "hold")
SUMMARIES = ("", "mean", "max", "min")  # MetricSpec.summary: how a set's value is stated
# A rep's four timed phases, in the order the rep strategies fill them (Rep fields, "target_tempo_s" order).
PHASE_KEYS = ("eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s")
# The live/overlay phase states (LiveState.phase) that are a rep's phases, by their Rep field.
PHASE_STATES = {"eccentric": "eccentric_s", "bottom": "bottom_pause_s", "concentric": "concentric_s"}
# How a time a rule judges to the frame is shown (a rep's phase times, a press held out): to 0.01 s. The rules
# allow one frame interval (cuerules.frame_precision), so at 30 fps lowerings of 1.937 s and 1.906 s against a
# 1.95 s limit are praised and cued; to 0.1 s both read "1.9 s".
TIME_FMT = ".2f"


def unit_text(text: str, unit: str) -> str:
    """A shown number with its unit, as a sentence writes it: a space before a unit that is a word or an
    abbreviation ("9.1 cm", "1.94 s", "3 kg"), none before a symbol ("12°", "40%", "12% of leg length")."""
    if not unit:
        return text
    return f"{text} {unit}" if unit[:1].isalpha() else text + unit


def seconds_text(x: float) -> str:
    """A judged time in a sentence or a cue: "1.94 s" (:data:`TIME_FMT`)."""
    return unit_text(f"{x:{TIME_FMT}}", "s")


@dataclass(frozen=True)
class MetricSpec:
    """One number an exercise reports, and how to show it.

    Attributes:
        key: the name with its unit (``hip_share``, ``spine_flexion_est_deg``): a ``Rep.metrics`` key for
            ``kind="rep"``, an ``Analysis.series`` key for ``"series"``, a ``Hold.metrics`` key for ``"hold"``.
        label: plain words a patient understands ("Share of the bend from the hips").
        short: a column title ("Hip share %").
        unit: shown after the number ("%", "°", "cm", "s", "").
        kind: ``"rep"`` | ``"series"`` | ``"hold"``.
        fmt: format spec of the shown number (after ``scale``).
        scale: shown = value × scale (a 0–1 share shown as %).
        show: places it appears (see :data:`PLACES`).
        cli: terse CLI column title (default: ``short``).
        cli_unit: appended to the number in the CLI table ("97%").
        cli_low_key: the CLI shows ``low–value`` with this metric as the low end (a min–max range).
        threshold_key: exercise-config field drawn as a limit (plot line, overlay colour).
        band_key: exercise-config field ``(lo, hi)`` drawn as a target band.
        plot: plots with the same name share one chart (``"angles"``, ``"balance"``, ``"back"``).
        better: ``"higher"`` / ``"lower"`` / ``""`` — which way a history trend improves.
        help: one sentence on what it means and how it is measured.
        color: plot colour (hex), shared by the report and the app.
        empty_note: what a plot says when the series has no value (why it could not be measured).
        overlay_at: where the video overlay draws a ``"series"`` value shown in ``"overlay"``: a body segment of
            the measured side (``"trunk"``: along hip→shoulder, values stacked in declared order; ``"thigh"``:
            hip→knee), a landmark of the measured side (``"hip"``, ``"knee"``, ``"ankle"``, ...: a tag beside
            the joint), or ``"foot"`` (a heel→toe bar with the :attr:`band_key` band and a marker at the value,
            a % of foot length). Empty: not drawn (the value may still feed the overlay's cues). A ``"rep"``
            metric shown in ``"overlay"`` is that rep's own value, tagged beside its joint from the rep's turn to its
            end (a bird-dog's leg at full reach; :func:`formcheck.render.states.rep_values`).
        overlay_label: the word before the number on the overlay ("trunk"); default: :attr:`short`.
        err_key: metric holding this value's expected error; report tables and summaries show ``value ±error``.
        evidence: cue evidence keys (``CueRule.metric``) this metric stands for besides its own key: a cue on one
            of them marks this metric's report-table cell and counts for its patient sentences.
        summary: how the report's summary states the set's value: ``"mean"`` | ``"max"`` | ``"min"`` | ``""``
            (not summarised).
        patient_ok: plain sentence for the report when the set was judged (the view allows form cues), the value
            was measured and no rep earned a correction on it (nor on its :attr:`evidence`); ``{value}`` is the
            set's value (the :attr:`summary` statistic, default mean) with its unit.
        patient_fault: plain sentence when reps earned a correction on it (or its :attr:`evidence`); ``{reps}``
            is "rep 2" / "reps 1 and 3", ``{value}`` the value over those reps with its unit.
        band_label: words naming the :attr:`band_key` band in plot legends and summaries ("midfoot").
        axis: a plot's y-axis title (default from the unit: ``°`` → "degrees").
        axis_range: ``(low, high)`` a plot always shows (data beyond it widens the axis), e.g. ``(0, 100)`` for a
            % of a length.
    """

    key: str
    label: str
    short: str = ""
    unit: str = ""
    kind: str = "rep"
    fmt: str = ".0f"
    scale: float = 1.0
    show: frozenset[str] = frozenset({"csv"})
    cli: str = ""
    cli_unit: str = ""
    cli_low_key: str = ""
    threshold_key: str = ""
    band_key: str = ""
    plot: str = ""
    better: str = ""
    help: str = ""
    color: str = ""
    empty_note: str = ""
    overlay_at: str = ""
    overlay_label: str = ""
    err_key: str = ""
    evidence: tuple[str, ...] = ()
    summary: str = ""
    patient_ok: str = ""
    patient_fault: str = ""
    band_label: str = ""
    axis: str = ""
    axis_range: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.summary not in SUMMARIES:
            raise ValueError(f"MetricSpec {self.key}: summary must be one of {SUMMARIES}, not {self.summary!r}")
        object.__setattr__(self, "evidence", tuple(self.evidence))
        if self.kind not in KINDS:
            raise ValueError(f"MetricSpec {self.key}: kind must be one of {KINDS}, not {self.kind!r}")
        unknown = set(self.show) - PLACES
        if unknown:
            raise ValueError(f"MetricSpec {self.key}: unknown places {sorted(unknown)}")
        object.__setattr__(self, "show", frozenset(self.show))
        if not self.short:
            object.__setattr__(self, "short", self.label)
        if not self.cli:
            object.__setattr__(self, "cli", self.short)
        if not self.overlay_label:
            object.__setattr__(self, "overlay_label", self.short)

    def shown_in(self, place: str) -> bool:
        """True when the metric belongs in ``place`` (see :data:`PLACES`)."""
        return place in self.show

    def value_of(self, values: Mapping[str, Any]) -> float:
        """The metric's value from a metrics mapping: a finite float, else NaN (missing, None, text, inf)."""
        return number(values.get(self.key))

    def format(self, value: object, *, missing: str = "–", with_unit: bool = False) -> str:
        """The shown text of one value (scaled, formatted); ``missing`` for unknown — never a 0. ``with_unit``: the
        unit after it as a sentence writes it ("9.1 cm", "1.94 s", "12°", "40%": :func:`unit_text`)."""
        v = number(value)
        if not math.isfinite(v):
            return missing
        text = f"{v * self.scale:{self.fmt}}"
        if text[:1] in "+-" and float(text) == 0:
            text = text[1:]  # "-0" or "+0" says a direction the number does not have
        return unit_text(text, self.unit) if with_unit else text

    def cell(self, values: Mapping[str, Any], *, missing: str = "–", with_unit: bool = False) -> str:
        """A table cell from a metrics mapping."""
        return self.format(values.get(self.key), missing=missing, with_unit=with_unit)

    @property
    def table_title(self) -> str:
        """The column title of every table (app, report): :attr:`short`; a metric shown as a range (its spec names
        the low end, :attr:`cli_low_key`) says so ("Weight % foot (min–max)", not "(max)" over "6–27")."""
        return f"{self.short.split(' (')[0]} (min–max)" if self.cli_low_key else self.short

    def range_cell(self, values: Mapping[str, Any], *, missing: str = "–") -> str:
        """``low–high`` ("6–27") when :attr:`cli_low_key` is set, one end unknown said as such ("max 27", never
        "––27"); otherwise the plain :meth:`cell`. A cue about the heels (the low end) beside the toes' value alone
        misled (acceptance check #5)."""
        if not self.cli_low_key:
            return self.cell(values, missing=missing)
        low, high = self.format(values.get(self.cli_low_key)), self.format(values.get(self.key))
        if low == "–" and high == "–":
            return missing  # "–––" read as a number range nobody measured
        return f"{low}–{high}" if low != "–" and high != "–" else f"max {high}" if high != "–" else f"min {low}"

    def cli_cell(self, values: Mapping[str, Any], *, missing: str = "–") -> str:
        """The CLI table's cell: :meth:`range_cell` when :attr:`cli_low_key` is set, else the CLI unit appended."""
        if self.cli_low_key:
            return self.range_cell(values, missing=missing)
        text = self.format(values.get(self.key), missing=missing)
        return text if text == missing else text + self.cli_unit


@dataclass(frozen=True)
class PhaseWords:
    """The words for one exercise's rep phases: what a user reads for ``Rep.eccentric_s`` and the others.

    The rep strategies store every exercise's phases in the same four fields, but what happens in them differs:
    a hinge lowers first, a glute bridge lifts the hips first, a dead bug reaches out. Everything that names a
    phase (tables, tempo summaries, the tempo chart, the overlay, evidence labels) reads these words, never the
    field names.

    Attributes:
        names: the phases in :data:`PHASE_KEYS` order, lower case ("lowering", "pause at the bottom", ...); empty
            for an exercise without rep phases (a plank: holds only).
        columns: short column titles in the same order, lower case, without the unit ("lower", "pause", ...).
        rest: the position between reps ("standing"), shown on the overlay when no rep is under way.
        rest_in: ``(position, words)`` pairs: the rest in a body position the exercise is also done in (a hinge
            seated: "sitting tall"); :attr:`rest` in any other (:meth:`rest_for`).
        turn: the rep's turning point a key frame shows ("deepest point").
        first_speed: the patient sentence's words for the first phase's speed ("lowering speed"), or "" when the
            first phase's speed is not talked about.
    """

    names: tuple[str, ...] = ("lowering", "pause at the bottom", "rising", "pause at the top")
    columns: tuple[str, ...] = ("lower", "pause", "rise", "top")
    rest: str = "standing"
    rest_in: tuple[tuple[str, str], ...] = ()
    turn: str = "deepest point"
    first_speed: str = "lowering speed"

    def __post_init__(self) -> None:
        if {len(self.names), len(self.columns)} - {0, len(PHASE_KEYS)} or len(self.names) != len(self.columns):
            raise ValueError(f"PhaseWords: names and columns need {len(PHASE_KEYS)} words each (or none)")

    @property
    def has_reps(self) -> bool:
        """False for an exercise without rep phases (holds only)."""
        return bool(self.names)

    def name(self, key: str) -> str:
        """The phase's words for a Rep field (``"eccentric_s"`` -> "lowering"); "" for other keys."""
        return self.names[PHASE_KEYS.index(key)] if key in PHASE_KEYS and self.names else ""

    def column(self, key: str) -> str:
        """The short column title for a Rep field (``"eccentric_s"`` -> "lower"); "" for other keys."""
        return self.columns[PHASE_KEYS.index(key)] if key in PHASE_KEYS and self.columns else ""

    @property
    def order(self) -> str:
        """The phases' order in short words: "lower-pause-rise-top"."""
        return "-".join(self.columns)

    def rest_for(self, position: str = "unknown") -> str:
        """The rest between reps in the set's body position (``Quality.position`` / ``LiveState.position``): a
        seated hinge rests "sitting tall", not "standing"; :attr:`rest` for a position without its own words."""
        return dict(self.rest_in).get(position, self.rest)

    def state(self, phase: str, position: str = "unknown") -> str:
        """Plain words for a live phase state (``"eccentric"``, ``"bottom"``, ``"concentric"``, ``"top"``);
        "" for other states. The rest (``"top"``) is in the set's ``position`` (:meth:`rest_for`)."""
        if phase == "top":
            return self.rest_for(position)
        return self.name(PHASE_STATES.get(phase, ""))


class Limit(str):
    """A "what one camera cannot see" line that applies only to some sets (it is still its text everywhere).

    ``applies`` says, from the finished analysis, whether the line is about this set: a note on lifts from the
    floor only for a set lifted from the floor, a note on image-plane angles only when the angles came from the
    image. Reports and the CLI leave out lines that do not apply (:meth:`ExerciseSpec.limits_for`).
    """

    applies: Callable[[Any], bool]

    def __new__(cls, text: str, applies: Callable[[Any], bool]) -> Limit:
        obj = super().__new__(cls, text)
        obj.applies = applies
        return obj


# The default: lower first, rise, rest standing (hinge, squat, lunge); a hinge done seated or kneeling
# (hinge_spec.POSITIONS) rests upright in that position.
HINGE_PHASES = PhaseWords(rest_in=(("seated", "sitting tall"), ("kneeling", "kneeling tall")))


def phase_metric(key: str, words: PhaseWords = HINGE_PHASES) -> MetricSpec:
    """The metric spec of a rep's phase time (a :data:`PHASE_KEYS` field): its words (``words.name``, "lowering"),
    its column ("Lower s"), seconds to 0.01 s (:data:`TIME_FMT`: a tempo rule judges it to the frame). Every table,
    cue amount and evidence line shows a phase time through it, so the CLI, report and app agree."""
    column = words.column(key)
    return MetricSpec(key, words.name(key) or key.replace("_", " "), short=f"{column.capitalize()} s" if column
                      else key, unit="s", fmt=TIME_FMT, cli=f"{column} s" if column else key)  # fmt: skip


def number(value: object) -> float:
    """A finite float, else NaN (missing, None, bool, text and inf all mean unknown)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    v = float(value)
    return v if math.isfinite(v) else math.nan


@dataclass(frozen=True)
class RuleInput:
    """What a cue rule sees: the values, the exercise config, the user's body settings and the rep (if any).

    Attributes:
        values: metric values by key (a rep's metrics plus its phase times, or a live frame's values, plus any
            values the exercise derives for its rules).
        config: the whole configuration (``exercise`` is this exercise's section of it).
        exercise: this exercise's config section.
        classification: the rep's class (``""`` live).
        live: True for a live frame.
    """

    values: Mapping[str, Any]
    config: Config
    exercise: Any
    classification: str = ""
    live: bool = False

    def num(self, key: str) -> float:
        """A finite value by key, else NaN."""
        return number(self.values.get(key))

    @property
    def height_cm(self) -> float:
        return float(self.config.body.height_cm)


Threshold = str | float | Callable[[RuleInput], float]


@dataclass(frozen=True)
class CueRule:
    """One correction as data: "when ``metric`` op ``threshold`` (in the views/positions it is valid), say ``message``".

    Attributes:
        code: stable id (``spine.rounding``).
        priority: lower is more important (setup < view < safety 10 < load 20 < pattern 30 < tempo 40 < tone 50).
        severity: ``"safety"`` | ``"warn"`` | ``"info"``.
        metric: the evidence key recorded on the cue (a metric key with unit).
        op: ``">"`` (too much) or ``"<"`` (too little); ``"flag"`` fires when :attr:`when` is true, whatever the value.
        threshold: an exercise-config field name, a number, or a function of the input.
        message: the sentence, ``str.format``-ed with ``value``, ``threshold`` and what :attr:`fields` returns; or a
            function of (input, value, threshold) for messages with optional parts.
        source: the key compared (default: ``metric``); exercises derive cleaned values under their own keys.
        when: extra condition on the input (e.g. "not a squat-like rep").
        fields: extra message fields from (input, value, threshold), e.g. a centimetre magnitude.
        views: views in which the value can be trusted (``()`` = any view).
        positions: body positions in which the rule applies (``()`` = any).
        rep: the rule runs on finished reps.
        live: the rule also runs on live frames (then ``live_source``/``live_threshold``/``live_message`` apply).
        live_source: the live value's key (default: ``source``).
        live_op: the live comparison (default: ``op``).
        live_threshold: live threshold (default: ``threshold``).
        live_message: live sentence (default: ``message``).
        live_valid: live value range outside which the number is a tracking artefact (ignored).
        uses_load: the value depends on the weight held in the hands (centre of mass): the rule is held back when
            the hands look like they hold a weight that was not entered (``setup.load_unknown``).
        wrong_if_weight_in_front: a weight held in front of the body that was not entered would make this cue
            wrong, not just its amount (it pulls the true centre of mass toward the toes, so "it sat back on the
            heels" may not be so): held back too when the hands merely hang low where such a weight would be
            (``Quality.hands_low``).
        precision: how finely the value is measured (a number, a config field or a function of the input, in the
            value's unit): the rule fires only when the value misses the threshold by more than this, as a smaller
            miss is not a measurable fault. A phase time is counted in frames, so a tempo rule's is one frame
            interval of the set (:func:`formcheck.engine.cuerules.frame_precision`). 0 (or unknown): none.
        group: rules about one movement or body part (a side bend's "bend further" and "match the other side" are
            both about how far that rep bent): a rep, a hold or a live frame gets at most one cue of a group, the
            most important (:func:`formcheck.engine.cuerules.one_per_group`), so one rep never gets two different
            amounts for one change. ``""``: a group of its own.
    """

    code: str
    priority: int
    severity: str
    metric: str
    message: str | Callable[[RuleInput, float, float], str]
    op: str = ">"
    threshold: Threshold = math.nan
    source: str = ""
    when: Callable[[RuleInput], bool] | None = None
    fields: Callable[[RuleInput, float, float], Mapping[str, Any]] | None = None
    views: tuple[str, ...] = ("side",)
    positions: tuple[str, ...] = ()
    rep: bool = True
    live: bool = False
    live_source: str = ""
    live_op: str = ""
    live_threshold: Threshold | None = None
    live_message: str | Callable[[RuleInput, float, float], str] | None = None
    live_valid: tuple[float, float] = (-math.inf, math.inf)
    uses_load: bool = False
    wrong_if_weight_in_front: bool = False
    precision: Threshold = 0.0
    group: str = ""

    def __post_init__(self) -> None:
        if self.op not in (">", "<", "flag") or self.live_op not in ("", ">", "<", "flag"):
            raise ValueError(f"CueRule {self.code}: op must be '>', '<' or 'flag', not {self.op!r}")
        if self.severity not in ("safety", "warn", "info"):
            raise ValueError(f"CueRule {self.code}: severity must be safety, warn or info, not {self.severity!r}")
        if not self.source:
            object.__setattr__(self, "source", self.metric)
        if not self.live_source:
            object.__setattr__(self, "live_source", self.source)
        if not self.live_op:
            object.__setattr__(self, "live_op", self.op)


@dataclass(frozen=True)
class ExerciseSpec:
    """Everything the engine and the presentation need to know about one exercise.

    Attributes:
        name: CLI name (``hinge``); also the analysis' ``exercise`` and the config section ``[exercise.NAME]``.
        title: what a user reads ("Hip hinge").
        measures: one line on what it measures (``formcheck exercises``).
        positions: body positions it analyses (:class:`formcheck.body.position.Position` values).
        views: camera views it needs, best first (``side``, ``front``, ``oblique``).
        landmarks: landmark indices that must be seen.
        reference: reference posture strategy: ``standing`` | ``resting`` | ``none``.
        rep_strategy: ``cyclic`` | ``alternating`` | ``hold``.
        probes: mask probes it reads (names in :mod:`formcheck.probes`).
        metrics: metric specs, in display order.
        rules: cue rules (the common tempo rules are added by the engine).
        limits: what one camera cannot tell for this exercise, plain words; a :class:`Limit` only where it applies.
        config_model: the pydantic model of its config section.
        analyzer: factory ``Config -> Analyzer``.
        classes: plain words for rep classes (``{"squat_like": "squat-like"}``). The FIRST entry names the rep
            done as meant (the report calls a set "a good <title>" only when every rep is of that class), unless
            :attr:`good_classes` says otherwise.
        good_classes: the classes of a rep done as meant; empty = the first key of :attr:`classes`.
        class_views: views in which the rep class can be trusted (empty: any). A class read from a value only a
            side view measures (a squat's depth) is not shown from the front or at an angle, where that value is
            not judged either.
        summary_labels: plain labels of the analyzer's own summary keys (``Analysis.summary``) for the
            therapist's part of the report; undeclared keys get a label made from the key.
        praise: a clean rep's praise text, or None when nothing measured deserves it.
        no_reps_hint: what to do when no rep was found (plain words, may use ``{min_rom_deg}``).
        no_reps_why: a more specific no-reps hint from what the set did show (the rule input's values are the
            analysis' ``summary``), or None to give :attr:`no_reps_hint` (a plank whose hips stayed low).
        live_keys: live values recorded per frame for the set's series (and drawn on the overlay).
        tempo_rules: the engine's common tempo rules apply.
        derive: extra values the rules compare, computed from the rule input (cleaned or combined metrics).
        phases: the words for its rep phases (:class:`PhaseWords`; default: the hinge's, lowering first).
        synth: synthetic set with known truth, for the conformance suite (``tests/conformance``): called with the
            keyword arguments ``n_reps``, ``facing`` (+1 faces image-right, -1 image-left), ``fps`` and ``seed``,
            it returns an object with ``seq`` (a :class:`~formcheck.types.PoseSequence` carrying every probe in
            :attr:`probes`) and ``truth.phases`` (one mapping per complete rep with ``start_s``,
            ``bottom_start_s``, ``bottom_end_s`` and ``end_s``). None: no generator yet (the suite fails).
    """

    name: str
    title: str
    measures: str
    positions: tuple[str, ...]
    views: tuple[str, ...]
    landmarks: tuple[int, ...]
    reference: str
    rep_strategy: str
    metrics: tuple[MetricSpec, ...]
    rules: tuple[CueRule, ...]
    limits: tuple[str, ...]
    config_model: type
    analyzer: Callable[[Config], Analyzer]
    probes: tuple[str, ...] = ()
    classes: Mapping[str, str] = field(default_factory=dict)
    good_classes: frozenset[str] = frozenset()
    class_views: tuple[str, ...] = ()
    summary_labels: Mapping[str, str] = field(default_factory=dict)
    praise: Callable[[RuleInput], str | None] | None = None
    no_reps_hint: str = "No full reps found."
    no_reps_why: Callable[[RuleInput], str | None] | None = None
    live_keys: tuple[str, ...] = ()
    tempo_rules: bool = True
    derive: Callable[[RuleInput], Mapping[str, Any]] | None = None
    synth: Callable[..., Any] | None = None
    phases: PhaseWords = HINGE_PHASES

    def __post_init__(self) -> None:
        if self.reference not in REFERENCES:
            raise ValueError(f"{self.name}: reference must be one of {REFERENCES}")
        if self.rep_strategy not in REP_STRATEGIES:
            raise ValueError(f"{self.name}: rep_strategy must be one of {REP_STRATEGIES}")
        keys = [(m.kind, m.key) for m in self.metrics]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{self.name}: duplicate metric specs")
        codes = [r.code for r in self.rules]
        if len(codes) != len(set(codes)):
            raise ValueError(f"{self.name}: duplicate cue rule codes")

    def metric_specs(self, place: str, kind: str | None = None) -> tuple[MetricSpec, ...]:
        """The metric specs shown in ``place`` (optionally of one ``kind``), in declared order."""
        return tuple(m for m in self.metrics if m.shown_in(place) and (kind is None or m.kind == kind))

    def metric(self, key: str, kind: str = "rep") -> MetricSpec | None:
        """The spec of one metric key of one kind, or None."""
        return next((m for m in self.metrics if m.key == key and m.kind == kind), None)

    def phase_metric(self, key: str) -> MetricSpec:
        """A phase time's spec in this exercise's phase words (:func:`phase_metric`)."""
        return phase_metric(key, self.phases)

    def class_label(self, classification: str) -> str:
        """Plain words for a rep class (the class itself, with spaces for underscores, when not declared)."""
        return self.classes.get(classification, classification.replace("_", " "))

    def limits_for(self, analysis: Any) -> tuple[str, ...]:
        """The limit lines about this set: the analysis' own (else the declared ones), without the declared
        :class:`Limit` lines that do not apply to it (matched by text, so a saved analysis is filtered too)."""
        conditional = {str(x): x.applies for x in self.limits if isinstance(x, Limit)}
        lines = tuple(getattr(analysis, "limits", ()) or ()) or tuple(self.limits)
        return tuple(str(x) for x in lines if str(x) not in conditional or conditional[str(x)](analysis))

    @property
    def judges_tempo(self) -> bool:
        """Whether a prescribed tempo is judged (the engine's tempo rules or a rule of its own on a phase time);
        when not, a target tempo in the config is not shown as one (a side plank's arm reaches are not paced)."""
        return self.tempo_rules or any(r.metric in PHASE_KEYS for r in self.rules)

    @property
    def counts_holds(self) -> bool:
        """Whether a set is counted in holds, not reps (a plank: "1 hold"; "0 holds" when none was found)."""
        return self.rep_strategy == "hold"

    def class_shown(self, view: str) -> bool:
        """Whether the rep class means something in this view (see :attr:`class_views`; an unknown view: yes)."""
        return not self.class_views or view in self.class_views or view == "unknown"

    def is_good_class(self, classification: str) -> bool:
        """Whether a rep class is the exercise done as meant (True when the exercise declares no classes)."""
        good = self.good_classes or frozenset(list(self.classes)[:1])
        return not good or classification in good


def shown_class(spec: ExerciseSpec | None, classification: object, view: str) -> str:
    """A rep class as every table shows it (CLI, report, app): its plain words, or "–" when there is none or it is
    read from a value this view does not judge (:meth:`ExerciseSpec.class_shown`: a squat's depth from an oblique
    view). One decision for every place, so the app never shows a class the CLI and the report withhold.

    Args:
        spec: the exercise's spec (None for an exercise this version does not know: the class as saved).
        classification: ``Rep.classification`` (empty or None: no class).
        view: the set's view (``Quality.view``).
    """
    if not classification:
        return "–"
    if spec is None:
        return str(classification)
    return spec.class_label(str(classification)) if spec.class_shown(view) else "–"
