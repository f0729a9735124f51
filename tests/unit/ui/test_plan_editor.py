"""The plan editor shows every exercise field it edits under a plain title."""

from __future__ import annotations

import dataclasses

from formcheck.routine import Exercise
from formcheck.ui.plan_editor import EDIT_COLUMNS, EDIT_TITLES


def test_every_edited_field_is_a_field_with_a_plain_title():
    fields = {f.name for f in dataclasses.fields(Exercise)}
    assert set(EDIT_COLUMNS) <= fields
    assert set(EDIT_TITLES) == set(EDIT_COLUMNS)
    for key, (title, _help) in EDIT_TITLES.items():
        assert "_" not in title and title != key and title[:1].isupper(), (key, title)
