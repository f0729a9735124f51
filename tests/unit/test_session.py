"""Routine sessions: clips matched to a plan's checked items, each set analysed by its own analyzer, one report.

Covers the matching (one clip per item or per set, typed errors otherwise), the item's tempo reaching its analyzer,
failures recorded without stopping the session, what gets ticked, and ``formcheck session`` / ``formcheck
exercises`` end to end on synthetic poses with a known number of reps.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from formcheck.cli import main
from formcheck.config import Config
from formcheck.engine import registry
from formcheck.errors import NoPersonError, PlanMismatchError
from formcheck.io.cache import save_pose_cache
from formcheck.routine import Exercise, Plan, Routine, default_routine, routine_to_toml
from formcheck.session import checkable_steps, match_clips, not_checked_note, run_session, step_config
from formcheck.store import Store
from formcheck.types import Analysis

sys.path.insert(0, str(Path(__file__).parent / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder

SPECS = (
    SimpleNamespace(name="hinge", title="Hip hinge", positions=("standing", "seated")),
    SimpleNamespace(name="glute_bridge", title="Glute bridge", positions=("supine",)),
)


def plan() -> Plan:
    return Plan(
        "A",
        "Test plan",
        (
            Exercise("hip_hinge", "Hip hinge", 2, 8, "standing", "hinge", tempo="3-1-2-1"),
            Exercise("breathing", "Box breathing", 1, 5, "supine", "breathing",
                     camera_note="Breathing is not movement the camera can judge."),
            Exercise("glute_bridge", "Glute bridge", 3, 10, "supine", "bridge"),
        ),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("n_clips", "labels"),
    [
        (2, ["Hip hinge", "Glute bridge"]),  # one clip per checked item
        (5, ["Hip hinge, set 1 of 2", "Hip hinge, set 2 of 2", "Glute bridge, set 1 of 3",
             "Glute bridge, set 2 of 3", "Glute bridge, set 3 of 3"]),  # one per set
    ],
)  # fmt: skip
def test_clips_match_the_checked_items_in_order(n_clips, labels):
    pairs = match_clips(plan(), [f"c{i}.mp4" for i in range(n_clips)], specs=SPECS)
    assert [s.label for s, _ in pairs] == labels
    assert [c for _, c in pairs] == [f"c{i}.mp4" for i in range(n_clips)]
    assert {s.analyzer for s, _ in pairs} == {"hinge", "glute_bridge"}


@pytest.mark.parametrize("n_clips", [1, 3, 4, 6])
def test_a_count_that_fits_neither_way_is_a_typed_error_naming_the_items(n_clips):
    with pytest.raises(PlanMismatchError) as e:
        match_clips(plan(), ["c.mp4"] * n_clips, specs=SPECS)
    text = str(e.value)
    assert f"Got {n_clips} clip(s)" in text and "2 (one per item) or 5 (one per set)" in text
    assert "hip_hinge (hinge, 2 sets); glute_bridge (glute_bridge, 3 sets)" in text
    assert e.value.exit_code == 2


def test_items_choose_and_order_the_clips():
    steps = checkable_steps(plan(), items=["glute_bridge", "hip_hinge"], specs=SPECS)
    assert [s.item.key for s in steps] == ["glute_bridge", "hip_hinge"]
    with pytest.raises(PlanMismatchError, match="Box breathing is not checked by the camera: Breathing is not"):
        checkable_steps(plan(), items=["breathing"], specs=SPECS)
    with pytest.raises(PlanMismatchError, match="no item 'plank'"):
        checkable_steps(plan(), items=["plank"], specs=SPECS)


def test_a_plan_with_nothing_to_film_says_so():
    only = Plan("B", "t", (Exercise("walk", "Walk", 1, 1, "standing", "walking"),))
    with pytest.raises(PlanMismatchError, match="Nothing in plan B is checked by the camera"):
        match_clips(only, ["c.mp4"], specs=SPECS)


def test_each_set_gets_its_items_tempo_for_its_analyzer():
    step = checkable_steps(plan())[0]
    cfg = step_config(step, Config())
    assert tuple(cfg.exercise_config("hinge").target_tempo_s) == (3.0, 1.0, 2.0, 1.0)
    bridge = checkable_steps(plan())[1]
    assert step_config(bridge, Config()) == Config()  # no tempo in the plan: the analyzer's own


def _default_item(key: str):
    for p in default_routine().plans.values():
        for e in p.exercises:
            if e.key == key:
                return e
    raise AssertionError(f"no {key} in the default routine")


def test_a_plan_hold_becomes_the_analyzers_hold_target():
    from formcheck.session import PlanStep

    bird = _default_item("bird_dog")
    assert bird.hold_s == 3.0 and not bird.tempo
    cfg = step_config(PlanStep(bird, "bird_dog"), Config()).exercise_config("bird_dog")
    own = Config().exercise_config("bird_dog").target_tempo_s
    assert cfg.target_tempo_s[1] == 3.0  # hold at full reach, as prescribed (the analyzer's own is 2 s)
    assert tuple(cfg.target_tempo_s[::2]) == tuple(own[::2])  # reaching and returning untouched
    pallof = Exercise("pallof", "Pallof press", 2, 8, "standing", "anti-rotation", hold_s=5.0)
    pcfg = step_config(PlanStep(pallof, "pallof_press"), Config()).exercise_config("pallof_press")
    assert pcfg.hold_min_s == 5.0 and pcfg.target_tempo_s[1] == 5.0


def test_a_plan_rep_time_scales_the_analyzers_tempo():
    from formcheck.session import PlanStep

    slow = Exercise("cat_camel", "Cat-camel", 1, 8, "quadruped", "spinal mobility", rep_s=11.0)
    cfg = step_config(PlanStep(slow, "cat_camel"), Config()).exercise_config("cat_camel")
    own = Config().exercise_config("cat_camel").target_tempo_s
    assert tuple(own) == (1.5, 1.0, 2.0, 1.0)  # the analyzer's own, 5.5 s: 11 s is exactly twice it
    assert tuple(cfg.target_tempo_s) == (3.0, 2.0, 4.0, 2.0)


@pytest.mark.parametrize(
    ("rep_s", "expected"),
    [
        (5.0, (1.5, 1.0, 2.0, 1.0)),  # the B plan's cat-camel: was 1.36364-0.909091-1.81818-0.909091
        (4.0, (1.0, 0.5, 1.5, 0.5)),  # 1.09-0.73-1.45-0.73: half seconds under 2 s
        (8.0, (2.0, 1.5, 3.0, 1.5)),  # 2.18-1.45-2.91-1.45: whole seconds from 2 s
        (1.0, (0.5, 0.5, 0.5, 0.5)),  # a phase that is there stays at least half a second
    ],
)
def test_scaled_tempo_targets_are_times_a_person_can_follow(rep_s, expected):
    from formcheck.session import PlanStep

    item = Exercise("cat_camel", "Cat-camel", 1, 8, "quadruped", "spinal mobility", rep_s=rep_s)
    cfg = step_config(PlanStep(item, "cat_camel"), Config()).exercise_config("cat_camel")
    assert tuple(cfg.target_tempo_s) == expected


def test_the_cli_focus_next_uses_the_sets_scaled_targets(routine_file, tmp_path, capsys, monkeypatch):
    """The set's "focus next" and its cues name the same target: the plan's, not the analyzer's default."""
    import formcheck.analyze
    import formcheck.cli as cli
    from formcheck.engine.judgement import record
    from formcheck.types import Quality, Rep

    r = Routine(plans={"A": plan(), "B": Plan("B", "B", (Exercise("cat_camel", "Cat-camel", 1, 8, "quadruped",
                                                                   "spinal mobility", rep_s=11.0),))})  # fmt: skip
    routine_file.write_text(routine_to_toml(r), encoding="utf-8")

    def fake(seq, exercise, cfg):
        rep = Rep(index=1, start_s=0.0, bottom_s=1.0, end_s=3.0, eccentric_s=0.7, bottom_pause_s=0.5,
                  concentric_s=1.0, top_pause_s=1.0, time_under_tension_s=2.2, rom_deg=80.0)  # fmt: skip
        q = Quality(view="side", facing="right", side_used="right", frames_total=90, person_fraction=1.0,
                    full_body_fraction=1.0, position="quadruped")  # fmt: skip
        return Analysis(exercise, (rep,), (), q, settings={"judged_with": record(cfg, exercise)})

    monkeypatch.setattr(cli, "_load_sequence", lambda *a, **k: None)
    monkeypatch.setattr(formcheck.analyze, "analyze_sequence", fake)
    assert main(["session", "--plan", "B", "--routine", str(routine_file), "c.mp4", "--quiet"]) == 0
    focus = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("focus next:"))
    assert "over 3 s" in focus and "1.5 s" not in focus, focus  # 11 s a rep: 3-2-4-2 (default 1.5-1-2-1)


def test_a_plan_hold_leaves_a_hold_analyzers_minimum_alone():
    from formcheck.session import PlanStep

    sphinx = _default_item("sphinx")
    assert sphinx.hold_s == 20.0
    # min_hold_s is when a still body starts to count as holding, not a target: 20 s would hide a 19 s hold.
    assert step_config(PlanStep(sphinx, "prone_extension"), Config()) == Config()


FULL = 10  # reps: a full set of every item of plan() (hip hinge 8, glute bridge 10); fewer is a short set


def fake_analysis(exercise: str, n_reps: int) -> Analysis:
    a = make_analysis(rep_plan(max(n_reps, 1)), exercise=exercise)
    return dataclasses.replace(a, reps=a.reps[:n_reps])


def test_a_failed_set_is_recorded_and_the_session_goes_on():
    calls = []

    def analyse(clip, step, cfg):
        calls.append((clip, step.analyzer, cfg.exercise_config("hinge").target_tempo_s))
        if clip == "dark.mp4":
            raise NoPersonError("Nobody was found.")
        return fake_analysis(step.analyzer, 0 if clip == "empty.mp4" else 2)

    r = run_session(plan(), ["h1.mp4", "dark.mp4", "b1.mp4", "b2.mp4", "empty.mp4"], analyse, specs=SPECS)
    assert [c[0] for c in calls] == ["h1.mp4", "dark.mp4", "b1.mp4", "b2.mp4", "empty.mp4"]
    assert calls[0][2] == (3.0, 1.0, 2.0, 1.0)  # the plan's tempo reached the hinge
    assert [s.source for s in r.failed] == ["dark.mp4"] and r.failed[0].exit_code == 4
    assert len(r.analyses) == 4
    # hinge: one of its two sets failed; bridge: its third set found no rep -> nothing ticked by the camera
    assert r.items_done() == []
    assert [c.key for c in r.unchecked] == ["breathing"]
    d = r.to_json_dict()
    assert d["schema"] == "formcheck.session/1" and len(d["sets"]) == 5
    assert d["sets"][1]["error"] == "Nobody was found." and d["sets"][1]["analysis"] is None
    assert d["not_checked"] == [{"item": "breathing", "name": "Box breathing",
                                 "why": "Breathing is not movement the camera can judge."}]  # fmt: skip

    ok = run_session(plan(), ["h.mp4", "b.mp4"], lambda c, s, cfg: fake_analysis(s.analyzer, FULL), specs=SPECS)
    assert ok.items_done() == ["hip_hinge", "glute_bridge"] and not ok.failed


def test_a_set_judged_as_another_position_is_not_ticked_and_says_why():
    """A bridge filmed for the standing hip hinge: reps were found, but the position check withheld the verdict."""
    from formcheck.types import Quality

    def analyse(clip, step, cfg):
        a = fake_analysis(step.analyzer, FULL)
        if clip == "bridge.mp4":
            a = dataclasses.replace(a, quality=dataclasses.replace(a.quality, position="supine"))
        return a

    r = run_session(plan(), ["bridge.mp4", "b.mp4"], analyse, specs=SPECS)
    assert r.items_done() == ["glute_bridge"]
    ((name, why),) = r.not_done()
    assert name == "Hip hinge"
    assert "looks like a supine exercise, not the hip hinge" in why and "not judged" in why
    assert Quality().position == "unknown"  # an unknown position is never a mismatch: such a set still counts
    recognised = fake_analysis("hinge", FULL)
    recognised = dataclasses.replace(recognised, quality=dataclasses.replace(recognised.quality,
                                                                         recognised_as="glute_bridge"))  # fmt: skip
    r = run_session(plan(), ["h.mp4", "b.mp4"], lambda c, s, cfg: recognised if s.analyzer == "hinge"
                    else fake_analysis(s.analyzer, FULL), specs=SPECS)  # fmt: skip
    assert r.not_done() == [("Hip hinge", "this set looks like a glute bridge, not the hip hinge, so it was not "
                                          "judged as that exercise")]  # fmt: skip
    ok = run_session(plan(), ["h.mp4", "b.mp4"], lambda c, s, cfg: fake_analysis(s.analyzer, FULL), specs=SPECS)
    assert ok.items_done() == ["hip_hinge", "glute_bridge"] and ok.not_done() == []


def test_not_checked_note():
    r = run_session(plan(), ["h.mp4", "b.mp4"], lambda c, s, cfg: fake_analysis(s.analyzer, FULL), specs=SPECS)
    assert not_checked_note(r.unchecked) == "Not checked by the camera: Box breathing."
    assert not_checked_note(r.unchecked, ["breathing"]) == "Also done, not checked by the camera: Box breathing."
    assert not_checked_note(()) == ""


# -- CLI ------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def poses(tmp_path_factory):
    """Synthetic pose files with a known number of reps, from each analyzer's own generator."""
    out = {}
    folder = tmp_path_factory.mktemp("poses")
    for name, n in (("hinge", 3), ("glute_bridge", 2)):
        path = folder / f"{name}.npz"
        save_pose_cache(registry.get_spec(name).synth(n_reps=n, facing=1, fps=30.0, seed=1).seq, path)
        out[name] = path
    return out


@pytest.fixture()
def routine_file(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "data" / "history.sqlite3"))
    r = Routine(plans={"A": plan(), "B": default_routine().plans["B"]})
    path = tmp_path / "routine.toml"
    path.write_text(routine_to_toml(r), encoding="utf-8")
    return path


def test_cli_session_runs_the_plan_and_writes_one_report(poses, routine_file, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["session", "--plan", "a", "--routine", str(routine_file), str(poses["hinge"]),
                 str(poses["glute_bridge"]), "--report", str(out / "s.html"), "--json", str(out / "s.json"),
                 "--tick", "--quiet"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "=== Hip hinge — hinge.npz" in captured.out
    assert "=== Glute bridge — glute_bridge.npz" in captured.out
    assert "(glute_bridge)" not in captured.out and "(hinge)" not in captured.out  # no raw key shown to a patient
    assert "2 of 2 filmed sets analysed" in captured.out
    assert "Box breathing: not checked by the camera: Breathing is not movement" in captured.out
    data = json.loads((out / "s.json").read_text())
    assert [(s["analyzer"], len(s["analysis"]["reps"])) for s in data["sets"]] == [("hinge", 3), ("glute_bridge", 2)]
    assert data["sets"][0]["analysis"]["settings"]["target_tempo_s"] == "3-1-2-1"  # the plan's, not the default
    html = (out / "s.html").read_text()
    assert "Hip hinge" in html and "Glute bridge" in html and "Not checked by the camera: Box breathing." in html
    # formcheck's line has its own heading: with no --notes given there are no "notes from your therapist"
    assert "Not filmed in this session" in html and "Notes from your therapist" not in html
    import datetime as dt

    # 3 of the 8 hinge reps and 2 of the 10 bridge reps prescribed were filmed: partly done, not ticked as done
    # (an acceptance check found such sets ticked "checked on video"); 'formcheck checklist' says so
    ticks = {(c.plan, c.item, c.done, c.how, c.detail) for c in Store().checks(dt.date.today(), dt.date.today())}
    assert ticks == {("A", "hip_hinge", False, "partly", "3 of 8 reps"),
                     ("A", "glute_bridge", False, "partly", "2 of 10 reps")}  # fmt: skip
    assert ("not ticked: Hip hinge — partly done on video (3 of 8 reps); tick it by hand with 'formcheck checklist "
            "--plan A --tick hip_hinge' if you did the rest") in captured.err  # fmt: skip
    assert "ticked nothing on today's checklist (plan A)" in captured.err
    partly = [{"item": "hip_hinge", "done": "3 of 8 reps"}, {"item": "glute_bridge", "done": "2 of 10 reps"}]
    assert data["items_done"] == [] and data["items_partly"] == partly
    assert [s["prescription_met"] for s in data["sets"]] == [False, False]


@pytest.mark.parametrize(
    ("extra", "code", "words"),
    [
        ([], 2, "Got 1 clip(s); give 2 (one per item) or 5 (one per set)"),
        (["--items", "breathing"], 2, "Box breathing is not checked by the camera"),
        (["--report", "x.csv"], 2, "A session report is HTML or PDF"),
        (["--items", "glute_bridge", "--report", "x.pdf"], 0, ""),
    ],
)
def test_cli_session_errors_are_plain(poses, routine_file, tmp_path, capsys, monkeypatch, extra, code, words):
    monkeypatch.chdir(tmp_path)
    got = main(["session", "--plan", "A", "--routine", str(routine_file), str(poses["glute_bridge"]), "--quiet",
                *extra])  # fmt: skip
    err = capsys.readouterr().err
    assert got == code, err
    assert words in err
    if code == 0:
        assert (tmp_path / "x.pdf").read_bytes()[:5] == b"%PDF-"


def test_cli_session_a_missing_clip_fails_that_set_only(poses, routine_file, tmp_path, capsys):
    got = main(["session", "--plan", "A", "--routine", str(routine_file), str(tmp_path / "gone.mp4"),
                str(poses["glute_bridge"]), "--quiet", "--report", str(tmp_path / "s.html")])  # fmt: skip
    captured = capsys.readouterr()
    assert got == 3  # unreadable input, after the other set was analysed and reported
    assert "1 of 2 filmed sets analysed" in captured.out and "could not be analysed" in captured.out
    assert (tmp_path / "s.html").exists() and "gone.mp4" in captured.err


def test_cli_session_says_per_set_why_a_set_does_not_count(poses, routine_file, tmp_path, capsys):
    # The bridge's pose file given for the hip hinge item: analysed as named and withheld. The terminal says it under
    # the set (not only the report and --tick), and the JSON carries it per set.
    out = tmp_path / "s.json"
    code = main(["session", "--plan", "A", "--routine", str(routine_file), "--items", "hip_hinge",
                 str(poses["glute_bridge"]), "--quiet", "--json", str(out)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "  not counted as hip hinge: this set looks like" in captured.out
    s = json.loads(out.read_text())["sets"][0]
    assert s["counted"] is False and s["why_not_counted"].startswith("this set looks like")


def test_cli_session_failure_line_names_the_file_once(routine_file, tmp_path, capsys):
    bad = tmp_path / "notvideo.mp4"
    bad.write_text("shopping list\n" * 50)
    got = main(["session", "--plan", "A", "--routine", str(routine_file), "--items", "hip_hinge", str(bad), "--quiet"])
    err = capsys.readouterr().err
    assert got == 3
    line = [ln for ln in err.splitlines() if ln.startswith("formcheck: ")][-1]
    assert line.count("notvideo.mp4") == 1, line


def test_cli_session_save_puts_the_sets_in_the_history(poses, routine_file, tmp_path, capsys):
    code = main(["session", "--plan", "A", "--routine", str(routine_file), str(poses["hinge"]),
                 str(poses["glute_bridge"]), "--quiet", "--save", "--session-time", "2026-12-05T09:30"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    rows = Store().sets()
    assert [(r.exercise, r.video_name, r.created_at[:10]) for r in rows] == [
        ("hinge", "hinge.npz", "2026-12-05"), ("glute_bridge", "glute_bridge.npz", "2026-12-05")]  # fmt: skip
    assert len({r.session_id for r in rows}) == 1  # one session, as the app's plan run saves it
    assert main(["history", "--days", "10000"]) == 0
    assert "2 sets" in capsys.readouterr().out


def test_cli_exercises_lists_the_registry_from_its_specs(capsys):
    assert main(["exercises", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [x["name"] for x in data["exercises"]] == list(registry.names())
    for x in data["exercises"]:
        spec = registry.get_spec(x["name"])
        assert (x["title"], x["positions"], x["views"], x["measures"]) == (
            spec.title, list(spec.positions), list(spec.views), spec.measures)  # fmt: skip
        assert {n["key"] for n in x["numbers"]} <= {m.key for m in spec.metrics}
        assert x["limits"] == list(spec.limits)
    assert main(["exercises"]) == 0
    text = capsys.readouterr().out
    for spec in registry.specs():
        assert f"{spec.name} — {spec.title}\n" in text and spec.measures in text


def test_cli_routine_shows_each_items_camera_check(routine_file, capsys):
    assert main(["routine", "--routine", str(routine_file)]) == 0
    text = capsys.readouterr().out
    assert "  - Hip hinge: 2 × 8, tempo 3-1-2-1 · standing  [the camera can check it (Hip hinge)]" in text
    assert "  - Box breathing: 1 × 5 · supine  [not checked by the camera: Breathing is not movement the camera" in text


def test_cli_routine_gives_each_items_dose_in_plain_words(tmp_path, capsys, monkeypatch):
    """The dose as the calendar file gives it; the position in words; the duration said once."""
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "routine.toml"
    path.write_text(routine_to_toml(default_routine()), encoding="utf-8")
    assert main(["routine", "--routine", str(path)]) == 0
    text = capsys.readouterr().out
    assert ("Side plank (knees or feet): 2 × 20 s hold per side · side-lying  [the camera can check it (Side plank)]"
            in text)  # fmt: skip
    assert "Bird-dog: 2 × 6 per side, hold 3 s · quadruped" in text
    assert "Cat-camel: 1 × 8, slow (about 5 s a rep) · quadruped" in text
    assert "side_lying" not in text and "camera: " not in text.replace("by the camera: ", "")  # no raw key
    assert "Bird-dog: 2 × 6 per side, hold 3 s · quadruped  [the camera can check it (Bird-dog)]" in text
    b_head = next(ln for ln in text.splitlines() if ln.startswith("B plan"))
    assert b_head == "B plan — flare-up or travel (about 5 minutes)"  # not "... (about 5 minutes) — about 6 min"
    assert next(ln for ln in text.splitlines() if ln.startswith("A plan")).endswith(" min")


def test_cli_session_time_dates_the_tick_as_the_report(routine_file, tmp_path, capsys, monkeypatch):
    """--session-time dates the checklist row too: the report and the history agree on the day."""
    import datetime as dt

    import formcheck.analyze
    import formcheck.cli as cli

    monkeypatch.setattr(cli, "_load_sequence", lambda *a, **k: None)
    monkeypatch.setattr(formcheck.analyze, "analyze_sequence", lambda seq, ex, cfg: fake_analysis(ex, FULL))
    code = main(["session", "--plan", "A", "--routine", str(routine_file), "h.mp4", "b.mp4", "--tick", "--quiet",
                 "--session-time", "2026-12-05T09:30"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    day = dt.date(2026, 12, 5)
    assert {(c.day, c.item) for c in Store().checks(day, day) if c.done} == {
        ("2026-12-05", "hip_hinge"), ("2026-12-05", "glute_bridge")}  # fmt: skip
    assert "on the 2026-12-05 checklist" in err


def test_cli_session_ticks_the_day_the_first_video_was_recorded(routine_file, tmp_path, capsys, monkeypatch):
    """Without --session-time the report dates the session from the first video: the tick takes the same day."""
    import datetime as dt
    import os

    import formcheck.analyze
    import formcheck.cli as cli
    from formcheck.types import VideoInfo

    clips = [tmp_path / "h.mp4", tmp_path / "b.mp4"]
    yesterday = dt.datetime.now() - dt.timedelta(days=1)
    for clip in clips:
        clip.write_bytes(b"not a real video")  # no creation tag: its file time dates it
        os.utime(clip, (yesterday.timestamp(), yesterday.timestamp()))
    videos = iter(clips)

    def analyse(seq, ex, cfg):
        return dataclasses.replace(fake_analysis(ex, FULL), video=VideoInfo(str(next(videos)), 640, 480, 30.0, 90, 3.0))

    monkeypatch.setattr(cli, "_load_sequence", lambda *a, **k: None)
    monkeypatch.setattr(formcheck.analyze, "analyze_sequence", analyse)
    code = main(["session", "--plan", "A", "--routine", str(routine_file), *map(str, clips), "--tick", "--quiet"])
    err = capsys.readouterr().err
    assert code == 0, err
    day = yesterday.date()
    assert {c.item for c in Store().checks(day, day) if c.done} == {"hip_hinge", "glute_bridge"}
    assert not [c for c in Store().checks(dt.date.today(), dt.date.today()) if c.done]
    assert f"on the {day.isoformat()} checklist" in err


def test_cli_session_says_which_items_were_not_ticked_and_why(routine_file, capsys, monkeypatch):
    import formcheck.analyze
    import formcheck.cli as cli

    def analyse(seq, ex, cfg):
        a = fake_analysis(ex, FULL)
        return dataclasses.replace(a, quality=dataclasses.replace(a.quality, position="supine")) if ex == "hinge" else a

    monkeypatch.setattr(cli, "_load_sequence", lambda *a, **k: None)
    monkeypatch.setattr(formcheck.analyze, "analyze_sequence", analyse)
    assert main(["session", "--plan", "A", "--routine", str(routine_file), "h.mp4", "b.mp4", "--tick", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "ticked glute_bridge on today's checklist" in err
    assert "not ticked: Hip hinge — this set looks like a supine exercise, not the hip hinge" in err


@pytest.mark.parametrize(
    ("before", "says", "stored"),
    [
        (None, "not ticked: Hip hinge — partly done on video (3 of 8 reps); tick it by hand with 'formcheck checklist "
               "--plan A --day 2026-12-05 --tick hip_hinge' if you did the rest", (False, "partly", "3 of 8 reps")),
        ("hand", "Hip hinge: partly done on video (3 of 8 reps); it stays ticked (ticked by hand)",
         (True, "hand", None)),
        ("video", "Hip hinge: partly done on video (3 of 8 reps); it stays ticked (checked on video)",
         (True, "video", None)),
    ],
)  # fmt: skip
def test_cli_session_tick_a_short_set_is_partly_done(routine_file, capsys, monkeypatch, before, says, stored):
    """Acceptance finding F2: a set with 3 of the 8 reps prescribed was ticked "checked on video". Now it is partly
    done, says how to tick it by hand (the command works as printed), and never undoes an earlier tick."""
    import datetime as dt

    import formcheck.analyze
    import formcheck.cli as cli

    day = dt.date(2026, 12, 5)
    if before is not None:
        Store().set_check(day, "A", "hip_hinge", True, how=before)
    monkeypatch.setattr(cli, "_load_sequence", lambda *a, **k: None)
    monkeypatch.setattr(formcheck.analyze, "analyze_sequence",
                        lambda seq, ex, cfg: fake_analysis(ex, 3 if ex == "hinge" else FULL))  # fmt: skip
    code = main(["session", "--plan", "A", "--routine", str(routine_file), "h.mp4", "b.mp4", "--tick", "--quiet",
                 "--session-time", "2026-12-05T09:30"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert "ticked glute_bridge on the 2026-12-05 checklist (plan A)" in err
    assert says in err.splitlines()
    got = {c.item: (c.done, c.how, c.detail) for c in Store().checks(day, day)}
    assert got == {"hip_hinge": stored, "glute_bridge": (True, "video", None)}
    if before is None:  # the hint's command, as printed: the item is then ticked by hand
        command = says.split("'")[1].split()
        assert main([command[1], "--routine", str(routine_file), *command[2:]]) == 0
        assert "ticked by hand: Hip hinge" in capsys.readouterr().out
        assert [(c.done, c.how) for c in Store().checks(day, day) if c.item == "hip_hinge"] == [(True, "hand")]
