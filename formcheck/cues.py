"""The "5% correction" cue engine: measurements in, one short imperative sentence out (pure, no I/O).

A :class:`~formcheck.types.Cue` names the fault (``code``), how much it matters (``priority``, lower first;
``severity``), what to do with a small magnitude in human units (``message``) and the evidence (``metric``,
``value``, ``threshold``, ``rep_index``, ``t_s``).

Priorities put safety first: back rounding > load path > hip/knee pattern > tempo > tone > gaze. View and setup
cues come before all of them because, without a usable view, every other number is unreliable.

Three entry points:

* :func:`rep_cues` — everything one finished rep deserves, sorted, or a short praise when it was clean.
* :func:`analysis_cues` — the cue list of a whole set (view quality + per-rep cues, repeated only when the fault
  repeats).
* :func:`live_candidates` + :class:`CueSelector` — during a rep only the top priorities, one at a time, with
  hysteresis and a minimum display time so the banner does not flicker.

Centimetre magnitudes come from the measured fraction/percentage and the user's height with Drillis & Contini
(1966) segment proportions; they are rough ("about 3 cm") on purpose.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from formcheck.analyzers.base import LiveState
from formcheck.config import Config
from formcheck.types import Analysis, Cue, Quality, Rep

# Body proportions as fractions of standing height (Drillis & Contini 1966), for cm magnitudes only.
FOOT_LENGTH_FRAC_HEIGHT = 0.152
SHANK_LENGTH_FRAC_HEIGHT = 0.246
LEG_LENGTH_FRAC_HEIGHT = 0.491  # hip joint to ankle
TRUNK_LENGTH_FRAC_HEIGHT = 0.288  # hip to shoulder

# code -> (priority, severity). Lower priority number = more important.
CUE_TABLE: dict[str, tuple[int, str]] = {
    "setup.away": (0, "info"),
    "setup.position": (1, "info"),
    "setup.no_reps": (2, "info"),
    "view.not_side": (3, "warn"),
    "view.body_cut": (4, "warn"),
    "view.multi_person": (5, "warn"),
    "view.tracking": (6, "warn"),
    "spine.rounding": (10, "safety"),
    "load.toes": (20, "warn"),
    "load.heels": (21, "warn"),
    "heel.lift": (22, "warn"),
    "pattern.stoop": (30, "warn"),
    "hips.back": (31, "warn"),
    "pattern.squat": (32, "warn"),
    "knees.forward": (33, "warn"),
    "knees.locked": (34, "warn"),
    "tempo.eccentric_fast": (40, "info"),
    "tempo.no_pause": (41, "info"),
    "tempo.concentric_fast": (42, "info"),
    "tone.shoulders_up": (50, "info"),
    "gaze.up": (60, "info"),
    "praise.clean": (90, "praise"),
}

IN_REP_PHASES = ("eccentric", "bottom", "concentric")


def make_cue(code: str, message: str, **evidence: object) -> Cue:
    """A cue with the priority and severity of its code (see :data:`CUE_TABLE`)."""
    priority, severity = CUE_TABLE[code]
    return Cue(code=code, severity=severity, message=message, priority=priority, **evidence)  # type: ignore[arg-type]


def is_correction(cue: Cue) -> bool:
    """True for cues that ask for a change (everything except praise)."""
    return cue.severity != "praise"


def _num(m: Mapping[str, object], key: str) -> float:
    """A finite float from a metrics mapping, else NaN (missing, None, text or inf all mean unknown)."""
    v = m.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float):
        return math.nan
    v = float(v)
    return v if math.isfinite(v) else math.nan


def _ok(*xs: float) -> bool:
    return all(math.isfinite(x) for x in xs)


def _cm(x_cm: float) -> str:
    """A rough, never-zero centimetre figure for a message."""
    return f"{max(1, round(x_cm)):d} cm"


def _s(x: float) -> str:
    return f"{x:g} s" if float(x).is_integer() else f"{x:.1f} s"


def _targets(rep: Rep, config: Config) -> tuple[float, float, float, float]:
    cfg = config.hinge.target_tempo_s
    keys = ("target_eccentric_s", "target_bottom_s", "target_concentric_s", "target_top_s")
    return tuple(_num(rep.metrics, k) if _ok(_num(rep.metrics, k)) else cfg[i] for i, k in enumerate(keys))  # type: ignore[return-value]


def rep_cues(rep: Rep, config: Config) -> list[Cue]:
    """Cues for one finished rep, most important first; a praise cue when nothing needs changing.

    Unknown (NaN/missing) metrics never produce a cue: the engine only speaks about what was measured.

    Args:
        rep: a finished rep with hinge metrics (keys as in the shared contract; units in the names).
        config: thresholds (``[hinge]`` and ``[cues]``) and the user's height for centimetre magnitudes.

    Returns:
        Cues sorted by priority (ties by code). Praise only when there is no correction and
        ``cues.praise_clean_reps`` is on.
    """
    h, c, height = config.hinge, config.cues, config.body.height_cm
    m = rep.metrics
    ev = {"rep_index": rep.index, "t_s": rep.bottom_s}
    out: list[Cue] = []

    # --- back rounding (safety) ---
    spine = _num(m, "spine_flexion_est_deg")
    if _ok(spine) and spine > h.spine_rounding_deg:
        out.append(
            make_cue(
                "spine.rounding",
                f"Keep your back long and bend from the hips — it rounded about {spine:.0f}°",
                metric="spine_flexion_est_deg",
                value=spine,
                threshold=h.spine_rounding_deg,
                **ev,
            )
        )

    # --- load path: centre of mass over the midfoot ---
    outside_s = _num(m, "time_outside_midfoot_s")
    long_enough = not _ok(outside_s) or outside_s >= c.load_min_time_s
    toes = _num(m, "com_toes_excess_cm")
    heels = _num(m, "com_heels_excess_cm")
    # A standing body cannot hold its centre of mass far outside the foot: beyond (foot end + 10% of the foot)
    # the number is a tracking artefact, and cueing "about 25 cm" would be nonsense.
    lo, hi = h.midfoot_band_pct
    foot_cm = FOOT_LENGTH_FRAC_HEIGHT * height
    if _ok(toes) and toes > (100 - hi + 10) / 100 * foot_cm:
        toes = math.nan
    if _ok(heels) and heels > (lo + 10) / 100 * foot_cm:
        heels = math.nan
    if _ok(toes, heels) and toes > c.load_excess_cm and heels > c.load_excess_cm:
        # both ways in one rep: say the bigger one only, "back" and "forward" together would confuse
        toes, heels = (toes, math.nan) if toes >= heels else (math.nan, heels)
    if _ok(toes) and toes > c.load_excess_cm and long_enough:
        out.append(
            make_cue(
                "load.toes",
                f"Shift your weight back about {_cm(toes)} — it moved onto the toes",
                metric="com_toes_excess_cm",
                value=toes,
                threshold=c.load_excess_cm,
                **ev,
            )
        )
    if _ok(heels) and heels > c.load_excess_cm and long_enough:
        out.append(
            make_cue(
                "load.heels",
                f"Shift your weight forward about {_cm(heels)} — it sat back on the heels",
                metric="com_heels_excess_cm",
                value=heels,
                threshold=c.load_excess_cm,
                **ev,
            )
        )
    lift = _num(m, "heel_lift_frac")
    if _ok(lift) and lift > h.heel_lift_frac:
        out.append(
            make_cue(
                "heel.lift",
                f"Keep the heels down — they lifted about {_cm(lift * LEG_LENGTH_FRAC_HEIGHT * height)}",
                metric="heel_lift_frac",
                value=lift,
                threshold=h.heel_lift_frac,
                **ev,
            )
        )

    # --- hip/knee pattern ---
    share = _num(m, "hip_share")
    trunk = _num(m, "trunk_inclination_max_deg")
    knee = _num(m, "knee_flexion_bottom_deg")
    stoop = rep.classification == "stoop" or (_ok(share) and share < h.stoop_hip_share)
    squat = rep.classification == "squat_like" or (_ok(knee) and knee > h.squat_knee_deg)
    if stoop:
        share_txt = f" — they did {100 * share:.0f}% of the bend, aim for over {100 * h.stoop_hip_share:.0f}%"
        out.append(
            make_cue(
                "pattern.stoop",
                "Bend more at the hips, less in the back" + (share_txt if _ok(share) else ""),
                metric="hip_share",
                value=share if _ok(share) else None,
                threshold=h.stoop_hip_share,
                **ev,
            )
        )
    hip_back = _num(m, "hip_back_cm")
    if not squat and _ok(hip_back, trunk) and trunk >= c.min_bend_deg and hip_back < c.hip_back_min_cm:
        out.append(
            make_cue(
                "hips.back",
                f"Sit the hips back about {_cm(c.hip_back_min_cm - hip_back)} more",
                metric="hip_back_cm",
                value=hip_back,
                threshold=c.hip_back_min_cm,
                **ev,
            )
        )
    if squat:
        knee_txt = f" — knees bent {knee:.0f}°, keep them under {h.squat_knee_deg:.0f}°" if _ok(knee) else ""
        out.append(
            make_cue(
                "pattern.squat",
                "Push the hips back, not down" + knee_txt,
                metric="knee_flexion_bottom_deg",
                value=knee if _ok(knee) else None,
                threshold=h.squat_knee_deg,
                **ev,
            )
        )
    shin = _num(m, "shin_inclination_max_deg")
    if not squat and _ok(shin) and shin > c.shin_forward_deg:
        ahead_cm = SHANK_LENGTH_FRAC_HEIGHT * height * math.sin(math.radians(shin))
        out.append(
            make_cue(
                "knees.forward",
                f"Keep the shins upright — the knees moved about {_cm(ahead_cm)} past the ankles",
                metric="shin_inclination_max_deg",
                value=shin,
                threshold=c.shin_forward_deg,
                **ev,
            )
        )
    if _ok(knee) and knee < h.knee_locked_deg:
        out.append(
            make_cue(
                "knees.locked",
                f"Soften the knees a little (about 15°) — they stayed straight at {knee:.0f}°",
                metric="knee_flexion_bottom_deg",
                value=knee,
                threshold=h.knee_locked_deg,
                **ev,
            )
        )

    # --- tempo ---
    tol = 1.0 - h.tempo_tolerance_frac
    t_ecc, t_bot, t_con, _t_top = _targets(rep, config)
    for code, field_name, measured, target, text in (
        ("tempo.eccentric_fast", "eccentric_s", rep.eccentric_s, t_ecc, "Lower for {t} — that one took {v}"),
        ("tempo.no_pause", "bottom_pause_s", rep.bottom_pause_s, t_bot, "Pause {t} at the bottom — that one was {v}"),
        ("tempo.concentric_fast", "concentric_s", rep.concentric_s, t_con, "Rise over {t} — that one took {v}"),
    ):
        if _ok(measured, target) and target > 0 and measured < tol * target:
            out.append(
                make_cue(
                    code,
                    text.format(t=_s(target), v=f"{measured:.1f} s"),
                    metric=field_name,
                    value=float(measured),
                    threshold=tol * target,
                    **ev,
                )
            )

    # --- tone and gaze ---
    elev = _num(m, "shoulder_elevation_frac")
    if _ok(elev) and elev > h.shoulder_elevation_frac:
        out.append(
            make_cue(
                "tone.shoulders_up",
                "Let the shoulders drop away from the ears — they rose about "
                f"{_cm(elev * TRUNK_LENGTH_FRAC_HEIGHT * height)}",
                metric="shoulder_elevation_frac",
                value=elev,
                threshold=h.shoulder_elevation_frac,
                **ev,
            )
        )
    neck = _num(m, "neck_extension_deg")
    if _ok(neck) and neck > h.neck_extension_deg:
        out.append(
            make_cue(
                "gaze.up",
                f"Look at the floor about 1 m ahead — the head tipped back {neck:.0f}°",
                metric="neck_extension_deg",
                value=neck,
                threshold=h.neck_extension_deg,
                **ev,
            )
        )

    out.sort(key=lambda q: (q.priority, q.code))
    if not out and c.praise_clean_reps:
        praise = _praise(rep, spine, share, h.spine_rounding_deg, ev)
        if praise is not None:
            out.append(praise)
    return out


def _praise(rep: Rep, spine: float, share: float, spine_thr: float, ev: dict) -> Cue | None:
    """Short positive feedback naming what was good; None when nothing was measured to praise."""
    parts = []
    if _ok(share):
        parts.append(f"hips {100 * share:.0f}%")
    if _ok(spine) and spine <= spine_thr:
        parts.append("back steady")
    if not parts:
        return None
    what = "hinge" if rep.classification in ("", "hinge") else "rep"
    return make_cue(
        "praise.clean",
        f"Good {what}: " + ", ".join(parts),
        metric="hip_share" if _ok(share) else "spine_flexion_est_deg",
        value=share if _ok(share) else spine,
        **ev,
    )


def quality_cues(quality: Quality, config: Config) -> list[Cue]:
    """View and tracking cues from a set's :class:`~formcheck.types.Quality`, most important first."""
    c = config.cues
    out: list[Cue] = []
    if quality.frames_total > 0 and quality.view in ("front", "oblique"):
        out.append(
            make_cue(
                "view.not_side",
                f"Film from the side: move the camera about {90 if quality.view == 'front' else 45}° around you — "
                f"this was {'a front' if quality.view == 'front' else 'an oblique'} view, so bend angles and balance "
                "are less reliable",
                metric="view",
            )
        )
    if quality.frames_total > 0 and quality.full_body_fraction < c.view_full_body_min_frac:
        out.append(
            make_cue(
                "view.body_cut",
                "Step back so head to feet fit in the picture — the body was cut off in "
                f"{100 * (1 - quality.full_body_fraction):.0f}% of frames",
                metric="full_body_fraction",
                value=quality.full_body_fraction,
                threshold=c.view_full_body_min_frac,
            )
        )
    if quality.frames_total > 0 and quality.multi_person_fraction > c.view_multi_person_max_frac:
        out.append(
            make_cue(
                "view.multi_person",
                "Keep only one person in the picture — someone else was in view in "
                f"{100 * quality.multi_person_fraction:.0f}% of frames",
                metric="multi_person_fraction",
                value=quality.multi_person_fraction,
                threshold=c.view_multi_person_max_frac,
            )
        )
    if quality.frames_total > 0 and quality.person_fraction < c.view_person_min_frac:
        out.append(
            make_cue(
                "view.tracking",
                "Use brighter, even light and a plain background — you were found in only "
                f"{100 * quality.person_fraction:.0f}% of frames",
                metric="person_fraction",
                value=quality.person_fraction,
                threshold=c.view_person_min_frac,
            )
        )
    return out


TIMING_CODES = ("tempo.eccentric_fast", "tempo.no_pause", "tempo.concentric_fast")


def view_allows_form_cues(quality: Quality, config: Config) -> bool:
    """False when the view is front/oblique and ``cues.side_view_only`` is on: then angles, back rounding and
    balance read wrong, so only timing (tempo) cues are given."""
    return not (config.cues.side_view_only and quality.view in ("front", "oblique"))


def usable_rep_cues(rep: Rep, quality: Quality, config: Config) -> list[Cue]:
    """:func:`rep_cues` restricted to what the view can support (tempo only from a front/oblique view)."""
    cues = rep_cues(rep, config)
    if view_allows_form_cues(quality, config):
        return cues
    return [c for c in cues if c.code in TIMING_CODES]


def analysis_cues(analysis: Analysis, config: Config) -> tuple[Cue, ...]:
    """The cue list of a whole set: view/setup cues first, then each rep's cues in rep order.

    From a front or oblique view only tempo cues are given (see :func:`view_allows_form_cues`). A correction is
    repeated for a later rep only when its fault came back in ``cues.repeat_after_reps`` reps
    since it was last given (1 = every rep that has the fault). Clean reps get praise when enabled.

    Args:
        analysis: the analyzer's result (its ``cues`` are ignored and rebuilt).
        config: thresholds.

    Returns:
        Cues in display order (set-level first, then by rep and priority).
    """
    out = quality_cues(analysis.quality, config)
    if not analysis.reps and analysis.quality.frames_total > 0:
        out.append(
            make_cue(
                "setup.no_reps",
                f"No full reps found: bend forward at least {config.hinge.min_rom_deg:.0f}° and come back up, "
                "side-on to the camera",
                metric="reps",
                value=0.0,
            )
        )
    since_given: dict[str, int] = {}
    for rep in sorted(analysis.reps, key=lambda r: r.index):
        for cue in usable_rep_cues(rep, analysis.quality, config):
            if cue.code == "praise.clean":
                out.append(cue)
                continue
            if cue.code in since_given:
                since_given[cue.code] += 1
                if since_given[cue.code] < config.cues.repeat_after_reps:
                    continue
            since_given[cue.code] = 0
            out.append(cue)
    return tuple(out)


def live_candidates(state: LiveState, config: Config, active_code: str | None = None) -> list[Cue]:
    """In-rep cues from the live measurements, only the top priorities (``cues.live_max_priority``).

    Args:
        state: the streaming analyzer's state for this frame.
        config: thresholds.
        active_code: the cue currently on screen (:attr:`CueSelector.active_code`). Its threshold is relaxed by
            ``cues.hysteresis_frac`` so a value hovering at the threshold keeps it on instead of flickering.

    Returns:
        Candidate cues (``rep_index`` None), most important first. Setup cues when not ready / nobody in view.
    """
    if state.phase == "away":
        return [make_cue("setup.away", "Step into the picture, side-on, head to feet in view", t_s=state.t_s)]
    if not state.ready:
        msg = state.setup_message or "Stand side-on to the camera with your whole body in view"
        return [make_cue("setup.position", msg, t_s=state.t_s)]
    if state.phase not in IN_REP_PHASES:
        return []
    h, c = config.hinge, config.cues
    v = state.values

    def relax(code: str, threshold: float, upper: bool) -> float:
        # Hysteresis: the active cue clears only once the value is clearly back on the good side.
        if code != active_code:
            return threshold
        return threshold * (1 - c.hysteresis_frac) if upper else threshold * (1 + c.hysteresis_frac)

    out: list[Cue] = []
    ev = {"t_s": state.t_s}
    spine = _num(v, "spine_flexion_est_deg")
    thr = relax("spine.rounding", h.spine_rounding_deg, True)
    if _ok(spine) and spine > thr:
        out.append(
            make_cue(
                "spine.rounding",
                f"Keep your back long — it is rounding about {spine:.0f}°",
                metric="spine_flexion_est_deg",
                value=spine,
                threshold=h.spine_rounding_deg,
                **ev,
            )
        )
    com = _num(v, "com_pct_foot")
    lo, hi = h.midfoot_band_pct
    foot_cm = FOOT_LENGTH_FRAC_HEIGHT * config.body.height_cm
    toes_thr = hi + c.live_load_margin_pct
    heels_thr = lo - c.live_load_margin_pct
    if _ok(com) and not -10.0 <= com <= 110.0:
        com = math.nan  # the centre of mass cannot be that far outside the foot: tracking artefact
    if _ok(com) and com > relax("load.toes", toes_thr, True):
        out.append(
            make_cue(
                "load.toes",
                f"Shift your weight back about {_cm(max(com - hi, 0) / 100 * foot_cm)} — you are on the toes",
                metric="com_pct_foot",
                value=com,
                threshold=toes_thr,
                **ev,
            )
        )
    if _ok(com) and com < relax("load.heels", heels_thr, False):
        out.append(
            make_cue(
                "load.heels",
                f"Shift your weight forward about {_cm(max(lo - com, 0) / 100 * foot_cm)} — you are on the heels",
                metric="com_pct_foot",
                value=com,
                threshold=heels_thr,
                **ev,
            )
        )
    knee = _num(v, "knee_flexion_deg")
    if _ok(knee) and knee > relax("pattern.squat", h.squat_knee_deg, True):
        out.append(
            make_cue(
                "pattern.squat",
                f"Push the hips back, not down — knees bent {knee:.0f}°",
                metric="knee_flexion_deg",
                value=knee,
                threshold=h.squat_knee_deg,
                **ev,
            )
        )
    elev = _num(v, "shoulder_elevation_frac")
    if _ok(elev) and elev > relax("tone.shoulders_up", h.shoulder_elevation_frac, True):
        out.append(
            make_cue(
                "tone.shoulders_up",
                "Let the shoulders drop away from the ears",
                metric="shoulder_elevation_frac",
                value=elev,
                threshold=h.shoulder_elevation_frac,
                **ev,
            )
        )
    neck = _num(v, "neck_extension_deg")
    if _ok(neck) and neck > relax("gaze.up", h.neck_extension_deg, True):
        out.append(
            make_cue(
                "gaze.up",
                "Look at the floor about 1 m ahead",
                metric="neck_extension_deg",
                value=neck,
                threshold=h.neck_extension_deg,
                **ev,
            )
        )
    out = [q for q in out if q.priority <= c.live_max_priority]
    out.sort(key=lambda q: (q.priority, q.code))
    return out


class CueSelector:
    """Shows one cue at a time without flicker.

    Rules, per :meth:`update`:

    * A live fault (``rep_index`` None) must be a candidate for ``cues.live_confirm_s`` before it is shown (a
      one-frame spike says nothing) and counts as gone only after ``cues.live_clear_s`` without it (a one-frame
      dip does not clear it).
    * A shown cue stays at least ``cues.min_display_s``; only a live safety cue may cut a non-safety cue short.
    * After that, a live cue stays while its fault persists unless a more important candidate appears; when the
      fault is gone the best remaining candidate (or nothing) is shown.
    * Rep feedback (``rep_index`` set) is an event: the most important cue of the newest rep waits until it can be
      shown, is shown once for the minimum time, and nothing more from that rep is shown even if passed in again.

    Use with :func:`live_candidates` passing ``active_code=selector.active_code`` for value hysteresis.
    """

    def __init__(self, config: Config) -> None:
        self._min_display_s = config.cues.min_display_s
        self._confirm_s = config.cues.live_confirm_s
        self._clear_s = config.cues.live_clear_s
        self.reset()

    def reset(self) -> None:
        """Forget what is shown and pending (new set)."""
        self._current: Cue | None = None
        self._since_s = -math.inf
        self._pending: Cue | None = None
        self._given_reps: set[int] = set()  # reps whose feedback was shown (one cue per rep)
        self._run_start: dict[str, float] = {}  # live code -> start of its current (gap-tolerant) run
        self._last_seen: dict[str, float] = {}

    @property
    def current(self) -> Cue | None:
        """The cue on screen, or None."""
        return self._current

    @property
    def active_code(self) -> str | None:
        """Code of the cue on screen, or None."""
        return None if self._current is None else self._current.code

    def _show(self, cue: Cue | None, t_s: float) -> Cue | None:
        self._current = cue
        self._since_s = t_s
        if cue is not None and cue.rep_index is not None:
            self._given_reps.add(cue.rep_index)
            if self._pending is cue:
                self._pending = None
        return cue

    def update(self, t_s: float, candidates: Iterable[Cue]) -> Cue | None:
        """Feed this frame's candidate cues; returns the cue to show now (or None).

        Args:
            t_s: frame time, seconds (non-decreasing).
            candidates: live cues for this frame and/or the cues of a rep that just finished.
        """
        cands = list(candidates)
        live = {q.code: q for q in sorted((q for q in cands if q.rep_index is None), key=_rank, reverse=True)}
        for code in live:
            if t_s - self._last_seen.get(code, -math.inf) > self._clear_s:
                self._run_start[code] = t_s
            self._last_seen[code] = t_s
        events = [q for q in cands if q.rep_index is not None and q.rep_index not in self._given_reps]
        if events:
            newest = max(q.rep_index for q in events)  # type: ignore[type-var]
            top = min((q for q in events if q.rep_index == newest), key=_rank)
            pend = self._pending
            if pend is None or newest > pend.rep_index or (newest == pend.rep_index and _rank(top) < _rank(pend)):
                self._pending = top
        pool = [q for c, q in live.items() if t_s - self._run_start[c] >= self._confirm_s - 1e-9]
        if self._pending is not None:
            pool.append(self._pending)
        best = min(pool, key=_rank) if pool else None
        cur = self._current
        if cur is None:
            return self._show(best, t_s)
        fresh = live.get(cur.code) if cur.rep_index is None else None
        if fresh is not None:
            self._current = fresh  # same code with a fresher value: not a change on screen
        if t_s - self._since_s < self._min_display_s:
            if best is not None and best.severity == "safety" and best.rep_index is None and cur.severity != "safety":
                return self._show(best, t_s)
            return self._current
        persists = cur.rep_index is None and t_s - self._last_seen.get(cur.code, -math.inf) <= self._clear_s
        if persists and (best is None or best.priority >= cur.priority):
            return self._current
        return self._show(best, t_s)


def _rank(q: Cue) -> tuple[int, str]:
    return (q.priority, q.code)


def count_changes(shown: Sequence[Cue | None]) -> int:
    """How often the displayed cue code changes in a per-frame sequence (a flicker measure)."""
    codes = [None if q is None else q.code for q in shown]
    return sum(1 for a, b in zip(codes, codes[1:], strict=False) if a != b)
