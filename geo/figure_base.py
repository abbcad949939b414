"""Shared parts of the static maps (``geo.static``): plotly figure, frame and polygon rings."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo import base_layer

FONT = "Titillium Web, DejaVu Sans, Arial, sans-serif"
SEA = "#dde8f0"
OUTSIDE = "#e6e8eb"
INK = "#17324d"


def _rings(geom: BaseGeometry | None) -> Iterable[list[tuple[float, float]]]:
    """Every ring (exterior and holes) of a (Multi)Polygon, as coordinate lists."""
    if geom is None or geom.is_empty:
        return
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    for poly in polys:
        if not isinstance(poly, Polygon):
            continue
        yield list(poly.exterior.coords)
        for hole in poly.interiors:
            yield list(hole.coords)


def polygon_xy(geoms: Iterable[BaseGeometry | None]) -> tuple[list[float | None], ...]:
    """Longitudes and latitudes of every ring, separated by None (one plotly trace draws all)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for geom in geoms:
        for ring in _rings(geom):
            if xs:
                xs.append(None)
                ys.append(None)
            xs += [round(x, 5) for x, _ in ring]
            ys += [round(y, 5) for _, y in ring]
    return xs, ys


def frame_axes(fig: go.Figure, bounds: Sequence[float], width: int, height: int) -> None:
    """Equal distances on both axes at the middle latitude; ``bounds`` = minx, miny, maxx, maxy."""
    minx, miny, maxx, maxy = bounds
    ratio = 1.0 / math.cos(math.radians((miny + maxy) / 2))
    fig.update_xaxes(visible=False, range=[minx, maxx], constrain="domain")
    fig.update_yaxes(
        visible=False, range=[miny, maxy], scaleanchor="x", scaleratio=ratio, constrain="domain"
    )
    fig.update_layout(width=width, height=height)


def base_figure(title: str | None, note: str, background: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        font={"family": FONT, "color": INK, "size": 12},
        title={"text": title, "x": 0.01, "xanchor": "left"} if title else None,
        margin={"l": 8, "r": 8, "t": 48 if title else 8, "b": 28},
        plot_bgcolor=background,
        paper_bgcolor="#ffffff",
        showlegend=True,
        legend={
            "bgcolor": "rgba(255,255,255,0.92)",
            "bordercolor": "#c5ced8",
            "borderwidth": 1,
            "x": 0.99,
            "xanchor": "right",
            "y": 0.99,
            "yanchor": "top",
        },
        hovermode="closest",
    )
    text = base_layer.ATTRIBUTION + (f" · {note}" if note else "")
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        xanchor="right",
        yanchor="top",
        yshift=-4,
        showarrow=False,
        font={"size": 9, "color": "#5c6f82"},
    )
    return fig
