"""The numbers of a meeting pack: one role, one reference month, computed once.

No streamlit and no arithmetic of its own: every frame here is what ``dashboard.computed`` and
``dashboard.cache`` hand the pages for the same viewer and month, obtained from the same
``data_access`` functions (``queries.load_*``, ``metrics.viewer``, ``metrics.progress``,
``metrics.kpi``, ``metrics.completeness``, ``metrics.benchmark``) without the Streamlit caches.
So a pack and the dashboard can never disagree, and the role's disclosure applies: a public pack
is built from the public's disclosed table only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from data_access import queries
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS, PROGRAMME_END, PROGRAMME_START
from data_access.db import has_schema, load_meta
from data_access.errors import InvalidInput
from data_access.metrics import benchmark as metrics_benchmark
from data_access.metrics import check_period, compute_cumulative, kpi
from data_access.metrics import completeness as metrics_completeness
from data_access.metrics import progress as metrics_progress
from data_access.metrics import viewer as metrics_viewer
from data_access.metrics.status import overlay_status, roll_up
from data_access.publication import latest_publication
from data_access.viewer import Viewer

#: The peer group the city pages compare with (the benchmarking page's default).
PEER_GROUP = "all"
#: The indicator of the city pages' trend against peers (the benchmarking page's default).
TREND_INDICATOR = "WP2_TAKEN_IN_CHARGE"


@dataclass
class PackData:
    """Everything a pack shows, for ``viewer`` at ``period`` (frames as the pages get them)."""

    viewer: Viewer
    period: str
    meta: dict[str, str]
    provenance: dict[str, str]
    cities: pd.DataFrame
    names: dict[str, str]
    observations: pd.DataFrame
    targets: pd.DataFrame
    national: pd.DataFrame
    cumulative: pd.DataFrame
    status: pd.DataFrame
    wp_status: pd.DataFrame
    national_status: pd.DataFrame
    national_cumulative: pd.DataFrame
    headline: pd.DataFrame
    spend: pd.DataFrame
    trajectories: dict[str, dict[str, Any]]
    reporting: pd.DataFrame
    completeness_by_city: pd.DataFrame
    completeness_national: pd.DataFrame
    #: The day reporting is judged at (``metrics.completeness.reporting_as_of``), ISO date.
    reporting_as_of: str
    attention: pd.DataFrame
    per_10k: pd.DataFrame
    achievement: pd.DataFrame
    trend_series: pd.DataFrame
    peripheries: Any = None
    hubs: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_demo(self) -> bool:
        return self.meta.get("is_demo") == "true"


def check_pack_period(period: str, observations: pd.DataFrame) -> None:
    """Raise ``InvalidInput`` (Italian and English) for a malformed month, a month outside the
    programme, or a month with no data at all."""
    try:
        check_period(period)
    except Exception as exc:
        raise InvalidInput.of(
            "errors.month_invalid", hint="errors.month_format_hint", period=repr(period)
        ) from exc
    if not PROGRAMME_START <= period <= PROGRAMME_END:
        raise InvalidInput.of(
            "errors.month_outside_programme",
            period=period,
            start=PROGRAMME_START,
            end=PROGRAMME_END,
        )
    if observations.empty or not (observations["period"] == period).any():
        raise InvalidInput.of("errors.pack_no_data", period=period)


def data_version(raw: pd.DataFrame, submissions: pd.DataFrame) -> str:
    """A short fingerprint of the stored values and reports: two packs made from the same data
    carry the same version, whatever the role or the language."""
    digest = hashlib.sha256()
    cols = ["city_code", "periphery_id", "indicator_code", "period", "value"]
    ordered = raw[cols].sort_values(cols[:4], ignore_index=True, na_position="first")
    digest.update(pd.util.hash_pandas_object(ordered, index=False).to_numpy().tobytes())
    subs = submissions[["city_code", "period", "version", "status"]].astype(str)
    digest.update(pd.util.hash_pandas_object(subs, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:12]


def _last_import(submissions: pd.DataFrame) -> str:
    stamps = pd.to_datetime(submissions["submitted_at"], errors="coerce", utc=True).dropna()
    return "" if stamps.empty else stamps.max().strftime("%Y-%m-%d %H:%M UTC")


def _publication_version(engine: Engine) -> str:
    latest = latest_publication(engine)
    return latest.version if latest is not None else ""


def load_pack_data(engine: Engine, viewer: Viewer, period: str) -> PackData:
    """Load and compute every number of the pack (raises ``InvalidInput`` for a month with no
    data, ``EmptyDatabase`` for a database without data, ``UnknownCode`` for an unknown city)."""
    if not has_schema(engine):
        raise InvalidInput.of("errors.db_no_lgnet_tables")
    meta = load_meta(engine)
    if viewer.role == "city":
        queries.check_city(engine, viewer.city or "")
    raw = queries.fetch_all_observations(engine)  # the exact statuses and the data version
    # What the viewer's pages read: live for steering and admin, the latest publication for
    # the public and city managers (their own city live). Never a disclosure of its own: the
    # public release has no monthly count of people per city, and a pack must not have one.
    rows, disclosed = (
        (raw, queries.disclose_for_viewer(raw, viewer))
        if viewer.full_detail
        else queries.load_release(engine, viewer)
    )
    check_pack_period(period, rows)
    obs = queries.filter_observations(disclosed.cells)
    cities = queries.load_cities(engine, viewer)
    targets = queries.load_targets(engine, viewer)
    submissions = queries.load_submissions(engine, viewer)
    national = metrics_viewer.compute_viewer_national_monthly(rows, disclosed, viewer)
    cumulative = metrics_viewer.compute_viewer_cumulative(rows, disclosed, viewer, period)
    # Statuses as the pages give them (dashboard.computed): the exact figures' status for every
    # role, overlaid where the viewer sees a value, rolled up the same way.
    exact = metrics_progress.compute_status(
        metrics_viewer.compute_viewer_cumulative(raw, disclosed, Viewer("steering"), period),
        targets,
        period,
    )
    status = overlay_status(metrics_progress.compute_status(cumulative, targets, period), exact)
    wp_status = roll_up(status, exact)
    codes = list(cities["code"].astype(str))
    as_of = metrics_completeness.reporting_as_of(meta.get("cutoff"), submissions, dt.date.today())
    reporting = metrics_completeness.compute_reporting(submissions, codes, as_of=as_of)
    reporting = reporting[reporting["period"] <= period].reset_index(drop=True)
    by_city = metrics_completeness.compute_completeness(reporting, by="city_code")
    national_completeness = metrics_completeness.compute_completeness(
        reporting.assign(city_code="TOTAL")
    )
    trajectories = {
        i.code: kpi.national_trajectory(obs, targets, i.code, period, national=national)
        for i in INDICATORS
        if i.code in set(targets["indicator_code"])
    }
    provenance = {
        "data_version": data_version(raw, submissions),
        "last_import": _last_import(submissions),
        "cutoff": meta.get("cutoff", ""),
        # Protected viewers read the stored publication; steering and admin read live data.
        "publication": _publication_version(engine) if not viewer.full_detail else "",
    }
    return PackData(
        viewer=viewer,
        period=period,
        meta=meta,
        provenance=provenance,
        cities=cities,
        names=dict(zip(cities["code"].astype(str), cities["name"], strict=True)),
        observations=obs,
        targets=targets,
        national=national,
        cumulative=cumulative,
        status=status,
        wp_status=wp_status,
        national_status=kpi.national_status(obs, targets, period, national),
        national_cumulative=compute_cumulative(national, period),
        headline=kpi.headline_figures(obs, targets, period, national=national),
        spend=kpi.spending(
            queries.load_budget(engine, viewer), queries.load_expenditure(engine, viewer), period
        ),
        trajectories=trajectories,
        reporting=reporting,
        completeness_by_city=by_city,
        completeness_national=national_completeness,
        reporting_as_of=as_of,
        attention=kpi.attention(wp_status, by_city),
        per_10k=metrics_benchmark.compute_per_10k(cumulative, cities),
        achievement=metrics_progress.compute_achievement(cumulative, targets),
        trend_series=metrics_viewer.compute_viewer_cumulative_series(
            rows, disclosed, viewer, TREND_INDICATOR, period
        ),
        peripheries=queries.load_peripheries(engine, viewer),
        hubs=queries.load_hubs(engine, viewer),
    )


def indicator_codes(wp: str) -> list[str]:
    """The catalogue's indicators of one work package, in catalogue order."""
    return [i.code for i in INDICATORS if i.wp == wp]


def kind_of(code: str) -> str:
    return INDICATOR_BY_CODE[code].kind
