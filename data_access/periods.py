"""Months: the ``YYYY-MM`` format, month arithmetic and the reporting deadline, defined once.

Every layer that reads, writes or compares a month uses these: the queries' filters, the
metrics, the report template and its validation, the import, the demo data, completeness.

- A period is a ``YYYY-MM`` string (``2023-06``); programme months run from
  :data:`~data_access.catalogue.PROGRAMME_START` to :data:`~data_access.catalogue.PROGRAMME_END`.
- A month's report is due by the :data:`DEADLINE_DAY` th of the following month, any hour of
  that day (Italian local time): :func:`report_deadline` is that day, :func:`deadline_closes`
  the first moment after it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from data_access.catalogue import PROGRAMME_END, PROGRAMME_START
from data_access.errors import InvalidInput

PERIOD_PATTERN = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
DEADLINE_DAY = 15


def is_period(value: object) -> bool:
    """True for a ``YYYY-MM`` string with a real month."""
    return isinstance(value, str) and PERIOD_PATTERN.fullmatch(value) is not None


def check_period(period: str) -> str:
    """Return ``period`` if it is a ``YYYY-MM`` string, else raise ``InvalidInput``."""
    if not is_period(period):
        raise InvalidInput.of("errors.period_invalid", period=period)
    return period


def check_programme_period(period: str) -> str:
    """Return ``period`` if it is a ``YYYY-MM`` month of the programme, else ``InvalidInput``."""
    if not is_period(period) or not (PROGRAMME_START <= period <= PROGRAMME_END):
        raise InvalidInput.of(
            "errors.period_invalid",
            hint="errors.period_programme_hint",
            period=period,
            start=PROGRAMME_START,
            end=PROGRAMME_END,
        )
    return period


def period_index(period: str) -> int:
    """Months since year 0 (``2022-10`` -> 24273); differences count calendar months."""
    check_period(period)
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def index_period(index: int) -> str:
    """Inverse of :func:`period_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def next_period(period: str) -> str:
    """The month after ``period``."""
    return index_period(period_index(period) + 1)


def days_in_month(period: str) -> int:
    """Number of days of the month ``period`` (28-31)."""
    check_period(period)
    return calendar.monthrange(int(period[:4]), int(period[5:7]))[1]


def report_deadline(period: str, day: int = DEADLINE_DAY) -> dt.date:
    """The last day to submit ``period``'s report on time: the ``day``-th of the next month."""
    nxt = next_period(period)
    return dt.date(int(nxt[:4]), int(nxt[5:7]), day)


def deadline_closes(period: str, day: int = DEADLINE_DAY) -> dt.datetime:
    """The first moment (local time) at which a report of ``period`` is late: midnight after
    :func:`report_deadline`. A report submitted before it is on time."""
    return dt.datetime.combine(report_deadline(period, day) + dt.timedelta(days=1), dt.time())
