"""Bulk load of observation rows from CSV (history back-fills, benchmarks): one transaction for
the whole file, no ORM objects.

Input columns (header required, any order, extra columns such as ``city`` or ``flag`` of
``lgnet2 export observations`` ignored): ``city_code, indicator, period, value`` and optionally
``periphery`` (a periphery name of that city). Comma or semicolon separated, UTF-8.

How it stays fast (about 1,000,000 rows in a few seconds):

- The file is parsed by pandas' C reader into string columns and validated column-wise: codes
  and periods are checked once per distinct value, numbers are converted in one numpy call. The
  first ``MAX_REPORTED`` problems are still reported with their line numbers.
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

import codecs
import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, bindparam, delete, text, tuple_
from sqlalchemy.exc import IntegrityError

from data_access.errors import InvalidInput
from data_access.schema import Observation

from .reference import Reference, load_reference
from .store import _audit

CHUNK = 50_000
MAX_REPORTED = 20
# SQLite: loads of at least this many rows, and at least as many as the table already holds,
# drop the non-unique indexes and rebuild them once at the end (inside the same transaction).
REBUILD_MIN_ROWS = 100_000
REBUILD_INDEXES = ("ix_observation_indicator_period", "ix_observation_city_period")
SQLITE_CACHE_KIB = 256 * 1024  # page cache of the loading connection only (restored afterwards)
COPY_BLOCK_ROWS = 50_000
_PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_NEED = ("city_code", "indicator", "period", "value")
_COLUMNS = "city_code, periphery_id, indicator_code, period, value"


@dataclass
class BulkResult:
    rows: int
    replaced_cells: int


@dataclass
class _Rows:
    """Validated rows sorted by (city, indicator, period, periphery); ``pid`` -1 means none."""

    city: np.ndarray
    pid: np.ndarray
    indicator: np.ndarray
    period: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.value)

    def pids(self) -> list[int | None]:
        out = self.pid.astype(object)
        out[self.pid < 0] = None
        return out.tolist()  # type: ignore[no-any-return]

    def cells(self) -> set[tuple[str, str]]:
        """The distinct (city, period) pairs of the file."""
        pairs = pd.DataFrame({"c": self.city, "p": self.period}).drop_duplicates()
        return set(zip(pairs["c"].tolist(), pairs["p"].tolist(), strict=True))


def bulk_load_observations(engine: Engine, source: str | Path | IO[bytes], actor: str, *,
                           replace: bool = False) -> BulkResult:
    """Validate and insert every row of ``source`` in one transaction (all or nothing).

    Args:
        source: a path or a binary file object.
        replace: delete the stored observations of every (city, period) present in the file
            first; without it a cell that already exists makes the whole load fail.

    Returns:
        The number of rows inserted and of stored cells replaced.

    Raises:
        InvalidInput: missing columns, unknown codes, bad periods or values (the first
            ``MAX_REPORTED`` problems are listed), cells repeated in the file, or cells already
            stored (without ``replace``).
    """
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            data = fh.read()
    else:
        data = source.read()
    rows = _parse(data, load_reference(engine))
    replaced = 0
    try:
        if _has_repeats(rows):
            raise _DuplicateCell("cells repeated in the file")
        if engine.dialect.name == "sqlite":
            replaced = _load_sqlite(engine, rows, actor, replace)
        else:
            replaced = _load_pg(engine, rows, actor, replace)
    except _ReferenceChanged as exc:
        raise InvalidInput(
            "Città, indicatori o periferie sono cambiati durante il caricamento: nulla è stato scritto.",
            "Cities, indicators or peripheries changed during the load: nothing was written.",
            "Riprovare.", "Try again.") from exc
    except (IntegrityError, _DuplicateCell) as exc:
        raise InvalidInput(
            "Alcune celle (città, indicatore, mese) sono già presenti o ripetute: nulla è stato scritto.",
            "Some cells (city, indicator, month) already exist or repeat: nothing was written.",
            "Usare replace=True (--replace) per sostituire i mesi presenti nel file.",
            "Use replace=True (--replace) to replace the months present in the file.") from exc
    return BulkResult(len(rows), replaced)


# --- reading and validation ----------------------------------------------------------------

def _header(data: bytes) -> tuple[str, list[str], bytes]:
    """The delimiter, the lower-cased column names of the first line, and the bytes after it."""
    end = len(data)
    for stop in (b"\n", b"\r"):
        k = data.find(stop)
        if k != -1:
            end = min(end, k)
    first = data[:end].decode("utf-8")
    body = data[end + (2 if data[end:end + 2] == b"\r\n" else 1):]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    names = next(csv.reader([first], delimiter=delimiter), [])
    return delimiter, [h.strip().lstrip("\ufeff").lower() for h in names], body


def _parse(data: bytes, ref: Reference) -> _Rows:
    """Every row checked; the first ``MAX_REPORTED`` problems raised as one ``InvalidInput``."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"Il file non è in UTF-8 (byte {exc.start}).",
                           f"The file is not UTF-8 (byte {exc.start}).") from exc
    delimiter, header, body = _header(data)
    missing = [c for c in _NEED if c not in header]
    if missing:
        raise InvalidInput(f"Colonne mancanti: {', '.join(missing)}.", f"Missing columns: {', '.join(missing)}.")
    pos = [header.index(c) for c in _NEED]
    if "periphery" in header:
        pos.append(header.index("periphery"))
    # pandas takes its column count from the first record: a record of exactly len(header)
    # empty fields stands in for the header, so that shorter records are padded with empty
    # fields, longer ones cut, and no column is ever taken for an index. It is dropped after.
    width = len(header)
    first = (delimiter * (width - 1) + "\n").encode()
    try:
        df = pd.read_csv(io.BytesIO(first + body), sep=delimiter, header=None, names=list(range(width)),
                         usecols=pos, index_col=False, dtype=object, na_filter=False,
                         skip_blank_lines=False, engine="c", encoding="utf-8", quotechar='"',
                         doublequote=True).iloc[1:]
    except (pd.errors.ParserError, ValueError) as exc:
        raise InvalidInput(f"Il file CSV non è leggibile: {exc}".strip(),
                           f"The CSV file cannot be read: {exc}".strip()) from exc
    n = len(df)
    city, code, period, raw = (df[p].to_numpy(dtype=object) for p in pos[:4])
    pname = df[pos[4]].to_numpy(dtype=object) if len(pos) == 5 else None

    # A record shorter than the last column we read is reported as "columns" (pandas pads it
    # with empty strings, so only records ending in an empty field need a closer look).
    short = np.zeros(n, dtype=bool)
    last = df[max(pos)].to_numpy(dtype=object)
    suspects = np.flatnonzero(last == "")
    if len(suspects):
        counts = _field_counts(body, delimiter, n)
        if counts is not None:
            short[suspects] = counts[suspects] <= max(pos)

    city_i, city_u = pd.factorize(city, sort=True)
    code_i, code_u = pd.factorize(code, sort=True)
    period_i, period_u = pd.factorize(period, sort=True)
    city_ok = np.array([c in ref.cities for c in city_u], dtype=bool)[city_i] & ~short
    code_ok = np.array([c in ref.indicators for c in code_u], dtype=bool)[code_i]
    period_ok = np.array([_PERIOD.fullmatch(p) is not None for p in period_u], dtype=bool)[period_i]
    pid, pid_ok = _peripheries(ref, pname, city_i, city_u) if pname is not None else (
        np.full(n, -1, dtype=np.int64), np.ones(n, dtype=bool))
    value = _floats(raw)
    with np.errstate(invalid="ignore"):
        value_ok = np.isfinite(value) & (value >= 0)
    bad = ~(city_ok & code_ok & period_ok & pid_ok & value_ok)
    if bad.any():
        problems = []
        for k in np.flatnonzero(bad)[:MAX_REPORTED].tolist():
            line = k + 2
            if short[k]:
                problems.append(f"{line}: columns")
            elif not city_ok[k]:
                problems.append(f"{line}: city {city[k]!r}")
            elif not code_ok[k]:
                problems.append(f"{line}: indicator {code[k]!r}")
            elif not period_ok[k]:
                problems.append(f"{line}: period {period[k]!r}")
            elif not pid_ok[k]:
                assert pname is not None
                problems.append(f"{line}: periphery {pname[k].strip()!r}")
            else:
                problems.append(f"{line}: value {raw[k]!r}")
        shown = "; ".join(problems)
        raise InvalidInput(f"Caricamento massivo respinto, nulla è stato scritto. Righe: {shown}.",
                           f"Bulk load rejected, nothing was written. Rows: {shown}.")
    order = np.lexsort((pid, period_i, code_i, city_i))
    return _Rows(np.asarray(city_u, dtype=object)[city_i[order]], pid[order],
                 np.asarray(code_u, dtype=object)[code_i[order]],
                 np.asarray(period_u, dtype=object)[period_i[order]], value[order])


def _field_counts(body: bytes, delimiter: str, n: int) -> np.ndarray | None:
    """Fields per record of ``body``, or ``None`` if they cannot be matched to pandas' records."""
    if b'"' not in body and body.count(b"\r") == body.count(b"\r\n"):
        # Unquoted: one record per line, fields = delimiters + 1 (vectorised).
        buf = np.frombuffer(body, dtype=np.uint8)
        newlines = np.flatnonzero(buf == ord("\n"))
        delims = np.flatnonzero(buf == ord(delimiter))
        lines = len(newlines) + (0 if not body or body.endswith(b"\n") else 1)
        counts = np.bincount(np.searchsorted(newlines, delims), minlength=lines) + 1
    else:
        records = csv.reader(io.StringIO(body.decode("utf-8"), newline=""), delimiter=delimiter)
        counts = np.fromiter((len(r) for r in records), dtype=np.int64)
    return counts if len(counts) == n else None


def _peripheries(ref: Reference, pname: np.ndarray, city_i: np.ndarray,
                 city_u: Any) -> tuple[np.ndarray, np.ndarray]:
    """Periphery ids (-1 when the name is empty) and whether each named one exists in its city."""
    n = len(pname)
    name_i, name_u = pd.factorize(pname)
    keys = [str(s).strip().casefold() for s in name_u]
    named = np.array([bool(k) for k in keys], dtype=bool)[name_i]
    pid = np.full(n, -1, dtype=np.int64)
    ok = np.ones(n, dtype=bool)
    if named.any():
        rows = np.flatnonzero(named)
        pair = city_i[rows].astype(np.int64) * len(name_u) + name_i[rows]
        uniq, inverse = np.unique(pair, return_inverse=True)
        cities = list(city_u)
        found = np.array([ref.peripheries.get(cities[int(u) // len(name_u)], {})
                          .get(keys[int(u) % len(name_u)], -1) for u in uniq], dtype=np.int64)
        pid[rows] = found[inverse]
        ok[rows] = found[inverse] >= 0
    return pid, ok


def _floats(raw: np.ndarray) -> np.ndarray:
    """``float()`` of every string (NaN where it fails), in one numpy call when all parse."""
    try:
        return raw.astype(np.float64)
    except (ValueError, TypeError):
        out = np.full(len(raw), np.nan)
        for k, s in enumerate(raw.tolist()):
            try:
                out[k] = float(s)
            except (ValueError, TypeError):
                pass
        return out


def _has_repeats(rows: _Rows) -> bool:
    """Two rows for the same cell (rows are sorted, so repeats are neighbours)."""
    if len(rows) < 2:
        return False
    same = ((rows.city[1:] == rows.city[:-1]) & (rows.indicator[1:] == rows.indicator[:-1])
            & (rows.period[1:] == rows.period[:-1]) & (rows.pid[1:] == rows.pid[:-1]))
    return bool(same.any())


# --- writing -------------------------------------------------------------------------------

def _delete_cells(conn: Connection, pairs: set[tuple[str, str]]) -> int:
    total = 0
    items = sorted(pairs)
    for start in range(0, len(items), 500):
        chunk = items[start:start + 500]
        res = conn.execute(delete(Observation).where(
            tuple_(Observation.city_code, Observation.period).in_(chunk)))
        total += res.rowcount or 0
    return total


class _DuplicateCell(Exception):
    pass


class _ReferenceChanged(Exception):
    pass


def _check_references(conn: Connection, rows: _Rows, *, lock: bool) -> None:
    """The file's distinct cities, indicators and peripheries still exist (validation read them
    before the transaction); ``lock`` keeps them so until commit (PostgreSQL ``FOR KEY SHARE``)."""
    wanted = (("city", "code", set(pd.unique(rows.city).tolist())),
              ("indicator", "code", set(pd.unique(rows.indicator).tolist())),
              ("periphery", "id", set(np.unique(rows.pid[rows.pid >= 0]).tolist())))
    for table, column, values in wanted:
        if not values:
            continue
        stmt = text(f"SELECT {column} FROM {table} WHERE {column} IN :keys"
                    + (" FOR KEY SHARE" if lock else "")).bindparams(bindparam("keys", expanding=True))
        found = set(conn.execute(stmt, {"keys": sorted(values)}).scalars())
        if found != values:
            raise _ReferenceChanged(f"{table}: {sorted(values - found)[:5]}")


def _load_sqlite(engine: Engine, rows: _Rows, actor: str, replace: bool) -> int:
    """Insert on a dedicated connection (see the module docstring); returns the cells replaced."""
    with engine.connect() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        if raw.in_transaction:  # never expected from the pool; the settings below need none
            conn.rollback()
        saved = (raw.isolation_level, raw.execute("PRAGMA foreign_keys").fetchone()[0],
                 raw.execute("PRAGMA cache_size").fetchone()[0])
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
                _audit(conn, actor, "bulk_load", None, None, None, {"rows": len(rows), "replaced": replaced})
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
    found: dict[str, str | None] = {name: sql for name, sql in conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observation'")}
    return {name: sql for name in REBUILD_INDEXES if (sql := found.get(name))}


def _chunks(rows: _Rows, size: int) -> Iterator[list[tuple[str, int | None, str, str, float]]]:
    pids = rows.pids()
    city, code, period, value = (rows.city.tolist(), rows.indicator.tolist(), rows.period.tolist(),
                                 rows.value.tolist())
    for start in range(0, len(rows), size):
        stop = start + size
        yield list(zip(city[start:stop], pids[start:stop], code[start:stop], period[start:stop],
                       value[start:stop], strict=True))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(values: np.ndarray) -> list[str]:
    """Text-format COPY fields for a column of validated strings (escaped only when needed)."""
    out: list[str] = values.tolist()
    if any(ch in s for s in set(out) for ch in "\\\t\n\r"):
        out = [s.translate(_COPY_ESCAPES) for s in out]
    return out


def _load_pg(engine: Engine, rows: _Rows, actor: str, replace: bool) -> int:
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
        _audit(conn, actor, "bulk_load", None, None, None, {"rows": len(rows), "replaced": replaced})
    return replaced


def _may_set_replication_role(conn: Connection) -> bool:
    if conn.exec_driver_sql("SELECT current_setting('is_superuser')").scalar() == "on":
        return True
    if (conn.dialect.server_version_info or (0,)) >= (15,):
        return bool(conn.exec_driver_sql(
            "SELECT has_parameter_privilege('session_replication_role', 'SET')").scalar())
    return False


def _copy_pg(conn: Connection, rows: _Rows) -> None:
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
                copy.write("".join([
                    f"{a}\t{b}\t{c}\t{d}\t{e}\n" for a, b, c, d, e in zip(
                        city[start:stop], pid[start:stop], code[start:stop], period[start:stop],
                        value[start:stop], strict=True)]))


__all__ = ["BulkResult", "bulk_load_observations"]
