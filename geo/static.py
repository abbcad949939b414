"""Static maps: the same layers as the interactive maps, as plotly figures that need no network.

For ``lgnet2 snapshot``, the meeting pack (PDF/PPTX) and any picture of a map: plain cartesian
axes (longitude, latitude, equal distances at the map's latitude), no tiles, no mapbox, no
topojson from a CDN, so ``fig.write_image`` / ``fig.to_image`` (kaleido) work offline.

- :func:`build_national_figure` — Italy's regions (bundled), the cities as bubbles (area: value,
  colour: status), their names, the status legend, the ISTAT/openpolis attribution.
- :func:`build_city_figure` — the municipal boundary, the peripheries as a choropleth (dashed
  when indicative) with their names placed clear of each other and of the hubs
  (``geo.static_labels``), the hubs and one-stop shops by type, the attribution.

Inputs are the frames the folium builders take (``geo.national`` / ``geo.city``), so a page, an
export and a document show the same bubbles and classes. Protected shelters are never drawn: the
city figure takes no protected-places argument and refuses a hub of an unknown type.
Deterministic: the same input gives the same ``fig.to_json()``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Literal

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry.base import BaseGeometry

from geo import base_layer
from geo.figure_base import (
    ATTRIBUTION_BAND,
    INK,
    OUTSIDE,
    SEA,
    Box,
    add_annotations,
    base_figure,
    frame_axes,
    land_trace,
    legend_size,
    paper_note,
    polygon_xy,
)
from geo.national import city_bubbles
from geo.simplify import bounds_zoom, simplify_coverage, tolerance_for_zoom
from geo.static_labels import marker_box, name_annotation, place_names
from geo.style import (
    BOUNDARY_STYLE,
    HUB_STYLES,
    NO_DATA_FILL,
    REGION_STYLE,
    SEQUENTIAL,
    STATUS_COLOURS,
    STATUSES,
    MapLabels,
    class_breaks,
    class_colour,
    default_format,
)

#: Hub type -> plotly marker symbol (told apart by shape as well as colour, as on the web map).
HUB_SYMBOLS: dict[str, str] = {
    "centro_anziani": "circle",
    "scuola_comunale": "square",
    "ludoteca": "diamond",
    "biblioteca": "triangle-up",
    "centro_sportivo": "pentagon",
    "spazio_culturale": "star",
    "sportello_unico": "square",
}
#: Font size of the cities' names on the national map (px).
CITY_NAME_SIZE = 11
#: The national figure names this many cities at most (the programme has 16).
MAX_CITY_NAMES = 40


def build_national_figure(
    cities: pd.DataFrame,
    value_label: str,
    *,
    labels: MapLabels | None = None,
    format_value: Callable[[float], str] | None = None,
    title: str | None = None,
    note: str = "",
    width: int = 800,
    height: int = 900,
) -> go.Figure:
    """The national map as a static plotly figure (no network; pure).

    Args:
        cities: as for ``geo.national.build_national_map``: ``city_code, name, lat, lon, value,
            status`` and optionally ``value_text`` (the value already formatted).
        value_label: the indicator's name in the reader's language (hover text, size note).
        labels: the words of the map (default Italian; ``MapLabels.english()``).
        format_value: number formatting when there is no ``value_text``.
        title: a title over the map, or None.
        note: a line printed after the attribution (e.g. "DATI DIMOSTRATIVI / demo data").
        width, height: size in pixels (the map keeps equal distances and fits inside).

    Returns:
        A figure with the 20 regions (one filled trace), one bubble trace per status present
        (legend: the status names; bubble area proportional to the value, the same radii as the
        web map), the cities' names beside their bubbles and the attribution at the bottom.

    Raises:
        ValueError: a required column is missing or a status is unknown.
    """
    labels = labels or MapLabels()
    bubbles = city_bubbles(cities, labels, format_value, "national figure")
    fig = base_figure(title, note, SEA)
    regions = base_layer.regions(5)
    fig.add_trace(land_trace(regions.geometry, str(REGION_STYLE["color"]), 0.6, "regions"))

    for status in STATUSES:
        mine = [b for b in bubbles if b.status == status]
        if not mine:
            continue
        fig.add_trace(
            go.Scatter(
                x=[round(b.lon, 5) for b in mine],
                y=[round(b.lat, 5) for b in mine],
                mode="markers",
                name=labels.status[status],
                text=[b.name for b in mine],
                marker={
                    "size": [2 * b.radius for b in mine],
                    "sizemode": "diameter",
                    "color": STATUS_COLOURS[status],
                    "opacity": 0.88,
                    "line": {"color": INK, "width": 1},
                },
                customdata=[[b.text] for b in mine],
                hovertemplate=f"<b>%{{text}}</b><br>{value_label}: %{{customdata[0]}}"
                "<extra></extra>",
            )
        )
    fig.update_layout(legend_title_text=labels.status_title)
    paper_note(
        fig,
        f"{labels.size_note}: {value_label}",
        (0, 0, "left", "bottom"),
        {"size": 10, "color": "#455b71"},
        name="size-note",
        align="left",
        bgcolor="rgba(255,255,255,0.85)",
    )
    minx, miny, maxx, maxy = regions.total_bounds
    where = frame_axes(fig, (minx - 0.3, miny - 0.2, maxx + 0.3, maxy + 0.2), width, height)
    # The cities' names beside their bubbles, clear of the other names and bubbles.
    centres = [where.to_px(b.lon, b.lat) for b in bubbles]
    discs = [
        (x - b.radius, y - b.radius, x + b.radius, y + b.radius)
        for (x, y), b in zip(centres, bubbles, strict=True)
    ]
    # At most MAX_CITY_NAMES names, the largest bubbles first: every city of the programme is
    # named, and a map of a thousand synthetic cities (benchmarks) stays legible and quick (the
    # placement compares each name with every one placed before it).
    named = sorted(range(len(bubbles)), key=lambda i: -bubbles[i].radius)[:MAX_CITY_NAMES]
    named.sort()
    placed = place_names(
        [(bubbles[i].name, bubbles[i].lon, bubbles[i].lat) for i in named],
        where,
        discs,
        size=CITY_NAME_SIZE,
        clearances=[bubbles[i].radius for i in named],
        avoid=[_inner_legend_box(fig, labels.status_title)],
    )
    add_annotations(fig, [name_annotation(name, CITY_NAME_SIZE) for name in placed])
    return fig


def _inner_legend_box(fig: go.Figure, title: str) -> Box:
    """Where the legend ``base_figure`` puts in the map's top right corner lies (px, at most)."""
    lay = fig.layout
    w, h = legend_size([(title, []), *legend_groups(fig)], float(lay.font.size))
    m = lay.margin
    right = m.l + float(lay.legend.x) * (lay.width - m.l - m.r)
    top = m.t + (1 - float(lay.legend.y)) * (lay.height - m.t - m.b)
    return (right - w, top, right, top + h)


def _class_name(i: int, edges: Sequence[float], fmt: Callable[[float], str]) -> str:
    if len(edges) == 2 and edges[0] == edges[1]:
        return fmt(edges[0])
    return f"{fmt(edges[i])} – {fmt(edges[i + 1])}"


def build_city_figure(
    peripheries: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame | None,
    value_column: str,
    value_title: str,
    *,
    boundary: BaseGeometry | None = None,
    labels: MapLabels | None = None,
    format_value: Callable[[float], str] | None = None,
    title: str | None = None,
    note: str = "",
    width: int = 900,
    height: int = 800,
    legend: Literal["side", "below"] = "side",
    legend_size: int = 11,
) -> go.Figure:
    """One city's map as a static plotly figure (no network; pure).

    Args:
        peripheries: as for ``geo.city.build_city_map``: ``id, name, geometry_quality`` and the
            ``value_column``, polygons in EPSG:4326.
        hubs: points with ``id, name, type`` (a type of ``geo.style.HUB_STYLES``: aggregation
            hubs and one-stop shops only), or None.
        value_column: the column that colours the peripheries.
        value_title: its name in the reader's language (legend group title).
        boundary: the municipal boundary, e.g. ``geo.base_layer.municipal_boundary(code)``.
        labels, format_value, title, note, width, height: as for :func:`build_national_figure`.
        legend: ``"side"``, one legend right of the map; ``"below"``, under the attribution line,
            the classes on the left and the hubs on the right (a narrow column, e.g. on paper).
        legend_size: the legend's font size (px).

    Returns:
        A figure with the boundary (land inside, neutral outside), one trace per value class
        (the web map's classes and colours; indicative perimeters dashed), the periphery names
        (annotations placed apart from each other and from the hubs, see ``geo.static_labels``),
        one marker trace per hub type present and the attribution. The margins hold the legends
        and the attribution, so none of them covers another or the map.

    Raises:
        ValueError: missing columns, or a hub of a type that is not a hub or a one-stop shop
            (protected shelters never reach a map).
    """
    need = ("id", "name", "geometry_quality", "geometry", value_column)
    missing = [c for c in need if c not in peripheries.columns]
    if missing:
        raise ValueError(f"city figure: peripheries lack columns {missing}")
    if hubs is not None and not hubs.empty:
        if missing := [c for c in ("id", "name", "type", "geometry") if c not in hubs.columns]:
            raise ValueError(f"city figure: hubs lack columns {missing}")
        if unknown := sorted(set(hubs["type"]) - set(HUB_STYLES)):
            raise ValueError(f"city figure: not a hub type {unknown}")
    labels = labels or MapLabels()
    fmt = format_value or default_format
    fig = base_figure(title, note, OUTSIDE)

    parts = [g for g in peripheries.geometry if g is not None and not g.is_empty]
    if boundary is not None and not boundary.is_empty:
        parts = [boundary]
    elif hubs is not None and not hubs.empty:
        parts += list(hubs.geometry)
    bounds = tuple(gpd.GeoSeries(parts).total_bounds) if parts else (12.4, 41.8, 12.6, 42.0)
    zoom = bounds_zoom(bounds, width)

    if boundary is not None and not boundary.is_empty:
        simple = boundary.simplify(tolerance_for_zoom(zoom + 1))
        fig.add_trace(land_trace([simple], str(BOUNDARY_STYLE["color"]), 2, labels.boundary, True))

    frame = peripheries.sort_values("id", kind="stable")
    if not frame.empty:
        values: list[float | None] = []
        for v in frame[value_column]:
            f = pd.to_numeric(v, errors="coerce")
            values.append(float(f) if pd.notna(f) and math.isfinite(float(f)) else None)
        edges = class_breaks([v for v in values if v is not None])
        geoms = simplify_coverage(list(frame.geometry), tolerance_for_zoom(zoom + 1))
        groups: dict[tuple[str, bool], list[BaseGeometry]] = {}
        for row, value, geom in zip(frame.itertuples(index=False), values, geoms, strict=True):
            key = (class_colour(value, edges), row.geometry_quality != "official")
            groups.setdefault(key, []).append(geom)
        order = [*SEQUENTIAL, NO_DATA_FILL]
        for colour, indicative in sorted(groups, key=lambda k: (order.index(k[0]), k[1])):
            i = order.index(colour)
            name = labels.no_data if colour == NO_DATA_FILL else _class_name(i, edges, fmt)
            xs, ys = polygon_xy(groups[(colour, indicative)])
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=colour,
                    opacity=0.85,
                    line={"color": INK, "width": 1.2, "dash": "dash" if indicative else "solid"},
                    name=name + (f" ({labels.indicative})" if indicative else ""),
                    legendgroup="classes",
                    legendgrouptitle_text=value_title,
                    hoverinfo="skip",
                )
            )

    ordered = hubs.sort_values("id", kind="stable") if hubs is not None else None
    if ordered is not None and not ordered.empty:
        for hub_type, (_, colour, _) in HUB_STYLES.items():
            mine = ordered[ordered["type"] == hub_type]
            if mine.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[round(p.x, 5) for p in mine.geometry],
                    y=[round(p.y, 5) for p in mine.geometry],
                    mode="markers",
                    name=labels.hub_types.get(hub_type, hub_type),
                    legendgroup="hubs",
                    legendgrouptitle_text=labels.hubs,
                    legend="legend2" if legend == "below" else "legend",
                    text=[str(n) for n in mine["name"]],
                    hovertemplate="%{text}<extra></extra>",
                    marker={
                        "symbol": HUB_SYMBOLS[hub_type],
                        "size": 10,
                        "color": colour,
                        "line": {"color": "#ffffff", "width": 1.5},
                    },
                )
            )

    _lay_out_legends(fig, legend, legend_size, title, width, height)
    minx, miny, maxx, maxy = bounds
    pad = max(maxx - minx, maxy - miny) * 0.04
    where = frame_axes(fig, (minx - pad, miny - pad, maxx + pad, maxy + pad), width, height)

    # The periphery names, where they cover neither each other nor a hub.
    hub_boxes = (
        [marker_box(*where.to_px(p.x, p.y)) for p in ordered.geometry]
        if ordered is not None
        else []
    )
    names = [
        (str(n), g.representative_point().x, g.representative_point().y)
        for n, g in zip(frame["name"], frame.geometry, strict=True)
        if g is not None and not g.is_empty
    ]
    add_annotations(
        fig, [name_annotation(placed) for placed in place_names(names, where, hub_boxes)]
    )
    return fig


def legend_groups(fig: go.Figure, legend: str = "legend") -> list[tuple[str, list[str]]]:
    """The groups (title, entry names) of one of a figure's legends, in drawing order."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for t in fig.data:
        if t.showlegend is False or (t.legend or "legend") != legend:
            continue
        key = t.legendgroup or f"trace {t.name}"
        title = t.legendgrouptitle.text if t.legendgroup else ""
        groups.setdefault(key, (title or "", []))[1].append(str(t.name))
    return list(groups.values())


def _lay_out_legends(
    fig: go.Figure, legend: str, size: int, title: str | None, width: int, height: int
) -> None:
    """Margins that hold the legends whole, so plotly never has to push the map aside (the
    names are placed for the map's final frame), and the legends out of the attribution's band.
    """
    top = 48 if title else 8
    box = {"bgcolor": "rgba(255,255,255,0.92)", "font": {"size": size}, "borderwidth": 0}
    if legend == "side":
        w, _ = legend_size(legend_groups(fig), size)
        fig.update_layout(
            margin={"l": 8, "r": int(w) + 16, "t": top, "b": ATTRIBUTION_BAND + 6},
            legend={**box, "x": 1, "xanchor": "left", "xref": "paper", "y": 1, "yanchor": "top"},
        )
        return
    (w1, h1), (w2, h2) = (legend_size(legend_groups(fig, k), size) for k in ("legend", "legend2"))
    side_by_side = w1 + w2 + 8 <= width
    below = ATTRIBUTION_BAND + (max(h1, h2) if side_by_side else h1 + h2) + 4
    plot_h = height - top - below
    y1 = -ATTRIBUTION_BAND / plot_h
    y2 = y1 if side_by_side else -(ATTRIBUTION_BAND + h1) / plot_h
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": top, "b": int(math.ceil(below))},
        legend={**box, "x": 0, "xanchor": "left", "y": y1, "yanchor": "top"},
        legend2={
            **box,
            "x": 1 if side_by_side else 0,
            "xanchor": "right" if side_by_side else "left",
            "y": y2,
            "yanchor": "top",
        },
    )
