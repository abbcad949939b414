"""Reporting quality, DHIS2 style: completeness and timeliness per city and month, approval
status, and values flagged as outliers against each city's own history.

A month is *expected* once its reporting deadline (15th of the following month) has passed;
*received* when a current submission or stored values exist; *on time* when the first version
arrived by the deadline (corrections do not make a report late).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from data_access.catalogue import programme_periods
from data_access.ingest.history import allowed_city, deadline
from data_access.ingest.validate import OUTLIER_Z
from data_access.schema import City, Observation, Periphery, Submission
from data_access.viewer import Viewer

REPORTING_COLUMNS = [
    "city_code",
    "city",
    "period",
    "expected",
    "received",
    "on_time",
    "status",
    "versions",
    "first_submitted_at",
    "deadline",
]


def _now() -> datetime:
    return datetime.now()


def compute_reporting(
    engine: Engine, viewer: Viewer, *, now: datetime | None = None
) -> pd.DataFrame:
    """One row per city and programme month (:data:`REPORTING_COLUMNS`). ``status`` is the
    current version's status, ``missing`` when nothing arrived. City managers get their city.

    Raises:
        NotAllowed: public viewer.
    """
    city = allowed_city(viewer, None)
    now = now or _now()
    s = Submission
    subs = select(
        s.city_code, s.period, func.min(s.submitted_at), func.max(s.version), func.count()
    )
    obs = select(Observation.city_code, Observation.period).distinct()
    cities_q = select(City.code, City.name).order_by(City.code)
    if city:
        subs, obs, cities_q = (
            subs.where(s.city_code == city),
            obs.where(Observation.city_code == city),
            cities_q.where(City.code == city),
        )
    with engine.connect() as conn:
        cities = list(conn.execute(cities_q))
        first = {
            (c, p): (t, v, n)
            for c, p, t, v, n in conn.execute(subs.group_by(s.city_code, s.period))
        }
        status_q = select(s.city_code, s.period, s.status).order_by(s.version)
        if city:
            status_q = status_q.where(s.city_code == city)
        status = {(c, p): st for c, p, st in conn.execute(status_q)}  # the latest version wins
        stored = {tuple(r) for r in conn.execute(obs)}
    rows = []
    for code, name in cities:
        for period in programme_periods():
            due = deadline(period)
            t, _v, n = first.get((code, period), (None, None, 0))
            received = n > 0 or (code, period) in stored
            rows.append(
                {
                    "city_code": code,
                    "city": name,
                    "period": period,
                    "expected": due < now,
                    "received": received,
                    "on_time": (t <= due) if t is not None else (None if received else False),
                    "status": status.get((code, period), "received" if received else "missing"),
                    "versions": int(n),
                    "first_submitted_at": t,
                    "deadline": due,
                }
            )
    return pd.DataFrame(rows, columns=REPORTING_COLUMNS)


def summarise_reporting(reporting: pd.DataFrame) -> pd.DataFrame:
    """Per city: expected, received, on_time, approved counts and the completeness and timeliness
    rates in percent (of expected months; DHIS2's reporting rate and reporting rate on time)."""
    exp = reporting[reporting["expected"]]
    g = exp.groupby(["city_code", "city"], sort=True)
    out = pd.DataFrame(
        {
            "expected": g.size(),
            "received": g["received"].sum(),
            "on_time": g["on_time"].apply(lambda x: int((x == True).sum())),  # noqa: E712 (None-aware)
            "approved": g["status"].apply(lambda x: int(x.isin(["approved", "locked"]).sum())),
        }
    ).reset_index()
    denom = out["expected"].where(out["expected"] > 0)
    out["completeness_pct"] = (100 * out["received"] / denom).round(1)
    out["timeliness_pct"] = (100 * out["on_time"] / denom).round(1)
    return out


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
