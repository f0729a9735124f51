"""The "too short" message gives the clip's real length, never rounded up to the limit it failed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.cli import MIN_CLIP_S, _long_enough
from formcheck.errors import ClipTooShortError


@pytest.mark.parametrize(
    ("n_frames", "fps", "shown"),
    [(29, 30.0, "0.97"), (24, 30.0, "0.8"), (299, 300.0, "0.99"), (15, 30.0, "0.5")],
)  # 29 frames at 30 fps = 0.967 s: was "is only 1.0 s long: too short" (a 1 s limit)
def test_too_short_says_the_real_length(n_frames: int, fps: float, shown: str) -> None:
    seq = SimpleNamespace(t_s=np.arange(n_frames) / fps, n_frames=n_frames)
    with pytest.raises(ClipTooShortError) as e:
        _long_enough(seq, Path("clip.mp4"))
    assert f"is only {shown} s long" in str(e.value)


def test_a_clip_of_the_limit_passes() -> None:
    seq = SimpleNamespace(t_s=np.arange(30) / 30.0, n_frames=30)
    assert _long_enough(seq, Path("clip.mp4")) is seq and MIN_CLIP_S == 1.0


@pytest.mark.parametrize(("n_frames", "said"), [(1, "has only 1 frame"), (0, "has no frames")])
def test_a_single_frame_is_said_as_a_frame_not_as_0_s(n_frames: int, said: str) -> None:
    # one_frame.mp4 read "is only 0 s long", which reads as a broken file
    seq = SimpleNamespace(t_s=np.zeros(n_frames), n_frames=n_frames)
    with pytest.raises(ClipTooShortError) as e:
        _long_enough(seq, Path("one_frame.mp4"))
    assert f"one_frame.mp4 {said}: too short" in str(e.value) and "0 s long" not in str(e.value)
