"""Showing ``geo.maps`` builders' folium maps in Streamlit (shared by every page with a map).

- :func:`map_labels` — every word a map shows, from the locale files (``[map]``, ``[status]``,
  ``[hub_type]``), for ``geo.maps.build_*_map(labels=...)``.
- :func:`ensure_assets` — copies Leaflet/jQuery/Font Awesome into ``dashboard/static/vendor``
  once per process (served at ``/app/static/vendor``; no CDN).
- :func:`show_map` — ``st_folium`` with ``returned_objects`` limited, so panning and zooming do
  not rerun the page.
"""

from __future__ import annotations

from pathlib import Path

import folium
import streamlit as st

from data_access.catalogue import HUB_TYPES, ONE_STOP_SHOP
from geo.style import MapLabels, TileSource

from .i18n import translate

STATIC_DIR = Path(__file__).resolve().parent / "static"
_STATUSES = ("on_track", "at_risk", "off_track", "no_data")
_MAP_FIELDS = ("status_title", "size_note", "peripheries", "hubs", "one_stop_shops", "boundary",
               "indicative", "protected_places", "no_data", "opened")


def map_labels(lang: str) -> MapLabels:
    """``MapLabels`` in ``lang`` from the locale files."""
    return MapLabels(
        status={s: translate(lang, f"status.{s}") for s in _STATUSES},
        hub_types={h: translate(lang, f"hub_type.{h}") for h in (*HUB_TYPES, ONE_STOP_SHOP)},
        **{f: translate(lang, f"map.{f}") for f in _MAP_FIELDS},
    )


def tiles() -> TileSource | None:
    """The tile source (``LGNET2_TILES_URL``; ``none`` for no tiles; OpenStreetMap by default)."""
    return TileSource.from_env()


@st.cache_resource(show_spinner=False)
def ensure_assets() -> list[str]:
    """Copy the map assets into the app's static folder (idempotent, once per process)."""
    from geo.assets import prepare_static_assets

    return [str(p) for p in prepare_static_assets(STATIC_DIR)]


def show_map(m: folium.Map, *, key: str, height: int = 520, clickable: bool = False) -> object:
    """Draw ``m``; reruns the page only on a feature click when ``clickable``."""
    from streamlit_folium import st_folium

    from geo.maps import returned_objects

    ensure_assets()
    return st_folium(m, key=key, height=height, use_container_width=True,
                     returned_objects=returned_objects(clickable))
