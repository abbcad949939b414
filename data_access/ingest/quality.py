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


def load_outliers(engine: Engine, viewer: Viewer, *, threshold: float = OUTLIER_Z) -> pd.DataFrame:
    """Stored values whose modified z-score within their own series (city, indicator, periphery)
    exceeds ``threshold``: city_code, indicator, periphery, period, value, median, z. Series of
    fewer than 6 months or without spread are not judged.

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
