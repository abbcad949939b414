"""Mappa territoriale / Territorial map: one city's at-risk peripheries, hubs and one-stop shops.

Peripheries are coloured by the risk index or by a by-periphery indicator, cumulated over the
programme and disclosed for the viewer (``cache.periphery_totals``). Protected
sites appear only as counts of places per periphery, never as points.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache, computed, drilldown, filters, maps_ui, shell
from dashboard.i18n import MISSING, fmt_number, fmt_period, t
from data_access.catalogue import HUB_TYPES, INDICATOR_BY_CODE, ONE_STOP_SHOP
from data_access.disclosure import format_value, places_exact
from data_access.metrics.shelter_places import PLACES_INDICATOR, places_by_area
from geo.maps import build_city_map

RISK = drilldown.DEFAULT_MEASURE
MEASURES = (RISK, "WP2_HUB_ACTIVITIES", "WP2_HUB_PARTICIPANTS")


def _measure_label(code: str, lang: str) -> str:
    return (
        t("territorial.risk") if code == RISK else getattr(INDICATOR_BY_CODE[code], f"name_{lang}")
    )


ctx = shell.context()
lang, period, viewer = ctx.lang, ctx.period, ctx.viewer
names = shell.city_names(viewer)
st.title(t("territorial.title"))
st.caption(t("territorial.intro"))
filters.register_param(drilldown.MEASURE)
city = filters.select(
    "city", list(names), label=t("territorial.city"), format_func=names.__getitem__
)
measure = filters.select(
    drilldown.MEASURE,
    list(MEASURES),
    label=t("territorial.measure"),
    format_func=lambda c: _measure_label(c, lang),
    container=st,
    widget="radio",
)
labels = maps_ui.map_labels(lang)

per = cache.peripheries(viewer)
per = per[per["city_code"] == city].copy()
hubs = cache.hubs(viewer)
hubs = hubs[hubs["city_code"] == city].copy()
sites = cache.protected_places(viewer)
sites = sites[sites["city_code"] == city]
located = sites[sites["level"] == "periphery"][["periphery_id", "places"]]

decimals = 2 if measure == RISK else 0
if measure == RISK:
    per["value"] = per[RISK].astype(float)
    per["value_text"] = [fmt_number(v, lang, 2) for v in per["value"]]
else:
    tot = cache.periphery_totals(viewer, measure, city)
    tot = tot[tot["city_code"] == city].set_index("periphery_id")
    per["value"] = [tot["value"].get(i, float("nan")) for i in per["id"]]
    per["value_text"] = [
        format_value(
            tot["value"].get(i), tot["flag"].get(i, ""), tot["suppressed_below"].get(i), lang
        )
        for i in per["id"]
    ]
    st.caption(t("territorial.cum"))

place = drilldown.focus([str(i) for i in per["id"]], [str(i) for i in hubs["id"]])
drilldown.breadcrumbs(city, names[city], drilldown.path_steps(place, per, hubs))
outline = maps_ui.municipal_boundary(city)
places = dict(zip(located["periphery_id"], located["places"], strict=True))
map_col, panel = st.columns([5, 2])
with map_col:
    maps_ui.show_cached_map(
        lambda: build_city_map(
            per,
            hubs,
            "value",
            _measure_label(measure, lang),
            protected_places=located,
            boundary=outline,
            labels=labels,
            format_value=lambda v: fmt_number(v, lang, decimals),
            tiles=maps_ui.tiles(),
        ),
        viewer=viewer,
        parts=(city, measure, lang),
        key=f"city_map_{city}_{measure}_{lang}",
        height=620,
        on_click=drilldown.place_click,
    )
with panel, st.container(key="lg_place_panel"):
    drilldown.side_panel(
        place,
        per,
        hubs,
        places,
        lambda: cache.disclosed(viewer).cells,
        period,
        lang,
        labels.hub_types,
    )

st.subheader(t("territorial.peripheries"))
cum = computed.cumulative(viewer, ctx.period)
total = cum[(cum["city_code"] == city) & (cum["indicator_code"] == PLACES_INDICATOR)]["value"]
inside, outside = places_by_area(sites, city, total.iloc[0] if len(total) else None)
quality = {q: t(f"territorial.{q}") for q in ("indicative", "official")}
table = pd.DataFrame(
    {
        t("territorial.name"): [*per["name"], t("territorial.outside")],
        t("territorial.quality"): [*(quality.get(q, q) for q in per["geometry_quality"]), ""],
        _measure_label(measure, lang): [*per["value_text"], ""],
        t("territorial.places"): [
            *(fmt_number(inside.get(i), lang) for i in per["id"]),
            fmt_number(outside, lang),
        ],
    }
)
st.dataframe(table, hide_index=True)
places_note = "places_total" if not places_exact(viewer, city) else "places_total_exact"
st.caption(t(f"territorial.{places_note}", n=fmt_number(sum(inside.values()) + outside, lang)))

st.subheader(t("territorial.hubs"))
per_names = dict(zip(per["id"], per["name"], strict=True))
order = {t: i for i, t in enumerate((*HUB_TYPES, ONE_STOP_SHOP))}
hubs = hubs.assign(_o=hubs["type"].map(order)).sort_values(["_o", "name"])
st.dataframe(
    pd.DataFrame(
        {
            t("territorial.name"): hubs["name"],
            t("territorial.type"): [labels.hub_types.get(h, h) for h in hubs["type"]],
            t("territorial.periphery"): [
                per_names.get(p) or t("territorial.outside") for p in hubs["periphery_id"]
            ],
            t("territorial.opened"): [
                fmt_period(str(o)[:7], lang, short=True) if pd.notna(o) and o else MISSING
                for o in hubs["opened"]
            ],
        }
    ),
    hide_index=True,
)
