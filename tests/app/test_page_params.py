"""Issue 11, point 14: each page owns its parameters. After the work-package page (whose
``indicator`` is a WP1 project count by default), the overview map keeps its own indicator."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.filters import WIDGET_PREFIX
from data_access.metrics.kpi import HEADLINE_INDICATORS

from .conftest import MakeApp, page_path


def _leave(at: AppTest) -> None:
    """What the browser does on a page change from the menu: the address loses its query
    (AppTest keeps it); only the session can carry a choice over, and it must not."""
    for name in list(at.query_params):
        if name not in ("lang", "period"):
            del at.query_params[name]


def test_the_work_package_indicator_does_not_leak_into_the_overview(make_app: MakeApp) -> None:
    at = make_app("work_package")
    assert not at.exception
    wp_choice = at.selectbox(key=WIDGET_PREFIX + "indicator").value
    assert wp_choice.startswith("WP1_")
    _leave(at)
    at.switch_page(page_path("overview"))
    at.run()
    assert not at.exception
    assert at.selectbox(key=WIDGET_PREFIX + "indicator").value == HEADLINE_INDICATORS["WP2"]
    assert at.query_params.get("indicator") in (None, HEADLINE_INDICATORS["WP2"])


def test_a_page_keeps_its_own_choice_when_one_comes_back(make_app: MakeApp) -> None:
    at = make_app("benchmark")
    choices = at.selectbox(key=WIDGET_PREFIX + "indicator").options
    at.selectbox(key=WIDGET_PREFIX + "indicator").select(choices[-1]).run()
    chosen = at.selectbox(key=WIDGET_PREFIX + "indicator").value
    _leave(at)
    at.switch_page(page_path("overview"))
    at.run()
    assert at.selectbox(key=WIDGET_PREFIX + "indicator").value == HEADLINE_INDICATORS["WP2"]
    _leave(at)
    at.switch_page(page_path("benchmark"))
    at.run()
    assert at.selectbox(key=WIDGET_PREFIX + "indicator").value == chosen
