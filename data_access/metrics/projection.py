"""Projection to the programme end from the recent pace, and the pace still needed.

Definitions (methodology page): flows continue at the mean of their last three reported months;
stocks at their mean monthly change over their last three reported changes (and never below 0);
ratios are recomputed from their projected parts. The projected value is compared with the target
as in ``metrics_progress`` (direction-aware). The pace still needed = (end_value - value) /
months remaining, for "up" flows and stocks (0 once the target is met).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.catalogue import INDICATOR_BY_CODE, PROGRAMME_END
from data_access.errors import InvalidInput
from data_access.metrics.cumulative import (
    Catalogue,
    clean_observations,
    cumulate,
    monthly_totals,
    months_remaining,
)
from data_access.metrics.progress import RollUp, clean_targets, directed_ratio
from data_access.periods import check_period, period_index


def _paces(monthly: pd.DataFrame, cat: Catalogue, window: int) -> pd.DataFrame:
    """Monthly pace per city x indicator from the last ``window`` reported months."""
    key = ["city_code", "indicator_code"]
    kinds = monthly["indicator_code"].map(lambda c: cat[c].kind)
    m = monthly.sort_values([*key, "period"])
    flows = m[kinds.loc[m.index] == "flow"].groupby(key).tail(window)
    flow_pace = flows.groupby(key, as_index=False)["value"].mean().rename(columns={"value": "pace"})
    stocks = m[kinds.loc[m.index] == "stock"].groupby(key).tail(window + 1)
    stocks = stocks.assign(t=[period_index(p) for p in stocks["period"]])
    g = stocks.groupby(key)
    ends = g.agg(v0=("value", "first"), v1=("value", "last"), t0=("t", "first"), t1=("t", "last"))
    span = (ends["t1"] - ends["t0"]).astype(float)
    ends["pace"] = ((ends["v1"] - ends["v0"]) / span.where(span > 0)).fillna(0.0)
    stock_pace = ends.reset_index().loc[:, [*key, "pace"]]
    return pd.concat([flow_pace, stock_pace], ignore_index=True)


def compute_projection(
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    as_of: str,
    *,
    window: int = 3,
    end: str = PROGRAMME_END,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Projected end-of-programme value, % of target and the pace still needed.

    Args:
        observations: observations frame (use ``compute_total_monthly`` for national figures).
        targets: the targets frame (``compute_total_targets`` for national figures).
        as_of: the last month taken into account.
        window: reported months the pace is averaged over (3 by default).

    Returns:
        One row per target: ``city_code, indicator_code, wp, kind, direction, value, pace,
        months_remaining, projected_value, end_value, projected_achievement, needed_pace,
        pace_ratio`` (pace_ratio = pace / needed_pace; NaN where undefined: ratios, "down"
        indicators, target already met, no months left, no data).
    """
    cat = catalogue or INDICATOR_BY_CODE
    check_period(as_of)
    if window < 1:
        raise InvalidInput.of("errors.window_too_small")
    monthly = monthly_totals(clean_observations(observations, cat), False)
    monthly = monthly[monthly["period"] <= as_of]
    cum = cumulate(monthly, [as_of], False, cat)
    rem = months_remaining(as_of, end)
    base = cum.merge(_paces(monthly, cat, window), on=["city_code", "indicator_code"], how="inner")
    base["projected_value"] = base["value"] + base["pace"] * rem
    stock = base["indicator_code"].map(lambda c: cat[c].kind) == "stock"
    base.loc[stock, "projected_value"] = base.loc[stock, "projected_value"].clip(lower=0.0)
    proj = [base.loc[:, ["city_code", "indicator_code", "value", "pace", "projected_value"]]]
    for ind in cat.values():
        if ind.kind != "ratio":
            continue
        num = base[base["indicator_code"] == ind.numerator]
        den = base[base["indicator_code"] == ind.denominator]
        m = num.merge(den, on="city_code", suffixes=("_n", "_d"))
        if m.empty:
            continue
        ratio_now = cum[cum["indicator_code"] == ind.code].set_index("city_code")["value"]
        proj.append(
            pd.DataFrame(
                {
                    "city_code": m["city_code"],
                    "indicator_code": ind.code,
                    "value": m["city_code"].map(ratio_now),
                    "pace": np.nan,
                    "projected_value": ind.scale
                    * m["projected_value_n"]
                    / m["projected_value_d"].where(m["projected_value_d"] > 0),
                }
            )
        )
    projected = pd.concat(proj, ignore_index=True)
    t = clean_targets(targets, cat)
    out = t.drop(columns=["milestones"]).merge(
        projected, on=["city_code", "indicator_code"], how="left"
    )
    out["months_remaining"] = rem
    out["projected_achievement"] = np.nan
    out["needed_pace"] = np.nan
    for direction in ("up", "down"):
        sel = out["direction"] == direction
        out.loc[sel, "projected_achievement"] = directed_ratio(
            out.loc[sel, "projected_value"], out.loc[sel, "end_value"], direction
        )
    needs = (out["direction"] == "up") & (out["kind"] != "ratio") & out["value"].notna()
    if rem > 0:
        out.loc[needs, "needed_pace"] = (
            (out.loc[needs, "end_value"] - out.loc[needs, "value"]) / rem
        ).clip(lower=0.0)
    out["pace_ratio"] = out["pace"] / out["needed_pace"].where(out["needed_pace"] > 0)
    return out.loc[
        :,
        [
            "city_code",
            "indicator_code",
            "wp",
            "kind",
            "direction",
            "value",
            "pace",
            "months_remaining",
            "projected_value",
            "end_value",
            "projected_achievement",
            "needed_pace",
            "pace_ratio",
        ],
    ]


def compute_wp_projection(projection: pd.DataFrame, rule: RollUp = "median") -> pd.DataFrame:
    """Projected % of target per city x WP (median, or worst, of its indicators).

    Returns:
        Columns ``city_code, wp, projected_achievement, n_indicators, n_with_data`` — the
        numbers behind "at this pace Taranto reaches 64% of its WP3 target by 31 Mar 2024".
    """
    rows = []
    for (city, wp), g in projection.groupby(["city_code", "wp"], sort=True):
        vals = g["projected_achievement"].astype(float)
        vals = vals[np.isfinite(vals)]
        value = (
            float("nan") if vals.empty else float(vals.median() if rule == "median" else vals.min())
        )
        rows.append(
            {
                "city_code": city,
                "wp": wp,
                "projected_achievement": value,
                "n_indicators": len(g),
                "n_with_data": len(vals),
            }
        )
    return pd.DataFrame(
        rows, columns=["city_code", "wp", "projected_achievement", "n_indicators", "n_with_data"]
    )
