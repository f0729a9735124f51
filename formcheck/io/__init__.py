"""Input/output around the pose model.

* :mod:`formcheck.io.video` — ``open_video(path)`` / ``probe(path)``: RGB frames in display orientation with
  container timestamps (PyAV).
* :mod:`formcheck.io.webcam` — ``WebcamSource(index)``: camera frames for command-line live use (OpenCV).
* :mod:`formcheck.io.cache` — ``.npz`` pose caches: ``save_pose_cache``, ``load_pose_cache``,
  ``default_cache_path``, ``cached_extract``.

Submodules are imported explicitly so that importing one does not load the others' dependencies.
"""
