"""Monthly series that keep their holes (issue 11, point 6).

``compute_monthly`` returns only the months with a value, so a chart drew a straight line over
the suppressed months and Bolzano's WP3 series sat at 0 between its few published zeros. Here
every city has every month; a month is ``suppressed`` when the viewer's disclosure hid it (a
count of 1-9 people: "<10"), ``missing`` when no value was reported, and its value stays NaN:
never a zero, never a line across it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data_access.disclosure.tables import FLAG_SUPPRESSED
from data_access.metrics.cumulative import compute_monthly

GAP_SUPPRESSED = "suppressed"
GAP_MISSING = "missing"
COLUMNS = ["city_code", "period", "value", "gap"]


def monthly_with_gaps(
    observations: pd.DataFrame, cities: Sequence[str], periods: Sequence[str]
) -> pd.DataFrame:
    """One row per city x month of ``periods`` for one indicator's ``observations`` (the
    viewer's, with ``flag``): ``city_code, period, value, gap`` (``gap`` is ``""``,
    :data:`GAP_SUPPRESSED` or :data:`GAP_MISSING`; ``value`` is NaN where ``gap`` is not empty).
    """
    grid = pd.MultiIndex.from_product([list(cities), list(periods)], names=["city_code", "period"])
    out = pd.DataFrame(index=grid).reset_index()
    known = observations[observations["value"].notna()] if len(observations) else observations
    if len(known):
        monthly = compute_monthly(known)[["city_code", "period", "value"]]
        out = out.merge(monthly, on=["city_code", "period"], how="left")
    else:
        out["value"] = float("nan")
    hidden: set[tuple[str, str]] = set()
    if len(observations) and "flag" in observations:
        rows = observations[
            (observations["flag"] == FLAG_SUPPRESSED) & observations["value"].isna()
        ]
        hidden = set(zip(rows["city_code"].astype(str), rows["period"].astype(str), strict=True))
    gap = []
    for city, period, value in zip(out["city_code"], out["period"], out["value"], strict=True):
        if pd.notna(value):
            gap.append("")
        elif (str(city), str(period)) in hidden:
            gap.append(GAP_SUPPRESSED)
        else:
            gap.append(GAP_MISSING)
    out["gap"] = gap
    out["value"] = out["value"].astype(float)
    return out.loc[:, COLUMNS]


def gap_kinds(
    cities: Sequence[str], values: Sequence[float], cumulative: pd.DataFrame, indicator: str
) -> list[str]:
    """Why each of ``values`` (one per city, NaN when not shown) is missing: ``""`` when it is
    there, :data:`GAP_SUPPRESSED` when the viewer's cumulated value of ``indicator`` was
    suppressed (``cumulative``: ``compute_viewer_cumulative`` with ``flag``), else
    :data:`GAP_MISSING`."""
    rows = cumulative[cumulative["indicator_code"] == indicator]
    flags = dict(zip(rows["city_code"].astype(str), rows.get("flag", ""), strict=True))
    return [
        ""
        if pd.notna(v)
        else (GAP_SUPPRESSED if flags.get(str(c)) == FLAG_SUPPRESSED else GAP_MISSING)
        for c, v in zip(cities, values, strict=True)
    ]


__all__ = ["COLUMNS", "GAP_MISSING", "GAP_SUPPRESSED", "gap_kinds", "monthly_with_gaps"]
