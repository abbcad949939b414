"""Cached results of the metrics functions, per database, viewer and reference month.

A warm rerun (a widget change, a language switch) must not recompute the programme's statuses:
these wrappers cache the outputs of ``data_access.metrics*`` (through ``data_access.metrics.kpi``) keyed by
the database URL, ``str(viewer)`` and the arguments, exactly like ``dashboard.cache`` does for the
loads. They add no logic of their own: same inputs, same function, same numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import cache
from data_access.metrics import kpi
from data_access.metrics.benchmark import compute_per_10k
from data_access.metrics.completeness import (
    compute_completeness,
    compute_reporting,
    reporting_as_of,
)
from data_access.metrics.cumulative import TOTAL_CODE
from data_access.metrics.progress import compute_achievement, compute_status
from data_access.metrics.projection import compute_projection
from data_access.metrics.status import overlay_status, roll_up
from data_access.metrics.viewer import (
    compute_viewer_cumulative,
    compute_viewer_cumulative_series,
    compute_viewer_national_monthly,
)
from data_access.viewer import Viewer

TTL = cache.TTL_SECONDS


def _inputs(viewer_spec: str) -> tuple[Viewer, pd.DataFrame, pd.DataFrame]:
    viewer = Viewer.parse(viewer_spec)
    return viewer, cache.observations(viewer), cache.targets(viewer)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _cumulative(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    viewer = Viewer.parse(viewer_spec)
    return compute_viewer_cumulative(
        cache.viewer_rows(viewer), cache.disclosed(viewer), viewer, period
    )


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=32)
def _national(url: str, viewer_spec: str) -> pd.DataFrame:
    viewer = Viewer.parse(viewer_spec)
    return compute_viewer_national_monthly(
        cache.viewer_rows(viewer), cache.disclosed(viewer), viewer
    )


def cumulative(viewer: Viewer, period: str) -> pd.DataFrame:
    """Cumulated value of every city x indicator at ``period`` as ``viewer`` may see it
    (``compute_viewer_cumulative``: exact for full detail, only published
    numbers otherwise; columns of ``metrics.compute_cumulative`` plus ``flag``)."""
    return _cumulative(cache.data_key(), str(viewer), period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=32)
def _exact_status(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    """Never shown as such: the statuses of the exact figures, overlaid by :func:`_status`."""
    _, _, targets = _inputs(viewer_spec)
    return compute_status(_cumulative(url, "steering", period), targets, period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _status(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    _, _, targets = _inputs(viewer_spec)
    shown = compute_status(_cumulative(url, viewer_spec, period), targets, period)
    return overlay_status(shown, _exact_status(url, viewer_spec, period))


def status(viewer: Viewer, period: str) -> pd.DataFrame:
    """``compute_status`` per city x indicator at ``period``."""
    return _status(cache.data_key(), str(viewer), period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _wp_status(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    return roll_up(_status(url, viewer_spec, period), _exact_status(url, viewer_spec, period))


def wp_status(viewer: Viewer, period: str) -> pd.DataFrame:
    """``compute_wp_status`` (city x WP) at ``period``; the status is the exact
    figures' one for every role (``roll_up``)."""
    return _wp_status(cache.data_key(), str(viewer), period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _overall_status(
    url: str, viewer_spec: str, period: str, codes: tuple[str, ...]
) -> pd.DataFrame:
    shown = _status(url, viewer_spec, period)
    exact = _exact_status(url, viewer_spec, period)
    return roll_up(
        shown[shown["indicator_code"].isin(codes)].assign(wp="ALL"),
        exact[exact["indicator_code"].isin(codes)].assign(wp="ALL"),
    )


def overall_status(viewer: Viewer, period: str, codes: list[str]) -> pd.DataFrame:
    """One status per city over the indicators ``codes`` (``wp == "ALL"``), same for every role."""
    return _overall_status(cache.data_key(), str(viewer), period, tuple(codes))


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _headline(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    _, obs, targets = _inputs(viewer_spec)
    return kpi.headline_figures(obs, targets, period, national=_national(url, viewer_spec))


def headline(viewer: Viewer, period: str) -> pd.DataFrame:
    """``kpi.headline_figures`` (national value, achievement, plan per WP) at ``period``."""
    return _headline(cache.data_key(), str(viewer), period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=128)
def _trajectory(url: str, viewer_spec: str, indicator: str, period: str) -> dict[str, Any]:
    _, obs, targets = _inputs(viewer_spec)
    return kpi.national_trajectory(
        obs, targets, indicator, period, national=_national(url, viewer_spec)
    )


def trajectory(viewer: Viewer, indicator: str, period: str) -> dict[str, Any]:
    """``kpi.national_trajectory`` of ``indicator`` up to ``period``."""
    return _trajectory(cache.data_key(), str(viewer), indicator, period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=32)
def _reporting(url: str, viewer_spec: str, as_of: str) -> pd.DataFrame:
    viewer = Viewer.parse(viewer_spec)
    codes = list(cache.cities(viewer)["code"].astype(str))
    return compute_reporting(cache.submissions(viewer), codes, as_of=as_of)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=8)
def _reporting_date(url: str, today: dt.date) -> str:
    viewer = Viewer("admin")  # the day depends on the data, not on who looks
    subs = cache.submissions(viewer)
    return reporting_as_of(cache.dataset_meta().get("cutoff"), subs, today)


def reporting_date() -> str:
    """The date reporting is judged at (``metrics.completeness.reporting_as_of``), kept per
    data version and day (pages ask for it several times a run)."""
    return _reporting_date(cache.data_key(), dt.date.today())


def reporting(viewer: Viewer, city: str | None = None) -> pd.DataFrame:
    """``compute_reporting`` of every city (or only ``city``) and month at the data cut-off."""
    rep = _reporting(cache.data_key(), str(viewer), reporting_date())
    return rep[rep["city_code"] == city].reset_index(drop=True) if city else rep


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=128)
def _completeness(
    url: str, viewer_spec: str, as_of: str, period: str, city: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rep = _reporting(url, viewer_spec, as_of)
    rep = rep[(rep["period"] <= period) & ((rep["city_code"] == city) if city else True)]
    return (
        compute_completeness(rep, by="city_code"),
        compute_completeness(rep.assign(city_code=TOTAL_CODE)),
    )


def completeness(
    viewer: Viewer, period: str, city: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``compute_completeness`` of the months up to ``period`` (every city, or only ``city``):
    per city, and the one-row total (``city_code`` ``TOTAL``) that every page shows."""
    return _completeness(cache.data_key(), str(viewer), reporting_date(), period, city)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _per_10k(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    viewer = Viewer.parse(viewer_spec)
    return compute_per_10k(_cumulative(url, viewer_spec, period), cache.cities(viewer))


def per_10k(viewer: Viewer, period: str) -> pd.DataFrame:
    """``compute_per_10k`` of :func:`cumulative`."""
    return _per_10k(cache.data_key(), str(viewer), period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _achievement(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    _, _, targets = _inputs(viewer_spec)
    return compute_achievement(_cumulative(url, viewer_spec, period), targets)


def achievement(viewer: Viewer, period: str) -> pd.DataFrame:
    """``compute_achievement`` of :func:`cumulative`."""
    return _achievement(cache.data_key(), str(viewer), period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=128)
def _series(url: str, viewer_spec: str, indicator: str, period: str) -> pd.DataFrame:
    viewer = Viewer.parse(viewer_spec)
    return compute_viewer_cumulative_series(
        cache.viewer_rows(viewer), cache.disclosed(viewer), viewer, indicator, period
    )


def cumulative_series(viewer: Viewer, indicator: str, period: str) -> pd.DataFrame:
    """Running cumulated value of one indicator per city and month as ``viewer`` may see it
    (``compute_viewer_cumulative_series``)."""
    return _series(cache.data_key(), str(viewer), indicator, period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=32)
def _projection(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    _, obs, targets = _inputs(viewer_spec)
    return compute_projection(obs, targets, period)


def projection(viewer: Viewer, period: str) -> pd.DataFrame:
    """``compute_projection`` per city x indicator at ``period`` (the pace of the last three
    reported months and the pace still needed to reach the target)."""
    return _projection(cache.data_key(), str(viewer), period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def _spending(url: str, viewer_spec: str, period: str) -> pd.DataFrame:
    viewer = Viewer.parse(viewer_spec)
    return kpi.spending(cache.budget(viewer), cache.expenditure(viewer), period)


def spending(viewer: Viewer, period: str) -> pd.DataFrame:
    """``kpi.spending``: budget and expenditure per WP up to ``period``, with a TOTAL row."""
    return _spending(cache.data_key(), str(viewer), period)
