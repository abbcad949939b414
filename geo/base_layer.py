"""The base layer that ships with the project: Italy's 20 regions and the 16 cities' boundaries.

Every map draws it underneath its data, so a map reads at a glance with no tile server at all
(a locked-down network, the CI, a projector offline, ``lgnet2 snapshot``, the meeting pack).

Files (``geo/data/``, package data, rebuilt by ``scripts/build_base_layer.py``) hold one
FeatureCollection per layer and zoom level, already simplified to half a screen pixel at that
zoom; each feature has ``code`` (ISTAT: 2-digit region, 6-digit municipality) and ``name``.
Source and licence (the attribution must travel with the data: map, README, NOTICE):
:data:`ATTRIBUTION`.

``LGNET2_BOUNDARIES`` (a GeoJSON/GeoPackage/Shapefile of municipal boundaries, see
``geo.boundaries``) only overrides the bundled municipal boundaries; nobody needs to set it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

import geopandas as gpd
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from data_access.settings import Settings
from geo.boundaries import boundaries_from_env

DATA_DIR = Path(__file__).resolve().parent / "data"

Layer = Literal["regions", "municipalities"]

#: Zoom levels each layer is stored for (coarsest first). Regions: z5 for a whole-country picture
#: (static figures, phones), z6 for the interactive national map (its zoom).
#: Municipalities: z11 for small static pictures of a city, z14 for the city map itself.
LEVELS: dict[str, tuple[int, ...]] = {"regions": (5, 6), "municipalities": (11, 14)}

#: Required wording (reference/README): ISTAT boundaries, openpolis processing, both CC-BY.
#: Plain text on the map too (no link: a map page links to no third party).
ATTRIBUTION = "Limiti amministrativi ISTAT (CC-BY 3.0), elaborazione openpolis (CC-BY 4.0)"


def layer_path(layer: Layer, zoom: int) -> Path:
    """Where the bundled ``layer`` simplified for ``zoom`` is stored."""
    return DATA_DIR / f"{layer}.z{zoom}.geojson"


def level_for(layer: Layer, zoom: float) -> int:
    """The stored zoom level to draw ``layer`` at map zoom ``zoom``: the coarsest level at least
    as detailed as ``zoom`` (the most detailed when ``zoom`` is beyond them all)."""
    levels = LEVELS[layer]
    return next((z for z in levels if z >= zoom), levels[-1])


@lru_cache(maxsize=8)
def _read(layer: Layer, zoom: int) -> gpd.GeoDataFrame:
    raw = json.loads(layer_path(layer, zoom).read_text(encoding="utf-8"))
    feats = raw["features"]
    return gpd.GeoDataFrame(
        {
            "code": [str(f["properties"]["code"]) for f in feats],
            "name": [str(f["properties"]["name"]) for f in feats],
        },
        geometry=[shape(f["geometry"]) for f in feats],
        crs="EPSG:4326",
    )


def regions(zoom: float = 7) -> gpd.GeoDataFrame:
    """Italy's 20 regions (``code`` 2-digit ISTAT, ``name``, ``geometry``), EPSG:4326, sorted by
    code, simplified for map zoom ``zoom``. A copy: callers may change it."""
    return _read("regions", level_for("regions", zoom)).copy()


def municipalities(zoom: float = 14) -> gpd.GeoDataFrame:
    """The 16 programme cities' boundaries (``code`` 6-digit ISTAT, ``name``, ``geometry``),
    EPSG:4326, sorted by code, simplified for map zoom ``zoom``. A copy."""
    return _read("municipalities", level_for("municipalities", zoom)).copy()


@lru_cache(maxsize=4)
def _override(path: str) -> gpd.GeoSeries | None:
    return boundaries_from_env({"LGNET2_BOUNDARIES": path})


def municipal_boundary(
    city_code: str, *, zoom: float = 14, environ: Mapping[str, str] | None = None
) -> BaseGeometry | None:
    """The municipal boundary of ``city_code`` (6-digit ISTAT code), or None if unknown.

    The file named by ``LGNET2_BOUNDARIES`` wins when set (an operator's more detailed or newer
    boundaries; read once per path); otherwise the bundled boundary simplified for ``zoom``.

    Raises:
        InvalidInput: ``LGNET2_BOUNDARIES`` names a missing or unreadable file.
    """
    setting = Settings.from_env(environ).boundaries
    if setting:
        series = _override(setting)
        if series is not None and city_code in series.index:
            geom = series[city_code]
            return geom if isinstance(geom, BaseGeometry) else None
    frame = _read("municipalities", level_for("municipalities", zoom))
    hit = frame.loc[frame["code"] == city_code, "geometry"]
    return hit.iloc[0] if len(hit) else None
