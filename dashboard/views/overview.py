"""The overview page's words and map: headline metrics, the national map and the list of cities
that need attention (``pages/overview.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.views.ranking import MAX_SHOWN
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS, PROGRAMME_END_DATE, WP_BY_CODE
from data_access.locale import (
    fmt_auto,
    fmt_date,
    fmt_eur,
    fmt_number,
    fmt_percent,
    indicator_label,
    translate,
    unit_label,
)
from data_access.metrics import kpi
from data_access.metrics.status import attention_reason
from geo.maps import build_national_map
from geo.style import MapLabels, TileSource

#: What the national map can show: every indicator but the ratios (bubbles are totals).
MAP_INDICATORS = [i.code for i in INDICATORS if i.kind != "ratio"]


@dataclass(frozen=True)
class Metric:
    """One ``st.metric``: its label, value, the line under it and an optional help text."""

    label: str
    value: str
    delta: str
    help: str | None = None


def headline_metrics(headline: pd.DataFrame, lang: str) -> list[Metric]:
    """The work packages' headline figures, in ``headline``'s order.

    Args:
        headline: ``computed.headline`` (``wp, indicator_code, value, achievement,
            planned_share``).
    """
    return [
        Metric(
            translate(
                lang,
                "overview.wp_metric",
                wp=row["wp"],
                indicator=getattr(INDICATOR_BY_CODE[row["indicator_code"]], "name_" + lang),
            ),
            fmt_auto(row["value"], lang),
            translate(
                lang,
                "overview.delta",
                achieved=fmt_percent(row["achievement"], lang),
                planned=fmt_percent(row["planned_share"], lang),
            ),
            translate(lang, "overview.wp_metric_help"),
        )
        for row in headline.to_dict("records")
    ]


def spending_metric(spend: pd.DataFrame, lang: str) -> Metric:
    """The share of the budget spent: ``kpi.spending``'s ``TOTAL`` row."""
    total = spend[spend["wp"] == "TOTAL"].iloc[0]
    return Metric(
        translate(lang, "overview.spend_metric"),
        fmt_percent(total["share"], lang),
        translate(
            lang,
            "overview.spend_delta",
            spent=fmt_eur(total["spent"], lang),
            budget=fmt_eur(total["budget"], lang),
        ),
    )


def metric_row(headline: pd.DataFrame, spend: pd.DataFrame, lang: str) -> list[Metric | None]:
    """The overview's row of four figures: a column per headline WP (``kpi.HEADLINE_INDICATORS``;
    None where a WP has no figure), then the budget spent."""
    wps = headline_metrics(headline, lang)
    slots = len(kpi.HEADLINE_INDICATORS)
    return [*wps[:slots], *[None] * (slots - len(wps)), spending_metric(spend, lang)]


def national_map(
    cities: pd.DataFrame,
    cumulative: pd.DataFrame,
    status: pd.DataFrame,
    indicator: str,
    lang: str,
    tiles: TileSource | None,
) -> folium.Map:
    """The overview's map: one bubble per city for ``indicator`` (``kpi.national_bubbles``)."""
    bubbles = kpi.national_bubbles(cities, cumulative, status, indicator)
    bubbles["value_text"] = [fmt_auto(v, lang) for v in bubbles["value"]]
    return build_national_map(
        bubbles,
        indicator_label(indicator, lang),
        labels=MapLabels.in_lang(lang),
        format_value=lambda v: fmt_auto(v, lang),
        tiles=tiles,
    )


def _reason(row: dict[str, Any], lang: str) -> str:
    """One flagged WP in words, with the pace it needs when it is off track."""
    code = str(row["worst_indicator"])
    text = attention_reason(row, lang)
    if pd.notna(row["needed_pace"]):
        text += " " + translate(
            lang,
            "overview.attention_pace",
            need=fmt_auto(row["needed_pace"], lang),
            now=fmt_auto(row["pace"], lang),
            unit=unit_label(INDICATOR_BY_CODE[code].unit, lang),
        )
    return text


def attention_rows(
    wp_status: pd.DataFrame,
    by_city: pd.DataFrame | None,
    projection: pd.DataFrame,
    names: dict[str, str],
    lang: str,
) -> list[dict[str, str]]:
    """One row per city needing attention, most urgent first: code, name and the reasons in
    ``lang`` (column headers in ``lang`` too).

    Args:
        wp_status: ``computed.wp_status``; by_city: the reporting summary per city (or None);
        projection: ``computed.projection`` (the pace an off-track WP needs).
    """
    flags = kpi.attention_pace(kpi.attention(wp_status, by_city), projection)
    rows = []
    for code, group in flags.groupby("city_code", sort=False):
        records = group.to_dict("records")
        reasons = [_reason(r, lang) for r in records if r["status"] != "reports"]
        missing = group["n_missing"].iloc[0]
        if missing > 0:
            reasons.append(translate(lang, "overview.attention_reason_reports", n=int(missing)))
        rows.append(
            {
                translate(lang, "method.col_code"): str(code),
                translate(lang, "chart.city"): names[str(code)],
                translate(lang, "overview.attention_reason"): " ".join(reasons),
            }
        )
    return rows


def attention_shown(
    rows: list[dict[str, str]], lang: str, limit: int = MAX_SHOWN
) -> tuple[list[dict[str, str]], str | None]:
    """The rows of :func:`attention_rows` the page lists, and what it says about the others:
    every row up to ``limit`` (no note); beyond, the ``limit`` most urgent and a note with how
    many cities need attention (every one is in the list's download)."""
    if len(rows) <= limit:
        return rows, None
    note = translate(lang, "overview.attention_more", shown=limit, n=fmt_number(len(rows), lang))
    return rows[:limit], note


def progress_figure(headline: pd.DataFrame, lang: str) -> go.Figure:
    """Achievement against plan of each WP's headline indicator."""
    return charts.wp_progress_bars(
        headline, lang, {w: w for w in WP_BY_CODE}, title=translate(lang, "overview.headline")
    )


def spending_figure(spend: pd.DataFrame, lang: str) -> go.Figure:
    """Budget against spending per WP."""
    return charts.spending_bars(
        spend, lang, {w: w for w in WP_BY_CODE}, title=translate(lang, "overview.spend_title")
    )


def trajectory_figure(path: dict[str, Any], indicator: str, lang: str) -> go.Figure:
    """The national trajectory of ``indicator``: ``computed.trajectory``'s actual values, plan
    and projection."""
    return charts.trajectory(
        path["actual"],
        path["plan"],
        lang,
        projection=path["projection"],
        end_value=path["end_value"],
        y_title=indicator_label(indicator, lang),
    )


def reporting_figure(
    reporting: pd.DataFrame, period: str, names: dict[str, str], lang: str
) -> go.Figure:
    """Which city reported which month, up to ``period`` (``computed.reporting``)."""
    return charts.completeness_heatmap(reporting[reporting["period"] <= period], names, lang)


def projection_sentence(path: dict[str, Any], indicator: str, lang: str) -> str | None:
    """ "At this pace, X% of the target by <end date>", or None without a projection."""
    if path["projection"] is None:
        return None
    return translate(
        lang,
        "overview.projection_sentence",
        pct=fmt_percent(path["projection"]["projected_achievement"], lang),
        indicator=indicator_label(indicator, lang),
        date=fmt_date(PROGRAMME_END_DATE, lang),
    )
