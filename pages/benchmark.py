"""Confronto città — one city against the others, fairly (per 10,000, peers, funnel)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, computed, filters, memo, shell
from dashboard.charts.benchmark import funnel_plot, peer_trend
from dashboard.components import show_chart, show_table
from dashboard.i18n import fmt_period, indicator_label, t
from dashboard.table_frames import bench_frames, funnel_note
from data_access.catalogue import INDICATOR_BY_CODE, INDICATORS
from data_access.disclosure import FLAG_PARTIAL
from data_access.disclosure.release import sensitive
from data_access.metrics.benchmark import (
    PEER_GROUPS,
    compute_city_benchmark,
    compute_funnel,
    compute_peer_group,
    compute_peer_trend,
)
from data_access.metrics.text import build_city_sentences, build_funnel_sentence, indicator_phrase

ctx = shell.context()
lang, period, viewer = ctx.lang, ctx.period, ctx.viewer


def ind_name(code: str) -> str:
    return indicator_label(code, lang)


names = shell.city_names(viewer)
cities = cache.cities(viewer)
st.title(t("bench.title"))
st.caption(t("bench.intro") + " " + fmt_period(period, lang) + ".")

c1, c2, c3 = st.columns([2, 2, 3])
default_city = viewer.city if viewer.role == "city" else None
city = filters.select(
    "city",
    sorted(names, key=names.__getitem__),
    label=t("filters.city"),
    default=default_city,
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
counts = [i.code for i in INDICATORS if i.kind != "ratio"]
indicator = filters.select(
    "indicator",
    counts,
    label=t("filters.indicator"),
    default="WP2_TAKEN_IN_CHARGE",
    format_func=ind_name,
    container=c3,
    known=INDICATOR_BY_CODE,
)

peers = compute_peer_group(cities, city, group)  # type: ignore[arg-type]
st.caption(t("bench.group_size", n=len(peers), names=", ".join(sorted(names[c] for c in peers))))

cum = computed.cumulative(viewer, period)
bench = memo.value(
    "bench",
    viewer,
    period,
    city,
    group,
    build=lambda: compute_city_benchmark(cum, cities, city, peers),
)

# --- sentences ----------------------------------------------------------------------------
st.subheader(t("bench.sentences"))
sentences = memo.value(
    "bench_sentences",
    viewer,
    period,
    city,
    group,
    indicator,
    lang,
    build=lambda: build_city_sentences(bench, names[city], lang, indicator=indicator),
)
for sentence in sentences:
    st.markdown(f"- {sentence}")
if not sentences:
    st.info(t("data.none"))

# --- standing on every indicator ----------------------------------------------------------
st.subheader(t("bench.table"))
table, table_data = memo.value(
    "bench_table", viewer, period, city, group, lang, build=lambda: bench_frames(bench, lang)
)
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
    # All 16 cities: the control limits come from the programme-wide pooled rate.
    one = cum[cum["indicator_code"] == indicator]
    funnel = memo.value(
        "bench_funnel",
        viewer,
        period,
        indicator,
        build=lambda: compute_funnel(
            one[["city_code", "value"]], cities, direction=INDICATOR_BY_CODE[indicator].direction
        ),
    )
    show_chart(
        memo.figure(
            "bench_funnel",
            viewer,
            period,
            indicator,
            city,
            group,
            lang,
            build=lambda: funnel_plot(
                funnel.points,
                funnel.limits,
                funnel.pooled_rate,
                names,
                lang,
                highlight=city,
                peers=peers,
                y_title=ind_name(indicator),
            ),
        ),
        key="bench_funnel",
        name=f"imbuto_{indicator}",
        title=f"{t('bench.funnel')} — {ind_name(indicator)}",
    )
    point = funnel.points[funnel.points["city_code"] == city]
    if len(point):
        phrase = indicator_phrase(indicator, lang)
        st.markdown(build_funnel_sentence(names[city], point["position"].iloc[0], phrase, lang))
    st.caption(t("bench.funnel_caption"))
    st.caption(funnel_note(funnel.phi, funnel.tau, lang))

# --- trend against peers ------------------------------------------------------------------
with right:
    st.subheader(t("bench.trend"))

    def trend_chart() -> object:
        series = computed.cumulative_series(viewer, indicator, period)
        trend = compute_peer_trend(series, cities, city, indicator, peers)
        return peer_trend(trend, names[city], lang, y_title=ind_name(indicator))

    if viewer.role == "public" and sensitive(indicator):
        st.info(t("wp_page.release_note"), icon=":material/info:")  # released to date only
    else:
        show_chart(
            memo.figure(
                "bench_trend", viewer, period, indicator, city, group, lang, build=trend_chart
            ),
            key="bench_trend",
            name=f"andamento_{city}_{indicator}",
            title=f"{names[city]} — {t('bench.trend')}",
        )
        st.caption(t("bench.trend_caption"))
    if (computed.cumulative_series(viewer, indicator, period)["flag"] == FLAG_PARTIAL).any():
        st.caption(t("bench.trend_partial"))
