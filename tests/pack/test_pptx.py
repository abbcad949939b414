"""The PPTX opened with python-pptx: native charts carrying the pages' series, and the
numbers of the export of the same role and month."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.chart.chart import Chart

from dashboard import charts, theme
from dashboard.i18n import fmt_period, translate
from data_access import queries
from data_access.catalogue import programme_periods
from data_access.config import make_engine
from data_access.export import build_dataset
from data_access.metrics import kpi
from data_access.metrics import viewer as metrics_viewer
from data_access.viewer import Viewer

from .conftest import PERIODS, Pack

STEERING = Viewer("steering")
PERIOD = PERIODS["steering"]


def slide_charts(pack: Pack) -> list[list[Chart]]:
    prs = Presentation(io.BytesIO(pack.payload))
    return [[sh.chart for sh in slide.shapes if sh.has_chart] for slide in prs.slides]


def series(chart: Chart) -> dict[str, list[float | None]]:
    return {s.name: list(s.values) for s in chart.plots[0].series}


@pytest.fixture(scope="module")
def export(demo_sqlite_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(demo_sqlite_url)
    try:
        obs = build_dataset(engine, "observations", STEERING)
        targets = build_dataset(engine, "targets", STEERING)
        loaded = queries.load_observations(engine, STEERING)
        loaded_targets = queries.load_targets(engine, STEERING)
        headline = kpi.headline_figures(loaded, loaded_targets, PERIOD)
        wp_status = kpi.city_wp_status(loaded, loaded_targets, PERIOD)
    finally:
        engine.dispose()
    return obs[obs["period"] <= PERIOD], targets, headline, wp_status


def test_slides_title_summary_matrix_and_one_per_wp(packs: dict[str, Pack]) -> None:
    prs = Presentation(io.BytesIO(packs["steering-pptx"].payload))
    assert len(prs.slides) == 6
    text = [
        " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides
    ]
    assert "PROG-OE3846" in text[0] and "DATI DIMOSTRATIVI" in text[0]
    assert fmt_period(PERIOD, "it") in text[0]
    assert [bool(c) for c in slide_charts(packs["steering-pptx"])] == [
        False, True, False, True, True, True,
    ]  # fmt: skip


def test_summary_chart_is_the_overviews_figure(packs: dict[str, Pack], export) -> None:  # type: ignore[no-untyped-def]
    """Same series names and values as ``charts.wp_progress_bars`` on the overview's headline
    figures, and the achievement equals export value / export target."""
    obs, targets, headline, _ = export
    fig = charts.wp_progress_bars(headline, "it", {w: w for w in kpi.HEADLINE_INDICATORS})
    chart = slide_charts(packs["steering-pptx"])[1][0]
    assert list(chart.plots[0].categories) == list(kpi.HEADLINE_INDICATORS)
    assert series(chart) == {tr.name: pytest.approx(list(tr.y)) for tr in fig.data}
    achieved = series(chart)[translate("it", "chart.achievement")]
    for wp, value in zip(kpi.HEADLINE_INDICATORS.values(), achieved, strict=True):
        total = obs[obs["indicator"] == wp]["value"].sum()
        assert value == pytest.approx(
            total / targets[targets["indicator"] == wp]["end_value"].sum()
        )


@pytest.mark.parametrize("slide", [3, 4, 5])
def test_wp_charts_carry_the_exports_numbers(packs: dict[str, Pack], export, slide: int) -> None:  # type: ignore[no-untyped-def]
    obs, targets, _, _ = export
    code = list(kpi.HEADLINE_INDICATORS.values())[slide - 3]
    line, bars = slide_charts(packs["steering-pptx"])[slide]
    # National trajectory: the running sum of the export, month by month.
    monthly = obs[obs["indicator"] == code].groupby("period")["value"].sum().cumsum()
    months = [p for p in programme_periods() if p <= PERIOD]
    actual = series(line)[translate("it", "chart.actual")][: len(months)]
    assert actual == pytest.approx([monthly[p] for p in months])
    planned = series(line)[translate("it", "chart.plan")]
    assert len(planned) == len(programme_periods())
    # Cities compared: % of target = city total / city target, every city with a target.
    per_city = obs[obs["indicator"] == code].groupby("city")["value"].sum()
    goal = (
        targets[targets["indicator"] == code]
        .merge(build_city_names(obs), on="city_code")
        .set_index("city")["end_value"]
    )
    shown = dict(
        zip(bars.plots[0].categories, series(bars)[translate("it", "measure.pct")], strict=True)
    )
    assert set(shown) == set(goal.index)
    for city, value in shown.items():
        assert value == pytest.approx(per_city[city] / goal[city]), city


def build_city_names(obs):  # type: ignore[no-untyped-def]
    return obs[["city_code", "city"]].drop_duplicates()


def test_status_matrix_table_is_the_overviews_statuses(packs: dict[str, Pack], export) -> None:  # type: ignore[no-untyped-def]
    obs, _, _, wp_status = export
    names = dict(zip(obs["city"], obs["city_code"], strict=False))
    expected = {(r.city_code, r.wp): theme.STATUS_SYMBOLS[r.status] for r in wp_status.itertuples()}
    prs = Presentation(io.BytesIO(packs["steering-pptx"].payload))
    tables = [sh.table for sh in prs.slides[2].shapes if sh.has_table]
    assert len(tables) == 1
    table = tables[0]
    assert len(table.rows) == 17 and len(table.columns) == 4
    wps = [table.cell(0, j).text for j in range(1, 4)]
    assert wps == ["WP1", "WP2", "WP3"]
    for i in range(1, 17):
        code = names[table.cell(i, 0).text]
        for j, wp in enumerate(wps, start=1):
            assert table.cell(i, j).text.split(" ")[0] == expected[(code, wp)], (code, wp)


def test_public_pptx_summary_is_the_public_summary_pages(
    packs: dict[str, Pack], demo_sqlite_url: str
) -> None:
    engine = make_engine(demo_sqlite_url)
    try:
        rows, table = queries.load_release(engine, Viewer())  # what the public's pages read
        headline = kpi.headline_figures(
            queries.filter_observations(table.cells),
            queries.load_targets(engine, Viewer()),
            PERIODS["public"],
            national=metrics_viewer.compute_viewer_national_monthly(rows, table, Viewer()),
        )
    finally:
        engine.dispose()
    chart = slide_charts(packs["public-pptx"])[1][0]
    achieved = series(chart)[translate("it", "chart.achievement")]
    assert achieved == pytest.approx(list(headline["achievement"]))


def test_public_matrix_stars_a_percentage_outside_its_status_band(
    packs: dict[str, Pack], public_partial: int
) -> None:
    prs = Presentation(io.BytesIO(packs["public-pptx"].payload))
    slide = prs.slides[2]
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    starred = [
        table.cell(i, j).text
        for i in range(1, len(table.rows))
        for j in range(1, len(table.columns))
        if table.cell(i, j).text.endswith(" *")
    ]
    assert len(starred) == public_partial >= 1
    texts = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "* " + translate("it", "status.partial_note") in texts
