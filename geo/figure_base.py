"""Shared parts of the static maps (``geo.static``): plotly figure, frame and polygon rings, and
where things fall on the picture (pixels), so labels, legends and notes can be kept apart."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo import base_layer
from geo.style import REGION_STYLE

FONT = "Titillium Web, DejaVu Sans, Arial, sans-serif"
SEA = "#dde8f0"
OUTSIDE = "#e6e8eb"
INK = "#17324d"
#: Font size of the attribution line and the height of the band it takes under the map (px).
ATTRIBUTION_SIZE = 9
ATTRIBUTION_BAND = 22
#: Plotly draws a line of text 1.3 font sizes high.
LINE_HEIGHT = 1.3

Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 in the figure's pixels, y downwards."""


def text_width(text: str, size: float) -> float:
    """The width in pixels of ``text`` at font ``size``, never less than it is drawn: the
    advances are DejaVu Sans' (the widest of the fonts the figures name) rounded up."""
    em = 0.0
    for ch in text:
        if ch in "mwMW@%":
            em += 1.0
        elif ch in " .,;:'!|ijlI":
            em += 0.34
        elif ch in "frt()[]-/":
            em += 0.44
        elif ch.isupper():
            em += 0.78
        else:
            em += 0.65
    return em * size


def legend_size(groups: Sequence[tuple[str, Sequence[str]]], size: float) -> tuple[float, float]:
    """Width and height (px) a vertical plotly legend takes at most: ``groups`` of (title or "",
    entry names), drawn as plotly does (16 px symbol rows plus 3, a 40 px symbol column, 5 px
    around the items, 10 px between groups, a 1 px border)."""
    row = max(LINE_HEIGHT * size, 16) + 3
    width = 0.0
    height = 2 * 5 + 2.0
    for i, (title, entries) in enumerate(groups):
        texts = [*entries, title] if title else list(entries)
        width = max(width, *(text_width(t, size) for t in texts)) if texts else width
        height += row * (len(entries) + (1 if title else 0)) + (10 if i else 0)
    return width + 40 + 2 * 5 + 2, height


def overlap(a: Box, b: Box) -> float:
    """The area two boxes share (0 when they only touch or are apart)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


@dataclass(frozen=True)
class Frame:
    """Where a map's axes fall in its figure: ``box`` in pixels (y downwards) shows ``bounds``
    (minx, miny, maxx, maxy in degrees), distances equal on both axes."""

    box: Box
    bounds: tuple[float, float, float, float]

    def to_px(self, lon: float, lat: float) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        minx, miny, maxx, maxy = self.bounds
        return (
            x0 + (lon - minx) / (maxx - minx) * (x1 - x0),
            y1 - (lat - miny) / (maxy - miny) * (y1 - y0),
        )


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


def frame_axes(fig: go.Figure, bounds: Sequence[float], width: int, height: int) -> Frame:
    """Equal distances on both axes at the middle latitude; ``bounds`` = minx, miny, maxx, maxy.

    Set the figure's margins first: the returned :class:`Frame` is where plotly draws the axes
    inside them (the axis with room to spare shrinks, centred, as ``constrain="domain"`` does).
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    ratio = 1.0 / math.cos(math.radians((miny + maxy) / 2))
    fig.update_xaxes(visible=False, range=[minx, maxx], constrain="domain")
    fig.update_yaxes(
        visible=False, range=[miny, maxy], scaleanchor="x", scaleratio=ratio, constrain="domain"
    )
    fig.update_layout(width=width, height=height)
    return axes_frame(fig)


def axes_frame(fig: go.Figure) -> Frame:
    """The :class:`Frame` of a figure laid out by :func:`frame_axes` (size, margins, ranges)."""
    lay = fig.layout
    m = lay.margin
    left, top = float(m.l), float(m.t)
    w = float(lay.width) - left - float(m.r)
    h = float(lay.height) - top - float(m.b)
    minx, maxx = (float(v) for v in lay.xaxis.range)
    miny, maxy = (float(v) for v in lay.yaxis.range)
    scale = min(w / (maxx - minx), h / ((maxy - miny) * float(lay.yaxis.scaleratio)))
    dw, dh = scale * (maxx - minx), scale * (maxy - miny) * float(lay.yaxis.scaleratio)
    x0, y0 = left + (w - dw) / 2, top + (h - dh) / 2
    return Frame((x0, y0, x0 + dw, y0 + dh), (minx, miny, maxx, maxy))


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
    # In the band under the map (ATTRIBUTION_BAND): nothing else is placed there.
    paper_note(
        fig,
        text,
        (1, 0, "right", "top"),
        {"size": ATTRIBUTION_SIZE, "color": "#5c6f82"},
        name="attribution",
        yshift=-4,
    )
    return fig


def paper_note(
    fig: go.Figure,
    text: str,
    where: tuple[float, float, str, str],
    font: dict[str, object],
    **extra: object,
) -> None:
    """A line of text at ``where`` = (x, y, xanchor, yanchor) of the plotting area (paper)."""
    x, y, xanchor, yanchor = where
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=x,
        y=y,
        xanchor=xanchor,
        yanchor=yanchor,
        showarrow=False,
        font=font,
        **extra,
    )


def land_trace(
    geoms: Iterable[BaseGeometry | None],
    line_colour: str,
    line_width: float,
    name: str,
    showlegend: bool = False,
) -> go.Scatter:
    """Land: the polygons filled as the base layer's regions, outlined, never hovered."""
    xs, ys = polygon_xy(geoms)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        fillcolor=str(REGION_STYLE["fillColor"]),
        line={"color": line_colour, "width": line_width},
        hoverinfo="skip",
        showlegend=showlegend,
        name=name,
    )


def add_annotations(fig: go.Figure, annotations: Sequence[Mapping[str, object]]) -> None:
    """Add many annotations in one layout update: ``fig.add_annotation`` re-validates every
    annotation already there, so adding n of them one by one costs n² (seconds at 160 cities,
    minutes at 1,600)."""
    fig.update_layout(annotations=[*fig.layout.annotations, *annotations])
