"""``formcheck live --exercise NAME`` on rendered clips (../shared), named wrongly and rightly: the file path's check.

The clips' poses come from formcheck's pose cache (the clips the other live integration tests and the recognition
tests read); the command runs as a user runs it (lines, ``--json``, ``--save``) with the camera and the pose model
replaced by those poses, one frame at a time on the clip's own clock. Truth: the exercise each clip was rendered as
(its JSON). Named as another exercise, the set must get the file path's sentence and no cue of the named exercise, and
the saved set must be withheld by the report and history as ``formcheck analyze`` withholds the same poses; named
rightly, none of it.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import formcheck.io.webcam as webcam_mod
import formcheck.live as live_mod
from formcheck.analyze import analyze_sequence
from formcheck.cli import main
from formcheck.config import Config
from formcheck.engine.registry import get_spec
from formcheck.io.cache import cached_extract
from formcheck.report.content import withheld_reason
from formcheck.store import Store
from formcheck.types import Analysis, PoseFrame, PoseSequence

pytestmark = [pytest.mark.integration, pytest.mark.shared]

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
LUNGE = "synthetic_floor/dev_lunge_side_r_frontL_15-05-12-06"
BRIDGE = "synthetic_floor/dev_bridge_side_r_15-2-15-1"
HINGE = "synthetic/dev_sample_hinge_side_r_2121"


def truth(clip: str) -> str:
    """The exercise the clip was rendered as: a floor clip's ``kind``; the ../shared/synthetic set is hip hinges."""
    meta = json.loads((SHARED / f"{clip}.json").read_text())
    return {"lunge": "lunge", "glute_bridge": "glute_bridge"}.get(str(meta.get("kind")), "hinge")


class Feed:
    """Plays cached poses as the camera: blank frames, each frame's pose, the clip's own timestamps."""

    def __init__(self, seq: PoseSequence) -> None:
        self.seq, self.i = seq, -1

    def source(self, *_a, **_k) -> Feed:
        return self

    def __enter__(self) -> Feed:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def __iter__(self):
        frame = np.full((8, 8, 3), 128, np.uint8)
        for i in range(self.seq.n_frames):
            self.i = i
            yield frame, float(self.seq.t_s[i])

    def process(self, frame_rgb: np.ndarray, t_ms: int) -> PoseFrame:
        s, i = self.seq, self.i
        people = int(s.n_people[i]) if s.n_people is not None else 1
        return PoseFrame(float(s.t_s[i]), s.landmarks[i], s.world[i], n_people=people)


def live(clip: str, named: str, tmp_path: Path, monkeypatch, capsys) -> tuple[list[str], Analysis, Analysis, Path]:
    """``formcheck live --exercise named --json --save`` on the clip: its lines, the saved set, ``analyze``'s."""
    path = SHARED / f"{clip}.mp4"
    if not path.exists():
        pytest.skip(f"{path} not in ../shared")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        seq = cached_extract(path, Config())
        batch = analyze_sequence(seq, named, Config())
    feed = Feed(seq)
    real = live_mod.LiveProcessor

    class Processor(real):
        def __init__(self, config, exercise="hinge", **kw):
            super().__init__(config, exercise, estimator=feed, overlay=lambda f, *a: f, **kw)

    monkeypatch.setattr(live_mod, "LiveProcessor", Processor)
    monkeypatch.setattr(webcam_mod, "WebcamSource", feed.source)
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "set.json"
    assert main(["live", "--camera", "fake", "--exercise", named, "--json", str(out), "--save"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = Store(tmp_path / "data" / "history.sqlite3").sets()
    # --save keeps a set with reps or holds (a bridge named a hinge has none: its JSON is the set then)
    saved = (
        Store(tmp_path / "data" / "history.sqlite3").analysis(rows[-1].id)
        if rows
        else Analysis.from_json_dict(json.loads(out.read_text()))
    )
    return lines, saved, batch, out


@pytest.mark.parametrize(("clip", "named"), [(LUNGE, "hinge"), (BRIDGE, "hinge"), (HINGE, "lunge")])
def test_named_wrong_gets_the_sentence_and_no_cue(clip, named, tmp_path, monkeypatch, capsys) -> None:
    lines, saved, batch, out = live(clip, named, tmp_path, monkeypatch, capsys)
    other = truth(clip)
    a, b = get_spec(other).title, get_spec(named).title
    art = lambda s: ("an " if s[0] in "aeiou" else "a ") + s  # noqa: E731
    words = f"This looks like {art(a.lower())}, not {art(b.lower())}: choose {a} to get its checks"
    assert f">> {words}" in lines
    # every cue line is the sentence or a setup instruction the set printed: no form, tempo or praise line
    setup = {line.removeprefix("setup: ") for line in lines if line.startswith("setup: ")}
    assert all(line[3:] == words or line[3:] in setup for line in lines if line.startswith(">> "))
    rep_lines = [line for line in lines if re.match(r"rep \d+: ", line)]  # each finished rep, as it ends
    assert all(line.endswith("(rep)") for line in rep_lines)  # no class of the named exercise
    d = json.loads(out.read_text())
    assert d["quality"]["recognised_as"] == other
    # the saved set (history) is withheld as analyze withholds the same poses: same mark, same reason, no rep cue
    assert saved.quality.recognised_as == batch.quality.recognised_as == other
    assert withheld_reason(saved) == withheld_reason(batch) is not None
    assert [c.message for c in saved.cues if c.code == "setup.wrong_position"] == [words]
    assert not any(c.rep_index is not None or c.severity == "praise" for c in saved.cues)
    assert len(rep_lines) == len(saved.reps)  # the rep lines checked above are every rep the set counted


@pytest.mark.parametrize("clip", [LUNGE, BRIDGE, HINGE])
def test_right_name_gets_none_of_it(clip, tmp_path, monkeypatch, capsys) -> None:
    named = truth(clip)
    lines, saved, batch, out = live(clip, named, tmp_path, monkeypatch, capsys)
    assert not any("This looks like" in line for line in lines)
    assert json.loads(out.read_text())["quality"]["recognised_as"] == ""
    assert saved.quality.recognised_as == batch.quality.recognised_as == ""
    assert withheld_reason(saved) is None and saved.reps  # judged, with its reps counted
