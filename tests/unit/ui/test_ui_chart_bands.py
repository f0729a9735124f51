"""A plank's and side plank's chart band is its form limits (acceptance check #5, finding 5).

The green band was the posture band a hold is timed in (``hold_band_deg``, -25..30°), drawn like a target: a
physio read a 25° pike as inside the green, while the pike limit is 10° and the set got "lower the hips". Truth: the
form rules' own limits, ``-sag_max_deg`` .. ``pike_max_deg`` of the settings the set was judged with.
"""

from __future__ import annotations

import pytest

from formcheck.config import Config, load_config
from formcheck.engine.registry import exercise_config
from formcheck.ui import charts

PIKE_DEG = 25.0  # inside the posture band, 15° past the pike limit


@pytest.mark.parametrize("exercise", ["plank", "side_plank"])
def test_green_band_is_the_form_limits_of_the_judged_config(exercise):
    cfg = Config()
    (group, *_) = charts.plot_groups(exercise, cfg)
    ex = exercise_config(cfg, exercise)
    assert group.band == (-ex.sag_max_deg, ex.pike_max_deg) == (-5.0, 10.0)
    assert not group.band[0] <= PIKE_DEG <= group.band[1]
    assert "green band: in line -5–10" in group.caption("holds") and "-25" not in group.caption("holds")
    own = load_config(None, {exercise: {"sag_max_deg": 8.0, "pike_max_deg": 12.0}})
    assert charts.plot_groups(exercise, own)[0].band == (-8.0, 12.0)  # the set's own limits, not the defaults
    assert exercise_config(own, exercise).hold_band_deg == (-25.0, 30.0)  # what counts as a hold is unchanged
