"""Reporting completeness and timeliness per city and month (DHIS2-style): the one definition
that the overview, the data-quality and the approval pages all show.

A monthly report is due by the 15th of the following month (on time: submitted on or before the
15th, local time, any hour; ``data_access.periods.report_deadline``). Only submissions that were
not rejected count; the first of them dates the report (corrections do not make it late). The
view is taken at the data cut-off (:func:`reporting_as_of`), not at the wall clock, so the demo
data and a restored backup say the same on every page and every day. Definitions (methodology
page):

- ``on_time``: a counted submission by the deadline;
- ``late``: the first counted submission came after the deadline (counted as received, and
  shown as late);
- ``missing``: nothing counted, and the deadline has passed (at ``as_of``);
- ``pending``: nothing counted yet, and the deadline is still ahead of ``as_of`` (not due).

Completeness = (on time + late) / due; timeliness = on time / due; due = all but pending.
Stored values without a submission (a bulk load) do not make a report received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import pandas as pd

from data_access.catalogue import programme_periods
from data_access.errors import InvalidInput
from data_access.periods import DEADLINE_DAY, check_period, deadline_closes, report_deadline

ReportStatus = Literal["on_time", "late", "missing", "pending"]
REPORT_STATUSES: tuple[ReportStatus, ...] = ("on_time", "late", "missing", "pending")
NOT_COUNTED = frozenset({"rejected"})
APPROVED = frozenset({"approved", "locked"})
LOCAL_TZ = "Europe/Rome"
REPORTING_COLUMNS = [
    "city_code",
    "period",
    "submitted_at",
    "deadline",
    "status",
    "due",
    "received",
    "versions",
    "approval",
]

__all__ = [
    "APPROVED",
    "REPORTING_COLUMNS",
    "REPORT_STATUSES",
    "compute_completeness",
    "compute_reporting",
    "report_deadline",
    "reporting_as_of",
]


def reporting_as_of(cutoff: str | None, submissions: pd.DataFrame, today: dt.date) -> str:
    """The day reporting is judged at, as an ISO date ("by the end of that day").

    The dataset's cut-off (``cutoff`` in the dataset facts, ``YYYY-MM-DD``) when it has one,
    moved to the day of the latest counted submission if one arrived after it (a report
    imported into a dataset extends what the dataset knows); a live database without a cut-off
    is current as of ``today``.
    """
    if not cutoff:
        return today.isoformat()
    counted = submissions.loc[~submissions["status"].astype(str).isin(NOT_COUNTED)]
    latest = _local_naive(counted["submitted_at"]).max() if len(counted) else pd.NaT
    day = str(cutoff)[:10]
    return max(day, latest.date().isoformat()) if pd.notna(latest) else day


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
    deadline_day: int = DEADLINE_DAY,
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
        :data:`REPORTING_COLUMNS`: ``city_code, period, submitted_at`` (first counted, NaT if
        none), ``deadline`` (the last day, a ``date``), ``status`` (one of
        :data:`REPORT_STATUSES`), ``due`` and ``received`` (booleans: not pending; on time
        or late), ``versions`` (counted submissions by ``as_of``) and
        ``approval`` (the status of the latest of them: ``received``, ``validated``,
        ``approved``, ``locked``; empty when none), sorted by city and period.
    """
    missing_cols = {"city_code", "period", "submitted_at", "status"} - set(submissions.columns)
    if missing_cols:
        cols = ", ".join(sorted(missing_cols))
        raise InvalidInput.of("errors.columns_missing", columns=cols)
    ps = sorted(
        {check_period(p) for p in (periods if periods is not None else programme_periods())}
    )
    cities = sorted({str(c) for c in city_codes})
    grid = pd.DataFrame([(c, p) for c in cities for p in ps], columns=["city_code", "period"])
    s = submissions.loc[
        ~submissions["status"].astype(str).isin(NOT_COUNTED),
        ["city_code", "period", "submitted_at", "status"]
        + (["version"] if "version" in submissions.columns else []),
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
    keys = ["city_code", "period"]
    # the latest version decides the approval status (by version number when the rows have one)
    s = s.sort_values([*keys, "version" if "version" in s.columns else "submitted_at"])
    g = s.groupby(keys, as_index=False)
    first = g.agg(
        submitted_at=("submitted_at", "min"),
        versions=("submitted_at", "size"),
        approval=("status", "last"),
    )
    out = grid.merge(first, on=keys, how="left")
    out["versions"] = out["versions"].fillna(0).astype("int64")
    out["approval"] = out["approval"].fillna("").astype(str)
    out["deadline"] = out["period"].map(lambda p: report_deadline(p, deadline_day))
    closes = pd.to_datetime(out["period"].map(lambda p: deadline_closes(p, deadline_day)))
    sent = out["submitted_at"].notna()
    on_time = sent & (out["submitted_at"] < closes)
    due = pd.Series(True, index=out.index) if cutoff is None else closes <= cutoff
    out["status"] = "missing"
    out.loc[~sent & ~due, "status"] = "pending"
    out.loc[sent, "status"] = "late"
    out.loc[on_time, "status"] = "on_time"
    out["due"] = out["status"] != "pending"
    out["received"] = sent
    return out[REPORTING_COLUMNS].sort_values(keys, ignore_index=True)


def compute_completeness(
    reporting: pd.DataFrame, by: Literal["city_code", "period"] = "city_code"
) -> pd.DataFrame:
    """Summarise :func:`compute_reporting` per city (or per month).

    Returns:
        Columns ``<by>, n_due, n_on_time, n_late, n_missing, n_pending, n_received (on time +
        late), n_approved (due months whose latest version is approved or locked),
        completeness, timeliness`` (rates NaN when nothing is due yet).
    """
    counts = pd.crosstab(reporting[by], reporting["status"]).reindex(
        columns=list(REPORT_STATUSES), fill_value=0
    )
    out = pd.DataFrame({f"n_{s}": counts[s].astype("int64") for s in REPORT_STATUSES})
    out.insert(0, "n_due", out["n_on_time"] + out["n_late"] + out["n_missing"])
    out["n_received"] = out["n_on_time"] + out["n_late"]
    approved = reporting["status"].ne("pending")
    if "approval" in reporting.columns:
        approved &= reporting["approval"].isin(list(APPROVED))
    else:
        approved &= False
    out["n_approved"] = (
        approved.groupby(reporting[by]).sum().reindex(out.index, fill_value=0).astype("int64")
    )
    due = out["n_due"].where(out["n_due"] > 0)
    out["completeness"] = (out["n_on_time"] + out["n_late"]) / due
    out["timeliness"] = out["n_on_time"] / due
    out = out.rename_axis(by).reset_index()
    out.columns.name = None
    return out
