"""A city map renders in Chromium with the network limited to 127.0.0.1.

The app (tests/geo/apps/city_map_app.py) runs under ``streamlit run`` with static serving on and
its ``static/`` prepared by ``geo.assets.prepare_static_assets``; its tile URL points at a 404 on
127.0.0.1 (no tile server). Every request to another host is aborted and recorded: the map must
draw its polygons and markers anyway and must not even try to reach another host.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from geo_factories import make_hubs, make_peripheries

from dashboard.cli.browser import AppServer, free_port
from geo.assets import prepare_static_assets

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PORTS = range(8610, 8620)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    app_dir = tmp_path_factory.mktemp("map_app")
    shutil.copy(HERE / "apps" / "city_map_app.py", app_dir / "app.py")
    prepare_static_assets(app_dir / "static")
    port = free_port(PORTS)
    env = {
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "LGNET2_TEST_TILES": f"http://127.0.0.1:{port}/app/static/no-tiles/{{z}}/{{x}}/{{y}}.png",
    }
    SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
    with AppServer(
        port,
        env=env,
        app=app_dir / "app.py",
        cwd=app_dir,
        args=["--server.enableStaticServing", "true"],
        log_path=SCREENSHOTS.parent / "geo-map-streamlit.log",
    ):
        yield f"http://127.0.0.1:{port}/"


def hover_shows(target, tooltip, text: str) -> None:  # type: ignore[no-untyped-def]
    """Hover ``target`` until ``tooltip`` says ``text``: a hover that lands while the component
    is still binding its handlers shows nothing, and a person would move the mouse again."""
    from playwright.sync_api import expect

    for _ in range(8):
        target.hover(force=True)
        try:
            expect(tooltip).to_contain_text(text, timeout=2_000)
            return
        except AssertionError:
            target.page.mouse.move(0, 0)
    expect(tooltip).to_contain_text(text)


def test_maps_render_offline_and_never_leave_localhost(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    foreign: list[str] = []
    failed_local: list[str] = []

    def route(r):  # type: ignore[no-untyped-def]
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1500})
            page.route("**/*", route)
            page.on(
                "requestfailed",
                lambda req: failed_local.append(req.url) if "/no-tiles/" not in req.url else None,
            )
            page.goto(app_url)
            page.wait_for_selector("[data-test-script-state='notRunning']", timeout=60_000)
            expect(page.locator(IFRAME)).to_have_count(2, timeout=30_000)
            frame = page.frame_locator(IFRAME).first
            polygons = frame.locator("path.leaflet-interactive")
            markers = frame.locator(".leaflet-marker-icon")
            # 4 peripheries + the municipal outline (non-interactive, so not counted) -> 4 paths.
            expect(polygons).to_have_count(4, timeout=30_000)
            expect(markers.first).to_be_visible(timeout=30_000)
            expect(markers).to_have_count(len(make_hubs(make_peripheries())))
            expect(frame.locator(".lg-legend")).to_be_visible()
            # Tooltips are bound in the component too (both polygons and hubs name the periphery).
            hover_shows(polygons.last, frame.locator(".leaflet-tooltip"), "Periferia")
            expect(frame.locator(".leaflet-control-layers")).to_have_count(1)
            # Below the icon zoom, hubs are dots (the choropleth stays visible); zoomed in,
            # their Font Awesome glyphs show, loaded from the app.
            container = frame.locator(".leaflet-container")
            expect(container).to_have_class(re.compile(r"\blg-hubs-small\b"))
            # Zoom in as a person does, with the map's own "+" button (zoom steps are half levels):
            # a script's `map` global can name an earlier instance of the component's map.
            zoom_in = frame.locator(".leaflet-control-zoom-in")
            for _ in range(16):
                if "lg-hubs-small" not in (container.get_attribute("class") or ""):
                    break
                zoom_in.click()
                page.wait_for_timeout(300)
            expect(container).not_to_have_class(re.compile(r"\blg-hubs-small\b"), timeout=15_000)
            frame.locator(".lg-hub i").first.wait_for()
            loaded = frame.locator("body").evaluate(
                "async () => { await document.fonts.ready;"
                " return [...document.fonts].some(f => f.family.includes('Font Awesome') && f.status === 'loaded'); }"
            )
            assert loaded, "Font Awesome webfont not loaded from the app"
            national = page.frame_locator(IFRAME).nth(1)
            expect(national.locator("path.leaflet-interactive")).to_have_count(16, timeout=30_000)
            expect(national.locator(".lg-legend")).to_be_visible()
            hover_shows(
                national.locator("path.leaflet-interactive").first,
                national.locator(".leaflet-tooltip"),
                "Persone raggiunte",
            )
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "geo_maps_offline.png"), full_page=True)
        finally:
            browser.close()

    assert foreign == [], f"requests to other hosts: {foreign}"
    assert failed_local == [], f"local assets that failed to load: {failed_local}"
