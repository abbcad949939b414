"""AppTest helpers: the app runs against the session's SQLite demo database.

Most tests run as ``steering`` (full detail, fast); the public role is exercised where the
disclosure rules matter (headline figures, demo mark). Tiles are turned off so the map HTML
references no outside host.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import deferred

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ROOT / "pages"
TIMEOUT = 120  # the first public load applies disclosure to every cell; later runs hit the cache

MakeApp = Callable[..., AppTest]


def page_path(name: str) -> str:
    return str(PAGES / f"{name}.py")


@pytest.fixture
def make_app(demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> MakeApp:
    """``make_app(page=None, role="steering", query={...}, maps_drawn=True)`` -> an AppTest that
    has run (``maps_drawn=False``: a new browser tab, whose first map page holds its charts)."""
    monkeypatch.setenv("LGNET2_DATABASE_URL", demo_sqlite_url)
    monkeypatch.setenv("LGNET2_TILES_URL", "none")

    def run(
        page: str | None = None,
        role: str = "steering",
        query: Mapping[str, str] | None = None,
        maps_drawn: bool = True,
    ) -> AppTest:
        monkeypatch.setenv("LGNET2_LOCAL_ROLE", role)
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if maps_drawn:  # as after the browser reported the maps drawn: charts are not held
            at.session_state[deferred.READY] = True
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page_path(page))
            for key, value in (query or {}).items():
                at.query_params[key] = value
            at.run()
        return at

    return run


def html_blocks(at: AppTest) -> list[str]:
    """The bodies of the page's ``st.html`` blocks (styles, the demo banner, the EU emblem)."""
    return [str(h.proto.body) for h in at.get("html")]


def texts(at: AppTest) -> str:
    """Every visible text element of the page, joined (for "is this word shown" checks)."""
    parts = [
        e.value
        for e in (
            *at.title,
            *at.header,
            *at.subheader,
            *at.markdown,
            *at.caption,
            *at.info,
            *at.warning,
            *at.error,
            *at.success,
        )
    ]
    parts += [m.label for m in at.metric]
    parts += html_blocks(at)
    return "\n".join(str(p) for p in parts)
