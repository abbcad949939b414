"""Every page x every role in AppTest: it runs, shows only the pages the role may open, and
nothing a page sends to the browser (text, tables, map scripts) carries a protected-site
location: no coordinate pair within 500 m of a shelter, for any role.

The disclosure solver fails throughout (``no_solver``): the public and the city managers read
the publication the demo built, steering and admin read exact data, so no page view of any
role runs the solver (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from leak_scan import near_sites
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard import deferred, memo, nav
from data_access.config import make_engine
from data_access.disclosure import check, release, units
from data_access.schema import ProtectedSite
from data_access.viewer import Viewer

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
ROLES = ("public", "city:037006", "steering", "admin")


def _nodes(node) -> list:  # type: ignore[no-untyped-def]
    out = [node]
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        children = children.values()
    for child in children or []:
        out += _nodes(child)
    return out


def sent_to_browser(at: AppTest) -> str:
    """Everything the page's elements carry: protobuf text (incl. component arguments such as
    the map script) and the values of every data frame."""
    parts = []
    for n in _nodes(at._tree):
        proto = getattr(n, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        if type(n).__name__ == "Dataframe":
            value = n.value
            if isinstance(value, pd.DataFrame):
                parts.append(value.to_csv(index=False))
    return "\n".join(parts)


def _solver_down(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the disclosure solver ran outside a publication build")


@pytest.fixture(autouse=True)
def no_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the solver raise (its entry points: the unit protections and the LP)."""
    monkeypatch.setattr(units, "protect_unit", _solver_down)
    monkeypatch.setattr(release, "protect_unit", _solver_down)
    monkeypatch.setattr(check, "_model", _solver_down)
    st.cache_data.clear()  # nothing computed earlier in this process may hide a call
    memo.clear()


@pytest.fixture(scope="module")
def sites(demo_sqlite_url: str) -> list[tuple[float, float]]:
    eng = make_engine(demo_sqlite_url)
    with eng.connect() as c:
        rows = [(r.lat, r.lon) for r in c.execute(select(ProtectedSite.lat, ProtectedSite.lon))]
    eng.dispose()
    assert rows
    return rows


# From the registry's declared roles, not from ``visible_pages`` (tested in tests/app/test_theme_nav).
CASES = [(role, p.key) for role in ROLES for p in nav.PAGES if Viewer.parse(role).role in p.roles]


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_page_runs_and_sends_no_protected_location(
    role, page, demo_sqlite_url, sites, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LGNET2_DATABASE_URL", demo_sqlite_url)
    monkeypatch.setenv("LGNET2_TILES_URL", "none")
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", role)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(str(nav.PAGE_BY_KEY[page].path))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = sent_to_browser(at)
    # A map page holds its charts until the browser reports the maps drawn (dashboard.deferred):
    # scan the run that follows as well, with every chart on the page.
    at.session_state[deferred.READY] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("bidi_component")  # the watcher is gone: nothing is held any longer
    text += sent_to_browser(at)
    assert len(text) > 500
    assert near_sites(text, sites) == []


def test_the_scan_would_see_a_leak(sites) -> None:  # type: ignore[no-untyped-def]
    lat, lon = sites[0]
    leaked = f"L.marker([{lat + 0.001:.6f}, {lon:.6f}])"
    assert near_sites(leaked, sites) != []
    assert near_sites(f"[{lon:.5f}, {lat:.5f}]", sites) != []


@pytest.mark.parametrize("role", ["public", "city:037006"])
def test_pages_beyond_the_role_are_not_offered(role) -> None:  # type: ignore[no-untyped-def]
    keys = {p.key for p in nav.visible_pages(Viewer.parse(role))}
    assert "approval" not in keys
    assert ("upload" in keys) == (role != "public")


def test_a_url_cannot_raise_the_role(demo_sqlite_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LGNET2_DATABASE_URL", demo_sqlite_url)
    monkeypatch.setenv("LGNET2_LOCAL_ROLE", "public")
    at = AppTest.from_file(APP, default_timeout=180)
    for key in ("role", "viewer", "LGNET2_LOCAL_ROLE"):
        at.query_params[key] = "admin"
    at.run()
    assert not at.exception
    assert at.session_state["viewer"] == Viewer()
