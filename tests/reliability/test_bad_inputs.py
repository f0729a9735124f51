"""Bad inputs a new user makes, run through ``formcheck analyze`` as they would: exact message and exit code.

``CASES`` is THE table (README "Troubleshooting" mirrors it; ``test_readme_mirrors_the_table`` keeps them equal).
Every input is made here, in the test's temporary folder, from the bundled sample clip or plain arrays.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from rel_media import blank, fit, write_audio_only, write_mp4

from formcheck.cli import main

REPO = Path(__file__).resolve().parents[2]


@dataclasses.dataclass(frozen=True)
class Case:
    """One troubleshooting row: the input, what formcheck says (one exact line), its exit code, what to do."""

    id: str
    situation: str
    make: Callable[..., Path]  # (tmp_path, ctx) -> the file to analyse
    code: int
    says: str  # exact line; {name} = file name, {path} = full path; "formcheck: " lines are on stderr
    todo: str


def _missing(tmp, ctx):
    return tmp / "nope.mp4"


def _folder(tmp, ctx):
    (p := tmp / "clips").mkdir()
    return p


def _empty(tmp, ctx):
    (p := tmp / "empty.mp4").write_bytes(b"")
    return p


def _truncated(tmp, ctx):
    (p := tmp / "cut.mp4").write_bytes(ctx["sample"].read_bytes()[:100_000])  # an interrupted copy
    return p


def _text(tmp, ctx):
    (p := tmp / "notes.mp4").write_text("shopping list: eggs, milk\n" * 40)
    return p


def _image(tmp, ctx):
    p = tmp / "photo.png"
    cv2.imwrite(str(p), cv2.cvtColor(ctx["frames"][0], cv2.COLOR_RGB2BGR))
    return p


def _audio(tmp, ctx):
    return write_audio_only(tmp / "voice.mp4")


def _zero_frames(tmp, ctx):
    import av

    p = tmp / "zero.mkv"
    with av.open(str(p), "w") as c:  # a video track is declared, then the recording stops before any frame
        s = c.add_stream("libx264", rate=30)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        c.start_encoding()
    return p


def _short(tmp, ctx):
    return write_mp4(tmp / "short.mp4", ctx["frames"][:12], fps=15)  # 0.8 s


def _nobody(tmp, ctx):
    return write_mp4(tmp / "empty_room.mp4", [blank((480, 640))] * 30, fps=15)


def _dark(tmp, ctx):
    return write_mp4(tmp / "dark.mp4", [(f * 0.05).astype(np.uint8) for f in ctx["frames"][:45]], fps=15)


CASES = [
    Case("missing", "The file is not there (typo, moved)", _missing, 3,
         "formcheck: The video {path} does not exist.", "Check the path; quote it if it has spaces."),
    Case("folder", "A folder instead of a video", _folder, 3,
         "formcheck: {path} is a folder, not a video file. Name one video file, or analyse every video in the folder "
         "with 'formcheck batch FOLDER'.", "Name the video file, or use `formcheck batch` for a folder."),
    Case("empty", "An empty file (0 bytes)", _empty, 3,
         "formcheck: The video {path} is empty (0 bytes).", "Copy or export the video again."),
    Case("truncated", "A video cut short (interrupted copy or download)", _truncated, 3,
         "formcheck: The video {name} is incomplete: it is 0.1 MB but its index refers to data up to 0.4 MB "
         "(interrupted copy or download?). Copy or export the video again.", "Copy or export the video again."),
    Case("text", "A text file renamed .mp4", _text, 3,
         "formcheck: {name} is not a video that can be read (damaged, incomplete, or not a video file). "
         "Choose the video file itself, or copy or export it again.", "Choose the video file itself."),
    Case("image", "A photo instead of a video", _image, 3,
         "formcheck: {name} is a still image, not a video. Record the set as a video (a phone or webcam video of "
         "the whole set).", "Record the set as a video."),
    Case("audio", "A sound recording (no picture)", _audio, 3,
         "formcheck: {name} has no video track (a sound recording?). Choose the video file of the set.",
         "Choose the video file of the set."),
    Case("zero_frames", "A video with no frames (recording stopped at once)", _zero_frames, 3,
         "formcheck: The video {name} contains no frames. Record the set again, or export the video again.",
         "Record the set again."),
    Case("short", "A clip shorter than 1 s", _short, 4,
         "formcheck: {name} is only 0.8 s long: too short for one repetition. Record the whole set, from standing "
         "before the first rep to standing after the last.", "Record the whole set."),
    Case("nobody", "Nobody in the picture", _nobody, 4,
         "formcheck: Nobody was found in {name} (30 frames checked). Film the whole body, well lit, with the "
         "camera at hip height about 2-4 m away.", "Film the whole body, 2-4 m from the camera."),
    Case("dark", "A very dark video", _dark, 4,
         "formcheck: {name} is too dark to find anyone in (average brightness 3% of full). Turn on a light or "
         "face a window, then record again.", "Turn on a light or face a window."),
]  # fmt: skip


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_says_what_to_do(case, tmp_path, sample_video, one_rep_frames, capsys):
    path = case.make(tmp_path, {"sample": sample_video, "frames": one_rep_frames})
    code, out, err = run_cli(["analyze", str(path), "--quiet", "--json", str(tmp_path / "a.json")], capsys)
    lines = [ln for ln in err.splitlines() if ln.startswith("formcheck: ")]
    assert "Traceback" not in err + out
    assert lines == [case.says.format(name=path.name, path=path)]
    assert code == case.code
    assert not (tmp_path / "a.json").exists()  # nothing half-written


def _readme_rows() -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## Troubleshooting\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert m, "README.md has no '## Troubleshooting' section"
    rows = [ln for ln in m.group(1).splitlines() if ln.startswith("|")][2:]
    return [[c.strip() for c in ln.strip("|").split(" | ")] for ln in rows]


def test_readme_mirrors_the_table():
    rows = {r[0]: r for r in _readme_rows()}
    for c in CASES:
        assert c.situation in rows, f"README Troubleshooting lacks the row {c.situation!r}"
        _, says, code, todo = rows[c.situation]
        shown = c.says.format(name="clip.mp4", path="path/to/clip.mp4").removeprefix("formcheck: ")
        assert says.strip("`").replace("\\|", "|") == shown
        assert code == str(c.code)
        assert todo == c.todo


# -- inputs that are fine but unusual: analysed, with the right numbers ------------------------------------------


def _analyze(path: Path, tmp_path: Path, capsys, *extra: str) -> tuple[int, str, dict]:
    out_json = tmp_path / f"{path.stem}.json"
    code, out, err = run_cli(["analyze", str(path), "--quiet", "--exercise", "hinge", "--json", str(out_json),
                              *extra], capsys)  # fmt: skip
    assert "Traceback" not in out + err
    return code, out, json.loads(out_json.read_text()) if out_json.exists() else {}


def _lowering_s(d: dict) -> list[float]:
    return [round(r["eccentric_s"], 2) for r in d["reps"]]


@pytest.fixture(scope="session")
def reference(one_rep_clip, tmp_path_factory):
    """The unchanged one-rep clip's analysis: what every variant below must reproduce."""
    from formcheck.analyze import analyze_video
    from formcheck.config import Config

    return analyze_video(one_rep_clip, "hinge", Config())[1]


def test_reference_clip_has_one_rep(reference):
    assert len(reference.reps) == 1 and reference.quality.view == "side"


def test_portrait_with_rotation_metadata(tmp_path, one_rep_frames, reference, capsys):
    # What a phone stores: landscape pixels plus "rotate 90° to show"; the person is upright only once rotated.
    shown = [fit(f, 480, 640) for f in one_rep_frames]
    stored = [np.ascontiguousarray(np.rot90(f, -1)) for f in shown]
    clip = write_mp4(tmp_path / "portrait.mp4", stored, fps=15, rotation=90)
    code, out, d = _analyze(clip, tmp_path, capsys)
    assert code == 0 and ", 480x640, 15 fps" in out.splitlines()[0]
    assert d["quality"]["view"] == "side" and d["quality"]["position"] == "standing"
    assert _lowering_s(d) == pytest.approx([r.eccentric_s for r in reference.reps], abs=0.15)


def test_variable_frame_rate_keeps_real_times(tmp_path, sample_video, reference, capsys):
    # 30 fps source with an irregular pattern of frames dropped: PTS gaps of 33, 67 and 100 ms.
    from rel_media import sample_frames

    frames = sample_frames(sample_video, stop=200)
    keep = [i for i in range(200) if i % 7 not in (2, 4, 5)]
    clip = write_mp4(tmp_path / "vfr.mp4", [frames[i] for i in keep], fps=30,
                     pts_ms=[round(i * 1000 / 30) for i in keep])  # fmt: skip
    code, out, d = _analyze(clip, tmp_path, capsys)
    assert code == 0
    assert _lowering_s(d) == pytest.approx([r.eccentric_s for r in reference.reps], abs=0.15)


def test_non_ascii_and_space_in_paths(tmp_path, one_rep_clip, capsys):
    folder = tmp_path / "Übungen mit Öl ✓ 日本"
    folder.mkdir()
    clip = folder / "my set é 1.mp4"
    clip.write_bytes(one_rep_clip.read_bytes())
    report = folder / "rapport façade.html"
    code, out, d = _analyze(clip, folder, capsys, "--report", str(report))
    assert code == 0 and "my set é 1.mp4" in out.splitlines()[0]
    assert len(d["reps"]) == 1 and report.stat().st_size > 1000


def test_feet_out_of_frame_says_so_and_leaves_foot_metrics_unknown(tmp_path, one_rep_frames, capsys):
    clip = write_mp4(tmp_path / "no_feet.mp4", [f[:330] for f in one_rep_frames], fps=15)  # cut at the knees
    code, out, d = _analyze(clip, tmp_path, capsys)
    assert code == 0
    assert "  ! Feet or head are cut off in many frames: step back so your whole body is visible." in out
    assert any(c["code"] == "view.body_cut" for c in d["cues"])
    for r in d["reps"]:  # the load path needs the feet: unknown, never a number made up from guessed feet
        assert all(r["metrics"].get(k) is None for k in r["metrics"] if "com" in k), r["metrics"]


def test_4k_frame_is_shrunk_for_the_model_and_mask_comes_back_at_frame_scale(one_rep_frames):
    # Measured (2 cores, loaded machine, 30 frames, extract_poses): 4K peak RSS 838 MB / 61 s before the shrink,
    # 732 MB / 31 s after; 720p 459 MB. The rest of the 4K peak is the decoder's frames, not the model.
    from formcheck.config import PoseConfig
    from formcheck.pose import PoseEstimator

    big = fit(one_rep_frames[0], 3840, 2160)
    with PoseEstimator(PoseConfig(), mode="video") as est:
        pf = est.process(big, 0, mask_scale=0.5)
    assert pf.present
    assert pf.mask is not None and pf.mask.shape == (1080, 1920)
    # the figure fills the middle 2880 px of the width: its landmarks are there, not in the padding
    xs = pf.landmarks[:, 0]
    assert np.nanmin(xs) > 480 / 3840 and np.nanmax(xs) < 3360 / 3840


@pytest.mark.parametrize("far_left", [False, True], ids=["other_on_the_right", "other_on_the_left"])
def test_two_people_the_tallest_is_measured_and_it_says_so(tmp_path, one_rep_frames, reference, capsys, far_left):
    # Before the fix MediaPipe's tracker followed the smaller (further) person when that one was on the right.
    from rel_media import side_by_side

    clip = write_mp4(tmp_path / "two.mp4", [side_by_side(f, far_left=far_left) for f in one_rep_frames], fps=15)
    code, out, d = _analyze(clip, tmp_path, capsys)
    assert code == 0
    assert (
        "  ! More than one person was in view: formcheck measured the tallest one in the picture (nearest the camera) "
        "and ignored the others." in out
    )
    from formcheck.analyze import load_or_extract
    from formcheck.config import Config

    seq = load_or_extract(clip, Config(), exercise="hinge")
    x = float(np.nanmedian(seq.landmarks[:, :, 0]))
    assert (x > 0.5) == far_left  # the near person's half of the picture
    assert _lowering_s(d) == pytest.approx([r.eccentric_s for r in reference.reps], abs=0.15)


def _pose(x0, y0, x1, y1):
    from types import SimpleNamespace

    return [SimpleNamespace(x=x, y=y) for x, y in ((x0, y0), (x1, y1), ((x0 + x1) / 2, (y0 + y1) / 2))]


@pytest.mark.parametrize(
    ("poses", "subject_x"),
    [
        ([_pose(0.05, 0.3, 0.25, 0.9), _pose(0.6, 0.1, 0.8, 0.95)], (0.6, 0.8)),  # tallest wins, off-centre or not
        ([_pose(0.0, 0.1, 0.2, 0.9), _pose(0.45, 0.12, 0.6, 0.9)], (0.45, 0.6)),  # same height: nearest the centre
        ([_pose(0.4, 0.1, 0.6, 0.9)], None),  # one person: nothing painted over
    ],
)
def test_the_subject_is_the_tallest_then_the_most_central(poses, subject_x):
    from formcheck.pose.estimator import _other_people_boxes

    boxes = _other_people_boxes(poses)
    if subject_x is None:
        assert boxes == []
        return
    assert len(boxes) == len(poses) - 1
    for *_, keep0, keep1 in boxes:  # the subject's columns are always kept
        assert keep0 <= subject_x[0] and keep1 >= subject_x[1]


def test_front_view_of_a_hinge_asks_to_turn_90_degrees(tmp_path, synthetic_dir, capsys):
    from rel_media import sample_frames

    # The rendered front-view hinge (../shared): set-up and the first rep, at 15 fps.
    frames = sample_frames(synthetic_dir / "dev_good_front.mp4", stop=170, step=2)
    clip = write_mp4(tmp_path / "front.mp4", frames, fps=15)
    code, out, d = _analyze(clip, tmp_path, capsys)
    assert code == 0 and d["quality"]["view"] == "front"
    assert (
        "  [warn] set: Film from the side: move the camera about 90° around you — this was a front view, so bend "
        "angles and balance are less reliable" in out
    )
    side_only = ("spine.", "load.", "heel.", "pattern.", "hips.")  # rules that need a side view
    assert not any(c["code"].startswith(side_only) for c in d["cues"])


def test_very_long_set_is_analysed_in_bounded_time(sample_video):
    """A 10-minute set (the sample's 3 reps played 31 times): every rep found, the last ones timed like the first.

    Tested at the pose-sequence level (the pose model's cost per frame is the same in minute 1 and minute 10 and is
    measured by ``formcheck bench``); a 10-minute video file is not made here.
    """
    import time

    from formcheck.analyze import analyze_sequence, load_or_extract
    from formcheck.config import Config

    seq = load_or_extract(sample_video, Config(), exercise="hinge")
    k, step = 31, float(seq.t_s[-1] - seq.t_s[0]) + 1 / 30
    t = np.concatenate([seq.t_s + i * step for i in range(k)])
    long = dataclasses.replace(
        seq, landmarks=np.tile(seq.landmarks, (k, 1, 1)), world=np.tile(seq.world, (k, 1, 1)), t_s=t,
        n_people=np.tile(seq.n_people, k), probes={n: np.tile(v, (k, 1, 1)) for n, v in seq.probes.items()},
    )  # fmt: skip
    assert t[-1] > 600
    t0 = time.perf_counter()
    a = analyze_sequence(long, "hinge", Config())
    took_s = time.perf_counter() - t0
    assert len(a.reps) == 3 * k
    first, last = [r.eccentric_s for r in a.reps[:3]], [r.eccentric_s for r in a.reps[-3:]]
    assert last == pytest.approx(first, abs=0.05)
    assert took_s < 60  # ~6 s on an idle 2-core machine: linear in length, no quadratic step


# VmHWM (this process's own high-water mark) rather than ru_maxrss: a child's ru_maxrss keeps the parent's peak across
# fork + exec, so under a pytest run that has grown to 1.3 GB both clips "peaked" at 1.3-1.6 GB (CI, 2026-12-06).
_PEAK_RSS = """
import sys
from formcheck.analyze import analyze_video
from formcheck.config import Config
analyze_video(sys.argv[1], "hinge", Config(), cache=False)
with open("/proc/self/status") as f:
    print(next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) // 1024)
"""


def test_4k_clip_memory_stays_near_720p(tmp_path, one_rep_frames):
    """Peak RSS of analysing the same 12 frames at 4K and at 720p, each in a fresh process.

    Measured (loaded 2-core machine), single-thread extract: 720p 445 MB, 4K 647 MB with the shrink before the model
    (838 MB for 30 4K frames before it; 4K after it: 732 MB at 30 frames, 733 MB at 120, so flat). With the
    pipelined extract (decode and pose threads, bounded queues): 720p 764 MB, 4K 1002 MB. The 4K excess is the
    decoder's frames, a fixed amount, not one per frame. Read as VmHWM (2026-12-06, local): 720p 446 MB, 4K 647-673 MB.
    """
    import subprocess
    import sys

    peaks = {}
    for name, (w, h) in {"720p": (1280, 720), "4k": (3840, 2160)}.items():
        clip = write_mp4(tmp_path / f"{name}.mp4", [fit(f, w, h) for f in one_rep_frames[:12]], fps=15)
        run = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(clip)], capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        peaks[name] = int(run.stdout.split()[-1])
    assert peaks["4k"] < peaks["720p"] + 400, peaks
    assert peaks["4k"] < 1500, peaks  # a guard against growth per frame, not a target
