"""Panoramica — where the programme stands, for the steering committee."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, charts, computed, filters, kpi, memo, shell
from dashboard.components import show_chart, show_table
from dashboard.i18n import fmt_auto, fmt_date, fmt_eur, fmt_percent, fmt_period, translate
from dashboard.maps_ui import map_labels, show_cached_map, tiles
from data_access import metrics_completeness
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS, PROGRAMME_END_DATE, WP_BY_CODE
from data_access.sanitize import escape_markdown
from geo.maps import build_national_map

ctx = shell.context()
lang, period, viewer = ctx.lang, ctx.period, ctx.viewer


def tr(key: str, **kw: object) -> str:
    return translate(lang, key, **kw)


def ind_name(code: str) -> str:
    ind = INDICATOR_BY_CODE[code]
    return f"{ind.wp} · {getattr(ind, 'name_' + lang)}"


names = shell.city_names(viewer)

st.title(tr("overview.title"))
st.caption(tr("overview.intro", period=fmt_period(period, lang)))

# --- headline figures ---------------------------------------------------------------------
headline = computed.headline(viewer, period)
spend = memo.value("spending", viewer, period, build=lambda: kpi.spending(
    cache.budget(viewer), cache.expenditure(viewer), period))
cols = st.columns(4)
for col, row in zip(cols, headline.to_dict("records"), strict=False):
    col.metric(
        tr("overview.wp_metric", wp=row["wp"],
           indicator=getattr(INDICATOR_BY_CODE[row["indicator_code"]], "name_" + lang)),
        fmt_auto(row["value"], lang),
        delta=tr("overview.delta", achieved=fmt_percent(row["achievement"], lang),
                 planned=fmt_percent(row["planned_share"], lang)),
        delta_color="off", delta_arrow="off", border=True, help=tr("overview.wp_metric_help"))
total = spend[spend["wp"] == "TOTAL"].iloc[0]
cols[3].metric(tr("overview.spend_metric"), fmt_percent(total["share"], lang),
               delta=tr("overview.spend_delta", spent=fmt_eur(total["spent"], lang),
                        budget=fmt_eur(total["budget"], lang)),
               delta_color="off", delta_arrow="off", border=True)

wp_labels = {w: f"{w} · {getattr(WP_BY_CODE[w], 'name_' + lang)}" for w in WP_BY_CODE}
left, right = st.columns(2)
with left:
    show_chart(memo.figure("ov_progress", viewer, period, lang, build=lambda: charts.wp_progress_bars(
        headline, lang, {w: w for w in WP_BY_CODE}, title=tr("overview.headline"))),
        key="ov_progress", name="avanzamento_wp")
with right:
    show_chart(memo.figure("ov_spend", viewer, period, lang, build=lambda: charts.spending_bars(
        spend, lang, {w: w for w in WP_BY_CODE}, title=tr("overview.spend_title"))),
        key="ov_spend", name="spesa_budget")

# --- status matrix and map ----------------------------------------------------------------
wp_status = computed.wp_status(viewer, period)
left, right = st.columns([5, 6])
with left:
    st.subheader(tr("overview.status_matrix"), help=tr("overview.status_matrix_help"))
    show_chart(memo.figure("ov_matrix", viewer, period, lang,
                           build=lambda: charts.status_matrix(wp_status, names, lang)),
               key="ov_matrix", name="stato_citta_wp", title=tr("overview.status_matrix"))
with right:
    st.subheader(tr("overview.map"))
    choices = [i.code for i in INDICATORS if i.kind != "ratio"]
    indicator = filters.select("indicator", choices, label=tr("overview.map_indicator"),
                               default=kpi.HEADLINE_INDICATORS["WP2"], format_func=ind_name,
                               container=st, known=INDICATOR_BY_CODE)
    def national_map() -> object:
        bubbles = kpi.national_bubbles(cache.cities(viewer), computed.cumulative(viewer, period),
                                       computed.status(viewer, period), indicator)
        bubbles["value_text"] = [fmt_auto(v, lang) for v in bubbles["value"]]
        return build_national_map(bubbles, ind_name(indicator), labels=map_labels(lang),
                                  format_value=lambda v: fmt_auto(v, lang), tiles=tiles())

    show_cached_map(national_map, viewer=viewer, parts=(period, indicator, lang), key="ov_map",
                    height=480)
    st.caption(tr("overview.map_caption", indicator=ind_name(indicator)))

# --- national trajectory ------------------------------------------------------------------
st.subheader(tr("overview.trajectory"))
path = computed.trajectory(viewer, indicator, period)
if path["plan"].empty:
    st.info(tr("overview.no_targets"))
show_chart(memo.figure("ov_trajectory", viewer, period, indicator, lang,
                       build=lambda: charts.trajectory(
                           path["actual"], path["plan"], lang, projection=path["projection"],
                           end_value=path["end_value"], y_title=ind_name(indicator))),
           key="ov_trajectory", name=f"traiettoria_{indicator}",
           title=f"{tr('overview.trajectory')} — {ind_name(indicator)}")
if path["projection"] is not None:
    st.markdown(tr("overview.projection_sentence",
                   pct=fmt_percent(path["projection"]["projected_achievement"], lang),
                   indicator=ind_name(indicator), date=fmt_date(PROGRAMME_END_DATE, lang)))
st.caption(tr("overview.trajectory_caption"))

# --- reporting completeness ---------------------------------------------------------------
st.subheader(tr("overview.completeness"))
reporting = computed.reporting(viewer)
reporting = reporting[reporting["period"] <= period]
by_city, national = memo.value("ov_completeness", viewer, period, build=lambda: (
    metrics_completeness.compute_completeness(reporting, by="city_code"),
    metrics_completeness.compute_completeness(reporting.assign(city_code="TOTAL"))))
st.caption(tr("overview.completeness_caption",
              completeness=fmt_percent(national["completeness"].iloc[0], lang),
              timeliness=fmt_percent(national["timeliness"].iloc[0], lang)))
show_chart(memo.figure("ov_reports", viewer, period, lang,
                       build=lambda: charts.completeness_heatmap(reporting, names, lang)),
           key="ov_reports",
           name="completezza_report", title=tr("overview.completeness"))

# --- attention ----------------------------------------------------------------------------
st.subheader(tr("overview.attention"))


def attention_rows() -> list[dict[str, str]]:
    """One row per city needing attention: its name and the reasons, in ``lang``."""
    flags = kpi.attention(wp_status, by_city)
    rows = []
    for code, group in flags.groupby("city_code", sort=False):
        reasons = [tr("overview.attention_reason_wp", wp=r.wp, status=tr(f"status.{r.status}"),
                      progress=fmt_percent(r.progress, lang), indicator=ind_name(r.worst_indicator))
                   for r in group.itertuples() if r.status != "reports"]
        if group["n_missing"].iloc[0] > 0:
            reasons.append(tr("overview.attention_reason_reports",
                              n=int(group["n_missing"].iloc[0])))
        rows.append({tr("chart.city"): names[code],
                     tr("overview.attention_reason"): " ".join(reasons)})
    return rows


rows = memo.value("ov_attention", viewer, period, lang, build=attention_rows)
if not rows:
    st.success(tr("overview.attention_none"))
for row in rows:
    city, reasons = row.values()
    st.markdown(f"- **{escape_markdown(city)}** — {reasons}")
if rows:
    show_table(pd.DataFrame(rows), key="ov_attention", name="citta_attenzione", table=False)
