"""The rendered floor clips (``../shared/synthetic_floor``) and the labelled real clips, for the floor exercises'
integration tests (bird-dog / dead bug, glute bridge / cat-camel)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FLOOR = Path(__file__).resolve().parents[2].parent / "shared" / "synthetic_floor"
# The rendered truth's rep phases: rendered kind (``spec.kind`` of a clip's JSON) -> (the analyzer that times it, the
# names of its ``phase_intervals`` read as the first movement / the pause at the turnaround / the second movement,
# i.e. ``Rep.eccentric_s`` / ``bottom_pause_s`` / ``concentric_s``). The renderer's names, not the analyzers' words.
REP_PHASES = {
    "glute_bridge": ("glute_bridge", ("raising", "hold", "lowering")),
    "bird_dog": ("bird_dog", ("reaching", "hold", "returning")),
    "dead_bug": ("dead_bug", ("extending", "hold", "returning")),
    "cat_camel": ("cat_camel", ("flexing", "hold_flexion", "extending")),
    "prone_press_up": ("prone_extension", ("raising", "hold", "lowering")),
    "lunge": ("lunge", ("lowering", "bottom", "rising")),
}


def rendered(name: str) -> tuple[Path, dict]:
    """The rendered clip ``name``'s video and its truth (the JSON beside it); skips the test when it is absent."""
    js = FLOOR / f"{name}.json"
    if not js.exists():
        pytest.skip("shared synthetic_floor clips not present")
    return js.with_suffix(".mp4"), json.loads(js.read_text())


def labelled(videos_dir: Path, family: str) -> list[dict]:
    """The labels (``labels.json``, a list or ``{"clips": [...]}``) of the real clips of one exercise family."""
    labels = json.loads((videos_dir / "labels.json").read_text())
    labels = labels if isinstance(labels, list) else labels["clips"]
    return [v for v in labels if v.get("family") == family]
