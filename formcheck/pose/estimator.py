"""MediaPipe PoseLandmarker wrapper: RGB frame + timestamp in, :class:`~formcheck.types.PoseFrame` out.

This is the only module that imports mediapipe (lazily, so ``import formcheck.pose`` stays cheap).
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from formcheck.config import PoseConfig
from formcheck.errors import ModelError
from formcheck.pose.model import REBUILD_HINT, file_sha256, resolve_model_path
from formcheck.types import N_LANDMARKS, PoseFrame

MODES = ("video", "live")
MAX_INFER_SIDE_PX = 1280  # frames larger than this (4K) are shrunk before the model: memory and time stay bounded


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Silence the C++ logging (dozens of LiteRT "sparsity" warnings) while a model loads.

    Errors still arrive as Python exceptions carrying MediaPipe's status message. Set ``FORMCHECK_DEBUG=1`` to
    see the native log.
    """
    if os.environ.get("FORMCHECK_DEBUG"):
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:  # no usable fd 2 (some embedded interpreters)
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# mediapipe 1.x wheels upload usage logs to this endpoint when a task is created and closed (there is no documented
# switch; google-ai-edge/mediapipe issue #6291; 0.10.21 did not). formcheck promises no network use at run time.
TELEMETRY_URL = "https://play.googleapis.com/log"
ENV_ALLOW_NETWORK = "FORMCHECK_ALLOW_MEDIAPIPE_NETWORK"
_DEAD_PROXY = "http://127.0.0.1:9"  # discard port: nothing listens, the upload fails at once, locally


def block_mediapipe_uploads() -> bool:
    """Keep MediaPipe's native HTTPS client off the network by pointing it at a dead local proxy.

    The native uploader honours ``HTTPS_PROXY`` (checked with strace: with it set there is no DNS lookup and
    no outside connection, only a refused connect to 127.0.0.1:9). The variable is process-wide, so other
    HTTPS clients in this process that read it fail too; formcheck itself makes no HTTPS requests. It is left
    alone when the user has set a proxy, or when ``FORMCHECK_ALLOW_MEDIAPIPE_NETWORK=1``.

    Returns:
        True if uploads are blocked by this function (now or by an earlier call).
    """
    if os.environ.get(ENV_ALLOW_NETWORK) == "1":
        return False
    current = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
    if current:
        return current == _DEAD_PROXY
    os.environ["HTTPS_PROXY"] = _DEAD_PROXY
    return True


class PoseEstimator:
    """MediaPipe PoseLandmarker(s), used as a context manager.

    Landmarks come from a one-person landmarker in MediaPipe's synchronous VIDEO mode, which tracks the person
    from frame to frame. With ``num_poses`` > 1 MediaPipe instead re-runs its person detector on every frame and
    crops from that; measured on the sample hinge clip this made ankle errors 3-4x larger (11 → 40 px median)
    and cost 1.4-2x the time. So people are counted separately: when ``cfg.num_poses`` > 1, a second landmarker
    in IMAGE mode looks for up to ``num_poses`` people on the first frame and then every ``cfg.people_check_s``
    seconds; frames in between keep the last count.

    ``"video"`` mode requires strictly increasing timestamps from the caller; ``"live"`` bumps a repeated or
    backwards timestamp to the previous one + 1 ms, because camera callbacks can deliver equal clock readings.

    Example::

        with PoseEstimator(config.pose, mode="video") as est:
            pf = est.process(frame_rgb, t_ms)
    """

    def __init__(self, cfg: PoseConfig, mode: str = "video") -> None:
        """Load the model.

        Args:
            cfg: pose settings (model path, number of people, confidences, segmentation).
            mode: ``"video"`` (files) or ``"live"`` (camera frames).

        Raises:
            ValueError: unknown mode.
            ModelError: the model is missing, corrupt, or MediaPipe cannot load it.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self.cfg = cfg
        self._landmarker: Any = None
        self._counter: Any = None
        self.model_path: Path = resolve_model_path(cfg)
        self._sha = file_sha256(self.model_path)
        self._last_t_ms: int | None = None
        self._last_check_ms: int | None = None
        self._ran_once = False
        self._people_seen = 0  # last count from the people check
        self._others: list[tuple[float, float, float, float]] = []  # boxes of the people who are not the subject

        block_mediapipe_uploads()  # before mediapipe's native code first reads the environment
        from mediapipe import Image, ImageFormat
        from mediapipe.tasks.python import BaseOptions
        from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

        self._Image = Image
        self._SRGB = ImageFormat.SRGB

        def options(running_mode: Any, num_poses: int, seg: bool) -> Any:
            return PoseLandmarkerOptions(
                base_options=BaseOptions(model_asset_path=str(self.model_path)),
                running_mode=running_mode,
                num_poses=num_poses,
                min_pose_detection_confidence=cfg.min_detection_confidence,
                min_pose_presence_confidence=cfg.min_presence_confidence,
                min_tracking_confidence=cfg.min_tracking_confidence,
                output_segmentation_masks=seg,
            )

        try:
            with _quiet_native_stderr():
                self._landmarker = PoseLandmarker.create_from_options(options(RunningMode.VIDEO, 1, cfg.segmentation))
                if cfg.num_poses > 1:
                    self._counter = PoseLandmarker.create_from_options(options(RunningMode.IMAGE, cfg.num_poses, False))
        except (RuntimeError, ValueError, OSError) as e:
            self.close()
            msg = f"MediaPipe could not load the pose model {self.model_path} ({e})."
            raise ModelError(msg, hint=REBUILD_HINT) from e

    @property
    def model_sha256(self) -> str:
        """sha256 of the loaded model file."""
        return self._sha

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the landmarkers (native threads and memory) now rather than at garbage collection."""
        for attr in ("_landmarker", "_counter"):
            lm = getattr(self, attr, None)
            setattr(self, attr, None)
            if lm is not None:
                with _quiet_native_stderr():  # LiteRT logs one INFO line per accelerator it destroys
                    lm.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def process(self, frame_rgb: np.ndarray, t_ms: int, *, mask_scale: float = 1.0) -> PoseFrame:
        """Run the model on one frame.

        Args:
            frame_rgb: ``(H, W, 3)`` uint8 RGB image.
            t_ms: frame time in milliseconds; strictly increasing in ``"video"`` mode.
            mask_scale: return the mask shrunk by this factor (area-averaged), e.g. 0.5 for half size; cheaper
                than copying the full-size mask and shrinking it afterwards.

        Returns:
            The tracked person's landmarks (NaN when nobody is found), the number of people in view (from the
            latest people check, at least 1 while someone is tracked), and the person's segmentation mask
            (``(H, W)`` float32 in [0, 1]) when segmentation is on and someone was found. ``t_s`` is the
            timestamp actually used (after any live-mode bump), in seconds. With ``mask_scale`` != 1 the mask is
            ``(round(H * mask_scale), round(W * mask_scale))``.

        Raises:
            ValueError: bad frame shape/dtype, or a non-increasing timestamp in ``"video"`` mode.
            RuntimeError: the estimator was closed.
        """
        if self._landmarker is None:
            raise RuntimeError("PoseEstimator is closed")
        frame = np.asarray(frame_rgb)
        if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
            raise ValueError(f"frame_rgb must be (H, W, 3) uint8, got {frame.shape} {frame.dtype}")
        t_ms = int(t_ms)
        if self._last_t_ms is not None and t_ms <= self._last_t_ms:
            if self.mode == "video":
                raise ValueError(f"timestamps must increase: {t_ms} ms after {self._last_t_ms} ms")
            t_ms = self._last_t_ms + 1
        self._last_t_ms = t_ms

        full_h, full_w = frame.shape[:2]
        if max(full_h, full_w) > MAX_INFER_SIDE_PX:
            # 4K phone video: the model looks at a 256 px crop anyway, so a smaller copy loses nothing the
            # landmarks use (they are normalised) and keeps the model's own buffers and the mask small.
            k = MAX_INFER_SIDE_PX / max(full_h, full_w)
            frame = cv2.resize(frame, (round(full_w * k), round(full_h * k)), interpolation=cv2.INTER_AREA)
        image = self._Image(image_format=self._SRGB, data=np.ascontiguousarray(frame))
        first = not self._ran_once
        self._ran_once = True
        # The first inference logs native warnings (tensor alignment, "logging before InitGoogle"): keep them
        # off the user's terminal; later frames are silent, so the stderr swap costs nothing there.
        if self._counter is not None and (
            self._last_check_ms is None or t_ms - self._last_check_ms >= 1000.0 * self.cfg.people_check_s
        ):
            with _quiet_native_stderr() if first else contextlib.nullcontext():
                found = self._counter.detect(image).pose_landmarks
            found = distinct_people(found, full_w, full_h)  # a ghost duplicate of the same body is not a person
            self._people_seen = len(found)
            self._others = _other_people_boxes(found)
            self._last_check_ms = t_ms
        if self._others:
            # Two or more people: the tracker gets a copy with everyone but the subject (the tallest in the picture,
            # i.e. nearest the camera) painted over, so it locks on to the subject and cannot drift to someone else.
            image = self._Image(image_format=self._SRGB, data=_paint_over(frame, self._others))
        with _quiet_native_stderr() if first else contextlib.nullcontext():
            res = self._landmarker.detect_for_video(image, t_ms)
        lms = np.full((N_LANDMARKS, 4), np.nan)
        world = np.full((N_LANDMARKS, 4), np.nan)
        mask = None
        present = bool(res.pose_landmarks)
        if present:
            lms[:] = [(p.x, p.y, p.z, _nan_if_none(p.visibility)) for p in res.pose_landmarks[0]]
            if res.pose_world_landmarks:
                world[:] = [(p.x, p.y, p.z, _nan_if_none(p.visibility)) for p in res.pose_world_landmarks[0]]
            if res.segmentation_masks:
                # numpy_view() points into MediaPipe's buffer, which dies with the result: copy.
                view = res.segmentation_masks[0].numpy_view()
                full = view.reshape(view.shape[0], view.shape[1])
                # Sized as asked for the caller's frame (not the smaller copy the model may have seen).
                size = (max(1, round(full_w * mask_scale)), max(1, round(full_h * mask_scale)))
                if size == (full.shape[1], full.shape[0]):
                    mask = np.array(full, dtype=np.float32)
                else:
                    shrink = size[0] < full.shape[1]
                    mask = cv2.resize(full, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)
        n_people = max(int(present), self._people_seen) if self._counter is not None else int(present)
        return PoseFrame(t_s=t_ms / 1000.0, landmarks=lms, world=world, n_people=n_people, mask=mask)


SUBJECT_PAD_FRAC = 0.15  # boxes grow by this fraction of their size each way (people move between checks)

# Version of the people-count rule (stored in pose caches: a cache that counted more than one person under an
# older rule is counted again, see formcheck.io.cache). 2: overlapping duplicates of one body count once.
PEOPLE_RULE = 2
# Two detections whose hip midpoints lie closer than this fraction of the larger detection's box diagonal are one
# body. MediaPipe's person detector is centred on the hips; on a body lying on the floor it can return a second
# pose on the same hips with the trunk drawn the other way (rendered single-figure glute bridge
# dev_bridge_side_r_15-2-15-1: hip midpoints 0.3-2.7 % of the picture apart, shoulders 34-36 % apart, boxes 0.2-0.6
# of the picture, i.e. at most 6 % of the diagonal). Two real people stand side by side or one behind the other, so
# their hips are at least a body width apart. Chosen a priori between the two (not tuned); checked on the rendered
# single-figure clips and the labelled two-person clips (docs/metrics.md has no section on it; see the report).
SAME_PERSON_HIP_FRAC = 0.15
_HIPS = (23, 24)  # MediaPipe landmark indices of the left and right hip


def _box(pose: Any) -> tuple[float, float, float, float]:
    """Normalised ``(x0, y0, x1, y1)`` around one detected pose's landmarks, clipped to the picture."""
    xs = np.clip([p.x for p in pose], 0.0, 1.0)
    ys = np.clip([p.y for p in pose], 0.0, 1.0)
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def distinct_people(poses: list[Any], width: int, height: int) -> list[Any]:
    """The detected poses without overlapping duplicates of the same body (largest box first).

    A pose whose hip midpoint lies within :data:`SAME_PERSON_HIP_FRAC` of a kept (larger) pose's box diagonal of
    that pose's hip midpoint is the same person seen twice and is dropped. Distances are in pixels (``width`` x
    ``height`` frame), so a wide picture does not stretch them.
    """
    if len(poses) < 2:
        return list(poses)
    scale = np.array([width, height], dtype=np.float64)

    def hips_px(pose: Any) -> np.ndarray:
        return np.mean([(pose[i].x, pose[i].y) for i in _HIPS], axis=0) * scale

    def diagonal_px(pose: Any) -> float:
        x0, y0, x1, y1 = _box(pose)
        return float(np.hypot((x1 - x0) * width, (y1 - y0) * height))

    kept: list[Any] = []
    for pose in sorted(poses, key=diagonal_px, reverse=True):
        hip = hips_px(pose)
        if all(np.linalg.norm(hip - hips_px(k)) >= SAME_PERSON_HIP_FRAC * diagonal_px(k) for k in kept):
            kept.append(pose)
    return kept


def _other_people_boxes(poses: list[Any]) -> list[tuple[float, float, float, float]]:
    """Padded boxes of everyone but the subject, with the subject's own box cut out of none (see _paint_over).

    The subject is the person who is tallest in the picture (nearest the camera); between two of about the same
    height (within 10 %), the one nearest the centre. With fewer than two people there is nothing to paint over.
    """
    if len(poses) < 2:
        return []
    boxes = [_box(p) for p in poses]
    tallest = max(b[3] - b[1] for b in boxes)

    def rank(b: tuple[float, float, float, float]) -> tuple[bool, float]:
        return (b[3] - b[1] < 0.9 * tallest, abs((b[0] + b[2]) / 2 - 0.5))

    subject = min(boxes, key=rank)
    out = []
    for b in boxes:
        if b is subject:
            continue
        px, py = SUBJECT_PAD_FRAC * (b[2] - b[0]), SUBJECT_PAD_FRAC * (b[3] - b[1])
        out.append((max(0.0, b[0] - px), max(0.0, b[1] - py), min(1.0, b[2] + px), min(1.0, b[3] + py)))
    sx = SUBJECT_PAD_FRAC * (subject[2] - subject[0])
    # the subject's own (padded) columns are never painted: where people overlap, the subject wins
    return [(*b, max(0.0, subject[0] - sx), min(1.0, subject[2] + sx)) for b in out]  # type: ignore[misc]


def _paint_over(frame: np.ndarray, boxes: list[Any]) -> np.ndarray:
    """A copy of ``frame`` with each box filled with the frame's median colour (a plain wall, no person)."""
    out = np.array(frame, copy=True)
    h, w = out.shape[:2]
    fill = tuple(int(v) for v in np.median(out[::16, ::16].reshape(-1, 3), axis=0))
    for x0, y0, x1, y1, keep0, keep1 in boxes:
        top, bottom = int(y0 * h), int(np.ceil(y1 * h)) - 1
        a, b, k0, k1 = int(x0 * w), int(np.ceil(x1 * w)), int(keep0 * w), int(np.ceil(keep1 * w))
        for lo, hi in ((a, min(b, k0)), (max(a, k1), b)):  # the box left and right of the subject's columns
            if hi > lo:  # cv2's filled rectangle: ~20x faster than a numpy broadcast of one colour
                cv2.rectangle(out, (lo, top), (hi - 1, bottom), fill, thickness=-1)
    return out


def _nan_if_none(v: float | None) -> float:
    return math.nan if v is None else float(v)
