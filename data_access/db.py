"""Schema creation and migration (Alembic), and small helpers around the engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from data_access.errors import EmptyDatabase
from data_access.schema import City, DatasetMeta

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("city")


def load_meta(engine: Engine) -> dict[str, str]:
    """Dataset facts (``is_demo``, ``cutoff`` ...); raises EmptyDatabase when there is nothing."""
    if not has_schema(engine):
        raise EmptyDatabase.of("errors.db_no_tables")
    with Session(engine) as s:
        if s.scalar(select(City.code).limit(1)) is None:
            raise EmptyDatabase.of("errors.db_no_data")
        return {m.key: m.value for m in s.scalars(select(DatasetMeta))}


def is_demo(engine: Engine) -> bool:
    return load_meta(engine).get("is_demo") == "true"


def create_scratch_database(admin_url: str, prefix: str) -> tuple[str, str]:
    """Create a new, uniquely named PostgreSQL database next to ``admin_url`` (tests,
    benchmarks). Returns its name and URL; remove it with :func:`drop_database`."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, name: str) -> None:
    """Drop the PostgreSQL database ``name`` (closing its connections) if it exists."""
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
