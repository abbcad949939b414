"""Factories and an observer model for the privacy tests (imported by the test modules).

``observer_ranges`` rebuilds, from a ``DisclosedTable`` alone (plus the true values, to fix the
quantities the rules say an observer knows exactly), what an observer can infer: every published
number as an interval, every published total as a sum, and the feasible range of every
suppressed cell or total by linear programming. It restates the rules independently of
``disclosure_units`` (which builds the same sums for the algorithm).
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from data_access.catalogue import programme_periods
from data_access.disclosure import BELOW, FLAG_ROUNDED, FLAG_SUPPRESSED, DisclosedTable
from data_access.disclosure.check import Interval, feasible_ranges

PERIODS = programme_periods()


def make_observations(
    table: dict[str, list[float | None]],
    indicator: str = "WP3_HOUSED",
    peripheries: dict[tuple[str, int], list[float | None]] | None = None,
) -> pd.DataFrame:
    """Rows for ``{city: [value per month from 2022-10]}``; ``peripheries`` adds rows
    ``{(city, periphery_id): [value per month]}``. ``None`` = no row (missing report)."""
    rows = []
    for city, values in table.items():
        for m, v in zip(PERIODS, values, strict=False):
            if v is not None:
                rows.append((city, pd.NA, indicator, m, float(v)))
    for (city, pid), values in (peripheries or {}).items():
        for m, v in zip(PERIODS, values, strict=False):
            if v is not None:
                rows.append((city, pid, indicator, m, float(v)))
    df = pd.DataFrame(
        rows, columns=["city_code", "periphery_id", "indicator_code", "period", "value"]
    )
    df["periphery_id"] = df["periphery_id"].astype("Int64")
    return df


def known(value: float, flag: str, below: float, *, base: int = 5, threshold: int = 10) -> Interval:
    """What an observer knows of a true value from its published form (the rules, restated)."""
    if flag == FLAG_SUPPRESSED:
        return Interval(1.0, below - 1) if not pd.isna(below) else Interval(1.0, math.inf)
    if flag == FLAG_ROUNDED:
        return Interval(max(value - base // 2, threshold), value + base // 2)
    return Interval(value, value)


class Observer:
    """Variables, bounds and sums of one people-counting flow indicator as published."""

    def __init__(self, raw: pd.DataFrame, table: DisclosedTable, threshold: int = 10) -> None:
        self.bounds: list[Interval] = []
        self.truth: list[float] = []
        self.sums: list[tuple[int, list[int]]] = []
        self.suppressed: list[int] = []
        self.threshold = threshold
        cells = table.cells.merge(
            raw.rename(columns={"value": "true"}),
            on=["city_code", "periphery_id", "indicator_code", "period"],
        )
        cells = cells[cells["true"].notna()]
        x: dict[tuple[str, str], int] = {}
        y: dict[tuple[str, str], list[int]] = defaultdict(list)
        yp: dict[tuple[str, int], list[int]] = defaultdict(list)
        for r in cells.itertuples():
            i = self.var(r.value, r.flag, getattr(r, BELOW), r.true)
            if pd.isna(r.periphery_id):
                x[(r.city_code, r.period)] = i
            else:
                y[(r.city_code, r.period)].append(i)
                yp[(r.city_code, int(r.periphery_id))].append(i)
        true_city = cells[cells["periphery_id"].isna()]
        nvars = []
        for r in table.national_by_period.itertuples():
            i = self.var(
                r.value,
                r.flag,
                getattr(r, BELOW),
                true_city.loc[true_city["period"] == r.period, "true"].sum(),
            )
            self.sums.append((i, [v for (c, m), v in x.items() if m == r.period]))
            nvars.append(i)
        ctot = {}
        for r in table.city_totals.itertuples():
            ctot[r.city_code] = self.var(
                r.value,
                r.flag,
                getattr(r, BELOW),
                true_city.loc[true_city["city_code"] == r.city_code, "true"].sum(),
            )
            self.sums.append(
                (ctot[r.city_code], [v for (c, m), v in x.items() if c == r.city_code])
            )
        for r in table.national_totals.itertuples():
            g = self.var(r.value, r.flag, getattr(r, BELOW), true_city["true"].sum())
            self.sums.append((g, list(ctot.values())))
            self.sums.append((g, nvars))
        # periphery rows break the city row down: a complete breakdown (every remainder 0) is
        # known to be complete; otherwise a remainder is only known to be >= 0
        rests = {
            key: self.truth[x[key]] - sum(self.truth[i] for i in items)
            for key, items in y.items()
            if key in x
        }
        complete = all(r == 0 for r in rests.values())
        for key, r in rests.items():
            self.sums.append((x[key], [*y[key], self.remainder(r, complete)]))
        ptot = defaultdict(list)
        for r in table.periphery_totals.itertuples():
            parts = yp[(r.city_code, int(r.periphery_id))]
            p = self.var(r.value, r.flag, getattr(r, BELOW), sum(self.truth[i] for i in parts))
            self.sums.append((p, parts))
            ptot[r.city_code].append(p)
        for c, ps in ptot.items():
            if c in ctot:
                r = self.truth[ctot[c]] - sum(self.truth[i] for i in ps)
                self.sums.append((ctot[c], [*ps, self.remainder(r, complete and r == 0)]))

    def var(self, value: float, flag: str, below: float, truth: float) -> int:
        self.bounds.append(known(value, flag, below, threshold=self.threshold))
        self.truth.append(float(truth))
        if flag == FLAG_SUPPRESSED:
            self.suppressed.append(len(self.bounds) - 1)
        return len(self.bounds) - 1

    def remainder(self, truth: float, known_exactly: bool) -> int:
        self.bounds.append(Interval(truth, truth) if known_exactly else Interval(0.0, math.inf))
        self.truth.append(truth)
        return len(self.bounds) - 1

    def ranges(self) -> dict[int, Interval]:
        return feasible_ranges(self.bounds, self.sums, self.suppressed)
