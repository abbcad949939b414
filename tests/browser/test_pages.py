"""Every page in Debian's Chromium, with the network limited to 127.0.0.1 (issue 3).

Each page is opened once per language (see ``conftest.visit``); the tests below read what that
visit saw. Screenshots of every page in both languages are written to ``artifacts/screenshots/``.
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.cli.browser import PAGE_PATHS

pytestmark = pytest.mark.browser

PAGES = tuple(PAGE_PATHS)
LANGS = ("it", "en")
BOLOGNA = "037006"
#: Pages that draw a national map of the 16 cities (one bubble each).
NATIONAL_MAP_PAGES = ("overview", "public_summary")


def _params(page: str) -> dict[str, str]:
    return {"city": BOLOGNA} if page == "territorial_map" else {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_error(visit: Any, page: str, lang: str) -> None:
    v = visit(page, lang, **_params(page))
    assert v.errors == [], f"{v.url} shows errors: {v.errors}"
    assert v.h1.strip(), f"{v.url} has no title"
    assert v.screenshot is not None and v.screenshot.stat().st_size > 10_000


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_no_request_leaves_localhost(visit: Any, page: str, lang: str) -> None:
    v = visit(page, lang, **_params(page))
    assert v.blocked == []


@pytest.mark.parametrize("page", PAGES)
def test_language_switch_changes_the_title(visit: Any, page: str) -> None:
    it, en = visit(page, "it", **_params(page)), visit(page, "en", **_params(page))
    assert it.h1 and en.h1 and it.h1 != en.h1


@pytest.mark.parametrize("page", PAGES)
def test_the_self_hosted_font_is_used(visit: Any, page: str) -> None:
    v = visit(page, "it", **_params(page))
    assert v.fonts.get("Titillium Web 400 normal") == "loaded", v.fonts
    assert "error" not in v.fonts.values(), v.fonts
    assert not [e for e in v.console_errors if "OTS" in e or "font" in e.lower()]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", (*NATIONAL_MAP_PAGES, "territorial_map"))
def test_no_map_feature_starts_under_the_legend(visit: Any, page: str, lang: str) -> None:
    v = visit(page, lang, **_params(page))
    assert v.maps and [m["under_legend"] for m in v.maps] == [0] * len(v.maps)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_map_draws_its_layers_without_tiles(visit: Any, page: str, lang: str) -> None:
    v = visit(page, lang, **_params(page))
    for m in v.maps:
        assert m["containers"] == 1
        assert m["paths"] > 0
        assert m["tiles"] == 0  # the default: the bundled base layer, no tiles


@pytest.mark.parametrize("page", NATIONAL_MAP_PAGES)
def test_national_map_has_one_bubble_per_city(
    visit: Any, page: str, demo_engine_sqlite: Any
) -> None:
    from data_access.queries import load_cities
    from data_access.viewer import PUBLIC

    n_cities = len(load_cities(demo_engine_sqlite, PUBLIC))
    v = visit(page, "it", **_params(page))
    assert [m["paths"] for m in v.maps] == [n_cities]


def test_territorial_map_shows_peripheries_and_hubs(visit: Any, demo_engine_sqlite: Any) -> None:
    from data_access.queries import load_hubs, load_peripheries
    from data_access.viewer import PUBLIC

    n_peripheries = len(load_peripheries(demo_engine_sqlite, PUBLIC, BOLOGNA))
    n_hubs = len(load_hubs(demo_engine_sqlite, PUBLIC, BOLOGNA))
    v = visit("territorial_map", "it", city=BOLOGNA)
    assert len(v.maps) == 1
    # One path per periphery polygon (the municipal outline, when loaded, adds one more).
    assert v.maps[0]["paths"] >= n_peripheries > 0
    # Every hub and one-stop shop is a marker; protected sites never are.
    assert v.maps[0]["markers"] == n_hubs > 0


@pytest.mark.parametrize("lang", LANGS)
def test_public_summary_carries_attribution_and_demo_mark(visit: Any, lang: str) -> None:
    v = visit("public_summary", lang)
    assert "PROG-OE3846" in v.text
    mark = "DATI DIMOSTRATIVI" if lang == "it" else "DEMO DATA"
    assert mark in v.text.upper()


#: Map pages with Plotly charts, and how many charts each draws.
CHART_COUNTS = {"overview": 5, "public_summary": 1}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(CHART_COUNTS))
def test_a_new_tab_draws_the_map_first_then_every_chart(visit: Any, page: str, lang: str) -> None:
    """dashboard.deferred: the charts of a map page wait for its map, and then all arrive."""
    v = visit(page, lang, **_params(page))
    assert v.charts == CHART_COUNTS[page]
    assert "map" in v.first_seen and "chart" in v.first_seen
    assert v.first_seen["map"] < v.first_seen["chart"]
    assert "Grafico in caricamento" not in v.text and "Chart loading" not in v.text
