"""The Routine page's plan editor: which exercise fields it edits and their titles in plain words.

The table edits :class:`formcheck.routine.Exercise` rows; a person sees "Hold (s)" and "Each side", never the
field names (``hold_s``, ``per_side``). The "Checked by" column keeps each item's link to an analyzer: *auto*
(matched from the registry when used), one of the registered analyzers, or *not checked* (with why); a read-only
"Camera check" column shows what that link resolves to today.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from formcheck.routine import NOT_CHECKED, Exercise, Plan, camera_check

EDIT_COLUMNS = (
    "key", "name", "sets", "reps", "per_side", "hold_s", "tempo", "rep_s", "position", "family", "analyzer",
    "camera_note", "notes",
)  # fmt: skip
# The plan editor's column titles and help: plain words, never the field names.
EDIT_TITLES = {
    "key": ("Short id", "Letters, digits and _; keeps the checklist ticks when you rename the exercise."),
    "name": ("Exercise", "What you see in the checklist."),
    "sets": ("Sets", None),
    "reps": ("Reps", "Repetitions per set (per side when 'Each side' is ticked); 1 for a single hold."),
    "per_side": ("Each side", "Reps or the hold are done on each side."),
    "hold_s": ("Hold (s)", "Seconds each rep is held; 0 for none."),
    "tempo": ("Tempo", "Lowering-pause-rising-pause seconds, like 3-1-2-1; empty when not tempo-driven."),
    "rep_s": ("Seconds per rep", "For slow moves without a tempo; 0 = estimate."),
    "position": ("Position", None),
    "family": ("Movement", "Movement family, for variety at a glance."),
    "analyzer": (
        "Checked by",
        "Which analyzer checks it on camera. 'auto' finds one from the exercise's name and movement (a newly "
        "added analyzer is picked up without an edit); 'not checked' leaves it to the checklist.",
    ),
    "camera_note": ("Why not checked", "Shown when the camera does not check it (a breathing drill, a walk)."),
    "notes": ("Coaching note", None),
}
AUTO = "auto"  # the editor's word for Exercise.analyzer == "" (matched from the registry when used)
NOT_CHECKED_LABEL = "not checked"  # the editor's word for routine.NOT_CHECKED
CAMERA_COLUMN = "camera"  # read-only: what the link resolves to now
CAMERA_TITLE = ("Camera check", "What the camera checks for this exercise today, or why it does not.")


def analyzer_options(names: Sequence[str]) -> list[str]:
    """The "Checked by" choices: auto, every registered analyzer, not checked."""
    return [AUTO, *names, NOT_CHECKED_LABEL]


def _shown(analyzer: str) -> str:
    return AUTO if not analyzer else NOT_CHECKED_LABEL if analyzer == NOT_CHECKED else analyzer


def _stored(shown: Any) -> str:
    text = "" if shown is None or (isinstance(shown, float) and shown != shown) else str(shown).strip()
    return "" if text in ("", AUTO) else NOT_CHECKED if text == NOT_CHECKED_LABEL else text


def camera_text(exercise: Exercise, specs: Sequence[Any] | None = None) -> str:
    """The "Camera check" cell: ``✓ lunge (by its name)`` or ``✗ <why>``."""
    c = camera_check(exercise, specs)
    return f"✓ {c.analyzer} ({c.why})" if c.checked else f"✗ {c.why}"


def to_rows(plan: Plan, specs: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """The editor's rows for a plan: the edited fields (the analyzer in the editor's words) and the camera check."""
    rows = []
    for e in plan.exercises:
        row = {c: getattr(e, c) for c in EDIT_COLUMNS}
        row["position"] = e.position.value
        row["analyzer"] = _shown(e.analyzer)
        row[CAMERA_COLUMN] = camera_text(e, specs)
        rows.append(row)
    return rows


def from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """An edited row as :func:`formcheck.routine.exercise_from_dict` takes it (the camera check column dropped)."""
    out = {k: v for k, v in row.items() if k != CAMERA_COLUMN}
    if "analyzer" in out:
        out["analyzer"] = _stored(out["analyzer"])
    return out


__all__ = [
    "AUTO",
    "CAMERA_COLUMN",
    "CAMERA_TITLE",
    "EDIT_COLUMNS",
    "EDIT_TITLES",
    "NOT_CHECKED_LABEL",
    "analyzer_options",
    "camera_text",
    "from_row",
    "to_rows",
]
