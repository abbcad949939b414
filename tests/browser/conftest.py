"""One dashboard server and one Chromium for the whole browser suite.

The server is ``streamlit run dashboard/app.py`` on 127.0.0.1 (a free port in 8620-8629) against
the session demo SQLite file, in the default map configuration (``LGNET2_TILES_URL`` and
``LGNET2_BOUNDARIES`` empty, whatever the caller's environment): the bundled base layer and no
tiles, so that nothing may legitimately leave 127.0.0.1. Every browser context aborts requests to any other host and records
them, so a test can assert that the list is empty.

Each page is visited once per language (:func:`visit`, cached for the session); the tests then
assert on what that visit saw. Screenshots land in ``artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from dashboard.cli.browser import (
    HOST,
    MAP_IFRAME,
    AppServer,
    free_port,
    full_page_screenshot,
    launch_browser,
    page_url,
    wait_for_page,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
PORTS = range(8620, 8630)
ERROR_SELECTOR = "[data-testid='stException'], [data-testid='stAlertContentError']"


@dataclass
class Visit:
    """What one page load saw."""

    page: str
    lang: str
    url: str
    errors: list[str]
    h1: str
    maps: list[dict[str, int]]  # per st_folium iframe: paths, markers, leaflet containers
    text: str
    blocked: list[str] = field(default_factory=list)
    screenshot: Path | None = None
    console_errors: list[str] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)  # "Titillium Web 400 normal" -> status
    charts: int = 0  # Plotly charts drawn (with their SVG) when the page was done
    first_seen: dict[str, float] = field(default_factory=dict)  # "map"/"chart" -> ms, first drawn


@pytest.fixture(scope="session")
def app_server(demo_sqlite_url: str) -> Iterator[AppServer]:
    ARTIFACTS.mkdir(exist_ok=True)
    env = {
        "LGNET2_DATABASE_URL": demo_sqlite_url,
        "LGNET2_TILES_URL": "",
        "LGNET2_BOUNDARIES": "",
        "LGNET2_LOCAL_ROLE": "",
        # The order map-then-charts is checked, not the 4 s safety net: on a busy machine a
        # map can take longer than that, and the net would release the charts first.
        "LGNET2_CHARTS_FALLBACK_MS": "120000",
    }
    with AppServer(free_port(PORTS), env=env, log_path=ARTIFACTS / "browser-streamlit.log") as srv:
        yield srv


@pytest.fixture(scope="session")
def browser(playwright_api: Any) -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


def _route_local_only(context: Any, blocked: list[str]) -> None:
    def handle(route: Any) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == HOST:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)


#: How many vector paths and markers start (partly) under the map's legend box.
_UNDER_LEGEND_JS = """() => {
  const legend = document.querySelector('.lg-legend');
  if (!legend) return 0;
  const r = legend.getBoundingClientRect();
  return [...document.querySelectorAll('path.leaflet-interactive, .leaflet-marker-icon')]
    .map(e => e.getBoundingClientRect())
    .filter(b => b.width > 0 && b.right > r.left && b.left < r.right && b.bottom > r.top
                 && b.top < r.bottom).length;
}"""
_FONTS_JS = """async () => {
  await document.fonts.ready;
  await document.fonts.load('16px "Titillium Web"');
  const out = {};
  for (const f of document.fonts) {
    if (f.family.includes('Titillium')) out[`Titillium Web ${f.weight} ${f.style}`] = f.status;
  }
  return out;
}"""


#: Records when the first map feature and the first Plotly chart were drawn (page clock, ms).
_FIRST_SEEN_JS = """(() => {
  window.__lgFirstSeen = {};
  const seen = window.__lgFirstSeen;
  const timer = setInterval(() => {
    if (!seen.chart && document.querySelector('.js-plotly-plot .main-svg')) seen.chart = performance.now();
    if (!seen.map) {
      for (const f of document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')) {
        try {
          if (f.contentDocument.querySelector('path.leaflet-interactive, .leaflet-marker-icon')) {
            seen.map = performance.now();
          }
        } catch (e) { /* not loaded yet */ }
      }
    }
    if (seen.map && seen.chart) clearInterval(timer);
  }, 10);
})();"""
_CHARTS_JS = (
    "() => [...document.querySelectorAll('.js-plotly-plot')]"
    ".filter(e => e.querySelector('.main-svg')).length"
)


def _map_counts(page: Any) -> list[dict[str, int]]:
    out = []
    for i in range(page.locator(MAP_IFRAME).count()):
        frame = page.frame_locator(MAP_IFRAME).nth(i)
        out.append(
            {
                "containers": frame.locator(".leaflet-container").count(),
                "paths": frame.locator("path.leaflet-interactive").count(),
                "markers": frame.locator(".leaflet-marker-icon").count(),
                "tiles": frame.locator("img.leaflet-tile").count(),
                "under_legend": int(frame.locator("body").evaluate(_UNDER_LEGEND_JS)),
            }
        )
    return out


@pytest.fixture(scope="session")
def visit(app_server: AppServer, browser: Any) -> Any:
    """``visit(page, lang, **params) -> Visit``: load a page once (cached per arguments)."""
    cache: dict[tuple[Any, ...], Visit] = {}

    def _visit(page_name: str, lang: str, **params: str) -> Visit:
        key = (page_name, lang, tuple(sorted(params.items())))
        if key in cache:
            return cache[key]
        blocked: list[str] = []
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
        _route_local_only(context, blocked)
        console: list[str] = []
        try:
            page = context.new_page()
            page.add_init_script(_FIRST_SEEN_JS)
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            url = page_url(app_server.base_url, page_name, lang, extra=params)
            page.goto(url, wait_until="domcontentloaded")
            wait_for_page(page)
            errors = [e.inner_text() for e in page.locator(ERROR_SELECTOR).all()]
            h1 = page.locator("h1").first.inner_text() if page.locator("h1").count() else ""
            text = page.locator("[data-testid='stMain']").inner_text()
            maps = _map_counts(page)
            fonts = page.evaluate(_FONTS_JS)
            charts = int(page.evaluate(_CHARTS_JS))
            first_seen = dict(page.evaluate("() => window.__lgFirstSeen || {}"))
            suffix = "_".join(f"{k}-{v}" for k, v in sorted(params.items()))
            shot = SCREENSHOTS / f"{page_name}_{lang}{'_' + suffix if suffix else ''}.png"
            full_page_screenshot(page, shot)
        finally:
            context.close()
        result = Visit(
            page_name,
            lang,
            url,
            errors,
            h1,
            maps,
            text,
            blocked,
            shot,
            console_errors=console,
            fonts=fonts,
            charts=charts,
            first_seen=first_seen,
        )
        cache[key] = result
        return result

    return _visit


@pytest.fixture(scope="session")
def demo_engine_sqlite(demo_sqlite_url: str) -> Iterator[Any]:
    from data_access.config import make_engine

    eng = make_engine(demo_sqlite_url)
    yield eng
    eng.dispose()
