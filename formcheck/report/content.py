"""What a report says, independent of its format (pure: analysis in, plain text and numbers out).

HTML and PDF lay out the same content: summary facts, the per-rep table, the cue list with evidence, a
plain-language summary for the patient, and what one camera cannot see. All strings here are plain text; each
writer escapes them for its format.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcheck.config import Config
from formcheck.cues import analysis_cues, is_correction, usable_rep_cues, view_allows_form_cues
from formcheck.types import Analysis, Cue, Quality, Rep

DEFAULT_LIMITS = (
    "One camera sees the body from one side: twisting and side-bending of the spine are invisible.",
    "The back-rounding number is an estimate from the outline of the back, not an X-ray; loose clothing, "
    "hair and a backpack change it.",
    "The centre of mass comes from average body proportions (de Leva 1996), not from your own body.",
    "Muscle tension, breathing, effort and pain cannot be seen on video.",
    "Centimetre figures assume the body height in the settings.",
)

SEVERITY_WEIGHT = {"safety": 10, "warn": 3, "info": 1, "praise": 0}


def _num(x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float | np.floating | np.integer):
        return math.nan
    x = float(x)
    return x if math.isfinite(x) else math.nan


def fmt(x: object, spec: str = ".0f", unit: str = "", missing: str = "–") -> str:
    """A number for display; ``missing`` for NaN/None/non-numbers."""
    v = _num(x)
    return missing if math.isnan(v) else f"{v:{spec}}{unit}"


def cues_of(analysis: Analysis, config: Config) -> tuple[Cue, ...]:
    """The analysis' cues, or freshly computed ones when it carries none (e.g. an older JSON)."""
    return analysis.cues if analysis.cues else analysis_cues(analysis, config)


def rep_score(rep: Rep, config: Config, quality: Quality | None = None) -> float:
    """How much needs fixing in a rep: severity-weighted number of corrections (0 = clean)."""
    cues = usable_rep_cues(rep, quality or Quality(view="side"), config)
    return float(sum(SEVERITY_WEIGHT.get(c.severity, 1) for c in cues if is_correction(c)))


def best_and_worst(analysis: Analysis, config: Config) -> tuple[Rep | None, Rep | None]:
    """The cleanest and the most faulty rep (ties: less/more back rounding, then earlier rep).

    The second is None when there is one rep or every rep earned the same corrections (nothing to contrast).
    """
    if not analysis.reps:
        return None, None

    def spine(r: Rep) -> float:
        v = _num(r.metrics.get("spine_flexion_est_deg"))
        return 0.0 if math.isnan(v) else v

    scored = [(rep_score(r, config, analysis.quality), spine(r), r.index, r) for r in analysis.reps]
    best = min(scored, key=lambda s: (s[0], s[1], s[2]))
    worst = max(scored, key=lambda s: (s[0], s[1], -s[2]))
    return best[3], (worst[3] if worst[0] > best[0] else None)


@dataclass(frozen=True)
class RepRow:
    """One row of the per-rep table as display strings, plus which columns carry a fault."""

    cells: tuple[str, ...]
    faulty: frozenset[int]
    cue_codes: tuple[str, ...]


REP_HEADERS = (
    "Rep",
    "Type",
    "Start s",
    "Lower s",
    "Pause s",
    "Rise s",
    "Top s",
    "Hip flexion °",
    "Trunk °",
    "Knee °",
    "Hip share",
    "Back rounding °",
    "CoM % foot",
    "Off midfoot s",
    "Cues",
)
# Which table column a cue code points at (to highlight the evidence).
_CODE_COLUMN = {
    "tempo.eccentric_fast": 3,
    "tempo.no_pause": 4,
    "tempo.concentric_fast": 5,
    "pattern.squat": 9,
    "knees.locked": 9,
    "pattern.stoop": 10,
    "spine.rounding": 11,
    "load.toes": 12,
    "load.heels": 12,
}


def rep_rows(analysis: Analysis, config: Config) -> list[RepRow]:
    """Display rows of the per-rep table (``REP_HEADERS``)."""
    rows = []
    for r in analysis.reps:
        m = r.metrics
        share = _num(m.get("hip_share"))
        err = _num(m.get("spine_flexion_est_err_deg"))
        spine = fmt(m.get("spine_flexion_est_deg"), ".0f")
        if spine != "–" and not math.isnan(err):
            spine += f" ±{err:.0f}"
        com_lo, com_hi = fmt(m.get("com_min_pct_foot")), fmt(m.get("com_max_pct_foot"))
        # every fault of the rep (the cue list may skip repeats), as far as the view supports judging it
        cues = [c for c in usable_rep_cues(r, analysis.quality, config) if is_correction(c)]
        codes = tuple(c.code for c in cues)
        cells = (
            str(r.index),
            r.classification or "–",
            fmt(r.start_s, ".1f"),
            fmt(r.eccentric_s, ".1f"),
            fmt(r.bottom_pause_s, ".1f"),
            fmt(r.concentric_s, ".1f"),
            fmt(r.top_pause_s, ".1f"),
            fmt(m.get("hip_flexion_max_deg")),
            fmt(m.get("trunk_inclination_max_deg")),
            fmt(m.get("knee_flexion_bottom_deg")),
            "–" if math.isnan(share) else f"{100 * share:.0f}%",
            spine,
            "–" if com_lo == "–" and com_hi == "–" else f"{com_lo}–{com_hi}",
            fmt(m.get("time_outside_midfoot_s"), ".1f"),
            ", ".join(codes) if codes else "clean",
        )
        faulty = frozenset(_CODE_COLUMN[c.code] for c in cues if c.code in _CODE_COLUMN)
        rows.append(RepRow(cells=cells, faulty=faulty, cue_codes=codes))
    return rows


def evidence_text(c: Cue) -> str:
    """``metric = value (threshold x) at t s`` in words a therapist can check."""
    parts = []
    if c.metric:
        val = "" if c.value is None or not math.isfinite(c.value) else f" = {c.value:.3g}"
        parts.append(f"{c.metric}{val}")
    if c.threshold is not None and math.isfinite(c.threshold):
        parts.append(f"threshold {c.threshold:.3g}")
    if c.t_s is not None and math.isfinite(c.t_s):
        parts.append(f"at {c.t_s:.1f} s")
    return ", ".join(parts)


def _mean(reps: tuple[Rep, ...], key: str) -> float:
    vals = [_num(r.metrics.get(key)) for r in reps]
    vals = [v for v in vals if not math.isnan(v)]
    return float(np.mean(vals)) if vals else math.nan


def _mean_field(reps: tuple[Rep, ...], name: str) -> float:
    vals = [_num(getattr(r, name)) for r in reps]
    vals = [v for v in vals if not math.isnan(v)]
    return float(np.mean(vals)) if vals else math.nan


def summary_facts(analysis: Analysis, config: Config) -> list[tuple[str, str]]:
    """(label, value) pairs for the summary box."""
    q, v, reps = analysis.quality, analysis.video, analysis.reps
    facts: list[tuple[str, str]] = [("Exercise", analysis.exercise or "unknown")]
    if v is not None:
        facts.append(("Video", f"{Path(v.path).name} — {v.duration_s:.1f} s, {v.width}×{v.height}, {v.fps:.0f} fps"))
    facts.append(("Reps", str(len(reps))))
    view = f"{q.view}, facing {q.facing}, measured on the {q.side_used} side"
    facts.append(("View", view))
    if q.frames_total:
        facts.append(
            (
                "Tracking",
                f"person found in {100 * q.person_fraction:.0f}% of frames, whole body in "
                f"{100 * q.full_body_fraction:.0f}%",
            )
        )
    if reps:
        tgt = config.hinge.target_tempo_s
        got = [_mean_field(reps, f) for f in ("eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s")]
        facts.append(
            (
                "Tempo (lower-pause-rise-top)",
                " / ".join(fmt(x, ".1f") for x in got) + " s on average; target " + " / ".join(f"{x:g}" for x in tgt),
            )
        )
        share = _mean(reps, "hip_share")
        if not math.isnan(share):
            facts.append(("Hip share of the bend", f"{100 * share:.0f}% on average"))
        spines = [_num(r.metrics.get("spine_flexion_est_deg")) for r in reps]
        spines = [s for s in spines if not math.isnan(s)]
        if spines:
            err = _mean(reps, "spine_flexion_est_err_deg")
            err_txt = "" if math.isnan(err) else f" (estimate, ±{err:.0f}°)"
            facts.append(("Back rounding", f"up to {max(spines):.0f}°{err_txt}"))
        com = _mean(reps, "com_bottom_pct_foot")
        if not math.isnan(com):
            lo, hi = config.hinge.midfoot_band_pct
            facts.append(
                ("Centre of mass at the bottom", f"{com:.0f}% of the foot from the heel (midfoot {lo:g}–{hi:g}%)")
            )
    return facts


def extra_summary(analysis: Analysis) -> list[tuple[str, str]]:
    """The analyzer's own summary entries, as text."""
    out = []
    for k, val in dict(analysis.summary).items():
        out.append((str(k), fmt(val, ".3g") if isinstance(val, float) else str(val)))
    return out


def _rep_list(idx: list[int]) -> str:
    if len(idx) == 1:
        return f"rep {idx[0]}"
    return "reps " + ", ".join(str(i) for i in idx[:-1]) + f" and {idx[-1]}"


def top_correction(analysis: Analysis, config: Config) -> tuple[Cue, list[int]] | None:
    """The most important rep-level correction of the set and the reps that had it."""
    reps_by_code: dict[str, list[int]] = {}
    first: dict[str, Cue] = {}
    for r in analysis.reps:
        for c in usable_rep_cues(r, analysis.quality, config):
            if is_correction(c):
                reps_by_code.setdefault(c.code, []).append(r.index)
                first.setdefault(c.code, c)
    if not first:
        return None
    code = min(first, key=lambda k: (first[k].priority, -len(reps_by_code[k])))
    return first[code], reps_by_code[code]


def patient_summary(analysis: Analysis, config: Config) -> list[str]:
    """Short paragraphs in plain language (no jargon, no codes) for the person who exercised."""
    reps, q, h = analysis.reps, analysis.quality, config.hinge
    out: list[str] = []
    if q.view in ("front", "oblique"):
        out.append(
            f"The video was filmed {'from the front' if q.view == 'front' else 'at an angle'}. For the most reliable "
            "feedback, film from the side with your whole body in the picture."
        )
    if not reps:
        out.append("We could not find a full repetition in this video, so there is nothing to score yet.")
        return out
    dur = reps[-1].end_s - reps[0].start_s
    out.append(f"You did {len(reps)} repetition{'s' if len(reps) != 1 else ''} in about {dur:.0f} seconds.")
    form = view_allows_form_cues(q, config)
    if not form:
        out.append("From this angle we can only judge your timing, not your back, hips or balance.")
    # same judgement as the cue list: a rep "rounded" or "went onto the toes" exactly when it earned that cue
    by_rep = {r.index: {c.code for c in usable_rep_cues(r, q, config)} for r in reps}

    def reps_with(code: str) -> list[int]:
        return [i for i, codes in by_rep.items() if code in codes]

    rounded, toes, heels = reps_with("spine.rounding"), reps_with("load.toes"), reps_with("load.heels")
    share = _mean(reps, "hip_share")
    if form and not math.isnan(share):
        if share >= h.stoop_hip_share:
            good = "" if rounded else " That is a good hip hinge."
            out.append(f"Your hips did most of the bending (about {100 * share:.0f}%).{good}")
        else:
            out.append(
                f"Your hips did only about {100 * share:.0f}% of the bending, so your back did the rest. Think "
                "“hips back” rather than “chest down”."
            )
    known = [r for r in reps if not math.isnan(_num(r.metrics.get("spine_flexion_est_deg")))]
    if form and rounded:
        out.append(f"Your back rounded more than it should in {_rep_list(rounded)}.")
    elif form and known:
        out.append("Your back stayed steady in every repetition.")
    if form and toes:
        out.append(f"Your weight drifted onto your toes in {_rep_list(toes)}.")
    if form and heels:
        out.append(f"Your weight sat back on your heels in {_rep_list(heels)}.")
    if form and not toes and not heels and any(not math.isnan(_num(r.metrics.get("com_toes_excess_cm"))) for r in reps):
        out.append("Your weight stayed over the middle of your feet.")
    ecc = _mean_field(reps, "eccentric_s")
    if not math.isnan(ecc) and h.target_tempo_s[0] > 0:
        if ecc < (1 - h.tempo_tolerance_frac) * h.target_tempo_s[0]:
            out.append(f"You lowered in about {ecc:.1f} s on average; aim for {h.target_tempo_s[0]:g} s.")
        else:
            out.append(f"Your lowering speed was good (about {ecc:.1f} s).")
    top = top_correction(analysis, config)
    if top is None and form:
        out.append("Nothing to correct in this set. Keep it up!")
    elif top is None:
        out.append("Film the next set from the side to get feedback on your form.")
    else:
        cue, idx = top
        out.append(f"The one thing to work on next: {cue.message} (seen in {_rep_list(idx)}).")
    out.append(
        "This is feedback on how you moved, not a medical assessment. If something hurts, stop and ask your therapist."
    )
    return out


def limits_of(analysis: Analysis) -> tuple[str, ...]:
    """What the camera cannot see: the analyzer's own list, or general limits when it gave none."""
    return tuple(analysis.limits) if analysis.limits else DEFAULT_LIMITS


def title_of(analysis: Analysis) -> str:
    name = Path(analysis.video.path).name if analysis.video is not None and analysis.video.path else ""
    return f"formcheck report — {analysis.exercise}" + (f" — {name}" if name else "")


def settings_text(settings: Mapping[str, object]) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in dict(settings).items()]
