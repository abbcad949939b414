"""Reading and validating a bulk-load CSV column-wise (see ``bulk`` for the file format).

The file is parsed by pandas' C reader into string columns: codes and periods are checked once
per distinct value, numbers are converted in one numpy call, and the first ``MAX_REPORTED``
problems are reported with their line numbers. The result is sorted by the unique key, so cells
repeated in the file are neighbours.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data_access.errors import InvalidInput
from data_access.ingest.reference import Reference
from data_access.periods import PERIOD_PATTERN

MAX_REPORTED = 20
_NEED = ("city_code", "indicator", "period", "value")


@dataclass
class Rows:
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


def _header(data: bytes) -> tuple[str, list[str], bytes]:
    """The delimiter, the lower-cased column names of the first line, and the bytes after it."""
    end = len(data)
    for stop in (b"\n", b"\r"):
        k = data.find(stop)
        if k != -1:
            end = min(end, k)
    first = data[:end].decode("utf-8")
    body = data[end + (2 if data[end : end + 2] == b"\r\n" else 1) :]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    names = next(csv.reader([first], delimiter=delimiter), [])
    return delimiter, [h.strip().lstrip("\ufeff").lower() for h in names], body


def parse_rows(data: bytes, ref: Reference) -> Rows:
    """Every row checked; the first ``MAX_REPORTED`` problems raised as one ``InvalidInput``."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput.of("errors.bulk_not_utf8", byte=exc.start) from exc
    delimiter, header, body = _header(data)
    missing = [c for c in _NEED if c not in header]
    if missing:
        raise InvalidInput.of("errors.columns_missing", columns=", ".join(missing))
    pos = [header.index(c) for c in _NEED]
    if "periphery" in header:
        pos.append(header.index("periphery"))
    # pandas takes its column count from the first record: a record of exactly len(header)
    # empty fields stands in for the header, so that shorter records are padded with empty
    # fields, longer ones cut, and no column is ever taken for an index. It is dropped after.
    width = len(header)
    first = (delimiter * (width - 1) + "\n").encode()
    try:
        df = pd.read_csv(
            io.BytesIO(first + body),
            sep=delimiter,
            header=None,
            names=list(range(width)),
            usecols=pos,
            index_col=False,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
            quotechar='"',
            doublequote=True,
        ).iloc[1:]
    except (pd.errors.ParserError, ValueError) as exc:
        raise InvalidInput.of("errors.bulk_csv_unreadable", detail=exc) from exc
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
    period_ok = np.array([PERIOD_PATTERN.fullmatch(p) is not None for p in period_u], dtype=bool)[
        period_i
    ]
    pid, pid_ok = (
        _peripheries(ref, pname, city_i, city_u)
        if pname is not None
        else (np.full(n, -1, dtype=np.int64), np.ones(n, dtype=bool))
    )
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
        raise InvalidInput.of("errors.bulk_rejected", rows=shown)
    order = np.lexsort((pid, period_i, code_i, city_i))
    return Rows(
        np.asarray(city_u, dtype=object)[city_i[order]],
        pid[order],
        np.asarray(code_u, dtype=object)[code_i[order]],
        np.asarray(period_u, dtype=object)[period_i[order]],
        value[order],
    )


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


def _peripheries(
    ref: Reference, pname: np.ndarray, city_i: np.ndarray, city_u: Any
) -> tuple[np.ndarray, np.ndarray]:
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
        found = np.array(
            [
                ref.peripheries.get(cities[int(u) // len(name_u)], {}).get(
                    keys[int(u) % len(name_u)], -1
                )
                for u in uniq
            ],
            dtype=np.int64,
        )
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


def has_repeats(rows: Rows) -> bool:
    """Two rows for the same cell (rows are sorted, so repeats are neighbours)."""
    if len(rows) < 2:
        return False
    same = (
        (rows.city[1:] == rows.city[:-1])
        & (rows.indicator[1:] == rows.indicator[:-1])
        & (rows.period[1:] == rows.period[:-1])
        & (rows.pid[1:] == rows.pid[:-1])
    )
    return bool(same.any())
