"""Mappa territoriale / Territorial map: one city's at-risk peripheries, hubs and one-stop shops.

Peripheries are coloured by the risk index or by a by-periphery indicator, cumulated over the
programme and disclosed for the viewer (``disclose_table(...).periphery_totals``). Protected
sites appear only as counts of places per periphery, never as points.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from dashboard import cache, filters, maps_ui
from dashboard.i18n import fmt_number
from dashboard.session import current_viewer
from data_access.catalogue import HUB_TYPES, INDICATOR_BY_CODE, ONE_STOP_SHOP
from data_access.disclosure import disclose_table, format_value
from data_access.queries import fetch_observations
from data_access.viewer import Viewer
from geo.boundaries import boundaries_from_env
from geo.maps import build_city_map

RISK = "risk_index"
MEASURES = (RISK, "WP2_HUB_ACTIVITIES", "WP2_HUB_PARTICIPANTS")
_TEXT = {
    "it": {"title": "Mappa territoriale", "city": "Città", "measure": "Colora le periferie per",
           "risk": "Indice di rischio (indicativo)", "intro": "Periferie a rischio, centri di "
           "aggregazione e sportelli unici della città scelta. I perimetri delle periferie sono "
           "indicativi dove segnalato.", "cum": "Valori cumulati dall'inizio del programma.",
           "peripheries": "Periferie", "hubs": "Centri di aggregazione e sportelli unici",
           "name": "Nome", "type": "Tipo", "periphery": "Periferia", "opened": "Apertura",
           "quality": "Perimetro", "indicative": "indicativo", "official": "ufficiale",
           "places": "Posti in accoglienza protetta", "population": "Popolazione",
           "no_outline": "Confine comunale non caricato (impostare LGNET2_BOUNDARIES).",
           "city_places": "Posti in accoglienza protetta nella città (non localizzati): {n}."},
    "en": {"title": "Territorial map", "city": "City", "measure": "Colour peripheries by",
           "risk": "Risk index (indicative)", "intro": "At-risk peripheries, aggregation hubs "
           "and one-stop shops of the chosen city. Periphery perimeters are indicative where "
           "marked.", "cum": "Values cumulated since the start of the programme.",
           "peripheries": "Peripheries", "hubs": "Aggregation hubs and one-stop shops",
           "name": "Name", "type": "Type", "periphery": "Periphery", "opened": "Opened",
           "quality": "Perimeter", "indicative": "indicative", "official": "official",
           "places": "Places in protected accommodation", "population": "Population",
           "no_outline": "Municipal boundary not loaded (set LGNET2_BOUNDARIES).",
           "city_places": "Places in protected accommodation in the city (not located): {n}."},
}


@st.cache_data(ttl=600, show_spinner=False)
def _periphery_totals(url: str, viewer_spec: str, code: str, city: str) -> pd.DataFrame:
    # One city's city and periphery rows over every month, disclosed jointly (the periphery
    # totals' unit). Disclosing all 16 cities at once takes about a minute on the demo data
    # (joint feasibility check), which no page can wait for: reported to the privacy helper.
    eng = cache.engine()
    raw = pd.concat([fetch_observations(eng, indicators=[code], cities=[city]),
                     fetch_observations(eng, indicators=[code], cities=[city], level="periphery")],
                    ignore_index=True)
    return disclose_table(raw, Viewer.parse(viewer_spec)).periphery_totals


@st.cache_data(show_spinner=False)
def _outline(setting: str, city: str) -> object:
    # ``setting`` (LGNET2_BOUNDARIES) is in the key so that a changed file is read again.
    series = boundaries_from_env({"LGNET2_BOUNDARIES": setting} if setting else {})
    return None if series is None else series.get(city)


def _measure_label(code: str, lang: str) -> str:
    return _TEXT[lang]["risk"] if code == RISK else getattr(INDICATOR_BY_CODE[code], f"name_{lang}")


lang = filters.current_lang()
tx = _TEXT[lang]
viewer = current_viewer()
cities = cache.cities(viewer)
names = dict(zip(cities["code"], cities["name"], strict=True))
st.title(tx["title"])
st.caption(tx["intro"])
filters.register_param("map_value")
city = filters.select("city", list(names), label=tx["city"], format_func=names.get)
measure = filters.select("map_value", list(MEASURES), label=tx["measure"],
                         format_func=lambda c: _measure_label(c, lang), container=st,
                         widget="radio")
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
    tot = _periphery_totals(cache.db_url(), str(viewer), measure, city)
    tot = tot[tot["city_code"] == city].set_index("periphery_id")
    per["value"] = [tot["value"].get(i, float("nan")) for i in per["id"]]
    per["value_text"] = [format_value(tot["value"].get(i), tot["flag"].get(i, ""),
                                      tot["suppressed_below"].get(i), lang) for i in per["id"]]
    st.caption(tx["cum"])

outline = _outline(os.environ.get("LGNET2_BOUNDARIES", ""), city)
fmap = build_city_map(per, hubs, "value", _measure_label(measure, lang), protected_places=located,
                      boundary=outline, labels=labels,
                      format_value=lambda v: fmt_number(v, lang, decimals),
                      tiles=maps_ui.tiles())
maps_ui.show_map(fmap, key=f"city_map_{city}_{measure}_{lang}", height=620)
if outline is None:
    st.caption(tx["no_outline"])
city_level = sites[sites["level"] == "city"]
if not city_level.empty:
    st.caption(tx["city_places"].format(n=", ".join(str(p) for p in city_level["places"])))

st.subheader(tx["peripheries"])
places = dict(zip(located["periphery_id"], located["places"], strict=True))
st.dataframe(pd.DataFrame({
    tx["name"]: per["name"],
    tx["quality"]: [tx[q] if q in tx else q for q in per["geometry_quality"]],
    _measure_label(measure, lang): per["value_text"],
    tx["places"]: [str(places.get(i, "")) for i in per["id"]],
}), hide_index=True)

st.subheader(tx["hubs"])
per_names = dict(zip(per["id"], per["name"], strict=True))
order = {t: i for i, t in enumerate((*HUB_TYPES, ONE_STOP_SHOP))}
hubs = hubs.assign(_o=hubs["type"].map(order)).sort_values(["_o", "name"])
st.dataframe(pd.DataFrame({
    tx["name"]: hubs["name"],
    tx["type"]: [labels.hub_types.get(t, t) for t in hubs["type"]],
    tx["periphery"]: [per_names.get(p, "") for p in hubs["periphery_id"]],
    tx["opened"]: hubs["opened"].astype(str),
}), hide_index=True)
