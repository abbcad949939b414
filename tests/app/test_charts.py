"""Chart builders as pure functions: traces, counts, axis titles, language."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import charts, theme
from dashboard.charts.benchmark import (
    FUNNEL_HEADROOM,
    funnel_name_positions,
    funnel_plot,
    funnel_y_range,
    log_ticks,
    peer_trend,
)
from dashboard.i18n import translate

NAMES = {"A1": "Ancona", "B2": "Bari", "C3": "Como"}


def make_wp_status() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city_code": ["A1", "A1", "B2", "B2"],
            "wp": ["WP1", "WP2", "WP1", "WP2"],
            "status": ["on_track", "off_track", "at_risk", "no_data"],
            "progress": [1.0, 0.5, 0.8, np.nan],
        }
    )


@pytest.mark.parametrize("lang", ["it", "en"])
def test_status_matrix(lang: str) -> None:
    fig = charts.status_matrix(make_wp_status(), NAMES, lang)
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert list(heat.x) == ["WP1", "WP2"]
    assert list(heat.y) == ["Como", "Bari", "Ancona"]  # alphabetical from the top
    # Como has no row at all: no_data everywhere; symbols carry the status too.
    assert [list(r) for r in heat.text] == [["–", "–"], ["!", "–"], ["✓", "✗"]]
    legend = [t.name for t in fig.data[1:]]
    assert legend == [
        f"{theme.STATUS_SYMBOLS[s]} {translate(lang, f'status.{s}')}" for s in theme.STATUSES
    ]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_status_matrix_hover_says_when_a_percentage_is_not_the_status_s_basis(lang: str) -> None:
    rows = make_wp_status().assign(progress_partial=[False, False, True, False])
    rows.loc[2, "progress"] = 0.93  # Bari WP1: "at risk" on the exact figures, 93 % shown
    cells = [c for r in charts.status_matrix(rows, NAMES, lang).data[0].customdata for c in r]
    note = translate(lang, "status.partial_note")
    assert [note in c for c in cells].count(True) == 1, cells
    bari = next(c for c in cells if c.startswith("Bari · WP1"))
    assert note in bari and "93" in bari


def test_trajectory_has_plan_actual_projection_target() -> None:
    plan = pd.DataFrame({"period": ["2022-10", "2022-11", "2024-03"], "planned": [1, 2, 18.0]})
    actual = pd.DataFrame({"period": ["2022-10", "2022-11"], "value": [1.0, 3.0]})
    fig = charts.trajectory(
        actual, plan, "it", projection={"projected_value": 20.0}, end_value=18.0, y_title="Persone"
    )
    assert [t.name for t in fig.data] == [
        "Previsto",
        "Realizzato",
        "Proiezione al ritmo attuale",
        "Obiettivo",
    ]
    assert list(fig.data[2].y) == [3.0, 20.0]
    assert fig.data[2].x[-1] == "mar 2024"
    assert fig.layout.yaxis.title.text == "Persone"
    assert fig.layout.separators == ",."


def test_trajectory_without_targets_or_projection() -> None:
    actual = pd.DataFrame({"period": ["2022-10"], "value": [1.0]})
    fig = charts.trajectory(actual, pd.DataFrame(columns=["period", "planned"]), "en")
    assert [t.name for t in fig.data] == ["Achieved"]
    assert fig.layout.separators == ".,"


def test_completeness_heatmap_counts_and_legend() -> None:
    rep = pd.DataFrame(
        {
            "city_code": ["A1", "A1", "B2", "B2"],
            "period": ["2023-01", "2023-02", "2023-01", "2023-02"],
            "status": ["on_time", "late", "missing", "pending"],
        }
    )
    fig = charts.completeness_heatmap(rep, {"A1": "Ancona", "B2": "Bari"}, "en")
    heat = fig.data[0]
    assert list(heat.x) == ["Jan 2023", "Feb 2023"]
    order = list(theme.COMPLETENESS)
    assert [list(r) for r in heat.z] == [
        [order.index("missing"), order.index("pending")],
        [order.index("on_time"), order.index("late")],
    ]
    assert [t.name for t in fig.data[1:]] == ["On time", "Late", "Missing", "Not yet due"]


def test_sorted_bars_sorted_highlighted_and_reference() -> None:
    frame = pd.DataFrame(
        {
            "city_code": ["A1", "B2", "C3"],
            "name": ["Ancona", "Bari", "Como"],
            "value": [5.0, np.nan, 9.0],
        }
    )
    fig = charts.sorted_bars(
        frame,
        "it",
        x_title="Valore",
        highlight="A1",
        reference=7.0,
        reference_label="Mediana",
        text=["5", "–", "9"],
    )
    bar = fig.data[0]
    assert list(bar.y) == ["Ancona", "Como"]  # highest on top = last; no bar for NaN
    # ... but Bari keeps its row, with a mark named in the legend (issue 11.6)
    hole = fig.data[1]
    assert list(hole.y) == ["Bari"] and hole.name == translate("it", "chart.gap_missing")
    assert list(fig.layout.yaxis.categoryarray) == ["Bari", "Ancona", "Como"]
    assert list(bar.marker.color) == [theme.HIGHLIGHT, theme.PRIMARY]
    # Labels sit right of the plot, where the median line cannot cross them (issue 11.12).
    labels = [a for a in fig.layout.annotations if a.xref == "paper" and a.x == 1.0]
    assert [(a.y, a.text) for a in labels] == [("Ancona", "5"), ("Como", "9")]
    assert bar.text is None
    assert fig.layout.xaxis.title.text == "Valore"
    assert fig.layout.shapes[0].x0 == 7.0
    assert fig.layout.shapes[0].layer == "below"  # labels next to the line stay readable
    assert fig.layout.xaxis.tickformat == ",~f"  # 10.000, not "10k"
    shares = charts.sorted_bars(frame, "it", x_title="%", percent=True)
    assert shares.layout.xaxis.tickformat == ".0%"


def test_wp_progress_and_spending_bars() -> None:
    head = pd.DataFrame(
        {"wp": ["WP1", "WP2"], "achievement": [0.5, 0.25], "planned_share": [0.6, 0.6]}
    )
    fig = charts.wp_progress_bars(head, "it", {"WP1": "WP1", "WP2": "WP2"})
    assert [t.name for t in fig.data] == ["% dell'obiettivo finale", "Previsto a questa data"]
    assert list(fig.data[0].text) == ["50%", "25%"]
    spend = pd.DataFrame(
        {"wp": ["WP1", "TOTAL"], "budget": [10.0, 10.0], "spent": [4.0, 4.0], "share": [0.4, 0.4]}
    )
    fig = charts.spending_bars(spend, "en", {"WP1": "WP1"})
    assert [t.name for t in fig.data] == ["Budget", "Spent"]
    assert list(fig.data[0].x) == ["WP1"]  # no TOTAL bar


def test_small_multiples_one_panel_per_city() -> None:
    monthly = pd.DataFrame(
        {
            "city_code": ["A1", "A1", "B2"],
            "period": ["2023-01", "2023-02", "2023-01"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    fig = charts.small_multiples(monthly, NAMES, "it", columns=2, highlight="B2")
    assert len(fig.data) == 3
    assert [a.text for a in fig.layout.annotations] == ["Ancona", "Bari", "Como"]
    assert fig.data[1].line.color == theme.HIGHLIGHT
    assert len(fig.data[2].x) == 0  # Como reported nothing: an empty panel, not a missing one


@pytest.mark.parametrize("lang", ["it", "en"])
def test_small_multiples_show_gaps_never_a_line_or_a_zero(lang: str) -> None:
    # Issue 11.6: a suppressed or missing month is a shaded gap named in the legend.
    monthly = pd.DataFrame(
        {
            "city_code": ["A1"] * 4,
            "period": ["2023-01", "2023-02", "2023-03", "2023-04"],
            "value": [4.0, np.nan, np.nan, 6.0],
            "gap": ["", "suppressed", "missing", ""],
        }
    )
    fig = charts.small_multiples(monthly, {"A1": "Ancona"}, lang)
    line = fig.data[0]
    assert line.connectgaps is False
    assert [v if v == v else None for v in line.y] == [4.0, None, None, 6.0]
    assert 0 not in list(line.y)
    assert len(fig.layout.shapes) == 2
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == [translate(lang, "chart.gap_suppressed"), translate(lang, "chart.gap_missing")]
    assert list(fig.layout.xaxis.tickvals)  # months are labelled


def test_funnel_plot_traces() -> None:
    limits = pd.DataFrame(
        {
            "denominator": [100.0, 1000.0],
            "lower_95": [1, 2],
            "upper_95": [9, 8],
            "lower_998": [0, 1],
            "upper_998": [12, 10],
        }
    )
    points = pd.DataFrame(
        {
            "city_code": ["A1", "B2"],
            "denominator": [150.0, 900.0],
            "rate": [4.0, 6.0],
            "position": ["inside", "inside"],
        }
    )
    fig = funnel_plot(points, limits, 5.0, NAMES, "en", highlight="B2")
    assert len(fig.data) == 6
    assert [t.showlegend for t in fig.data[:4]] == [True, False, True, False]
    assert fig.data[0].name == "99.8% control limits" and fig.data[2].name == "95% control limits"
    assert list(fig.data[4].y) == [5.0, 5.0]
    assert list(fig.data[5].text) == ["", "Bari"]
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.xaxis.title.text == "Foreign residents"


def test_funnel_plot_draws_the_peer_group_and_names_the_cities_outside() -> None:
    # Issue 11.7: the chosen peer group is drawn; cities outside the limits are labelled.
    limits = pd.DataFrame(
        {
            "denominator": [100.0, 1000.0],
            "lower_95": [1, 2],
            "upper_95": [9, 8],
            "lower_998": [0, 1],
            "upper_998": [12, 10],
        }
    )
    points = pd.DataFrame(
        {
            "city_code": ["A1", "B2", "C3"],
            "denominator": [150.0, 900.0, 500.0],
            "rate": [4.0, 6.0, 20.0],
            "position": ["inside", "inside", "above_998"],
        }
    )
    fig = funnel_plot(points, limits, 5.0, NAMES, "it", highlight="A1", peers=["A1", "B2"])
    group, others = fig.data[5], fig.data[6]
    assert group.name == "Gruppo di confronto" and list(group.text) == ["Ancona", ""]
    assert others.name == "Altre città" and list(others.text) == ["Como"]
    assert others.marker.symbol == "circle-open"


def test_funnel_plot_keeps_the_highest_city_and_its_name_in_view() -> None:
    # Seen on the city comparison: the three cities furthest above the limits sat at the top
    # edge, their names cut off by the axis (Plotly's range ignores text).
    limits = pd.DataFrame(
        {
            "denominator": [1_000.0, 300_000.0],
            "lower_95": [20, 35],
            "upper_95": [175, 158],
            "lower_998": [0, 1],
            "upper_998": [220, 194],
        }
    )
    points = pd.DataFrame(
        {
            "city_code": ["A1", "B2", "C3"],
            "denominator": [2_200.0, 3_600.0, 55_000.0],
            "rate": [274.0, 268.0, 138.7],
            "position": ["above_998", "above_998", "inside"],
        }
    )
    fig = funnel_plot(points, limits, 97.0, NAMES, "en")
    low, high = fig.layout.yaxis.range
    assert low == 0
    assert high >= 274.0 / (1 - FUNNEL_HEADROOM) - 1e-9  # room above the top city for its name
    named = [t for t in fig.data if t.mode == "markers+text"]
    assert named and all(t.cliponaxis is False for t in named)
    assert list(named[0].text)[:2] == ["Ancona", "Bari"]


def test_funnel_names_of_close_cities_do_not_cover_each_other() -> None:
    # Seen at WP2: Caserta (3,600 foreign residents, 268) and Taranto (3,800, 275) both had
    # their names above the dot, one over the other. A lone city keeps its name on top.
    limits = pd.DataFrame({"denominator": [1_800.0, 350_000.0], "upper_95": [175.0, 158.0]})
    points = pd.DataFrame(
        {
            "city_code": ["A1", "B2", "C3", "D4"],
            "denominator": [2_200.0, 3_600.0, 3_800.0, 55_000.0],
            "rate": [270.0, 268.0, 275.0, 138.7],
            "position": ["above_998", "above_998", "above_998", "inside"],
        }
    )
    names = {"A1": "Potenza", "B2": "Caserta", "C3": "Taranto", "D4": "Bologna"}
    where = funnel_name_positions(points, names, limits["denominator"], [0.0, 330.0], "D4")
    assert set(where) == set(names)
    assert where["D4"] == "top center"
    assert {where["B2"], where["C3"]} != {"top center"}, where  # not both above
    fig = funnel_plot(
        points,
        limits.assign(lower_95=0, lower_998=0, upper_998=200),
        97.0,
        names,
        "en",
        highlight="D4",
    )
    shown = {
        code: pos
        for t in fig.data
        if t.mode == "markers+text"
        for code, text, pos in zip(t.customdata, t.text, t.textposition, strict=True)
        if text
    }
    assert shown["Caserta"] != shown["Taranto"] or shown["Caserta"] != "top center"


@pytest.mark.parametrize(
    "rates, uppers, expected",
    [
        ([4.0, 6.0], [9.0, 8.0], [0.0, 9.0 / (1 - FUNNEL_HEADROOM)]),  # the 95% limit is highest
        ([float("nan")], [float("nan")], None),  # nothing to show: Plotly's autorange
        ([0.0], [0.0], None),
    ],
)
def test_funnel_y_range(
    rates: list[float], uppers: list[float], expected: list[float] | None
) -> None:
    points = pd.DataFrame({"rate": rates})
    limits = pd.DataFrame({"upper_95": uppers})
    assert funnel_y_range(points, limits) == expected


def test_peer_trend_traces() -> None:
    trend = pd.DataFrame(
        {
            "period": ["2023-01", "2023-02"],
            "city": [1.0, 2.0],
            "peer_median": [1.5, 1.5],
            "peer_min": [1.0, 1.0],
            "peer_max": [2.0, 3.0],
        }
    )
    fig = peer_trend(trend, "Bari", "it")
    assert [t.name for t in fig.data][1:] == [
        "Intervallo dei pari (min–max)",
        "Mediana dei pari",
        "Bari",
    ]
    assert fig.data[1].fill == "tonexty"
    assert list(fig.data[3].x) == ["gen 2023", "feb 2023"]


@pytest.mark.parametrize(
    "lo, hi, expected",
    [
        (2_100.0, 290_000.0, [1_000, 3_000, 10_000, 30_000, 100_000, 300_000]),
        (100.0, 1_000.0, [100, 300, 1_000]),
        (3_500.0, 9_000.0, [3_000, 10_000]),
        (0.0, 10.0, []),
    ],
)
def test_log_ticks_are_one_and_three_times_powers_of_ten(
    lo: float, hi: float, expected: list[float]
) -> None:
    assert log_ticks(lo, hi) == expected


def test_funnel_plot_x_ticks_cover_the_cities_in_the_language_format() -> None:
    limits = pd.DataFrame(
        {
            "denominator": [2_000.0, 250_000.0],
            "lower_95": [1, 2],
            "upper_95": [9, 8],
            "lower_998": [0, 1],
            "upper_998": [12, 10],
        }
    )
    points = pd.DataFrame(
        {
            "city_code": ["A1", "B2"],
            "denominator": [2_000.0, 250_000.0],
            "rate": [4.0, 6.0],
            "position": ["inside", "inside"],
        }
    )
    fig = funnel_plot(points, limits, 5.0, NAMES, "it")
    assert list(fig.layout.xaxis.tickvals) == [1_000, 3_000, 10_000, 30_000, 100_000, 300_000]
    assert list(fig.layout.xaxis.ticktext) == [
        "1.000",
        "3.000",
        "10.000",
        "30.000",
        "100.000",
        "300.000",
    ]
