"""Issue 11 in a real browser: what only a browser shows (forbidden pages, query parameters
owned by each page)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from dashboard.cli.browser import AppServer, wait_for_page
from dashboard.i18n import translate
from dashboard.nav import PAGE_BY_KEY

pytestmark = pytest.mark.browser


def _open(
    app_server: AppServer, browser: Any, path: str, lang: str, width: int = 1440
) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale=lang)
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
        # Streamlit's own "Page not found" dialog (English, "does not seem to exist") must not
        # contradict the refusal: the page exists, it is reserved.
        assert page.locator("[role='dialog']").count() == 0
        assert "Page not found" not in page.locator("body").inner_text()
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


def test_a_snapshot_hides_the_controls_and_names_the_city(
    app_server: AppServer, browser: Any
) -> None:
    # Issue 11.15: a picture, not a page: no widgets, the chosen city written out.
    from dashboard.cli.browser import freeze_controls, page_url

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it")
    try:
        page = context.new_page()
        url = page_url(app_server.base_url, "territorial_map", "it", True, {"city": "037006"})
        page.goto(url, wait_until="domcontentloaded")
        wait_for_page(page)
        freeze_controls(page)
        main = page.locator("[data-testid='stMain']")
        for testid in ("stSelectbox", "stButton", "stDownloadButton", "stButtonGroup"):
            assert main.locator(f"[data-testid='{testid}']:visible").count() == 0, testid
        frozen = " ".join(page.locator(".lg-frozen").all_inner_texts())
        assert "Bologna" in frozen
    finally:
        context.close()


def test_a_snapshot_does_not_state_the_pack_format(app_server: AppServer, browser: Any) -> None:
    # Seen in a snapshot of the overview: "Format: PDF" stood alone under the title, the
    # choice of a button the picture hides. The month is still written out.
    from dashboard.cli.browser import freeze_controls

    context, page = _open(app_server, browser, "sintesi-pubblica?lang=it", "it", 1280)
    try:
        main = page.locator("[data-testid='stMain']")
        assert main.get_by_text(translate("it", "pack.prepare_public")).count() >= 1
        freeze_controls(page)
        frozen = page.locator(".lg-frozen").all_inner_texts()
        assert frozen, "the page's choices are written out"
        assert not [f for f in frozen if f.startswith(translate("it", "pack.format"))], frozen
    finally:
        context.close()


def test_the_eu_emblem_is_drawn_beside_the_funding_line(
    app_server: AppServer, browser: Any
) -> None:
    # Found in review: the emblem went through st.html, whose sanitiser keeps no SVG; the page
    # showed the funding line beside an empty column (AppTest saw the SVG sent).
    context, page = _open(app_server, browser, "sintesi-pubblica?lang=it", "it", 1280)
    try:
        funding = translate("it", "public.funding")
        row = page.locator("[data-testid='stMain'] [data-testid='stHorizontalBlock']").filter(
            has_text=funding
        )
        img = row.locator("img[src^='data:image/svg+xml']")
        img.wait_for(state="visible", timeout=30_000)
        width, height = img.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().height]")
        assert width > 0 and height >= 40
    finally:
        context.close()


@pytest.mark.parametrize(("width", "shown"), [(390, False), (1280, True)])
def test_no_chart_toolbar_on_a_phone(
    app_server: AppServer, browser: Any, width: int, shown: bool
) -> None:
    # Found in review: at 390 px Plotly's toolbar sat on the charts' titles and legends.
    context, page = _open(app_server, browser, "sintesi-pubblica?lang=it", "it", width)
    try:
        chart = page.locator(".js-plotly-plot").first
        chart.wait_for(state="visible", timeout=60_000)
        chart.scroll_into_view_if_needed()
        chart.hover()
        bar = chart.locator(".modebar")
        bar.wait_for(state="attached", timeout=30_000)
        assert bar.is_visible() is shown
    finally:
        context.close()


def test_snapshot_command_takes_role_and_period(tmp_path: Any, demo_sqlite_url: str) -> None:
    # Its own process: this one already drives a browser.
    out = tmp_path / "wp.png"
    argv = ["snapshot", "--page", "work_package", "--out", str(out), "--db", demo_sqlite_url]
    code = "import sys; from dashboard.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, *argv, "--role", "steering", "--period", "2023-06"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize("lang", ["it", "en"])
def test_public_summary_cards_line_up(app_server: AppServer, browser: Any, lang: str) -> None:
    # "WP2 · Pronta assistenza – supporto psico-socio-legale" wraps to two lines: its card was
    # taller than the others and its figure sat lower than theirs.
    context, page = _open(app_server, browser, f"sintesi-pubblica?lang={lang}", lang)
    try:
        tops = page.evaluate(
            "() => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")]"
            ".slice(0, 3).map(e => Math.round(e.getBoundingClientRect().top))"
        )
        cards = page.evaluate(
            "() => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")].slice(0, 3)"
            ".map(e => Math.round(e.closest(\"[data-testid='stVerticalBlock']\")"
            ".getBoundingClientRect().height))"
        )
    finally:
        context.close()
    assert len(tops) == 3 and max(tops) - min(tops) <= 2, tops
    assert max(cards) - min(cards) <= 2, cards
