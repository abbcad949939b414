"""Issue 11, point 6, on the work-package page as the public sees it: a city's monthly series
has gaps where months are missing (not a flat zero), and no city disappears from the bars.
(Since issue 13 the public release has no monthly counts of people per city to suppress.)"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from dashboard.i18n import fmt_period, translate
from data_access import queries
from data_access.config import make_engine
from data_access.viewer import Viewer

from .conftest import MakeApp

QUERY = {"wp": "WP3", "indicator": "WP3_HOUSED", "measure": "abs"}
MONTHLY = {"wp": "WP1", "indicator": "WP1_PROJECTS", "measure": "abs"}


def _numbers(values: object) -> list[float]:
    """A plotly array from a figure spec: a list, or a typed array ``{dtype, bdata}``."""
    if isinstance(values, dict):
        raw = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        return [float(v) for v in raw]
    return [float(v) for v in values]  # type: ignore[attr-defined]


def _figure(at, key: str) -> dict:  # type: ignore[no-untyped-def]
    chart = next(c for c in at.get("plotly_chart") if c.key == key)
    return json.loads(chart.proto.spec)


def test_missing_months_are_gaps_not_zeros(make_app: MakeApp) -> None:
    """Latina started late: its first months are holes, shaded, never zeros."""
    at = make_app("work_package", role="public", query=MONTHLY)
    assert not at.exception
    fig = _figure(at, "wp_multiples")
    latina = next(t for t in fig["data"] if t.get("name") == "Latina")
    values = latina["y"]
    holes = None in values if isinstance(values, list) else np.isnan(_numbers(values)).any()
    assert holes  # the months without a report are holes ...
    assert fig["layout"]["shapes"]  # ... shaded ...
    assert latina.get("connectgaps") is False


def test_the_public_gets_no_monthly_counts_of_people_per_city(make_app: MakeApp) -> None:
    """Issue 13: the public release gives counts of people per city to date only (monthly
    ones were mostly suppressed), so the page says so instead of drawing empty series."""
    at = make_app("work_package", role="public", query=QUERY)
    assert not at.exception
    assert not [c for c in at.get("plotly_chart") if c.key == "wp_multiples"]
    assert translate("it", "wp_page.release_note") in [i.value for i in at.info]


def test_every_city_keeps_its_row_in_the_bars(make_app: MakeApp) -> None:
    at = make_app("work_package", role="public", query=QUERY)
    fig = _figure(at, "wp_bars")
    assert len(fig["layout"]["yaxis"]["categoryarray"]) == 16
    rows = [y for t in fig["data"] for y in (t.get("y") or [])]
    assert len(set(rows)) == 16


def test_funnel_plot_note_and_peer_group_on_the_page(make_app: MakeApp) -> None:
    # Issue 11.7: the note names the adjustment and the chosen peer group is drawn.
    at = make_app(
        "benchmark", query={"city": "037006", "group": "macro_area", "indicator": "WP3_HOUSED"}
    )
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Spiegelhalter" in captions and "φ" in captions
    fig = _figure(at, "bench_funnel")
    names = [t.get("name") for t in fig["data"]]
    assert "Gruppo di confronto" in names and "Altre città" in names
    lines = [_numbers(t["y"]) for t in fig["data"] if t.get("mode") == "lines"]
    assert lines and all(min(y) >= 0 for y in lines)


def test_in_sintesi_talks_about_the_selected_indicator(make_app: MakeApp) -> None:
    # Issue 11.8: the sentences are about the selection; the other indicators are in the table.
    from data_access.catalogue import INDICATOR_BY_CODE
    from data_access.metrics.text import indicator_phrase

    at = make_app("benchmark", query={"city": "037006", "indicator": "WP3_HOUSED"})
    items = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(items) == 2
    phrase = indicator_phrase("WP3_HOUSED", "it")
    assert all(phrase in i for i in items)
    assert all(i.count("residenti stranieri") <= 1 for i in items)  # said once
    others = [
        indicator_phrase(c, "it")
        for c in INDICATOR_BY_CODE
        if c != "WP3_HOUSED" and indicator_phrase(c, "it") not in phrase
    ]
    assert not [o for o in others for i in items if o in i]


def test_pace_still_needed_is_shown_for_off_track_work_packages(make_app: MakeApp) -> None:
    # Issue 11.9: the metric was computed but never shown.
    at = make_app("overview", query={"period": "2023-12"})
    assert not at.exception
    lines = [x for m in at.markdown for x in m.value.splitlines()]
    items = [x for x in lines if "31 marzo 2024 servono" in x]
    assert items, "no pace still needed in the attention list"
    assert all("negli ultimi tre mesi" in i for i in items)


@pytest.mark.parametrize(("role", "notes"), [("public", 2), ("city:037006", 1)])
def test_a_month_without_city_totals_says_so_instead_of_an_empty_funnel(
    make_app: MakeApp, role: str, notes: int
) -> None:
    # The release gives the cities' totals of a count of people for its latest month only: an
    # earlier month drew an empty funnel (axes 0-4) and "no data" under "In sintesi".
    query = {"city": "037006", "indicator": "WP2_TAKEN_IN_CHARGE"}
    at = make_app("benchmark", role=role, query={**query, "period": "2023-12"})
    assert not at.exception
    assert not [c for c in at.get("plotly_chart") if c.key == "bench_funnel"]
    # The cities' totals are at the release's latest month: the month selector's first for the
    # public; a city manager has later months of their own city, not of the others.
    latest = at.selectbox(key="flt_period").options[0]
    if role != "public":
        latest = at.selectbox(key="flt_period").options[2]  # the demo's release: two behind
    said = [i.value for i in at.info if f"le città si confrontano a {latest}" in i.value]
    # the funnel, and "In sintesi" unless the city manager's own figures give sentences
    assert len(said) == notes, [i.value for i in at.info]
    at = make_app("benchmark", role=role, query=query)  # the latest month, the default
    assert not at.exception
    assert _figure(at, "bench_funnel")["data"], "the latest month has its funnel"
    assert not [i.value for i in at.info if latest in i.value]


@pytest.mark.parametrize("role", ["public", "city:037006"])
def test_a_trend_without_peers_says_why(make_app: MakeApp, role: str) -> None:
    # Found in review: a city manager's trend drew the city alone under a legend naming the
    # peers' median and range (the release has no months of the other cities' counts).
    query = {"city": "037006", "indicator": "WP2_TAKEN_IN_CHARGE"}
    at = make_app("benchmark", role=role, query=query)
    assert not at.exception
    assert not [c for c in at.get("plotly_chart") if c.key == "bench_trend"]
    assert translate("it", "bench.trend_no_peers") in [i.value for i in at.info]
    at = make_app("benchmark", role="steering", query=query)
    assert _figure(at, "bench_trend")["data"], "full detail has the peers' months"
    assert translate("it", "bench.trend_no_peers") not in [i.value for i in at.info]


@pytest.mark.parametrize("page", ["overview", "benchmark"])
def test_a_city_manager_compares_the_cities_at_the_releases_month(
    make_app: MakeApp, demo_sqlite_url: str, page: str
) -> None:
    # Found in review: at March, Bologna's manager read the programme's January totals (the
    # release's) as "alla fine di marzo 2024", against March's plan, and Bologna's March value
    # ranked against the other cities' January ones.
    engine = make_engine(demo_sqlite_url)
    try:
        rows, _ = queries.load_release(engine, Viewer())
        own = queries.fetch_city_observations(engine, "037006")
    finally:
        engine.dispose()
    released, latest = str(rows["period"].max()), str(own["period"].max())
    assert released < latest  # Bologna's own months run ahead of the release
    at = make_app(page, role="city:037006")
    assert not at.exception
    note = translate(
        "it",
        "filters.compared_period",
        shown=fmt_period(released, "it"),
        chosen=fmt_period(latest, "it"),
    )
    captions = [c.value for c in at.caption]
    assert note in captions
    assert any(fmt_period(released, "it") in c and note != c for c in captions)  # the intro
    assert not any(f"fine di {fmt_period(latest, 'it')}" in c for c in captions)
    at = make_app(page, role="steering")
    assert note not in [c.value for c in at.caption]
