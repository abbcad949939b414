"""Load the real reference facts (the 16 cities, the programme's structure) into a database."""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import Connection, insert

from data_access.catalogue import ACTIONS, INDICATORS, WORK_PACKAGES
from data_access.schema import ActionRow, City, IndicatorRow, WorkPackageRow

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def load_city_facts() -> list[dict[str, object]]:
    """The 16 cities from ``reference/cities.csv`` (ISTAT codes as text, with source quality)."""
    with open(REFERENCE_DIR / "cities.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        {
            "code": r["city_code"],
            "name": r["city"],
            "region": r["region"],
            "macro_area": r["macro_area"],
            "lat": float(r["lat"]),
            "lon": float(r["lon"]),
            "population": int(r["population"]),
            "population_ref": r["population_ref"],
            "population_quality": r["population_quality"],
            "foreign_residents": int(r["foreign_residents"]),
            "foreign_ref": r["foreign_ref"],
            "foreign_quality": r["foreign_quality"],
            "centre_clear_m": float(r["centre_clear_m"]),
        }
        for r in rows
    ]


def load_neighbourhoods() -> list[dict[str, object]]:
    """Well-known at-risk neighbourhoods with an approximate centre, the radius of their
    indicative polygon and ``clear_m``, the distance from the centre to the municipal border
    (metres, derived once from the ISTAT boundaries; the boundaries themselves are not here)."""
    with open(REFERENCE_DIR / "neighbourhoods.csv", encoding="utf-8", newline="") as f:
        return [
            {
                "city_code": r["city_code"],
                "name": r["neighbourhood"],
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "quality": r["quality"],
                "radius_m": float(r["radius_m"]),
                "clear_m": float(r["clear_m"]),
            }
            for r in csv.DictReader(f)
        ]


CITY_COLUMNS = {c.name for c in City.__table__.columns}


def insert_reference(conn: Connection, cities: list[dict[str, object]] | None = None) -> None:
    """Insert cities, work packages, lines of action and indicators (into empty tables)."""
    rows = cities if cities is not None else load_city_facts()
    conn.execute(insert(City), [{k: v for k, v in c.items() if k in CITY_COLUMNS} for c in rows])
    conn.execute(insert(WorkPackageRow), [asdict(w) for w in WORK_PACKAGES])
    conn.execute(insert(ActionRow), [asdict(a) for a in ACTIONS])
    rows = []
    for ind in INDICATORS:
        d = asdict(ind)
        d["sensitive"] = ind.counts_people
        rows.append(d)
    conn.execute(insert(IndicatorRow), rows)
