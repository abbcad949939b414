"""Read queries (the dashboard is read-mostly). Every public ``load_*`` takes an engine and a
``Viewer`` and returns a pandas frame with the role's disclosure rules applied.

``fetch_*`` functions are the role-independent raw reads behind them: the app may cache those
(shared by every session) and apply ``disclose_for_viewer`` afterwards; nothing raw is ever
rendered.
SQL is built with SQLAlchemy Core and bound parameters only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, shape
from sqlalchemy import Engine, func, select

from data_access.disclosure import DisclosedTable, disclose_protected_places, disclose_table
from data_access.errors import UnknownCode
from data_access.facts import (
    OBS_COLUMNS,
    check_filters,
    check_indicators,
    check_period,
    fetch_all_observations,
    fetch_city_observations,
    fetch_observations,
    read_frame,
)
from data_access.publication import load_published, release_for_viewer
from data_access.schema import (
    Budget,
    City,
    Expenditure,
    Hub,
    IndicatorRow,
    Periphery,
    ProtectedSite,
    Submission,
    Target,
)
from data_access.viewer import Viewer

# --- reference -----------------------------------------------------------------------------


def fetch_cities(engine: Engine) -> pd.DataFrame:
    """Columns: code, name, region, macro_area, lat, lon, population, population_ref,
    population_quality, foreign_residents, foreign_ref, foreign_quality. Sorted by name."""
    return read_frame(engine, select(City).order_by(City.name).with_only_columns(*City.__table__.c))


def load_cities(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """City facts are public (ISTAT); the same frame for every role."""
    return fetch_cities(engine)


def load_indicators(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """The indicator catalogue joined with its work package: code, wp, action, name_it, name_en,
    unit, kind, direction, amif_code, counts_people, by_periphery, definition_it/en..."""
    cols = list(IndicatorRow.__table__.c)
    from data_access.schema import ActionRow

    stmt = (
        select(*cols, ActionRow.wp.label("wp"))
        .join(ActionRow, ActionRow.code == IndicatorRow.action)
        .order_by(IndicatorRow.action, IndicatorRow.code)
    )
    df = read_frame(engine, stmt)
    for c in ("counts_people", "by_periphery", "sensitive"):
        df[c] = df[c].astype(bool)
    return df


def city_codes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(City.code).order_by(City.code)))


def check_city(engine: Engine, code: str) -> None:
    """Raise UnknownCode when ``code`` is not a city of the programme."""
    if code not in city_codes(engine):
        raise UnknownCode.of("errors.unknown_city", code=code)


# --- facts -------------------------------------------------------------------------------


def disclose_for_viewer(raw: pd.DataFrame, viewer: Viewer) -> DisclosedTable:
    """The one disclosure of the whole dataset for ``viewer``.

    Suppression patterns must come from a single joint protection of everything that may be
    published (all cities, months, indicators, city and periphery rows): protecting a filtered
    subset separately would give a different pattern, and comparing the two could reveal
    hidden cells. Callers filter the returned frames, never the input.
    """
    return disclose_table(raw, viewer)


def load_release(engine: Engine, viewer: Viewer) -> tuple[pd.DataFrame, DisclosedTable]:
    """The rows and the disclosed table ``viewer`` reads, without running the solver.

    Steering and admin: every raw value and its exact totals (live). The public and city
    managers: the latest publication (``data_access.publication``), a city manager's own city
    live; an empty table when nothing has been published yet. ``rows`` feed the per-viewer
    metrics (``metrics.viewer``) in place of raw values.
    """
    if viewer.full_detail:
        raw = fetch_all_observations(engine)
        return raw, disclose_for_viewer(raw, viewer)
    own = None
    if viewer.role == "city":
        own = fetch_city_observations(engine, str(viewer.city))
    return release_for_viewer(load_published(engine), own, viewer)


def load_disclosed(engine: Engine, viewer: Viewer) -> DisclosedTable:
    """Cells and the only totals a page or export may show to ``viewer`` (``city_totals``,
    ``national_by_period``, ``national_totals``, ``periphery_totals``): live and exact for
    steering and admin, the latest publication for everyone else (:func:`load_release`)."""
    return load_release(engine, viewer)[1]


def filter_observations(
    cells: pd.DataFrame,
    *,
    indicators: Sequence[str] | None = None,
    cities: Sequence[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    level: str = "city",
) -> pd.DataFrame:
    """Rows of a disclosed (or raw) frame of all observations, selected like
    ``fetch_observations`` (``level`` city = rows without a periphery)."""
    check_filters(indicators, start, end, level)
    keep = cells["periphery_id"].isna() if level == "city" else cells["periphery_id"].notna()
    if indicators is not None:
        keep &= cells["indicator_code"].isin(list(indicators))
    if cities is not None:
        keep &= cells["city_code"].isin(list(cities))
    if start:
        keep &= cells["period"] >= start
    if end:
        keep &= cells["period"] <= end
    return cells[keep].sort_values(
        ["city_code", "indicator_code", "period", "periphery_id"], ignore_index=True
    )


def load_observations(
    engine: Engine,
    viewer: Viewer,
    *,
    indicators: Sequence[str] | None = None,
    cities: Sequence[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    level: str = "city",
) -> pd.DataFrame:
    """Observations as ``viewer`` may see them (columns of ``fetch_observations`` plus ``flag``
    and ``suppressed_below``): the viewer's release (:func:`load_release`), filtered."""
    table = load_disclosed(engine, viewer)
    return filter_observations(
        table.cells, indicators=indicators, cities=cities, start=start, end=end, level=level
    )


def fetch_targets(engine: Engine) -> pd.DataFrame:
    """Columns: city_code, indicator_code, end_value, milestones (list of dicts or None)."""
    t = Target
    df = read_frame(
        engine,
        select(t.city_code, t.indicator_code, t.end_value, t.milestones).order_by(
            t.city_code, t.indicator_code
        ),
    )
    df["milestones"] = [json.loads(m) if isinstance(m, str) else None for m in df["milestones"]]
    return df


def load_targets(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Targets are programme commitments, public for every role."""
    return fetch_targets(engine)


def load_budget(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Columns: city_code, wp, amount_eur."""
    return read_frame(
        engine,
        select(Budget.city_code, Budget.wp, Budget.amount_eur).order_by(
            Budget.city_code, Budget.wp
        ),
    )


def load_expenditure(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Columns: city_code, wp, period, amount_eur (monthly)."""
    e = Expenditure
    return read_frame(
        engine,
        select(e.city_code, e.wp, e.period, e.amount_eur).order_by(e.city_code, e.wp, e.period),
    )


def load_submissions(engine: Engine, viewer: Viewer, city: str | None = None) -> pd.DataFrame:
    """Reporting metadata (no file contents): id, city_code, period, file_name, uploader,
    submitted_at, status, version, supersedes. A city manager sees uploaders of its city only."""
    s = Submission
    stmt = select(
        s.id,
        s.city_code,
        s.period,
        s.file_name,
        s.sha256,
        s.uploader,
        s.submitted_at,
        s.status,
        s.version,
        s.supersedes,
    ).order_by(s.city_code, s.period, s.version)
    if city:
        stmt = stmt.where(s.city_code == city)
    df = read_frame(engine, stmt)
    if not viewer.full_detail:
        mine = df["city_code"] == viewer.city if viewer.role == "city" else False
        df.loc[~pd.Series(mine, index=df.index), "uploader"] = ""
    return df


# --- places --------------------------------------------------------------------------------


def load_peripheries(engine: Engine, viewer: Viewer, city: str | None = None) -> gpd.GeoDataFrame:
    """GeoDataFrame (EPSG:4326): id, city_code, name, geometry_quality, risk_index, population,
    centre_lat, centre_lon, geometry. The polygons are indicative areas, public for all roles."""
    p = Periphery
    stmt = select(
        p.id,
        p.city_code,
        p.name,
        p.geometry_quality,
        p.risk_index,
        p.population,
        p.centre_lat,
        p.centre_lon,
        p.geometry,
    ).order_by(p.city_code, p.id)
    if city:
        stmt = stmt.where(p.city_code == city)
    df = read_frame(engine, stmt)
    geoms = [shape(json.loads(g)) for g in df.pop("geometry")]
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")


def load_hubs(engine: Engine, viewer: Viewer, city: str | None = None) -> gpd.GeoDataFrame:
    """Public places (aggregation hubs and one-stop shops ``sportello_unico``): id, city_code,
    periphery_id, name, type, opened, geometry (Point, EPSG:4326)."""
    h = Hub
    stmt = select(
        h.id, h.city_code, h.periphery_id, h.name, h.type, h.opened, h.lat, h.lon
    ).order_by(h.city_code, h.id)
    if city:
        stmt = stmt.where(h.city_code == city)
    df = read_frame(engine, stmt)
    geoms = [Point(lon, lat) for lat, lon in zip(df.pop("lat"), df.pop("lon"), strict=True)]
    df["periphery_id"] = df["periphery_id"].astype("Int64")
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")


def fetch_protected_places(engine: Engine, city: str | None = None) -> pd.DataFrame:
    """Places in protected sites per periphery: city_code, periphery_id, sites, places.

    Coordinates are never selected: they cannot leave this function, whatever the caller does.
    """
    s = ProtectedSite
    stmt = (
        select(
            s.city_code,
            s.periphery_id,
            func.count().label("sites"),
            func.sum(s.places).label("places"),
        )
        .group_by(s.city_code, s.periphery_id)
        .order_by(s.city_code, s.periphery_id)
    )
    if city:
        stmt = stmt.where(s.city_code == city)
    df = read_frame(engine, stmt)
    df["periphery_id"] = df["periphery_id"].astype("Int64")
    df["places"] = df["places"].astype(int)
    return df


def load_protected_places(engine: Engine, viewer: Viewer, city: str | None = None) -> pd.DataFrame:
    """Counts of places per periphery as the viewer may see them (never coordinates)."""
    return disclose_protected_places(fetch_protected_places(engine, city), viewer)


__all__ = [
    "OBS_COLUMNS",
    "check_city",
    "check_indicators",
    "check_period",
    "city_codes",
    "disclose_for_viewer",
    "fetch_all_observations",
    "fetch_cities",
    "fetch_city_observations",
    "fetch_observations",
    "fetch_protected_places",
    "fetch_targets",
    "filter_observations",
    "load_budget",
    "load_cities",
    "load_disclosed",
    "load_expenditure",
    "load_hubs",
    "load_indicators",
    "load_observations",
    "load_peripheries",
    "load_protected_places",
    "load_release",
    "load_submissions",
    "load_targets",
]
