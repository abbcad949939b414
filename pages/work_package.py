"""Work package — each indicator of a WP compared across the cities."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, charts, computed, filters, memo, shell
from dashboard.components import show_chart, show_table
from dashboard.i18n import fmt_auto, fmt_percent, fmt_period, t, unit_label
from dashboard.table_frames import wp_frames
from data_access.catalogue import (
    ACTION_BY_CODE,
    INDICATOR_BY_CODE,
    INDICATORS,
    WP_BY_CODE,
    programme_periods,
)
from data_access.disclosure.release import sensitive
from data_access.metrics.gaps import gap_kinds, monthly_with_gaps

ctx = shell.context()
lang, period, viewer = ctx.lang, ctx.period, ctx.viewer
MEASURES = ("abs", "per10k", "pct")


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
    list(MEASURES),
    label=t("filters.measure"),
    container=c3,
    format_func=lambda m: t(f"measure.{m}"),
)
ind = INDICATOR_BY_CODE[indicator]
st.subheader(f"{wp} · {name(WP_BY_CODE[wp])}")
st.markdown(
    f"**{t('wp_page.action')}:** {ind.action} · {name(ACTION_BY_CODE[ind.action])}  \n"
    f"**{name(ind)}** ({unit_label(ind.unit, lang)}) — {getattr(ind, 'definition_' + lang)}"
)

names = shell.city_names(viewer)
cum = computed.cumulative(viewer, period)
per10k = computed.per_10k(viewer, period)
achievement = computed.achievement(viewer, period)


def measured(code: str, how: str) -> pd.DataFrame:
    """``city_code, value`` of one indicator in the chosen measure."""
    if how == "pct":
        frame = achievement[achievement["indicator_code"] == code]
        return frame[["city_code"]].assign(value=frame["achievement"].to_numpy())
    if how == "per10k":
        frame = per10k[per10k["indicator_code"] == code]
        return frame[["city_code"]].assign(value=frame["benchmark_value"].to_numpy())
    frame = cum[cum["indicator_code"] == code]
    return frame[["city_code", "value"]]


def shown(value: float, how: str) -> str:
    return fmt_percent(value, lang) if how == "pct" else fmt_auto(value, lang)


effective = measure
if (
    measure == "pct"
    and achievement[achievement["indicator_code"] == indicator]["achievement"].isna().all()
):
    st.info(t("wp_page.no_target_note"))
    effective = "abs"
if ind.kind == "ratio" and measure == "per10k":
    st.caption(t("wp_page.ratio_note"))

# --- comparison across cities -------------------------------------------------------------
st.subheader(t("wp_page.compare"))


def compare_bars() -> object:
    bars = pd.DataFrame({"city_code": list(names), "name": list(names.values())}).merge(
        measured(indicator, effective), on="city_code", how="left"
    )
    reference = 1.0 if effective == "pct" else bars["value"].median()
    x_title = (
        t(f"measure.{effective}")
        if effective != "abs"
        else f"{name(ind)} ({unit_label(ind.unit, lang)})"
    )
    return charts.sorted_bars(
        bars,
        lang,
        x_title=x_title,
        reference=reference,
        reference_label=t("chart.target") if effective == "pct" else t("chart.median"),
        text=[shown(v, effective) for v in bars["value"]],
        percent=effective == "pct",
        gaps=gap_kinds(bars["city_code"], bars["value"], cum, indicator),
    )


show_chart(
    memo.figure("wp_bars", viewer, period, indicator, effective, lang, build=compare_bars),
    key="wp_bars",
    name=f"{indicator}_{effective}",
    title=f"{name(ind)} — {t(f'measure.{effective}')}, {fmt_period(period, lang)}",
)
st.caption(t("wp_page.compare_caption", measure=t(f"measure.{effective}")))

# --- monthly series -----------------------------------------------------------------------
st.subheader(t("wp_page.small_multiples"))


def multiples() -> object:
    if ind.kind == "ratio":
        monthly = computed.cumulative_series(viewer, indicator, period)[
            ["city_code", "period", "value"]
        ]
        monthly = monthly.assign(gap=["" if pd.notna(v) else "missing" for v in monthly["value"]])
    else:
        months = [p for p in programme_periods() if p <= period]
        obs = cache.observations(viewer, indicators=[indicator])
        monthly = monthly_with_gaps(obs[obs["period"] <= period], list(names), months)
    return charts.small_multiples(monthly, names, lang)


if viewer.role == "public" and sensitive(indicator):
    st.info(t("wp_page.release_note"), icon=":material/info:")  # released to date only
else:
    show_chart(
        memo.figure("wp_multiples", viewer, period, indicator, lang, build=multiples),
        key="wp_multiples",
        name=f"{indicator}_mensile",
        title=f"{name(ind)} — {t('wp_page.small_multiples')}",
    )
    st.caption(t("wp_page.small_multiples_caption"))
    if viewer.role == "city" and sensitive(indicator):
        st.caption(t("wp_page.release_note_city"))

# --- every indicator of the WP ------------------------------------------------------------
st.subheader(t("wp_page.table"))


def wp_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    return wp_frames(
        wp_indicators,
        lambda code: measured(code, measure).set_index("city_code")["value"],
        names,
        lambda v: shown(v, measure),
        lang,
    )


table, table_data = memo.value("wp_table", viewer, period, wp, measure, lang, build=wp_table)
show_table(
    table,
    key="wp_table",
    name=f"{wp}_{measure}_{period}",
    download=table_data,
    percent_columns=list(table_data.columns[3:]) if measure == "pct" else (),
)
