"""Which pose model file to use, and whether it is intact (no mediapipe import here: cheap to call anywhere).

Resolution order: ``pose.model_path`` from the config (the CLI's ``--model`` lands there), then the environment
variable ``FORMCHECK_MODEL``, then the shipped ``models/pose_landmarker_full.task``. Any of MediaPipe's official
PoseLandmarker bundles (lite/full/heavy ``.task``) works; the shipped one must also match its known sha256.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from formcheck.config import PoseConfig
from formcheck.errors import ModelError

ENV_MODEL = "FORMCHECK_MODEL"
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
SHIPPED_MODEL = MODELS_DIR / "pose_landmarker_full.task"
# sha256 of models/pose_landmarker_full.task as built by scripts/build_pose_model.py (mediapipe 0.10.21 models).
SHIPPED_MODEL_SHA256 = "e9db7af54d67278d1f1b9915c701a417c0821d52c411d2af6b098a2d9564dc60"
BUNDLE_ENTRIES = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
REBUILD_HINT = "Rebuild the shipped model with: python scripts/build_pose_model.py"

_sha_cache: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """sha256 of a file, memoised on (path, size, mtime) so repeated calls are free."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _sha_cache:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _sha_cache[key] = h.hexdigest()
    return _sha_cache[key]


def check_model_file(path: Path) -> None:
    """Raise :class:`ModelError` unless ``path`` is a readable PoseLandmarker bundle.

    A bundle is a zip holding ``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``; the entries'
    CRCs are verified so a damaged download is caught here rather than deep inside MediaPipe.
    """
    if not path.exists():
        raise ModelError(f"The pose model file {path} does not exist.", hint=REBUILD_HINT)
    if not path.is_file():
        raise ModelError(f"The pose model path {path} is not a file.", hint=REBUILD_HINT)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            missing = [n for n in BUNDLE_ENTRIES if n not in names]
            if missing:
                raise ModelError(
                    f"The pose model file {path} is not a MediaPipe PoseLandmarker bundle "
                    f"(it lacks {', '.join(missing)}).",
                    hint=REBUILD_HINT,
                )
            bad = zf.testzip()
            if bad is not None:
                msg = f"The pose model file {path} is damaged ({bad} fails its checksum)."
                raise ModelError(msg, hint=REBUILD_HINT)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise ModelError(f"The pose model file {path} is corrupt or unreadable ({e}).", hint=REBUILD_HINT) from e


def resolve_model_path(cfg: PoseConfig) -> Path:
    """The pose model to load, checked.

    Args:
        cfg: pose settings; ``cfg.model_path`` (if set) wins over ``$FORMCHECK_MODEL`` and the shipped model.

    Returns:
        Absolute path of a readable PoseLandmarker ``.task`` bundle.

    Raises:
        ModelError: the file is missing, not a zip with the two model entries, damaged, or (for the shipped
            model) not the expected file. The message names the file and how to rebuild the shipped model.
    """
    chosen = cfg.model_path.strip() or os.environ.get(ENV_MODEL, "").strip()
    path = Path(chosen).expanduser().resolve() if chosen else SHIPPED_MODEL
    check_model_file(path)
    if path == SHIPPED_MODEL and file_sha256(path) != SHIPPED_MODEL_SHA256:
        raise ModelError(
            f"The shipped pose model {path} is not the expected file (sha256 {file_sha256(path)[:12]}…, "
            f"expected {SHIPPED_MODEL_SHA256[:12]}…); it may be damaged or replaced.",
            hint=f"{REBUILD_HINT} (or pass your own model with --model / {ENV_MODEL}).",
        )
    return path


def model_sha256(cfg: PoseConfig) -> str:
    """sha256 of the model :func:`resolve_model_path` picks (used to key pose caches)."""
    return file_sha256(resolve_model_path(cfg))
