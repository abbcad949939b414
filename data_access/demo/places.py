"""Demo places: at-risk peripheries (real neighbourhood names, indicative polygons), aggregation
hubs, one-stop shops and protected sites. Names of places say "demo"; positions are invented."""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np
from shapely.geometry import Point, mapping

from data_access.catalogue import HUB_TYPES, ONE_STOP_SHOP
from data_access.demo.shapes import (
    METRES_PER_DEGREE_LAT,
    build_indicative_polygon,
    build_point_near,
)

HUB_LABELS = {
    "centro_anziani": "Centro anziani",
    "scuola_comunale": "Scuola comunale",
    "ludoteca": "Ludoteca",
    "biblioteca": "Biblioteca",
    "centro_sportivo": "Centro sportivo",
    "spazio_culturale": "Spazio culturale",
}


def rng_for(seed: int, *keys: object) -> np.random.Generator:
    """A generator that depends only on the seed and the keys (stable across runs/machines)."""
    return np.random.default_rng([seed, zlib.crc32("|".join(map(str, keys)).encode())])


def hub_count(foreign_residents: int, max_foreign: int) -> int:
    """4 to 12 hubs, growing with the city's foreign residents."""
    return int(round(4 + 8 * (foreign_residents / max_foreign) ** 0.5))


def build_places(
    seed: int,
    cities: list[dict[str, Any]],
    hoods: list[dict[str, Any]],
    places_cap: Mapping[str, int] | None = None,
) -> tuple[list[dict], list[dict], list[dict]]:
    """Peripheries, hubs (incl. one-stop shops) and protected sites for every city.

    ``places_cap``: per city code, the most places its protected sites may hold together (the
    registry never counts more places than the city's WP3 indicator); sites are trimmed, and
    those left with no place dropped. Returns rows ready for insertion; periphery ids are
    assigned here (1..n in input order).
    """
    peripheries: list[dict] = []
    hubs: list[dict] = []
    sites: list[dict] = []
    max_foreign = max(int(c["foreign_residents"]) for c in cities)
    pid = hid = sid = 0
    for city in cities:
        code = str(city["code"])
        mine = [h for h in hoods if h["city_code"] == code]
        city_pids: list[tuple[int, dict]] = []
        for h in mine:
            pid += 1
            rng = rng_for(seed, "periphery", code, h["name"])
            poly = build_indicative_polygon(
                float(h["lat"]),
                float(h["lon"]),
                float(h["radius_m"]),
                rng,
            )
            peripheries.append(
                {
                    "id": pid,
                    "city_code": code,
                    "name": h["name"],
                    "geometry": json.dumps(mapping(poly)),
                    "geometry_quality": "indicative",
                    "centre_lat": h["lat"],
                    "centre_lon": h["lon"],
                    "population": None,
                    "risk_index": round(float(rng.uniform(0.45, 0.9)), 2),
                }
            )
            city_pids.append((pid, h))
        rng = rng_for(seed, "hubs", code)
        for k in range(hub_count(int(city["foreign_residents"]), max_foreign)):
            p_id, h = city_pids[k % len(city_pids)]
            htype = HUB_TYPES[(k + len(code)) % len(HUB_TYPES)]
            pt = build_point_near(
                float(h["lat"]),
                float(h["lon"]),
                0.6 * float(h["radius_m"]),
                rng,
            )
            hid += 1
            hubs.append(
                {
                    "id": hid,
                    "city_code": code,
                    "periphery_id": p_id,
                    "name": f"{HUB_LABELS[htype]} {h['name']} (demo {k + 1})",
                    "type": htype,
                    "lat": pt.y,
                    "lon": pt.x,
                    "opened": f"2023-{1 + int(rng.integers(0, 9)):02d}",
                }
            )
        # One-stop shops: one central (at the city centre), one in the first periphery.
        hid += 1
        hubs.append(
            {
                "id": hid,
                "city_code": code,
                "periphery_id": None,
                "name": f"Sportello unico {city['name']} centro (demo)",
                "type": ONE_STOP_SHOP,
                "lat": city["lat"],
                "lon": city["lon"],
                "opened": "2022-11",
            }
        )
        p_id, h = city_pids[0]
        pt = build_point_near(
            float(h["lat"]),
            float(h["lon"]),
            0.5 * float(h["radius_m"]),
            rng,
        )
        hid += 1
        hubs.append(
            {
                "id": hid,
                "city_code": code,
                "periphery_id": p_id,
                "name": f"Sportello unico {h['name']} (demo)",
                "type": ONE_STOP_SHOP,
                "lat": pt.y,
                "lon": pt.x,
                "opened": "2023-02",
            }
        )
        srng = rng_for(seed, "sites", code)
        published = _published_points(city, city_pids, peripheries, hubs)
        discs = [(float(h["lat"]), float(h["lon"]), float(h["clear_m"])) for _, h in city_pids]
        discs.append((float(city["lat"]), float(city["lon"]), float(city["centre_clear_m"])))
        room = None if places_cap is None else int(places_cap[code])
        for k in range(1 + int(srng.integers(0, 3))):
            p_id, _h = city_pids[(k + 1) % len(city_pids)]
            pt = _secret_point(discs, published, srng)
            places = int(srng.integers(4, 25))
            if room is not None:
                places = min(places, room)
                room -= places
            if places <= 0:
                break
            sid += 1
            sites.append(
                {
                    "id": sid,
                    "city_code": code,
                    "periphery_id": p_id,
                    "kind": "shelter" if k % 2 == 0 else "cohousing",
                    "places": places,
                    "lat": pt.y,
                    "lon": pt.x,
                }
            )
            published.append((pt.y, pt.x))  # two sites are not next door either
    return peripheries, hubs, sites


SITE_CLEARANCE_M = 650.0  # from every coordinate a page publishes (the check allows 500 m)
BORDER_MARGIN_M = 120.0


def _published_points(
    city: dict,
    city_pids: list,
    peripheries: list[dict],
    hubs: list[dict],
) -> list[tuple[float, float]]:
    """Every (lat, lon) the maps of ``city`` publish: polygon vertices, hubs, shops, centre."""
    ids = {p_id for p_id, _ in city_pids}
    pts = [(float(city["lat"]), float(city["lon"]))]
    for p in peripheries:
        if p["id"] in ids:
            pts += [(la, lo) for lo, la in json.loads(p["geometry"])["coordinates"][0]]
    pts += [(float(h["lat"]), float(h["lon"])) for h in hubs if h["city_code"] == city["code"]]
    return pts


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * METRES_PER_DEGREE_LAT
    dx = (a[1] - b[1]) * METRES_PER_DEGREE_LAT * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def _secret_point(
    discs: list[tuple[float, float, float]],
    published: list[tuple[float, float]],
    rng: np.random.Generator,
    tries: int = 5000,
) -> Point:
    """A protected site's position: inside one of the safe discs (so inside the municipality)
    and at least ``SITE_CLEARANCE_M`` from every published coordinate, so that no map, table
    or tooltip carries a coordinate near it. Deterministic for a given generator; where no
    position is that far (a tiny municipality), the farthest one found."""
    usable = [d for d in discs if d[2] > BORDER_MARGIN_M]
    best, best_gap = None, -1.0
    for _ in range(tries):
        lat, lon, clear = usable[int(rng.integers(0, len(usable)))]
        pt = build_point_near(lat, lon, clear - BORDER_MARGIN_M, rng)
        gap = min(_distance_m((pt.y, pt.x), q) for q in published)
        if gap >= SITE_CLEARANCE_M:
            return pt
        if gap > best_gap:
            best, best_gap = pt, gap
    assert best is not None
    return best
