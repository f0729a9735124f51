"""Text and small HTML snippets for the live page."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from formcheck.config import Config
from formcheck.engine.registry import find_spec
from formcheck.live import LiveSnapshot
from formcheck.report.content import focus_rank
from formcheck.types import Cue
from formcheck.ui.tables import hold_rows, rep_rows

SEVERITY_KIND = {"safety": "error", "warn": "warning", "info": "info", "praise": "success"}


def banner(s: LiveSnapshot) -> tuple[str, str]:
    """What the cue banner shows: ``(kind, text)`` with kind one of error/warning/info/success.

    Priority: a processing problem, then the setup check, then the current cue, then a neutral status.
    """
    if s.error:
        return "error", s.error
    if not s.running and s.frames_in == 0:
        return "info", "Press START below and allow the camera. Then stand side-on, head to feet in view."
    if not s.ready:
        msg = s.setup_message or "Stand side-on to the camera with your whole body in view."
        return "warning", f"Setup: {msg}"
    if s.cue is not None:
        return SEVERITY_KIND.get(s.cue.severity, "info"), s.cue.message
    return "success", "Counting — move slowly, breathe."


def count_metric(s: LiveSnapshot) -> tuple[str, int | str]:
    """The live counter's ``(label, value)``: ("Holds", 1) for an exercise counted in holds (a plank), as the saved
    set reads "1 hold" (:func:`formcheck.report.content.count_text`), with the reps counted in them beside it once
    there are any (a side plank's arm reaches: ("Holds · reps", "1 · 4"), as the saved "4 reps, 1 hold");
    ("Reps", n) for every other, also before the exercise is recognised."""
    spec = find_spec(getattr(s, "exercise", "") or "")
    if spec is not None and spec.counts_holds:
        return ("Holds · reps", f"{len(s.holds)} · {s.rep_count}") if s.rep_count else ("Holds", len(s.holds))
    return "Reps", s.rep_count


PHASE_WORDS = {
    "eccentric": "lowering",
    "bottom": "pause at the bottom",
    "concentric": "rising",
    "top": "pause at the top",
    "hold": "holding",
    "standing": "ready",
    "idle": "ready",
}


def phase_words(phase: str | None, running: bool, exercise: str = "", position: str = "unknown") -> str:
    """The movement phase in plain words ("rising", never "concentric"); "–" when the camera is stopped.

    With the ``exercise`` known, a rep's phases and the rest between reps are in its words (a bridge's
    ``eccentric`` is "hips up", see :class:`~formcheck.engine.spec.PhaseWords`); the hinge's otherwise. The rest is
    in the set's body ``position`` (a seated hinge: "sitting tall", :meth:`PhaseWords.rest_for`).
    """
    if not running or not phase:
        return "–"
    spec = find_spec(exercise) if exercise else None
    said = spec.phases.state(phase, position) if spec is not None else ""
    return said or PHASE_WORDS.get(phase, phase.replace("_", " "))


def next_set_advice(cues: Sequence[Cue], limit: int = 3) -> list[str]:
    """What to change in the next set: one line per kind of correction (its latest wording and how many reps
    had it), most important first as the reports' focus picks it (:func:`formcheck.report.content.focus_rank`:
    safety first, then the fault seen in the most reps) — not one near-identical line per rep."""
    groups: dict[str, list[Cue]] = {}
    for c in cues:
        if c.severity != "praise":
            groups.setdefault(c.code, []).append(c)
    n_reps = len({c.rep_index for c in cues if c.rep_index is not None})
    lines = []

    def times(k: str) -> int:  # the reps that had it (a hold's or the set's cue: the times it was given)
        return len({c.rep_index for c in groups[k] if c.rep_index is not None}) or len(groups[k])

    for code in sorted(groups, key=lambda k: focus_rank(min(groups[k], key=lambda c: c.priority), times(k))):
        group = groups[code]
        latest = max(group, key=lambda c: (c.rep_index or 0, c.t_s if c.t_s is not None else -1.0))
        reps = len({c.rep_index for c in group if c.rep_index is not None})
        seen = f" ({reps} of {n_reps} reps)" if reps and n_reps else ""
        lines.append(latest.message + seen)
    return lines[:limit]


def live_tables(s: LiveSnapshot, exercise: str, config: Config) -> list[tuple[str, list[dict[str, str]]]]:
    """The live page's tables in page order, as ``(title, rows)``: the finished holds, then the finished reps.

    Each row carries its most important cue, as the file-analysis page shows them: a hold's (plank, bridge top ...)
    from ``s.hold_cues``, a rep's from ``s.rep_cues``. Columns come from the exercise's specs
    (:mod:`formcheck.ui.tables`). A table with no rows is left out.

    Args:
        s: the processor's snapshot.
        exercise: the exercise being analysed (the recognised one with "auto").
        config: the configuration the live set runs with: a number its view does not judge is marked in both
            tables ("+11 (not judged)"), as on the review page.
    """
    out = []
    if s.holds:
        holds = hold_rows(s.holds, s.hold_cues, exercise=exercise, view=s.view, config=config)
        out.append(("Holds in this set", holds))
    if s.reps:
        out.append(("Reps in this set", rep_rows(s.reps, s.rep_cues, exercise=exercise, view=s.view, config=config)))
    return out


def status_line(s: LiveSnapshot) -> str:
    """Small print under the video: speed and drops, so a slow computer is visible, not mysterious."""
    if s.frames_in == 0:
        return "Camera not started."
    fps = f"{s.fps:.0f} fps" if math.isfinite(s.fps) else "– fps"
    ms = f", {s.proc_ms:.0f} ms behind the camera" if math.isfinite(s.proc_ms) else ""
    state = "running" if s.running else "stopped"
    return f"Camera {state} · {fps}{ms} · {100 * s.drop_rate:.0f}% frames skipped to stay live"


def speak_html(text: str, serial: int) -> str:
    """HTML for ``components.html`` that speaks ``text`` once with the browser's speech synthesis.

    Runs inside Streamlit's component iframe; it uses the parent page's ``speechSynthesis`` when allowed so the
    voice survives the iframe being replaced. ``serial`` makes every new cue a distinct snippet.
    """
    # "<" escaped so a cue text can never close the script tag.
    payload = json.dumps({"text": text, "serial": serial}).replace("<", "\\u003c")
    return (
        "<script>(function(){"
        f"const p={payload};"
        "let w=window;try{if(window.parent&&window.parent.speechSynthesis){w=window.parent;}}catch(e){}"
        "if(!w.speechSynthesis){return;}"
        "if(w.__formcheckSpoken===p.serial){return;}w.__formcheckSpoken=p.serial;"
        "w.speechSynthesis.cancel();"
        "const u=new w.SpeechSynthesisUtterance(p.text);u.rate=1.0;w.speechSynthesis.speak(u);"
        "})();</script>"
    )
