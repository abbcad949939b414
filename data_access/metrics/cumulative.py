"""Cumulation of monthly observations, respecting each indicator's kind.

All functions here are pure: pandas frames in, pandas frames out; no database, no streamlit.
One definition of every number: the overview, the benchmarking page, the public summary and the
exports all cumulate through :func:`compute_cumulative` / :func:`compute_cumulative_series`.

Input frames are shaped like ``data_access.queries.load_observations`` returns them:
``city_code`` (str), ``periphery_id`` (nullable int, missing = city level), ``indicator_code``
(str), ``period`` (``YYYY-MM``), ``value`` (float; a missing value means "not reported").

Kind rules (ARCHITECTURE.md):
- ``flow``: the months up to ``as_of`` add up;
- ``stock``: the last reported value up to ``as_of``;
- ``ratio``: ``scale * numerator / denominator`` of the cumulated parts, never an average of
  monthly ratios. Ratio rows present in the input are ignored; a ratio exists where both of its
  parts have been reported, and is missing (NaN) when the cumulated denominator is 0.

Companion modules: ``metrics_progress`` (targets, plan, status, projection),
``metrics_benchmark`` (per-capita, ranks, peers, funnel), ``metrics_text`` (sentences),
``metrics_completeness`` (reporting completeness).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from data_access.catalogue import (
    INDICATOR_BY_CODE,
    PROGRAMME_END,
    PROGRAMME_START,
    Indicator,
    programme_periods,
)
from data_access.errors import InvalidInput, UnknownCode
from data_access.periods import check_period, period_index

Catalogue = Mapping[str, Indicator]

#: ``city_code`` of the pseudo-city built by :func:`compute_total_monthly` (national or group total).
TOTAL_CODE = "TOTAL"

OBSERVATION_COLUMNS = ("city_code", "periphery_id", "indicator_code", "period", "value")
CUMULATIVE_COLUMNS = (
    "city_code",
    "periphery_id",
    "indicator_code",
    "period",
    "value",
    "numerator",
    "denominator",
    "n_months",
    "last_period",
)
_NO_PERIPHERY = -1  # internal sentinel: pandas drops missing group keys


# --------------------------------------------------------------------------------------- periods
def months_elapsed(as_of: str, start: str = PROGRAMME_START, end: str = PROGRAMME_END) -> int:
    """Programme months completed by the end of ``as_of``: 0 before ``start``, 1 at ``start``,
    18 at ``end`` and after (clamped)."""
    total = period_index(end) - period_index(start) + 1
    return max(0, min(total, period_index(as_of) - period_index(start) + 1))


def months_remaining(as_of: str, end: str = PROGRAMME_END) -> int:
    """Whole months after ``as_of`` up to and including ``end`` (0 at or after ``end``)."""
    return max(0, period_index(end) - period_index(as_of))


# ---------------------------------------------------------------------------------- validation
def require_indicator(code: str, cat: Catalogue) -> Indicator:
    """The catalogue entry of ``code``; ``UnknownCode`` when there is none."""
    try:
        return cat[code]
    except KeyError:
        raise UnknownCode.of("errors.unknown_indicator", code=code) from None


def clean_observations(observations: pd.DataFrame, cat: Catalogue) -> pd.DataFrame:
    """Validated copy with the periphery sentinel and without unreported (NaN) values."""
    missing = [c for c in OBSERVATION_COLUMNS if c not in observations.columns]
    if "periphery_id" in missing:
        observations = observations.assign(periphery_id=pd.NA)
        missing.remove("periphery_id")
    if missing:
        raise InvalidInput.of("errors.columns_missing", columns=", ".join(missing))
    obs = observations.loc[:, list(OBSERVATION_COLUMNS)].copy()
    obs["value"] = pd.to_numeric(obs["value"], errors="coerce").astype(float)
    obs = obs[obs["value"].notna()]
    for c in ("city_code", "indicator_code", "period"):  # plain objects: faster on small frames
        obs[c] = obs[c].astype(str).astype(object)
    for p in obs["period"].unique():
        check_period(p)
    for code in obs["indicator_code"].unique():
        require_indicator(code, cat)
    obs["periphery_id"] = (
        pd.to_numeric(obs["periphery_id"], errors="coerce").fillna(_NO_PERIPHERY).astype("int64")
    )
    return obs


def _keys(by_periphery: bool) -> list[str]:
    return ["city_code", "periphery_id"] if by_periphery else ["city_code"]


def monthly_totals(obs: pd.DataFrame, by_periphery: bool) -> pd.DataFrame:
    """One value per key x indicator x period.

    At city level a city-level row wins; where a city reported a month only per periphery, the
    city value is the sum of its peripheries (right for flows and for stocks of places)."""
    key = ["city_code", "periphery_id", "indicator_code", "period"]
    k = ["city_code", "indicator_code", "period"]
    is_city = (obs["periphery_id"] == _NO_PERIPHERY).to_numpy()
    if by_periphery or is_city.all():  # the usual case: nothing to fold, maybe nothing to sum
        if obs.duplicated(key).any():
            obs = obs.groupby(key, as_index=False, sort=False)["value"].sum()
        return obs.sort_values(key, ignore_index=True)
    city = obs[is_city].groupby(k, as_index=False)["value"].sum()
    per = obs[~is_city].groupby(k, as_index=False)["value"].sum()
    have = set(city[k].itertuples(index=False, name=None))
    per = per[[t not in have for t in per[k].itertuples(index=False, name=None)]]
    city = pd.concat([city, per], ignore_index=True)
    city = city.assign(periphery_id=_NO_PERIPHERY)
    return city.sort_values(key, ignore_index=True)


# ---------------------------------------------------------------------------------- cumulation
def _empty_cumulative(by_periphery: bool) -> pd.DataFrame:
    cols = [c for c in CUMULATIVE_COLUMNS if by_periphery or c != "periphery_id"]
    out = pd.DataFrame({c: pd.Series(dtype=float) for c in cols})
    for c in ("city_code", "indicator_code", "period", "last_period"):
        out[c] = out[c].astype(object)
    out["n_months"] = out["n_months"].astype("int64")
    return out


def cumulate(
    monthly: pd.DataFrame, periods: Sequence[str], by_periphery: bool, cat: Catalogue
) -> pd.DataFrame:
    """Running value of every key x indicator at every period in ``periods``.

    A row exists at period p only once the key x indicator has reported at or before p, so each
    period's slice equals the cumulation ``as_of=p``."""
    keys = _keys(by_periphery)
    if monthly.empty or not periods:
        return _empty_cumulative(by_periphery)
    is_ratio = np.array([cat[c].kind == "ratio" for c in monthly["indicator_code"]], dtype=bool)
    base = monthly[~is_ratio]
    if base.empty:
        return _empty_cumulative(by_periphery)
    # numpy on a (key x indicator) x month grid: pandas' axis=1 operations are slow here
    row_key = ["city_code", "periphery_id", "indicator_code"]
    columns = np.array(sorted(set(base["period"]) | set(periods)), dtype=object)
    rows, uniques = pd.factorize(pd.MultiIndex.from_frame(base[row_key]))
    cols = np.searchsorted(columns, base["period"].to_numpy(dtype=object))
    grid = np.full((len(uniques), len(columns)), np.nan)
    grid[rows, cols] = base["value"].to_numpy(dtype=float)  # unique per cell (monthly_totals)
    seen = ~np.isnan(grid)
    started = np.maximum.accumulate(seen, axis=1)
    last_col = np.maximum.accumulate(np.where(seen, np.arange(len(columns)), 0), axis=1)
    is_flow = np.array([cat[c].kind == "flow" for c in uniques.get_level_values(2)], dtype=bool)
    flow_values = np.cumsum(np.nan_to_num(grid), axis=1)
    stock_values = np.take_along_axis(grid, last_col, axis=1)
    values = np.where(is_flow[:, None], flow_values, stock_values)
    values = np.where(started, values, np.nan)
    n_months = np.cumsum(seen, axis=1)
    wanted = list(dict.fromkeys(periods))
    at = np.searchsorted(columns, np.array(wanted, dtype=object))
    n_rows, n_want = len(uniques), len(at)
    long = pd.DataFrame(
        {
            "city_code": np.repeat(uniques.get_level_values(0).to_numpy(dtype=object), n_want),
            "periphery_id": np.repeat(uniques.get_level_values(1).to_numpy(dtype="int64"), n_want),
            "indicator_code": np.repeat(uniques.get_level_values(2).to_numpy(dtype=object), n_want),
            "period": np.tile(np.array(wanted, dtype=object), n_rows),
            "value": values[:, at].ravel(),
            "numerator": np.nan,
            "denominator": np.nan,
            "n_months": n_months[:, at].ravel().astype("int64"),
            "last_period": columns[last_col[:, at].ravel()],
        }
    )
    long = long[started[:, at].ravel()].reset_index(drop=True)
    ratios = _ratios(long, keys, cat)
    out = pd.concat([long, ratios], ignore_index=True) if len(ratios) else long
    return _finish(out, by_periphery)


def _ratios(long: pd.DataFrame, keys: list[str], cat: Catalogue) -> pd.DataFrame:
    join = [*(keys if "periphery_id" in keys else [*keys, "periphery_id"]), "period"]
    parts = []
    for ind in cat.values():
        if ind.kind != "ratio" or not ind.numerator or not ind.denominator:
            continue
        num = long[long["indicator_code"] == ind.numerator]
        den = long[long["indicator_code"] == ind.denominator]
        if num.empty or den.empty:
            continue
        m = num[[*join, "value", "n_months", "last_period"]].merge(
            den[[*join, "value", "n_months", "last_period"]], on=join, suffixes=("_n", "_d")
        )
        if m.empty:
            continue
        den_v = m["value_d"].where(m["value_d"] != 0)
        parts.append(
            pd.DataFrame(
                {
                    **{c: m[c] for c in join},
                    "indicator_code": ind.code,
                    "value": ind.scale * m["value_n"] / den_v,
                    "numerator": m["value_n"],
                    "denominator": m["value_d"],
                    "n_months": np.minimum(m["n_months_n"], m["n_months_d"]).astype("int64"),
                    "last_period": np.maximum(
                        m["last_period_n"].astype(str), m["last_period_d"].astype(str)
                    ),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _finish(out: pd.DataFrame, by_periphery: bool) -> pd.DataFrame:
    out = out.copy()
    if by_periphery:
        out["periphery_id"] = (
            out["periphery_id"].astype("Int64").mask(out["periphery_id"] == _NO_PERIPHERY)
        )
    cols = [c for c in CUMULATIVE_COLUMNS if by_periphery or c != "periphery_id"]
    sort = [c for c in ("city_code", "periphery_id", "indicator_code", "period") if c in cols]
    out = out.sort_values(sort, ignore_index=True, na_position="first")
    out["value"] = out["value"].astype(float)
    return out.loc[:, cols]


def compute_monthly(
    observations: pd.DataFrame, *, by_periphery: bool = False, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """One value per city (x periphery) x indicator x reported month, validated.

    Args:
        observations: frame shaped like ``load_observations``.
        by_periphery: keep periphery rows apart (``periphery_id`` missing = city-level row).
            When False, a month a city reported only per periphery counts as the sum of them.
        catalogue: indicator catalogue (default ``INDICATOR_BY_CODE``).

    Returns:
        Columns ``city_code, [periphery_id], indicator_code, period, value``, sorted; no NaN
        values (unreported). Raises ``UnknownCode`` / ``InvalidInput`` on bad codes or periods.
    """
    cat = catalogue or INDICATOR_BY_CODE
    monthly = monthly_totals(clean_observations(observations, cat), by_periphery)
    cols = ["city_code", "periphery_id", "indicator_code", "period", "value"]
    if by_periphery:
        monthly["periphery_id"] = (
            monthly["periphery_id"].astype("Int64").mask(monthly["periphery_id"] == _NO_PERIPHERY)
        )
        return monthly.loc[:, cols]
    return monthly.loc[:, [c for c in cols if c != "periphery_id"]]


def compute_cumulative(
    observations: pd.DataFrame,
    as_of: str | None = None,
    *,
    by_periphery: bool = False,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Cumulated value per city (x periphery) x indicator at the end of ``as_of``.

    Args:
        observations: frame shaped like ``load_observations`` (see module docstring).
        as_of: last month included (``YYYY-MM``); ``None`` = the latest month in the data.
        by_periphery: one row per periphery too (city-level rows have ``periphery_id`` NA).
        catalogue: indicator catalogue (default ``INDICATOR_BY_CODE``).

    Returns:
        Columns ``city_code, [periphery_id], indicator_code, period (= as_of), value,
        numerator, denominator (ratios only), n_months (reported months so far), last_period``.
        Only key x indicator pairs that reported at or before ``as_of`` appear (empty frame for
        ``as_of`` before any data). Ratio rows are recomputed from their parts.
    """
    cat = catalogue or INDICATOR_BY_CODE
    monthly = monthly_totals(clean_observations(observations, cat), by_periphery)
    if as_of is None:
        if monthly.empty:
            return _empty_cumulative(by_periphery)
        as_of = str(monthly["period"].max())
    check_period(as_of)
    monthly = monthly[monthly["period"] <= as_of]
    return cumulate(monthly, [as_of], by_periphery, cat)


def compute_cumulative_series(
    observations: pd.DataFrame,
    periods: Iterable[str] | None = None,
    *,
    as_of: str | None = None,
    by_periphery: bool = False,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Running cumulated value per month, for trajectory charts.

    The slice at period p equals ``compute_cumulative(observations, as_of=p)``: flows carry their
    running total across unreported months, stocks their last value; rows start at the first
    reported month of each city x indicator.

    Args:
        periods: months wanted (default: the 18 programme months), cut at ``as_of`` if given.
        as_of, by_periphery, catalogue: as in :func:`compute_cumulative`.

    Returns:
        The columns of :func:`compute_cumulative`, one row per key x indicator x period.
    """
    cat = catalogue or INDICATOR_BY_CODE
    wanted = sorted(
        {check_period(p) for p in (periods if periods is not None else programme_periods())}
    )
    if as_of is not None:
        check_period(as_of)
        wanted = [p for p in wanted if p <= as_of]
    monthly = monthly_totals(clean_observations(observations, cat), by_periphery)
    if wanted:
        monthly = monthly[monthly["period"] <= wanted[-1]]
    return cumulate(monthly, wanted, by_periphery, cat)


def compute_total_monthly(
    observations: pd.DataFrame,
    city_codes: Iterable[str] | None = None,
    *,
    code: str = TOTAL_CODE,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Monthly observations of a pseudo-city that is the sum of several cities.

    Feed the result to :func:`compute_cumulative`, :func:`compute_cumulative_series` or the
    projection functions to get national (or peer-group) figures with the same kind rules:
    flows are summed month by month; a stock is the sum of each city's last reported value
    (carried forward over months it did not report); ratios are recomputed later from the summed
    parts. City level only (periphery rows are folded in as in :func:`compute_monthly`).

    Args:
        city_codes: cities to add up (default: every city in ``observations``).
        code: ``city_code`` given to the pseudo-city.

    Returns:
        Columns ``city_code (= code), periphery_id (NA), indicator_code, period, value``.
    """
    cat = catalogue or INDICATOR_BY_CODE
    monthly = monthly_totals(clean_observations(observations, cat), False)
    if city_codes is not None:
        monthly = monthly[monthly["city_code"].isin([str(c) for c in city_codes])]
    kinds = monthly["indicator_code"].map(lambda c: cat[c].kind)
    flows = (
        monthly[kinds == "flow"]
        .groupby(["indicator_code", "period"], as_index=False)["value"]
        .sum()
    )
    stocks = monthly[kinds == "stock"]
    parts = [flows]
    if len(stocks):
        wide = stocks.pivot_table(
            index=["city_code", "indicator_code"], columns="period", values="value", aggfunc="sum"
        )
        reported = wide.notna().groupby(level="indicator_code").any()
        summed = wide.ffill(axis=1).groupby(level="indicator_code").sum(min_count=1)
        # rows only for months some city reported this stock, each the sum of last values
        long = summed.where(reported).stack().rename("value")
        parts.append(long.reset_index())
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else flows
    out = out.assign(city_code=code, periphery_id=pd.NA)
    out = out.sort_values(["indicator_code", "period"], ignore_index=True)
    return out.loc[:, list(OBSERVATION_COLUMNS)]
