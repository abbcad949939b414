"""Finding protected-site locations in whatever a page sends (shared by AppTest and browser
tests): any coordinate pair, in either order, within 500 m of a site counts as a leak."""

from __future__ import annotations

import math
import re

PAIR = re.compile(r"(-?\d{1,3}\.\d{3,})\s*,\s*(-?\d{1,3}\.\d{3,})")
RADIUS_M = 500.0


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def near_sites(text: str, sites: list[tuple[float, float]]) -> list[str]:
    """Every coordinate pair in ``text`` within ``RADIUS_M`` of a site (lat, lon)."""
    hits = []
    for a, b in PAIR.findall(text):
        x, y = float(a), float(b)
        for lat, lon in sites:
            for la, lo in ((x, y), (y, x)):
                if metres(la, lo, lat, lon) < RADIUS_M:
                    hits.append(f"{a},{b} ~ site {lat},{lon}")
    return hits
