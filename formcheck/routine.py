"""The A/B routine: two editable exercise plans, a daily checklist with an anchor moment, and adherence.

* **A plan** — the normal day: low load, high awareness, a mix of positions and movement families.
* **B plan** — about five minutes, gentle, for a flare-up day or travel: nothing loaded, mostly lying down.

The plans are kept as a small TOML file in the user's data folder (``routine.toml``, or ``$FORMCHECK_ROUTINE``)
so they can also be edited by hand; ticks of the daily checklist are kept in the history store.
A day counts towards adherence when every exercise of *either* plan was ticked: doing the B plan on a bad day
is keeping the habit, not breaking it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from formcheck.body.position import KNOWN_POSITIONS, Position
from formcheck.config import parse_tempo
from formcheck.errors import ConfigError

# The body positions an exercise can be done in: the values of the one Position type the camera also recognises
# (formcheck.body.position). Files written before it said "sidelying"; that still reads as side_lying.
POSITIONS: tuple[str, ...] = tuple(p.value for p in KNOWN_POSITIONS)
PLAN_KEYS = ("A", "B")
NOT_CHECKED = "none"  # Exercise.analyzer of an item the camera is not asked to check
TRANSITION_S = 15.0  # getting into position / switching exercise, for the time estimate


@dataclass(frozen=True)
class Exercise:
    """One line of a plan.

    Attributes:
        key: short stable id (used by the checklist), letters/digits/underscore.
        name: what the user sees.
        sets: number of sets.
        reps: repetitions per set (per side when ``per_side``); 1 for a single hold.
        position: a :class:`~formcheck.body.position.Position` (one of :data:`POSITIONS`; a string is accepted
            and converted, including the older spelling ``"sidelying"``).
        family: movement family (hinge, bridge, anti-extension, …), free text, for variety at a glance.
        per_side: reps (or the hold) are done on each side.
        hold_s: seconds each rep is held (bird-dog 3 s; side plank 20 s with ``reps=1``); 0 for none.
        tempo: lowering-pause-rising-pause seconds like ``"3-1-2-1"``, or ``""`` when not tempo-driven.
        rep_s: seconds per rep for moves without a tempo ("slow" cat-camel ≈ 5 s); 0 = derive.
        analyzer: which formcheck analyzer checks it on camera: ``""`` = found from the registry when asked
            (:func:`camera_check`: by its key, name or movement family), a registered name (``"lunge"``), or
            :data:`NOT_CHECKED` for an item the camera is not asked to check (a breathing drill, a walk).
        camera_note: why the camera does not check it, in plain words (shown when no analyzer does).
        notes: one short coaching line.
    """

    key: str
    name: str
    sets: int
    reps: int
    position: Position
    family: str
    per_side: bool = False
    hold_s: float = 0.0
    tempo: str = ""
    rep_s: float = 0.0
    analyzer: str = ""
    camera_note: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        where = f"Exercise {self.name or self.key!r}"
        if not self.key or not self.key.replace("_", "").isalnum() or not self.key.isascii():
            raise ConfigError(f"{where}: its key must be letters, digits or '_' (got {self.key!r}).")
        if not self.name.strip():
            raise ConfigError(f"Exercise {self.key!r} needs a name.")
        if isinstance(self.sets, bool) or not isinstance(self.sets, int) or not 1 <= self.sets <= 10:
            raise ConfigError(f"{where}: sets must be a whole number from 1 to 10 (got {self.sets!r}).")
        if isinstance(self.reps, bool) or not isinstance(self.reps, int) or not 1 <= self.reps <= 100:
            raise ConfigError(f"{where}: reps must be a whole number from 1 to 100 (got {self.reps!r}).")
        try:
            pos = Position.parse(self.position)
        except ValueError:
            pos = Position.UNKNOWN
        if pos is Position.UNKNOWN:
            raise ConfigError(f"{where}: position must be one of {', '.join(POSITIONS)} (got {self.position!r}).")
        object.__setattr__(self, "position", pos)
        if not 0 <= self.hold_s <= 300:
            raise ConfigError(f"{where}: hold must be between 0 and 300 seconds (got {self.hold_s}).")
        if not 0 <= self.rep_s <= 60:
            raise ConfigError(f"{where}: seconds per rep must be between 0 and 60 (got {self.rep_s}).")
        if self.tempo:
            # Only the form here: the 20 s phase ceiling is for new input (check_links, the plan editor's check),
            # so a routine saved before it (tempo 3-30-2-0) still loads.
            parse_tempo(self.tempo, max_phase_s=None)  # raises ConfigError with a plain message
        # Only the spelling is checked here: whether that analyzer exists depends on this version's registry
        # (a file written by a newer version still loads; camera_check then says the analyzer is missing).
        analyzer = self.analyzer.strip().lower()
        analyzer = "" if analyzer == "auto" else analyzer  # the plan editor's word for "match it when used"
        if analyzer and not (analyzer.replace("_", "").isalnum() and analyzer.isascii()):
            raise ConfigError(f"{where}: the analyzer is a name like 'lunge' (got {self.analyzer!r}).")
        object.__setattr__(self, "analyzer", analyzer)

    @property
    def seconds_per_rep(self) -> float:
        """Time for one rep on one side: the tempo, else the explicit time, else the hold plus a second."""
        if self.tempo:
            return float(sum(parse_tempo(self.tempo, max_phase_s=None)))
        if self.rep_s > 0:
            return self.rep_s
        return self.hold_s + 1.0 if self.hold_s > 0 else 3.0

    def dose(self) -> str:
        """Prescription in words, e.g. ``2 × 8 (3-1-2-1)``, ``2 × 6/side, 3 s holds``, ``2 × 20 s/side``."""
        side = "/side" if self.per_side else ""
        if self.reps == 1 and self.hold_s > 0:
            core = f"{self.hold_s:g} s{side}"
            return core if self.sets == 1 else f"{self.sets} × {core}"
        core = f"{self.reps}{side}"
        text = core if self.sets == 1 else f"{self.sets} × {core}"
        if self.hold_s > 0:
            text += f", {self.hold_s:g} s holds"
        if self.tempo:
            text += f" ({self.tempo})"
        elif self.rep_s >= 4:
            text += " slow"
        return text

    def prescription(self, one_set: bool = False) -> str:
        """The dose in words, as the calendar file gives it: ``2 × 8, tempo 3-1-2-1``, ``2 × 20 s hold per side``,
        ``1 × 8, slow (about 5 s a rep)``; with ``one_set``, one set of it: ``8 reps, tempo 3-1-2-1``,
        ``a 20 s hold per side``."""
        per = " per side" if self.per_side else ""
        if self.hold_s and self.reps == 1:
            what = f"a {self.hold_s:g} s hold{per}" if one_set else f"{self.sets} × {self.hold_s:g} s hold{per}"
        else:
            reps = f"{self.reps} rep{'s' if self.reps != 1 else ''}"
            what = f"{reps}{per}" if one_set else f"{self.sets} × {self.reps}{per}"
            if self.hold_s:
                what += f", hold {self.hold_s:g} s"
        if self.tempo:
            what += f", tempo {self.tempo}"
        elif self.rep_s > 0:
            what += f", slow (about {self.rep_s:g} s a rep)"
        return what

    def est_seconds(self, rest_s: float) -> float:
        """Working time plus rests between sets (not the transition into the exercise)."""
        per_set = self.reps * self.seconds_per_rep * (2 if self.per_side else 1)
        return self.sets * per_set + (self.sets - 1) * rest_s


@dataclass(frozen=True)
class Plan:
    """An ordered list of exercises with a title and a rest between sets."""

    key: str
    title: str
    exercises: tuple[Exercise, ...]
    rest_s: float = 30.0
    description: str = ""

    def __post_init__(self) -> None:
        if self.key not in PLAN_KEYS:
            raise ConfigError(f"A plan is called A or B, not {self.key!r}.")
        if not self.exercises:
            raise ConfigError(f"Plan {self.key} needs at least one exercise.")
        keys = [e.key for e in self.exercises]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ConfigError(f"Plan {self.key} lists {', '.join(dupes)} twice; give each exercise its own key.")
        if not 0 <= self.rest_s <= 600:
            raise ConfigError(f"Plan {self.key}: rest between sets must be 0 to 600 seconds (got {self.rest_s}).")

    def est_minutes(self) -> float:
        """Rough duration: work + rests + a transition into each exercise."""
        s = sum(e.est_seconds(self.rest_s) + TRANSITION_S for e in self.exercises)
        return s / 60.0

    def duration_words(self) -> str:
        """ "about 6 min", or "" when the title already says how long (the B plan's "(about 5 minutes)"): the plan's
        length is said once, by the CLI's ``routine`` and the app's Routine page alike."""
        return "" if re.search(r"\bmin(ute)?s?\b", self.title) else f"about {self.est_minutes():.0f} min"

    def positions(self) -> list[str]:
        return sorted({e.position.value for e in self.exercises}, key=POSITIONS.index)

    def families(self) -> list[str]:
        return list(dict.fromkeys(e.family for e in self.exercises))


@dataclass(frozen=True)
class Routine:
    """Both plans and the anchor moment the daily checklist hangs on."""

    plans: Mapping[str, Plan]
    anchor: str = "after morning coffee"
    notes: tuple[str, ...] = field(default_factory=tuple)
    anchor_time: str = "08:00"  # HH:MM local time of the anchor moment, for the calendar file

    def __post_init__(self) -> None:
        if set(self.plans) != set(PLAN_KEYS):
            raise ConfigError("The routine needs exactly two plans, A and B.")
        if not self.anchor.strip():
            raise ConfigError("The anchor moment cannot be empty: name an everyday moment, like 'after coffee'.")
        parse_clock(self.anchor_time)

    @property
    def anchor_clock(self) -> dt.time:
        """:attr:`anchor_time` as a time of day."""
        return parse_clock(self.anchor_time)

    def with_plan(self, plan: Plan) -> Routine:
        return dataclasses.replace(self, plans={**self.plans, plan.key: plan})

    def with_anchor(self, anchor: str, anchor_time: str | None = None) -> Routine:
        """A copy with another anchor moment (and, when given, its time of day ``HH:MM``)."""
        return dataclasses.replace(
            self, anchor=anchor.strip(), anchor_time=self.anchor_time if anchor_time is None else anchor_time.strip()
        )


def parse_clock(text: str) -> dt.time:
    """``"07:30"`` -> 07:30.

    Raises:
        ConfigError: not a time of day written HH:MM.
    """
    try:
        h, m = str(text).strip().split(":")
        return dt.time(int(h), int(m))
    except (ValueError, TypeError) as e:
        raise ConfigError(f"The anchor time {text!r} is not a time of day like 07:30.") from e


def default_routine() -> Routine:
    """The shipped plans: low load, high awareness, varied positions and movement families."""
    a = Plan(
        key="A",
        title="A plan — normal day",
        description="Low load, slow and aware. Film the hinge side-on to check it.",
        rest_s=30.0,
        exercises=(
            Exercise("hip_hinge", "Bodyweight hip hinge", 2, 8, "standing", "hinge", tempo="3-1-2-1",
                     notes="Hips travel back, back stays long, weight over mid-foot."),
            Exercise("bird_dog", "Bird-dog", 2, 6, "quadruped", "anti-extension / anti-rotation", per_side=True,
                     hold_s=3.0, notes="Reach long, not high; keep the pelvis level."),
            Exercise("glute_bridge", "Glute bridge", 2, 10, "supine", "bridge (hip extension)", tempo="2-1-2-0",
                     notes="Ribs down; lift with the seat, not by arching."),
            Exercise("side_plank", "Side plank (knees or feet)", 2, 1, "side_lying", "anti-lateral flexion",
                     per_side=True, hold_s=20.0, notes="Straight line ear–hip–knee; breathe."),
            Exercise("split_squat", "Split squat", 2, 6, "standing", "squat / single leg", per_side=True,
                     tempo="2-1-2-0", notes="Tall trunk, front knee tracks over the toes."),
        ),
    )  # fmt: skip
    b = Plan(
        key="B",
        title="B plan — flare-up or travel (about 5 minutes)",
        description="Gentle, unloaded, pain-free range only. Keeping the habit matters more than the dose.",
        rest_s=10.0,
        exercises=(
            Exercise("cat_camel", "Cat-camel", 1, 8, "quadruped", "spinal mobility (flexion/extension)", rep_s=5.0,
                     notes="Slow, small range, no forcing at the ends."),
            Exercise("knee_rocks", "Supine knee rocks", 1, 10, "supine", "rotation mobility", rep_s=4.0,
                     camera_note="The knees swing towards and away from a side-on camera, which one camera "
                     "measures poorly; do them by feel, within comfort.",
                     notes="Knees bent together, rock side to side within comfort."),
            Exercise("open_book", "Sidelying open-book", 1, 5, "side_lying", "thoracic rotation", per_side=True,
                     rep_s=6.0, camera_note="The arm opens towards the camera (depth), which one camera measures "
                     "poorly; follow the hand with your eyes instead.",
                     notes="Follow the hand with your eyes; knees stay stacked."),
            Exercise("sphinx", "Sphinx hold", 3, 1, "prone", "gentle extension", hold_s=20.0,
                     notes="On forearms, shoulders away from ears; stop if it bites."),
            Exercise("seated_hinge", "Seated hip hinge", 1, 8, "seated", "hinge", tempo="2-1-2-0",
                     notes="Lean from the hips with a long back, hands on thighs."),
        ),
    )  # fmt: skip
    return Routine(plans={"A": a, "B": b})


# -- which analyzer checks an item ----------------------------------------------------------------------------

# Other words for a movement an analyzer checks, as they appear in an item's key or name. A word only counts when
# the registry holds its analyzer at the time of asking: this table says what a word means, not which analyzers
# exist (those register themselves; see formcheck.analyzers).
ANALYZER_ALIASES: Mapping[str, str] = {
    "split_squat": "lunge",
    "bulgarian": "lunge",
    "hip_hinge": "hinge",
    "deadlift": "hinge",
    "rdl": "hinge",
    "good_morning": "hinge",
    "bridge": "glute_bridge",
    "sphinx": "prone_extension",
    "cobra": "prone_extension",
    "press_up": "prone_extension",
    "birddog": "bird_dog",
    "cat_cow": "cat_camel",
    "deadbug": "dead_bug",
    "pallof": "pallof_press",
    "anti_rotation_press": "pallof_press",
    "lateral_bend": "side_bend",
    "trunk_twist": "trunk_rotation",
}


@dataclass(frozen=True)
class CameraCheck:
    """Whether (and by which analyzer) the camera checks one plan item.

    Attributes:
        key: the item's key.
        name: the item's name.
        analyzer: the registered analyzer that checks it, or ``""`` when the camera does not.
        why: how the analyzer was found ("chosen in the plan", "by its name"), or why it is not checked.
    """

    key: str
    name: str
    analyzer: str
    why: str

    @property
    def checked(self) -> bool:
        return bool(self.analyzer)

    def text(self) -> str:
        """One line for a list, in the checklist's words: "the camera can check it (Bird-dog)" (the analyzer's
        title, never its key) or "not checked by the camera: <why>"."""
        from formcheck.engine.registry import title

        return (
            f"the camera can check it ({title(self.analyzer)})"
            if self.checked
            else f"not checked by the camera: {self.why}"
        )


def _slug(text: str) -> str:
    """Lower-case words joined by ``_``, each without a plural ``s`` ("Good mornings" -> ``good_morning``)."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return "_".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def _has_word(slug: str, word: str) -> bool:
    return f"_{word}_" in f"_{slug}_"


def _registered(specs: Sequence[Any] | None) -> tuple[Any, ...]:
    if specs is not None:
        return tuple(specs)
    from formcheck.engine.registry import specs as registered

    return registered()


def _words(positions: Iterable[str]) -> str:
    return ", ".join(str(p).replace("_", "-") for p in positions)


def camera_check(exercise: Exercise, specs: Sequence[Any] | None = None) -> CameraCheck:
    """Which registered analyzer checks ``exercise`` on camera, or why none does.

    An analyzer named in the plan is used when it is registered and analyses the item's body position. An item
    that names none (``analyzer = ""``, as in files written before the link existed) is matched against the
    registry at the time of asking, first hit wins: an analyzer of the same name as the item's key or name (or
    title); a known other word for it in the key or name (:data:`ANALYZER_ALIASES`); an analyzer's name inside the
    key or name (the longest); the first words of the movement family. A match done in another position than the
    analyzer's is not used.

    Args:
        exercise: the plan item.
        specs: the exercise specs to match against (default: the registry's).
    """
    found = _registered(specs)
    by_name = {s.name: s for s in found}
    pos = exercise.position.value

    def no(why: str) -> CameraCheck:
        return CameraCheck(exercise.key, exercise.name, "", why[:1].upper() + why[1:])

    def fits(spec: Any) -> bool:
        return pos in tuple(spec.positions)

    def wrong_position(spec: Any) -> str:
        return (f"the {spec.title.lower()} analyzer checks it {_words(spec.positions)}, "
                f"not {_words([pos])}.")  # fmt: skip

    if exercise.analyzer == NOT_CHECKED:
        return no(exercise.camera_note or "left out of the camera check in the plan.")
    if exercise.analyzer:
        spec = by_name.get(exercise.analyzer)
        if spec is None:
            return no(f"this version of formcheck has no {exercise.analyzer!r} analyzer "
                      f"(there are: {', '.join(by_name) or 'none'}).")  # fmt: skip
        if not fits(spec):
            return no(wrong_position(spec))
        return CameraCheck(exercise.key, exercise.name, spec.name, "chosen in the plan")
    key, name, family = _slug(exercise.key), _slug(exercise.name), _slug(exercise.family)
    candidates: list[tuple[str, str]] = []
    for s in found:
        if _slug(s.name) in (key, name) or _slug(s.title) == name:
            candidates.append((s.name, "by its name"))
    for word, target in ANALYZER_ALIASES.items():
        if _has_word(key, _slug(word)) or _has_word(name, _slug(word)):
            candidates.append((target, f"by its name ({word.replace('_', ' ')})"))
    for s in sorted(found, key=lambda s: -len(s.name)):
        if _has_word(key, _slug(s.name)) or _has_word(name, _slug(s.name)):
            candidates.append((s.name, "by its name"))
    for s in found:
        if family == _slug(s.name) or family.startswith(_slug(s.name) + "_"):
            candidates.append((s.name, "by its movement family"))
    misplaced = ""
    for target, how in candidates:
        spec = by_name.get(target)
        if spec is None:
            continue
        if fits(spec):
            return CameraCheck(exercise.key, exercise.name, spec.name, how)
        misplaced = misplaced or wrong_position(spec)
    if exercise.camera_note:
        return no(exercise.camera_note)
    if misplaced:
        return no(misplaced)
    return no(f"no formcheck analyzer checks this movement ({exercise.family}, {_words([pos])}) yet.")


def plan_checks(plan: Plan, specs: Sequence[Any] | None = None) -> tuple[CameraCheck, ...]:
    """:func:`camera_check` of every item of ``plan``, in plan order."""
    found = _registered(specs)
    return tuple(camera_check(e, found) for e in plan.exercises)


def check_links(routine: Routine, specs: Sequence[Any] | None = None) -> None:
    """Check every analyzer named in the plans against the registry, and each tempo against the 20 s phase
    ceiling of new input (the plan editor does before saving).

    Items that name none (matched when asked) or :data:`NOT_CHECKED` always pass.

    Raises:
        ConfigError: an item names an analyzer this version does not have, or one that does not analyse the
            item's body position; or its tempo has a phase over 20 s.
    """
    found = _registered(specs)
    by_name = {s.name: s for s in found}
    for key in PLAN_KEYS:
        for e in routine.plans[key].exercises:
            if e.tempo:  # new input: the 20 s phase ceiling applies here (a stored routine loads without it)
                try:
                    parse_tempo(e.tempo)
                except ConfigError as err:
                    raise ConfigError(f"Plan {key}, {e.name}: {err.message}", hint=err.hint) from err
            if not e.analyzer or e.analyzer == NOT_CHECKED:
                continue
            spec = by_name.get(e.analyzer)
            if spec is None:
                raise ConfigError(f"Plan {key}, {e.name}: there is no analyzer called {e.analyzer!r}.",
                                  hint=f"Choose one of {', '.join(by_name)}, or 'not checked'.")  # fmt: skip
            if e.position.value not in tuple(spec.positions):
                raise ConfigError(
                    f"Plan {key}, {e.name}: the {spec.title.lower()} analyzer checks {_words(spec.positions)} "
                    f"exercises, and this one is done {_words([e.position.value])}.",
                    hint="Choose another analyzer or position, or 'not checked'.",
                )


# -- TOML file ----------------------------------------------------------------------------------------------


def routine_path() -> Path:
    """``$FORMCHECK_ROUTINE`` if set, else ``routine.toml`` in the formcheck data folder."""
    env = os.environ.get("FORMCHECK_ROUTINE")
    if env:
        return Path(env)
    from formcheck.store import data_dir

    return data_dir() / "routine.toml"


def _q(s: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(s, ensure_ascii=False)


def routine_to_toml(routine: Routine) -> str:
    """Serialise to commented TOML that :func:`routine_from_toml` reads back unchanged."""
    lines = [
        "# formcheck routine: edit freely; positions: " + ", ".join(POSITIONS),
        "# tempo = lowering-pause-rising-pause seconds; hold_s = seconds per hold; rep_s = seconds per slow rep",
        f"anchor = {_q(routine.anchor)}",
        f"anchor_time = {_q(routine.anchor_time)}  # HH:MM, when the calendar file reminds you",
        "",
    ]
    for key in PLAN_KEYS:
        p = routine.plans[key]
        lines += [f"[plans.{key}]", f"title = {_q(p.title)}", f"description = {_q(p.description)}"]
        lines += [f"rest_s = {p.rest_s:g}", ""]
        for e in p.exercises:
            lines.append(f"[[plans.{key}.exercises]]")
            for f in dataclasses.fields(Exercise):
                v = getattr(e, f.name)
                if isinstance(v, Position):
                    lines.append(f"{f.name} = {_q(v.value)}")
                elif isinstance(v, bool):
                    lines.append(f"{f.name} = {'true' if v else 'false'}")
                elif isinstance(v, int | float):
                    lines.append(f"{f.name} = {v:g}" if isinstance(v, float) else f"{f.name} = {v}")
                else:
                    lines.append(f"{f.name} = {_q(v)}")
            lines.append("")
    return "\n".join(lines)


def exercise_from_dict(d: Mapping[str, Any]) -> Exercise:
    """Build and validate an exercise from a TOML table or an edited table row.

    Raises:
        ConfigError: a missing or wrong value, in plain words.
    """
    names = {f.name: f for f in dataclasses.fields(Exercise)}
    unknown = set(d) - set(names)
    if unknown:
        raise ConfigError(f"Unknown exercise field(s) {sorted(unknown)}; known: {sorted(names)}.")
    kw: dict[str, Any] = {}
    for name, f in names.items():
        if name not in d or d[name] is None or (isinstance(d[name], float) and d[name] != d[name]):
            if f.default is dataclasses.MISSING:
                raise ConfigError(f"An exercise is missing its {name!r}.")
            continue
        v = d[name]
        try:
            if name in ("sets", "reps"):
                if isinstance(v, float) and not v.is_integer():
                    raise ValueError
                v = int(v)
            elif name in ("hold_s", "rep_s"):
                v = float(v)
            elif name == "per_side":
                v = bool(v)
            else:
                v = str(v).strip()
        except (TypeError, ValueError) as e:
            raise ConfigError(f"Exercise field {name!r} has an unusable value {v!r}.") from e
        kw[name] = v
    return Exercise(**kw)


def routine_from_toml(text: str) -> Routine:
    """Parse a routine TOML document.

    Raises:
        ConfigError: not TOML, or a missing/invalid plan or exercise.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"The routine file is not valid TOML: {e}.") from e
    plans_d = data.get("plans")
    if not isinstance(plans_d, dict):
        raise ConfigError("The routine file needs [plans.A] and [plans.B] sections.")
    plans = {}
    for key in PLAN_KEYS:
        p = plans_d.get(key)
        if not isinstance(p, dict):
            raise ConfigError(f"The routine file has no [plans.{key}] section.")
        ex = p.get("exercises")
        if not isinstance(ex, list):
            raise ConfigError(f"Plan {key} needs a list of [[plans.{key}.exercises]].")
        try:
            rest_s = float(p.get("rest_s", 30.0))
        except (TypeError, ValueError) as e:
            raise ConfigError(f"Plan {key}: rest_s must be a number of seconds.") from e
        plans[key] = Plan(
            key=key,
            title=str(p.get("title", f"{key} plan")),
            description=str(p.get("description", "")),
            rest_s=rest_s,
            exercises=tuple(exercise_from_dict(e) for e in ex),
        )
    return Routine(
        plans=plans,
        anchor=str(data.get("anchor", "after morning coffee")),
        anchor_time=str(data.get("anchor_time", "08:00")),
    )


def load_routine(path: str | Path | None = None) -> Routine:
    """The saved routine, or the defaults when none was saved yet.

    Raises:
        ConfigError: the file exists but is unreadable or invalid (it is left untouched).
    """
    p = Path(path) if path is not None else routine_path()
    if not p.exists():
        return default_routine()
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"The routine file {p} cannot be read: {e}.") from e
    try:
        return routine_from_toml(text)
    except ConfigError as e:
        raise ConfigError(f"{e} (in {p})", hint="Fix or delete the file to get the default plans back.") from e


def save_routine(routine: Routine, path: str | Path | None = None) -> Path:
    """Write the routine atomically (a crash never leaves half a file)."""
    p = Path(path) if path is not None else routine_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(p.suffix + ".tmp")
    tmp.write_text(routine_to_toml(routine), encoding="utf-8")
    os.replace(tmp, p)
    return p


# -- checklist and adherence --------------------------------------------------------------------------------


class _Check(Protocol):
    day: str
    plan: str
    item: str
    done: bool


@dataclass(frozen=True)
class DayStatus:
    """One calendar day of the checklist.

    Attributes:
        day: the date.
        plan: ``"A"`` or ``"B"`` when that plan was completed (A wins if both), else None.
        done: ticked items per plan, e.g. ``{"A": 3, "B": 0}``.
        total: items per plan.
    """

    day: dt.date
    plan: str | None
    done: Mapping[str, int]
    total: Mapping[str, int]

    @property
    def complete(self) -> bool:
        return self.plan is not None


@dataclass(frozen=True)
class Adherence:
    """Checklist adherence over a range of days.

    Attributes:
        days: per-day status, oldest first.
        n_days: days in the range.
        days_complete: days on which a whole plan was ticked.
        rate: ``days_complete / n_days`` (0..1).
        streak: complete days in a row ending today (today still open does not break it).
        plan_counts: completed days per plan.
    """

    days: tuple[DayStatus, ...]
    n_days: int
    days_complete: int
    rate: float
    streak: int
    plan_counts: Mapping[str, int]


def adherence(entries: Iterable[_Check], routine: Routine, first: dt.date, last: dt.date) -> Adherence:
    """Count completed checklist days between ``first`` and ``last`` (inclusive).

    Ticks of exercises no longer in a plan (the plan was edited) are ignored.
    """
    if last < first:
        raise ValueError("last day is before the first day")
    keys = {k: {e.key for e in routine.plans[k].exercises} for k in PLAN_KEYS}
    ticked: dict[tuple[str, str], set[str]] = {}
    for c in entries:
        if c.done and c.plan in keys and c.item in keys[c.plan]:
            ticked.setdefault((c.day, c.plan), set()).add(c.item)
    days = []
    d = first
    while d <= last:
        done = {k: len(ticked.get((d.isoformat(), k), ())) for k in PLAN_KEYS}
        total = {k: len(keys[k]) for k in PLAN_KEYS}
        plan = next((k for k in PLAN_KEYS if done[k] == total[k]), None)
        days.append(DayStatus(day=d, plan=plan, done=done, total=total))
        d += dt.timedelta(days=1)
    streak = 0
    seq: Sequence[DayStatus] = days[:-1] if not days[-1].complete else days
    for s in reversed(seq):
        if not s.complete:
            break
        streak += 1
    n_complete = sum(s.complete for s in days)
    return Adherence(
        days=tuple(days),
        n_days=len(days),
        days_complete=n_complete,
        rate=n_complete / len(days),
        streak=streak,
        plan_counts={k: sum(s.plan == k for s in days) for k in PLAN_KEYS},
    )


def weekly_mix(adh: Adherence) -> list[tuple[dt.date, int, int]]:
    """Per calendar week (Monday first) of ``adh``: (Monday, days the A plan was done, days the B plan was done).

    A day counts for the plan that was completed that day (A when both were); days with neither are simply not
    counted — the History page shows what was done, it does not count misses.
    """
    weeks: dict[dt.date, list[int]] = {}
    for s in adh.days:
        monday = s.day - dt.timedelta(days=s.day.weekday())
        counts = weeks.setdefault(monday, [0, 0])
        if s.plan == "A":
            counts[0] += 1
        elif s.plan == "B":
            counts[1] += 1
    return [(w, a, b) for w, (a, b) in sorted(weeks.items())]
