"""Panoramica — where the programme stands, for the steering committee."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, charts, computed, deferred, drilldown, filters, memo, pack_ui, shell
from dashboard.components import show_cached_chart, show_metrics, show_reporting_summary, show_table
from dashboard.i18n import fmt_period, indicator_label, t
from dashboard.maps_ui import show_cached_map, tiles
from dashboard.views import overview
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.metrics import kpi
from data_access.sanitize import escape_markdown

ctx = shell.context()
deferred.hold_charts_until_maps()  # the map first: see dashboard/deferred.py
drilldown.follow_city_click()  # a bubble was clicked: its city's map, before anything else
lang, viewer = ctx.lang, ctx.viewer
period = shell.compared_period(viewer, ctx.period)  # a city manager: the release's month


def ind_name(code: str) -> str:
    return indicator_label(code, lang)


names = shell.city_names(viewer)

st.title(t("overview.title"))
st.caption(t("overview.intro", period=fmt_period(period, lang)))
shell.note_moved_period("filters.compared_period", ctx.period, period)
if viewer.full_detail:  # the committee's edition: steering and admin only
    pack_ui.show_pack_button(viewer, period, lang)

# --- headline figures ---------------------------------------------------------------------
headline = computed.headline(viewer, period)
spend = computed.spending(viewer, period)
show_metrics(overview.metric_row(headline, spend, lang))

left, right = st.columns(2)
with left:
    show_cached_chart(
        "ov_progress",
        viewer,
        period,
        lang,
        build=lambda: overview.progress_figure(headline, lang),
        name="avanzamento_wp",
    )
with right:
    show_cached_chart(
        "ov_spend",
        viewer,
        period,
        lang,
        build=lambda: overview.spending_figure(spend, lang),
        name="spesa_budget",
    )

# --- status matrix and map ----------------------------------------------------------------
wp_status = computed.wp_status(viewer, period)
left, right = st.columns([5, 6])
with left:
    st.subheader(t("overview.status_matrix"), help=t("overview.status_matrix_help"))
    show_cached_chart(
        "ov_matrix",
        viewer,
        period,
        lang,
        build=lambda: charts.status_matrix(wp_status, names, lang),
        name="stato_citta_wp",
        title=t("overview.status_matrix"),
    )
with right:
    st.subheader(t("overview.map"))
    indicator = filters.select(
        "indicator",
        overview.MAP_INDICATORS,
        label=t("overview.map_indicator"),
        default=kpi.HEADLINE_INDICATORS["WP2"],
        format_func=ind_name,
        container=st,
        known=INDICATOR_BY_CODE,
    )

    show_cached_map(
        lambda: overview.national_map(
            cache.cities(viewer),
            computed.cumulative(viewer, period),
            computed.status(viewer, period),
            indicator,
            lang,
            tiles(),
        ),
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
show_cached_chart(
    "ov_trajectory",
    viewer,
    period,
    indicator,
    lang,
    build=lambda: overview.trajectory_figure(path, indicator, lang),
    name=f"traiettoria_{indicator}",
    title=f"{t('overview.trajectory')} — {ind_name(indicator)}",
)
sentence = overview.projection_sentence(path, indicator, lang)
if sentence:
    st.markdown(sentence)
st.caption(t("overview.trajectory_caption"))

# --- reporting completeness ---------------------------------------------------------------
st.subheader(t("overview.completeness"))
by_city = show_reporting_summary(viewer, period)
show_cached_chart(
    "ov_reports",
    viewer,
    period,
    lang,
    build=lambda: overview.reporting_figure(computed.reporting(viewer), period, names, lang),
    name="completezza_report",
    title=t("overview.completeness"),
)

# --- attention ----------------------------------------------------------------------------
st.subheader(t("overview.attention"))

rows = memo.value(
    "ov_attention",
    viewer,
    period,
    lang,
    build=lambda: overview.attention_rows(
        wp_status, by_city, computed.projection(viewer, period), names, lang
    ),
)
if not rows:
    st.success(t("overview.attention_none"))
else:
    listed, more = overview.attention_shown(rows, lang)
    # One list (one element, one <ul>), not a paragraph per city.
    st.markdown(
        "\n".join(
            f"- **{escape_markdown(city)}** — {reasons}"
            for _, city, reasons in map(dict.values, listed)
        )
    )
    if more:
        st.caption(more)
    show_table(pd.DataFrame(rows), key="ov_attention", name="citta_attenzione", table=False)
