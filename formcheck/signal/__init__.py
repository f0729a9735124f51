"""formcheck.signal: zero-phase smoothing for files, causal One-Euro for live, short-gap filling."""

from formcheck.signal.filters import (
    OneEuroFilter,
    fill_gaps,
    lowpass,
    nan_free_runs,
    resample_uniform,
    rolling_median,
    sample_rate_hz,
    smooth_series,
)

__all__ = [
    "OneEuroFilter",
    "fill_gaps",
    "lowpass",
    "nan_free_runs",
    "resample_uniform",
    "rolling_median",
    "sample_rate_hz",
    "smooth_series",
]
