"""Hip vs back split: baseline handling, shares, bands, Esola reference, classification."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.metrics.hip_lumbar import (
    BANDS,
    CHORD_SHARE,
    ESOLA_HIP_SHARE,
    arc_chord_frac,
    band_shares,
    chord_shortening_frac,
    classify_rep,
    hip_contribution_deg,
    hip_share,
    outline_bend_deg,
    smooth_bend_deg,
    spine_flexion_est,
)


def parabola_outline(turn_deg: float, n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    u = np.linspace(0, 1, n)
    c2 = -math.radians(turn_deg) / 2
    return u[None, :], (0.2 + 0.05 * u + c2 * u**2)[None, :]


@pytest.mark.parametrize("turn", [-20.0, 0.0, 15.0, 60.0])
def test_outline_bend_exact_on_parabola(turn: float) -> None:
    u, v = parabola_outline(turn)
    assert outline_bend_deg(u, v)[0] == pytest.approx(turn, abs=1e-6)


def test_outline_bend_ignores_missing_points_and_needs_enough() -> None:
    u, v = parabola_outline(30.0)
    v2 = v.copy()
    v2[0, ::3] = np.nan
    assert outline_bend_deg(u, v2)[0] == pytest.approx(30.0, abs=1e-6)
    v3 = np.full_like(v, np.nan)
    v3[0, :5] = v[0, :5]
    assert np.isnan(outline_bend_deg(u, v3)[0])


def test_spine_estimate_relative_to_standing_baseline() -> None:
    bend = np.r_[np.full(30, 8.0), np.linspace(8, 28, 20), np.full(10, 28.0)]  # a back that reads 8° standing
    base = np.r_[np.ones(30, bool), np.zeros(30, bool)]
    est, b0, noise = spine_flexion_est(bend, base, gain=1.5)
    assert b0 == pytest.approx(8.0)
    assert est[0] == pytest.approx(0.0) and est[-1] == pytest.approx(30.0)
    assert noise == pytest.approx(0.0)
    est2, b2, n2 = spine_flexion_est(bend, np.zeros(60, bool), gain=1.0)
    assert np.isnan(est2).all() and math.isnan(b2) and math.isnan(n2)


@pytest.mark.parametrize(
    ("hip", "spine", "share"),
    [(60.0, 0.0, 1.0), (30.0, 30.0, 0.5), (20.0, 60.0, 0.25), (40.0, -5.0, 1.0), (2.0, 1.0, math.nan)],
)
def test_hip_share(hip: float, spine: float, share: float) -> None:
    got = hip_share(hip, spine)
    assert (math.isnan(got) and math.isnan(share)) or got == pytest.approx(share)


def test_hip_contribution_removes_chord_share_of_spine() -> None:
    assert hip_contribution_deg(np.array(60.0), np.array(20.0)) == pytest.approx(60 - CHORD_SHARE * 20)


def test_band_shares_follow_a_known_rhythm() -> None:
    # Esola-like bend: trunk 0→90; in each band the hip/spine split is set exactly.
    trunk = np.linspace(0, 90, 91)
    share_true = {b: s for b, s in ESOLA_HIP_SHARE.items()}
    hip = np.zeros_like(trunk)
    spine = np.zeros_like(trunk)
    for i in range(1, len(trunk)):
        band = next(b for b in BANDS if b[0] <= trunk[i] <= b[1])
        d = trunk[i] - trunk[i - 1]
        hip[i] = hip[i - 1] + share_true[band] * d
        spine[i] = spine[i - 1] + (1 - share_true[band]) * d
    out = band_shares(trunk, hip, spine)
    for b in BANDS:
        assert out[b] == pytest.approx(share_true[b], abs=0.03)
    shallow = band_shares(trunk[:40], hip[:40], spine[:40])  # reaches 39°: the last two bands are not covered
    assert not math.isnan(shallow[(0.0, 30.0)]) and math.isnan(shallow[(60.0, 90.0)])


def test_esola_reference_values() -> None:
    assert ESOLA_HIP_SHARE[(0.0, 30.0)] == pytest.approx(1 / 2.9)
    assert ESOLA_HIP_SHARE[(30.0, 60.0)] == pytest.approx(1 / 1.9)
    assert ESOLA_HIP_SHARE[(60.0, 90.0)] == pytest.approx(1 / 1.4)


def test_chord_shortening_and_arc() -> None:
    hip = np.zeros((3, 2))
    sho = np.array([[0, -100.0], [0, -100.0], [0, -90.0]])
    out = chord_shortening_frac(hip, sho, np.array([True, True, False]))
    assert out[2] == pytest.approx(0.1)
    assert arc_chord_frac(0.0) == 1.0
    assert arc_chord_frac(60.0) == pytest.approx(math.sin(math.pi / 6) / (math.pi / 6))


@pytest.mark.parametrize(
    ("knee", "share", "expected"),
    [
        (15.0, 0.9, "hinge"),
        (80.0, 0.9, "squat_like"),
        (10.0, 0.3, "stoop"),
        (75.0, 0.3, "squat_like"),  # knees decide first: a deep squat with a rounding back is still a squat
        (10.0, math.nan, "hinge"),  # no back estimate: only hinge vs squat can be told
        (math.nan, math.nan, "hinge"),
    ],
)
def test_classify(knee: float, share: float, expected: str) -> None:
    assert classify_rep(knee, share, squat_knee_deg=60.0, stoop_hip_share=0.5) == expected


def test_single_frame_bend_matches_vectorised() -> None:
    from formcheck.metrics.hip_lumbar import outline_bend_one_deg, outline_in_trunk_frame

    rng = np.random.default_rng(0)
    u = np.linspace(0, 1, 24)
    for facing in (1.0, -1.0):
        hip, sho = np.array([300.0, 300.0]), np.array([300.0 + facing * 60, 200.0])
        ax = (sho - hip) / np.linalg.norm(sho - hip)
        n = facing * np.array([ax[1], -ax[0]])
        v = 0.2 - 0.3 * u**2 + rng.normal(0, 0.002, u.size)
        c = hip + np.linalg.norm(sho - hip) * (u[:, None] * ax + v[:, None] * n)
        c[3] = np.nan
        uu, vv = outline_in_trunk_frame(c[None], hip[None], sho[None], facing)
        assert outline_bend_one_deg(c, hip, sho, facing) == pytest.approx(outline_bend_deg(uu, vv)[0], abs=1e-9)


def test_smooth_bend_removes_onset_transient_keeps_slow_bend() -> None:
    # A 30° rounding over 1.5 s, held, with a ±12° outline transient of 0.2 s at the movement onset.
    t = np.arange(0, 6, 1 / 30)
    true = 30.0 * np.clip((t - 1.0) / 1.5, 0, 1)
    noisy = true.copy()
    noisy[(t >= 1.0) & (t < 1.2)] += 12.0
    noisy[100] = np.nan  # one lost frame is bridged
    out = smooth_bend_deg(noisy, t)
    assert np.all(np.isfinite(out))
    # The 12° transient leaves < 4° (a plain 2 Hz low-pass leaves ~9°); without it the ramp is kept within 1°.
    assert np.max(np.abs(out - true)) < 4.0
    assert np.max(np.abs(smooth_bend_deg(true, t) - true)) < 1.0
    assert abs(out[-10] - 30.0) < 0.5
