"""The rest between reps is named in the set's body position: a seated hinge rests "sitting tall", not "standing".

Truth: the synthetic seated and tall-kneeling hinges (:mod:`formcheck.analyzers.hinge_positions_synth`) are upright
in that position between reps; the standing hinge (:mod:`formcheck.synth`) stands. The annotated video (and the
report's key frames, drawn by the same overlay) and the live page read the rest's words from the exercise's
:class:`~formcheck.engine.spec.PhaseWords` for the position the analysis found.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from formcheck.analyzers.hinge import HingeAnalyzer
from formcheck.analyzers.hinge_positions_synth import positioned_hinge_clip
from formcheck.config import Config
from formcheck.live import LiveSnapshot
from formcheck.render import overlay
from formcheck.render.overlay import draw_overlay
from formcheck.render.states import frame_states
from formcheck.synth import hinge_clip
from formcheck.ui.live_view import phase_words

CFG = Config()
REST = {"standing": "Standing", "seated": "Sitting tall", "kneeling": "Kneeling tall"}


def _clip(position: str):
    if position == "standing":
        return hinge_clip(n_reps=1, contour=False)
    return positioned_hinge_clip(position, n_reps=1, contour=False)


@pytest.mark.parametrize("position", list(REST))
def test_the_overlay_names_the_rest_in_the_sets_position(monkeypatch, position: str) -> None:
    clip = _clip(position)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        an = HingeAnalyzer(CFG).analyze(clip.seq)
    assert an.quality.position == position and len(an.reps) == 1  # the analysis found the figure's position
    states = frame_states(clip.seq, an)
    rest = next(s for s in states if s.phase == "top" and s.t_s < an.reps[0].start_s)  # upright before the rep
    said: list[str] = []
    real = overlay.put_text
    monkeypatch.setattr(overlay, "put_text", lambda img, text, *a, **k: (said.append(text), real(img, text, *a, **k)))
    draw_overlay(np.zeros((480, 640, 3), np.uint8), rest, None, None, CFG, "hinge")
    assert REST[position] in said
    assert [w for w in REST.values() if w in said] == [REST[position]]  # no other position's word
    # the live page's phase line, from the live set's position
    snap = LiveSnapshot(running=True, phase="top", exercise="hinge", position=position)
    assert phase_words(snap.phase, snap.running, snap.exercise, snap.position) == REST[position].lower()


def test_an_exercise_resting_in_its_own_words_keeps_them() -> None:
    # a bird-dog rests on all fours whatever a noisy position guess says (no seated or kneeling words of its own)
    assert phase_words("top", True, "bird_dog", "kneeling") == "on all fours"
