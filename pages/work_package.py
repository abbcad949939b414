"""Work package — each indicator of a WP compared across the cities."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import cache, computed, filters, memo, shell
from dashboard.components import show_cached_chart, show_table
from dashboard.i18n import fmt_period, t
from dashboard.views import work_package as view
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS, WP_BY_CODE
from data_access.disclosure.release import sensitive

ctx = shell.context()
lang, period, viewer = ctx.lang, ctx.period, ctx.viewer


def name(obj: object) -> str:
    return str(getattr(obj, f"name_{lang}"))


st.title(t("wp_page.title"))
st.caption(t("wp_page.intro", period=fmt_period(period, lang)))
c1, c2, c3 = st.columns([2, 3, 3])
wp = filters.select("wp", list(WP_BY_CODE), label=t("filters.wp"), container=c1, widget="segmented")
wp_indicators = [i.code for i in INDICATORS if i.wp == wp]
indicator = filters.select(
    "indicator",
    wp_indicators,
    label=t("filters.indicator"),
    container=c2,
    format_func=lambda c: f"{INDICATOR_BY_CODE[c].action} · {name(INDICATOR_BY_CODE[c])}",
    known=INDICATOR_BY_CODE,
)
measure = filters.select(
    "measure",
    list(view.MEASURES),
    label=t("filters.measure"),
    container=c3,
    format_func=lambda m: t(f"measure.{m}"),
)
ind = INDICATOR_BY_CODE[indicator]
st.subheader(f"{wp} · {name(WP_BY_CODE[wp])}")
st.markdown(view.indicator_intro(indicator, lang))

names = shell.city_names(viewer)
measures = view.Measures(
    computed.cumulative(viewer, period),
    computed.per_10k(viewer, period),
    computed.achievement(viewer, period),
)
effective = measures.effective(indicator, measure)
if effective != measure:
    st.info(t("wp_page.no_target_note"))
if ind.kind == "ratio" and measure == "per10k":
    st.caption(t("wp_page.ratio_note"))
# With many cities the charts and the table on screen show the comparison's cities only.
compared = memo.value(
    "wp_compared",
    viewer,
    period,
    indicator,
    effective,
    build=lambda: view.compared_cities(measures, names, indicator, effective, viewer.city),
)

# --- comparison across cities -------------------------------------------------------------
st.subheader(t("wp_page.compare"))
show_cached_chart(
    "wp_bars",
    viewer,
    period,
    indicator,
    effective,
    lang,
    build=lambda: view.compare_figure(measures, names, indicator, effective, lang, viewer.city),
    name=f"{indicator}_{effective}",
    title=view.chart_title(indicator, effective, period, lang),
)
st.caption(t("wp_page.compare_caption", measure=t(f"measure.{effective}")))

# --- monthly series -----------------------------------------------------------------------
st.subheader(t("wp_page.small_multiples"))


def multiples() -> go.Figure:
    if ind.kind == "ratio":
        return view.ratio_multiples(
            computed.cumulative_series(viewer, indicator, period), compared, lang, multiples_note
        )
    obs = cache.observations(viewer, indicators=[indicator])
    return view.count_multiples(obs, compared, period, lang, multiples_note)


multiples_note = view.subset_note("multiples", compared, names, lang)


if viewer.role == "public" and sensitive(indicator):
    st.info(t("wp_page.release_note"), icon=":material/info:")  # released to date only
else:
    show_cached_chart(
        "wp_multiples",
        viewer,
        period,
        indicator,
        effective,
        lang,
        build=multiples,
        name=f"{indicator}_mensile",
        title=f"{name(ind)} — {t('wp_page.small_multiples')}",
    )
    st.caption(t("wp_page.small_multiples_caption"))
    if viewer.role == "city" and sensitive(indicator):
        st.caption(t("wp_page.release_note_city"))

# --- every indicator of the WP ------------------------------------------------------------
st.subheader(t("wp_page.table"))
table, table_data = memo.value(
    "wp_table",
    viewer,
    period,
    wp,
    measure,
    indicator,
    effective,
    lang,
    build=lambda: view.wp_table(measures, wp_indicators, names, measure, lang, compared),
)
show_table(
    table,
    key="wp_table",
    name=f"{wp}_{measure}_{period}",
    download=table_data,
    percent_columns=list(table_data.columns[3:]) if measure == "pct" else (),
)
table_note = view.subset_note("table", compared, names, lang)
if table_note:
    st.caption(table_note)
