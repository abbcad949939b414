"""What several commands share: who is acting, and the database a command works on."""

from __future__ import annotations

import argparse
import getpass

from sqlalchemy import Engine

from data_access.config import make_engine, resolve_url
from data_access.db import load_meta


def actor(args: argparse.Namespace) -> str:
    """The name written to the audit log: ``--user``, else ``cli:<login name>``, else ``cli``."""
    if args.user:
        return str(args.user)
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def open_loaded(url: str | None) -> Engine:
    """The engine of ``url`` (``--db``, else the configured database) once it is known to hold
    the schema and the reference data.

    Raises:
        DatabaseUnavailable: it cannot be reached; EmptyDatabase: no schema or no data yet.
    """
    engine = make_engine(resolve_url(url))
    try:
        load_meta(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
