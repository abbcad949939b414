"""Static maps: the same layers as the interactive maps, as plotly figures that need no network.

For ``lgnet2 snapshot``, the meeting pack (PDF/PPTX) and any picture of a map: plain cartesian
axes (longitude, latitude, equal distances at the map's latitude), no tiles, no mapbox, no
topojson from a CDN, so ``fig.write_image`` / ``fig.to_image`` (kaleido) work offline.

- :func:`build_national_figure` — Italy's regions (bundled), the cities as bubbles (area: value,
  colour: status), their names, the status legend, the ISTAT/openpolis attribution.
- :func:`build_city_figure` — the municipal boundary, the peripheries as a choropleth (dashed
  when indicative), the hubs and one-stop shops by type, the attribution.

Inputs are the frames the folium builders take (``geo.national`` / ``geo.city``), so a page, an
export and a document show the same bubbles and classes. Protected shelters are never drawn: the
city figure takes no protected-places argument and refuses a hub of an unknown type.
Deterministic: the same input gives the same ``fig.to_json()``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry.base import BaseGeometry

from geo import base_layer
from geo.figure_base import INK, OUTSIDE, SEA, base_figure, frame_axes, polygon_xy
from geo.layers import place_labels
from geo.national import NATIONAL_COLUMNS, bubble_radius
from geo.simplify import bounds_zoom, simplify_coverage, tolerance_for_zoom
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
_TEXT_POSITION = {
    "right": "middle right",
    "left": "middle left",
    "top": "top center",
    "bottom": "bottom center",
}


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
    missing = [c for c in NATIONAL_COLUMNS if c not in cities.columns]
    if missing:
        raise ValueError(f"national figure: missing columns {missing}")
    unknown = sorted(set(cities["status"].dropna()) - set(STATUSES))
    if unknown:
        raise ValueError(f"national figure: unknown status {unknown}")
    labels = labels or MapLabels()
    fmt = format_value or default_format
    fig = base_figure(title, note, SEA)

    regions = base_layer.regions(5)
    xs, ys = polygon_xy(regions.geometry)
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            fill="toself",
            fillcolor=str(REGION_STYLE["fillColor"]),
            line={"color": str(REGION_STYLE["color"]), "width": 0.6},
            hoverinfo="skip",
            showlegend=False,
            name="regions",
        )
    )

    values = pd.to_numeric(cities["value"], errors="coerce")
    vmax = float(values.max()) if values.notna().any() else 0.0
    frame = cities.assign(vnum_=values).sort_values(["vnum_", "city_code"], ascending=[False, True])
    rows = []
    for r in frame.itertuples(index=False):
        v = float(r.vnum_) if pd.notna(r.vnum_) else None
        status = r.status if isinstance(r.status, str) and v is not None else "no_data"
        text = getattr(r, "value_text", None)
        text = labels.no_data if v is None else (text if isinstance(text, str) else fmt(v))
        rows.append((str(r.city_code), str(r.name), float(r.lat), float(r.lon), v, status, text))
    placed = {
        lb.code: lb
        for lb in place_labels(
            [(c, n, la, lo, bubble_radius(v, vmax)) for c, n, la, lo, v, _, _ in rows], zoom=5.6
        )
    }
    for status in STATUSES:
        mine = [row for row in rows if row[5] == status]
        if not mine:
            continue
        fig.add_trace(
            go.Scatter(
                x=[round(row[3], 5) for row in mine],
                y=[round(row[2], 5) for row in mine],
                mode="markers+text",
                name=labels.status[status],
                text=[row[1] for row in mine],
                textposition=[_TEXT_POSITION[placed[row[0]].side] for row in mine],
                textfont={"size": 11, "color": INK},
                marker={
                    "size": [2 * bubble_radius(row[4], vmax) for row in mine],
                    "sizemode": "diameter",
                    "color": STATUS_COLOURS[status],
                    "opacity": 0.88,
                    "line": {"color": INK, "width": 1},
                },
                customdata=[[row[6]] for row in mine],
                hovertemplate=f"<b>%{{text}}</b><br>{value_label}: %{{customdata[0]}}"
                "<extra></extra>",
            )
        )
    fig.update_layout(legend_title_text=labels.status_title)
    fig.add_annotation(
        text=f"{labels.size_note}: {value_label}",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font={"size": 10, "color": "#455b71"},
        bgcolor="rgba(255,255,255,0.85)",
    )
    minx, miny, maxx, maxy = regions.total_bounds
    frame_axes(fig, (minx - 0.3, miny - 0.2, maxx + 0.3, maxy + 0.2), width, height)
    return fig


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

    Returns:
        A figure with the boundary (land inside, neutral outside), one trace per value class
        (the web map's classes and colours; indicative perimeters dashed), the periphery names,
        one marker trace per hub type present and the attribution.

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
    # Beside the map, not over it: a city fills its frame.
    fig.update_layout(legend={"x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"})

    parts = [g for g in peripheries.geometry if g is not None and not g.is_empty]
    if boundary is not None and not boundary.is_empty:
        parts = [boundary]
    elif hubs is not None and not hubs.empty:
        parts += list(hubs.geometry)
    bounds = tuple(gpd.GeoSeries(parts).total_bounds) if parts else (12.4, 41.8, 12.6, 42.0)
    zoom = bounds_zoom(bounds, width)

    if boundary is not None and not boundary.is_empty:
        xs, ys = polygon_xy([boundary.simplify(tolerance_for_zoom(zoom + 1))])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=str(REGION_STYLE["fillColor"]),
                line={"color": str(BOUNDARY_STYLE["color"]), "width": 2},
                hoverinfo="skip",
                name=labels.boundary,
            )
        )

    if not peripheries.empty:
        frame = peripheries.sort_values("id", kind="stable")
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
        centres = [g.representative_point() for g in frame.geometry]
        fig.add_trace(
            go.Scatter(
                x=[round(p.x, 5) for p in centres],
                y=[round(p.y, 5) for p in centres],
                mode="text",
                text=[str(n) for n in frame["name"]],
                textfont={"size": 10, "color": INK},
                hoverinfo="skip",
                showlegend=False,
                name="names",
            )
        )

    if hubs is not None and not hubs.empty:
        ordered = hubs.sort_values("id", kind="stable")
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
    minx, miny, maxx, maxy = bounds
    pad = max(maxx - minx, maxy - miny) * 0.04
    frame_axes(fig, (minx - pad, miny - pad, maxx + pad, maxy + pad), width, height)
    return fig
