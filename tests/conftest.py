"""Shared fixtures: real databases (SQLite files and the PostgreSQL server on 127.0.0.1:5432).

- ``db_url``: a fresh, migrated, empty database, once per engine kind (``sqlite``, ``postgres``).
- ``demo_url``: a session-wide database with the demo data, per engine kind. Read-only for tests.
- ``playwright_api``: Playwright's sync API (skips only outside CI).
- ``reference_boundaries``: the real ISTAT boundaries from ../shared (skips only outside CI).

Under ``CI=true`` a PostgreSQL server that does not answer, or a missing Playwright, fails the run
instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from data_access.config import make_engine
from data_access.db import create_scratch_database, drop_database, upgrade

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BOUNDARIES = SHARED / "reference" / "geo" / "lgnet16_municipalities.geojson"
PG_ADMIN_URL = os.environ.get(
    "LGNET2_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ENGINE_KINDS = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def playwright_api() -> Any:
    """``playwright.sync_api``. Missing: the run fails under ``CI=true``, elsewhere the test skips."""
    try:
        import playwright.sync_api as api
    except ImportError:
        if IN_CI:
            pytest.fail("Playwright is not installed under CI: scripts/setup.sh --test installs it")
        pytest.skip("Playwright is not installed (allowed outside CI only)")
    return api


def _pg_available() -> bool:
    try:
        eng = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(text("SELECT 1"))
        eng.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_available() -> bool:
    ok = _pg_available()
    if not ok and IN_CI:
        pytest.fail(
            "PostgreSQL on 127.0.0.1:5432 is not reachable under CI: .ci/run should have started it"
        )
    return ok


def _new_pg_database(prefix: str) -> tuple[str, str]:
    return create_scratch_database(PG_ADMIN_URL, prefix)


def _drop_pg_database(name: str) -> None:
    drop_database(PG_ADMIN_URL, name)


def _make_db(kind: str, tmp: Path, pg_ok: bool, prefix: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / (prefix + '.sqlite')}"
        return
    if not pg_ok:
        pytest.skip("PostgreSQL not reachable (allowed outside CI only)")
    name, url = _new_pg_database(prefix)
    try:
        yield url
    finally:
        _drop_pg_database(name)


@pytest.fixture(params=ENGINE_KINDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_available: bool) -> Iterator[str]:
    """A fresh, migrated, empty database URL (function scope)."""
    gen = _make_db(request.param, tmp_path, pg_available, "lgnet2_t")
    url = next(gen)
    eng = make_engine(url, must_exist=False)
    upgrade(eng)
    eng.dispose()
    yield url
    gen.close()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session", params=ENGINE_KINDS)
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_available: bool
) -> Iterator[str]:
    """A database with the full demo dataset (session scope: do not write to it)."""
    from data_access.demo import build_demo

    gen = _make_db(request.param, tmp_path_factory.mktemp("demo"), pg_available, "lgnet2_demo")
    url = next(gen)
    eng = make_engine(url, must_exist=False)
    build_demo(eng)
    eng.dispose()
    yield url
    gen.close()


@pytest.fixture(scope="session")
def demo_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo dataset in an SQLite file, for tests that need only one engine (app, browser)."""
    from data_access.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('demo_sqlite') / 'demo.sqlite'}"
    eng = make_engine(url, must_exist=False)
    build_demo(eng)
    eng.dispose()
    return url


@pytest.fixture
def demo_engine(demo_url: str) -> Iterator[Engine]:
    eng = make_engine(demo_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def reference_boundaries():  # type: ignore[no-untyped-def]
    """The real ISTAT boundaries of the 16 cities (GeoDataFrame indexed by ISTAT code)."""
    if not BOUNDARIES.exists():
        if IN_CI:
            pytest.fail(f"{BOUNDARIES} is missing under CI")
        pytest.skip("../shared/reference/geo is not here")
    import geopandas as gpd

    return gpd.read_file(BOUNDARIES).set_index("com_istat_code")
