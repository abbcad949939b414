"""The engine and cached data loads, shared by every page.

Streamlit caches are shared by all sessions, so every cached load has the Viewer in its key
(``str(viewer)``: ``public``, ``city:037006``, ``steering``...) and the database URL too; a frame
filtered for one viewer can never be served to another. ``st.cache_data`` hands each caller its
own copy, so pages may modify what they get.

Pages call these wrappers, never ``data_access.queries`` with an engine of their own::

    from dashboard import cache
    obs = cache.observations(viewer, indicators=("WP2_TAKEN_IN_CHARGE",))

After new data lands (an import, an approval) call :func:`clear_data` so every session sees it.

Reads and writes (``LGNET2_READ_DATABASE_URL``). :func:`engine` is always the primary
(imports, approvals, audit). The cached loads read from the read replica when one is configured
and answers, else from the primary (one log line when the replica goes away, and again when it
comes back). Their keys carry :func:`data_key`, the primary's URL plus the newest audit-log id the
read source has: every write appends to the audit log, so a write made by another dashboard
process, or replayed late by the replica, changes the key instead of serving stale frames.
After a write, :func:`clear_data` waits briefly for the replica to replay the commit; if it has
not, this session reads from the primary until it has (read your own writes).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_access import queries
from data_access import replica as rep
from data_access.config import make_engine, resolve_read_url, resolve_url
from data_access.db import load_meta
from data_access.disclosure import DisclosedTable
from data_access.errors import DatabaseUnavailable
from data_access.ingest.history import load_recent_audit, load_submission_history
from data_access.ingest.quality import load_outliers
from data_access.publication import (
    PublicationInfo,
    last_failure,
    latest_publication,
    load_published,
    release_for_viewer,
)
from data_access.publication.build import publish_after_change
from data_access.viewer import Viewer

#: Cached results are keyed by the data version (``data_key``), so a new import or publication
#: is never answered from an older entry; the time limit only returns the memory of views nobody
#: opens any more (``max_entries`` bounds it too). Ten minutes made every page cold again for the
#: first visitor after each expiry.
TTL_SECONDS = 6 * 3600
#: How long a process reuses the data version it read (one tiny query per second at most).
VERSION_SECONDS = 1.0
_SOURCE = "_lg_read_source"  # session: "replica" | "primary", where the last read went
_PIN = "_lg_read_primary_until"  # session: WAL position this session wrote, not yet replayed
_LOG = logging.getLogger("lgnet2.cache")
_HEALTH = rep.ReplicaHealth()
_VERSIONS: dict[str, tuple[float, int]] = {}
_VERSIONS_LOCK = threading.Lock()
_ON_CLEAR: list[Callable[[], None]] = []
T = TypeVar("T")


def db_url() -> str:
    """The database URL this process serves (``LGNET2_DATABASE_URL`` or the default file)."""
    return resolve_url(None)


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    # Not cached when make_engine raises: a database that comes back is picked up next run.
    return make_engine(url)


def engine() -> Engine:
    """The process-wide engine of the primary, :func:`db_url` (raises ``DatabaseUnavailable``).
    Writes and anything that must see them at once use it."""
    return _engine(db_url())


def _session() -> Any:
    try:
        return st.session_state
    except Exception:  # outside a script run
        return {}


def read_url() -> str:
    """Where this run's page reads go: the read replica when configured, answering and holding
    this session's last write; else the primary."""
    primary, replica = db_url(), resolve_read_url()
    if replica is None or replica == primary or not _HEALTH.usable():
        return primary
    state = _session()
    lsn = state.get(_PIN)
    if lsn is not None:
        try:
            if not rep.has_replayed(_engine(replica), lsn):
                return primary
        except Exception as exc:
            if not rep.is_connection_error(exc):
                raise
            _HEALTH.failed(replica, exc)
            return primary
        state.pop(_PIN, None)
    return replica


def _version(url: str) -> int:
    now = time.monotonic()
    with _VERSIONS_LOCK:
        seen = _VERSIONS.get(url)
    if seen is not None and now - seen[0] < VERSION_SECONDS:
        return seen[1]
    try:
        version = rep.data_version(_engine(url))
    except DatabaseUnavailable:
        raise
    except Exception as exc:
        if rep.is_connection_error(exc):
            raise
        version = -1  # no audit log (empty or foreign database): the loads say what is wrong
    with _VERSIONS_LOCK:
        _VERSIONS[url] = (now, version)
    return version


def _read(fn: Callable[..., T], *args: Any) -> T:
    """``fn(data_key, *args, _source=url)`` on the read source, falling back to the primary
    when the replica does not answer (for this call and, by ``_HEALTH``, the next seconds)."""
    primary = db_url()
    source = read_url()
    state = _session()
    try:
        result = fn(f"{primary}#{_version(source)}", *args, _source=source)
    except Exception as exc:
        if source == primary or not rep.is_connection_error(exc):
            raise
        _HEALTH.failed(source, exc)
        state[_SOURCE] = "primary"
        return fn(f"{primary}#{_version(primary)}", *args, _source=primary)
    if source != primary:
        _HEALTH.ok(source)
    state[_SOURCE] = "primary" if source == primary else "replica"
    return result


def data_key() -> str:
    """The cache key of the data this run reads: the primary's URL and the data version of the
    read source (:mod:`data_access.replica`). ``dashboard.computed`` and ``memo`` key on it.
    Never raises: with no database answering, the loads themselves say what is wrong."""
    try:
        return str(_read(lambda key, _source: key))
    except Exception:
        return f"{db_url()}#-1"


def read_source() -> str | None:
    """Where this session's last page read went: ``"replica"``, ``"primary"`` or ``None``."""
    value = _session().get(_SOURCE)
    return str(value) if value is not None else None


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _meta(key: str, _source: str) -> dict[str, str]:
    return load_meta(_engine(_source))


def dataset_meta() -> dict[str, str]:
    """Dataset facts (``is_demo``, ``cutoff``...); raises ``EmptyDatabase`` with no data."""
    return _read(_meta)


def is_demo() -> bool:
    """True when the served data is the demo dataset (pages then show the demo mark)."""
    return dataset_meta().get("is_demo") == "true"


def _tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(sorted(str(v) for v in values))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=256)
def _load(
    key: str, viewer_spec: str, name: str, kwargs: tuple[tuple[str, Any], ...], _source: str
) -> pd.DataFrame:
    loader = getattr(queries, name)
    return loader(_engine(_source), Viewer.parse(viewer_spec), **dict(kwargs))


def load(name: str, viewer: Viewer, **kwargs: Any) -> pd.DataFrame:
    """``data_access.queries.<name>(engine, viewer, **kwargs)``, cached per URL and viewer.

    Keyword values must be hashable (lists are turned into sorted tuples by the named wrappers).
    """
    return _read(_load, str(viewer), name, tuple(sorted(kwargs.items())))


def cities(viewer: Viewer) -> pd.DataFrame:
    return load("load_cities", viewer)


def indicators(viewer: Viewer) -> pd.DataFrame:
    return load("load_indicators", viewer)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=4)
def _raw_all(key: str, _source: str) -> pd.DataFrame:
    return queries.fetch_all_observations(_engine(_source))


def raw_observations() -> pd.DataFrame:
    """Every raw value (role-independent). Never render it: it only feeds the per-viewer
    metrics of ``data_access.metrics.viewer``, which decide what each viewer may see."""
    return _read(_raw_all)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=4)
def _publication(key: str, _source: str) -> PublicationInfo | None:
    return latest_publication(_engine(_source))


def publication() -> PublicationInfo | None:
    """The publication the public and the city managers read now (None before the first).
    The data key changes with every publication (``replica.data_version``), so one made by
    another process or replica is picked up at once."""
    return _read(_publication)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=4)
def _failure(key: str, _source: str) -> dict[str, object] | None:
    return last_failure(_engine(_source))


def publication_failure() -> dict[str, object] | None:
    """The latest failed publication when none succeeded after it (else None)."""
    return _read(_failure)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=4)
def _published(key: str, _source: str) -> DisclosedTable:
    return load_published(_engine(_source))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _release(key: str, viewer_spec: str, _source: str) -> tuple[pd.DataFrame, DisclosedTable]:
    viewer = Viewer.parse(viewer_spec)
    if viewer.full_detail:
        raw = _raw_all(key, _source)
        return raw, queries.disclose_for_viewer(raw, viewer)  # exact: no solver
    own = None
    if viewer.role == "city":
        own = queries.fetch_city_observations(_engine(_source), str(viewer.city))
    return release_for_viewer(_published(key, _source), own, viewer)


def viewer_rows(viewer: Viewer) -> pd.DataFrame:
    """The values the per-viewer metrics (``data_access.metrics.viewer``) start from: every raw
    value for steering and admin, the published release (and a manager's own city live) for
    everyone else. Never render it directly."""
    return _read(_release, str(viewer))[0]


def disclosed(viewer: Viewer) -> DisclosedTable:
    """The viewer's disclosed cells and the only totals a page may show: live and exact for
    steering and admin, the latest publication for the public and city managers (no page
    view ever runs the disclosure solver)."""
    return _read(_release, str(viewer))[1]


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
    (filtered from :func:`disclosed`: the viewer's release)."""
    return queries.filter_observations(
        disclosed(viewer).cells,
        indicators=_tuple(indicators),
        cities=_tuple(cities),
        start=start,
        end=end,
        level=level,
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _last_period(key: str, viewer_spec: str) -> str | None:
    cells = observations(Viewer.parse(viewer_spec))
    return None if cells.empty else str(cells["period"].max())


def last_period(viewer: Viewer) -> str | None:
    """The latest month with a value ``viewer`` may see (None without any). Every page's month
    selector asks for it on every run: a string kept per data version, not a filter of the
    viewer's whole release each time (a sixth of a warm run's CPU under load, py-spy)."""
    return _last_period(data_key(), str(viewer))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=512)
def _periphery_totals(key: str, viewer_spec: str, indicator: str, city: str) -> pd.DataFrame:
    tot = disclosed(Viewer.parse(viewer_spec)).periphery_totals
    keep = (tot["indicator_code"] == indicator) & (tot["city_code"] == city)
    return tot[keep].reset_index(drop=True)


def periphery_totals(viewer: Viewer, indicator: str, city: str) -> pd.DataFrame:
    """``indicator``'s totals per periphery of ``city``, from the viewer's one joint disclosure
    of the whole dataset (never a per-city one, whose different suppression pattern could be
    compared with it); kept per city so that a rerun does not unpickle the whole release."""
    return _periphery_totals(data_key(), str(viewer), indicator, city)


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


#: The reporting views of ``data_access.ingest`` that pages show, cached like the loads.
_INGEST_VIEWS: dict[str, Callable[..., pd.DataFrame]] = {
    "outliers": load_outliers,
    "recent_audit": load_recent_audit,
    "submission_history": load_submission_history,
}


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=128)
def _ingest_view(
    key: str, viewer_spec: str, name: str, kwargs: tuple[tuple[str, Any], ...], _source: str
) -> pd.DataFrame:
    return _INGEST_VIEWS[name](_engine(_source), Viewer.parse(viewer_spec), **dict(kwargs))


def outliers(viewer: Viewer) -> pd.DataFrame:
    """``ingest.quality.load_outliers`` (raises ``NotAllowed`` for the public)."""
    return _read(_ingest_view, str(viewer), "outliers", ())


def recent_audit(viewer: Viewer, limit: int) -> pd.DataFrame:
    """``ingest.history.load_recent_audit``."""
    return _read(_ingest_view, str(viewer), "recent_audit", (("limit", limit),))


def submission_history(viewer: Viewer, city: str | None = None) -> pd.DataFrame:
    """``ingest.history.load_submission_history`` (a city manager sees its own city)."""
    return _read(_ingest_view, str(viewer), "submission_history", (("city", city),))


def _read_own_write() -> None:
    """After a write on the primary: wait briefly for the read replica to replay it; if it has
    not, this session reads from the primary until it has."""
    replica = resolve_read_url()
    if replica is None or replica == db_url():
        return
    try:
        lsn = rep.write_position(engine())
    except Exception as exc:
        if not rep.is_connection_error(exc):
            raise
        return  # the primary went away after the write: the next read will say so
    if lsn is None:
        return
    try:
        caught_up = rep.wait_replayed(_engine(replica), lsn)
    except DatabaseUnavailable:
        caught_up = False
    if not caught_up:
        _session()[_PIN] = lsn
        _LOG.warning("read replica has not replayed %s yet: this session reads the primary", lsn)


def data_changed(trigger: str, actor: str) -> PublicationInfo | None:
    """After an import, approval or unlock from a page: publish again (a failure keeps the
    previous publication and is recorded, see ``publication.build.publish_after_change``),
    then forget every cached load. Returns the new publication, None if it failed."""
    info = publish_after_change(engine(), trigger, actor)
    clear_data()
    return info


def on_clear(forget: Callable[[], None]) -> None:
    """Have :func:`clear_data` call ``forget()`` too: for the ``st.cache_resource`` results
    kept per data version (``memo``, the open-data ZIP), which ``st.cache_data.clear`` does not
    reach (``st.cache_resource.clear`` would drop the engines too)."""
    _ON_CLEAR.append(forget)


def clear_data() -> None:
    """Forget every cached load and derived result (after an import or approval): every
    ``st.cache_data`` of the app, so ``computed`` too, and what registered with
    :func:`on_clear` (``memo``); the engine is kept. And make this session's next reads see
    its write (read your own writes)."""
    _read_own_write()
    with _VERSIONS_LOCK:
        _VERSIONS.clear()
    st.cache_data.clear()
    for forget in _ON_CLEAR:
        forget()
