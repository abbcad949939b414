"""Benchmark charts: funnel plot and a city's trend against its peers (pure, no streamlit)."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard import theme
from dashboard.charts.core import new_figure, period_labels
from data_access.locale import fmt_number, translate
from geo.figure_base import text_width
from geo.layers import Side, choose_sides


def log_ticks(lo: float, hi: float) -> list[float]:
    """Tick values 1 and 3 x 10^k from below ``lo`` to above ``hi``: far enough apart on a log
    axis that their labels never overlap (Plotly's own 1-2-5 labels run together)."""
    if not (lo > 0 and hi >= lo):
        return []
    k = math.floor(math.log10(lo))
    ticks: list[float] = []
    while not ticks or ticks[-1] < hi:
        ticks += [10.0**k, 3 * 10.0**k]
        k += 1
    first = max(i for i, v in enumerate(ticks) if v <= lo)
    last = min(i for i, v in enumerate(ticks) if v >= hi)
    return ticks[first : last + 1]


def funnel_plot(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    pooled_rate: float,
    city_names: Mapping[str, str],
    lang: str,
    *,
    highlight: str | None = None,
    peers: Collection[str] = (),
    y_title: str = "",
    title: str | None = None,
) -> go.Figure:
    """Rate per 10,000 foreign residents against city size, with 95% and 99.8% limits.

    Args:
        points: ``city_code, denominator, rate, position`` (``metrics_benchmark.Funnel.points``).
        limits: ``denominator, lower_95, upper_95, lower_998, upper_998`` (``Funnel.limits``).
        pooled_rate: the overall rate (horizontal line).
        highlight: the chosen city, drawn larger and in the highlight colour with its name.
        peers: the chosen peer group, drawn filled (the other cities hollow, in grey).

    Traces, in order: 99.8% limits (2 lines), 95% limits (2 lines), the pooled rate, the cities
    of the peer group, the other cities. Cities outside the 95% limits are named.
    """
    fig = new_figure(title, lang, height=460)
    x = limits["denominator"]
    for level, dash, width in (("998", "dot", 1.5), ("95", "dash", 1.5)):
        name = translate(lang, f"chart.limit_{level}")
        for i, side in enumerate(("upper", "lower")):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=limits[f"{side}_{level}"],
                    mode="lines",
                    name=name,
                    legendgroup=level,
                    showlegend=i == 0,
                    line={"color": theme.TEXT_MUTED, "dash": dash, "width": width},
                    hoverinfo="skip",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[x.min(), x.max()],
            y=[pooled_rate, pooled_rate],
            mode="lines",
            name=translate(lang, "chart.pooled"),
            line={"color": theme.TEXT, "width": 1.5},
            hoverinfo="skip",
        )
    )
    y_range = funnel_y_range(points, limits)
    where = funnel_name_positions(
        points, names_of(points, city_names, highlight), x, y_range, highlight
    )
    peer_set = {str(c) for c in peers} or set(points["city_code"].astype(str))
    for in_group in (True, False):
        pts = points[points["city_code"].astype(str).isin(peer_set) == in_group]
        if pts.empty:
            continue
        names = [city_names.get(c, c) for c in pts["city_code"]]
        is_hl = (pts["city_code"] == highlight).to_numpy()
        outside = (pts["position"] != "inside").to_numpy()
        codes = [str(c) for c in pts["city_code"]]
        colour = theme.PRIMARY if in_group else theme.NEUTRAL
        fig.add_trace(
            go.Scatter(
                x=pts["denominator"],
                y=pts["rate"],
                mode="markers+text",
                text=[n if h or o else "" for n, h, o in zip(names, is_hl, outside, strict=True)],
                textposition=[where.get(c, "top center") for c in codes],
                textfont={"color": theme.TEXT, "size": 12},
                cliponaxis=False,
                marker={
                    "size": [16 if h else 10 for h in is_hl],
                    "color": [theme.HIGHLIGHT if h else colour for h in is_hl],
                    "symbol": "circle" if in_group else "circle-open",
                    "line": {"color": "#FFFFFF" if in_group else colour, "width": 1.5},
                },
                customdata=names,
                name=translate(lang, "chart.peer_group" if in_group else "chart.others"),
                hovertemplate="%{customdata}<br>%{x:,.0f} · %{y:,.1f}<extra></extra>",
            )
        )
    ticks = log_ticks(
        float(min(x.min(), points["denominator"].min())),
        float(max(x.max(), points["denominator"].max())),
    )
    fig.update_xaxes(
        type="log",
        title=translate(lang, "chart.foreign_residents"),
        tickvals=ticks,
        ticktext=[fmt_number(v, lang) for v in ticks],
    )
    fig.update_yaxes(
        title=y_title or translate(lang, "chart.rate_per10k"),
        rangemode="tozero",
        range=y_range,
    )
    return fig


def names_of(
    points: pd.DataFrame, city_names: Mapping[str, str], highlight: str | None
) -> dict[str, str]:
    """The names the funnel writes: the chosen city's and those of the cities outside the
    95% limits."""
    named = (points["position"] != "inside") | (points["city_code"] == highlight)
    return {str(c): city_names.get(c, c) for c in points.loc[named, "city_code"]}


#: The plot area the names are placed for (px): a phone's (about 300 px of a 390-px screen).
#: Names that clear each other there clear each other on a wider chart too, where the dots lie
#: further apart.
FUNNEL_PLOT_PX = (300.0, 330.0)
#: Where a name may go, in order of preference (Plotly's ``textposition`` names).
FUNNEL_NAME_SIDES: tuple[Side, ...] = (
    "top",
    "bottom",
    "right",
    "left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)


def funnel_name_positions(
    points: pd.DataFrame,
    names: Mapping[str, str],
    limits_x: pd.Series,
    y_range: list[float] | None,
    highlight: str | None = None,
) -> dict[str, str]:
    """Plotly ``textposition`` per named city: above its dot unless that name would cover
    another name or dot (then below, beside or at a corner: :func:`geo.layers.choose_sides`), with the
    dots where a log x axis and ``y_range`` put them in :data:`FUNNEL_PLOT_PX`."""
    if not names or y_range is None:
        return {}
    xs = pd.concat([limits_x, points["denominator"]]).dropna()
    xs = xs[xs > 0]
    if xs.empty:
        return {}
    lo, hi = math.log10(float(xs.min())), math.log10(float(xs.max()))
    pad = max(hi - lo, 1e-9) * 0.04
    lo, hi = lo - pad, hi + pad
    width, height = FUNNEL_PLOT_PX
    circles = []
    for code, x, y in zip(points["city_code"], points["denominator"], points["rate"], strict=True):
        if not (x > 0 and pd.notna(y)):
            continue
        px = (math.log10(float(x)) - lo) / (hi - lo) * width
        py = (1 - float(y) / y_range[1]) * height
        # The markers' radii (8 and 5 px) less their rim: a name may graze a dot's edge.
        circles.append((str(code), px, py, 6.5 if code == highlight else 3.5))
    widths = {c: text_width(n, 12) for c, n in names.items()}
    # The chosen city first, then from the left: the smallest cities have the least room
    # (the axis' edge) and take their side before their neighbours.
    circles.sort(key=lambda c: (c[0] != highlight, c[1], c[0]))
    frame = (0.0, 0.0, width, height)
    sides = choose_sides(circles, widths, frame, FUNNEL_NAME_SIDES, in_order=True, unambiguous=True)
    return {c: _text_position(side) for c, side in sides.items()}


def _text_position(side: Side) -> str:
    """Plotly's name for a side: ``top center``, ``middle right``, ``top left``..."""
    if side in ("top", "bottom"):
        return f"{side} center"
    if side in ("right", "left"):
        return f"middle {side}"
    return side


#: Room above the highest city for its name (a share of the axis): the cities furthest above
#: the limits are the ones the chart must name, and Plotly's own range clips their labels.
FUNNEL_HEADROOM = 0.15


def funnel_y_range(points: pd.DataFrame, limits: pd.DataFrame) -> list[float] | None:
    """``[0, top]`` with room for the name above the highest city, or None (autorange) when
    there is nothing positive to show. The 95% limits are kept in view; the 99.8% ones may leave
    the top where a small city's limits are wide."""
    values = pd.concat([points["rate"], limits["upper_95"]]).dropna()
    top = float(values.max()) if not values.empty else 0.0
    if not top > 0:
        return None
    return [0.0, top / (1 - FUNNEL_HEADROOM)]


def peer_trend(
    trend: pd.DataFrame, city_name: str, lang: str, *, y_title: str = "", title: str | None = None
) -> go.Figure:
    """The city's monthly benchmark value against its peers' median and min-max band.

    Args:
        trend: ``period, city, peer_median, peer_min, peer_max``
            (``metrics_benchmark.compute_peer_trend``).

    Traces, in order: band upper edge, band lower edge (filled), peer median, the city.
    """
    fig = new_figure(title, lang)
    periods = list(trend["period"])
    x = period_labels(periods, lang)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=trend["peer_max"],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
            name="max",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=trend["peer_min"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(143,163,184,0.30)",
            name=translate(lang, "chart.peers_range"),
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=trend["peer_median"],
            mode="lines",
            line={"color": theme.TEXT_MUTED, "dash": "dash", "width": 2},
            name=translate(lang, "chart.peers_median"),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=trend["city"],
            mode="lines+markers",
            line={"color": theme.HIGHLIGHT, "width": 3},
            name=city_name,
        )
    )
    fig.update_xaxes(title=translate(lang, "chart.month"))
    fig.update_yaxes(title=y_title or translate(lang, "chart.rate_per10k"), rangemode="tozero")
    return fig
