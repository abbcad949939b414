"""Colours meet WCAG AA; pages are offered by role."""

from __future__ import annotations

import pytest

from dashboard import nav, theme
from data_access.viewer import Viewer


@pytest.mark.parametrize(
    "fg, bg, minimum",
    [
        (theme.TEXT, theme.BACKGROUND, 4.5),
        (theme.TEXT, theme.BACKGROUND_ALT, 4.5),
        (theme.TEXT_MUTED, theme.BACKGROUND, 4.5),
        (theme.PRIMARY, theme.BACKGROUND, 4.5),
        (theme.PRIMARY, theme.BACKGROUND_ALT, 4.5),
        (theme.TEXT, "#FFF3CD", 4.5),  # demo banner
    ],
)
def test_interface_text_contrast(fg: str, bg: str, minimum: float) -> None:
    assert theme.contrast_ratio(fg, bg) >= minimum


@pytest.mark.parametrize("status", theme.STATUSES)
def test_status_symbols_are_readable_on_their_colour(status: str) -> None:
    bg = theme.STATUS_COLORS[status]
    # The symbols are 18 px bold: WCAG "large text" needs 3:1.
    assert theme.contrast_ratio(theme.text_on(bg), bg) >= 3.0


def test_contrast_ratio_extremes() -> None:
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_status_colours_are_the_maps_colours() -> None:
    from geo.style import STATUS_COLOURS

    assert theme.STATUS_COLORS == dict(STATUS_COLOURS)


@pytest.mark.parametrize(
    "spec, shown, hidden",
    [
        (
            "public",
            {"overview", "work_package", "benchmark", "methodology"},
            {"upload", "data_quality", "approval"},
        ),
        ("city:037006", {"overview", "benchmark"}, {"approval"}),
        ("steering", {"overview", "methodology"}, {"approval"}),
        ("admin", {"overview", "methodology"}, set()),
    ],
)
def test_pages_by_role(spec: str, shown: set[str], hidden: set[str]) -> None:
    keys = {p.key for p in nav.visible_pages(Viewer.parse(spec))}
    assert shown <= keys
    assert not hidden & keys


def test_the_registry_and_the_pages_folder_agree() -> None:
    registered = {p.path.name for p in nav.PAGES}
    assert all(p.path.is_file() for p in nav.PAGES)
    assert registered == {f.name for f in nav.PAGES_DIR.glob("*.py") if f.name != "__init__.py"}


@pytest.mark.parametrize("spec", ["public", "city:037006", "steering", "admin"])
def test_a_role_sees_exactly_the_registered_pages_of_its_role(spec: str) -> None:
    role = Viewer.parse(spec).role
    expected = [p.key for p in nav.PAGES if role in p.roles]
    assert [p.key for p in nav.visible_pages(Viewer.parse(spec))] == expected


def test_url_paths_are_unique_and_one_default() -> None:
    assert len({p.url_path for p in nav.PAGES}) == len(nav.PAGES)
    assert [p.key for p in nav.PAGES if p.default] == ["overview"]


def test_the_overview_is_served_at_the_root() -> None:
    from dashboard.cli.browser import PAGE_PATHS, page_url

    assert nav.PAGE_BY_KEY["overview"].route == ""
    assert page_url("http://127.0.0.1:1", "overview", "en") == "http://127.0.0.1:1/?lang=en"
    assert PAGE_PATHS["work_package"] == nav.PAGE_BY_KEY["work_package"].url_path


@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_refused_page_is_named_with_the_roles_that_may_open_it(lang: str) -> None:
    # Issue 11.13: the router says why instead of silently showing the overview.
    page = nav.refused_page("approvazione", Viewer.parse("city:037006"))
    assert page is not None and page.key == "approval"
    message = nav.refusal_message(page, lang)
    assert ("amministratori" if lang == "it" else "administrators") in message
    assert "{" not in message
    assert nav.refused_page("approvazione", Viewer("admin")) is None
    assert nav.refused_page("metodologia", Viewer()) is None
    assert nav.refused_page(None, Viewer()) is None
