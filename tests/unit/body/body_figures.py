"""Hand-built figures with exact geometry for the body tests: postures, camera yaw / pitch / roll, known truth.

Imported by the tests as ``body_figures`` (pytest puts this folder on ``sys.path``).

A posture is a set of 3D joint positions in a scene frame: X horizontal (the way the person faces when upright, the
way the head points when lying or on all fours), Y up (gravity), Z = X × Y (right-handed); plus the unit vector of
the subject's right (anterior = cranial × right). Left and right landmarks sit half a body width either side of the
centre line. A camera that is level, turned by ``yaw_deg`` about the vertical, optionally pitched (``pitch_deg``)
and rolled (``roll_deg``, the picture turned clockwise), sees the figure orthographically:

* world landmarks (MediaPipe convention): x right, y down, z away from the camera, metres, hip-centred;
* image landmarks: ``SCALE_PX_PER_M`` pixels per metre, normalised to a 640×480 frame; z in the units of x.

At yaw 0 an upright figure faces image-right (a side view, its right side toward the camera); at yaw -90 it faces
the camera. Lying figures point their head image-right at yaw 0.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.types import LM, PoseSequence

WIDTH, HEIGHT = 640, 480
SCALE_PX_PER_M = 200.0
HALF = {"SHOULDER": 0.18, "ELBOW": 0.18, "WRIST": 0.18, "PINKY": 0.18, "INDEX": 0.18, "THUMB": 0.18,
        "HIP": 0.10, "KNEE": 0.10, "ANKLE": 0.10, "HEEL": 0.10, "FOOT_INDEX": 0.10,
        "EAR": 0.07, "EYE_INNER": 0.02, "EYE": 0.03, "EYE_OUTER": 0.04, "MOUTH": 0.025}  # fmt: skip

X, Y, Z = np.eye(3)


def _sag(points: dict[str, tuple[float, float]]) -> dict[str, np.ndarray]:
    """Centre-line points given as (along X, height) in the sagittal plane."""
    return {k: np.array([a, h, 0.0]) for k, (a, h) in points.items()}


# Centre-line joint positions (metres) and the subject's right of each posture.
POSTURES: dict[str, tuple[dict[str, np.ndarray], np.ndarray]] = {
    "standing": (_sag({
        "NOSE": (0.10, 1.60), "EYE": (0.07, 1.63), "EAR": (-0.01, 1.60), "MOUTH": (0.08, 1.55),
        "SHOULDER": (0.0, 1.42), "ELBOW": (0.0, 1.12), "WRIST": (0.0, 0.87), "HAND": (0.0, 0.80),
        "HIP": (0.0, 0.90), "KNEE": (0.0, 0.48), "ANKLE": (0.0, 0.08), "HEEL": (-0.06, 0.02), "TOE": (0.14, 0.02),
    }), Z),
    # The bottom of a hip hinge: trunk horizontal, legs vertical (still standing).
    "hinge_bottom": (_sag({
        "NOSE": (0.56, 0.85), "EYE": (0.54, 0.89), "EAR": (0.52, 0.93), "MOUTH": (0.55, 0.82),
        "SHOULDER": (0.35, 0.92), "ELBOW": (0.35, 0.62), "WRIST": (0.35, 0.37), "HAND": (0.35, 0.30),
        "HIP": (-0.15, 0.88), "KNEE": (0.0, 0.48), "ANKLE": (0.0, 0.08), "HEEL": (-0.06, 0.02), "TOE": (0.14, 0.02),
    }), Z),
    # Split stance (a lunge on its way down): left leg forward, right leg back, both 30° off vertical. Keys
    # LEFT_* / RIGHT_* place one side's joint at that sagittal point (half a hip width to its side).
    "split_stance": (_sag({
        "NOSE": (0.10, 1.50), "EYE": (0.07, 1.53), "EAR": (-0.01, 1.50), "MOUTH": (0.08, 1.45),
        "SHOULDER": (0.0, 1.32), "ELBOW": (0.0, 1.02), "WRIST": (0.0, 0.77), "HAND": (0.0, 0.70),
        "HIP": (0.0, 0.80), "KNEE": (0.0, 0.48), "ANKLE": (0.0, 0.08), "HEEL": (-0.06, 0.02), "TOE": (0.14, 0.02),
        "LEFT_KNEE": (0.21, 0.44), "LEFT_ANKLE": (0.36, 0.08), "LEFT_HEEL": (0.30, 0.02), "LEFT_TOE": (0.50, 0.02),
        "RIGHT_KNEE": (-0.21, 0.44), "RIGHT_ANKLE": (-0.36, 0.08), "RIGHT_HEEL": (-0.40, 0.12),
        "RIGHT_TOE": (-0.24, 0.02),
    }), Z),
    "seated": (_sag({
        "NOSE": (0.10, 1.16), "EYE": (0.07, 1.19), "EAR": (-0.01, 1.18), "MOUTH": (0.08, 1.11),
        "SHOULDER": (0.0, 1.00), "ELBOW": (0.05, 0.72), "WRIST": (0.30, 0.58), "HAND": (0.36, 0.56),
        "HIP": (0.0, 0.48), "KNEE": (0.45, 0.50), "ANKLE": (0.45, 0.08), "HEEL": (0.39, 0.02), "TOE": (0.59, 0.02),
    }), Z),
    # Tall kneeling: thighs vertical, shins and insteps on the floor (the toes point backwards).
    "kneeling": (_sag({
        "NOSE": (0.10, 1.18), "EYE": (0.07, 1.21), "EAR": (-0.01, 1.20), "MOUTH": (0.08, 1.13),
        "SHOULDER": (0.0, 1.02), "ELBOW": (0.0, 0.72), "WRIST": (0.0, 0.47), "HAND": (0.0, 0.40),
        "HIP": (0.0, 0.50), "KNEE": (0.0, 0.08), "ANKLE": (-0.42, 0.08), "HEEL": (-0.44, 0.14), "TOE": (-0.56, 0.02),
    }), Z),
    "quadruped": (_sag({
        "NOSE": (0.80, 0.55), "EYE": (0.78, 0.58), "EAR": (0.72, 0.60), "MOUTH": (0.79, 0.52),
        "SHOULDER": (0.55, 0.56), "ELBOW": (0.55, 0.30), "WRIST": (0.55, 0.05), "HAND": (0.62, 0.02),
        "HIP": (0.0, 0.52), "KNEE": (0.0, 0.08), "ANKLE": (-0.42, 0.07), "HEEL": (-0.44, 0.13), "TOE": (-0.56, 0.02),
    }), Z),
    "prone": (_sag({
        "NOSE": (0.74, 0.07), "EYE": (0.72, 0.10), "EAR": (0.68, 0.16), "MOUTH": (0.72, 0.06),
        "SHOULDER": (0.50, 0.14), "ELBOW": (0.25, 0.08), "WRIST": (0.02, 0.06), "HAND": (-0.05, 0.05),
        "HIP": (0.0, 0.12), "KNEE": (-0.42, 0.08), "ANKLE": (-0.84, 0.08), "HEEL": (-0.88, 0.14), "TOE": (-0.92, 0.02),
    }), Z),
    # Forearm plank: prone support on forearms and toes.
    "plank": (_sag({
        "NOSE": (0.76, 0.30), "EYE": (0.74, 0.34), "EAR": (0.70, 0.38), "MOUTH": (0.75, 0.28),
        "SHOULDER": (0.52, 0.36), "ELBOW": (0.52, 0.04), "WRIST": (0.80, 0.04), "HAND": (0.86, 0.03),
        "HIP": (0.0, 0.30), "KNEE": (-0.42, 0.22), "ANKLE": (-0.84, 0.12), "HEEL": (-0.90, 0.16), "TOE": (-0.80, 0.02),
    }), Z),
    "supine": (_sag({
        "NOSE": (0.72, 0.22), "EYE": (0.71, 0.19), "EAR": (0.68, 0.12), "MOUTH": (0.71, 0.17),
        "SHOULDER": (0.50, 0.12), "ELBOW": (0.25, 0.08), "WRIST": (0.02, 0.06), "HAND": (-0.05, 0.05),
        "HIP": (0.0, 0.12), "KNEE": (-0.42, 0.10), "ANKLE": (-0.84, 0.08), "HEEL": (-0.86, 0.03), "TOE": (-0.90, 0.16),
    }), -Z),
    "bridge_top": (_sag({
        "NOSE": (0.72, 0.22), "EYE": (0.71, 0.19), "EAR": (0.68, 0.12), "MOUTH": (0.71, 0.17),
        "SHOULDER": (0.50, 0.10), "ELBOW": (0.30, 0.04), "WRIST": (0.05, 0.04), "HAND": (-0.02, 0.03),
        "HIP": (0.0, 0.30), "KNEE": (-0.40, 0.45), "ANKLE": (-0.50, 0.08), "HEEL": (-0.56, 0.02), "TOE": (-0.40, 0.02),
    }), -Z),
    "dead_bug": (_sag({
        "NOSE": (0.72, 0.22), "EYE": (0.71, 0.19), "EAR": (0.68, 0.12), "MOUTH": (0.71, 0.17),
        "SHOULDER": (0.50, 0.12), "ELBOW": (0.50, 0.42), "WRIST": (0.50, 0.67), "HAND": (0.50, 0.74),
        "HIP": (0.0, 0.12), "KNEE": (0.0, 0.55), "ANKLE": (-0.42, 0.55), "HEEL": (-0.44, 0.50), "TOE": (-0.56, 0.58),
    }), -Z),
    # Lying on the left side, head toward +X, chest toward +Z (the right side up).
    "side_lying": ({k: np.array([a, 0.20, f]) for k, (a, f) in {
        "NOSE": (0.72, 0.10), "EYE": (0.70, 0.07), "EAR": (0.68, 0.0), "MOUTH": (0.70, 0.08),
        "SHOULDER": (0.50, 0.0), "ELBOW": (0.50, 0.25), "WRIST": (0.30, 0.35), "HAND": (0.25, 0.38),
        "HIP": (0.0, 0.0), "KNEE": (-0.40, 0.10), "ANKLE": (-0.80, 0.05), "HEEL": (-0.82, -0.02), "TOE": (-0.86, 0.12),
    }.items()}, Y),
}  # fmt: skip

EXPECTED_POSITION = {
    "standing": "standing", "split_stance": "standing", "hinge_bottom": "standing", "seated": "seated",
    "kneeling": "kneeling", "quadruped": "quadruped", "prone": "prone", "plank": "prone", "supine": "supine",
    "bridge_top": "supine", "dead_bug": "supine", "side_lying": "side_lying",
}  # fmt: skip


def _side_points(posture: str) -> np.ndarray:
    """``(33, 3)`` scene coordinates of every landmark of a posture."""
    centre, right = POSTURES[posture]
    out = np.full((33, 3), np.nan)
    out[LM.NOSE] = centre["NOSE"]
    for side, sign in (("LEFT", -1.0), ("RIGHT", 1.0)):
        for joint in ("EYE_INNER", "EYE", "EYE_OUTER", "EAR", "SHOULDER", "ELBOW", "WRIST", "HIP", "KNEE", "ANKLE",
                      "HEEL", "FOOT_INDEX"):  # fmt: skip
            base = centre["EYE" if joint.startswith("EYE") else "TOE" if joint == "FOOT_INDEX" else joint]
            out[LM[f"{side}_{joint}"]] = base + sign * HALF[joint] * right
        for joint in ("PINKY", "INDEX", "THUMB"):
            out[LM[f"{side}_{joint}"]] = centre["HAND"] + sign * HALF[joint] * right
        out[LM[f"MOUTH_{side}"]] = centre["MOUTH"] + sign * HALF["MOUTH"] * right
        for key, point in centre.items():
            if key.startswith(f"{side}_"):
                joint = key.split("_", 1)[1].replace("TOE", "FOOT_INDEX")
                out[LM[f"{side}_{joint}"]] = point + sign * HALF[joint] * right
    return out


def _rot_x(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def _rot_z(deg: float) -> np.ndarray:
    """Turns image vectors (x right, y down) clockwise on screen by ``deg``."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def camera_points(posture: str, yaw_deg: float = 0.0, pitch_deg: float = 0.0, roll_deg: float = 0.0) -> np.ndarray:
    """``(33, 3)`` camera coordinates (x right, y down, z away; metres, not centred) of a posture."""
    p = _side_points(posture)
    c, s = math.cos(math.radians(yaw_deg)), math.sin(math.radians(yaw_deg))
    # Proper rotation scene → camera: X → (c, 0, s), Y → (0, -1, 0), Z = X × Y → (s, 0, -c).
    m = np.stack([[c, 0.0, s], [0.0, -1.0, 0.0], [s, 0.0, -c]], axis=1)
    return p @ m.T @ _rot_x(pitch_deg).T @ _rot_z(roll_deg).T


def frame(posture: str, **camera: float) -> tuple[np.ndarray, np.ndarray]:
    """One frame: ``(33, 4)`` normalised image landmarks and ``(33, 4)`` hip-centred world landmarks."""
    cam = camera_points(posture, **camera)
    hip = (cam[LM.LEFT_HIP] + cam[LM.RIGHT_HIP]) / 2
    world = np.concatenate([cam - hip, np.full((33, 1), 0.95)], axis=1)
    px = (cam[:, :2] - hip[:2]) * SCALE_PX_PER_M + np.array([WIDTH / 2, HEIGHT / 2])
    z = (cam[:, 2] - hip[2]) * SCALE_PX_PER_M / WIDTH
    lm = np.column_stack([px[:, 0] / WIDTH, px[:, 1] / HEIGHT, z, np.full(33, 0.95)])
    return lm, world


def sequence(postures: str | list[str], n_frames: int = 30, *, fps: float = 30.0, noise_px: float = 0.0,
             seed: int = 0, absent: tuple[int, ...] = (), **camera: float) -> PoseSequence:  # fmt: skip
    """A sequence of ``n_frames`` (one posture, or one posture per frame), optional pixel noise and empty frames."""
    names = [postures] * n_frames if isinstance(postures, str) else list(postures)
    frames = [frame(p, **camera) for p in names]
    lm = np.stack([f[0] for f in frames])
    world = np.stack([f[1] for f in frames])
    if noise_px > 0:
        rng = np.random.default_rng(seed)
        lm[:, :, 0] += rng.normal(0, noise_px / WIDTH, lm.shape[:2])
        lm[:, :, 1] += rng.normal(0, noise_px / HEIGHT, lm.shape[:2])
    for i in absent:
        lm[i] = np.nan
        world[i] = np.nan
    t = np.arange(len(names)) / fps
    return PoseSequence(lm, world, t, WIDTH, HEIGHT)
