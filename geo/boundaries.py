"""Municipal boundaries from a file (ISTAT publishes them under CC-BY 4.0).

The app draws a city's outline when an operator points ``LGNET2_BOUNDARIES`` at a boundary file
(GeoJSON, GeoPackage or Shapefile, any CRS). Nothing is downloaded and no boundary ships with the
project.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd

from data_access.errors import InvalidInput
from data_access.settings import Settings

#: Column names ISTAT and common derivatives use for the 6-digit municipality code.
CODE_COLUMNS: tuple[str, ...] = (
    "com_istat_code",
    "pro_com_t",
    "pro_com",
    "cod_istat",
    "istat_code",
    "city_code",
)


def load_boundaries(path: str | os.PathLike[str]) -> gpd.GeoSeries:
    """Read municipal boundaries, keyed by ISTAT code (6 digits, zero-padded), in EPSG:4326.

    Args:
        path: a file geopandas can read. The code column is the first of :data:`CODE_COLUMNS`
            present (case-insensitive).

    Returns:
        A GeoSeries of (Multi)Polygons indexed by ISTAT code; geometries as in the file
        (the map builders simplify them for display).

    Raises:
        InvalidInput: the file is missing or unreadable, has no code column, or has no CRS.
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidInput.of("errors.boundaries_missing", path=p)
    try:
        frame = gpd.read_file(p)
    except Exception as exc:  # the reader's errors vary by driver
        raise InvalidInput.of("errors.boundaries_unreadable", name=p.name) from exc
    by_lower = {str(c).lower(): c for c in frame.columns}
    column = next((by_lower[c] for c in CODE_COLUMNS if c in by_lower), None)
    if column is None:
        raise InvalidInput.of("errors.boundaries_no_code", columns=", ".join(CODE_COLUMNS))
    if frame.crs is None:
        raise InvalidInput.of("errors.boundaries_no_crs")
    frame = frame.to_crs("EPSG:4326")
    codes = frame[column].astype(str).str.strip().str.zfill(6)
    series = gpd.GeoSeries(list(frame.geometry), index=list(codes), crs="EPSG:4326")
    return series[~series.index.duplicated(keep="first")].sort_index()


def boundaries_from_env(environ: Mapping[str, str] | None = None) -> gpd.GeoSeries | None:
    """:func:`load_boundaries` of ``LGNET2_BOUNDARIES``, or None when it is not set."""
    path = Settings.from_env(environ).boundaries
    return load_boundaries(path) if path else None
