"""Pose estimation: the offline MediaPipe PoseLandmarker model and a per-frame estimator.

``formcheck.pose`` is the only package that imports mediapipe, and only when a :class:`PoseEstimator` is built.
"""

from formcheck.pose.estimator import ENV_ALLOW_NETWORK, MODES, PoseEstimator, block_mediapipe_uploads
from formcheck.pose.model import (
    ENV_MODEL,
    SHIPPED_MODEL,
    SHIPPED_MODEL_SHA256,
    check_model_file,
    model_sha256,
    resolve_model_path,
)

__all__ = [
    "ENV_ALLOW_NETWORK",
    "ENV_MODEL",
    "MODES",
    "SHIPPED_MODEL",
    "SHIPPED_MODEL_SHA256",
    "PoseEstimator",
    "block_mediapipe_uploads",
    "check_model_file",
    "model_sha256",
    "resolve_model_path",
]
