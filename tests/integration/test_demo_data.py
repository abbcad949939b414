"""The demo dataset: complete, deterministic, plausible, flagged, and inside the real borders."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from shapely.geometry import shape
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from data_access import queries as q
from data_access.catalogue import INDICATORS, programme_periods
from data_access.config import make_engine
from data_access.db import load_meta
from data_access.demo import LATE_START, MISSING_REPORTS, PERFORMANCE, build_demo
from data_access.errors import InvalidInput
from data_access.schema import ProtectedSite
from data_access.viewer import Viewer

STEERING = Viewer("steering")


def _norm(v: object) -> str:
    """Engine-neutral text of a value (PostgreSQL and SQLite return different Python types)."""
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int | float):
        return repr(float(v))
    return str(v).removesuffix(".000000")  # SQLite's text form of a datetime


def _digest(engine) -> str:  # type: ignore[no-untyped-def]
    h = hashlib.sha256()
    with engine.connect() as c:
        for table, key in [
            ("observation", "city_code, indicator_code, period, COALESCE(periphery_id, 0)"),
            ("target", "city_code, indicator_code"),
            ("hub", "id"),
            ("periphery", "id"),
            ("submission", "id"),
            ("expenditure", "city_code, wp, period"),
        ]:
            for row in c.execute(text(f"SELECT * FROM {table} ORDER BY {key}")):
                h.update(repr(tuple(_norm(v) for v in row)).encode())
    return h.hexdigest()


def test_demo_is_flagged(demo_engine) -> None:  # type: ignore[no-untyped-def]
    meta = load_meta(demo_engine)
    assert meta["is_demo"] == "true"
    assert "non sono reali" in meta["source_it"]


def test_every_city_month_and_indicator_present_less_missing_reports(demo_engine) -> None:  # type: ignore[no-untyped-def]
    obs = q.fetch_observations(demo_engine)
    cities = q.fetch_cities(demo_engine)["code"].tolist()
    assert len(cities) == 16
    reported = set(zip(obs["city_code"], obs["period"], strict=True))
    expected = {
        (c, p)
        for c in cities
        for i, p in enumerate(programme_periods())
        if (c, p) not in MISSING_REPORTS and i >= LATE_START.get(c, 0)
    }
    assert reported == expected
    assert obs["indicator_code"].nunique() == len(INDICATORS)
    assert (obs["value"] >= 0).all()


def test_build_is_deterministic_across_engines_and_runs(tmp_path, demo_url) -> None:  # type: ignore[no-untyped-def]
    fresh = make_engine(f"sqlite:///{tmp_path / 'again.sqlite'}", must_exist=False)
    build_demo(fresh)
    demo = make_engine(demo_url)
    assert _digest(fresh) == _digest(demo)


def test_existing_data_is_refused_without_force_and_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = make_engine(f"sqlite:///{tmp_path / 'd.sqlite'}", must_exist=False)
    build_demo(eng, seed=1)
    before = _digest(eng)
    with pytest.raises(InvalidInput):
        build_demo(eng, seed=2)
    assert _digest(eng) == before
    build_demo(eng, seed=2, force=True)
    assert _digest(eng) != before


def _cumulative_share(obs: pd.DataFrame, targets: pd.DataFrame, wp: str) -> pd.Series:
    flows = [i.code for i in INDICATORS if i.wp == wp and i.kind == "flow"]
    tot = (
        obs[obs["indicator_code"].isin(flows)]
        .groupby(["city_code", "indicator_code"])["value"]
        .sum()
    )
    t = targets.set_index(["city_code", "indicator_code"])["end_value"]
    return (tot / t).dropna().groupby(level=0).median()


@pytest.mark.parametrize(("city", "wp"), [k for k, v in PERFORMANCE.items() if v < 0.7])
def test_cities_meant_to_be_behind_are_clearly_behind(demo_engine, city: str, wp: str) -> None:  # type: ignore[no-untyped-def]
    share = _cumulative_share(q.fetch_observations(demo_engine), q.fetch_targets(demo_engine), wp)
    assert share[city] < 0.75
    assert share.median() > 0.85


def test_summer_dip_and_start_up_ramp(demo_engine) -> None:  # type: ignore[no-untyped-def]
    obs = q.fetch_observations(demo_engine, indicators=["WP2_TAKEN_IN_CHARGE"])
    national = obs.groupby("period")["value"].sum()
    assert national["2022-10"] < 0.5 * national["2023-03"]
    assert national["2023-08"] < 0.7 * national[["2023-06", "2023-09"]].mean()


def test_consistency_between_indicators(demo_engine) -> None:  # type: ignore[no-untyped-def]
    obs = q.fetch_observations(demo_engine).pivot_table(
        index=["city_code", "period"], columns="indicator_code", values="value"
    )
    assert (obs["WP3_EXITS_AUTONOMY"] <= obs["WP3_EXITS"]).all()
    assert (obs["WP3_BED_NIGHTS"] <= obs["WP3_PLACE_NIGHTS"]).all()


def test_place_counts_per_city(demo_engine) -> None:  # type: ignore[no-untyped-def]
    per = q.load_peripheries(demo_engine, STEERING).groupby("city_code").size()
    hubs = q.load_hubs(demo_engine, STEERING)
    agg = hubs[hubs["type"] != "sportello_unico"].groupby("city_code").size()
    shops = hubs[hubs["type"] == "sportello_unico"].groupby("city_code").size()
    assert per.between(2, 4).all() and len(per) == 16
    assert agg.between(4, 12).all() and len(agg) == 16
    assert (shops >= 1).all() and len(shops) == 16
    assert set(q.load_peripheries(demo_engine, STEERING)["geometry_quality"]) == {"indicative"}


def test_every_demo_geometry_lies_inside_its_real_municipality(
    demo_engine, reference_boundaries
) -> None:  # type: ignore[no-untyped-def]
    borders = reference_boundaries.geometry
    per = q.load_peripheries(demo_engine, STEERING)
    hubs = q.load_hubs(demo_engine, STEERING)
    with Session(demo_engine) as s:
        sites = [(r.city_code, r.lon, r.lat) for r in s.scalars(select(ProtectedSite))]
    cities = q.fetch_cities(demo_engine)
    outside = [
        f"periphery {r.name}"
        for r in per.itertuples()
        if not borders[r.city_code].contains(r.geometry)
    ]
    outside += [
        f"hub {r.name}" for r in hubs.itertuples() if not borders[r.city_code].contains(r.geometry)
    ]
    outside += [
        f"site in {c}"
        for c, lon, lat in sites
        if not borders[c].contains(shape({"type": "Point", "coordinates": (lon, lat)}))
    ]
    outside += [
        f"city centre {r.name}"
        for r in cities.itertuples()
        if not borders[r.code].contains(shape({"type": "Point", "coordinates": (r.lon, r.lat)}))
    ]
    assert outside == []
    assert len(per) >= 32 and len(hubs) >= 64 and len(sites) >= 16


def test_boundary_file_names_the_same_cities(demo_engine, reference_boundaries) -> None:  # type: ignore[no-untyped-def]
    cities = q.fetch_cities(demo_engine).set_index("code")
    assert set(cities.index) == set(reference_boundaries.index)
    official = reference_boundaries.loc[cities.index, "name"].str.split("/").str[0]
    assert (cities["name"] == official).all()


def test_new_rows_after_the_demo_get_fresh_ids(db_url) -> None:  # type: ignore[no-untyped-def]
    """Explicit demo ids must not collide with ids the database assigns later (PostgreSQL
    sequences do not move on explicit inserts)."""
    from datetime import datetime

    from sqlalchemy import insert

    from data_access.schema import Hub, Submission

    eng = make_engine(db_url)
    build_demo(eng)
    with eng.begin() as c:
        sub = c.execute(
            insert(Submission)
            .values(
                city_code="037006",
                period="2024-03",
                file_name="x.csv",
                sha256="0" * 64,
                uploader="t",
                submitted_at=datetime(2024, 4, 2),
                status="received",
                version=2,
            )
            .returning(Submission.id)
        ).scalar_one()
        hub = c.execute(
            insert(Hub)
            .values(city_code="037006", name="Nuovo hub", type="biblioteca", lat=44.5, lon=11.34)
            .returning(Hub.id)
        ).scalar_one()
    with eng.connect() as c:
        assert sub == c.execute(text("SELECT MAX(id) FROM submission")).scalar()
        assert hub == c.execute(text("SELECT MAX(id) FROM hub")).scalar()
    eng.dispose()


def test_protected_sites_are_far_from_every_published_coordinate(demo_engine) -> None:  # type: ignore[no-untyped-def]
    """No periphery vertex, hub, one-stop shop or city centre (all shown on maps) lies within
    600 m of a protected site, so nothing a browser receives points at one."""
    import math

    per = q.load_peripheries(demo_engine, STEERING)
    hubs = q.load_hubs(demo_engine, STEERING)
    cities = q.fetch_cities(demo_engine)
    with Session(demo_engine) as s:
        sites = [(r.city_code, r.lat, r.lon) for r in s.scalars(select(ProtectedSite))]

    def metres(a, b):  # type: ignore[no-untyped-def]
        dy = (a[0] - b[0]) * 111_320
        dx = (a[1] - b[1]) * 111_320 * math.cos(math.radians(a[0]))
        return math.hypot(dx, dy)

    too_close = []
    for city, lat, lon in sites:
        pts = [(y, x) for g in per[per["city_code"] == city].geometry for x, y in g.exterior.coords]
        pts += [(g.y, g.x) for g in hubs[hubs["city_code"] == city].geometry]
        pts += [(r.lat, r.lon) for r in cities[cities["code"] == city].itertuples()]
        near = min(metres((lat, lon), p) for p in pts)
        if near < 600:
            too_close.append((city, round(near)))
    assert too_close == []


def test_protected_site_registry_never_exceeds_the_wp3_places_indicator(demo_engine) -> None:  # type: ignore[no-untyped-def]
    """In every city and every month it reports, the registry's places are at most the
    WP3_PLACES indicator, so the territorial map's row "fuori dalle periferie" (indicator minus
    the registry's places) is never clipped at 0 and its table adds up (Taranto reported 4
    places against a registry of 45)."""
    with demo_engine.connect() as c:
        registry = {
            str(r[0]): int(r[1])
            for r in c.execute(
                text("SELECT city_code, SUM(places) FROM protected_site GROUP BY city_code")
            )
        }
        reported = [
            (str(r[0]), str(r[1]), float(r[2]))
            for r in c.execute(
                text(
                    "SELECT city_code, period, value FROM observation"
                    " WHERE indicator_code = 'WP3_PLACES' AND periphery_id IS NULL"
                )
            )
        ]
    assert len(registry) == 16 and min(registry.values()) >= 1
    assert {r[0] for r in reported} == set(registry)
    over = sorted(
        (city, period, registry[city], value)
        for city, period, value in reported
        if registry[city] > value
    )
    assert over == []


def test_the_demo_holds_nothing_received_after_its_cut_off(demo_engine) -> None:  # type: ignore[no-untyped-def]
    # "Data as of 20 April 2024" beside "reports received up to 6 May 2024" told two dates for
    # one dataset: a report arriving after the cut-off is not in a dataset as of the cut-off.
    from data_access.metrics.completeness import reporting_as_of

    cutoff = load_meta(demo_engine)["cutoff"]
    subs = q.load_submissions(demo_engine, Viewer("admin"))
    assert len(subs) > 200
    assert pd.to_datetime(subs["submitted_at"]).dt.date.max().isoformat() <= cutoff
    assert reporting_as_of(cutoff, subs, pd.Timestamp("2030-01-01").date()) == cutoff
    late = subs[pd.to_datetime(subs["submitted_at"]).dt.day > 15]
    assert len(late), "some reports still arrive after the 15th (late)"
