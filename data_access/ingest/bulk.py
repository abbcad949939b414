"""Bulk load of observation rows from CSV (history back-fills, benchmarks): Core executemany on
SQLite, COPY on PostgreSQL, one transaction for the whole file, no ORM objects.

Input columns (header required, any order, extra columns such as ``city`` or ``flag`` of
``lgnet2 export observations`` ignored): ``city_code, indicator, period, value`` and optionally
``periphery`` (a periphery name of that city). Comma or semicolon separated, UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, delete, tuple_
from sqlalchemy.exc import IntegrityError

from data_access.errors import InvalidInput
from data_access.schema import Observation

from .reference import load_reference
from .store import _audit

CHUNK = 50_000
MAX_REPORTED = 20
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass
class BulkResult:
    rows: int
    replaced_cells: int


def _rows(fh: IO[str]) -> tuple[list[str], Iterator[list[str]]]:
    first = fh.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = [h.strip().lstrip("\ufeff").lower() for h in next(csv.reader([first], delimiter=delimiter))]
    return header, csv.reader(fh, delimiter=delimiter)


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
            ``MAX_REPORTED`` problems are listed), or cells already stored (without ``replace``).
    """
    ref = load_reference(engine)
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            return bulk_load_observations(engine, fh, actor, replace=replace)
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
    header, reader = _rows(text)
    need = ("city_code", "indicator", "period", "value")
    missing = [c for c in need if c not in header]
    if missing:
        raise InvalidInput(f"Colonne mancanti: {', '.join(missing)}.", f"Missing columns: {', '.join(missing)}.")
    ic, ii, ip, iv = (header.index(c) for c in need)
    ipp = header.index("periphery") if "periphery" in header else None
    cities, indicators, peripheries = ref.cities, ref.indicators, ref.peripheries
    good_periods: set[str] = set()
    problems: list[str] = []
    rows: list[tuple[str, int | None, str, str, float]] = []
    append = rows.append
    for line, r in enumerate(reader, start=2):
        try:
            city, code, period, raw = r[ic], r[ii], r[ip], r[iv]
            pname = r[ipp].strip() if ipp is not None else ""
        except IndexError:
            problems.append(f"{line}: columns")
            continue
        pid = None
        if city not in cities:
            problems.append(f"{line}: city {city!r}")
        elif code not in indicators:
            problems.append(f"{line}: indicator {code!r}")
        elif period not in good_periods and not _PERIOD.match(period):
            problems.append(f"{line}: period {period!r}")
        else:
            good_periods.add(period)
            if pname:
                pid = peripheries.get(city, {}).get(pname.casefold())
                if pid is None:
                    problems.append(f"{line}: periphery {pname!r}")
                    continue
            try:
                value = float(raw)
            except ValueError:
                problems.append(f"{line}: value {raw!r}")
                continue
            if not value >= 0:
                problems.append(f"{line}: value {raw!r}")
                continue
            append((city, pid, code, period, value))
            continue
        if len(problems) > MAX_REPORTED:
            break
    if problems:
        shown = "; ".join(problems[:MAX_REPORTED])
        raise InvalidInput(f"Caricamento massivo respinto, nulla è stato scritto. Righe: {shown}.",
                           f"Bulk load rejected, nothing was written. Rows: {shown}.")
    replaced = 0
    try:
        with engine.begin() as conn:
            if replace:
                replaced = _delete_cells(conn, {(c, p) for c, _, _, p, _ in rows})
            if conn.dialect.name == "postgresql":
                _copy_pg(conn, rows)
            else:
                # Plain tuples straight to the DBAPI executemany: no per-row dicts or ORM objects.
                sql = ("INSERT INTO observation (city_code, periphery_id, indicator_code, period, value) "
                       "VALUES (?, ?, ?, ?, ?)")
                for start in range(0, len(rows), CHUNK):
                    conn.exec_driver_sql(sql, rows[start:start + CHUNK])  # type: ignore[arg-type]
            _audit(conn, actor, "bulk_load", None, None, None,
                   {"rows": len(rows), "replaced": replaced})
    except (IntegrityError, _DuplicateCell) as exc:
        raise InvalidInput(
            "Alcune celle (città, indicatore, mese) sono già presenti o ripetute: nulla è stato scritto.",
            "Some cells (city, indicator, month) already exist or repeat: nothing was written.",
            "Usare replace=True (--replace) per sostituire i mesi presenti nel file.",
            "Use replace=True (--replace) to replace the months present in the file.") from exc
    return BulkResult(len(rows), replaced)


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


def _copy_pg(conn: Connection, rows: list[tuple[str, int | None, str, str, float]]) -> None:
    import psycopg

    raw = conn.connection.driver_connection  # psycopg 3 connection inside the SQLAlchemy txn
    try:
        with raw.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy("COPY observation (city_code, periphery_id, indicator_code, period, value) "
                          "FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    except psycopg.errors.IntegrityError as exc:  # raw COPY errors are not wrapped by SQLAlchemy
        raise _DuplicateCell(str(exc)) from exc


__all__ = ["BulkResult", "bulk_load_observations"]
