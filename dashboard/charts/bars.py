"""Bar charts: cities sorted by value (``sorted_bars``, with their gaps kept as marked rows),
progress and spending per work package. Pure functions (no streamlit), built on
``dashboard.charts.core.new_figure``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.core import new_figure
from data_access.locale import fmt_percent, translate
from geo.figure_base import add_annotations


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
