"""Chart builders for the programme views: data -> ``plotly.graph_objects.Figure``.

Pure functions (no streamlit): frames in, a figure out, every label passed in or translated for
``lang``. Numbers follow the language (``separators``). Benchmark charts (funnel, peers) are in
``dashboard.charts_benchmark``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from data_access.locale import fmt_percent, fmt_period, translate
from data_access.metrics.status import fmt_progress, partial_note
from geo.figure_base import add_annotations


def new_figure(title: str | None, lang: str, height: int = 420) -> go.Figure:
    """An empty figure with the app's layout and the language's number separators."""
    fig = go.Figure()
    fig.update_layout(**theme.base_layout(title, height=height))
    fig.update_layout(separators=theme.separators(lang))
    return fig


def period_labels(periods: list[str], lang: str) -> list[str]:
    """Short month labels (``mar 2024``) for ``YYYY-MM`` periods."""
    return [fmt_period(p, lang, short=True) for p in periods]


# ----------------------------------------------------------------------- category heatmaps
def category_heatmap(
    z: list[list[int]],
    x: list[str],
    y: list[str],
    hover: list[list[str]],
    colors: list[str],
    *,
    gap: int,
    name: str,
    **extra: Any,
) -> go.Heatmap:
    """A heatmap of categories: cell value ``i`` is drawn in ``colors[i]`` (flat bands, no
    colour bar), ``hover`` is each cell's hover text. ``extra``: more Heatmap properties."""
    n = len(colors)
    colorscale: list[list[float | str]] = []
    for i, color in enumerate(colors):
        colorscale += [[i / n, color], [(i + 1) / n, color]]
    return go.Heatmap(
        z=z,
        x=x,
        y=y,
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        colorscale=colorscale,
        zmin=-0.5,
        zmax=n - 0.5,
        showscale=False,
        xgap=gap,
        ygap=gap,
        name=name,
        **extra,
    )


def legend_squares(
    entries: list[tuple[str, str]], line: dict[str, Any] | None = None
) -> list[go.Scatter]:
    """Legend entries ``(name, colour)`` as invisible points: a heatmap has no categorical
    legend of its own."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=name,
            marker={"size": 12, "symbol": "square", "color": color}
            | ({"line": line} if line else {}),
            hoverinfo="skip",
        )
        for name, color in entries
    ]


# --------------------------------------------------------------------------- status matrix
def status_matrix(
    wp_status: pd.DataFrame, city_names: Mapping[str, str], lang: str, title: str | None = None
) -> go.Figure:
    """Cities (rows, alphabetical) x work packages (columns), one coloured cell per status.

    Args:
        wp_status: ``city_code, wp, status, progress`` (``metrics_progress.compute_wp_status``).
        city_names: city code -> display name.

    Each cell shows a bold symbol (✓ ! ✗ –) besides its colour, and the status name and progress
    on hover. Cities missing from ``wp_status`` get ``no_data`` cells.
    """
    wps = sorted(wp_status["wp"].unique()) if len(wp_status) else ["WP1", "WP2", "WP3"]
    codes = sorted(city_names, key=lambda c: city_names[c], reverse=True)  # top = A
    index = {s: i for i, s in enumerate(theme.STATUSES)}
    lookup = {(r.city_code, r.wp): r for r in wp_status.itertuples()}
    z, text, hover = [], [], []
    for code in codes:
        zr, tr, hr = [], [], []
        for wp in wps:
            r = lookup.get((code, wp))
            status = getattr(r, "status", "no_data") if r is not None else "no_data"
            progress = getattr(r, "progress", np.nan) if r is not None else np.nan
            partial = bool(getattr(r, "progress_partial", False))
            zr.append(index[status])
            tr.append(theme.STATUS_SYMBOLS[status])
            hr.append(
                f"{city_names[code]} · {wp}<br>{translate(lang, f'status.{status}')}"
                f"<br>{translate(lang, 'chart.hover_progress')}: {fmt_progress(progress, lang)}"
                + (f"<br>({partial_note(lang)})" if partial else "")
            )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    fig = new_figure(title, lang, height=max(300, 28 * len(codes) + 90))
    fig.add_trace(
        category_heatmap(
            z,
            wps,
            [city_names[c] for c in codes],
            hover,
            [theme.STATUS_COLORS[s] for s in theme.STATUSES],
            gap=3,
            name="status",
            text=text,
            texttemplate="%{text}",
            textfont={"size": 18, "family": theme.FONT_FAMILY},
        )
    )
    fig.add_traces(
        legend_squares(
            [
                (
                    f"{theme.STATUS_SYMBOLS[s]} {translate(lang, f'status.{s}')}",
                    theme.STATUS_COLORS[s],
                )
                for s in theme.STATUSES
            ]
        )
    )
    fig.update_layout(
        xaxis={"side": "top", "showgrid": False, "title": None},
        yaxis={"showgrid": False, "title": None},
        # The legend sits in a fixed bottom margin (two rows fit): a margin plotly grows for a
        # legend is not given back when the chart widens, and the legend then covered the
        # last city's row.
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"},
        margin={"b": 56},
    )
    return fig


# ------------------------------------------------------------------------------ trajectory
def trajectory(
    actual: pd.DataFrame,
    plan: pd.DataFrame,
    lang: str,
    *,
    projection: Mapping[str, object] | None = None,
    end_value: float = np.nan,
    end_period: str = "2024-03",
    y_title: str = "",
    title: str | None = None,
) -> go.Figure:
    """Cumulative value against the planned path, with the projection to the programme end.

    Args:
        actual: ``period, value`` (cumulated, up to the reference month).
        plan: ``period, planned`` (cumulated plan over the programme).
        projection: a row of ``metrics_projection.compute_projection`` (uses ``projected_value``)
            drawn from the last actual point to ``end_period``; None for none.
        end_value: the target, drawn as a marker at ``end_period``.
    """
    fig = new_figure(title, lang)
    periods = sorted(set(plan["period"]) | set(actual["period"]) | {end_period})
    x_of = dict(zip(periods, period_labels(periods, lang), strict=True))
    if len(plan):
        fig.add_trace(
            go.Scatter(
                x=[x_of[p] for p in plan["period"]],
                y=plan["planned"],
                name=translate(lang, "chart.plan"),
                mode="lines",
                line={"color": theme.PLAN, "dash": "dash", "width": 2},
            )
        )
    if len(actual):
        fig.add_trace(
            go.Scatter(
                x=[x_of[p] for p in actual["period"]],
                y=actual["value"],
                name=translate(lang, "chart.actual"),
                mode="lines+markers",
                line={"color": theme.PRIMARY, "width": 3},
                marker={"size": 6},
            )
        )
    if projection is not None and len(actual) and pd.notna(projection.get("projected_value")):
        last = actual.iloc[-1]
        fig.add_trace(
            go.Scatter(
                x=[x_of[last["period"]], x_of[end_period]],
                y=[last["value"], projection["projected_value"]],
                name=translate(lang, "chart.projection"),
                mode="lines+markers",
                line={"color": theme.PROJECTION, "dash": "dot", "width": 3},
                marker={"size": [0, 9], "symbol": "diamond"},
            )
        )
    if pd.notna(end_value):
        fig.add_trace(
            go.Scatter(
                x=[x_of[end_period]],
                y=[end_value],
                name=translate(lang, "chart.target"),
                mode="markers",
                marker={"size": 14, "symbol": "star", "color": theme.TEXT},
            )
        )
    fig.update_xaxes(
        categoryorder="array",
        categoryarray=[x_of[p] for p in periods],
        title=translate(lang, "chart.month"),
    )
    fig.update_yaxes(title=y_title or translate(lang, "chart.cumulative"), rangemode="tozero")
    return fig


# --------------------------------------------------------------------------- completeness
def completeness_heatmap(
    reporting: pd.DataFrame, city_names: Mapping[str, str], lang: str, title: str | None = None
) -> go.Figure:
    """Cities x months coloured by report status (on time, late, missing, not yet due).

    Args:
        reporting: ``city_code, period, status`` (``metrics_completeness.compute_reporting``).
    """
    periods = sorted(reporting["period"].unique()) if len(reporting) else []
    codes = sorted(city_names, key=lambda c: city_names[c], reverse=True)
    states = list(theme.COMPLETENESS)
    index = {s: i for i, s in enumerate(states)}
    lookup = {(r.city_code, r.period): r.status for r in reporting.itertuples()}
    z = [
        [index.get(lookup.get((c, p), "missing"), index["missing"]) for p in periods] for c in codes
    ]
    hover = [
        [
            f"{city_names[c]} · {fmt_period(p, lang)}<br>"
            f"{translate(lang, 'report_status.' + lookup.get((c, p), 'missing'))}"
            for p in periods
        ]
        for c in codes
    ]
    fig = new_figure(title, lang, height=max(300, 24 * len(codes) + 110))
    fig.add_trace(
        category_heatmap(
            z,
            period_labels(periods, lang),
            [city_names[c] for c in codes],
            hover,
            [theme.COMPLETENESS_COLORS[s] for s in states],
            gap=2,
            name=translate(lang, "chart.hover_reported"),
        )
    )
    fig.add_traces(
        legend_squares(
            [(translate(lang, f"report_status.{s}"), theme.COMPLETENESS_COLORS[s]) for s in states],
            line={"color": theme.GRID, "width": 1},
        )
    )
    fig.update_layout(
        xaxis={"showgrid": False, "title": None, "tickangle": -45},
        yaxis={"showgrid": False, "title": None},
    )
    return fig


# ------------------------------------------------------------------------------ bar charts
def sorted_bars(
    frame: pd.DataFrame,
    lang: str,
    *,
    x_title: str,
    highlight: str | None = None,
    reference: float | None = None,
    reference_label: str = "",
    text: list[str] | None = None,
    title: str | None = None,
    percent: bool = False,
    gaps: list[str] | None = None,
) -> go.Figure:
    """Horizontal bars, one per city, sorted with the highest value on top.

    Args:
        frame: ``city_code, name, value`` (NaN values are left out).
        highlight: a city code drawn in the highlight colour (the others neutral).
        reference: a vertical line (e.g. the median or 100% of target).
        text: bar labels aligned with ``frame`` rows (formatted values), written in a column
            right of the plot so the reference line never runs through them; default none.
        percent: values are shares (1.0 = 100%): the axis is labelled in percent.
        gaps: per row, why the value is missing (``suppressed`` or ``missing``; ``""`` when it
            is there). Such cities keep their row, at the bottom, with no bar and a mark named
            in the legend ("<10", "non disponibile"): a city never silently disappears.
    """
    data = frame.assign(
        _text=text if text is not None else "",
        _gap=gaps
        if gaps is not None
        else ["" if pd.notna(v) else "missing" for v in frame["value"]],
    )
    holes = data[data["value"].isna()].sort_values("name", ascending=False)
    data = data[data["value"].notna()].sort_values(["value", "name"], ascending=[True, False])
    colors = [theme.HIGHLIGHT if c == highlight else theme.PRIMARY for c in data["city_code"]]
    fig = new_figure(title, lang, height=max(320, 26 * (len(data) + len(holes)) + 100))
    fig.add_trace(
        go.Bar(
            x=data["value"],
            y=data["name"],
            orientation="h",
            marker={"color": colors},
            hovertemplate="%{y}: %{x:,.1f}<extra></extra>",
            name=x_title,
            showlegend=False,
        )
    )
    for kind in ("suppressed", "missing"):
        rows = holes[holes["_gap"] == kind]
        if len(rows):
            fig.add_trace(
                go.Scatter(
                    x=[0] * len(rows),
                    y=rows["name"],
                    mode="markers+text",
                    marker={"symbol": "line-ns-open", "size": 14, "color": theme.TEXT_MUTED},
                    text=[translate(lang, f"chart.gap_{kind}_short")] * len(rows),
                    textposition="middle right",
                    textfont={"color": theme.TEXT_MUTED},
                    cliponaxis=False,
                    name=translate(lang, f"chart.gap_{kind}"),
                    hovertemplate=f"%{{y}}: {translate(lang, f'chart.gap_{kind}')}<extra></extra>",
                )
            )
    if reference is not None and np.isfinite(reference):
        # Under the bars and their labels, so a value next to the line stays readable.
        fig.add_vline(
            x=reference,
            line={"color": theme.TEXT, "dash": "dash", "width": 1.5},
            layer="below",
            annotation_text=reference_label,
            annotation_position="top",
        )
    if text is not None:
        # The values in a column right of the plot: the reference line never crosses them.
        values = [
            dict(
                x=1.0,
                xref="paper",
                y=name,
                yref="y",
                text=str(label),
                xanchor="left",
                xshift=6,
                showarrow=False,
                font={"color": theme.TEXT, "size": 12},
            )
            for name, label in zip(data["name"], data["_text"], strict=True)
        ]
        add_annotations(fig, values)
        fig.update_layout(margin={"r": 80})
    fig.update_layout(showlegend=len(holes) > 0, bargap=0.25)
    if len(holes):
        fig.update_layout(
            legend={"orientation": "h", "x": 0, "y": -0.08, "yanchor": "top", "yref": "paper"}
        )
    fig.update_xaxes(title=x_title, rangemode="tozero", tickformat=".0%" if percent else ",~f")
    order = list(holes["name"]) + list(data["name"])  # bottom to top
    fig.update_yaxes(title=None, categoryorder="array", categoryarray=order)
    return fig


def wp_progress_bars(
    headline: pd.DataFrame, lang: str, wp_labels: Mapping[str, str], title: str | None = None
) -> go.Figure:
    """Per WP: share of the final target achieved vs share planned by now (grouped bars).

    Args:
        headline: ``wp, achievement, planned_share`` (``kpi.headline_figures``).
    """
    fig = new_figure(title, lang, height=320)
    x = [wp_labels.get(w, w) for w in headline["wp"]]
    fig.add_trace(
        go.Bar(
            x=x,
            y=headline["achievement"],
            name=translate(lang, "chart.achievement"),
            marker={"color": [theme.WP_COLORS.get(w, theme.PRIMARY) for w in headline["wp"]]},
            text=[fmt_percent(v, lang) for v in headline["achievement"]],
            textposition="outside",
        )
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=headline["planned_share"],
            name=translate(lang, "chart.planned_share"),
            marker={"color": "rgba(0,0,0,0)", "line": {"color": theme.TEXT, "width": 2}},
            text=[fmt_percent(v, lang) for v in headline["planned_share"]],
            textposition="outside",
        )
    )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title=None)
    fig.update_layout(barmode="group")
    return fig


def spending_bars(
    spend: pd.DataFrame, lang: str, wp_labels: Mapping[str, str], title: str | None = None
) -> go.Figure:
    """Budget vs spent (EUR) per work package (``kpi.spending`` without the TOTAL row)."""
    data = spend[spend["wp"] != "TOTAL"]
    x = [wp_labels.get(w, w) for w in data["wp"]]
    fig = new_figure(title, lang, height=320)
    fig.add_trace(
        go.Bar(
            x=x,
            y=data["budget"],
            name=translate(lang, "chart.budget"),
            marker={"color": theme.GRID, "line": {"color": theme.TEXT_MUTED, "width": 1}},
        )
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=data["spent"],
            name=translate(lang, "chart.spent"),
            marker={"color": theme.PRIMARY},
            text=[fmt_percent(v, lang) for v in data["share"]],
            textposition="outside",
        )
    )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(title=translate(lang, "chart.eur"), rangemode="tozero")
    return fig
