"""A tiny Streamlit app for the offline map browser test: a city map and the national map.

Run by tests/geo/test_map_offline_browser.py from a temporary directory holding this file and a
``static/`` folder prepared by ``geo.assets.prepare_static_assets``. ``LGNET2_TEST_TILES`` is a
tile URL on 127.0.0.1 that answers 404, so the map has a tile layer but no tile server.
"""

import os

import streamlit as st
from geo_factories import make_boundary, make_cities, make_hubs, make_peripheries, make_protected
from streamlit_folium import st_folium

from geo.maps import TileSource, build_city_map, build_national_map, returned_objects

peripheries = make_peripheries()
hubs = make_hubs(peripheries)
tiles = TileSource(url=os.environ["LGNET2_TEST_TILES"], attribution="test tiles", name="test")
m = build_city_map(
    peripheries,
    hubs,
    "risk_index",
    "Indice di rischio",
    protected_places=make_protected(peripheries),
    boundary=make_boundary(peripheries),
    tiles=tiles,
)
st.title("Mappa di prova")
st_folium(
    m, key="city_map", height=520, use_container_width=True, returned_objects=returned_objects()
)
st.header("Italia")
national = build_national_map(make_cities(), "Persone raggiunte", tiles=tiles)
st_folium(
    national,
    key="national_map",
    height=520,
    use_container_width=True,
    returned_objects=returned_objects(True),
)
