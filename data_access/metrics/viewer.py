"""Cumulated values as one viewer may see them.

Steering and admin (and a city manager for its own city) get ``metrics.compute_cumulative`` on
the raw values. Everyone else gets, for indicators that count people, only numbers derived from
what the disclosure already publishes, so nothing hidden can be recovered by differencing:

- at the latest month with data (programme to date): the jointly protected ``city_totals``;
- at an earlier month: flows add up the published monthly cells (a suppressed month makes the
  sum "n.d."; rounded months make it "arrotondato"), stocks take the last published cell;
- month by month (running totals for charts): flows add up the published months, and from the
  first suppressed month on the sum is flagged "parziale" (a lower bound: the hidden months are
  left out, never estimated), so a city's line does not vanish for one small month;
- ratios with a people part are recomputed from the disclosed cumulated parts.

Other indicators are never altered. Columns: those of ``compute_cumulative`` plus ``flag`` and
``suppressed_below``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, Indicator
from data_access.disclosure import (
    BELOW,
    FLAG_NONE,
    FLAG_PARTIAL,
    FLAG_ROUNDED,
    FLAG_SUPPRESSED,
    DisclosedTable,
    policy_for,
)
from data_access.metrics.cumulative import (
    TOTAL_CODE,
    compute_cumulative,
    compute_cumulative_series,
    compute_total_monthly,
)
from data_access.viewer import Viewer


def _people(ind: Indicator, cat: Mapping[str, Indicator]) -> bool:
    if ind.kind == "ratio":
        return any(cat[p].counts_people for p in (ind.numerator, ind.denominator) if p and p in cat)
    return ind.counts_people


def _from_cells(cells: pd.DataFrame, as_of: str, cat: Mapping[str, Indicator]) -> pd.DataFrame:
    """Cumulate published monthly city cells up to ``as_of`` (flows: sum; stocks: last)."""
    c = cells[cells["periphery_id"].isna() & (cells["period"] <= as_of)]
    rows = []
    for (city, code), g in c.groupby(["city_code", "indicator_code"], sort=False):
        ind = cat[str(code)]
        if ind.kind == "stock":
            last = g.sort_values("period").iloc[-1]
            rows.append((city, code, last["value"], last["flag"], last[BELOW]))
            continue
        if (g["flag"] == FLAG_SUPPRESSED).any():
            rows.append((city, code, math.nan, FLAG_SUPPRESSED, math.nan))
            continue
        flag = FLAG_ROUNDED if (g["flag"] == FLAG_ROUNDED).any() else FLAG_NONE
        rows.append((city, code, float(g["value"].sum()), flag, math.nan))
    return pd.DataFrame(rows, columns=["city_code", "indicator_code", "value", "flag", BELOW])


def compute_viewer_cumulative(
    raw: pd.DataFrame,
    table: DisclosedTable,
    viewer: Viewer,
    as_of: str,
    catalogue: Mapping[str, Indicator] | None = None,
) -> pd.DataFrame:
    """City-level cumulated values at ``as_of`` as ``viewer`` may see them.

    Args:
        raw: every raw observation (``queries.fetch_all_observations``).
        table: the viewer's disclosure of ``raw`` (``queries.disclose_for_viewer``).
        as_of: last month included (``YYYY-MM``).
    """
    cat = catalogue or INDICATOR_BY_CODE
    exact = compute_cumulative(raw[raw["periphery_id"].isna()], as_of, catalogue=cat)
    exact["flag"] = FLAG_NONE
    exact[BELOW] = math.nan
    if viewer.full_detail:
        return exact
    latest = release_month(raw, viewer)
    exact = _with_released_totals(exact, latest, table, as_of)
    if exact.empty:
        return exact
    protected = np.array(
        [
            _people(cat[code], cat) and policy_for(viewer, city) is not None
            for city, code in zip(exact["city_code"], exact["indicator_code"], strict=True)
        ],
        dtype=bool,
    )
    if not protected.any():
        return exact
    shown = table.city_totals if as_of >= latest else _from_cells(table.cells, as_of, cat)
    shown = shown.set_index(["city_code", "indicator_code"])
    out = exact.copy()
    keys = list(zip(out["city_code"], out["indicator_code"], strict=True))
    for i in np.flatnonzero(protected):
        ind = cat[keys[i][1]]
        if ind.kind == "ratio":
            continue
        if keys[i] in shown.index:
            row = shown.loc[keys[i]]
            out.iat[i, out.columns.get_loc("value")] = row["value"]
            out.iat[i, out.columns.get_loc("flag")] = row["flag"]
            out.iat[i, out.columns.get_loc(BELOW)] = row[BELOW]
        else:  # nothing published for it: never fall back to the exact value
            out.iat[i, out.columns.get_loc("value")] = math.nan
            out.iat[i, out.columns.get_loc("flag")] = FLAG_SUPPRESSED
    _recompute_ratios(out, protected, cat)
    return out


def release_month(raw: pd.DataFrame, viewer: Viewer) -> str:
    """The month the release's totals to date are of, for ``viewer``: the latest month of the
    cities ``viewer`` sees protected. A city manager's own city is live and may run months
    ahead of the release; the other cities' totals are still the release's ("" without any)."""
    cities = raw["city_code"].drop_duplicates()
    protected = [c for c in cities if policy_for(viewer, str(c)) is not None]
    rows = raw[raw["city_code"].isin(protected)]
    return str(rows["period"].max()) if not rows.empty else ""


def _with_released_totals(
    exact: pd.DataFrame, latest: str, table: DisclosedTable, as_of: str
) -> pd.DataFrame:
    """Add a row for every city x indicator the release publishes only as a total to date
    (``disclosure.release``: counts of people have no monthly city cells), so that the
    override below shows the published total from the release's month ``latest`` on, never
    an exact value."""
    if as_of < latest or table.city_totals.empty:
        return exact
    have = set(zip(exact["city_code"], exact["indicator_code"], strict=True))
    extra = [
        (c, code)
        for c, code in zip(
            table.city_totals["city_code"], table.city_totals["indicator_code"], strict=True
        )
        if (c, code) not in have
    ]
    if not extra:
        return exact
    add = pd.DataFrame(extra, columns=["city_code", "indicator_code"])
    add["period"] = as_of
    for col in exact.columns:
        if col not in add:
            add[col] = 0 if col == "n_months" else (FLAG_NONE if col == "flag" else math.nan)
    add = add[exact.columns].astype(exact.dtypes.to_dict(), errors="ignore")
    out = pd.concat([exact, add], ignore_index=True) if not exact.empty else add
    return out.sort_values(["city_code", "indicator_code"], ignore_index=True)


def _recompute_ratios(
    out: pd.DataFrame, protected: np.ndarray, cat: Mapping[str, Indicator]
) -> None:
    """Ratios of protected rows from the disclosed cumulated parts (in place)."""
    idx = out.set_index(["city_code", "indicator_code"])
    for i in np.flatnonzero(protected):
        city, code = (
            out.iat[i, out.columns.get_loc("city_code")],
            out.iat[i, out.columns.get_loc("indicator_code")],
        )
        ind = cat[code]
        if ind.kind != "ratio":
            continue
        parts = []
        for p in (ind.numerator, ind.denominator):
            parts.append(idx.loc[(city, p)] if (city, p) in idx.index else None)
        num, den = parts
        if (
            num is None
            or den is None
            or pd.isna(num["value"])
            or pd.isna(den["value"])
            or den["value"] == 0
        ):
            value, flag = math.nan, FLAG_SUPPRESSED
        else:
            value = ind.scale * float(num["value"]) / float(den["value"])
            flag = FLAG_ROUNDED if FLAG_ROUNDED in (num["flag"], den["flag"]) else FLAG_NONE
        out.iat[i, out.columns.get_loc("value")] = value
        out.iat[i, out.columns.get_loc("flag")] = flag
        out.iat[i, out.columns.get_loc("numerator")] = num["value"] if num is not None else math.nan
        out.iat[i, out.columns.get_loc("denominator")] = (
            den["value"] if den is not None else math.nan
        )


def compute_viewer_national_monthly(
    raw: pd.DataFrame,
    table: DisclosedTable,
    viewer: Viewer,
    catalogue: Mapping[str, Indicator] | None = None,
) -> pd.DataFrame:
    """Monthly observations of the national pseudo-city (``TOTAL``) as ``viewer`` may see them.

    Full detail: ``metrics.compute_total_monthly`` of the raw city rows. Protected viewers: the
    same for indicators that do not count people, and the jointly protected
    ``national_by_period`` (rounded, never recomputed from hidden cells) for those that do.
    Columns as ``compute_total_monthly``; a suppressed national month has value NaN.
    """
    cat = catalogue or INDICATOR_BY_CODE
    city_rows = raw[raw["periphery_id"].isna()]
    total = compute_total_monthly(city_rows, catalogue=cat)
    if viewer.full_detail or total.empty:
        return total
    people = {code for code, ind in cat.items() if ind.kind != "ratio" and ind.counts_people}
    shown = table.national_by_period[table.national_by_period["indicator_code"].isin(people)]
    protected = pd.DataFrame(
        {
            "city_code": TOTAL_CODE,
            "periphery_id": pd.array([pd.NA] * len(shown), dtype="Int64"),
            "indicator_code": shown["indicator_code"].to_numpy(),
            "period": shown["period"].to_numpy(),
            "value": shown["value"].to_numpy(dtype=float),
        }
    )
    keep = total[~total["indicator_code"].isin(people)]
    out = pd.concat([keep, protected], ignore_index=True)
    return out.sort_values(["indicator_code", "period"], ignore_index=True)


def compute_viewer_cumulative_series(
    raw: pd.DataFrame,
    table: DisclosedTable,
    viewer: Viewer,
    indicator: str,
    as_of: str,
    catalogue: Mapping[str, Indicator] | None = None,
) -> pd.DataFrame:
    """Running cumulated value of one indicator per city and month up to ``as_of``, as
    ``viewer`` may see it (columns ``city_code, indicator_code, period, value, flag``).

    Full detail (and a manager's own city): ``metrics.compute_cumulative_series`` of the raw
    values. Protected rows: flows are running sums of the published monthly cells, flagged
    "parziale" (a lower bound) from the first suppressed month on; stocks are the published cell
    of each month; ratios with a people part are recomputed from those running parts, and are
    "n.d." when a part is partial (a ratio of two lower bounds bounds nothing). Nothing hidden
    is used: every number is a sum of published cells.
    """
    cat = catalogue or INDICATOR_BY_CODE
    ind = cat[indicator]
    codes = [c for c in (indicator, ind.numerator, ind.denominator) if c]
    city_rows = raw[raw["periphery_id"].isna() & raw["indicator_code"].isin(codes)]
    exact = compute_cumulative_series(city_rows, as_of=as_of, catalogue=cat)
    exact = exact[exact["indicator_code"] == indicator][
        ["city_code", "indicator_code", "period", "value"]
    ]
    exact = exact.assign(flag=FLAG_NONE).reset_index(drop=True)
    if viewer.full_detail or not _people(ind, cat):
        return exact
    protected_city = exact["city_code"].map(lambda c: policy_for(viewer, c) is not None)
    cells = table.cells[table.cells["periphery_id"].isna() & (table.cells["period"] <= as_of)]
    running = {code: _running(cells[cells["indicator_code"] == code], cat[code]) for code in codes}
    if ind.kind == "ratio":
        num = running[ind.numerator or ""].set_index(["city_code", "period"])
        den = running[ind.denominator or ""].set_index(["city_code", "period"])
        joined = num.merge(den, left_index=True, right_index=True, suffixes=("_n", "_d"))
        value = ind.scale * joined["value_n"] / joined["value_d"].where(joined["value_d"] != 0)
        value = value.where((joined["flag_n"] != FLAG_PARTIAL) & (joined["flag_d"] != FLAG_PARTIAL))
        flags = np.where(
            value.isna(),
            FLAG_SUPPRESSED,
            np.where(
                (joined["flag_n"] == FLAG_ROUNDED) | (joined["flag_d"] == FLAG_ROUNDED),
                FLAG_ROUNDED,
                FLAG_NONE,
            ),
        )
        shown = pd.DataFrame({"value": value, "flag": flags}, index=joined.index)
    else:
        shown = running[indicator].set_index(["city_code", "period"])
    out = exact.copy()
    for i in np.flatnonzero(protected_city.to_numpy()):
        key = (out.at[i, "city_code"], out.at[i, "period"])
        if key in shown.index:
            out.at[i, "value"] = shown.at[key, "value"]
            out.at[i, "flag"] = shown.at[key, "flag"]
        else:  # a month with no published cell: carry nothing hidden forward
            out.at[i, "value"] = math.nan
            out.at[i, "flag"] = FLAG_SUPPRESSED
    return out


def _running(cells: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Running published value per city and month: flows add up the published months (flagged
    partial from the first suppressed month on), stocks are the month's published cell."""
    parts = []
    for city, g in cells.sort_values("period").groupby("city_code", sort=False):
        values = g["value"].to_numpy(dtype=float)
        suppressed = (g["flag"] == FLAG_SUPPRESSED).to_numpy()
        rounded = (g["flag"] == FLAG_ROUNDED).to_numpy()
        partial = np.zeros(len(values), dtype=bool)
        if ind.kind == "flow":
            # A suppressed cell adds nothing: the sum is what was published, a lower bound.
            values = np.cumsum(np.where(suppressed, 0.0, np.nan_to_num(values)))
            partial = np.maximum.accumulate(suppressed)
            rounded = np.maximum.accumulate(rounded)
        flag = np.where(
            np.isnan(values),
            FLAG_SUPPRESSED,
            np.where(partial, FLAG_PARTIAL, np.where(rounded, FLAG_ROUNDED, FLAG_NONE)),
        )
        parts.append(
            pd.DataFrame(
                {"city_code": city, "period": g["period"].to_numpy(), "value": values, "flag": flag}
            )
        )
    if not parts:
        return pd.DataFrame(columns=["city_code", "period", "value", "flag"])
    return pd.concat(parts, ignore_index=True)
