"""From a frame of one indicator's values to a publication unit (cells + totals + sums) and back.

Used by ``data_access.disclosure``; see its docstring for the totals assumed published.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from data_access.disclosure.core import (
    EXACT,
    OTHER_CITY_POLICY,
    PRIMARY,
    PUBLIC_POLICY,
    Policy,
    Unit,
    protect_unit,
)
from data_access.viewer import Viewer

Published = tuple[float, str, float]  # shown value, state, suppressed_below


@dataclass
class TotalsOut:
    """``cells``: frame index -> published; ``rows``: total name -> key -> published."""

    cells: dict[int, Published] = field(default_factory=dict)
    rows: dict[str, dict[tuple[object, ...], Published]] = field(
        default_factory=lambda: {
            "city_totals": {},
            "national_by_period": {},
            "national_totals": {},
            "periphery_totals": {},
        }
    )


def _exact(v: float) -> Published:
    return (float(v), EXACT, math.nan)


def exact_totals(rows: pd.DataFrame, code: str, kind: str) -> TotalsOut:
    """Totals of an unprotected indicator: flows summed, stocks at their last month."""
    out = TotalsOut()
    rows = rows[rows["value"].notna()]
    city = rows[rows["periphery_id"].isna()]
    per = rows[rows["periphery_id"].notna()]
    if city.empty and per.empty:
        return out
    for m, g in city.groupby("period", sort=True):
        out.rows["national_by_period"][(code, m)] = _exact(g["value"].sum())
    if kind == "stock":
        last = city.sort_values("period").groupby("city_code", sort=True).tail(1)
        for r in last.itertuples():
            out.rows["city_totals"][(r.city_code, code)] = _exact(r.value)
        if not city.empty:
            out.rows["national_totals"][(code,)] = out.rows["national_by_period"][
                (code, city["period"].max())
            ]
        lastp = per.sort_values("period").groupby(["city_code", "periphery_id"], sort=True).tail(1)
        for r in lastp.itertuples():
            out.rows["periphery_totals"][(r.city_code, r.periphery_id, code)] = _exact(r.value)
        return out
    for c, g in city.groupby("city_code", sort=True):
        out.rows["city_totals"][(c, code)] = _exact(g["value"].sum())
    if not city.empty:
        out.rows["national_totals"][(code,)] = _exact(city["value"].sum())
    for (c, p), g in per.groupby(["city_code", "periphery_id"], sort=True):
        out.rows["periphery_totals"][(c, p, code)] = _exact(g["value"].sum())
    return out


def build_and_protect(
    rows: pd.DataFrame,
    code: str,
    kind: str,
    viewer: Viewer,
    policy_for: Callable[[Viewer, str | None], Policy | None],
) -> TotalsOut:
    """Build the unit of one people-counting indicator, protect it, map the result back."""
    rows = rows[rows["value"].notna()]
    policy = PUBLIC_POLICY if viewer.role == "public" else OTHER_CITY_POLICY
    unit = Unit()

    def prot(city: object) -> bool:
        return policy_for(viewer, str(city)) is not None

    cell_item: dict[int, int] = {}
    xs: dict[tuple[object, object], list[int]] = defaultdict(list)
    ys: dict[tuple[object, object], list[int]] = defaultdict(list)  # (c, m) -> periphery items
    yp: dict[tuple[object, object], list[tuple[object, int]]] = defaultdict(list)  # (c, p)
    for idx, c, p, m, v in zip(
        rows.index,
        rows["city_code"],
        rows["periphery_id"],
        rows["period"],
        rows["value"],
        strict=True,
    ):
        i = unit.add(v, prot(c))
        cell_item[int(idx)] = i
        if pd.isna(p):
            xs[(c, m)].append(i)
        else:
            ys[(c, m)].append(i)
            yp[(c, p)].append((m, i))

    vals = unit.values
    keyed: dict[str, dict[tuple[object, ...], int]] = {k: {} for k in TotalsOut().rows}

    def total(parts: list[int]) -> int:
        # protected when it holds a protected non-zero part; otherwise it only adds up what
        # the viewer may see anyway (e.g. a city manager's own city plus zeros)
        protected = any(unit.protected[i] and vals[i] != 0 for i in parts)
        t = unit.add(sum(vals[i] for i in parts), protected)
        unit.add_sum(t, parts)
        return t

    by_month: dict[object, list[int]] = defaultdict(list)
    by_city: dict[object, list[tuple[object, int]]] = defaultdict(list)
    for (c, m), items in sorted(xs.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        by_month[m].extend(items)
        by_city[c].extend((m, i) for i in items)
    months = {}
    for m in sorted(by_month, key=str):
        items = by_month[m]
        months[m] = total(items)
        keyed["national_by_period"][(code, m)] = months[m]
    city_item: dict[object, int] = {}
    if kind == "stock":
        for c, mi in by_city.items():
            city_item[c] = max(mi, key=lambda t: str(t[0]))[1]
        if months:
            keyed["national_totals"][(code,)] = months[max(months, key=str)]
    else:
        for c in sorted(by_city, key=str):
            city_item[c] = total([i for _, i in by_city[c]])
        if city_item:
            grand = total(list(city_item.values()))
            unit.add_sum(grand, list(months.values()))
            keyed["national_totals"][(code,)] = grand
    for c, i in city_item.items():
        keyed["city_totals"][(c, code)] = i

    # periphery rows break a city-month row down. When every remainder is zero the breakdown
    # is complete and the observer knows it (remainder exact, 0); otherwise a remainder is only
    # known to be >= 0.
    broken = [((c, m), items) for (c, m), items in ys.items() if len(xs.get((c, m), [])) == 1]
    rests = {key: vals[xs[key][0]] - sum(vals[i] for i in items) for key, items in broken}
    complete = all(r == 0 for r in rests.values())
    for key, items in broken:
        rest = unit.add(rests[key], False, unknown=not complete)
        unit.add_sum(xs[key][0], [*items, rest])
    per_city: dict[object, list[int]] = defaultdict(list)
    for (c, p), mi in sorted(yp.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        if kind == "stock":
            pt = max(mi, key=lambda t: str(t[0]))[1]
        else:
            pt = total([i for _, i in mi])
            per_city[c].append(pt)
        keyed["periphery_totals"][(c, p, code)] = pt
    for c, pts in per_city.items():
        if c in city_item:
            r = vals[city_item[c]] - sum(vals[i] for i in pts)
            rest = unit.add(r, False, unknown=not (complete and r == 0))
            unit.add_sum(city_item[c], [*pts, rest])

    protect_unit(unit, policy)
    out = TotalsOut()

    def pub(i: int) -> Published:
        below = float(policy.threshold) if unit.state[i] == PRIMARY else math.nan
        return (unit.shown[i], unit.state[i], below)

    out.cells = {idx: pub(i) for idx, i in cell_item.items()}
    for name, keyed_items in keyed.items():
        out.rows[name] = {k: pub(i) for k, i in keyed_items.items()}
    return out
