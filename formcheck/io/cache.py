"""Pose cache: a :class:`~formcheck.types.PoseSequence` saved as ``.npz`` so re-analysis skips the pose model.

File layout (``numpy.savez_compressed``, no pickles): ``landmarks`` (T,33,4), ``world`` (T,33,4), ``t_s`` (T,),
one ``probe_<name>`` (T,K,2) per mask probe, optional ``n_people`` (T,), and ``meta`` — a JSON string with the
format version, frame size, model sha256, the versions of the libraries that made the landmarks (``libraries``:
mediapipe, av), the :class:`~formcheck.types.VideoInfo`, the source file's size and
content sha256, the pose settings used and ``probes``: ``{name: version}`` of the mask probes stored (version null when
unknown). Format 1 files (one ``back_contour_px`` array, no probe versions) are still read, as the
``dorsal_outline`` probe of unknown version.

The automatic cache lives in the user cache folder (``platformdirs``; override with ``$FORMCHECK_CACHE_DIR``),
one file per (video content: size + sha256, model, mediapipe and av versions, pose settings, mask probe names and
versions), so editing or replacing a video, changing the model, upgrading mediapipe or av, the pose settings or a
mask probe (its version) never reuses stale landmarks or outlines; the loader checks the same things again from the
file's metadata.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.config import Config, PoseConfig
from formcheck.errors import PoseCacheError, UnreadableVideoError, VideoNotFoundError
from formcheck.types import PoseSequence, VideoInfo

FORMAT = "formcheck.posecache/2"
# Formats load_pose_cache reads; /1 has no probe versions, so it never satisfies an ``expect_probes``.
_FORMAT_1 = "formcheck.posecache/1"
_READ_FORMATS = (_FORMAT_1, FORMAT)
_PROBE_PREFIX = "probe_"
_LEGACY_CONTOUR_KEY = "back_contour_px"  # format 1
ENV_CACHE_DIR = "FORMCHECK_CACHE_DIR"
# Pose settings that change the landmarks (model_path is covered by the model's sha256).
_POSE_KEYS = (
    "num_poses",
    "min_detection_confidence",
    "min_presence_confidence",
    "min_tracking_confidence",
    "segmentation",
    "mask_scale",
)

# Libraries whose version changes the landmarks of the same bytes, model and settings: mediapipe runs the model
# (its graph, smoothing and tracking), av decodes and converts the frames to RGB (FFmpeg's swscale). Two installs
# sharing one cache folder (CI's main and lowest-versions steps) or an upgrade must never read each other's poses.
_LANDMARK_LIBRARIES = ("mediapipe", "av")
# OpenCV traces the scene-lines probe (line detector, resize, dilate: formcheck.probes.scene). It comes in through
# mediapipe under one of several distribution names, so its own version string is recorded (review finding).
OPENCV_KEY = "opencv"


def library_versions() -> dict[str, str | None]:
    """``{distribution: installed version}`` of the libraries that turn a video into landmarks (None: not installed)."""
    out: dict[str, str | None] = {}
    for name in _LANDMARK_LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    try:
        import cv2

        out[OPENCV_KEY] = str(cv2.__version__)
    except ImportError:
        out[OPENCV_KEY] = None
    return out


def _people_rule() -> int:
    """Version of the people-count rule (:data:`formcheck.pose.estimator.PEOPLE_RULE`)."""
    from formcheck.pose.estimator import PEOPLE_RULE

    return PEOPLE_RULE


def _pose_settings(cfg: PoseConfig) -> dict[str, Any]:
    return {k: getattr(cfg, k) for k in _POSE_KEYS}


def _effective_probes(cfg: PoseConfig, probes: Iterable[str]) -> dict[str, int]:
    """``{name: version}`` of the registered probes extraction runs with these settings (none without a mask)."""
    from formcheck.probes import probe_versions

    return probe_versions(probes) if cfg.segmentation else {}


_HASH_CHUNK_BYTES = 1 << 20
_content_memo: dict[tuple[str, int, int, int, int], str] = {}


def content_sha256(video_path: str | Path) -> str:
    """sha256 of the file's bytes, memoised per (path, inode, size, mtime, ctime) within the process.

    The whole file is hashed (hashlib in 1 MiB chunks): 93 ms of CPU per 100 MB measured on the 2-core machine
    (0.8 s wall while ~19 processes shared its cores), against minutes of pose model a hit saves; no sampled-chunk
    guess (16 x 64 KiB took 1 ms) that two edits of one video differ.
    """
    p = Path(video_path)
    st = p.stat()
    # ctime too: a rewrite with the same size and a restored mtime still changes it (nobody can set ctime)
    memo_key = (str(p.resolve()), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    digest = _content_memo.get(memo_key)
    if digest is None:
        h = hashlib.sha256()
        with p.open("rb") as f:
            while chunk := f.read(_HASH_CHUNK_BYTES):
                h.update(chunk)
        digest = _content_memo[memo_key] = h.hexdigest()
    return digest


def _source_stamp(video_path: str | Path) -> dict[str, Any]:
    """What identifies a video for the cache: its bytes (size + sha256), not its name, folder or file time.

    An uploaded video is written to a new temporary file for every analysis; keyed on name and mtime it was never
    found again and the pose model re-ran every time. The same bytes anywhere, at any time, are the same video.
    """
    p = Path(video_path)
    if p.is_dir():  # (the video reader says the same; the cache key is made before it runs)
        from formcheck.io.video import FOLDER_HINT

        raise UnreadableVideoError(f"{p} is a folder, not a video file.", hint=FOLDER_HINT)
    try:
        size = p.stat().st_size
        digest = content_sha256(p)
    except FileNotFoundError as e:
        raise VideoNotFoundError(f"The video {p} does not exist.") from e
    return {"size": size, "sha256": digest}


def save_pose_cache(seq: PoseSequence, path: str | Path, *, pose_config: PoseConfig | None = None) -> Path:
    """Write ``seq`` to ``path`` (``.npz``; written to a temp file and renamed, so readers never see half a file).

    Args:
        seq: the pose sequence.
        path: output file; ``.npz`` is appended by numpy if missing, so pass a name ending in ``.npz``.
        pose_config: the pose settings that produced ``seq`` (recorded so a cache made with other settings is
            not reused); None if unknown.

    Returns:
        The path written.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    source = None
    if seq.video is not None and seq.video.source == "file" and Path(seq.video.path).is_file():
        source = _source_stamp(seq.video.path)
    meta = {
        "format": FORMAT,
        "width": seq.width,
        "height": seq.height,
        "model_sha256": seq.model_sha256,
        "libraries": library_versions(),  # this process made or holds the sequence: its libraries made it
        "video": seq.video.to_dict() if seq.video else None,
        "source": source,
        "pose": _pose_settings(pose_config) if pose_config else None,
        "probes": {name: seq.probe_versions.get(name) for name in seq.probes},
        "people_rule": _people_rule(),
    }
    arrays: dict[str, np.ndarray] = {
        "landmarks": np.asarray(seq.landmarks),
        "world": np.asarray(seq.world),
        "t_s": np.asarray(seq.t_s),
        "meta": np.array(json.dumps(meta)),
    }
    for name, pts in seq.probes.items():
        arrays[_PROBE_PREFIX + name] = np.asarray(pts)
    if seq.n_people is not None:
        arrays["n_people"] = np.asarray(seq.n_people)
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp.npz")
    try:
        np.savez_compressed(tmp, **arrays)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def load_pose_cache(
    path: str | Path,
    expect_model_sha: str | None = None,
    expect_video: str | Path | None = None,
    *,
    expect_pose: PoseConfig | None = None,
    expect_probes: Mapping[str, int] | None = None,
    expect_libraries: Mapping[str, str | None] | None = None,
) -> PoseSequence:
    """Read a pose cache written by :func:`save_pose_cache` (or a format 1 file from before mask probes).

    Args:
        path: the ``.npz`` file.
        expect_model_sha: if given, the cache must come from this model.
        expect_video: if given, the cache must come from a file with this video's bytes (size, sha256).
        expect_pose: if given, the cache must have been made with these pose settings.
        expect_probes: if given, ``{name: version}`` the cache's mask probes must be exactly (same names, same
            versions; a probe of unknown version never matches, nor does any format 1 file). See
            :func:`formcheck.probes.probe_versions`.
        expect_libraries: if given, the cache must have been made with these library versions
            (:func:`library_versions`; a file that does not record them never matches).

    Raises:
        PoseCacheError: missing, unreadable or not a formcheck pose cache, or it does not match an expectation.
    """
    p = Path(path)
    if not p.is_file():
        raise PoseCacheError(f"The pose file {p} does not exist.")
    try:
        with np.load(p, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("format") not in _READ_FORMATS:
                raise PoseCacheError(f"{p.name} is a pose file of another format ({meta.get('format')!r}).")
            data = {k: z[k] for k in z.files if k != "meta"}
    except PoseCacheError:
        raise
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError) as e:
        # One plain sentence, not the library's text: numpy's own ("… you can load it unsafely using
        # allow_pickle=True") would invite loading an untrusted file unsafely.
        raise PoseCacheError(
            f"{p.name} is not a readable formcheck pose file (damaged, or not made by 'formcheck extract').",
            hint="Make it again with 'formcheck extract VIDEO -o FILE.npz', or analyse the video itself.",
        ) from e

    if expect_model_sha is not None and meta.get("model_sha256") != expect_model_sha:
        raise PoseCacheError(f"{p.name} was made with another pose model.")
    if expect_video is not None and meta.get("source") != _source_stamp(expect_video):
        raise PoseCacheError(f"{p.name} was made from another version of {Path(expect_video).name}.")
    if expect_pose is not None and meta.get("pose") != _pose_settings(expect_pose):
        raise PoseCacheError(f"{p.name} was made with other pose settings.")
    if expect_libraries is not None and meta.get("libraries") != dict(expect_libraries):
        raise PoseCacheError(f"{p.name} was made with other library versions ({meta.get('libraries')}).")
    # More than one person under an older people-count rule (a ghost duplicate of one body counted as a second
    # person): count again. Files counting at most one person stay valid (the rule only merges detections).
    n_people = data.get("n_people")
    multi = n_people is not None and bool(np.any(np.asarray(n_people) > 1))
    if expect_pose is not None and multi and meta.get("people_rule") != _people_rule():
        raise PoseCacheError(f"{p.name} counted people with an older rule.")
    try:
        probes, versions = _read_probes(meta, data)
        if expect_probes is not None:
            if meta.get("format") == _FORMAT_1:
                raise PoseCacheError(f"{p.name} was made before mask probes had versions.")
            have = {name: versions.get(name) for name in probes}
            want = {str(k): int(v) for k, v in expect_probes.items()}
            if have != want:
                raise PoseCacheError(f"{p.name} was made with other mask probes ({_fmt(have)}; now {_fmt(want)}).")
        video = VideoInfo(**meta["video"]) if meta.get("video") else None
        return PoseSequence(
            landmarks=data["landmarks"],
            world=data["world"],
            t_s=data["t_s"],
            width=int(meta["width"]),
            height=int(meta["height"]),
            n_people=data.get("n_people"),
            video=video,
            model_sha256=str(meta.get("model_sha256", "")),
            probes=probes,
            probe_versions=versions,
        )
    except PoseCacheError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise PoseCacheError(f"{p.name} is a damaged formcheck pose file ({e}).") from e


def _read_probes(meta: Mapping[str, Any], data: Mapping[str, np.ndarray]) -> tuple[dict, dict[str, int]]:
    """Probe arrays and known versions of a loaded file (format 1: the back outline, version unknown)."""
    if meta.get("format") == _FORMAT_1:
        bc = data.get(_LEGACY_CONTOUR_KEY)
        return ({} if bc is None else {"dorsal_outline": bc}), {}
    listed = meta["probes"]  # name → version (or None); a missing array is a damaged file (KeyError)
    probes = {str(name): data[_PROBE_PREFIX + name] for name in listed}
    versions = {str(name): int(v) for name, v in listed.items() if v is not None}
    return probes, versions


def _fmt(versions: Mapping[str, int | None]) -> str:
    if not versions:
        return "none"
    return ", ".join(f"{n} v{'?' if v is None else v}" for n, v in sorted(versions.items()))


def cache_dir() -> Path:
    """Folder of the automatic pose cache: ``$FORMCHECK_CACHE_DIR`` or the user cache folder."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("formcheck", appauthor=False)) / "poses"


def default_cache_path(
    video_path: str | Path,
    config: Config | PoseConfig | None = None,
    *,
    probes: Iterable[str] | None = None,
) -> Path:
    """Where the automatic cache of ``video_path`` lives.

    The name is keyed on the video's bytes (size and sha256, not its name or file time), the model's sha256, the
    installed mediapipe and av versions (:func:`library_versions`), the pose settings and the name and version of
    every mask probe extraction runs (none when segmentation is off).

    Args:
        video_path: the video.
        config: pose settings (defaults when None).
        probes: mask probe names extraction runs; None for :data:`formcheck.probes.DEFAULT_PROBES`.

    Raises:
        VideoNotFoundError: the video does not exist.
        ModelError: the configured pose model is missing or corrupt.
        KeyError: an unknown probe name.
    """
    from formcheck.pose.model import model_sha256
    from formcheck.probes import DEFAULT_PROBES

    pose = _as_pose(config)
    stamp = _source_stamp(video_path)
    versions = _effective_probes(pose, DEFAULT_PROBES if probes is None else probes)
    key = json.dumps(
        [stamp, model_sha256(pose), library_versions(), _pose_settings(pose), sorted(versions.items())], sort_keys=True
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    # named by the key alone: the same bytes under another name or folder find the same file, and the cache
    # folder does not list the user's video names
    return cache_dir() / f"{digest}.npz"


def cached_extract(
    video_path: str | Path,
    config: Config,
    *,
    progress: Callable[[int, int], None] | None = None,
    path: str | Path | None = None,
    probes: Iterable[str] | None = None,
    supersets: Iterable[Iterable[str]] = (),
) -> PoseSequence:
    """:func:`formcheck.extract.extract_poses` with the automatic cache.

    A matching cache is loaded; a missing, stale (other video, model, mediapipe or av version, pose settings or mask
    probe versions) or damaged one is (re)written after extraction. A cache that cannot be written (read-only
    folder, full disk) is skipped silently — it only saves time.

    Args:
        video_path: the video.
        config: full configuration (pose settings are used).
        progress: passed to :func:`~formcheck.extract.extract_poses` when extraction runs.
        path: cache file to use instead of :func:`default_cache_path`.
        probes: mask probe names to run (passed to extraction); None for
            :data:`formcheck.probes.DEFAULT_PROBES`.
        supersets: other probe sets whose cache, when there is one for this video, serves this call too: the pose
            model's output does not depend on the probes (they only read its mask afterwards), so a cache traced
            with more probes holds everything this call needs; the extra probes are dropped from the result. An
            analysis of a named exercise passes every exercise's probes, which an unnamed one (``formcheck batch``
            without ``--exercise``, recognition) extracts with: without this the same clip was extracted twice.
    """
    from formcheck.extract import extract_poses
    from formcheck.pose.model import model_sha256
    from formcheck.probes import DEFAULT_PROBES

    names = tuple(DEFAULT_PROBES if probes is None else probes)
    want = _effective_probes(config.pose, names)
    cpath = Path(path) if path is not None else default_cache_path(video_path, config, probes=names)

    def matching(file: Path = cpath, expect: Mapping[str, int] = want) -> PoseSequence | None:
        if not file.is_file():
            return None
        try:
            seq = load_pose_cache(
                file,
                expect_model_sha=model_sha256(config.pose),
                expect_video=video_path,
                expect_pose=config.pose,
                expect_probes=expect,
                expect_libraries=library_versions(),
            )
        except PoseCacheError:
            return None  # stale or damaged: extract again and overwrite
        if set(seq.probes) != set(want):  # a superset's cache: only the probes asked for
            kept = {k: v for k, v in seq.probes.items() if k in want}
            seq = dataclasses.replace(
                seq, probes=kept, probe_versions={k: seq.probe_versions[k] for k in kept if k in seq.probe_versions}
            )
        if seq.video is not None:  # same bytes, maybe another file: the sequence names the file asked for
            seq = dataclasses.replace(seq, video=dataclasses.replace(seq.video, path=str(video_path)))
        return seq

    if (seq := matching()) is not None:
        return seq
    if path is None:
        for other in supersets:
            more = _effective_probes(config.pose, tuple(other))
            if not (set(more) > set(want) and all(more[k] == v for k, v in want.items())):
                continue  # not more than asked for: its cache is this call's own key or lacks a probe
            if (seq := matching(default_cache_path(video_path, config, probes=tuple(other)), more)) is not None:
                return seq
    with _extraction_lock(cpath):
        # Another process may have extracted this key while this one waited for the lock: read its file.
        if (seq := matching()) is not None:
            return seq
        seq = extract_poses(video_path, config, progress=progress, probes=names)
        with contextlib.suppress(OSError):  # the cache only saves time; a read-only or full disk is no error
            save_pose_cache(seq, cpath, pose_config=config.pose)
    return seq


@contextlib.contextmanager
def _extraction_lock(cpath: Path) -> Iterator[None]:
    """Hold ``<cache file>.lock`` while one process extracts that key.

    Two processes asking for the same video and settings at once (two app sessions, a test and the CI prewarm in
    tests/conftest.py) would both run the pose model; the second now waits for the first's file instead. An
    advisory ``flock``, released by the OS if the holder dies; the lock file is removed on release (the inode check
    makes a waiter that opened a removed file try again). Where no lock can be taken (no ``fcntl``, a read-only
    folder) extraction runs unlocked, as before: the lock only saves time.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    lock = cpath.with_name(cpath.name + ".lock")
    fd = None
    with contextlib.suppress(OSError):
        lock.parent.mkdir(parents=True, exist_ok=True)
        while fd is None:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                same = os.stat(lock).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            except OSError:  # no locks on this file system: run unlocked
                os.close(fd)
                fd = None
                break
            if not same:  # the holder removed this file on release: lock the current one
                os.close(fd)
                fd = None
    try:
        yield
    finally:
        if fd is not None:
            with contextlib.suppress(OSError):
                lock.unlink()
            os.close(fd)


def _as_pose(config: Config | PoseConfig | None) -> PoseConfig:
    if config is None:
        return PoseConfig()
    if isinstance(config, Config):
        return config.pose
    if isinstance(config, PoseConfig):
        return config
    raise TypeError(f"config must be Config or PoseConfig, not {type(config).__name__}")


__all__ = [
    "FORMAT",
    "cache_dir",
    "cached_extract",
    "default_cache_path",
    "library_versions",
    "load_pose_cache",
    "save_pose_cache",
]
