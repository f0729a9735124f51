"""The plan editor shows every exercise field it edits under a plain title."""

from __future__ import annotations

import dataclasses

from formcheck.engine import registry
from formcheck.routine import NOT_CHECKED, Exercise, default_routine, exercise_from_dict
from formcheck.ui.plan_editor import (
    AUTO,
    CAMERA_COLUMN,
    EDIT_COLUMNS,
    EDIT_TITLES,
    NOT_CHECKED_LABEL,
    analyzer_options,
    from_row,
    to_rows,
)


def test_every_edited_field_is_a_field_with_a_plain_title():
    fields = {f.name for f in dataclasses.fields(Exercise)}
    assert set(EDIT_COLUMNS) <= fields
    assert set(EDIT_TITLES) == set(EDIT_COLUMNS)
    for key, (title, _help) in EDIT_TITLES.items():
        assert "_" not in title and title != key and title[:1].isupper(), (key, title)


def test_the_analyzer_link_survives_the_editor_round_trip():
    plan = default_routine().plans["A"]
    plan = dataclasses.replace(plan, exercises=(
        dataclasses.replace(plan.exercises[0], analyzer="squat"),
        dataclasses.replace(plan.exercises[1], analyzer=NOT_CHECKED, camera_note="On the floor today."),
        *plan.exercises[2:],
    ))  # fmt: skip
    rows = to_rows(plan)
    assert [r["analyzer"] for r in rows][:3] == ["squat", NOT_CHECKED_LABEL, AUTO]
    assert rows[0][CAMERA_COLUMN].startswith("✓ squat") and rows[1][CAMERA_COLUMN] == "✗ On the floor today."
    assert set(analyzer_options(registry.names())) >= {r["analyzer"] for r in rows}
    back = tuple(exercise_from_dict(from_row(r)) for r in rows)
    assert back == plan.exercises


def test_a_new_row_with_blank_cells_is_auto():
    row = {"key": "walk", "name": "Walk", "sets": 1, "reps": 1, "position": "standing", "family": "walking",
           "analyzer": None, "camera_note": None, CAMERA_COLUMN: None}  # fmt: skip
    e = exercise_from_dict(from_row(row))
    assert e.analyzer == "" and e.camera_note == ""
