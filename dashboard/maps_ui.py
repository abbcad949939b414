"""Showing ``geo.maps`` builders' folium maps in Streamlit (shared by every page with a map).

- :func:`map_labels` — every word a map shows, from the locale files (``[map]``, ``[status]``,
  ``[hub_type]``), for ``geo.maps.build_*_map(labels=...)``.
- :func:`ensure_assets` — copies Leaflet/Font Awesome into ``dashboard/static/vendor``
  once per process (served at ``/app/static/vendor``; no CDN).
- :func:`show_cached_map` — ``st_folium`` with ``returned_objects`` limited (panning and zooming
  do not rerun the page); the map is built and rendered once per view (database,
  viewer, language, tiles and the page's own parts) and only its rendered component arguments are
  kept: a warm rerun sends the same bytes without building or rendering a folium map.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from shapely.geometry.base import BaseGeometry

from dashboard import memo
from data_access import settings
from data_access.errors import InvalidInput
from data_access.viewer import Viewer
from geo import base_layer
from geo.render import clicked_feature
from geo.style import MapLabels, TileSource

_CAPTURE_LOCK = threading.Lock()
_LOG = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


def map_labels(lang: str) -> MapLabels:
    """``MapLabels`` in ``lang`` from the locale files."""
    return MapLabels.in_lang(lang)


def tiles() -> TileSource | None:
    """The tile server an operator chose (``LGNET2_TILES_URL``), or None: by default no tiles,
    the maps draw the bundled base layer and nothing leaves the app's host."""
    return TileSource.from_env()


def municipal_boundary(city: str) -> BaseGeometry | None:
    """The city's boundary for its map: bundled, or from ``LGNET2_BOUNDARIES`` when an operator
    set it (an unreadable file is reported to the administrator's log, and the bundled boundary
    is drawn: the public never sees a configuration message)."""
    try:
        return base_layer.municipal_boundary(city)
    except InvalidInput as exc:
        _LOG.warning("LGNET2_BOUNDARIES ignored: %s", exc)
        return base_layer.municipal_boundary(city, environ={})


@st.cache_resource(show_spinner=False)
def ensure_assets() -> list[str]:
    """Copy the map assets into the app's static folder (idempotent, once per process)."""
    from geo.assets import prepare_static_assets

    return [str(p) for p in prepare_static_assets(STATIC_DIR)]


def component_args(
    m: folium.Map, *, key: str, height: int = 520, clickable: bool = False
) -> dict[str, Any]:
    """What ``st_folium`` sends to its frontend component for ``m`` (nothing is drawn).

    ``st_folium`` renders the map and hands plain strings and dicts to its component; this runs
    it with the component call captured, so the result can be cached as data and replayed by
    :func:`show_cached_map`. ``m`` is rendered (and so modified): do not reuse it.
    """
    import streamlit_folium

    from geo.maps import returned_objects

    captured: dict[str, Any] = {}

    def capture(**kwargs: Any) -> None:
        captured.update(kwargs)

    with _CAPTURE_LOCK:  # only show_cached_map calls st_folium this way; it waits here
        real = streamlit_folium._component_func
        streamlit_folium._component_func = capture
        try:
            streamlit_folium.st_folium(
                m,
                key=key,
                height=height,
                use_container_width=True,
                returned_objects=returned_objects(clickable),
            )
        finally:
            streamlit_folium._component_func = real
    captured.pop("on_change", None)
    return captured


def show_cached_map(
    build: Callable[[], folium.Map],
    *,
    viewer: Viewer,
    parts: tuple[Hashable, ...],
    key: str,
    height: int = 520,
    on_click: Callable[[str, str], None] | None = None,
) -> object:
    """Draw the map ``build()`` returns, building and rendering it only once per view.

    Args:
        build: makes a fresh ``folium.Map`` (called on a cache miss only).
        viewer: whose data the map shows (part of the cache key).
        parts: everything else the map depends on (language, period, indicator, city...); the
            tile and boundary settings (``LGNET2_TILES_URL``, ``LGNET2_BOUNDARIES``) are added
            here.
        key: the widget key, as for ``st_folium``.
        on_click: called as ``on_click(kind, key)`` (see ``geo.render.clicked_feature``) in the
            widget's callback, once per click on a named feature, before the page reruns; it
            may set query parameters or session state, not draw. None: the map never reruns
            the page.

    The frontend receives exactly what ``st_folium`` would send (same arguments, same component),
    so the map does not remount between reruns.
    """
    import streamlit_folium

    ensure_assets()
    clickable = on_click is not None
    env = settings.current()
    tiles_setting = (env.tiles_url, env.tiles_attribution, env.boundaries)
    args = memo.value(
        "map",
        viewer,
        key,
        height,
        clickable,
        tiles_setting,
        *parts,
        build=lambda: component_args(build(), key=key, height=height, clickable=clickable),
    )
    hash_key = args["key"]

    def on_change() -> None:  # as st_folium's: the widget's value under the caller's key
        value = st.session_state.get(hash_key, {})
        st.session_state[key] = value
        # Only a user's click calls this (not a rerun), so a click is acted on exactly once.
        feature = clicked_feature(value)
        if on_click is not None and feature is not None:
            on_click(*feature)

    with _CAPTURE_LOCK:  # never the capturing stand-in of component_args
        component = streamlit_folium._component_func
    return component(**args, on_change=on_change)
