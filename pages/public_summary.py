"""Sintesi pubblica / Public summary: a screenshot-ready page for everyone, always as the public.

Whoever is signed in, the numbers are the public's (``Viewer()``): the page is meant to be
shared. Headline figures are ``data_access.metrics.kpi.headline_figures`` (the overview's definition) on
the observations disclosed for the public. ``?screenshot=1`` (or the toggle) hides the chrome with
a fixed stylesheet; no data ever goes through ``st.html``.
"""

from __future__ import annotations

import folium
import streamlit as st

from dashboard import cache, charts, components, computed, deferred, drilldown, maps_ui, memo, shell
from dashboard.emblem import eu_flag_svg
from dashboard.i18n import fmt_date, fmt_number, fmt_percent, fmt_period, t
from dashboard.pack_ui import show_pack_button
from data_access.catalogue import INDICATOR_BY_CODE, WORK_PACKAGES
from data_access.metrics import kpi
from data_access.viewer import Viewer
from geo.maps import build_national_map

PUBLIC = Viewer()
# Fixed stylesheets (no data inside): larger figures always, no chrome in screenshot mode.
# Each card's title keeps two lines side by side, so the three figures line up.
_CSS = (
    "<style>[data-testid='stMetricValue']{font-size:3rem;font-weight:700}"
    "@media (min-width:640px){[class*='st-key-lg_wp_card'] [data-testid='stMarkdownContainer']"
    " p:has(> strong:only-child){min-height:3.2em}}</style>"
)
_SHOT_CSS = (
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
    "[data-testid='stHeader'],[data-testid='stToolbar'],[data-testid='stDecoration'],"
    "[data-testid='stExpandSidebarButton'],footer{display:none!important}"
    "[data-testid='stMainBlockContainer']{padding-top:1.5rem!important}</style>"
)


ctx = shell.context()  # the reference month and the language; the numbers are the public's
lang = ctx.lang
period = shell.released_period(PUBLIC, ctx.period)  # never a month the release does not have
deferred.hold_charts_until_maps()  # the map first: see dashboard/deferred.py
drilldown.follow_city_click()  # a bubble was clicked: its city's map, before anything else
shot = st.query_params.get("screenshot") == "1"
st.html(_CSS + (_SHOT_CSS if shot else ""))
meta = cache.dataset_meta()
codes = list(kpi.HEADLINE_INDICATORS.values())
headline = computed.headline(PUBLIC, period)

st.title(t("public.title"))
st.markdown(t("public.intro"))
st.caption(
    t("public.cutoff", date=fmt_date(meta.get("cutoff"), lang), period=fmt_period(period, lang))
)
shell.note_moved_period("public.released_to", ctx.period, period)
wp_names = {w.code: f"{w.code} · {getattr(w, f'name_{lang}')}" for w in WORK_PACKAGES}
for col, row in zip(st.columns(len(headline)), headline.to_dict("records"), strict=True):
    with col, st.container(border=True, key=f"lg_wp_card_{row['wp']}"):
        st.markdown(f"**{wp_names[row['wp']]}**")
        st.metric(
            getattr(INDICATOR_BY_CODE[row["indicator_code"]], f"name_{lang}"),
            fmt_number(row["value"], lang),
        )
        st.caption(t("public.of_target", share=fmt_percent(row["achievement"], lang)))

left, right = st.columns([3, 2])
with left:
    st.subheader(t("public.map"))

    def national_map() -> folium.Map:
        frame = kpi.headline_bubbles(
            cache.cities(PUBLIC),
            computed.cumulative(PUBLIC, period),
            computed.overall_status(PUBLIC, period, codes),
        )
        return build_national_map(
            frame,
            t("public.map_value"),
            labels=maps_ui.map_labels(lang),
            format_value=lambda v: fmt_number(v, lang),
            tiles=maps_ui.tiles(),
        )

    maps_ui.show_cached_map(
        national_map,
        viewer=PUBLIC,
        parts=(period, lang),
        key=f"public_map_{lang}_{period}",
        height=600,
        on_click=drilldown.city_click,
    )
with right:
    st.subheader(t("public.chart"))
    fig = memo.figure(
        "public_wp_chart",
        PUBLIC,
        period,
        lang,
        build=lambda: charts.wp_progress_bars(headline, lang, {w: w for w in wp_names}),
    )
    components.show_chart(fig, key="public_wp_chart", name="sintesi_wp", png=not shot)
    st.caption(t("public.privacy"))

st.divider()
flag, text = st.columns([1, 8], vertical_alignment="center")
# An image, not st.html: Streamlit's HTML sanitiser keeps no SVG, and the emblem vanished.
flag.image(eu_flag_svg('width="72" height="48"'), width=72)
text.markdown(f"**{t('public.funding')}**")
if not shot:
    show_pack_button(PUBLIC, period, lang, public=True)
with st.container(key="lg_screenshot_toggle"):
    on = st.toggle(t("public.toggle"), value=shot, key="public_screenshot")
if on != shot:
    if on:
        st.query_params["screenshot"] = "1"
    else:
        del st.query_params["screenshot"]
    st.rerun()
