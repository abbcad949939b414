"""The deterministic demo dataset: facts (``build``), places (``places``) and their indicative
geometry (``shapes``), synthetic cities for larger scales (``scale``). Every row it writes is
marked demo.
"""

from data_access.demo.build import (
    BASE_RATE,
    DEFAULT_SEED,
    FACT_TABLES,
    LATE_START,
    MILESTONE_CITIES,
    MISSING_REPORTS,
    OFTEN_LATE,
    PERFORMANCE,
    PLACES_PER_10K,
    SEASON,
    WP_SHARE,
    build_demo,
    build_facts,
    city_scale,
    ramp,
)
from data_access.demo.scale import synthetic_cities

__all__ = [
    "BASE_RATE",
    "DEFAULT_SEED",
    "FACT_TABLES",
    "LATE_START",
    "MILESTONE_CITIES",
    "MISSING_REPORTS",
    "OFTEN_LATE",
    "PERFORMANCE",
    "PLACES_PER_10K",
    "SEASON",
    "WP_SHARE",
    "build_demo",
    "build_facts",
    "city_scale",
    "ramp",
    "synthetic_cities",
]
