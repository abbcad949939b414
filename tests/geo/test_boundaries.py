"""geo.boundaries: ISTAT boundary files in any CRS, keyed by 6-digit ISTAT code."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from data_access.errors import InvalidInput
from geo.boundaries import boundaries_from_env, load_boundaries


def test_reference_file_loads_with_sixteen_codes(
    reference_boundaries: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "b.geojson"
    reference_boundaries.reset_index().to_file(path, driver="GeoJSON")
    b = load_boundaries(path)
    assert len(b) == 16 and all(len(c) == 6 for c in b.index)
    assert b.crs.to_epsg() == 4326
    assert b["058091"].equals_exact(reference_boundaries.geometry["058091"], 1e-9)


@pytest.mark.parametrize(
    ("column", "code", "expected"),
    [
        ("PRO_COM_T", "037006", "037006"),
        ("pro_com", 37006, "037006"),
        ("COD_ISTAT", " 58091", "058091"),
    ],
)
def test_istat_layouts_in_utm_are_normalised(
    tmp_path: Path, column: str, code: object, expected: str
) -> None:
    utm = gpd.GeoDataFrame(
        {column: [code]}, geometry=[box(680000, 4920000, 690000, 4930000)], crs="EPSG:32632"
    )
    path = tmp_path / "b.gpkg"
    utm.to_file(path, driver="GPKG")
    b = load_boundaries(path)
    assert list(b.index) == [expected]
    minx, miny, maxx, maxy = b.total_bounds
    assert 11 < minx < maxx < 12 and 44 < miny < maxy < 45


@pytest.mark.parametrize(
    "make",
    [
        lambda d: d / "missing.geojson",
        lambda d: (d / "bad.geojson").write_text("not json") and d / "bad.geojson",
        lambda d: (
            gpd.GeoDataFrame({"nome": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326").to_file(
                d / "n.geojson"
            )
            or d / "n.geojson"
        ),
    ],
    ids=["missing", "unreadable", "no-code-column"],
)
def test_bad_files_raise_a_user_error(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as err:
        load_boundaries(make(tmp_path))
    assert err.value.message_it and err.value.message_en


def test_env_unset_means_no_outline() -> None:
    assert boundaries_from_env({}) is None
