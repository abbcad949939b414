"""Values flagged as outliers against each city's own history (the data-quality page).

Reporting completeness and timeliness are ``data_access.metrics.completeness``'s: one definition
for every page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from data_access.ingest.history import allowed_city
from data_access.ingest.validate import OUTLIER_Z
from data_access.schema import Observation, Periphery
from data_access.viewer import Viewer

RAMP_UP_MONTHS = 6


def _ramp_up(df: pd.DataFrame, keys: list[str]) -> pd.Series:
    """True for the start-up months of each series: from its first month, while the value stays
    below the series' median (at most :data:`RAMP_UP_MONTHS` months)."""
    df = df.sort_values([*keys, "period"])
    median = df.groupby(keys)["value"].transform("median")
    low = (df["value"] < median).astype(int)
    position = df.groupby(keys).cumcount()
    # still in the start-up while every month so far was low
    leading = low.groupby([df[k] for k in keys]).cumprod().astype(bool)
    return (leading & (position < RAMP_UP_MONTHS)).reindex(df.index.sort_values())


def load_outliers(engine: Engine, viewer: Viewer, *, threshold: float = OUTLIER_Z) -> pd.DataFrame:
    """Stored values whose modified z-score within their own series (city, indicator, periphery)
    exceeds ``threshold``: city_code, indicator, periphery, period, value, median, z. Series of
    fewer than 6 months or without spread are not judged. The start-up of a series is not an
    outlier (issue 11.12): its leading months below the series' median, at most the first
    :data:`RAMP_UP_MONTHS`, are left out of the median, the spread and the list.

    Raises:
        NotAllowed: public viewer.
    """
    city = allowed_city(viewer, None)
    stmt = select(
        Observation.city_code,
        Observation.indicator_code.label("indicator"),
        Periphery.name.label("periphery"),
        Observation.period,
        Observation.value,
    ).join(Periphery, Periphery.id == Observation.periphery_id, isouter=True)
    if city:
        stmt = stmt.where(Observation.city_code == city)
    with engine.connect() as conn:
        df = pd.DataFrame(
            conn.execute(stmt).all(),
            columns=["city_code", "indicator", "periphery", "period", "value"],
        )
    cols = ["city_code", "indicator", "periphery", "period", "value", "median", "z"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["periphery"] = df["periphery"].fillna("")
    keys = ["city_code", "indicator", "periphery"]
    df = df[~_ramp_up(df, keys)].reset_index(drop=True)
    g = df.groupby(keys)["value"]
    df["median"] = g.transform("median")
    df["mad"] = (
        (df["value"] - df["median"]).abs().groupby([df[k] for k in keys]).transform("median")
    )
    df["n"] = g.transform("size")
    ok = (df["n"] >= 6) & (df["mad"] > 0)
    df["z"] = np.where(ok, 0.6745 * (df["value"] - df["median"]) / df["mad"].where(ok, 1.0), np.nan)
    out = df[ok & (df["z"].abs() > threshold)][cols]
    return out.sort_values(["city_code", "period", "indicator"]).reset_index(drop=True)
