"""Qualità dei dati / Data quality: completeness and timeliness of the monthly reports per city
and month (``metrics.completeness``: the same figures as the overview and the approval page),
approval status, and values flagged as outliers against each city's own history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, components, computed, shell
from dashboard.components import publication_failure_text, publication_text
from dashboard.i18n import fmt_auto, fmt_number, fmt_percent, fmt_period, t
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.metrics.completeness import APPROVED

COLS = (
    "city",
    "expected",
    "received",
    "on_time",
    "late",
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
MARKS = {"on_time": "✔", "late": "◷", "missing": "✖", "pending": "·"}


def _cell(row: pd.Series) -> str:
    return MARKS[row["status"]] + (" 🔒" if row["approval"] in APPROVED else "")


ctx = shell.context()
cols = {c: t(f"dq.cols.{c}") for c in COLS}
names = shell.city_names(ctx.viewer)
own = ctx.viewer.city if ctx.viewer.role == "city" else None  # a city sees its own reports
st.title(t("dq.title"))
st.caption(t("dq.intro"))
failed = publication_failure_text(ctx.lang)
if failed:
    st.error(failed, icon=":material/error:")
st.info(publication_text("dq", ctx.lang), icon=":material/publish:")

by_city = components.show_reporting_summary(ctx.viewer, ctx.period, own)
summary = pd.DataFrame(
    {
        "city": by_city["city_code"].map(names),
        "expected": by_city["n_due"],
        "received": by_city["n_received"],
        "on_time": by_city["n_on_time"],
        "late": by_city["n_late"],
        "approved": by_city["n_approved"],
        "completeness_pct": (100 * by_city["completeness"]).round(1),
        "timeliness_pct": (100 * by_city["timeliness"]).round(1),
    }
).sort_values("city", ignore_index=True)

st.subheader(t("dq.rates"))
# Percentages written in the page's language (the grid would print "94.4" in Italian).
rates = summary.assign(
    completeness_pct=[fmt_percent(v / 100, ctx.lang, 1) for v in summary["completeness_pct"]],
    timeliness_pct=[fmt_percent(v / 100, ctx.lang, 1) for v in summary["timeliness_pct"]],
)
st.dataframe(
    rates.rename(columns=cols),
    hide_index=True,
    key="dq_rates",
    column_config={  # numbers as text: aligned right like the counts beside them
        cols[c]: st.column_config.TextColumn(alignment="right")
        for c in ("completeness_pct", "timeliness_pct")
    },
)

st.subheader(t("dq.grid"))
st.caption(t("dq.legend"))
reporting = computed.reporting(ctx.viewer, own)
if not reporting.empty:
    grid = reporting.assign(
        city=reporting["city_code"].map(names), mark=reporting.apply(_cell, axis=1)
    ).pivot(index="city", columns="period", values="mark")
    grid = grid[list(reversed(grid.columns))]  # the latest month first, in view
    grid.columns = [fmt_period(p, ctx.lang, short=True) for p in grid.columns]
    grid.index.name = cols["city"]
    st.dataframe(grid, key="dq_grid")

st.subheader(t("dq.outliers"))
outliers = cache.outliers(ctx.viewer)
if outliers.empty:
    st.caption(t("dq.no_outliers"))
else:
    shown = outliers.assign(
        city=outliers["city_code"].map(names),
        z=[fmt_number(v, ctx.lang, 1) for v in outliers["z"]],
        value=[fmt_auto(v, ctx.lang) for v in outliers["value"]],
        median=[fmt_auto(v, ctx.lang) for v in outliers["median"]],
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
