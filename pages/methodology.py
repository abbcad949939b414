"""Metodologia — indicator catalogue, how numbers are computed, sources and licences."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, shell
from dashboard.components import show_table
from dashboard.i18n import fmt_number, fmt_percent, translate, unit_label
from data_access.catalogue import ACTION_BY_CODE, INDICATORS
from data_access.metrics_progress import DEFAULT_THRESHOLDS

ctx = shell.context()
lang, viewer = ctx.lang, ctx.viewer


def tr(key: str, **kw: object) -> str:
    return translate(lang, key, **kw)


def quality(raw: str) -> str:
    """Known source-quality labels in the user's language; anything else as recorded."""
    key = "quality." + "_".join(str(raw).lower().split())
    text = tr(key)
    return str(raw) if text == key else text


st.title(tr("method.title"))
st.caption(tr("method.intro"))
if cache.is_demo():
    st.warning(tr("method.demo_note"), icon=":material/science:")

# --- catalogue ----------------------------------------------------------------------------
st.subheader(tr("method.catalogue"))
catalogue = pd.DataFrame([{
    tr("method.col_code"): i.code,
    tr("method.col_wp"): i.wp,
    tr("method.col_action"): f"{i.action} · {getattr(ACTION_BY_CODE[i.action], 'name_' + lang)}",
    tr("method.col_name"): getattr(i, "name_" + lang),
    tr("method.col_unit"): unit_label(i.unit, lang),
    tr("method.col_kind"): tr(f"kind.{i.kind}"),
    tr("method.col_direction"): tr(f"direction.{i.direction}"),
    tr("method.col_amif"): i.amif_code or "–",
    tr("method.col_definition"): getattr(i, "definition_" + lang),
} for i in INDICATORS])
show_table(catalogue, key="method_catalogue", name="catalogo_indicatori")
st.caption(tr("method.catalogue_caption"))

# --- how the numbers are computed ---------------------------------------------------------
st.subheader(tr("method.computing"))
for key in ("cumulation", "plan"):
    st.markdown(tr(f"method.{key}"))
st.markdown(tr("method.status", on_track=fmt_percent(DEFAULT_THRESHOLDS.on_track, lang),
               at_risk=fmt_percent(DEFAULT_THRESHOLDS.at_risk, lang)))
for key in ("projection", "benchmark", "completeness", "disclosure"):
    st.markdown(tr(f"method.{key}"))

# --- sources ------------------------------------------------------------------------------
st.subheader(tr("method.sources"))
st.caption(tr("method.sources_caption"))
cities = cache.cities(viewer)
sources = pd.DataFrame({
    tr("method.col_city"): cities["name"],
    tr("method.col_region"): cities["region"],
    tr("method.col_macro"): cities["macro_area"],
    tr("method.col_population"): [fmt_number(v, lang) for v in cities["population"]],
    tr("method.col_population_ref"): cities["population_ref"],
    tr("method.col_population_quality"): [quality(q) for q in cities["population_quality"]],
    tr("method.col_foreign"): [fmt_number(v, lang) for v in cities["foreign_residents"]],
    tr("method.col_foreign_ref"): cities["foreign_ref"],
    tr("method.col_foreign_quality"): [quality(q) for q in cities["foreign_quality"]],
})
estimates = (cities["population_quality"].str.contains("estimate|stima", case=False)
             | cities["foreign_quality"].str.contains("estimate|stima", case=False))


def _flag_estimates(row: pd.Series) -> list[str]:
    # Estimates must never look official: an amber background on the whole row.
    style = "background-color: #FFF3CD" if estimates.iloc[row.name] else ""
    return [style] * len(row)


st.dataframe(sources.style.apply(_flag_estimates, axis=1), hide_index=True, key="method_sources")
st.caption(tr("method.estimate_note"))
st.markdown(tr("method.licences"))
