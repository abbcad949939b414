"""Reporting completeness and timeliness per city and month (DHIS2-style).

A monthly report is due by the 15th of the following month (on time: submitted on or before the
15th, local time, any hour). Only submissions that were not rejected count; the first of them
dates the report. Definitions (methodology page):

- ``on_time``: a counted submission by the deadline;
- ``late``: the first counted submission came after the deadline;
- ``missing``: nothing counted, and the deadline has passed (at ``as_of``);
- ``pending``: nothing counted yet, and the deadline is still ahead of ``as_of`` (not due).

Completeness = (on time + late) / due; timeliness = on time / due; due = all but pending.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import pandas as pd

from data_access.catalogue import programme_periods
from data_access.errors import InvalidInput
from data_access.metrics.cumulative import check_period

ReportStatus = Literal["on_time", "late", "missing", "pending"]
REPORT_STATUSES: tuple[ReportStatus, ...] = ("on_time", "late", "missing", "pending")
NOT_COUNTED = frozenset({"rejected"})
LOCAL_TZ = "Europe/Rome"


def report_deadline(period: str, day: int = 15) -> dt.date:
    """The last day to submit ``period``'s report on time: the ``day``-th of the next month."""
    check_period(period)
    y, m = int(period[:4]), int(period[5:])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dt.date(y, m, day)


def _local_naive(values: pd.Series) -> pd.Series:
    ts = pd.to_datetime(values)
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
    return ts


def compute_reporting(
    submissions: pd.DataFrame,
    city_codes: Iterable[str],
    periods: Iterable[str] | None = None,
    *,
    as_of: dt.datetime | dt.date | str | None = None,
    deadline_day: int = 15,
) -> pd.DataFrame:
    """Report status of every city x month.

    Args:
        submissions: ``city_code, period, submitted_at, status`` (as ``load_submissions``).
            Time-zone-aware times are converted to Italian local time.
        city_codes: the cities expected to report.
        periods: the months expected (default: the 18 programme months).
        as_of: the moment the view is taken (submissions after it are ignored, deadlines after
            it make a month ``pending``); ``None`` = everything is due.

    Returns:
        Columns ``city_code, period, submitted_at (first counted, NaT if none), deadline (the
        last day, a ``date``), status`` (one of :data:`REPORT_STATUSES`), sorted by city and period.
    """
    missing_cols = {"city_code", "period", "submitted_at", "status"} - set(submissions.columns)
    if missing_cols:
        cols = ", ".join(sorted(missing_cols))
        raise InvalidInput(f"Colonne mancanti: {cols}.", f"Missing columns: {cols}.")
    ps = sorted(
        {check_period(p) for p in (periods if periods is not None else programme_periods())}
    )
    cities = sorted({str(c) for c in city_codes})
    grid = pd.DataFrame([(c, p) for c in cities for p in ps], columns=["city_code", "period"])
    s = submissions.loc[
        ~submissions["status"].astype(str).isin(NOT_COUNTED),
        ["city_code", "period", "submitted_at"],
    ].copy()
    s["city_code"] = s["city_code"].astype(str)
    s["period"] = s["period"].astype(str)
    s["submitted_at"] = _local_naive(s["submitted_at"])
    cutoff = None
    if as_of is not None:
        cutoff = pd.Timestamp(as_of)
        if cutoff.tzinfo is not None:
            cutoff = cutoff.tz_convert(LOCAL_TZ).tz_localize(None)
        if (isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)) or (
            isinstance(as_of, str) and len(as_of) == 10
        ):
            cutoff = cutoff + pd.Timedelta(days=1)  # a date means "by the end of that day"
        s = s[s["submitted_at"] < cutoff]
    first = s.groupby(["city_code", "period"], as_index=False)["submitted_at"].min()
    out = grid.merge(first, on=["city_code", "period"], how="left")
    out["deadline"] = out["period"].map(lambda p: report_deadline(p, deadline_day))
    closes = pd.to_datetime(out["deadline"]) + pd.Timedelta(days=1)  # end of the deadline day
    sent = out["submitted_at"].notna()
    on_time = sent & (out["submitted_at"] < closes)
    due = pd.Series(True, index=out.index) if cutoff is None else closes <= cutoff
    out["status"] = "missing"
    out.loc[~sent & ~due, "status"] = "pending"
    out.loc[sent, "status"] = "late"
    out.loc[on_time, "status"] = "on_time"
    return out.sort_values(["city_code", "period"], ignore_index=True)


def compute_completeness(
    reporting: pd.DataFrame, by: Literal["city_code", "period"] = "city_code"
) -> pd.DataFrame:
    """Summarise :func:`compute_reporting` per city (or per month).

    Returns:
        Columns ``<by>, n_due, n_on_time, n_late, n_missing, n_pending, completeness,
        timeliness`` (rates NaN when nothing is due yet).
    """
    counts = pd.crosstab(reporting[by], reporting["status"]).reindex(
        columns=list(REPORT_STATUSES), fill_value=0
    )
    out = pd.DataFrame({f"n_{s}": counts[s].astype("int64") for s in REPORT_STATUSES})
    out.insert(0, "n_due", out["n_on_time"] + out["n_late"] + out["n_missing"])
    due = out["n_due"].where(out["n_due"] > 0)
    out["completeness"] = (out["n_on_time"] + out["n_late"]) / due
    out["timeliness"] = out["n_on_time"] / due
    out = out.rename_axis(by).reset_index()
    out.columns.name = None
    return out
