"""People count: an overlapping duplicate of the same body is one person (acceptance #8), two bodies are two."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from formcheck.pose.estimator import distinct_people

W, H = 640, 480


def _pose(box: tuple[float, float, float, float], hips: tuple[float, float]) -> list[SimpleNamespace]:
    """33 normalised landmarks spanning ``box`` with both hips (23, 24) at ``hips``."""
    x0, y0, x1, y1 = box
    pts = [SimpleNamespace(x=x0 + (x1 - x0) * (i % 5) / 4, y=y0 + (y1 - y0) * (i % 7) / 6) for i in range(33)]
    pts[23] = SimpleNamespace(x=hips[0], y=hips[1])
    pts[24] = SimpleNamespace(x=hips[0] + 0.002, y=hips[1])
    return pts


@pytest.mark.parametrize(
    ("poses", "n"),
    [
        # the rendered bridge's ghosts (boxes and hips as MediaPipe returned them at 0 s and 5 s): one body
        ([_pose((0.42, 0.44, 0.69, 0.65), (0.56, 0.60)), _pose((0.24, 0.39, 0.83, 0.68), (0.555, 0.60))], 1),
        ([_pose((0.30, 0.37, 0.75, 0.66), (0.50, 0.58)), _pose((0.31, 0.39, 0.76, 0.66), (0.52, 0.595))], 1),
        # two people side by side (split screen, two standing people): two
        ([_pose((0.05, 0.1, 0.45, 0.95), (0.25, 0.55)), _pose((0.55, 0.1, 0.95, 0.95), (0.75, 0.55))], 2),
        # a small inset person in a corner, and someone further back overlapping the subject's box: two
        ([_pose((0.2, 0.1, 0.6, 0.95), (0.4, 0.55)), _pose((0.75, 0.05, 0.9, 0.35), (0.82, 0.2))], 2),
        ([_pose((0.2, 0.1, 0.6, 0.95), (0.4, 0.55)), _pose((0.45, 0.2, 0.7, 0.7), (0.58, 0.45))], 2),
        ([_pose((0.2, 0.1, 0.6, 0.95), (0.4, 0.55))], 1),
        ([], 0),
    ],
    ids=["bridge_ghost_0s", "bridge_ghost_5s", "side_by_side", "inset", "behind", "one", "none"],
)
def test_overlapping_duplicate_counts_once(poses, n):
    kept = distinct_people(poses, W, H)
    assert len(kept) == n
    if n == 1 and len(poses) == 2:  # the larger detection is the one kept

        def width(p):
            return max(q.x for q in p) - min(q.x for q in p)

        assert width(kept[0]) == max(width(p) for p in poses)
