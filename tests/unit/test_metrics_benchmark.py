"""Per-10,000 rates, ranks, peer groups and funnel limits (metrics_benchmark)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data_access.errors import InvalidInput, UnknownCode
from data_access.metrics.benchmark import (
    compute_city_benchmark,
    compute_funnel,
    compute_peer_group,
    compute_peer_trend,
    compute_per_10k,
    compute_ranks,
    poisson_quantile,
)

TIC, PLACES, OCC, AVG = "WP2_TAKEN_IN_CHARGE", "WP3_PLACES", "WP3_OCCUPANCY", "WP3_AVG_STAY"
NAN = float("nan")


def make_cities(*rows: tuple) -> pd.DataFrame:
    """Rows ``(code, macro_area, foreign_residents)``."""
    return pd.DataFrame(
        [(c, f"City {c}", m, f) for c, m, f in rows],
        columns=["code", "name", "macro_area", "foreign_residents"],
    )


def make_cumulated(*rows: tuple) -> pd.DataFrame:
    """Rows ``(city, indicator, value)`` or ``(city, indicator, period, value)``."""
    full = [r if len(r) == 4 else (r[0], r[1], "2024-03", r[2]) for r in rows]
    return pd.DataFrame(full, columns=["city_code", "indicator_code", "period", "value"])


def close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


CITIES = make_cities(
    ("A", "Nord", 10_000), ("B", "Nord", 20_000), ("C", "Sud", 5_000), ("D", "Sud", 0)
)

PER_10K_CASES = [
    ("flow per 10,000", ("A", TIC, 50), 50.0, 50.0),
    ("scaled by foreign residents", ("B", TIC, 50), 25.0, 25.0),
    ("stock per 10,000", ("C", PLACES, 10), 20.0, 20.0),
    ("ratio compared as it is", ("A", OCC, 80), NAN, 80.0),
    ("zero foreign residents", ("D", TIC, 5), NAN, NAN),
    ("unknown city", ("Z", TIC, 5), NAN, NAN),
]


@pytest.mark.parametrize(
    "row, per_10k, benchmark", [c[1:] for c in PER_10K_CASES], ids=[c[0] for c in PER_10K_CASES]
)
def test_compute_per_10k(row, per_10k, benchmark):
    got = compute_per_10k(make_cumulated(row), CITIES).iloc[0]
    assert close(got["per_10k"], per_10k)
    assert close(got["benchmark_value"], benchmark)


RANK_CASES = [
    ("up: highest first", TIC, {"A": 3, "B": 9, "C": 5}, {"A": 3, "B": 1, "C": 2}),
    ("down: lowest first", AVG, {"A": 3, "B": 9, "C": 5}, {"A": 1, "B": 3, "C": 2}),
    (
        "ties share the best rank",
        TIC,
        {"A": 5, "B": 9, "C": 5, "D": 1},
        {"B": 1, "A": 2, "C": 2, "D": 4},
    ),
    ("missing values are not ranked", TIC, {"A": 5, "B": NAN, "C": 7}, {"A": 2, "B": None, "C": 1}),
]


@pytest.mark.parametrize(
    "indicator, vals, ranks", [c[1:] for c in RANK_CASES], ids=[c[0] for c in RANK_CASES]
)
def test_compute_ranks(indicator, vals, ranks):
    frame = pd.DataFrame(
        {
            "city_code": list(vals),
            "indicator_code": indicator,
            "benchmark_value": list(vals.values()),
        }
    )
    got = compute_ranks(frame)
    assert {
        r.city_code: (None if pd.isna(r.rank) else int(r.rank)) for r in got.itertuples()
    } == ranks
    assert set(got["n_ranked"]) == {sum(v is not None for v in ranks.values())}


def test_ranks_are_deterministically_ordered_and_measure_the_median():
    frame = pd.DataFrame(
        {"city_code": ["C", "A", "B"], "indicator_code": TIC, "benchmark_value": [4.0, 4.0, 10.0]}
    )
    got = compute_ranks(frame)
    assert list(got["city_code"]) == ["B", "A", "C"]
    assert list(got["n_tied"]) == [1, 2, 2]
    assert list(got["median"]) == [4.0, 4.0, 4.0]
    assert list(got["distance_from_median"]) == [6.0, 0.0, 0.0]
    assert got["distance_pct"].iloc[0] == pytest.approx(1.5)


def test_ranks_are_per_indicator_and_period():
    frame = pd.DataFrame(
        {
            "city_code": ["A", "B", "A", "B"],
            "indicator_code": [TIC, TIC, AVG, AVG],
            "period": "2023-01",
            "benchmark_value": [1.0, 2.0, 1.0, 2.0],
        }
    )
    got = compute_ranks(frame).set_index(["indicator_code", "city_code"])["rank"]
    assert (got[(TIC, "B")], got[(AVG, "A")]) == (1, 1)


# twelve cities, sizes chosen so the factor-2 band is easy to check by hand
SIZED = make_cities(
    ("X", "Nord", 10_000),
    ("P1", "Nord", 5_000),
    ("P2", "Sud", 20_000),
    ("P3", "Sud", 12_000),
    ("P4", "Centro", 8_000),
    ("F1", "Nord", 4_999),
    ("F2", "Sud", 20_001),
    ("F3", "Centro", 100_000),
    ("S", "Isole", 1_000),
    ("S1", "Isole", 900),
    ("Y", "Centro", 100),
    ("Z", "Centro", 0),
)
PEER_CASES = [
    ("all cities", "X", "all", {}, sorted(SIZED["code"])),
    ("same macro-area", "X", "macro_area", {}, ["F1", "P1", "X"]),
    (
        "within a factor of two, bounds included",
        "X",
        "similar_size",
        {},
        ["P1", "P2", "P3", "P4", "X"],
    ),
    (
        "too few within the band: the nearest four",
        "S",
        "similar_size",
        {},
        ["F1", "P1", "P4", "S", "S1"],
    ),
    (
        "a wider factor",
        "X",
        "similar_size",
        {"factor": 2.5},
        ["F1", "F2", "P1", "P2", "P3", "P4", "X"],
    ),
    (
        "more peers required: the next nearest in log-size",
        "X",
        "similar_size",
        {"min_peers": 5},
        ["F2", "P1", "P2", "P3", "P4", "X"],
    ),
    ("unknown size: alone", "Z", "similar_size", {}, ["Z"]),
]


@pytest.mark.parametrize(
    "city, group, kwargs, expected", [c[1:] for c in PEER_CASES], ids=[c[0] for c in PEER_CASES]
)
def test_compute_peer_group(city, group, kwargs, expected):
    assert compute_peer_group(SIZED, city, group, **kwargs) == expected


@pytest.mark.parametrize(
    "city, group, error", [("NOPE", "all", UnknownCode), ("X", "region", InvalidInput)]
)
def test_compute_peer_group_rejects_bad_input(city, group, error):
    with pytest.raises(error):
        compute_peer_group(SIZED, city, group)


def test_city_benchmark_within_peers():
    cum = make_cumulated(
        ("A", TIC, 10),
        ("B", TIC, 100),
        ("C", TIC, 20),
        ("A", OCC, 90),
        ("B", OCC, 70),
        ("C", OCC, 95),
    )
    got = compute_city_benchmark(cum, CITIES, "A").set_index("indicator_code")
    assert (got.loc[TIC, "rank"], got.loc[TIC, "n_ranked"]) == (3, 3)  # 10 < 40 < 50 per 10k
    assert got.loc[OCC, "rank"] == 2
    peers = compute_city_benchmark(cum, CITIES, "A", peers=["A", "B"]).set_index("indicator_code")
    assert (peers.loc[TIC, "rank"], peers.loc[TIC, "n_ranked"]) == (2, 2)


# --- funnel -----------------------------------------------------------------------------------
def poisson_cdf(k: int, mean: float) -> float:
    return sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k + 1))


def reference_quantile(mean: float, prob: float) -> float:
    """Spiegelhalter's interpolated quantile, straight from its definition."""
    r = 0
    while poisson_cdf(r, mean) < prob:
        r += 1
    f_r, f_prev = poisson_cdf(r, mean), (poisson_cdf(r - 1, mean) if r else 0.0)
    return r - (f_r - prob) / (f_r - f_prev)


@pytest.mark.parametrize(
    "mean, prob",
    [
        (10, 0.975),
        (10, 0.025),
        (10, 0.999),
        (10, 0.001),
        (0.5, 0.975),
        (0.5, 0.025),
        (3.7, 0.5),
        (60, 0.999),
        (60, 0.001),
        (120, 0.975),
    ],
)
def test_poisson_quantile_matches_its_definition(mean, prob):
    assert poisson_quantile(mean, prob) == pytest.approx(reference_quantile(mean, prob), abs=1e-9)


@pytest.mark.parametrize(
    "mean, z", [(10_000, 1.959964), (10_000, -1.959964), (250_000, 3.090232), (250_000, -3.090232)]
)
def test_poisson_quantile_is_near_normal_for_large_means(mean, z):
    prob = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    assert poisson_quantile(mean, prob) == pytest.approx(mean + z * math.sqrt(mean), abs=2.0)


@pytest.mark.parametrize("mean, prob, expected", [(0, 0.975, 0.0), (-1, 0.5, 0.0)])
def test_poisson_quantile_of_nothing(mean, prob, expected):
    assert poisson_quantile(mean, prob) == expected


@pytest.mark.parametrize("prob", [0.0, 1.0, 1.5])
def test_poisson_quantile_rejects_bad_probability(prob):
    with pytest.raises(InvalidInput):
        poisson_quantile(10, prob)


FUNNEL_CITIES = make_cities(
    ("A", "N", 10_000), ("B", "N", 10_000), ("C", "N", 10_000), ("D", "N", 10_000), ("S", "N", 500)
)
# counts chosen so the pooled rate stays at 100 per 10,000 (1%)
FUNNEL_CASES = [
    ("as expected", "A", 100, "inside", "as_expected"),
    ("above 95 but not 99.8", "B", 124, "above_95", "better"),
    ("far above", "C", 140, "above_998", "better"),
    ("below 95", "D", 78, "below_95", "worse"),
    ("small city: a big rate is still noise", "S", 9, "inside", "as_expected"),
]


def funnel_counts(city: str, count: float) -> pd.DataFrame:
    base = {"A": 100.0, "B": 100.0, "C": 100.0, "D": 100.0, "S": 5.0}
    base[city] = count
    # keep the pooled rate at exactly 1%: absorb the change in the other large cities
    delta = (count - (100.0 if city != "S" else 5.0)) / 3
    for other in ("A", "B", "C", "D"):
        if other != city and not (city == "S" and other == "D"):
            base[other] -= delta
    return pd.DataFrame({"city_code": list(base), "value": list(base.values())})


@pytest.mark.parametrize(
    "city, count, position, signal", [c[1:] for c in FUNNEL_CASES], ids=[c[0] for c in FUNNEL_CASES]
)
def test_compute_funnel_positions(city, count, position, signal):
    funnel = compute_funnel(funnel_counts(city, count), FUNNEL_CITIES, adjust=False)
    assert funnel.pooled_rate == pytest.approx(100.0)
    row = funnel.points.set_index("city_code").loc[city]
    assert (row["position"], row["signal"]) == (position, signal)


def test_funnel_signal_respects_direction():
    funnel = compute_funnel(funnel_counts("C", 140), FUNNEL_CITIES, direction="down", adjust=False)
    assert funnel.points.set_index("city_code").loc["C", "signal"] == "worse"


def test_funnel_limits_bracket_the_pooled_rate_and_narrow_with_size():
    funnel = compute_funnel(funnel_counts("A", 100), FUNNEL_CITIES, n_points=20)
    lim = funnel.limits
    assert len(lim) == 20
    assert lim["denominator"].is_monotonic_increasing
    assert (lim["lower_998"] <= lim["lower_95"]).all()
    assert (lim["lower_95"] <= funnel.pooled_rate).all()
    assert (lim["upper_95"] >= funnel.pooled_rate).all()
    assert (lim["upper_998"] >= lim["upper_95"]).all()
    width = lim["upper_95"] - lim["lower_95"]
    assert width.iloc[0] > width.iloc[-1]
    assert lim["denominator"].iloc[0] == pytest.approx(500 * 0.8)
    assert lim["denominator"].iloc[-1] == pytest.approx(10_000 * 1.1)


def test_overdispersed_cities_widen_the_limits_and_limits_stay_at_or_above_zero():
    # Issue 11.7: 16 cities whose rates really differ; Poisson limits flag almost all of them.
    sizes = [2_000 * 1.35**i for i in range(16)]
    rates = [0.002 * (1 + 0.6 * math.sin(i * 1.7)) for i in range(16)]
    cities = make_cities(*[(f"C{i:02d}", "N", n) for i, n in enumerate(sizes)])
    counts = pd.DataFrame(
        {
            "city_code": [f"C{i:02d}" for i in range(16)],
            "value": [round(r * n) for r, n in zip(rates, sizes, strict=True)],
        }
    )
    plain = compute_funnel(counts, cities, adjust=False)
    fair = compute_funnel(counts, cities)
    outside_plain = (plain.points["position"] != "inside").sum()
    outside_fair = fair.points["position"].isin(["above_998", "below_998"]).sum()
    assert outside_plain >= 8
    assert outside_fair <= 3
    assert fair.phi > 1 and fair.tau > 0
    assert (fair.limits["lower_998"] >= 0).all() and (plain.limits["lower_998"] >= 0).all()
    assert (fair.points["lower_998"] >= 0).all()


def test_poisson_limits_of_a_tiny_expected_count_are_not_negative():
    cities = make_cities(("A", "N", 100), ("B", "N", 100_000))
    counts = pd.DataFrame({"city_code": ["A", "B"], "value": [0.0, 5.0]})
    funnel = compute_funnel(counts, cities, adjust=False)
    assert (funnel.limits[["lower_95", "lower_998"]] >= 0).all().all()


def test_funnel_without_usable_data():
    funnel = compute_funnel(pd.DataFrame({"city_code": ["D"], "value": [3.0]}), CITIES)
    assert math.isnan(funnel.pooled_rate)
    assert funnel.points.empty and funnel.limits.empty


def test_peer_trend():
    series = make_cumulated(
        ("A", TIC, "2023-01", 10),
        ("B", TIC, "2023-01", 40),
        ("C", TIC, "2023-01", 10),
        ("A", TIC, "2023-02", 20),
        ("B", TIC, "2023-02", 60),
    )
    got = compute_peer_trend(series, CITIES, "A", TIC)
    assert list(got["period"]) == ["2023-01", "2023-02"]
    assert list(got["city"]) == [10.0, 20.0]
    assert list(got["peer_median"]) == [20.0, 30.0]  # B 20 & C 20 per 10k; then B only 30
    assert list(got["n_peers"]) == [2, 1]
    assert list(compute_peer_trend(series, CITIES, "A", TIC, peers=["A", "C"])["n_peers"]) == [1, 0]
