"""Issue 10: the back outline's quality gates, the second reading and the per-rep "can't tell", on synthetic outlines
of known geometry (circular arcs: a known total turning), not on curves the code fits (parabolas)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.metrics import hip_lumbar as hl
from formcheck.types import LM

K = 24


def arc_uv(turn_deg: float, k: int = K, depth: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """A circular arc from u=0 to u=1 bulging toward the back by its sagitta, ``turn_deg`` of total turning,
    sitting ``depth`` behind the trunk line. Points are evenly spaced along the arc (as a back's would be)."""
    th = math.radians(turn_deg)
    phi = np.linspace(-th / 2, th / 2, k)
    if abs(th) < 1e-9:
        return np.linspace(0.0, 1.0, k), np.full(k, depth)
    r = 1.0 / (2.0 * math.sin(th / 2))
    return r * np.sin(phi) + 0.5, r * np.cos(phi) - r * math.cos(th / 2) + depth


def frames(turns: list[float]) -> tuple[np.ndarray, np.ndarray]:
    uv = [arc_uv(t) for t in turns]
    return np.stack([a for a, _ in uv]), np.stack([b for _, b in uv])


@pytest.mark.parametrize("turn", [0.0, 20.0, 40.0, 60.0])
def test_a_clean_arc_passes_every_check(turn: float) -> None:
    u, v = frames([turn])
    q = hl.outline_quality(u, v)
    assert q["good"][0], {k: x[0] for k, x in q.items()}
    assert q["coverage"][0] == 1.0


@pytest.mark.parametrize(
    ("broken", "check"),
    [
        ("spike", "step"),  # one point jumps 0.3 trunk lengths (a hole in the mask)
        ("missing", "coverage"),  # half the rays found no edge
        ("front", "in_bounds"),  # the outline lies in front of the trunk line (the wrong side was traced)
        ("deep", "in_bounds"),  # deeper than any back (another object merged into the mask)
        ("zigzag", "residual"),  # a ragged edge the curve does not fit
    ],
)
def test_a_broken_outline_fails_the_right_check(broken: str, check: str) -> None:
    u, v = frames([30.0])
    if broken == "spike":
        v[0, 12] += 0.3
    elif broken == "missing":
        v[0, ::2] = np.nan
    elif broken == "front":
        v[0] -= 0.4
    elif broken == "deep":
        v[0] += 0.6
    elif broken == "zigzag":
        v[0] += np.where(np.arange(K) % 2 == 0, 0.08, -0.08)
    q = hl.outline_quality(u, v)
    assert not q["good"][0]
    value = q[check][0]
    assert (
        (not value)
        if q[check].dtype == bool
        else not (
            (check == "coverage" and value >= hl.MIN_COVERAGE_FRAC)
            or (check == "step" and value <= hl.MAX_NEIGHBOUR_STEP)
            or (check == "residual" and value <= hl.MAX_FIT_RESIDUAL)
        )
    ), (check, value)


def test_an_arm_along_the_back_hides_it_but_a_hanging_arm_does_not() -> None:
    u, v = frames([20.0, 20.0])
    # Frame 0: a wrist on the back's edge at mid-trunk; frame 1: hanging in front of the trunk line.
    au = np.array([[0.5], [0.5]])
    av = np.array([[float(np.interp(0.5, u[0], v[0]))], [-0.3]])
    q = hl.outline_quality(u, v, au, av)
    assert list(q["arms_clear"]) == [False, True]
    assert list(q["good"]) == [False, True]


@pytest.mark.parametrize("turn", [10.0, 30.0, 50.0])
def test_tangent_reading_of_an_arc(turn: float) -> None:
    # Lines fitted to u in [0.1, 0.45] and [0.55, 0.95] follow the arc's tangent at their middles; along a circle the
    # tangent turns uniformly with arc length, so the difference is the turning between those two places.
    u, v = frames([turn])
    lo_mid, hi_mid = np.mean([0.1, 0.45]), np.mean([0.55, 0.95])
    expected = turn * (hi_mid - lo_mid)
    assert hl.tangent_bend_deg(u, v)[0] == pytest.approx(expected, abs=0.06 * turn + 0.5)


def test_tangent_reading_needs_points_in_both_parts() -> None:
    u, v = frames([30.0])
    v[0, u[0] > 0.5] = np.nan
    assert math.isnan(hl.tangent_bend_deg(u, v)[0])


@pytest.mark.parametrize("sd", [1.0, 5.0, 12.0])
def test_outline_noise_is_the_standing_scatter(sd: float) -> None:
    rng = np.random.default_rng(3)
    bend = np.concatenate([-20.0 + rng.normal(0, sd, 400), np.full(100, 40.0)])  # standing, then bent
    base = np.arange(500) < 400
    assert hl.outline_noise_deg(bend, base) == pytest.approx(sd, rel=0.15)
    assert math.isnan(hl.outline_noise_deg(bend, np.zeros(500, dtype=bool)))


def _rep(spine: float, check: float, good_frac: float = 1.0, n: int = 20) -> hl.RepBack:
    good = np.arange(n) < round(good_frac * n)
    return hl.rep_back_estimate(np.full(n, spine), np.full(n, check), good, np.arange(n))


@pytest.mark.parametrize(
    ("spine", "check", "good_frac", "reason", "readable"),
    [
        (30.0, 27.0, 1.0, "", True),  # both readings agree: read
        (5.0, 12.0, 1.0, "", True),
        (30.0, 5.0, 1.0, "unclear", False),  # 25° apart with a 15° tolerance: not confident
        (30.0, 28.0, 0.4, "unclear", False),  # most bottom frames had a broken outline
        (-40.0, -38.0, 1.0, "implausible", False),  # a back does not extend 40° beyond standing in a bend
        (120.0, 110.0, 1.0, "implausible", False),  # nor flex 120°
    ],
)
def test_rep_estimate_or_cant_tell(spine: float, check: float, good_frac: float, reason: str, readable: bool) -> None:
    r = _rep(spine, check, good_frac)
    assert r.reason == reason
    assert math.isfinite(r.spine_deg) == readable
    if readable:
        assert r.spine_deg == pytest.approx(spine)
        assert r.confidence >= 0.5
    else:
        assert r.confidence < 0.5


def test_confidence_falls_with_disagreement() -> None:
    confs = [_rep(30.0, 30.0 - d).confidence for d in (0.0, 10.0, 15.0, 20.0, 25.0, 30.0)]
    assert confs[:3] == [1.0, 1.0, 1.0]
    assert confs[3] > confs[4] > confs[5] == 0.0


def test_no_outline_is_no_estimate() -> None:
    r = hl.rep_back_estimate(np.full(10, np.nan), np.full(10, np.nan), np.zeros(10, bool), np.arange(10))
    assert (r.reason, r.confidence) == ("no_outline", 0.0) and math.isnan(r.spine_deg)


def _series(stand_sd: float, peak_turn: float, n_people_frac: float = 0.0) -> tuple[np.ndarray, ...]:
    """A standing → bent → standing set of arc outlines; the standing outline flickers by ``stand_sd`` degrees."""
    rng = np.random.default_rng(0)
    t = np.arange(300) / 30.0
    turn = np.where((t > 3) & (t < 7), peak_turn * np.sin(np.pi * (t - 3) / 4) ** 2, 0.0)
    turn = turn + np.where(turn == 0, rng.normal(0, stand_sd, t.size), 0.0)
    u, v = frames(list(turn))
    hip = np.zeros((t.size, 2))
    sho = np.tile([0.0, -100.0], (t.size, 1))
    px = np.full((t.size, 33, 2), np.nan)
    px[:, [LM.LEFT_WRIST, LM.RIGHT_WRIST, LM.LEFT_ELBOW, LM.RIGHT_ELBOW]] = [30.0, -50.0]  # in front
    base = turn == 0 if stand_sd == 0 else np.abs(turn) < 4 * stand_sd
    base &= (t < 3) | (t > 7)
    return hl.back_series(u, v, px, hip, sho, 1.0, t, base, gain=1.0, noise_max_deg=4.0,
                          multi_person_frac=n_people_frac)  # fmt: skip


def test_back_series_reads_a_steady_back() -> None:
    spine, check, good, _, onoise = _series(0.5, 40.0)
    assert onoise < 1.0 and good.all()
    assert np.nanmax(spine) == pytest.approx(40.0, abs=3.0)  # a circular arc's turning is read as itself (gain 1)
    assert np.nanmax(check) > 10.0


def test_back_series_refuses_a_flickering_standing_outline() -> None:
    spine, check, _, _, onoise = _series(10.0, 40.0)
    assert onoise > 4.0
    assert np.all(np.isnan(spine)) and np.all(np.isnan(check))


def test_back_series_refuses_when_another_person_is_in_view() -> None:
    spine, *_ = _series(0.5, 40.0, n_people_frac=0.4)
    assert np.all(np.isnan(spine))


@pytest.mark.parametrize(("good_frac", "readable"), [(1.0, True), (0.9, False), (0.6, False)])
def test_a_reading_without_its_check_is_never_fully_confident(good_frac: float, readable: bool) -> None:
    # The tangent reading is missing: the parabola alone is at most half-confident, read only when every bottom
    # frame's outline passed its checks.
    r = _rep(30.0, math.nan, good_frac)
    assert r.confidence <= 0.5
    assert math.isfinite(r.spine_deg) == readable
