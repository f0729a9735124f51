"""Input/output around the pose model.

* :mod:`formcheck.io.video` — ``open_video(path)`` / ``probe(path)``: RGB frames in display orientation with
  container timestamps (PyAV).
* :mod:`formcheck.io.webcam` — ``WebcamSource(index)``: camera frames for command-line live use (OpenCV).
* :mod:`formcheck.io.cache` — ``.npz`` pose caches: ``save_pose_cache``, ``load_pose_cache``,
  ``default_cache_path``, ``cached_extract``.

Submodules are imported explicitly so that importing one does not load the others' dependencies.
"""

# The video files formcheck reads, by suffix (compared in lower case): the containers phones, cameras and editors
# write that the reader (PyAV/FFmpeg, :mod:`formcheck.io.video`) opens; each is read back in
# tests/unit/io/test_video_suffixes.py. ``formcheck batch`` takes these from a folder and the app's upload accepts
# them. ``formcheck analyze`` tries any file it is given (FFmpeg decides).
VIDEO_SUFFIXES: tuple[str, ...] = (".3gp", ".avi", ".m4v", ".mkv", ".mov", ".mp4", ".webm")


def is_video_name(name: str) -> bool:
    """Whether a file name ends in one of :data:`VIDEO_SUFFIXES` (any case: ``PHONE.3GP``)."""
    return any(name.lower().endswith(s) for s in VIDEO_SUFFIXES)
