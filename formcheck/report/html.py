"""Self-contained HTML report: one file, inline CSS, inline SVG plots, key frames as data URIs, no network.

Every piece of text that comes from outside this module (file names, exercise names, cue messages, warnings,
settings, analyzer summaries) goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from formcheck import __version__, palette
from formcheck.config import Config
from formcheck.cues import is_correction
from formcheck.report import content as rc
from formcheck.report.keyframes import KeyFrame
from formcheck.report.meta import ReportMeta, SessionLine, analysed_as, session_row, when_text
from formcheck.report.plots import series_figure, series_panels, tempo_figure, to_svg
from formcheck.types import Analysis

CSS = """
:root { --fg:#1d232a; --muted:#5b6470; --line:#d9dee4; --bg:#ffffff; --soft:#f4f6f8;
        --safety:#c62828; --warn:#d9730d; --info:#1f5f99; --praise:#2e7d32; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg);
       background: var(--bg); margin: 0 auto; max-width: 1000px; padding: 24px; }
h1 { font-size: 1.55em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.sub { color: var(--muted); margin: 0 0 16px; }
.patient { background: #eef6ee; border-left: 5px solid var(--praise); padding: 10px 16px; border-radius: 4px; }
.patient p { margin: 6px 0; }
.headline { font-size: 1.1em; font-weight: 600; padding: 10px 14px; border-radius: 4px; color: #fff; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; vertical-align: top; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
td.text, th.text { text-align: left; }
td.bad { background: #fde8e6; color: #8e1b10; font-weight: 600; }
.scroll { overflow-x: auto; }
.sev { display: inline-block; min-width: 58px; text-align: center; border-radius: 3px; color: #fff; font-size: 11px;
       padding: 1px 6px; text-transform: uppercase; letter-spacing: .03em; }
.sev-safety { background: var(--safety); } .sev-warn { background: var(--warn); }
.sev-info { background: var(--info); } .sev-praise { background: var(--praise); }
.plot svg { width: 100%; height: auto; }
.frames { display: flex; flex-wrap: wrap; gap: 16px; }
.frames figure { margin: 0; flex: 1 1 300px; }
.frames img { width: 100%; height: auto; border-radius: 4px; border: 1px solid var(--line); }
.frames figcaption { color: var(--muted); font-size: 13px; }
ul.limits li { margin: 3px 0; }
.warnings { color: var(--warn); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
.meta { color: var(--muted); margin: 0 0 12px; } .meta b { color: var(--fg); font-weight: 600; }
section.part { margin-top: 8px; }
.part-title { font-size: 1.35em; margin: 24px 0 4px; color: var(--muted); text-transform: uppercase;
              letter-spacing: .04em; font-weight: 600; }
.notes { background: var(--soft); border-left: 5px solid var(--info); padding: 8px 14px; border-radius: 4px;
         white-space: pre-wrap; }
.small { color: var(--muted); font-size: 13px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } .plot, figure, tr { break-inside: avoid; }
               th { position: static; } #patient-page { break-after: page; } }
"""

SEV_BG = palette.SEVERITY_COLORS


def e(x: object) -> str:
    """Escape any value for HTML text or attribute context."""
    return html.escape(str(x), quote=True)


def _facts(pairs: list[tuple[str, str]]) -> str:
    return '<dl class="facts">' + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in pairs) + "</dl>"


def _table(table: rc.Table, element_id: str) -> str:
    """A report table (per rep or per hold): text columns left-aligned, cells with a fault marked ``bad``."""
    head = "".join(f'<th scope="col"{" class=text" if i in table.text_columns else ""}>{e(h)}</th>' for i, h in
                   enumerate(table.headers))  # fmt: skip
    body = []
    for row in table.rows:
        tds = []
        for i, cell in enumerate(row.cells):
            cls = []
            if i in table.text_columns:
                cls.append("text")
            if i in row.faulty:
                cls.append("bad")
            attr = f' class="{" ".join(cls)}"' if cls else ""
            tds.append(f"<td{attr}>{e(cell)}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (
        f'<div class="scroll"><table id="{element_id}"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
    )


def _cue_table(analysis: Analysis, config: Config) -> str:
    cues = rc.cues_of(analysis, config)
    if not cues:
        return "<p>No cues.</p>"
    spec = rc.spec_of(analysis)
    rows = []
    for c in cues:
        where = f"rep {c.rep_index}" if c.rep_index is not None else "whole set"
        word = rc.SEVERITY_WORDS.get(c.severity, c.severity)
        rows.append(
            f'<tr><td class="text"><span class="sev sev-{e(c.severity)}">{e(word)}'
            f'</span></td><td class="text">{e(where)}</td><td class="text">{e(c.message)}</td>'
            f'<td class="text">{e(rc.evidence_text(c, spec))}</td></tr>'
        )
    return (
        '<div class="scroll"><table id="cue-table"><thead><tr><th class="text">Kind</th><th class="text">Where</th>'
        '<th class="text">Cue</th><th class="text">Evidence</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _key_frames(frames: list[KeyFrame]) -> str:
    figs = []
    for k in frames:
        b64 = base64.b64encode(k.jpeg).decode("ascii")
        alt = f"{k.label} at {k.t_s:.1f} s" + (f" — {k.cue.message}" if k.cue is not None else "")
        cue = ""
        if k.cue is not None:
            word = rc.SEVERITY_WORDS.get(k.cue.severity, k.cue.severity)
            cue = f'<br><span class="sev sev-{e(k.cue.severity)}">{e(word)}</span> {e(k.cue.message)}'
        figs.append(
            f'<figure><img src="data:image/jpeg;base64,{b64}" width="{k.width}" height="{k.height}" alt="{e(alt)}">'
            f"<figcaption>{e(k.caption)}{cue}</figcaption></figure>"
        )
    return '<div class="frames" id="key-frames">' + "".join(figs) + "</div>"


def _meta_line(meta: ReportMeta) -> str:
    items = [
        f"<b>Session</b> {e(when_text(meta.session_at))}"
        + (f" <span class=small>({e(meta.session_source)})</span>" if meta.session_source else "")
    ]
    if meta.patient:
        items.append(f"<b>Patient</b> {e(meta.patient)}")
    if meta.therapist:
        items.append(f"<b>Therapist</b> {e(meta.therapist)}")
    items.append(f"<b>Report made</b> {e(when_text(meta.made_at))}")
    return '<p class="meta" id="meta">' + " · ".join(items) + "</p>"


def _headline(analysis: Analysis, config: Config, element_id: str = "headline") -> str:
    sev, text = rc.headline(analysis, config)
    return f'<div class="headline" id="{element_id}" style="background:{SEV_BG.get(sev, "#1f5f99")}">{e(text)}</div>'


def patient_section(
    analysis: Analysis, config: Config, meta: ReportMeta, key_frames: list[KeyFrame] | None = None
) -> str:
    """The patient's page: the one thing to work on, the set in plain words, pictures and the therapist's notes.

    No numbers beyond those in the sentences, no identifiers: what a patient takes home.
    """
    who = f", {meta.patient}" if meta.patient else ""
    parts = ['<section class="part" id="patient-page">', f'<h2 id="patient">For you{e(who)}: in plain words</h2>']
    parts.append(_headline(analysis, config))
    parts.append('<div class="patient">')
    parts += [f"<p>{e(p)}</p>" for p in rc.patient_summary(analysis, config, headline_shown=True)]
    parts.append("</div>")
    if key_frames:
        parts.append('<h2 id="frames">Pictures from your set</h2>')
        parts.append(_key_frames(key_frames))
    if meta.notes:
        by = f" ({meta.therapist})" if meta.therapist else ""
        parts.append(f'<h2 id="notes">Notes from your therapist{e(by)}</h2><div class="notes">{e(meta.notes)}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def therapist_section(analysis: Analysis, config: Config, prefix: str = "") -> str:
    """The therapist's part: the numbers, tables, plots, cues with their evidence, limits and the settings used."""
    parts = [f'<section class="part" id="{prefix}therapist"><div class="part-title">For the therapist</div>']
    parts.append(f'<h2 id="{prefix}summary">Summary</h2>')
    parts.append(_facts(rc.summary_facts(analysis, config)))
    if analysis.quality.warnings:
        parts.append('<ul class="warnings">' + "".join(f"<li>{e(w)}</li>" for w in analysis.quality.warnings) + "</ul>")

    holds = getattr(analysis, "holds", ())
    if holds:
        parts.append(f'<h2 id="{prefix}holds">{e(rc.holds_title(analysis))}</h2>')
        parts.append(_table(rc.hold_table(analysis, config), f"{prefix}hold-table"))
        parts.append(f'<p class="sub">{e(rc.HOLD_TABLE_NOTE)}</p>')
    if analysis.reps or not holds:
        parts.append(f'<h2 id="{prefix}reps">Reps</h2>')
        parts.append(
            _table(rc.rep_table(analysis, config), f"{prefix}rep-table") if analysis.reps
            else "<p>No reps were found.</p>"
        )  # fmt: skip

    if series_panels(analysis):
        parts.append(f'<h2 id="{prefix}plots">Over time</h2>')
        parts.append('<div class="plot">' + to_svg(series_figure(analysis, config), f"{prefix}plot-series") + "</div>")
    if analysis.reps:
        parts.append(f'<h2 id="{prefix}tempo">Tempo per rep vs target</h2>')
        parts.append('<div class="plot">' + to_svg(tempo_figure(analysis, config), f"{prefix}plot-tempo") + "</div>")

    parts.append(f'<h2 id="{prefix}cues">Cues and evidence</h2>')
    corrections = [c for c in rc.cues_of(analysis, config) if is_correction(c)]
    if not corrections and analysis.reps:
        said = rc.nothing_to_correct_text(analysis, config)  # the CLI's and the patient page's words
        if said == "nothing to correct":
            said = "No corrections: every rep was within the thresholds"
        parts.append(f"<p>{e(said[:1].upper() + said[1:])}.</p>")
    parts.append(_cue_table(analysis, config))

    parts.append(f'<h2 id="{prefix}limits">What the camera cannot see</h2><ul class="limits">')
    parts += [f"<li>{e(x)}</li>" for x in rc.limits_of(analysis)]
    parts.append("</ul>")

    extra = rc.extra_summary(analysis, config)
    if extra:
        parts.append(f'<h2 id="{prefix}measured">More measurements</h2>' + _facts(extra))
    rows = rc.settings_rows(analysis, config)
    if rows:
        parts.append(f'<h2 id="{prefix}settings">Settings this set was judged with</h2>')
        body = "".join(f'<tr><td class="text">{e(a)}</td><td>{e(b)}</td><td class="text small">{e(c)}</td></tr>'
                       for a, b, c in rows)  # fmt: skip
        parts.append(
            f'<div class="scroll"><table id="{prefix}settings-table"><thead><tr><th class="text">Setting</th>'
            '<th>Value</th><th class="text">Meaning</th></tr></thead><tbody>' + body + "</tbody></table></div>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _document(title: str, body: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # no network: forbid every fetch except inline styles and data: images
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            'img-src data:">',
            f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
            *body,
            f"<footer>formcheck {e(__version__)} · analysis schema formcheck.analysis/2 · made offline on this "
            "computer; not a medical device.</footer></body></html>",
        ]
    )


def render_html(
    analysis: Analysis,
    config: Config,
    key_frames: list[KeyFrame] | None = None,
    meta: ReportMeta | None = None,
) -> str:
    """The whole report of one set as one HTML document (string): the patient's page, then the therapist's part."""
    meta = meta or ReportMeta()
    title = rc.title_of(analysis)
    v = analysis.video
    sub = rc.count_text(analysis)
    if v is not None:
        sub = f"{e(Path(v.path).name)} · {v.duration_s:.1f} s · " + e(sub)
    body = [f"<h1>{e(title)}</h1>", _meta_line(meta), f'<p class="sub">{sub}</p>']
    body.append(patient_section(analysis, config, meta, key_frames))
    body.append(therapist_section(analysis, config))
    return _document(title, body)


def render_session_html(
    analyses: list[Analysis],
    config: Config,
    key_frames: list[list[KeyFrame] | None] | None = None,
    meta: ReportMeta | None = None,
    lines: list[SessionLine] | None = None,
) -> str:
    """One report for a session of several sets (e.g. the A plan): the patient's page covers every set, then
    each set's therapist part.

    Args:
        analyses: the session's sets, in order.
        config: the active configuration; each set is judged with the settings it recorded.
        key_frames: per set, its key frames (or None).
        meta: patient, therapist, notes and session time.
        lines: the sets as the plan saw them (their prescription, and clips filmed but not analysed), in order;
            default: one line per analysis.
    """
    from formcheck.engine.judgement import judged_config

    meta = meta or ReportMeta()
    frames = iter(key_frames or [None] * len(analyses))
    lines = lines if lines is not None else [SessionLine(a) for a in analyses]
    cfgs = [judged_config(ln.analysis, config) if ln.analysis is not None else config for ln in lines]
    title = "formcheck session report"
    body = [f"<h1>{e(title)}</h1>", _meta_line(meta)]
    who = f", {meta.patient}" if meta.patient else ""
    body.append(f'<section class="part" id="patient-page"><h2 id="patient">For you{e(who)}: your session</h2>')
    body.append('<table id="session-table"><thead><tr><th>Set</th><th class="text">Exercise</th><th>Done</th>'
                '<th class="text">The one thing to work on</th></tr></thead><tbody>')  # fmt: skip
    rows = [session_row(ln, cfg) for ln, cfg in zip(lines, cfgs, strict=True)]
    for i, (name, done, text) in enumerate(rows, start=1):
        body.append(f'<tr><td>{i}</td><td class="text">{e(name)}</td><td>{e(done)}</td>'
                    f'<td class="text">{e(text)}</td></tr>')  # fmt: skip
    body.append("</tbody></table>")
    for i, (ln, cfg, row) in enumerate(zip(lines, cfgs, rows, strict=True), start=1):
        body.append(f'<h2 id="set-{i}">Set {i}: {e(row[0])}</h2><div class="patient">')
        body += [f"<p>{e(ln.note)}</p>"] if ln.note else []
        body += [f"<p>{e(p)}</p>" for p in rc.patient_summary(ln.analysis, cfg)] if ln.analysis is not None else []
        body.append("</div>")
        kf = next(frames) if ln.analysis is not None else None
        if kf:
            body.append(_key_frames(kf[:1]))
    if meta.plan_note:
        body.append(f'<h2 id="not-filmed">Not filmed in this session</h2><div class="patient"><p>{e(meta.plan_note)}'
                    "</p></div>")  # fmt: skip
    if meta.notes:
        by = f" ({meta.therapist})" if meta.therapist else ""
        body.append(f'<h2 id="notes">Notes from your therapist{e(by)}</h2><div class="notes">{e(meta.notes)}</div>')
    body.append("</section>")
    for i, (ln, cfg, row) in enumerate(zip(lines, cfgs, rows, strict=True), start=1):
        if ln.analysis is None:
            continue
        body.append(f'<h2 class="part-title" id="set-{i}-therapist-title">Set {i}: {e(analysed_as(ln, row[0]))}</h2>')
        body.append(therapist_section(ln.analysis, cfg, prefix=f"set-{i}-"))
    return _document(title, body)
