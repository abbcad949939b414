"""Where the database is, and how to open it. Nothing here runs at import time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from data_access.errors import DatabaseUnavailable
from data_access.settings import ENV_DATA_DIR, ENV_READ_URL, ENV_URL, current

__all__ = [
    "ENV_DATA_DIR",
    "ENV_READ_URL",
    "ENV_URL",
    "data_dir",
    "default_url",
    "make_engine",
    "resolve_read_url",
    "resolve_url",
    "sqlite_path",
]


def data_dir() -> Path:
    """The project's data directory (``LGNET2_DATA_DIR`` or ``./data`` under the project)."""
    return current().data_dir


def default_url() -> str:
    return f"sqlite:///{data_dir() / 'lgnet2.sqlite'}"


def resolve_url(cli_url: str | None = None) -> str:
    """``--db URL`` wins over ``LGNET2_DATABASE_URL``, which wins over the embedded SQLite file."""
    return cli_url or current().database_url or default_url()


def resolve_read_url() -> str | None:
    """The read replica's URL (``LGNET2_READ_DATABASE_URL``), or ``None``: read from the primary."""
    return current().read_database_url or None


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or ``None`` for other engines and in-memory databases."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str, *, must_exist: bool = True) -> Engine:
    """Build an engine and check that the database answers.

    Raises:
        DatabaseUnavailable: bad URL, missing SQLite file (when ``must_exist``), server down.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable.of("errors.db_url_invalid", url=url) from exc
    path = sqlite_path(url)
    if path is not None:
        if must_exist and not path.exists():
            raise DatabaseUnavailable.of("errors.db_file_missing", path=path)
        path.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs: dict[str, object] = {"future": True}
    if parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 5}
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseUnavailable.of(
            "errors.db_engine_unsupported", driver=parsed.drivername
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError, OSError) as exc:
        engine.dispose()
        safe = parsed.render_as_string(hide_password=True)
        raise DatabaseUnavailable.of("errors.db_unreachable", url=safe) from exc
    return engine
