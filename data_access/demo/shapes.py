"""Indicative shapes for demo data: irregular polygons and points around a real centre.

Everything stays inside a disc of the given radius around the centre, so a polygon whose radius
is smaller than the centre's distance to the municipal boundary lies inside the municipality
(the radii in ``data_access/reference/neighbourhoods.csv`` were chosen that way and the tests
check the result against the real ISTAT boundaries).
"""

from __future__ import annotations

import math

import numpy as np
from shapely.geometry import Point, Polygon

METRES_PER_DEGREE_LAT = 111_320.0


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    dlat = north_m / METRES_PER_DEGREE_LAT
    dlon = east_m / (METRES_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def build_indicative_polygon(
    lat: float, lon: float, radius_m: float, rng: np.random.Generator, vertices: int = 11
) -> Polygon:
    """An irregular, star-free polygon around (lat, lon), every vertex within ``radius_m``.

    Vertices sit at increasing angles with radii between 70% and 100% of ``radius_m``, so the
    polygon is simple (never self-intersecting). Coordinates are rounded to 6 decimals.
    """
    step = 2 * math.pi / vertices
    angles = [i * step + rng.uniform(-0.3, 0.3) * step for i in range(vertices)]
    ring = []
    for a in angles:
        r = radius_m * rng.uniform(0.7, 1.0)
        la, lo = _offset(lat, lon, r * math.sin(a), r * math.cos(a))
        ring.append((round(lo, 6), round(la, 6)))
    return Polygon(ring)


def build_point_near(lat: float, lon: float, max_m: float, rng: np.random.Generator) -> Point:
    """A point at most ``max_m`` metres from (lat, lon) (uniform over the disc)."""
    r = max_m * math.sqrt(rng.uniform(0.0, 1.0))
    a = rng.uniform(0.0, 2 * math.pi)
    la, lo = _offset(lat, lon, r * math.sin(a), r * math.cos(a))
    return Point(round(lo, 6), round(la, 6))
