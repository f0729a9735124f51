"""Self-contained HTML report: one file, inline CSS, inline SVG plots, key frames as data URIs, no network.

Every piece of text that comes from outside this module (file names, exercise names, cue messages, warnings,
settings, analyzer summaries) goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from formcheck import __version__
from formcheck.config import Config
from formcheck.cues import is_correction
from formcheck.report import content as rc
from formcheck.report.keyframes import KeyFrame
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
@media print { body { padding: 0; } h2 { break-after: avoid; } .plot, figure, tr { break-inside: avoid; }
               th { position: static; } }
"""

SEV_BG = {"safety": "#c62828", "warn": "#d9730d", "info": "#1f5f99", "praise": "#2e7d32"}


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
    rows = []
    for c in cues:
        where = f"rep {c.rep_index}" if c.rep_index is not None else "whole set"
        rows.append(
            f'<tr><td class="text"><span class="sev sev-{e(c.severity)}">{e(c.severity)}</span></td>'
            f'<td class="text">{e(where)}</td><td class="text">{e(c.message)}</td>'
            f'<td class="text"><code>{e(c.code)}</code><br>{e(rc.evidence_text(c))}</td></tr>'
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
            cue = f'<br><span class="sev sev-{e(k.cue.severity)}">{e(k.cue.severity)}</span> {e(k.cue.message)}'
        figs.append(
            f'<figure><img src="data:image/jpeg;base64,{b64}" width="{k.width}" height="{k.height}" alt="{e(alt)}">'
            f"<figcaption>{e(k.label)}, deepest point at {k.t_s:.1f} s{cue}</figcaption></figure>"
        )
    return '<div class="frames" id="key-frames">' + "".join(figs) + "</div>"


def render_html(analysis: Analysis, config: Config, key_frames: list[KeyFrame] | None = None) -> str:
    """The whole report as one HTML document (string)."""
    title = rc.title_of(analysis)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # no network: forbid every fetch except inline styles and data: images
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    v = analysis.video
    sub = f"{len(analysis.reps)} rep(s)"
    if v is not None:
        sub = f"{e(Path(v.path).name)} · {v.duration_s:.1f} s · " + sub
    parts.append(f'<p class="sub">{sub}</p>')

    top = rc.top_correction(analysis, config)
    if top is not None:
        cue, idx = top
        parts.append(
            f'<div class="headline" id="headline" style="background:{SEV_BG.get(cue.severity, "#1f5f99")}">'
            f"{e(cue.message)}</div>"
        )
    parts.append('<h2 id="patient">In plain words</h2><div class="patient">')
    parts += [f"<p>{e(p)}</p>" for p in rc.patient_summary(analysis, config)]
    parts.append("</div>")

    parts.append('<h2 id="summary">Summary</h2>')
    parts.append(_facts(rc.summary_facts(analysis, config)))
    if analysis.quality.warnings:
        parts.append('<ul class="warnings">' + "".join(f"<li>{e(w)}</li>" for w in analysis.quality.warnings) + "</ul>")

    holds = getattr(analysis, "holds", ())
    if holds:
        parts.append('<h2 id="holds">Holds</h2>')
        parts.append(_table(rc.hold_table(analysis, config), "hold-table"))
    if analysis.reps or not holds:
        parts.append('<h2 id="reps">Reps</h2>')
        parts.append(
            _table(rc.rep_table(analysis, config), "rep-table") if analysis.reps else "<p>No reps were found.</p>"
        )

    if series_panels(analysis):
        parts.append('<h2 id="plots">Over time</h2>')
        parts.append('<div class="plot">' + to_svg(series_figure(analysis, config), "plot-series") + "</div>")
    if analysis.reps:
        parts.append('<h2 id="tempo">Tempo per rep vs target</h2>')
        parts.append('<div class="plot">' + to_svg(tempo_figure(analysis, config), "plot-tempo") + "</div>")

    if key_frames:
        parts.append('<h2 id="frames">Key frames</h2>')
        parts.append(_key_frames(key_frames))

    parts.append('<h2 id="cues">Cues and evidence</h2>')
    corrections = [c for c in rc.cues_of(analysis, config) if is_correction(c)]
    if not corrections and analysis.reps:
        parts.append("<p>No corrections: every rep was within the thresholds.</p>")
    parts.append(_cue_table(analysis, config))

    parts.append('<h2 id="limits">What the camera cannot see</h2><ul class="limits">')
    parts += [f"<li>{e(x)}</li>" for x in rc.limits_of(analysis)]
    parts.append("</ul>")

    extra = rc.extra_summary(analysis) + rc.settings_text(analysis.settings)
    if extra:
        parts.append('<h2 id="details">Details</h2>' + _facts(extra))
    parts.append(
        f"<footer>formcheck {e(__version__)} · analysis schema formcheck.analysis/2 · made offline on this "
        "computer; not a medical device.</footer></body></html>"
    )
    return "\n".join(parts)
