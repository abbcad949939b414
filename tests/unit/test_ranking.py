"""Which cities a ranking chart shows (``dashboard.views.ranking``): every city up to 40, then
the top and bottom of the ranking and the reader's city, said in words; the rows shown are the
full frame's rows, values untouched."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.views import ranking
from dashboard.views import work_package as wp_view
from dashboard.views.ranking import EDGE, MAX_SHOWN, note, select_ranked

TIC = "WP2_TAKEN_IN_CHARGE"


def cities(n: int, holes: int = 0) -> pd.DataFrame:
    """``n`` cities ``C0000``... named ``City 0000``..., value ``i * 1.5`` (city i), the last
    ``holes`` without a value."""
    codes = [f"C{i:04d}" for i in range(n)]
    values = [i * 1.5 if i < n - holes else math.nan for i in range(n)]
    return pd.DataFrame(
        {"city_code": codes, "name": [f"City {i:04d}" for i in range(n)], "value": values}
    )


@pytest.mark.parametrize("n", [1, 16, MAX_SHOWN])
def test_up_to_the_limit_every_city_and_no_note(n: int) -> None:
    frame = cities(n, holes=1)
    shown = select_ranked(frame, own="C0000")
    assert not shown.trimmed and shown.total == n
    assert shown.rows is frame, "nothing selected, nothing copied"
    assert note(shown, "it") is None


def test_many_cities_top_bottom_and_own() -> None:
    frame = cities(1600, holes=100)  # 1,500 with a value
    shown = select_ranked(frame, own="C0700")
    valued = frame[frame["value"].notna()].sort_values("value", ascending=False)
    expected = set(valued["city_code"].head(EDGE)) | set(valued["city_code"].tail(EDGE)) | {"C0700"}
    assert set(shown.rows["city_code"]) == expected
    assert (shown.trimmed, shown.total, shown.top, shown.bottom, shown.own) == (
        True,
        1600,
        EDGE,
        EDGE,
        "C0700",
    )
    # One fact, one figure: the rows shown are the full frame's rows, values unchanged.
    pd.testing.assert_frame_equal(shown.rows, frame.loc[shown.rows.index])


@pytest.mark.parametrize(
    "own, extra",
    [
        (None, None),
        ("C0001", None),  # already among the lowest
        ("C1599", "C1599"),  # without a value: shown anyway, it is the reader's city
        ("XXXXXX", None),  # not a city of the frame
    ],
)
def test_own_city_added_once(own: str | None, extra: str | None) -> None:
    shown = select_ranked(cities(1600, holes=100), own=own)
    assert shown.own == extra
    assert len(shown.rows) == 2 * EDGE + (extra is not None)
    assert shown.rows["city_code"].is_unique


def test_ties_are_ranked_by_name() -> None:
    frame = cities(60).assign(value=1.0)
    shown = select_ranked(frame)
    top = ranking.rank_order(shown.rows)["name"].head(EDGE)
    assert list(top) == [f"City {i:04d}" for i in range(EDGE)]


def test_few_values_are_never_shown_twice() -> None:
    shown = select_ranked(cities(50, holes=30))  # 20 values: fewer than both ends together
    assert shown.trimmed and (shown.top, shown.bottom) == (EDGE, 20 - EDGE)
    assert len(shown.rows) == 20 and shown.rows["value"].notna().all()


@pytest.mark.parametrize(
    "lang, own, expected",
    [
        (
            "it",
            "Bologna",
            "Le 15 città con il valore più alto e le 15 con il più basso, su 1.600 città, e "
            "Bologna. Tutte le città sono nella tabella scaricabile.",
        ),
        (
            "en",
            None,
            "The 15 cities with the highest value and the 15 with the lowest, of 1,600 cities. "
            "Every city is in the table download.",
        ),
    ],
)
def test_note_says_what_is_shown(lang: str, own: str | None, expected: str) -> None:
    shown = select_ranked(cities(1600), own="C0700" if own else None)
    assert note(shown, lang, own) == expected


def measures(n: int) -> wp_view.Measures:
    frame = cities(n)
    return wp_view.Measures(
        cumulative=frame[["city_code", "value"]].assign(indicator_code=TIC, flag=""),
        per_10k=frame[["city_code"]].assign(indicator_code=TIC, benchmark_value=frame["value"]),
        achievement=frame[["city_code"]].assign(indicator_code=TIC, achievement=math.nan),
    )


def test_compare_figure_of_many_cities_shows_the_ends_and_says_so() -> None:
    n = 1600
    names = dict(zip(cities(n)["city_code"], cities(n)["name"], strict=True))
    fig = wp_view.compare_figure(measures(n), names, TIC, "abs", "en", own="C0700")
    bars = fig.data[0]
    assert len(bars.y) == 2 * EDGE + 1 and "City 0700" in bars.y
    assert dict(zip(bars.y, bars.x, strict=True))["City 0700"] == 700 * 1.5
    assert fig.layout.title.text.startswith("The 15 cities with the highest value")
    median = [s.x0 for s in fig.layout.shapes if s.x0 is not None]
    assert median == [pytest.approx(799.5 * 1.5)], "the median of every city, not of those shown"


def test_compare_figure_of_16_cities_unchanged() -> None:
    names = dict(zip(cities(16)["city_code"], cities(16)["name"], strict=True))
    fig = wp_view.compare_figure(measures(16), names, TIC, "abs", "en", own="C0003")
    assert len(fig.data[0].y) == 16 and fig.layout.title.text is None


# --- other lists of every city -------------------------------------------------------------
def test_attention_list_keeps_the_most_urgent_and_counts_the_rest() -> None:
    from dashboard.views import overview

    rows = [{"Code": f"C{i:04d}", "City": f"City {i}", "Reason": "r"} for i in range(120)]
    listed, more = overview.attention_shown(rows, "en")
    assert listed == rows[:MAX_SHOWN]
    assert more == (
        "Here the 40 most urgent of the 120 cities needing attention; every one is in the download."
    )
    assert overview.attention_shown(rows[:MAX_SHOWN], "en") == (rows[:MAX_SHOWN], None)


@pytest.mark.parametrize("n, styled", [(16, True), (MAX_SHOWN + 1, False)])
def test_sources_style_estimates_only_when_few(n: int, styled: bool) -> None:
    from pandas.io.formats.style import Styler

    from dashboard.views import methodology

    quality = ["estimate" if i % 5 == 0 else "istat_census" for i in range(n)]
    cities_frame = pd.DataFrame(
        {
            "name": [f"City {i}" for i in range(n)],
            "region": "Emilia-Romagna",
            "macro_area": "nord_est",
            "population": 1000.0,
            "population_ref": "2023",
            "population_quality": quality,
            "foreign_residents": 100.0,
            "foreign_ref": "2023",
            "foreign_quality": "istat_census",
        }
    )
    sources = methodology.sources(cities_frame, "it")
    assert sources.estimates == tuple(q == "estimate" for q in quality)
    assert list(sources.frame.iloc[0])[5] == "stima (non ufficiale)"
    shown = sources.shown()
    assert isinstance(shown, Styler) is styled
    if isinstance(shown, Styler):
        html = shown.to_html()
        assert html.count(methodology.ESTIMATE_STYLE.split(": ")[1]) > 0
        assert sources.note("it").startswith("Le righe evidenziate")
    else:
        assert sources.note("it").startswith("Con così tante città")
        assert f"({sum(sources.estimates)})" in sources.note("it")
