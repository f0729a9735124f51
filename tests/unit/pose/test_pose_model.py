from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

import formcheck.pose.model as model
from formcheck.config import PoseConfig
from formcheck.errors import ModelError
from formcheck.pose import PoseEstimator, resolve_model_path


def bundle(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


GOOD = {"pose_detector.tflite": b"detector" * 100, "pose_landmarks_detector.tflite": b"landmarks" * 100}


@pytest.fixture(autouse=True)
def _no_env_model(monkeypatch):
    monkeypatch.delenv("FORMCHECK_MODEL", raising=False)


def test_shipped_model_is_present_and_matches_its_checksum():
    path = resolve_model_path(PoseConfig())
    assert path == model.SHIPPED_MODEL
    assert hashlib.sha256(path.read_bytes()).hexdigest() == model.SHIPPED_MODEL_SHA256
    assert 8_000_000 < path.stat().st_size < 11_000_000
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    assert [i.filename for i in infos] == sorted(model.BUNDLE_ENTRIES)
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)


def _bad(tmp_path: Path, kind: str) -> Path:
    if kind == "missing":
        return tmp_path / "nothing.task"
    if kind == "folder":
        return tmp_path
    if kind == "text":
        p = tmp_path / "model.task"
        p.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 9398418\n")
        return p
    if kind == "empty":
        p = tmp_path / "model.task"
        p.write_bytes(b"")
        return p
    if kind == "wrong-entries":
        return bundle(tmp_path / "model.task", {"face_detector.tflite": b"x"})
    if kind == "truncated":
        good = bundle(tmp_path / "good.task", GOOD)
        p = tmp_path / "model.task"
        p.write_bytes(good.read_bytes()[:700])
        return p
    if kind == "bit-flip":
        good = bundle(tmp_path / "good.task", GOOD)
        data = bytearray(good.read_bytes())
        data[data.index(b"landmarks") + 5] ^= 0xFF  # damage stored data, keep the zip structure
        p = tmp_path / "model.task"
        p.write_bytes(bytes(data))
        return p
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("missing", "does not exist"),
        ("folder", "not a file"),
        ("text", "corrupt or unreadable"),
        ("empty", "corrupt or unreadable"),
        ("wrong-entries", "lacks pose_detector.tflite, pose_landmarks_detector.tflite"),
        ("truncated", "corrupt or unreadable"),
        ("bit-flip", "damaged"),
    ],
)
def test_bad_model_files_raise_model_error_with_rebuild_hint(tmp_path, kind, words):
    path = _bad(tmp_path, kind)
    with pytest.raises(ModelError) as ei:
        resolve_model_path(PoseConfig(model_path=str(path)))
    msg = str(ei.value)
    assert words in msg
    assert str(path) in msg
    assert "python scripts/build_pose_model.py" in msg
    assert ei.value.exit_code == 5


def test_user_bundle_is_accepted_without_checksum(tmp_path):
    path = bundle(tmp_path / "pose_landmarker_heavy.task", GOOD)
    assert resolve_model_path(PoseConfig(model_path=str(path))) == path.resolve()


def test_env_variable_is_used_and_config_wins(tmp_path, monkeypatch):
    env_model = bundle(tmp_path / "env.task", GOOD)
    cfg_model = bundle(tmp_path / "cfg.task", GOOD)
    monkeypatch.setenv("FORMCHECK_MODEL", str(env_model))
    assert resolve_model_path(PoseConfig()) == env_model.resolve()
    assert resolve_model_path(PoseConfig(model_path=str(cfg_model))) == cfg_model.resolve()
    monkeypatch.setenv("FORMCHECK_MODEL", str(tmp_path / "gone.task"))
    with pytest.raises(ModelError, match="gone.task"):
        resolve_model_path(PoseConfig())


def test_replaced_shipped_model_is_refused(tmp_path, monkeypatch):
    fake = bundle(tmp_path / "pose_landmarker_full.task", GOOD)  # well-formed, but not the shipped bytes
    monkeypatch.setattr(model, "SHIPPED_MODEL", fake)
    with pytest.raises(ModelError, match="not the expected file") as ei:
        resolve_model_path(PoseConfig())
    assert "build_pose_model.py" in str(ei.value)


def test_estimator_rejects_unknown_mode_and_missing_model(tmp_path):
    with pytest.raises(ValueError, match="mode"):
        PoseEstimator(PoseConfig(), mode="batch")
    with pytest.raises(ModelError, match="does not exist"):
        PoseEstimator(PoseConfig(model_path=str(tmp_path / "x.task")))


def test_well_formed_bundle_with_garbage_models_raises_model_error(tmp_path):
    path = bundle(tmp_path / "garbage.task", GOOD)
    with pytest.raises(ModelError, match="MediaPipe could not load the pose model") as ei:
        PoseEstimator(PoseConfig(model_path=str(path)))
    assert "garbage.task" in str(ei.value)


@pytest.mark.parametrize(
    ("env", "blocked", "proxy_after"),
    [
        ({}, True, "http://127.0.0.1:9"),
        ({"FORMCHECK_ALLOW_MEDIAPIPE_NETWORK": "1"}, False, None),
        ({"HTTPS_PROXY": "http://proxy.example:3128"}, False, "http://proxy.example:3128"),
        ({"https_proxy": "http://proxy.example:3128"}, False, None),
    ],
    ids=["default", "allowed", "user-proxy", "user-proxy-lowercase"],
)
def test_mediapipe_uploads_are_blocked_unless_allowed_or_proxied(monkeypatch, env, blocked, proxy_after):
    from formcheck.pose import block_mediapipe_uploads

    for k in ("HTTPS_PROXY", "https_proxy", "FORMCHECK_ALLOW_MEDIAPIPE_NETWORK"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert block_mediapipe_uploads() is blocked
    assert os.environ.get("HTTPS_PROXY") == proxy_after
    assert block_mediapipe_uploads() is blocked  # idempotent
