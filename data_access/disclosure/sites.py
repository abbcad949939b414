"""Protected sites (shelters, co-housing): counts of places per periphery, never a location.

Rules (``disclose_protected_places``):

- Any coordinate-like column (``COORDINATE_COLUMNS``) or GeoDataFrame geometry is dropped
  before anything else, for every role: no role receives a protected site's position.
- steering / admin, and a city manager for their own city: one row per periphery as given.
- a city manager for other cities: one city-level row per city (``periphery_id`` null).
- public: peripheries with at least ``PLACES_THRESHOLD`` places are shown; smaller ones are
  merged into one city-level row ("elsewhere in the city", ``level == "city"``, which also
  takes sites outside any periphery). Secondary: when exactly one periphery would be merged
  while others are shown, the smallest shown one is merged too, so the merged places cannot be
  pinned to one periphery by elimination.
"""

from __future__ import annotations

import pandas as pd

from data_access.viewer import Viewer

PLACES_THRESHOLD = 10
COORDINATE_COLUMNS = frozenset(
    {
        "lat",
        "lon",
        "lng",
        "latitude",
        "longitude",
        "geometry",
        "geom",
        "the_geom",
        "wkt",
        "wkb",
        "x",
        "y",
        "point",
        "coords",
        "coordinates",
        "location",
        "address",
        "indirizzo",
    }
)
OUTPUT_COLUMNS = ["city_code", "periphery_id", "sites", "places", "level"]


def strip_coordinates(frame: pd.DataFrame) -> pd.DataFrame:
    """A plain DataFrame without any coordinate, geometry or address column."""
    df = pd.DataFrame(frame)  # a GeoDataFrame becomes a plain frame
    drop = [c for c in df.columns if str(c).lower() in COORDINATE_COLUMNS]
    df = df.drop(columns=drop)
    for c in list(df.columns):  # geometry under another name
        if len(df) and df[c].map(lambda v: hasattr(v, "__geo_interface__")).any():
            df = df.drop(columns=[c])
    return pd.DataFrame(df)


def _city_level(g: pd.DataFrame, city: object) -> dict[str, object]:
    return {
        "city_code": city,
        "periphery_id": pd.NA,
        "sites": int(g["sites"].sum()),
        "places": int(g["places"].sum()),
        "level": "city",
    }


def _public_city(g: pd.DataFrame, city: object) -> list[dict[str, object]]:
    in_per = g[g["periphery_id"].notna()]
    small = in_per[in_per["places"] < PLACES_THRESHOLD]
    shown = in_per[in_per["places"] >= PLACES_THRESHOLD].sort_values(["places", "periphery_id"])
    if len(small) == 1 and len(shown) > 0:
        small = pd.concat([small, shown.iloc[:1]])
        shown = shown.iloc[1:]
    merged = pd.concat([g[g["periphery_id"].isna()], small])
    rows = [
        {
            "city_code": city,
            "periphery_id": r.periphery_id,
            "sites": int(r.sites),
            "places": int(r.places),
            "level": "periphery",
        }
        for r in shown.sort_values("periphery_id").itertuples()
    ]
    if len(merged):
        rows.append(_city_level(merged, city))
    return rows


def places_exact(viewer: Viewer, city: str) -> bool:
    """Whether ``viewer`` sees ``city``'s places per periphery as registered (steering, admin,
    the city's own manager); others see small peripheries merged into the city's row."""
    return viewer.full_detail or (viewer.role == "city" and viewer.city == city)


def disclose_protected_places(frame: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """Places in protected sites as ``viewer`` may see them.

    Args:
        frame: columns ``city_code``, ``periphery_id`` (null: outside any periphery),
            ``sites``, ``places``; coordinate columns, if any, are dropped.
        viewer: who is looking.

    Returns:
        Columns ``city_code, periphery_id, sites, places, level`` (``"periphery"`` |
        ``"city"``), sorted by city then periphery; never a coordinate.
    """
    df = strip_coordinates(frame)
    if "periphery_id" not in df:
        df["periphery_id"] = pd.NA
    rows: list[dict[str, object]] = []
    for city, g in df.groupby("city_code", sort=True):
        if places_exact(viewer, str(city)):
            rows += [
                {
                    "city_code": city,
                    "periphery_id": r.periphery_id,
                    "sites": int(r.sites),
                    "places": int(r.places),
                    "level": "city" if pd.isna(r.periphery_id) else "periphery",
                }
                for r in g.itertuples()
            ]
        elif viewer.role == "city":
            rows.append(_city_level(g, city))
        else:
            rows += _public_city(g, city)
    out = pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
    out["periphery_id"] = out["periphery_id"].astype("Int64")
    return out.reset_index(drop=True)
