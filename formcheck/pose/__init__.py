"""Pose estimation: the offline MediaPipe PoseLandmarker model and a per-frame estimator.

``formcheck.pose`` is the only package that imports mediapipe, and only when a :class:`PoseEstimator` is built.
"""

from formcheck.pose.estimator import MODES, PoseEstimator
from formcheck.pose.model import (
    ENV_MODEL,
    SHIPPED_MODEL,
    SHIPPED_MODEL_SHA256,
    check_model_file,
    model_sha256,
    resolve_model_path,
)

__all__ = [
    "ENV_MODEL",
    "MODES",
    "SHIPPED_MODEL",
    "SHIPPED_MODEL_SHA256",
    "PoseEstimator",
    "check_model_file",
    "model_sha256",
    "resolve_model_path",
]
