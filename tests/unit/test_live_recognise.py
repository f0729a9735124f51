"""``formcheck live`` without --exercise (issue 13): recognise from the first seconds, then count from the start.

The camera and the pose model are replaced by a synthetic clip with known truth: a fake webcam yields blank
frames, a fake pose estimator returns the clip's landmarks frame by frame and a fake clock runs at the clip's
frame rate (the CLI builds the :class:`~formcheck.live.LiveProcessor`; the test wraps it to inject both).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import formcheck.io.webcam as webcam_mod
import formcheck.live as live_mod
from formcheck.analyzers.lunge_synth import lunge_clip
from formcheck.cli import main
from formcheck.config import Config
from formcheck.engine import registry
from formcheck.errors import ExerciseNotRecognisedError
from formcheck.synth import hinge_clip
from formcheck.types import PoseFrame, PoseSequence


def _still(seconds: float = 10.0, fps: float = 30.0) -> PoseSequence:
    """Someone standing still (the first frame of a hinge clip held): no exercise to recognise."""
    seq = hinge_clip(n_reps=1).seq
    n = int(seconds * fps)
    lm = np.repeat(seq.landmarks[:1], n, axis=0)
    world = np.repeat(seq.world[:1], n, axis=0)
    return PoseSequence(lm, world, np.arange(n) / fps, seq.width, seq.height)


class _Feed:
    """Plays a pose sequence as a camera: blank frames, the sequence's pose for each, its time as the clock."""

    def __init__(self, seq: PoseSequence):
        self.seq = seq
        self.i = -1
        self.calls = 0

    # WebcamSource stand-in
    def source(self, *_a, **_k):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def __iter__(self):
        frame = np.full((self.seq.height, self.seq.width, 3), 128, np.uint8)
        for i in range(self.seq.n_frames):
            self.i = i
            yield frame, float(self.seq.t_s[i])

    # estimator and clock stand-ins
    def process(self, frame_rgb, t_ms):
        i = self.i
        return PoseFrame(float(self.seq.t_s[i]), self.seq.landmarks[i], self.seq.world[i], n_people=1)

    def clock(self) -> float:
        self.calls += 1  # strictly increasing within a frame, the frame's own time across frames
        return 100.0 + float(self.seq.t_s[max(self.i, 0)]) + 1e-6 * (self.calls % 1000)


@pytest.fixture
def play(monkeypatch):
    """``play(seq)``: the next ``formcheck live`` reads ``seq`` instead of a camera."""
    real = live_mod.LiveProcessor

    def install(seq: PoseSequence) -> _Feed:
        feed = _Feed(seq)

        class Processor(real):
            def __init__(self, config, exercise="hinge", **kw):
                super().__init__(config, exercise, estimator=feed, clock=feed.clock, overlay=lambda f, *a: f, **kw)

        monkeypatch.setattr(live_mod, "LiveProcessor", Processor)
        monkeypatch.setattr(webcam_mod, "WebcamSource", feed.source)
        return feed

    return install


CLIPS = {
    "hinge": lambda: hinge_clip(n_reps=3),
    "lunge": lambda: lunge_clip(n_reps=3),  # not the old default: recognition has to name it
}


@pytest.mark.slow  # a long stream simulation: main CI step only (see pyproject's markers)
@pytest.mark.parametrize(("family", "auto_args"), [("hinge", []), ("lunge", ["--exercise", "auto"])])
def test_live_without_exercise_recognises_and_counts_every_rep(family, auto_args, play, tmp_path, capsys):
    clip = CLIPS[family]()
    n_true = int(clip.truth.rep.max())  # the generator's reps (1-based index per frame)
    counts = {}
    for how, extra in (("named", ["--exercise", family]), ("auto", auto_args)):
        play(clip.seq)
        out_json = tmp_path / f"{how}.json"
        assert main(["live", "--camera", "fake", "--json", str(out_json), *extra]) == 0
        captured = capsys.readouterr()
        d = json.loads(out_json.read_text())
        assert d["exercise"] == family
        counts[how] = len(d["reps"])
        recognised = [line for line in captured.out.splitlines() if line.startswith("recognised ")]
        if how == "named":
            assert recognised == [] and "exercise_detected" not in d["settings"]
        else:
            title = registry.get_spec(family).title  # the exercise's title, not its key
            assert len(recognised) == 1 and recognised[0].startswith(f"recognised {title} (standing, side view;")
            assert d["settings"]["exercise_detected"] is True and d["settings"]["recognition"] == recognised[0]
            # the buffered first seconds were replayed: rep 1 is printed, after the recognition line
            lines = captured.out.splitlines()
            assert lines.index(recognised[0]) < next(i for i, x in enumerate(lines) if x.startswith("rep 1:"))
    assert n_true == 3 and counts == {"named": n_true, "auto": n_true}


def test_live_cannot_tell_asks_for_the_exercise(play, capsys):
    play(_still())
    code = main(["live", "--camera", "fake"])
    captured = capsys.readouterr()
    assert code == ExerciseNotRecognisedError.exit_code == 2
    assert "I can't tell which exercise this is" in captured.err and "--exercise" in captured.err
    assert "Traceback" not in captured.err
    assert not any(line.startswith("rep ") for line in captured.out.splitlines())


def test_processor_replays_the_recognition_window_then_continues(play):
    """The recognised analyzer sees every frame from the first one, in order, exactly once."""
    clip = hinge_clip(n_reps=3)
    feed = _Feed(clip.seq)
    seen: list[float] = []

    class Recorder:
        reps = ()

        def update(self, t_s, *a, **k):
            seen.append(t_s)
            return live_mod.LiveState(t_s=t_s, phase="top", rep_count=0, ready=True, setup_message=None)

    p = live_mod.LiveProcessor(Config(), "auto", estimator=feed, clock=feed.clock, overlay=lambda f, *a: f,
                               analyzer_factory=lambda c: Recorder(), pipelined=False)  # fmt: skip
    frame = np.full((clip.seq.height, clip.seq.width, 3), 128, np.uint8)
    snaps = []
    for i in range(clip.seq.n_frames):
        feed.i = i
        p.process(frame)
        snaps.append(p.snapshot())
    assert p.recognition is not None and p.recognition.family == "hinge" and p.exercise == "hinge"
    first = next(i for i, s in enumerate(snaps) if s.recognition)
    assert 0 < first < 8 * 30 + 1  # within the stream's window (8 s at 30 fps)
    assert all(s.setup_message and s.setup_message.startswith("Recognising") for s in snaps[:first])
    assert len(seen) == clip.seq.n_frames and np.all(np.diff(seen) > 0) and seen[0] == 0.0


def test_set_shorter_than_the_window_is_decided_at_finish(play):
    """Stopped before the window is full: finish() decides on what was seen (a hinge) or asks (someone still)."""
    for seq, family in ((hinge_clip(n_reps=2).seq, "hinge"), (_still(3.0), None)):
        feed = _Feed(seq)
        p = live_mod.LiveProcessor(Config(), "auto", estimator=feed, clock=feed.clock, overlay=lambda f, *a: f,
                                   pipelined=False)  # fmt: skip
        frame = np.full((seq.height, seq.width, 3), 128, np.uint8)
        n = min(seq.n_frames, int(3.5 * 30))  # 3.5 s: one hinge rep is done, the 8 s window is not
        for i in range(n):
            feed.i = i
            p.process(frame)
        if family is None:
            with pytest.raises(ExerciseNotRecognisedError, match="can't tell"):
                p.finish()
        else:
            assert p.finish().exercise == family


class _Scripted:
    """A RecognitionStream stand-in whose attempts return the scripted recognitions, in order."""

    script: list = []

    def __init__(self, width, height, **kw):
        self.results = iter(type(self).script)
        self.n_frames = 0
        self.t_last = 0.0
        self.attempts = 0

    @property
    def done(self):
        return self.t_last >= 8.0

    def update(self, t_s, lm, world):
        self.n_frames += 1
        self.t_last = t_s
        return True

    def result(self):
        self.attempts += 1
        return next(self.results)


def _rec(family: str, conf: float):
    from formcheck.recognize import Recognition

    return Recognition(family, "standing", "side", conf, "scripted")


@pytest.mark.parametrize(
    ("script", "family", "decided_s"),
    [
        # a near-threshold misreading at the start is not taken: two sure attempts in a row are needed early
        ([("pallof_press", 0.54), ("hinge", 0.9), ("hinge", 0.95)], "hinge", 4.0),
        ([("hinge", 0.9), ("pallof_press", 0.85), ("hinge", 0.9), ("hinge", 0.9)], "hinge", 5.0),
        # sure once only, or never sure enough early: decided at the window's end on recognition's own threshold
        ([("squat", 0.6)] * 6 + [("squat", 0.6)], "squat", 8.0),
        ([("unknown", 0.0)] * 6 + [("squat", 0.45)], None, 8.0),
    ],
)
def test_early_decisions_need_two_sure_attempts(script, family, decided_s, monkeypatch):
    import formcheck.recognize as recognize_mod

    monkeypatch.setattr(_Scripted, "script", [_rec(f, c) for f, c in script])
    monkeypatch.setattr(recognize_mod, "RecognitionStream", _Scripted)
    seq = _still(9.0)
    feed = _Feed(seq)
    p = live_mod.LiveProcessor(Config(), "auto", estimator=feed, clock=feed.clock, overlay=lambda f, *a: f,
                               pipelined=False)  # fmt: skip
    frame = np.full((seq.height, seq.width, 3), 128, np.uint8)
    decided_at = None
    for i in range(seq.n_frames):
        feed.i = i
        p.process(frame)
        if decided_at is None and (p.recognition is not None or p.recognition_error is not None):
            decided_at = float(seq.t_s[i])
    assert decided_at == pytest.approx(decided_s, abs=0.05)
    if family is None:
        assert p.recognition is None and "can't tell" in p.recognition_error.message
        assert "Name the exercise" in p.snapshot().error
    else:
        assert p.recognition.family == family and p.exercise == family and p.recognition_error is None
