"""Printable PDF report with reportlab (same content as the HTML report, laid out for A4).

DejaVu Sans (shipped with matplotlib) is embedded so ``°``, ``±``, ``—`` and ``→`` print correctly. Text from
outside goes through :func:`xml.sax.saxutils.escape` because reportlab paragraphs parse a small markup language.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from formcheck import __version__, palette
from formcheck.config import Config
from formcheck.report import content as rc
from formcheck.report.keyframes import KeyFrame
from formcheck.report.meta import ReportMeta, SessionLine, analysed_as, session_row, sets_word, when_text
from formcheck.report.plots import series_figure, series_panels, tempo_figure, to_png
from formcheck.types import Analysis

SEV_COLOR = palette.SEVERITY_COLORS


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold); fall back to Helvetica when the TTFs are missing."""
    try:
        import matplotlib

        d = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        pdfmetrics.registerFont(TTFont("DejaVuSans", os.path.join(d, "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", os.path.join(d, "DejaVuSans-Bold.ttf")))
        return "DejaVuSans", "DejaVuSans-Bold"
    except (ImportError, OSError):
        return "Helvetica", "Helvetica-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    reg, bold = _fonts()
    base = ParagraphStyle("base", fontName=reg, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=2),
        "sub": ParagraphStyle("sub", parent=base, textColor=colors.HexColor("#5b6470"), spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=bold, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=6.6, leading=8),
        # the per-rep tables' titles and cells: a word never breaks across lines ("Re p"), the columns are made
        # wide enough for their longest word (:func:`_column_need_pt`)
        "thead": ParagraphStyle("thead", parent=base, fontName=bold, fontSize=7, leading=8.5, splitLongWords=0),
        "tcell": ParagraphStyle("tcell", parent=base, fontSize=7.5, leading=9, splitLongWords=0),
        "list": ParagraphStyle("list", parent=base, fontSize=8.5, leading=11, leftIndent=8, firstLineIndent=-8),
        "tiny": ParagraphStyle("tiny", parent=base, fontSize=6.5, leading=8),
        "headline": ParagraphStyle(
            "headline", parent=base, fontName=bold, fontSize=11, leading=14, textColor=colors.white, borderPadding=5
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9, textColor=colors.HexColor("#5b6470")),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _png(fig, width_mm: float) -> Image:
    data = to_png(fig, dpi=170)
    w_in, h_in = fig.get_size_inches()
    w = width_mm * mm
    return Image(io.BytesIO(data), width=w, height=w * h_in / w_in)


def _grid(data, col_widths, header=True, extra=()) -> Table:
    t = Table(data, colWidths=col_widths, repeatRows=1 if header else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d9dee4")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f4f6f8")))
    t.setStyle(TableStyle(style + list(extra)))
    return t


# A per-rep (or per-hold) table has at most this many columns on the page: a wider one is split into several
# tables that each repeat the first (Rep / Hold) column, so no title or number has to wrap inside a word.
MAX_TABLE_COLUMNS = 9
_PAGE_MM = 180.0  # the frame's width on A4 with 15 mm margins
_PAD_PT = 5.0  # a cell's left and right padding together (see :func:`_grid`)


def _text_pt(text: str, style: ParagraphStyle) -> float:
    return pdfmetrics.stringWidth(text, style.fontName, style.fontSize)


def _column_need_pt(table: rc.Table, i: int, S: dict[str, ParagraphStyle]) -> tuple[float, float]:
    """(least, wanted) width of column ``i`` in points: the least holds the longest word of its title and of its
    cells (text wraps only between words); the wanted one holds every cell on one line."""
    cells = [r.cells[i] for r in table.rows]
    words = [_text_pt(w, S["thead"]) for w in table.headers[i].split()] + [
        _text_pt(w, S["tcell"]) for c in cells for w in c.split()
    ]
    least = max(words + [4.0]) + _PAD_PT
    return least, max([least] + [_text_pt(c, S["tcell"]) + _PAD_PT for c in cells])


def _column_groups(table: rc.Table, S: dict[str, ParagraphStyle], total_pt: float) -> list[list[int]]:
    """The table's columns (the cue column left out) in as few page-wide groups as hold them, each group led by
    the first column and at most :data:`MAX_TABLE_COLUMNS` wide, the columns shared out evenly and in order."""
    ncol = len(table.headers) - 1  # the last column (the cues) is listed under the table instead
    first, rest = 0, list(range(1, ncol))
    least = [_column_need_pt(table, i, S)[0] for i in range(ncol)]
    for k in range(1, len(rest) + 1):
        size = -(-len(rest) // k)  # ceil
        groups = [[first, *rest[j : j + size]] for j in range(0, len(rest), size)]
        if all(len(g) <= MAX_TABLE_COLUMNS and sum(least[i] for i in g) <= total_pt for g in groups):
            return groups
    return [[first, i] for i in rest] or [[first]]


def _col_widths_pt(table: rc.Table, cols: list[int], S: dict[str, ParagraphStyle], total_pt: float) -> list[float]:
    """Widths of ``cols`` filling the page: each its wanted width when they all fit, else cut toward its least
    width (a cell then wraps between words, never inside one)."""
    least, want = zip(*(_column_need_pt(table, i, S) for i in cols), strict=True)
    if sum(want) <= total_pt:
        return [w * total_pt / sum(want) for w in want]
    slack = sum(w - lo for w, lo in zip(want, least, strict=True))
    cut = min(1.0, (sum(want) - total_pt) / slack) if slack > 0 else 0.0
    widths = [w - cut * (w - lo) for w, lo in zip(want, least, strict=True)]
    return [w * total_pt / sum(widths) for w in widths]


def _cue_lines(table: rc.Table, S: dict[str, ParagraphStyle]) -> list[Paragraph]:
    """The rows' corrections as a list under the table ("Rep 2: Lower for 2 s — …"), the rows without one named
    once at the end."""
    noun = table.headers[0]  # "Rep" or "Hold"
    out, clean = [], []
    for r in table.rows:
        said = r.cells[-1]
        if said == "clean":
            clean.append(r.cells[0])
            continue
        bold = S["cellb"].fontName  # a TrueType font has no <b> of its own
        who = f'<font name="{bold}">{escape(noun)} {escape(r.cells[0])}:</font>'
        out.append(Paragraph(f"{who} {escape(said)}", S["list"]))
    if clean and out:
        which = f"{noun.lower()} {clean[0]}" if len(clean) == 1 else (
            f"{noun.lower()}s {', '.join(clean[:-1])} and {clean[-1]}")  # fmt: skip
        out.append(_p(f"No correction on {which}.", S["list"]))
    elif clean:
        out.append(_p(f"No correction on any {noun.lower()}.", S["list"]))
    return out


def _table(table: rc.Table, S: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A report table (per rep or per hold) with its faulty cells shaded: split into page-wide tables of at most
    :data:`MAX_TABLE_COLUMNS` columns (each repeating the first column), the corrections listed under them."""
    total = _PAGE_MM * mm
    out: list[Flowable] = []
    for cols in _column_groups(table, S, total):
        head = [_p(table.headers[i], S["thead"]) for i in cols]
        data = [head] + [[_p(r.cells[i], S["tcell"]) for i in cols] for r in table.rows]
        bad = [("BACKGROUND", (j, n + 1), (j, n + 1), colors.HexColor("#fde8e6"))
               for n, r in enumerate(table.rows) for j, i in enumerate(cols) if i in r.faulty]  # fmt: skip
        out += [_grid(data, _col_widths_pt(table, cols, S, total), extra=bad), Spacer(1, 4)]
    return out + _cue_lines(table, S)


def _meta_lines(meta: ReportMeta) -> str:
    items = [f"Session {when_text(meta.session_at)}" + (f" ({meta.session_source})" if meta.session_source else "")]
    if meta.patient:
        items.append(f"Patient {meta.patient}")
    if meta.therapist:
        items.append(f"Therapist {meta.therapist}")
    items.append(f"Report made {when_text(meta.made_at)}")
    return " · ".join(items)


def _headline(analysis: Analysis, config: Config, S: dict[str, ParagraphStyle]) -> Table:
    sev, text = rc.headline(analysis, config)
    hl = Table([[_p(text, S["headline"])]], colWidths=[180 * mm])
    hl.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(SEV_COLOR.get(sev, "#1f5f99")))]))
    return hl


def _frames_row(frames: list[KeyFrame], S: dict[str, ParagraphStyle], width_mm: float = 86) -> Table:
    cells = []
    for k in frames:
        w = width_mm * mm
        img = Image(io.BytesIO(k.jpeg), width=w, height=w * k.height / k.width)
        cap = k.caption + (f" — {k.cue.message}" if k.cue else "")
        cells.append([img, _p(cap, S["small"])])
    t = Table([cells], colWidths=[(width_mm + 4) * mm] * len(cells))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _notes(meta: ReportMeta, S: dict[str, ParagraphStyle]) -> list:
    out = [KeepTogether([_p("Not filmed in this session", S["h2"]), _p(meta.plan_note, S["base"])])] if (
        meta.plan_note) else []  # fmt: skip
    if not meta.notes:
        return out
    by = f" ({meta.therapist})" if meta.therapist else ""
    lines = [_p(line, S["base"]) for line in meta.notes.splitlines() or [meta.notes]]
    return [*out, KeepTogether([_p(f"Notes from your therapist{by}", S["h2"]), *lines])]


def patient_story(
    analysis: Analysis, config: Config, meta: ReportMeta, key_frames: list[KeyFrame] | None, S: dict
) -> list:
    """The patient's page (one page): the one thing to work on, plain words, pictures, the therapist's notes."""
    who = f", {meta.patient}" if meta.patient else ""
    story: list = [_p(f"For you{who}: in plain words", S["h2"]), _headline(analysis, config, S), Spacer(1, 4)]
    story += [_p(x, S["base"]) for x in rc.patient_summary(analysis, config, headline_shown=True)]
    if key_frames:
        story.append(KeepTogether([_p("Pictures from your set", S["h2"]), _frames_row(key_frames, S, 80)]))
    story += _notes(meta, S)
    return story


def therapist_story(
    analysis: Analysis, config: Config, S: dict, title: str = "For the therapist", compact: bool = False
) -> list:
    """The therapist's part: numbers, tables, plots, cues with evidence, limits and the settings used.

    ``compact`` draws the plots smaller (used when the normal layout leaves a nearly empty last page).
    """
    plot_mm = (130, 120) if compact else (165, 150)
    story: list = [_p(title, S["title"]), _p("Summary", S["h2"])]
    facts = [[_p(k, S["cellb"]), _p(v, S["cell"])] for k, v in rc.summary_facts(analysis, config)]
    story.append(_grid(facts, [48 * mm, 132 * mm], header=False))
    for w in analysis.quality.warnings:
        story.append(_p("⚠ " + w, S["base"]))

    holds = getattr(analysis, "holds", ())
    if holds:
        story.append(_p(rc.holds_title(analysis), S["h2"]))
        story += _table(rc.hold_table(analysis, config), S)
        story.append(_p(rc.HOLD_TABLE_NOTE, S["base"]))
    if analysis.reps or not holds:
        story.append(_p("Reps", S["h2"]))
        if analysis.reps:
            story += _table(rc.rep_table(analysis, config), S)
        else:
            story.append(_p("No reps were found.", S["base"]))

    if series_panels(analysis):
        story.append(KeepTogether([_p("Over time", S["h2"]), _png(series_figure(analysis, config), plot_mm[0])]))
    if analysis.reps:
        story.append(
            KeepTogether([_p("Tempo per rep vs target", S["h2"]), _png(tempo_figure(analysis, config), plot_mm[1])])
        )

    story.append(_p("Cues and evidence", S["h2"]))
    cues = rc.cues_of(analysis, config)
    spec = rc.spec_of(analysis)
    if cues:
        data = [[_p(h, S["cellb"]) for h in ("Kind", "Where", "Cue", "Evidence")]]
        sev_styles = []
        for i, c in enumerate(cues, start=1):
            where = f"rep {c.rep_index}" if c.rep_index is not None else "whole set"
            data.append(
                [_p(rc.SEVERITY_WORDS.get(c.severity, c.severity), S["cellb"]), _p(where, S["cell"]),
                 _p(c.message, S["cell"]), _p(rc.evidence_text(c, spec), S["cell"])]
            )  # fmt: skip
            sev_styles.append(("TEXTCOLOR", (0, i), (0, i), colors.HexColor(SEV_COLOR.get(c.severity, "#1f5f99"))))
        story.append(_grid(data, [18 * mm, 16 * mm, 80 * mm, 66 * mm], extra=sev_styles))
    else:
        story.append(_p("No cues.", S["base"]))

    story.append(_p("What the camera cannot see", S["h2"]))
    story += [_p("• " + x, S["base"]) for x in rc.limits_of(analysis)]
    extra = rc.extra_summary(analysis, config)
    if extra:
        story.append(_p("More measurements", S["h2"]))
        story.append(
            _grid([[_p(k, S["cellb"]), _p(v, S["cell"])] for k, v in extra], [60 * mm, 120 * mm], header=False)
        )
    rows = rc.settings_rows(analysis, config)
    if rows:
        story.append(_p("Settings this set was judged with", S["h2"]))
        data = [[_p(h, S["cellb"]) for h in ("Setting", "Value", "Meaning")]]
        data += [[_p(a, S["cell"]), _p(b, S["cell"]), _p(c, S["small"])] for a, b, c in rows]
        story.append(_grid(data, [44 * mm, 30 * mm, 106 * mm]))
    return story


def _front(title: str, sub: str, meta: ReportMeta, S: dict) -> list:
    return [_p(title, S["title"]), _p(_meta_lines(meta), S["sub"]), _p(sub, S["sub"])]


def build_story(
    analysis: Analysis,
    config: Config,
    key_frames: list[KeyFrame] | None,
    meta: ReportMeta | None = None,
    compact: bool = False,
) -> list:
    """The flowables of the report, in order: the patient's page, a page break, the therapist's part."""
    S = _styles()
    meta = meta or ReportMeta()
    sub = rc.count_text(analysis)
    if analysis.video is not None:
        sub = f"{Path(analysis.video.path).name} · {analysis.video.duration_s:.1f} s · {sub}"
    story = _front(rc.title_of(analysis), sub, meta, S)
    story += patient_story(analysis, config, meta, key_frames, S)
    story.append(PageBreak())
    story += therapist_story(analysis, config, S, compact=compact)
    story.append(Spacer(1, 8))
    story.append(
        _p(f"formcheck {__version__} · analysis schema formcheck.analysis/2 · not a medical device.", S["small"])
    )
    return story


LAST_PAGE_MIN_FILL = 0.2  # a last page filled less than this is re-laid out compactly


class _EndMark(Flowable):
    """Zero-size flowable at the end of the story: records how full the last page is."""

    def __init__(self) -> None:
        super().__init__()
        self.fill = 1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        frame_h = A4[1] - 28 * mm - 12  # the frame's height (margins and the frame's own padding)
        self.fill = max(0.0, 1.0 - avail_height / frame_h)
        return 0, 0

    def draw(self) -> None:
        pass


def _build_once(story: list, out: Path | io.BytesIO, title: str) -> tuple[int, float]:
    reg, _ = _fonts()
    mark = _EndMark()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(reg, 7.5)
        canvas.setFillColor(colors.HexColor("#5b6470"))
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out if isinstance(out, io.BytesIO) else str(out),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author="formcheck",
    )
    doc.build([*story, mark], onFirstPage=footer, onLaterPages=footer)
    return doc.page, mark.fill


def _build(make_story: Callable[[bool], list], out: Path, title: str) -> None:
    """Lay the story out; when the last page would be nearly empty, lay it out again with smaller plots and keep
    whichever has fewer pages (ties: the normal layout)."""
    buf = io.BytesIO()
    pages, fill = _build_once(make_story(False), buf, title)
    if pages > 1 and fill < LAST_PAGE_MIN_FILL:
        small = io.BytesIO()
        pages_c, _ = _build_once(make_story(True), small, title)
        if pages_c < pages:
            buf = small
    out.write_bytes(buf.getvalue())


def write_pdf(
    analysis: Analysis,
    out: Path,
    config: Config,
    key_frames: list[KeyFrame] | None = None,
    meta: ReportMeta | None = None,
) -> None:
    """Write the A4 PDF report to ``out``."""
    _build(lambda compact: build_story(analysis, config, key_frames, meta, compact), out, rc.title_of(analysis))


def write_session_pdf(
    analyses: list[Analysis],
    out: Path,
    config: Config,
    meta: ReportMeta | None = None,
    lines: list[SessionLine] | None = None,
) -> None:
    """Write one A4 PDF for a session of several sets: the patient's page over every set, then each set's
    therapist part (each set judged with the settings it recorded). ``lines``: the sets as the plan saw them
    (see :func:`formcheck.report.html.render_session_html`)."""
    meta = meta or ReportMeta()
    lines = lines if lines is not None else [SessionLine(a) for a in analyses]
    _build(lambda compact: _session_story(lines, config, meta, compact), out, "formcheck session report")


def _session_story(lines: list[SessionLine], config: Config, meta: ReportMeta, compact: bool) -> list:
    from formcheck.engine.judgement import judged_config

    S = _styles()
    cfgs = [judged_config(ln.analysis, config) if ln.analysis is not None else config for ln in lines]
    story = _front("formcheck session report", sets_word(len(lines)), meta, S)
    who = f", {meta.patient}" if meta.patient else ""
    story.append(_p(f"For you{who}: your session", S["h2"]))
    data = [[_p(h, S["cellb"]) for h in ("Set", "Exercise", "Done", "The one thing to work on")]]
    rows = [session_row(ln, cfg) for ln, cfg in zip(lines, cfgs, strict=True)]
    for i, row in enumerate(rows, start=1):
        data.append([_p(str(i), S["cell"]), *(_p(x, S["cell"]) for x in row)])
    story.append(_grid(data, [10 * mm, 40 * mm, 30 * mm, 100 * mm]))
    for i, (ln, cfg, row) in enumerate(zip(lines, cfgs, rows, strict=True), start=1):
        story.append(_p(f"Set {i}: {row[0]}", S["h2"]))
        story += [_p(ln.note, S["base"])] if ln.note else []
        if ln.analysis is not None:
            story += [_p(x, S["base"]) for x in rc.patient_summary(ln.analysis, cfg)[:-1]]  # the disclaimer once
    story.append(Spacer(1, 4))
    story.append(_p(rc.DISCLAIMER, S["small"]))
    story += _notes(meta, S)
    for i, (ln, cfg, row) in enumerate(zip(lines, cfgs, rows, strict=True), start=1):
        if ln.analysis is None:
            continue
        story.append(PageBreak())
        story += therapist_story(
            ln.analysis, cfg, S, title=f"Set {i}: {analysed_as(ln, row[0])} — for the therapist", compact=compact
        )
    return story
