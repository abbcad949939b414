"""Qualità dei dati / Data quality: completeness and timeliness of the monthly reports per city
and month (DHIS2 reporting rates; on time = by the 15th of the following month), approval
status, and values flagged as outliers against each city's own history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, shell
from dashboard.i18n import fmt_percent, fmt_period, t
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.ingest.quality import compute_reporting, load_outliers, summarise_reporting

COLS = (
    "city",
    "expected",
    "received",
    "on_time",
    "approved",
    "completeness_pct",
    "timeliness_pct",
    "indicator",
    "periphery",
    "period",
    "value",
    "median",
    "z",
    "city_code",
)


def _cell(row: pd.Series) -> str:
    if not row["expected"] and not row["received"]:
        return "·"
    if not row["received"]:
        return "✖"
    mark = "✔" if row["on_time"] is not False else "◷"
    return mark + (" 🔒" if row["status"] in ("approved", "locked") else "")


ctx = shell.context()
cols = {c: t(f"dq.cols.{c}") for c in COLS}
engine = cache.engine()
st.title(t("dq.title"))
st.caption(t("dq.intro"))

reporting = compute_reporting(engine, ctx.viewer)
summary = summarise_reporting(reporting)
if not summary.empty:
    k1, k2 = st.columns(2)
    exp = int(summary["expected"].sum())
    k1.metric(
        t("dq.completeness"),
        fmt_percent(summary["received"].sum() / exp, ctx.lang, 1) if exp else "–",
    )
    k2.metric(
        t("dq.timeliness"), fmt_percent(summary["on_time"].sum() / exp, ctx.lang, 1) if exp else "–"
    )

st.subheader(t("dq.rates"))
st.dataframe(
    summary.drop(columns=["city_code"]).rename(columns=cols),
    hide_index=True,
    key="dq_rates",
    column_config={
        cols["completeness_pct"]: st.column_config.ProgressColumn(
            min_value=0, max_value=100, format="%.1f"
        ),
        cols["timeliness_pct"]: st.column_config.ProgressColumn(
            min_value=0, max_value=100, format="%.1f"
        ),
    },
)

st.subheader(t("dq.grid"))
st.caption(t("dq.legend"))
if not reporting.empty:
    grid = reporting.assign(mark=reporting.apply(_cell, axis=1)).pivot(
        index="city", columns="period", values="mark"
    )
    grid.columns = [fmt_period(p, ctx.lang, short=True) for p in grid.columns]
    grid.index.name = cols["city"]
    st.dataframe(grid, key="dq_grid")

st.subheader(t("dq.outliers"))
outliers = load_outliers(engine, ctx.viewer)
if outliers.empty:
    st.caption(t("dq.no_outliers"))
else:
    names = shell.city_names(ctx.viewer)
    shown = outliers.assign(
        city=outliers["city_code"].map(names),
        z=outliers["z"].round(1),
        indicator=[
            getattr(INDICATOR_BY_CODE[c], f"name_{ctx.lang}") if c in INDICATOR_BY_CODE else c
            for c in outliers["indicator"]
        ],
        period=[fmt_period(p, ctx.lang, short=True) for p in outliers["period"]],
    )
    st.dataframe(
        shown[["city", "indicator", "periphery", "period", "value", "median", "z"]].rename(
            columns=cols
        ),
        hide_index=True,
        key="dq_outliers",
    )
