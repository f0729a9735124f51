"""The report names every exercise's rep phases in that exercise's words (ExerciseSpec.phases), never the hinge's
on a bridge, a dead bug or a cat-camel: tables, tempo summary, evidence labels, the tempo chart, key-frame captions,
and the lowering-speed sentence says what it measured."""

from __future__ import annotations

import dataclasses

import pytest
from fc_report_builders import make_analysis, make_rep, rep_plan

from formcheck.config import Config
from formcheck.engine import registry
from formcheck.engine.spec import HINGE_PHASES, PHASE_KEYS
from formcheck.report import content as rc
from formcheck.report.keyframes import KeyFrame
from formcheck.report.plots import tempo_figure
from formcheck.types import Cue

CFG = Config()
SPECS = {s.name: s for s in registry.specs()}
WITH_REPS = sorted(n for n, s in SPECS.items() if s.phases.has_reps)
OWN_WORDS = sorted(n for n in WITH_REPS if SPECS[n].phases != HINGE_PHASES)
HINGE_COLUMNS = {"Lower s", "Rise s", "Top s"}


def _analysis(name: str, tempo=(1.2, 0.4, 1.2, 1.0)):
    reps = [dataclasses.replace(r, classification="") for r in rep_plan(3, tempo=tempo)]
    return make_analysis(reps, exercise=name)


def test_own_words_cover_every_exercise_not_lowered_first():
    assert {"glute_bridge", "dead_bug", "bird_dog", "cat_camel"} <= set(OWN_WORDS)


@pytest.mark.parametrize("name", OWN_WORDS)
def test_rep_table_columns_are_the_exercise_phases(name):
    words = SPECS[name].phases
    headers = rc.rep_table(_analysis(name), CFG).headers
    assert [h for h in headers if h.endswith(" s") and h != "Start s"][:4] == [
        f"{words.column(k).capitalize()} s" for k in PHASE_KEYS
    ]
    assert not HINGE_COLUMNS & set(headers), headers
    assert len(set(headers)) == len(headers), headers


@pytest.mark.parametrize("name", OWN_WORDS)
def test_tempo_summary_is_in_the_exercise_order(name):
    facts = dict(rc.summary_facts(_analysis(name), CFG))
    assert f"Tempo ({SPECS[name].phases.order})" in facts
    assert "Tempo (lower-pause-rise-top)" not in facts


@pytest.mark.parametrize("name", OWN_WORDS)
def test_tempo_chart_legend_is_the_exercise_phases(name):
    ax = tempo_figure(_analysis(name), CFG).axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == list(SPECS[name].phases.names)


def test_plank_summary_has_no_tempo():
    an = make_analysis([], exercise="plank")
    assert not any(k.startswith("Tempo") for k, _ in rc.summary_facts(an, CFG))


def test_bridge_hold_evidence_says_hold_at_the_top():
    """glutebridge_oblique_trajnovd_6: "Hold the top for 2 s — that one was 0.4 s" came with the evidence
    "Pause at the bottom 0.402 s" and sat under a "pause s" column beside a "top s" column of 1.0."""
    spec = SPECS["glute_bridge"]
    cue = Cue("bridge.top_hold", 40, "info", "Hold the top for 2 s", rep_index=1, metric="bottom_pause_s",
              value=0.402, threshold=1.3, t_s=1.9)  # fmt: skip
    assert rc.evidence_text(cue, spec).startswith("Hold at the top 0.40 s, limit 1.30 s")  # as the table, not 0.402
    assert rc.evidence_text(dataclasses.replace(cue, metric="eccentric_s"), spec).startswith("Hips up time")
    # the hinge keeps its words
    assert rc.evidence_text(cue, SPECS["hinge"]).startswith("Pause at the bottom")


@pytest.mark.parametrize(("moment", "said"), [("deepest point", "Rep 1, deepest point at 2.0 s"),
                                              ("top of the bridge", "Rep 1, top of the bridge at 2.0 s")])  # fmt: skip
def test_key_frame_caption_names_what_it_shows(moment, said):
    assert KeyFrame("Rep 1", 1, 2.0, b"", 1, 1, None, moment).caption == said


def test_bridge_key_frames_are_captioned_top_of_the_bridge():
    assert SPECS["glute_bridge"].phases.turn == "top of the bridge"


@pytest.mark.parametrize(
    ("ecc_s", "good"),
    [(3.0, True), (3.4, True), (2.3, False)],  # 2.3 s against a 3 s aim is inside the cue's tolerance, not "good"
)
def test_lowering_speed_sentence_says_good_only_at_the_aim(ecc_s, good):
    an = make_analysis(rep_plan(3, tempo=(ecc_s, 1.0, 2.0, 1.0)))
    said = [s for s in rc.patient_summary(an, CFG) if "lower" in s.lower() and "aim" in s]
    assert len(said) == 1, rc.patient_summary(an, CFG)
    assert ("good" in said[0]) is good and f"{ecc_s:.1f} s" in said[0]


def test_rep_table_of_a_known_rep_keeps_the_hinge_columns():
    headers = rc.rep_table(make_analysis([make_rep()]), CFG).headers
    assert {"Lower s", "Pause s", "Rise s", "Top s"} <= set(headers)


@pytest.mark.parametrize(("name", "target"), [("side_plank", False), ("glute_bridge", True), ("hinge", True)])
def test_a_target_tempo_only_where_tempo_is_judged(name, target):
    """sideplank_oblique_afyalite_1: "target 3 / 1 / 2 / 1" beside arm reaches no rule paces."""
    facts = dict(rc.summary_facts(_analysis(name), CFG))
    tempo = next(v for k, v in facts.items() if k.startswith("Tempo"))
    assert ("target" in tempo) is target
    ticks = [t.get_text() for t in tempo_figure(_analysis(name), CFG).axes[0].get_yticklabels()]
    assert ("target" in ticks) is target
