"""Alembic migrations build the same schema as the models, and go down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from data_access.config import make_engine
from data_access.db import downgrade, upgrade
from data_access.schema import Base


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    eng = make_engine(db_url)
    with eng.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    eng.dispose()
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    eng = make_engine(db_url)
    downgrade(eng, "base")
    assert not inspect(eng).has_table("observation")
    upgrade(eng)
    assert set(Base.metadata.tables) <= set(inspect(eng).get_table_names())
    eng.dispose()
