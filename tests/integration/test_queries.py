"""Queries give the same frames on SQLite and PostgreSQL, and respect levels and roles."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from data_access import queries as q
from data_access.config import make_engine
from data_access.errors import InvalidInput, UnknownCode
from data_access.viewer import Viewer

STEERING = Viewer("steering")


FETCHES = [
    ("observations", lambda e: q.fetch_observations(e)),
    ("observations periphery", lambda e: q.fetch_observations(e, level="periphery")),
    (
        "observations filtered",
        lambda e: q.fetch_observations(
            e, indicators=["WP3_HOUSED"], cities=["037006"], start="2023-01", end="2023-06"
        ),
    ),
    ("targets", lambda e: q.fetch_targets(e)),
    ("cities", lambda e: q.fetch_cities(e)),
    ("indicators", lambda e: q.load_indicators(e, STEERING)),
    ("budget", lambda e: q.load_budget(e, STEERING)),
    ("expenditure", lambda e: q.load_expenditure(e, STEERING)),
    ("protected places", lambda e: q.fetch_protected_places(e)),
    (
        "peripheries",
        lambda e: pd.DataFrame(
            q.load_peripheries(e, STEERING)
            .assign(wkt=lambda g: g.geometry.to_wkt())
            .drop(columns="geometry")
        ),
    ),
    (
        "hubs",
        lambda e: pd.DataFrame(
            q.load_hubs(e, STEERING)
            .assign(wkt=lambda g: g.geometry.to_wkt())
            .drop(columns="geometry")
        ),
    ),
]

_results: dict[tuple[str, str], pd.DataFrame] = {}


@pytest.mark.parametrize(("name", "fetch"), FETCHES, ids=[f[0] for f in FETCHES])
def test_same_frame_on_both_engines(demo_url, name, fetch) -> None:  # type: ignore[no-untyped-def]
    eng = make_engine(demo_url)
    df = fetch(eng).reset_index(drop=True)
    eng.dispose()
    assert len(df) > 0
    kind = demo_url.split(":", 1)[0]
    _results[(name, kind)] = df
    other = [k for (n, k) in _results if n == name and k != kind]
    for k in other:
        pd.testing.assert_frame_equal(df, _results[(name, k)], check_dtype=False)


def test_periphery_rows_sum_to_the_city_level(demo_engine) -> None:  # type: ignore[no-untyped-def]
    per = q.fetch_observations(demo_engine, level="periphery")
    city = q.fetch_observations(demo_engine, indicators=sorted(per["indicator_code"].unique()))
    summed = per.groupby(["city_code", "indicator_code", "period"])["value"].sum()
    assert (
        summed.sort_index().tolist()
        == city.set_index(["city_code", "indicator_code", "period"])["value"].sort_index().tolist()
    )


def test_protected_places_never_carry_coordinates(demo_engine) -> None:  # type: ignore[no-untyped-def]
    df = q.fetch_protected_places(demo_engine)
    assert not {"lat", "lon", "geometry"} & set(df.columns)
    with demo_engine.connect() as c:
        total = c.execute(text("SELECT SUM(places) FROM protected_site")).scalar()
    assert df["places"].sum() == total


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"indicators": ["NOPE"]}, UnknownCode),
        ({"start": "2023-13"}, InvalidInput),
        ({"end": "March"}, InvalidInput),
        ({"level": "street"}, InvalidInput),
    ],
)
def test_bad_arguments_raise_typed_errors(demo_engine, kwargs, error) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as exc:
        q.fetch_observations(demo_engine, **kwargs)
    assert exc.value.message_it and exc.value.message_en


def test_unknown_city(demo_engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownCode):
        q.check_city(demo_engine, "999999")
    q.check_city(demo_engine, "037006")


def test_submission_uploaders_hidden_from_other_roles(demo_engine) -> None:  # type: ignore[no-untyped-def]
    pub = q.load_submissions(demo_engine, Viewer())
    mine = q.load_submissions(demo_engine, Viewer("city", "037006"))
    full = q.load_submissions(demo_engine, STEERING)
    assert (pub["uploader"] == "").all()
    assert (mine.loc[mine["city_code"] == "037006", "uploader"] != "").all()
    assert (mine.loc[mine["city_code"] != "037006", "uploader"] == "").all()
    assert (full["uploader"] != "").all()
