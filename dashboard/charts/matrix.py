"""Category heatmaps: cities x work packages coloured by status (``status_matrix``) and cities
x months coloured by report status (``completeness_heatmap``), with the legend squares a heatmap
lacks. Pure functions (no streamlit), built on ``dashboard.charts.core.new_figure``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.core import new_figure, period_labels
from data_access.locale import fmt_period, translate
from data_access.metrics.status import fmt_progress, partial_note


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
