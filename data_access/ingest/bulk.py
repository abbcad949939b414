"""Bulk load of observation rows from CSV (history back-fills, benchmarks): one transaction for
the whole file, no ORM objects.

Input columns (header required, any order, extra columns such as ``city`` or ``flag`` of
``lgnet2 export observations`` ignored): ``city_code, indicator, period, value`` and optionally
``periphery`` (a periphery name of that city). Comma or semicolon separated, UTF-8.

How it stays fast (about 1,000,000 rows in a few seconds):

- The file is parsed by pandas' C reader into string columns and validated column-wise
  (``bulk_read``): codes and periods are checked once per distinct value, numbers are converted
  in one numpy call. The first ``MAX_REPORTED`` problems are still reported with their line
  numbers.
- Rows are sorted by the unique key (city, indicator, period, periphery), so repeated cells in
  the file are found before any write and the B-tree inserts run in key order.
- Foreign keys are not checked row by row: inside the transaction the distinct cities,
  indicators and peripheries of the file are checked once (and on PostgreSQL locked ``FOR KEY
  SHARE``, the lock the per-row checks would take), so the guarantee is the same.
- SQLite: a dedicated connection with ``foreign_keys`` off and a larger page cache, an explicit
  ``BEGIN IMMEDIATE`` so that the DDL below is part of the transaction, and, for loads at least
  as large as the table, the two non-unique indexes dropped and rebuilt inside that transaction
  (a failure rolls them back with the rows). The connection's settings are restored before it
  goes back to the pool.
- PostgreSQL: ``COPY ... FROM STDIN`` fed with large, escaped text blocks. When the role may set
  ``session_replication_role`` (superuser, or ``GRANT SET`` on PostgreSQL 15+), it is set to
  ``replica`` for the COPY only (``SET LOCAL``: never outlives the transaction), which skips
  the foreign-key triggers (two thirds of the time); unique indexes are checked as always.
  Other roles keep the per-row checks. Tables are never locked beyond what a COPY takes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, delete, text, tuple_
from sqlalchemy.exc import IntegrityError

from data_access.errors import InvalidInput
from data_access.ingest.bulk_read import Rows, has_repeats, parse_rows
from data_access.ingest.reference import load_reference
from data_access.ingest.store import write_audit
from data_access.schema import Observation

CHUNK = 50_000
# SQLite: loads of at least this many rows, and at least as many as the table already holds,
# drop the non-unique indexes and rebuild them once at the end (inside the same transaction).
REBUILD_MIN_ROWS = 100_000
REBUILD_INDEXES = ("ix_observation_indicator_period", "ix_observation_city_period")
SQLITE_CACHE_KIB = 256 * 1024  # page cache of the loading connection only (restored afterwards)
COPY_BLOCK_ROWS = 50_000
_COLUMNS = "city_code, periphery_id, indicator_code, period, value"


@dataclass
class BulkResult:
    rows: int
    replaced_cells: int


def bulk_load_observations(
    engine: Engine, source: str | Path | IO[bytes], actor: str, *, replace: bool = False
) -> BulkResult:
    """Validate and insert every row of ``source`` in one transaction (all or nothing).

    Args:
        source: a path or a binary file object.
        replace: delete the stored observations of every (city, period) present in the file
            first; without it a cell that already exists makes the whole load fail.

    Returns:
        The number of rows inserted and of stored cells replaced.

    Raises:
        InvalidInput: missing columns, unknown codes, bad periods or values (the first
            ``bulk_read.MAX_REPORTED`` problems are listed), cells repeated in the file, or cells
            already stored (without ``replace``).
    """
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            data = fh.read()
    else:
        data = source.read()
    rows = parse_rows(data, load_reference(engine))
    replaced = 0
    try:
        if has_repeats(rows):
            raise _DuplicateCell("cells repeated in the file")
        if engine.dialect.name == "sqlite":
            replaced = _load_sqlite(engine, rows, actor, replace)
        else:
            replaced = _load_pg(engine, rows, actor, replace)
    except _ReferenceChanged as exc:
        raise InvalidInput.of("errors.bulk_reference_changed") from exc
    except (IntegrityError, _DuplicateCell) as exc:
        raise InvalidInput.of("errors.bulk_cells_exist") from exc
    return BulkResult(len(rows), replaced)


# --- writing -------------------------------------------------------------------------------


def _delete_cells(conn: Connection, pairs: set[tuple[str, str]]) -> int:
    total = 0
    items = sorted(pairs)
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        res = conn.execute(
            delete(Observation).where(tuple_(Observation.city_code, Observation.period).in_(chunk))
        )
        total += res.rowcount or 0
    return total


class _DuplicateCell(Exception):
    pass


class _ReferenceChanged(Exception):
    pass


def _check_references(conn: Connection, rows: Rows, *, lock: bool) -> None:
    """The file's distinct cities, indicators and peripheries still exist (validation read them
    before the transaction); ``lock`` keeps them so until commit (PostgreSQL ``FOR KEY SHARE``)."""
    wanted = (
        ("city", "code", set(pd.unique(rows.city).tolist())),
        ("indicator", "code", set(pd.unique(rows.indicator).tolist())),
        ("periphery", "id", set(np.unique(rows.pid[rows.pid >= 0]).tolist())),
    )
    for table, column, values in wanted:
        if not values:
            continue
        stmt = text(
            f"SELECT {column} FROM {table} WHERE {column} IN :keys"
            + (" FOR KEY SHARE" if lock else "")
        ).bindparams(bindparam("keys", expanding=True))
        found = set(conn.execute(stmt, {"keys": sorted(values)}).scalars())
        if found != values:
            raise _ReferenceChanged(f"{table}: {sorted(values - found)[:5]}")


def _load_sqlite(engine: Engine, rows: Rows, actor: str, replace: bool) -> int:
    """Insert on a dedicated connection (see the module docstring); returns the cells replaced."""
    with engine.connect() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        if raw.in_transaction:  # never expected from the pool; the settings below need none
            conn.rollback()
        saved = (
            raw.isolation_level,
            raw.execute("PRAGMA foreign_keys").fetchone()[0],
            raw.execute("PRAGMA cache_size").fetchone()[0],
        )
        try:
            # isolation_level None: the sqlite3 module opens no transaction by itself, so the
            # BEGIN below also covers the DDL (DROP/CREATE INDEX) and everything rolls back.
            raw.isolation_level = None
            raw.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction
            raw.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            with conn.begin():
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                _check_references(conn, rows, lock=False)  # the write lock keeps them until commit
                replaced = _delete_cells(conn, rows.cells()) if replace else 0
                rebuild = _indexes_to_rebuild(conn, len(rows))
                for name in rebuild:
                    conn.exec_driver_sql(f'DROP INDEX "{name}"')
                sql = f"INSERT INTO observation ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)"
                cur = raw.cursor()
                try:
                    for part in _chunks(rows, CHUNK):
                        cur.executemany(sql, part)
                except sqlite3.IntegrityError as exc:
                    raise _DuplicateCell(str(exc)) from exc
                finally:
                    cur.close()
                for ddl in rebuild.values():
                    conn.exec_driver_sql(ddl)
                write_audit(
                    conn,
                    actor,
                    "bulk_load",
                    None,
                    None,
                    None,
                    {"rows": len(rows), "replaced": replaced},
                )
        finally:
            try:
                raw.isolation_level = saved[0]
                raw.execute(f"PRAGMA foreign_keys={int(saved[1])}")
                raw.execute(f"PRAGMA cache_size={int(saved[2])}")
            except Exception:
                conn.invalidate()  # never hand a connection with foreign keys off to the pool
                raise
    return replaced


def _indexes_to_rebuild(conn: Connection, n: int) -> dict[str, str]:
    """Name -> CREATE statement of the non-unique indexes worth rebuilding for ``n`` new rows."""
    if n < REBUILD_MIN_ROWS:
        return {}
    stored = conn.exec_driver_sql("SELECT count(*) FROM observation").scalar_one()
    if n < stored:
        return {}
    found: dict[str, str | None] = {
        name: sql
        for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observation'"
        )
    }
    return {name: sql for name in REBUILD_INDEXES if (sql := found.get(name))}


def _chunks(rows: Rows, size: int) -> Iterator[list[tuple[str, int | None, str, str, float]]]:
    pids = rows.pids()
    city, code, period, value = (
        rows.city.tolist(),
        rows.indicator.tolist(),
        rows.period.tolist(),
        rows.value.tolist(),
    )
    for start in range(0, len(rows), size):
        stop = start + size
        yield list(
            zip(
                city[start:stop],
                pids[start:stop],
                code[start:stop],
                period[start:stop],
                value[start:stop],
                strict=True,
            )
        )


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(values: np.ndarray) -> list[str]:
    """Text-format COPY fields for a column of validated strings (escaped only when needed)."""
    out: list[str] = values.tolist()
    if any(ch in s for s in set(out) for ch in "\\\t\n\r"):
        out = [s.translate(_COPY_ESCAPES) for s in out]
    return out


def _load_pg(engine: Engine, rows: Rows, actor: str, replace: bool) -> int:
    """Delete (with ``replace``), COPY and audit in one transaction; returns the cells replaced."""
    import psycopg

    with engine.begin() as conn:
        replaced = _delete_cells(conn, rows.cells()) if replace else 0
        skip_fk_triggers = _may_set_replication_role(conn)
        if skip_fk_triggers:
            _check_references(conn, rows, lock=True)
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        try:
            _copy_pg(conn, rows)
        except psycopg.errors.ForeignKeyViolation as exc:  # raw COPY errors are not wrapped
            raise _ReferenceChanged(str(exc)) from exc
        except psycopg.errors.IntegrityError as exc:
            raise _DuplicateCell(str(exc)) from exc
        if skip_fk_triggers:
            conn.exec_driver_sql("SET LOCAL session_replication_role = DEFAULT")
        write_audit(
            conn, actor, "bulk_load", None, None, None, {"rows": len(rows), "replaced": replaced}
        )
    return replaced


def _may_set_replication_role(conn: Connection) -> bool:
    if conn.exec_driver_sql("SELECT current_setting('is_superuser')").scalar() == "on":
        return True
    if (conn.dialect.server_version_info or (0,)) >= (15,):
        return bool(
            conn.exec_driver_sql(
                "SELECT has_parameter_privilege('session_replication_role', 'SET')"
            ).scalar()
        )
    return False


def _copy_pg(conn: Connection, rows: Rows) -> None:
    """COPY in blocks of text lines: ``city \\t periphery id or \\N \\t indicator \\t period \\t
    value`` (``repr`` of a float reads back as the same float8)."""
    city, code, period = _copy_text(rows.city), _copy_text(rows.indicator), _copy_text(rows.period)
    pid = ["\\N" if p is None else str(p) for p in rows.pids()]
    value = [repr(v) for v in rows.value.tolist()]
    raw = conn.connection.driver_connection  # psycopg 3 connection inside the SQLAlchemy txn
    with raw.cursor() as cur:  # type: ignore[union-attr]
        with cur.copy(f"COPY observation ({_COLUMNS}) FROM STDIN") as copy:
            for start in range(0, len(rows), COPY_BLOCK_ROWS):
                stop = start + COPY_BLOCK_ROWS
                copy.write(
                    "".join(
                        [
                            f"{a}\t{b}\t{c}\t{d}\t{e}\n"
                            for a, b, c, d, e in zip(
                                city[start:stop],
                                pid[start:stop],
                                code[start:stop],
                                period[start:stop],
                                value[start:stop],
                                strict=True,
                            )
                        ]
                    )
                )


__all__ = ["BulkResult", "bulk_load_observations"]
