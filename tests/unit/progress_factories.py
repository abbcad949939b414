"""Factories and indicator names shared by the progress, plan and projection tests
(``test_metrics_progress``, ``test_metrics_plan``, ``test_metrics_projection``)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

TIC, LEGAL = "WP2_TAKEN_IN_CHARGE", "WP2_LEGAL"  # WP2 flows
OUTINGS, PSYCH = "WP2_OUTINGS", "WP2_PSYCH"  # WP2 flows
PLACES = "WP3_PLACES"  # stock
BED, PN, OCC = "WP3_BED_NIGHTS", "WP3_PLACE_NIGHTS", "WP3_OCCUPANCY"
STAY, EXITS, AVG = "WP3_STAY_DAYS", "WP3_EXITS", "WP3_AVG_STAY"  # AVG: direction down
NAN = float("nan")
#: A milestone of 30 in 2023-03 (the linear plan of a 180 target would be 60 there).
M_2023_03 = [{"period": "2023-03", "value": 30}]


def make_observations(*rows: tuple) -> pd.DataFrame:
    """Rows ``(city, indicator, period, value)`` at city level."""
    return pd.DataFrame(
        [(c, None, i, p, float(v)) for c, i, p, v in rows],
        columns=["city_code", "periphery_id", "indicator_code", "period", "value"],
    )


def make_targets(*rows: tuple) -> pd.DataFrame:
    """Rows ``(city, indicator, end_value[, milestones])``."""
    full = [(*r, None) if len(r) == 3 else r for r in rows]
    return pd.DataFrame(full, columns=["city_code", "indicator_code", "end_value", "milestones"])


def monthly(city: str, indicator: str, start: str, vals: list[float]) -> list[tuple]:
    """Consecutive months from ``start``."""
    y, m = int(start[:4]), int(start[5:])
    out = []
    for v in vals:
        out.append((city, indicator, f"{y:04d}-{m:02d}", v))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)
