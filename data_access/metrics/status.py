"""One status per city, indicator and work package, whoever looks (issue 11, point 3).

A status (on track / at risk / off track) is computed once, from the exact cumulated values, and
shown the same to every role: computing it from the rounded figures a protected viewer sees made
Sassari's WP3 "on track" for the public and "at risk" for the steering committee. A category
reveals no small count; the figures beside it (value, progress) stay the viewer's own. Where a
viewer sees no figure at all (suppressed), the indicator keeps the viewer's own "no data" status,
so a status is never the only trace of a hidden number.
"""

from __future__ import annotations

import pandas as pd

from data_access.metrics import progress as metrics_progress

KEYS = ["city_code", "indicator_code"]


def overlay_status(shown: pd.DataFrame, exact: pd.DataFrame) -> pd.DataFrame:
    """``shown`` (the viewer's ``compute_status``) with the status of ``exact`` (the same
    function on the exact cumulated values) wherever the viewer sees a value."""
    if shown.empty or exact.empty:
        return shown
    truth = exact.set_index(KEYS)["status"]
    keys = pd.MultiIndex.from_frame(shown[KEYS])
    exact_status = truth.reindex(keys).to_numpy()
    visible = shown["value"].notna().to_numpy() & pd.notna(exact_status)
    out = shown.copy()
    out.loc[visible, "status"] = exact_status[visible]
    return out


def roll_up(
    shown: pd.DataFrame, exact: pd.DataFrame, rule: metrics_progress.RollUp = "median"
) -> pd.DataFrame:
    """``compute_wp_status`` of the viewer's indicator statuses, with the status of the same
    roll-up of the exact ones (the grouping is ``shown``'s ``wp`` column; ``exact`` is grouped
    the same way when it carries the same ``wp`` values)."""
    out = metrics_progress.compute_wp_status(shown, rule=rule)
    if out.empty or exact.empty:
        return out
    truth = metrics_progress.compute_wp_status(exact, rule=rule).set_index(["city_code", "wp"])
    keys = pd.MultiIndex.from_frame(out[["city_code", "wp"]])
    exact_status = truth["status"].reindex(keys).to_numpy()
    known = pd.notna(exact_status)
    out.loc[known, "status"] = exact_status[known]
    return out


__all__ = ["overlay_status", "roll_up"]
