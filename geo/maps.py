"""Map builders, one import for the pages: data -> ``folium.Map`` (pure, deterministic, offline).

- :func:`build_national_map` — the 16 cities as bubbles (size: indicator value; colour: status).
- :func:`build_city_map` — one city's peripheries, hubs, one-stop shops, outline.
- :func:`returned_objects` — what to pass to ``st_folium(returned_objects=...)`` so that panning
  and zooming do not rerun the page.
- :func:`municipal_boundary` / :func:`regions` — the bundled base layer (``geo.base_layer``:
  ISTAT/openpolis boundaries, CC-BY; ``LGNET2_BOUNDARIES`` only overrides), drawn under every map.
- :func:`boundaries_from_env` / :func:`load_boundaries` — municipal outlines from an ISTAT file.
- :func:`clicked_feature` — ``(kind, key)`` of the clicked bubble, periphery or hub (drill-down).
- :func:`html_size` — rendered size in bytes (budgets: 200 KB national, 400 KB city).
- Static pictures of the same layers (no network): ``geo.static.build_national_figure`` and
  ``build_city_figure`` (plotly figures, for ``lgnet2 snapshot`` and the meeting pack).

Every builder already rewrites assets to the app-served copies (``geo.assets``) and fixes element
ids, so the same input renders to the same bytes and streamlit-folium does not remount the map.
"""

from geo.assets import DEFAULT_PREFIX, localize_assets, prepare_static_assets
from geo.base_layer import ATTRIBUTION, municipal_boundary, regions
from geo.boundaries import boundaries_from_env, load_boundaries
from geo.city import build_city_map
from geo.national import build_national_map
from geo.render import clicked_feature, html_size, render_html, returned_objects, stabilize_ids
from geo.style import OSM_TILES, MapLabels, TileSource

__all__ = [
    "ATTRIBUTION",
    "DEFAULT_PREFIX",
    "OSM_TILES",
    "MapLabels",
    "TileSource",
    "boundaries_from_env",
    "build_city_map",
    "build_national_map",
    "clicked_feature",
    "html_size",
    "load_boundaries",
    "municipal_boundary",
    "regions",
    "localize_assets",
    "prepare_static_assets",
    "render_html",
    "returned_objects",
    "stabilize_ids",
]
