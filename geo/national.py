"""National map: the 16 cities as bubbles sized by an indicator value and coloured by status,
over Italy's regions (the bundled base layer) with the cities' names beside their bubbles."""

from __future__ import annotations

import math
from collections.abc import Callable

import folium
import pandas as pd

from geo import base_layer
from geo.assets import DEFAULT_PREFIX, localize_assets
from geo.layers import CityLabels, FeatureId, Outline, ZoomClass, place_labels
from geo.render import stabilize_ids
from geo.style import (
    REGION_STYLE,
    STATUS_COLOURS,
    STATUSES,
    Legend,
    MapLabels,
    SafeTooltip,
    TileSource,
    add_tiles,
    default_format,
    esc,
    legend_html,
    swatch,
)

#: Bubble radius range in screen pixels (area proportional to the value).
MIN_RADIUS = 5.0
MAX_RADIUS = 28.0
#: Italy, for an empty frame.
ITALY_CENTRE = (42.5, 12.5)
#: The zoom the national map opens at (regions are drawn simplified for it).
NATIONAL_ZOOM = 6
#: Below this zoom (Italy on a phone) the city names are hidden (``lgnet2-map.css``).
LABELS_MIN_ZOOM = 5
#: Maps narrower than this (pixels) open with the legend folded.
LEGEND_FOLD_BELOW = 560

NATIONAL_COLUMNS = ("city_code", "name", "lat", "lon", "value", "status")


def bubble_radius(value: float | None, vmax: float) -> float:
    """Pixel radius of a bubble: area proportional to ``value`` (missing or <= 0: the minimum)."""
    if value is None or not math.isfinite(value) or value <= 0 or vmax <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(value / vmax), 1)


def build_national_map(
    cities: pd.DataFrame,
    value_label: str,
    *,
    labels: MapLabels | None = None,
    format_value: Callable[[float], str] | None = None,
    tiles: TileSource | None = None,
    asset_prefix: str = DEFAULT_PREFIX,
    city_labels: bool = True,
) -> folium.Map:
    """Build the national map of the cities (pure: no I/O, no Streamlit).

    Args:
        cities: one row per city with ``city_code, name, lat, lon, value, status``; ``value`` may
            be NaN (no data), ``status`` is one of on_track | at_risk | off_track | no_data.
            An optional ``value_text`` column gives the formatted value (already localised);
            otherwise ``format_value`` formats it.
        value_label: the indicator's name in the user's language (shown in tooltips).
        labels: the words of the legend and tooltips (default Italian).
        format_value: number formatting for tooltips when there is no ``value_text``.
        tiles: a tile server drawn under everything, or None (default: no request leaves the
            app; the bundled regions are the base layer).
        asset_prefix: URL prefix of the app-served assets (see ``geo.assets``).
        city_labels: write each city's name beside its bubble.

    Returns:
        A ``folium.Map`` whose HTML is the same bytes for the same input, loads nothing from a
        CDN, has Italy's 20 regions underneath (filled as land when there are no tiles; the
        ISTAT/openpolis attribution on the map), one ``CircleMarker`` per city (drawn largest
        first so small ones stay clickable; its tooltip starts with the city's name), the
        cities' names as labels that never catch a click, a status legend, and escaped tooltips.

    Raises:
        ValueError: a required column is missing or a status is unknown.
    """
    missing = [c for c in NATIONAL_COLUMNS if c not in cities.columns]
    if missing:
        raise ValueError(f"national map: missing columns {missing}")
    unknown = sorted(set(cities["status"].dropna()) - set(STATUSES))
    if unknown:
        raise ValueError(f"national map: unknown status {unknown}")
    labels = labels or MapLabels()
    fmt = format_value or default_format

    m = folium.Map(
        location=ITALY_CENTRE,
        zoom_start=NATIONAL_ZOOM,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    add_tiles(m, tiles)
    regions = base_layer.regions(NATIONAL_ZOOM)
    m.add_child(
        Outline(
            list(regions.geometry),
            REGION_STYLE if tiles is None else {**REGION_STYLE, "fill": False},
            attribution=esc(base_layer.ATTRIBUTION),
            container_class="lg-sea" if tiles is None else "",
        )
    )

    values = pd.to_numeric(cities["value"], errors="coerce")
    vmax = float(values.max()) if values.notna().any() else 0.0
    frame = cities.assign(vnum_=values).sort_values(["vnum_", "city_code"], ascending=[False, True])
    layer = folium.FeatureGroup(name=value_label, control=False).add_to(m)
    for row in frame.itertuples(index=False):
        v = row.vnum_ if pd.notna(row.vnum_) else None
        status = row.status if isinstance(row.status, str) else "no_data"
        if v is None:
            status = "no_data"
        text = getattr(row, "value_text", None)
        if v is None:
            text = labels.no_data
        elif not isinstance(text, str):
            text = fmt(float(v))
        hint = f'<br><i class="lg-hint">{esc(labels.open_city)}</i>' if labels.open_city else ""
        tooltip = (
            f'<div class="lg-tt"><b>{esc(row.name)}</b><br>{esc(value_label)}: {esc(text)}'
            f"<br>{esc(labels.status[status])}{hint}</div>"
        )
        marker = folium.CircleMarker(
            location=[round(float(row.lat), 5), round(float(row.lon), 5)],
            radius=bubble_radius(v, vmax),
            color="#17324d",
            weight=1,
            dash_array="3 3" if status == "no_data" else None,
            fill=True,
            fill_color=STATUS_COLOURS[status],
            fill_opacity=0.85,
        )
        marker.add_child(SafeTooltip(tooltip))
        marker.add_child(FeatureId(f"city:{row.city_code}"))
        marker.add_to(layer)

    if city_labels and len(frame):
        points = [
            (
                str(r.city_code),
                str(r.name),
                float(r.lat),
                float(r.lon),
                bubble_radius(r.vnum_ if pd.notna(r.vnum_) else None, vmax),
            )
            for r in frame.itertuples(index=False)
        ]
        m.add_child(CityLabels(place_labels(points, NATIONAL_ZOOM)))
        # On a phone Italy fits only below zoom 5, where the names would pile up on each other
        # and on the bubbles: there the bubbles' tooltips name the cities instead.
        m.add_child(ZoomClass("lg-labels-hidden", below=LABELS_MIN_ZOOM))

    # The cities (the margin keeps the largest bubble in; names are placed inwards), else Italy.
    minx, miny, maxx, maxy = (float(v) for v in regions.total_bounds)
    if len(frame):
        lats = frame["lat"].astype(float)
        lons = frame["lon"].astype(float)
        minx, maxx, miny, maxy = lons.min(), lons.max(), lats.min(), lats.max()
    bounds = [[round(miny, 4), round(minx, 4)], [round(maxy, 4), round(maxx, 4)]]

    items = [(swatch(STATUS_COLOURS[s], round_=True), labels.status[s]) for s in STATUSES]
    note = f"{labels.size_note}: {value_label}"
    # Top right, over the Adriatic and the Balkans; the map is fitted to the cities beside it
    # (a margin of the largest bubble's radius), and on narrow maps the legend starts folded.
    m.add_child(
        Legend(
            legend_html(labels.status_title, items, note),
            position="topright",
            summary=labels.legend,
            bounds=bounds,
            margin=int(MAX_RADIUS) + 4,
            # Up to a half-page column the legend starts folded, so Italy keeps the zoom at
            # which the city names show (LABELS_MIN_ZOOM); one click unfolds it.
            fold_below=LEGEND_FOLD_BELOW,
        )
    )
    localize_assets(m, asset_prefix)
    return stabilize_ids(m, "national")
