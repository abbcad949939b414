"""PPTX: native, editable PowerPoint charts (python-pptx) for the summary, the status matrix
and the work-package pages, plus a title slide.

Every chart is filled from the traces of the very Plotly figure the PDF and the dashboard draw
(``Section.figures``), so a series pasted into a ministry deck carries the page's numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from dashboard import theme
from dashboard.i18n import translate
from dashboard.pack.content import Section

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)


Box = tuple[int, int, int, int]


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#")[:6].upper())  # type: ignore[no-any-return]


def _text(
    slide: Slide,
    text: str,
    left: int,
    top: int,
    width: int,
    height: int,
    size: int = 14,
    bold: bool = False,
    color: str = theme.TEXT,
) -> None:
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(size)
        para.font.bold = bold
        para.font.color.rgb = _rgb(color)


def _slide(prs: PresentationType, title: str, cover: dict[str, Any]) -> Slide:
    slide: Slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text(
        slide,
        title,
        MARGIN,
        Inches(0.3),
        WIDTH - 2 * MARGIN,
        Inches(0.7),
        26,
        True,
        theme.PRIMARY_DARK,
    )
    foot = f"LGNet2 · {cover['period']} · {cover['project']}"
    if cover["demo"]:
        foot += f" · {cover['demo_mark']}"
    _text(
        slide,
        foot,
        MARGIN,
        HEIGHT - Inches(0.45),
        WIDTH - 2 * MARGIN,
        Inches(0.3),
        10,
        color=theme.TEXT_MUTED,
    )
    return slide


def _categories(fig: go.Figure, traces: Sequence[Any]) -> list[str]:
    order = list(fig.layout.xaxis.categoryarray or [])
    seen = set(order)
    for tr in traces:
        for x in tr.x or []:
            if x not in seen:
                seen.add(x)
                order.append(x)
    return [str(c) for c in order]


def column_data(fig: go.Figure) -> CategoryChartData:
    """One series per bar trace of a vertical bar figure (x = categories, y = values)."""
    bars = [tr for tr in fig.data if tr.type == "bar"]
    data = CategoryChartData()
    data.categories = [str(x) for x in bars[0].x]
    for tr in bars:
        data.add_series(str(tr.name), [None if v is None else float(v) for v in tr.y])
    return data


def line_data(fig: go.Figure) -> CategoryChartData:
    """One series per line trace, aligned on the figure's category axis (gaps as blanks)."""
    lines = [tr for tr in fig.data if tr.type == "scatter" and tr.x and tr.x[0] is not None]
    cats = _categories(fig, lines)
    data = CategoryChartData()
    data.categories = cats
    for tr in lines:
        values = dict(zip(tr.x, tr.y, strict=True))
        data.add_series(str(tr.name), [_num(values.get(c)) for c in cats])
    return data


def hbar_data(fig: go.Figure) -> CategoryChartData:
    """A horizontal bar figure (``sorted_bars``): categories are the bars' labels, bottom up."""
    tr = fig.data[0]
    data = CategoryChartData()
    data.categories = [str(y) for y in tr.y]
    data.add_series(str(tr.name), [_num(v) for v in tr.x])
    return data


def _num(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _chart(
    slide: Slide,
    kind: Any,
    data: CategoryChartData,
    box: Box,
    title: str,
    percent: bool = False,
    colors: Sequence[str] = (),
) -> Any:
    left, top, width, height = (Emu(v) for v in box)
    frame = slide.shapes.add_chart(kind, left, top, width, height, data)  # type: ignore[arg-type]
    chart = frame.chart  # type: ignore[attr-defined]
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    chart.chart_title.text_frame.paragraphs[0].font.size = Pt(14)
    chart.has_legend = len(data) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    chart.font.size = Pt(11)
    if percent:
        chart.value_axis.tick_labels.number_format = "0%"
        chart.value_axis.tick_labels.number_format_is_linked = False
    for series, color in zip(chart.plots[0].series, colors, strict=False):
        fill = series.format.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(color)
        if kind == XL_CHART_TYPE.LINE_MARKERS:
            series.format.line.color.rgb = _rgb(color)
    return chart


def _summary(prs: PresentationType, s: Section, cover: dict[str, Any]) -> None:
    slide = _slide(prs, s.title, cover)
    half = (WIDTH - 2 * MARGIN - Inches(0.3)) // 2
    top, height = Inches(1.1), Inches(3.9)
    _chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        column_data(s.figures["progress"]),
        (MARGIN, top, half, height),
        translate(cover["lang"], "overview.headline"),
        True,
        [theme.PRIMARY, theme.GRID],
    )
    _chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        column_data(s.figures["spending"]),
        (MARGIN + half + Inches(0.3), top, half, height),
        translate(cover["lang"], "overview.spend_title"),
        False,
        [theme.GRID, theme.PRIMARY],
    )
    notes = "\n".join("• " + n for n in s.context["notes"])
    _text(slide, notes, MARGIN, Inches(5.15), WIDTH - 2 * MARGIN, Inches(1.8), 13)


def _matrix(prs: PresentationType, s: Section, cover: dict[str, Any]) -> None:
    """The 16 x 3 matrix as a native table (status colour, symbol and progress per cell)."""
    slide = _slide(prs, s.title, cover)
    rows = s.context["rows"]
    wps = s.context["wps"]
    shape = slide.shapes.add_table(
        len(rows) + 1, len(wps) + 1, MARGIN, Inches(1.05), Inches(7.5), Inches(5.8)
    )
    table = shape.table
    table.columns[0].width = Inches(2.4)
    for j in range(len(wps)):
        table.columns[j + 1].width = Inches(1.7)
    header = [translate(cover["lang"], "chart.city"), *wps]
    for j, text in enumerate(header):
        table.cell(0, j).text = text
    for i, row in enumerate(rows, start=1):
        table.cell(i, 0).text = row["city"]
        for j, cell in enumerate(row["cells"], start=1):
            c = table.cell(i, j)
            c.text = f"{theme.STATUS_SYMBOLS[cell['status']]} {cell['progress']}"
            c.fill.solid()
            c.fill.fore_color.rgb = _rgb(theme.STATUS_COLORS[cell["status"]])
            para = c.text_frame.paragraphs[0]
            para.font.color.rgb = _rgb(theme.text_on(theme.STATUS_COLORS[cell["status"]]))
            para.font.bold = True
    for i in range(len(rows) + 1):
        table.rows[i].height = Inches(5.8) // (len(rows) + 1)
        for j in range(len(wps) + 1):
            for para in table.cell(i, j).text_frame.paragraphs:
                para.font.size = Pt(11)
    legend = "   ".join(
        f"{theme.STATUS_SYMBOLS[st]} {translate(cover['lang'], f'status.{st}')}"
        for st in theme.STATUSES
    )
    help_text = translate(cover["lang"], "overview.status_matrix_help")
    if s.context.get("partial"):
        help_text += "\n\n* " + translate(cover["lang"], "status.partial_note")
    _text(
        slide,
        legend + "\n\n" + help_text,
        Inches(8.4),
        Inches(1.1),
        Inches(4.4),
        Inches(3),
        12,
    )


def _has_points(fig: go.Figure) -> bool:
    return any(len(tr.x if tr.x is not None else ()) for tr in fig.data)


def _no_data(slide: Slide, box: Box, title: str, lang: str) -> None:
    """Where the role may see no value at all: the title and the dashboard's "no data" line."""
    _text(slide, f"{title}\n\n{translate(lang, 'data.none')}", *box, 14)


def _wp(prs: PresentationType, s: Section, cover: dict[str, Any]) -> None:
    slide = _slide(prs, s.title, cover)
    half = (WIDTH - 2 * MARGIN - Inches(0.3)) // 2
    top, height = Inches(1.1), Inches(5.8)
    lang = cover["lang"]
    right = (MARGIN + half + Inches(0.3), top, half, height)
    bars_title = f"{translate(lang, 'wp_page.compare')} — {translate(lang, 'measure.pct')}"
    _chart(
        slide,
        XL_CHART_TYPE.LINE_MARKERS,
        line_data(s.figures["trajectory"]),
        (MARGIN, top, half, height),
        f"{translate(lang, 'overview.trajectory')} — {s.context['headline']}",
        False,
        [theme.PLAN, theme.PRIMARY, theme.PROJECTION, theme.TEXT],
    )
    if _has_points(s.figures["bars"]):
        _chart(
            slide,
            XL_CHART_TYPE.BAR_CLUSTERED,
            hbar_data(s.figures["bars"]),
            right,
            bars_title,
            True,
            [theme.PRIMARY],
        )
    else:
        _no_data(slide, right, bars_title, lang)


def _title(prs: PresentationType, cover: dict[str, Any]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    lang = cover["lang"]
    _text(
        slide,
        f"{cover['programme']} · {cover['project']}",
        MARGIN,
        Inches(0.5),
        WIDTH - 2 * MARGIN,
        Inches(0.5),
        16,
        color=theme.TEXT_MUTED,
    )
    _text(
        slide,
        cover["title"],
        MARGIN,
        Inches(1.6),
        WIDTH - 2 * MARGIN,
        Inches(1.2),
        40,
        True,
        theme.PRIMARY_DARK,
    )
    facts = (
        f"{translate(lang, 'pack.reference_month')}: {cover['period']}\n"
        f"{translate(lang, 'pack.cutoff')} {cover['cutoff']} · "
        f"{translate(lang, 'pack.data_version')} {cover['data_version']}\n"
        f"{translate(lang, 'pack.role_label')}: {cover['role']}"
    )
    _text(slide, facts, MARGIN, Inches(3.0), WIDTH - 2 * MARGIN, Inches(1.4), 20)
    if cover["demo"]:
        _text(
            slide,
            cover["demo_mark"],
            MARGIN,
            Inches(4.6),
            Inches(7),
            Inches(0.6),
            24,
            True,
            theme.DEMO_MARK,
        )
    _text(slide, cover["funding"], MARGIN, Inches(6.1), WIDTH - 2 * MARGIN, Inches(0.9), 13)


def render_pptx(sections: Sequence[Section], cover: dict[str, Any], lang: str) -> bytes:
    """Title, summary, status matrix and one slide per WP, as PPTX bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    cover = {**cover, "lang": lang}
    _title(prs, cover)
    for s in sections:
        if s.key == "summary":
            _summary(prs, s, cover)
        elif s.key == "matrix":
            _matrix(prs, s, cover)
        elif s.key.startswith("wp-"):
            _wp(prs, s, cover)
    prs.core_properties.title = f"LGNet2 · {cover['title']} · {cover['period']}"
    prs.core_properties.subject = f"data {cover['data_version']}"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
