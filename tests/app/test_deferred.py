"""Charts after the map (``dashboard.deferred``): the first map page of a browser tab holds its
charts until the browser reports the maps drawn; nothing else changes."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard import deferred
from dashboard.components import figure_height
from dashboard.memo import FigureSpec

from .conftest import MakeApp, page_path, texts

#: page -> the charts it draws (keys given to ``components.show_chart``).
MAP_PAGES = {
    "overview": {"ov_progress", "ov_spend", "ov_matrix", "ov_trajectory", "ov_reports"},
    "public_summary": {"public_wp_chart"},
}


def _held(at) -> set[str]:  # type: ignore[no-untyped-def]
    prefix = f"{deferred.PLACEHOLDER_KEY}_"
    found = set()

    def visit(node) -> None:  # type: ignore[no-untyped-def]
        key = getattr(node, "key", None)
        if isinstance(key, str) and key.startswith(prefix):
            found.add(key.removeprefix(prefix))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return found


@pytest.mark.parametrize("page", list(MAP_PAGES))
def test_a_new_tab_holds_the_charts_of_a_map_page_until_the_maps_drew(
    make_app: MakeApp, page: str
) -> None:
    at = make_app(page if page != "overview" else None, role="public", maps_drawn=False)
    assert not at.exception
    assert not at.get("plotly_chart")
    assert _held(at) == MAP_PAGES[page]
    assert len(at.get("bidi_component")) == 1  # the watcher that reports the maps drawn
    assert "Grafico in caricamento" in texts(at)
    # What the watcher's trigger does: the next run draws every chart in its place.
    at.session_state[deferred.READY] = True
    at.run()
    assert not at.exception
    assert {c.key for c in at.get("plotly_chart")} == MAP_PAGES[page]
    assert not _held(at)
    assert not at.get("bidi_component")


def test_pages_without_a_map_never_hold_charts(make_app: MakeApp) -> None:
    at = make_app("work_package", maps_drawn=False)
    assert at.get("plotly_chart")
    assert not _held(at)
    assert not at.get("bidi_component")


def test_once_the_tab_drew_a_map_later_pages_draw_charts_at_once(make_app: MakeApp) -> None:
    at = make_app(maps_drawn=False)
    at.session_state[deferred.READY] = True
    at.run()
    at.switch_page(page_path("public_summary"))
    at.run()
    assert {c.key for c in at.get("plotly_chart")} == MAP_PAGES["public_summary"]
    assert not _held(at)


@pytest.mark.parametrize(
    ("fig", "expected"),
    [
        (go.Figure(layout={"height": 333}), 333),
        (FigureSpec(go.Figure(layout={"height": 512}).to_dict()), 512),
        (go.Figure(), 450),
    ],
)
def test_a_placeholder_is_as_tall_as_its_chart(fig, expected: int) -> None:  # type: ignore[no-untyped-def]
    assert figure_height(fig) == expected
