"""build_city_map: peripheries, hubs by type, one-stop shops, outline, protected counts, offline."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from geo_checks import cdn_words, foreign_urls, of_type, streamlit_folium_links
from geo_factories import make_boundary, make_hubs, make_peripheries, make_protected
from shapely.geometry import Point

from geo.layers import Outline
from geo.maps import MapLabels, build_city_map, html_size, render_html
from geo.style import OSM_TILES, Legend, SafeTooltip

ONE_STOP = "sportello_unico"


def _build(**kw):  # type: ignore[no-untyped-def]
    p = kw.pop("peripheries", None)
    p = make_peripheries() if p is None else p
    h = kw.pop("hubs", make_hubs(p))
    return build_city_map(
        p, h, kw.pop("value_column", "risk_index"), kw.pop("title", "Indice di rischio"), **kw
    )


def _periphery_layer(m: folium.Map) -> folium.GeoJson:
    layers = [g for g in of_type(m, folium.GeoJson) if of_type(g, folium.GeoJsonTooltip)]
    assert len(layers) == 1
    return layers[0]


@pytest.mark.parametrize("with_boundary", [False, True])
def test_layers_and_feature_counts(with_boundary: bool) -> None:
    p = make_peripheries()
    h = make_hubs(p)
    m = _build(peripheries=p, hubs=h, boundary=make_boundary(p) if with_boundary else None)
    assert len(of_type(m, folium.GeoJson)) == 1
    assert len(of_type(m, Outline)) == int(with_boundary)
    assert len(_periphery_layer(m).data["features"]) == len(p)
    groups = of_type(m, folium.FeatureGroup)
    assert len(groups) == h["type"].nunique()
    assert len(of_type(m, folium.Marker)) == len(h)
    assert len(of_type(m, folium.LayerControl)) == 1
    assert len(of_type(m, Legend)) == 1
    # One-stop shops are their own layer, named as such.
    (oss,) = [g for g in groups if MapLabels().one_stop_shops in g.layer_name]
    assert len(oss._children) == int((h["type"] == ONE_STOP).sum())


def test_only_an_id_and_a_tooltip_reach_the_browser() -> None:
    m = _build()
    feats = _periphery_layer(m).data["features"]
    assert all(set(f["properties"]) == {"tt"} for f in feats)
    html = render_html(m)
    assert "population" not in html and "10001" not in html and "city_code" not in html


def test_coordinates_are_rounded_and_geometries_simplified() -> None:
    # Sub-pixel wiggles (1e-6 degree, ~10 cm) must vanish; the corners must stay.
    p = make_peripheries(vertices_per_side=200, wiggle=1e-6)
    m = _build(peripheries=p)
    coords = json.dumps([f["geometry"] for f in _periphery_layer(m).data["features"]])
    decimals = [len(d) for d in re.findall(r"\d+\.(\d+)", coords)]
    assert decimals and max(decimals) <= 5
    sent = coords.count("[") - coords.count("[[")
    original = sum(len(g.exterior.coords) for g in p.geometry)
    assert sent < original / 10


def test_choropleth_colours_and_legend_follow_the_value_column() -> None:
    p = make_peripheries().assign(value=[1.0, None, 3.0, 5.0])
    m = _build(peripheries=p, value_column="value", title="Attività")
    (legend,) = of_type(m, Legend)
    assert "Attività" in legend.html and MapLabels().no_data in legend.html
    layer = _periphery_layer(m)
    fills = {
        f["id"].removeprefix("periphery:"): layer.style_function(f)["fillColor"]
        for f in layer.data["features"]
    }
    assert fills["101"] == "#d9d9d9"  # no data
    assert fills["100"] == "#ffffb2" and fills["103"] == "#bd0026"


def test_indicative_peripheries_are_dashed_and_labelled() -> None:
    p = make_peripheries()
    m = _build(peripheries=p)
    layer = _periphery_layer(m)
    label = MapLabels().indicative
    for f, quality in zip(
        layer.data["features"], p.sort_values("id")["geometry_quality"], strict=True
    ):
        indicative = quality == "indicative"
        assert (label in f["properties"]["tt"]) is indicative
        assert (layer.style_function(f)["dashArray"] is not None) is indicative
    assert label in of_type(m, Legend)[0].html


def test_protected_places_appear_only_as_counts_in_periphery_tooltips() -> None:
    p = make_peripheries()
    m = _build(peripheries=p, protected_places=make_protected(p))
    tips = {
        f["id"].removeprefix("periphery:"): f["properties"]["tt"]
        for f in _periphery_layer(m).data["features"]
    }
    label = MapLabels().protected_places
    assert f"{label}: 12" in tips["100"]
    assert f"{label}: &lt;10" in tips["101"]
    assert label not in tips["102"]
    assert len(of_type(m, folium.Marker)) == len(make_hubs(p))


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"periphery_id": [100], "places": [3], "lat": [44.5], "lon": [11.3]}),
        pd.DataFrame({"periphery_id": [100], "places": [3], "Latitude": [44.5]}),
        gpd.GeoDataFrame(
            {"periphery_id": [100], "places": [3]}, geometry=[Point(11.3, 44.5)], crs="EPSG:4326"
        ),
        pd.DataFrame({"periphery": [100], "places": [3]}),
    ],
    ids=["lat-lon", "latitude", "geodataframe", "wrong-columns"],
)
def test_protected_places_with_a_location_are_refused(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError):
        _build(protected_places=frame)


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "`${alert(1)}`", "</script><b>x"])
def test_names_are_escaped(payload: str) -> None:
    p = make_peripheries().assign(name=payload)
    h = make_hubs(p).assign(name=payload)
    m = _build(peripheries=p, hubs=h, title=payload, protected_places=make_protected(p))
    html = render_html(m)
    assert "<script>alert" not in html and "`${" not in html and "</script><b>" not in html
    assert all("&lt;" in t.html or "&#96;" in t.html for t in of_type(m, SafeTooltip))


def test_hub_tooltips_say_name_type_periphery_and_opening() -> None:
    p = make_peripheries()
    h = make_hubs(p)
    m = _build(peripheries=p, hubs=h, labels=MapLabels.english())
    tips = [t.html for t in of_type(m, SafeTooltip)]
    row = h.iloc[0]
    (tip,) = [t for t in tips if f"<b>{row['name']}</b>" in t]
    assert MapLabels.english().hub_types[row["type"]] in tip
    assert "Periferia 1" in tip and "Opened: 2023-01" in tip


@pytest.mark.parametrize(
    ("peripheries", "hubs"),
    [
        (make_peripheries().iloc[0:0], None),
        (make_peripheries(), None),
        (make_peripheries(), make_hubs(make_peripheries()).iloc[0:0]),
    ],
    ids=["nothing", "no-hubs", "empty-hubs"],
)
def test_partial_data_still_builds(peripheries: gpd.GeoDataFrame, hubs) -> None:  # type: ignore[no-untyped-def]
    m = build_city_map(peripheries, hubs, "risk_index", "R")
    assert len(of_type(m, folium.Marker)) == 0
    assert len(of_type(m, folium.LayerControl)) == 1


@pytest.mark.parametrize("tiles", [OSM_TILES, None])
def test_nothing_is_loaded_from_another_host(tiles) -> None:  # type: ignore[no-untyped-def]
    p = make_peripheries()
    m = _build(peripheries=p, boundary=make_boundary(p), tiles=tiles)
    html = render_html(m)
    allowed = (tiles.url, tiles.attribution) if tiles else ()
    assert foreign_urls(html, allowed) == []
    assert cdn_words(html.replace(tiles.url, "") if tiles else html) == []
    assert all(u.startswith("/app/static/vendor/") for u in streamlit_folium_links(m))


def test_same_input_same_bytes() -> None:
    p = make_peripheries()
    kw = {"protected_places": make_protected(p), "boundary": make_boundary(p)}
    assert render_html(_build(peripheries=p, **kw)) == render_html(
        _build(peripheries=make_peripheries(), **kw)
    )


def test_size_budget_with_real_boundaries(reference_boundaries: gpd.GeoDataFrame) -> None:
    sizes = {}
    for code, row in reference_boundaries.iterrows():
        c = row.geometry.centroid
        p = make_peripheries(
            city_code=code, n=6, origin=(c.x - 0.06, c.y - 0.01), vertices_per_side=150
        )
        sizes[code] = html_size(
            _build(peripheries=p, boundary=row.geometry, protected_places=make_protected(p))
        )
    assert len(sizes) == 16
    assert max(sizes.values()) <= 400 * 1024, sizes


def test_the_scale_bar_is_metric_only() -> None:
    html = render_html(_build())
    assert '"imperial": false' in html
    assert "L.control.scale()" not in html
