"""The public release (``disclosure.release``) on random tables (hypothesis).

Its observer model is rebuilt here from the monthly structure, independently of the unit the
algorithm solves: every true monthly value of a city (and of a periphery) is an unknown
``>= 0``; a month of the programme is the sum of its cities, a city to date the sum of its
months, a periphery to date the sum of its months, and a city-month is at least the sum of its
peripheries (exactly, when every breakdown is complete). Every suppressed published number must
keep a feasible range of at least 5, no published count of people is 1-9, every rounded one is a
multiple of 5 of at least 10, and the programme to date is the sum of its published months.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd
from hypothesis import example, given
from privacy_tables import known
from test_disclosure_properties import PUBLIC_REGRESSION, SETTINGS, tables

from data_access.disclosure import BELOW, FLAG_PARTIAL, FLAG_ROUNDED, FLAG_SUPPRESSED
from data_access.disclosure.check import Interval, feasible_ranges
from data_access.disclosure.release import disclose_release


def ranges(raw: pd.DataFrame, t) -> tuple[dict[int, Interval], list[Interval], list[float]]:  # type: ignore[no-untyped-def]
    bounds: list[Interval] = []
    truth: list[float] = []
    sums: list[tuple[int, list[int]]] = []
    suppressed: list[int] = []

    def var(b: Interval, v: float, sup: bool = False) -> int:
        bounds.append(b)
        truth.append(float(v))
        if sup:
            suppressed.append(len(bounds) - 1)
        return len(bounds) - 1

    def published(r, v: float) -> int:  # type: ignore[no-untyped-def]
        return var(known(r.value, r.flag, getattr(r, BELOW)), v, r.flag == FLAG_SUPPRESSED)

    city = raw[raw["periphery_id"].isna()]
    per = raw[raw["periphery_id"].notna()]
    x = {(r.city_code, r.period): var(Interval(0, math.inf), r.value) for r in city.itertuples()}
    y = {
        (r.city_code, int(r.periphery_id), r.period): var(Interval(0, math.inf), r.value)
        for r in per.itertuples()
    }
    for r in t.national_by_period.itertuples():
        parts = [i for (c, m), i in x.items() if m == r.period]
        sums.append((published(r, sum(truth[i] for i in parts)), parts))
    for r in t.city_totals.itertuples():
        parts = [i for (c, m), i in x.items() if c == r.city_code]
        sums.append((published(r, sum(truth[i] for i in parts)), parts))
    for r in t.periphery_totals.itertuples():
        parts = [i for (c, p, m), i in y.items() if (c, p) == (r.city_code, r.periphery_id)]
        sums.append((published(r, sum(truth[i] for i in parts)), parts))
    by_cm: dict[tuple[str, str], list[int]] = defaultdict(list)
    for (c, _, m), i in y.items():
        by_cm[(c, m)].append(i)
    rests = {k: truth[x[k]] - sum(truth[i] for i in v) for k, v in by_cm.items() if k in x}
    complete = all(r == 0 for r in rests.values())
    for k, r in rests.items():
        rest = var(Interval(r, r) if complete else Interval(0, math.inf), r)
        sums.append((x[k], [*by_cm[k], rest]))
    return feasible_ranges(bounds, sums, suppressed), bounds, truth


@SETTINGS
@given(tables(with_peripheries=True))
@example(PUBLIC_REGRESSION)
def test_release_protects_every_suppressed_number(raw: pd.DataFrame) -> None:
    t = disclose_release(raw)
    assert t.cells.empty  # no monthly counts of people in the public release
    shown = pd.concat(
        [t.city_totals["value"], t.national_by_period["value"], t.periphery_totals["value"]]
    ).dropna()
    assert not ((shown >= 1) & (shown <= 9)).any()
    for part in (t.city_totals, t.national_by_period, t.periphery_totals):
        rounded = part.loc[part["flag"] == FLAG_ROUNDED, "value"]
        assert (rounded % 5 == 0).all() and (rounded >= 10).all()
    found, bounds, truth = ranges(raw, t)
    for b, v in zip(bounds, truth, strict=True):
        assert v in b
    for i, r in found.items():
        assert r.width >= 5, (i, truth[i], r)
    if not t.national_by_period.empty:
        total = t.national_totals.iloc[0]
        months = t.national_by_period
        assert total["value"] == months["value"].sum()  # NaN months skipped
        partial = (months["flag"] == FLAG_SUPPRESSED).any()
        assert (total["flag"] == FLAG_PARTIAL) == partial
