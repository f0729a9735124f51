"""CueSelector.withdraw: what a recorded set's video takes off the screen when the next rep begins."""

from __future__ import annotations

from formcheck.config import Config
from formcheck.cues import CueEvent, CueSelector
from formcheck.types import Cue

CFG = Config().replace("cues", live_confirm_s=0.0)  # scripted: live cues count at once
TEMPO = Cue("tempo.eccentric_fast", "info", "Lower more slowly", 40, rep_index=1)
TOES = Cue("load.toes", "warn", "Shift your weight back", 20)
SPINE = Cue("spine.rounding", "safety", "Keep your back long", 10)


def test_a_finished_reps_cue_goes_at_once_and_does_not_come_back():
    sel = CueSelector(CFG)
    ev = {CueEvent("rep", 1): [TEMPO]}
    assert sel.update(0.0, [], ev) is TEMPO
    sel.withdraw(0.5)  # inside its display time
    assert sel.current is None and sel.current_event is None
    assert sel.update(0.5, [], ev) is None  # passed in again: still shown once only
    assert sel.update(0.6, [TOES]) is TOES  # the screen is free for the new rep at once


def test_a_waiting_cue_of_a_finished_rep_is_dropped():
    sel = CueSelector(CFG)
    assert sel.update(0.0, [TOES]) is TOES
    assert sel.update(0.2, [], {CueEvent("rep", 1): [TEMPO]}) is TOES  # the rep's cue waits for the screen
    sel.withdraw(1.0)
    assert sel.update(3.0, []) is None  # never shown: it would describe the rep before
    assert sel.update(3.1, [], {CueEvent("rep", 1): [TEMPO]}) is None


def test_a_live_cue_stays_only_if_the_new_rep_is_given_it_too():
    sel = CueSelector(CFG)
    assert sel.update(0.0, [SPINE]) is SPINE
    sel.withdraw(0.4, keep_live={"spine.rounding"})
    assert sel.current is SPINE
    sel.withdraw(0.5, keep_live={"load.toes"})
    assert sel.current is None
    assert sel.update(0.6, [SPINE]) is SPINE  # the fault seen again in the new rep shows again
