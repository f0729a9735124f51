"""The bundled standing hinge filmed with the phone turned on its side (acceptance check #4, finding 1).

Truth: the frames are the bundled sample's, turned by 90° each way (a phone on its side with no rotation flag), so
the set is a standing hinge whatever MediaPipe makes of the picture. Before: recognised as a glute bridge (72 %,
"Clean bridge") one way and a prone press-up (100 %) the other. Now: not recognised, in plain words with what to
do; named as a bridge, the analysis warns. The first 8 s only (one rep and the stand before it) keeps the two
extractions short.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from formcheck.analyze import TURNED_CAMERA_WARNING, analyze_sequence
from formcheck.config import Config
from formcheck.io.cache import cached_extract
from formcheck.recognize import UNKNOWN, recognize

pytestmark = [pytest.mark.integration]

SECONDS = 8.0


@pytest.fixture(scope="module")
def turned_clips(sample_video: Path, tmp_path_factory) -> dict[str, Path]:
    out: dict[str, Path] = {}
    cap = cv2.VideoCapture(str(sample_video))
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while len(frames) < round(SECONDS * fps):
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    folder = tmp_path_factory.mktemp("turned")
    for name, code in (("clockwise", cv2.ROTATE_90_CLOCKWISE), ("anticlockwise", cv2.ROTATE_90_COUNTERCLOCKWISE)):
        h, w = frames[0].shape[:2]
        path = folder / f"sample_{name}.mp4"
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (h, w))
        for frame in frames:
            writer.write(cv2.rotate(frame, code))
        writer.release()
        out[name] = path
    return out


@pytest.mark.parametrize("name", ["clockwise", "anticlockwise"])
def test_a_turned_standing_hinge_is_not_recognised_as_a_floor_exercise(turned_clips, name: str, capsys) -> None:
    from formcheck.cli import main

    seq = cached_extract(turned_clips[name], Config())
    rec = recognize(seq)
    assert rec.position in ("supine", "prone")  # lying across the picture: what the camera shows
    assert rec.family == UNKNOWN and rec.turned_camera, rec.reason
    code = main(["analyze", str(turned_clips[name])])
    err = capsys.readouterr().err
    assert code == 2 and "turn the video upright" in err and "Traceback" not in err
    named = analyze_sequence(seq, "glute_bridge" if rec.position == "supine" else "prone_extension", Config())
    assert any(w.startswith(TURNED_CAMERA_WARNING) for w in named.quality.warnings)
