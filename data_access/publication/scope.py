"""What a publication is built from: the released months and the data version.

The public release holds only the city-months a programme would release: by default those whose
current report is approved or locked (``months="approved"``); ``months="validated"`` (setting
``LGNET2_PUBLIC_MONTHS=validated``) adds validated reports. City-months stored without any
report (historical values loaded in bulk by an administrator) count as approved.
"""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy import Connection, Float, Numeric, cast, func, select

from data_access.errors import InvalidInput
from data_access.facts import OBS_COLUMNS, frame_of
from data_access.schema import Observation, Submission
from data_access.settings import current

MONTHS = ("approved", "validated")
RELEASED_STATUSES = {
    "approved": ("approved", "locked"),
    "validated": ("validated", "approved", "locked"),
}


def default_months() -> str:
    """``approved`` unless ``LGNET2_PUBLIC_MONTHS`` says ``validated``."""
    return check_months(current().public_months)


def check_months(months: str) -> str:
    if months not in MONTHS:
        raise InvalidInput.of("errors.publish_months_unknown", months=months)
    return months


def data_version(conn: Connection) -> str:
    """A fingerprint of everything a publication depends on: the stored values and the status
    of every report. Two reads with the same fingerprint give the same publication."""
    o = Observation
    agg = conn.execute(
        select(
            func.count(),
            # An exact (numeric) sum: PostgreSQL adds floats in parallel workers in no fixed
            # order, so at 100x the demo a float sum changed in its last bits between two reads
            # of unchanged data and every full build failed with "the data keeps changing".
            func.coalesce(func.sum(cast(o.value, Numeric(38, 10)), type_=Float), 0.0),
            func.coalesce(func.sum(o.id), 0),
            func.coalesce(func.max(o.id), 0),
        )
    ).one()
    h = hashlib.sha256(repr(tuple(float(x) for x in agg)).encode())
    for sid, status in conn.execute(
        select(Submission.id, Submission.status).order_by(Submission.id)
    ):
        h.update(f"{sid}:{status};".encode())
    return h.hexdigest()


def released_city_months(conn: Connection, months: str) -> pd.DataFrame:
    """Columns city_code, period, released (bool): the status of each reported city-month's
    current (latest) report against the statuses ``months`` releases."""
    s = Submission
    latest = (
        select(s.city_code, s.period, func.max(s.version).label("version"))
        .group_by(s.city_code, s.period)
        .subquery()
    )
    df = frame_of(
        conn.execute(
            select(s.city_code, s.period, s.status).join(
                latest,
                (s.city_code == latest.c.city_code)
                & (s.period == latest.c.period)
                & (s.version == latest.c.version),
            )
        )
    )
    df["released"] = df["status"].isin(RELEASED_STATUSES[months])
    return df[["city_code", "period", "released"]]


def released_rows(raw: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``raw`` (``fetch_all_observations``) in released city-months."""
    if raw.empty:
        return raw
    merged = raw.merge(status, on=["city_code", "period"], how="left")
    keep = merged["released"].fillna(True).astype(bool).to_numpy()  # no report: bulk, approved
    return raw[keep].reset_index(drop=True)[OBS_COLUMNS]
