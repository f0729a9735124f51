"""formcheck Streamlit app: live webcam check, uploaded-video review, history, A/B routine, privacy.

Run with ``streamlit run app.py``. This file only wires widgets to the package: analysis lives in
``formcheck.analyze`` / ``formcheck.live``, page logic in ``formcheck.ui``, storage in ``formcheck.store``.
Nothing here runs on the webcam thread: the live page polls ``LiveProcessor.snapshot()`` from a fragment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from formcheck.config import DEFAULT_TEMPO_ORDER, Config, load_config, parse_tempo, tempo_order
from formcheck.engine import registry
from formcheck.engine.judgement import judged_config
from formcheck.engine.quality import position_words
from formcheck.errors import ExerciseNotRecognisedError, FormcheckError
from formcheck.history import (
    UNREADABLE,
    adherence_window_start,
    day_adherence,
    exercise_title,
    hand_after_partly_words,
    partly_words,
    read_saved,
    set_line,
)
from formcheck.live import AUTO as LIVE_AUTO
from formcheck.report.content import count_text
from formcheck.routine import (
    PLAN_KEYS,
    POSITIONS,
    Plan,
    camera_check,
    check_links,
    default_routine,
    exercise_from_dict,
    load_routine,
    routine_path,
    save_routine,
    weekly_mix,
)
from formcheck.store import Store, data_dir, format_tempo
from formcheck.ui import charts
from formcheck.ui.history_view import left_out_note, partly_lines, session_label, trend_not_judged
from formcheck.ui.live_view import (
    banner,
    count_metric,
    live_tables,
    next_set_advice,
    phase_words,
    speak_html,
    status_line,
)
from formcheck.ui.plan_editor import (
    AUTO,
    CAMERA_COLUMN,
    CAMERA_TITLE,
    EDIT_TITLES,
    analyzer_options,
    from_row,
    to_rows,
)
from formcheck.ui.privacy import delete_my_data
from formcheck.ui.review import (
    REPORT_FORMATS,
    VIDEO_SUFFIXES,
    check_upload,
    focus_box,
    report_formats,
    review_heading,
    safe_stem,
    upload_filename,
    upload_help,
)
from formcheck.ui.routine_run import STATE_KEY as PLAN_RUN_KEY
from formcheck.ui.routine_run import run_section
from formcheck.ui.tables import cue_rows, hold_rows, rep_rows, top_cue_per_hold, top_cue_per_rep
from formcheck.ui.uploads import SessionUploads, sweep_stale, uploads_root

# Icons are emoji, never ":material/…" names: Streamlit fetches a material favicon from an outside font host,
# while an emoji favicon is drawn in the page itself (a data: URL) and nav icons are plain text. Nothing leaves
# the machine (tests/unit/ui/test_privacy_assets.py checks every page and module).
APP_ICON = "🧍"
st.set_page_config(page_title="formcheck", page_icon=APP_ICON, layout="wide")

WIDE_CUE = {"Cue": st.column_config.TextColumn("Cue", width="large")}
SHOW = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}


# -- shared resources -------------------------------------------------------------------------------------------


@st.cache_resource
def get_store() -> Store:
    return Store()


def page_store() -> Store:
    """The history store for a page that needs it; a history it cannot open (written by a newer formcheck) ends the
    page with the plain message instead of a traceback."""
    try:
        return get_store()
    except FormcheckError as e:
        st.error(str(e))
        st.stop()
        raise  # (st.stop raises; this line only tells the type checker the function never falls through)


@st.cache_resource
def base_config() -> Config:
    """Defaults, or the TOML file named by ``$FORMCHECK_CONFIG``."""
    return load_config(os.environ.get("FORMCHECK_CONFIG") or None)


def exercise_names() -> list[str]:
    """Registered exercises, the default (first registered) first."""
    return list(registry.names())


def exercise_settings(cfg: Config, name: str) -> Any:
    """The exercise's config section (None for a name this version does not know)."""
    try:
        return registry.exercise_config(cfg, name)
    except (FormcheckError, AttributeError, KeyError):
        return None


def _no_load_ticked() -> None:
    """'No weight in my hands' counts as a load entered (0 kg): the balance cues are judged again."""
    st.session_state["load_entered"] = bool(st.session_state.get("no_load"))
    if st.session_state["load_entered"]:
        st.session_state["load_kg"] = 0.0


def set_controls(where: Any, live: bool) -> Config:
    """Controls for the set (tempo, load, body) → a validated Config. Invalid input keeps the last good value."""
    cfg = base_config()
    with where:
        st.subheader("Your set")
        names = exercise_names()
        st.selectbox("Exercise", names, key="exercise", format_func=exercise_title)
        exercise = st.session_state["exercise"]
        order = tempo_order(exercise)  # None for a hold (plank, side plank, sphinx): the CLI refuses --tempo too
        target = getattr(exercise_settings(cfg, exercise), "target_tempo_s", None) if order is not None else None
        if target is not None:
            words = registry.get_spec(exercise).phases  # the exercise's own phases: a bridge rises first
            st.text_input(
                f"Tempo (s): {words.order}",
                value=format_tempo(target),
                key=f"tempo_{exercise}",  # one field per exercise: its own default tempo
                help="Seconds for each phase, in this order: "
                + ", ".join(words.names)
                + ". For example "
                + format_tempo(target)
                + ".",
            )
        st.number_input("Held load (kg)", 0.0, 300.0, float(cfg.body.load_kg), 1.0, key="load_kg",
                        help="Kettlebell, dumbbells or bar in your hands. 0 = bodyweight.",
                        on_change=lambda: st.session_state.update(load_entered=True))  # fmt: skip
        if st.session_state.get("ask_load") and not st.session_state.get("load_entered"):
            st.warning("Your hands seemed to hold a weight, or hung where dumbbells or a bar would be, in the last "
                       "set: enter the weight above, or tick 'No weight in my hands'. Until then the balance cues it "
                       "would change are held back.")  # fmt: skip
            # Entering the 0 already shown fires no change event, so "none" needs its own control (review finding).
            st.checkbox("No weight in my hands", key="no_load", on_change=_no_load_ticked)
        st.number_input("Body mass (kg)", 15.0, 300.0, float(cfg.body.body_kg), 1.0, key="body_kg")
        st.number_input("Height (cm)", 80.0, 250.0, float(cfg.body.height_cm), 1.0, key="height_cm",
                        help="Turns pixels and % of foot into centimetres.")  # fmt: skip
        if live:
            st.caption("The side nearer the camera is found automatically (shown on the video).")
            st.toggle("Speak cues aloud", key="voice", help="Uses your browser's built-in speech; nothing is sent out.")
    if target is not None:
        try:
            tempo = parse_tempo(st.session_state[f"tempo_{exercise}"], order or DEFAULT_TEMPO_ORDER)
            cfg = cfg.replace_exercise(exercise, target_tempo_s=tempo)
        except FormcheckError as e:
            where.error(str(e))
    cfg = cfg.replace(
        "body",
        load_entered=bool(st.session_state.get("load_entered") or cfg.body.load_entered),
        load_kg=float(st.session_state["load_kg"]),
        body_kg=float(st.session_state["body_kg"]),
        height_cm=float(st.session_state["height_cm"]),
    )
    return cfg


# -- Live -------------------------------------------------------------------------------------------------------


def get_processor(cfg: Config, exercise: str) -> Any:
    """The session's LiveProcessor (built once per session; it loads the pose model on the first frame)."""
    from formcheck.live import LiveProcessor

    proc = st.session_state.get("live_proc")
    if proc is None:
        proc = LiveProcessor(cfg, exercise)
        st.session_state["live_proc"] = proc
        st.session_state["live_cfg"] = (cfg, exercise)
    elif st.session_state.get("live_cfg") != (cfg, exercise):
        if proc.snapshot().rep_count == 0:
            proc.reset(cfg.replace("pose", **dict(proc.config.pose)), exercise)
            st.session_state["live_cfg"] = (cfg, exercise)
        else:
            st.info("New settings apply to the next set: save or discard this one first.")
    return proc


@st.fragment(run_every=0.5)
def live_panel() -> None:
    proc = st.session_state.get("live_proc")
    if proc is None:
        return
    s = proc.snapshot()
    c1, c2 = st.columns([1, 2])
    c1.metric(*count_metric(s))  # "Holds" for a plank, as the saved set says "1 hold"
    # plain words ("rising", not "concentric"), as text: a metric box cuts long words off ("con…")
    c2.markdown(f"**Phase**  \n### {phase_words(s.phase, s.running, getattr(s, 'exercise', '') or '', s.position)}")
    kind, text = banner(s)
    SHOW[kind](text)
    if s.recognition:  # what recognition saw, so a wrong guess is easy to spot (and to correct in the sidebar)
        st.caption(s.recognition)
    st.caption(status_line(s))
    if st.session_state.get("voice") and s.cue is not None and s.cue_serial != st.session_state.get("spoken"):
        st.session_state["spoken"] = s.cue_serial
        components.html(speak_html(s.cue.message, s.cue_serial), height=0)


def page_live() -> None:
    from streamlit_webrtc import WebRtcMode, webrtc_streamer

    st.title("Live check")
    cfg = set_controls(st.sidebar, live=True)
    # Recognised from the first seconds of the set; the frames seen meanwhile are counted once it is known.
    auto = st.checkbox(
        "Recognise the exercise automatically",
        key="live_auto",
        help="Named within the first seconds of the set; otherwise you are asked to choose it.",
    )
    exercise = LIVE_AUTO if auto else st.session_state["exercise"]
    try:
        proc = get_processor(cfg, exercise)
    except FormcheckError as e:
        st.error(str(e))
        return
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            "Put the camera **side-on at hip height**, 2–3 m away, with your **whole body, head to feet**, in view. "
            "Counting starts once the setup check passes."
        )
        webrtc_streamer(
            key="formcheck-live",
            mode=WebRtcMode.SENDRECV,
            rtc_configuration={"iceServers": []},  # same machine: no STUN/TURN, nothing leaves the computer
            media_stream_constraints={
                "video": {"width": {"ideal": 640}, "height": {"ideal": 480}, "frameRate": {"ideal": 30}},
                "audio": False,
            },
            queued_video_frames_callback=proc.recv_queued,
            # Called on STOP, tab closed, page left or connection lost: releases the pose model (the set is kept
            # for "Save set"; the next START reopens the model and continues the set).
            on_video_ended=proc.on_ended,
            async_processing=True,
        )
    with right:
        panel = st.container()
        b1, b2 = st.columns(2)
        if b1.button("Save set", type="primary", help="Finish this set and store it in your history."):
            try:
                analysis = proc.finish()
            except ExerciseNotRecognisedError as e:  # a short set still being recognised: nothing to save yet
                analysis = None
                st.error(f"{e.message} Choose the exercise in the sidebar and untick “Recognise the exercise "
                         "automatically”, then start the set again.")  # fmt: skip
            if analysis is None:
                pass
            elif not analysis.reps and not analysis.holds:  # a hold exercise (plank) counts holds, not reps
                st.warning("No reps or holds were counted, so nothing was saved.")
            else:
                sid = st.session_state.get("live_session_id")
                try:
                    saved = get_store().save_set(analysis, session_id=sid, source="live")
                except FormcheckError as e:  # disk full, read-only: keep the set so it is not lost
                    st.error(str(e))
                    st.download_button(
                        "Download this set (JSON)",
                        json.dumps(analysis.to_json_dict(), indent=1),
                        file_name="formcheck_set.json",
                        mime="application/json",
                        on_click="ignore",
                    )
                else:
                    st.session_state["live_session_id"] = saved.session_id
                    st.session_state["live_saved"] = analysis
        if b2.button("Discard set", help="Start counting again from zero."):
            proc.reset()
            st.session_state.pop("live_saved", None)
        last = st.session_state.get("live_saved")
        if last is not None:
            counted = count_text(last, seconds=False)  # "1 hold" for a plank, not "1 holds" / "0 reps"
            st.success(f"Saved {counted} to your history. The counter starts again for the next set.")
            run = st.session_state.get(PLAN_RUN_KEY)  # a plan being run on the Routine page waits for this set
            if run is not None and run.current is not None and run.current.analyzer == last.exercise:
                st.page_link(pages[3], label=f"Back to plan {run.plan_key}: use this set for {run.current.label}",
                             icon="✅")  # fmt: skip
            advice = next_set_advice(last.cues)  # one line per kind of correction, not one per rep
            if advice:
                st.markdown("**For the next set:**\n" + "\n".join(f"- {m}" for m in advice))
        with panel:  # filled after the buttons so a saved set shows as reset at once
            live_panel()
    live_rep_table()  # below the video, the whole page wide: a side column cut the table off


@st.fragment(run_every=1.0)
def live_rep_table() -> None:
    proc = st.session_state.get("live_proc")
    if proc is None:
        return
    # holds (plank, bridge tops), then reps; the live set is judged with the settings it runs with
    for title, rows in live_tables(proc.snapshot(), proc.exercise, proc.config):
        st.markdown(f"**{title}**")
        # a plain table: every column fits the page (text wraps) instead of a grid cut off at the right
        st.table(rows)


# -- Review -----------------------------------------------------------------------------------------------------


def session_uploads() -> SessionUploads:
    """This browser session's upload folder (removed when the session ends; see formcheck/ui/uploads.py)."""
    uploads = st.session_state.get("uploads")
    if uploads is None:
        uploads = st.session_state["uploads"] = SessionUploads()
    return uploads


@st.cache_resource
def sweep_stale_uploads() -> int:
    """Once per server start: remove upload folders that a crashed or killed server left behind."""
    return len(sweep_stale())


def _analyse_upload(data: bytes, name: str, cfg: Config, exercise: str | None) -> dict[str, Any]:
    """Analyse an uploaded video into a result dict kept in the session.

    The video, the annotated copy and the reports are written to a working folder inside this session's upload
    folder and read back into memory; the folder is deleted as soon as the analysis ends, so no video stays on disk.
    Files get generated names (``upload.mp4``): the user's file name is only shown, never used as a path.
    """
    from formcheck.analyze import analyze_video
    from formcheck.render import write_annotated_video
    from formcheck.report import write_reports

    bar = st.progress(0.0, text="Finding the body in each frame…")

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Finding the body in each frame… {done}/{total}")

    saved_as = upload_filename(name)
    try:
        with session_uploads().work() as work:
            video = work / saved_as
            video.write_bytes(data)
            seq, analysis = analyze_video(video, exercise, cfg, progress=progress)
            if analysis.video is not None:  # reports name the user's video, not the working copy
                analysis = dataclasses.replace(analysis, video=dataclasses.replace(analysis.video, path=name))
            bar.progress(1.0, text="Drawing the annotated video…")
            annotated = work / "annotated.mp4"
            write_annotated_video(video, seq, analysis, annotated, cfg)
            bar.progress(1.0, text="Writing the reports…")
            outs = [work / f"report{f.suffix}" for f in REPORT_FORMATS]
            # one call: the video is read once for the key frames of both the HTML and the PDF report
            write_reports(analysis, outs, video_path=video, seq=seq, config=cfg)
            reports = {f.suffix: out.read_bytes() for f, out in zip(REPORT_FORMATS, outs, strict=True)}
            annotated_bytes = annotated.read_bytes()
    except FormcheckError as e:
        # messages name the working copy (upload.mp4); the user knows the file by its own name
        raise type(e)(e.message.replace(saved_as, name), hint=e.hint) from e
    finally:
        bar.empty()
    return {
        "name": name,
        "analysis": analysis,
        "config": cfg,
        "video": annotated_bytes,
        "reports": reports,
        "saved": None,
    }


def page_review() -> None:
    st.title("Review a video")
    cfg = set_controls(st.sidebar, live=False)
    max_mb = cfg.review.max_upload_mb
    st.markdown(
        "Film one set **side-on at hip height**, whole body in view, then upload it here. " + upload_help(max_mb)
    )
    auto = st.checkbox("Recognise the exercise from the motion", value=False)
    up = st.file_uploader("Video of one set", type=list(VIDEO_SUFFIXES))
    if up is not None:
        data = up.getvalue()
        exercise = None if auto else st.session_state["exercise"]
        key = hashlib.sha256(data).hexdigest() + repr((cfg, exercise))
        result = st.session_state.get("review_result")
        if result is None or result.get("key") != key:
            try:
                check_upload(up.name, len(data), max_mb)
                result = _analyse_upload(data, up.name, cfg, exercise)
                result["key"] = key
                st.session_state["review_result"] = result
            except ExerciseNotRecognisedError as e:  # its hint is a command-line flag: say what to do here
                st.error(
                    f"{e.message} Choose the exercise in the sidebar and untick “Recognise the exercise "
                    f"from the motion”. Available: {', '.join(exercise_title(n) for n in exercise_names())}."
                )
            except FormcheckError as e:
                st.error(str(e))  # the previous result (if any) stays below
    result = st.session_state.get("review_result")
    if result is None:
        return
    q = result["analysis"].quality
    if (q.load_unknown or q.hands_low) and not st.session_state.get("ask_load"):
        st.session_state["ask_load"] = True  # the sidebar asks for the held load
        st.rerun()
    show_review(result)


def show_review(result: dict[str, Any]) -> None:
    a = result["analysis"]
    judged = judged_config(a, result.get("config", base_config()))  # which numbers the view judges: its settings
    st.subheader(review_heading(result["name"], a))  # "1 hold (7.6 s)" for a plank, as Live and the CLI count
    kind, focus = focus_box(a, judged)  # the one thing to work on, as the CLI, reports and History pick it
    SHOW[kind](focus)
    if a.quality.warnings:
        for w in a.quality.warnings:
            st.warning(w)
    info = a.video
    portrait = info is not None and info.height > info.width
    # a portrait video as wide as a landscape one is 1.5 screens tall: give it a column as narrow as its shape
    v, t = st.columns([3 * info.width / info.height, 3] if portrait else [3, 2])
    with v:
        st.video(result["video"], format="video/mp4")
    with t:
        st.markdown("**Downloads**")
        stem = safe_stem(result["name"])
        for f in report_formats(a):  # "Per-hold table (CSV)" for a plank
            st.download_button(f.label, result["reports"][f.suffix], file_name=f"{stem}_formcheck{f.suffix}",
                               mime=f.mime, key=f"dl{f.suffix}", on_click="ignore")  # fmt: skip
        if result.get("saved") is None:
            if st.button("Save to history", type="primary"):
                try:
                    saved = get_store().save_set(a, source="review", video_name=result["name"])
                except FormcheckError as e:  # disk full, read-only: the analysis stays on the page
                    st.error(str(e))
                else:
                    result["saved"] = saved.set_id
                    st.rerun()
        else:
            st.success("Saved to your history.")
    holds = getattr(a, "holds", ())
    if holds:
        st.markdown("**Per hold**")
        rows = hold_rows(holds, top_cue_per_hold(a.cues, holds), exercise=a.exercise, view=a.quality.view,
                         config=judged)  # fmt: skip
        st.dataframe(rows, hide_index=True, width="stretch")
    if a.reps or not holds:
        st.markdown("**Per rep**")
    if a.reps:
        rows = rep_rows(a.reps, top_cue_per_rep(a.cues), exercise=a.exercise, view=a.quality.view, config=judged)
        st.table(rows)  # all, in full
    elif not holds:
        st.info("No reps were found. Check that the whole body is in view and the camera is side-on.")
    # the limits drawn are the ones the set was judged with; reps and holds shaded, the caption names them
    shaded = charts.shaded_words(a.reps, holds)
    series_charts, timeline = charts.review_time_charts(a, judged)  # one time axis: 0 to the set's length
    for group, chart in series_charts:
        st.markdown(f"**{group.title}** ({group.caption(shaded)})")
        if chart is None:
            st.caption(group.empty_note or "Not measured in this video.")
        else:
            st.altair_chart(chart, width="stretch")
    st.markdown("**Cue timeline**")
    st.altair_chart(timeline, width="stretch")
    rows = cue_rows(a.cues, a.exercise)
    if rows:
        st.table(rows)  # a plain table: every cue and what it measured readable in full, no scrolling grid
    spec = registry.find_spec(a.exercise)
    limits = spec.limits_for(a) if spec is not None else a.limits  # the lines that apply to this set
    if limits:
        with st.expander("What these numbers can and cannot tell"):
            for line in limits:
                st.markdown(f"- {line}")


# -- History ----------------------------------------------------------------------------------------------------


def page_history() -> None:
    st.title("History")
    store = page_store()
    sets = store.sets()
    today = dt.date.today()
    routine = _routine()
    first = adherence_window_start(today)  # the Monday 12 weeks back (the CLI's streak counts from it too)
    adh = day_adherence(store, routine, first, today)  # the CLI's 'formcheck history' counts the same days
    recent = [d for d in adh.days if d.day > today - dt.timedelta(days=28)]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Sets saved", len(sets))
    c2.metric("Routine days, last 4 weeks", sum(d.complete for d in recent))
    c3.metric("Streak", f"{adh.streak} day{'s' if adh.streak != 1 else ''}", help="Days in a row with a plan done, "
              "A or B (today counts once done and never breaks it while still open).")  # fmt: skip
    a_days, b_days = sum(d.plan == "A" for d in recent), sum(d.plan == "B" for d in recent)
    c4.metric("A / B days, last 4 weeks", f"{a_days} / {b_days}")
    st.markdown("**Routine days per week** — A plan and B plan; B days count the same")
    st.altair_chart(charts.plan_mix_chart(weekly_mix(adh)), width="stretch")
    if not sets:
        st.info("Nothing saved yet. Save a set from the Live or Review page and it appears here.")
    else:
        history_trends(store, sets)
    st.markdown("**Sessions per week**")
    st.altair_chart(charts.weekly_chart(store.sessions_per_week(weeks=12)), width="stretch")
    st.markdown("**Sessions**")
    sessions = store.sessions(limit=30)
    # plan items a filmed set fell short of ('formcheck history' says them per day), under their plan's session
    partly, apart = partly_lines(store, routine, sessions, first, today)
    if apart:
        st.markdown("**Plan items partly done on video**\n" + "\n".join(f"- {t}" for t in apart))
    for s in sessions:
        rows = store.sets(session_id=s.id)
        lines = [set_line(store, row, base_config()) for row in rows]  # as 'formcheck history' lists them
        # "plan A · 2 sets · Glute bridge 3 reps, Split squat 6 reps": never "review · 9 reps" for a plan
        with st.expander(session_label(s, lines)):
            for t in partly.get(s.id, []):
                st.caption(t[:1].upper() + t[1:])
            for row, line in zip(rows, lines, strict=True):
                st.markdown(f"*{line.title}* — {line.count}" + (f" — {row.video_name}" if row.video_name else ""))
                try:  # one row this version cannot read (saved by another version) must not take down the page
                    saved = read_saved(store, row.id)  # the class shown as the saved set's report shows it
                    tables = None
                    if saved is not None:
                        how = {"exercise": row.exercise, "view": saved.quality.view,
                               "config": judged_config(saved, base_config())}  # fmt: skip
                        reps = rep_rows(store.reps(row.id), **how)
                        # a plank's hold, not an empty rep table (a side plank: its holds, then its reps)
                        tables = [t for t in (hold_rows(saved.holds, **how), reps) if t] or [reps]
                except (ValueError, KeyError, TypeError, AttributeError):
                    tables = None
                if tables is None or not line.readable:
                    st.warning(UNREADABLE)
                else:
                    st.caption(f"Focus next: {line.verdict}")
                    for table in tables:
                        st.dataframe(table, hide_index=True, width="stretch")
                cues = store.cues(row.id)
                if cues:
                    st.markdown("\n".join(f"- {c['message']}" for c in cues))
            for _, _, when, text in store.notes(session_id=s.id):
                st.caption(f"Note {when[:16].replace('T', ' ')}: {text}")
            note = st.text_input("Add a note", key=f"note{s.id}", placeholder="How did it feel?")
            n1, n2 = st.columns(2)
            if n1.button("Save note", key=f"savenote{s.id}") and note.strip():
                store.add_note(note.strip(), session_id=s.id)
                st.rerun()
            if n2.button("Delete this session", key=f"del{s.id}"):
                store.delete_session(s.id)
                st.rerun()


def history_trends(store: Store, sets: list[Any]) -> None:
    """Per-set trends: each saved exercise's ``"trend"`` metrics (by spec key), then tempo adherence for all. A
    value the set's camera angle does not judge is left out (and said under the chart)."""
    better_words = {"higher": "higher is better", "lower": "lower is better"}
    panels = []
    exercises = list(dict.fromkeys(s.exercise for s in sets))
    off = trend_not_judged(store, sets, base_config())  # an oblique bridge's "+11 (not judged)" top line
    for exercise in exercises:
        mine = [s for s in sets if s.exercise == exercise]
        specs = charts.trend_specs(exercise)
        frame = charts.trend_frame(mine, specs, off)
        for m in specs:
            panels.append((m, frame, exercise, left_out_note(off, m.key, mine)))
    panels.append((None, charts.trend_frame(sets), "", ""))
    cols = st.columns(2)
    for i, (m, frame, exercise, note) in enumerate(panels):
        col = cols[i % 2]
        if m is None:
            col.markdown("**Tempo adherence** — phases not rushed")
            col.altair_chart(charts.trend_chart(frame, "tempo_adherence_pct", "on tempo %"), width="stretch")
            continue
        what = f"{exercise_title(exercise)}: {m.label.lower()}" if len(exercises) > 1 else m.label
        hint = f" ({better_words[m.better]})" if m.better in better_words else ""
        col.markdown(f"**{m.short}** — {what}{hint}")
        if frame[m.key].notna().any():
            col.altair_chart(charts.metric_trend_chart(frame, m), width="stretch")
        else:
            col.caption("No values in the saved sets yet.")
        if note:
            col.caption(note[:1].upper() + note[1:] + ".")


# -- Routine ----------------------------------------------------------------------------------------------------


def _routine():
    try:
        return load_routine()
    except FormcheckError as e:
        st.error(str(e))
        return default_routine()


def page_routine() -> None:
    st.title("Routine")
    store = page_store()
    routine = _routine()
    today = dt.date.today()
    st.markdown(
        f"**Today**, {today:%A %d %B} — do one plan **{routine.anchor}**. "
        "Plan B counts just as much on a bad day: the habit matters more than the dose."
    )
    checks = store.checks(today, today)
    ticks = {(c.plan, c.item): c.done for c in checks}
    # a short filmed set: not ticked, or ticked by hand since (the camera's count stays beside the tick)
    partly = {(c.plan, c.item): c.detail for c in checks if c.partly or (c.done and c.how == "hand" and c.detail)}
    cols = st.columns(2)
    for col, key in zip(cols, PLAN_KEYS, strict=True):
        plan = routine.plans[key]
        with col:
            st.subheader(plan.title)
            est = plan.duration_words()  # its length said once: none when the title says it (B plan)
            where = f"positions: {', '.join(position_words(p) for p in plan.positions())}"
            st.caption(" · ".join([*([est[:1].upper() + est[1:]] if est else []), where]))
            for e in plan.exercises:
                cam = camera_check(e)  # which analyzer checks it (from the registry), or why none does
                cam_text = (f"Checked by the camera ({exercise_title(cam.analyzer)})." if cam.checked
                            else f"Not checked by the camera: {cam.why}")  # fmt: skip
                label = f"{e.name} — {e.dose()}" + ("" if cam.checked else " · not checked by the camera")
                checked = st.checkbox(label, value=ticks.get((key, e.key), False), key=f"chk_{today}_{key}_{e.key}",
                                      help="\n\n".join(t for t in (e.notes, cam_text) if t))  # fmt: skip
                if checked != ticks.get((key, e.key), False):
                    store.set_check(today, key, e.key, checked, how="hand")
                    ticks[(key, e.key)] = checked
                if (key, e.key) in partly:  # the store keeps the short set's words through a hand tick
                    detail = partly[(key, e.key)]
                    said = (
                        hand_after_partly_words(detail) + "."
                        if checked
                        else (f"{partly_words(detail)} — not ticked. Tick it if you did the rest.")
                    )
                    st.caption(said[:1].upper() + said[1:])
            done = sum(ticks.get((key, e.key), False) for e in plan.exercises)
            if done == len(plan.exercises):
                st.success(f"Plan {key} done today.")
    run_section(routine, store, base_config(), uploads=session_uploads, live_page=pages[0])
    with st.expander("Edit the plans"):
        anchor = st.text_input("Anchor moment (an everyday moment the routine follows)", routine.anchor)
        anchor_time = st.text_input("Usual time of that moment (HH:MM, for the calendar reminder)",
                                    routine.anchor_time)  # fmt: skip
        tabs = st.tabs([f"Plan {k}" for k in PLAN_KEYS])
        edited = {}
        for tab, key in zip(tabs, PLAN_KEYS, strict=True):
            plan = routine.plans[key]
            with tab:
                title = st.text_input("Title", plan.title, key=f"title{key}")
                rest = st.number_input("Rest between sets (s)", 0.0, 600.0, float(plan.rest_s), 5.0, key=f"rest{key}")
                rows = to_rows(plan)
                table = st.data_editor(
                    rows,
                    num_rows="dynamic",
                    key=f"edit{key}",
                    width="stretch",
                    column_config={
                        **{c: st.column_config.Column(t, help=h) for c, (t, h) in EDIT_TITLES.items()},
                        "position": st.column_config.SelectboxColumn(
                            EDIT_TITLES["position"][0], options=list(POSITIONS)
                        ),
                        "per_side": st.column_config.CheckboxColumn(
                            EDIT_TITLES["per_side"][0], help=EDIT_TITLES["per_side"][1]
                        ),
                        "analyzer": st.column_config.SelectboxColumn(
                            EDIT_TITLES["analyzer"][0],
                            help=EDIT_TITLES["analyzer"][1],
                            options=analyzer_options(exercise_names()),
                            required=True,
                            default=AUTO,
                        ),
                        CAMERA_COLUMN: st.column_config.TextColumn(
                            CAMERA_TITLE[0], help=CAMERA_TITLE[1], disabled=True, width="large"
                        ),
                    },
                )
                edited[key] = (title, rest, table)
        s1, s2 = st.columns(2)
        if s1.button("Save plans", type="primary"):
            try:
                new = routine.with_anchor(anchor, anchor_time)
                for key, (title, rest, table) in edited.items():
                    exercises = tuple(exercise_from_dict(from_row(r)) for r in table)
                    new = new.with_plan(
                        Plan(
                            key=key,
                            title=title,
                            exercises=exercises,
                            rest_s=float(rest),
                            description=routine.plans[key].description,
                        )  # fmt: skip
                    )
                check_links(new)  # an analyzer chosen for an exercise must exist and take its position
                save_routine(new)
                st.success(f"Saved to {routine_path()}.")
                st.rerun()
            except FormcheckError as e:
                st.error(str(e))
        if s2.button("Back to the default plans"):
            save_routine(default_routine().with_anchor(routine.anchor, routine.anchor_time))
            st.rerun()
    from formcheck.ritual import routine_ics

    st.download_button(
        "Add to my calendar (.ics)",
        routine_ics(routine),
        file_name="formcheck_routine.ics",
        mime="text/calendar",
        on_click="ignore",
        help=f"A daily reminder at {routine.anchor_time} ({routine.anchor}) with the A plan, and the B plan as "
        "the alternative for a bad day. Open the file with your calendar app.",
    )


# -- Privacy ----------------------------------------------------------------------------------------------------


def page_privacy() -> None:
    st.title("Privacy and your data")
    store = page_store()
    st.markdown(
        "- Video is processed **on this computer**. The webcam stream goes from your browser to this app on the "
        "same machine; no server outside is contacted (no STUN/TURN servers are configured).\n"
        "- An uploaded video is written to disk only while it is analysed (then deleted; the page keeps the "
        "results in memory until you close the tab).\n"
        "- Streamlit's usage statistics are switched off (`.streamlit/config.toml`).\n"
        "- Your history (numbers, cues, notes — never video) and your routine are stored here:"
    )
    from formcheck.io.cache import cache_dir

    poses = cache_dir()
    st.code(f"history: {store.path}\nroutine: {routine_path()}\npose cache: {poses}\ndata folder: {data_dir()}")
    st.caption("The pose cache keeps body landmarks (never pictures) of analysed videos so a re-analysis is instant.")
    counts = store.counts()
    st.caption("Stored now: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    sure = st.checkbox("I understand this deletes my whole history, notes, checklist, edited plans and pose cache.")
    if st.button("Delete my data", type="primary", disabled=not sure):
        st.session_state.pop("review_result", None)
        uploads = st.session_state.pop("uploads", None)
        if uploads is not None:
            uploads.remove()
        # the whole uploads root: every session's folder, and anything a crashed server left there
        done = delete_my_data(store, routine_path(), poses, (uploads_root(),))
        st.success("Deleted: " + "; ".join(done) + ". The default plans are back.")


# -- navigation -------------------------------------------------------------------------------------------------

pages = [
    st.Page(page_live, title="Live", icon="🎥", url_path="live"),
    st.Page(page_review, title="Review", icon="🎞️", url_path="review"),
    st.Page(page_history, title="History", icon="📈", url_path="history"),
    st.Page(page_routine, title="Routine", icon="✅", url_path="routine"),
    st.Page(page_privacy, title="Privacy", icon="🔒", url_path="privacy"),
]


def page_start() -> None:
    """The address without a path: go to the Live page, so it has one address of its own (/live). Streamlit
    serves its default page only at "/", so a default Live page made /live say "Page not found"."""
    st.switch_page(pages[0])


sweep_stale_uploads()  # once per server process (cached): upload folders a crashed server left behind
nav = st.navigation([st.Page(page_start, title="formcheck", icon=APP_ICON, default=True), *pages], position="hidden")
with st.sidebar:  # the menu, without the start page (it only forwards to Live)
    for page in pages:
        st.page_link(page)
nav.run()
