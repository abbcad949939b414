"""Qualità dei dati / Data quality: completeness and timeliness of the monthly reports per city
and month (DHIS2 reporting rates; on time = by the 15th of the following month), approval
status, and values flagged as outliers against each city's own history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, shell
from data_access.ingest.quality import compute_reporting, load_outliers, summarise_reporting

_TEXT = {
    "it": {"title": "Qualità dei dati", "intro": "Completezza e tempestività dei report mensili "
           "(nei termini = entro il 15 del mese successivo), stato di approvazione e valori anomali "
           "rispetto allo storico di ciascuna città (z modificato > 3,5).",
           "rates": "Tassi di trasmissione per città", "grid": "Stato dei report per mese",
           "outliers": "Valori anomali da verificare", "no_outliers": "Nessun valore anomalo.",
           "completeness": "Completezza", "timeliness": "Tempestività",
           "legend": "✔ nei termini · ⏱ in ritardo · ✖ mancante · 🔒 approvato · · non ancora dovuto",
           "cols": {"city": "Città", "expected": "Attesi", "received": "Ricevuti", "on_time": "Nei termini",
                    "approved": "Approvati", "completeness_pct": "Completezza %",
                    "timeliness_pct": "Tempestività %", "indicator": "Indicatore",
                    "periphery": "Periferia", "period": "Mese", "value": "Valore", "median": "Mediana",
                    "z": "z modificato", "city_code": "Codice"}},
    "en": {"title": "Data quality", "intro": "Completeness and timeliness of the monthly reports "
           "(on time = by the 15th of the following month), approval status and values that are "
           "unusual for each city's own history (modified z > 3.5).",
           "rates": "Reporting rates per city", "grid": "Report status per month",
           "outliers": "Unusual values to check", "no_outliers": "No unusual values.",
           "completeness": "Completeness", "timeliness": "Timeliness",
           "legend": "✔ on time · ⏱ late · ✖ missing · 🔒 approved · · not due yet",
           "cols": {"city": "City", "expected": "Expected", "received": "Received", "on_time": "On time",
                    "approved": "Approved", "completeness_pct": "Completeness %",
                    "timeliness_pct": "Timeliness %", "indicator": "Indicator",
                    "periphery": "Periphery", "period": "Month", "value": "Value", "median": "Median",
                    "z": "Modified z", "city_code": "Code"}},
}


def _cell(row: pd.Series) -> str:
    if not row["expected"] and not row["received"]:
        return "·"
    if not row["received"]:
        return "✖"
    mark = "✔" if row["on_time"] is not False else "⏱"
    return mark + (" 🔒" if row["status"] in ("approved", "locked") else "")


ctx = shell.context()
T = _TEXT["en" if ctx.lang == "en" else "it"]
engine = cache.engine()
st.title(T["title"])
st.caption(T["intro"])

reporting = compute_reporting(engine, ctx.viewer)
summary = summarise_reporting(reporting)
if not summary.empty:
    k1, k2 = st.columns(2)
    exp = int(summary["expected"].sum())
    k1.metric(T["completeness"], f"{100 * summary['received'].sum() / exp:.1f} %" if exp else "–")
    k2.metric(T["timeliness"], f"{100 * summary['on_time'].sum() / exp:.1f} %" if exp else "–")

st.subheader(T["rates"])
st.dataframe(summary.drop(columns=["city_code"]).rename(columns=T["cols"]), hide_index=True,
             key="dq_rates", column_config={
                 T["cols"]["completeness_pct"]: st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f"),
                 T["cols"]["timeliness_pct"]: st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f")})

st.subheader(T["grid"])
st.caption(T["legend"])
if not reporting.empty:
    grid = reporting.assign(mark=reporting.apply(_cell, axis=1)).pivot(
        index="city", columns="period", values="mark")
    st.dataframe(grid, key="dq_grid")

st.subheader(T["outliers"])
outliers = load_outliers(engine, ctx.viewer)
if outliers.empty:
    st.caption(T["no_outliers"])
else:
    names = shell.city_names(ctx.viewer)
    shown = outliers.assign(city=outliers["city_code"].map(names), z=outliers["z"].round(1))
    st.dataframe(shown[["city", "indicator", "periphery", "period", "value", "median", "z"]]
                 .rename(columns=T["cols"]), hide_index=True, key="dq_outliers")
