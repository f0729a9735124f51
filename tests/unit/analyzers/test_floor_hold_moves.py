"""A hold's form is read between the limb movements counted during it (a side plank's arm reaches).

Truth by construction: a body line that is steady except while the arm reaches (where the trunk turns by design)
reads as steady once the reaches are left out; breaks and reaches are both unknown, the rest untouched.
"""

from __future__ import annotations

import numpy as np

from formcheck.analyzers.floor_hold import sway_rms, without_breaks
from formcheck.types import Break


def test_reaches_and_breaks_are_left_out_of_a_hold_and_nothing_else() -> None:
    t = np.arange(0.0, 10.0, 0.1)
    line = np.where((t >= 2.0) & (t <= 3.5), 15.0 * np.sin(2 * np.pi * (t - 2.0) / 1.5), 0.3 * np.sin(3 * t))
    series = {"t_s": t, "body_line_deg": line}
    kept = without_breaks(series, (Break(6.0, 6.6),), [(2.0, 3.5)])
    gone = np.isnan(kept["body_line_deg"])
    assert np.array_equal(gone, ((t >= 2.0) & (t <= 3.5)) | ((t >= 6.0) & (t <= 6.6)))
    assert np.array_equal(kept["t_s"], t) and np.array_equal(kept["body_line_deg"][~gone], line[~gone])
    assert sway_rms(kept["body_line_deg"]) < 0.5 < sway_rms(without_breaks(series, ())["body_line_deg"])
