"""Run plan A or B on the Routine page: step through its items, check each set, one session report at the end.

The steps are the plan's items the camera checks (:func:`formcheck.session.checkable_steps`), one set per item or
every set. Each step is filled by an uploaded video (or a poses ``.npz`` from ``formcheck extract``), analysed by
the item's analyzer at the plan's tempo, or by the set just saved on the Live page. Items the camera does not check
are a tick in the list at the end. Finishing saves the uploaded sets to the history (one session, tagged with the
plan), ticks today's checklist for the items done as prescribed (a short set is marked partly done, not
ticked), and makes one session report (HTML and PDF) with
:func:`formcheck.report.write_session_report`.

:class:`PlanRun` (the state, kept in ``st.session_state``) is plain data so it can be tested without Streamlit;
:func:`run_section` draws it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck.config import Config
from formcheck.errors import FormcheckError, InputError
from formcheck.report.content import count_text
from formcheck.routine import PLAN_KEYS, Plan, Routine, camera_check
from formcheck.session import (
    LIVE_SOURCE,
    PartlyDone,
    PlanStep,
    SessionResult,
    SessionSet,
    checkable_steps,
    save_sets,
    session_meta,
    step_config,
    tick_checklist,
    write_report,
)
from formcheck.types import Analysis

STATE_KEY = "plan_run"
POSE_SUFFIX = "npz"  # a poses file from `formcheck extract` is accepted besides videos
SESSION_REPORTS = ((".html", "Session report (HTML)", "text/html"), (".pdf", "Session report (PDF)", "application/pdf"))


@dataclass(frozen=True)
class PlanRun:
    """A plan being run: its steps, the sets recorded so far and where the run is.

    Attributes:
        plan_key: ``"A"`` or ``"B"``.
        steps: the sets to check, in order.
        sets: the recorded sets (a step skipped has none).
        index: the step being filled (``len(steps)`` once all are done or skipped).
        stopped: the user finished early.
        reports: the session report's files by suffix, once made.
        ticked: the item keys ticked on today's checklist when the run was finished.
        partly: a line for each filmed item partly done (a short set: not ticked), when the run was finished.
        saved: sets saved to the history when the run was finished.
        done: the run was finished (saved, ticked, reported).
    """

    plan_key: str
    steps: tuple[PlanStep, ...]
    sets: tuple[SessionSet, ...] = ()
    index: int = 0
    stopped: bool = False
    reports: Mapping[str, bytes] = field(default_factory=dict)
    ticked: tuple[str, ...] = ()
    partly: tuple[str, ...] = ()
    saved: int = 0
    done: bool = False

    @property
    def current(self) -> PlanStep | None:
        """The step to fill now (None once the run is at its end)."""
        return None if self.at_end else self.steps[self.index]

    @property
    def at_end(self) -> bool:
        return self.stopped or self.index >= len(self.steps)

    def record(self, s: SessionSet) -> PlanRun:
        """The run with ``s`` recorded for the current step, moved on to the next."""
        return dataclasses.replace(self, sets=(*self.sets, s), index=self.index + 1)

    def skip(self) -> PlanRun:
        """The run moved on without a set for the current step."""
        return dataclasses.replace(self, index=self.index + 1)

    def stop(self) -> PlanRun:
        return dataclasses.replace(self, stopped=True)

    def result(self, plan: Plan, specs: Sequence[Any] | None = None) -> SessionResult:
        """The run as a :class:`~formcheck.session.SessionResult` (the sets so far, the unchecked items)."""
        checks = (camera_check(e, specs) for e in plan.exercises)
        return SessionResult(plan, self.sets, tuple(c for c in checks if not c.checked))


def start_run(plan: Plan, *, per_set: bool = False, specs: Sequence[Any] | None = None) -> PlanRun:
    """A fresh run of ``plan``: one step per checked item, or per set of each with ``per_set``."""
    return PlanRun(plan.key, tuple(checkable_steps(plan, per_set=per_set, specs=specs)))


def check_upload_name(name: str, size_bytes: int, max_mb: int) -> None:
    """Refuse an upload the run cannot use (a video as on the Review page, or a poses .npz).

    Raises:
        InputError: not a video or poses file, empty, or too large.
    """
    from formcheck.ui.review import check_upload

    if Path(name).suffix.lower().lstrip(".") != POSE_SUFFIX:
        check_upload(name, size_bytes, max_mb)
    elif size_bytes <= 0:
        raise InputError(f"{name!r} is empty.")


def analyse_upload(data: bytes, name: str, step: PlanStep, config: Config, work: Path) -> Analysis:
    """Analyse one uploaded set with the step's analyzer, in ``work`` (a folder deleted afterwards by the caller).

    Files get generated names; the user's file name is only shown (as on the Review page).
    """
    from formcheck.analyze import analyze_sequence, analyze_video

    cfg = step_config(step, config)
    if Path(name).suffix.lower().lstrip(".") == POSE_SUFFIX:
        from formcheck.io.cache import load_pose_cache

        path = work / f"upload.{POSE_SUFFIX}"
        path.write_bytes(data)
        return analyze_sequence(load_pose_cache(path), step.analyzer, cfg)
    from formcheck.ui.review import upload_filename

    saved_as = upload_filename(name)
    video = work / saved_as
    video.write_bytes(data)
    try:
        _, analysis = analyze_video(video, step.analyzer, cfg)
    except FormcheckError as e:
        raise type(e)(e.message.replace(saved_as, name), hint=e.hint) from e
    if analysis.video is not None:
        analysis = dataclasses.replace(analysis, video=dataclasses.replace(analysis.video, path=name))
    return analysis


def session_reports(
    result: SessionResult, config: Config, work: Path, ticked: Sequence[str] = (), meta: Any = None
) -> dict[str, bytes]:
    """The session report of the run as HTML and PDF bytes (written in ``work``): the same report the CLI's
    ``session`` command writes (:func:`formcheck.session.write_report`): each set compared with its prescription
    (a 6 s hold of 20 s is not praised as complete), a clip filmed but not analysed with why, a set not judged as
    its item as "not counted". ``meta`` defaults to :func:`formcheck.session.session_meta` of the run."""
    outs = [work / f"session{suffix}" for suffix, _, _ in SESSION_REPORTS]
    write_report(result, outs, config=config, meta=meta or session_meta(result, None, ticked))
    return {out.suffix: out.read_bytes() for out in outs}


def not_ticked_lines(result: SessionResult) -> list[str]:
    """ "Not ticked: Hip hinge — this set looks like a supine exercise, …" for each filmed item left unticked, as
    the CLI's ``session --tick`` prints them."""
    return [f"Not ticked: {name} — {why}." for name, why in result.not_done()]


def partly_lines(partly: Sequence[PartlyDone], day: dt.date | None = None, today: dt.date | None = None) -> list[str]:
    """ "Not ticked: Hip hinge — partly done on video (3 of 8 reps). …" for each filmed item whose set fell short of
    its prescription (or "stays ticked" when it was already ticked), as the CLI's ``session --tick`` says.

    ``day`` is the checklist's day (default today): the page above ticks only today's, so for an earlier day (the
    videos were recorded then) the line names the day and does not point to the page.
    """
    from formcheck.history import HOW_WORDS, day_words

    today = today or dt.date.today()
    day = day or today
    which = "today's checklist" if day == today else f"the checklist of {day_words(day, today)}"
    out = []
    for p in partly:
        if p.stays_ticked:  # a short set does not undo a tick
            out.append(f"{p.name}: {p.words}; it stays ticked ({HOW_WORDS.get(p.how, 'ticked')}) on {which}.")
        elif day == today:
            out.append(f"Not ticked: {p.name} — {p.words}. Tick it in today's checklist above if you did the rest.")
        else:
            out.append(f"Not ticked: {p.name} — {p.words}, on {which}.")
    return out


def set_line(s: SessionSet) -> str:
    """One line on a recorded set: what was found and the first correction, or why it has no analysis."""
    if s.analysis is None:
        return f"**{s.step.label}** — {s.source}: could not be analysed: {s.error}"
    a = s.analysis
    found = count_text(a, seconds=False)
    first = next((c.message for c in a.cues), "")
    tail = f" — {first}" if first else ""
    return f"**{s.step.label}** — {s.source}: {found}{tail}"


def run_section(
    routine: Routine,
    store: Any,
    config: Config,
    *,
    uploads: Callable[[], Any] | None = None,
    live_page: Any = None,
    max_upload_mb: int | None = None,
    today: dt.date | None = None,
) -> None:
    """The Routine page's "Run plan A/B" section.

    Args:
        routine: the routine (its plans).
        store: the history store (sets saved, checklist ticked).
        config: the base configuration (each set gets its item's tempo on top).
        uploads: returns the session's :class:`~formcheck.ui.uploads.SessionUploads` (default: one kept in the
            session state under ``"uploads"``, as the Review page does).
        live_page: the Live page, for "Film it on the Live page" (None: the button is not shown).
        max_upload_mb: upload limit (default: ``config.review.max_upload_mb``).
        today: the checklist day (default: today).
    """
    import streamlit as st

    from formcheck.engine.registry import find_spec

    def get_uploads() -> Any:
        if uploads is not None:
            return uploads()
        from formcheck.ui.uploads import SessionUploads

        if st.session_state.get("uploads") is None:
            st.session_state["uploads"] = SessionUploads()
        return st.session_state["uploads"]

    day = today or dt.date.today()
    max_mb = max_upload_mb or config.review.max_upload_mb
    st.subheader("Run a plan with the camera")
    run: PlanRun | None = st.session_state.get(STATE_KEY)
    if run is None:
        st.markdown("Go through a plan set by set: each exercise the camera checks is filmed (upload a video, or "
                    "use the Live page) and checked by its own analyzer; the others are ticked by hand. At the end "
                    "you get one report of the whole session and today's checklist is ticked.")  # fmt: skip
        per_set = st.toggle("Film every set", value=False, key="run_per_set",
                            help="Off: one filmed set per exercise. On: every set of every exercise.")  # fmt: skip
        cols = st.columns(len(PLAN_KEYS))
        for col, key in zip(cols, PLAN_KEYS, strict=True):
            if col.button(f"Run plan {key}", key=f"run_{key}"):
                st.session_state[STATE_KEY] = start_run(routine.plans[key], per_set=per_set)
                st.rerun()
        return
    plan = routine.plans[run.plan_key]
    st.markdown(f"**{plan.title}**")
    if not run.at_end:
        step = run.current
        assert step is not None
        spec = find_spec(step.analyzer)
        title = spec.title if spec is not None else step.analyzer
        views = ", ".join(spec.views[:2]) if spec is not None else "side"
        st.progress(run.index / max(len(run.steps), 1), text=f"Set {run.index + 1} of {len(run.steps)}")
        st.markdown(f"### {step.label}\n{step.item.dose()} · {step.item.position.value.replace('_', '-')} · "
                    f"checked by the **{title.lower()}** analyzer · film it from the {views}")  # fmt: skip
        if step.item.notes:
            st.caption(step.item.notes)
        up = st.file_uploader(
            "Video of this set", type=[*_video_suffixes(), POSE_SUFFIX], key=f"run_upload_{run.index}",
            help="A video of the set (or a poses .npz from 'formcheck extract'). Analysed on this computer; the "
            "video is deleted as soon as it is analysed.",
        )  # fmt: skip
        if up is not None:
            data = up.getvalue()
            try:
                check_upload_name(up.name, len(data), max_mb)
                with st.spinner("Checking the set…"), get_uploads().work() as work:
                    analysis = analyse_upload(data, up.name, step, config, work)
                recorded = SessionSet(step, up.name, analysis)
            except FormcheckError as e:
                recorded = SessionSet(step, up.name, None, str(e), e.exit_code)
            st.session_state[STATE_KEY] = run.record(recorded)
            st.rerun()
        live = st.session_state.get("live_saved")
        b1, b2, b3 = st.columns(3)
        if isinstance(live, Analysis) and live.exercise == step.analyzer and all(s.analysis is not live
                                                                                  for s in run.sets):  # fmt: skip
            if b1.button("Use the set saved on the Live page", key=f"run_live_{run.index}"):
                st.session_state[STATE_KEY] = run.record(SessionSet(step, LIVE_SOURCE, live))
                st.rerun()
        elif live_page is not None and b1.button("Film it on the Live page", key=f"run_golive_{run.index}",
                                                 help="Opens the Live page set to this exercise. Save the set "
                                                 "there, then come back here."):  # fmt: skip
            st.session_state["exercise"] = step.analyzer
            st.switch_page(live_page)
        if b2.button("Skip this set", key=f"run_skip_{run.index}"):
            st.session_state[STATE_KEY] = run.skip()
            st.rerun()
        if b3.button("Finish now", key=f"run_stop_{run.index}"):
            st.session_state[STATE_KEY] = run.stop()
            st.rerun()
    for s in run.sets:
        (st.markdown if s.analysis is not None else st.warning)(set_line(s))
    if run.at_end:
        _finish(st, run, plan, store, config, get_uploads, day)
    if st.button("Close this run", key="run_close"):
        st.session_state.pop(STATE_KEY, None)
        st.rerun()


def _video_suffixes() -> tuple[str, ...]:
    from formcheck.ui.review import VIDEO_SUFFIXES

    return VIDEO_SUFFIXES


def _finish(
    st: Any, run: PlanRun, plan: Plan, store: Any, config: Config, get_uploads: Callable[[], Any], day: dt.date
) -> None:
    """The end of a run: tick the unchecked items, then save, tick the checklist and make the report."""
    result = run.result(plan)
    if run.done:
        done = [e.name for e in plan.exercises if e.key in run.ticked]
        st.success(f"Ticked on today's checklist: {', '.join(done) or 'nothing'}. "
                   f"{run.saved} set{'s' if run.saved != 1 else ''} saved to your history.")  # fmt: skip
        for line in (*run.partly, *not_ticked_lines(result)):  # next to the tick: why a filmed item was not ticked
            st.warning(line)
        for suffix, label, mime in SESSION_REPORTS:
            if suffix in run.reports:
                st.download_button(label, run.reports[suffix], file_name=f"formcheck_plan_{plan.key}{suffix}",
                                   mime=mime, key=f"run_dl{suffix}", on_click="ignore")  # fmt: skip
        return
    hand = []
    if result.unchecked:
        st.markdown("**Not checked by the camera** — tick what you did:")
        for c in result.unchecked:
            if st.checkbox(c.name, key=f"run_tick_{c.key}", help=c.why):
                hand.append(c.key)
            st.caption(c.why)
    for line in not_ticked_lines(result):
        st.warning(line)
    if not result.analyses:
        st.info("No set was checked by the camera in this run, so there is no session report; ticking still counts.")
    if st.button("Save, tick today's checklist and make the report", type="primary", key="run_finish"):
        try:
            meta = session_meta(result, None, hand)
            saved = save_sets(result, store, meta, day)  # dated as the report and the tick (as the CLI saves them)
            # on the day the report names (as the CLI ticks); a short set is partly done, not ticked
            ticks = tick_checklist(result, store, meta, day, hand)
            reports: dict[str, bytes] = {}
            if result.analyses:
                with st.spinner("Writing the session report…"), get_uploads().work() as work:
                    reports = session_reports(result, config, work, hand, meta)
        except FormcheckError as e:
            st.error(str(e))
            return
        partly = tuple(partly_lines(ticks.partly, ticks.day, day))
        st.session_state[STATE_KEY] = dataclasses.replace(run, reports=reports, ticked=ticks.ticked, partly=partly,
                                                          saved=saved, done=True)  # fmt: skip
        st.rerun()


__all__ = [
    "POSE_SUFFIX",
    "STATE_KEY",
    "PlanRun",
    "analyse_upload",
    "check_upload_name",
    "not_ticked_lines",
    "partly_lines",
    "run_section",
    "session_reports",
    "set_line",
    "start_run",
]
