"""Read frames with PyAV and write the annotated video.

By default (``.mp4``) the written file is what browsers play: H.264 (libx264) in MP4, yuv420p, even dimensions,
``+faststart`` (index at the front so playback starts before the whole file is downloaded). OpenCV's ``mp4v``
would not play in Chromium, hence PyAV. Other suffixes get their own container (:data:`OUTPUT_FORMATS`); unknown
ones are refused.

Writing overlaps three stages on three threads, through small bounded queues (memory does not grow with the
video; each queue holds at most :data:`QUEUE_FRAMES` frames)::

    decode thread ──frames──▶ caller's thread (draw) ──drawn frames──▶ encode thread (encode, mux)

PyAV releases the GIL while it decodes, converts and encodes, so on two cores the drawing of frame ``n`` runs while
frame ``n + 1`` is decoded and frame ``n - 1`` encoded. Frames are drawn and encoded in the same order with the
same settings as one loop would.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from formcheck.config import Config
from formcheck.engine import registry
from formcheck.errors import InputError, UnreadableVideoError, UsageError
from formcheck.io.stages import End as _End
from formcheck.io.stages import decode_stage
from formcheck.io.stages import get as _get
from formcheck.io.stages import put as _put
from formcheck.io.video import open_video
from formcheck.render.overlay import banner_track, draw_overlay
from formcheck.render.states import cue_track, frame_states, quality_badge
from formcheck.types import Analysis, PoseSequence

MAX_SIDE_PX = 1280  # annotated videos larger than this are scaled down (encoding time, file size)
QUEUE_FRAMES = 4  # frames waiting between two stages: rides out a slow frame; at 1280x720 BGR about 11 MB a queue


@dataclass(frozen=True)
class OutputFormat:
    """A container and a video codec valid in it, for one file suffix."""

    container: str  # FFmpeg muxer name
    codec: str
    pix_fmt: str
    codec_options: Mapping[str, str] = field(default_factory=dict)
    container_options: Mapping[str, str] = field(default_factory=dict)
    bit_rate: int | None = None  # for codecs without a constant-quality option here


_H264 = {"crf": "23", "preset": "veryfast"}
_VP9 = {"crf": "33", "b": "0", "deadline": "realtime", "cpu-used": "8", "row-mt": "1"}
# The file written is the container its suffix names (an .avi that holds MP4 data is refused by players that trust
# the suffix). MP4/MOV/MKV: H.264, which browsers play (MP4 with the index at the front: +faststart). AVI: Motion
# JPEG, the codec every AVI player reads. WebM: VP9 at realtime speed (WebM allows only VP8/VP9/AV1).
OUTPUT_FORMATS: dict[str, OutputFormat] = {
    ".mp4": OutputFormat("mp4", "libx264", "yuv420p", _H264, {"movflags": "+faststart"}),
    ".m4v": OutputFormat("mp4", "libx264", "yuv420p", _H264, {"movflags": "+faststart"}),
    ".mov": OutputFormat("mov", "libx264", "yuv420p", _H264, {"movflags": "+faststart"}),
    ".mkv": OutputFormat("matroska", "libx264", "yuv420p", _H264),
    ".avi": OutputFormat("avi", "mjpeg", "yuvj420p", bit_rate=12_000_000),
    ".webm": OutputFormat("webm", "libvpx-vp9", "yuv420p", _VP9),
}


def output_format(out_path: str | Path) -> OutputFormat:
    """The container and codec for an annotated video's file name.

    Raises:
        UsageError: a suffix with no format here (listing the supported ones).
    """
    suffix = Path(out_path).suffix.lower()
    fmt = OUTPUT_FORMATS.get(suffix)
    if fmt is None:
        raise UsageError(
            f"Cannot write an annotated video as {Path(out_path).name!r}: "
            f"use one of {', '.join(OUTPUT_FORMATS)} (.mp4 plays in every browser)."
        )
    return fmt


def iter_video_frames(video_path: str | Path) -> Iterator[tuple[float, np.ndarray]]:
    """``(t_s, frame_bgr)`` for each decoded frame, upright, with the same timestamps pose extraction used.

    A thin BGR adapter over :func:`formcheck.io.video.open_video` (container timestamps from the stream start,
    display rotation applied), so drawn frames line up with the pose sequence exactly.

    Raises:
        VideoNotFoundError: the path does not exist.
        UnreadableVideoError: the file cannot be decoded as video.
    """
    with open_video(video_path) as reader:
        for bgr, t in reader.frames("bgr24"):  # the same pixels as RGB then swapped, at half the cost
            yield float(t), bgr


def frame_index_map(seq_t_s: np.ndarray, frame_t_s: float, t0_seq: float, t0_video: float) -> int:
    """Index of the sequence frame nearest in time to a decoded frame (both measured from their first frame)."""
    rel = frame_t_s - t0_video + t0_seq
    i = int(np.searchsorted(seq_t_s, rel))
    if i <= 0:
        return 0
    if i >= len(seq_t_s):
        return len(seq_t_s) - 1
    return i if abs(seq_t_s[i] - rel) < abs(seq_t_s[i - 1] - rel) else i - 1


def _even_size(w: int, h: int) -> tuple[int, int]:
    scale = min(1.0, MAX_SIDE_PX / max(w, h))
    return max(2, int(w * scale) // 2 * 2), max(2, int(h * scale) // 2 * 2)


def _to_video_frame(bgr: np.ndarray, pix_fmt: str) -> av.VideoFrame:
    """The encoder's frame of a drawn BGR frame. For ``yuv420p`` (H.264, VP9) OpenCV converts it: the same BT.601
    limited-range YUV that FFmpeg's converter makes (within 1 level; OpenCV rounds exactly, e.g. white is Y 235, not
    234) at a quarter of the cost (about 0.6 against 2.7 ms a 640x480 frame). Other formats: FFmpeg converts."""
    if pix_fmt == "yuv420p":
        return av.VideoFrame.from_ndarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420), format="yuv420p")
    return av.VideoFrame.from_ndarray(bgr, format="bgr24")


def _encode_stage(oc: Any, st: Any, rate: Fraction, inp: queue.Queue, stop: threading.Event,
                  errors: list[BaseException]) -> None:  # fmt: skip
    """Encode and mux the drawn frames in order, then flush the encoder (the caller closes the file)."""
    n = 0
    try:
        while True:
            item = _get(inp, stop)
            if isinstance(item, _End):
                if not stop.is_set():
                    for pkt in st.encode():
                        oc.mux(pkt)
                return
            frame = _to_video_frame(item, st.pix_fmt)
            frame.pts = n
            frame.time_base = 1 / rate
            for pkt in st.encode(frame):
                oc.mux(pkt)
            n += 1
    except BaseException as e:  # noqa: BLE001 - handed to the caller's thread, which raises it
        errors.append(e)
        stop.set()


def _run_stages(
    video_path: str | Path,
    oc: Any,
    st: Any,
    rate: Fraction,
    draw: Callable[[float, np.ndarray], np.ndarray],
    progress: Callable[[int], None],
) -> int:
    """Decode (a thread), ``draw(t_s, frame_bgr)`` (this thread) and encode into ``st`` (a thread), overlapped.

    Returns the number of frames written; raises the first error of any stage in this thread. The stages are
    stopped and joined before it returns or raises, so the files are closed after no thread uses them.
    """
    stop = threading.Event()
    frames_q: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
    drawn_q: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
    enc_errors: list[BaseException] = []
    decoder = threading.Thread(
        target=decode_stage, args=(iter_video_frames(video_path), frames_q, stop), name="formcheck-decode"
    )
    encoder = threading.Thread(target=_encode_stage, args=(oc, st, rate, drawn_q, stop, enc_errors),
                               name="formcheck-encode")  # fmt: skip
    n = 0
    try:
        for w in (decoder, encoder):
            # never keeps the interpreter alive; they stop within POLL_S (formcheck.io.stages) of `stop` anyway
            w.daemon = True
            w.start()
        while True:
            item = _get(frames_q, stop)  # an _End without error once the encoder has failed (raised below)
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                break
            if not _put(drawn_q, draw(*item), stop):
                break
            n += 1
            progress(n)
        _put(drawn_q, _End(), stop)
        encoder.join()  # every packet is muxed before the caller closes the file
    finally:
        # also on an error (a stage's, the drawing's or the progress callback's): stop both stages and wait for them
        stop.set()
        for w in (decoder, encoder):
            if w.ident is not None:  # started
                w.join()
    if enc_errors:
        raise enc_errors[0]
    return n


def write_annotated_video(
    video_path: str | Path,
    seq: PoseSequence,
    analysis: Analysis,
    out_path: str | Path,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
    on_frame: Callable[[int, np.ndarray], None] | None = None,
) -> Path:
    """Write the video with the overlay drawn on every frame (H.264 MP4 by default, browser-playable).

    Args:
        video_path: the original video.
        seq: its pose sequence (landmarks give the skeleton; timestamps match frames to poses).
        analysis: the analysis of ``seq`` (series for live values, reps for phase/counter, cues for banners).
        out_path: the file to write (overwritten); its suffix picks the container (:data:`OUTPUT_FORMATS`).
        config: the exercise's thresholds for markers and cue selection.
        progress: optional ``callback(done_frames, total_frames)``.
        on_frame: optional ``callback(seq_index, frame_bgr)`` with each decoded frame before it is drawn on (the
            index of its pose in ``seq``; the frame must not be modified). The report's key frames are taken from
            this pass (:func:`formcheck.report.key_frame_grabber`), so the video is not decoded again for them.

    Returns:
        ``out_path`` as a Path.

    Raises:
        InputError: the video cannot be read or does not match the pose sequence.
        UsageError: ``out_path`` has a suffix with no supported container.
    """
    out = Path(out_path)
    fmt = output_format(out)  # before any decoding: a wrong name is the user's to fix at once
    if seq.n_frames == 0:
        raise InputError("The pose sequence is empty; there is nothing to annotate.")
    states = frame_states(seq, analysis, config)
    cues = cue_track(states, analysis, config)
    bands = banner_track(states, cues, seq.width, seq.height)  # one band while a message shows: no jumping
    spec = registry.find_spec(analysis.exercise)
    badge = quality_badge(analysis.quality, spec.views if spec is not None else ("side",))
    seq_t = np.asarray(seq.t_s, dtype=np.float64)
    fps = seq.fps if np.isfinite(seq.fps) and seq.fps > 0 else 30.0
    rate = Fraction(round(fps * 1000), 1000).limit_denominator(1001)
    W, H = _even_size(seq.width, seq.height)
    tmp = out.with_name(out.name + ".part")
    t0_video: float | None = None  # the first frame's timestamp

    def draw(t: float, img: np.ndarray) -> np.ndarray:
        nonlocal t0_video
        if img.shape[1] != seq.width or img.shape[0] != seq.height:
            raise InputError(
                f"The video is {img.shape[1]}x{img.shape[0]} but the poses were found on "
                f"{seq.width}x{seq.height} frames: they belong to different videos."
            )
        t0_video = t if t0_video is None else t0_video
        i = frame_index_map(seq_t, t, float(seq_t[0]), t0_video)
        if on_frame is not None:
            on_frame(i, img)
        drawn = draw_overlay(img, states[i], cues[i], badge, config, exercise=analysis.exercise, banner_at=bands[i])
        if (seq.width, seq.height) != (W, H):
            drawn = cv2.resize(drawn, (W, H), interpolation=cv2.INTER_AREA)
        return drawn

    def done(n: int) -> None:
        if progress is not None:
            progress(n, seq.n_frames)

    try:
        with av.open(str(tmp), "w", format=fmt.container, container_options=dict(fmt.container_options)) as oc:
            st = oc.add_stream(fmt.codec, rate=rate)
            st.width, st.height, st.pix_fmt = W, H, fmt.pix_fmt
            st.options = dict(fmt.codec_options)
            if fmt.bit_rate:
                st.bit_rate = fmt.bit_rate
            n_written = _run_stages(video_path, oc, st, rate, draw, done)
        if n_written == 0:
            raise UnreadableVideoError(f"Video {Path(video_path).name} has no frames.")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
