"""Confronto città — one city against the others, fairly (per 10,000, peers, funnel)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, computed, filters, memo, shell
from dashboard.components import show_cached_chart, show_table
from dashboard.i18n import fmt_period, indicator_label, t
from dashboard.table_frames import bench_frames, funnel_note
from dashboard.views import benchmark as view
from data_access.catalogue import INDICATOR_BY_CODE
from data_access.disclosure.release import sensitive
from data_access.metrics.benchmark import (
    PEER_GROUPS,
    compute_city_benchmark,
    compute_peer_group,
    has_peer_values,
)
from data_access.metrics.text import build_city_sentences

ctx = shell.context()
lang, viewer = ctx.lang, ctx.viewer
period = shell.compared_period(viewer, ctx.period)  # a city manager: the release's month


def ind_name(code: str) -> str:
    return indicator_label(code, lang)


names = shell.city_names(viewer)
cities = cache.cities(viewer)
st.title(t("bench.title"))
st.caption(t("bench.intro", period=fmt_period(period, lang)))
shell.note_moved_period("filters.compared_period", ctx.period, period)

c1, c2, c3 = st.columns([2, 2, 3])
city = filters.select(
    "city",
    sorted(names, key=names.__getitem__),
    label=t("filters.city"),
    default=viewer.city if viewer.role == "city" else None,
    format_func=names.__getitem__,
    container=c1,
)
group = filters.select(
    "group",
    list(PEER_GROUPS),
    label=t("filters.group"),
    format_func=lambda g: t(f"group.{g}"),
    container=c2,
)
indicator = filters.select(
    "indicator",
    view.COUNT_INDICATORS,
    label=t("filters.indicator"),
    default="WP2_TAKEN_IN_CHARGE",
    format_func=ind_name,
    container=c3,
    known=INDICATOR_BY_CODE,
)

peers = compute_peer_group(cities, city, group)  # type: ignore[arg-type]
st.caption(view.peers_caption(peers, names, lang))

cum = computed.cumulative(viewer, period)
released = shell.compared_period(viewer, cache.last_period(viewer) or period)
choice = view.Comparison(names, city, tuple(peers), indicator, lang)
# Nothing to compare (a protected viewer, a count of people, a month before the viewer's
# latest, where the release's totals are): say why, instead of an empty chart and "no data".
missing = (
    t("bench.released_month", latest=fmt_period(released, lang))
    if viewer.role in ("public", "city") and sensitive(indicator)
    else t("data.none")
)
has_values = view.comparable(cum, indicator)
keys = (viewer, period, city, group)
bench = memo.value("bench", *keys, build=lambda: compute_city_benchmark(cum, cities, city, peers))

# --- sentences ----------------------------------------------------------------------------
st.subheader(t("bench.sentences"))
sentences = memo.value(
    "bench_sentences",
    *keys,
    indicator,
    lang,
    build=lambda: build_city_sentences(bench, names[city], lang, indicator=indicator),
)
for sentence in sentences:
    st.markdown(f"- {sentence}")
if not sentences:
    st.info(missing if not has_values else t("data.none"), icon=":material/info:")

# --- standing on every indicator ----------------------------------------------------------
st.subheader(t("bench.table"))
table, table_data = memo.value("bench_table", *keys, lang, build=lambda: bench_frames(bench, lang))
show_table(
    table,
    key="bench_table",
    name=f"confronto_{city}_{group}_{period}",
    download=table_data,
    percent_columns=[t("bench.distance")],
)

# --- funnel plot --------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(t("bench.funnel"))
    funnel = memo.value(
        "bench_funnel", viewer, period, indicator, build=lambda: view.funnel(cum, cities, indicator)
    )
    if not has_values:
        st.info(missing, icon=":material/info:")
    else:
        show_cached_chart(
            "bench_funnel",
            *keys,
            indicator,
            lang,
            build=lambda: view.funnel_figure(funnel, choice),
            name=f"imbuto_{indicator}",
            title=f"{t('bench.funnel')} — {ind_name(indicator)}",
        )
        reading = view.funnel_sentence(funnel, choice)
        if reading:
            st.markdown(reading)
        st.caption(t("bench.funnel_caption"))
        st.caption(funnel_note(funnel.phi, funnel.tau, lang))

# --- trend against peers ------------------------------------------------------------------
with right:
    st.subheader(t("bench.trend"))
    series = computed.cumulative_series(viewer, indicator, period)
    if not has_peer_values(series, city):  # the release gives their totals, not their months
        st.info(t("bench.trend_no_peers"), icon=":material/info:")
    else:
        show_cached_chart(
            "bench_trend",
            *keys,
            indicator,
            lang,
            build=lambda: view.trend_figure(series, cities, choice),
            name=f"andamento_{city}_{indicator}",
            title=f"{names[city]} — {t('bench.trend')}",
        )
        st.caption(t("bench.trend_caption"))
    if view.has_partial(series):
        st.caption(t("bench.trend_partial"))
