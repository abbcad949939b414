"""Pages with more cities than a chart can rank readably (``lgnet2 demo --scale 3``: 48 cities,
over ``ranking.MAX_SHOWN``): the work-package charts and table on screen show the top and bottom
of the comparison and say so, the download keeps every city; the methodology page lists every
city without styling each row and says how estimates are marked. With the 16 cities of the demo
nothing of this shows (``test_few_cities_unchanged``)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import deferred
from dashboard.i18n import translate
from dashboard.views.ranking import EDGE
from data_access.config import make_engine

from .conftest import APP, page_path, texts


@pytest.fixture(scope="module")
def scaled_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from data_access.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('scaled') / 'demo3.sqlite'}"
    eng = make_engine(url, must_exist=False)
    build_demo(eng, synthetic_copies=2)
    eng.dispose()
    return url


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def run(url: str, page: str, role: str = "steering", lang: str = "en") -> AppTest:
        monkeypatch.setenv("LGNET2_DATABASE_URL", url)
        monkeypatch.setenv("LGNET2_TILES_URL", "none")
        monkeypatch.setenv("LGNET2_LOCAL_ROLE", role)
        at = AppTest.from_file(APP, default_timeout=300)
        at.session_state[deferred.READY] = True
        at.query_params["lang"] = lang
        at.run()
        at.switch_page(page_path(page))
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    yield run


def _figures(at: AppTest) -> dict[str, dict[str, object]]:
    return {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def test_work_package_shows_the_ends_of_the_ranking(open_page, scaled_url: str) -> None:  # type: ignore[no-untyped-def]
    at = open_page(scaled_url, "work_package")
    figures = list(_figures(at).values())
    bars = next(f for f in figures if f["data"][0].get("orientation") == "h")
    shown = set(bars["data"][0]["y"])
    assert len(shown) == 2 * EDGE, "the 15 highest and the 15 lowest of 48 cities"
    assert bars["layout"]["title"]["text"].startswith("The 15 cities with the highest value")
    # The monthly series show the same cities (one panel title per city).
    multiples = next(f for f in figures if "xaxis2" in f["layout"])
    panels = {a["text"] for a in multiples["layout"]["annotations"]}
    assert panels == shown
    assert multiples["layout"]["title"]["text"].startswith("The series of the 30 cities")
    # The table on screen: its two label columns and the same 30 cities; the caption says so.
    table = at.dataframe[0].value
    assert set(table.columns[2:]) == shown
    assert translate("en", "ranking.table_note", shown=30, n="48") in texts(at)


def test_city_manager_sees_its_own_city_in_the_ranking(open_page, scaled_url: str) -> None:  # type: ignore[no-untyped-def]
    at = open_page(scaled_url, "work_package", role="city:037006")
    bars = next(f for f in _figures(at).values() if f["data"][0].get("orientation") == "h")
    assert "Bologna" in bars["data"][0]["y"]
    assert len(bars["data"][0]["y"]) in (2 * EDGE, 2 * EDGE + 1)  # + Bologna unless an end


def test_methodology_lists_every_city_and_says_how_estimates_show(
    open_page, scaled_url: str
) -> None:  # type: ignore[no-untyped-def]
    at = open_page(scaled_url, "methodology", lang="it")
    sources = next(df.value for df in at.dataframe if "Città" in getattr(df.value, "columns", []))
    assert len(sources) == 48
    assert "non sono evidenziate" in texts(at)


def test_few_cities_unchanged(open_page, demo_sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    at = open_page(demo_sqlite_url, "work_package")
    bars = next(f for f in _figures(at).values() if f["data"][0].get("orientation") == "h")
    assert "title" not in bars["layout"] or not bars["layout"]["title"].get("text")
    assert len(at.dataframe[0].value.columns) == 2 + 16
    assert "of the comparison above" not in texts(at)
    at = open_page(demo_sqlite_url, "methodology", lang="it")
    assert translate("it", "method.estimate_note") in texts(at)
