"""Panoramica — where the programme stands, for the steering committee."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st

from dashboard import cache, charts, computed, deferred, drilldown, filters, memo, pack_ui, shell
from dashboard.components import show_chart, show_reporting_summary, show_table
from dashboard.i18n import (
    fmt_auto,
    fmt_date,
    fmt_eur,
    fmt_percent,
    fmt_period,
    indicator_label,
    t,
    unit_label,
)
from dashboard.maps_ui import map_labels, show_cached_map, tiles
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS, PROGRAMME_END_DATE, WP_BY_CODE
from data_access.metrics import kpi
from data_access.sanitize import escape_markdown
from geo.maps import build_national_map

ctx = shell.context()
deferred.hold_charts_until_maps()  # the map first: see dashboard/deferred.py
drilldown.follow_city_click()  # a bubble was clicked: its city's map, before anything else
lang, period, viewer = ctx.lang, ctx.period, ctx.viewer


def ind_name(code: str) -> str:
    return indicator_label(code, lang)


names = shell.city_names(viewer)

st.title(t("overview.title"))
st.caption(t("overview.intro", period=fmt_period(period, lang)))
if viewer.full_detail:  # the committee's edition: steering and admin only
    pack_ui.show_pack_button(viewer, period, lang)

# --- headline figures ---------------------------------------------------------------------
headline = computed.headline(viewer, period)
spend = memo.value(
    "spending",
    viewer,
    period,
    build=lambda: kpi.spending(cache.budget(viewer), cache.expenditure(viewer), period),
)
cols = st.columns(4)
for col, row in zip(cols, headline.to_dict("records"), strict=False):
    col.metric(
        t(
            "overview.wp_metric",
            wp=row["wp"],
            indicator=getattr(INDICATOR_BY_CODE[row["indicator_code"]], "name_" + lang),
        ),
        fmt_auto(row["value"], lang),
        delta=t(
            "overview.delta",
            achieved=fmt_percent(row["achievement"], lang),
            planned=fmt_percent(row["planned_share"], lang),
        ),
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=t("overview.wp_metric_help"),
    )
total = spend[spend["wp"] == "TOTAL"].iloc[0]
cols[3].metric(
    t("overview.spend_metric"),
    fmt_percent(total["share"], lang),
    delta=t(
        "overview.spend_delta",
        spent=fmt_eur(total["spent"], lang),
        budget=fmt_eur(total["budget"], lang),
    ),
    delta_color="off",
    delta_arrow="off",
    border=True,
)

wp_labels = {w: f"{w} · {getattr(WP_BY_CODE[w], 'name_' + lang)}" for w in WP_BY_CODE}
left, right = st.columns(2)
with left:
    show_chart(
        memo.figure(
            "ov_progress",
            viewer,
            period,
            lang,
            build=lambda: charts.wp_progress_bars(
                headline, lang, {w: w for w in WP_BY_CODE}, title=t("overview.headline")
            ),
        ),
        key="ov_progress",
        name="avanzamento_wp",
    )
with right:
    show_chart(
        memo.figure(
            "ov_spend",
            viewer,
            period,
            lang,
            build=lambda: charts.spending_bars(
                spend, lang, {w: w for w in WP_BY_CODE}, title=t("overview.spend_title")
            ),
        ),
        key="ov_spend",
        name="spesa_budget",
    )

# --- status matrix and map ----------------------------------------------------------------
wp_status = computed.wp_status(viewer, period)
left, right = st.columns([5, 6])
with left:
    st.subheader(t("overview.status_matrix"), help=t("overview.status_matrix_help"))
    show_chart(
        memo.figure(
            "ov_matrix",
            viewer,
            period,
            lang,
            build=lambda: charts.status_matrix(wp_status, names, lang),
        ),
        key="ov_matrix",
        name="stato_citta_wp",
        title=t("overview.status_matrix"),
    )
with right:
    st.subheader(t("overview.map"))
    choices = [i.code for i in INDICATORS if i.kind != "ratio"]
    indicator = filters.select(
        "indicator",
        choices,
        label=t("overview.map_indicator"),
        default=kpi.HEADLINE_INDICATORS["WP2"],
        format_func=ind_name,
        container=st,
        known=INDICATOR_BY_CODE,
    )

    def national_map() -> folium.Map:
        bubbles = kpi.national_bubbles(
            cache.cities(viewer),
            computed.cumulative(viewer, period),
            computed.status(viewer, period),
            indicator,
        )
        bubbles["value_text"] = [fmt_auto(v, lang) for v in bubbles["value"]]
        return build_national_map(
            bubbles,
            ind_name(indicator),
            labels=map_labels(lang),
            format_value=lambda v: fmt_auto(v, lang),
            tiles=tiles(),
        )

    show_cached_map(
        national_map,
        viewer=viewer,
        parts=(period, indicator, lang),
        key="ov_map",
        height=480,
        on_click=drilldown.city_click,
    )
    st.caption(t("overview.map_caption", indicator=ind_name(indicator)))

# --- national trajectory ------------------------------------------------------------------
st.subheader(t("overview.trajectory"))
path = computed.trajectory(viewer, indicator, period)
if path["plan"].empty:
    st.info(t("overview.no_targets"))
show_chart(
    memo.figure(
        "ov_trajectory",
        viewer,
        period,
        indicator,
        lang,
        build=lambda: charts.trajectory(
            path["actual"],
            path["plan"],
            lang,
            projection=path["projection"],
            end_value=path["end_value"],
            y_title=ind_name(indicator),
        ),
    ),
    key="ov_trajectory",
    name=f"traiettoria_{indicator}",
    title=f"{t('overview.trajectory')} — {ind_name(indicator)}",
)
if path["projection"] is not None:
    st.markdown(
        t(
            "overview.projection_sentence",
            pct=fmt_percent(path["projection"]["projected_achievement"], lang),
            indicator=ind_name(indicator),
            date=fmt_date(PROGRAMME_END_DATE, lang),
        )
    )
st.caption(t("overview.trajectory_caption"))

# --- reporting completeness ---------------------------------------------------------------
st.subheader(t("overview.completeness"))
by_city = show_reporting_summary(viewer, period)
reporting = computed.reporting(viewer)
reporting = reporting[reporting["period"] <= period]
show_chart(
    memo.figure(
        "ov_reports",
        viewer,
        period,
        lang,
        build=lambda: charts.completeness_heatmap(reporting, names, lang),
    ),
    key="ov_reports",
    name="completezza_report",
    title=t("overview.completeness"),
)

# --- attention ----------------------------------------------------------------------------
st.subheader(t("overview.attention"))


def attention_rows() -> list[dict[str, str]]:
    """One row per city needing attention: its name and the reasons, in ``lang``."""
    flags = kpi.attention_pace(
        kpi.attention(wp_status, by_city), computed.projection(viewer, period)
    )
    rows = []
    for code, group in flags.groupby("city_code", sort=False):
        reasons = [
            t(
                "overview.attention_reason_wp",
                wp=r.wp,
                status=t(f"status.{r.status}"),
                progress=fmt_percent(r.progress, lang),
                indicator=ind_name(r.worst_indicator),
            )
            + (
                " "
                + t(
                    "overview.attention_pace",
                    need=fmt_auto(r.needed_pace, lang),
                    now=fmt_auto(r.pace, lang),
                    unit=unit_label(INDICATOR_BY_CODE[r.worst_indicator].unit, lang),
                )
                if pd.notna(r.needed_pace)
                else ""
            )
            for r in group.itertuples()
            if r.status != "reports"
        ]
        if group["n_missing"].iloc[0] > 0:
            reasons.append(
                t("overview.attention_reason_reports", n=int(group["n_missing"].iloc[0]))
            )
        rows.append(
            {
                t("method.col_code"): code,
                t("chart.city"): names[code],
                t("overview.attention_reason"): " ".join(reasons),
            }
        )
    return rows


rows = memo.value("ov_attention", viewer, period, lang, build=attention_rows)
if not rows:
    st.success(t("overview.attention_none"))
for row in rows:
    _, city, reasons = row.values()
    st.markdown(f"- **{escape_markdown(city)}** — {reasons}")
if rows:
    show_table(pd.DataFrame(rows), key="ov_attention", name="citta_attenzione", table=False)
