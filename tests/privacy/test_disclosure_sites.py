"""Protected sites: never a coordinate, per-periphery counts only where the rules allow."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from data_access.disclosure import disclose_protected_places
from data_access.viewer import Viewer

ROMA, MILANO = "058091", "015146"


def places(rows: list[tuple[str, int | None, int, int]], **extra: list[object]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["city_code", "periphery_id", "sites", "places"])
    df["periphery_id"] = df["periphery_id"].astype("Int64")
    for k, v in extra.items():
        df[k] = v
    return df


def as_dict(df: pd.DataFrame) -> dict[tuple[str, int | None], int]:
    return {
        (r.city_code, None if pd.isna(r.periphery_id) else int(r.periphery_id)): int(r.places)
        for r in df.itertuples()
    }


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # every periphery above the threshold: all shown
        ([(ROMA, 1, 2, 12), (ROMA, 2, 1, 10)], {(ROMA, 1): 12, (ROMA, 2): 10}),
        # two small ones merged at city level
        ([(ROMA, 1, 1, 4), (ROMA, 2, 1, 6), (ROMA, 3, 2, 20)], {(ROMA, None): 10, (ROMA, 3): 20}),
        # one small one: the smallest shown one is merged too (secondary)
        ([(ROMA, 1, 1, 4), (ROMA, 2, 2, 15), (ROMA, 3, 2, 20)], {(ROMA, None): 19, (ROMA, 3): 20}),
        # a single small periphery alone in its city
        ([(ROMA, 1, 1, 3)], {(ROMA, None): 3}),
        # sites outside any periphery join the city-level row
        ([(ROMA, None, 1, 5), (ROMA, 2, 1, 12)], {(ROMA, None): 5, (ROMA, 2): 12}),
        # cities are independent
        (
            [(ROMA, 1, 1, 30), (MILANO, 5, 1, 2), (MILANO, 6, 1, 40), (MILANO, 7, 1, 11)],
            {(ROMA, 1): 30, (MILANO, None): 13, (MILANO, 6): 40},
        ),
    ],
)
def test_public_threshold(
    rows: list[tuple[str, int | None, int, int]], expected: dict[tuple[str, int | None], int]
) -> None:
    out = disclose_protected_places(places(rows), Viewer("public"))
    assert as_dict(out) == expected
    per = out[out["level"] == "periphery"]
    assert (per["places"] >= 10).all()
    assert out["places"].sum() == sum(r[3] for r in rows)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (Viewer("steering"), {(ROMA, 1): 4, (ROMA, 2): 15, (MILANO, 5): 2}),
        (Viewer("admin"), {(ROMA, 1): 4, (ROMA, 2): 15, (MILANO, 5): 2}),
        (Viewer("city", ROMA), {(ROMA, 1): 4, (ROMA, 2): 15, (MILANO, None): 2}),
        (Viewer("city", MILANO), {(ROMA, None): 19, (MILANO, 5): 2}),
    ],
)
def test_roles(viewer: Viewer, expected: dict[tuple[str, int | None], int]) -> None:
    rows = [(ROMA, 1, 1, 4), (ROMA, 2, 2, 15), (MILANO, 5, 1, 2)]
    assert as_dict(disclose_protected_places(places(rows), viewer)) == expected


COORDS = ["lat", "lon", "Latitude", "LONGITUDE", "geometry", "wkt", "x", "y", "address"]


@pytest.mark.parametrize("role", ["public", "city:058091", "steering", "admin"])
def test_coordinates_never_pass(role: str) -> None:
    rows = [(ROMA, 1, 1, 12), (ROMA, 2, 1, 3)]
    df = places(rows, **{c: [41.9, 12.5] for c in COORDS}, point=[Point(12.5, 41.9)] * 2)
    out = disclose_protected_places(df, Viewer.parse(role))
    assert list(out.columns) == ["city_code", "periphery_id", "sites", "places", "level"]
    assert not out.isin([41.9, 12.5]).any().any()


def test_geodataframe_loses_its_geometry() -> None:
    gdf = gpd.GeoDataFrame(
        places([(ROMA, 1, 1, 12)]), geometry=[Point(12.49, 41.89)], crs="EPSG:4326"
    )
    out = disclose_protected_places(gdf, Viewer("steering"))
    assert not isinstance(out, gpd.GeoDataFrame)
    assert "geometry" not in out.columns
    assert "41.89" not in out.to_csv()
