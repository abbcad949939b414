"""Chart builders for the programme views: data -> ``plotly.graph_objects.Figure``.

Pure functions (no streamlit): frames in, a figure out, every label passed in or translated for
``lang``. Numbers follow the language (``separators``). This module holds the figure every
builder starts from (``new_figure``, ``period_labels``) and the trajectory; the category
heatmaps (status matrix, completeness) are in ``dashboard.charts.matrix``, the bar charts in
``dashboard.charts.bars``, the benchmark charts (funnel, peers) in ``dashboard.charts.benchmark``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from data_access.locale import fmt_period, translate


def new_figure(title: str | None, lang: str, height: int = 420) -> go.Figure:
    """An empty figure with the app's layout and the language's number separators."""
    fig = go.Figure()
    fig.update_layout(**theme.base_layout(title, height=height))
    fig.update_layout(separators=theme.separators(lang))
    return fig


def period_labels(periods: list[str], lang: str) -> list[str]:
    """Short month labels (``mar 2024``) for ``YYYY-MM`` periods."""
    return [fmt_period(p, lang, short=True) for p in periods]


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
