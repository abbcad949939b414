"""Metrics: pure pandas functions from observations to the numbers pages show.

The package exports the cumulation layer (``cumulative``); the other modules are imported
by name: ``progress`` (status against target and plan), ``projection`` (end value, pace),
``benchmark`` (per 10,000, peers, funnel), ``completeness`` (reporting), ``text`` (written
notes), ``viewer`` (what a protected viewer may see), ``kpi`` (headline compositions).
"""

from data_access.metrics.cumulative import (
    CUMULATIVE_COLUMNS,
    OBSERVATION_COLUMNS,
    TOTAL_CODE,
    Catalogue,
    compute_cumulative,
    compute_cumulative_series,
    compute_monthly,
    compute_total_monthly,
    months_elapsed,
    months_remaining,
)
from data_access.periods import check_period, period_index

__all__ = [
    "CUMULATIVE_COLUMNS",
    "Catalogue",
    "OBSERVATION_COLUMNS",
    "TOTAL_CODE",
    "check_period",
    "compute_cumulative",
    "compute_cumulative_series",
    "compute_monthly",
    "compute_total_monthly",
    "months_elapsed",
    "months_remaining",
    "period_index",
]
