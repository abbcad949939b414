"""The public release: counts of people at the levels where they are large enough (issue 13).

Monthly counts of people per city are small (in the demo 44% of them would be suppressed), so the
public release does not publish them. For every indicator that counts people it publishes:

- ``city_totals``: each city's value to date (a flow's sum over the released months, a stock's
  last month);
- ``periphery_totals``: each periphery's value to date;
- ``national_by_period``: the national value of every month (all cities);
- ``national_totals``: the national value to date, *defined as the sum of the published national
  months* (flag ``"parziale"`` when a month is suppressed, ``"arrotondato"`` when one is
  rounded): derived from published numbers, it reveals nothing more, and the figure a page
  shows as the programme's total is a row of the release.

All of them are protected together (``core.protect_unit``, public policy: "<10", rounding to 5,
secondary suppression, every suppressed quantity keeps a feasible range of at least 5). The
observer's model: the true monthly city values are unknown; what ties the published numbers is
that the national total to date (never published itself) is both the sum of the cities and the
sum of the months, and a city's value to date is at least the sum of its peripheries (exactly,
when the breakdown is complete).

Indicators that do not count people keep their monthly cells, exact, with exact totals; a ratio
with a people part keeps only its totals, recomputed from its disclosed parts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, Indicator
from data_access.disclosure.core import EXACT, PRIMARY, PUBLIC_POLICY, Policy, Unit, protect_unit
from data_access.disclosure.tables import (
    BELOW,
    FLAG_NONE,
    FLAG_PARTIAL,
    FLAG_ROUNDED,
    FLAG_SUPPRESSED,
    TOTAL_COLUMNS,
    DisclosedTable,
    apply_ratios,
    collect_totals,
)
from data_access.disclosure.units import Published, TotalsOut, exact_totals
from data_access.viewer import PUBLIC


def sensitive(code: str, catalogue: Mapping[str, Indicator] | None = None) -> bool:
    """True when the indicator counts people, or is a ratio with a part that does (unknown
    codes count people: fail-safe)."""
    cat = INDICATOR_BY_CODE if catalogue is None else catalogue
    ind = cat.get(code)
    if ind is None:
        return True
    if ind.kind == "ratio":
        return any(p is None or sensitive(p, cat) for p in (ind.numerator, ind.denominator))
    return ind.counts_people


def release_unit(rows: pd.DataFrame, code: str, kind: str, policy: Policy) -> TotalsOut:
    """Protect one people-counting indicator at the release levels (module docstring)."""
    rows = rows[rows["value"].notna()]
    city = rows[rows["periphery_id"].isna()]
    per = rows[rows["periphery_id"].notna()]
    unit = Unit()
    keyed: dict[str, dict[tuple[object, ...], int]] = {k: {} for k in TotalsOut().rows}
    months = {
        m: unit.add(float(g["value"].sum()), True) for m, g in city.groupby("period", sort=True)
    }
    for m, i in months.items():
        keyed["national_by_period"][(code, m)] = i
    ordered = city.sort_values("period", kind="stable")
    if kind == "stock":
        to_date = ordered.groupby("city_code", sort=True)["value"].last()
        per_date = (
            per.sort_values("period", kind="stable")
            .groupby(["city_code", "periphery_id"], sort=True)["value"]
            .last()
        )
    else:
        to_date = ordered.groupby("city_code", sort=True)["value"].sum()
        per_date = per.groupby(["city_code", "periphery_id"], sort=True)["value"].sum()
    cities = {c: unit.add(float(v), True) for c, v in to_date.items()}
    for c, i in cities.items():
        keyed["city_totals"][(c, code)] = i
    if kind != "stock" and cities:
        grand = unit.add(float(to_date.sum()), False, unknown=True)  # never published
        unit.add_sum(grand, list(cities.values()))
        unit.add_sum(grand, list(months.values()))
    pers: dict[object, list[int]] = {}
    for (c, p), v in per_date.items():
        i = unit.add(float(v), True)
        keyed["periphery_totals"][(c, p, code)] = i
        pers.setdefault(c, []).append(i)
    rests = {
        c: unit.values[cities[c]] - sum(unit.values[i] for i in items)
        for c, items in pers.items()
        if c in cities
    }
    complete = all(r == 0 for r in rests.values())
    for c, r in rests.items():
        rest = unit.add(r, False, unknown=not complete)
        unit.add_sum(cities[c], [*pers[c], rest])
    protect_unit(unit, policy, pair_unknown_sums=False)

    def pub(i: int) -> Published:
        below = float(policy.threshold) if unit.state[i] == PRIMARY else math.nan
        return (unit.shown[i], unit.state[i], below)

    out = TotalsOut()
    for name, items in keyed.items():
        out.rows[name] = {k: pub(i) for k, i in items.items()}
    if kind == "stock" and months:
        last = max(months, key=str)
        out.rows["national_totals"][(code,)] = pub(months[last])
    return out


def _derived_national(national_by_period: pd.DataFrame, code: str) -> dict[str, object]:
    """The national value to date of a flow: the sum of its published months."""
    rows = national_by_period[national_by_period["indicator_code"] == code]
    flags = set(rows["flag"])
    if FLAG_SUPPRESSED in flags:
        flag = FLAG_PARTIAL
    elif FLAG_ROUNDED in flags:
        flag = FLAG_ROUNDED
    else:
        flag = FLAG_NONE
    return {
        "indicator_code": code,
        "value": float(rows["value"].sum()),
        "flag": flag,
        BELOW: math.nan,
    }


def disclose_release(
    frame: pd.DataFrame,
    catalogue: Mapping[str, Indicator] | None = None,
    policy: Policy = PUBLIC_POLICY,
) -> DisclosedTable:
    """The public release of a frame of released values (every city, month, city and
    periphery row): cells of the indicators that do not count people, and the totals of every
    indicator, people protected at the release levels (module docstring).

    Args:
        frame: columns ``city_code, periphery_id, indicator_code, period, value``.
    """
    cat = INDICATOR_BY_CODE if catalogue is None else catalogue
    df = frame.copy()
    if "periphery_id" not in df:
        df["periphery_id"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["value"] = df["value"].astype(float)
    out: dict[str, list[dict[str, object]]] = {k: [] for k in TOTAL_COLUMNS}
    derived: list[dict[str, object]] = []
    for code, rows in df.groupby("indicator_code", sort=True):
        code = str(code)
        ind = cat.get(code)
        if ind is not None and ind.kind == "ratio":
            continue
        kind = ind.kind if ind else "flow"
        if sensitive(code, cat):
            totals = release_unit(rows, code, kind, policy)
            collect_totals(out, totals)
            if kind != "stock":
                nat = pd.DataFrame(
                    out["national_by_period"], columns=TOTAL_COLUMNS["national_by_period"]
                )
                derived.append(_derived_national(nat, code))
        else:
            collect_totals(out, exact_totals(rows, code, kind))
    out["national_totals"] += derived
    df["flag"] = FLAG_NONE
    df[BELOW] = math.nan
    df = df.reset_index(drop=True)
    apply_ratios(df, out, cat, PUBLIC)  # ratio totals from the disclosed parts' totals
    keep = ~df["indicator_code"].astype(str).map(lambda c: sensitive(c, cat))
    cells = df[keep.to_numpy(dtype=bool)].reset_index(drop=True)
    frames = {k: pd.DataFrame(v, columns=TOTAL_COLUMNS[k]) for k, v in out.items()}
    if not frames["periphery_totals"].empty:
        frames["periphery_totals"]["periphery_id"] = frames["periphery_totals"][
            "periphery_id"
        ].astype("Int64")
    return DisclosedTable(cells, **frames)


__all__ = ["EXACT", "disclose_release", "release_unit", "sensitive"]
