"""Pure parsers for the cells of a report: numbers as Italian Excel writes them, periods as
spreadsheets mangle them, ISTAT codes that lost their leading zeros."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from data_access.ingest.reader import Cell

_IT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_IT_PLAIN = re.compile(r"^[+-]?\d+(,\d+)?$")
_DOT_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_ANY_PLAIN = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")  # 1.234 / 1,234: thousands or decimals?


class NotANumber(ValueError):
    pass


def parse_number(cell: Cell, decimal: str = ".") -> float | None:
    """The numeric value of a cell, or ``None`` when the cell is empty.

    ``decimal`` is ``","`` for Italian CSV (dot = thousands: ``1.234,5`` -> 1234.5), ``"."`` for
    comma CSV (``1234.5``), ``"auto"`` for text cells in XLSX (``12,5`` or ``12.5``; ``1.234`` is ambiguous and refused).

    Raises:
        NotANumber: text that is not a number in that convention (``12.5`` in an Italian CSV,
            ``1,234`` in a comma CSV and ``n.d.`` are refused rather than guessed).
    """
    if cell is None:
        return None
    if isinstance(cell, bool) or isinstance(cell, (datetime, date)):
        raise NotANumber(str(cell))
    if isinstance(cell, (int, float)):
        if isinstance(cell, float) and not math.isfinite(cell):
            raise NotANumber(str(cell))
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if decimal == ",":
        if _IT_THOUSANDS.match(text):
            return float(text.replace(".", "").replace(",", "."))
        if _IT_PLAIN.match(text):
            return float(text.replace(",", "."))
    elif decimal == ".":
        if _DOT_PLAIN.match(text):
            return float(text)
    elif _ANY_PLAIN.match(text) and not _AMBIGUOUS.match(text):
        return float(text.replace(",", "."))
    raise NotANumber(text)


_PERIOD_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), (1, 2)),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), (1, 2)),
    (re.compile(r"^(\d{4})/(\d{1,2})$"), (1, 2)),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), (2, 1)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2)),  # dd/mm/yyyy, Italian order
)


def parse_period(cell: Cell) -> str | None:
    """``YYYY-MM`` from a text or a date cell (Excel turns ``2023-05`` into a date), or
    ``None`` when it cannot be read."""
    if isinstance(cell, (datetime, date)):
        return f"{cell.year:04d}-{cell.month:02d}"
    if cell is None or isinstance(cell, (bool, float, int)):
        return None
    text = str(cell).strip()
    for pattern, (yi, mi) in _PERIOD_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month = int(m.group(yi)), int(m.group(mi))
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return f"{year:04d}-{month:02d}"
    return None


def parse_code(cell: Cell) -> str:
    """An ISTAT code as text; numeric cells and short digit strings regain their leading zeros
    (``1272`` -> ``001272``)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    if text.isdigit() and len(text) < 6:
        text = text.zfill(6)
    return text


def parse_text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()
