"""Small deterministic inputs for the map builders (shapes made up; city names and codes real)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, Polygon, box

# ISTAT code, name, approximate centre (lat, lon)
CITIES: tuple[tuple[str, str, float, float], ...] = (
    ("001272", "Torino", 45.0703, 7.6869),
    ("010025", "Genova", 44.4056, 8.9463),
    ("015146", "Milano", 45.4642, 9.19),
    ("021008", "Bolzano", 46.4983, 11.3548),
    ("032006", "Trieste", 45.6495, 13.7768),
    ("037006", "Bologna", 44.4949, 11.3426),
    ("048017", "Firenze", 43.7696, 11.2558),
    ("054039", "Perugia", 43.1107, 12.3908),
    ("058091", "Roma", 41.9028, 12.4964),
    ("059011", "Latina", 41.4676, 12.9036),
    ("061022", "Caserta", 41.0732, 14.3329),
    ("063049", "Napoli", 40.8518, 14.2681),
    ("073027", "Taranto", 40.4644, 17.247),
    ("076063", "Potenza", 40.6404, 15.8056),
    ("082053", "Palermo", 38.1157, 13.3615),
    ("090064", "Sassari", 40.7259, 8.5557),
)
STATUS_CYCLE = ("on_track", "at_risk", "off_track", "no_data")


def make_cities(name_override: dict[str, str] | None = None) -> pd.DataFrame:
    rows = []
    for i, (code, name, lat, lon) in enumerate(CITIES):
        status = STATUS_CYCLE[i % 4]
        value = None if status == "no_data" else float(100 + 37 * i)
        rows.append(
            {
                "city_code": code,
                "name": (name_override or {}).get(code, name),
                "lat": lat,
                "lon": lon,
                "value": value,
                "status": status,
            }
        )
    return pd.DataFrame(rows)


HUB_TYPES = (
    "centro_anziani",
    "scuola_comunale",
    "ludoteca",
    "biblioteca",
    "centro_sportivo",
    "spazio_culturale",
    "sportello_unico",
)


def make_peripheries(
    city_code: str = "037006",
    n: int = 4,
    origin: tuple[float, float] = (11.30, 44.47),
    size: float = 0.02,
    vertices_per_side: int = 60,
    wiggle: float = 0.00002,
) -> gpd.GeoDataFrame:
    """``n`` adjacent squares in a row (shared borders), with many collinear-ish vertices so that
    simplification has work to do."""
    import math

    x0, y0 = origin
    rows = []
    for i in range(n):
        minx = x0 + i * size
        ring = []
        # A wiggly bottom and top edge (shared vertical edges stay straight and shared).
        for k in range(vertices_per_side + 1):
            x = minx + size * k / vertices_per_side
            ring.append((x, y0 + wiggle * math.sin(k)))
        for k in range(vertices_per_side, -1, -1):
            x = minx + size * k / vertices_per_side
            ring.append((x, y0 + size + wiggle * math.cos(k)))
        rows.append(
            {
                "id": 100 + i,
                "city_code": city_code,
                "name": f"Periferia {i + 1}",
                "geometry_quality": "indicative" if i % 2 == 0 else "official",
                "risk_index": round(0.2 + 0.15 * i, 2),
                "population": 10000 + i,  # an unused column: must not reach the browser
                "geometry": Polygon(ring),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def make_hubs(peripheries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rows = []
    k = 0
    for _, p in peripheries.iterrows():
        c = p.geometry.centroid
        for j, t in enumerate(HUB_TYPES):
            if (k + j) % 2 == 0 or t == "sportello_unico":
                rows.append(
                    {
                        "id": 1000 + k * 10 + j,
                        "city_code": p.city_code,
                        "periphery_id": p.id,
                        "name": f"{t} {p['name']}",
                        "type": t,
                        "opened": "2023-01",
                        "geometry": Point(round(c.x + 0.001 * j, 6), round(c.y + 0.0005 * j, 6)),
                    }
                )
        k += 1
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def make_protected(peripheries: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame({"periphery_id": list(peripheries["id"])[:2], "places": [12, "<10"]})


def make_boundary(peripheries: gpd.GeoDataFrame):  # type: ignore[no-untyped-def]
    minx, miny, maxx, maxy = peripheries.total_bounds
    return box(minx - 0.03, miny - 0.03, maxx + 0.03, maxy + 0.03)
