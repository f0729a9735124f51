"""Key frames for the report: the deepest point of the best and of the worst rep, with the overlay drawn."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from formcheck.config import Config
from formcheck.cues import is_correction
from formcheck.engine.registry import find_spec
from formcheck.errors import InputError
from formcheck.render.overlay import draw_overlay
from formcheck.render.states import frame_states, quality_badge
from formcheck.render.video import frame_index_map, iter_video_frames
from formcheck.report.content import best_and_worst, rep_cues_of
from formcheck.types import Analysis, Cue, PoseSequence, Rep

PLATEAU_DEG = 3.0  # values this close to a rep's peak count as its plateau (landmark noise)


@dataclass(frozen=True)
class KeyFrame:
    """One annotated still: a JPEG and what it shows."""

    label: str
    rep_index: int
    t_s: float
    jpeg: bytes
    width: int
    height: int
    cue: Cue | None
    moment: str = "deepest point"  # what the still shows, in the exercise's words (PhaseWords.turn)

    @property
    def caption(self) -> str:
        """ "Rep 1, deepest point at 2.0 s" ("top of the bridge" for a bridge)."""
        return f"{self.label}, {self.moment} at {self.t_s:.1f} s"


def deepest_time(analysis: Analysis, rep: Rep) -> float:
    """Time of the deepest point of a rep: the peak of the exercise's first plotted series that has values inside
    the rep (its declared order puts the movement's driving angle first), else the rep's own bottom time."""
    s = analysis.series
    spec = find_spec(analysis.exercise)
    if "t_s" in s and spec is not None:
        t = np.asarray(s["t_s"], dtype=float)
        inside = (t >= rep.start_s) & (t <= rep.end_s)
        for m in spec.metric_specs("plot", "series"):
            if m.key in s and inside.any():
                v = np.where(inside, np.asarray(s[m.key], dtype=float), np.nan)
                if np.isfinite(v).any():
                    # middle of the deepest plateau, not its first frame (a held bottom is flat)
                    near_max = np.flatnonzero(v >= np.nanmax(v) - PLATEAU_DEG)
                    return float(t[near_max[len(near_max) // 2]])
    return float(rep.bottom_s)


def _rep_cue(rep: Rep, analysis: Analysis, config: Config) -> Cue | None:
    """The cue that rep earned: its most important correction, else its praise."""
    own = [c for c in analysis.cues if c.rep_index == rep.index] or rep_cues_of(analysis, rep, config)
    corrections = [c for c in own if is_correction(c)]
    pool = corrections or own
    return min(pool, key=lambda c: (c.priority, c.code)) if pool else None


class KeyFrameGrabber:
    """Picks out the frames the key frames show as the video is decoded, and draws the stills from them.

    :func:`key_frames` decodes the video for it; a pass made for something else can feed it instead (the annotated
    video's, through :func:`formcheck.render.video.write_annotated_video`'s ``on_frame``), so that the report does
    not decode the video a second time. Only the (at most two) wanted frames are kept.
    """

    def __init__(self, seq: PoseSequence, analysis: Analysis, config: Config) -> None:
        self.seq, self.analysis, self.config = seq, analysis, config
        best, worst = best_and_worst(analysis, config)
        wanted: list[tuple[str, Rep]] = []
        if best is not None:
            wanted.append((f"Best rep (rep {best.index})" if worst is not None else f"Rep {best.index}", best))
        if worst is not None:
            wanted.append((f"Rep to improve (rep {worst.index})", worst))
        self.seq_t = np.asarray(seq.t_s, dtype=float)
        self.targets: dict[int, tuple[str, Rep]] = {}  # pose index → (label, rep)
        if seq.n_frames:
            for label, rep in wanted:
                t = deepest_time(analysis, rep)
                self.targets[int(np.argmin(np.abs(self.seq_t - t)))] = (label, rep)
        self.found: dict[int, np.ndarray] = {}

    @property
    def complete(self) -> bool:
        """Every wanted frame has been seen (no later frame is needed)."""
        return len(self.found) == len(self.targets)

    def offer(self, i: int, frame_bgr: np.ndarray) -> None:
        """A decoded frame, whose pose is ``seq`` index ``i``; kept (not copied) if it is the first one for a target."""
        if i in self.targets and i not in self.found:
            self.found[i] = frame_bgr

    def key_frames(self, max_width: int = 560) -> list[KeyFrame]:
        """The annotated stills of the frames found, in rep order (a target never seen is left out)."""
        if not self.found:
            return []
        states = frame_states(self.seq, self.analysis, self.config)
        spec = find_spec(self.analysis.exercise)
        badge = quality_badge(self.analysis.quality, spec.views if spec is not None else ("side",))
        out = []
        for i, (label, rep) in sorted(self.targets.items(), key=lambda kv: kv[1][1].index):
            if i not in self.found:
                continue
            cue = _rep_cue(rep, self.analysis, self.config)
            # no banner on the still: the cue goes in the caption, where it does not hide the head and trunk
            drawn = draw_overlay(self.found[i], states[i], None, badge, self.config)
            h, w = drawn.shape[:2]
            if w > max_width:
                scale = max_width / w
                drawn = cv2.resize(drawn, (max_width, max(1, math.floor(h * scale))), interpolation=cv2.INTER_AREA)
            ok, buf = cv2.imencode(".jpg", drawn, [cv2.IMWRITE_JPEG_QUALITY, 85])
            if not ok:
                continue
            moment = spec.phases.turn if spec is not None else "deepest point"
            out.append(
                KeyFrame(label, rep.index, float(self.seq_t[i]), buf.tobytes(), drawn.shape[1], drawn.shape[0], cue,
                         moment)
            )  # fmt: skip
        return out


def key_frames(
    video_path: str | Path, seq: PoseSequence, analysis: Analysis, config: Config, max_width: int = 560
) -> list[KeyFrame]:
    """Annotated stills of the deepest point of the best and the worst rep (one if they are the same rep).

    Decodes the video up to the last wanted frame.

    Raises:
        InputError: the video cannot be read or does not belong to the pose sequence.
    """
    grab = KeyFrameGrabber(seq, analysis, config)
    if not grab.targets:
        return []
    last = max(grab.targets)
    seq_t = grab.seq_t
    t0_video = None
    for t, img in iter_video_frames(video_path):
        if img.shape[1] != seq.width or img.shape[0] != seq.height:
            raise InputError(
                f"The video is {img.shape[1]}x{img.shape[0]} but the poses were found on {seq.width}x{seq.height} "
                "frames: they belong to different videos."
            )
        t0_video = t if t0_video is None else t0_video
        i = frame_index_map(seq_t, t, float(seq_t[0]), t0_video)
        grab.offer(i, img)
        if i >= last and grab.complete:
            break
    return grab.key_frames(max_width)
