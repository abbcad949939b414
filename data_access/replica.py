"""Page reads on a streaming read replica, writes on the primary, and the glue between them.

PostgreSQL does the replication (``pg_basebackup`` + streaming); this module only decides where a
read goes and knows when the replica has caught up:

- :func:`write_position` is the primary's WAL position after a commit (an import, an approval);
- :func:`has_replayed` / :func:`wait_replayed` tell whether the replica has replayed it, which is
  how a person who just wrote reads their own write from the replica (or from the primary until
  the replica has it);
- :class:`ReplicaHealth` remembers that the replica failed, so reads go to the primary for a few
  seconds with one log line instead of one error page per run;
- :func:`data_version` is the newest audit-log entry a database has: every write appends one, so
  it identifies the data a read sees and goes into cache keys (a process that did not make the
  write still notices it).

Nothing here imports streamlit; the app's wrappers live in ``dashboard.cache``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from data_access.errors import DatabaseUnavailable

_LOG = logging.getLogger("lgnet2.replica")

#: After a failure, how long reads stay on the primary before the replica is tried again.
RETRY_SECONDS = 5.0
#: How long a writer waits for the replica to replay its commit before reading from the primary.
REPLAY_WAIT_SECONDS = 2.0


def safe_url(url: str) -> str:
    """``url`` without its password, for logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<invalid database URL>"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def write_position(engine: Engine) -> str | None:
    """The primary's current WAL position (``pg_lsn`` as text); ``None`` on other databases."""
    if not is_postgres(engine):
        return None
    with engine.connect() as conn:
        return str(conn.execute(text("select pg_current_wal_lsn()::text")).scalar_one())


def has_replayed(replica: Engine, lsn: str) -> bool:
    """True when ``replica`` has replayed the WAL up to ``lsn`` (a promoted replica, no longer in
    recovery, has everything it will ever have)."""
    with replica.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "select coalesce(pg_last_wal_replay_lsn() >= cast(:lsn as pg_lsn), true)"
                    " or not pg_is_in_recovery()"
                ),
                {"lsn": lsn},
            ).scalar_one()
        )


def wait_replayed(
    replica: Engine,
    lsn: str,
    timeout: float = REPLAY_WAIT_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> bool:
    """Poll :func:`has_replayed` until it holds or ``timeout`` seconds pass (False then, or when
    the replica does not answer)."""
    deadline = clock() + timeout
    delay = 0.005
    while True:
        try:
            if has_replayed(replica, lsn):
                return True
        except (OperationalError, DBAPIError, OSError):
            return False
        if clock() >= deadline:
            return False
        time.sleep(delay)  # polling the replica's replay position: no event to wait on
        delay = min(delay * 2, 0.1)


def data_version(engine: Engine) -> int:
    """The newest audit-log id plus the newest publication id (0 when empty): it changes with
    every import and approval, and with every publication (issue 13: a publication is
    committed after the change that triggered it, and a successful one adds no audit entry).
    Both only grow, so their sum changes whenever either does."""
    with engine.connect() as conn:
        audit = int(conn.execute(text("select coalesce(max(id), 0) from audit_log")).scalar_one())
        if not inspect(conn).has_table("publication"):
            return audit
        pub = conn.execute(text("select coalesce(max(id), 0) from publication")).scalar_one()
        return audit + int(pub)


def is_connection_error(exc: BaseException) -> bool:
    """True for "the server is not there" (refused, reset, closed), not for SQL errors."""
    if isinstance(exc, DatabaseUnavailable | OSError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        return isinstance(exc, OperationalError) and not _is_sqlite_schema_error(exc)
    return False


def _is_sqlite_schema_error(exc: DBAPIError) -> bool:
    # SQLite reports "no such table" as an OperationalError: a missing table, not a down server.
    return "no such table" in str(exc.orig).lower()


class ReplicaHealth:
    """Whether reads may go to the replica now; thread-safe, one per process.

    ``failed()`` marks it down (logged once per outage) and keeps reads on the primary for
    ``retry`` seconds; ``ok()`` after a successful replica read logs the recovery.
    """

    def __init__(self, retry: float = RETRY_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._retry = retry
        self._clock = clock
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def usable(self) -> bool:
        return self._clock() >= self._down_until

    def failed(self, url: str, exc: BaseException) -> None:
        with self._lock:
            self._down_until = self._clock() + self._retry
            if not self._down:
                self._down = True
                _LOG.warning(
                    "read replica %s not answering (%s): reading from the primary",
                    safe_url(url),
                    type(exc).__name__,
                )

    def ok(self, url: str) -> None:
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    _LOG.warning(
                        "read replica %s answers again: page reads go back to it", safe_url(url)
                    )
