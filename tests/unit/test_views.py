"""What the overview, benchmarking and work-package pages say, computed without Streamlit
(``dashboard.views``): small frames in, words, frames and figures out."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.views import benchmark as bench_view
from dashboard.views import overview
from dashboard.views import work_package as wp_view
from data_access.metrics.benchmark import Funnel

TIC = "WP2_TAKEN_IN_CHARGE"
PART = "WP1_PARTICIPANTS"
OCC = "WP3_OCCUPANCY"  # a ratio
NAMES = {"037006": "Bologna", "058091": "Roma", "015146": "Milano"}


def make_headline(*rows: tuple[str, str, float, float, float]) -> pd.DataFrame:
    """Rows ``(wp, indicator, value, achievement, planned_share)``."""
    return pd.DataFrame(
        rows, columns=["wp", "indicator_code", "value", "achievement", "planned_share"]
    )


SPEND = pd.DataFrame(
    {
        "wp": ["WP1", "TOTAL"],
        "budget": [1000.0, 2_000_000.0],
        "spent": [500.0, 1_234_567.0],
        "share": [0.5, 0.6172835],
    }
)


# --- overview ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, value, delta, spend_value, spend_delta",
    [
        ("it", "1.234", "45% (previsto 50%)", "62%", "1.234.567 € di 2.000.000 €"),
        ("en", "1,234", "45% (planned 50%)", "62%", "€1,234,567 of €2,000,000"),
    ],
)
def test_metric_row(lang: str, value: str, delta: str, spend_value: str, spend_delta: str) -> None:
    headline = make_headline(("WP1", PART, 1234.0, 0.45, 0.5), ("WP2", TIC, 80.0, 0.8, 0.7))
    row = overview.metric_row(headline, SPEND, lang)
    assert len(row) == 4 and row[2] is None, "a WP without a figure leaves its column empty"
    first, spend = row[0], row[3]
    assert first is not None and spend is not None
    assert first.label.startswith("WP1 · ") and first.value == value and first.delta == delta
    assert first.help and spend.help is None
    assert (spend.value, spend.delta) == (spend_value, spend_delta)


def make_wp_status(*rows: tuple[str, str, str, float, str]) -> pd.DataFrame:
    """Rows ``(city, wp, status, progress, worst_indicator)``."""
    return pd.DataFrame(rows, columns=["city_code", "wp", "status", "progress", "worst_indicator"])


def make_projection(*rows: tuple[str, str, float, float]) -> pd.DataFrame:
    """Rows ``(city, indicator, needed_pace, pace)``."""
    return pd.DataFrame(rows, columns=["city_code", "indicator_code", "needed_pace", "pace"])


def test_attention_rows_in_order_with_reasons() -> None:
    wp_status = make_wp_status(
        ("037006", "WP2", "off_track", 0.3, TIC),
        ("058091", "WP1", "at_risk", 0.7, PART),
        ("015146", "WP1", "on_track", 0.95, PART),
    )
    by_city = pd.DataFrame({"city_code": ["015146", "037006"], "n_missing": [2, 0]})
    projection = make_projection(("037006", TIC, 12.0, 4.0), ("058091", PART, 3.0, 1.0))
    rows = overview.attention_rows(wp_status, by_city, projection, NAMES, "en")
    assert [r["Code"] for r in rows] == ["037006", "058091", "015146"]
    assert list(rows[0]) == ["Code", "City", "Reason"]
    bologna, roma, milano = (r["Reason"] for r in rows)
    assert bologna.startswith("WP2: ") and "(30% of plan)" in bologna
    assert "12 " in bologna and "4 a month" in bologna, "off track: the pace it needs and has"
    assert "70%" in roma and "a month" not in roma, "at risk: no pace"
    assert milano == "Monthly reports missing: 2."


def test_attention_rows_none() -> None:
    wp_status = make_wp_status(("037006", "WP2", "on_track", 1.0, TIC))
    assert overview.attention_rows(wp_status, None, make_projection(), NAMES, "it") == []


@pytest.mark.parametrize(
    "projection, expected",
    [
        (None, None),
        ({"projected_achievement": 0.874}, "87%"),
    ],
)
def test_projection_sentence(projection: dict[str, float] | None, expected: str | None) -> None:
    path = {"projection": projection}
    text = overview.projection_sentence(path, TIC, "en")
    assert text == expected if expected is None else (text is not None and expected in text)


def test_map_indicators_leave_out_ratios() -> None:
    assert TIC in overview.MAP_INDICATORS and OCC not in overview.MAP_INDICATORS


# --- benchmark -----------------------------------------------------------------------------
def test_peers_caption_lists_names_alphabetically() -> None:
    text = bench_view.peers_caption(["058091", "037006"], NAMES, "en")
    assert text == "The group has 2 cities: Bologna, Roma."


def make_funnel(*points: tuple[str, str]) -> Funnel:
    """A funnel whose ``points`` are ``(city, position)``."""
    frame = pd.DataFrame(points, columns=["city_code", "position"])
    return Funnel(pooled_rate=1.0, points=frame, limits=pd.DataFrame(), phi=1.0, tau=0.0)


@pytest.mark.parametrize(
    "city, expected",
    [("037006", "Bologna is within the range"), ("015146", None)],
)
def test_funnel_sentence(city: str, expected: str | None) -> None:
    funnel = make_funnel(("037006", "inside"), ("058091", "above_95"))
    choice = bench_view.Comparison(NAMES, city, (), TIC, "en")
    text = bench_view.funnel_sentence(funnel, choice)
    assert text is None if expected is None else (text is not None and expected in text)


@pytest.mark.parametrize("flags, expected", [(["", ""], False), (["", "partial"], True)])
def test_has_partial(flags: list[str], expected: bool) -> None:
    from data_access.disclosure import FLAG_PARTIAL

    series = pd.DataFrame({"flag": [f if f != "partial" else FLAG_PARTIAL for f in flags]})
    assert bench_view.has_partial(series) is expected


# --- work package --------------------------------------------------------------------------
def make_measures(achievement: list[float]) -> wp_view.Measures:
    cities = ["037006", "058091"]
    return wp_view.Measures(
        cumulative=pd.DataFrame(
            {"city_code": cities, "indicator_code": TIC, "value": [10.0, 30.0], "flag": ""}
        ),
        per_10k=pd.DataFrame(
            {"city_code": cities, "indicator_code": TIC, "benchmark_value": [1.5, 2.5]}
        ),
        achievement=pd.DataFrame(
            {"city_code": cities, "indicator_code": TIC, "achievement": achievement}
        ),
    )


@pytest.mark.parametrize(
    "how, values",
    [("abs", [10.0, 30.0]), ("per10k", [1.5, 2.5]), ("pct", [0.25, 0.75])],
)
def test_measures_of(how: str, values: list[float]) -> None:
    frame = make_measures([0.25, 0.75]).of(TIC, how)
    assert list(frame.columns) == ["city_code", "value"] and list(frame["value"]) == values


@pytest.mark.parametrize(
    "achievement, how, expected",
    [
        ([0.25, 0.75], "pct", "pct"),
        ([math.nan, math.nan], "pct", "abs"),  # no target anywhere: the absolute value
        ([math.nan, math.nan], "per10k", "per10k"),
    ],
)
def test_effective_measure(achievement: list[float], how: str, expected: str) -> None:
    assert make_measures(achievement).effective(TIC, how) == expected


@pytest.mark.parametrize(
    "how, reference", [("pct", 1.0), ("abs", 20.0)]
)  # the target, or the median of the cities shown
def test_compare_figure(how: str, reference: float) -> None:
    fig = wp_view.compare_figure(make_measures([0.25, 0.75]), NAMES, TIC, how, "en")
    assert isinstance(fig, go.Figure)
    assert any(math.isclose(s.x0, reference) for s in fig.layout.shapes if s.x0 is not None)


def test_wp_table_in_the_measure() -> None:
    screen, download = wp_view.wp_table(make_measures([0.25, 0.75]), [TIC], NAMES, "pct", "en")
    assert list(screen.iloc[0])[-3:] == ["25%", "–", "75%"]  # Bologna, Milano, Roma
    assert download.iloc[0]["Bologna (037006)"] == 0.25


def test_indicator_intro_and_title() -> None:
    intro = wp_view.indicator_intro(TIC, "it")
    assert intro.startswith("**") and "WP2" in intro and "\n" in intro
    assert wp_view.chart_title(TIC, "per10k", "2024-03", "en").endswith(", March 2024")


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        ("2022-12-31", "it", "31 dicembre 2022"),
        ("2023-09-30", "en", "30 September 2023"),
        ("2023", "it", "2023"),
        (None, "en", "–"),
    ],
)
def test_sources_write_reference_dates_in_words(value: str | None, lang: str, text: str) -> None:
    from dashboard.views.methodology import reference_date

    assert reference_date(value, lang) == text


@pytest.mark.parametrize("lang", ["it", "en"])
def test_sources_keep_each_reference_date_beside_its_own_figure(lang: str) -> None:
    # Both reference columns were headed "Riferimento": the frame kept one column under that
    # name, the foreign residents' date, beside the population.
    from dashboard.views.methodology import reference_date, sources

    cities = pd.DataFrame(
        {
            "name": ["Bologna"],
            "region": ["Emilia-Romagna"],
            "macro_area": ["nord_est"],
            "population": [387971.0],
            "population_ref": ["2022-12-31"],
            "population_quality": ["istat_press"],
            "foreign_residents": [58539.0],
            "foreign_ref": ["2022-01-01"],
            "foreign_quality": ["istat_census"],
        }
    )
    frame = sources(cities, lang).frame
    assert len(frame.columns) == len(set(frame.columns)) == 9
    row = list(frame.iloc[0])
    assert row[4] == reference_date("2022-12-31", lang)  # beside the population (column 3)
    assert row[7] == reference_date("2022-01-01", lang)  # beside the foreign residents (6)
