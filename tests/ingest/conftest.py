"""Ingest fixtures: a migrated database with the reference rows, per engine (module scope for
the read-mostly corpus tests, function scope where a test writes)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.config import make_engine
from data_access.db import create_scratch_database, drop_database, upgrade

from .factories import seed_reference

PG_ADMIN_URL = os.environ.get(
    "LGNET2_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def ref_engine(engine: Engine) -> Engine:
    """A fresh migrated database (sqlite and postgres) with the reference rows."""
    seed_reference(engine)
    return engine


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def shared_ref_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_available: bool
) -> Iterator[Engine]:
    """One database per module and engine; tests using it must leave it as they found it."""
    name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('ingest') / 'ref.sqlite'}"
    else:
        if not pg_available:
            pytest.skip("PostgreSQL not reachable (allowed outside CI only)")
        name, url = create_scratch_database(PG_ADMIN_URL, "lgnet2_ingest")
    eng = make_engine(url, must_exist=False)
    upgrade(eng)
    seed_reference(eng)
    yield eng
    eng.dispose()
    if name:
        drop_database(PG_ADMIN_URL, name)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return Path(__file__).resolve().parent / "corpus"


@pytest.fixture
def clean_engine(shared_ref_engine: Engine) -> Engine:
    """The module's reference database with no submissions, observations or audit entries."""
    with shared_ref_engine.begin() as conn:
        for table in ("observation", "submission", "audit_log"):
            conn.execute(text(f"DELETE FROM {table}"))
    return shared_ref_engine
