"""Map builders, one import for the pages: data -> ``folium.Map`` (pure, deterministic, offline).

- :func:`build_national_map` — the 16 cities as bubbles (size: indicator value; colour: status).
- :func:`build_city_map` — one city's peripheries, hubs, one-stop shops, outline.
- :func:`returned_objects` — what to pass to ``st_folium(returned_objects=...)`` so that panning
  and zooming do not rerun the page.
- :func:`boundaries_from_env` / :func:`load_boundaries` — municipal outlines from an ISTAT file.
- :func:`html_size` — rendered size in bytes (issue 3 budgets: 200 KB national, 400 KB city).

Every builder already rewrites assets to the app-served copies (``geo.assets``) and fixes element
ids, so the same input renders to the same bytes and streamlit-folium does not remount the map.
"""

from geo.assets import DEFAULT_PREFIX, localize_assets, prepare_static_assets
from geo.boundaries import boundaries_from_env, load_boundaries
from geo.city import build_city_map
from geo.national import build_national_map
from geo.render import html_size, render_html, returned_objects, stabilize_ids
from geo.style import OSM_TILES, MapLabels, TileSource

__all__ = [
    "DEFAULT_PREFIX",
    "OSM_TILES",
    "MapLabels",
    "TileSource",
    "boundaries_from_env",
    "build_city_map",
    "build_national_map",
    "html_size",
    "load_boundaries",
    "localize_assets",
    "prepare_static_assets",
    "render_html",
    "returned_objects",
    "stabilize_ids",
]
