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
        raise DatabaseUnavailable(
            f"URL del database non valido: {url!r}.",
            f"Invalid database URL: {url!r}.",
            "Usa ad esempio sqlite:///percorso/file.sqlite o postgresql+psycopg://utente@host/db.",
            "Use e.g. sqlite:///path/file.sqlite or postgresql+psycopg://user@host/db.",
        ) from exc
    path = sqlite_path(url)
    if path is not None:
        if must_exist and not path.exists():
            raise DatabaseUnavailable(
                f"Il file del database non esiste: {path}.",
                f"The database file does not exist: {path}.",
                "Crealo con 'lgnet2 demo' o importa i dati con 'lgnet2 import'.",
                "Create it with 'lgnet2 demo' or load data with 'lgnet2 import'.",
            )
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
        raise DatabaseUnavailable(
            f"Motore di database non supportato: {parsed.drivername}.",
            f"Unsupported database engine: {parsed.drivername}.",
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError, OSError) as exc:
        engine.dispose()
        safe = parsed.render_as_string(hide_password=True)
        raise DatabaseUnavailable(
            f"Il database non risponde ({safe}).",
            f"The database is not reachable ({safe}).",
            "Controlla che il server sia avviato e l'URL corretto.",
            "Check that the server is running and the URL is right.",
        ) from exc
    return engine
