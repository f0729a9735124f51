"""``formcheck analyze POSES.npz`` without ``--exercise``: recognition picks the analyzer and says what it saw and why;
when it cannot tell, a plain error with exit code 2 and no traceback. Poses are synthetic sets with known exercises
(the registered specs' own generators), saved as pose files the CLI reads like videos.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from formcheck.cli import main
from formcheck.engine import registry
from formcheck.io.cache import save_pose_cache
from formcheck.synth import RepSpec, hinge_clip


@pytest.fixture(scope="module")
def poses(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("poses")
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for name in ("glute_bridge", "lunge", "side_plank", "side_bend"):
            out[name] = save_pose_cache(registry.get_spec(name).synth(n_reps=3, facing=1, fps=30.0, seed=2).seq,
                                        d / f"{name}.npz")  # fmt: skip
        out["still"] = save_pose_cache(hinge_clip([RepSpec(depth=0.05)] * 2, seed=0).seq, d / "still.npz")
        seq = hinge_clip([RepSpec()] * 3, seed=0).seq
        flat = type(seq)(seq.landmarks, np.full_like(seq.world, np.nan), seq.t_s, seq.width, seq.height)
        out["no_world"] = save_pose_cache(flat, d / "no_world.npz")  # image landmarks only
    return out


@pytest.mark.parametrize("name", ["glute_bridge", "lunge", "side_plank"])
def test_analyze_without_exercise_recognises_and_says_why(name: str, poses, tmp_path, capsys) -> None:
    out_json = tmp_path / "a.json"
    code = main(["analyze", str(poses[name]), "--quiet", "--json", str(out_json)])
    out, err = capsys.readouterr()
    assert code == 0, err
    head = out.splitlines()[:2]
    assert head[0].startswith(f"formcheck — {registry.get_spec(name).title} (recognised)")  # its title, not its id
    title = registry.get_spec(name).title  # plain words: the title, never the key (#15)
    assert head[1].strip().startswith(f"recognised {title} (") and "confidence" in head[1]
    assert not [k for k in registry.names() if "_" in k and k in head[1]]  # no raw key (glute_bridge) in the line
    settings = json.loads(out_json.read_text())["settings"]
    assert settings["exercise_detected"] is True and settings["recognition"].startswith(f"recognised {title} (")
    assert 0.5 <= settings["recognition_confidence"] <= 1.0


def test_named_exercise_skips_recognition(poses, capsys) -> None:
    code = main(["analyze", str(poses["lunge"]), "--quiet", "--exercise", "lunge"])
    out, _ = capsys.readouterr()
    assert code == 0 and "(recognised)" not in out and "recognised " not in out


def test_cannot_tell_is_a_plain_error_with_exit_code_2(poses, tmp_path, capsys) -> None:
    out_json = tmp_path / "a.json"
    code = main(["analyze", str(poses["still"]), "--quiet", "--json", str(out_json)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out + err
    lines = [ln for ln in err.splitlines() if ln.startswith("formcheck: ")]
    assert len(lines) == 1
    assert lines[0].startswith("formcheck: I can't tell which exercise this is: no repeated bending")
    assert "Name it with --exercise NAME (one of: " in lines[0] and "glute_bridge" in lines[0]
    assert not out_json.exists()


def test_a_pose_file_without_world_landmarks_says_so(poses, capsys) -> None:
    code = main(["analyze", str(poses["no_world"]), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    assert "no 3D (world) landmarks, which recognition needs" in err and "--exercise" in err
    assert "nobody was seen" not in err


def test_the_recognition_line_names_the_view_the_analysis_reads(poses, capsys) -> None:
    # A side bend filmed from the front narrows the shoulders, so recognition's own estimate reads oblique; the
    # report names one view (the analyzer's, as on the "view:" line) and says what recognition read.
    code = main(["analyze", str(poses["side_bend"]), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    view_line = next(ln for ln in lines if ln.startswith("view: "))
    view = view_line.split(",")[0].removeprefix("view: ")
    assert view == "front"
    assert lines[1].strip().startswith(f"recognised Standing side bend (standing, {view} view")
    assert "oblique view" not in lines[1]
