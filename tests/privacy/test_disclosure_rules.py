"""Disclosure rules on example tables (parametrized), one behaviour per case."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from privacy_tables import PERIODS, Observer, make_observations

from data_access.disclosure import (
    BELOW,
    FLAG_ROUNDED,
    FLAG_SUPPRESSED,
    apply_disclosure,
    disclose_table,
    flag_label,
    format_value,
    sum_disclosed,
)
from data_access.viewer import Viewer

PUBLIC, STEERING, ADMIN = Viewer("public"), Viewer("steering"), Viewer("admin")
MILANO, ROMA = "015146", "058091"
BIG = [40.0, 55.0, 61.0]  # a city with large counts, so that totals stay published


def cell(df: pd.DataFrame, city: str, period: str, periphery: int | None = None) -> pd.Series:
    sel = (df["city_code"] == city) & (df["period"] == period)
    sel &= df["periphery_id"].isna() if periphery is None else df["periphery_id"] == periphery
    return df[sel].iloc[0]


@pytest.mark.parametrize(
    ("value", "shown", "flag", "below", "text"),
    [
        (0, 0.0, "", math.nan, "0"),
        (1, math.nan, FLAG_SUPPRESSED, 10, "<10"),
        (9, math.nan, FLAG_SUPPRESSED, 10, "<10"),
        (10, 10.0, FLAG_ROUNDED, math.nan, "10"),
        (12, 10.0, FLAG_ROUNDED, math.nan, "10"),
        (13, 15.0, FLAG_ROUNDED, math.nan, "15"),
        (1234, 1235.0, FLAG_ROUNDED, math.nan, "1.235"),
    ],
)
def test_public_primary_and_rounding(
    value: float, shown: float, flag: str, below: float, text: str
) -> None:
    # the small city sits in a month whose other cells are big enough to be complements
    df = make_observations({"A": [value, 40, 40], "B": [45, 50, 55], "C": [60, 65, 70]})
    out = apply_disclosure(df, PUBLIC)
    c = cell(out, "A", PERIODS[0])
    assert c["flag"] == flag
    assert (math.isnan(c["value"]) and math.isnan(shown)) or c["value"] == shown
    assert (math.isnan(c[BELOW]) and math.isnan(below)) or c[BELOW] == below
    assert format_value(c["value"], c["flag"], c[BELOW], "it") == text


@pytest.mark.parametrize("viewer", [STEERING, ADMIN])
def test_full_detail_roles_see_everything_unchanged(viewer: Viewer) -> None:
    df = make_observations({"A": [0, 3, 12], "B": [1, 2, 47]})
    out = apply_disclosure(df, viewer)
    assert out["value"].tolist() == df["value"].tolist()
    assert set(out["flag"]) == {""}


def test_single_small_cell_gets_a_complement_in_its_row_and_column() -> None:
    df = make_observations({"A": [3, 40, 44], "B": [45, 50, 55], "C": [60, 65, 70]})
    out = apply_disclosure(df, PUBLIC)
    sup = out[out["flag"] == FLAG_SUPPRESSED]
    assert len(sup) >= 2
    assert (sup["city_code"] == "A").sum() >= 2  # something else in A's row
    assert (sup["period"] == PERIODS[0]).sum() >= 2  # something else in the first month
    # complements are shown as "n.d.", not as "<10" (they are not small)
    comp = sup[sup[BELOW].isna()]
    assert len(comp) >= 1
    assert {
        format_value(v, f, b, "en")
        for v, f, b in zip(comp["value"], comp["flag"], comp[BELOW], strict=True)
    } == {"n/a"}


def test_totals_are_rounded_independently_and_protected() -> None:
    df = make_observations({"A": [3, 40, 44], "B": [46, 51, 57], "C": [61, 66, 72]})
    t = disclose_table(df, PUBLIC)
    assert set(t.national_totals["flag"]) == {FLAG_ROUNDED}
    assert t.national_totals["value"].iloc[0] == 440.0  # 440 true, rounded on its own
    assert set(t.city_totals["flag"]) <= {FLAG_ROUNDED, FLAG_SUPPRESSED}
    obs = Observer(df, t)
    assert all(r.width >= 5 for r in obs.ranges().values())


@pytest.mark.parametrize(
    ("own", "other_value", "flag"),
    [
        (MILANO, 3, FLAG_SUPPRESSED),
        (MILANO, 4, FLAG_SUPPRESSED),
        (MILANO, 5, ""),
        (MILANO, 12, ""),  # not rounded for a city manager
        (ROMA, 3, ""),  # own city: full detail
    ],
)
def test_city_manager(own: str, other_value: float, flag: str) -> None:
    df = make_observations({ROMA: [other_value, 30, 31], MILANO: [8, 9, 2], "C": [20, 21, 22]})
    out = apply_disclosure(df, Viewer("city", own))
    c = cell(out, ROMA, PERIODS[0])
    assert c["flag"] == flag
    if flag == "":
        assert c["value"] == other_value
    if flag == FLAG_SUPPRESSED:
        assert format_value(c["value"], c["flag"], c[BELOW]) == "<5"
    own_rows = out[out["city_code"] == own]
    raw_own = df[df["city_code"] == own]
    assert own_rows["value"].tolist() == raw_own["value"].tolist()


def test_city_manager_does_not_see_other_cities_peripheries() -> None:
    df = make_observations(
        {ROMA: [30, 40], MILANO: [50, 60]}, peripheries={(ROMA, 1): [20, 25], (MILANO, 2): [30, 35]}
    )
    out = apply_disclosure(df, Viewer("city", ROMA))
    assert set(out.loc[out["periphery_id"].notna(), "city_code"]) == {ROMA}


def test_public_periphery_rows_are_protected_against_the_city_row() -> None:
    df = make_observations(
        {"A": [48, 50], "B": [60, 70]}, peripheries={("A", 1): [3, 20], ("A", 2): [40, 25]}
    )
    t = disclose_table(df, PUBLIC)
    p1 = cell(t.cells, "A", PERIODS[0], 1)
    assert p1["flag"] == FLAG_SUPPRESSED
    obs = Observer(df, t)
    assert all(r.width >= 5 for r in obs.ranges().values())


@pytest.mark.parametrize("code", ["WP1_PROJECTS", "WP3_PLACES", "WP3_BED_NIGHTS"])
def test_indicators_not_counting_people_are_untouched(code: str) -> None:
    df = make_observations({"A": [3, 7, 12], "B": [1, 0, 4]}, indicator=code)
    out = apply_disclosure(df, PUBLIC)
    assert out["value"].tolist() == df["value"].tolist()
    assert set(out["flag"]) == {""}


def test_unknown_indicator_is_treated_as_counting_people() -> None:
    df = make_observations({"A": [3, 40], "B": [50, 60]}, indicator="NOT_IN_CATALOGUE")
    out = apply_disclosure(df, PUBLIC)
    assert cell(out, "A", PERIODS[0])["flag"] == FLAG_SUPPRESSED


def _stay_frame(exits_a: float) -> pd.DataFrame:
    exits = make_observations({"A": [exits_a, 40], "B": [50, 60], "C": [45, 47]}, "WP3_EXITS")
    days = make_observations(
        {"A": [exits_a * 100, 4000], "B": [5000, 6000], "C": [4500, 4700]}, "WP3_STAY_DAYS"
    )
    avg = make_observations({"A": [100, 100], "B": [100, 100], "C": [100, 100]}, "WP3_AVG_STAY")
    return pd.concat([exits, days, avg], ignore_index=True)


def test_ratio_with_a_suppressed_people_part_is_suppressed_for_the_public() -> None:
    t = disclose_table(_stay_frame(3), PUBLIC)
    avg = t.cells[t.cells["indicator_code"] == "WP3_AVG_STAY"]
    assert cell(avg, "A", PERIODS[0])["flag"] == FLAG_SUPPRESSED
    assert math.isnan(cell(avg, "A", PERIODS[0])["value"])


def test_ratio_is_recomputed_from_disclosed_parts() -> None:
    t = disclose_table(_stay_frame(41), PUBLIC)  # 41 exits published as 40
    cells = t.cells
    avg = cell(cells[cells["indicator_code"] == "WP3_AVG_STAY"], "A", PERIODS[0])
    exits = cell(cells[cells["indicator_code"] == "WP3_EXITS"], "A", PERIODS[0])
    days = cell(cells[cells["indicator_code"] == "WP3_STAY_DAYS"], "A", PERIODS[0])
    assert avg["value"] == pytest.approx(days["value"] / exits["value"])
    assert avg["flag"] == FLAG_ROUNDED
    tot = t.city_totals.set_index(["city_code", "indicator_code"])
    assert tot.loc[("B", "WP3_AVG_STAY"), "value"] == pytest.approx(
        tot.loc[("B", "WP3_STAY_DAYS"), "value"] / tot.loc[("B", "WP3_EXITS"), "value"]
    )
    steering = disclose_table(_stay_frame(41), STEERING).cells
    assert (
        cell(steering[steering["indicator_code"] == "WP3_AVG_STAY"], "A", PERIODS[0])["value"]
        == 100
    )


@pytest.mark.parametrize(
    ("value", "flag", "below", "lang", "text"),
    [
        (math.nan, FLAG_SUPPRESSED, 10, "it", "<10"),
        (math.nan, FLAG_SUPPRESSED, 5, "en", "<5"),
        (math.nan, FLAG_SUPPRESSED, math.nan, "it", "n.d."),
        (math.nan, FLAG_SUPPRESSED, math.nan, "en", "n/a"),
        (12345.0, FLAG_ROUNDED, math.nan, "it", "12.345"),
        (12345.0, FLAG_ROUNDED, math.nan, "en", "12,345"),
        (82.75, "", math.nan, "it", "82,8"),
    ],
)
def test_format_value(value: float, flag: str, below: float, lang: str, text: str) -> None:
    decimals = 1 if value == 82.75 else 0
    assert format_value(value, flag, below, lang, decimals) == text


@pytest.mark.parametrize(
    ("flag", "lang", "label"),
    [
        (FLAG_SUPPRESSED, "it", "soppresso"),
        (FLAG_SUPPRESSED, "en", "suppressed"),
        (FLAG_ROUNDED, "it", "arrotondato"),
        (FLAG_ROUNDED, "en", "rounded"),
        ("", "en", ""),
    ],
)
def test_flag_label(flag: str, lang: str, label: str) -> None:
    assert flag_label(flag, lang) == label


def test_sum_disclosed_never_sums_through_a_suppressed_cell() -> None:
    cells = pd.DataFrame(
        {
            "g": ["a", "a", "b", "b", "c"],
            "value": [10, math.nan, 15, 20, 0],
            "flag": ["arrotondato", "soppresso", "arrotondato", "", ""],
        }
    )
    out = sum_disclosed(cells, ["g"]).set_index("g")
    assert math.isnan(out.loc["a", "value"]) and out.loc["a", "flag"] == FLAG_SUPPRESSED
    assert out.loc["b", "value"] == 35 and out.loc["b", "flag"] == FLAG_ROUNDED
    assert out.loc["c", "value"] == 0 and out.loc["c", "flag"] == ""


def test_demo_data_public_disclosure_holds(demo_sqlite_url: str) -> None:
    from data_access.config import make_engine
    from data_access.queries import fetch_observations

    eng = make_engine(demo_sqlite_url)
    raw = pd.concat(
        [
            fetch_observations(eng, indicators=["WP2_HUB_PARTICIPANTS"]),
            fetch_observations(eng, indicators=["WP2_HUB_PARTICIPANTS"], level="periphery"),
        ],
        ignore_index=True,
    )
    eng.dispose()
    t = disclose_table(raw, PUBLIC)
    for frame in (
        t.cells,
        t.city_totals,
        t.national_by_period,
        t.national_totals,
        t.periphery_totals,
    ):
        shown = frame["value"].dropna()
        assert not ((shown >= 1) & (shown <= 9)).any()
    obs = Observer(raw, t)
    ranges = obs.ranges()
    assert ranges and min(r.width for r in ranges.values()) >= 5
    assert t.national_totals["flag"].iloc[0] == FLAG_ROUNDED  # the headline stays published


def test_stock_of_people_takes_the_last_month_as_its_total() -> None:
    from dataclasses import replace

    from data_access.catalogue import INDICATOR_BY_CODE

    cat = {
        **INDICATOR_BY_CODE,
        "PEOPLE_STOCK": replace(INDICATOR_BY_CODE["WP3_HOUSED"], code="PEOPLE_STOCK", kind="stock"),
    }
    df = make_observations({"A": [30, 41, 3], "B": [50, 52, 57], "C": [20, 22, 26]}, "PEOPLE_STOCK")
    t = disclose_table(df, PUBLIC, cat)
    last = t.cells[t.cells["period"] == PERIODS[2]].set_index("city_code")
    totals = t.city_totals.set_index("city_code")
    for city in ("A", "B", "C"):  # the city total is the last month's cell, as published
        assert totals.loc[city, "flag"] == last.loc[city, "flag"]
        assert (
            math.isnan(totals.loc[city, "value"]) and math.isnan(last.loc[city, "value"])
        ) or totals.loc[city, "value"] == last.loc[city, "value"]
    nat = t.national_by_period.set_index("period")
    assert t.national_totals["flag"].iloc[0] == nat.loc[PERIODS[2], "flag"]
    assert cell(t.cells, "A", PERIODS[2])["flag"] == FLAG_SUPPRESSED
