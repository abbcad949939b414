"""Issue 11, point 1, in a real browser: approving a month keeps the selection on that month, and
typing an unlock reason and pressing Enter never moves the page to another month.

The sequence that approved three months by mistake: pick a validated month, approve it; the
selector's label used to carry the status, so after the approval the selected option no longer
existed and Streamlit moved the selection; Enter in the reason field then showed another month
with its "Approva il mese" button. The server runs on its own copy of the demo database.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from dashboard.cli.browser import AppServer, free_port, wait_for_page
from dashboard.nav import PAGE_BY_KEY
from data_access.config import make_engine

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def admin_server(
    demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AppServer, str]]:
    db = tmp_path_factory.mktemp("approval") / "approval.sqlite"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), db)
    url = f"sqlite:///{db}"
    # The scenario needs two validated months of one city. The demo approves every month up to
    # its last two (issue 13: what a real programme would have approved by the cut-off), so the
    # copy takes Bologna's January 2024 back to "validated".
    eng = make_engine(url)
    with eng.begin() as c:
        c.execute(
            text(
                "UPDATE submission SET status = 'validated' WHERE city_code = '037006'"
                " AND period = '2024-01' AND version = (SELECT MAX(version) FROM submission t"
                " WHERE t.city_code = '037006' AND t.period = '2024-01')"
            )
        )
    eng.dispose()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    env = {"LGNET2_DATABASE_URL": url, "LGNET2_TILES_URL": "none", "LGNET2_LOCAL_ROLE": "admin"}
    with AppServer(
        free_port(), env=env, log_path=ROOT / "artifacts" / "approval-streamlit.log"
    ) as srv:
        yield srv, url


def _statuses(url: str) -> dict[tuple[str, str], str]:
    eng = make_engine(url)
    with eng.connect() as c:
        rows = c.execute(
            text(
                "SELECT s.city_code, s.period, s.status FROM submission s WHERE s.version ="
                " (SELECT MAX(version) FROM submission t WHERE t.city_code = s.city_code"
                " AND t.period = s.period)"
            )
        ).all()
    eng.dispose()
    return {(str(r[0]), str(r[1])): str(r[2]) for r in rows}


def _choose(page: Any, key: str, option: str) -> None:
    box = page.locator(f".st-key-{key} input[role='combobox']")
    if box.input_value() == option:  # already chosen (Bologna is the first city by name)
        return
    box.click()
    box.fill(option)  # the combobox filters its options as one types
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_page(page)
    assert box.input_value() == option


def _shown(page: Any, key: str) -> str:
    return str(page.locator(f".st-key-{key} input[role='combobox']").input_value()).strip()


def test_approving_then_typing_a_reason_stays_on_the_same_month(
    admin_server: tuple[AppServer, str], browser: Any
) -> None:
    server, url = admin_server
    before = _statuses(url)
    city = "037006"  # Bologna
    validated = sorted(p for (c, p), s in before.items() if c == city and s == "validated")
    assert len(validated) >= 2
    period = validated[-1]  # not the default one (the oldest waiting): the person chose it
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="it")
    try:
        page = context.new_page()
        page.goto(f"{server.base_url}/{PAGE_BY_KEY['approval'].route}?lang=it")
        wait_for_page(page)
        _choose(page, "ap_act_city", "Bologna")
        from dashboard.i18n import fmt_period

        label = fmt_period(period, "it")
        _choose(page, f"ap_period_{city}", label)
        assert _shown(page, f"ap_period_{city}") == label
        page.locator(f".st-key-ap_approve_{city}_{period} button:visible").click()
        wait_for_page(page)
        # Nothing is done yet: the confirmation names the city and the month.
        confirm = page.locator(f".st-key-ap_confirm_box_{city}_{period}")
        assert "Bologna" in confirm.inner_text() and label in confirm.inner_text()
        assert _statuses(url) == before
        page.locator(f".st-key-ap_confirm_approve_{city}_{period} button:visible").click()
        wait_for_page(page)
        page.locator(f".st-key-ap_reason_{city}_{period} input").wait_for()

        after = _statuses(url)
        changed = {k: v for k, v in after.items() if before[k] != v}
        assert changed == {(city, period): "approved"}
        # The selector still shows the month just approved, and its status is beside it.
        assert _shown(page, f"ap_period_{city}") == label
        assert "approvato" in page.locator("[data-testid='stMain']").inner_text()

        # Typing a reason and pressing Enter stays on the same month, with its unlock button.
        page.locator(f".st-key-ap_reason_{city}_{period} input").fill("verifica")
        page.keyboard.press("Enter")
        wait_for_page(page)
        assert _shown(page, f"ap_period_{city}") == label
        assert page.locator(f".st-key-ap_unlock_{city}_{period} button").is_enabled()
        assert page.locator("[class*='st-key-ap_approve_']").count() == 0
        assert _statuses(url) == after
    finally:
        context.close()


_TEXTS_JS = """() => {
  const out = [document.body.innerText];
  for (const e of document.querySelectorAll('[placeholder],[aria-label],[title]')) {
    for (const a of ['placeholder', 'aria-label', 'title']) {
      const v = e.getAttribute(a); if (v) out.push(v);
    }
  }
  return out.join('\\n');
}"""
STREAMLIT_ENGLISH = (
    "Upload",
    "Choose an option",
    "Help for",
    "Limit ",
    "Drag and drop",
    "Browse files",
)


@pytest.mark.parametrize("key", ["upload", "overview", "benchmark", "approval"])
def test_streamlit_widget_strings_are_in_italian(
    admin_server: tuple[AppServer, str], browser: Any, key: str
) -> None:
    # Issue 11.11: Streamlit's own words (uploader, placeholders, help icons) follow the page.
    server, _ = admin_server
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="it")
    try:
        page = context.new_page()
        page.goto(f"{server.base_url}/{PAGE_BY_KEY[key].route}?lang=it")
        wait_for_page(page)
        page.wait_for_function("() => window.__lgWidgetApply !== undefined")
        seen = page.evaluate(_TEXTS_JS)
        assert [w for w in STREAMLIT_ENGLISH if w in seen] == []
        if key == "upload":
            assert "Carica" in seen and "per file" in seen
        # Switching to English writes Streamlit's English back.
        page.locator("[data-testid='stSidebar'] button:has-text('EN')").first.click()
        wait_for_page(page)
        # Wait on what the assertion reads (labels and attributes, not only the body's text:
        # the help icons' "Aiuto: ..." is an attribute, and the rerun may not have landed yet).
        italian = json.dumps(["Aiuto:", "Scegli un'opzione"])
        page.wait_for_function(
            f"() => {{ const t = ({_TEXTS_JS})(); return !{italian}.some((w) => t.includes(w)); }}"
        )
        seen = page.evaluate(_TEXTS_JS)
        assert "Aiuto:" not in seen and "Scegli un'opzione" not in seen
        assert "Language" in seen
    finally:
        context.close()
