"""Page-level compositions of the metrics functions (pure: frames in, frames out, no streamlit).

Nothing is computed here that ``data_access.metrics*`` already defines: these functions only
chain them the way several pages need (national totals, statuses at a date, the headline
figures), so the overview and the public summary show the same numbers. The only arithmetic of
its own is the spend share (sum of expenditure / sum of budget), which metrics has no function for.
"""

from __future__ import annotations

import pandas as pd

from data_access import metrics
from data_access.catalogue import INDICATOR_BY_CODE, WORK_PACKAGES, programme_periods
from data_access.disclosure import FLAG_NONE, sum_disclosed
from data_access.metrics.progress import (
    compute_plan,
    compute_status,
    compute_total_targets,
    compute_wp_status,
)
from data_access.metrics.projection import compute_projection

#: The people-counting indicator that stands for each work package in the headline figures.
HEADLINE_INDICATORS: dict[str, str] = {
    "WP1": "WP1_PARTICIPANTS",
    "WP2": "WP2_TAKEN_IN_CHARGE",
    "WP3": "WP3_HOUSED",
}


def national_inputs(
    observations: pd.DataFrame, targets: pd.DataFrame, national: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national pseudo-city (``TOTAL``): summed observations and summed targets.

    ``national``: the viewer's national monthly values when they are not simply the sum of the
    cities' values (``metrics_viewer.compute_viewer_national_monthly``: protected totals).
    """
    cities = sorted(observations["city_code"].unique()) if len(observations) else None
    total_obs = (
        national if national is not None else metrics.compute_total_monthly(observations, cities)
    )
    total_targets = compute_total_targets(targets, cities)
    return total_obs, total_targets


def city_status(observations: pd.DataFrame, targets: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """``compute_status`` for every city x indicator at ``as_of``."""
    cum = metrics.compute_cumulative(observations, as_of)
    return compute_status(cum, targets, as_of)


def city_wp_status(observations: pd.DataFrame, targets: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """City x WP roll-up (``compute_wp_status``) of :func:`city_status`."""
    return compute_wp_status(city_status(observations, targets, as_of))


def national_status(
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    as_of: str,
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Status of every indicator for the programme as a whole (``city_code == "TOTAL"``)."""
    total_obs, total_targets = national_inputs(observations, targets, national)
    cum = metrics.compute_cumulative(total_obs, as_of)
    return compute_status(cum, total_targets, as_of)


def headline_figures(
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    as_of: str,
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per WP: its headline indicator's national value, achievement and planned share.

    Columns ``wp, indicator_code, value, end_value, achievement, planned_share, progress,
    status`` where ``planned_share = planned / end_value`` (the share of the target the plan
    expects by ``as_of``).
    """
    status = national_status(observations, targets, as_of, national).set_index("indicator_code")
    rows = []
    for wp in WORK_PACKAGES:
        code = HEADLINE_INDICATORS[wp.code]
        if code in status.index:
            r = status.loc[code]
            planned_share = (r["planned"] / r["end_value"]) if r["end_value"] else float("nan")
            rows.append(
                {
                    "wp": wp.code,
                    "indicator_code": code,
                    "value": r["value"],
                    "end_value": r["end_value"],
                    "achievement": r["achievement"],
                    "planned_share": planned_share,
                    "progress": r["progress"],
                    "status": r["status"],
                }
            )
        else:
            rows.append(
                {
                    "wp": wp.code,
                    "indicator_code": code,
                    "value": float("nan"),
                    "end_value": float("nan"),
                    "achievement": float("nan"),
                    "planned_share": float("nan"),
                    "progress": float("nan"),
                    "status": "no_data",
                }
            )
    return pd.DataFrame(rows)


def national_trajectory(
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    indicator: str,
    as_of: str,
    national: pd.DataFrame | None = None,
) -> dict[str, object]:
    """Actual, planned and projected national path of one indicator.

    Returns a dict with ``actual`` (period, value up to ``as_of``), ``plan`` (period, planned
    over the 18 months), ``projection`` (one row of ``compute_projection`` or None) and
    ``end_value`` (the national target or NaN).
    """
    total_obs, total_targets = national_inputs(observations, targets, national)
    total_obs = total_obs[total_obs["indicator_code"].isin(_with_parts(indicator))]
    series = metrics.compute_cumulative_series(total_obs, as_of=as_of)
    actual = series[series["indicator_code"] == indicator][["period", "value"]]
    tg = total_targets[total_targets["indicator_code"] == indicator]
    plan = (
        compute_plan(tg, programme_periods())
        if len(tg)
        else pd.DataFrame(columns=["period", "planned"])
    )
    projection = None
    if len(tg) and len(actual):
        proj = compute_projection(total_obs, tg, as_of)
        proj = proj[proj["indicator_code"] == indicator]
        projection = proj.iloc[0].to_dict() if len(proj) else None
    end_value = float(tg["end_value"].iloc[0]) if len(tg) else float("nan")
    return {
        "actual": actual.reset_index(drop=True),
        "plan": plan[["period", "planned"]],
        "projection": projection,
        "end_value": end_value,
    }


def _with_parts(code: str) -> list[str]:
    ind = INDICATOR_BY_CODE[code]
    return [c for c in (code, ind.numerator, ind.denominator) if c]


def spending(budget: pd.DataFrame, expenditure: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Budget and expenditure up to ``as_of`` per WP, plus a ``TOTAL`` row.

    Columns ``wp, budget, spent, share`` (share = spent / budget, NaN for a zero budget).
    """
    b = budget.groupby("wp")["amount_eur"].sum()
    e = expenditure[expenditure["period"] <= as_of].groupby("wp")["amount_eur"].sum()
    out = pd.DataFrame({"budget": b, "spent": e}).fillna(0.0)
    out.loc["TOTAL"] = out.sum()
    out["share"] = out["spent"] / out["budget"].where(out["budget"] > 0)
    return out.rename_axis("wp").reset_index()


_SEVERITY = {"off_track": 0, "at_risk": 1}


def attention(wp_status: pd.DataFrame, completeness: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cities that need attention and why, most urgent first.

    A city is listed for every WP that is ``off_track`` or ``at_risk`` (with its weakest
    indicator), and for missing monthly reports.

    Args:
        wp_status: ``compute_wp_status`` output.
        completeness: ``metrics_completeness.compute_completeness(by="city_code")`` or None.

    Returns:
        Columns ``city_code, wp, status, progress, progress_partial, worst_indicator,
        n_missing``; one row per flagged WP (``n_missing`` repeated) and one row with ``wp`` NA
        for a city flagged only for missing reports. Sorted by severity (off track first), then
        progress, then city. ``progress_partial`` is ``status.roll_up``'s (False without it).
    """
    flagged = wp_status[wp_status["status"].isin(list(_SEVERITY))].copy()
    if "progress_partial" not in flagged:
        flagged["progress_partial"] = False
    missing = pd.Series(dtype="int64")
    if completeness is not None and len(completeness):
        missing = completeness.set_index("city_code")["n_missing"].astype("int64")
    flagged["n_missing"] = flagged["city_code"].map(missing).fillna(0).astype("int64")
    only_reports = missing[(missing > 0) & ~missing.index.isin(flagged["city_code"])]
    extra = pd.DataFrame(
        {
            "city_code": only_reports.index,
            "wp": pd.NA,
            "status": "reports",
            "progress": float("nan"),
            "progress_partial": False,
            "worst_indicator": pd.NA,
            "n_missing": only_reports.values,
        }
    )
    out = (
        pd.concat([flagged[list(extra.columns)], extra], ignore_index=True)
        if len(extra)
        else flagged[list(extra.columns)].reset_index(drop=True)
    )
    out["_sev"] = out["status"].map(_SEVERITY).fillna(2)
    out = out.sort_values(["_sev", "progress", "city_code"], na_position="last")
    return out.drop(columns="_sev").reset_index(drop=True)


def national_bubbles(
    cities: pd.DataFrame, cumulative: pd.DataFrame, status: pd.DataFrame, indicator: str
) -> pd.DataFrame:
    """The overview map's rows: one per city with ``city_code, name, lat, lon, value, status``.

    Args:
        cities: ``queries.load_cities`` (``code, name, lat, lon``...).
        cumulative: ``metrics.compute_cumulative`` of every city x indicator.
        status: ``compute_status`` of every city x indicator.
        indicator: the indicator the bubbles show; a city without a status is ``no_data``.
    """
    cum = cumulative[cumulative["indicator_code"] == indicator][["city_code", "value"]]
    ind_status = status[status["indicator_code"] == indicator][["city_code", "status"]]
    return _bubbles(cities, cum, ind_status)


def headline_bubbles(
    cities: pd.DataFrame, cumulative: pd.DataFrame, overall: pd.DataFrame
) -> pd.DataFrame:
    """The public map's rows: per city the people reached in the three work packages (the sum of
    the :data:`HEADLINE_INDICATORS`) and ``overall``'s status (one row per city: the roll-up of
    the three, ``metrics.status.roll_up``), with the columns of :func:`national_bubbles`.

    The sum uses only published numbers (``disclosure.sum_disclosed``: a city with a suppressed
    headline value has no sum), so it never reveals more than the cells the viewer sees.
    """
    codes = list(HEADLINE_INDICATORS.values())
    cum = cumulative[cumulative["indicator_code"].isin(codes)]
    cells = cum.assign(flag=cum["flag"] if "flag" in cum.columns else FLAG_NONE)
    reached = sum_disclosed(cells[["city_code", "value", "flag"]], ["city_code"])
    return _bubbles(cities, reached[["city_code", "value"]], overall[["city_code", "status"]])


def _bubbles(cities: pd.DataFrame, values: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    return (
        cities.rename(columns={"code": "city_code"})[["city_code", "name", "lat", "lon"]]
        .merge(values.astype({"value": float}), on="city_code", how="left")
        .merge(status, on="city_code", how="left")
        .fillna({"status": "no_data"})
    )


def attention_pace(flags: pd.DataFrame, projection: pd.DataFrame) -> pd.DataFrame:
    """``flags`` (:func:`attention`) with, for every WP that is ``off_track``, the monthly pace
    still needed on its weakest indicator to reach the target by the programme end
    (``needed_pace``) and that indicator's pace over the last three reported months (``pace``);
    NaN elsewhere, or where no pace is needed or defined (no months left, a ratio, a "down"
    indicator, the target already met)."""
    pace = projection.loc[:, ["city_code", "indicator_code", "needed_pace", "pace"]].rename(
        columns={"indicator_code": "worst_indicator"}
    )
    out = flags.merge(pace, on=["city_code", "worst_indicator"], how="left")
    off = out["status"] == "off_track"
    out["needed_pace"] = out["needed_pace"].where(off & (out["needed_pace"] > 0))
    out["pace"] = out["pace"].where(out["needed_pace"].notna())
    return out
