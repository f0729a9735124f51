"""Squat and lunge batch analyses of a recording that ends during the last rep's rise (``count_cut_end``).

Known truth: the synthetic squat and lunge generators (``squat_synth``, ``lunge_synth``) give each frame's movement
progress ``u`` (0 standing, 1 at the bottom) and each rep's front leg; a clip is cut at a known point of its last
rep. Cut well into the rise (55-80 % of the way back up) the rep counts, with its rise and time under tension
unknown ("–") and the hinge's plain sentence in the set's warnings; cut at the bottom or during the lowering it
does not. Live (a buffer's end is "now") never uses the rule. For the lunge, the cut rep keeps its own front leg,
and an echo of it on the back leg (a back thigh that reads tipped forward, as seen obliquely) is not counted as the
other leg's rep.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.analyzers.hinge import CUT_END_NOTE
from formcheck.analyzers.lunge import LungeAnalyzer
from formcheck.analyzers.lunge import find_rep_windows as lunge_windows
from formcheck.analyzers.lunge_synth import lunge_clip
from formcheck.analyzers.squat import SquatAnalyzer
from formcheck.analyzers.squat_synth import squat_clip
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.types import Analysis, PoseSequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fc_rep_signals import cut_at  # noqa: E402 - where a synthetic clip's last rise is cut

CFG = Config()


def lowering_at(truth, rep: int, progress: float) -> int:
    """Frame where rep ``rep`` on its way down first reaches progress ``progress``."""
    idx = np.flatnonzero(truth.rep == rep)
    return int(idx[int(np.argmax(truth.u[idx] >= progress))])


def stream_reps(analyzer, seq: PoseSequence) -> Analysis:
    stream = analyzer.stream()
    outline = seq.back_contour_px
    for i in range(seq.n_frames):
        stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height,
                      None if outline is None else outline[i], 1)  # fmt: skip
    return stream.finish()


def assert_cut_last_rep(full: Analysis, cut: Analysis, n: int) -> None:
    assert len(full.reps) == n and len(cut.reps) == n
    last = cut.reps[-1]
    assert math.isnan(last.concentric_s) and math.isnan(last.time_under_tension_s)  # shown "–"
    assert math.isfinite(last.eccentric_s) and math.isfinite(last.bottom_pause_s)
    assert CUT_END_NOTE.format(rep=n) in cut.quality.warnings
    for a, b in zip(cut.reps[:-1], full.reps[:-1], strict=True):
        assert a.concentric_s == pytest.approx(b.concentric_s, abs=1 / 30)
    assert math.isfinite(cut.summary.get("mean_concentric_s", 0.0))  # over the reps whose rise was seen
    # No tempo cue on a rise that was not seen (its seen part is far shorter than the target).
    assert not [c for c in analysis_cues(cut, CFG) if c.rep_index == n and c.code == "tempo.concentric_fast"]


# --- squat and lunge: the same set cut at known points of its last rep ---

# name: (analyzer, the clip, each rep's front leg as the generator makes it: None for the squat)
EXERCISES = {
    "squat": (SquatAnalyzer, lambda: squat_clip(n_reps=3, noise_px=0.5, seed=4), [None, None, None]),
    "lunge": (
        LungeAnalyzer,
        lambda: lunge_clip(n_reps=4, first="left", noise_px=0.5, seed=3),
        ["left", "right", "left", "right"],
    ),
}


@pytest.fixture(scope="module", params=list(EXERCISES))
def ex(request) -> SimpleNamespace:
    """The exercise's analyzer, its clip, the full clip's analysis, its number of reps and each rep's leg."""
    analyzer, make_clip, sides = EXERCISES[request.param]
    clip = make_clip()
    full = analyzer(CFG).analyze(clip.seq)
    return SimpleNamespace(analyzer=analyzer, clip=clip, full=full, n=len(sides), sides=sides)


def analyze_to(ex: SimpleNamespace, end: int) -> Analysis:
    """The batch analysis of the clip up to frame ``end`` (included)."""
    return ex.analyzer(CFG).analyze(ex.clip.seq.slice(0, end + 1))


@pytest.mark.parametrize("progress", [0.45, 0.35, 0.2])
def test_counts_a_last_rep_cut_on_its_way_up_on_its_own_leg(ex, progress: float) -> None:
    cut = analyze_to(ex, cut_at(ex.clip.truth, ex.n, progress))
    assert_cut_last_rep(ex.full, cut, ex.n)
    # The cut rep's window is the full clip's up to the cut: same start and bottom.
    assert cut.reps[-1].start_s == pytest.approx(ex.full.reps[-1].start_s, abs=1 / 30)
    assert cut.reps[-1].bottom_s == pytest.approx(ex.full.reps[-1].bottom_s, abs=1 / 30)
    # The lunge's cut rep keeps its own front leg (the generator's legs, as it reports them).
    assert [r.side for r in cut.reps] == getattr(ex.clip.truth, "sides", ex.sides) == ex.sides
    assert cut.summary.get("reps_right", 0) == ex.sides.count("right")


@pytest.mark.parametrize("where", ["lowering", "bottom"])
def test_clip_ending_before_the_turnaround_is_seen_has_no_rep_there(ex, where: str) -> None:
    end = lowering_at(ex.clip.truth, ex.n, 0.5) if where == "lowering" else cut_at(ex.clip.truth, ex.n, 0.97)
    cut = analyze_to(ex, end)
    assert [r.side for r in cut.reps] == ex.sides[:-1]
    assert not any(w.startswith("The video ends while rep") for w in cut.quality.warnings)


def test_live_never_counts_a_cut_rep_by_the_batch_rule(ex) -> None:
    # 55 % of the way back up: the batch analysis of the file counts it, a live set stopped there does not.
    seq = ex.clip.seq.slice(0, cut_at(ex.clip.truth, ex.n, 0.45) + 1)
    assert len(ex.analyzer(CFG).analyze(seq).reps) == ex.n
    assert len(stream_reps(ex.analyzer(CFG), seq).reps) == ex.n - 1


# --- lunge: the back leg's echo of a cut rep ---

FS = 30.0
AMP_DEG = 90.0


def bump(t: np.ndarray, t0: float, down_s: float, hold_s: float, up_s: float, amp: float) -> np.ndarray:
    """A raised-cosine rep (not the minimum-jerk shape the phase fit assumes): down, hold, up."""
    x = np.zeros_like(t)
    d = (t >= t0) & (t < t0 + down_s)
    x[d] = 0.5 * (1 - np.cos(np.pi * (t[d] - t0) / down_s))
    x[(t >= t0 + down_s) & (t < t0 + down_s + hold_s)] = 1.0
    u = (t >= t0 + down_s + hold_s) & (t < t0 + down_s + hold_s + up_s)
    x[u] = 0.5 * (1 + np.cos(np.pi * (t[u] - t0 - down_s - hold_s) / up_s))
    return amp * x


def echo_set(cut_frac_up: float) -> tuple[SimpleNamespace, float]:
    """Alternating thigh signals (left, right, left, right; 1.5 s down, 0.5 s bottom, 1.5 s up) where, seen
    obliquely, the last (right) rep's back thigh reads 70 % as far forward and comes back three times as fast as
    the front one; cut when the front thigh is ``cut_frac_up`` of the way back up. Returns the features the rep
    finder reads and the cut time."""
    t = np.arange(0.0, 20.0, 1.0 / FS)
    starts = [1.0, 5.0, 9.0, 13.0]
    left = sum(bump(t, s, 1.5, 0.5, 1.5, AMP_DEG) for s in starts[0::2])
    right = sum(bump(t, s, 1.5, 0.5, 1.5, AMP_DEG) for s in starts[1::2])
    left = left + bump(t, starts[3] + 0.3, 1.2, 0.5, 0.5, 0.7 * AMP_DEG)  # the echo: peaks inside the right rep
    t_cut = starts[3] + 2.0 + 1.5 * math.acos(1 - 2 * cut_frac_up) / math.pi  # front thigh cut_frac_up back up
    keep = t <= t_cut
    return SimpleNamespace(t_s=t[keep], thigh={"left": left[keep], "right": right[keep]}), t_cut


@pytest.mark.parametrize(("frac_up", "sides"), [
    (0.25, ["left", "right", "left"]),  # the echo is back down, the front leg not yet far enough: no 4th rep yet
    (0.6, ["left", "right", "left", "right"]),  # the front leg's own rise counts it, on its own leg
])  # fmt: skip
def test_lunge_a_cut_reps_echo_on_the_back_leg_is_not_the_other_legs_rep(frac_up: float, sides: list[str]) -> None:
    f, t_cut = echo_set(frac_up)
    found = lunge_windows(f, CFG)
    assert [w.side for w in found] == sides
    if len(sides) == 4:
        assert found[-1].cut_at_end and found[-1].end_s == pytest.approx(t_cut, abs=1 / FS)
    else:
        assert math.isnan(found[-1].top_pause_s)  # its next rep is not known
