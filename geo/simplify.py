"""Geometry preparation for the browser: simplify for the zoom shown, round coordinates.

Peripheries of one city share borders, so they are simplified as a coverage
(``shapely.coverage_simplify``): neighbours keep a common edge, with no slivers or gaps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

#: Decimal places kept in coordinates sent to the browser (1e-5 degree is about 1 m).
DECIMALS = 5


def tolerance_for_zoom(zoom: float, pixels: float = 0.5) -> float:
    """Simplification tolerance in degrees: ``pixels`` screen pixels at web-mercator ``zoom``.

    Nothing smaller than half a pixel can be seen, so removing it changes no pixel on screen.
    """
    return pixels * 360.0 / (256.0 * math.pow(2.0, zoom))


def round_coords(geom: BaseGeometry, decimals: int = DECIMALS) -> BaseGeometry:
    """``geom`` with every coordinate rounded to ``decimals`` places (for display only)."""
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def simplify_coverage(
    geoms: Sequence[BaseGeometry], tolerance: float, decimals: int = DECIMALS
) -> list[BaseGeometry]:
    """Simplify polygons that may share borders, keeping shared edges identical, then round.

    Falls back to per-polygon ``simplify(preserve_topology=True)`` when the polygons do not form
    a valid coverage (overlaps), which GEOS would otherwise refuse or distort. Empty and missing
    geometries are returned as they are.
    """
    items = [g for g in geoms if g is not None and not g.is_empty]
    if not items:
        return list(geoms)
    arr = np.array(items, dtype=object)
    simplified: Sequence[BaseGeometry]
    if hasattr(shapely, "coverage_simplify") and bool(shapely.coverage_is_valid(arr)):
        simplified = list(shapely.coverage_simplify(arr, tolerance))
    else:
        simplified = [g.simplify(tolerance, preserve_topology=True) for g in items]
    out_iter = iter(round_coords(g, decimals) for g in simplified)
    return [g if g is None or g.is_empty else next(out_iter) for g in geoms]


def simplify_one(geom: BaseGeometry, tolerance: float, decimals: int = DECIMALS) -> BaseGeometry:
    """Simplify a single outline (topology preserved) and round its coordinates."""
    return round_coords(geom.simplify(tolerance, preserve_topology=True), decimals)


def bounds_zoom(bounds: tuple[float, float, float, float], width_px: int = 800) -> int:
    """The web-mercator zoom at which ``bounds`` (minx, miny, maxx, maxy) fit ``width_px``."""
    minx, _, maxx, _ = bounds
    span = max(maxx - minx, 1e-6)
    return max(0, min(18, int(math.floor(math.log2(360.0 * width_px / (256.0 * span))))))
