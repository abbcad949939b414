"""One status per city, indicator and work package, whoever looks (issue 11, point 3).

A status (on track / at risk / off track) is computed once, from the exact cumulated values, and
shown the same to every role: computing it from the rounded figures a protected viewer sees made
Sassari's WP3 "on track" for the public and "at risk" for the steering committee. A category
reveals no small count; the figures beside it (value, progress) stay the viewer's own. Where a
viewer sees no figure at all (suppressed), the indicator keeps the viewer's own "no data" status,
so a status is never the only trace of a hidden number.

So a viewer's progress can fall outside its status's band (the public's rounded figures put
Sassari's WP3 at 93 % of plan, "at risk" on the exact ones): such rows carry
``progress_partial`` = True, and every page and pack says so beside the figure
(:func:`fmt_progress`, :func:`partial_note`) instead of printing "at risk (93 %)" bare.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from data_access.locale import fmt_percent, indicator_label, translate
from data_access.metrics import progress as metrics_progress

KEYS = ["city_code", "indicator_code"]


def _mark_partial(out: pd.DataFrame) -> pd.DataFrame:
    """``progress_partial``: the row's progress (the viewer's) lies outside its status's band."""
    band = out["progress"].map(metrics_progress.DEFAULT_THRESHOLDS.classify)
    known = out["status"].isin(["on_track", "at_risk", "off_track"])
    return out.assign(progress_partial=(known & (band != out["status"])).astype(bool))


def overlay_status(shown: pd.DataFrame, exact: pd.DataFrame) -> pd.DataFrame:
    """``shown`` (the viewer's ``compute_status``) with the status of ``exact`` (the same
    function on the exact cumulated values) wherever the viewer sees a value."""
    if shown.empty or exact.empty:
        return shown.assign(progress_partial=False)
    truth = exact.set_index(KEYS)["status"]
    keys = pd.MultiIndex.from_frame(shown[KEYS])
    exact_status = truth.reindex(keys).to_numpy()
    visible = shown["value"].notna().to_numpy() & pd.notna(exact_status)
    out = shown.copy()
    out.loc[visible, "status"] = exact_status[visible]
    return _mark_partial(out)


def roll_up(
    shown: pd.DataFrame, exact: pd.DataFrame, rule: metrics_progress.RollUp = "median"
) -> pd.DataFrame:
    """``compute_wp_status`` of the viewer's indicator statuses, with the status of the same
    roll-up of the exact ones (the grouping is ``shown``'s ``wp`` column; ``exact`` is grouped
    the same way when it carries the same ``wp`` values)."""
    out = metrics_progress.compute_wp_status(shown, rule=rule)
    if out.empty or exact.empty:
        return out.assign(progress_partial=False)
    truth = metrics_progress.compute_wp_status(exact, rule=rule).set_index(["city_code", "wp"])
    keys = pd.MultiIndex.from_frame(out[["city_code", "wp"]])
    exact_status = truth["status"].reindex(keys).to_numpy()
    known = pd.notna(exact_status)
    out.loc[known, "status"] = exact_status[known]
    return _mark_partial(out)


def fmt_progress(progress: float | None, lang: str) -> str:
    """A progress ratio as written beside its status: whole percent, or, where rounding up
    would cross a threshold, one decimal cut down (89.9 %, not 90 %, beside "at risk")."""
    classify = metrics_progress.DEFAULT_THRESHOLDS.classify
    if progress is None or not math.isfinite(progress):
        return fmt_percent(progress, lang)
    if classify(round(progress * 100) / 100) == classify(progress):
        return fmt_percent(progress, lang)
    return fmt_percent(math.floor(progress * 1000) / 1000, lang, 1)


def partial_note(lang: str) -> str:
    """What a ``progress_partial`` row says beside its percentage."""
    return translate(lang, "status.partial_note")


def attention_reason(row: Mapping[str, Any], lang: str) -> str:
    """One flagged work package in words (a row of ``kpi.attention``): "WP3: A rischio (64% del
    previsto; <partial note>); indicatore più debole: ...", the same on the page and in the pack."""
    return translate(
        lang,
        "overview.attention_reason_wp",
        wp=row["wp"],
        status=translate(lang, f"status.{row['status']}"),
        progress=fmt_progress(row["progress"], lang),
        note=f"; {partial_note(lang)}" if row["progress_partial"] else "",
        indicator=indicator_label(str(row["worst_indicator"]), lang),
    )


__all__ = ["attention_reason", "fmt_progress", "overlay_status", "partial_note", "roll_up"]
