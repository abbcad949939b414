"""Cumulation respects the indicator kind: flows add up, stocks take the last value, ratios are
recomputed from their parts (data_access.metrics)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.catalogue import programme_periods
from data_access.errors import InvalidInput, UnknownCode
from data_access.metrics import (
    TOTAL_CODE,
    compute_cumulative,
    compute_cumulative_series,
    compute_monthly,
    compute_total_monthly,
    months_elapsed,
    months_remaining,
)

TIC = "WP2_TAKEN_IN_CHARGE"  # flow
PLACES = "WP3_PLACES"  # stock
BED, PN, OCC = "WP3_BED_NIGHTS", "WP3_PLACE_NIGHTS", "WP3_OCCUPANCY"  # ratio = 100 * BED / PN
STAY, EXITS, AVG = "WP3_STAY_DAYS", "WP3_EXITS", "WP3_AVG_STAY"  # ratio = STAY / EXITS
HUB = "WP2_HUB_ACTIVITIES"  # flow reported per periphery


def make_observations(*rows: tuple) -> pd.DataFrame:
    """Rows ``(city, indicator, period, value)`` or ``(city, periphery, indicator, period, value)``."""
    full = [r if len(r) == 5 else (r[0], None, *r[1:]) for r in rows]
    df = pd.DataFrame(
        full, columns=["city_code", "periphery_id", "indicator_code", "period", "value"]
    )
    df["periphery_id"] = df["periphery_id"].astype("Int64")
    df["value"] = df["value"].astype(float)
    return df


def values(frame: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(r.city_code, r.indicator_code): r.value for r in frame.itertuples()}


def same(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    return all((math.isnan(a[k]) and math.isnan(b[k])) or a[k] == pytest.approx(b[k]) for k in a)


CUMULATIVE_CASES = [
    (
        "flow adds up",
        [("A", TIC, "2022-10", 5), ("A", TIC, "2022-12", 7)],
        None,
        {("A", TIC): 12.0},
    ),
    (
        "flow cut at as_of",
        [("A", TIC, "2022-10", 5), ("A", TIC, "2022-12", 7)],
        "2022-11",
        {("A", TIC): 5.0},
    ),
    (
        "as_of inclusive",
        [("A", TIC, "2022-10", 5), ("A", TIC, "2022-12", 7)],
        "2022-12",
        {("A", TIC): 12.0},
    ),
    (
        "stock takes last value",
        [("A", PLACES, "2022-11", 10), ("A", PLACES, "2023-01", 8)],
        None,
        {("A", PLACES): 8.0},
    ),
    (
        "stock last value before as_of",
        [("A", PLACES, "2022-11", 10), ("A", PLACES, "2023-01", 8)],
        "2022-12",
        {("A", PLACES): 10.0},
    ),
    (
        "ratio from cumulated parts, not the mean of monthly ratios",
        [
            ("A", BED, "2022-10", 50),
            ("A", PN, "2022-10", 100),
            ("A", BED, "2022-11", 90),
            ("A", PN, "2022-11", 200),
        ],
        None,
        {("A", BED): 140.0, ("A", PN): 300.0, ("A", OCC): 100 * 140 / 300},
    ),
    (
        "average stay from its parts",
        [("A", STAY, "2023-01", 300), ("A", EXITS, "2023-01", 3)],
        None,
        {("A", STAY): 300.0, ("A", EXITS): 3.0, ("A", AVG): 100.0},
    ),
    (
        "reported ratio rows are ignored",
        [("A", BED, "2022-10", 50), ("A", PN, "2022-10", 100), ("A", OCC, "2022-10", 99)],
        None,
        {("A", BED): 50.0, ("A", PN): 100.0, ("A", OCC): 50.0},
    ),
    (
        "zero denominator gives a missing ratio",
        [("A", STAY, "2023-01", 0), ("A", EXITS, "2023-01", 0)],
        None,
        {("A", STAY): 0.0, ("A", EXITS): 0.0, ("A", AVG): float("nan")},
    ),
    ("a ratio needs both parts", [("A", BED, "2022-10", 50)], None, {("A", BED): 50.0}),
    (
        "cities stay apart",
        [("A", TIC, "2022-10", 5), ("B", TIC, "2022-10", 1)],
        None,
        {("A", TIC): 5.0, ("B", TIC): 1.0},
    ),
    ("as_of before the start: nothing", [("A", TIC, "2022-10", 5)], "2022-09", {}),
    ("missing value means not reported", [("A", TIC, "2022-10", float("nan"))], None, {}),
    ("no observations", [], None, {}),
    (
        "city value from its peripheries when only they reported",
        [("A", 1, HUB, "2022-10", 3), ("A", 2, HUB, "2022-10", 4)],
        None,
        {("A", HUB): 7.0},
    ),
    (
        "a city-level row wins over its peripheries",
        [("A", HUB, "2022-10", 10), ("A", 1, HUB, "2022-10", 3), ("A", 2, HUB, "2022-11", 4)],
        None,
        {("A", HUB): 14.0},
    ),
]


@pytest.mark.parametrize(
    "rows, as_of, expected", [c[1:] for c in CUMULATIVE_CASES], ids=[c[0] for c in CUMULATIVE_CASES]
)
def test_compute_cumulative(rows, as_of, expected):
    got = compute_cumulative(make_observations(*rows), as_of)
    assert same(values(got), expected)
    assert list(got.columns) == [
        "city_code",
        "indicator_code",
        "period",
        "value",
        "numerator",
        "denominator",
        "n_months",
        "last_period",
    ]


def test_cumulative_keeps_parts_and_bookkeeping():
    obs = make_observations(
        ("A", BED, "2022-10", 50),
        ("A", PN, "2022-10", 100),
        ("A", BED, "2022-12", 90),
        ("A", PN, "2022-11", 200),
    )
    row = compute_cumulative(obs, "2023-01").set_index("indicator_code").loc[OCC]
    assert (row["numerator"], row["denominator"]) == (140.0, 300.0)
    assert row["period"] == "2023-01"
    assert row["last_period"] == "2022-12"
    bed = compute_cumulative(obs, "2023-01").set_index("indicator_code").loc[BED]
    assert (bed["n_months"], bed["last_period"]) == (2, "2022-12")


def test_cumulative_by_periphery():
    obs = make_observations(
        ("A", 1, HUB, "2022-10", 3),
        ("A", 1, HUB, "2022-11", 2),
        ("A", 2, HUB, "2022-10", 4),
        ("A", TIC, "2022-10", 9),
    )
    got = compute_cumulative(obs, by_periphery=True)
    rows = {
        (r.periphery_id if not pd.isna(r.periphery_id) else None, r.indicator_code): r.value
        for r in got.itertuples()
    }
    assert rows == {(1, HUB): 5.0, (2, HUB): 4.0, (None, TIC): 9.0}


@pytest.mark.parametrize(
    "frame, as_of, error",
    [
        (make_observations(("A", "NOPE", "2022-10", 1)), None, UnknownCode),
        (make_observations(("A", TIC, "2022-13", 1)), None, InvalidInput),
        (make_observations(("A", TIC, "22-10", 1)), None, InvalidInput),
        (make_observations(("A", TIC, "2022-10", 1)), "2022/10", InvalidInput),
        (
            pd.DataFrame({"city_code": ["A"], "period": ["2022-10"], "value": [1.0]}),
            None,
            InvalidInput,
        ),
    ],
    ids=["unknown indicator", "month 13", "short year", "bad as_of", "missing column"],
)
def test_compute_cumulative_rejects_bad_input(frame, as_of, error):
    with pytest.raises(error):
        compute_cumulative(frame, as_of)


SERIES_CASES = [
    (
        "flow carries its total over a missing month",
        [("A", TIC, "2022-10", 5), ("A", TIC, "2022-12", 7)],
        ["2022-10", "2022-11", "2022-12"],
        {"2022-10": 5.0, "2022-11": 5.0, "2022-12": 12.0},
    ),
    (
        "no row before the first report",
        [("A", TIC, "2022-11", 5)],
        ["2022-10", "2022-11"],
        {"2022-11": 5.0},
    ),
    (
        "stock carries its last value",
        [("A", PLACES, "2022-10", 4), ("A", PLACES, "2022-12", 6)],
        ["2022-10", "2022-11", "2022-12"],
        {"2022-10": 4.0, "2022-11": 4.0, "2022-12": 6.0},
    ),
    (
        "data before the first wanted month still counts",
        [("A", TIC, "2022-09", 2), ("A", TIC, "2022-10", 3)],
        ["2022-10"],
        {"2022-10": 5.0},
    ),
]


@pytest.mark.parametrize(
    "rows, periods, expected", [c[1:] for c in SERIES_CASES], ids=[c[0] for c in SERIES_CASES]
)
def test_compute_cumulative_series(rows, periods, expected):
    got = compute_cumulative_series(make_observations(*rows), periods)
    assert dict(zip(got["period"], got["value"], strict=True)) == expected


def test_series_defaults_to_programme_months_and_stops_at_as_of():
    obs = make_observations(("A", TIC, "2022-10", 1))
    assert list(compute_cumulative_series(obs)["period"]) == programme_periods()
    assert list(compute_cumulative_series(obs, as_of="2022-12")["period"]) == [
        "2022-10",
        "2022-11",
        "2022-12",
    ]


TOTAL_CASES = [
    (
        "flows add up across cities",
        [("A", TIC, "2022-10", 5), ("B", TIC, "2022-11", 7)],
        None,
        {(TOTAL_CODE, TIC): 12.0},
    ),
    (
        "stocks: sum of each city's last value, even a city that stopped reporting",
        [
            ("A", PLACES, "2022-10", 10),
            ("A", PLACES, "2022-11", 12),
            ("B", PLACES, "2022-10", 5),
            ("A", PLACES, "2022-12", 11),
        ],
        None,
        {(TOTAL_CODE, PLACES): 16.0},
    ),
    (
        "stocks at an earlier as_of",
        [("A", PLACES, "2022-10", 10), ("A", PLACES, "2022-12", 12), ("B", PLACES, "2022-11", 5)],
        "2022-11",
        {(TOTAL_CODE, PLACES): 15.0},
    ),
    (
        "ratios from the summed parts, not the mean of city ratios",
        [
            ("A", STAY, "2023-01", 100),
            ("A", EXITS, "2023-01", 1),
            ("B", STAY, "2023-01", 200),
            ("B", EXITS, "2023-01", 4),
        ],
        None,
        {(TOTAL_CODE, STAY): 300.0, (TOTAL_CODE, EXITS): 5.0, (TOTAL_CODE, AVG): 60.0},
    ),
    ("no data, no total", [], None, {}),
]


@pytest.mark.parametrize(
    "rows, as_of, expected", [c[1:] for c in TOTAL_CASES], ids=[c[0] for c in TOTAL_CASES]
)
def test_compute_total_monthly(rows, as_of, expected):
    total = compute_total_monthly(make_observations(*rows))
    assert same(values(compute_cumulative(total, as_of)), expected)


def test_total_of_a_group_of_cities():
    obs = make_observations(
        ("A", TIC, "2022-10", 5), ("B", TIC, "2022-10", 7), ("C", TIC, "2022-10", 100)
    )
    total = compute_total_monthly(obs, ["A", "B"], code="PEERS")
    assert values(compute_cumulative(total)) == {("PEERS", TIC): 12.0}


def test_compute_monthly_by_periphery_keeps_missing_periphery():
    obs = make_observations(("A", 1, HUB, "2022-10", 3), ("A", TIC, "2022-10", 1))
    got = compute_monthly(obs, by_periphery=True)
    by_ind = dict(zip(got["indicator_code"], got["periphery_id"].isna(), strict=True))
    assert by_ind == {HUB: False, TIC: True}


@pytest.mark.parametrize(
    "as_of, elapsed, remaining",
    [
        ("2022-09", 0, 18),
        ("2022-10", 1, 17),
        ("2023-06", 9, 9),
        ("2024-02", 17, 1),
        ("2024-03", 18, 0),
        ("2024-09", 18, 0),
    ],
)
def test_months_elapsed_and_remaining(as_of, elapsed, remaining):
    assert (months_elapsed(as_of), months_remaining(as_of)) == (elapsed, remaining)


# --- invariants ------------------------------------------------------------------------------
PERIODS = programme_periods()
obs_rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from([TIC, PLACES, BED, PN]),
        st.sampled_from(PERIODS),
        st.integers(min_value=0, max_value=1000),
    ),
    max_size=40,
    unique_by=lambda r: r[:3],
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=obs_rows)
def test_series_is_cumulative_at_every_month_and_flows_never_decrease(rows):
    obs = make_observations(*rows)
    series = compute_cumulative_series(obs)
    for period in PERIODS[::6]:
        at = series[series["period"] == period]
        assert same(values(at), values(compute_cumulative(obs, period)))
    flows = series[series["indicator_code"] == TIC]
    for _, g in flows.groupby("city_code"):
        assert g["value"].is_monotonic_increasing


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=obs_rows, cut=st.sampled_from(PERIODS))
def test_cumulative_matches_a_plain_reference(rows, cut):
    got = values(compute_cumulative(make_observations(*rows), cut))
    expected: dict[tuple[str, str], float] = {}
    for city, ind, period, value in sorted(rows, key=lambda r: r[2]):
        if period <= cut:
            expected[(city, ind)] = (
                expected.get((city, ind), 0.0) + value if ind != PLACES else float(value)
            )
    for city in {c for c, _ in expected}:
        if (city, BED) in expected and (city, PN) in expected:
            den = expected[(city, PN)]
            expected[(city, OCC)] = 100 * expected[(city, BED)] / den if den else float("nan")
    assert same(got, expected)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=obs_rows)
def test_national_flow_is_the_sum_of_the_cities(rows):
    obs = make_observations(*rows)
    by_city = compute_cumulative(obs)
    national = values(compute_cumulative(compute_total_monthly(obs)))
    flows = by_city[by_city["indicator_code"] == TIC]["value"]
    if len(flows):
        assert national[(TOTAL_CODE, TIC)] == pytest.approx(flows.sum())
    else:
        assert (TOTAL_CODE, TIC) not in national
