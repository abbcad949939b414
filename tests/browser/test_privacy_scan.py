"""What really reaches a browser, as the public and as a city manager: the DOM, every frame's
document (the map iframes included) and every websocket message from the server. None of it
may carry a coordinate within 500 m of a protected site."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from leak_scan import near_sites
from sqlalchemy import select

from dashboard import nav
from dashboard.cli.browser import AppServer, free_port, wait_for_page
from data_access.schema import ProtectedSite
from data_access.viewer import Viewer

pytestmark = pytest.mark.browser
ROLES = ("public", "city:037006")


@pytest.fixture(scope="module")
def sites(demo_engine_sqlite: Any) -> list[tuple[float, float]]:
    with demo_engine_sqlite.connect() as c:
        return [(r.lat, r.lon) for r in c.execute(select(ProtectedSite.lat, ProtectedSite.lon))]


@pytest.fixture(scope="module")
def city_server(demo_sqlite_url: str) -> Iterator[AppServer]:
    env = {
        "LGNET2_DATABASE_URL": demo_sqlite_url,
        "LGNET2_TILES_URL": "none",
        "LGNET2_LOCAL_ROLE": "city:037006",
    }
    with AppServer(free_port(range(8640, 8650)), env=env) as srv:
        yield srv


def _capture(browser: Any, url: str, metrics_out: list[str] | None = None) -> str:
    """Load ``url`` and return everything the browser received, as text (and the texts of the
    page's metric values in ``metrics_out``)."""
    received: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if "127.0.0.1" in route.request.url
            or route.request.url.startswith(("data:", "blob:", "about:"))
            else route.abort()
        ),
    )
    try:
        page = context.new_page()

        def on_ws(ws: Any) -> None:
            ws.on(
                "framereceived",
                lambda payload: received.append(
                    payload.decode("latin-1") if isinstance(payload, bytes) else str(payload)
                ),
            )

        page.on("websocket", on_ws)
        page.goto(url, wait_until="domcontentloaded")
        wait_for_page(page)
        received.append(page.content())
        if metrics_out is not None:
            metrics_out += page.locator("[data-testid='stMetricValue']").all_inner_texts()
        received += [frame.content() for frame in page.frames]
    finally:
        context.close()
    return "\n".join(received)


CASES = [
    (role, p.key)
    for role in ROLES
    for p in nav.PAGES
    if Viewer.parse(role).role in p.roles and p.key not in ("upload", "approval")
]


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_no_protected_location_reaches_the_browser(
    role, page, app_server, city_server, browser, sites
) -> None:  # type: ignore[no-untyped-def]
    server = app_server if role == "public" else city_server
    spec = nav.PAGE_BY_KEY[page]
    seen = _capture(browser, f"{server.base_url}/{'' if spec.default else spec.url_path}?lang=it")
    assert len(seen) > 10_000  # the page really loaded (DOM + frames + messages)
    assert near_sites(seen, sites) == []


@pytest.mark.parametrize("page", ["overview", "public_summary"])
def test_public_headline_figures_show_no_small_count(page, app_server, browser) -> None:  # type: ignore[no-untyped-def]
    """The big numbers the public screenshots: never a count from 1 to 9 (they would be shown
    as "<10"), always rounded to 5 when they count people."""
    spec = nav.PAGE_BY_KEY[page]
    values: list[str] = []
    _capture(
        browser, f"{app_server.base_url}/{'' if spec.default else spec.url_path}?lang=it", values
    )
    counts = [v.replace(".", "") for v in values if v.replace(".", "").isdigit()]
    assert counts, values
    assert not [c for c in counts if 1 <= int(c) <= 9]
    assert all(int(c) % 5 == 0 for c in counts[:3])  # the three WP headline counts (people)
