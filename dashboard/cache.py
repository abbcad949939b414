"""The engine and cached data loads, shared by every page.

Streamlit caches are shared by all sessions, so every cached load has the Viewer in its key
(``str(viewer)``: ``public``, ``city:037006``, ``steering``...) and the database URL too; a frame
filtered for one viewer can never be served to another. ``st.cache_data`` hands each caller its
own copy, so pages may modify what they get.

Pages call these wrappers, never ``data_access.queries`` with an engine of their own::

    from dashboard import cache
    obs = cache.observations(viewer, indicators=("WP2_TAKEN_IN_CHARGE",))

After new data lands (an import, an approval) call :func:`clear_data` so every session sees it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_access import queries
from data_access.config import make_engine, resolve_url
from data_access.db import load_meta
from data_access.disclosure import DisclosedTable
from data_access.viewer import Viewer

TTL_SECONDS = 600


def db_url() -> str:
    """The database URL this process serves (``LGNET2_DATABASE_URL`` or the default file)."""
    return resolve_url(None)


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    # Not cached when make_engine raises: a database that comes back is picked up next run.
    return make_engine(url)


def engine() -> Engine:
    """The process-wide engine for :func:`db_url` (raises ``DatabaseUnavailable``)."""
    return _engine(db_url())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _meta(url: str) -> dict[str, str]:
    return load_meta(_engine(url))


def dataset_meta() -> dict[str, str]:
    """Dataset facts (``is_demo``, ``cutoff``...); raises ``EmptyDatabase`` with no data."""
    return _meta(db_url())


def is_demo() -> bool:
    """True when the served data is the demo dataset (pages then show the demo mark)."""
    return dataset_meta().get("is_demo") == "true"


def _tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(sorted(str(v) for v in values))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=256)
def _load(
    url: str, viewer_spec: str, name: str, kwargs: tuple[tuple[str, Any], ...]
) -> pd.DataFrame:
    loader = getattr(queries, name)
    return loader(_engine(url), Viewer.parse(viewer_spec), **dict(kwargs))


def load(name: str, viewer: Viewer, **kwargs: Any) -> pd.DataFrame:
    """``data_access.queries.<name>(engine, viewer, **kwargs)``, cached per URL and viewer.

    Keyword values must be hashable (lists are turned into sorted tuples by the named wrappers).
    """
    return _load(db_url(), str(viewer), name, tuple(sorted(kwargs.items())))


def cities(viewer: Viewer) -> pd.DataFrame:
    return load("load_cities", viewer)


def indicators(viewer: Viewer) -> pd.DataFrame:
    return load("load_indicators", viewer)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=4)
def _raw_all(url: str) -> pd.DataFrame:
    return queries.fetch_all_observations(_engine(url))


def raw_observations() -> pd.DataFrame:
    """Every raw value (role-independent). Never render it: it only feeds the per-viewer
    metrics of ``data_access.metrics.viewer``, which decide what each viewer may see."""
    return _raw_all(db_url())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _disclosed(url: str, viewer_spec: str) -> DisclosedTable:
    return queries.disclose_for_viewer(_raw_all(url), Viewer.parse(viewer_spec))


def disclosed(viewer: Viewer) -> DisclosedTable:
    """The viewer's one joint disclosure of the whole dataset (cells and the only totals a
    page may show), computed once per database and viewer."""
    return _disclosed(db_url(), str(viewer))


def observations(
    viewer: Viewer,
    *,
    indicators: Iterable[str] | None = None,
    cities: Iterable[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    level: str = "city",
) -> pd.DataFrame:
    """Monthly observations as ``queries.load_observations`` returns them for ``viewer``
    (filtered from :func:`disclosed`, so every filter shares one suppression pattern)."""
    return queries.filter_observations(
        disclosed(viewer).cells,
        indicators=_tuple(indicators),
        cities=_tuple(cities),
        start=start,
        end=end,
        level=level,
    )


def targets(viewer: Viewer) -> pd.DataFrame:
    return load("load_targets", viewer)


def budget(viewer: Viewer) -> pd.DataFrame:
    return load("load_budget", viewer)


def expenditure(viewer: Viewer) -> pd.DataFrame:
    return load("load_expenditure", viewer)


def peripheries(viewer: Viewer) -> pd.DataFrame:
    return load("load_peripheries", viewer)


def hubs(viewer: Viewer) -> pd.DataFrame:
    return load("load_hubs", viewer)


def protected_places(viewer: Viewer) -> pd.DataFrame:
    return load("load_protected_places", viewer)


def submissions(viewer: Viewer) -> pd.DataFrame:
    return load("load_submissions", viewer)


def clear_data() -> None:
    """Forget every cached load and derived result (after an import or approval): every
    ``st.cache_data`` of the app, so ``computed`` and ``memo`` too; the engine is kept."""
    st.cache_data.clear()
