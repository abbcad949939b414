"""The pack's charts: the pages' own Plotly builders (``dashboard.charts``), sized for paper.

Each function takes :class:`~dashboard.pack.data.PackData` and returns the same figure the
dashboard page draws for the same viewer and month, only with a fixed size (CSS pixels of the
A4 landscape box it fills) and fonts a little larger for a projector. The PDF draws them as
vectors; the PPTX reads the same traces to fill its native charts.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.charts import benchmark as charts_benchmark
from dashboard.i18n import fmt_percent, translate
from dashboard.pack.data import TREND_INDICATOR, PackData
from data_access.catalogue import WP_BY_CODE
from data_access.metrics import benchmark as metrics_benchmark
from data_access.metrics import kpi

#: Minimum font size of every chart in the pack (readable when projected).
FONT_SIZE = 14


def _paper(fig: go.Figure, width: int, height: int, **layout: object) -> go.Figure:
    """Size the figure for its box on paper, in one layout update (plotly validates every
    update: one call per figure keeps 45 figures cheap)."""
    fig.update_layout(
        {
            "width": width,
            "height": height,
            "font": {"size": FONT_SIZE},
            "margin": {"l": 10, "r": 20, "t": 40, "b": 10},
            **layout,
        }
    )
    return fig


#: Legend in the empty top-left corner of a rising cumulative line (saves height on paper).
LEGEND_INSIDE = {
    "legend": {
        "orientation": "v",
        "x": 0.01,
        "y": 0.99,
        "xanchor": "left",
        "yanchor": "top",
        "bgcolor": "rgba(255,255,255,0.85)",
        "font": {"size": 12},
    },
    "margin": {"l": 10, "r": 20, "t": 10, "b": 10},
}


def wp_labels() -> dict[str, str]:
    return {w: w for w in WP_BY_CODE}


def summary_progress(data: PackData, lang: str, width: int = 480, height: int = 255) -> go.Figure:
    """The overview's "headline figures" bars (achieved vs planned share per WP)."""
    return _paper(charts.wp_progress_bars(data.headline, lang, wp_labels()), width, height)


def summary_spending(data: PackData, lang: str, width: int = 480, height: int = 255) -> go.Figure:
    """The overview's spending-against-budget bars."""
    return _paper(charts.spending_bars(data.spend, lang, wp_labels()), width, height)


def status_matrix(data: PackData, lang: str, width: int = 400, height: int = 620) -> go.Figure:
    """The overview's 16 x 3 status matrix."""
    fig = charts.status_matrix(data.wp_status, data.names, lang)
    # The legend lives in the chart's own bottom margin (charts.status_matrix): keep it.
    return _paper(fig, width, height, margin={"l": 10, "r": 20, "t": 40, "b": fig.layout.margin.b})


def wp_trajectory(
    data: PackData, wp: str, lang: str, width: int = 500, height: int = 320
) -> go.Figure:
    """The overview's national trajectory of the WP's headline indicator."""
    code = kpi.HEADLINE_INDICATORS[wp]
    path = data.trajectories.get(code)
    if path is None:
        return _paper(go.Figure(), width, height)
    fig = charts.trajectory(
        path["actual"],
        path["plan"],
        lang,
        projection=path["projection"],
        end_value=path["end_value"],
        y_title=translate(lang, "chart.cumulative"),
    )
    fig.update_xaxes(dtick=3, tickangle=0, title=None)
    return _paper(fig, width, height, **LEGEND_INSIDE)


def wp_city_bars(
    data: PackData, wp: str, lang: str, width: int = 500, height: int = 320
) -> go.Figure:
    """The work-package page's comparison across cities, measure "% of target", of the WP's
    headline indicator."""
    code = kpi.HEADLINE_INDICATORS[wp]
    ach = data.achievement[data.achievement["indicator_code"] == code]
    bars = pd.DataFrame({"city_code": list(data.names), "name": list(data.names.values())}).merge(
        ach[["city_code"]].assign(value=ach["achievement"].to_numpy()), on="city_code", how="left"
    )
    fig = charts.sorted_bars(
        bars,
        lang,
        x_title=translate(lang, "measure.pct"),
        reference=1.0,
        reference_label=translate(lang, "chart.target"),
        text=[fmt_percent(v, lang) for v in bars["value"]],
        percent=True,
    )
    # Every city named (plotly would drop every other label at this height), values legible.
    names = [str(y) for y in fig.data[0].y] if fig.data else []
    fig.update_yaxes(tickmode="array", tickvals=names, tickfont={"size": 10.5})
    fig.update_xaxes(title=None)
    return _paper(
        fig,
        width,
        height,
        bargap=0.12,
        uniformtext={"minsize": 9, "mode": "show"},
        margin={"l": 10, "r": 30, "t": 25, "b": 10},
    )


def city_trend(
    data: PackData, city: str, lang: str, width: int = 540, height: int = 330
) -> go.Figure:
    """The benchmarking page's trend against peers (its default indicator and group)."""
    peers = metrics_benchmark.compute_peer_group(data.cities, city, "all")
    trend = metrics_benchmark.compute_peer_trend(
        data.trend_series, data.cities, city, TREND_INDICATOR, peers
    )
    fig = charts_benchmark.peer_trend(
        trend, data.names[city], lang, y_title=translate(lang, "chart.rate_per10k")
    )
    fig.update_xaxes(dtick=3, tickangle=0, title=None)
    return _paper(fig, width, height, **LEGEND_INSIDE)


def completeness(data: PackData, lang: str, width: int = 620, height: int = 640) -> go.Figure:
    """The overview's reporting heatmap (cities x months)."""
    fig = charts.completeness_heatmap(data.reporting, data.names, lang)
    return _paper(fig, width, height)
