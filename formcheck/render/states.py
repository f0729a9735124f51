"""Per-frame :class:`~formcheck.engine.protocol.LiveState` views of a finished analysis, and the cue track.

The annotated video and the report's key frames draw the same overlay as the live view. A recorded set has no
live states, so they are rebuilt here from ``analysis.series`` (the exercise's declared live values,
:attr:`ExerciseSpec.live_keys <formcheck.engine.spec.ExerciseSpec.live_keys>`) and ``analysis.reps`` (phase,
counter, timer); the cue track replays :class:`~formcheck.cues.CueSelector` over them as the live view would, but
never shows a cue over a rep it does not describe (:func:`cue_track`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from formcheck.config import Config
from formcheck.cues import (
    CueEvent,
    CueSelector,
    filed_hold_cues,
    frame_interval_s,
    hold_cues,
    live_candidates,
    usable_rep_cues,
    view_allows_form_cues,
)
from formcheck.engine import cuerules, registry
from formcheck.engine.protocol import LiveState
from formcheck.engine.spec import PHASE_STATES
from formcheck.render.overlay import rep_overlay_specs, rep_value_key, verdict_key
from formcheck.reps import rises_first
from formcheck.types import Analysis, Cue, PoseSequence, Quality, Rep


def live_keys(analysis: Analysis) -> tuple[str, ...]:
    """The live values a state carries: the exercise's declared live keys, else every series but time.

    The fallback keeps an analysis of an exercise this version does not know (a newer saved file) drawable.
    """
    spec = registry.find_spec(analysis.exercise)
    if spec is not None and spec.live_keys:
        return tuple(spec.live_keys)
    return tuple(k for k in analysis.series if k != "t_s")


# What the badge asks of a set filmed from another view than the exercise's best one, by that best view.
_TURN_TO = {"side": "turn side-on", "front": "face the camera", "oblique": "turn half side-on"}


def quality_badge(quality: Quality, views: str | Sequence[str] = ("side",)) -> str:
    """Short text for the view badge: ``✓`` when the set was filmed from the exercise's best view with the whole body
    in the picture, ``⚠`` with what to change otherwise.

    Args:
        quality: the set's quality (its view, side used and whole-body share).
        views: the exercise's declared views, best first (:attr:`ExerciseSpec.views`; a single best view is
            accepted too). The best one is the view the printed warning asks for (an oblique or front side plank:
            "film from the front"), so the badge never tells a front-view exercise to turn side-on, nor ticks a
            side view of one.
    """
    best = views if isinstance(views, str) else (views[0] if views else "side")
    view = quality.view
    if view == best:
        if quality.full_body_fraction < 0.9:
            return f"⚠ {best.capitalize()} view, body cut off"
        if best == "side" and quality.side_used in ("left", "right"):
            return f"Side view ✓ ({quality.side_used} side)"
        return f"{best.capitalize()} view ✓"
    if view in _TURN_TO:
        return f"⚠ {view.capitalize()} view: {_TURN_TO.get(best, f'film from the {best}')}"
    return "⚠ View unknown"


def rep_phases(rep: Rep) -> list[tuple[str, float, float]]:
    """``(phase, start_s, end_s)`` of one rep: lowering, pause at the bottom, rising (robust to odd values).

    A rep timed rise first (a lift from the floor, :func:`formcheck.reps.rises_first`): rising (the pull), pause
    at the top (lockout), lowering, then its rest at the bottom until the next pull (after the rep's end).
    """
    s, e = rep.start_s, rep.end_s
    if rises_first(rep.metrics):
        con = rep.concentric_s if math.isfinite(rep.concentric_s) else rep.end_s - rep.start_s
        con_end = float(np.clip(s + con, s, e))
        if not math.isfinite(rep.top_pause_s):  # the final lowering was not timed: lockout until the rep's end
            return [("concentric", s, con_end), ("top", con_end, e)]
        top = rep.top_pause_s
        ecc_start = float(np.clip(con_end + top, con_end, e))
        out = [("concentric", s, con_end), ("top", con_end, ecc_start), ("eccentric", ecc_start, e)]
        rest = rep.bottom_pause_s
        return out + [("bottom", e, e + rest)] if math.isfinite(rest) and rest > 0 else out
    ecc = rep.eccentric_s if math.isfinite(rep.eccentric_s) else rep.bottom_s - s
    pause = rep.bottom_pause_s if math.isfinite(rep.bottom_pause_s) else 0.0
    ecc_end = float(np.clip(s + ecc, s, e))
    con_start = float(np.clip(ecc_end + pause, ecc_end, e))
    return [("eccentric", s, ecc_end), ("bottom", ecc_end, con_start), ("concentric", con_start, e)]


def _interp_series(analysis: Analysis, t: np.ndarray, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Series ``keys`` at times ``t`` (nearest earlier sample, NaN outside and where unknown)."""
    s = analysis.series
    out = {k: np.full(t.shape, np.nan) for k in keys}
    if "t_s" not in s or len(s["t_s"]) == 0:
        return out
    ts = np.asarray(s["t_s"], dtype=np.float64)
    if ts.shape == t.shape and np.allclose(ts, t):
        return {k: np.asarray(s[k], dtype=np.float64) if k in s else out[k] for k in keys}
    i = np.clip(np.searchsorted(ts, t, side="right") - 1, 0, len(ts) - 1)
    dt = np.median(np.diff(ts)) if len(ts) > 1 else 0.0
    valid = (t >= ts[0] - dt) & (t <= ts[-1] + dt)
    for k in keys:
        if k in s:
            vals = np.asarray(s[k], dtype=np.float64)[i]
            out[k] = np.where(valid, vals, np.nan)
    return out


def rep_values(analysis: Analysis, t: np.ndarray) -> dict[str, np.ndarray]:
    """Each rep's own overlay numbers (the exercise's ``"rep"`` specs shown in ``"overlay"``) at times ``t``, keyed
    :func:`~formcheck.render.overlay.rep_value_key`: the rep's value from its turn to its end, NaN elsewhere and
    where the rep has none. The overlay shows what the tables say about that rep, not a per-frame series that
    reads another quantity (a bird-dog's "leg" once showed the thigh's reach from hanging, 94°, beside a table's
    leg at −3° of horizontal).
    """
    out = {}
    for m in rep_overlay_specs(registry.find_spec(analysis.exercise)):
        x = np.full(t.shape, np.nan)
        for rep in analysis.reps:
            turn = rep_phases(rep)[0][2]  # the end of its first moving phase: full reach, the bottom
            x[(t >= turn) & (t <= rep.end_s)] = m.value_of(rep.metrics)
        out[rep_value_key(m.key)] = x
    return out


def _item_codes(analysis: Analysis, config: Config | None) -> list[tuple[float, float, set[str]]]:
    """Each rep's and hold's time span and the codes of the corrections the analysis gave it: ``analysis.cues``
    (or, when it has none and ``config`` is given, the rep's usable cues and the hold's cues, as :func:`cue_track`)."""
    spans: list[tuple[float, float, set[str]]] = []
    frame_s = frame_interval_s(analysis)
    for r in analysis.reps:
        if analysis.cues:
            cues = [c for c in analysis.cues if c.rep_index == r.index]
        else:
            cues = usable_rep_cues(r, analysis.quality, config, analysis.exercise, frame_s) if config else []
        spans.append((r.start_s, r.end_s, {c.code for c in cues if c.severity != "praise"}))
    for h in getattr(analysis, "holds", ()):
        if analysis.cues:
            cues = filed_hold_cues(analysis.cues, h.start_s, h.end_s)
        else:
            cues = hold_cues(h, analysis.quality, config, analysis.exercise) if config else []
        spans.append((h.start_s, h.end_s, {c.code for c in cues if c.severity != "praise"}))
    return spans


def overlay_verdicts(
    analysis: Analysis, t: np.ndarray, vals: dict[str, np.ndarray], config: Config | None = None
) -> dict[str, np.ndarray]:
    """The overlay's per-frame values as the analysis judged them: for each value coloured against a limit (an
    ``"overlay"`` series with a ``threshold_key``), whether the frame lies in a rep (hold) the analysis gave a
    correction by a rule on that value (:func:`~formcheck.render.overlay.verdict_key`, 1.0 / 0.0: the overlay
    draws a reading past the limit red only there); and, where that value's own rep metric is unknown (the analysis
    could not tell, e.g. a back outline too unclear at the bottom), no per-frame number in that rep (``vals`` is set
    to NaN there, in place).

    The per-frame series are noisier than a rep's reading: deadlift_side_jf9ss9_2's outline read +30° for a moment
    at 9.63 s (trunk 15°, the plate passing in front of the body) while its reps read 10/4/5/7/7° and got no back
    cue, and the overlay showed a red "back +30°".
    """
    spec = registry.find_spec(analysis.exercise)
    if spec is None:
        return {}
    coloured = [m for m in spec.metric_specs("overlay", "series") if m.overlay_at and m.threshold_key and m.key in vals]
    if not coloured:
        return {}
    spans = _item_codes(analysis, config)
    rules = cuerules.rules_of(spec)
    out: dict[str, np.ndarray] = {}
    for m in coloured:
        keys = {m.key, *m.evidence}
        speaks = {r.code for r in rules if r.metric in keys or m.key in (r.source, r.live_source)}
        cued = np.zeros(t.shape)
        for a, b, codes in spans:
            if codes & speaks:
                cued[(t >= a) & (t <= b)] = 1.0
        out[verdict_key(m.key)] = cued
        own = spec.metric(m.key, "rep")
        for r in analysis.reps if own is not None else ():
            if not math.isfinite(own.value_of(r.metrics)):
                vals[m.key][(t >= r.start_s) & (t <= r.end_s)] = np.nan
    return out


def frame_states(seq: PoseSequence, analysis: Analysis, config: Config | None = None) -> list[LiveState]:
    """One live-like state per frame of ``seq`` from the finished analysis.

    Phases: ``away`` where nobody was found, ``eccentric``/``bottom``/``concentric`` inside reps (from each
    rep's timing), ``hold`` inside a hold exercise's holds (``hold_count`` the holds finished), ``top`` between and
    around them; a set lifted from the floor has ``setup`` before its first pull and ``bottom`` after its last
    lowering. ``phase_elapsed_s`` counts from the start of the current phase segment; ``new_rep`` (``new_hold``)
    is set on the first frame at or after a rep's (hold's) end. From a rep's turn (its first phase done: full
    reach, the bottom) to its end, the values also carry that rep's own overlay numbers (:func:`rep_values`), and
    the analysis' verdict on each value the overlay colours against a limit (:func:`overlay_verdicts`; ``config``:
    the set's judged configuration, needed only for an analysis saved without its cues).
    """
    t = np.asarray(seq.t_s, dtype=np.float64)
    keys = live_keys(analysis)
    vals = _interp_series(analysis, t, keys)
    vals |= overlay_verdicts(analysis, t, vals, config)
    vals |= rep_values(analysis, t)
    xy = seq.xy_px()
    present = seq.present
    segments: list[tuple[str, float, float]] = []
    reps = sorted(analysis.reps, key=lambda r: r.start_s)
    for rep in reps:
        segments.extend(rep_phases(rep))
    if reps and len(t) and rises_first(reps[0].metrics) and reps[0].start_s > t[0]:
        # a lift from the floor: before the first pull the person is setting up at the bar, not standing
        segments.insert(0, ("setup", float(t[0]), reps[0].start_s))
    if reps and len(t) and rises_first(reps[-1].metrics) and not math.isfinite(reps[-1].bottom_pause_s):
        # ... and after the last lowering resting at the bottom until the recording ends
        segments.append(("bottom", reps[-1].end_s, float(t[-1]) + 1.0))
    # The rest on the floor after a lift's lowering starts at its rep's end but is still that rep's pause: while in
    # it the rep is not counted as finished, so the overlay's "Rep N" (reps finished + 1) names that rep and never
    # one past the analysis' count (deadlift_side_jf9ss9_2 showed "Rep 6 / Pause" on the floor after its 5 reps).
    rest_from = {float(r.end_s) for r in reps if rises_first(r.metrics)}
    holds = sorted(getattr(analysis, "holds", ()), key=lambda h: h.start_s)
    if holds:  # a hold exercise: its holds are the segments (limb reps during a hold only count)
        segments = sorted([("hold", h.start_s, h.end_s) for h in holds], key=lambda s: s[1])
    hold_ends = np.array(sorted(h.end_s for h in holds))
    holds_by_end = sorted(holds, key=lambda h: h.end_s)
    seg_starts = np.array([s for _, s, _ in segments]) if segments else np.zeros(0)
    ends = sorted(analysis.reps, key=lambda r: r.end_s)
    end_times = np.array([r.end_s for r in ends])
    side = analysis.quality.side_used
    states: list[LiveState] = []
    top_since = float(t[0]) if len(t) else 0.0
    next_end = next_hold = 0
    for i, ti in enumerate(t):
        phase, since = "top", top_since
        j = int(np.searchsorted(seg_starts, ti, side="right")) - 1
        in_rest = False
        if j >= 0 and segments[j][1] <= ti < segments[j][2]:
            phase, since = segments[j][0], segments[j][1]
            in_rest = phase == "bottom" and since in rest_from
        elif j >= 0:
            since = max(top_since, segments[j][2])
        new_rep = None
        while next_end < len(ends) and end_times[next_end] <= ti:
            new_rep = ends[next_end]
            next_end += 1
        new_hold = None
        while next_hold < len(holds_by_end) and hold_ends[next_hold] <= ti:
            new_hold = holds_by_end[next_hold]
            next_hold += 1
        if not present[i]:
            phase = "away"
        values = {k: float(vals[k][i]) for k in vals}
        values["phase_elapsed_s"] = float(ti - since)
        done = int(np.searchsorted(end_times, ti, side="right"))
        states.append(
            LiveState(
                t_s=float(ti),
                phase=phase,
                rep_count=max(0, done - 1) if in_rest and phase == "bottom" else done,  # away: the reps done
                ready=bool(present[i]),
                setup_message=None if present[i] else "Step back into the picture",
                values=values,
                landmarks_px=xy[i],
                side_used=side,
                new_rep=new_rep,
                new_hold=new_hold,
                # the overlay draws this exercise's values; the cue rules check the view
                exercise=analysis.exercise,
                view=analysis.quality.view,
                position=analysis.quality.position,  # the rest's words: a seated hinge rests sitting tall
                hold_count=int(np.searchsorted(hold_ends, ti, side="right")),
            )
        )
    return states


def cue_track(states: list[LiveState], analysis: Analysis, config: Config) -> list[Cue | None]:
    """The cue shown on each frame when replaying the set through the live cue selector.

    ``states`` are :func:`frame_states` of the same ``analysis`` (their finished reps and holds are its own).

    A finished rep or hold contributes its cues as a one-off event, as in the live view: from ``analysis.cues`` (or
    :func:`~formcheck.cues.usable_rep_cues` / :func:`~formcheck.cues.hold_cues` when the analysis has none); live
    candidates come from the state values; :class:`~formcheck.cues.CueSelector` picks.

    One judgement: during a rep or hold, a live candidate is shown only if the analysis gives that rep (hold) the
    same cue. The per-frame series are noisier than a rep's reading (a flat-backed deadlift's outline read 25° for a
    moment while its reps read 4–10°), and the video must not show a correction the report does not make.

    And one the live view cannot make: a cue is never shown over a rep (hold) it does not describe. When the next
    rep or hold begins, a finished one's feedback leaves the screen and one still waiting is dropped
    (:meth:`CueSelector.withdraw <formcheck.cues.CueSelector.withdraw>`), as does a live cue the new rep is not given.
    A rep's feedback is due when it ends, or earlier if the next rep begins sooner than ``cues.min_display_s`` after
    that end: then it comes that long before the next rep's start but not before what it measures is over (a
    lowering cue at the bottom, a pause cue when the rise starts, a rise or form cue at the rep's end:
    :func:`feedback_from_s`), so it is shown over its own rep for as long as the display time allows. Shown after
    the rep it stayed 2.5 s and covered most of the next one (squat_oblique_kbtrainer_7: 0.1-0.2 s between reps;
    deadbug_side_postureapp_1: 0.4-0.7 s); cut at the next rep's start it would have flashed for a few frames. So a
    rise or form cue of a rep followed at once by the next is shown only in the rest between them (none: not shown).
    """
    by_rep: dict[int, list[Cue]] = {}
    for c in analysis.cues:
        if c.rep_index is not None:
            by_rep.setdefault(c.rep_index, []).append(c)
    # Each rep's and hold's one-off feedback (its event's cues), computed once for the events and the live filter.
    rep_events: dict[int, list[Cue]] = {}
    spans: list[tuple[float, float, set[str]]] = []  # each rep's and hold's time span and the codes it is given
    frame_s = frame_interval_s(analysis)  # the tempo's precision, as the analysis' cue list had it
    for r in analysis.reps:
        usable = usable_rep_cues(r, analysis.quality, config, analysis.exercise, frame_s)
        rep_events[r.index] = by_rep.get(r.index, []) if analysis.cues else usable
        # what the rep earned (analysis.cues leaves out a fault repeated within repeat_after_reps)
        spans.append((r.start_s, r.end_s, {c.code for c in (*rep_events[r.index], *usable)}))
    hold_events: dict[int, list[Cue]] = {}
    for h in getattr(analysis, "holds", ()):
        hold_events[h.index] = (filed_hold_cues(analysis.cues, h.start_s, h.end_s) if analysis.cues
                                else hold_cues(h, analysis.quality, config, analysis.exercise))  # fmt: skip
        spans.append((h.start_s, h.end_s, {c.code for c in hold_events[h.index]}))

    def given_at(t_s: float) -> set[str]:
        return set().union(*(codes for a, b, codes in spans if a <= t_s <= b))

    end_s = states[-1].t_s + (frame_s if math.isfinite(frame_s) else 0.0) if states else math.inf  # the video's end
    dues = _feedback_due(analysis, rep_events, hold_events, config.cues.min_display_s, end_s)
    starts = sorted(a for a, _, _ in spans)
    sel = CueSelector(config)
    live_ok = view_allows_form_cues(analysis.quality, config)  # live form cues need a side view
    track: list[Cue | None] = []
    next_due = next_start = 0
    for st in states:
        t = st.t_s
        begun = False
        while next_start < len(starts) and starts[next_start] <= t:
            begun, next_start = True, next_start + 1
        if begun:  # a rep or hold begins: what was said about the one before goes, unless the new one is given it
            keep = set().union(*(codes for a, b, codes in spans if a <= t < b))  # not the one ending now
            keep |= {sel.active_code} if (sel.active_code or "").startswith("setup.") else set()
            sel.withdraw(t, keep_live=keep)
        cands = live_candidates(st, config, active_code=sel.active_code) if live_ok and st.phase != "away" else []
        if cands:
            given = given_at(t)
            cands = [c for c in cands if c.code.startswith("setup.") or c.code in given]
        events: dict[CueEvent, list[Cue]] = {}
        while next_due < len(dues) and dues[next_due][0] <= t:
            _, next_s, event, cues = dues[next_due]
            next_due += 1
            if next_s > t:  # else the next rep has begun: this feedback would describe the wrong one
                events[event] = cues
        track.append(sel.update(t, cands, events))
    return track


# The rep phase (a :func:`rep_phases` name) each timed Rep field measures; any other key (a form cue, praise) is about
# the whole rep. A rise-first rep's "top" is its lockout (its top_pause_s).
_PHASE_OF_FIELD = {field: phase for phase, field in PHASE_STATES.items()} | {"top_pause_s": "top"}


def feedback_from_s(rep: Rep, cue: Cue) -> float:
    """The earliest time ``cue``, the feedback on ``rep``, may be shown: when what it measures is over.

    A cue on a timed phase (its :attr:`Cue.metric <formcheck.types.Cue.metric>` is that phase's Rep field, as the
    tempo rules record it) may show when that phase ends: the lowering's at the bottom, the pause's when the rise
    starts (:func:`rep_phases`, in the rep's own order: a bridge's first phase is its rise, a lift from the floor's
    its pull). Any other cue (form, praise: about the whole rep) waits for the rep's end, as does a phase that lies
    past it (a lift's rest on the floor, a lowering-first rep's top pause: after that the next rep has begun, so its
    cue comes at the rep's end, during the rest it describes) or one not timed.
    """
    phase = _PHASE_OF_FIELD.get(cue.metric)
    end = next((b for name, _, b in rep_phases(rep) if name == phase), rep.end_s)
    return float(min(end, rep.end_s)) if math.isfinite(end) and end >= rep.start_s else rep.end_s


# A rep's feedback that could be on screen for less than this (the next rep begins, or the video ends, sooner after
# what it is about is over) is left out of the annotated video rather than flashed: "Keep your gaze down" for one
# frame (0.02 s) at a clip's end, 0.17 s between two squats. Half a second: a priori, about the shortest time a
# two-word banner can be read; not chosen on the clips.
MIN_FEEDBACK_SHOW_S = 0.5


def _feedback_due(
    analysis: Analysis,
    rep_events: dict[int, list[Cue]],
    hold_events: dict[int, list[Cue]],
    display_s: float,
    end_s: float = math.inf,
) -> list[tuple[float, float, CueEvent, list[Cue]]]:
    """``(due_s, next_start_s, event, cues)`` of each rep's and hold's feedback in due order (see :func:`cue_track`):
    due at its end, or ``display_s`` before the next one begins (or the video ends at ``end_s``) but not before what
    the cue shown measures is over (:func:`feedback_from_s`; a hold's: its end); ``next_start_s`` is when the next
    rep or hold (one not inside it) begins, inf if none."""

    def earliest(rep: Rep, cues: list[Cue]) -> float:
        if not cues:
            return rep.end_s
        # the one cue CueSelector shows of an event: its most important (lowest priority, then code)
        return feedback_from_s(rep, min(cues, key=lambda c: (c.priority, c.code)))

    items = [(r.start_s, r.end_s, CueEvent("rep", r.index), earliest(r, rep_events[r.index]), rep_events[r.index])
             for r in analysis.reps]  # fmt: skip
    items += [(h.start_s, h.end_s, CueEvent("hold", h.index), h.end_s, hold_events[h.index])
              for h in getattr(analysis, "holds", ())]  # fmt: skip
    out = []
    for a, b, event, first, cues in items:
        nxt = min((a2 for a2, b2, *_ in items if a2 > a and b2 > b), default=math.inf)
        first = min(first, b) if math.isfinite(first) else b  # a rep whose timing is unknown: due at its end
        # A last rep ending with the video: a lowering or pause cue comes before the end; a rise or form cue cannot
        # (rdl_side_julio_1's last rep: one frame, 0.02 s).
        due = max(min(b, min(nxt, end_s) - display_s), first)
        if min(nxt, end_s) - due < MIN_FEEDBACK_SHOW_S:
            continue  # a flash too short to read (the report and the cue list still have it)
        out.append((due, nxt, event, cues))
    return sorted(out, key=lambda d: d[0])
