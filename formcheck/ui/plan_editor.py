"""The Routine page's plan editor: which exercise fields it edits and their titles in plain words.

The table edits :class:`formcheck.routine.Exercise` rows; a person sees "Hold (s)" and "Each side", never the
field names (``hold_s``, ``per_side``).
"""

from __future__ import annotations

EDIT_COLUMNS = ("key", "name", "sets", "reps", "per_side", "hold_s", "tempo", "rep_s", "position", "family", "notes")
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
    "notes": ("Coaching note", None),
}

__all__ = ["EDIT_COLUMNS", "EDIT_TITLES"]
