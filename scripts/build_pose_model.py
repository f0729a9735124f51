#!/usr/bin/env python3
"""Build ``models/pose_landmarker_full.task`` offline from the Apache-2.0 models inside the mediapipe 0.10.21 wheel.

A MediaPipe Tasks ``PoseLandmarker`` bundle is an uncompressed zip of two TFLite models that carry TFLite
metadata (input normalisation, output descriptions):

* ``pose_detector.tflite``           - BlazePose detector (``pose_detection.tflite`` of the legacy solution)
* ``pose_landmarks_detector.tflite`` - BlazePose GHUM 3D landmark model, "full" variant
  (``pose_landmark_full.tflite``; outputs landmarks, presence, segmentation, heatmap, world landmarks)

The mediapipe 0.10.21 wheel ships both models without that metadata. Its metadata writer works; the one in
mediapipe 1.x does not, so this script runs the build inside a separate virtual environment with
``mediapipe==0.10.21`` and leaves the project's own environment alone.

The output is deterministic (fixed zip timestamps and attributes, stored entries in sorted order, 64-byte
aligned data), so a rebuild from the same wheel is byte-identical to the shipped file.

Usage::

    python scripts/build_pose_model.py                      # creates/reuses the default build venv
    python scripts/build_pose_model.py --venv /path/to/venv  # reuse (or create) a venv at that path
    python scripts/build_pose_model.py --out /tmp/x.task     # write elsewhere

Installing mediapipe 0.10.21 into the build venv needs the package index (or a local wheel via pip's usual
``--find-links`` configuration) once; the build itself is offline.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

MEDIAPIPE_VERSION = "0.10.21"
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "models" / "pose_landmarker_full.task"

# Source files inside the mediapipe wheel and their sha256 in 0.10.21 (a different input means a different
# bundle; we warn rather than fail so a rebuild on another platform's wheel still works).
SOURCES = {
    "pose_detector.tflite": (
        "modules/pose_detection/pose_detection.tflite",
        "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    ),
    "pose_landmarks_detector.tflite": (
        "modules/pose_landmark/pose_landmark_full.tflite",
        "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    ),
}
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # earliest zip date: no build-time information leaks into the file
ALIGN = 64  # TFLite flatbuffers are read in place; aligned data avoids copies/unaligned access


def default_venv() -> Path:
    """Build venv location: ``$XDG_CACHE_HOME/formcheck/mediapipe-<ver>-build`` (``~/.cache`` by default)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "formcheck" / f"mediapipe-{MEDIAPIPE_VERSION}-build"


def venv_python(path: Path) -> Path:
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(path: Path) -> Path:
    """Create the venv if needed and make sure it has mediapipe==MEDIAPIPE_VERSION; returns its python."""
    py = venv_python(path)
    if not py.exists():
        print(f"Creating build venv {path}", flush=True)
        venv.EnvBuilder(with_pip=True).create(path)
    probe = subprocess.run(
        [str(py), "-c", "import importlib.metadata as m; print(m.version('mediapipe'))"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0 or probe.stdout.strip() != MEDIAPIPE_VERSION:
        print(f"Installing mediapipe=={MEDIAPIPE_VERSION} into {path}", flush=True)
        pip = [str(py), "-m", "pip", "install", "--disable-pip-version-check", f"mediapipe=={MEDIAPIPE_VERSION}"]
        if subprocess.run(pip).returncode != 0:
            raise SystemExit(
                f"pip could not install mediapipe=={MEDIAPIPE_VERSION} into {path} (no network, or no wheel for "
                f"this Python/platform; mediapipe 0.10.21 has wheels for CPython 3.9-3.12)."
            )
    return py


def add_metadata(name: str, model: bytes) -> bytes:
    """Attach the TFLite metadata the Tasks API needs (runs inside the mediapipe 0.10.21 venv)."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    w = metadata_writer.MetadataWriter.create(bytearray(model))
    if name == "pose_detector.tflite":
        w.add_general_info("BlazePose detector", "Person detector of MediaPipe Pose (224x224 RGB input).")
        # The detector expects pixels scaled to [-1, 1].
        w.add_image_input(norm_mean=[127.5], norm_std=[127.5])
        w.add_feature_output(description="Box and keypoint regressors, (1, 2254, 12).")
        w.add_feature_output(description="Detection scores (logits), (1, 2254, 1).")
    else:
        w.add_general_info(
            "BlazePose GHUM 3D full", "Pose landmark model of MediaPipe Pose, full variant (256x256 RGB input)."
        )
        # The landmark model expects pixels scaled to [0, 1].
        w.add_image_input(norm_mean=[0.0], norm_std=[255.0])
        w.add_feature_output(description="33 image landmarks x 5 (x, y, z, visibility, presence), (1, 195).")
        w.add_feature_output(description="Pose presence score (logit), (1, 1).")
        w.add_feature_output(description="Segmentation mask logits, (1, 256, 256, 1).")
        w.add_feature_output(description="Landmark heatmap, (1, 64, 64, 39).")
        w.add_feature_output(description="33 world landmarks x 3 in metres, (1, 117).")
    out, _json = w.populate()
    return bytes(out)


def write_bundle(entries: dict[str, bytes], out: Path) -> None:
    """Write a deterministic STORED zip: sorted names, fixed time/attributes, aligned data."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "wb") as f, zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # unix, whatever platform builds it
            info.external_attr = 0o644 << 16
            # Local header is 30 bytes + name + extra; pad the extra field so the data starts aligned.
            header_end = f.tell() + 30 + len(name.encode())
            pad = (-(header_end + 4)) % ALIGN
            info.extra = b"\x35\xd9" + pad.to_bytes(2, "little") + b"\0" * pad  # zipalign-style padding
            zf.writestr(info, entries[name])
    os.replace(tmp, out)


def build(out: Path) -> str:
    """Inner step, run with the build venv's python. Returns the bundle's sha256."""
    import mediapipe

    if mediapipe.__version__ != MEDIAPIPE_VERSION:
        raise SystemExit(f"need mediapipe {MEDIAPIPE_VERSION}, this interpreter has {mediapipe.__version__}")
    root = Path(mediapipe.__file__).parent
    entries = {}
    for name, (rel, want_sha) in SOURCES.items():
        raw = (root / rel).read_bytes()
        got = hashlib.sha256(raw).hexdigest()
        if got != want_sha:
            print(f"warning: {rel} has sha256 {got}, expected {want_sha}; the bundle will differ", file=sys.stderr)
        entries[name] = add_metadata(name, raw)
    write_bundle(entries, out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--venv", type=Path, default=None, help=f"build venv (default {default_venv()})")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output .task (default {DEFAULT_OUT})")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    out = args.out.resolve()

    if args.inner:
        print(build(out))
        return 0

    py = ensure_venv((args.venv or default_venv()).resolve())
    res = subprocess.run(
        [str(py), str(Path(__file__).resolve()), "--inner", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        sys.stderr.write(res.stdout + res.stderr)
        print("Model build failed (see above).", file=sys.stderr)
        return res.returncode
    # The build venv's mediapipe logs to stderr; only surface it on failure. The last stdout line is the sha.
    sha = res.stdout.strip().splitlines()[-1]
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    print(f"sha256 {sha}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
