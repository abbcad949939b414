"""Cumulated values per viewer: exact for full detail, only published numbers otherwise."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data_access import queries as q
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.config import make_engine
from data_access.metrics import compute_cumulative
from data_access.metrics.viewer import compute_viewer_cumulative
from data_access.viewer import Viewer

PEOPLE = {c for c, i in INDICATOR_BY_CODE.items() if i.counts_people and i.kind != "ratio"}


@pytest.fixture(scope="module")
def raw(demo_sqlite_url: str) -> pd.DataFrame:
    eng = make_engine(demo_sqlite_url)
    df = q.fetch_all_observations(eng)
    eng.dispose()
    return df


@pytest.fixture(scope="module")
def tables(raw: pd.DataFrame) -> dict[str, object]:
    return {
        spec: q.disclose_for_viewer(raw, Viewer.parse(spec))
        for spec in ("public", "city:037006", "steering")
    }


@pytest.mark.parametrize("as_of", ["2023-06", "2024-03"])
def test_steering_sees_the_exact_cumulative(raw, tables, as_of) -> None:  # type: ignore[no-untyped-def]
    got = compute_viewer_cumulative(raw, tables["steering"], Viewer("steering"), as_of)
    exact = compute_cumulative(raw[raw["periphery_id"].isna()], as_of)
    pd.testing.assert_frame_equal(
        got[exact.columns].reset_index(drop=True), exact.reset_index(drop=True)
    )
    assert (got["flag"] == "").all()


@pytest.mark.parametrize("as_of", ["2023-06", "2024-03"])
def test_public_never_sees_a_small_people_count(raw, tables, as_of) -> None:  # type: ignore[no-untyped-def]
    got = compute_viewer_cumulative(raw, tables["public"], Viewer(), as_of)
    people = got[got["indicator_code"].isin(PEOPLE)]
    assert not people["value"].between(1, 9).any()
    assert (people["value"].dropna() % 5 == 0).all()
    assert (people.loc[people["value"].isna(), "flag"] == "soppresso").all()
    other = got[~got["indicator_code"].isin(PEOPLE | {"WP3_AVG_STAY"})]
    exact = compute_cumulative(raw[raw["periphery_id"].isna()], as_of).set_index(
        ["city_code", "indicator_code"]
    )
    assert (
        other.set_index(["city_code", "indicator_code"])["value"]
        .sub(exact.loc[other.set_index(["city_code", "indicator_code"]).index, "value"])
        .abs()
        .fillna(0)
        < 1e-9
    ).all()


def test_public_programme_to_date_uses_the_protected_city_totals(raw, tables) -> None:  # type: ignore[no-untyped-def]
    got = compute_viewer_cumulative(raw, tables["public"], Viewer(), "2024-03").set_index(
        ["city_code", "indicator_code"]
    )
    totals = tables["public"].city_totals.set_index(["city_code", "indicator_code"])
    idx = got.index[got.index.get_level_values(1).isin(PEOPLE)]
    pd.testing.assert_series_equal(
        got.loc[idx, "value"], totals.loc[idx, "value"], check_names=False
    )


def test_an_earlier_month_only_adds_up_published_cells(raw, tables) -> None:  # type: ignore[no-untyped-def]
    got = compute_viewer_cumulative(raw, tables["public"], Viewer(), "2023-06")
    cells = tables["public"].cells
    cells = cells[cells["periphery_id"].isna() & (cells["period"] <= "2023-06")]
    for row in got[got["indicator_code"].isin(PEOPLE)].itertuples():
        g = cells[
            (cells["city_code"] == row.city_code) & (cells["indicator_code"] == row.indicator_code)
        ]
        if (g["flag"] == "soppresso").any():
            assert math.isnan(row.value)
        else:
            assert row.value == g["value"].sum()


def test_city_manager_sees_its_own_city_exactly_and_others_protected(raw, tables) -> None:  # type: ignore[no-untyped-def]
    viewer = Viewer("city", "037006")
    got = compute_viewer_cumulative(raw, tables["city:037006"], viewer, "2023-06")
    exact = compute_cumulative(raw[raw["periphery_id"].isna()], "2023-06")
    mine = got[got["city_code"] == "037006"].reset_index(drop=True)
    pd.testing.assert_series_equal(
        mine["value"], exact[exact["city_code"] == "037006"]["value"].reset_index(drop=True)
    )
    others = got[(got["city_code"] != "037006") & got["indicator_code"].isin(PEOPLE)]
    assert not others["value"].between(1, 4).any()


def test_ratios_with_hidden_parts_are_hidden(raw, tables) -> None:  # type: ignore[no-untyped-def]
    got = compute_viewer_cumulative(raw, tables["public"], Viewer(), "2023-06").set_index(
        ["city_code", "indicator_code"]
    )
    for city in got.index.get_level_values(0).unique():
        if (city, "WP3_AVG_STAY") not in got.index:
            continue
        exits = got.loc[(city, "WP3_EXITS"), "value"]
        stay = got.loc[(city, "WP3_AVG_STAY"), "value"]
        assert math.isnan(stay) == (math.isnan(exits) or exits == 0)


def test_national_monthly_for_protected_viewers_is_the_protected_national_total(
    raw, tables
) -> None:  # type: ignore[no-untyped-def]
    from data_access.metrics import compute_total_monthly
    from data_access.metrics.viewer import compute_viewer_national_monthly

    full = compute_viewer_national_monthly(raw, tables["steering"], Viewer("steering"))
    exact = compute_total_monthly(raw[raw["periphery_id"].isna()])
    pd.testing.assert_frame_equal(full.reset_index(drop=True), exact.reset_index(drop=True))
    pub = compute_viewer_national_monthly(raw, tables["public"], Viewer()).set_index(
        ["indicator_code", "period"]
    )
    nat = tables["public"].national_by_period.set_index(["indicator_code", "period"])
    people = pub.index[pub.index.get_level_values(0).isin(PEOPLE)]
    assert len(people) > 0
    pd.testing.assert_series_equal(
        pub.loc[people, "value"], nat.loc[people, "value"], check_names=False
    )
    assert (pub.loc[people, "value"].dropna() % 5 == 0).all()
    others = pub.index[~pub.index.get_level_values(0).isin(PEOPLE)]
    ex = exact.set_index(["indicator_code", "period"])
    pd.testing.assert_series_equal(
        pub.loc[others, "value"], ex.loc[others, "value"], check_names=False
    )


@pytest.mark.parametrize("indicator", ["WP2_TAKEN_IN_CHARGE", "WP3_AVG_STAY", "WP1_EVENTS"])
def test_series_per_viewer(raw, tables, indicator) -> None:  # type: ignore[no-untyped-def]
    from data_access.metrics import compute_cumulative_series
    from data_access.metrics.viewer import compute_viewer_cumulative_series

    full = compute_viewer_cumulative_series(
        raw, tables["steering"], Viewer("steering"), indicator, "2024-03"
    )
    exact = compute_cumulative_series(raw[raw["periphery_id"].isna()], as_of="2024-03")
    exact = exact[exact["indicator_code"] == indicator].reset_index(drop=True)
    assert full["value"].tolist() == pytest.approx(exact["value"].tolist(), nan_ok=True)
    pub = compute_viewer_cumulative_series(raw, tables["public"], Viewer(), indicator, "2024-03")
    assert len(pub) == len(full)
    if indicator == "WP1_EVENTS":  # not a people count: unchanged
        assert pub["value"].tolist() == pytest.approx(full["value"].tolist(), nan_ok=True)
        return
    assert (pub.loc[pub["value"].isna(), "flag"] == "soppresso").all()
    if indicator in PEOPLE:
        shown = pub["value"].dropna()
        assert not shown.between(1, 9).any() and (shown % 5 == 0).all()
        # A running total adds up exactly the published months; from the first suppressed month
        # on it is flagged "parziale" (a lower bound) instead of vanishing.
        cells = tables["public"].cells
        cells = cells[
            cells["periphery_id"].isna()
            & (cells["indicator_code"] == indicator)
            & (cells["period"] <= "2024-03")
        ].sort_values("period")
        n_partial = 0
        for city, g in cells.groupby("city_code"):
            published = g["value"].where(g["flag"] != "soppresso", 0.0).cumsum().to_numpy()
            hidden_before = (g["flag"] == "soppresso").cummax().to_numpy()
            got = pub[pub["city_code"] == city].set_index("period").loc[g["period"]]
            assert got["value"].tolist() == pytest.approx(published.tolist())
            assert (got["flag"].to_numpy() == "parziale").tolist() == hidden_before.tolist()
            n_partial += int(hidden_before.sum())
        assert n_partial > 0  # the demo data has small months: the partial path is exercised
    mine = compute_viewer_cumulative_series(
        raw, tables["city:037006"], Viewer("city", "037006"), indicator, "2024-03"
    )
    b = mine["city_code"] == "037006"
    assert mine.loc[b, "value"].tolist() == pytest.approx(
        full.loc[full["city_code"] == "037006", "value"].tolist(), nan_ok=True
    )
