"""City map: at-risk peripheries (choropleth), aggregation hubs by type, one-stop shops, outline."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo import base_layer
from geo.assets import DEFAULT_PREFIX, localize_assets
from geo.layers import FeatureId, MetricScale, Outline, ZoomClass
from geo.render import stabilize_ids
from geo.simplify import bounds_zoom, simplify_coverage, simplify_one, tolerance_for_zoom
from geo.style import (
    BOUNDARY_STYLE,
    HUB_STYLES,
    NO_DATA_FILL,
    REGION_STYLE,
    SEQUENTIAL,
    Legend,
    MapLabels,
    SafeTooltip,
    TileSource,
    add_tiles,
    class_breaks,
    class_colour,
    default_format,
    esc,
    hub_icon_html,
    legend_html,
    swatch,
)

PERIPHERY_COLUMNS = ("id", "name", "geometry_quality", "geometry")
HUB_COLUMNS = ("id", "name", "type", "geometry")
ONE_STOP_SHOP = "sportello_unico"
#: From this zoom on, hubs are drawn as full icons; below it as small dots (``lgnet2-map.css``).
HUB_ICON_ZOOM = 14
#: Columns that would carry a location: a protected-places frame with any of them is refused.
_LOCATION_COLUMNS = frozenset(
    {"geometry", "lat", "lon", "lng", "latitude", "longitude", "x", "y", "point", "wkt"}
)


def _check_columns(frame: pd.DataFrame, required: Sequence[str], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"city map: {what} lacks columns {missing}")


def _protected_by_periphery(protected: pd.DataFrame | None) -> dict[Any, Any]:
    """``periphery_id -> places`` (a number or an already-disclosed string such as "<10")."""
    if protected is None or protected.empty:
        return {}
    if isinstance(protected, gpd.GeoDataFrame) or _LOCATION_COLUMNS & {
        str(c).lower() for c in protected.columns
    }:
        raise ValueError(
            "protected sites reach the map only as counts per periphery, never located"
        )
    _check_columns(protected, ("periphery_id", "places"), "protected places")
    return dict(zip(protected["periphery_id"], protected["places"], strict=True))


def _num(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _places_text(places: Any, fmt: Callable[[float], str]) -> str:
    n = _num(places)
    return fmt(n) if n is not None else str(places)


def build_city_map(
    peripheries: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame | None,
    value_column: str,
    value_title: str,
    *,
    protected_places: pd.DataFrame | None = None,
    boundary: BaseGeometry | None = None,
    labels: MapLabels | None = None,
    format_value: Callable[[float], str] | None = None,
    tiles: TileSource | None = None,
    asset_prefix: str = DEFAULT_PREFIX,
    width_px: int = 800,
    selected: str | None = None,
) -> folium.Map:
    """Build one city's map (pure: no I/O, no Streamlit).

    Args:
        peripheries: GeoDataFrame (EPSG:4326) with ``id, name, geometry_quality`` (indicative |
            official), the ``value_column`` and polygon ``geometry``; optional ``value_text``
            (the value already formatted for the user).
        hubs: GeoDataFrame of points with ``id, name, type`` (a hub type or sportello_unico) and
            optional ``periphery_id``, ``opened`` / ``opened_text``; None or empty for none.
        value_column: the column that colours the peripheries (``risk_index`` or an indicator).
        value_title: its name in the user's language (legend title, tooltips).
        protected_places: ``periphery_id, places`` only (places may be a disclosed string such
            as "<10"); shown in the periphery tooltip, never as a point.
        boundary: the municipal outline (EPSG:4326), drawn under the data when given (the app
            passes ``geo.base_layer.municipal_boundary(city)``, bundled with the project).
        labels: words of the map in the user's language (default Italian).
        format_value: number formatting when there is no ``value_text`` (default Italian style).
        tiles: a tile server drawn under everything, or None (default: no request leaves the
            app; the municipality is filled as land and the rest stays neutral).
        asset_prefix: URL prefix of the app-served assets.
        width_px: expected map width, used to pick the zoom the geometries are simplified for.
        selected: a feature id (``periphery:<id>`` or ``hub:<id>``) to highlight.

    Returns:
        A ``folium.Map`` with byte-identical HTML for the same input, no CDN reference, layers
        (in order): boundary (if any; with the ISTAT/openpolis attribution), peripheries (one GeoJson, only an id and an escaped tooltip
        per feature; its id ``periphery:<id>``), one layer per hub type present (markers named
        ``hub:<id>`` for ``geo.render.clicked_feature``), the one-stop shops, a legend and a
        ``LayerControl``. Indicative peripheries have a dashed outline and say so in the tooltip.

    Raises:
        ValueError: missing columns, or a protected-places frame that carries a location.
    """
    _check_columns(peripheries, (*PERIPHERY_COLUMNS, value_column), "peripheries")
    if hubs is not None and not hubs.empty:
        _check_columns(hubs, HUB_COLUMNS, "hubs")
    places = _protected_by_periphery(protected_places)
    labels = labels or MapLabels()
    fmt = format_value or default_format

    # Extent: the peripheries (else the hubs, else the boundary), so that the choropleth is
    # readable even on a large city such as Roma, where they cover a few km² of 1,285; the
    # boundary and hubs elsewhere are a pan away. Geometries are simplified one zoom level
    # deeper than the fit, because users zoom into a periphery.
    extent_parts = [g for g in peripheries.geometry if g is not None and not g.is_empty]
    if not extent_parts and hubs is not None and not hubs.empty:
        extent_parts = list(hubs.geometry)
    if not extent_parts and boundary is not None and not boundary.is_empty:
        extent_parts = [boundary]
    extent = gpd.GeoSeries(extent_parts).total_bounds if extent_parts else None
    zoom = bounds_zoom(tuple(extent), width_px) if extent is not None else 12
    centre = (
        [round((extent[1] + extent[3]) / 2, 5), round((extent[0] + extent[2]) / 2, 5)]
        if extent is not None
        else [42.5, 12.5]
    )

    # Half zoom steps: a city's peripheries fill the space beside the legend instead of a third.
    m = folium.Map(
        location=centre,
        zoom_start=zoom,
        tiles=None,
        prefer_canvas=False,
        zoom_snap=0.5,
        zoom_delta=0.5,
    )
    add_tiles(m, tiles)
    m.add_child(MetricScale())

    if boundary is not None and not boundary.is_empty:
        outline = simplify_one(boundary, tolerance_for_zoom(zoom + 1))
        style = dict(BOUNDARY_STYLE)
        if tiles is None:  # the municipality as land, the rest of the frame stays neutral
            style.update(fill=True, fillColor=REGION_STYLE["fillColor"], fillOpacity=1)
        m.add_child(
            Outline(
                [outline],
                style,
                attribution=esc(base_layer.ATTRIBUTION),
                container_class="lg-outside" if tiles is None else "",
            )
        )

    legend_items: list[tuple[str, str]] = []
    edges: list[float] = []
    if not peripheries.empty:
        frame = peripheries.sort_values("id", kind="stable")
        values = [_num(v) for v in frame[value_column]]
        edges = class_breaks([v for v in values if v is not None])
        geoms = simplify_coverage(list(frame.geometry), tolerance_for_zoom(zoom + 2))
        texts = frame["value_text"] if "value_text" in frame.columns else [None] * len(frame)
        features = []
        styles: dict[str, dict[str, Any]] = {}
        for row, value, geom, text in zip(
            frame.itertuples(index=False), values, geoms, texts, strict=True
        ):
            fid = f"periphery:{row.id}"
            indicative = row.geometry_quality != "official"
            if value is None:
                text = labels.no_data
            elif not isinstance(text, str):
                text = fmt(value)
            title = f"<b>{esc(row.name)}</b>"
            if indicative:
                title += f" <i>({esc(labels.indicative)})</i>"
            lines = [title, f"{esc(value_title)}: {esc(text)}"]
            if row.id in places:
                lines.append(
                    f"{esc(labels.protected_places)}: {esc(_places_text(places[row.id], fmt))}"
                )
            if labels.open_details:
                lines.append(f'<i class="lg-hint">{esc(labels.open_details)}</i>')
            features.append(
                {
                    "type": "Feature",
                    "id": fid,
                    "properties": {"tt": '<div class="lg-tt">' + "<br>".join(lines) + "</div>"},
                    "geometry": mapping(geom),
                }
            )
            styles[fid] = {
                "fillColor": class_colour(value, edges),
                "fillOpacity": 0.6,
                "color": "#17324d",
                "weight": 4 if fid == selected else 1.5,
                "dashArray": "6 4" if indicative else None,
            }
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=esc(labels.peripheries),
            style_function=lambda f: styles[str(f["id"])],
            highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.75},
            tooltip=folium.GeoJsonTooltip(fields=["tt"], labels=False, sticky=True),
        ).add_to(m)
        legend_items += _class_items(edges, fmt)
        if any(v is None for v in values):
            legend_items.append((swatch(NO_DATA_FILL), labels.no_data))
        if (frame["geometry_quality"] != "official").any():
            legend_items.append((swatch("", dashed=True), labels.indicative))

    hub_items = _add_hubs(m, hubs, peripheries, labels, selected)
    title = value_title
    note = ""
    if hub_items:
        note = labels.hubs
    html = legend_html(title, legend_items)
    if hub_items:
        html += legend_html(note, hub_items).replace("<h4>", '<h4 style="margin-top:6px">', 1)
    bounds = None
    if extent is not None:
        bounds = [
            [round(extent[1], 5), round(extent[0], 5)],
            [round(extent[3], 5), round(extent[2], 5)],
        ]
    # Bottom left, and the map fitted beside it: no periphery starts under the legend.
    m.add_child(Legend(html, position="bottomleft", summary=labels.legend, bounds=bounds))
    # Hubs shrink to small dots until the peripheries are large enough on screen to show both.
    m.add_child(ZoomClass("lg-hubs-small", below=HUB_ICON_ZOOM))
    folium.LayerControl(collapsed=True).add_to(m)
    localize_assets(m, asset_prefix)
    return stabilize_ids(m, "city")


def _class_items(edges: Sequence[float], fmt: Callable[[float], str]) -> list[tuple[str, str]]:
    if not edges:
        return []
    if len(edges) == 2 and edges[0] == edges[1]:
        return [(swatch(SEQUENTIAL[len(SEQUENTIAL) // 2]), fmt(edges[0]))]
    return [
        (swatch(SEQUENTIAL[i]), f"{fmt(edges[i])} – {fmt(edges[i + 1])}")
        for i in range(len(edges) - 1)
    ]


def _add_hubs(
    m: folium.Map,
    hubs: gpd.GeoDataFrame | None,
    peripheries: gpd.GeoDataFrame,
    labels: MapLabels,
    selected: str | None = None,
) -> list[tuple[str, str]]:
    """One layer per hub type present (catalogue order), one-stop shops last; legend items."""
    if hubs is None or hubs.empty:
        return []
    periphery_names = dict(zip(peripheries["id"], peripheries["name"], strict=True))
    # Plain records: pandas row access costs more than building the markers.
    frame = hubs.sort_values("id", kind="stable")
    cols = [
        c
        for c in ("id", "name", "type", "periphery_id", "opened", "opened_text")
        if c in frame.columns
    ]
    columns = [frame[c].tolist() for c in cols] + [list(frame.geometry)]
    records = [
        dict(zip([*cols, "_pt"], values, strict=True)) for values in zip(*columns, strict=True)
    ]
    items: list[tuple[str, str]] = []
    for hub_type in HUB_STYLES:
        rows = [r for r in records if r["type"] == hub_type]
        if not rows:
            continue
        type_label = labels.hub_types.get(hub_type, hub_type)
        layer_name = labels.one_stop_shops if hub_type == ONE_STOP_SHOP else type_label
        icon_html = hub_icon_html(hub_type)
        group = folium.FeatureGroup(name=f"{icon_html} {esc(layer_name)}").add_to(m)
        for rec in rows:
            pt = rec["_pt"]
            lines = [f"<b>{esc(rec['name'])}</b>", esc(type_label)]
            pid = rec.get("periphery_id")
            if pid is not None and not pd.isna(pid) and pid in periphery_names:
                lines.append(esc(periphery_names[pid]))
            opened = rec.get("opened_text") or rec.get("opened")
            if opened is not None and not pd.isna(opened):
                lines.append(f"{esc(labels.opened)}: {esc(str(opened)[:10])}")
            if labels.open_details:
                lines.append(f'<i class="lg-hint">{esc(labels.open_details)}</i>')
            fid = f"hub:{rec['id']}"
            marker = folium.Marker(
                location=[round(pt.y, 5), round(pt.x, 5)],
                icon=folium.DivIcon(
                    html=icon_html,
                    icon_size=(22, 22),
                    icon_anchor=(11, 11),
                    class_name="lg-hub-marker" + (" lg-selected" if fid == selected else ""),
                ),
            )
            marker.add_child(SafeTooltip('<div class="lg-tt">' + "<br>".join(lines) + "</div>"))
            marker.add_child(FeatureId(fid))
            marker.add_to(group)
        items.append((icon_html, type_label))
    return items
