"""Run plan A/B on the Routine page: the run's state, and the section driven through Streamlit's AppTest.

The AppTest uploads synthetic pose files (each analyzer's own generator, known number of reps) for the plan's
checked items, ticks the item the camera does not check, finishes, and checks the history, the checklist and the
session report against that truth.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from formcheck.engine import registry
from formcheck.errors import InputError
from formcheck.io.cache import save_pose_cache
from formcheck.routine import Exercise, Plan, Routine, default_routine, save_routine
from formcheck.session import SessionSet
from formcheck.store import Store
from formcheck.ui.routine_run import check_upload_name, start_run

SPECS = (
    SimpleNamespace(name="hinge", title="Hip hinge", positions=("standing",)),
    SimpleNamespace(name="glute_bridge", title="Glute bridge", positions=("supine",)),
)


def plan() -> Plan:
    return Plan(
        "A",
        "Test plan",
        (
            Exercise("hip_hinge", "Hip hinge", 2, 3, "standing", "hinge", tempo="3-1-2-1"),  # 3 reps filmed: met
            Exercise("breathing", "Box breathing", 1, 5, "supine", "breathing",
                     camera_note="Breathing is not movement the camera can judge."),
            Exercise("glute_bridge", "Glute bridge", 1, 10, "supine", "bridge"),  # 2 of 10 filmed: a short set
        ),
    )  # fmt: skip


def test_a_run_steps_through_the_checked_items_and_can_skip_or_stop():
    run = start_run(plan(), specs=SPECS)
    assert [s.item.key for s in run.steps] == ["hip_hinge", "glute_bridge"]
    assert len(start_run(plan(), per_set=True, specs=SPECS).steps) == 3  # 2 hinge sets + 1 bridge set
    assert run.current.item.key == "hip_hinge" and not run.at_end
    run = run.record(SessionSet(run.current, "a.mp4", None, "Nobody was found.", 4))
    assert run.current.item.key == "glute_bridge"
    skipped = run.skip()
    assert skipped.at_end and skipped.current is None and len(skipped.sets) == 1
    assert run.stop().at_end
    result = skipped.result(plan(), SPECS)
    assert [c.key for c in result.unchecked] == ["breathing"] and result.items_done() == []


@pytest.mark.parametrize(
    ("name", "size", "ok"),
    [("set.mp4", 10, True), ("poses.npz", 10, True), ("poses.npz", 0, False), ("notes.txt", 10, False)],
)
def test_uploads_are_videos_or_pose_files(name, size, ok):
    if ok:
        check_upload_name(name, size, 200)
    else:
        with pytest.raises(InputError):
            check_upload_name(name, size, 200)


def app_script():
    from formcheck.config import Config
    from formcheck.routine import load_routine
    from formcheck.store import Store
    from formcheck.ui.routine_run import run_section

    run_section(load_routine(), Store(), Config())


@pytest.fixture()
def app_env(app_env):  # conftest's fresh data folder, with this test's plan A saved
    tmp_path = app_env
    save_routine(Routine(plans={"A": plan(), "B": default_routine().plans["B"]}))
    poses = {}
    for name, n in (("hinge", 3), ("glute_bridge", 2)):
        path = tmp_path / f"{name}.npz"
        save_pose_cache(registry.get_spec(name).synth(n_reps=n, facing=1, fps=30.0, seed=2).seq, path)
        poses[name] = path.read_bytes()
    return poses


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_app_runs_plan_a_and_makes_one_session_report(app_env):
    at = AppTest.from_function(app_script, default_timeout=60)
    at.run()
    assert not at.exception
    button(at, "Run plan A").click().run()
    assert "Hip hinge" in at.markdown[1].value and "hip hinge" in at.markdown[1].value  # step 1, its analyzer
    at.file_uploader[0].set_value(("hinge set.npz", app_env["hinge"], "application/octet-stream")).run()
    assert not at.exception
    assert any("Glute bridge" in m.value for m in at.markdown)  # step 2
    assert any("hinge set.npz: 3 reps" in m.value for m in at.markdown)
    at.file_uploader[0].set_value(("bridge.npz", app_env["glute_bridge"], "application/octet-stream")).run()
    assert any("bridge.npz: 2 reps" in m.value for m in at.markdown)
    # the end: the item the camera does not check is a tick, with why
    tick = next(c for c in at.checkbox if c.label == "Box breathing")
    assert "Breathing is not movement" in tick.help
    tick.check().run()
    button(at, "Save, tick today's checklist and make the report").click().run()
    assert not at.exception and not at.error
    assert "Ticked on today's checklist: Hip hinge, Box breathing." in at.success[0].value
    assert "2 sets saved" in at.success[0].value
    # the bridge's 2 of 10 reps: partly done, not ticked, and the page says so (it was ticked "on video" before)
    assert [w.value for w in at.warning] == ["Not ticked: Glute bridge — partly done on video (2 of 10 reps). Tick it "
                                             "in today's checklist above if you did the rest."]  # fmt: skip
    store = Store()
    today = dt.date.today()
    assert {(c.item, c.how) for c in store.checks(today, today) if c.done and c.plan == "A"} == {
        ("hip_hinge", "video"), ("breathing", "hand")}  # fmt: skip
    assert [(c.item, c.detail) for c in store.checks(today, today) if c.partly] == [("glute_bridge", "2 of 10 reps")]
    sessions = store.sessions()
    assert len(sessions) == 1 and sessions[0].n_sets == 2 and sessions[0].n_reps == 5
    assert sorted(s.exercise for s in store.sets()) == ["glute_bridge", "hinge"]
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Session report (HTML)", "Session report (PDF)"]
    state = at.session_state["plan_run"]
    html = state.reports[".html"].decode("utf-8")
    assert "Glute bridge" in html and "Also done, not checked by the camera: Box breathing." in html
    assert state.reports[".pdf"][:5] == b"%PDF-"


def test_app_a_bad_upload_is_recorded_and_the_run_goes_on(app_env):
    at = AppTest.from_function(app_script, default_timeout=60)
    at.run()
    button(at, "Run plan A").click().run()
    at.file_uploader[0].set_value(("empty.mp4", b"x" * 10, "video/mp4")).run()
    assert not at.exception
    assert any("empty.mp4: could not be analysed" in w.value for w in at.warning)
    button(at, "Skip this set").click().run()
    button(at, "Save, tick today's checklist and make the report").click().run()
    assert "Ticked on today's checklist: nothing" in at.success[0].value
    assert not at.get("download_button")  # nothing analysed, no report
    button(at, "Close this run").click().run()
    assert button(at, "Run plan B")


def test_app_uses_the_set_saved_on_the_live_page(app_env):
    from formcheck.analyze import analyze_sequence
    from formcheck.config import Config
    from formcheck.io.cache import load_pose_cache

    at = AppTest.from_function(app_script, default_timeout=60)
    at.run()
    button(at, "Run plan A").click().run()
    assert not [b for b in at.button if b.label == "Use the set saved on the Live page"]
    tmp = app_env  # the poses as a sequence: what the Live page would have saved
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "h.npz"
        p.write_bytes(tmp["hinge"])
        live = analyze_sequence(load_pose_cache(p), "hinge", Config())
    at.session_state["live_saved"] = live
    at.run()
    button(at, "Use the set saved on the Live page").click().run()
    assert any("live camera: 3 reps" in m.value for m in at.markdown)
    button(at, "Finish now").click().run()
    button(at, "Save, tick today's checklist and make the report").click().run()
    assert "0 sets saved" in at.success[0].value  # the Live page already saved it
    today = dt.date.today()
    assert {c.item for c in Store().checks(today, today) if c.done} == {"hip_hinge"}


ON_5TH = "the checklist of Saturday 5 December 2026"


@pytest.mark.parametrize(
    ("stays", "how", "line", "earlier"),
    [
        (False, None, "Not ticked: Glute bridge — partly done on video (2 of 10 reps). Tick it in today's checklist "
                      "above if you did the rest.",
         f"Not ticked: Glute bridge — partly done on video (2 of 10 reps), on {ON_5TH}."),
        (True, "video", "Glute bridge: partly done on video (2 of 10 reps); it stays ticked (checked on video) on "
                        "today's checklist.",
         f"Glute bridge: partly done on video (2 of 10 reps); it stays ticked (checked on video) on {ON_5TH}."),
        (True, "hand", "Glute bridge: partly done on video (2 of 10 reps); it stays ticked (ticked by hand) on "
                       "today's checklist.",
         f"Glute bridge: partly done on video (2 of 10 reps); it stays ticked (ticked by hand) on {ON_5TH}."),
    ],
)  # fmt: skip
def test_partly_done_lines_say_why_it_was_not_ticked_or_that_it_stays(stays, how, line, earlier):
    from formcheck.session import PartlyDone
    from formcheck.ui.routine_run import partly_lines

    p = PartlyDone("glute_bridge", "Glute bridge", "2 of 10 reps", stays, how)
    assert partly_lines([p]) == [line]
    # the videos were recorded on an earlier day: that day's checklist, which the page above does not show
    assert partly_lines([p], dt.date(2026, 12, 5), dt.date(2026, 12, 7)) == [earlier]
