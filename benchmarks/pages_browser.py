"""What ``bench_pages`` measures in Chromium: ``streamlit run`` in the default map configuration
and headless Chromium, a new browser context per visit. The time until a map page's map (and
then its charts) is drawn, a click on a city's bubble to its territorial map, and the first view
on a server started as ``lgnet2 run`` starts it once it says ready (``bench_pages`` describes
each measurement and its budget).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.pages_visited import PAGES, PALERMO

MAP_PAGES = ("overview", "territorial_map", "public_summary")
#: Map pages with charts, and how many each draws (Plotly, after the map: dashboard.deferred).
CHART_PAGES = {"overview": 5, "public_summary": 1}
#: True once no chart is held (``dashboard.deferred``) and ``n`` charts have drawn their SVG.
CHARTS_DRAWN = (
    "([n, held]) => !document.querySelector(held)"
    " && [...document.querySelectorAll('.js-plotly-plot')]"
    ".filter(e => e.querySelector('.main-svg')).length >= n"
)
#: The default map configuration whatever the caller's environment: no tiles, bundled boundaries.
DEFAULT_MAPS = {"LGNET2_TILES_URL": "", "LGNET2_BOUNDARIES": ""}
#: True once the streamlit-folium map answers clicks (its handlers are bound after drawing).
CLICKABLE = """() => { if (typeof map === 'undefined') return false; let ok = false;
  map.eachLayer(l => { if (l.feature && l.feature.id && l._events && (l._events.click || []).length) ok = true; });
  return ok; }"""
CITY_POINT = """(fid) => { let p = null; map.eachLayer(l => {
  if (l.feature && l.feature.id === fid && l.getLatLng) p = map.latLngToContainerPoint(l.getLatLng()); });
  return p && [p.x, p.y]; }"""
#: True once a map iframe shows a vector path with a size (the first drawn shape of the map).
MAP_DRAWN = """(sel) => [...document.querySelectorAll(sel)].some(f => { try {
  const p = f.contentDocument.querySelector('path.leaflet-interactive');
  if (!p) return false; const r = p.getBoundingClientRect(); return r.width > 0 && r.height > 0;
} catch (e) { return false; } })"""
#: True once the territorial map is open and its map iframe has drawn a periphery.
CITY_MAP_DRAWN = """(sel) => location.pathname.endsWith('/mappa-territoriale') &&
  [...document.querySelectorAll(sel)].some(f => { try {
    return !!f.contentDocument.querySelector('.leaflet-container.lg-outside path.leaflet-interactive');
  } catch (e) { return false; } })"""


@contextmanager
def _served(
    url: str, extra_env: dict[str, str] | None = None, app: Path | None = None
) -> Iterator[tuple[Any, Any]]:
    """``(server, browser)``: the dashboard on ``url`` in the default map configuration (or
    ``app``, e.g. ``dashboard/server.py`` as ``lgnet2 run`` serves it), and headless Chromium."""
    from playwright.sync_api import sync_playwright

    from dashboard.cli.browser import APP, AppServer, free_port, launch_browser

    env = {"LGNET2_DATABASE_URL": url, **DEFAULT_MAPS, "LGNET2_LOCAL_ROLE": "", **(extra_env or {})}
    with (
        tempfile.TemporaryDirectory(prefix="lgnet2-bench-") as tmp,
        AppServer(
            free_port(range(8690, 8710)),
            env=env,
            log_path=Path(tmp) / "streamlit.log",
            app=app or APP,
        ) as srv,
        sync_playwright() as pw,
    ):
        browser = launch_browser(pw)
        try:
            yield srv, browser
        finally:
            browser.close()


def _visit(browser: Any, address: str) -> tuple[Any, Any]:
    """``(context, page)``: a first visit (new context, empty cache) to ``address``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(address, wait_until="commit")
    return context, page


def _map_drawn_ms(page: Any) -> float:
    """``performance.now()`` once a map of the page has drawn a shape, checked on every
    animation frame: Playwright's own locator waits back off to 500 ms between checks and
    would add up to that much to the time."""
    from dashboard.cli.browser import MAP_IFRAME

    page.wait_for_function(MAP_DRAWN, arg=MAP_IFRAME, polling="raf", timeout=60_000)
    return float(page.evaluate("() => performance.now()"))


def bench_map_visible(url: str, repeat: int) -> list[dict[str, Any]]:
    """Median time (ms) from navigation start to a visible vector path inside the map iframe."""
    from dashboard.cli.browser import page_url
    from dashboard.deferred import PLACEHOLDER_SELECTOR

    rows = []
    with _served(url) as (srv, browser):
        for page_name in MAP_PAGES:
            times, charts = [], []
            for i in range(repeat + 1):  # the first visit warms the server's caches
                context, page = _visit(
                    browser, page_url(srv.base_url, page_name, "it", extra=PAGES[page_name])
                )
                elapsed = _map_drawn_ms(page)
                if page_name in CHART_PAGES:  # every chart drawn, none held any longer
                    page.wait_for_function(
                        CHARTS_DRAWN,
                        arg=[CHART_PAGES[page_name], PLACEHOLDER_SELECTOR],
                        timeout=60_000,
                    )
                    charts.append(float(page.evaluate("() => performance.now()")))
                context.close()
                if i:
                    times.append(elapsed)
                else:
                    if charts:
                        charts.pop()
                    if page_name == MAP_PAGES[0]:  # the server's very first page view
                        rows.append(
                            {
                                "what": f"map visible {page_name}, first view after start, no warm-up",
                                "role": "public",
                                "median_ms": elapsed,
                                "min_ms": elapsed,
                                "budget": "1.3x the 1x data's",
                            }
                        )
            rows.append(
                {
                    "what": f"map visible {page_name}",
                    "role": "public",
                    "median_ms": statistics.median(times),
                    "min_ms": min(times),
                    "budget": "2000 ms",
                }
            )
            if charts:
                rows.append(
                    {
                        "what": f"all charts drawn {page_name}",
                        "role": "public",
                        "median_ms": statistics.median(charts),
                        "min_ms": min(charts),
                        "budget": "",
                    }
                )
    return rows


def bench_drilldown(url: str, repeat: int) -> list[dict[str, Any]]:
    """Median time (ms) from a click on Palermo's bubble (overview) to its city map drawn."""
    from dashboard.cli.browser import MAP_IFRAME, page_url, wait_for_page

    times: list[float] = []
    with _served(url) as (srv, browser):
        for i in range(repeat + 1):  # the first round warms the server's caches
            context, page = _visit(browser, page_url(srv.base_url, "overview", "it"))
            wait_for_page(page)
            iframe = page.locator(MAP_IFRAME).first
            iframe.scroll_into_view_if_needed()
            frame = iframe.element_handle().content_frame()
            frame.wait_for_function(CLICKABLE, timeout=60_000)
            x, y = frame.evaluate(CITY_POINT, f"city:{PALERMO}")
            box = iframe.bounding_box()
            t0 = float(page.evaluate("() => performance.now()"))
            page.mouse.click(box["x"] + x, box["y"] + y)
            page.wait_for_function(CITY_MAP_DRAWN, arg=MAP_IFRAME, timeout=60_000)
            elapsed = float(page.evaluate("() => performance.now()")) - t0
            context.close()
            if i:
                times.append(elapsed)
    return [
        {
            "what": "click on a city bubble to its territorial map drawn",
            "role": "public",
            "median_ms": statistics.median(times),
            "min_ms": min(times),
            "budget": "1500 ms",
        }
    ]


def bench_first_view_after_ready(url: str) -> list[dict[str, Any]]:
    """The server started as ``lgnet2 run`` starts it (``dashboard/server.py``: warm-up, then
    ready); the first visitor arrives when ``/_lgnet2/ready`` says ready, as a balancer sends
    them. Reports the warm-up's length and that visitor's time to the drawn map."""
    import json
    import urllib.error
    import urllib.request

    from dashboard.cli.browser import page_url
    from dashboard.cli.core import SERVER

    with _served(url, {"LGNET2_WARMUP_SECONDS": "600"}, app=SERVER) as (srv, browser):
        started = time.perf_counter()
        while True:  # polling the readiness endpoint, as a balancer does (bounded by the warm-up)
            try:
                with urllib.request.urlopen(f"{srv.base_url}/_lgnet2/ready", timeout=5) as r:
                    if json.loads(r.read())["status"] == "ready":
                        break
            except urllib.error.HTTPError:
                pass
            if time.perf_counter() - started > 900:
                raise SystemExit("bench_pages: the server never became ready")
            time.sleep(0.2)
        warm_ms = (time.perf_counter() - started) * 1000
        _context, page = _visit(browser, page_url(srv.base_url, MAP_PAGES[0], "it"))
        elapsed = _map_drawn_ms(page)
    return [
        {"what": "server warm-up until ready (lgnet2 run)", "role": "public", "median_ms": warm_ms},
        {
            "what": f"map visible {MAP_PAGES[0]}, first view after ready",
            "role": "public",
            "median_ms": elapsed,
            "min_ms": elapsed,
            "budget": "1.3x the 1x data's",
        },
    ]
