"""The camera's angle on a body on the floor, for the analyzers that judge angles in its image (glute bridge,
bird-dog, dead bug): one way to wire :func:`formcheck.body.view.lying_view` into a set.

The standing view check measures the left-right pairs' width horizontally, so a camera raised above the floor
(looking down on a body lying or on all fours) reads "side". ``lying_view`` reads the camera's angle from side-on
from how far apart the hips look (docs/metrics.md B4). Beyond :data:`~formcheck.body.view.LYING_SIDE_MAX_DEG`
(23°, a priori) the angles and heights an exercise reads in the image are foreshortened by an unknown amount, so:

* the set's view is "oblique" (:func:`set_view`): the exercise's side-only rules stay silent and the tables show
  their numbers "(not judged)" (:mod:`formcheck.engine.viewjudged`);
* each rep (and hold) carries the angle as :data:`OFF_SIDE_KEY`, so a live rep, whose view is the standing check's,
  is judged as batch judges it (:func:`judged_input`: the exercise's ``derive`` and ``praise`` read it);
* a plain warning names the angle and what is not judged (:class:`AngleWords`); live, :class:`LiveAngle` keeps the
  set's angle so far with bounded memory and gives the same warning and the same set view at the set's end.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from formcheck.body.view import LYING_SIDE_MAX_DEG, LyingView, LyingViewTracker, ViewEstimate, lying_view
from formcheck.engine.spec import RuleInput

OFF_SIDE_KEY = "view_off_side_deg"  # the rep's (and hold's) metric: the set's camera angle from side-on
# The part of every exercise's :data:`WARNING` that marks it (:func:`angle_warned`).
WARNING_MARK = "from this camera angle: it looks down on the body or along it"
WARNING = (
    "Can't tell {what} " + WARNING_MARK + " (about {deg:.0f}° from side-on), so no {cues} and no praise are given; "
    "{shown} Film from the side at {height} to have it judged."
)


def angle_warned(warnings: Any) -> bool:
    """Whether a set's warnings include the camera-angle warning (:data:`WARNING`): the set is oblique by the lying
    reading and the warning already says how to film it, so the standing check's generic view cue ("move the camera
    about 45° around you", wrong for a raised camera) is not given (:func:`formcheck.cues.analysis_cues`)."""
    return any(WARNING_MARK in w for w in warnings)


def judged(off_side_deg: float) -> bool:
    """Whether a camera this far from side-on lets the image angles be judged (unknown angle: yes, as any view)."""
    return not off_side_deg > LYING_SIDE_MAX_DEG


def judged_input(inp: RuleInput) -> bool:
    """:func:`judged` for a rep's or hold's rule input (its :data:`OFF_SIDE_KEY`; none recorded: judged)."""
    return judged(inp.num(OFF_SIDE_KEY))


def set_view(body: Any) -> tuple[ViewEstimate, LyingView]:
    """The set's view and its camera angle: ``body.view`` as :func:`lying_set_view` makes it with
    :func:`lying_view`'s reading of the whole set."""
    lv = lying_view(body.px, body.world)
    return lying_set_view(body.view, lv), lv


def lying_set_view(vw: ViewEstimate, lv: LyingView) -> ViewEstimate:
    """The standing check's view ``vw``, made "oblique" when ``lv`` reads the camera beyond the side boundary where
    the standing (horizontal width) check read "side"; any other reading stays. Batch (:func:`set_view`) and live
    (:meth:`LiveAngle.set_view`) both give a set's view this way, so a saved live set is marked as a file is."""
    if lv.view == "oblique" and vw.view == "side":
        return dataclasses.replace(vw, view="oblique", azimuth_deg=90.0 - lv.off_side_deg)
    return vw


@dataclass(frozen=True)
class AngleWords:
    """An exercise's words for :data:`WARNING`.

    Attributes:
        what: what can't be told ("over-arching").
        cues: the cues not given ("over-arch cue").
        shown: what is still shown, a sentence ending with a full stop ("the top line is shown but may be several
            degrees off.").
        height: where to film from ("hip height").
    """

    what: str
    cues: str
    shown: str
    height: str = "hip height"

    def warnings(self, off_side_deg: float) -> list[str]:
        """The set's warning for a camera ``off_side_deg`` from side-on: none when it is judged."""
        if judged(off_side_deg):
            return []
        return [WARNING.format(what=self.what, deg=off_side_deg, cues=self.cues, shown=self.shown, height=self.height)]


class LiveAngle:
    """The set's camera angle so far, live (:class:`~formcheck.body.view.LyingViewTracker`, bounded memory): batch
    judges the whole set, so every live rep is stamped with the set's angle, not its own buffer's (a few side-ish
    seconds of an oblique set would otherwise let through a cue batch withholds)."""

    def __init__(self, words: AngleWords) -> None:
        self.words = words
        self._view = LyingViewTracker()

    def update(self, px: Any, world: Any) -> None:
        """Add one frame (``(33, 2)`` pixels, ``(33, >=3)`` world)."""
        self._view.update(px, world)

    def off_side_deg(self) -> float:
        """The camera's angle from side-on over the set so far, as :func:`lying_view` reads it (NaN: unknown)."""
        return self._view.result().off_side_deg

    def warnings(self) -> list[str]:
        """The set's warning at its end, as batch gives it."""
        return self.words.warnings(self.off_side_deg())

    def set_view(self, vw: ViewEstimate) -> ViewEstimate:
        """The finished set's view from the standing check's ``vw``, as batch gives it (:func:`lying_set_view`): the
        saved live set's tables then show the same numbers "(not judged)" as a file of the same frames."""
        return lying_set_view(vw, self._view.result())
