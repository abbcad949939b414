"""National map: the 16 cities as bubbles sized by an indicator value and coloured by status,
over Italy's regions (the bundled base layer) with the cities' names beside their bubbles."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import folium
import pandas as pd

from geo import base_layer
from geo.assets import DEFAULT_PREFIX, localize_assets
from geo.layers import (
    CityLabels,
    FeatureId,
    MetricScale,
    Outline,
    ZoomClass,
    crowded,
    place_labels,
)
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
#: The map zooms in these steps; between LABELS_MIN_ZOOM and NATIONAL_ZOOM, each step hides
#: the names that would cover another there (``lgnet2-map.css``: one rule per step).
ZOOM_SNAP = 0.25
CROWDED_ZOOMS = (5.0, 5.25, 5.5, 5.75)
#: Maps narrower than this (pixels) open with the legend folded.
LEGEND_FOLD_BELOW = 560

NATIONAL_COLUMNS = ("city_code", "name", "lat", "lon", "value", "status")


def bubble_radius(value: float | None, vmax: float) -> float:
    """Pixel radius of a bubble: area proportional to ``value`` (missing or <= 0: the minimum)."""
    if value is None or not math.isfinite(value) or value <= 0 or vmax <= 0:
        return MIN_RADIUS
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(value / vmax), 1)


@dataclass(frozen=True)
class CityBubble:
    """One city as both national maps draw it: its value (None: no data), status and the value
    as written (``value_text``, else formatted; "no data" when missing), bubble radius (px)."""

    code: str
    name: str
    lat: float
    lon: float
    value: float | None
    status: str
    text: str
    radius: float


def city_bubbles(
    cities: pd.DataFrame,
    labels: MapLabels,
    format_value: Callable[[float], str] | None = None,
    what: str = "national map",
) -> list[CityBubble]:
    """The cities of a national map (web or static), largest value first (ties by code), so
    small bubbles are drawn over large ones.

    Raises:
        ValueError: a required column is missing or a status is unknown (``what`` names the
            map in the message).
    """
    missing = [c for c in NATIONAL_COLUMNS if c not in cities.columns]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}")
    unknown = sorted(set(cities["status"].dropna()) - set(STATUSES))
    if unknown:
        raise ValueError(f"{what}: unknown status {unknown}")
    fmt = format_value or default_format
    values = pd.to_numeric(cities["value"], errors="coerce")
    vmax = float(values.max()) if values.notna().any() else 0.0
    frame = cities.assign(vnum_=values).sort_values(["vnum_", "city_code"], ascending=[False, True])
    out = []
    for r in frame.itertuples(index=False):
        v = float(r.vnum_) if pd.notna(r.vnum_) else None
        status = r.status if isinstance(r.status, str) and v is not None else "no_data"
        text = getattr(r, "value_text", None)
        text = labels.no_data if v is None else (text if isinstance(text, str) else fmt(v))
        out.append(
            CityBubble(
                str(r.city_code),
                str(r.name),
                float(r.lat),
                float(r.lon),
                v,
                status,
                text,
                bubble_radius(v, vmax),
            )
        )
    return out


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
    labels = labels or MapLabels()
    bubbles = city_bubbles(cities, labels, format_value)

    m = folium.Map(
        location=ITALY_CENTRE,
        zoom_start=NATIONAL_ZOOM,
        tiles=None,
        prefer_canvas=False,
        zoom_snap=ZOOM_SNAP,
        zoom_delta=0.5,
    )
    add_tiles(m, tiles)
    m.add_child(MetricScale())
    regions = base_layer.regions(NATIONAL_ZOOM)
    m.add_child(
        Outline(
            list(regions.geometry),
            REGION_STYLE if tiles is None else {**REGION_STYLE, "fill": False},
            attribution=esc(base_layer.ATTRIBUTION),
            container_class="lg-sea" if tiles is None else "",
        )
    )

    layer = folium.FeatureGroup(name=value_label, control=False).add_to(m)
    for b in bubbles:
        hint = f'<br><i class="lg-hint">{esc(labels.open_city)}</i>' if labels.open_city else ""
        tooltip = (
            f'<div class="lg-tt"><b>{esc(b.name)}</b><br>{esc(value_label)}: {esc(b.text)}'
            f"<br>{esc(labels.status[b.status])}{hint}</div>"
        )
        marker = folium.CircleMarker(
            location=[round(b.lat, 5), round(b.lon, 5)],
            radius=b.radius,
            color="#17324d",
            weight=1,
            dash_array="3 3" if b.status == "no_data" else None,
            fill=True,
            fill_color=STATUS_COLOURS[b.status],
            fill_opacity=0.85,
        )
        marker.add_child(SafeTooltip(tooltip))
        marker.add_child(FeatureId(f"city:{b.code}"))
        marker.add_to(layer)

    if city_labels and bubbles:
        points = [(b.code, b.name, b.lat, b.lon, b.radius) for b in bubbles]
        placed = place_labels(points, NATIONAL_ZOOM)
        radii = {b.code: b.radius for b in bubbles}
        # Between zoom 5 and the zoom the names were placed for (a phone, a narrow column), a
        # name that would cover another name or bubble at the map's zoom is hidden.
        steps = {round(z * 100): crowded(placed, radii, z) for z in CROWDED_ZOOMS}
        m.add_child(CityLabels(placed, crowded=steps))
        for z in CROWDED_ZOOMS:
            m.add_child(ZoomClass(f"lg-below-{round(z * 100)}", below=z + ZOOM_SNAP))
        # On a phone Italy fits only below zoom 5, where the names would pile up on each other
        # and on the bubbles: there the bubbles' tooltips name the cities instead.
        m.add_child(ZoomClass("lg-labels-hidden", below=LABELS_MIN_ZOOM))

    # The cities (the margin keeps the largest bubble in; names are placed inwards), else Italy.
    minx, miny, maxx, maxy = (float(v) for v in regions.total_bounds)
    if bubbles:
        lats = [b.lat for b in bubbles]
        lons = [b.lon for b in bubbles]
        minx, maxx, miny, maxy = min(lons), max(lons), min(lats), max(lats)
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
