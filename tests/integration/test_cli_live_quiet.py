"""``formcheck live`` without a camera: stderr is formcheck's one clear message, no OpenCV warnings before it.

OpenCV writes its backend warnings from C++ straight to file descriptor 2, so the command runs in a subprocess
(pytest's capsys would not see them).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

MESSAGE = (
    "formcheck: Camera {cam} could not be opened. Check that it is connected, not used by another program, "
    "and that this program may use it."
)


@pytest.mark.parametrize("camera", ["97", "/dev/formcheck-no-such-camera"])
def test_missing_camera_prints_only_the_clear_message(camera):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENCV_")}  # OpenCV's defaults, as a user has
    res = subprocess.run(
        [sys.executable, "-m", "formcheck", "live", "--camera", camera, "--stall-s", "0.2"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert res.returncode == 3
    assert res.stderr.strip().splitlines() == [MESSAGE.format(cam=camera)]
    assert res.stdout == ""
