"""Issue 11 in a real browser: what only a browser shows (forbidden pages, query parameters
owned by each page)."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.cli.browser import AppServer, wait_for_page
from dashboard.i18n import translate
from dashboard.nav import PAGE_BY_KEY

pytestmark = pytest.mark.browser


def _open(app_server: AppServer, browser: Any, path: str, lang: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale=lang)
    page = context.new_page()
    page.goto(f"{app_server.base_url}/{path}", wait_until="domcontentloaded")
    wait_for_page(page)
    return context, page


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("key", ["approval", "upload", "data_quality"])
def test_a_forbidden_page_says_why(
    app_server: AppServer, browser: Any, key: str, lang: str
) -> None:
    # Issue 11.13: the public role asking for a reserved page is told so, not silently redirected.
    context, page = _open(app_server, browser, f"{PAGE_BY_KEY[key].url_path}?lang={lang}", lang)
    try:
        main = page.locator("[data-testid='stMain']").inner_text()
        assert page.locator("h1").first.inner_text() == translate(lang, "overview.title")
        assert translate(lang, f"nav.{key}") in main
        assert translate(lang, "nav.role_admin") in main
    finally:
        context.close()


def test_an_allowed_page_has_no_refusal(app_server: AppServer, browser: Any) -> None:
    context, page = _open(app_server, browser, "metodologia?lang=it", "it")
    try:
        assert "riservata" not in page.locator("[data-testid='stMain']").inner_text()
    finally:
        context.close()


_CUT_JS = """() => [...document.querySelectorAll("[data-testid='stMetricLabel']")]
  .flatMap(e => [e, ...e.querySelectorAll('*')])
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow === 'ellipsis')
  .map(e => e.innerText)"""


@pytest.mark.parametrize("width", [1440, 390])
def test_card_titles_are_not_cut(app_server: AppServer, browser: Any, width: int) -> None:
    # Issue 11.12: "Partecipanti ai progett…" on the WP1 card.
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="it")
    try:
        page = context.new_page()
        page.goto(f"{app_server.base_url}/?lang=it", wait_until="domcontentloaded")
        wait_for_page(page)
        labels = page.locator("[data-testid='stMetricLabel']")
        assert labels.count() >= 4
        assert "Partecipanti ai progetti di impegno civico" in labels.first.inner_text()
        assert page.evaluate(_CUT_JS) == []
        box = labels.first.bounding_box()
        card = page.locator("[data-testid='stMetric']").first.bounding_box()
        assert box is not None and card is not None and box["width"] <= card["width"] + 1
    finally:
        context.close()
