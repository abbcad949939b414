"""Maps that stand on their own, and the drill-down from Italy to a single hub (issue 14).

Chromium with every non-local request aborted and recorded, against the suite's server in the
default configuration (no tiles, bundled base layer): the national map shows the regions and
the 16 city names; a click on a bubble opens that city's territorial map with its municipal
boundary; a click on a periphery, then on a hub, opens their panels; the back button returns up
the same path, each level being its own URL; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.cli.browser import HOST, MAP_IFRAME, page_url, wait_for_page
from data_access.config import make_engine
from data_access.queries import load_cities, load_hubs, load_peripheries
from data_access.viewer import PUBLIC

pytestmark = pytest.mark.browser

PALERMO = "082053"  # an island city: its bubble is never under another one
TIMEOUT = 60_000

#: Tags each clickable map feature's element with its id (``data-fid``), so a test can click
#: exactly the periphery or hub it means; the click itself is a real DOM click on that element.
_TAG_FEATURES_JS = """() => {
  const out = [];
  map.eachLayer(l => {
    const id = l.feature && l.feature.id;
    const el = l.getElement ? l.getElement() : null;
    if (id && el) { el.setAttribute('data-fid', id); out.push(id); }
  });
  return out;
}"""
#: True once streamlit-folium has bound its click handler to the named features (it does so
#: after drawing them; a click before that would be lost).
_CLICKABLE_JS = """() => {
  if (typeof map === 'undefined') return false;
  let ok = false;
  map.eachLayer(l => {
    if (l.feature && l.feature.id && l._events && (l._events.click || []).length) ok = true;
  });
  return ok;
}"""
_CITY_POINT_JS = """(fid) => {
  let p = null;
  map.eachLayer(l => {
    if (l.feature && l.feature.id === fid && l.getLatLng) p = map.latLngToContainerPoint(l.getLatLng());
  });
  return p && [p.x, p.y];
}"""


@pytest.fixture
def page(app_server: Any, browser: Any) -> Iterator[Any]:
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="it")

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname == HOST:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
    p = context.new_page()
    p.blocked = blocked
    p.base = app_server.base_url
    yield p
    context.close()
    assert blocked == [], f"requests to other hosts: {blocked}"


@pytest.fixture(scope="module")
def demo(demo_sqlite_url: str) -> Iterator[dict[str, Any]]:
    eng = make_engine(demo_sqlite_url)
    cities = load_cities(eng, PUBLIC)
    yield {
        "names": dict(zip(cities["code"], cities["name"], strict=True)),
        "peripheries": load_peripheries(eng, PUBLIC, PALERMO),
        "hubs": load_hubs(eng, PUBLIC, PALERMO),
    }
    eng.dispose()


def _map_frame(p: Any) -> Any:
    """The first map's frame, once its features answer clicks."""
    handle = p.locator(MAP_IFRAME).first.element_handle(timeout=TIMEOUT)
    frame = handle.content_frame()
    frame.wait_for_function(_CLICKABLE_JS, timeout=TIMEOUT)
    return frame


def _query(p: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(p.url).query).items()}


def _wait_url(p: Any, **params: str | None) -> None:
    """Wait until the page's URL has exactly these values for these parameters (None: absent)."""
    checks = " && ".join(
        f"u.searchParams.get({k!r}) === {('null' if v is None else repr(v))}"
        for k, v in params.items()
    )
    p.wait_for_function(
        f"() => {{ const u = new URL(location.href); return {checks}; }}", timeout=TIMEOUT
    )


def test_national_map_shows_regions_and_sixteen_city_names(page: Any, demo: dict) -> None:
    from playwright.sync_api import expect

    page.goto(page_url(page.base, "overview", "it"), wait_until="domcontentloaded")
    wait_for_page(page, TIMEOUT)
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".leaflet-lgBase-pane path")).to_have_count(20)  # the regions
    labels = frame.locator(".lg-city-label")
    expect(labels).to_have_count(16)
    assert sorted(labels.all_inner_texts()) == sorted(demo["names"].values())
    # Below the zoom the names were placed for, a name that would cover another is hidden
    # (its bubble's tooltip names the city): the names shown never overlap.
    shown = [b for b in (labels.nth(i).bounding_box() for i in range(16)) if b]
    assert len(shown) >= 8, shown
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            dx = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert dx <= 2 or dy <= 2, (a, b)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text(
        "Limiti amministrativi ISTAT"
    )
    assert frame.locator("img.leaflet-tile").count() == 0


def test_click_bubble_then_periphery_then_hub_and_back_up(page: Any, demo: dict) -> None:
    from playwright.sync_api import expect

    page.goto(page_url(page.base, "overview", "it"), wait_until="domcontentloaded")
    wait_for_page(page, TIMEOUT)
    overview_url = page.url
    # One level down is one browser history entry (st.switch_page added two: back then showed
    # the overview twice).
    entries = page.evaluate("() => history.length")
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    x, y = _map_frame(page).evaluate(_CITY_POINT_JS, f"city:{PALERMO}")
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)

    # Italia -> Palermo: the territorial map, its URL carrying the city, its boundary drawn.
    page.wait_for_function(
        "() => location.pathname.endsWith('/mappa-territoriale')", timeout=TIMEOUT
    )
    _wait_url(page, city=PALERMO)
    wait_for_page(page, TIMEOUT)
    expect(page.locator("h1")).to_have_text("Mappa territoriale", timeout=TIMEOUT)
    crumbs = page.locator(".st-key-lg_breadcrumbs")
    expect(crumbs).to_contain_text("Italia")
    expect(crumbs).to_contain_text(demo["names"][PALERMO])
    city_map = page.frame_locator(MAP_IFRAME).first
    expect(city_map.locator(".leaflet-lgBase-pane path")).to_have_count(1)  # the boundary
    _map_frame(page).evaluate(_TAG_FEATURES_JS)
    city_url = page.url
    assert page.evaluate("() => history.length") == entries + 1

    # Palermo -> a periphery: its panel, one more URL parameter.
    per = demo["peripheries"].sort_values("id").iloc[0]
    city_map.locator(f'[data-fid="periphery:{per["id"]}"]').dispatch_event("click")
    _wait_url(page, city=PALERMO, periphery=str(per["id"]))
    panel = page.locator(".st-key-lg_place_panel")
    expect(panel.locator("h3")).to_contain_text(per["name"])
    expect(crumbs).to_contain_text(per["name"])
    assert page.evaluate("() => history.length") == entries + 2

    # -> a hub of that periphery: type and opening month.
    hubs = demo["hubs"]
    hub = hubs[hubs["periphery_id"] == per["id"]].sort_values("id").iloc[0]
    _map_frame(page).evaluate(_TAG_FEATURES_JS)
    city_map.locator(f'[data-fid="hub:{hub["id"]}"]').dispatch_event("click")
    _wait_url(page, city=PALERMO, hub=str(hub["id"]), periphery=None)
    expect(panel.locator("h3")).to_contain_text(hub["name"])
    expect(crumbs).to_contain_text(hub["name"])
    assert _query(page)["city"] == PALERMO
    assert page.evaluate("() => history.length") == entries + 3

    # Back: hub -> periphery -> city -> Italy, the same path up.
    page.go_back()
    _wait_url(page, city=PALERMO, periphery=str(per["id"]), hub=None)
    expect(panel.locator("h3")).to_contain_text(per["name"])
    page.go_back()
    _wait_url(page, city=PALERMO, periphery=None, hub=None)
    assert urlsplit(page.url).path == urlsplit(city_url).path
    expect(crumbs).not_to_contain_text(per["name"])
    page.go_back()
    page.wait_for_function(
        "p => location.pathname === p", arg=urlsplit(overview_url).path, timeout=TIMEOUT
    )
    expect(page.locator("h1")).to_have_text("Panoramica del programma", timeout=TIMEOUT)
    # Back at the overview as it was opened, not at a second copy of it carrying the city.
    wait_for_page(page, TIMEOUT)
    assert page.url == overview_url


def test_each_level_is_a_shareable_link(page: Any, demo: dict) -> None:
    from playwright.sync_api import expect

    hub = demo["hubs"].sort_values("id").iloc[0]
    url = page_url(
        page.base, "territorial_map", "it", extra={"city": PALERMO, "hub": str(hub["id"])}
    )
    page.goto(url, wait_until="domcontentloaded")
    wait_for_page(page, TIMEOUT)
    expect(page.locator(".st-key-lg_place_panel h3")).to_contain_text(hub["name"])
    assert _query(page)["hub"] == str(hub["id"])


#: Where the legend, the map and the controls are inside a map's frame (CSS pixels).
_PHONE_LAYOUT_JS = """() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const legend = document.querySelector('.lg-legend');
  const map = document.querySelector('.leaflet-container');
  return {
    legend: box(legend), map: box(map), view: window.innerHeight,
    inside: map.contains(legend), open: legend.querySelector('details').open,
    scale: box(document.querySelector('.leaflet-control-scale')),
    attribution: box(document.querySelector('.leaflet-control-attribution')),
  };
}"""


@pytest.mark.parametrize(
    "page_name, params",
    [("overview", {}), ("public_summary", {}), ("territorial_map", {"city": PALERMO})],
)
def test_on_a_phone_the_legend_folds_below_the_map(
    app_server: Any, browser: Any, page_name: str, params: dict[str, str]
) -> None:
    # Issue 14.4 and 11.12: on a 390 px phone the legend covered bubbles and figures; it now
    # sits folded under the map, and unfolded it makes the frame taller, not the map smaller.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="it")
    try:
        p = context.new_page()
        p.goto(page_url(app_server.base_url, page_name, "it", extra=params))
        wait_for_page(p, TIMEOUT)
        frame = _map_frame(p)
        frame.wait_for_function("() => document.querySelector('.lg-legend-below')")
        seen = frame.evaluate(_PHONE_LAYOUT_JS)
        assert not seen["inside"] and seen["open"] is False
        assert seen["legend"][1] >= seen["map"][3] - 0.5, seen  # under the map, not on it
        assert seen["legend"][3] <= seen["view"] + 0.5, seen  # and within the frame
        assert seen["map"][3] - seen["map"][1] >= 300, seen
        # The scale bar is not under the attribution.
        scale, attribution = seen["scale"], seen["attribution"]
        assert scale[2] <= attribution[0] or attribution[3] <= scale[1], seen

        frame.locator(".lg-legend summary").click()
        frame.wait_for_function(
            "h => window.innerHeight >= document.querySelector('.lg-legend').getBoundingClientRect().bottom"
            " && window.innerHeight > h",
            arg=seen["view"],
            timeout=TIMEOUT,
        )
        opened = frame.evaluate(_PHONE_LAYOUT_JS)
        assert opened["open"] is True and opened["map"] == seen["map"], opened
        assert opened["legend"][1] >= opened["map"][3] - 0.5, opened
    finally:
        context.close()
