"""Metodologia — indicator catalogue, how numbers are computed, sources and licences."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, memo, shell
from dashboard.components import publication_text, show_table
from dashboard.i18n import fmt_percent, t, unit_label
from dashboard.opendata import show_open_data_download
from dashboard.views import methodology as method_view
from data_access.catalogue import ACTION_BY_CODE, INDICATORS
from data_access.locale import amif_label
from data_access.metrics.progress import DEFAULT_THRESHOLDS

ctx = shell.context()
lang, viewer = ctx.lang, ctx.viewer


st.title(t("method.title"))
st.caption(t("method.intro"))
if cache.is_demo():
    st.warning(t("method.demo_note"), icon=":material/science:")

# --- catalogue ----------------------------------------------------------------------------
st.subheader(t("method.catalogue"))
catalogue = pd.DataFrame(
    [
        {
            t("method.col_code"): i.code,
            t("method.col_wp"): i.wp,
            t(
                "method.col_action"
            ): f"{i.action} · {getattr(ACTION_BY_CODE[i.action], 'name_' + lang)}",
            t("method.col_name"): getattr(i, "name_" + lang),
            t("method.col_unit"): unit_label(i.unit, lang),
            t("method.col_kind"): t(f"kind.{i.kind}"),
            t("method.col_direction"): t(f"direction.{i.direction}"),
            t("method.col_amif"): amif_label(i.amif_code, lang),
            t("method.col_definition"): getattr(i, "definition_" + lang),
        }
        for i in INDICATORS
    ]
)
show_table(catalogue, key="method_catalogue", name="catalogo_indicatori")
st.caption(t("method.catalogue_caption"))

# --- how the numbers are computed ---------------------------------------------------------
st.subheader(t("method.computing"))
for key in ("cumulation", "plan"):
    st.markdown(t(f"method.{key}"))
st.markdown(
    t(
        "method.status",
        on_track=fmt_percent(DEFAULT_THRESHOLDS.on_track, lang),
        at_risk=fmt_percent(DEFAULT_THRESHOLDS.at_risk, lang),
    )
)
for key in ("projection", "benchmark", "completeness", "disclosure"):
    st.markdown(t(f"method.{key}"))
st.subheader(t("method.release"))
st.markdown(publication_text("method", lang))

# --- sources ------------------------------------------------------------------------------
st.subheader(t("method.sources"))
st.caption(t("method.sources_caption"))
sources = memo.value(
    "method_sources",
    viewer,
    lang,
    build=lambda: method_view.sources(cache.cities(viewer), lang),
)
st.dataframe(sources.shown(), hide_index=True, key="method_sources")
st.caption(sources.note(lang))
st.markdown(t("method.licences"))
show_open_data_download()
